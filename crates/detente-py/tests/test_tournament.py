"""detente.tournament: the CLI's records and summary, Python negotiators
entered next to spec strings, determinism, errors."""

import json
import xml.etree.ElementTree as ET

import pytest

import detente
from conftest import LAPTOP, ROOT


class Stubborn:
    """`hardliner:accept=const(0.9)` by hand."""

    name = "stubborn"

    def propose(self, state):
        return self.ufun.best()

    def respond(self, state, offer):
        return "accept" if self.ufun(offer) >= 0.9 and self.ufun(offer) > self.ufun.reservation else "reject"


def test_records_and_summary_are_the_clis(cli, tmp_path):
    out = tmp_path / "t"
    cli(
        "tournament", str(LAPTOP), "--strategies", "boulware,conceder,random", "--reps", "2",
        "--rounds", "30", "--seed", "4", "--out", str(out), "--json", parse=False,
    )
    t = detente.tournament([LAPTOP], ["boulware,conceder", "random"], reps=2, seed=4, rounds=30)
    assert t.lines == (out / "negotiations.jsonl").read_text().splitlines()
    assert t.document == json.loads((out / "summary.json").read_text())
    records = t.records
    assert list(records["id"]) == list(range(18))
    assert set(records["scenario"]) == {"Laptop"}
    assert {"strategy_laptop_buyer_utility", "utility_laptop_seller_utility", "outcome_values", "welfare"} <= set(records.columns)
    row = records.iloc[0]
    assert row["utility_laptop_buyer_utility"] == row["utilities"][0]
    assert row["strategy_laptop_buyer_utility"] == "boulware"
    assert row["strategies"][0] == "boulware:e=0.2,k=0,floor=reservation,accept=next"
    assert list(t.summary["alias"]) == [r["alias"] for r in t.document["strategies"]]


def test_text_and_chart_are_the_clis(cli, tmp_path):
    out = tmp_path / "t"
    scenarios = [str(LAPTOP), str(ROOT / "scenarios" / "anac" / "ItexvsCypress")]
    printed = cli(
        "tournament", *scenarios, "--strategies", "boulware,linear:e=0.5,hardliner", "--reps", "2",
        "--rounds", "40", "--seed", "3", "--out", str(out), "--plot", str(tmp_path / "chart.svg"), parse=False,
    )
    t = detente.tournament(scenarios, "boulware,linear:e=0.5,hardliner", reps=2, seed=3, rounds=40)
    assert t.text == (out / "summary.txt").read_text()
    assert printed == t.text
    assert t.text.startswith("Tournament: 36 negotiations on Laptop, ItexvsCypress (3 strategies, 2 repetitions, seed 3)\n")
    svg = t.plot()
    assert svg == (tmp_path / "chart.svg").read_text()
    assert t._repr_svg_() == svg
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    words = " ".join(root.itertext())
    for alias in t.summary["alias"]:
        assert alias in words, alias
    assert "Tournament: mean utility by strategy (2 scenarios, 2 repetitions)" in words


def test_a_python_negotiator_is_named_in_the_text_and_chart():
    t = detente.tournament(LAPTOP, [Stubborn, "conceder"], seed=1, rounds=20)
    assert "stubborn" in t.text and "conceder" in t.text
    words = " ".join(ET.fromstring(t.plot()).itertext())
    assert "stubborn" in words and "conceder" in words


def test_a_python_class_enters_next_to_specs_and_plays_as_its_builtin():
    mine = detente.tournament(LAPTOP, [Stubborn, "boulware"], seed=2, rounds=25)
    builtin = detente.tournament(LAPTOP, ["hardliner:accept=const(0.9)", "boulware"], seed=2, rounds=25)
    boulware = "boulware:e=0.2,k=0,floor=reservation,accept=next"
    assert [r["strategies"] for r in mine._records][:2] == [["stubborn", "stubborn"], ["stubborn", boulware]]
    strip = lambda t: [{k: v for k, v in r.items() if k != "strategies"} for r in t._records]
    assert strip(mine) == strip(builtin)
    assert mine.summary["alias"].tolist()[0] in ("stubborn", "boulware")
    # The same definition gives the same records, on any run.
    assert detente.tournament(LAPTOP, [Stubborn, "boulware"], seed=2, rounds=25).lines == mine.lines
    # An instance is copied for every negotiation.
    assert detente.tournament(LAPTOP, [Stubborn(), "boulware"], seed=2, rounds=25).lines == mine.lines


class Boom(Exception):
    pass


class Faulty:
    def propose(self, state):
        raise Boom("no offer")

    def respond(self, state, offer):
        return "reject"


def test_errors():
    with pytest.raises(Boom, match="no offer"):
        detente.tournament(LAPTOP, [Faulty, "boulware"], rounds=10)
    with pytest.raises(TypeError, match="client must be a distributed.Client"):
        detente.tournament(LAPTOP, ["boulware"], client=object())
    with pytest.raises(ValueError, match="stubborn twice"):
        detente.tournament(LAPTOP, [Stubborn, Stubborn])
    with pytest.raises(ValueError, match="unknown strategy"):
        detente.tournament(LAPTOP, ["bouldware"])
