"""Scenario.analyze: the document (equal to `detente analyze --json`), the
verdict, the DataFrames, what-if edits, utilities, engine errors."""

import pytest

import detente
from conftest import KURIL, LAPTOP


def test_the_document_is_the_clis(cli, kuril_analysis, laptop):
    assert kuril_analysis.document == cli("analyze", "--json", str(KURIL))
    assert laptop.analyze().document == cli("analyze", "--json", str(LAPTOP))


def test_the_verdict_is_the_clis_opening_paragraph(cli, kuril_analysis):
    text = cli("analyze", str(KURIL), parse=False)
    cli_verdict = text.split("\n\n")[1]
    # The CLI's text adds the quick robustness sentence; firmness=True does too.
    assert cli_verdict.startswith(kuril_analysis.verdict)
    assert kuril_analysis.verdict.startswith("No deal:")
    assert not kuril_analysis.deal_exists


def test_firmness_adds_the_robustness_sentence(cli, kuril):
    text = cli("analyze", str(KURIL), parse=False)
    a = kuril.analyze(firmness=True, plans=False)
    assert a.verdict == text.split("\n\n")[1].strip()
    assert "How firmly" in a.verdict


def test_outcomes_frontier_and_solutions_are_labelled(laptop):
    a = laptop.analyze(top=10)
    utility = ["utility_laptop_buyer_utility", "utility_laptop_seller_utility"]
    assert list(a.outcomes.columns) == ["rank", "laptop", "harddisk", "external_monitor"] + utility
    assert len(a.outcomes) == len(a.document["best"]) == 4
    assert list(a.outcomes["rank"]) == [1, 2, 3, 4]
    assert set(a.outcomes["laptop"]) <= {"Dell", "Macintosh", "HP"}
    assert a.outcomes.iloc[0]["laptop"] == a.document["best"][0]["outcome"]["laptop"]
    assert list(a.frontier.columns) == ["frontier", "laptop", "harddisk", "external_monitor"] + utility
    assert (a.frontier["frontier"] == "agreement").sum() == len(a.document["pareto"])
    assert (a.frontier["frontier"] == "all").sum() == len(a.document["pareto_all"])
    assert list(a.solutions["solution"]) == ["nash", "kalai_smorodinsky", "egalitarian", "utilitarian"]
    nash = a.document["solutions"]["nash"]
    assert a.solutions.iloc[0]["utility_laptop_buyer_utility"] == nash["utilities"]["laptop_buyer_utility"]
    assert a.blockers.empty and list(a.blockers.columns)[:4] == ["rank", "summary", "opens_count", "relax"]


def test_blockers_frame(kuril_analysis):
    b = kuril_analysis.blockers
    doc = kuril_analysis.document["blockers"]
    assert len(b) == len(doc) == 7
    assert list(b.columns[:4]) == ["rank", "summary", "opens_count", "relax"]
    assert "utility_japan" in b.columns and "utility_russia" in b.columns
    assert b.iloc[0]["summary"] == doc[0]["summary"]
    assert b.iloc[0]["opens_count"] == 20
    assert b.iloc[0]["sanctions"] == "eased"
    assert kuril_analysis.outcomes.empty and kuril_analysis.solutions.empty


def test_set_and_drop_take_the_clis_strings(cli, kuril, kuril_analysis):
    # The first blocker: japan accepts a deal worth 0.520 (its reservation is 0.542).
    opened = kuril.analyze(set={"japan.reservation": 0.51})
    assert opened.deal_exists and not kuril_analysis.deal_exists
    assert opened.document == cli("analyze", "--json", str(KURIL), "--set", "japan.reservation=0.51")
    same = kuril.analyze(set=["japan.reservation=0.51"])
    assert same.document == opened.document
    assert opened.verdict.startswith("A deal exists")
    # The third: drop two constraints.
    relax = kuril_analysis.document["blockers"][2]["relax"]
    labels = [r["constraint"] for r in relax]
    dropped = kuril.analyze(drop=labels, plans=False)
    assert dropped.deal_exists and dropped.document["agreement_set_size"] == 18


def test_bad_edits_are_value_errors_with_a_suggestion(kuril):
    with pytest.raises(ValueError, match="did you mean `japan`"):
        kuril.analyze(set={"japn.reservation": 0.3})
    with pytest.raises(ValueError, match="from 0 to 1"):
        kuril.analyze(set="japan.reservation=3")
    with pytest.raises(ValueError, match="drop"):
        kuril.analyze(drop="no-such-constraint")


def test_a_space_over_the_limit_is_an_engine_error(kuril):
    with pytest.raises(detente.EngineError) as info:
        kuril.analyze(max_outcomes=100)
    assert "100" in str(info.value)
    assert isinstance(info.value, RuntimeError)


def test_utilities_agree_with_the_analysis(laptop, kuril, kuril_analysis):
    a = laptop.analyze()
    for point in a.document["pareto_all"]:
        u = laptop.utilities(point["outcome"])
        for actor, value in point["utilities"].items():
            assert u[actor] == pytest.approx(value, abs=1e-12)
    # Kuril has a status quo: issues left out are taken from it.
    opens = kuril_analysis.document["blockers"][0]["opens"]
    u = kuril.utilities({"sanctions": "eased"})
    assert u["japan"] == pytest.approx(opens["utilities"]["japan"], abs=1e-12)
    assert u["russia"] == pytest.approx(opens["utilities"]["russia"], abs=1e-12)
    assert set(u) == set(kuril.actors)


def test_utilities_explain_bad_outcomes(laptop, kuril):
    with pytest.raises(ValueError, match="did you mean `laptop`"):
        laptop.utilities({"laptp": "HP"})
    with pytest.raises(ValueError, match="no option is named `HQ`.*did you mean `HP`"):
        laptop.utilities({"laptop": "HQ", "harddisk": "60 Gb", "external_monitor": "19'' LCD"})
    with pytest.raises(ValueError, match="no status quo.*`harddisk`"):
        laptop.utilities({"laptop": "HP"})
    with pytest.raises(TypeError):
        kuril.utilities({"recognition": True})


def test_analysis_reprs(kuril_analysis, laptop):
    h = kuril_analysis._repr_html_()
    assert "No deal:" in h and "<table" in h and "opens_count" in h
    h = laptop.analyze()._repr_html_()
    assert "A deal exists" in h and "Macintosh" in h
    assert repr(kuril_analysis).startswith("<detente.Analysis of 'Kuril")


def test_the_plane_is_the_clis(cli, laptop, tmp_path):
    out = tmp_path / "plane.svg"
    cli("analyze", str(LAPTOP), "--plot", str(out), parse=False)
    a = laptop.analyze()
    assert a.plot() == out.read_text()
    assert a.plot() is a.plot()  # drawn once
    edited = laptop.analyze(set={"laptop_buyer_utility.reservation": 0.9})
    assert edited.plot() != a.plot()
