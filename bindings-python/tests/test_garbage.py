"""Random garbage through every function: each returns an answer or raises an `apigw_authz.Error` with its fields
filled in, and never crashes, hangs, or lets any other exception (a Rust panic, a TypeError, a UnicodeError)
through.

Three kinds of garbage: any Python value (including what JSON cannot hold: sets, NaN, lone surrogates, huge
integers, non-str keys, bytes that are not UTF-8), text (random, and real scenarios with bytes cut out or
inserted), and real scenarios with one value somewhere inside replaced by garbage, which reaches the core's
deeper checks.
"""

from __future__ import annotations

import copy
import json
import os
from typing import Any, Callable, Dict, List

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import apigw_authz
from apigw_authz import _native
from conftest import FROM_ELSEWHERE, FROM_OFFICE, OFFICE_CONFIG, SUITE_FILES, load, scenario

CODES = {"invalid-json", "invalid-policy", "invalid-scenario", "invalid-argument"}

# More examples for a longer search: APIGW_AUTHZ_GARBAGE_EXAMPLES=20000 bindings-python/test.sh -k garbage
SETTINGS = settings(
    max_examples=int(os.environ.get("APIGW_AUTHZ_GARBAGE_EXAMPLES", "300")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text with everything a str can hold, lone surrogates included.
any_text = st.text(st.characters(exclude_categories=()), max_size=40)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63 - 2, max_value=2**65),
    st.floats(allow_nan=True, allow_infinity=True),
    any_text,
    st.sampled_from(["", "*", "GET", "/", "prod", "203.0.113.7", "AWS_IAM", "arn:aws:iam::444455556666:user/a"]),
    st.binary(max_size=20),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(any_text, inner, max_size=4),
        st.dictionaries(st.one_of(st.integers(), st.none(), st.booleans()), inner, max_size=2),
        st.frozensets(st.integers(), max_size=2),
    ),
    max_leaves=12,
)

# Real inputs: the README's API, and a few suites of the corpus (their API and their first requests).
CORPUS = [load(path) for path in SUITE_FILES[:: max(1, len(SUITE_FILES) // 6)]]
REAL: List[Any] = [scenario(OFFICE_CONFIG, FROM_OFFICE), scenario(OFFICE_CONFIG, FROM_ELSEWHERE)] + [
    dict({k: v for k, v in suite.items() if k != "cases"}, request=suite["cases"][0]["request"]) for suite in CORPUS
]
REAL_SUITES: List[Any] = CORPUS


def paths_of(value: Any, at: tuple = ()) -> List[tuple]:  # type: ignore[type-arg]
    """Every place inside a JSON value, as a tuple of keys and indexes."""
    out = [at]
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths_of(v, at + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += paths_of(v, at + (i,))
    return out


@st.composite
def damaged(draw: st.DrawFn, originals: List[Any]) -> Any:
    """A real input with one value inside replaced by garbage (or removed)."""
    original = copy.deepcopy(draw(st.sampled_from(originals)))
    places = paths_of(original)
    at = draw(st.sampled_from(places[1:] if len(places) > 1 else places))
    if not at:
        return draw(values)
    parent = original
    for step in at[:-1]:
        parent = parent[step]
    if draw(st.booleans()) and isinstance(parent, dict):
        del parent[at[-1]]
    else:
        parent[at[-1]] = draw(values)
    return original


@st.composite
def damaged_text(draw: st.DrawFn, originals: List[Any]) -> Any:
    """A real input as text with a few characters cut out or put in; sometimes as bytes, sometimes not UTF-8."""
    text = json.dumps(draw(st.sampled_from(originals)), indent=draw(st.sampled_from([None, 2])))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + text[at + draw(st.integers(1, 5)) :]
        else:
            text = text[:at] + draw(st.sampled_from(['"', "{", "}", "[", ",", ":", "\\", "\x00", "1e999", "é"])) + text[at:]
    form = draw(st.sampled_from(["str", "bytes", "latin-1"]))
    if form == "bytes":
        return text.encode("utf-8")
    if form == "latin-1":
        return text.encode("utf-8") + b"\xff"
    return text


garbage = st.one_of(values, any_text, damaged(REAL), damaged_text(REAL))
suite_garbage = st.one_of(values, damaged(REAL_SUITES), damaged_text(REAL_SUITES))


def answers_or_raises_an_error(call: Callable[[], Any]) -> None:
    try:
        call()
    except apigw_authz.Error as e:
        assert e.code in CODES, f"{e!r}: an internal error is a bug in the engine"
        assert type(e).default_code == e.code
        assert isinstance(e.message, str) and e.message
        assert isinstance(e.path, str) and (e.path == "" or e.path.startswith("/"))
        assert e.line is None or (isinstance(e.line, int) and e.line >= 1)
        assert e.column is None or (isinstance(e.column, int) and e.column >= 1)
        assert isinstance(str(e), str) and isinstance(repr(e), str)


API = apigw_authz.Api(OFFICE_CONFIG)


@SETTINGS
@given(garbage)
def test_one_shot_functions(value: Any) -> None:
    answers_or_raises_an_error(lambda: apigw_authz.authorize(value))
    answers_or_raises_an_error(lambda: apigw_authz.authorize_iam(value))
    answers_or_raises_an_error(lambda: apigw_authz.explain(value))
    answers_or_raises_an_error(lambda: _native._decide_for_cli(value, text=False))


@SETTINGS
@given(suite_garbage)
def test_suites(value: Any) -> None:
    answers_or_raises_an_error(lambda: apigw_authz.run_suite(value))
    answers_or_raises_an_error(lambda: _native._suite_for_cli(value, "garbage.json"))


@SETTINGS
@given(st.one_of(values, damaged([OFFICE_CONFIG] + [{k: v for k, v in s.items() if k != "cases"} for s in CORPUS])))
def test_prepared_api(config: Any) -> None:
    answers_or_raises_an_error(lambda: apigw_authz.Api(config))


@SETTINGS
@given(st.one_of(values, damaged([FROM_OFFICE, FROM_ELSEWHERE]), damaged_text([FROM_OFFICE])))
def test_requests(request: Any) -> None:
    answers_or_raises_an_error(lambda: API.authorize(request))
    answers_or_raises_an_error(lambda: API.authorize(request, explain=False))
    answers_or_raises_an_error(lambda: API.explain(request))
    answers_or_raises_an_error(lambda: API.parse_request(request))
    answers_or_raises_an_error(lambda: API.authorize_many(request))
    answers_or_raises_an_error(lambda: API.authorize_many([FROM_OFFICE, request], explain=False))


@SETTINGS
@given(st.one_of(values, st.lists(values, max_size=3)))
def test_authorize_many_fields(fields: Any) -> None:
    answers_or_raises_an_error(lambda: API.authorize_many([FROM_OFFICE], fields=fields))


POLICY_TEXTS: List[Dict[str, Any]] = [OFFICE_CONFIG["api"]["policy"]]


@SETTINGS
@given(
    st.one_of(values, damaged_text(POLICY_TEXTS), damaged(POLICY_TEXTS).map(lambda p: json.dumps(p, default=repr))),
    st.one_of(st.sampled_from(["resource", "identity", "authorizer", "endpoint", "resource-based"]), values),
)
def test_validate_policy(text: Any, kind: Any) -> None:
    answers_or_raises_an_error(lambda: apigw_authz.validate_policy(text, kind))
    if isinstance(text, (str, bytes)) and isinstance(kind, str):
        try:
            diagnostics = apigw_authz.validate_policy(text, kind)
        except apigw_authz.InvalidArgument:
            return
        for d in diagnostics:
            assert d["severity"] in ("error", "warning") and d["message"]
