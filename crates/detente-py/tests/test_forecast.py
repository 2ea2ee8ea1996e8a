"""Scenario.forecast: the document (equal to `detente forecast --json`), the
rounds frame, Monte Carlo determinism, the plots."""

import pytest

import detente
from conftest import KURIL


def test_the_document_is_the_clis(cli, kuril):
    assert kuril.forecast().document == cli("forecast", "--json", str(KURIL))
    mc = kuril.forecast("compromise", monte_carlo=40, seed=3)
    assert mc.document == cli(
        "forecast", "--json", str(KURIL), "--model", "compromise", "--monte-carlo", "40", "--seed", "3"
    )


def test_rounds_frame(kuril):
    f = kuril.forecast(["eum-replication", "ktab-smp"])
    assert f.models == ["eum-replication", "ktab-smp"]
    r = f.rounds
    assert list(r.columns) == ["model", "issue", "round", "actor", "position", "forecast"]
    assert set(r["model"]) == {"eum-replication", "ktab-smp"}
    eum = r[(r["model"] == "eum-replication") & (r["issue"] == "habomai_shikotan")]
    issue = f.document["issues"][0]
    run = issue["forecasts"][0]
    assert len(eum) == len(run["rounds"]) * len(issue["actors"])
    last = eum[eum["round"] == eum["round"].max()]
    assert last["forecast"].iloc[0] == run["trace"][-1]["forecast"]
    # The spatial model's rounds, one row per issue it covers.
    spatial = f.document["spatial"]
    ktab = r[r["model"] == "ktab-smp"]
    assert len(ktab) == len(spatial["forecasts"][0]["rounds"]) * len(spatial["actors"]) * len(spatial["issues"])
    fc = f.forecasts
    assert list(fc.columns) == ["model", "issue", "forecast", "termination", "rounds_played"]
    assert fc[(fc["model"] == "eum-replication")]["forecast"].iloc[0] == run["forecast"]


def test_monte_carlo_is_deterministic_by_seed(kuril):
    a = kuril.forecast("eum-replication", monte_carlo=30, seed=5).document
    b = kuril.forecast("eum-replication", monte_carlo=30, seed=5).document
    c = kuril.forecast("eum-replication", monte_carlo=30, seed=6).document
    assert a == b
    assert a != c


def test_plots(kuril):
    f = kuril.forecast("eum-replication", monte_carlo=20, seed=1)
    svg = f._repr_svg_()
    assert svg.startswith("<svg") and "</svg>" in svg
    assert f.plot("eum-replication", "tornado").startswith("<svg")
    assert f.plot(kind="distribution").startswith("<svg")
    with pytest.raises(ValueError, match="no plot"):
        f.plot(kind="pie")
    with pytest.raises(detente.EngineError, match="forecast no issue"):
        f.plot("median")


def test_bad_arguments(kuril):
    with pytest.raises(ValueError, match="no forecast model is called `eum`"):
        kuril.forecast("eum")
    with pytest.raises(ValueError, match="monte_carlo"):
        kuril.forecast("median", monte_carlo=0)
    with pytest.raises(ValueError, match="perturb"):
        kuril.forecast("median", monte_carlo=5, perturb="nobody.position=normal:0.1")
