"""Shared corpus and helpers: the suites that hold every front to the same answers, and the Rust CLI to compare
with."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

REPO = Path(__file__).resolve().parents[2]

def _is_suite(path: Path) -> bool:
    try:
        return "cases" in json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return False


#: Every suite of the shared corpus (core/tests/suites) and every suite among the examples (examples/scenarios),
#: as core/tests/corpus.rs runs them.
SUITE_FILES: List[Path] = sorted((REPO / "core" / "tests" / "suites").glob("*.json")) + [
    path for path in sorted((REPO / "examples" / "scenarios").glob("*.json")) if _is_suite(path)
]

#: The shared corpus of bad inputs: `{"description", "call"?, "input", "expect": {"code", "path", "line"?,
#: "column"?, "messageContains"?}}` (core/tests/corpus.rs).
ERROR_FILES: List[Path] = sorted((REPO / "core" / "tests" / "errors").glob("*.json"))

#: The README's quick start: a resource policy that lets one office network in.
OFFICE_POLICY: Dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "AllowOffice",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "execute-api:Invoke",
            "Resource": "execute-api:/*",
            "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        }
    ],
}
OFFICE_CONFIG: Dict[str, Any] = {
    "api": {"id": "a1b2c3d4e5", "accountId": "111122223333", "region": "us-east-1", "policy": OFFICE_POLICY}
}
FROM_OFFICE: Dict[str, Any] = {"httpMethod": "GET", "path": "/pets", "stage": "prod", "sourceIp": "203.0.113.7"}
FROM_ELSEWHERE: Dict[str, Any] = {"httpMethod": "GET", "path": "/pets", "stage": "prod", "sourceIp": "198.51.100.7"}


def scenario(config: Dict[str, Any], request: Dict[str, Any]) -> Dict[str, Any]:
    out = copy.deepcopy(config)
    out["request"] = copy.deepcopy(request)
    return out


def suite_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def load(path: Path) -> Dict[str, Any]:
    data: Dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def cases_of(path: Path) -> Iterator[Tuple[str, Dict[str, Any]]]:
    """Each case of a suite as a one-request scenario: the suite without `cases`, plus the case's request."""
    suite = load(path)
    for case in suite.get("cases", []):
        one = {k: v for k, v in suite.items() if k != "cases"}
        one["request"] = case["request"]
        yield case["name"], one


#: (suite, case name, scenario) for every case of the corpus.
CASES: List[Tuple[Path, str, Dict[str, Any]]] = [
    (path, name, one) for path in SUITE_FILES for name, one in cases_of(path)
]


def is_iam(doc: Dict[str, Any]) -> bool:
    return "resources" in doc and "api" not in doc


def compact(value: Any) -> str:
    """serde_json's compact form, which the CLI prints."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@pytest.fixture(scope="session")
def cli() -> Path:
    """The Rust CLI binary (target/debug/apigw-authz), built by cargo if it is missing or stale."""
    cargo = shutil.which("cargo") or str(Path.home() / ".cargo" / "bin" / "cargo")
    binary = REPO / "target" / "debug" / ("apigw-authz.exe" if os.name == "nt" else "apigw-authz")
    if Path(cargo).exists():
        subprocess.run(
            [cargo, "build", "--quiet", "-p", "apigw-authz-cli"], cwd=REPO, check=True, stdout=sys.stderr
        )
    if not binary.exists():
        pytest.fail(f"the Rust CLI {binary} is missing and cargo could not build it")
    return binary


def run(command: List[str], stdin: str = "") -> Tuple[int, str, str]:
    done = subprocess.run(command, cwd=REPO, input=stdin, capture_output=True, text=True, encoding="utf-8")
    return done.returncode, done.stdout, done.stderr


def python_cli(*args: str) -> List[str]:
    return [sys.executable, "-m", "apigw_authz", *args]
