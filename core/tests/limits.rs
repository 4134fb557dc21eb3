//! The caps that keep hostile input from exhausting memory, the stack or time, and AWS's own size limit on a
//! resource policy: each is an error (never a panic, never a silent cut) that says which limit and where.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use apigw_authz::condition::MAX_VALUES_PER_KEY;
use apigw_authz::json::{self, Limits};
use apigw_authz::policy::{Policy, MAX_STATEMENTS, RESOURCE_POLICY_MAX_CHARS};
use apigw_authz::{authorize, validate_policy, Error, ErrorCode, PolicyKind, Severity};
use serde_json::{json, Value};

fn statement(sid: &str) -> Value {
    json!({"Sid": sid, "Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*"})
}

fn policy_of(statements: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn compile_err(policy: &Value, kind: PolicyKind) -> Error {
    Policy::compile(policy, kind, None).expect_err("the policy should be refused")
}

#[test]
fn input_larger_than_8_mib_is_refused_before_it_is_read() {
    let limit = Limits::default().max_bytes;
    assert_eq!(limit, 8 * 1024 * 1024);
    // A valid JSON document one byte over the limit: a string of spaces.
    let text = format!("\"{}\"", " ".repeat(limit - 1));
    assert_eq!(text.len(), limit + 1);
    let err = authorize(text.as_str()).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidJson);
    assert_eq!(err.message, format!("the input is {} bytes, more than the limit of {limit}", limit + 1));
    assert_eq!(err.path, "");
    let diagnostics = validate_policy(&text, PolicyKind::Identity);
    assert_eq!(diagnostics.len(), 1);
    assert!(diagnostics[0].message.contains("more than the limit of 8388608"));
    // At the limit, the reader reads it (and the contract then says what is wrong with it).
    let text = format!("\"{}\"", " ".repeat(limit - 2));
    assert!(json::parse(&text, &Limits::default()).is_ok());
}

/// `depth` nested arrays around `0`.
fn nested(depth: usize) -> String {
    format!("{}0{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn nesting_deeper_than_64_levels_is_refused_with_its_path() {
    let limits = Limits::default();
    assert_eq!(limits.max_depth, 64);
    assert!(json::parse(&nested(64), &limits).is_ok());
    let err = json::parse(&nested(65), &limits).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidJson);
    assert_eq!(err.message, "nesting deeper than the limit of 64 levels");
    assert_eq!(err.path, format!("/{}", vec!["0"; 64].join("/")));

    // The same for a parsed value (what JavaScript and Python hand in), and far deeper text never overflows
    // the stack.
    let value: Value = serde_json::from_str(&nested(65)).unwrap();
    // A tree a front built itself (Input::Tree) is checked the same way.
    let (deep_text, shallow_text) = (nested(65), nested(64));
    let tree = json::parse(&deep_text, &Limits { max_depth: 100, ..limits }).unwrap();
    let by_tree = json::check_depth(&tree, &limits).unwrap_err();
    assert_eq!((by_tree.code, &by_tree.message, &by_tree.path), (err.code, &err.message, &err.path));
    let shallow = json::parse(&shallow_text, &limits).unwrap();
    assert!(json::check_depth(&shallow, &limits).is_ok());
    let err = json::from_value(&value, &limits).unwrap_err();
    assert_eq!(err.message, "nesting deeper than the limit of 64 levels");
    let err = authorize(nested(100_000).as_str()).unwrap_err();
    assert_eq!(err.message, "nesting deeper than the limit of 64 levels");

    // Inside a policy: a condition value nested too deep.
    let mut deep = json!("x");
    for _ in 0..64 {
        deep = json!([deep]);
    }
    let policy = json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
                                      "Condition": {"StringEquals": {"aws:username": deep}}}});
    let err = compile_err(&policy, PolicyKind::Identity);
    assert_eq!(err.code, ErrorCode::InvalidJson);
    assert!(err.path.starts_with("/Statement/Condition/StringEquals/aws:username/0/0"), "{}", err.path);
}

#[test]
fn more_than_2048_statements_are_refused() {
    assert_eq!(MAX_STATEMENTS, 2048);
    let at_limit = policy_of((0..MAX_STATEMENTS).map(|i| statement(&format!("S{i}"))).collect());
    let compiled = Policy::compile(&at_limit, PolicyKind::ResourceBased, None).unwrap();
    assert_eq!(compiled.statements.len(), MAX_STATEMENTS);
    let over = policy_of((0..=MAX_STATEMENTS).map(|i| statement(&format!("S{i}"))).collect());
    let err = compile_err(&over, PolicyKind::ResourceBased);
    assert_eq!(err.code, ErrorCode::InvalidPolicy);
    assert_eq!(err.path, "/Statement");
    assert_eq!(err.message, "2049 statements, more than the limit of 2048");
}

#[test]
fn more_than_1000_values_for_one_condition_key_are_refused() {
    assert_eq!(MAX_VALUES_PER_KEY, 1000);
    let with_values = |n: usize| {
        let values: Vec<String> = (0..n).map(|i| format!("10.{}.{}.0/24", i / 256, i % 256)).collect();
        json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
                             "Condition": {"IpAddress": {"aws:SourceIp": values}}}})
    };
    assert!(Policy::compile(&with_values(MAX_VALUES_PER_KEY), PolicyKind::Identity, None).is_ok());
    let err = compile_err(&with_values(MAX_VALUES_PER_KEY + 1), PolicyKind::Identity);
    assert_eq!(err.code, ErrorCode::InvalidPolicy);
    assert_eq!(err.path, "/Statement/Condition/IpAddress/aws:SourceIp");
    assert_eq!(err.message, "`aws:SourceIp` lists 1001 values, more than the limit of 1000");
}

/// A resource policy of exactly `chars` characters as AWS counts them (no white space outside strings).
fn resource_policy_of_size(chars: usize) -> Value {
    let mut policy = policy_of(vec![statement("")]);
    let base = serde_json::to_string(&policy).unwrap().chars().count();
    policy["Statement"][0]["Sid"] = json!("s".repeat(chars - base));
    assert_eq!(serde_json::to_string(&policy).unwrap().chars().count(), chars);
    policy
}

#[test]
fn a_resource_policy_over_8192_characters_is_refused_as_api_gateway_does() {
    assert_eq!(RESOURCE_POLICY_MAX_CHARS, 8192);
    let at_limit = resource_policy_of_size(RESOURCE_POLICY_MAX_CHARS);
    assert!(Policy::compile(&at_limit, PolicyKind::Resource, None).is_ok());
    // White space does not count: the same policy pretty-printed is still within the limit.
    let pretty = serde_json::to_string_pretty(&at_limit).unwrap();
    assert!(pretty.len() > RESOURCE_POLICY_MAX_CHARS);
    assert!(validate_policy(&pretty, PolicyKind::Resource).iter().all(|d| d.severity != Severity::Error));

    let over = resource_policy_of_size(RESOURCE_POLICY_MAX_CHARS + 1);
    let err = compile_err(&over, PolicyKind::Resource);
    assert_eq!(err.code, ErrorCode::InvalidPolicy);
    assert_eq!(err.path, "");
    assert_eq!(err.message, "the resource policy is 8193 characters, more than API Gateway's limit of 8192");
    // As text too, and counted in characters, not bytes: 8192 characters of which many take two bytes are within
    // the limit, one more is not.
    let over_text = serde_json::to_string(&over).unwrap();
    assert!(Policy::compile(over_text.as_str(), PolicyKind::Resource, None).is_err());
    for (chars, ok) in [(RESOURCE_POLICY_MAX_CHARS, true), (RESOURCE_POLICY_MAX_CHARS + 1, false)] {
        let mut wide = resource_policy_of_size(chars);
        let sid = wide["Statement"][0]["Sid"].as_str().unwrap().replace('s', "é");
        wide["Statement"][0]["Sid"] = json!(sid);
        let text = serde_json::to_string(&wide).unwrap();
        assert!(text.len() > RESOURCE_POLICY_MAX_CHARS + 1000);
        assert_eq!(Policy::compile(text.as_str(), PolicyKind::Resource, None).is_ok(), ok, "{chars} as text");
        assert_eq!(Policy::compile(&wide, PolicyKind::Resource, None).is_ok(), ok, "{chars} as a value");
    }
    // The limit is API Gateway's: other resource-based policies are not held to it.
    assert!(Policy::compile(&over, PolicyKind::ResourceBased, None).is_ok());

    // In a scenario the error points at the policy.
    let scenario = json!({
        "api": {"id": "a1b2c3d4e5", "accountId": "111122223333", "region": "us-east-1", "policy": over},
        "request": {"httpMethod": "GET", "path": "/", "stage": "prod", "sourceIp": "198.51.100.7"}
    });
    let err = authorize(&scenario).unwrap_err();
    assert_eq!(err.path, "/api/policy");
    assert!(err.message.contains("more than API Gateway's limit of 8192"));
}

#[test]
fn a_method_arn_over_1600_bytes_is_answered_414() {
    let path = format!("/{}", "p".repeat(1600));
    let scenario = json!({
        "api": {"id": "a1b2c3d4e5", "accountId": "111122223333", "region": "us-east-1"},
        "request": {"httpMethod": "GET", "path": path, "stage": "prod", "sourceIp": "198.51.100.7"}
    });
    let decision = authorize(&scenario).unwrap();
    assert_eq!(decision.status_code, 414);
}

/// A scenario whose Lambda authorizer returns a result of exactly `size` bytes written compactly (the padding
/// is a context value).
fn authorizer_scenario(size: usize) -> Value {
    let mut result = json!({
        "principalId": "alice",
        "policyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:*:*:*"}
        ]},
        "context": {"pad": ""}
    });
    let base = serde_json::to_string(&result).unwrap().len();
    result["context"]["pad"] = Value::String("é".repeat((size - base) / 2) + &"x".repeat((size - base) % 2));
    assert_eq!(serde_json::to_string(&result).unwrap().len(), size);
    json!({
        "api": {
            "id": "a1b2c3d4e5", "accountId": "111122223333", "region": "us-east-1",
            "methods": [{"httpMethod": "ANY", "resourcePath": "/{proxy+}", "authorizationType": "CUSTOM", "authorizerId": "tok"}],
            "authorizers": [{"id": "tok", "type": "TOKEN", "identitySource": "method.request.header.Authorization"}]
        },
        "request": {
            "httpMethod": "GET", "path": "/pets", "stage": "prod", "sourceIp": "198.51.100.7",
            "headers": {"Authorization": "Bearer t"}, "authorizerResult": result
        }
    })
}

#[test]
fn an_authorizer_result_over_8_kb_is_answered_500_however_it_is_written() {
    for (size, status) in [(8192, 200), (8193, 500)] {
        let scenario = authorizer_scenario(size);
        // As a value, as compact text, and as text with a lot of white space (longer than the limit even when
        // the result itself is within it): the size that counts is the compact one.
        let compact = serde_json::to_string(&scenario).unwrap();
        let spread = serde_json::to_string_pretty(&scenario).unwrap().replace(": ", ":        ");
        for (form, decision) in [
            ("value", authorize(&scenario)),
            ("compact text", authorize(compact.as_str())),
            ("spread text", authorize(spread.as_str())),
        ] {
            let decision = decision.unwrap();
            assert_eq!(decision.status_code, status, "{size} bytes as {form}: {}", decision.to_json());
        }
    }
}
