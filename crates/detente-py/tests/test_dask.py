"""detente.tournament(client=...) and Scenario.robustness(client=...) on a
Dask LocalCluster of two worker processes: the shards' records merged are
the single-machine run's, line for line, and so is the summary; a Python
negotiator travels to the workers; a study's verdicts computed in shards
give the single-machine study's document. Skipped without dask.distributed, except in CI (CI set), where
that is a failure (scripts/python.sh installs it)."""

import os

import pytest

import detente
from conftest import LAPTOP

try:
    from distributed import Client, LocalCluster
except ImportError as e:  # pragma: no cover - depends on the venv
    if os.environ.get("CI"):
        raise RuntimeError(f"dask.distributed is missing in CI ({e}); scripts/python.sh installs it") from e
    pytest.skip(f"dask.distributed is not installed ({e})", allow_module_level=True)

KURIL_UNTETHERED = LAPTOP.parents[1] / "kuril-2019-untethered.toml"


class Stubborn:
    """Always its best; accepts 0.9 or more (picklable: defined in a module)."""

    name = "stubborn"

    def propose(self, state):
        return self.ufun.best()

    def respond(self, state, offer):
        return "accept" if self.ufun(offer) >= 0.9 else "reject"


@pytest.fixture(scope="module")
def client():
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_the_cluster_gives_the_single_machine_run(client):
    args = dict(reps=3, seed=7, rounds=40)
    scenarios = [LAPTOP, KURIL_UNTETHERED]
    strategies = ["boulware,linear,random"]
    here = detente.tournament(scenarios, strategies, **args)
    there = detente.tournament(scenarios, strategies, client=client, **args)
    assert there.lines == here.lines
    assert there.document == here.document
    assert (there.text, there.plot()) == (here.text, here.plot())
    # Shards of any number, uneven ones included, give the same run.
    assert detente.tournament(scenarios, strategies, client=client, shards=5, **args).lines == here.lines


def test_a_python_negotiator_plays_on_the_workers(client):
    here = detente.tournament([LAPTOP], ["boulware", Stubborn], seed=3, rounds=30)
    there = detente.tournament([LAPTOP], ["boulware", Stubborn], seed=3, rounds=30, client=client, shards=3)
    assert there.lines == here.lines
    assert "stubborn" in set(there.summary["alias"])


def test_bad_shards_are_refused(client):
    with pytest.raises(ValueError, match="shards must be at least 1"):
        detente.tournament([LAPTOP], "boulware", client=client, shards=0)


def test_a_robustness_study_on_the_cluster_is_the_single_run(client):
    kuril = detente.load(LAPTOP.parents[1] / "kuril-2019.toml")
    args = dict(samples=32, seed=4, vary="japan.reservation=0.45..0.6")
    here = kuril.robustness(**args)
    for shards in (None, 7):
        there = kuril.robustness(client=client, shards=shards, **args)
        assert there.document == here.document
        assert there.text == here.text
    # More shards than rows: the empty ones are not sent.
    tiny = detente.load(LAPTOP.parents[1] / "kuril-2019-untethered.toml")
    rows = 1 * (2 * len(tiny.robustness(samples=1).document["parameters"]) + 2)
    assert tiny.robustness(samples=1, client=client, shards=rows + 5).document == tiny.robustness(samples=1).document


def test_a_monte_carlo_forecast_on_the_cluster_is_the_single_run(client):
    kuril = detente.load(LAPTOP.parents[1] / "kuril-2019.toml")
    args = dict(model=["compromise", "eum-replication", "ktab-smp"], monte_carlo=50, seed=3)
    here = kuril.forecast(**args)
    for shards in (None, 3, 64):
        there = kuril.forecast(client=client, shards=shards, **args)
        assert there.document == here.document, shards
    # Without Monte Carlo runs there is nothing to share out.
    assert kuril.forecast("median", client=client).document == kuril.forecast("median").document


def test_bad_shards_of_a_forecast_are_refused():
    kuril = detente.load(LAPTOP.parents[1] / "kuril-2019.toml")
    settings = (["median"], None, 10, 1, [], 2_000_000, 10_000_000)
    part = kuril._native.forecast_shard(*settings, 0, 5)
    with pytest.raises(ValueError, match="end too early"):
        kuril._native.forecast(*settings, [part[:-3]])
    with pytest.raises(detente.EngineError, match="forecasts, not 10 runs"):
        kuril._native.forecast(*settings, [part])
