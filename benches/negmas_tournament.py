#!/usr/bin/env python3
"""NegMAS side of the round-robin benchmark in benches/negotiation.sh.

Every ordered pairing (self-play included) of four NegMAS negotiators -
BoulwareTBNegotiator, LinearTBNegotiator, ConcederTBNegotiator (detente:
`aspiration:a=4|1|0.25` with NegMAS's settings, docs/negotiation.md) and
ToughNegotiator (detente: `hardliner`) - on every GENIUS folder given,
repeated REPS times, one SAOMechanism(n_steps=STEPS) after the other (NegMAS
runs a tournament's negotiations in one process unless asked for more).
The domains are loaded as in benches/negmas_negotiate.py (GENIUS utilities)
before the clock starts.

Prints one JSON object: negotiations, agreements, the sum of the steps run,
"seconds" and "cpu_seconds" (wall and process CPU time of the negotiations).

Usage: negmas_tournament.py STEPS REPS FOLDER...
"""
import itertools
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from negmas import (  # noqa: E402
    BoulwareTBNegotiator,
    ConcederTBNegotiator,
    LinearTBNegotiator,
    SAOMechanism,
    ToughNegotiator,
)

from negmas_negotiate import load  # noqa: E402

NEGOTIATORS = [BoulwareTBNegotiator, LinearTBNegotiator, ConcederTBNegotiator, ToughNegotiator]


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    steps, reps = int(sys.argv[1]), int(sys.argv[2])
    domains = [load(f) for f in sys.argv[3:]]
    print(json.dumps(round_robin(domains, steps, reps)))


def round_robin(domains, steps, reps):
    """The round robin on `domains` (as `load` gives them): the counts and
    times main prints (benches/python_round_robin.py runs it too)."""
    negotiations = agreements = steps_run = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for space, _issues, ufuns in domains:
        for a, b in itertools.product(NEGOTIATORS, repeat=2):
            for _ in range(reps):
                mechanism = SAOMechanism(outcome_space=space, n_steps=steps)
                mechanism.add(a(name="n0"), preferences=ufuns[0])
                mechanism.add(b(name="n1"), preferences=ufuns[1])
                state = mechanism.run()
                negotiations += 1
                agreements += state.agreement is not None
                steps_run += state.step
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"negotiations": negotiations, "agreements": agreements, "steps": steps_run, "seconds": seconds, "cpu_seconds": cpu}


if __name__ == "__main__":
    main()
