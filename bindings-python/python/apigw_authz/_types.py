"""The shapes of what apigw_authz returns, for type checkers.

Every function returns plain dicts and lists equal to the Rust JSON (``scenario-format.md``, "Decision";
``docs/contract-extensions.md``, "Suite report"), with the same keys in the same order, so
``json.dumps(apigw_authz.authorize(s), separators=(",", ":"), ensure_ascii=False)`` is byte for byte what
``apigw-authz authorize`` prints (explanations hold non-ASCII characters such as ``→``). These ``TypedDict`` classes only describe those dicts; nothing is converted at run time.
"""

from __future__ import annotations

from typing import Any, List, Literal, Mapping, Optional, TypedDict, Union

__all__ = [
    "JsonInput",
    "Outcome",
    "StatementRef",
    "Check",
    "StatementTrace",
    "Step",
    "Decision",
    "IamDecision",
    "Difference",
    "CaseReport",
    "SuiteReport",
    "Diagnostic",
]

#: JSON input: text (``str``, or UTF-8 ``bytes``; errors then carry line and column) or the parsed value.
JsonInput = Union[str, bytes, Mapping[str, Any]]

#: The outcome class of a request.
Outcome = Literal[
    "Allow",
    "ExplicitDeny",
    "ImplicitDeny",
    "Unauthenticated",
    "AuthorizerError",
    "NoRoute",
    "UriTooLong",
]


class StatementRef(TypedDict):
    """A statement that decided: the Deny that denied, or the Allows that allowed."""

    policy: str
    index: int
    sid: Optional[str]
    effect: str


class Check(TypedDict):
    """One element of a statement (Principal, Action, Resource or a condition) and whether it matched."""

    element: str
    matched: bool
    detail: str


class StatementTrace(TypedDict):
    """One statement considered in a step, and exactly why it did or did not apply."""

    policy: str
    index: int
    sid: Optional[str]
    effect: str
    applies: bool
    line: Optional[int]
    column: Optional[int]
    checks: List[Check]


class Step(TypedDict):
    """One step of API Gateway's order of checks."""

    step: str
    summary: str
    outcome: str
    statements: List[StatementTrace]
    notes: List[str]


class Decision(TypedDict):
    """The decision JSON of one API Gateway request."""

    decision: Outcome
    statusCode: int
    responseType: Optional[str]
    errorType: Optional[str]
    message: Optional[str]
    body: Optional[str]
    methodArn: Optional[str]
    caller: str
    authorizerInvoked: bool
    decisive: List[StatementRef]
    explanation: List[Step]
    warnings: List[str]


class IamDecision(TypedDict):
    """The decision JSON of a general IAM question (a scenario with ``resources`` instead of ``api``)."""

    decision: Literal["Allow", "ExplicitDeny", "ImplicitDeny"]
    caller: str
    action: str
    resource: str
    decisive: List[StatementRef]
    explanation: List[Step]
    warnings: List[str]


class Difference(TypedDict):
    """A field of a case's ``expect`` whose actual value differs."""

    field: str
    expected: Any
    actual: Any


class CaseReport(TypedDict):
    """One case of a suite: its decision and what differed from ``expect``."""

    name: str
    description: Optional[str]
    passed: bool
    decision: Union[Decision, IamDecision]
    differences: List[Difference]


class SuiteReport(TypedDict):
    """What :func:`apigw_authz.run_suite` returns."""

    description: Optional[str]
    passed: int
    failed: int
    cases: List[CaseReport]


class _DiagnosticFields(TypedDict):
    severity: Literal["error", "warning"]
    code: str
    message: str
    path: str
    line: Optional[int]
    column: Optional[int]
    endLine: Optional[int]
    endColumn: Optional[int]


class Diagnostic(_DiagnosticFields, total=False):
    """A finding about a policy document, with its line:column range; ``help`` is present only when there is
    advice."""

    help: str
