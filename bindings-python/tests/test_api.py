"""The prepared `Api`: compile once, decide many times; the same answers as the one-shot functions."""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

import apigw_authz
from conftest import FROM_ELSEWHERE, FROM_OFFICE, OFFICE_CONFIG, SUITE_FILES, is_iam, load, scenario, suite_id


def without_explanation(decision: Any) -> Any:
    return {k: v for k, v in decision.items() if k != "explanation"}


def test_office_policy() -> None:
    api = apigw_authz.Api(OFFICE_CONFIG)
    allowed = api.authorize(FROM_OFFICE)
    assert (allowed["decision"], allowed["statusCode"], allowed["body"]) == ("Allow", 200, None)
    assert allowed["decisive"] == [{"policy": "resource", "index": 0, "sid": "AllowOffice", "effect": "Allow"}]
    denied = api.authorize(FROM_ELSEWHERE)
    assert denied["decision"] == "ImplicitDeny"
    assert denied["statusCode"] == 403
    assert denied["errorType"] == "AccessDeniedException"
    assert denied["message"] == (
        "User: anonymous is not authorized to perform: execute-api:Invoke on resource: "
        "arn:aws:execute-api:us-east-1:********3333:a1b2c3d4e5/prod/GET/pets"
    )
    assert denied["body"] == json.dumps({"Message": denied["message"]}, separators=(",", ":"))
    assert denied["explanation"], "the full decision explains itself"


def test_same_answers_as_the_one_shot_functions() -> None:
    api = apigw_authz.Api(OFFICE_CONFIG)
    # A configuration given as text adds line and column to the explanation's statements; nothing else differs.
    from_text = apigw_authz.Api(json.dumps(OFFICE_CONFIG))
    for request in (FROM_OFFICE, FROM_ELSEWHERE):
        one_shot = apigw_authz.authorize(scenario(OFFICE_CONFIG, request))
        assert api.authorize(request) == one_shot
        positioned = from_text.authorize(request)
        assert positioned != one_shot
        assert without_positions(positioned) == without_positions(one_shot)
        assert api.authorize(json.dumps(request)) == one_shot
        assert api.authorize(json.dumps(request).encode()) == one_shot
        assert api.authorize(api.parse_request(request)) == one_shot
        assert api.explain(request) == apigw_authz.explain(scenario(OFFICE_CONFIG, request))


def test_fast_path_has_no_explanation_and_the_same_decision() -> None:
    api = apigw_authz.Api(OFFICE_CONFIG)
    for request in (FROM_OFFICE, FROM_ELSEWHERE):
        full = api.authorize(request)
        fast = api.authorize(request, explain=False)
        assert fast["explanation"] == []
        assert without_explanation(fast) == without_explanation(full)


def test_authorize_many_equals_one_by_one() -> None:
    api = apigw_authz.Api(OFFICE_CONFIG)
    parsed = api.parse_request(FROM_ELSEWHERE)
    requests: List[Any] = [FROM_OFFICE, parsed, json.dumps(FROM_ELSEWHERE), FROM_OFFICE]
    for explain in (True, False):
        assert api.authorize_many(requests, explain=explain) == [
            api.authorize(r, explain=explain) for r in requests
        ]
    # Any iterable, including a generator; an empty batch is an empty list.
    assert api.authorize_many(r for r in requests) == api.authorize_many(requests)
    assert api.authorize_many([]) == []


def test_authorize_many_keeps_only_the_fields_asked_for() -> None:
    api = apigw_authz.Api(OFFICE_CONFIG)
    requests = [FROM_OFFICE, FROM_ELSEWHERE]
    full = api.authorize_many(requests, explain=False)
    # Keys keep the decision JSON's order, whatever the order asked.
    projected = api.authorize_many(requests, explain=False, fields=("statusCode", "decision"))
    assert projected == [{"decision": d["decision"], "statusCode": d["statusCode"]} for d in full]
    assert [list(d) for d in projected] == [["decision", "statusCode"]] * 2
    assert api.authorize_many([], fields=["nonsense"]) == []


def test_authorize_many_rejects_unknown_fields() -> None:
    api = apigw_authz.Api(OFFICE_CONFIG)
    with pytest.raises(apigw_authz.InvalidArgument) as info:
        api.authorize_many([FROM_OFFICE], fields=["decision", "status"])
    assert info.value.message == (
        "unknown decision field `status`, expected one of `decision`, `statusCode`, `responseType`, `errorType`, "
        "`message`, `body`, `methodArn`, `caller`, `authorizerInvoked`, `decisive`, `explanation`, `warnings`"
    )
    with pytest.raises(apigw_authz.InvalidArgument) as info:
        api.authorize_many([FROM_OFFICE], fields="decision")  # type: ignore[call-overload]
    assert info.value.message == "`fields` must be a list of names, found one str"


def test_a_request_belongs_to_the_api_that_read_it() -> None:
    one = apigw_authz.Api(OFFICE_CONFIG)
    other = apigw_authz.Api(OFFICE_CONFIG)
    request = one.parse_request(FROM_OFFICE)
    assert repr(request) == "<apigw_authz.Request GET /pets stage=prod>"
    with pytest.raises(apigw_authz.InvalidArgument) as info:
        other.authorize(request)
    assert info.value.message == "this request was read by another `Api`"
    with pytest.raises(apigw_authz.InvalidArgument):
        other.authorize_many([FROM_OFFICE, request])


def test_repr() -> None:
    assert repr(apigw_authz.Api(OFFICE_CONFIG)) == "<apigw_authz.Api a1b2c3d4e5 in us-east-1 of account 111122223333>"


def test_authorize_many_releases_the_gil() -> None:
    """While the batch is decided (after the last request is read, before the first dict is built), another
    Python thread runs.

    The switch interval is raised to 2 s, so the waiting thread gets the GIL only when the batch gives it up,
    not because the interpreter took it away."""
    api = apigw_authz.Api(OFFICE_CONFIG)
    # Explained decisions take long enough to see; only `decision` is converted, so that building the dicts
    # (with the GIL held) stays well under the switch interval.
    parsed = [api.parse_request(FROM_ELSEWHERE)] * 5_000
    marks: Dict[str, float] = {}

    def requests() -> Iterator[Any]:
        yield from parsed
        marks["read"] = time.perf_counter()  # the native call now decides with no more Python to run

    def batch() -> None:
        api.authorize_many(requests(), explain=True, fields=["decision"])
        marks["done"] = time.perf_counter()

    ticks: List[float] = []
    interval = sys.getswitchinterval()
    sys.setswitchinterval(2.0)
    try:
        worker = threading.Thread(target=batch)
        worker.start()
        while worker.is_alive():
            ticks.append(time.perf_counter())
            time.sleep(0.0002)  # gives up the GIL; waking up needs it back
        worker.join()
    finally:
        sys.setswitchinterval(interval)
    assert marks["done"] - marks["read"] < 2.0, "the batch took too long for this test to tell"
    assert any(marks["read"] < t < marks["done"] for t in ticks), "no other thread ran during the batch"


@pytest.mark.parametrize("path", SUITE_FILES, ids=suite_id)
def test_prepared_api_agrees_with_every_case(path: Path) -> None:
    """Each case of the corpus through `Api`, one by one and in one batch, equals the one-shot decision.

    Suites share a Lambda authorizer cache between cases and `Api` does not, so the comparison is with the
    one-shot `authorize` of the same request, which does not either."""
    suite = load(path)
    if is_iam(suite):
        pytest.skip("general IAM suites have no API to prepare")
    config = {k: v for k, v in suite.items() if k not in ("cases", "description")}
    api = apigw_authz.Api(config)
    requests = [case["request"] for case in suite["cases"]]
    one_shot = [apigw_authz.authorize(dict(config, request=r)) for r in requests]
    assert [api.authorize(r) for r in requests] == one_shot
    assert api.authorize_many(requests) == one_shot
    assert [without_explanation(d) for d in api.authorize_many(requests, explain=False)] == [
        without_explanation(d) for d in one_shot
    ]


@pytest.mark.parametrize("path", SUITE_FILES, ids=suite_id)
def test_str_bytes_and_dict_inputs_agree(path: Path) -> None:
    """Text input adds line and column to the explanation's statements; nothing else differs."""
    suite = load(path)
    for case in suite["cases"]:
        one = {k: v for k, v in suite.items() if k != "cases"}
        one["request"] = case["request"]
        call = apigw_authz.authorize_iam if is_iam(one) else apigw_authz.authorize
        text = json.dumps(one, indent=2)
        from_text = call(text)  # type: ignore[operator]
        assert call(text.encode()) == from_text  # type: ignore[operator]
        from_dict = call(one)  # type: ignore[operator]
        assert without_positions(from_dict) == without_positions(from_text), case["name"]


def without_positions(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (None if k in ("line", "column") and "applies" in value else without_positions(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [without_positions(v) for v in value]
    return value


def test_every_public_name_has_a_docstring() -> None:
    aliases = {"JsonInput", "Outcome", "__version__"}  # type aliases and a str cannot carry one
    for name in sorted(set(apigw_authz.__all__) - aliases):
        assert (getattr(apigw_authz, name).__doc__ or "").strip(), name
    for name in ("authorize", "authorize_many", "parse_request", "explain"):
        assert (getattr(apigw_authz.Api, name).__doc__ or "").strip(), f"Api.{name}"
