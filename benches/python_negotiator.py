"""Cost per call of a negotiator written in Python, against the built-in
strategy it imitates (`hardliner:accept=const(1.01)`, which never accepts),
both facing `hardliner` so that every session runs to the deadline:
    python benches/python_negotiator.py PATH [ROUNDS] [REPEAT]
Prints JSON: per case, the best-of-REPEAT seconds of `Scenario.negotiate`
with the Python negotiator and with the built-in, the Python calls made
(propose + respond + on_offer), and (python - builtin) / calls in µs. Two
Python negotiators: `bare` (returns a fixed index, answers "reject") and
`ufun` (offers `self.ufun.best()` as a dict, reads `self.ufun(offer)`)."""

import json
import sys
import time

import detente

path = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 5
scenario = detente.load(path)
party = scenario.actors[0]
calls = [0]


class Bare:
    def on_start(self, info):
        self.best = info.index(info.ufun.best())

    def propose(self, state):
        calls[0] += 1
        return self.best

    def respond(self, state, offer):
        calls[0] += 1
        return "reject"


class Ufun:
    def propose(self, state):
        calls[0] += 1
        return self.ufun.best()

    def respond(self, state, offer):
        calls[0] += 1
        return "accept" if self.ufun(offer) > 1.01 else "reject"


def best_of(strategies):
    times = []
    for _ in range(repeat):
        calls[0] = 0
        start = time.perf_counter()
        n = scenario.negotiate(strategies, rounds=rounds, seed=1, default_strategy="hardliner")
        times.append(time.perf_counter() - start)
        assert n.result["ending"] == "deadline", n.result
    return min(times), calls[0]


builtin, _ = best_of({party: "hardliner:accept=const(1.01)"})
out = {"scenario": scenario.name, "outcomes": scenario.outcome_count, "rounds": rounds, "builtin_seconds": builtin}
for name, cls in [("bare", Bare), ("ufun", Ufun)]:
    seconds, made = best_of({party: cls})
    out[name] = {"seconds": seconds, "calls": made, "us_per_call": (seconds - builtin) / made * 1e6}
print(json.dumps(out))
