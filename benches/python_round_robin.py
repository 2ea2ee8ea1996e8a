#!/usr/bin/env python3
"""A 240-negotiation round robin from Python, the CLI and NegMAS's
`cartesian_tournament`, in one run (docs/BENCHMARKS.md, "A round robin from
Python, the CLI and cartesian_tournament").

The work is benches/negotiation.sh's case (b): 4 strategies (NegMAS's
BoulwareTBNegotiator, LinearTBNegotiator, ConcederTBNegotiator and
ToughNegotiator; detente's `aspiration:a=4|1|0.25` with NegMAS's settings and
`hardliner`) x 3 GENIUS scenarios (Laptop, ItexvsCypress, Camera) x REPS
repetitions, every ordered pairing (self-play included), ROUNDS rounds:
4 x 4 x 3 x 5 = 240 negotiations at the defaults.

The GENIUS folders are written once, before any clock, as native JSON
without their discount factors (NegMAS's side ignores them; see
`undiscounted`), and both detente sides read those files:

- `detente.tournament(paths, strategies, reps, seed, rounds)`: the whole
  call from the paths (loading, compiling the domains, the negotiations on
  every core, the records' lines, the summary, its text and its chart),
  REPEAT times;
- `detente tournament PATHS --out DIR ...` (the release binary) as a child
  process, a fresh --out each time, REPEAT times: process start, loading,
  the negotiations, the records written twice and the summary files;
- NegMAS's `cartesian_tournament` on the same scenarios (GENIUS utilities,
  loaded before the clock as benches/negmas_tournament.py loads them), the
  same negotiator classes, `n_repetitions=REPS`, `n_steps=ROUNDS`, serial and
  in-process (`njobs=-1`), `rotate_ufuns=False` (the scenarios' own party
  order, as detente plays them), `normalize_ufuns=False` (the utilities
  GENIUS gives, as detente's), `path=None` (nothing saved), `verbosity=0`,
  the optimality statistics left on (`save_stats=True`, the default: the
  Pareto, Nash and Kalai(-Smorodinsky) distances, as detente's records
  carry), once;
- for reference, the bare loop of benches/negmas_tournament.py (one
  SAOMechanism after the other, nothing else), once (--skip-negmas-loop
  leaves it out).

Prints one JSON object: each side's wall seconds (detente: the median and
the fastest of REPEAT) and process CPU seconds, negotiations, agreements and
the rounds played, and the ratios. Not part of the test suite, no timing
assertions. Run it with an interpreter that has both detente (the wheel of
scripts/python.sh) and negmas==0.16.0 (scripts/peers.sh's pin):

  PY=target/peer-venv/bin/python
  $PY benches/python_round_robin.py [--rounds 1000] [--reps 5] [--repeat 5]
      [--bin target/release/detente] [--data ../shared/data/genius/anac]
"""
import argparse
import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

FOLDERS = ["y2011/Laptop", "y2010/ItexvsCypress", "y2011/Camera"]
# NegMAS's time-based negotiators in detente's words (docs/negotiation.md;
# benches/negotiation.sh), then the hardliner (NegMAS's ToughNegotiator).
NEGMAS_SETTINGS = "floor=reservation,tolerance=0.0001,snap=1e-6,accept=target"
STRATEGIES = ",".join(
    [f"aspiration:a={a},{NEGMAS_SETTINGS}" for a in ("4", "1", "0.25")] + ["hardliner"]
)


def undiscounted(folders, tmp):
    """The GENIUS folders as native JSON files named as the folders (the
    tables' names), without the profiles' discount factors (Laptop 0.424,
    Camera 0.891): NegMAS's side reads them with ignore_discount=True
    (benches/negmas_negotiate.py), so the same negotiations are played only
    without them. Both detente sides read these files."""
    import detente

    paths = []
    for folder in folders:
        doc = json.loads(detente.load(folder).to_json())
        for actor in doc["actors"]:
            actor.pop("discount", None)
        path = os.path.join(tmp, os.path.basename(folder) + ".json")
        with open(path, "w") as f:
            json.dump(doc, f)
        paths.append(path)
    return paths


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def time_python(folders, args):
    import detente

    walls, cpus, t = [], [], None
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        t = detente.tournament(folders, STRATEGIES, reps=args.reps, seed=args.seed, rounds=args.rounds)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return walls, cpus, t


def time_cli(folders, args, tmp):
    walls, cpus, out = [], [], None
    for k in range(args.repeat):
        out = os.path.join(tmp, f"cli-{k}")
        command = [
            args.bin, "tournament", *folders, "--strategies", STRATEGIES, "--reps", str(args.reps),
            "--seed", str(args.seed), "--rounds", str(args.rounds), "--out", out,
        ]
        t0, c0 = time.perf_counter(), children_cpu()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        walls.append(time.perf_counter() - t0)
        cpus.append(children_cpu() - c0)
    with open(os.path.join(out, "negotiations.jsonl")) as f:
        lines = f.read().splitlines()
    with open(os.path.join(out, "summary.txt")) as f:
        text = f.read()
    return walls, cpus, lines, text


def time_negmas(folders, args):
    from negmas import BoulwareTBNegotiator, ConcederTBNegotiator, LinearTBNegotiator, ToughNegotiator
    from negmas.inout import Scenario
    from negmas.tournaments.neg import cartesian_tournament

    from negmas_negotiate import load

    scenarios = []
    for folder in folders:
        space, _issues, ufuns = load(folder)
        scenarios.append(Scenario(outcome_space=space, ufuns=tuple(ufuns), name=os.path.basename(folder)))
    t0, c0 = time.perf_counter(), time.process_time()
    with stdout_to_stderr():  # its progress bar, whatever the verbosity
        results = cartesian_tournament(
            competitors=[BoulwareTBNegotiator, LinearTBNegotiator, ConcederTBNegotiator, ToughNegotiator],
            scenarios=scenarios,
            n_repetitions=args.reps,
            n_steps=args.rounds,
            njobs=-1,
            rotate_ufuns=False,
            self_play=True,
            normalize_ufuns=False,
            path=None,
            verbosity=0,
        )
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    details = results.details
    return {
        "seconds": wall,
        "cpu_seconds": cpu,
        "negotiations": int(len(details)),
        "agreements": int(details["agreement"].notna().sum()),
        "steps": int(details["last_step"].sum()),
    }


def time_negmas_loop(folders, args):
    from negmas_negotiate import load
    from negmas_tournament import round_robin

    return round_robin([load(f) for f in folders], args.rounds, args.reps)


@contextlib.contextmanager
def stdout_to_stderr():
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=1000)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--repeat", type=int, default=5, help="runs of each detente side (the median counts)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "detente"))
    p.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "genius", "anac"))
    p.add_argument("--skip-negmas", action="store_true", help="detente only")
    p.add_argument("--skip-negmas-loop", action="store_true", help="no SAOMechanism loop (negmas_tournament.py)")
    args = p.parse_args()
    folders = [os.path.normpath(os.path.join(args.data, f)) for f in FOLDERS]

    import detente

    tmp_dir = tempfile.TemporaryDirectory()
    paths = undiscounted(folders, tmp_dir.name)
    doc = {
        "load_average_at_start": os.getloadavg(),
        "cpus": os.cpu_count(),
        "detente": detente.__version__,
        "scenarios": folders,
        "strategies": STRATEGIES,
        "reps": args.reps,
        "rounds": args.rounds,
        "seed": args.seed,
    }
    py_walls, py_cpus, t = time_python(paths, args)
    cli_walls, cli_cpus, cli_lines, cli_text = time_cli(paths, args, tmp_dir.name)
    records = [json.loads(line) for line in t.lines]
    doc["python"] = {
        "seconds": statistics.median(py_walls),
        "min_seconds": min(py_walls),
        "cpu_seconds": statistics.median(py_cpus),
        "runs": py_walls,
        "negotiations": len(records),
        "agreements": sum(1 for r in records if r["reached"]),
        "rounds": sum(r["rounds"] for r in records),
    }
    doc["cli"] = {
        "seconds": statistics.median(cli_walls),
        "min_seconds": min(cli_walls),
        "cpu_seconds": statistics.median(cli_cpus),
        "runs": cli_walls,
        "same_records_as_python": cli_lines == t.lines,
        "same_summary_text_as_python": cli_text == t.text,
    }
    doc["python_over_cli"] = doc["python"]["seconds"] / doc["cli"]["seconds"]
    if not args.skip_negmas:
        import negmas

        n = time_negmas(folders, args)
        n["version"] = negmas.__version__
        doc["negmas_cartesian_tournament"] = n
        doc["negmas_over_python"] = n["seconds"] / doc["python"]["seconds"]
        doc["negmas_over_python_cpu"] = n["cpu_seconds"] / doc["python"]["cpu_seconds"]
        doc["negmas_over_cli"] = n["seconds"] / doc["cli"]["seconds"]
        # NegMAS's step counter ends one past the agreement's step, as detente's rounds.
        ours = (doc["python"]["negotiations"], doc["python"]["agreements"], doc["python"]["rounds"])
        n["same_agreements_and_rounds"] = (n["negotiations"], n["agreements"], n["steps"]) == ours
        if not args.skip_negmas_loop:
            loop = time_negmas_loop(folders, args)
            loop["same_agreements_and_rounds"] = (loop["negotiations"], loop["agreements"], loop["steps"]) == ours
            doc["negmas_sao_loop"] = loop
            doc["negmas_loop_over_python"] = loop["seconds"] / doc["python"]["seconds"]
            doc["negmas_cartesian_over_loop"] = n["seconds"] / loop["seconds"]
    tmp_dir.cleanup()
    print(json.dumps(doc, indent=2))


if __name__ == "__main__":
    main()
