"""Dask path of Scenario.forecast's Monte Carlo study against the CLI and
the local call on the same forecast, in one run: the Kuril scenario, every
model, N perturbed runs per study, seed 1.

    target/py-venv/bin/python benches/python_dask_forecast.py [N]

Prints the wall time of `detente forecast --json --monte-carlo N` (the
release binary, both cores), of Scenario.forecast here, and with client= on
a LocalCluster(n_workers=2, threads_per_worker=1, processes=True) with 8
shards of runs (the cluster started before the clock); checks that the
three give the same document.
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
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    cli = [str(BIN), "forecast", str(KURIL), "--json", "--monte-carlo", str(n), "--seed", "1"]
    out, t_cli = timed(lambda: subprocess.run(cli, check=True, capture_output=True).stdout)
    kuril = detente.load(KURIL)
    local, t_local = timed(lambda: kuril.forecast(monte_carlo=n, seed=1))
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    try:
        there, t_dask = timed(lambda: kuril.forecast(monte_carlo=n, seed=1, client=client, shards=8))
    finally:
        client.close()
        cluster.close()
    same = json.loads(out) == local.document == there.document
    print(
        json.dumps(
            {
                "runs": n,
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
