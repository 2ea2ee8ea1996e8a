"""Runs decide-exchange-model's equal-gain exchange model on stakeholder
tables and prints, per table, one JSON line with every round.

    python decide_peer.py [--rounds N] [--exchanges] FILE[:ROUNDS] ...

Drives the library directly (its command line is broken): reads the table
with its own reader, builds the model with its own factory, and plays the
rounds with its own ModelLoop and exchange calculations. One thing is
replaced: which exchange is executed next. The package sorts by gains
computed in 28-digit decimals, so two mathematically equal gains reached by
different formulas (common: actors with equal saliences on two issues) are
ordered by rounding noise in the 27th digit; the package itself calls gains
within 1e-20 a tie (ALLOW_RANDOM then picks one at random). Here gains
within 1e-12 (relative) of the best are ties and the exchange enumerated
first wins, the rule detente follows (docs/models/exchange.md); with
ALLOW_RANDOM = False the package's own tie code stays off.

For the same reason one boundary is read as exact arithmetic reads it:
when an earlier exchange has put the outcome on an issue exactly at the
demander's position, the package's check whether a further shift carries
the outcome past it compares a difference that its decimals give as 0 or
as +-1e-25 noise, and the sign of the noise decides. Here a difference
within 1e-9 is 0, as in detente; each round reports how many times that
changed a difference ("boundary_noise").

Each line holds the issue and actor ids,
the seconds spent in the model (reading the file included), and per round:
round 0 the stated positions and their outcome; round k the voting
positions after the k-th round's exchanges and their outcome (what the
package reports as the round's outcome), the next round's preferences, and
the number of exchanges executed. Positions are on the issues' own scales,
null where the table gives an actor no data. With --exchanges every
executed exchange is listed too (for debugging).
"""

import argparse
import decimal
import json
import time

from decide.data.modelfactory import ModelFactory
from decide.data.reader import InputDataFile
from decide.model import base, equalgain
from decide.model.utils import ModelLoop

equalgain.EqualGainModel.ALLOW_RANDOM = False

# Gains within this fraction of the best are ties (see the module text).
TIE = 1e-12
_add_exchange = equalgain.EqualGainModel.add_exchange


def add_exchange(self, *args, **kwargs):
    """The package's add_exchange, stamping the enumeration order."""
    exchange = _add_exchange(self, *args, **kwargs)
    exchange.enumerated = len(self.exchanges) - 1
    return exchange


def highest_gain(self):
    """Pops the exchange with the highest gain; ties go to the one
    enumerated first."""
    best = max(e.gain for e in self.exchanges)
    floor = best - abs(best) * decimal.Decimal(TIE)
    k = min((e.enumerated, k) for k, e in enumerate(self.exchanges) if e.gain >= floor)[1]
    return self.exchanges.pop(k)


equalgain.EqualGainModel.add_exchange = add_exchange
equalgain.EqualGainModel.highest_gain = highest_gain

# Outcomes this close (0-100 scale) to the demander's position are at it.
SAME = 1e-9
BOUNDARY_NOISE = [0]
_check_nbs = base.AbstractExchangeActor.check_nbs


def check_nbs(self):
    """The package's check_nbs, with an outcome within SAME of the
    demander's position taken to be exactly there."""
    target = self.opposite_actor.demand.position
    start = self.supply.position
    before = self.adjust_nbs(start)
    if before == target or abs(target - before) > SAME:
        return _check_nbs(self)
    BOUNDARY_NOISE[0] += 1
    adjust = self.adjust_nbs
    self.adjust_nbs = lambda position: target if position == start else adjust(position)
    try:
        return _check_nbs(self)
    finally:
        del self.adjust_nbs


base.AbstractExchangeActor.check_nbs = check_nbs


def positions(model, issues, actors):
    """{actor: [position per issue, None where absent]} on the issue scales."""
    out = {}
    for actor in actors:
        row = []
        for issue in issues:
            ai = model.actor_issues[issue].get(actor)
            row.append(None if ai is None else float(issue.de_normalize(ai.position)))
        out[str(actor.actor_id)] = row
    return out


def outcomes(model, issues):
    return [float(issue.de_normalize(model.nbs[issue])) for issue in issues]


class Recorder:
    """The events ModelLoop fires, recording each round."""

    def __init__(self, model, log_exchanges):
        self.model = model
        self.issues = list(model.issues.values())
        self.actors = list(model.actors.values())
        self.log_exchanges = log_exchanges
        self.rounds = []
        self.realized = []

    def before_loop(self, iteration, repetition):
        if iteration == 0:
            self.rounds.append(
                {
                    "round": 0,
                    "forecast": outcomes(self.model, self.issues),
                    "positions": positions(self.model, self.issues, self.actors),
                }
            )

    def removed_exchanges(self, exchanges):
        pass

    def execute_exchange(self, exchange):
        if self.log_exchanges:
            side = lambda s: [str(s.actor.actor_id), s.supply.issue.name, float(s.supply.issue.de_normalize(s.y))]
            self.realized.append(side(exchange.i) + side(exchange.j) + [float(exchange.gain)])

    def after_loop(self, realized, iteration, repetition):
        self.count = len(realized)

    def end_loop(self, iteration, repetition):
        record = {
            "round": iteration + 1,
            "forecast": outcomes(self.model, self.issues),
            "positions": positions(self.model, self.issues, self.actors),
            "exchanges": self.count,
            "boundary_noise": BOUNDARY_NOISE[0],
        }
        BOUNDARY_NOISE[0] = 0
        if self.log_exchanges:
            record["executed"] = self.realized
            self.realized = []
        self.rounds.append(record)


def run(path, rounds, log_exchanges):
    start = time.perf_counter()
    factory = ModelFactory(InputDataFile.open(path))
    model = factory(model_klass=equalgain.EqualGainModel, randomized_value=None)
    recorder = Recorder(model, log_exchanges)
    loop = ModelLoop(model, recorder, 0)
    for _ in range(rounds):
        loop.loop()
        # ModelLoop has set the next round's preferences.
        recorder.rounds[-1]["preferences"] = positions(model, recorder.issues, recorder.actors)
    seconds = time.perf_counter() - start
    return {
        "file": path,
        "issues": [issue.name for issue in recorder.issues],
        "actors": [str(actor.actor_id) for actor in recorder.actors],
        "seconds": seconds,
        "rounds": recorder.rounds,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--exchanges", action="store_true")
    parser.add_argument("files", nargs="+", help="FILE or FILE:ROUNDS")
    args = parser.parse_args()
    for spec in args.files:
        path, _, n = spec.rpartition(":") if ":" in spec else (spec, "", "")
        print(json.dumps(run(path, int(n) if n else args.rounds, args.exchanges)), flush=True)


if __name__ == "__main__":
    main()
