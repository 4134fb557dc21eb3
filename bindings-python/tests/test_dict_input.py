"""Python values read straight into the engine's JSON tree: the answers of the JSON they stand for, whatever
Python types hold it (subclasses, tuples, other mappings), and numbers written as serde_json writes them."""

from __future__ import annotations

import collections
import json
import re
from typing import Any, Dict

import pytest

import apigw_authz
from apigw_authz import _native
from conftest import FROM_ELSEWHERE, FROM_OFFICE, OFFICE_CONFIG, OFFICE_POLICY, scenario


class Text(str):
    pass


class Distinct(str):
    """A key type whose equal texts are distinct keys of a dict."""

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other


class Number(int):
    pass


class Mapping(dict):  # type: ignore[type-arg]
    pass


def test_subclasses_tuples_and_other_mappings_read_as_json() -> None:
    plain = scenario(OFFICE_CONFIG, FROM_OFFICE)
    statement = OFFICE_POLICY["Statement"][0]
    dressed = {
        Text("api"): Mapping(
            id=Text("a1b2c3d4e5"),
            accountId="111122223333",
            region="us-east-1",
            policy=collections.OrderedDict(
                Version="2012-10-17",
                Statement=(dict(statement, Condition={"IpAddress": {Text("aws:SourceIp"): (Text("203.0.113.0/24"),)}}),),
            ),
        ),
        "request": {Text(k): Text(v) for k, v in FROM_OFFICE.items()},
    }
    assert apigw_authz.authorize(dressed) == apigw_authz.authorize(plain)
    api = apigw_authz.Api(OFFICE_CONFIG)
    for request in (FROM_OFFICE, FROM_ELSEWHERE):
        assert api.authorize({Text(k): v for k, v in request.items()}) == api.authorize(request)


def test_keys_of_equal_text_are_one_member_with_the_last_value() -> None:
    """As a `serde_json::Map` made them before: the first key's place, the last key's value (the engine rejects
    duplicate keys in text, so a dict must not give it two)."""
    api = apigw_authz.Api(OFFICE_CONFIG)
    request: Dict[Any, Any] = {Distinct("path"): "/first", **FROM_OFFICE}
    request[Distinct("path")] = "/last"
    assert sum(str.__eq__(k, "path") for k in request) == 3
    decision = api.authorize(request)
    assert str(decision["methodArn"]).endswith("/prod/GET/last")
    assert decision == api.authorize(dict(FROM_OFFICE, path="/last"))


def test_integers_past_64_bits_read_as_their_text_does() -> None:
    """A Python int past 64 bits is its digits, as the same literal in JSON text is."""
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*",
                       "Condition": {"NumericEquals": {"my:n": "1180591620717411303424"}}}],
    }
    class Big(int):
        def __str__(self) -> str:
            return "Big!"

    for n, decision in [(2**70, "Allow"), (2**70 + 2**20, "ImplicitDeny"), (Big(2**70), "Allow")]:
        scenario = {"api": dict(OFFICE_CONFIG["api"], policy=policy),
                    "request": dict(FROM_OFFICE, context={"my:n": n})}
        from_dict = apigw_authz.authorize(scenario)
        assert from_dict["decision"] == decision
        from_text = apigw_authz.authorize(json.dumps(scenario))
        # Text input also gives the statements' positions in the explanation; the rest is the same.
        assert dict(from_dict, explanation=[]) == dict(from_text, explanation=[])


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (201, "201"),
        (Number(403), "403"),
        (2**64 - 1, "18446744073709551615"),
        (-(2**63), "-9223372036854775808"),
        (100.0, "100.0"),
        (0.1, "0.1"),
        (1e-7, "1e-7"),
        (1e20, "1e+20"),
    ],
)
def test_numbers_keep_the_text_serde_json_writes(value: Any, written: str) -> None:
    """A suite report echoes an expectation it did not meet, with the number's text."""
    suite = dict(OFFICE_CONFIG, cases=[{"name": "n", "request": FROM_OFFICE, "expect": {"statusCode": value}}])
    report, text = _native._suite_for_cli(suite, "suite.json")
    assert re.findall(r'"expected":([^,}]*)', report) == [written]
    assert f"statusCode: expected {written}, actual 200" in text
    assert json.loads(report)["cases"][0]["differences"][0]["expected"] == value
