"""The Python face of detente: thin wrappers over ``detente._native``.

Every engine call goes to the Rust extension, which makes the same calls as
the ``detente`` command and returns the same JSON documents
(``detente.analysis/1``, ``detente.forecast/1``, ``detente.negotiation/1``);
this module parses them and turns their lists into pandas DataFrames.
"""

from __future__ import annotations

import html
import json
import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from . import _native
from ._errors import Diagnostic, EngineError
from ._negotiator import is_negotiator

__all__ = ["load", "Scenario", "Analysis", "Forecast", "Negotiation", "Robustness", "models", "strategies"]

PathOrText = Union[str, "os.PathLike[str]"]
Edits = Union[None, str, Sequence[str], Mapping[str, Any]]

# The CLI's defaults (`detente analyze|forecast|negotiate --help`).
ANALYZE_MAX_OUTCOMES = 2_000_000_000
FORECAST_MAX_OUTCOMES = 2_000_000
FORECAST_MAX_PERTURBED = 10_000_000
NEGOTIATE_MAX_OUTCOMES = 5_000_000


def load(path_or_text: PathOrText) -> "Scenario":
    """Loads a scenario from a file, a folder or a text.

    A path (``str`` or ``os.PathLike``) that names an existing file or folder
    is read as ``detente`` reads it: a native scenario (TOML or JSON), a GENIUS
    or GeniusWeb domain, a stakeholder table. Any other string is read as the
    scenario's text, its format told from the content. A one-line string that
    names no file and cannot be a scenario raises ``FileNotFoundError``.

    Errors raise :class:`detente.ScenarioError`, whose ``.diagnostics`` hold
    every problem with file, line, column, message and help.

    >>> import detente
    >>> kuril = detente.load("scenarios/kuril-2019.toml")
    >>> kuril.name
    'Kuril Islands peace-treaty talks, January 2019'
    >>> laptop = detente.load("scenarios/anac/Laptop")
    >>> laptop.outcome_count
    27
    """
    if isinstance(path_or_text, os.PathLike):
        path = os.fspath(path_or_text)
        if not os.path.exists(path):
            raise FileNotFoundError(f"no such file or folder: {path}")
        return Scenario(_native.load_path(path))
    if not isinstance(path_or_text, str):
        raise TypeError(f"load takes a path or a scenario text, not {type(path_or_text).__name__}")
    text = path_or_text
    one_line = "\n" not in text and len(text) < 4096
    if one_line and text and os.path.exists(text):
        return Scenario(_native.load_path(text))
    if one_line and text and not any(c in text for c in "={[,"):
        raise FileNotFoundError(f"no such file or folder: {text}")
    return Scenario(_native.load_text(text, "<text>"))


def models() -> List[str]:
    """The forecast models' names, as ``detente forecast --model`` takes them.

    >>> import detente
    >>> "eum-replication" in detente.models()
    True
    """
    return list(_native.model_names())


def strategies() -> List[str]:
    """The negotiation strategies' names, as ``--strategy`` takes them.

    >>> import detente
    >>> "boulware" in detente.strategies()
    True
    """
    return list(_native.strategy_names())


def _text_value(value: Any) -> str:
    """An issue value or a number as the CLI's ``PATH=VALUE`` text takes it."""
    if isinstance(value, bool):
        raise TypeError("a value is an option label or a number, not a bool")
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    raise TypeError(f"a value is an option label or a number, not {type(value).__name__}")


def _set_list(set: Edits) -> List[str]:
    if set is None:
        return []
    if isinstance(set, str):
        return [set]
    if isinstance(set, Mapping):
        return [f"{path}={_text_value(value)}" for path, value in set.items()]
    return [str(s) for s in set]


def _str_list(values: Union[None, str, Iterable[str]], what: str) -> List[str]:
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    out = list(values)
    for v in out:
        if not isinstance(v, str):
            raise TypeError(f"{what} takes strings, not {type(v).__name__}")
    return out


def _frame(rows: List[Dict[str, Any]], columns: List[str]):
    import pandas as pd

    return pd.DataFrame(rows, columns=columns)


def _point_row(point: Mapping[str, Any]) -> Dict[str, Any]:
    """An outcome with its utilities (the document's ``{outcome, utilities}``)
    as one flat row: issue columns, then ``utility_ACTOR`` columns."""
    row: Dict[str, Any] = dict(point.get("outcome") or {})
    for actor, u in (point.get("utilities") or {}).items():
        row[f"utility_{actor}"] = u
    return row


class Scenario:
    """A loaded scenario; every analysis starts here (see :func:`load`).

    >>> import detente
    >>> s = detente.load("scenarios/anac/Laptop")
    >>> s.issues
    ['laptop', 'harddisk', 'external_monitor']
    >>> s.actors
    ['laptop_buyer_utility', 'laptop_seller_utility']
    """

    def __init__(self, native: Any):
        self._native = native
        self._summary: Dict[str, Any] = json.loads(native.summary())

    @property
    def name(self) -> str:
        """The scenario's title."""
        return self._summary["name"]

    @property
    def file(self) -> str:
        """The file it was read from (``<text>`` for a text)."""
        return self._summary["file"]

    @property
    def actors(self) -> List[str]:
        """Actor ids, in file order."""
        return [a["id"] for a in self._summary["actors"]]

    @property
    def issues(self) -> List[str]:
        """Issue ids, in file order."""
        return [i["id"] for i in self._summary["issues"]]

    @property
    def outcome_count(self) -> Optional[int]:
        """How many outcomes the issues make (continuous issues: ``None``)."""
        count = self._summary["outcome_count"]
        return int(count) if count is not None else None

    def check(self) -> List[Diagnostic]:
        """The warnings found when loading (a scenario with errors does not load).

        >>> import detente
        >>> detente.load("scenarios/kuril-2019.toml").check()
        []
        """
        doc = json.loads(self._native.check())
        return [Diagnostic.from_json(d) for d in doc["diagnostics"]]

    def analyze(
        self,
        set: Edits = None,
        drop: Union[None, str, Iterable[str]] = None,
        *,
        max_outcomes: int = ANALYZE_MAX_OUTCOMES,
        top: int = 5,
        resolution: int = 11,
        plans: bool = True,
        firmness: bool = False,
    ) -> "Analysis":
        """The deal space, as ``detente analyze --json``: agreement set, Pareto
        frontiers, bargaining solutions, blockers, each believer's view.

        ``set`` takes ``--set``'s edits (``"japan.reservation=0.3"``, a list of
        them, or a dict ``{"japan.reservation": 0.3}``), ``drop`` constraint
        labels. ``top`` best agreements are listed; the declared ``[[plans]]``
        are played when ``plans``; ``firmness`` adds the quick robustness study
        the CLI's text quotes beside the verdict (it costs a study).

        >>> import detente
        >>> a = detente.load("scenarios/anac/Laptop").analyze()
        >>> a.document["agreement_set_size"]
        27
        >>> a.verdict.startswith("A deal exists")
        True
        >>> list(a.outcomes.columns)[:3]
        ['rank', 'laptop', 'harddisk']
        """
        doc, verdict, text = self._native.analyze(
            _set_list(set),
            _str_list(drop, "drop"),
            int(max_outcomes),
            int(top),
            int(resolution),
            bool(plans),
            bool(firmness),
        )
        replay = (_set_list(set), _str_list(drop, "drop"), int(max_outcomes), int(resolution))
        return Analysis(self, doc, verdict, text, replay)

    def forecast(
        self,
        model: Union[None, str, Iterable[str]] = None,
        *,
        monte_carlo: Optional[int] = None,
        seed: int = 1,
        rounds: Optional[int] = None,
        perturb: Union[None, str, Iterable[str]] = None,
        max_outcomes: int = FORECAST_MAX_OUTCOMES,
        max_perturbed: int = FORECAST_MAX_PERTURBED,
        client: Any = None,
        shards: Optional[int] = None,
    ) -> "Forecast":
        """Forecasts every issue, as ``detente forecast --json``.

        ``model`` is one name or a list (:func:`detente.models`; all by
        default). ``monte_carlo=N`` adds a seeded sensitivity study of N runs
        per model and issue (``perturb`` as ``--perturb`` takes it); the same
        ``seed`` gives the same result bit for bit.

        ``client``: a ``distributed.Client`` to make the Monte Carlo runs on a
        Dask cluster. The N runs are dealt into ``shards`` (default: four per
        worker) consecutive ranges; each worker makes its runs of every study
        in the Rust engine and sends back their forecasts, and the summaries
        and tornados are computed here from all of them. Run ``r`` draws from
        a generator seeded by ``seed`` and ``r`` alone, so the result is the
        single-machine forecast's, byte for byte in its document. Without
        ``monte_carlo`` there is nothing to share out and ``client`` is not
        used.

        >>> import detente
        >>> f = detente.load("scenarios/kuril-2019.toml").forecast("eum-replication")
        >>> f.document["schema"]
        'detente.forecast/1'
        >>> list(f.rounds.columns)
        ['model', 'issue', 'round', 'actor', 'position', 'forecast']
        """
        settings = (
            _str_list(model, "model"),
            None if rounds is None else int(rounds),
            None if monte_carlo is None else int(monte_carlo),
            int(seed),
            _str_list(perturb, "perturb"),
            int(max_outcomes),
            int(max_perturbed),
        )
        runs = settings[2]
        if client is None or runs is None:
            return Forecast(self, self._native.forecast(*settings))
        if self._native.has_table_power():
            raise ValueError(
                "client= sends the scenario as native JSON, which has no place for a stakeholder table's "
                "power per issue; run this forecast here (client=None)"
            )
        n = _shard_count(client, shards)
        cuts = [runs * k // n for k in range(n + 1)]
        text = self._native.write("json")
        futures = [
            client.submit(_forecast_runs, _Rows(text, settings, cuts[k], cuts[k + 1]), pure=False)
            for k in range(n)
            if cuts[k] < cuts[k + 1]
        ]
        parts = client.gather(futures)
        return Forecast(self, self._native.forecast(*settings, list(parts)))

    def negotiate(
        self,
        strategies: Union[None, str, Iterable[str], Mapping[str, Any], Any] = None,
        *,
        rounds: int = 100,
        seed: int = 1,
        protocol: str = "alternating",
        default_strategy: str = "boulware",
        first: Optional[str] = None,
        set: Edits = None,
        drop: Union[None, str, Iterable[str]] = None,
        say: Union[None, str, Iterable[str]] = None,
        max_outcomes: int = NEGOTIATE_MAX_OUTCOMES,
        resolution: int = 11,
    ) -> "Negotiation":
        """Simulated talks, as ``detente negotiate --json``.

        ``strategies`` as ``--strategy`` takes them: ``"PARTY=SPEC"`` strings,
        ``"SPEC"`` for every party not named, or a dict ``{party: spec}``;
        parties not named play ``default_strategy``. ``protocol`` is
        ``"alternating"`` (stacked alternating offers) or ``"mediated"``
        (single text); ``rounds`` the deadline; the same ``seed`` gives the
        same talks. ``say`` scripts public statements as ``--say`` does:
        ``"ID@ROUND"``, the scenario's statement made by its speaker at that
        round; a spec's ``speak=honest`` or ``speak=all`` lets a strategy
        make its party's statements itself.

        A dict's values may also be negotiators written in Python (a class,
        instantiated for the talks, or an instance, used as it is): objects
        with ``propose(state)`` and ``respond(state, offer)``; a single
        negotiator as ``strategies`` plays every party (a fresh instance or
        copy per party). See "Negotiators written in Python" in
        ``docs/python.md``. An exception raised in a negotiator's method
        ends the talks and is raised here.

        >>> import detente
        >>> n = detente.load("scenarios/anac/Laptop").negotiate("conceder", rounds=20)
        >>> n.document["result"]["ending"]
        'agreement'
        >>> sorted(n.agreement)
        ['external_monitor', 'harddisk', 'laptop']
        """
        custom: List[Any] = []
        if isinstance(strategies, Mapping):
            assigned = []
            for party, spec in strategies.items():
                if is_negotiator(spec):
                    custom.append((str(party), spec))
                else:
                    assigned.append(f"{party}={spec}")
        elif is_negotiator(strategies):
            assigned, custom = [], [(None, strategies)]
        else:
            assigned = _str_list(strategies, "strategies")
        instances = [n for _, n in custom if not isinstance(n, type)]
        if len({id(n) for n in instances}) < len(instances):
            raise ValueError(
                "strategies: one negotiator instance cannot play two parties (each keeps its own ufun); "
                "give the class, or one instance per party"
            )
        native = self._native.negotiate(
            assigned,
            default_strategy,
            int(rounds),
            int(seed),
            protocol,
            first,
            _set_list(set),
            _str_list(drop, "drop"),
            _str_list(say, "say"),
            int(max_outcomes),
            int(resolution),
            custom,
        )
        return Negotiation(self, native)

    def robustness(
        self,
        vary: Union[None, str, Iterable[str]] = None,
        *,
        samples: int = 1024,
        seed: int = 0,
        max_outcomes: int = ANALYZE_MAX_OUTCOMES,
        resolution: int = 11,
        client: Any = None,
        shards: Optional[int] = None,
    ) -> "Robustness":
        """How firmly the verdict stands, as ``detente robustness --json``:
        the file's ``[[uncertain]]`` judgements plus ``vary`` (``--vary``'s
        ``"PATH=LO..HI"``), Saltelli's scheme on a seeded, scrambled Sobol
        sequence of ``samples`` base points (``samples * (2D + 2)`` verdicts for
        D judgements), Sobol indices, breakpoints and PRIM boxes.

        ``client``: a ``distributed.Client`` to compute the verdicts on a Dask
        cluster. The ``samples * (2D + 2)`` rows are dealt into ``shards``
        (default: four per worker) contiguous ranges; each worker computes
        its rows' verdicts in the Rust engine and sends back one byte per
        row, and the indices, breakpoints and boxes are computed here from
        all of them. Each row's verdict depends only on the row and ``seed``,
        so the result is the single-machine study's, byte for byte in its
        document.

        >>> import detente
        >>> r = detente.load("scenarios/kuril-2019.toml").robustness(samples=64)
        >>> r.document["schema"]
        'detente.robustness/1'
        >>> list(r.parameters.columns)[:3]
        ['param', 'low', 'high']
        """
        settings = (int(samples), int(seed), _str_list(vary, "vary"), int(max_outcomes), int(resolution))
        if client is None:
            return Robustness(self, self._native.robustness(*settings))
        n = _shard_count(client, shards)
        total = self._native.robustness_rows(*settings[:3])
        cuts = [total * k // n for k in range(n + 1)]
        text = self._native.write("json")
        futures = [
            client.submit(_robustness_rows, _Rows(text, settings, cuts[k], cuts[k + 1]), pure=False)
            for k in range(n)
            if cuts[k] < cuts[k + 1]
        ]
        verdicts = b"".join(client.gather(futures))
        return Robustness(self, self._native.robustness(*settings, verdicts))

    def report(
        self,
        path: Union[str, "os.PathLike[str]"],
        *,
        set: Edits = None,
        drop: Union[None, str, Iterable[str]] = None,
        format: Optional[str] = None,
        max_outcomes: int = ANALYZE_MAX_OUTCOMES,
    ) -> str:
        """Writes ``detente report``: one self-contained HTML page, or Markdown
        with its figures beside it (``path`` ending in ``.md``, or
        ``format="md"``). Written atomically; the folder must exist. Returns
        the path written.

        >>> import detente, os, tempfile
        >>> out = os.path.join(tempfile.mkdtemp(), "laptop.html")
        >>> _ = detente.load("scenarios/anac/Laptop").report(out)
        >>> open(out).read().startswith("<!DOCTYPE html>")
        True
        """
        path = os.fspath(path)
        if format is None:
            markdown = path.lower().endswith(".md")
        elif format in ("md", "markdown"):
            markdown = True
        elif format == "html":
            markdown = False
        else:
            raise ValueError(f"no report format `{format}`: use `html` or `md`")
        self._native.report(path, _set_list(set), _str_list(drop, "drop"), markdown, int(max_outcomes))
        return path

    def utilities(self, outcome: Mapping[str, Any]) -> Dict[str, float]:
        """Every actor's utility of one outcome: ``{issue: value}`` (option
        labels or numbers), issues left out taken from the status quo.

        >>> import detente
        >>> s = detente.load("scenarios/anac/Laptop")
        >>> u = s.utilities({"laptop": "HP", "harddisk": "60 Gb", "external_monitor": "19'' LCD"})
        >>> round(u["laptop_buyer_utility"], 6)
        1.0
        """
        if not isinstance(outcome, Mapping):
            raise TypeError("utilities takes a dict {issue: value}")
        pairs = [(str(issue), _text_value(value)) for issue, value in outcome.items()]
        return dict(self._native.utilities(pairs))

    def to_toml(self) -> str:
        """The scenario in native TOML (the engine's writer; reads back equal)."""
        return self._native.write("toml")

    def to_json(self) -> str:
        """The scenario in native JSON (the engine's writer; reads back equal)."""
        return self._native.write("json")

    def to_negmas(self) -> Any:
        """The scenario as a NegMAS ``Scenario``: outcome space, one ufun per
        actor with its reservation and discount (needs ``pip install negmas``;
        what is refused and why: docs/python.md, "NegMAS interop")."""
        from ._negmas import to_negmas

        return to_negmas(self)

    def __repr__(self) -> str:
        return f"<detente.Scenario {self.name!r}: {len(self.actors)} actors, {len(self.issues)} issues>"

    def _repr_html_(self) -> str:
        s = self._summary
        count = s["outcome_count"]
        count_text = f"{int(count):,} outcomes" if count is not None else "continuous issues"
        actors = ", ".join(f"{html.escape(a['id'])} <small>({html.escape(a['role'])})</small>" for a in s["actors"])
        issues = ", ".join(html.escape(i["id"]) for i in s["issues"])
        return (
            f"<div><strong>{html.escape(s['name'])}</strong> "
            f"<small>({html.escape(s['file'])})</small><br>"
            f"Actors: {actors}<br>Issues: {issues}<br>"
            f"{count_text}, {s['constraints']} constraints</div>"
        )


class Analysis:
    """The result of :meth:`Scenario.analyze`.

    ``.document`` is the ``detente.analysis/1`` document; ``.verdict`` the
    verdict in words (as ``detente analyze`` opens); ``.text`` the whole
    summary; ``.outcomes``, ``.frontier``, ``.solutions`` and ``.blockers``
    the document's lists as DataFrames (issue values labelled, one
    ``utility_ACTOR`` column per party).
    """

    def __init__(
        self, scenario: Scenario, document: Union[str, Dict[str, Any]], verdict: str, text: str, replay: Any = None
    ):
        self.scenario = scenario
        # The document's JSON is parsed when first read: on a small space
        # parsing costs as much as the analysis, and many callers want only
        # the verdict or the text.
        self._document: Union[str, Dict[str, Any]] = document
        self.verdict = verdict
        self.text = text
        self._replay = replay
        self._plot: Optional[str] = None

    def plot(self) -> str:
        """The utility plane ``detente analyze --plot`` draws (SVG): every
        outcome (dots, or a density for large spaces), the Pareto frontiers,
        the agreement set, reservations, the bargaining solutions, the status
        quo and what each blocker opens. The first call runs the analysis
        again with the plot's density bins; the figure is then kept.

        >>> import detente
        >>> a = detente.load("scenarios/anac/Laptop").analyze()
        >>> a.plot().startswith("<svg")
        True
        """
        if self._plot is None:
            set, drop, max_outcomes, resolution = self._replay
            self._plot = self.scenario._native.plane(set, drop, max_outcomes, resolution)
        return self._plot

    @property
    def document(self) -> Dict[str, Any]:
        """The ``detente.analysis/1`` document, as ``detente analyze --json``."""
        if isinstance(self._document, str):
            self._document = json.loads(self._document)
        return self._document

    @property
    def deal_exists(self) -> bool:
        """Whether some outcome is acceptable to everyone required."""
        return bool(self.document["deal_exists"])

    @property
    def outcomes(self):
        """The best agreements (``top`` of them, best first): ``rank``, one
        column per issue, ``utility_ACTOR`` per party. Empty with no deal."""
        rows = [{"rank": k + 1, **_point_row(p)} for k, p in enumerate(self.document.get("best") or [])]
        return _frame(rows, ["rank"] + self._issue_columns() + self._utility_columns())

    @property
    def frontier(self):
        """The Pareto frontiers: ``frontier`` is ``agreement`` (of the agreement
        set) or ``all`` (of every allowed outcome), then issues and utilities."""
        rows = []
        for name, key in (("agreement", "pareto"), ("all", "pareto_all")):
            rows += [{"frontier": name, **_point_row(p)} for p in self.document.get(key) or []]
        return _frame(rows, ["frontier"] + self._issue_columns() + self._utility_columns())

    @property
    def solutions(self):
        """The bargaining solutions that exist (Nash, Kalai–Smorodinsky,
        egalitarian, utilitarian): ``solution``, issues, utilities."""
        rows = [
            {"solution": name, **_point_row(p)}
            for name, p in (self.document.get("solutions") or {}).items()
            if p is not None
        ]
        return _frame(rows, ["solution"] + self._issue_columns() + self._utility_columns())

    @property
    def blockers(self):
        """The smallest changes that open a deal: ``rank``, ``summary`` (in
        words), ``opens_count``, ``relax`` (the changes, as the document lists
        them), then an outcome each opens with its utilities."""
        rows = []
        for k, b in enumerate(self.document.get("blockers") or []):
            rows.append(
                {
                    "rank": k + 1,
                    "summary": b.get("summary"),
                    "opens_count": b.get("opens_count"),
                    "relax": b.get("relax"),
                    **_point_row(b.get("opens") or {}),
                }
            )
        return _frame(
            rows, ["rank", "summary", "opens_count", "relax"] + self._issue_columns() + self._utility_columns()
        )

    def _issue_columns(self) -> List[str]:
        return self.scenario.issues

    def _utility_columns(self) -> List[str]:
        return [f"utility_{p}" for p in self.document.get("parties", [])]

    def __repr__(self) -> str:
        return f"<detente.Analysis of {self.scenario.name!r}: {self.verdict[:80]}…>"

    def _repr_html_(self) -> str:
        parts = [f"<p><strong>{html.escape(self.scenario.name)}</strong></p>", f"<p>{html.escape(self.verdict)}</p>"]
        if self.deal_exists:
            parts.append("<p>Best agreements:</p>" + self.outcomes.to_html(index=False))
        elif self.document.get("blockers"):
            table = self.blockers[["rank", "summary", "opens_count"]]
            parts.append("<p>The smallest changes that open a deal:</p>" + table.to_html(index=False))
        return "<div>" + "".join(parts) + "</div>"


class Forecast:
    """The result of :meth:`Scenario.forecast`.

    ``.document`` is the ``detente.forecast/1`` document; ``.rounds`` every
    actor's position by model, issue and round with the forecast of that
    round; ``.forecasts`` each model's final forecast per issue;
    :meth:`plot` the SVG figures of ``forecast --plot``.
    """

    def __init__(self, scenario: Scenario, native: Any):
        self.scenario = scenario
        self._native = native
        self.document: Dict[str, Any] = json.loads(native.document())
        self.models: List[str] = list(native.models())

    @property
    def rounds(self):
        """One row per model, issue, round and actor: ``position`` (on the
        issue's scale, 0–1 for options as the document gives it) and that
        round's ``forecast``. Spatial models (all issues at once) too."""
        rows: List[Dict[str, Any]] = []
        for issue in self.document.get("issues") or []:
            for f in issue.get("forecasts") or []:
                trace = f.get("trace") or []
                for r, positions in enumerate(f.get("rounds") or []):
                    forecast = trace[r]["forecast"] if r < len(trace) else None
                    for actor, position in positions.items():
                        rows.append(
                            {
                                "model": f["model"],
                                "issue": issue["issue"],
                                "round": r,
                                "actor": actor,
                                "position": position,
                                "forecast": forecast,
                            }
                        )
        spatial = self.document.get("spatial") or {}
        for f in spatial.get("forecasts") or []:
            trace = f.get("trace") or []
            for r, positions in enumerate(f.get("rounds") or []):
                forecast = trace[r]["forecast"] if r < len(trace) else None
                for actor, by_issue in positions.items():
                    for k, issue in enumerate(spatial.get("issues") or []):
                        rows.append(
                            {
                                "model": f["model"],
                                "issue": issue,
                                "round": r,
                                "actor": actor,
                                "position": by_issue[k],
                                "forecast": forecast[k] if forecast is not None else None,
                            }
                        )
        return _frame(rows, ["model", "issue", "round", "actor", "position", "forecast"])

    @property
    def forecasts(self):
        """Each model's final forecast per issue: ``model``, ``issue``,
        ``forecast``, ``termination``, ``rounds_played``."""
        rows: List[Dict[str, Any]] = []
        for issue in self.document.get("issues") or []:
            for f in issue.get("forecasts") or []:
                rows.append(
                    {
                        "model": f["model"],
                        "issue": issue["issue"],
                        "forecast": f.get("forecast"),
                        "termination": f.get("termination"),
                        "rounds_played": f.get("rounds_played"),
                    }
                )
        spatial = self.document.get("spatial") or {}
        for f in spatial.get("forecasts") or []:
            for k, issue in enumerate(spatial.get("issues") or []):
                rows.append(
                    {
                        "model": f["model"],
                        "issue": issue,
                        "forecast": (f.get("forecast") or [None] * (k + 1))[k],
                        "termination": f.get("termination"),
                        "rounds_played": f.get("rounds_played"),
                    }
                )
        return _frame(rows, ["model", "issue", "forecast", "termination", "rounds_played"])

    def plot(self, model: Optional[str] = None, kind: str = "trajectories") -> str:
        """The SVG ``forecast --plot`` draws for ``model`` (default: the first
        one run that iterates, else the first): ``kind`` is
        ``"trajectories"``, or ``"distribution"`` / ``"tornado"`` with a Monte
        Carlo study. Raises :class:`detente.EngineError` when there is nothing
        to draw.

        >>> import detente
        >>> f = detente.load("scenarios/kuril-2019.toml").forecast("eum-replication")
        >>> f.plot().startswith("<svg")
        True
        """
        return self._native.plot(model or self._default_model(), kind)

    def _default_model(self) -> str:
        runs = [f for i in self.document.get("issues") or [] for f in i.get("forecasts") or []]
        iterating = {f["model"] for f in runs if f.get("iterates")}
        return ([m for m in self.models if m in iterating] or self.models)[0]

    def __repr__(self) -> str:
        return f"<detente.Forecast of {self.scenario.name!r}: {', '.join(self.models)}>"

    def _repr_svg_(self) -> Optional[str]:
        try:
            return self.plot()
        except EngineError:
            return None


class Negotiation:
    """The result of :meth:`Scenario.negotiate`.

    ``.document`` is the ``detente.negotiation/1`` document; ``.offers`` the
    offers made (round, proposer, labelled values, utilities per party);
    ``.trace`` every event; ``.agreement`` the agreed outcome or ``None``;
    :meth:`plot` the utility plane with the offer paths.
    """

    def __init__(self, scenario: Scenario, native: Any):
        self.scenario = scenario
        self._native = native
        self.document: Dict[str, Any] = json.loads(native.document())
        self._plot: Optional[str] = None

    @property
    def result(self) -> Dict[str, Any]:
        """The document's ``result``: ending, agreement, utilities, distances."""
        return self.document["result"]

    @property
    def agreement(self) -> Optional[Dict[str, Any]]:
        """The agreed outcome (``{issue: value}``), or ``None``."""
        return self.document["result"].get("agreement")

    @property
    def trace(self):
        """Every event of the talks: ``round``, ``time``, ``actor``,
        ``action`` (offer, accept, reject, …, and ``statement`` and
        ``reaction`` when statements are made), the outcome it concerns and
        its utilities; with statements, also ``statement`` (its id) and
        ``change`` (a reaction in ``--set`` words)."""
        rows = []
        said = False
        for e in self.document.get("trace") or []:
            row = {"round": e.get("round"), "time": e.get("time"), "actor": e.get("actor"), "action": e.get("action")}
            if e.get("action") in ("statement", "reaction"):
                said = True
                row.update({"statement": e.get("statement"), "change": e.get("change")})
            else:
                row.update(_point_row(e))
            rows.append(row)
        extra = ["statement", "change"] if said else []
        return _frame(rows, ["round", "time", "actor", "action"] + self.scenario.issues + self._utility_columns() + extra)

    @property
    def offers(self):
        """The offers, in order: ``round``, ``time``, ``proposer``, one column per
        issue (labelled) and ``utility_ACTOR`` per party."""
        rows = []
        for e in self.document.get("trace") or []:
            if e.get("action") != "offer":
                continue
            rows.append({"round": e.get("round"), "time": e.get("time"), "proposer": e.get("actor"), **_point_row(e)})
        return _frame(rows, ["round", "time", "proposer"] + self.scenario.issues + self._utility_columns())

    def _utility_columns(self) -> List[str]:
        return [f"utility_{p}" for p in self.document.get("parties", [])]

    def plot(self) -> str:
        """The SVG ``negotiate --plot`` draws: the utility plane (an analysis
        of the scenario, run on the first call, then kept) with each party's
        offers and the agreement.

        >>> import detente
        >>> n = detente.load("scenarios/anac/Laptop").negotiate(rounds=20)
        >>> n.plot().startswith("<svg")
        True
        """
        if self._plot is None:
            self._plot = self._native.plot()
        return self._plot

    def plot_posterior(self) -> Optional[str]:
        """A Bayesian negotiator's posterior by round (SVG), or ``None``."""
        return self._native.plot_posterior()

    def __repr__(self) -> str:
        r = self.result
        return f"<detente.Negotiation of {self.scenario.name!r}: {r.get('ending')} after {r.get('rounds_used')} rounds>"

    def _repr_svg_(self) -> Optional[str]:
        try:
            return self.plot()
        except EngineError:
            return None


class Robustness:
    """The result of :meth:`Scenario.robustness`.

    ``.document`` is the ``detente.robustness/1`` document; ``.text`` the
    words of ``detente robustness``; ``.parameters`` one row per judgement
    (range, Sobol indices ``s1`` and ``st``, the breakpoint where it alone
    flips the verdict); ``.boxes`` the PRIM boxes where deals are;
    :meth:`plot` the figure of ``robustness --plot``.
    """

    def __init__(self, scenario: Scenario, native: Any):
        self.scenario = scenario
        self._native = native
        self.document: Dict[str, Any] = json.loads(native.document())
        self.text: str = native.text()

    @property
    def deal_share(self) -> float:
        """The share of the judgement space where a deal exists."""
        return float(self.document["deal_share"])

    @property
    def parameters(self):
        """One row per judgement: ``param``, ``low``, ``high``,
        ``distribution``, ``file_value``, ``s1``, ``st``, ``breakpoint``,
        ``breakpoint_side``, ``source``."""
        columns = [
            "param", "low", "high", "distribution", "file_value", "s1", "st", "breakpoint", "breakpoint_side", "source",
        ]
        rows = [{c: p.get(c) for c in columns} for p in self.document.get("parameters") or []]
        return _frame(rows, columns)

    @property
    def boxes(self):
        """The PRIM boxes: ``rank``, ``conditions`` (the document's list of
        ``{param, low, high}``), ``coverage``, ``density``, ``mass``."""
        rows = [
            {"rank": k + 1, "conditions": b.get("conditions"), "coverage": b.get("coverage"),
             "density": b.get("density"), "mass": b.get("mass")}
            for k, b in enumerate(self.document.get("boxes") or [])
        ]
        return _frame(rows, ["rank", "conditions", "coverage", "density", "mass"])

    def plot(self) -> str:
        """The SVG ``robustness --plot`` draws: each judgement's Sobol indices
        and breakpoint."""
        return self._native.plot()

    def __repr__(self) -> str:
        return f"<detente.Robustness of {self.scenario.name!r}: deal in {self.deal_share:.0%} of the judgement space>"

    def _repr_svg_(self) -> Optional[str]:
        try:
            return self.plot()
        except EngineError:
            return None


def _shard_count(client: Any, shards: Optional[int]) -> int:
    """How many shards a Dask run deals its work into: ``shards``, or four
    per worker of ``client``."""
    if not (hasattr(client, "submit") and hasattr(client, "gather") and hasattr(client, "scheduler_info")):
        raise TypeError(f"client must be a distributed.Client (or None to run here), not {type(client).__name__}")
    n = int(shards) if shards is not None else 4 * max(1, len(client.scheduler_info().get("workers", {})))
    if n < 1:
        raise ValueError(f"shards must be at least 1, not {n}")
    return n


class _Rows:
    """One Dask task of a robustness study or a Monte Carlo forecast: the
    scenario as native JSON, the settings and the rows (Saltelli rows or
    runs) ``start..end`` it computes. One object, so that Dask does not read
    its parts as a task graph."""

    def __init__(self, text: str, settings: tuple, start: int, end: int):
        self.text, self.settings, self.start, self.end = text, settings, start, end


def _robustness_rows(task: _Rows) -> bytes:
    """The verdicts of one shard of rows, on a Dask worker: one byte each."""
    scenario = _native.load_text(task.text, "scenario.json")
    return scenario.robustness_verdicts(*task.settings, task.start, task.end)


def _forecast_runs(task: _Rows) -> bytes:
    """The Monte Carlo runs ``start..end`` of every study of a forecast, on
    a Dask worker: their forecasts as the engine encodes them."""
    scenario = _native.load_text(task.text, "scenario.json")
    return scenario.forecast_shard(*task.settings, task.start, task.end)
