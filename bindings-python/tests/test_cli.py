"""`python -m apigw_authz`: the command line for machines that only have Python."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict

import apigw_authz
from conftest import FROM_ELSEWHERE, FROM_OFFICE, OFFICE_CONFIG, OFFICE_POLICY, compact, python_cli, run, scenario


def office_suite(expected_status_elsewhere: int) -> Dict[str, Any]:
    return dict(
        OFFICE_CONFIG,
        description="the office network gets in",
        cases=[
            {"name": "from the office", "request": FROM_OFFICE, "expect": {"decision": "Allow", "statusCode": 200}},
            {"name": "from elsewhere", "request": FROM_ELSEWHERE, "expect": {"statusCode": expected_status_elsewhere}},
        ],
    )


def write(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value, indent=2), encoding="utf-8")
    return path


def test_passing_suites_exit_0(tmp_path: Path) -> None:
    write(tmp_path / "a.json", office_suite(403))
    write(tmp_path / "b.json", office_suite(403))
    (tmp_path / "notes.txt").write_text("not a suite", encoding="utf-8")
    code, out, err = run(python_cli("test", str(tmp_path)))
    assert code == 0, out + err
    assert out.splitlines()[-1] == "4 passed, 0 failed"


def test_a_failing_case_exits_1_and_says_what_differed(tmp_path: Path) -> None:
    suite = write(tmp_path / "suite.json", office_suite(200))
    code, out, err = run(python_cli("test", str(suite)))
    assert code == 1, out + err
    assert out.splitlines()[-1] == "1 passed, 1 failed"
    assert "from elsewhere" in out and "statusCode" in out and "403" in out


def test_an_invalid_suite_exits_2(tmp_path: Path) -> None:
    suite = write(tmp_path / "suite.json", dict(office_suite(403), extra=1))
    code, out, err = run(python_cli("test", str(suite)))
    assert code == 2
    assert "unknown field `extra`" in err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run(python_cli())[0] == 2
    assert run(python_cli("frobnicate"))[0] == 2
    assert run(python_cli("authorize", str(tmp_path / "missing.json")))[0] == 2


def test_authorize_prints_the_decision_json(tmp_path: Path) -> None:
    one = scenario(OFFICE_CONFIG, FROM_ELSEWHERE)
    file = write(tmp_path / "s.json", one)
    code, out, _ = run(python_cli("authorize", str(file)))
    assert code == 0
    assert out == compact(apigw_authz.authorize(file.read_text(encoding="utf-8"))) + "\n"
    # Standard input too.
    assert run(python_cli("authorize", "-"), stdin=file.read_text(encoding="utf-8")) == (code, out, "")


def test_explain_prints_the_explanation(tmp_path: Path) -> None:
    file = write(tmp_path / "s.json", scenario(OFFICE_CONFIG, FROM_ELSEWHERE))
    code, out, _ = run(python_cli("explain", str(file)))
    assert code == 0
    assert out == apigw_authz.explain(file.read_text(encoding="utf-8"))
    assert out.startswith("ImplicitDeny (403 ACCESS_DENIED)\n")


def test_validate(tmp_path: Path) -> None:
    good = write(tmp_path / "good.json", OFFICE_POLICY)
    assert run(python_cli("validate", str(good)))[0] == 0
    # A resource policy's Principal is not allowed in an identity policy: an error, exit 1.
    code, out, _ = run(python_cli("validate", str(good), "--kind", "identity"))
    assert code == 1
    assert "`Principal` is not allowed in an identity-based policy" in out
