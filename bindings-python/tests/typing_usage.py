"""Type-checked with `mypy --strict` by test.sh (not a pytest module): the stubs describe the package as a user
writes against it."""

from __future__ import annotations

import json
from typing import List, Optional

import apigw_authz
from apigw_authz import Api, Decision, Diagnostic, Error, IamDecision, Request, SuiteReport

config = {"api": {"id": "a1b2c3d4e5", "accountId": "111122223333", "region": "us-east-1"}}
request = {"httpMethod": "GET", "path": "/pets", "stage": "prod", "sourceIp": "203.0.113.7"}

decision: Decision = apigw_authz.authorize(dict(config, request=request))
status: int = decision["statusCode"]
allowed: bool = decision["decision"] == "Allow"
message: Optional[str] = decision["message"]
for step in decision["explanation"]:
    for statement in step["statements"]:
        line: Optional[int] = statement["line"]
        checks: List[str] = [check["detail"] for check in statement["checks"]]

text: str = apigw_authz.explain(json.dumps(dict(config, request=request)))
iam: IamDecision = apigw_authz.authorize_iam(b"{}")
decision_text: str = apigw_authz.authorize_json(b"{}")
action: str = iam["action"]

report: SuiteReport = apigw_authz.run_suite({"cases": []})
failed: int = report["failed"]
for case in report["cases"]:
    if not case["passed"]:
        fields: List[str] = [d["field"] for d in case["differences"]]

diagnostics: List[Diagnostic] = apigw_authz.validate_policy("{}", kind="identity")
for d in diagnostics:
    severity: str = d["severity"]
    end: Optional[int] = d["endLine"]
    advice: Optional[str] = d.get("help")

api = Api(config)
parsed: Request = api.parse_request(request)
one: Decision = api.authorize(parsed, explain=False)
many: List[Decision] = api.authorize_many([request, parsed, json.dumps(request)], explain=False)
why: str = api.explain(request)

try:
    apigw_authz.authorize("{")
except apigw_authz.InvalidJson as e:
    where: Optional[int] = e.line
except Error as e:
    code: str = e.code
    path: str = e.path
    help_text: Optional[str] = e.help
