"""Dask path of Scenario.robustness against the CLI and the local call on
the same study, in one run: the Kuril scenario's 60 judgements, N base
samples (N x 122 verdicts), seed 0.

    target/py-venv/bin/python benches/python_dask_robustness.py [N]

Prints the wall time of `detente robustness --json` (the release binary,
both cores), of Scenario.robustness here, and with client= on a
LocalCluster(n_workers=2, threads_per_worker=1, processes=True) with 8
shards (the cluster started before the clock); checks that the three give
the same document.
"""

import json
import os
import pathlib
import subprocess
import sys
import time

import detente
from distributed import Client, LocalCluster

ROOT = pathlib.Path(__file__).resolve().parents[1]
KURIL = ROOT / "scenarios" / "kuril-2019.toml"
BIN = pathlib.Path(os.environ.get("DETENTE_BIN", ROOT / "target" / "release" / "detente"))


def timed(f):
    start = time.perf_counter()
    out = f()
    return out, time.perf_counter() - start


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    cli = [str(BIN), "robustness", str(KURIL), "--json", "--samples", str(n), "--seed", "0"]
    out, t_cli = timed(lambda: subprocess.run(cli, check=True, capture_output=True).stdout)
    kuril = detente.load(KURIL)
    local, t_local = timed(lambda: kuril.robustness(samples=n, seed=0))
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    try:
        there, t_dask = timed(lambda: kuril.robustness(samples=n, seed=0, client=client, shards=8))
    finally:
        client.close()
        cluster.close()
    same = json.loads(out) == local.document == there.document
    print(
        json.dumps(
            {
                "samples": n,
                "verdicts": local.document["evaluations"],
                "cli_seconds": round(t_cli, 3),
                "python_seconds": round(t_local, 3),
                "dask_seconds": round(t_dask, 3),
                "dask_over_cli": round(t_dask / t_cli, 3),
                "same_document": same,
            }
        )
    )


if __name__ == "__main__":
    main()
