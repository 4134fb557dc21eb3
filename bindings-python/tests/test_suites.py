"""Every suite of the shared corpus passes through Python, as it does through Rust and Node."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import apigw_authz
from conftest import SUITE_FILES, load, suite_id


@pytest.mark.parametrize("path", SUITE_FILES, ids=suite_id)
def test_every_case_passes(path: Path) -> None:
    report = apigw_authz.run_suite(path.read_text(encoding="utf-8"))
    failing = [case for case in report["cases"] if not case["passed"]]
    # A failing case prints what differed and the explanation, so the report says why.
    assert not failing, "\n\n".join(
        f"case `{c['name']}`: {json.dumps(c['differences'], indent=2)}\n{json.dumps(c['decision'], indent=2)}"
        for c in failing
    )
    assert report["failed"] == 0
    assert report["passed"] == len(load(path)["cases"]) == len(report["cases"])


@pytest.mark.parametrize("path", SUITE_FILES, ids=suite_id)
def test_dict_input_gives_the_same_report_as_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    from_text = apigw_authz.run_suite(text)
    from_dict = apigw_authz.run_suite(json.loads(text))
    assert [c["passed"] for c in from_dict["cases"]] == [c["passed"] for c in from_text["cases"]]
    assert strip_positions(from_dict) == strip_positions(from_text)


def strip_positions(value: object) -> object:
    """The report without the statements' line and column, which only text input has."""
    if isinstance(value, dict):
        return {
            k: (None if k in ("line", "column") and "applies" in value else strip_positions(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [strip_positions(v) for v in value]
    return value


def test_the_corpus_is_not_empty() -> None:
    # The corpus is written by the core's and the examples' authors; an empty one would make the tests above
    # vacuous.
    assert SUITE_FILES, "no suite under core/tests/suites or examples/scenarios"
