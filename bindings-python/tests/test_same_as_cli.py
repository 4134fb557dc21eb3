"""Python gives the Rust command line's answers byte for byte: the same decision JSON (same keys, same order),
the same explanation text, and `python -m apigw_authz` the same output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict

import pytest

import apigw_authz
from conftest import CASES, SUITE_FILES, compact, is_iam, python_cli, run, suite_id


def case_id(case: Any) -> str:
    if isinstance(case, Path):
        return suite_id(case)
    return str(case) if isinstance(case, str) else ""


@pytest.mark.parametrize(("suite", "name", "one"), CASES, ids=[f"{suite_id(p)}::{n}" for p, n, _ in CASES])
def test_authorize_equals_the_cli(suite: Path, name: str, one: Dict[str, Any], cli: Path, tmp_path: Path) -> None:
    text = json.dumps(one, indent=2)
    file = tmp_path / "scenario.json"
    file.write_text(text, encoding="utf-8")
    code, stdout, stderr = run([str(cli), "authorize", str(file)])
    assert code == 0, stderr
    decision = apigw_authz.authorize_iam(text) if is_iam(one) else apigw_authz.authorize(text)
    assert compact(decision) == stdout.strip()
    assert apigw_authz.authorize_json(text) == stdout.strip()


@pytest.mark.parametrize(("suite", "name", "one"), CASES, ids=[f"{suite_id(p)}::{n}" for p, n, _ in CASES])
def test_explain_equals_the_cli(suite: Path, name: str, one: Dict[str, Any], cli: Path, tmp_path: Path) -> None:
    text = json.dumps(one, indent=2)
    file = tmp_path / "scenario.json"
    file.write_text(text, encoding="utf-8")
    code, stdout, stderr = run([str(cli), "explain", str(file)])
    assert code == 0, stderr
    assert apigw_authz.explain(text) == stdout


@pytest.mark.parametrize("path", SUITE_FILES, ids=suite_id)
def test_python_test_command_equals_the_cli(path: Path, cli: Path) -> None:
    rust = run([str(cli), "test", str(path)])
    python = run(python_cli("test", str(path)))
    assert python == rust


@pytest.mark.parametrize("path", SUITE_FILES, ids=suite_id)
def test_run_suite_equals_the_cli_report(path: Path, cli: Path) -> None:
    """`run_suite` gives the report that `apigw-authz test --json` prints: the same keys in the same order, the
    same values."""
    code, stdout, stderr = run([str(cli), "test", "--json", str(path)])
    assert code in (0, 1), stderr
    report = apigw_authz.run_suite(path.read_text(encoding="utf-8"))
    assert stdout == f'{{"file":{compact(str(path))},"report":{compact(report)}}}\n'
    python = run(python_cli("test", "--json", str(path)))
    assert python == (code, stdout, stderr)


def test_python_test_command_equals_the_cli_on_whole_directories(cli: Path) -> None:
    from conftest import REPO

    directories = [str(REPO / "core" / "tests" / "suites"), str(REPO / "examples" / "scenarios")]
    for extra in ([], ["--json"], ["--verbose"]):
        rust = run([str(cli), "test", *extra, *directories])
        assert rust[0] in (0, 1, 2), rust[2]
        assert run(python_cli("test", *extra, *directories)) == rust, extra


def test_python_cli_matches_the_cli_on_every_command(cli: Path, tmp_path: Path) -> None:
    """Each command, on good and bad input: same exit code, same standard output, same standard error."""
    from conftest import FROM_ELSEWHERE, FROM_OFFICE, OFFICE_CONFIG, OFFICE_POLICY, scenario

    suites = tmp_path / "suites"
    (suites / "nested").mkdir(parents=True)
    (suites / "empty").mkdir()
    failing = dict(
        OFFICE_CONFIG,
        description="the office network gets in; é and 😀 print as they are",
        cases=[
            {"name": "from the office", "request": FROM_OFFICE, "expect": {"decision": "Allow", "statusCode": 200}},
            {
                "name": "from elsewhere",
                "description": "wrongly expected to get in",
                "request": FROM_ELSEWHERE,
                "expect": {"decision": "Allow", "statusCode": 200.5, "warnings": ["x"]},
            },
        ],
    )
    passing = dict(OFFICE_CONFIG, cases=failing["cases"][:1])
    (suites / "b-failing.json").write_text(json.dumps(failing, indent=2, ensure_ascii=False), encoding="utf-8")
    (suites / "nested" / "a-passing.json").write_text(json.dumps(passing, indent=2), encoding="utf-8")
    (suites / "notes.txt").write_text("not a suite", encoding="utf-8")
    invalid = suites / "nested" / "c-invalid.json"
    invalid.write_text(json.dumps(dict(passing, extra=1), indent=2), encoding="utf-8")
    not_utf8 = tmp_path / "latin1.json"
    not_utf8.write_bytes(b'{\n  "api": {"id": "caf\xe9"}\n}')

    good = tmp_path / "good.json"
    good.write_text(json.dumps(scenario(OFFICE_CONFIG, FROM_ELSEWHERE), indent=2), encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('{"api": {"id": "a1b2c3d4e5",\n  "accountId": }', encoding="utf-8")
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(OFFICE_POLICY, indent=2), encoding="utf-8")
    bad_policy = tmp_path / "bad-policy.json"
    bad_policy.write_text(
        '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Maybe", "Action": "*", "Resource": "*"}]\n}',
        encoding="utf-8",
    )
    commands = [
        ["authorize", str(good)],
        ["authorize", str(broken)],
        ["authorize", str(tmp_path / "missing.json")],
        ["explain", str(good)],
        ["explain", str(broken)],
        ["validate", str(policy), "--kind", "resource"],
        ["validate", str(bad_policy), "--kind", "resource"],
        ["validate", str(policy), "--kind", "identity"],
        ["validate", str(policy), "--kind", "nonsense"],
        ["test", str(good)],
        ["authorize", str(not_utf8)],
        ["explain", str(not_utf8)],
        ["validate", str(not_utf8)],
        ["explain", str(tmp_path / "missing.json")],
        ["validate", str(tmp_path / "missing.json")],
        ["validate", str(policy), "--json"],
        ["validate", str(bad_policy), "--json"],
        ["validate", str(not_utf8), "--json"],
        ["test", str(suites)],
        ["test", "--json", str(suites)],
        ["test", "--verbose", str(suites / "nested" / "a-passing.json")],
        ["test", str(suites / "b-failing.json"), str(tmp_path / "missing.json"), str(suites / "nested")],
        ["test", str(suites / "empty")],
        ["test", str(good)],
        ["explain", str(suites / "b-failing.json"), "--case", "from elsewhere"],
        ["explain", str(suites / "b-failing.json"), "--case", "from the office"],
        ["explain", str(suites / "b-failing.json"), "--case", "nobody"],
        ["authorize", str(suites / "b-failing.json")],
    ]
    for args in commands:
        rust = run([str(cli), *args])
        python = run(python_cli(*args))
        assert python == rust, f"apigw-authz {' '.join(args)}"
    # Standard input, named `-` or by default.
    text = good.read_text(encoding="utf-8")
    for args in (["authorize"], ["authorize", "-"], ["explain"], ["explain", "-"], ["test", "-"], ["validate", "-"]):
        rust = run([str(cli), *args], stdin=text)
        assert run(python_cli(*args), stdin=text) == rust, f"apigw-authz {' '.join(args)} < good.json"
    # Usage errors: both exit 2 and say so on standard error (the wording of the usage text is each parser's).
    for args in ([], ["frobnicate"], ["validate"], ["test"], ["test", "--json", "--verbose", str(good)]):
        rust = run([str(cli), *args])
        python = run(python_cli(*args))
        assert (python[0], python[1] == "", python[2] != "") == (rust[0], rust[1] == "", rust[2] != ""), args
        assert python[0] == 2


def test_key_order_is_the_rust_jsons() -> None:
    from conftest import FROM_OFFICE, OFFICE_CONFIG, scenario

    decision = apigw_authz.authorize(scenario(OFFICE_CONFIG, FROM_OFFICE))
    assert list(decision) == [
        "decision",
        "statusCode",
        "responseType",
        "errorType",
        "message",
        "body",
        "methodArn",
        "caller",
        "authorizerInvoked",
        "decisive",
        "explanation",
        "warnings",
    ]
