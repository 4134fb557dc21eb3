"""The Python examples (examples/python/) run and say what they promise."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from conftest import FROM_ELSEWHERE, FROM_OFFICE, OFFICE_CONFIG, REPO, SUITE_FILES, run

EXAMPLES = REPO / "examples" / "python"


def test_csv_denials_summarises_the_sample() -> None:
    code, out, err = run([sys.executable, str(EXAMPLES / "csv_denials.py")])
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "18 requests: 8 allowed, 10 denied"
    assert "      6  403 AccessDeniedException (ExplicitDeny)" in lines
    assert "      4  403 AccessDeniedException (ImplicitDeny)" in lines
    assert "      4  no statement allows it" in lines
    assert any(l.endswith("resource #2 DenyBadNetwork") and l.strip().startswith("3 ") for l in lines), out


def test_csv_denials_names_the_bad_row(tmp_path: Path) -> None:
    csv = tmp_path / "requests.csv"
    csv.write_text("httpMethod,path,stage,sourceIp\nGET,/a,prod,203.0.113.7\nGET,/b,,203.0.113.7\n", encoding="utf-8")
    code, _, err = run([sys.executable, str(EXAMPLES / "csv_denials.py"), "--requests", str(csv)])
    assert code == 2
    assert "/1" in err and "stage" in err


def test_ci_script_passes_the_corpus_and_fails_a_wrong_expectation(tmp_path: Path) -> None:
    script = str(EXAMPLES / "test_policies_in_ci.py")
    code, out, err = run([sys.executable, script, *map(str, SUITE_FILES)])
    assert code == 0, out + err
    suite = dict(
        OFFICE_CONFIG,
        cases=[
            {"name": "office", "request": FROM_OFFICE, "expect": {"decision": "Allow"}},
            {"name": "elsewhere wrongly expected in", "request": FROM_ELSEWHERE, "expect": {"decision": "Allow"}},
        ],
    )
    file = tmp_path / "suite.json"
    file.write_text(json.dumps(suite, indent=2), encoding="utf-8")
    report = tmp_path / "report.xml"
    code, out, _ = run([sys.executable, script, str(file), "--junit", str(report)])
    assert code == 1
    assert 'FAIL  suite.json: elsewhere wrongly expected in' in out
    assert 'decision: expected "Allow", got "ImplicitDeny"' in out
    assert out.splitlines()[-1] == "1 passed, 1 failed"
    xml = report.read_text(encoding="utf-8")
    assert 'tests="2" failures="1"' in xml and "<failure" in xml


def test_ci_script_reads_suites_in_subfolders_and_fails_when_there_is_none(tmp_path: Path) -> None:
    script = str(EXAMPLES / "test_policies_in_ci.py")
    nested = tmp_path / "api" / "tests"
    nested.mkdir(parents=True)
    suite = dict(OFFICE_CONFIG, cases=[{"name": "office", "request": FROM_OFFICE, "expect": {"decision": "Allow"}}])
    (nested / "suite.json").write_text(json.dumps(suite), encoding="utf-8")
    code, out, err = run([sys.executable, script, str(tmp_path)])
    assert code == 0, out + err
    assert out.splitlines()[-1] == "1 passed, 0 failed"
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run([sys.executable, script, str(empty)])
    assert code == 2
    assert "no suite found" in err
