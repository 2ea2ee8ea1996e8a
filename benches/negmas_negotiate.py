#!/usr/bin/env python3
"""NegMAS side of the negotiation cross-check
(crates/detente-cli/tests/peers_negotiation.rs) and of benches/negotiation.sh.

Loads GENIUS domain folders with NegMAS's own reader
(negmas.inout.load_genius_domain_from_folder, without discounting) and runs
bilateral SAOMechanism negotiations between NegMAS's time-based negotiators,
for every ordered pair of aspiration exponents.

Utilities. NegMAS's reader keeps GENIUS's discrete evaluations raw and does
not cap sums at 1 (docs/formats/genius.md, "Differences from NegMAS"), so its
ufuns are not GENIUS's. To compare *strategies and protocol* on the same
preferences, each profile becomes a NegMAS MappingUtilityFunction whose value
for every outcome is computed here, from the weights and evaluations NegMAS
parsed, with GENIUS's semantics: sum over issues, in domain order, of
weight * (evaluation / largest evaluation of the issue), capped at 1. The
reserved value is NegMAS's. Nothing from detente is used.

Negotiators (`--family`):
- "aspiration": AspirationNegotiator(aspiration_type=e) - tolerance 0.001,
  presorting inverter over every outcome;
- "tb": BoulwareTBNegotiator (e=4), LinearTBNegotiator (e=1),
  ConcederTBNegotiator (e=0.25) - eps 0.0001, inverter over the rational
  outcomes. Only these three exponents.
Negotiator 0 (the first to offer) holds the first profile in NegMAS's order.

Prints one JSON object per folder, one per line:
{"folder", "issues": [names], "profiles": [names], "runs": [{
   "family", "steps" (n_steps), "exponents": [e0, e1],
   "agreement": {issue: value} or null,
   "step": 0-based step in which the agreement was reached, or null,
   "steps_run": the mechanism's step counter at the end,
   "utilities": [u0, u1] of the agreement or null, as Python's repr strings
     (exact: a JSON reader need not round decimal numbers correctly),
   "offers": [[step, negotiator (0|1), [value, ...]], ...] every offer made,
   "seconds", "cpu_seconds": wall and process CPU time of making the
     mechanism and the negotiators and running it (not of loading)}]}

Usage: negmas_negotiate.py [--steps 100,20] [--exponents 4,1,0.25]
                           [--family aspiration|tb|both] FOLDER...
"""
import itertools
import json
import sys
import time

from negmas import (
    AspirationNegotiator,
    BoulwareTBNegotiator,
    ConcederTBNegotiator,
    LinearTBNegotiator,
    SAOMechanism,
)
from negmas.inout import load_genius_domain_from_folder
from negmas.preferences import MappingUtilityFunction
from negmas.preferences.value_fun import TableFun

TB = {4.0: BoulwareTBNegotiator, 1.0: LinearTBNegotiator, 0.25: ConcederTBNegotiator}


def genius_utility(ufun, issues):
    """A function outcome -> utility with GENIUS's semantics, from the weights
    and raw evaluations NegMAS parsed."""
    tables = []
    for issue, w, f in zip(issues, ufun.weights, ufun.values):
        if not isinstance(f, TableFun):
            raise SystemExit(f"{ufun.name}: issue {issue.name} has a {type(f).__name__}; only discrete issues are supported")
        top = max(f.mapping.values())
        # GENIUS EvaluatorDiscrete.normalize: evaluation / max, or 0 when max < 0.00001.
        tables.append({v: (e / top if top >= 0.00001 else 0.0) for v, e in f.mapping.items()})
    weights = list(ufun.weights)

    def u(outcome):
        total = 0.0
        for w, t, v in zip(weights, tables, outcome):
            total += w * t[v]
        return min(1.0, total)

    return u


def load(folder):
    scenario = load_genius_domain_from_folder(folder, ignore_discount=True)
    space = scenario.outcome_space
    issues = list(space.issues)
    outcomes = list(space.enumerate_or_sample())
    ufuns = []
    for raw in scenario.ufuns:
        f = genius_utility(raw, issues)
        ufuns.append(
            MappingUtilityFunction(
                mapping={o: f(o) for o in outcomes},
                outcome_space=space,
                reserved_value=float(raw.reserved_value),
                name=raw.name,
            )
        )
    return space, issues, ufuns


def negotiator(family, e, name):
    if family == "aspiration":
        return AspirationNegotiator(aspiration_type=float(e), name=name)
    if float(e) not in TB:
        raise SystemExit(f"the TB negotiators have exponents 4, 1 and 0.25, not {e}")
    return TB[float(e)](name=name)


def plain(v):
    return v.item() if hasattr(v, "item") else v


def negotiate(space, issues, ufuns, family, steps, exponents):
    t0, c0 = time.perf_counter(), time.process_time()
    mechanism = SAOMechanism(outcome_space=space, n_steps=steps)
    names = ["n0", "n1"]
    for name, e, ufun in zip(names, exponents, ufuns):
        mechanism.add(negotiator(family, e, name), preferences=ufun)
    state = mechanism.run()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    slot = {n.id: k for k, n in enumerate(mechanism.negotiators)}
    agreement = state.agreement
    offers = [[step, slot[who], [plain(v) for v in offer]] for step, who, offer in mechanism.extended_trace]
    return {
        "family": family,
        "steps": steps,
        "exponents": list(exponents),
        "agreement": None if agreement is None else {i.name: plain(v) for i, v in zip(issues, agreement)},
        # The step counter moves on after the step that ends the talks.
        "step": None if agreement is None else state.step - 1,
        "steps_run": state.step,
        "utilities": None if agreement is None else [repr(float(u(agreement))) for u in ufuns],
        "offers": offers,
        "seconds": seconds,
        "cpu_seconds": cpu,
    }


def main():
    args = sys.argv[1:]
    opts = {"--steps": "100", "--exponents": "4,1,0.25", "--family": "aspiration"}
    folders = []
    while args:
        a = args.pop(0)
        if a in opts:
            opts[a] = args.pop(0)
        elif a.startswith("--"):
            raise SystemExit(__doc__)
        else:
            folders.append(a)
    if not folders:
        raise SystemExit(__doc__)
    steps = [int(s) for s in opts["--steps"].split(",")]
    exponents = [float(e) for e in opts["--exponents"].split(",")]
    families = ["aspiration", "tb"] if opts["--family"] == "both" else [opts["--family"]]
    for folder in folders:
        space, issues, ufuns = load(folder)
        if len(ufuns) != 2:
            raise SystemExit(f"{folder}: {len(ufuns)} profiles; bilateral negotiations need 2")
        runs = [
            negotiate(space, issues, ufuns, family, n, pair)
            for family in families
            for n in steps
            for pair in itertools.product(exponents, repeat=2)
        ]
        doc = {"folder": folder, "issues": [i.name for i in issues], "profiles": [u.name for u in ufuns], "runs": runs}
        sys.stdout.write(json.dumps(doc) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
