"""Type stubs of the detente package (see docs/python.md)."""

import enum
import os
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Protocol, Sequence, Tuple, Union

import pandas

__version__: str

PathOrText = Union[str, os.PathLike[str]]
Edits = Union[None, str, Sequence[str], Mapping[str, Any]]
Labels = Union[None, str, Iterable[str]]
Outcome = Union[int, Mapping[str, Any]]

def load(path_or_text: PathOrText) -> Scenario: ...
def models() -> List[str]: ...
def strategies() -> List[str]: ...
def tournament(
    scenarios: Union[Scenario, PathOrText, Sequence[Union[Scenario, PathOrText]]],
    strategies: Union[str, Iterable[Union[str, Negotiator]]] = "boulware,linear,conceder,tit-for-tat",
    reps: int = 1,
    seed: int = 0,
    rounds: int = 100,
    protocol: str = "alternating",
    client: Optional[Any] = None,
    *,
    max_outcomes: int = 5_000_000,
    resolution: int = 11,
    shards: Optional[int] = None,
) -> Tournament: ...

class Tournament:
    lines: List[str]
    document: Dict[str, Any]
    text: str
    @property
    def records(self) -> pandas.DataFrame: ...
    @property
    def summary(self) -> pandas.DataFrame: ...
    def plot(self) -> str: ...
    def _repr_svg_(self) -> Optional[str]: ...

class ResponseType(enum.Enum):
    ACCEPT_OFFER = "accept"
    REJECT_OFFER = "reject"
    END_NEGOTIATION = "end"

class NegotiationState:
    step: int
    round: int
    relative_time: float
    own_time: float
    current_offer: Optional[Dict[str, str]]
    current_offer_index: Optional[int]
    current_proposer: Optional[str]
    n_negotiators: int

class UtilityFunction:
    reservation: float
    discount: float
    def __call__(self, outcome: Outcome) -> float: ...
    def max(self) -> float: ...
    def min(self) -> float: ...
    def best(self) -> Dict[str, str]: ...
    def allows(self, outcome: Outcome) -> bool: ...

class NegotiatorInfo:
    me: str
    slot: int
    parties: List[str]
    issues: List[str]
    values: Dict[str, List[str]]
    n_outcomes: int
    rounds: int
    seed: int
    ufun: UtilityFunction
    def outcome(self, index: int) -> Dict[str, str]: ...
    def index(self, outcome: Outcome) -> int: ...

class Negotiator(Protocol):
    """What a negotiator written in Python defines (a class or an instance;
    optional: ``on_start(info)``, ``on_offer(state, offer, by)``,
    ``vote(state, current, proposal)``)."""
    def propose(self, state: NegotiationState) -> Union[None, int, Mapping[str, Any]]: ...
    def respond(self, state: NegotiationState, offer: Dict[str, str]) -> Union[str, ResponseType]: ...

@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: str
    message: str
    file: str
    line: Optional[int] = ...
    column: Optional[int] = ...
    end_line: Optional[int] = ...
    end_column: Optional[int] = ...
    label: Optional[str] = ...
    help: Optional[str] = ...
    related: Tuple[Dict[str, Any], ...] = ...
    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> Diagnostic: ...
    def to_dict(self) -> Dict[str, Any]: ...

class DetenteError(Exception): ...

class ScenarioError(DetenteError, ValueError):
    message: str
    document: Dict[str, Any]
    diagnostics: List[Diagnostic]
    def __init__(self, message: str, document: Dict[str, Any]) -> None: ...

class EngineError(DetenteError, RuntimeError): ...

class Scenario:
    @property
    def name(self) -> str: ...
    @property
    def file(self) -> str: ...
    @property
    def actors(self) -> List[str]: ...
    @property
    def issues(self) -> List[str]: ...
    @property
    def outcome_count(self) -> Optional[int]: ...
    def check(self) -> List[Diagnostic]: ...
    def analyze(
        self,
        set: Edits = None,
        drop: Labels = None,
        *,
        max_outcomes: int = 2_000_000_000,
        top: int = 5,
        resolution: int = 11,
        plans: bool = True,
        firmness: bool = False,
    ) -> Analysis: ...
    def forecast(
        self,
        model: Labels = None,
        *,
        monte_carlo: Optional[int] = None,
        seed: int = 1,
        rounds: Optional[int] = None,
        perturb: Labels = None,
        max_outcomes: int = 2_000_000,
        max_perturbed: int = 10_000_000,
        client: Any = None,
        shards: Optional[int] = None,
    ) -> Forecast: ...
    def negotiate(
        self,
        strategies: Union[None, str, Iterable[str], Mapping[str, Union[str, Negotiator]], Negotiator] = None,
        *,
        rounds: int = 100,
        seed: int = 1,
        protocol: str = "alternating",
        default_strategy: str = "boulware",
        first: Optional[str] = None,
        set: Edits = None,
        drop: Labels = None,
        say: Labels = None,
        max_outcomes: int = 5_000_000,
        resolution: int = 11,
    ) -> Negotiation: ...
    def robustness(
        self,
        vary: Labels = None,
        *,
        samples: int = 1024,
        seed: int = 0,
        max_outcomes: int = 2_000_000_000,
        resolution: int = 11,
        client: Any = None,
        shards: Optional[int] = None,
    ) -> Robustness: ...
    def report(
        self,
        path: Union[str, os.PathLike[str]],
        *,
        set: Edits = None,
        drop: Labels = None,
        format: Optional[str] = None,
        max_outcomes: int = 2_000_000_000,
    ) -> str: ...
    def utilities(self, outcome: Mapping[str, Union[str, int, float]]) -> Dict[str, float]: ...
    def to_toml(self) -> str: ...
    def to_json(self) -> str: ...
    def to_negmas(self) -> Any: ...
    def _repr_html_(self) -> str: ...

class Analysis:
    scenario: Scenario
    @property
    def document(self) -> Dict[str, Any]: ...
    verdict: str
    text: str
    @property
    def deal_exists(self) -> bool: ...
    @property
    def outcomes(self) -> pandas.DataFrame: ...
    @property
    def frontier(self) -> pandas.DataFrame: ...
    @property
    def solutions(self) -> pandas.DataFrame: ...
    @property
    def blockers(self) -> pandas.DataFrame: ...
    def plot(self) -> str: ...
    def _repr_html_(self) -> str: ...

class Forecast:
    scenario: Scenario
    document: Dict[str, Any]
    models: List[str]
    @property
    def rounds(self) -> pandas.DataFrame: ...
    @property
    def forecasts(self) -> pandas.DataFrame: ...
    def plot(self, model: Optional[str] = None, kind: str = "trajectories") -> str: ...
    def _repr_svg_(self) -> Optional[str]: ...

class Negotiation:
    scenario: Scenario
    document: Dict[str, Any]
    @property
    def result(self) -> Dict[str, Any]: ...
    @property
    def agreement(self) -> Optional[Dict[str, Any]]: ...
    @property
    def trace(self) -> pandas.DataFrame: ...
    @property
    def offers(self) -> pandas.DataFrame: ...
    def plot(self) -> str: ...
    def plot_posterior(self) -> Optional[str]: ...
    def _repr_svg_(self) -> Optional[str]: ...

class Robustness:
    scenario: Scenario
    document: Dict[str, Any]
    text: str
    @property
    def deal_share(self) -> float: ...
    @property
    def parameters(self) -> pandas.DataFrame: ...
    @property
    def boxes(self) -> pandas.DataFrame: ...
    def plot(self) -> str: ...
    def _repr_svg_(self) -> Optional[str]: ...

# NegMAS interop (detente._negmas; docs/python.md, "NegMAS interop"). negmas
# is optional, so its types are Any here; Scenario.to_negmas is declared in
# the class above.
def from_negmas(
    scenario_or_ufuns: Any,
    names: Optional[Sequence[str]] = None,
    *,
    name: Optional[str] = None,
    default_reservation: Optional[float] = None,
) -> Scenario: ...
