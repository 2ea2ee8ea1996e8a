"""NegMAS interop: :func:`from_negmas` and ``Scenario.to_negmas``.

Both directions go through detente's native JSON, the exact converter the
engine already has (``Scenario.to_json`` and ``detente.load``): NegMAS utility
functions are tabulated issue by issue (a continuous issue by its two ends:
only affine value functions are read there) and written as stances (or, for
a utility that is not additive, as one interaction term per outcome); a
detente scenario's JSON is read back into NegMAS value tables. negmas is imported only when a conversion runs. The
rules, and what is refused, are in docs/python.md ("NegMAS interop").
"""

from __future__ import annotations

import itertools
import json
import math
import numbers
import re
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple

if TYPE_CHECKING:
    from ._api import Scenario

__all__ = ["from_negmas", "to_negmas"]

# Absolute slack for rounding when a tabulated NegMAS utility is checked
# against detente's 0-1 range, or for being additive or affine.
TOLERANCE = 1e-12
# The most outcomes a non-additive utility is written out for, one
# interaction term each.
MAX_TABULATED_OUTCOMES = 10_000

# An issue's part of an additive utility: (weight, value per issue value);
# weight None when the values are already the weighted terms.
Row = Tuple[Optional[float], List[float]]

_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_KEYWORDS = {"never", "and", "or", "not", "in", "true", "false"}


def _negmas() -> Any:
    try:
        import negmas  # noqa: F401
        import negmas.inout
        import negmas.outcomes
        import negmas.preferences
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "NegMAS interop needs the negmas package: pip install negmas "
            "(detente is tested with negmas==0.16.0)"
        ) from e
    return negmas


class CappedUtility:
    """``min(1, inner(outcome))``: the mapping of a NegMAS
    ``MappingUtilityFunction`` that :func:`to_negmas` makes for an additive
    detente actor whose weighted values can sum past 1 (detente caps the
    sum at 1, as GENIUS does). ``from_negmas`` reads it back as the additive
    actor. A class, not a lambda, so the ufun pickles."""

    def __init__(self, inner: Any):
        self.inner = inner

    def __call__(self, outcome: Any) -> float:
        return min(1.0, float(self.inner(outcome)))


def _slug(name: str, taken: set) -> str:
    """A detente id from a NegMAS name: the name itself when it is one, else
    lowercase with every other character replaced by ``_``; made unique."""
    base = name if _ID.match(name) and name not in _KEYWORDS else re.sub(r"[^a-z0-9_]", "_", name.lower())
    if not base or not (base[0].isalpha() or base[0] == "_") or base in _KEYWORDS:
        base = "_" + base
    out, k = base, 2
    while out in taken:
        out, k = f"{base}_{k}", k + 1
    taken.add(out)
    return out


def _number(x: Any) -> float:
    return float(x.item() if hasattr(x, "item") else x)


# ---------------------------------------------------------------- from NegMAS


class _Issue:
    """A NegMAS issue as detente will write it."""

    def __init__(self, issue: Any, id: str):
        self.id = id
        self.name = str(issue.name)
        self.continuous = bool(issue.is_continuous())
        if self.continuous:
            # Only affine value functions are read here, so the two ends
            # say everything; `span` is the run from one to the other.
            lo, hi = _number(issue.min_value), _number(issue.max_value)
            if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
                raise ValueError(f"issue {self.name!r}: a continuous issue needs finite bounds min < max, not {lo}..{hi}")
            self.values: List[Any] = [lo, hi]
            self.labels = [repr(lo), repr(hi)]
            self.integer = False
            self.span = hi - lo
            return
        self.values = list(issue.all)
        ints = [v for v in self.values if isinstance(v, numbers.Integral) and not isinstance(v, bool)]
        self.integer = (
            len(ints) == len(self.values)
            and len(self.values) > 1
            and [int(v) for v in self.values] == list(range(int(self.values[0]), int(self.values[0]) + len(self.values)))
        )
        labels = [str(v) for v in self.values]
        if len(set(labels)) != len(labels):
            raise ValueError(f"issue {self.name!r}: two values have the same text {labels}")
        self.labels = labels
        self.span = float(len(self.values) - 1)

    def json(self, as_integer: bool) -> Dict[str, Any]:
        out: Dict[str, Any] = {"id": self.id}
        if self.name != self.id:
            out["name"] = self.name
        if self.continuous:
            out.update(kind="continuous", min=self.values[0], max=self.values[-1])
        elif as_integer:
            out.update(kind="integer", min=int(self.values[0]), max=int(self.values[-1]))
        else:
            out.update(kind="discrete", options=self.labels)
        return out


def _unwrap(ufun: Any, negmas: Any) -> Tuple[Any, Optional[float], Optional[float]]:
    """(the undiscounted ufun, its discount factor or None, the wrapper's
    reserved value or None)."""
    prefs = negmas.preferences
    if isinstance(ufun, prefs.ExpDiscountedUFun):
        d = ufun.discount
        if ufun.factor not in ("step", "relative_time"):
            raise ValueError(
                f"ufun {ufun.name!r}: ExpDiscountedUFun discounting by {ufun.factor!r}; detente's discount is "
                "per normalised time (factor 'relative_time'), and GENIUS's factor read per step is taken as it"
            )
        rv = _finite(ufun.reserved_value)
        inner, d2, rv2 = _unwrap(ufun.ufun, negmas)
        if d2 is not None:
            raise ValueError(f"ufun {ufun.name!r}: discounted twice; detente has one discount factor")
        if d is not None and d != 1.0 and not (0.0 < d <= 1.0):
            raise ValueError(f"ufun {ufun.name!r}: discount {d} is outside (0, 1], detente's range")
        return inner, (None if d is None or d == 1.0 else float(d)), rv if rv is not None else rv2
    if isinstance(ufun, prefs.DiscountedUtilityFunction):
        raise ValueError(
            f"ufun {ufun.name!r}: {type(ufun).__name__} has no detente counterpart "
            "(detente's discount is exponential, ExpDiscountedUFun)"
        )
    return ufun, None, _finite(ufun.reserved_value)


def _finite(x: Any) -> Optional[float]:
    if x is None:
        return None
    x = _number(x)
    return x if math.isfinite(x) else None


def _tables(ufun: Any, issues: List[_Issue], negmas: Any) -> Tuple[List[Row], float, bool]:
    """Per issue, the ``(weight, values)`` of an additive ufun (the value
    function tabulated on the issue's values), its constant (bias), and
    whether the sum is capped at 1; raises TypeError for anything else (the
    caller tabulates mappings)."""
    prefs = negmas.preferences
    if isinstance(ufun, prefs.MappingUtilityFunction) and isinstance(ufun.mapping, CappedUtility):
        tables, bias, _ = _tables(ufun.mapping.inner, issues, negmas)
        return tables, bias, True
    if type(ufun) is not prefs.LinearAdditiveUtilityFunction:
        raise TypeError
    if len(ufun.values) != len(issues):
        raise ValueError(f"ufun {ufun.name!r}: {len(ufun.values)} value functions for {len(issues)} issues")
    tables = []
    affine = (prefs.AffineFun, prefs.LinearFun, prefs.IdentityFun, prefs.ConstFun)
    for issue, f, w in zip(issues, ufun.values, ufun.weights):
        if issue.continuous and not isinstance(f, affine):
            raise ValueError(
                f"ufun {ufun.name!r}: {type(f).__name__} on the continuous issue {issue.name!r}; detente reads "
                "affine value functions there (AffineFun, LinearFun, IdentityFun, ConstFun), which detente's "
                "affine stance is exactly; discretise the issue in NegMAS for any other"
            )
        tables.append((_number(w), [_number(f(v)) for v in issue.values]))
    return tables, _number(getattr(ufun, "_bias", 0.0) or 0.0), False


def _additive(u: Dict[Tuple[Any, ...], float], issues: List[_Issue]) -> Optional[Tuple[List[Row], float]]:
    """The additive decomposition of a tabulated utility, or None when it is
    not additive (within TOLERANCE): terms relative to the first outcome."""
    base = tuple(i.values[0] for i in issues)
    c = u[base]
    tables = []
    for k, issue in enumerate(issues):
        row = []
        for v in issue.values:
            o = base[:k] + (v,) + base[k + 1 :]
            row.append(u[o] - c)
        tables.append((None, row))
    index = [{v: j for j, v in enumerate(i.values)} for i in issues]
    for o, value in u.items():
        guess = c + sum(tables[k][1][index[k][v]] for k, v in enumerate(o))
        if abs(guess - value) > TOLERANCE:
            return None
    return tables, c


def _outcomes(issues: List[_Issue]) -> List[Tuple[Any, ...]]:
    return list(itertools.product(*(i.values for i in issues)))


class _Party:
    def __init__(self, id: str, name: str):
        self.id, self.name = id, name
        self.tables: Optional[List[Row]] = None
        self.bias = 0.0
        self.capped = False
        self.mapping: Optional[Dict[Tuple[Any, ...], float]] = None
        self.reservation: Optional[float] = None
        self.discount: Optional[float] = None


def _rule_literal(issue: _Issue, as_integer: bool, v: Any) -> str:
    if as_integer:
        return str(int(v))
    label = str(v)
    if '"' not in label:
        return f'"{label}"'
    if "'" not in label:
        return f"'{label}'"
    raise ValueError(f"issue {issue.name!r}: the value {label!r} has both quote characters and cannot be named in a rule")


def from_negmas(
    scenario_or_ufuns: Any,
    names: Optional[Sequence[str]] = None,
    *,
    name: Optional[str] = None,
    default_reservation: Optional[float] = None,
) -> "Scenario":
    """A detente scenario from a NegMAS ``Scenario`` or a list of NegMAS
    utility functions sharing one outcome space (``names`` their actor ids;
    the ufuns' names by default).

    Linear-additive ufuns (``LinearAdditiveUtilityFunction``, any value
    functions: they are tabulated on the issues' values) become stances;
    ``MappingUtilityFunction`` too when it is additive over the issues, else
    one interaction term per outcome (at most 10,000 outcomes). Utilities
    must lie in 0-1 on every outcome, detente's range (NegMAS's
    ``ufun.scale_max(1.0)`` scales a ufun with non-negative utilities into it,
    reserved value too). ``ExpDiscountedUFun`` gives the discount factor; a
    ufun without a finite reserved value takes ``default_reservation`` or is
    refused. Anything else raises ``ValueError``
    naming what and why (docs/python.md, "NegMAS interop")."""
    negmas = _negmas()
    from ._api import load

    if isinstance(scenario_or_ufuns, negmas.inout.Scenario):
        ufuns = list(scenario_or_ufuns.ufuns)
        outcome_space = scenario_or_ufuns.outcome_space
        title = name or scenario_or_ufuns.name or getattr(outcome_space, "name", None) or "NegMAS scenario"
        info = scenario_or_ufuns.info or {}
    elif isinstance(scenario_or_ufuns, (list, tuple)):
        ufuns = list(scenario_or_ufuns)
        if not ufuns:
            raise ValueError("from_negmas needs at least one utility function")
        outcome_space = ufuns[0].outcome_space
        if outcome_space is None:
            raise ValueError(f"ufun {ufuns[0].name!r} has no outcome space: give it outcome_space=make_os(...)")
        for u in ufuns[1:]:
            if u.outcome_space is None or u.outcome_space != outcome_space:
                raise ValueError(f"ufun {u.name!r} does not share the first ufun's outcome space")
        title = name or getattr(outcome_space, "name", None) or "NegMAS scenario"
        info = {}
    else:
        raise TypeError(
            f"from_negmas takes a negmas Scenario or a list of NegMAS utility functions, not {type(scenario_or_ufuns).__name__}"
        )
    if not isinstance(outcome_space, negmas.outcomes.CartesianOutcomeSpace):
        raise ValueError(
            f"outcome space {type(outcome_space).__name__}: detente needs a CartesianOutcomeSpace of issues (make_os)"
        )
    if names is not None and len(names) != len(ufuns):
        raise ValueError(f"{len(names)} names for {len(ufuns)} utility functions")

    taken: set = set()
    issues = [_Issue(i, _slug(str(i.name), taken)) for i in outcome_space.issues]
    # Names to_negmas kept in the info (NegMAS names issues and ufuns by id).
    issue_names = info.get("detente_issue_names") or {}
    actor_names = info.get("detente_actor_names") or {}
    for issue in issues:
        issue.name = str(issue_names.get(issue.id, issue.name))
    if not issues:
        raise ValueError("the outcome space has no issues")

    parties: List[_Party] = []
    actor_ids: set = set()
    for k, ufun in enumerate(ufuns):
        label = str(names[k]) if names is not None else str(ufun.name or f"party{k + 1}")
        party = _Party(_slug(label, actor_ids), label)
        party.name = str(actor_names.get(party.id, party.name))
        inner, party.discount, party.reservation = _unwrap(ufun, negmas)
        if party.reservation is None:
            if default_reservation is None:
                raise ValueError(
                    f"ufun {label!r} has no finite reserved value ({ufun.reserved_value}); detente's reservation "
                    "is a utility in 0-1: set ufun.reserved_value, or pass default_reservation=0.0"
                )
            party.reservation = float(default_reservation)
        if not 0.0 <= party.reservation <= 1.0:
            raise ValueError(f"ufun {label!r}: reserved value {party.reservation} is outside 0-1, detente's range")
        try:
            party.tables, party.bias, party.capped = _tables(inner, issues, negmas)
        except TypeError:
            if not isinstance(inner, negmas.preferences.MappingUtilityFunction):
                raise ValueError(
                    f"ufun {label!r}: {type(inner).__name__} is not converted; detente reads "
                    "LinearAdditiveUtilityFunction and MappingUtilityFunction (and either inside "
                    "ExpDiscountedUFun); to tabulate another ufun outcome by outcome, wrap it: "
                    "MappingUtilityFunction(ufun, outcome_space=..., reserved_value=...)"
                ) from None
            party.mapping = _tabulate(inner, issues, label)
            decomposed = _additive(party.mapping, issues)
            if decomposed is not None:
                party.tables, party.bias = decomposed
        parties.append(party)

    # An integer issue stays integer when every party's terms on it are
    # affine (detente's affine stance); otherwise it becomes options.
    as_integer = []
    for k, issue in enumerate(issues):
        ok = issue.integer and all(p.tables is None or _is_affine(p.tables[k][1]) for p in parties)
        as_integer.append(ok)

    doc: Dict[str, Any] = {
        "format": 1,
        "name": str(title),
        "source": "NegMAS " + negmas.__version__,
        "issues": [i.json(a) for i, a in zip(issues, as_integer)],
        "actors": [],
    }
    for party in parties:
        actor: Dict[str, Any] = {"id": party.id}
        if party.name != party.id:
            actor["name"] = party.name
        actor.update(role="party", reservation=party.reservation, normalize=False)
        if party.discount is not None:
            actor["discount"] = party.discount
        if party.tables is not None:
            stances, constant, lo, hi = _stances(party, issues, as_integer)
            if not party.capped and (lo < -TOLERANCE or hi > 1.0 + TOLERANCE):
                raise ValueError(
                    f"ufun {party.name!r}: utilities range from {lo:.17g} to {hi:.17g} on the outcome space; "
                    "detente's utilities lie in 0-1 (in NegMAS, ufun.scale_max(1.0) scales non-negative "
                    "utilities into it, reserved value too)"
                )
            actor["stances"] = stances
            if constant != 0.0:
                if not -1.0 <= constant <= 1.0:
                    raise ValueError(f"ufun {party.name!r}: constant term {constant} is outside -1..1")
                actor["interactions"] = [{"label": "constant", "when": "true", "value": constant, "source": "NegMAS bias"}]
        else:
            actor["stances"] = {}
            actor["interactions"] = _outcome_terms(party, issues, as_integer)
        doc["actors"].append(actor)
    return load(json.dumps(doc, indent=1))


def _tabulate(ufun: Any, issues: List[_Issue], label: str) -> Dict[Tuple[Any, ...], float]:
    for issue in issues:
        if issue.continuous:
            raise ValueError(
                f"ufun {label!r}: a MappingUtilityFunction cannot be tabulated on the continuous issue "
                f"{issue.name!r}; discretise the issue in NegMAS first"
            )
    count = 1
    for i in issues:
        count *= len(i.values)
    outcomes = _outcomes(issues) if count <= 10 * MAX_TABULATED_OUTCOMES else None
    if outcomes is None:
        raise ValueError(
            f"ufun {label!r}: a MappingUtilityFunction on {count} outcomes; detente tabulates at most "
            f"{10 * MAX_TABULATED_OUTCOMES} (write it as a LinearAdditiveUtilityFunction)"
        )
    table = {}
    for o in outcomes:
        u = _number(ufun(o))
        if not (-TOLERANCE <= u <= 1.0 + TOLERANCE):
            raise ValueError(
                f"ufun {label!r}: utility {u} at outcome {o} is outside 0-1, detente's range "
                "(normalise the mapping into 0-1 first)"
            )
        table[o] = u
    return table


def _is_affine(row: List[float]) -> bool:
    n = len(row)
    if n < 2:
        return True
    step = (row[-1] - row[0]) / (n - 1)
    return all(abs(row[0] + step * j - row[j]) <= TOLERANCE for j in range(n))


def _stances(party: _Party, issues: List[_Issue], as_integer: List[bool]):
    """The stances, the constant term and the utility's range. A value
    function already in 0-1 with a weight in 0-1 is written as it is
    (salience = weight); any other as its weighted term scaled into 0-1
    (salience = the largest term), shifted first to a minimum of 0 when it
    goes below 0 or above 1 (salience = the spread), the shifts summed into
    the constant."""
    assert party.tables is not None
    stances: Dict[str, Any] = {}
    constant = party.bias
    lo = hi = party.bias
    for issue, (weight, row), integer in zip(issues, party.tables, as_integer):
        if weight is not None and 0.0 <= weight <= 1.0 and all(0.0 <= v <= 1.0 for v in row):
            salience, values = weight, row
            lo += weight * min(row)
            hi += weight * max(row)
        else:
            terms = row if weight is None else [weight * v for v in row]
            m, big = min(terms), max(terms)
            lo += m
            hi += big
            if m < 0.0 or big > 1.0:
                # Shifted, so the actor gets a constant term (and is no longer
                # linear-additive for the issue-by-issue frontier). The spread
                # is at most the utility's range, so within 1 whenever the
                # range check below passes.
                constant += m
            else:
                m = 0.0
            salience = big - m
            values = [(t - m) / salience for t in terms] if salience else [0.0] * len(terms)
        if salience == 0.0:
            continue
        if integer or issue.continuous:
            stances[issue.id] = {
                "shape": "affine",
                "offset": values[0],
                "slope": (values[-1] - values[0]) / issue.span,
                "salience": salience,
            }
        else:
            stances[issue.id] = {"values": dict(zip(issue.labels, values)), "salience": salience}
    return stances, constant, lo, hi


def _outcome_terms(party: _Party, issues: List[_Issue], as_integer: List[bool]) -> List[Dict[str, Any]]:
    assert party.mapping is not None
    if len(party.mapping) > MAX_TABULATED_OUTCOMES:
        raise ValueError(
            f"ufun {party.name!r}: a MappingUtilityFunction that is not additive over the issues becomes one "
            f"detente interaction term per outcome, at most {MAX_TABULATED_OUTCOMES}; it has {len(party.mapping)}"
        )
    terms = []
    for k, (o, u) in enumerate(party.mapping.items()):
        if u == 0.0:
            continue
        rule = " and ".join(f"{i.id} == {_rule_literal(i, a, v)}" for i, a, v in zip(issues, as_integer, o))
        terms.append({"label": f"outcome{k + 1}", "when": rule, "value": u})
    return terms


# ------------------------------------------------------------------ to NegMAS

# What a detente scenario may hold for to_negmas; any other field is refused
# by name (nothing is dropped silently). Text-only fields are allowed.
_TOP = {"format", "name", "description", "source", "issues", "actors", "status_quo"}
_ISSUE = {"id", "name", "description", "source", "kind", "options", "ordered", "min", "max", "unit"}
_ACTOR = {"id", "name", "description", "source", "role", "capability", "reservation", "normalize", "discount", "stances", "interactions"}
_STANCE = {"salience", "position", "shape", "values", "slope", "offset", "tolerance", "source", "description"}

_WHY = {
    "constraints": "NegMAS ufuns have no hard constraints (a constraint makes outcomes infeasible for everyone)",
    "beliefs": "NegMAS has no beliefs about other parties' preferences",
    "types": "NegMAS has no uncertain actor types",
    "uncertain": "NegMAS has no ranges of judgement",
    "pressures": "NegMAS has no outside pressures",
    "plans": "NegMAS has no staged agreements",
    "calendar": "NegMAS has no calendar",
    "events": "NegMAS has no events that change the scenario",
    "statements": "NegMAS has no public statements",
    "when": "NegMAS issues always apply (a conditional issue has no counterpart)",
    "otherwise": "NegMAS issues always apply (a conditional issue has no counterpart)",
    "ratifiers": "NegMAS has no ratifiers",
    "vetoes": "NegMAS has no veto players",
    "deadline": "NegMAS ufuns have no deadlines",
}


def _refuse(where: str, key: str) -> None:
    why = _WHY.get(key, "NegMAS has no counterpart for it")
    raise ValueError(f"to_negmas: {where} has `{key}`, which cannot be converted: {why}")


def _distance_value(stance: Dict[str, Any], issue: Dict[str, Any], x: Any, shape: str) -> float:
    kind = issue.get("kind", "discrete")
    p = stance["position"]
    if kind == "discrete":
        options = issue["options"]
        if issue.get("ordered", False):
            raw = abs(options.index(x) - options.index(p))
            span = len(options) - 1
        else:
            raw = 0 if x == p else 1
            span = 1
    else:
        raw = abs(x - p)
        span = issue["max"] - issue["min"]
    if shape == "step":
        return 1.0 if raw <= stance.get("tolerance", 0) else 0.0
    d = raw / span if span else 0.0
    return 1.0 - d if shape == "linear" else 1.0 - d * d


def _values(stance: Dict[str, Any], issue: Dict[str, Any], domain: List[Any], where: str) -> List[float]:
    shape = stance.get("shape") or ("table" if "values" in stance else "affine" if ("slope" in stance or "offset" in stance) else "linear")
    if shape == "table":
        return [float(stance["values"][x]) for x in domain]
    if shape == "affine":
        lo = issue["min"]
        return [min(1.0, max(0.0, stance["offset"] + stance["slope"] * (x - lo))) for x in domain]
    if shape in ("linear", "quadratic", "step"):
        return [_distance_value(stance, issue, x, shape) for x in domain]
    raise ValueError(f"to_negmas: {where} has shape {shape!r}, which is not converted")


def _continuous(stance: Dict[str, Any], issue: Dict[str, Any], where: str, affine_fun: Any) -> Tuple[Any, List[float]]:
    """An affine stance on a continuous issue as NegMAS's ``AffineFun``
    (``slope * x + bias`` with ``bias = offset - slope * min``, equal to
    detente's ``offset + slope * (x - min)`` but for rounding) and its values
    at the two ends. Other shapes, and an affine line that the 0-1 clamp
    bends inside the range, have no NegMAS value function: refused."""
    shape = stance.get("shape") or ("affine" if ("slope" in stance or "offset" in stance) else "linear")
    if shape != "affine":
        raise ValueError(
            f"to_negmas: {where} has shape {shape!r} on a continuous issue; only affine stances there have "
            "an exact NegMAS value function (AffineFun): discretise the issue (options, or an integer issue)"
        )
    lo, hi = float(issue["min"]), float(issue["max"])
    offset, slope = float(stance["offset"]), float(stance["slope"])
    ends = [offset, offset + slope * (hi - lo)]
    if not all(0.0 <= v <= 1.0 for v in ends):
        raise ValueError(
            f"to_negmas: {where} leaves 0-1 inside the issue's range ({ends[0]} to {ends[1]}), where detente "
            "clamps it; NegMAS's AffineFun does not clamp"
        )
    return affine_fun(slope=slope, bias=offset - slope * lo), ends


def to_negmas(scenario: "Scenario") -> Any:
    """The scenario as a NegMAS ``Scenario`` (see ``Scenario.to_negmas``)."""
    negmas = _negmas()
    from negmas.outcomes import make_issue, make_os
    from negmas.preferences import ExpDiscountedUFun, HyperRectangleUtilityFunction

    doc = json.loads(scenario.to_json())
    for key in doc:
        if key not in _TOP:
            _refuse("the scenario", key)
    issues = doc["issues"]
    domains: List[List[Any]] = []
    negmas_issues = []
    for issue in issues:
        for key in issue:
            if key not in _ISSUE:
                _refuse(f"issue {issue['id']!r}", key)
        kind = issue.get("kind", "discrete")
        if kind == "discrete":
            domain: List[Any] = list(issue["options"])
            negmas_issues.append(make_issue(domain, name=issue["id"]))
        elif kind == "integer":
            domain = list(range(int(issue["min"]), int(issue["max"]) + 1))
            negmas_issues.append(make_issue((int(issue["min"]), int(issue["max"])), name=issue["id"]))
        else:
            # Continuous: only affine stances, as AffineFun (see _continuous).
            domain = []
            negmas_issues.append(make_issue((float(issue["min"]), float(issue["max"])), name=issue["id"]))
        domains.append(domain)
    outcome_space = make_os(negmas_issues, name=doc["name"])

    status_quo_utilities: Optional[Dict[str, float]] = None
    ufuns = []
    for actor in doc["actors"]:
        where = f"actor {actor['id']!r}"
        rectangles = "rectangles" in actor
        for key in actor:
            if key not in _ACTOR and not (rectangles and key in ("rectangles", "max_utility")):
                _refuse(where, key)
        role = actor.get("role", "party")
        if role != "party":
            raise ValueError(
                f"to_negmas: {where} is a {role}; NegMAS ufuns are all negotiating parties (a {role} "
                "accepts by a different rule)"
            )
        reservation = actor.get("reservation", 0.0)
        if reservation == "status-quo":
            if status_quo_utilities is None:
                status_quo_utilities = scenario.utilities({})
            reservation = status_quo_utilities[actor["id"]]
        if rectangles:
            ufun = _rectangles(actor, issues, where, outcome_space, reservation, HyperRectangleUtilityFunction)
        else:
            ufun = _additive_ufun(actor, issues, domains, where, outcome_space, reservation)
        discount = actor.get("discount", 1.0)
        if discount != 1.0:
            ufun = ExpDiscountedUFun(
                ufun,
                discount=discount,
                factor="relative_time",
                outcome_space=outcome_space,
                reserved_value=reservation,
                name=actor["id"],
            )
        ufuns.append(ufun)
    # What NegMAS has no field for but does not change a utility is carried
    # in the scenario's info (from_negmas reads the names back).
    info: Dict[str, Any] = {"source": "detente", "file": scenario.file}
    capabilities = {a["id"]: a["capability"] for a in doc["actors"] if a.get("capability", 1.0) != 1.0}
    if capabilities:
        info["detente_capability"] = capabilities
    if "status_quo" in doc:
        info["detente_status_quo"] = doc["status_quo"]
    for what, items in (("issue", issues), ("actor", doc["actors"])):
        names = {x["id"]: x["name"] for x in items if x.get("name", x["id"]) != x["id"]}
        if names:
            info[f"detente_{what}_names"] = names
    return negmas.inout.Scenario(outcome_space=outcome_space, ufuns=tuple(ufuns), name=doc["name"], info=info)


def _rectangles(
    actor: Dict[str, Any], issues: List[Dict[str, Any]], where: str, outcome_space: Any, reservation: float, hyper: Any
) -> Any:
    """A rectangles actor as NegMAS's ``HyperRectangleUtilityFunction``.
    NegMAS tests a range ``(lo, hi)`` exclusively, so a detente bound
    ``[lo, hi]`` on an integer issue becomes ``(lo - 0.5, hi + 0.5)``, the
    same integers; each utility is divided by ``max_utility``; and when the
    credits can sum past 1, the ufun is capped as detente caps it (a
    ``MappingUtilityFunction`` of ``CappedUtility``). Excluding rectangles
    and bounds on other issues are refused."""
    from negmas.preferences import MappingUtilityFunction

    index = {issue["id"]: k for k, issue in enumerate(issues)}
    top = float(actor["max_utility"])
    ranges, utilities = [], []
    for n, rect in enumerate(actor["rectangles"]):
        here = f"{where}'s rectangle {n + 1}"
        for key in rect:
            if key not in ("utility", "bounds", "exclude", "source", "description"):
                _refuse(here, key)
        if rect.get("exclude", False):
            raise ValueError(
                f"to_negmas: {here} excludes (GENIUS <EXCLUDES>, crediting the outcomes outside it); "
                "NegMAS's HyperRectangleUtilityFunction credits only the outcomes inside its ranges"
            )
        box = {}
        for issue_id, (lo, hi) in rect.get("bounds", {}).items():
            issue = issues[index[issue_id]]
            if issue.get("kind") != "integer":
                raise ValueError(
                    f"to_negmas: {here} bounds the {issue.get('kind', 'discrete')} issue {issue_id!r}; NegMAS tests "
                    "ranges exclusively, which matches detente's inclusive bounds only on integer issues"
                )
            box[index[issue_id]] = (lo - 0.5, hi + 0.5)
        ranges.append(box)
        utilities.append(float(rect["utility"]) / top)
    ufun = hyper(outcome_ranges=ranges, utilities=utilities, outcome_space=outcome_space, reserved_value=reservation, name=actor["id"])
    if sum(u for u in utilities if u > 0.0) > 1.0:
        ufun = MappingUtilityFunction(CappedUtility(ufun), outcome_space=outcome_space, reserved_value=reservation, name=actor["id"])
    return ufun


def _additive_ufun(
    actor: Dict[str, Any], issues: List[Dict[str, Any]], domains: List[List[Any]], where: str, outcome_space: Any, reservation: float
) -> Any:
    """An additive actor as a ``LinearAdditiveUtilityFunction`` (capped when
    its weighted values can sum past 1)."""
    from negmas.preferences import AffineFun, ConstFun, LinearAdditiveUtilityFunction, MappingUtilityFunction, TableFun

    bias = 0.0
    for term in actor.get("interactions", []):
        if term["when"].strip() != "true":
            raise ValueError(
                f"to_negmas: {where} has the interaction term {term['label']!r} (when {term['when']}); "
                "a term over a region of outcomes has no NegMAS linear-additive counterpart "
                "(only a constant term, when = \"true\", becomes the ufun's bias)"
            )
        bias += float(term["value"])
    stances = actor.get("stances", {})
    saliences = {k: float(s["salience"]) for k, s in stances.items()}
    total = sum(saliences.values())
    normalize = actor.get("normalize", True) and total > 0
    values = []
    weights = []
    best = lowest = bias
    for issue, domain in zip(issues, domains):
        stance = stances.get(issue["id"])
        continuous = issue.get("kind") == "continuous"
        if stance is None:
            values.append(ConstFun(0.0) if continuous else TableFun({x: 0.0 for x in domain}))
            weights.append(0.0)
            continue
        for key in stance:
            if key not in _STANCE:
                _refuse(f"{where}'s stance on {issue['id']!r}", key)
        if continuous:
            fun, row = _continuous(stance, issue, f"{where}'s stance on {issue['id']!r}", AffineFun)
        else:
            row = _values(stance, issue, domain, f"{where}'s stance on {issue['id']!r}")
            fun = TableFun(dict(zip(domain, row)))
        w = saliences[issue["id"]] / total if normalize else saliences[issue["id"]]
        values.append(fun)
        weights.append(w)
        best += w * max(row)
        lowest += w * min(row)
    linear = LinearAdditiveUtilityFunction(
        values, weights, bias=bias, outcome_space=outcome_space, reserved_value=reservation, name=actor["id"]
    )
    if best > 1.0 or lowest < 0.0:
        # detente clamps the sum to 0-1; NegMAS's linear ufun does not.
        ufun: Any = MappingUtilityFunction(
            CappedUtility(linear) if lowest >= 0.0 else _Clamped(linear),
            outcome_space=outcome_space,
            reserved_value=reservation,
            name=actor["id"],
        )
    else:
        ufun = linear
    return ufun


class _Clamped(CappedUtility):
    """``clamp(inner(outcome), 0, 1)``, detente's clamp when a constant term
    is negative."""

    def __call__(self, outcome: Any) -> float:
        return max(0.0, min(1.0, float(self.inner(outcome))))
