"""Recomputes `detente tournament --format parquet|csv` tables with pandas
and SciPy, from the per-seat scores file alone, and prints the largest
difference from detente's tables as JSON (relative to max(1, |peer value|)).

    python benches/tournament_tables_peer.py OUT_DIR EXT

For every table (strategy, scenario, pairing, role) and metric: the count of
seats where the metric exists, the mean, the sample standard deviation
(ddof 1), and the 95% confidence interval mean ± t(0.975, n - 1) * sd / sqrt(n)
with SciPy's Student t; the agreement rate with Wilson's score interval
(z = the normal 0.975 quantile); the rank by mean utility within the rows of
a group (pandas `rank(method="min")`). The keys are read from the scores:
scenario, seat, opponents (the other seats' aliases joined by " + ").

Run by `crates/detente-cli/tests/peers.rs` in the peer venv
(`bash scripts/peers.sh`), which has pandas, pyarrow and SciPy.
"""

import json
import math
import sys

import numpy as np
import pandas as pd
from scipy import stats

METRICS = [
    "utility",
    "advantage",
    "opponent_utility",
    "welfare",
    "pareto_distance",
    "nash_distance",
    "kalai_distance",
    "ks_distance",
    "rounds",
]
KEYS = {
    "strategy": [],
    "scenario": ["scenario"],
    "pairing": ["opponents"],
    "role": ["scenario", "seat"],
}


def read(path):
    if path.endswith(".parquet"):
        return pd.read_parquet(path)
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def wilson(k, n):
    z = stats.norm.ppf(0.975)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(centre - half, 0.0), min(centre + half, 1.0)


def expected(scores, keys):
    rows = []
    for key, g in scores.groupby(keys + ["strategy"], sort=False, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        row = dict(zip(keys + ["strategy"], key))
        row["seats"] = len(g)
        row["agreements"] = int(g["agreement"].sum())
        row["agreement_rate"] = row["agreements"] / row["seats"]
        row["agreement_rate_low"], row["agreement_rate_high"] = wilson(row["agreements"], row["seats"])
        for m in METRICS:
            x = g[m].dropna().to_numpy(dtype=float)
            n = len(x)
            row[f"{m}_n"] = n
            row[f"{m}_mean"] = x.mean() if n else np.nan
            sd = x.std(ddof=1) if n > 1 else np.nan
            row[f"{m}_sd"] = sd
            half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n) if n > 1 else np.nan
            row[f"{m}_low"] = row[f"{m}_mean"] - half
            row[f"{m}_high"] = row[f"{m}_mean"] + half
        rows.append(row)
    frame = pd.DataFrame(rows)
    if keys:
        frame["rank"] = frame.groupby(keys)["utility_mean"].rank(method="min", ascending=False)
    else:
        frame["rank"] = frame["utility_mean"].rank(method="min", ascending=False)
    return frame


def main():
    out, ext = sys.argv[1], sys.argv[2]
    scores = read(f"{out}/scores.{ext}")
    report = {"scores": len(scores), "tables": {}}
    for name, keys in KEYS.items():
        ours = read(f"{out}/table-{name}.{ext}")
        theirs = expected(scores, keys)
        merged = ours.merge(theirs, on=keys + ["strategy"], suffixes=("", "_peer"), how="outer", indicator=True)
        unmatched = int((merged["_merge"] != "both").sum())
        worst = 0.0
        columns = ["seats", "agreements", "rank", "agreement_rate", "agreement_rate_low", "agreement_rate_high"]
        columns += [f"{m}_{s}" for m in METRICS for s in ("n", "mean", "sd", "low", "high")]
        for c in columns:
            a = merged[c].to_numpy(dtype=float)
            b = merged[f"{c}_peer"].to_numpy(dtype=float)
            both_nan = np.isnan(a) & np.isnan(b)
            if (np.isnan(a) != np.isnan(b)).any():
                worst = math.inf
                report.setdefault("nan_mismatch", []).append(f"{name}.{c}")
                continue
            d = (np.abs(a - b) / np.maximum(1.0, np.abs(b)))[~both_nan]
            if len(d):
                worst = max(worst, float(d.max()))
        report["tables"][name] = {"rows": len(ours), "unmatched": unmatched, "max_difference": worst}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
