"""The Python front: apigw-authz's Python package beside cedarpy, on the scenarios written by scenarios.py.

    python benchmarks/python/bench.py SCENARIO_DIR OUT.json --engine apigw-authz|cedarpy [--seconds 1.5]

run.sh runs it twice: with the project's .venv (the apigw_authz package that bindings-python/test.sh builds)
and with benchmarks/.venv (cedarpy from PyPI), so neither package is installed into the other's environment.
For each scenario: the decision of every request, then decisions per second over the same requests,
round-robin, best of three runs of `seconds` each. Not a test.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List


def per_second(seconds: float, n: int, one: Callable[[int], Any]) -> float:
    best = 0.0
    for _ in range(3):
        count = 0
        start = time.perf_counter()
        while True:
            for i in range(n):
                one(i)
            count += n
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        best = max(best, count / elapsed)
    return best


def batch_per_second(seconds: float, n: int, batch: Callable[[], Any]) -> float:
    """Decisions per second of a call that decides all `n` requests at once."""
    return per_second(seconds, 1, lambda _: batch()) * n


def ours(s: Dict[str, Any], seconds: float) -> Dict[str, Any]:
    import apigw_authz

    api = apigw_authz.Api(s["config"])
    requests: List[Dict[str, Any]] = s["requests"]
    n = len(requests)
    decisions = [api.authorize(r, explain=False)["decision"] for r in requests]
    parsed = [api.parse_request(r) for r in requests]
    out = {
        "apigw-authz": {
            "decisions": decisions,
            "perSecond": per_second(seconds, n, lambda i: api.authorize(requests[i], explain=False)),
            "note": "Api.authorize(request dict, explain=False)",
        },
        "apigw-authz (parsed request)": {
            "decisions": [api.authorize(p, explain=False)["decision"] for p in parsed],
            "perSecond": per_second(seconds, n, lambda i: api.authorize(parsed[i], explain=False)),
            "note": "Api.authorize(Api.parse_request(request), explain=False)",
        },
        "apigw-authz (batch)": {
            "decisions": [d["decision"] for d in api.authorize_many(requests, explain=False)],
            "perSecond": batch_per_second(
                seconds, n, lambda: api.authorize_many(requests, explain=False, fields=["decision"])
            ),
            "note": "Api.authorize_many(request dicts, explain=False, fields=['decision'])",
        },
        "apigw-authz (with explanation)": {
            "decisions": decisions,
            "perSecond": per_second(seconds, n, lambda i: api.authorize(requests[i])),
            "note": "Api.authorize(request dict)",
        },
    }
    return out


def cedar_decision(result: Any, gate: str) -> str:
    if result.diagnostics.errors:
        raise SystemExit(f"cedarpy policy errors: {result.diagnostics.errors}")
    if result.allowed:
        return "Allow"
    # A forbid other than the cross-account gate is an explicit Deny; no reason, or the gate alone, is implicit.
    return "ExplicitDeny" if any(r != gate for r in result.diagnostics.reasons) else "ImplicitDeny"


def cedarpy_engine(s: Dict[str, Any], seconds: float) -> Dict[str, Any]:
    import cedarpy

    cedar = s["cedar"]
    policies = cedarpy.PolicySet.from_str(cedar["policies"])
    entities = cedarpy.Entities.from_json_str(json.dumps(cedar["entities"]))
    requests = cedar["requests"]
    n = len(requests)
    gate = cedar["gate"]
    decisions = [cedar_decision(cedarpy.is_authorized(r, policies, entities), gate) for r in requests]
    batch = [cedar_decision(r, gate) for r in cedarpy.is_authorized_batch(requests, policies, entities)]
    return {
        "cedarpy": {
            "decisions": decisions,
            "perSecond": per_second(seconds, n, lambda i: cedarpy.is_authorized(requests[i], policies, entities)),
            "note": "is_authorized(request, PolicySet, Entities): policies and entities parsed once",
        },
        "cedarpy (policies as text)": {
            "decisions": [cedar_decision(cedarpy.is_authorized(r, cedar["policies"], entities), gate) for r in requests],
            "perSecond": per_second(
                seconds, n, lambda i: cedarpy.is_authorized(requests[i], cedar["policies"], entities)
            ),
            "note": "is_authorized(request, policy text, Entities): the policies parsed on every call",
        },
        "cedarpy (batch)": {
            "decisions": batch,
            "perSecond": batch_per_second(seconds, n, lambda: cedarpy.is_authorized_batch(requests, policies, entities)),
            "note": "is_authorized_batch(requests, PolicySet, Entities)",
        },
    }


def main() -> None:
    scenario_dir, out_file = Path(sys.argv[1]), Path(sys.argv[2])
    args = sys.argv[3:]
    engine = args[args.index("--engine") + 1]
    seconds = float(args[args.index("--seconds") + 1]) if "--seconds" in args else 1.5
    run = {"apigw-authz": ours, "cedarpy": cedarpy_engine}[engine]
    results = []
    for path in sorted(scenario_dir.glob("*.json")):
        s = json.loads(path.read_text())
        results.append({"scenario": s["name"], "front": "python", "engines": run(s, seconds)})
        print(f"python ({engine}): {s['name']} done", file=sys.stderr)
    out_file.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
