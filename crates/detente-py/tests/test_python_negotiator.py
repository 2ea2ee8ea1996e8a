"""Negotiators written in Python: they play as the built-in strategy they
imitate, see their state and own utilities only, raise their own exceptions,
have invalid offers refused by name, and the same seed gives the same talks."""

import random
import time

import pytest

import detente
from conftest import LAPTOP

BUYER, SELLER = "laptop_buyer_utility", "laptop_seller_utility"


class Stubborn:
    """Always offers its best outcome; accepts anything worth ≥ 0.9 to it:
    `hardliner:accept=const(0.9)` by hand."""

    def propose(self, state):
        return self.ufun.best()

    def respond(self, state, offer):
        return "accept" if self.ufun(offer) >= 0.9 and self.ufun(offer) > self.ufun.reservation else "reject"


def test_a_python_negotiator_plays_as_the_builtin_it_imitates(laptop):
    for rounds, opponent in [(20, "boulware"), (40, "conceder"), (30, "linear")]:
        mine = laptop.negotiate({BUYER: Stubborn, SELLER: opponent}, rounds=rounds, seed=3).document
        builtin = laptop.negotiate({BUYER: "hardliner:accept=const(0.9)", SELLER: opponent}, rounds=rounds, seed=3).document
        assert mine["trace"] == builtin["trace"]
        assert mine["result"] == builtin["result"]
        assert mine["strategies"][BUYER] == {"strategy": "Stubborn", "default": False}


def test_a_hand_worked_session():
    # Two parties, three prices. The buyer (Python) opens with its best
    # (low); the seller (hardliner) asks high; the buyer rejects every ask
    # worth less than 0.9 to it, so the talks reach the deadline.
    s = detente.load(
        'format = 1\nname = "t"\n[[issues]]\nid = "price"\noptions = ["low", "mid", "high"]\n'
        '[[actors]]\nid = "buyer"\nstances.price = { values = { low = 1.0, mid = 0.6, high = 0.0 }, salience = 1.0 }\n'
        '[[actors]]\nid = "seller"\nstances.price = { values = { low = 0.2, mid = 0.6, high = 1.0 }, salience = 1.0 }\n'
    )
    n = s.negotiate({"buyer": Stubborn, "seller": "hardliner"}, rounds=3)
    offers = [(e["actor"], e["outcome"]["price"]) for e in n.document["trace"] if e["action"] == "offer"]
    assert offers == [("buyer", "low"), ("seller", "high")] * 3
    assert n.result["ending"] == "deadline"
    # Against a seller accepting anything above its reservation (0), the
    # buyer's first offer stands.
    n = s.negotiate({"buyer": Stubborn, "seller": "hardliner:accept=const(0)"}, rounds=3)
    assert n.agreement == {"price": "low"}


class Recorder:
    """Accepts nothing, offers its best, and records what it sees."""

    def __init__(self):
        self.seen = []
        self.offers = []

    def on_start(self, info):
        self.started = (info.me, info.slot, info.parties, info.issues, info.n_outcomes, info.rounds, info.values)

    def on_offer(self, state, offer, by):
        self.offers.append((state.step, by, dict(offer)))

    def propose(self, state):
        self.seen.append(("propose", state.step, state.relative_time, state.current_offer, state.current_proposer))
        return self.info.index(self.ufun.best())

    def respond(self, state, offer):
        assert offer == state.current_offer
        assert self.info.outcome(state.current_offer_index) == offer
        self.seen.append(("respond", state.step, state.relative_time, offer, state.current_proposer))
        return detente.ResponseType.REJECT_OFFER


def test_the_state_and_the_view_a_negotiator_gets(laptop):
    me = Recorder()
    n = laptop.negotiate({SELLER: me, BUYER: "hardliner"}, rounds=10)
    assert n.result["ending"] == "deadline"
    who, slot, parties, issues, outcomes, rounds, values = me.started
    assert (who, slot, parties, rounds) == (SELLER, 1, [BUYER, SELLER], 10)
    assert issues == ["laptop", "harddisk", "external_monitor"]
    assert outcomes == 27 and values["laptop"] == ["Dell", "Macintosh", "HP"]
    # Round by round: the buyer's offer to answer, then its own.
    assert [s[:2] for s in me.seen[:4]] == [("respond", 0), ("propose", 0), ("respond", 1), ("propose", 1)]
    for kind, step, t, offer, by in me.seen:
        assert t == pytest.approx((step + 1) / 11)
        assert (offer is None and by is None) if kind == "propose" else (by == BUYER and set(offer) == set(issues))
    # Every offer of the other party is observed.
    assert {by for _, by, _ in me.offers} == {BUYER}
    assert len(me.offers) == 10
    # Nothing about the buyer's utilities.
    assert not any("buyer" in a and a != "me" for a in dir(me.info) if not a.startswith("_"))
    # The view is valid only while the engine calls.
    with pytest.raises(RuntimeError, match="only while the engine calls"):
        me.ufun(0)


class Boom(Exception):
    pass


class Faulty:
    def propose(self, state):
        return 0

    def respond(self, state, offer):
        if state.step == 2:
            raise Boom("round two")
        return "reject"


def test_an_exception_in_user_code_is_raised_as_itself(laptop):
    with pytest.raises(Boom, match="round two"):
        laptop.negotiate({BUYER: Faulty}, rounds=10)
    with pytest.raises(Boom):
        laptop.negotiate(Faulty, rounds=10)


def offering(offer, answer="reject"):
    class Offering:
        def propose(self, state):
            return offer

        def respond(self, state, o):
            return answer

    return Offering


def test_invalid_offers_are_refused_by_name(laptop):
    best = {"laptop": "Dell", "harddisk": "60 Gb", "external_monitor": "19'' LCD"}
    with pytest.raises(ValueError, match=r"issue `laptop` has no value `Macintsh` \(did you mean `Macintosh`\?\)"):
        laptop.negotiate({SELLER: offering({**best, "laptop": "Macintsh"})}, rounds=5)
    with pytest.raises(ValueError, match=r"no issue `hardisk` \(did you mean `harddisk`\?\)"):
        laptop.negotiate({SELLER: offering({"laptop": "Dell", "hardisk": "60 Gb", "external_monitor": "19'' LCD"})}, rounds=5)
    with pytest.raises(ValueError, match="no value for issue `external_monitor`"):
        laptop.negotiate({SELLER: offering({"laptop": "Dell", "harddisk": "60 Gb"})}, rounds=5)
    with pytest.raises(ValueError, match="outcome index 27 is out of range"):
        laptop.negotiate({SELLER: offering(27)}, rounds=5)
    with pytest.raises(TypeError, match="not list"):
        laptop.negotiate({SELLER: offering(["Dell"])}, rounds=5)
    with pytest.raises(ValueError, match='respond returned .maybe.: answer "accept", "reject" or "end"'):
        laptop.negotiate({BUYER: offering(0, "maybe")}, rounds=5)
    one = offering(0)()
    with pytest.raises(ValueError, match="one negotiator instance cannot play two parties"):
        laptop.negotiate({BUYER: one, SELLER: one}, rounds=5)
    with pytest.raises(TypeError, match="not a negotiator"):
        detente.tournament(["scenarios/anac/Laptop"], [object()])
    # A valid dict and an index are both fine; None walks away.
    assert laptop.negotiate({SELLER: offering(best)}, rounds=5).result["ending"] in ("agreement", "deadline")
    assert laptop.negotiate({SELLER: offering(None)}, rounds=5).result["ending"] == "walkout"


class Dice:
    """Random offers and answers, drawn from its own seed."""

    def on_start(self, info):
        self.rng = random.Random(info.seed)
        self.n = info.n_outcomes

    def propose(self, state):
        return self.rng.randrange(self.n)

    def respond(self, state, offer):
        return "accept" if self.rng.random() < 0.05 else "reject"


def test_the_same_seed_gives_the_same_talks(laptop):
    a = laptop.negotiate({BUYER: Dice, SELLER: "random"}, rounds=40, seed=5).document
    b = laptop.negotiate({BUYER: Dice, SELLER: "random"}, rounds=40, seed=5).document
    c = laptop.negotiate({BUYER: Dice, SELLER: "random"}, rounds=40, seed=6).document
    assert a == b
    assert a["trace"] != c["trace"]


def test_answers_in_negmas_words(laptop):
    import enum

    class NegmasResponse(enum.Enum):
        ACCEPT_OFFER = 0
        REJECT_OFFER = 1
        END_NEGOTIATION = 2

    class Ender:
        def propose(self, state):
            return 0

        def respond(self, state, offer):
            return NegmasResponse.END_NEGOTIATION

    n = laptop.negotiate({SELLER: Ender}, rounds=5)
    assert n.result["ending"] == "walkout"
    n = laptop.negotiate({SELLER: offering(0, "ACCEPT")}, rounds=5)
    assert n.result["ending"] == "agreement"


def test_one_negotiator_for_every_party_and_the_mediated_protocol(laptop):
    n = laptop.negotiate(Stubborn, rounds=10)
    assert {s["strategy"] for s in n.document["strategies"].values()} == {"Stubborn"}
    n = laptop.negotiate({BUYER: Stubborn}, rounds=10, protocol="mediated")
    assert n.result["ending"] in ("agreement", "deadline")


class Slow:
    """Takes a millisecond per call: a million rounds would take minutes."""

    def propose(self, state):
        time.sleep(0.001)
        return 0

    def respond(self, state, offer):
        time.sleep(0.001)
        return "reject"


def test_ctrl_c_stops_talks_with_a_python_negotiator(laptop):
    import _thread
    import threading

    for run in (
        lambda: laptop.negotiate({BUYER: Slow, SELLER: "hardliner"}, rounds=1_000_000),
        lambda: detente.tournament(LAPTOP, [Slow, "hardliner"], rounds=1_000_000),
    ):
        timer = threading.Timer(0.5, _thread.interrupt_main)
        started = time.monotonic()
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            run()
        timer.join()
        assert time.monotonic() - started < 10
    # Usable afterwards.
    assert laptop.negotiate({BUYER: Stubborn}, rounds=5).result["rounds_used"] >= 1
