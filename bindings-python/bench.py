"""Decisions per second through Python, on one core (not a test: run it by hand, with the release build).

    bindings-python/test.sh                   # builds and installs the release extension into .venv
    .venv/bin/python bindings-python/bench.py [--seconds 1.0] [--scenario FILE]

Uses the requests of seed scenario 1 (examples/scenarios/1a-*.json) against its API; without that file, a
constructed API with the same shape (a partner account, an office network). Each figure is the best of three
runs. The targets of the issue are printed beside the figures: `Api.authorize` (fast path) at least 300,000/s
and `authorize_many` at least 1,500,000/s.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import apigw_authz

REPO = Path(__file__).resolve().parents[1]

FALLBACK: Dict[str, Any] = {
    "description": "constructed: a partner account's user and an office network may call the API",
    "api": {
        "id": "a1b2c3d4e5",
        "accountId": "111122223333",
        "region": "us-east-1",
        "policy": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AllowPartner",
                    "Effect": "Allow",
                    "Principal": {"AWS": ["arn:aws:iam::444455556666:user/alice", "444455556666"]},
                    "Action": "execute-api:Invoke",
                    "Resource": "execute-api:/*",
                },
                {
                    "Sid": "AllowOffice",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "execute-api:Invoke",
                    "Resource": "execute-api:/*",
                    "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
                },
            ],
        },
    },
    "cases": [
        {"name": "office", "request": {"httpMethod": "GET", "path": "/pets/42", "stage": "prod", "sourceIp": "203.0.113.7"}},
        {"name": "elsewhere", "request": {"httpMethod": "POST", "path": "/pets", "stage": "prod", "sourceIp": "198.51.100.7"}},
        {
            "name": "partner",
            "request": {
                "httpMethod": "GET",
                "path": "/pets",
                "stage": "prod",
                "sourceIp": "198.51.100.7",
                "caller": {"arn": "arn:aws:iam::444455556666:user/alice", "signature": "valid"},
            },
        },
    ],
}


def seed_scenario(explicit: Optional[str]) -> Tuple[str, Dict[str, Any]]:
    if explicit:
        return explicit, json.loads(Path(explicit).read_text(encoding="utf-8"))
    for path in sorted((REPO / "examples" / "scenarios").glob("1a-*.json")):
        return str(path.relative_to(REPO)), json.loads(path.read_text(encoding="utf-8"))
    return "constructed (examples/scenarios/1a-*.json not found)", FALLBACK


def rate(run: Callable[[], int], seconds: float) -> float:
    """Decisions per second of CPU time: the best of three runs of about `seconds` each.

    CPU time of this process (`time.process_time`), not wall-clock time, so that other work on a shared machine
    does not count; everything runs on this one thread, so this is "on one core"."""
    best = 0.0
    for _ in range(3):
        done = 0
        start = time.process_time()
        elapsed = 0.0
        while elapsed < seconds:
            done += run()
            elapsed = time.process_time() - start
        best = max(best, done / elapsed)
    return best


def all_seeds(seconds: float) -> int:
    """`Api.authorize(dict, explain=False)`, `Api.authorize_many(1000 Requests, explain=False)` and
    `Api.authorize_many(1000 dicts, explain=False)` for each seed scenario with an API."""
    print(f"apigw_authz {apigw_authz.__version__}, Python {platform.python_version()}, {platform.machine()}")
    print(f"{'seed scenario':<34} {'authorize(dict)':>16} {'many(Requests)':>16} {'many(dicts)':>16}")
    for path in sorted((REPO / "examples" / "scenarios").glob("*.json")):
        suite = json.loads(path.read_text(encoding="utf-8"))
        if "api" not in suite or "cases" not in suite:
            continue  # a general IAM suite has no API to prepare
        config = {k: v for k, v in suite.items() if k not in ("cases", "description")}
        api = apigw_authz.Api(config)
        requests = [case["request"] for case in suite["cases"]]
        parsed = [api.parse_request(r) for r in requests]
        many_dicts = (requests * (1000 // len(requests) + 1))[:1000]
        many_parsed = (parsed * (1000 // len(parsed) + 1))[:1000]

        def one_by_one() -> int:
            for r in requests:
                api.authorize(r, explain=False)
            return len(requests)

        figures = [
            rate(one_by_one, seconds),
            rate(lambda: len(api.authorize_many(many_parsed, explain=False)), seconds),
            rate(lambda: len(api.authorize_many(many_dicts, explain=False)), seconds),
        ]
        print(f"{path.name:<34} " + " ".join(f"{f:>14,.0f}/s" for f in figures))
    return 0


def floor(explicit: Optional[str], seconds: float) -> int:
    """Nanoseconds per decision to make (and free) the objects of `authorize_many(1000 Requests,
    explain=False)`'s answers in CPython's own ways, beside the package's: unpickling them, unmarshalling them,
    and a dict display evaluated with every value already made (no string is created, only the containers).
    The cyclic collector is off throughout, as `authorize_many` turns it off while it builds."""
    import gc
    import marshal
    import pickle

    gc.disable()

    source, suite = seed_scenario(explicit)
    config = {k: v for k, v in suite.items() if k not in ("cases", "description", "request")}
    api = apigw_authz.Api(config)
    parsed = [api.parse_request(case["request"]) for case in suite["cases"]]
    many = (parsed * (1000 // len(parsed) + 1))[:1000]
    answers = api.authorize_many(many, explain=False)
    marshalled = marshal.dumps(answers)
    pickled = pickle.dumps(answers, protocol=pickle.HIGHEST_PROTOCOL)
    # One allowed answer of seed 1a's shape, its values made once.
    allowed = next((a for a in answers if a["decisive"]), answers[0])
    values = [allowed[k] for k in ("decision", "statusCode", "methodArn", "caller")]
    statement = allowed["decisive"][0] if allowed["decisive"] else {"policy": "resource", "index": 0, "sid": None, "effect": "Allow"}
    s_values = [statement[k] for k in ("policy", "index", "sid", "effect")]

    def display() -> int:
        d, c, m, who = values
        p, i, sid, e = s_values
        built = [
            {
                "decision": d, "statusCode": c, "responseType": None, "errorType": None, "message": None,
                "body": None, "methodArn": m, "caller": who, "authorizerInvoked": False,
                "decisive": [{"policy": p, "index": i, "sid": sid, "effect": e}], "explanation": [], "warnings": [],
            }
            for _ in range(1000)
        ]
        return len(built)

    measures: List[Tuple[str, Callable[[], int]]] = [
        ("Api.authorize_many(1000 Requests, explain=False)", lambda: len(api.authorize_many(many, explain=False))),
        ('  the same, fields=["decision"]', lambda: len(api.authorize_many(many, explain=False, fields=["decision"]))),
        ("pickle.loads of those answers", lambda: len(pickle.loads(pickled))),
        ("marshal.loads of those answers", lambda: len(marshal.loads(marshalled))),
        ("a dict display of one allowed answer, values made", display),
    ]
    print(f"apigw_authz {apigw_authz.__version__}, Python {platform.python_version()}, {platform.machine()}")
    print(f"scenario: {source}; nanoseconds per decision (made and freed), best of three\n")
    width = max(len(name) for name, _ in measures)
    for name, run in measures:
        print(f"{name:<{width}}  {1e9 / rate(run, seconds):>8,.0f} ns")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=1.0, help="length of each of the three runs")
    parser.add_argument("--scenario", help="a suite file whose API and requests to use")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="instead, what CPython itself takes to make the objects of a batch's answers (see the README)",
    )
    parser.add_argument(
        "--all-seeds",
        action="store_true",
        help="instead, the three headline figures for every seed scenario of examples/scenarios/",
    )
    args = parser.parse_args()
    if args.all_seeds:
        return all_seeds(args.seconds)
    if args.floor:
        return floor(args.scenario, args.seconds)

    source, suite = seed_scenario(args.scenario)
    config = {k: v for k, v in suite.items() if k not in ("cases", "description", "request")}
    requests: List[Dict[str, Any]] = [case["request"] for case in suite["cases"]]
    api = apigw_authz.Api(config)
    parsed = [api.parse_request(r) for r in requests]
    scenarios = [dict(config, request=r) for r in requests]
    texts = [json.dumps(s) for s in scenarios]
    batch = 1000
    many_dicts = (requests * (batch // len(requests) + 1))[:batch]
    many_parsed = (parsed * (batch // len(parsed) + 1))[:batch]

    def each(call: Callable[[Any], Any], items: List[Any]) -> Callable[[], int]:
        def run() -> int:
            for item in items:
                call(item)
            return len(items)

        return run

    def fast(items: List[Any]) -> Callable[[], int]:
        # The call itself in the loop, as `--all-seeds` measures it: a wrapper function per request would add a
        # Python call (about 60 ns) that is not the package's.
        def run() -> int:
            for item in items:
                api.authorize(item, explain=False)
            return len(items)

        return run

    measures: List[Tuple[str, Callable[[], int], Optional[float]]] = [
        ("Api.authorize(dict, explain=False)", fast(requests), 300_000),
        ("Api.authorize(Request, explain=False)", fast(parsed), 300_000),
        ("Api.authorize(dict)  [with explanation]", each(api.authorize, requests), None),
        ("Api.authorize_many(1000 dicts, explain=False)", lambda: len(api.authorize_many(many_dicts, explain=False)), 1_500_000),
        ("Api.authorize_many(1000 Requests, explain=False)", lambda: len(api.authorize_many(many_parsed, explain=False)), 1_500_000),
        ("Api.authorize_many(1000 Requests)  [with explanation]", lambda: len(api.authorize_many(many_parsed)), None),
        (
            'Api.authorize_many(1000 Requests, explain=False, fields=["decision"])',
            lambda: len(api.authorize_many(many_parsed, explain=False, fields=["decision"])),
            1_500_000,
        ),
        (
            'Api.authorize_many(1000 dicts, explain=False, fields=["decision"])',
            lambda: len(api.authorize_many(many_dicts, explain=False, fields=["decision"])),
            1_500_000,
        ),
        ("authorize(scenario dict)  [one-shot]", each(apigw_authz.authorize, scenarios), None),
        ("authorize(scenario text)  [one-shot]", each(apigw_authz.authorize, texts), None),
    ]
    results: Dict[str, float] = {}
    for name, run, _ in measures:
        results[name] = rate(run, args.seconds)

    if args.json:
        print(json.dumps({"scenario": source, "requests": len(requests), "decisionsPerSecond": results}, indent=2))
        return 0
    print(f"apigw_authz {apigw_authz.__version__}, Python {platform.python_version()}, {platform.machine()}")
    print(f"scenario: {source} ({len(requests)} requests, cycled)\n")
    width = max(len(name) for name, _, _ in measures)
    for name, _, target in measures:
        figure = results[name]
        verdict = "" if target is None else (f"  >= {target:,.0f}: " + ("yes" if figure >= target else "NO"))
        print(f"{name:<{width}}  {figure:>12,.0f} /s{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
