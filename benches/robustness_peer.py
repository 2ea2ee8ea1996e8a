"""Peer side of the robustness cross-checks (crates/detente-cli/tests/peers.rs).

Reads the samples CSV that `detente robustness --dump-samples FILE` writes
(row, one column per judgement, deal 0/1, in Saltelli's layout) and prints
JSON: SALib's `sobol.analyze` first-order and total indices on the verdicts,
and the EMA Workbench's PRIM peeling trajectory on the base points (the A
rows, then the B rows, as detente takes them).
"""

import json
import sys
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")

from SALib.analyze import sobol  # noqa: E402
from ema_workbench.analysis import prim  # noqa: E402


def main(path):
    table = pd.read_csv(path)
    names = [c for c in table.columns if c not in ("row", "deal")]
    d = len(names)
    per = 2 * d + 2
    y = table["deal"].to_numpy(dtype=float)
    problem = {"num_vars": d, "names": names, "bounds": [[0.0, 1.0]] * d}
    si = sobol.analyze(problem, y, calc_second_order=True, print_to_console=False, seed=1)
    n = len(table) // per
    base = [i * per for i in range(n)] + [i * per + per - 1 for i in range(n)]
    x = table.loc[base, names].reset_index(drop=True).astype(float)
    outcome = table.loc[base, "deal"].to_numpy(dtype=int)
    p = prim.Prim(x, outcome, threshold=0.8, peel_alpha=0.05, paste_alpha=0.05, mass_min=0.05)
    box = p.find_box()
    trajectory = []
    for k in range(len(box.box_lims)):
        lims = box.box_lims[k]
        row = box.peeling_trajectory.iloc[k]
        trajectory.append(
            {
                "coverage": float(row["coverage"]),
                "density": float(row["density"]),
                "mass": float(row["mass"]),
                "limits": [[float(lims[u][0]), float(lims[u][1])] for u in names],
            }
        )
    json.dump({"s1": list(map(float, si["S1"])), "st": list(map(float, si["ST"])), "trajectory": trajectory}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
