//! Metamorphic properties of the decision over the flows `properties.rs` leaves out: AWS_IAM callers of another
//! account (Table B) and the limits of a caller's side (permissions boundary, service control policies, the
//! session policy of a role session), Lambda authorizers (TOKEN and REQUEST, their policy with the resource
//! policy by Table A), private APIs behind a VPC endpoint with a policy, and condition keys whose value the
//! scenario does not know.
//!
//! The properties: adding a Deny (to any side) never lets more in; adding an Allow (to a side that already
//! exists and whose absence is not itself an allow) never keeps out; adding a limit (a boundary, an SCP, a
//! session policy) never lets more in; a value the scenario does not know is never more permissive than any
//! concrete value it could take; header-name case never matters; a cached authorizer result decides as the
//! same result returned afresh.
//!
//! Each vocabulary is drawn so that statements meet the requests drawn; `each_flow_reaches_allow_and_denial`
//! checks that a fair share of the generated cases of every flow is allowed and a fair share denied, so the
//! properties are not checked vacuously.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use apigw_authz::{authorize, run_suite, Decision, Outcome};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{json, Map, Value};

const OWNER: &str = "111122223333";
const OTHER: &str = "444455556666";
const ARN: &str = "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5";

/// The method type of a flow, and for CUSTOM the authorizer's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    None,
    AwsIam,
    Token,
    Request,
}

/// Which flow decides: a regional API with a method of `method`, or a private API reached through endpoint
/// `vpce-1` whose policy is `endpoint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Flow {
    method: Method,
    private: bool,
}

/// Every policy of a scenario, as lists of statements (`None`: the policy is absent).
#[derive(Debug, Clone)]
struct World {
    flow: Flow,
    resource: Vec<Value>,
    identity: Vec<Value>,
    boundary: Option<Vec<Value>>,
    scps: Vec<Vec<Value>>,
    session: Option<Vec<Value>>,
    authorizer: Vec<Value>,
    endpoint: Option<Vec<Value>>,
}

/// Where a statement is added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Resource,
    Identity,
    Boundary,
    Scp,
    Session,
    Authorizer,
    Endpoint,
}

// ---------------------------------------------------------------------------------------------------------------
// Vocabulary

fn principal() -> impl Strategy<Value = (&'static str, Value)> {
    prop_oneof![
        4 => Just(("Principal", json!("*"))),
        1 => Just(("Principal", json!({"AWS": "*"}))),
        2 => Just(("Principal", json!({"AWS": OTHER}))),
        1 => Just(("Principal", json!({"AWS": OWNER}))),
        2 => Just(("Principal", json!({"AWS": "arn:aws:iam::444455556666:user/carol"}))),
        1 => Just(("Principal", json!({"AWS": "arn:aws:iam::111122223333:user/alice"}))),
        2 => Just(("Principal", json!({"AWS": "arn:aws:iam::444455556666:role/ext"}))),
        1 => Just(("Principal", json!({"AWS": "arn:aws:sts::444455556666:assumed-role/ext/s2"}))),
        1 => Just(("Principal", json!({"AWS": ["arn:aws:iam::111122223333:role/deploy", "arn:aws:iam::444455556666:root"]}))),
        1 => Just(("NotPrincipal", json!({"AWS": "arn:aws:iam::444455556666:user/carol"}))),
        1 => Just(("NotPrincipal", json!({"AWS": ["arn:aws:iam::444455556666:role/ext", OTHER]}))),
    ]
}

fn action() -> impl Strategy<Value = (&'static str, Value)> {
    prop_oneof![
        5 => Just(("Action", json!("execute-api:Invoke"))),
        1 => Just(("Action", json!("execute-api:*"))),
        1 => Just(("Action", json!("*"))),
        1 => Just(("Action", json!("s3:*"))),
        1 => Just(("NotAction", json!("s3:*"))),
    ]
}

/// Resource patterns; `shorthand` for resource-based policies (`execute-api:/...`).
fn resource(shorthand: bool) -> impl Strategy<Value = (&'static str, Value)> {
    let mut resources = vec![
        "*".to_owned(),
        "*".to_owned(),
        format!("{ARN}/*"),
        format!("{ARN}/*"),
        format!("{ARN}/*"),
        format!("{ARN}/prod/GET/*"),
        format!("{ARN}/*/POST/*"),
        format!("{ARN}/dev/*"),
        format!("{ARN}/prod/GET/${{aws:username}}"),
        format!("{ARN}/prod/*/${{aws:userid}}"),
        "arn:aws:execute-api:*:*:*/prod/*".to_owned(),
    ];
    if shorthand {
        resources.push("execute-api:/*/GET/*".to_owned());
    }
    (0..10u8, select(resources)).prop_map(|(n, r)| (if n == 0 { "NotResource" } else { "Resource" }, json!(r)))
}

fn condition() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        24 => Just(None),
        1 => Just(Some(json!({"StringEquals": {"aws:PrincipalAccount": OTHER}}))),
        1 => Just(Some(json!({"StringNotEquals": {"aws:PrincipalAccount": OWNER}}))),
        1 => Just(Some(json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}}))),
        1 => Just(Some(json!({"StringEquals": {"aws:PrincipalTag/team": "red"}}))),
        1 => Just(Some(json!({"StringNotEqualsIfExists": {"aws:PrincipalTag/Team": "blue"}}))),
        1 => Just(Some(json!({"StringEquals": {"aws:PrincipalOrgID": "o-123"}}))),
        1 => Just(Some(json!({"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-999"}}))),
        1 => Just(Some(json!({"DateGreaterThanIfExists": {"aws:TokenIssueTime": "2026-11-22T08:00:00Z"}}))),
        1 => Just(Some(json!({"Null": {"aws:PrincipalTag/team": "true"}}))),
        1 => Just(Some(json!({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-123/r-ab/ou-1*"}}))),
        1 => Just(Some(json!({"ForAllValues:StringLike": {"aws:PrincipalOrgPaths": ["o-123/*"]}}))),
        1 => Just(Some(json!({"StringLike": {"aws:userid": "AIDA*"}}))),
        1 => Just(Some(json!({"StringNotLike": {"aws:userid": ["AROA*:s1", "anonymous"]}}))),
        1 => Just(Some(json!({"Null": {"aws:username": "false"}}))),
        1 => Just(Some(json!({"StringEquals": {"aws:SourceVpce": "vpce-1"}}))),
        1 => Just(Some(json!({"StringNotEquals": {"aws:SourceVpc": "vpc-1"}}))),
        1 => Just(Some(json!({"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}}))),
        1 => Just(Some(json!({"NotIpAddressIfExists": {"aws:SourceIp": "203.0.113.0/24"}}))),
        1 => Just(Some(json!({"StringLike": {"aws:UserAgent": "curl*"}}))),
        1 => Just(Some(json!({"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}))),
        1 => Just(Some(json!({"StringEquals": {"aws:PrincipalType": ["User", "AssumedRole"]}}))),
    ]
}

/// The kind of policy a statement is for: a Principal in resource-based policies (the API's and an endpoint's),
/// the `execute-api:/` shorthand only in the API's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Resource,
    Endpoint,
    Identity,
}

/// One statement of a policy of `kind`.
fn statement(effect: &'static str, kind: Kind) -> impl Strategy<Value = Value> {
    (principal(), action(), resource(kind == Kind::Resource), condition()).prop_map(
        move |((pk, pv), (ak, av), (rk, rv), condition)| {
            let mut m = Map::new();
            m.insert("Effect".into(), json!(effect));
            if kind != Kind::Identity {
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

/// Statements, Allows three times as often as Denys (so that the flows where two sides must allow do).
fn statements(kind: Kind, min: usize, max: usize) -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(prop_oneof![3 => statement("Allow", kind), 1 => statement("Deny", kind)], min..max)
}

/// A limit (boundary, SCP, session policy): mostly a broad Allow, sometimes a narrower one or a Deny.
fn limit() -> impl Strategy<Value = Vec<Value>> {
    prop_oneof![
        5 => Just(vec![json!({"Effect": "Allow", "Action": "execute-api:*", "Resource": "*"})]),
        2 => statements(Kind::Identity, 1, 3),
    ]
}

fn flow() -> impl Strategy<Value = Flow> {
    prop_oneof![
        4 => Just(Flow { method: Method::AwsIam, private: false }),
        2 => Just(Flow { method: Method::Token, private: false }),
        1 => Just(Flow { method: Method::Request, private: false }),
        1 => Just(Flow { method: Method::None, private: true }),
        2 => Just(Flow { method: Method::AwsIam, private: true }),
        1 => Just(Flow { method: Method::Token, private: true }),
    ]
}

fn world() -> impl Strategy<Value = World> {
    flow().prop_flat_map(world_of)
}

fn world_of(flow: Flow) -> impl Strategy<Value = World> {
    {
        let iam = flow.method == Method::AwsIam;
        let custom = matches!(flow.method, Method::Token | Method::Request);
        (
            Just(flow),
            // A NONE method of a regional API without a resource policy lets everyone in; every flow drawn
            // here has the absence mean "no allow", but a resource policy is usual.
            statements(Kind::Resource, if flow.private || iam { 1 } else { 0 }, 4),
            if iam { statements(Kind::Identity, 1, 3).boxed() } else { Just(vec![]).boxed() },
            if iam { prop::option::of(limit()).boxed() } else { Just(None).boxed() },
            if iam { prop::collection::vec(limit(), 0..2).boxed() } else { Just(vec![]).boxed() },
            if iam { prop::option::of(limit()).boxed() } else { Just(None).boxed() },
            if custom { statements(Kind::Identity, 0, 3).boxed() } else { Just(vec![]).boxed() },
            if flow.private { prop::option::of(statements(Kind::Endpoint, 1, 3)).boxed() } else { Just(None).boxed() },
        )
            .prop_map(|(flow, resource, identity, boundary, scps, session, authorizer, endpoint)| World {
                flow,
                resource,
                identity,
                boundary,
                scps,
                session,
                authorizer,
                endpoint,
            })
    }
}

/// The callers of AWS_IAM requests: users, role sessions and roots of the API's account and of another.
const CALLERS: [&str; 6] = [
    "arn:aws:iam::444455556666:user/carol",
    "arn:aws:sts::444455556666:assumed-role/ext/s2",
    "arn:aws:iam::444455556666:root",
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:sts::111122223333:assumed-role/deploy/s1",
    "arn:aws:iam::111122223333:root",
];

/// A request; the caller and the endpoint are filled in by [`scenario`] as the flow needs.
fn request() -> impl Strategy<Value = Value> {
    (
        select(vec!["GET", "POST"]),
        select(vec!["/pets", "/alice", "/carol"]),
        select(vec!["prod", "prod", "dev"]),
        select(vec!["10.0.1.5", "203.0.113.9", "198.51.100.7"]),
        prop::option::of(select(vec!["curl/8", "Mozilla/5.0"])),
        select(CALLERS.to_vec()),
        prop::option::of(select(vec![vec!["o-123/r-ab/ou-1"], vec!["o-123/r-ab/ou-2", "o-999/r-x/ou-3"], vec![]])),
        prop::option::of(any::<bool>()),
        any::<bool>(),
    )
        .prop_map(|(verb, path, stage, ip, agent, caller, paths, mfa, vpc_ip)| {
            let mut r =
                json!({"httpMethod": verb, "path": path, "stage": stage, "sourceIp": ip, "caller": {"arn": caller}});
            if let Some(agent) = agent {
                r["headers"] = json!({"User-Agent": agent});
            }
            let mut context = Map::new();
            if let Some(paths) = paths {
                context.insert("aws:PrincipalOrgPaths".into(), json!(paths));
            }
            if let Some(mfa) = mfa {
                context.insert("aws:MultiFactorAuthPresent".into(), json!(mfa));
            }
            if !context.is_empty() {
                r["context"] = Value::Object(context);
            }
            // Through an endpoint: the VPC address, when known (kept aside until `scenario` sees the flow).
            if vpc_ip {
                r["vpcSourceIp"] = json!(ip);
            }
            r
        })
}

fn policy(statements: &[Value]) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// The scenario of `world` deciding `request`.
fn scenario(world: &World, request: &Value) -> Value {
    let flow = world.flow;
    let method_type = match flow.method {
        Method::None => "NONE",
        Method::AwsIam => "AWS_IAM",
        Method::Token | Method::Request => "CUSTOM",
    };
    let mut api = json!({
        "id": "a1b2c3d4e5", "accountId": OWNER, "region": "us-east-1",
        "endpointType": if flow.private { "PRIVATE" } else { "REGIONAL" },
        "authorizationType": method_type,
    });
    if !world.resource.is_empty() {
        api["policy"] = policy(&world.resource);
    }
    let mut request = request.clone();
    let r = request.as_object_mut().unwrap();
    let vpc_ip = r.remove("vpcSourceIp");
    match flow.method {
        Method::Token => {
            api["authorizers"] = json!([{"id": "auth", "type": "TOKEN",
                "identitySource": "method.request.header.Authorization", "authorizerResultTtlInSeconds": 0}]);
        }
        Method::Request => {
            api["authorizers"] = json!([{"id": "auth", "type": "REQUEST",
                "identitySource": "method.request.header.Authorization, method.request.querystring.k",
                "authorizerResultTtlInSeconds": 0}]);
            r.insert("queryStringParameters".into(), json!({"k": "v"}));
        }
        _ => {}
    }
    let mut scenario = json!({"api": api});
    match flow.method {
        Method::AwsIam => {
            let mut p = json!({});
            let mut side = json!({"policies": if world.identity.is_empty() { json!([]) } else { json!([policy(&world.identity)]) }});
            if let Some(b) = &world.boundary {
                side["permissionsBoundary"] = policy(b);
            }
            if !world.scps.is_empty() {
                side["serviceControlPolicies"] = Value::Array(world.scps.iter().map(|s| policy(s)).collect());
            }
            for (arn, tags, org) in [
                ("arn:aws:iam::444455556666:user/carol", json!({"Team": "blue"}), json!("o-123")),
                ("arn:aws:iam::444455556666:role/ext", json!({"team": "red"}), json!("o-123")),
                ("arn:aws:iam::111122223333:user/alice", json!({"team": "red"}), json!(null)),
                ("arn:aws:iam::111122223333:role/deploy", json!({}), json!("o-123")),
            ] {
                let mut s = side.clone();
                s["tags"] = tags;
                s["orgId"] = org;
                p[arn] = s;
            }
            scenario["principals"] = p;
            if let Some(session) = &world.session {
                if r["caller"]["arn"].as_str().unwrap().contains(":assumed-role/") {
                    r["caller"]["sessionPolicy"] = policy(session);
                }
            }
        }
        Method::None => {
            r.remove("caller");
        }
        Method::Token | Method::Request => {
            r.remove("caller");
            let headers = r.entry("headers").or_insert_with(|| json!({}));
            headers["Authorization"] = json!("token-1");
            r.insert(
                "authorizerResult".into(),
                json!({"principalId": "user-1", "policyDocument": policy(&world.authorizer)}),
            );
        }
    }
    if flow.private {
        r.remove("sourceIp");
        r.insert("vpcEndpointId".into(), json!("vpce-1"));
        if let Some(ip) = vpc_ip {
            r.insert("vpcSourceIp".into(), ip);
        }
        let mut endpoint = json!({"vpcId": "vpc-1"});
        if let Some(e) = &world.endpoint {
            endpoint["policy"] = policy(e);
        }
        scenario["vpcEndpoints"] = json!({"vpce-1": endpoint});
    } else if let Some(ctx) = r.get_mut("context").and_then(Value::as_object_mut) {
        // Only requests through an endpoint have the VPC keys; nothing else to do.
        let _ = ctx;
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

/// The sides a statement may be added to in `world`, with whether an Allow may be (an Allow added to an absent
/// limit or endpoint policy creates a policy that restricts; to an absent resource policy of a NONE method, a
/// policy that must allow).
fn sides(world: &World) -> Vec<(Side, bool)> {
    let mut sides = vec![(Side::Resource, world.flow.method != Method::None || !world.resource.is_empty())];
    match world.flow.method {
        Method::AwsIam => {
            sides.push((Side::Identity, true));
            sides.push((Side::Boundary, world.boundary.is_some()));
            sides.push((Side::Scp, !world.scps.is_empty()));
            sides.push((Side::Session, world.session.is_some()));
        }
        Method::Token | Method::Request => sides.push((Side::Authorizer, true)),
        Method::None => {}
    }
    if world.flow.private {
        sides.push((Side::Endpoint, world.endpoint.is_some()));
    }
    sides
}

/// `world` with `statement` added to `side` (a Deny to an absent limit creates the limit).
fn with(world: &World, side: Side, statement: Value) -> World {
    let mut w = world.clone();
    match side {
        Side::Resource => w.resource.push(statement),
        Side::Identity => w.identity.push(statement),
        Side::Boundary => w.boundary.get_or_insert_with(Vec::new).push(statement),
        Side::Scp => match w.scps.first_mut() {
            Some(scp) => scp.push(statement),
            None => w.scps.push(vec![statement]),
        },
        Side::Session => w.session.get_or_insert_with(Vec::new).push(statement),
        Side::Authorizer => w.authorizer.push(statement),
        Side::Endpoint => w.endpoint.get_or_insert_with(Vec::new).push(statement),
    }
    w
}

fn kind(side: Side) -> Kind {
    match side {
        Side::Resource => Kind::Resource,
        Side::Endpoint => Kind::Endpoint,
        _ => Kind::Identity,
    }
}

fn config(cases: u32) -> ProptestConfig {
    // `PROPERTIES_SCALE=20` runs twenty times as many cases, for a longer hunt than CI affords.
    let scale = std::env::var("PROPERTIES_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    ProptestConfig { cases: cases * scale, failure_persistence: None, ..ProptestConfig::default() }
}

/// A statement of each effect for each kind of policy, and which side to add it to.
fn additions(effect: &'static str) -> impl Strategy<Value = ([Value; 3], usize)> {
    (
        [statement(effect, Kind::Resource), statement(effect, Kind::Endpoint), statement(effect, Kind::Identity)],
        any::<usize>(),
    )
}

fn pick(statements: [Value; 3], side: Side) -> Value {
    let [resource, endpoint, identity] = statements;
    match kind(side) {
        Kind::Resource => resource,
        Kind::Endpoint => endpoint,
        Kind::Identity => identity,
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn adding_a_deny_to_any_side_never_lets_more_in(
        world in world(),
        (denies, n) in additions("Deny"),
        request in request(),
    ) {
        let sides = sides(&world);
        let (side, _) = sides[n % sides.len()];
        let before = decide(&scenario(&world, &request));
        let after_world = with(&world, side, pick(denies, side));
        let after = decide(&scenario(&after_world, &request));
        prop_assert!(
            !(before.decision != Outcome::Allow && after.decision == Outcome::Allow),
            "a Deny added to {:?} turned {:?} into Allow\n{:#}", side, before.decision, scenario(&after_world, &request)
        );
    }

    #[test]
    fn adding_an_allow_to_an_existing_side_never_keeps_out(
        world in world(),
        (allows, n) in additions("Allow"),
        request in request(),
    ) {
        let sides: Vec<Side> = sides(&world).into_iter().filter(|(_, allow)| *allow).map(|(s, _)| s).collect();
        let side = sides[n % sides.len()];
        let before = decide(&scenario(&world, &request));
        let after_world = with(&world, side, pick(allows, side));
        let after = decide(&scenario(&after_world, &request));
        prop_assert!(
            !(before.decision == Outcome::Allow && after.decision != Outcome::Allow),
            "an Allow added to {:?} turned Allow into {:?}\n{:#}", side, after.decision, scenario(&after_world, &request)
        );
    }

    #[test]
    fn adding_a_limit_never_lets_more_in(
        world in world().prop_filter("AWS_IAM", |w| w.flow.method == Method::AwsIam),
        extra in limit(),
        which in 0..3u8,
        request in request(),
    ) {
        let mut after_world = world.clone();
        match which {
            0 if world.boundary.is_none() => after_world.boundary = Some(extra),
            1 => after_world.scps.push(extra),
            2 if world.session.is_none() => after_world.session = Some(extra),
            _ => after_world.scps.push(extra),
        }
        let before = decide(&scenario(&world, &request));
        let after = decide(&scenario(&after_world, &request));
        prop_assert!(
            !(before.decision != Outcome::Allow && after.decision == Outcome::Allow),
            "a new limit ({}) turned {:?} into Allow\n{:#}", which, before.decision, scenario(&after_world, &request)
        );
    }

    #[test]
    fn header_name_case_never_changes_the_answer(
        world in world(),
        request in request(),
        upper in any::<bool>(),
    ) {
        let expected = decide(&scenario(&world, &request));
        let mut s = scenario(&world, &request);
        if let Some(headers) = s["request"].get_mut("headers").and_then(Value::as_object_mut) {
            let renamed: Map<String, Value> = headers
                .iter()
                .map(|(k, v)| (if upper { k.to_uppercase() } else { k.to_lowercase() }, v.clone()))
                .collect();
            *headers = renamed;
        }
        let renamed = decide(&s);
        prop_assert_eq!(
            (expected.decision, expected.status_code, expected.message),
            (renamed.decision, renamed.status_code, renamed.message)
        );
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// A NONE or CUSTOM method sees an anonymous caller, whoever signed the request: what `request.context` says
    /// about the signer (org, tags, MFA, token time) never reaches its resource policy.
    #[test]
    fn the_signer_of_a_request_never_reaches_an_anonymous_caller(
        world in prop_oneof![
            world_of(Flow { method: Method::None, private: false }),
            world_of(Flow { method: Method::Token, private: false }),
            world_of(Flow { method: Method::Request, private: false }),
        ],
        request in request(),
        org in prop::option::of(select(vec!["o-123", "o-999"])),
        tag in prop::option::of(select(vec!["red", "blue"])),
        issued in prop::option::of(select(vec!["2026-11-22T09:00:00Z"])),
    ) {
        let unsigned = scenario(&world, &request);
        let mut signed = unsigned.clone();
        signed["request"]["caller"] = request["caller"].clone();
        let context = signed["request"].as_object_mut().unwrap().entry("context").or_insert_with(|| json!({}));
        if let Some(org) = org {
            context["aws:PrincipalOrgID"] = json!(org);
        }
        if let Some(tag) = tag {
            context["aws:PrincipalTag/team"] = json!(tag);
        }
        if let Some(issued) = issued {
            context["aws:TokenIssueTime"] = json!(issued);
        }
        let mut unsigned = unsigned;
        // The unsigned request carries no key of a signer at all.
        if let Some(ctx) = unsigned["request"].get_mut("context").and_then(Value::as_object_mut) {
            ctx.remove("aws:PrincipalOrgPaths");
            ctx.remove("aws:MultiFactorAuthPresent");
        }
        let (a, b) = (decide(&unsigned), decide(&signed));
        prop_assert_eq!(
            (a.decision, a.status_code, a.message),
            (b.decision, b.status_code, b.message),
            "signed:\n{:#}", signed
        );
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Values the scenario does not know

/// Statements about `aws:userid` and the keys it fills (`${aws:userid}` in Resource and in condition values).
fn userid_statement(effect: &'static str, with_principal: bool) -> impl Strategy<Value = Value> {
    let conditions = vec![
        json!({"StringEquals": {"aws:userid": "AIDAALICE0000000001"}}),
        json!({"StringNotEquals": {"aws:userid": "AIDAALICE0000000001"}}),
        json!({"StringLike": {"aws:userid": ["AIDA*", "AROA*:s1"]}}),
        json!({"StringNotLike": {"aws:userid": "AROA*"}}),
        json!({"StringEqualsIfExists": {"aws:userid": "AIDAALICE0000000001"}}),
        json!({"StringNotEqualsIfExists": {"aws:userid": "AROADEPLOY000000001:s1"}}),
        json!({"ForAnyValue:StringLike": {"aws:userid": "AIDA*"}}),
        json!({"ForAllValues:StringNotLike": {"aws:userid": "AIDAALICE*"}}),
        json!({"StringEqualsIgnoreCase": {"aws:userid": "aidaalice0000000001"}}),
        json!({"Null": {"aws:userid": "false"}}),
        json!({"StringEquals": {"aws:PrincipalTag/owner": "${aws:userid}"}}),
        json!({"StringNotEquals": {"aws:PrincipalTag/owner": "${aws:userid}"}}),
        json!({"StringLike": {"aws:UserAgent": "*${aws:userid}*"}}),
        json!({"StringNotLike": {"aws:UserAgent": "${aws:userid}"}}),
        json!({"StringLike": {"aws:PrincipalTag/owner": "AIDA*${aws:username}*"}}),
    ];
    let resources = vec![
        json!("*"),
        json!(format!("{ARN}/*/GET/${{aws:userid}}")),
        json!(format!("{ARN}/*/*/AIDA*")),
        json!(format!("{ARN}/prod/GET/${{aws:userid}}*")),
        json!(format!("{ARN}/*/*/${{aws:username}}")),
    ];
    (
        select(conditions),
        any::<bool>(),
        select(resources),
        any::<bool>(),
        prop_oneof![
            Just(json!("*")),
            Just(json!({"AWS": OWNER})),
            Just(json!({"AWS": "arn:aws:iam::111122223333:user/alice"}))
        ],
    )
        .prop_map(move |(condition, with_condition, resource, not_resource, principal)| {
            let mut m = Map::new();
            m.insert("Effect".into(), json!(effect));
            if with_principal {
                m.insert("Principal".into(), principal);
            }
            m.insert("Action".into(), json!("execute-api:Invoke"));
            m.insert(if not_resource { "NotResource" } else { "Resource" }.into(), resource);
            if with_condition {
                m.insert("Condition".into(), condition);
            }
            Value::Object(m)
        })
}

fn userid_statements(with_principal: bool) -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(
        prop_oneof![3 => userid_statement("Allow", with_principal), 2 => userid_statement("Deny", with_principal)],
        0..4,
    )
}

/// The unique ids a user (`AIDA…`) or a role session (`AROA…:session`) of the scenario could have.
const USER_IDS: [&str; 4] =
    ["AIDAALICE0000000001", "AIDAOTHER0000000002", "AROADEPLOY000000001:s1", "AROAX0000000000003:s1"];

proptest! {
    #![proptest_config(config(256))]

    /// An `aws:userid` the scenario does not know is never more permissive than a concrete value of it.
    #[test]
    fn an_unknown_userid_is_never_more_permissive_than_a_known_one(
        resource in userid_statements(true),
        identity in userid_statements(false),
        caller in select(vec!["arn:aws:iam::111122223333:user/alice", "arn:aws:sts::111122223333:assumed-role/deploy/s1"]),
        path in select(vec!["/AIDAALICE0000000001", "/AROADEPLOY000000001:s1", "/alice", "/pets"]),
        agent in prop::option::of(select(vec!["x-AIDAALICE0000000001-y", "AROADEPLOY000000001:s1", "curl"])),
        owner in prop::option::of(select(vec!["AIDAALICE0000000001", "AROADEPLOY000000001:s1", "AIDAalice"])),
        method in select(vec!["AWS_IAM", "NONE"]),
    ) {
        let mut api = json!({"id": "a1b2c3d4e5", "accountId": OWNER, "region": "us-east-1", "authorizationType": method});
        if !resource.is_empty() {
            api["policy"] = policy(&resource);
        }
        let mut side = json!({"policies": if identity.is_empty() { json!([]) } else { json!([policy(&identity)]) }});
        if let Some(owner) = owner {
            side["tags"] = json!({"owner": owner});
        }
        let mut request = json!({"httpMethod": "GET", "path": path, "stage": "prod", "sourceIp": "198.51.100.7",
            "caller": {"arn": caller}});
        if let Some(agent) = agent {
            request["headers"] = json!({"User-Agent": agent});
        }
        let base = json!({"api": api, "principals": {
            "arn:aws:iam::111122223333:user/alice": side.clone(),
            "arn:aws:iam::111122223333:role/deploy": side,
        }, "request": request});
        let unknown = decide(&base);
        if unknown.decision == Outcome::Allow {
            for id in USER_IDS {
                let mut known = base.clone();
                known["request"]["context"] = json!({"aws:userid": id});
                let d = decide(&known);
                prop_assert_eq!(
                    d.decision, Outcome::Allow,
                    "unknown aws:userid allows, but `{}` gives {:?}\n{:#}", id, d.decision, known
                );
            }
        }
    }

    /// Through an endpoint, `aws:SourceVpc` (endpoint without `vpcId`) and `aws:VpcSourceIp` (no `vpcSourceIp`)
    /// are present but unknown: never more permissive than a concrete value.
    #[test]
    fn unknown_vpc_keys_are_never_more_permissive_than_known_ones(
        world in world().prop_filter("private", |w| w.flow.private),
        request in request(),
    ) {
        let base = scenario(&world, &request);
        let mut unknown = base.clone();
        unknown["vpcEndpoints"]["vpce-1"].as_object_mut().unwrap().remove("vpcId");
        unknown["request"].as_object_mut().unwrap().remove("vpcSourceIp");
        let d = decide(&unknown);
        if d.decision == Outcome::Allow {
            for (vpc, ip) in [("vpc-1", "10.0.1.5"), ("vpc-2", "10.0.1.5"), ("vpc-1", "192.168.0.1"), ("vpc-2", "2001:db8::1")] {
                let mut known = unknown.clone();
                known["vpcEndpoints"]["vpce-1"]["vpcId"] = json!(vpc);
                known["request"]["vpcSourceIp"] = json!(ip);
                let k = decide(&known);
                prop_assert_eq!(k.decision, Outcome::Allow, "unknown VPC keys allow, but {} / {} give {:?}\n{:#}", vpc, ip, k.decision, known);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The authorizer cache

proptest! {
    #![proptest_config(config(96))]

    /// In a suite, a second request with the same token reuses the first one's result: it must decide as that
    /// result returned afresh for the second request would.
    #[test]
    fn a_cached_result_decides_as_the_same_result_returned_afresh(
        world in world_of(Flow { method: Method::Token, private: false }),
        first in request(),
        mut second in request(),
        same_stage in prop::bool::weighted(0.8),
        other_policy in statements(Kind::Identity, 0, 3),
    ) {
        if same_stage {
            second["stage"] = first["stage"].clone();
        }
        let mut suite = scenario(&world, &first);
        suite["api"]["authorizers"][0]["authorizerResultTtlInSeconds"] = json!(300);
        let req1 = suite.as_object_mut().unwrap().remove("request").unwrap();
        let mut fresh = scenario(&world, &second);
        fresh["api"]["authorizers"][0]["authorizerResultTtlInSeconds"] = json!(300);
        let mut req2 = fresh["request"].clone();
        // The function would return something else now: the cached result must be what decides.
        req2["authorizerResult"]["policyDocument"] = policy(&other_policy);
        suite["cases"] = json!([
            {"name": "first", "request": req1, "expect": {}},
            {"name": "second", "request": req2.clone(), "expect": {}},
        ]);
        let report = run_suite(&suite).unwrap();
        let api_decision = |i: usize| match &report.cases[i].decision {
            apigw_authz::CaseDecision::Api(d) => d.clone(),
            apigw_authz::CaseDecision::Iam(_) => unreachable!(),
        };
        let (first_decision, second_decision) = (api_decision(0), api_decision(1));
        // A stage has its own cache, and an entry exists only when the first case invoked the authorizer (the
        // resource policy's Deny may stop it first): otherwise the function's new answer decides.
        let hit = first["stage"] == second["stage"] && first_decision.authorizer_invoked;
        if !hit {
            fresh["request"] = req2;
        }
        let expected = decide(&fresh);
        prop_assert_eq!(
            (expected.decision, expected.status_code, expected.message),
            (second_decision.decision, second_decision.status_code, second_decision.message),
            "hit {}\n{:#}", hit, suite
        );
        if hit && expected.authorizer_invoked {
            prop_assert!(!second_decision.authorizer_invoked, "a cache hit invoked the authorizer");
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Not vacuous

/// Decide `n` worlds of each flow and check that each reaches Allow and a denial in a fair share of cases.
#[test]
fn each_flow_reaches_allow_and_denial() {
    let mut runner = TestRunner::deterministic();
    let strategy = (world(), request());
    let mut counts: std::collections::BTreeMap<String, (u32, u32, u32)> = Default::default();
    for _ in 0..1500 {
        let (world, request) = strategy.new_tree(&mut runner).unwrap().current();
        let caller = request["caller"]["arn"].as_str().unwrap();
        let cross = world.flow.method == Method::AwsIam && caller.contains(OTHER);
        let key = format!(
            "{:?}{}{}",
            world.flow.method,
            if world.flow.private { " private" } else { "" },
            if cross { " cross" } else { "" }
        );
        let d = decide(&scenario(&world, &request));
        let entry = counts.entry(key).or_default();
        entry.0 += 1;
        match d.decision {
            Outcome::Allow => entry.1 += 1,
            Outcome::ExplicitDeny | Outcome::ImplicitDeny => entry.2 += 1,
            _ => {}
        }
    }
    for (flow, (total, allowed, denied)) in &counts {
        println!("{flow}: {total} cases, {allowed} allowed, {denied} denied");
        assert!(*allowed * 20 >= *total, "{flow}: only {allowed} of {total} allowed");
        assert!(*denied * 20 >= *total, "{flow}: only {denied} of {total} denied");
    }
}
