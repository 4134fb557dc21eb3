"""The decision dicts, built field by field in Rust, are the decision JSON the core writes: the same keys in the
same order, the same values of the same types, for every case of the corpus and every way of asking."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

import apigw_authz
from apigw_authz import _native
from conftest import FROM_OFFICE, OFFICE_CONFIG, SUITE_FILES, is_iam, load, suite_id

API_SUITES = [path for path in SUITE_FILES if not is_iam(load(path))]


def assert_same(got: Any, expected: Any, at: str = "") -> None:
    """Equal, with the same types (`True` is not `1`) and, in every dict, the same key order."""
    assert type(got) is type(expected), f"{at or '/'}: {type(got).__name__} instead of {type(expected).__name__}"
    if isinstance(expected, dict):
        assert list(got) == list(expected), f"{at or '/'}: keys {list(got)} instead of {list(expected)}"
        for key, value in expected.items():
            assert_same(got[key], value, f"{at}/{key}")
    elif isinstance(expected, list):
        assert len(got) == len(expected), f"{at or '/'}: {len(got)} items instead of {len(expected)}"
        for i, (g, e) in enumerate(zip(got, expected)):
            assert_same(g, e, f"{at}/{i}")
    else:
        assert got == expected, f"{at or '/'}: {got!r} instead of {expected!r}"


def core_json(scenario: Dict[str, Any]) -> Dict[str, Any]:
    """The decision as the core writes it (`Decision::to_json`, what the command line prints), read back."""
    decision: Dict[str, Any] = json.loads(_native._decide_for_cli(scenario, text=False))
    return decision


def fast(decision: Dict[str, Any]) -> Dict[str, Any]:
    """The decision of `explain=False`: the same, with an empty explanation."""
    return dict(decision, explanation=[])


def suite_decisions(path: Path) -> Tuple[Dict[str, Any], List[Dict[str, Any]], List[Dict[str, Any]]]:
    """A suite's API config, its cases' requests, and the core's decision JSON for each of them."""
    suite = load(path)
    config = {k: v for k, v in suite.items() if k not in ("cases", "description")}
    requests = [case["request"] for case in suite["cases"]]
    return config, requests, [core_json(dict(config, request=r)) for r in requests]


@pytest.mark.parametrize("path", API_SUITES, ids=suite_id)
def test_every_decision_dict_is_the_core_json(path: Path) -> None:
    suite = load(path)
    config, requests, expected = suite_decisions(path)
    api = apigw_authz.Api(config)
    parsed = [api.parse_request(r) for r in requests]
    for name, request, want in zip((case["name"] for case in suite["cases"]), requests, expected):
        assert_same(apigw_authz.authorize(dict(config, request=request)), want, f"{name}: authorize")
        assert_same(api.authorize(request), want, f"{name}: Api.authorize")
        assert_same(api.authorize(request, explain=False), fast(want), f"{name}: Api.authorize(explain=False)")
    # A batch shares its strings between decisions: the dicts must not show it.
    for items in (requests, parsed):
        assert_same(api.authorize_many(items), expected, "authorize_many")
        assert_same(api.authorize_many(items, explain=False), [fast(d) for d in expected], "fast authorize_many")


@pytest.mark.parametrize("path", API_SUITES, ids=suite_id)
def test_projected_decision_dicts_are_the_core_json_restricted(path: Path) -> None:
    config, requests, expected = suite_decisions(path)
    api = apigw_authz.Api(config)
    names = list(expected[0])
    # Every field alone, fields asked in reverse order, and all of them.
    for fields in [[name] for name in names] + [names[::-2], names]:
        want = [{k: v for k, v in d.items() if k in fields} for d in expected]
        assert_same(api.authorize_many(requests, fields=fields), want, f"fields={fields}")


def test_the_fields_of_a_projection_are_those_of_the_decision() -> None:
    """The names `authorize_many(fields=...)` accepts are listed in Rust; they are the keys of the dict."""
    api = apigw_authz.Api(OFFICE_CONFIG)
    decision = api.authorize(FROM_OFFICE)
    with pytest.raises(apigw_authz.InvalidArgument) as info:
        api.authorize_many([FROM_OFFICE], fields=["x"])
    assert info.value.message.endswith(", ".join(f"`{k}`" for k in decision))


def test_the_corpus_has_decisions_of_every_shape() -> None:
    """The comparisons above are only as good as the decisions they meet: allowed and denied, with and without
    the optional fields, with several decisive statements and with warnings."""
    seen: List[Dict[str, Any]] = []
    for path in API_SUITES:
        seen.extend(suite_decisions(path)[2])
    assert {d["decision"] for d in seen} >= {"Allow", "ExplicitDeny", "ImplicitDeny", "Unauthenticated"}
    assert any(d["responseType"] is None for d in seen) and any(d["responseType"] for d in seen)
    assert any(d["authorizerInvoked"] for d in seen) and not all(d["authorizerInvoked"] for d in seen)
    assert any(len(d["decisive"]) > 1 for d in seen)
    assert any(s["sid"] is None for d in seen for s in d["decisive"])
    assert any(d["warnings"] for d in seen)
    assert any(d["caller"] != "anonymous" for d in seen)
