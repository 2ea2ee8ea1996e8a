"""Scenario.robustness: the document (equal to `detente robustness --json`),
the frames, determinism by seed, the plot."""

import pytest

import detente
from conftest import KURIL


def test_the_document_is_the_clis(cli, kuril):
    r = kuril.robustness(samples=64, seed=3)
    assert r.document == cli("robustness", "--json", str(KURIL), "--samples", "64", "--seed", "3")
    text = cli("robustness", str(KURIL), "--samples", "64", "--seed", "3", parse=False)
    assert r.text.strip() == text.strip()


def test_frames_and_determinism(kuril):
    r = kuril.robustness(samples=32, seed=1)
    p = r.parameters
    assert list(p.columns) == [
        "param", "low", "high", "distribution", "file_value", "s1", "st", "breakpoint", "breakpoint_side", "source",
    ]
    assert len(p) == len(r.document["parameters"]) > 0
    assert p.iloc[0]["param"] == r.document["parameters"][0]["param"]
    assert list(r.boxes.columns) == ["rank", "conditions", "coverage", "density", "mass"]
    assert 0 <= r.deal_share <= 1
    assert kuril.robustness(samples=32, seed=1).document == r.document
    other = kuril.robustness(samples=32, seed=2).document
    assert other["parameters"] != r.document["parameters"]  # another scramble, other samples


def test_vary_and_the_plot(kuril):
    r = kuril.robustness("japan.reservation=0.4..0.6", samples=16)
    assert any(p["param"] == "japan.reservation" and p["low"] == 0.4 for p in r.document["parameters"])
    assert r._repr_svg_().startswith("<svg")
    with pytest.raises(ValueError, match="vary"):
        kuril.robustness("japn.reservation=0.1..0.2")
    with pytest.raises(ValueError, match="samples"):
        kuril.robustness(samples=0)


def test_nothing_to_vary_is_an_engine_error(laptop):
    with pytest.raises(detente.EngineError, match="no judgement to vary"):
        laptop.robustness(samples=8)
