"""The exceptions detente raises, and the diagnostics a scenario error carries.

Defined in Python so that :class:`ScenarioError` is both a
:class:`DetenteError` and a :class:`ValueError`; the Rust extension raises
them by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

__all__ = ["DetenteError", "ScenarioError", "EngineError", "Diagnostic"]


@dataclass(frozen=True)
class Diagnostic:
    """One problem in a scenario, as ``detente check --format json`` reports it.

    ``line`` and ``column`` are 1-based and ``None`` for a diagnostic that
    points at no place (a whole-scenario problem). ``file`` is the file the
    position refers to (a GENIUS folder has several).

    >>> import detente
    >>> err = None
    >>> try:
    ...     detente.load('format = 1\\nname = "x"\\n[[issues]]\\nid = 3\\n')
    ... except detente.ScenarioError as e:
    ...     err = e
    >>> d = err.diagnostics[0]
    >>> (d.severity, d.line, d.column) == ("error", 4, 6)
    True
    """

    code: str
    severity: str
    message: str
    file: str
    line: Optional[int] = None
    column: Optional[int] = None
    end_line: Optional[int] = None
    end_column: Optional[int] = None
    label: Optional[str] = None
    help: Optional[str] = None
    related: Tuple[Dict[str, Any], ...] = field(default_factory=tuple)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Diagnostic":
        """Builds a diagnostic from one entry of the ``file_json`` document."""
        span = d.get("span") or {}
        return cls(
            code=d["code"],
            severity=d["severity"],
            message=d["message"],
            file=d.get("file", ""),
            line=span.get("line"),
            column=span.get("column"),
            end_line=span.get("end_line"),
            end_column=span.get("end_column"),
            label=d.get("label"),
            help=d.get("help"),
            related=tuple(d.get("related") or ()),
        )

    def to_dict(self) -> Dict[str, Any]:
        """The fields as a plain dict (for DataFrames and JSON)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "label": self.label,
            "help": self.help,
        }

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}:{self.column}"
        text = f"{place}: {self.severity}[{self.code}]: {self.message}"
        if self.help:
            text += f" (help: {self.help})"
        return text


class DetenteError(Exception):
    """Base class of detente's own exceptions."""


class ScenarioError(DetenteError, ValueError):
    """A scenario that does not load: every diagnostic is in ``.diagnostics``.

    ``str(err)`` lists them one per line as ``file:line:column: severity[code]:
    message (help: …)``; ``.document`` is the ``detente check --format json``
    document of the file.
    """

    def __init__(self, message: str, document: Dict[str, Any]):
        self.document = document
        self.diagnostics: List[Diagnostic] = [Diagnostic.from_json(d) for d in document.get("diagnostics", [])]
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return "\n".join([self.message] + [f"  {d}" for d in self.diagnostics])


class EngineError(DetenteError, RuntimeError):
    """The engine refused or could not do the work (an outcome space over
    ``max_outcomes``, a plot with nothing to draw); the message is the
    engine's own."""
