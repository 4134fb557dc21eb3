"""apigw_authz: decide, exactly as Amazon API Gateway would, whether a request to a REST API is allowed, and
explain why.

No AWS account, no network: policies, API settings and a request go in (the scenario JSON of
``scenario-format.md``, as a dict or as JSON text); the decision JSON comes out as a dict, equal to what the Rust
library and the ``apigw-authz`` command line return. The engine is the Rust core; this package only converts.

Quick start::

    import apigw_authz

    decision = apigw_authz.authorize({
        "api": {"id": "a1b2c3d4e5", "accountId": "111122223333", "region": "us-east-1"},
        "request": {"httpMethod": "GET", "path": "/pets", "stage": "prod", "sourceIp": "203.0.113.7"},
    })
    decision["statusCode"]          # 200

    api = apigw_authz.Api(config)   # compile once...
    api.authorize(request)          # ...decide many times
    api.authorize_many(requests, explain=False)   # the fast path, GIL released

Bad input raises a subclass of :class:`Error` (``InvalidJson``, ``InvalidPolicy``, ``InvalidScenario``,
``InvalidArgument``, ``InternalError``) carrying ``code``, ``message``, ``path``, ``line``, ``column`` and
``help``.
"""

from apigw_authz._errors import (
    Error,
    InternalError,
    InvalidArgument,
    InvalidJson,
    InvalidPolicy,
    InvalidScenario,
)
from apigw_authz._native import (
    Api,
    Request,
    __version__,
    authorize,
    authorize_iam,
    authorize_json,
    explain,
    run_suite,
    validate_policy,
)
from apigw_authz._types import (
    CaseReport,
    Check,
    Decision,
    Diagnostic,
    Difference,
    IamDecision,
    JsonInput,
    Outcome,
    StatementRef,
    StatementTrace,
    Step,
    SuiteReport,
)

__all__ = [
    "Api",
    "CaseReport",
    "Check",
    "Decision",
    "Diagnostic",
    "Difference",
    "Error",
    "IamDecision",
    "InternalError",
    "InvalidArgument",
    "InvalidJson",
    "InvalidPolicy",
    "InvalidScenario",
    "JsonInput",
    "Outcome",
    "Request",
    "StatementRef",
    "StatementTrace",
    "Step",
    "SuiteReport",
    "__version__",
    "authorize",
    "authorize_iam",
    "authorize_json",
    "explain",
    "run_suite",
    "validate_policy",
]
