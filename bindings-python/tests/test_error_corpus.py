"""The shared corpus of bad inputs (core/tests/errors/) through Python: each raises the `apigw_authz.Error` subclass
of its code, with the path, line, column and message the Rust tests expect of the core."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Dict, Optional, Type

import pytest

import apigw_authz
from conftest import ERROR_FILES, load, suite_id

CLASSES: Dict[str, Type[apigw_authz.Error]] = {
    "invalid-json": apigw_authz.InvalidJson,
    "invalid-policy": apigw_authz.InvalidPolicy,
    "invalid-scenario": apigw_authz.InvalidScenario,
    "invalid-argument": apigw_authz.InvalidArgument,
    "internal": apigw_authz.InternalError,
}


def which_call(doc: Dict[str, Any]) -> Callable[[Any], Any]:
    """`call` names the function; without it, inputs with `cases` go to `run_suite` (core/tests/corpus.rs)."""
    call: Optional[str] = doc.get("call")
    if call is not None:
        return {"authorize": apigw_authz.authorize, "runSuite": apigw_authz.run_suite}[call]
    source = doc["input"]
    if isinstance(source, str):
        try:
            source = json.loads(source)
        except ValueError:
            source = None
    has_cases = isinstance(source, dict) and "cases" in source
    return apigw_authz.run_suite if has_cases else apigw_authz.authorize


def check(error: apigw_authz.Error, expect: Dict[str, Any]) -> None:
    assert type(error) is CLASSES[expect["code"]], repr(error)
    assert error.code == expect["code"]
    assert error.path == expect["path"], repr(error)
    if "messageContains" in expect:
        assert expect["messageContains"] in error.message, repr(error)
    # What the command line prints: the same fields, in the Rust error JSON's order.
    assert list(error.to_dict())[:5] == ["code", "message", "path", "line", "column"]


@pytest.mark.parametrize("path", ERROR_FILES, ids=suite_id)
def test_error_file(path: Path) -> None:
    doc = load(path)
    expect = doc["expect"]
    call = which_call(doc)
    source = doc["input"]
    if isinstance(source, str):
        inputs = {"text": source, "bytes": source.encode("utf-8")}
    else:
        # A parsed value has no text, so no line and column unless the error is inside text of its own (a policy
        # given as an escaped JSON string); the same value as text gets a position.
        inputs = {"value": source, "as text": json.dumps(source, indent=2, ensure_ascii=False)}
    for form, value in inputs.items():
        with pytest.raises(apigw_authz.Error) as info:
            call(value)
        error = info.value
        check(error, expect)
        if form in ("text", "bytes", "value"):
            assert (error.line, error.column) == (expect.get("line"), expect.get("column")), f"{form}: {error!r}"
        else:
            assert error.line is not None and error.column is not None, f"{form}: {error!r}"


def test_the_error_corpus_is_not_empty() -> None:
    assert ERROR_FILES, "no file under core/tests/errors"
