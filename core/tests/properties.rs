//! Properties of the decision that must hold for every policy, checked on random policies and requests
//! (proptest): the engine's answers can only be trusted if adding a Deny never lets more callers in, adding an
//! Allow never keeps one out, the way a policy is written (statement order, `Statement` as an object or an
//! array, text or parsed value) never matters, and the wildcard matcher agrees with an obviously right one.
//!
//! Policies are drawn from a small vocabulary of principals, actions, resources and conditions that all apply
//! to the requests drawn, so that statements do meet (and the properties are not checked vacuously).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod harness;

use apigw_authz::{authorize, Decision, Outcome};
use harness::{reference_arn_match, reference_match, reference_resource_match, reference_resource_narrow_match, Tok};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Map, Value};

const ARN: &str = "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5";

/// Which API Gateway flow decides: NONE (the resource policy alone, anonymous caller) or AWS_IAM with a
/// caller of the API's own account (identity-based policies and the resource policy, Table A).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    None,
    AwsIam,
}

fn principal() -> impl Strategy<Value = (&'static str, Value)> {
    prop_oneof![
        4 => Just(("Principal", json!("*"))),
        1 => Just(("Principal", json!({"AWS": "*"}))),
        2 => Just(("Principal", json!({"AWS": "111122223333"}))),
        2 => Just(("Principal", json!({"AWS": "arn:aws:iam::111122223333:user/alice"}))),
        1 => Just(("Principal", json!({"AWS": ["arn:aws:iam::111122223333:role/deploy", "444455556666"]}))),
        1 => Just(("NotPrincipal", json!({"AWS": "arn:aws:iam::111122223333:user/alice"}))),
    ]
}

fn action() -> impl Strategy<Value = (&'static str, Value)> {
    prop_oneof![
        4 => Just(("Action", json!("execute-api:Invoke"))),
        1 => Just(("Action", json!("execute-api:*"))),
        1 => Just(("Action", json!("*"))),
        1 => Just(("Action", json!(["s3:GetObject", "execute-api:inv?ke"]))),
        1 => Just(("Action", json!("s3:*"))),
        1 => Just(("NotAction", json!("s3:*"))),
    ]
}

fn resource() -> impl Strategy<Value = (&'static str, Value)> {
    let resources = [
        "*".to_owned(),
        format!("{ARN}/*"),
        "arn:aws:execute-api:*:*:*/prod/GET/*".to_owned(),
        format!("{ARN}/*/POST/pets*"),
        format!("{ARN}/dev/*"),
        format!("{ARN}/prod/GET/${{aws:username}}"),
        "arn:aws:execute-api:us-east-1:*".to_owned(),
    ];
    (any::<bool>(), select(resources.to_vec()), prop::option::of(select(resources.to_vec()))).prop_map(
        |(negated, first, second)| {
            let value = match second {
                Some(second) => json!([first, second]),
                None => json!(first),
            };
            (if negated { "NotResource" } else { "Resource" }, value)
        },
    )
}

fn condition() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        6 => Just(None),
        1 => Just(Some(json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))),
        1 => Just(Some(json!({"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}))),
        1 => Just(Some(json!({"StringLike": {"aws:UserAgent": "curl*"}}))),
        1 => Just(Some(json!({"StringNotEquals": {"aws:UserAgent": "curl/8"}}))),
        1 => Just(Some(json!({"Bool": {"aws:SecureTransport": "false"}}))),
        1 => Just(Some(json!({"DateLessThan": {"aws:CurrentTime": "2026-12-01T00:00:00Z"}}))),
        1 => Just(Some(json!({"StringEqualsIfExists": {"aws:username": "alice"}}))),
        1 => Just(Some(json!({"Null": {"aws:username": "true"}}))),
        1 => Just(Some(json!({"NumericLessThan": {"custom:level": "3"}}))),
        1 => Just(Some(json!({"NumericNotEquals": {"custom:level": ["1", "5"]}, "StringLike": {"aws:UserAgent": "*"}}))),
    ]
}

/// One statement; `with_principal` for resource-based policies, never for identity-based ones.
fn statement(effect: impl Strategy<Value = &'static str>, with_principal: bool) -> impl Strategy<Value = Value> {
    (effect, principal(), action(), resource(), condition(), prop::option::of(select(vec!["A", "B", "C"]))).prop_map(
        move |(effect, (pk, pv), (ak, av), (rk, rv), condition, sid)| {
            let mut m = Map::new();
            if let Some(sid) = sid {
                m.insert("Sid".into(), json!(sid));
            }
            m.insert("Effect".into(), json!(effect));
            if with_principal {
                m.insert(pk.into(), pv);
            }
            m.insert(ak.into(), av);
            m.insert(rk.into(), rv);
            if let Some(c) = condition {
                m.insert("Condition".into(), c);
            }
            Value::Object(m)
        },
    )
}

fn any_effect() -> impl Strategy<Value = &'static str> {
    select(vec!["Allow", "Deny"])
}

fn statements(with_principal: bool, min: usize) -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(statement(any_effect(), with_principal), min..5)
}

/// A request: method, path, stage, source, user agent, transport, extra keys, and (for AWS_IAM) the caller.
fn request() -> impl Strategy<Value = Value> {
    (
        select(vec!["GET", "POST", "DELETE"]),
        select(vec!["/pets", "/pets/42", "/", "/alice"]),
        select(vec!["prod", "dev"]),
        select(vec!["10.1.2.3", "198.51.100.7", "2001:db8::7"]),
        prop::option::of(select(vec!["curl/8", "Mozilla/5.0"])),
        any::<bool>(),
        prop::option::of(select(vec!["2", "5", "high"])),
        select(vec![
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::111122223333:user/bob",
            "arn:aws:sts::111122223333:assumed-role/deploy/s1",
            "arn:aws:iam::111122223333:root",
        ]),
    )
        .prop_map(|(verb, path, stage, ip, agent, secure, level, caller)| {
            let mut r = json!({
                "httpMethod": verb, "path": path, "stage": stage, "sourceIp": ip, "secureTransport": secure,
                "caller": {"arn": caller}
            });
            if let Some(agent) = agent {
                r["headers"] = json!({"User-Agent": agent});
            }
            if let Some(level) = level {
                r["context"] = json!({"custom:level": level});
            }
            r
        })
}

/// `Statement` as an array, or as the single object when `as_object` and there is exactly one.
fn policy(statements: &[Value], as_object: bool) -> Value {
    let statement = match statements {
        [one] if as_object => one.clone(),
        _ => Value::Array(statements.to_vec()),
    };
    json!({"Version": "2012-10-17", "Statement": statement})
}

/// The scenario: an API whose default method is `flow`, its resource policy (when there are statements), and
/// the users and roles of its account with `identity` as the identity-based policy of each.
fn scenario(flow: Flow, resource: &[Value], identity: &[Value], request: &Value, as_object: bool) -> Value {
    let mut api = json!({
        "id": "a1b2c3d4e5", "accountId": "111122223333", "region": "us-east-1",
        "authorizationType": if flow == Flow::None { "NONE" } else { "AWS_IAM" }
    });
    if !resource.is_empty() {
        api["policy"] = policy(resource, as_object);
    }
    let mut request = request.clone();
    let mut scenario = json!({"api": api});
    match flow {
        Flow::None => {
            request.as_object_mut().unwrap().remove("caller");
        }
        Flow::AwsIam => {
            let policies = if identity.is_empty() { json!([]) } else { json!([policy(identity, as_object)]) };
            scenario["principals"] = json!({
                "arn:aws:iam::111122223333:user/alice": {"policies": policies.clone()},
                "arn:aws:iam::111122223333:user/bob": {},
                "arn:aws:iam::111122223333:role/deploy": {"policies": policies}
            });
        }
    }
    scenario["request"] = request;
    scenario
}

fn decide(scenario: &Value) -> Decision {
    match authorize(scenario) {
        Ok(d) => d,
        Err(e) => panic!("the generated scenario is invalid: {e}\n{scenario:#}"),
    }
}

/// What a caller sees: the outcome, the status and the body (not which statement index decided).
fn answer(d: &Decision) -> (Outcome, u16, Option<String>, Option<String>) {
    (d.decision, d.status_code, d.message.clone(), d.body.clone())
}

fn flow() -> impl Strategy<Value = Flow> {
    prop_oneof![Just(Flow::None), Just(Flow::AwsIam)]
}

/// The base policies of a flow: a resource policy with at least one statement for NONE (an API without one
/// lets every NONE call in, so adding a statement that does not apply would deny: that is AWS, not a
/// violation), any resource policy and identity policy for AWS_IAM.
fn sides() -> impl Strategy<Value = (Flow, Vec<Value>, Vec<Value>)> {
    flow().prop_flat_map(|flow| {
        let min = if flow == Flow::None { 1 } else { 0 };
        (Just(flow), statements(true, min), statements(false, 0))
    })
}

fn config() -> ProptestConfig {
    // Each case decides a few scenarios end to end; 192 cases per property keep the file to seconds in debug.
    ProptestConfig { cases: 192, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn adding_a_deny_never_turns_a_denial_into_an_allow(
        (flow, resource, identity) in sides(),
        deny_resource in statement(Just("Deny"), true),
        deny_identity in statement(Just("Deny"), false),
        to_identity in any::<bool>(),
        request in request(),
    ) {
        let before = decide(&scenario(flow, &resource, &identity, &request, false));
        let (mut resource2, mut identity2) = (resource.clone(), identity.clone());
        if flow == Flow::AwsIam && to_identity {
            identity2.push(deny_identity);
        } else {
            resource2.push(deny_resource);
        }
        let after = decide(&scenario(flow, &resource2, &identity2, &request, false));
        prop_assert!(
            !(before.decision != Outcome::Allow && after.decision == Outcome::Allow),
            "a Deny turned {:?} into Allow", before.decision
        );
    }

    #[test]
    fn adding_an_allow_never_turns_an_allow_into_a_denial(
        (flow, resource, identity) in sides(),
        allow_resource in statement(Just("Allow"), true),
        allow_identity in statement(Just("Allow"), false),
        to_identity in any::<bool>(),
        request in request(),
    ) {
        let before = decide(&scenario(flow, &resource, &identity, &request, false));
        let (mut resource2, mut identity2) = (resource.clone(), identity.clone());
        if flow == Flow::AwsIam && to_identity {
            identity2.push(allow_identity);
        } else {
            resource2.push(allow_resource);
        }
        let after = decide(&scenario(flow, &resource2, &identity2, &request, false));
        prop_assert!(
            !(before.decision == Outcome::Allow && after.decision != Outcome::Allow),
            "an Allow turned Allow into {:?}", after.decision
        );
    }

    #[test]
    fn statement_order_and_object_form_never_change_the_answer(
        (flow, resource, identity) in sides(),
        seed in any::<u64>(),
        request in request(),
    ) {
        let expected = answer(&decide(&scenario(flow, &resource, &identity, &request, false)));
        // Reverse and rotate by `seed`: every order is reached over the cases without a second strategy.
        let reorder = |v: &[Value]| {
            let mut v = v.to_vec();
            if seed % 2 == 1 { v.reverse(); }
            if !v.is_empty() { let n = v.len(); v.rotate_left((seed / 2) as usize % n); }
            v
        };
        let shuffled = answer(&decide(&scenario(flow, &reorder(&resource), &reorder(&identity), &request, false)));
        prop_assert_eq!(&expected, &shuffled, "statement order changed the answer");
        // With one statement, `"Statement": {...}` and `"Statement": [{...}]` are the same policy.
        let object = answer(&decide(&scenario(flow, &resource, &identity, &request, true)));
        prop_assert_eq!(&expected, &object, "`Statement` as an object changed the answer");
    }

    #[test]
    fn text_and_parsed_value_input_give_the_same_decision(
        (flow, resource, identity) in sides(),
        request in request(),
    ) {
        let value = scenario(flow, &resource, &identity, &request, false);
        let text = serde_json::to_string_pretty(&value).unwrap();
        let from_value = harness::comparable(&authorize(&value));
        let from_text = harness::comparable(&authorize(text.as_str()));
        prop_assert_eq!(&from_value, &from_text);
        let compact = serde_json::to_string(&value).unwrap();
        let converted = authorize(apigw_authz::Input::Converted(&compact)).map(|d| d.to_json()).map_err(|e| e.to_json());
        prop_assert_eq!(converted, authorize(&value).map(|d| d.to_json()).map_err(|e| e.to_json()));
    }
}

/// Text with every kind of character JSON treats specially: quotes, backslashes, each control character, DEL,
/// `/`, and non-ASCII up to the astral planes.
fn awkward_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => select(vec!['a', '"', '\\', '/', '\u{7f}', 'é', '€', '𝄞']),
            2 => (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap()),
            1 => any::<char>(),
        ],
        0..16,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn tok() -> impl Strategy<Value = Tok> {
    prop_oneof![
        3 => select(vec!['a', 'b', ':', '/', 'é']).prop_map(Tok::Lit),
        1 => Just(Tok::One),
        2 => Just(Tok::Run),
        // A star or question mark that came from a variable's value: literal.
        1 => select(vec!['*', '?']).prop_map(Tok::Lit),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn decisions_are_written_as_serde_writes_them(
        message in awkward_text(),
        caller in awkward_text(),
        sid in prop::option::of(awkward_text()),
        warning in awkward_text(),
        index in any::<usize>(),
        status in any::<u16>(),
        invoked in any::<bool>(),
    ) {
        let decision = Decision {
            decision: Outcome::ExplicitDeny,
            status_code: status,
            response_type: Some("ACCESS_DENIED"),
            error_type: None,
            body: Some(format!("{{\"Message\":{}}}", serde_json::to_string(&message).unwrap())),
            message: Some(message),
            method_arn: None,
            caller: caller.into(),
            authorizer_invoked: invoked,
            decisive: vec![apigw_authz::StatementRef { policy: "identity:0".into(), index, sid, effect: "Deny" }],
            explanation: Vec::new(),
            warnings: vec![warning, String::new()],
        };
        prop_assert_eq!(decision.to_json(), serde_json::to_string(&decision).unwrap());
    }

    #[test]
    fn the_compact_length_bound_is_never_below_the_compact_length(
        texts in prop::collection::vec(awkward_text(), 0..6),
        number in any::<i64>(),
    ) {
        let value = json!({
            "texts": texts.clone(),
            "keyed": texts.iter().map(|t| (t.clone(), Value::from(number))).collect::<Map<String, Value>>(),
            "flags": [true, false, null],
        });
        let tree = apigw_authz::json::from_value(&value, &Default::default()).unwrap();
        let written = serde_json::to_string(&value).unwrap().len();
        prop_assert_eq!(tree.compact_len(apigw_authz::json::LengthUnit::Bytes), written);
        prop_assert!(tree.compact_len_bound() >= written);
    }

    #[test]
    fn the_wildcard_matchers_agree_with_the_reference(
        pattern in prop::collection::vec(tok(), 0..12),
        text in prop::collection::vec(select(vec!['a', 'b', ':', '/', 'é', '*']), 0..24),
    ) {
        let text: String = text.into_iter().collect();
        let atoms = harness::atoms(&pattern);
        let chars: Vec<char> = text.chars().collect();
        let glob = apigw_authz::wildcard::Glob::from_atoms(String::new(), &atoms);
        prop_assert_eq!(glob.matches(&text), reference_match(&pattern, &chars), "Glob {:?} on {:?}", pattern, text);
        let arn = apigw_authz::wildcard::ArnGlob::from_atoms(String::new(), &atoms);
        prop_assert_eq!(arn.matches(&text), reference_arn_match(&pattern, &text), "ArnGlob {:?} on {:?}", pattern, text);
        let resource = arn.for_resource();
        prop_assert_eq!(resource.matches(&text), reference_resource_narrow_match(&pattern, &text), "Resource {:?} on {:?}", pattern, text);
        prop_assert_eq!(resource.matches_wide(&text), reference_resource_match(&pattern, &text), "Resource, wide, {:?} on {:?}", pattern, text);
    }
}
