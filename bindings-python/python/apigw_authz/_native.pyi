"""The native part of the `apigw_authz` package (Rust, PyO3); import `apigw_authz` instead."""

from collections.abc import Iterable
from typing import Any, final, overload

from apigw_authz._types import Decision, Diagnostic, IamDecision, JsonInput, SuiteReport

__all__ = [
    "Api",
    "Request",
    "__version__",
    "_decide_for_cli",
    "_panic_for_tests",
    "_suite_for_cli",
    "authorize",
    "authorize_iam",
    "authorize_json",
    "explain",
    "run_suite",
    "validate_policy",
]

__version__: str

def authorize(scenario: JsonInput, /) -> Decision:
    """Decide one scenario (the JSON contract with a `request`) and return the decision JSON as a dict."""

def authorize_iam(scenario: JsonInput, /) -> IamDecision:
    """Decide a general IAM scenario (`resources` instead of `api`)."""

def authorize_json(scenario: JsonInput, /) -> str:
    """Decide one scenario (either kind) and return the decision JSON as text, byte for byte the command line's."""

def explain(scenario: JsonInput, /) -> str:
    """The decision of one scenario explained for a person."""

def run_suite(suite: JsonInput, /) -> SuiteReport:
    """Run a policy test suite and return the suite report."""

def validate_policy(text: str | bytes, kind: str = "resource") -> list[Diagnostic]:
    """Diagnostics for one policy document given as JSON text."""

def _decide_for_cli(scenario: JsonInput, /, *, text: bool) -> str:
    """The core's compact JSON (or explanation text) of either kind of scenario (`python -m apigw_authz`)."""

def _suite_for_cli(
    suite: JsonInput, /, file: str, verbose: bool = ..., case: str | None = ...
) -> tuple[str, str]:
    """The suite report as the core's JSON, and the text the command line prints for it (or for one case)."""

def _panic_for_tests(message: str, /) -> None:
    """Raise a Rust panic inside the guard (tests only)."""

@final
class Request:
    """A request read once by `Api.parse_request`, to be decided many times by the `Api` that read it."""

@final
class Api:
    """An API compiled once, then asked about many requests."""

    def __new__(cls, config: JsonInput, /) -> Api: ...
    def parse_request(self, request: JsonInput, /) -> Request:
        """Read a request once, to decide it many times."""
    def authorize(self, request: JsonInput | Request, /, *, explain: bool = True) -> Decision:
        """Decide one request and return the decision JSON as a dict."""
    @overload
    def authorize_many(
        self,
        requests: Iterable[JsonInput | Request],
        /,
        *,
        explain: bool = True,
        fields: None = None,
    ) -> list[Decision]:
        """Decide many requests with the GIL released and return their decisions, in order."""
    @overload
    def authorize_many(
        self,
        requests: Iterable[JsonInput | Request],
        /,
        *,
        explain: bool = True,
        fields: Iterable[str],
    ) -> list[dict[str, Any]]:
        """The same, keeping only the named decision fields in each dict."""
    def explain(self, request: JsonInput | Request, /) -> str:
        """The decision of one request explained for a person."""
