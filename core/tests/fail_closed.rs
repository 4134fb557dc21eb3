//! Failing closed: wherever the engine meets something it does not know, it refuses the input (an error) or
//! reads it in the denying direction (an Allow that does not apply, a Deny that does). One test per row of the
//! "Failing closed" table of the README that the error corpus (`tests/errors/`) does not already cover.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use apigw_authz::{authorize, validate_policy, Decision, ErrorCode, Outcome, PolicyKind, Severity};
use serde_json::{json, Value};

const ARN: &str = "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5";

fn api(policy: Option<Value>) -> Value {
    let mut api = json!({"id": "a1b2c3d4e5", "accountId": "111122223333", "region": "us-east-1"});
    if let Some(p) = policy {
        api["policy"] = p;
    }
    api
}

fn request() -> Value {
    json!({"httpMethod": "GET", "path": "/pets", "stage": "prod", "sourceIp": "198.51.100.7"})
}

/// A NONE method behind a resource policy with these statements.
fn decide(statements: Value) -> Decision {
    let scenario =
        json!({"api": api(Some(json!({"Version": "2012-10-17", "Statement": statements}))), "request": request()});
    authorize(&scenario).unwrap_or_else(|e| panic!("{e}"))
}

fn allow(extra: Value) -> Value {
    let mut s = json!({"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*"});
    for (k, v) in extra.as_object().unwrap() {
        s[k] = v.clone();
    }
    s
}

fn deny(extra: Value) -> Value {
    let mut s = allow(extra);
    s["Effect"] = json!("Deny");
    s
}

fn warnings(policy: &Value) -> Vec<String> {
    validate_policy(&policy.to_string(), PolicyKind::Resource)
        .into_iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.message)
        .collect()
}

#[test]
fn an_action_of_another_service_or_misspelt_never_allows() {
    for action in ["s3:GetObject", "execute-api:Invok", "execute-api:invoke*x", "lambda:*"] {
        let d = decide(json!([allow(json!({"Action": action}))]));
        assert_eq!(d.decision, Outcome::ImplicitDeny, "{action}");
    }
    // A Deny with a misspelt execute-api action protects nothing (as in AWS): validation says so.
    let policy = json!({"Version": "2012-10-17", "Statement": [deny(json!({"Action": ["execute-api:Invok", "execute-api:Inv*"]}))]});
    let found = warnings(&policy);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("action `execute-api:Invok` names no execute-api action"), "{found:?}");
    let misspelt = deny(json!({"Action": "execute-api:Invok"}));
    assert_eq!(decide(json!([allow(json!({})), misspelt])).decision, Outcome::Allow);
    // Actions compare case-insensitively, as IAM does.
    assert_eq!(decide(json!([allow(json!({"Action": "EXECUTE-API:invoke"}))])).decision, Outcome::Allow);
}

#[test]
fn an_unknown_condition_key_is_a_warning_and_absent_at_evaluation() {
    let condition = json!({"StringEquals": {"aws:SourceIpp": "198.51.100.7"}});
    let policy = json!({"Version": "2012-10-17", "Statement": [allow(json!({"Condition": condition}))]});
    assert!(warnings(&policy).iter().any(|w| w.contains("`aws:SourceIpp` is not one AWS documents")));
    assert_eq!(decide(policy["Statement"].clone()).decision, Outcome::ImplicitDeny);
    // A Deny on it with a positive operator does not apply (AWS: the key is absent), so the Allow decides; a
    // negated operator on an absent key is true, so the Deny applies.
    let d = decide(json!([allow(json!({})), deny(json!({"Condition": condition}))]));
    assert_eq!(d.decision, Outcome::Allow);
    let negated = json!({"StringNotEquals": {"aws:SourceIpp": "198.51.100.7"}});
    assert_eq!(decide(json!([allow(json!({})), deny(json!({"Condition": negated}))])).decision, Outcome::ExplicitDeny);
}

#[test]
fn a_star_ending_an_arn_part_spans_colons_and_a_short_resource_without_one_matches_nothing() {
    // IAM: a `*` that ends an ARN segment can expand beyond the colons. A Deny written that way must deny.
    for resource in ["arn:aws:execute-api:us-east-1:*", "arn:aws:execute-api:*", "arn:*", "arn:aws:execute-api:us-*"] {
        let policy = json!({"Version": "2012-10-17", "Statement": [allow(json!({"Resource": resource}))]});
        assert!(warnings(&policy).is_empty(), "{resource}: {:?}", warnings(&policy));
        assert_eq!(decide(policy["Statement"].clone()).decision, Outcome::Allow, "{resource}");
        let denied = json!([allow(json!({})), deny(json!({"Resource": resource}))]);
        assert_eq!(decide(denied).decision, Outcome::ExplicitDeny, "{resource}");
    }
    // How far a star ending an earlier part reaches AWS does not show: read so only where it denies.
    let resource = "arn:aws:execute-api:*:a1b2c3d4e5/*";
    let policy = json!({"Version": "2012-10-17", "Statement": [allow(json!({"Resource": resource}))]});
    assert!(warnings(&policy).is_empty(), "{:?}", warnings(&policy));
    assert_eq!(decide(policy["Statement"].clone()).decision, Outcome::ImplicitDeny);
    assert_eq!(decide(json!([allow(json!({})), deny(json!({"Resource": resource}))])).decision, Outcome::ExplicitDeny);
    let allow_all_but =
        json!([{"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "NotResource": resource}]);
    assert_eq!(decide(allow_all_but).decision, Outcome::ImplicitDeny);
    // Parts that do not match still do not; a short pattern whose last part does not end in `*` matches no
    // ARN of six parts, with a warning.
    for (resource, matches_nothing) in [
        ("arn:aws:execute-api:eu-west-1:*", false),
        ("arn:aws:s3:*", false),
        ("arn:aws:execute-api:*:111122223333", true),
        ("arn:aws:execute-api:*:a1b2c3d4e5", true),
        ("arn:aws:execute-api:us-east-1", true),
        ("arn:aws:execute-api:us-east-1:111122223333", true),
    ] {
        let policy = json!({"Version": "2012-10-17", "Statement": [allow(json!({"Resource": resource}))]});
        let warned = warnings(&policy).iter().any(|w| w.contains("fewer than the six"));
        assert_eq!(warned, matches_nothing, "{resource}");
        assert_eq!(decide(policy["Statement"].clone()).decision, Outcome::ImplicitDeny, "{resource}");
    }
    // The Arn condition operators compare the six parts one by one: no part spans the rest.
    let arn_like = json!({"ArnLike": {"aws:SourceArn": "arn:aws:*"}});
    let policy = json!({"Version": "2012-10-17", "Statement": [allow(json!({"Condition": arn_like}))]});
    assert!(warnings(&policy).iter().any(|w| w.contains("fewer than the six")));
}

#[test]
fn a_multi_valued_key_is_no_policy_variable_and_says_so() {
    for (element, value) in [
        ("Resource", json!(format!("{ARN}/prod/GET/${{aws:PrincipalOrgPaths}}"))),
        ("Condition", json!({"StringEquals": {"aws:UserAgent": "${aws:TagKeys}"}})),
    ] {
        let policy = json!({"Version": "2012-10-17", "Statement": [allow(json!({element: value}))]});
        assert!(
            warnings(&policy).iter().any(|w| w.contains("is a multi-valued key")),
            "{element}: {:?}",
            warnings(&policy)
        );
    }
    let single = json!({"StringEquals": {"aws:UserAgent": "${aws:RequestedRegion}"}});
    let policy = json!({"Version": "2012-10-17", "Statement": [allow(json!({"Condition": single}))]});
    assert!(warnings(&policy).is_empty(), "{:?}", warnings(&policy));
}

#[test]
fn a_resource_holding_a_variable_without_value_matches_nothing() {
    // An anonymous caller has no `aws:username`.
    let resource = format!("{ARN}/prod/GET/${{aws:username}}");
    assert_eq!(decide(json!([allow(json!({"Resource": resource}))])).decision, Outcome::ImplicitDeny);
    let with_default = format!("{ARN}/prod/GET/${{aws:username, 'pets'}}");
    assert_eq!(decide(json!([allow(json!({"Resource": with_default}))])).decision, Outcome::Allow);
    // A string condition on a variable without value does not match, a negated one does (policy-language.md).
    let condition = json!({"StringEquals": {"aws:UserAgent": "${aws:username}"}});
    assert_eq!(decide(json!([allow(json!({"Condition": condition}))])).decision, Outcome::ImplicitDeny);
}

#[test]
fn federated_and_canonical_user_principals_never_name_an_api_gateway_caller() {
    for principal in [json!({"Federated": "cognito-identity.amazonaws.com"}), json!({"CanonicalUser": "79a59df9"})] {
        let d = decide(json!([allow(json!({"Principal": principal}))]));
        assert_eq!(d.decision, Outcome::ImplicitDeny, "{principal}");
    }
}

#[test]
fn unknown_names_in_the_contract_are_errors() {
    let cases = [
        ("endpointType", json!("INTERNAL"), "unknown endpointType `INTERNAL`"),
        ("gatewayResponses", json!({"ACCESS_DENIEDD": {}}), "unknown gateway response type `ACCESS_DENIEDD`"),
        ("authorizers", json!([{"id": "a", "type": "JWT"}]), "unknown authorizer type `JWT`"),
        (
            "authorizers",
            json!([{"id": "a", "type": "REQUEST", "identitySource": "method.request.cookie.x"}]),
            "identity source `method.request.cookie.x`",
        ),
        ("methods", json!([{"httpMethod": "FETCH", "resourcePath": "/"}]), "unknown httpMethod `FETCH`"),
    ];
    for (field, value, message) in cases {
        let mut a = api(None);
        a[field] = value;
        let err = authorize(&json!({"api": a, "request": request()})).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidScenario, "{field}");
        assert!(err.message.contains(message), "{field}: {}", err.message);
    }
}

/// A CUSTOM (REQUEST authorizer) API and what the function returned.
fn with_authorizer(result: Value, identity_source: &str, ttl: u64) -> Result<Decision, apigw_authz::Error> {
    let mut a = api(None);
    a["authorizationType"] = json!("CUSTOM");
    a["authorizers"] = json!([{"id": "auth", "type": "REQUEST", "identitySource": identity_source,
                               "authorizerResultTtlInSeconds": ttl}]);
    let mut r = request();
    r["headers"] = json!({"Authorization": "token"});
    r["authorizerResult"] = result;
    authorize(&json!({"api": a, "request": r}))
}

#[test]
fn an_unknown_field_in_the_authorizer_result_is_an_error() {
    let result = json!({"principalId": "u", "policyDocument": {"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}]}, "isAuthorized": true});
    let err = with_authorizer(result, "method.request.header.Authorization", 0).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidScenario);
    assert_eq!(err.path, "/request/authorizerResult/isAuthorized");
    assert!(err.message.starts_with("unknown field `isAuthorized`"));
}

#[test]
fn an_authorizer_result_api_gateway_cannot_use_is_a_500() {
    let policy = json!({"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}]});
    let bad_policy = json!({"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*"}]});
    let results = [
        json!({"policyDocument": policy}),
        json!({"principalId": {"id": 1}, "policyDocument": policy}),
        json!({"principalId": "u"}),
        json!({"principalId": "u", "policyDocument": bad_policy}),
        json!({"principalId": "u", "policyDocument": policy, "context": {"nested": {"a": 1}}}),
        json!({"principalId": "u", "policyDocument": policy, "context": {"big": "x".repeat(9000)}}),
        json!({"error": "Something else"}),
    ];
    for result in results {
        let d = with_authorizer(result.clone(), "method.request.header.Authorization", 0).unwrap();
        assert_eq!((d.decision, d.status_code), (Outcome::AuthorizerError, 500), "{result}");
    }
    let d = with_authorizer(json!({"error": "Unauthorized"}), "method.request.header.Authorization", 0).unwrap();
    assert_eq!(d.status_code, 401);
}

#[test]
fn an_identity_source_the_request_cannot_carry_is_missing() {
    // `context.x` has no value in a request; with caching on, every identity source is required: 401.
    let result = json!({"principalId": "u", "policyDocument": {"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}]}});
    let d = with_authorizer(result, "context.x", 300).unwrap();
    assert_eq!((d.decision, d.status_code), (Outcome::Unauthenticated, 401));
}

#[test]
fn an_undescribed_caller_has_no_identity_policies() {
    let mut a = api(None);
    a["authorizationType"] = json!("AWS_IAM");
    let mut r = request();
    r["caller"] = json!({"arn": "arn:aws:iam::111122223333:user/stranger"});
    let d = authorize(&json!({"api": a, "request": r})).unwrap();
    assert_eq!(d.decision, Outcome::ImplicitDeny);
    assert!(d.warnings.iter().any(|w| w.contains("is not described under `principals`")));
}

#[test]
fn an_undescribed_vpc_endpoint_has_the_default_policy_but_the_private_api_still_needs_its_own() {
    let mut a = api(None);
    a["endpointType"] = json!("PRIVATE");
    let mut r = request();
    r["vpcEndpointId"] = json!("vpce-1");
    let d = authorize(&json!({"api": a.clone(), "request": r.clone()})).unwrap();
    assert_eq!(d.decision, Outcome::ImplicitDeny, "a private API without a resource policy denies");
    assert!(d.warnings.iter().any(|w| w.contains("is not described under `vpcEndpoints`")));
}
