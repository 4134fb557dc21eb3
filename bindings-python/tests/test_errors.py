"""Bad input never yields a decision: it raises one class of the `apigw_authz.Error` hierarchy, carrying the core
error's code, message, JSON path, and line and column when the input was text."""

from __future__ import annotations

import json
from typing import Any, Dict, Type

import pytest

import apigw_authz
from apigw_authz import _native
from conftest import FROM_OFFICE, OFFICE_CONFIG, OFFICE_POLICY, scenario


def raised(call: Any, *args: Any, **kwargs: Any) -> apigw_authz.Error:
    with pytest.raises(apigw_authz.Error) as info:
        call(*args, **kwargs)
    return info.value


def test_hierarchy() -> None:
    classes: Dict[Type[apigw_authz.Error], str] = {
        apigw_authz.InvalidJson: "invalid-json",
        apigw_authz.InvalidPolicy: "invalid-policy",
        apigw_authz.InvalidScenario: "invalid-scenario",
        apigw_authz.InvalidArgument: "invalid-argument",
        apigw_authz.InternalError: "internal",
    }
    assert issubclass(apigw_authz.Error, Exception)
    for cls, code in classes.items():
        assert issubclass(cls, apigw_authz.Error)
        assert cls("m").code == code
        assert cls.__doc__


def test_text_that_is_not_json_has_line_and_column() -> None:
    e = raised(apigw_authz.authorize, '{\n  "api": {\n    "id": "a1b2c3d4e5",\n    "accountId": \n}')
    assert type(e) is apigw_authz.InvalidJson
    assert e.code == "invalid-json"
    assert e.line == 5 and e.column == 1
    assert e.message and e.message[0].islower() and not e.message.endswith(".")


def test_duplicate_keys_are_invalid_json() -> None:
    e = raised(apigw_authz.authorize, '{"api": {}, "api": {}}')
    assert type(e) is apigw_authz.InvalidJson
    assert "duplicate key `api`" in e.message
    assert (e.line, e.column) == (1, 13)


def test_unknown_top_level_field_names_its_path_and_position() -> None:
    text = json.dumps(scenario(OFFICE_CONFIG, FROM_OFFICE), indent=2)[:-2] + ',\n  "extra": 1\n}'
    e = raised(apigw_authz.authorize, text)
    assert type(e) is apigw_authz.InvalidScenario
    assert e.code == "invalid-scenario"
    assert e.message == (
        "unknown field `extra`, expected one of `api`, `principals`, `vpcEndpoints`, `resources`, `request`, "
        "`cases`, `description`"
    )
    assert e.path == "/extra"
    assert e.line == text.splitlines().index('  "extra": 1') + 1
    assert e.column == 3


def test_invalid_policy_inside_a_scenario() -> None:
    config = json.loads(json.dumps(OFFICE_CONFIG))
    config["api"]["policy"]["Statement"][0]["Effect"] = "Maybe"
    text = json.dumps(scenario(config, FROM_OFFICE), indent=2)
    e = raised(apigw_authz.authorize, text)
    assert type(e) is apigw_authz.InvalidPolicy
    assert e.code == "invalid-policy"
    assert e.path == "/api/policy/Statement/0/Effect"
    assert e.message.startswith("`Effect` must be `Allow` or `Deny`, found ")
    assert "Maybe" in e.message
    line = next(i for i, l in enumerate(text.splitlines(), 1) if '"Effect": "Maybe"' in l)
    assert e.line == line
    assert e.column == text.splitlines()[line - 1].index('"Maybe"') + 1

    # The same mistake in a dict: the same error, without a position in text that does not exist.
    d = raised(apigw_authz.authorize, scenario(config, FROM_OFFICE))
    assert (type(d), d.code, d.path, d.message) == (type(e), e.code, e.path, e.message)
    assert d.line is None and d.column is None


def test_missing_request() -> None:
    e = raised(apigw_authz.authorize, OFFICE_CONFIG)
    assert type(e) is apigw_authz.InvalidScenario
    assert e.message == "missing required field `request`"
    assert e.path == "/request"


def test_a_suite_is_not_a_scenario() -> None:
    suite = dict(OFFICE_CONFIG, cases=[{"name": "x", "request": FROM_OFFICE, "expect": {"statusCode": 200}}])
    e = raised(apigw_authz.authorize, suite)
    assert type(e) is apigw_authz.InvalidScenario
    assert e.path == "/cases"
    assert e.message == "this is a suite (it has `cases`): run it with `run_suite` / `runSuite` (`apigw-authz test` on the command line)"


def test_suite_errors() -> None:
    e = raised(apigw_authz.run_suite, dict(OFFICE_CONFIG, cases=[]))
    assert (type(e), e.path, e.message) == (apigw_authz.InvalidScenario, "/cases", "a suite needs at least one case")
    e = raised(apigw_authz.run_suite, dict(OFFICE_CONFIG, cases=[{"name": "x", "request": FROM_OFFICE, "expect": {"nope": 1}}]))
    assert type(e) is apigw_authz.InvalidScenario
    assert e.path == "/cases/0/expect/nope"
    assert e.message.startswith("unknown decision field `nope`, expected one of `decision`, `statusCode`")


def test_prepared_api_takes_no_request() -> None:
    e = raised(apigw_authz.Api, scenario(OFFICE_CONFIG, FROM_OFFICE))
    assert type(e) is apigw_authz.InvalidScenario
    assert e.path == "/request"
    assert e.message == "a prepared API takes no `request`"
    assert e.help == "pass the request to `authorize` on the prepared API, or use the one-shot `authorize` / `run_suite`"
    assert str(e) == (
        "invalid-scenario: a prepared API takes no `request` (at `/request`)\n"
        "  help: pass the request to `authorize` on the prepared API, or use the one-shot `authorize` / `run_suite`"
    )


def test_unknown_policy_kind() -> None:
    e = raised(apigw_authz.validate_policy, json.dumps(OFFICE_POLICY), kind="nonsense")
    assert type(e) is apigw_authz.InvalidArgument
    assert e.code == "invalid-argument"
    assert e.message == (
        "unknown policy kind `nonsense`, expected one of `resource`, `identity`, `authorizer`, `endpoint`, "
        "`resource-based`"
    )


def test_validate_policy_wants_text() -> None:
    e = raised(apigw_authz.validate_policy, OFFICE_POLICY)  # type: ignore[arg-type]
    assert type(e) is apigw_authz.InvalidArgument
    assert e.message == "`text` must be a str holding the policy document, found `dict`"
    assert e.help is not None and "json.dumps" in e.help


@pytest.mark.parametrize(
    ("value", "path", "message"),
    [
        ({"api": {"tags": {"a", "b"}}}, "/api/tags", "a value of type `set` is not JSON"),
        ({"request": {"context": {"n": float("nan")}}}, "/request/context/n", "`NaN` is not a JSON number"),
        ({"request": {"context": {"n": float("inf")}}}, "/request/context/n", "`inf` is not a JSON number"),
        ({"request": {"headers": {1: "x"}}}, "/request/headers", "the key `1` is not a str"),
        ({"request": [0, 10**400]}, "/request/1", f"the integer `{10**400}` is past the largest double (about 1.8e308)"),
        ({"a/b": {"c~d": object()}}, "/a~1b/c~0d", "a value of type `object` is not JSON"),
    ],
)
def test_python_values_that_are_not_json(value: Any, path: str, message: str) -> None:
    e = raised(apigw_authz.authorize, value)
    assert type(e) is apigw_authz.InvalidJson
    assert (e.path, e.message) == (path, message)
    assert e.line is None and e.column is None
    assert e.help


def test_a_value_that_contains_itself() -> None:
    loop: Dict[str, Any] = {}
    loop["api"] = loop
    e = raised(apigw_authz.authorize, loop)
    assert type(e) is apigw_authz.InvalidJson
    assert e.message == "the value is nested deeper than 256 levels"
    assert e.path.startswith("/api/api/api/")


def test_bytes_that_are_not_utf8() -> None:
    e = raised(apigw_authz.authorize, b'{"api": "\xff"}')
    assert type(e) is apigw_authz.InvalidJson
    assert e.message.startswith("the input is not UTF-8 text")


def test_a_rust_panic_is_an_internal_error() -> None:
    e = raised(_native._panic_for_tests, "something impossible")
    assert type(e) is apigw_authz.InternalError
    assert e.code == "internal"
    assert e.message == "the engine failed unexpectedly: something impossible"
    assert e.help is not None and "bug" in e.help
    # Caught by `except Exception`, unlike PyO3's PanicException.
    assert isinstance(e, Exception)


def test_errors_of_a_batch_name_the_request() -> None:
    api = apigw_authz.Api(OFFICE_CONFIG)
    bad = {k: v for k, v in FROM_OFFICE.items() if k != "httpMethod"}
    e = raised(api.authorize_many, [FROM_OFFICE, bad])
    assert type(e) is apigw_authz.InvalidScenario
    assert e.path == "/1/httpMethod"
    assert e.message == "missing required field `httpMethod`"
    e = raised(api.authorize_many, [FROM_OFFICE, FROM_OFFICE, {"httpMethod": {1}}])
    assert (type(e), e.path) == (apigw_authz.InvalidJson, "/2/httpMethod")


def test_to_dict_is_the_rust_error_json() -> None:
    e = raised(apigw_authz.authorize, "{")
    assert list(e.to_dict()) == ["code", "message", "path", "line", "column"]
    assert e.to_dict()["code"] == "invalid-json"
