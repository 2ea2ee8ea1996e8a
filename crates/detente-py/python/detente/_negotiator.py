"""Negotiators written in Python: the answers ``respond`` gives.

A negotiator is any object (or class) with ``propose(state)`` and
``respond(state, offer)``, NegMAS's names; see ``docs/python.md``,
"Negotiators written in Python". The engine calls it with the GIL held for
each call; ``state`` is a :class:`NegotiationState`, offers are dicts
``{issue: value label}``, and ``self.ufun`` / ``self.info`` (set before the
first call, also handed to ``on_start(info)``) give its own utilities and the
public structure, never another party's utilities.
"""

from __future__ import annotations

import enum
from typing import Any, Dict, Mapping, Protocol, Union


class ResponseType(enum.Enum):
    """What ``respond`` answers, with NegMAS's member names.

    ``respond`` may also return the strings ``"accept"``, ``"reject"`` and
    ``"end"`` (any case), or a NegMAS ``ResponseType`` member.

    >>> import detente
    >>> detente.ResponseType.ACCEPT_OFFER.value
    'accept'
    """

    ACCEPT_OFFER = "accept"
    REJECT_OFFER = "reject"
    END_NEGOTIATION = "end"


class Negotiator(Protocol):
    """What a negotiator written in Python defines: ``propose(state)``, an
    offer (a dict ``{issue: value}`` or an outcome index; ``None`` walks
    away), and ``respond(state, offer)``, ``"accept"``, ``"reject"`` or
    ``"end"``. Optional: ``on_start(info)`` (a :class:`NegotiatorInfo`),
    ``on_offer(state, offer, by)`` (every offer another party makes, ``by``
    its id) and, for the mediated protocol, ``vote(state, current, proposal)``.
    Subclassing it is not required.

    >>> import detente
    >>> class Stubborn:
    ...     def propose(self, state):
    ...         return self.ufun.best()
    ...     def respond(self, state, offer):
    ...         return "accept" if self.ufun(offer) >= 0.9 else "reject"
    >>> n = detente.load("scenarios/anac/Laptop").negotiate({"laptop_buyer_utility": Stubborn}, rounds=20)
    >>> n.document["strategies"]["laptop_buyer_utility"]["strategy"]
    'Stubborn'
    """

    def propose(self, state: Any) -> Union[None, int, Mapping[str, Any]]: ...

    def respond(self, state: Any, offer: Dict[str, str]) -> Union[str, ResponseType]: ...


def is_negotiator(obj: object) -> bool:
    """Whether ``obj`` is a negotiator (class or instance): it has ``propose``
    and ``respond`` and is not a strategy spec string."""
    return not isinstance(obj, str) and hasattr(obj, "propose") and hasattr(obj, "respond")
