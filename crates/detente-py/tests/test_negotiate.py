"""Scenario.negotiate: the document (equal to `detente negotiate --json`),
the offers frame, determinism by seed, the plane plot."""

import pathlib

import pytest

import detente
from conftest import LAPTOP, KURIL


def test_the_document_is_the_clis(cli, laptop):
    n = laptop.negotiate(["laptop_buyer_utility=random", "conceder"], rounds=30, seed=7)
    assert n.document == cli(
        "negotiate", "--json", str(LAPTOP), "--strategy", "laptop_buyer_utility=random",
        "--strategy", "conceder", "--rounds", "30", "--seed", "7",
    )


def test_offers_frame_and_agreement(laptop):
    n = laptop.negotiate({"laptop_seller_utility": "linear"}, rounds=40)
    offers = n.offers
    utility = ["utility_laptop_buyer_utility", "utility_laptop_seller_utility"]
    assert list(offers.columns) == ["round", "time", "proposer", "laptop", "harddisk", "external_monitor"] + utility
    made = [e for e in n.document["trace"] if e["action"] == "offer"]
    assert len(offers) == len(made) > 0
    assert offers.iloc[0]["proposer"] == made[0]["actor"]
    assert offers.iloc[-1]["laptop"] == made[-1]["outcome"]["laptop"]
    assert n.result["ending"] == "agreement"
    assert n.agreement == n.document["result"]["agreement"]
    assert set(n.trace["action"]) >= {"offer"}
    assert n.document["strategies"]["laptop_seller_utility"]["strategy"].startswith("linear")


def test_the_same_seed_gives_the_same_talks(laptop):
    a = laptop.negotiate("random", rounds=25, seed=11).document
    b = laptop.negotiate("random", rounds=25, seed=11).document
    c = laptop.negotiate("random", rounds=25, seed=12).document
    assert a == b
    assert a["trace"] != c["trace"]


def test_mediated_protocol_and_first(laptop):
    n = laptop.negotiate(protocol="mediated", rounds=20)
    assert n.document["protocol"] == "mediated"
    m = laptop.negotiate(first="laptop_seller_utility", rounds=20)
    assert m.document["parties"][0] == "laptop_seller_utility"


def test_bad_arguments(laptop):
    with pytest.raises(ValueError, match="strategies"):
        laptop.negotiate("bouldware")
    with pytest.raises(ValueError, match="no protocol"):
        laptop.negotiate(protocol="auction")
    with pytest.raises(ValueError, match="not a party"):
        laptop.negotiate(first="nobody")
    with pytest.raises(ValueError, match="rounds"):
        laptop.negotiate(rounds=0)


def test_plane_plot(laptop):
    n = laptop.negotiate(rounds=20)
    svg = n._repr_svg_()
    assert svg.startswith("<svg") and "</svg>" in svg
    assert n.plot_posterior() is None
    b = laptop.negotiate("bayesian", rounds=20)
    assert b.plot_posterior().startswith("<svg")


def test_what_if_edits_reach_the_talks():
    kuril = detente.load(KURIL)
    n = kuril.negotiate(set={"japan.reservation": 0.3, "russia.reservation": 0.3}, rounds=50)
    assert n.document["scenario"] == kuril.name
    with pytest.raises(ValueError, match="did you mean"):
        kuril.negotiate(set={"japn.reservation": 0.3})


def test_one_party_is_an_engine_error():
    one = detente.load(
        'format = 1\nname = "one"\n[[issues]]\nid = "i"\noptions = ["a", "b"]\n'
        '[[actors]]\nid = "x"\nstances.i = { position = "a", salience = 1 }\n'
    )
    with pytest.raises(detente.EngineError, match="at least two"):
        one.negotiate()


HARBOUR = pathlib.Path(__file__).resolve().parents[3] / "crates" / "detente" / "tests" / "fixtures" / "statements.toml"


def test_scripted_statements_and_speaking_strategies_are_the_clis(cli):
    harbour = detente.load(str(HARBOUR))
    n = harbour.negotiate("linear", rounds=10, say=["low-or-nothing@0"])
    assert n.document == cli(
        "negotiate", "--json", str(HARBOUR), "--strategy", "linear", "--rounds", "10", "--say", "low-or-nothing@0",
    )
    trace = n.trace
    said = trace[trace["action"] == "statement"]
    assert list(said["statement"]) == ["low-or-nothing", "no-low-price"]
    reaction = trace[trace["action"] == "reaction"].iloc[0]
    assert reaction["change"] == "port.reservation = 0.7"
    spoken = harbour.negotiate(["port=linear:speak=honest", "linear"], rounds=10)
    assert spoken.document["trace"][0]["statement"] == "not-below-cost"
    with pytest.raises(ValueError, match="did you mean `low-or-nothing`"):
        harbour.negotiate("linear", say="lo-or-nothing@0")
