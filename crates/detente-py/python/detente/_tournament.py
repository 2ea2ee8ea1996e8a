"""``detente.tournament``: round robins, as ``detente tournament``."""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

from . import _native
from ._api import NEGOTIATE_MAX_OUTCOMES, Scenario, _frame, _shard_count, load
from ._errors import EngineError
from ._negotiator import is_negotiator

__all__ = ["tournament", "Tournament"]


class Tournament:
    """The result of :func:`tournament`.

    ``.lines`` are the records exactly as ``detente tournament`` writes them
    to ``negotiations.jsonl`` (in id order); ``.records`` the same as a
    DataFrame; ``.document`` the ``detente.tournament/1`` summary (the CLI's
    ``summary.json``); ``.summary`` its per-strategy table; ``.text`` the
    summary in words, as the CLI prints it and writes ``summary.txt``;
    :meth:`plot` the chart of ``detente tournament --plot`` (SVG).
    """

    def __init__(
        self,
        lines: List[str],
        document: Dict[str, Any],
        text: str = "",
        svg: Optional[str] = None,
        plot_error: Optional[str] = None,
    ):
        self.lines = lines
        self.document = document
        self.text = text
        self._svg = svg
        self._plot_error = plot_error
        self._parsed: Optional[List[Dict[str, Any]]] = None

    @property
    def _records(self) -> List[Dict[str, Any]]:
        # Parsed when first asked for: a hundred thousand lines take seconds.
        if self._parsed is None:
            self._parsed = [json.loads(line) for line in self.lines]
        return self._parsed

    @property
    def records(self):
        """One row per negotiation, in id order: ``id``, ``scenario``,
        ``rep``, ``strategies`` (per party, in the scenario's party order,
        canonical as in the CLI's file) and ``strategy_ACTOR`` per party (the
        alias: ``boulware``, ``linear:e=0.5``, a Python class's name), ``reached``, ``agreement`` (the
        deal stands), ``outcome`` (its number) and ``outcome_values``
        (``{issue: value}``), ``utilities_by_actor`` and ``utility_ACTOR``
        per party, ``welfare``, ``pareto_distance``, ``nash_distance``,
        ``rounds``."""
        alias = {s["strategy"]: s["alias"] for s in self.document.get("strategies", [])}
        rows = []
        extra: List[str] = []
        for r in self._records:
            row = dict(r)
            for actor, strategy in zip(r["utilities_by_actor"], r["strategies"]):
                row[f"strategy_{actor}"] = alias.get(strategy, strategy)
            for actor, u in r["utilities_by_actor"].items():
                row[f"utility_{actor}"] = u
            for k in row:
                if k not in r and k not in extra:
                    extra.append(k)
            rows.append(row)
        base = [
            "id",
            "scenario",
            "rep",
            "strategies",
            "reached",
            "agreement",
            "outcome",
            "outcome_values",
            "utilities",
            "utilities_by_actor",
            "welfare",
            "pareto_distance",
            "nash_distance",
            "rounds",
        ]
        return _frame(rows, base + extra)

    @property
    def summary(self):
        """Per strategy, best mean utility first: ``strategy``, ``alias``,
        ``negotiations``, ``agreement_rate``, ``utility``,
        ``opponent_utility``, ``welfare``, ``pareto_distance``,
        ``nash_distance``, ``rounds``."""
        rows = self.document.get("strategies", [])
        columns = list(rows[0].keys()) if rows else ["strategy", "alias"]
        return _frame(rows, columns)

    def plot(self) -> str:
        """The chart ``detente tournament --plot`` draws (SVG, the same
        bytes as the CLI's ``--plot FILE.svg``): per strategy, best first,
        its mean utility and its opponents' as two bars, with the share of
        agreements that stand. Drawn by the engine when the tournament
        finished; raises :class:`detente.EngineError` if it could not be.

        >>> import detente
        >>> t = detente.tournament(["scenarios/anac/Laptop"], "boulware,conceder", rounds=30)
        >>> svg = t.plot()
        >>> svg.startswith("<svg"), "conceder" in svg
        (True, True)
        >>> print(t.text.splitlines()[0])  # the CLI's summary.txt, line for line
        Tournament: 4 negotiations on Laptop (2 strategies, 1 repetition, seed 0)
        """
        if self._svg is None:
            raise EngineError(self._plot_error or "the tournament chart was not drawn")
        return self._svg

    def __repr__(self) -> str:
        d = self.document
        return f"<detente.Tournament: {d.get('negotiations')} negotiations on {', '.join(d.get('scenarios', []))}>"

    def _repr_svg_(self) -> Optional[str]:
        try:
            return self.plot()
        except EngineError:
            return None


def tournament(
    scenarios: Union[Scenario, str, "os.PathLike[str]", Sequence[Union[Scenario, str, "os.PathLike[str]"]]],
    strategies: Union[str, Iterable[Any]] = "boulware,linear,conceder,tit-for-tat",
    reps: int = 1,
    seed: int = 0,
    rounds: int = 100,
    protocol: str = "alternating",
    client: Optional[Any] = None,
    *,
    max_outcomes: int = NEGOTIATE_MAX_OUTCOMES,
    resolution: int = 11,
    shards: Optional[int] = None,
) -> Tournament:
    """A round robin, as ``detente tournament``: every assignment of the
    strategies to the parties of every scenario (two parties: every ordered
    pair, self-play included), ``reps`` times; negotiation ``id`` runs with
    a seed derived from ``seed`` and ``id`` alone, so the results depend only
    on the definition. The defaults are the CLI's, but for ``seed`` (the
    CLI's ``--seed`` defaults to 1).

    ``scenarios`` are paths or loaded :class:`Scenario` objects, named in the
    tables by the stem of the path, as the CLI names them (a loaded
    ``Scenario`` by the file it was read from: a GENIUS folder's domain file). ``strategies`` are
    spec strings (each may list several: ``"boulware,linear"``) and
    negotiators written in Python (a class, instantiated for every
    negotiation, or an instance, deep-copied for every negotiation), named by
    their ``name`` attribute or class name. Python negotiators run with the
    GIL taken for each call, on the engine's threads; give them randomness
    only from ``info.seed`` to keep results reproducible.

    ``client``: a ``distributed.Client`` to run the tournament on a Dask
    cluster. The negotiations are dealt into ``shards`` (default: four per
    worker) by id, as ``detente tournament --shard K/N`` deals them; each
    shard runs in the Rust engine on a worker and sends back its records,
    and the records are checked and summarised here. The result is the
    single-machine run's, line for line (each negotiation's seed depends
    only on ``seed`` and its id). Workers need ``detente`` installed, and
    Python negotiators must be picklable (classes defined in a module or
    notebook are; Dask sends them with cloudpickle).

    >>> import detente
    >>> t = detente.tournament(["scenarios/anac/Laptop"], "boulware,conceder", rounds=30)
    >>> t.document["schema"], len(t.records)
    ('detente.tournament/1', 4)
    >>> list(t.summary["alias"])  # best mean utility first
    ['conceder', 'boulware']
    """
    if isinstance(scenarios, (str, os.PathLike, Scenario)):
        scenarios = [scenarios]
    entries = []
    for s in scenarios:
        if isinstance(s, Scenario):
            entries.append((os.fspath(s.file), s._native))
        else:
            entries.append((os.fspath(s), load(s)._native))
    if isinstance(strategies, str) or is_negotiator(strategies):
        strategies = [strategies]
    entered: List[Any] = []
    for s in strategies:
        if isinstance(s, str) or is_negotiator(s):
            entered.append(s)
        else:
            raise TypeError(
                f"{s!r} is not a negotiator (it needs propose(state) and respond(state, offer)) nor a spec string"
            )
    settings = (int(reps), int(seed), int(rounds), protocol, int(max_outcomes), int(resolution))
    if client is None:
        return _finished(*_native.tournament(entries, entered, *settings))
    n = _shard_count(client, shards)
    # Workers get the scenarios as native JSON (the writer's output reads
    # back as the same scenario) under the names the tables use.
    texts = [(path, _native_json(scenario)) for path, scenario in entries]
    futures = [client.submit(_run_shard, _Shard(k, n, texts, entered, settings), pure=False) for k in range(1, n + 1)]
    parts = client.gather(futures)
    collected = [line for part in parts if part for line in part.decode("utf-8").split("\n")]
    return _finished(*_native.tournament(entries, entered, *settings, None, collected))


def _finished(lines: List[str], summary: str, text: str, chart: tuple) -> Tournament:
    """The engine's answer as a :class:`Tournament`: the records' lines, the
    summary document, its text and the chart (its SVG, or why not)."""
    svg, plot_error = chart
    return Tournament(list(lines), json.loads(summary), text, svg, plot_error)


def _native_json(scenario: Any) -> str:
    return scenario.write("json")


class _Shard:
    """What one Dask task needs: shard ``k`` of ``n``, the scenarios as
    ``(path, native JSON)``, the strategies and the settings. One object, so
    that Dask does not read its lists and tuples as parts of a task graph."""

    def __init__(self, k: int, n: int, scenarios: List[Any], strategies: List[Any], settings: tuple):
        self.k, self.n, self.scenarios, self.strategies, self.settings = k, n, scenarios, strategies, settings


def _run_shard(shard: _Shard) -> bytes:
    """One shard of a tournament, on a Dask worker: its records as lines,
    joined into one UTF-8 buffer (Dask sends one buffer as it is; a list of
    a hundred thousand strings took it nine seconds)."""
    entries = [
        (path, _native.load_text(text, os.path.basename(os.fspath(path)) or "scenario"))
        for path, text in shard.scenarios
    ]
    lines, *_ = _native.tournament(entries, shard.strategies, *shard.settings, (shard.k, shard.n), None)
    return "\n".join(lines).encode("utf-8")
