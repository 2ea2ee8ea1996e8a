"""Dask path of detente.tournament against the CLI on the same tournament,
in one run: a 100,000-negotiation round robin on Laptop (10 strategies, so
100 ordered pairings, x 1,000 repetitions, 100 rounds each).

    target/py-venv/bin/python benches/python_dask.py [REPS]

Prints the wall time of `detente tournament` (the release binary, both
cores), of detente.tournament here, and on a LocalCluster(n_workers=2,
threads_per_worker=1, processes=True) with 8 shards (the cluster started
before the clock); checks that the three give the same records; and
reports the Dask path's overhead per shard against the local call.
"""

import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import detente
from distributed import Client, LocalCluster

ROOT = pathlib.Path(__file__).resolve().parents[1]
LAPTOP = ROOT / "scenarios" / "anac" / "Laptop"
STRATEGIES = "boulware,linear,conceder,hardliner,tit-for-tat,random,aspiration,boulware:e=0.1,linear:accept=const(0.8),conceder:e=3"
BIN = pathlib.Path(os.environ.get("DETENTE_BIN", ROOT / "target" / "release" / "detente"))


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    shards = 8
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "t"
        start = time.perf_counter()
        subprocess.run(
            [str(BIN), "tournament", str(LAPTOP), "--strategies", STRATEGIES, "--reps", str(reps),
             "--seed", "0", "--out", str(out)],
            check=True, stdout=subprocess.DEVNULL,
        )
        cli = time.perf_counter() - start
        cli_lines = (out / "negotiations.jsonl").read_text().splitlines()
    start = time.perf_counter()
    here = detente.tournament([LAPTOP], STRATEGIES, reps=reps, seed=0)
    local = time.perf_counter() - start
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    client.run(lambda: __import__("detente"))
    start = time.perf_counter()
    there = detente.tournament([LAPTOP], STRATEGIES, reps=reps, seed=0, client=client, shards=shards)
    dask = time.perf_counter() - start
    client.close()
    cluster.close()
    n = len(here.lines)
    print(json.dumps({
        "negotiations": n,
        "cli_seconds": round(cli, 3),
        "python_seconds": round(local, 3),
        "dask_seconds": round(dask, 3),
        "dask_over_cli": round(dask / cli, 3),
        "shards": shards,
        "overhead_per_shard_seconds": round((dask - local) / shards, 4),
        "same_as_cli": here.lines == cli_lines and there.lines == cli_lines,
    }))


if __name__ == "__main__":
    main()
