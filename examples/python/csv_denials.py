"""Evaluate a CSV of requests against an API's policies and summarise the denials.

    python examples/python/csv_denials.py                                  # the sample files beside this script
    python examples/python/csv_denials.py --api api.json --requests access-log.csv

`--api` is a scenario without `request` (the API, its resource policy, principals, VPC endpoints). Each CSV row
is one request: the columns are request fields of the scenario format (`httpMethod`, `path`, `stage`,
`sourceIp`, `vpcEndpointId`, ...); a column `callerArn` becomes a validly signed caller. The API is compiled
once and every row decided in one batch (`Api.authorize_many`, explanation off). The summary groups the
denials by answer (status and error type) and by the statement that decided them; with pandas installed, it
also prints the table of denied requests.

Standard library only (pandas optional).
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import sys
from pathlib import Path
from typing import Any, Dict, List

import apigw_authz

HERE = Path(__file__).resolve().parent


def read_requests(path: Path) -> List[Dict[str, Any]]:
    requests = []
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            request: Dict[str, Any] = {k: v for k, v in row.items() if v not in (None, "") and k != "callerArn"}
            if row.get("callerArn"):
                request["caller"] = {"arn": row["callerArn"], "signature": "valid"}
            requests.append(request)
    return requests


def reason(decision: Dict[str, Any]) -> str:
    """The statement that decided, or why none did."""
    denies = [d for d in decision["decisive"] if d["effect"] == "Deny"]
    if denies:
        return ", ".join(f"{d['policy']} #{d['index']} {d['sid'] or ''}".strip() for d in denies)
    if decision["decision"] == "ImplicitDeny":
        return "no statement allows it"
    return decision["decision"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api", type=Path, default=HERE / "api.json", help="the API (a scenario without request)")
    parser.add_argument("--requests", type=Path, default=HERE / "requests.csv", help="one request per row")
    args = parser.parse_args()

    try:
        api = apigw_authz.Api(args.api.read_text(encoding="utf-8"))
        requests = read_requests(args.requests)
        decisions = api.authorize_many(requests, explain=False)
    except apigw_authz.Error as e:
        # e.path says where: `/3/sourceIp` is the sourceIp of the fourth row.
        print(f"error: {e}", file=sys.stderr)
        return 2

    denied = [(r, d) for r, d in zip(requests, decisions) if d["decision"] != "Allow"]
    print(f"{len(requests)} requests: {len(requests) - len(denied)} allowed, {len(denied)} denied\n")

    by_answer = collections.Counter(f"{d['statusCode']} {d['errorType']} ({d['decision']})" for _, d in denied)
    by_reason = collections.Counter(reason(d) for _, d in denied)
    print("Denials by answer:")
    for answer, count in by_answer.most_common():
        print(f"  {count:>5}  {answer}")
    print("\nDenials by deciding statement:")
    for why, count in by_reason.most_common():
        print(f"  {count:>5}  {why}")

    try:
        import pandas as pd  # optional: a table of the denied requests
    except ImportError:
        return 0
    table = pd.DataFrame(
        [
            {
                "method": r.get("httpMethod"),
                "path": r.get("path"),
                "stage": r.get("stage"),
                "sourceIp": r.get("sourceIp"),
                "status": d["statusCode"],
                "decision": d["decision"],
                "reason": reason(d),
            }
            for r, d in denied
        ]
    )
    print("\nDenied requests:")
    print(table.to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
