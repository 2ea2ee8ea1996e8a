"""detente for Python: negotiation analysis over the detente engine.

Load a scenario, then ask the same questions as the ``detente`` command::

    import detente
    kuril = detente.load("scenarios/kuril-2019.toml")
    a = kuril.analyze(set={"japan.reservation": 0.5})
    a.verdict           # the verdict in plain words
    a.blockers          # a DataFrame: the smallest changes that open a deal
    kuril.forecast("eum-replication").rounds
    kuril.negotiate({"japan": "conceder"}, rounds=50, seed=7).offers
    kuril.report("kuril.html")

Every call is a thin shell over the engine calls the CLI makes and returns the
same JSON documents (``.document``); see ``docs/python.md``.
"""

from ._api import Analysis, Forecast, Negotiation, Robustness, Scenario, load, models, strategies
from ._native import NegotiationState, NegotiatorInfo, UtilityFunction
from ._negotiator import Negotiator, ResponseType
from ._tournament import Tournament, tournament
from ._errors import DetenteError, Diagnostic, EngineError, ScenarioError
from ._negmas import from_negmas
from ._native import __version__

__all__ = [
    "load",
    "models",
    "strategies",
    "tournament",
    "Tournament",
    "ResponseType",
    "Negotiator",
    "NegotiationState",
    "NegotiatorInfo",
    "UtilityFunction",
    "Scenario",
    "Analysis",
    "Forecast",
    "Negotiation",
    "Robustness",
    "Diagnostic",
    "DetenteError",
    "ScenarioError",
    "EngineError",
    "__version__",
    "from_negmas",
]
