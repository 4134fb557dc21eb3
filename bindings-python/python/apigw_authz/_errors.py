"""The exceptions of apigw_authz: one hierarchy, each error with where it is.

Bad input never yields a decision; it raises a subclass of :class:`Error` carrying the core error's stable
``code``, its ``message``, the JSON ``path`` of the offending value and, when the input was JSON text, the
``line`` and ``column``. The native module raises these classes (it imports them from here), so every front
of the package raises the same types.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

__all__ = [
    "Error",
    "InvalidJson",
    "InvalidPolicy",
    "InvalidScenario",
    "InvalidArgument",
    "InternalError",
]


class Error(Exception):
    """Base class of every apigw_authz error.

    Attributes:
        code: the stable error code: ``invalid-json``, ``invalid-policy``, ``invalid-scenario``,
            ``invalid-argument`` or ``internal``.
        message: what is wrong, written for a person.
        path: JSON pointer of the offending value, e.g. ``/api/policy/Statement/1/Condition``; ``""`` for
            the root.
        line: 1-based line in the input text, when the input was text; otherwise ``None``.
        column: 1-based column (in characters) in the input text, when the input was text; otherwise ``None``.
        help: extra advice, kept apart from the message; ``None`` when there is none.
    """

    code: str
    message: str
    path: str
    line: Optional[int]
    column: Optional[int]
    help: Optional[str]

    #: The code of errors of this class (subclasses narrow it).
    default_code = "internal"

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        path: str = "",
        line: Optional[int] = None,
        column: Optional[int] = None,
        help: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code if code is not None else self.default_code
        self.path = path
        self.line = line
        self.column = column
        self.help = help

    def __str__(self) -> str:
        # The same text as the Rust error's Display, so the CLI and Python print alike.
        out = f"{self.code}: {self.message}"
        where = f"line {self.line} column {self.column}" if self.line is not None and self.column is not None else ""
        if self.path:
            out += f" (at `{self.path}`" + (f", {where}" if where else "") + ")"
        elif where:
            out += f" ({where})"
        if self.help is not None:
            out += f"\n  help: {self.help}"
        return out

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, code={self.code!r}, path={self.path!r}, "
            f"line={self.line!r}, column={self.column!r}, help={self.help!r})"
        )

    def to_dict(self) -> Dict[str, Any]:
        """The error as the JSON object the command line prints (``help`` only when present)."""
        out: Dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
        }
        if self.help is not None:
            out["help"] = self.help
        return out


class InvalidJson(Error):
    """The input is not JSON (or not a JSON value: a ``set``, ``NaN``, a non-``str`` key), or breaks a JSON
    rule the engine enforces: duplicate keys, nesting depth, size. Code ``invalid-json``."""

    default_code = "invalid-json"


class InvalidPolicy(Error):
    """A policy document is not a valid IAM policy. Code ``invalid-policy``."""

    default_code = "invalid-policy"


class InvalidScenario(Error):
    """The scenario, suite, API configuration or request does not follow the JSON contract. Code
    ``invalid-scenario``."""

    default_code = "invalid-scenario"


class InvalidArgument(Error):
    """A function was called with an argument it does not accept (an unknown policy kind, a ``Request``
    read by another ``Api``). Code ``invalid-argument``."""

    default_code = "invalid-argument"


class InternalError(Error):
    """The engine failed in a way it should not (a bug, including a Rust panic), reported rather than
    crashing. Code ``internal``."""

    default_code = "internal"
