"""The benchmark scenarios, written once and expressed for every engine.

    python3 benchmarks/scenarios.py OUT_DIR

writes one JSON file per scenario into OUT_DIR. Each holds:

- `config` and `requests`: the API Gateway scenario for apigw-authz (a scenario without `request`, and the
  requests to decide against it);
- `iam`: one `@cloud-copilot/iam-simulate` simulation per request (`runSimulation`'s input);
- `cedar`: the same policies as a Cedar policy set, the entities, and one Cedar request per request;
- `expected`: the decision each request must get, where the scenario states it (seed 1 takes its expectations
  from examples/scenarios/1a-partner-and-office.json); otherwise every engine must agree with apigw-authz.

The peers know nothing of API Gateway, so what API Gateway does before any policy is read is done here, once:
the method ARN is built, and a request to a NONE or CUSTOM method is evaluated as the anonymous caller
(authorization-flows.md §1). What stays is the policy question every engine answers: may this caller invoke
this method ARN from this address?

The Cedar translation covers the IAM subset these scenarios use and nothing more: Principal `*`, account ids,
account roots and user ARNs; Action `execute-api:Invoke` / `execute-api:*` / `*`; Resource ARN patterns with
`*` (Cedar `like`); IpAddress / NotIpAddress on aws:SourceIp (Cedar `ip().isInRange`); StringLike on
aws:UserAgent. Table B (cross-account: the caller's own account must allow too) becomes one `forbid ... unless`
policy, `@id("cross-account-gate")`: a deny by it alone is an implicit deny.
"""

from __future__ import annotations

import fnmatch
import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

REPO = Path(__file__).resolve().parents[1]
OWNER = "111122223333"
REGION = "us-east-1"
API_ID = "a1b2c3d4e5"
PREFIX = f"arn:aws:execute-api:{REGION}:{OWNER}:{API_ID}/"
INVOKE = "execute-api:Invoke"
GATE_ID = "cross-account-gate"


# ---------------------------------------------------------------------------------------------------------------
# What API Gateway does before the policies: the method ARN, and who the policies see


def method_arn(stage: str, verb: str, path: str) -> str:
    return f"{PREFIX}{stage}/{verb}/{path[1:] if path.startswith('/') else path}"


def route_matches(template: str, path: str) -> bool:
    """`/pets/{petId}` and `/{proxy+}` as API Gateway writes them."""
    t = [s for s in template.split("/") if s]
    p = [s for s in path.split("/") if s]
    for i, seg in enumerate(t):
        if seg.startswith("{") and seg.endswith("+}"):
            return len(p) > i
        if i >= len(p):
            return False
        if not (seg.startswith("{") and seg.endswith("}")) and seg != p[i]:
            return False
    return len(p) == len(t)


def authorization_type(api: Dict[str, Any], verb: str, path: str) -> str:
    methods = api.get("methods")
    if methods is None:
        return api.get("authorizationType", "NONE")
    for m in methods:
        if m["httpMethod"] in (verb, "ANY") and route_matches(m["resourcePath"], path):
            return m["authorizationType"]
    raise ValueError(f"no route for {verb} {path}: not a policy question, leave it out of the benchmark")


def expand(resource: str) -> str:
    """`execute-api:/stage/VERB/path` is API Gateway's shorthand for this API's ARN prefix."""
    return PREFIX + resource[len("execute-api:/"):] if resource.startswith("execute-api:/") else resource


def as_list(v: Any) -> List[Any]:
    return v if isinstance(v, list) else [v]


def expand_policy(policy: Dict[str, Any]) -> Dict[str, Any]:
    out = json.loads(json.dumps(policy))
    for s in as_list(out["Statement"]):
        if "Resource" in s:
            s["Resource"] = [expand(r) for r in as_list(s["Resource"])]
    return out


# ---------------------------------------------------------------------------------------------------------------
# Cedar


def account_of(principal: str) -> str:
    return principal if principal.isdigit() else principal.split(":")[4]


def cedar_str(s: str) -> str:
    return json.dumps(s)


def cedar_like(pattern: str) -> str:
    # IAM `*` is Cedar's `*`; these scenarios use no `?`.
    assert "?" not in pattern, pattern
    return json.dumps(pattern)


def action_applies(statement: Dict[str, Any]) -> bool:
    return any(fnmatch.fnmatchcase(INVOKE.lower(), a.lower()) for a in as_list(statement["Action"]))


def cedar_principal(statement: Dict[str, Any]) -> Optional[str]:
    """The Cedar condition for the statement's Principal; None when it names everyone."""
    p = statement.get("Principal")
    if p is None or p == "*" or p == {"AWS": "*"}:
        return None
    parts = []
    for entry in as_list(p["AWS"]):
        if entry.isdigit() or entry.endswith(":root"):
            parts.append(f"principal in Account::{cedar_str(account_of(entry))}")
        else:
            parts.append(f"principal == Principal::{cedar_str(entry)}")
    return "(" + " || ".join(parts) + ")"


def cedar_conditions(statement: Dict[str, Any]) -> List[str]:
    out = []
    resources = as_list(statement["Resource"])
    if "*" not in resources:
        out.append("(" + " || ".join(f"context.methodArn like {cedar_like(expand(r))}" for r in resources) + ")")
    for op, block in statement.get("Condition", {}).items():
        for key, values in block.items():
            values = as_list(values)
            if op in ("IpAddress", "NotIpAddress") and key == "aws:SourceIp":
                any_in = " || ".join(f'context.sourceIp.isInRange(ip({cedar_str(v)}))' for v in values)
                out.append(f"({any_in})" if op == "IpAddress" else f"!({any_in})")
            elif op == "StringLike" and key == "aws:UserAgent":
                any_like = " || ".join(f"context.userAgent like {cedar_like(v)}" for v in values)
                out.append(f"(context has userAgent && ({any_like}))")
            else:
                raise ValueError(f"no Cedar translation for {op} {key}")
    return out


def cedar_statement(statement: Dict[str, Any], attached: Optional[str]) -> Optional[str]:
    """One IAM statement as one Cedar policy; `attached` scopes an identity policy to the principals it is
    attached to (a `Policy` entity they are members of)."""
    if not action_applies(statement):
        return None
    effect = "permit" if statement["Effect"] == "Allow" else "forbid"
    scope = f"principal in Policy::{cedar_str(attached)}" if attached else "principal"
    conds = cedar_conditions(statement)
    who = cedar_principal(statement)
    if who:
        conds.insert(0, who)
    when = f" when {{ {' && '.join(conds)} }}" if conds else ""
    return f'{effect} ({scope}, action == Action::"{INVOKE}", resource){when};'


def identity_documents(identity: Dict[str, List[Dict[str, Any]]]) -> Tuple[Dict[str, Dict[str, Any]], Dict[str, List[str]]]:
    """Each distinct identity policy once (as a managed policy attached to several users is), with its id,
    and the ids attached to each principal."""
    ids: Dict[str, str] = {}
    docs: Dict[str, Dict[str, Any]] = {}
    attached: Dict[str, List[str]] = {}
    for principal, policies in identity.items():
        for policy in policies:
            key = json.dumps(policy, sort_keys=True)
            if key not in ids:
                ids[key] = f"identity-{len(ids)}"
                docs[ids[key]] = policy
            attached.setdefault(principal, []).append(ids[key])
    return docs, attached


def cedar_policies(
    resource_policy: Optional[Dict[str, Any]], identity: Dict[str, List[Dict[str, Any]]]
) -> str:
    """Resource policy statements apply to everyone; identity statements to the principals their policy is
    attached to. Same account: a union (Table A). Cross-account: a gate forbids unless the caller's own
    policies allow (Table B)."""
    out = []
    if resource_policy:
        for s in as_list(resource_policy["Statement"]):
            c = cedar_statement(s, None)
            if c:
                out.append(c)
    docs, attached = identity_documents(identity)
    same_account = {pid for p, pids in attached.items() if account_of(p) == OWNER for pid in pids}
    gate = []
    for pid, policy in docs.items():
        for s in as_list(policy["Statement"]):
            if s["Effect"] == "Deny" or pid in same_account:
                c = cedar_statement(s, pid)
                if c:
                    out.append(c)
            if s["Effect"] == "Allow" and action_applies(s) and any(
                pid in pids and account_of(p) != OWNER for p, pids in attached.items()
            ):
                conds = [f"principal in Policy::{cedar_str(pid)}"] + cedar_conditions(s)
                gate.append("(" + " && ".join(conds) + ")")
    cross = f'!(principal in Account::"{OWNER}") && principal != Principal::"anonymous"'
    unless = f" unless {{ {' || '.join(gate)} }}" if gate else ""
    out.append(f'@id("{GATE_ID}")\nforbid (principal, action, resource) when {{ {cross} }}{unless};')
    return "\n".join(out) + "\n"


def cedar_count(resource_policy: Optional[Dict[str, Any]], identity: Dict[str, List[Dict[str, Any]]]) -> int:
    return cedar_policies(resource_policy, identity).count(";\n")


def cedar_entities(identity: Dict[str, List[Dict[str, Any]]]) -> List[Dict[str, Any]]:
    _, attached = identity_documents(identity)
    entities = [{"uid": {"type": "Principal", "id": "anonymous"}, "attrs": {}, "parents": []}]
    for arn in sorted(identity):
        parents = [{"type": "Account", "id": account_of(arn)}]
        parents += [{"type": "Policy", "id": pid} for pid in attached.get(arn, [])]
        entities.append({"uid": {"type": "Principal", "id": arn}, "attrs": {}, "parents": parents})
    return entities


# ---------------------------------------------------------------------------------------------------------------
# One request in every engine's terms


def express(
    name: str,
    title: str,
    config: Dict[str, Any],
    requests: List[Dict[str, Any]],
    expected: Optional[List[str]] = None,
) -> Dict[str, Any]:
    api = config["api"]
    resource_policy = api.get("policy")
    principals = config.get("principals", {})
    identity = {arn: p.get("policies", []) for arn, p in principals.items()}
    iam, cedar_requests = [], []
    for r in requests:
        auth = authorization_type(api, r["httpMethod"], r["path"])
        arn = method_arn(r["stage"], r["httpMethod"], r["path"])
        caller = r.get("caller")
        if auth == "AWS_IAM":
            assert caller and caller.get("signature") == "valid", "only requests that reach the policies"
            principal = caller["arn"]
        elif auth == "CUSTOM":
            # The authorizer's policy speaks for the caller as an identity policy of the API owner's account
            # would: Table A, a union with the resource policy.
            principal = f"arn:aws:iam::{OWNER}:user/authorizer-principal"
        else:
            principal = None  # NONE: anonymous, whatever the signature
        context: Dict[str, Any] = {"aws:SourceIp": r["sourceIp"]}
        agent = {k.lower(): v for k, v in r.get("headers", {}).items()}.get("user-agent")
        if agent is not None:
            context["aws:UserAgent"] = agent
        if auth == "CUSTOM":
            policies = [{"name": "authorizer", "policy": expand_policy(r["authorizerResult"]["policyDocument"])}]
        elif principal:
            policies = [{"name": f"p{i}", "policy": expand_policy(p)} for i, p in enumerate(identity.get(principal, []))]
        else:
            policies = []
        simulation: Dict[str, Any] = {
            "request": {
                "principal": principal if principal else {"type": "Anonymous"},
                "action": INVOKE,
                "resource": {"resource": arn, "accountId": OWNER},
                "contextVariables": context,
            },
            "identityPolicies": policies,
            "serviceControlPolicies": [],
            "resourceControlPolicies": [],
        }
        if resource_policy:
            simulation["resourcePolicy"] = expand_policy(resource_policy)
        iam.append(simulation)
        cedar_context: Dict[str, Any] = {
            "methodArn": arn,
            "sourceIp": {"__extn": {"fn": "ip", "arg": r["sourceIp"]}},
        }
        if agent is not None:
            cedar_context["userAgent"] = agent
        cedar_requests.append(
            {
                "principal": {"type": "Principal", "id": principal or "anonymous"},
                "action": {"type": "Action", "id": INVOKE},
                "resource": {"type": "Api", "id": API_ID},
                "context": cedar_context,
            }
        )
    # A Lambda authorizer's policy is Principal-less: in Cedar it is a policy set of its own for the caller.
    authorizer_policies = {
        json.dumps(r["authorizerResult"]["policyDocument"], sort_keys=True): r["authorizerResult"]["policyDocument"]
        for r in requests
        if r.get("authorizerResult")
    }
    cedar_identity = dict(identity)
    for doc in authorizer_policies.values():
        cedar_identity.setdefault(f"arn:aws:iam::{OWNER}:user/authorizer-principal", []).append(doc)
    return {
        "name": name,
        "title": title,
        "config": config,
        "requests": requests,
        "expected": expected,
        "iam": iam,
        "cedar": {
            "policies": cedar_policies(resource_policy, cedar_identity),
            # Cedar names the policies of a text policy set `policy0`, `policy1`, ... in order; the gate is last.
            "gate": f"policy{cedar_count(resource_policy, cedar_identity) - 1}",
            "entities": cedar_entities(cedar_identity),
            "requests": cedar_requests,
        },
    }


def compact_len(doc: Dict[str, Any]) -> int:
    return len(json.dumps(doc, separators=(",", ":")))


# ---------------------------------------------------------------------------------------------------------------
# The four scenarios


def seed_1() -> Dict[str, Any]:
    """Seed story 1a as the example suite tells it: a partner account's user (and that account) and an office
    network (203.0.113.0/24). The cases that reach the policies (not the undefined route, not the unsigned call
    to an AWS_IAM method) are the requests, but for the root resource: iam-simulate rejects its method ARN
    (`.../prod/GET/`, empty path) with `no.resource.types`, although API Gateway builds exactly that ARN."""
    suite = json.loads((REPO / "examples/scenarios/1a-partner-and-office.json").read_text())
    config = {"api": suite["api"], "principals": suite["principals"]}
    requests, expected = [], []
    for case in suite["cases"]:
        decision = case["expect"]["decision"]
        if decision in ("Allow", "ExplicitDeny", "ImplicitDeny") and case["request"]["path"] != "/":
            requests.append(case["request"])
            expected.append(decision)
    return express("seed-1", "seed 1: partner account + office CIDR", config, requests, expected)


def lambda_authorizer() -> Dict[str, Any]:
    """A TOKEN authorizer returns a policy for the caller (GET anywhere under /pets, POST on /orders from a
    tool whose User-Agent says so, never DELETE); the resource policy denies a bad network (seed 4's)."""
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "ReadPets", "Effect": "Allow", "Action": "execute-api:Invoke",
             "Resource": [f"{PREFIX}prod/GET/pets", f"{PREFIX}prod/GET/pets/*"]},
            {"Sid": "WriteOrders", "Effect": "Allow", "Action": "execute-api:Invoke",
             "Resource": f"{PREFIX}prod/POST/orders*",
             "Condition": {"StringLike": {"aws:UserAgent": "orders-cli/*"}}},
            {"Sid": "ReadOwnProfile", "Effect": "Allow", "Action": "execute-api:Invoke",
             "Resource": f"{PREFIX}*/GET/users/alice"},
            {"Sid": "NeverDelete", "Effect": "Deny", "Action": "execute-api:Invoke",
             "Resource": f"{PREFIX}*/DELETE/*"},
        ],
    }
    config = {
        "api": {
            "id": API_ID, "accountId": OWNER, "region": REGION,
            "policy": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Sid": "DenyBadNetwork", "Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke",
                     "Resource": "execute-api:/*", "Condition": {"IpAddress": {"aws:SourceIp": "198.51.100.0/24"}}}
                ],
            },
            "authorizationType": "CUSTOM",
            "authorizers": [
                {"id": "tok1", "type": "TOKEN", "identitySource": "method.request.header.Authorization",
                 "authorizerResultTtlInSeconds": 300}
            ],
        }
    }
    # Without `methods`, every route exists with api.authorizationType and the first authorizer.
    result = {"principalId": "alice", "policyDocument": policy}

    def req(verb: str, path: str, ip: str = "203.0.113.7", agent: Optional[str] = None) -> Dict[str, Any]:
        headers = {"Authorization": "Bearer alice-token"}
        if agent:
            headers["User-Agent"] = agent
        return {"httpMethod": verb, "path": path, "stage": "prod", "sourceIp": ip, "headers": headers,
                "authorizerResult": result}

    requests = [
        req("GET", "/pets"),
        req("GET", "/pets/42"),
        req("GET", "/pets/42", ip="198.51.100.9"),
        req("POST", "/orders", agent="orders-cli/2.1"),
        req("POST", "/orders", agent="curl/8.0"),
        req("GET", "/users/alice"),
        req("GET", "/users/bob"),
        req("DELETE", "/pets/42"),
    ]
    expected = ["Allow", "Allow", "ExplicitDeny", "Allow", "ImplicitDeny", "Allow", "ImplicitDeny", "ExplicitDeny"]
    return express("lambda-authorizer", "a Lambda authorizer's policy (+ a Deny in the resource policy)", config,
                   requests, expected)


def tenant_account(i: int) -> str:
    return f"{444400000000 + i:012d}"


def fifty_statements() -> Dict[str, Any]:
    """An AWS_IAM API shared with 45 tenant accounts, each on its own path, some only from their network; a few
    Deny statements for everyone. Callers are tenants' users (cross-account: Table B)."""
    statements: List[Dict[str, Any]] = []
    for i in range(45):
        s: Dict[str, Any] = {"Effect": "Allow", "Principal": {"AWS": tenant_account(i)},
                             "Action": "execute-api:Invoke", "Resource": f"execute-api:/prod/*/t/{i}/*"}
        if i % 3 == 0:
            s["Condition"] = {"IpAddress": {"aws:SourceIp": f"10.{i}.0.0/16"}}
        statements.append(s)
    statements += [
        {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*/DELETE/*",
         "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}},
        {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
         "Condition": {"IpAddress": {"aws:SourceIp": ["198.51.100.0/24", "192.0.2.128/25"]}}},
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{tenant_account(7)}:user/auditor"},
         "Action": "execute-api:Invoke", "Resource": "execute-api:/prod/GET/*"},
        {"Effect": "Deny", "Principal": {"AWS": tenant_account(13)}, "Action": "execute-api:Invoke",
         "Resource": "execute-api:/prod/POST/*"},
        {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/prod/GET/health",
         "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}},
    ]
    for n, s in enumerate(statements):
        s["Sid"] = f"S{n}"
    policy = {"Version": "2012-10-17", "Statement": statements}
    assert compact_len(policy) <= 8192, compact_len(policy)
    principals: Dict[str, Any] = {}
    invoke_all = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}]}
    for i in (0, 1, 7, 13, 30, 44):
        principals[f"arn:aws:iam::{tenant_account(i)}:user/app"] = {"policies": [invoke_all]}
    principals[f"arn:aws:iam::{tenant_account(7)}:user/auditor"] = {"policies": [invoke_all]}
    principals[f"arn:aws:iam::{tenant_account(44)}:user/intern"] = {"policies": []}
    config = {"api": {"id": API_ID, "accountId": OWNER, "region": REGION, "policy": policy,
                      "authorizationType": "AWS_IAM"}, "principals": principals}

    def req(i: int, who: str, verb: str, path: str, ip: str) -> Dict[str, Any]:
        return {"httpMethod": verb, "path": path, "stage": "prod", "sourceIp": ip,
                "caller": {"arn": f"arn:aws:iam::{tenant_account(i)}:user/{who}", "signature": "valid"}}

    requests = [
        req(0, "app", "GET", "/t/0/orders", "10.0.3.4"),
        req(0, "app", "GET", "/t/0/orders", "203.0.113.9"),
        req(1, "app", "POST", "/t/1/orders", "203.0.113.9"),
        req(1, "app", "GET", "/t/2/orders", "203.0.113.9"),
        req(7, "auditor", "GET", "/t/3/orders", "203.0.113.9"),
        req(13, "app", "POST", "/t/13/orders", "203.0.113.9"),
        req(30, "app", "DELETE", "/t/30/orders/9", "203.0.113.9"),
        req(30, "app", "DELETE", "/t/30/orders/9", "10.30.0.1"),
        req(44, "app", "GET", "/t/44/items", "198.51.100.20"),
        req(44, "intern", "GET", "/t/44/items", "203.0.113.9"),
    ]
    return express("50-statements", "a 50-statement resource policy, cross-account callers", config, requests)


def identity_set(statements: int, policies: int = 10, principals: int = 1) -> Tuple[Dict[str, Any], List[Dict[str, Any]]]:
    """`principals` users of the API owner's account, each with `policies` identity policies holding
    `statements` statements in all: Allow on one path each (some only from a network), a few Deny. An AWS_IAM
    API without a resource policy: the caller's own policies decide (Table A)."""
    per = max(1, statements // policies)
    docs: List[Dict[str, Any]] = []
    n = 0
    while n < statements:
        batch = []
        for _ in range(min(per, statements - n)):
            if n % 50 == 49:
                s: Dict[str, Any] = {"Effect": "Deny", "Action": "execute-api:Invoke",
                                     "Resource": f"{PREFIX}prod/DELETE/r/{n}/*"}
            else:
                s = {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": f"{PREFIX}prod/*/r/{n}/*"}
                if n % 4 == 0:
                    s["Condition"] = {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
            s["Sid"] = f"S{n}"
            batch.append(s)
            n += 1
        docs.append({"Version": "2012-10-17", "Statement": batch})
    users = {f"arn:aws:iam::{OWNER}:user/u{k}": {"policies": docs} for k in range(principals)}
    config = {"api": {"id": API_ID, "accountId": OWNER, "region": REGION, "authorizationType": "AWS_IAM"},
              "principals": users}
    last = statements - 1
    picks = sorted({0, 1, min(2, last), last // 2, max(last - 1, 0), last})
    user = lambda k: {"arn": f"arn:aws:iam::{OWNER}:user/u{k % principals}", "signature": "valid"}  # noqa: E731
    requests = []
    for j, r in enumerate(picks):
        requests.append({"httpMethod": "GET", "path": f"/r/{r}/x", "stage": "prod", "sourceIp": "10.1.2.3",
                         "caller": user(j * 7919)})
        requests.append({"httpMethod": "GET", "path": f"/r/{r}/x", "stage": "prod", "sourceIp": "203.0.113.9",
                         "caller": user(j * 104729)})
    requests.append({"httpMethod": "DELETE", "path": f"/r/{49 if statements > 49 else 0}/x", "stage": "prod",
                     "sourceIp": "10.1.2.3", "caller": user(3)})
    requests.append({"httpMethod": "GET", "path": f"/r/{statements + 5}/x", "stage": "prod", "sourceIp": "10.1.2.3",
                     "caller": user(5)})
    return config, requests


def five_hundred_statements() -> Dict[str, Any]:
    config, requests = identity_set(500, policies=10, principals=3)
    return express("500-statement-identity-set", "500 identity-policy statements (10 policies), same account",
                   config, requests)


SCENARIOS = [seed_1, lambda_authorizer, fifty_statements, five_hundred_statements]


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else REPO / "benchmarks/.cache/scenarios")
    out.mkdir(parents=True, exist_ok=True)
    for make in SCENARIOS:
        s = make()
        (out / f"{s['name']}.json").write_text(json.dumps(s, indent=1))
        print(f"{s['name']}: {len(s['requests'])} requests", file=sys.stderr)


if __name__ == "__main__":
    main()
