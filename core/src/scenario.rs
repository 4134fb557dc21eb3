//! The scenario JSON contract (scenario-format.md): reading it into typed, compiled values, with the JSON path
//! (and line:column for text) of every mistake. Unknown fields are errors, except inside `methods` and
//! `authorizers` entries, which also accept the other fields of API Gateway's own exports.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::condition::date;
use crate::decode::{
    case_insensitive_map, expect_array, expect_bool, expect_str, expect_u64, find_by_name, sorted_by_name, string_map,
    Fields, NameSet, Ptr,
};
use crate::error::{Error, ErrorCode};
use crate::json::{Json, JsonValue, LineIndex};
use crate::policy::{compile_json, ApiScope, Policy};
use crate::principal::Caller;
use crate::PolicyKind;

const CODE: ErrorCode = ErrorCode::InvalidScenario;

/// The members each object of the contract may have.
const REQUEST_FIELDS: &[&str] = &[
    "httpMethod",
    "path",
    "stage",
    "sourceIp",
    "vpcEndpointId",
    "vpcSourceIp",
    "headers",
    "queryStringParameters",
    "stageVariables",
    "time",
    "secureTransport",
    "caller",
    "authorizerResult",
    "cognito",
    "context",
];
const API_FIELDS: &[&str] = &[
    "id",
    "accountId",
    "region",
    "partition",
    "endpointType",
    "policy",
    "authorizationType",
    "methods",
    "authorizers",
    "stages",
    "gatewayResponses",
];
const CALLER_FIELDS: &[&str] = &["arn", "signature", "signedAt", "sessionPolicy"];
const SCENARIO_FIELDS: &[&str] = &["api", "principals", "vpcEndpoints", "resources", "request", "cases", "description"];

/// The default request time of the contract: decisions never depend on the machine's clock.
pub const DEFAULT_TIME: &str = "2026-11-22T10:00:00Z";
/// [`DEFAULT_TIME`] in milliseconds since the epoch (checked against the date reader by a test).
pub const DEFAULT_TIME_MILLIS: i64 = 1_795_341_600_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorizationType {
    None,
    AwsIam,
    Custom,
    CognitoUserPools,
}

impl AuthorizationType {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthorizationType::None => "NONE",
            AuthorizationType::AwsIam => "AWS_IAM",
            AuthorizationType::Custom => "CUSTOM",
            AuthorizationType::CognitoUserPools => "COGNITO_USER_POOLS",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointType {
    Edge,
    Regional,
    Private,
}

/// One segment of a resource path as API Gateway writes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum RouteSegment {
    Literal(String),
    /// `{name}`: exactly one segment.
    Param(String),
    /// `{name+}`: one or more segments, only last.
    Greedy(String),
}

#[derive(Debug, Clone)]
pub struct MethodConfig {
    /// Upper-cased verb, or `ANY`.
    pub http_method: String,
    pub resource_path: String,
    pub segments: Vec<RouteSegment>,
    pub authorization_type: AuthorizationType,
    pub authorizer_id: Option<String>,
    pub authorization_scopes: Vec<String>,
    /// `apiKeyRequired`: API Gateway checks an API key after authorization; the scenario does not model keys.
    pub api_key_required: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorizerType {
    Token,
    Request,
    CognitoUserPools,
}

/// Where a Lambda authorizer's identity comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentitySource {
    /// `method.request.header.X` (lower-cased: header names are case-insensitive).
    Header(String),
    /// `method.request.querystring.x`.
    QueryString(String),
    /// `stageVariables.x`.
    StageVariable(String),
    /// `context.x`.
    Context(String),
}

impl IdentitySource {
    pub fn describe(&self) -> String {
        match self {
            IdentitySource::Header(h) => format!("header `{h}`"),
            IdentitySource::QueryString(q) => format!("query string parameter `{q}`"),
            IdentitySource::StageVariable(s) => format!("stage variable `{s}`"),
            IdentitySource::Context(c) => format!("context variable `{c}`"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct AuthorizerConfig {
    pub id: String,
    pub kind: AuthorizerType,
    pub identity_sources: Vec<IdentitySource>,
    pub identity_validation_expression: Option<(String, regex_lite::Regex)>,
    pub ttl_seconds: u64,
}

#[derive(Debug, Clone)]
pub struct StageConfig {
    pub name: String,
    /// `Some` when the stage lists `policy`: the resource policy of its last deployment (inner `None`: none then).
    pub deployed_policy: Option<Option<Policy>>,
}

#[derive(Debug, Clone)]
pub struct GatewayResponseOverride {
    pub response_type: String,
    pub status_code: Option<u16>,
    pub template: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ApiConfig {
    pub id: String,
    pub account_id: String,
    pub region: String,
    pub partition: String,
    pub endpoint_type: EndpointType,
    pub policy: Option<Policy>,
    pub authorization_type: AuthorizationType,
    pub methods: Option<Vec<MethodConfig>>,
    pub authorizers: Vec<AuthorizerConfig>,
    pub stages: Option<Vec<StageConfig>>,
    pub gateway_responses: Vec<GatewayResponseOverride>,
}

#[derive(Debug, Clone)]
pub struct PrincipalConfig {
    pub arn: String,
    pub account: String,
    /// User or role name (last path segment).
    pub name: String,
    pub is_role: bool,
    pub policies: Vec<Policy>,
    pub permissions_boundary: Option<Policy>,
    /// Tag keys lower-cased (`aws:PrincipalTag/Team` and `/team` are the same key), sorted by key (see
    /// [`find_by_name`]).
    pub tags: Vec<(String, String)>,
    pub org_id: Option<String>,
    pub service_control_policies: Vec<Policy>,
}

/// The described users and roles, indexed so that finding a caller's policies costs the same for 10 principals as
/// for 100,000: users by ARN, roles by account and name (a session names its role so). The first principal of a
/// key wins, as a search in document order would find it.
#[derive(Debug, Clone, Default)]
pub struct Principals {
    list: Vec<PrincipalConfig>,
    users: HashMap<String, usize>,
    /// Account, then role name: looked up by `&str` without building a key.
    roles: HashMap<String, HashMap<String, usize>>,
}

impl Principals {
    pub fn new(list: Vec<PrincipalConfig>) -> Self {
        let mut principals = Principals { list, ..Principals::default() };
        for (i, p) in principals.list.iter().enumerate() {
            if p.is_role {
                principals.roles.entry(p.account.clone()).or_default().entry(p.name.clone()).or_insert(i);
            } else {
                principals.users.entry(p.arn.clone()).or_insert(i);
            }
        }
        principals
    }

    /// The role `name` of `account`.
    pub fn role(&self, account: &str, name: &str) -> Option<&PrincipalConfig> {
        let i = self.roles.get(account)?.get(name)?;
        self.list.get(*i)
    }

    /// The described user, or the role of a session, that the caller is.
    pub fn of(&self, caller: &Caller) -> Option<&PrincipalConfig> {
        match caller {
            Caller::User { arn, .. } => self.users.get(arn.as_str()).and_then(|&i| self.list.get(i)),
            Caller::Session { account, role_name, .. } => self.role(account, role_name),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct EndpointConfig {
    pub id: String,
    pub vpc_id: Option<String>,
    /// `None`: the default endpoint policy, full access.
    pub policy: Option<Policy>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signature {
    Valid,
    Incomplete,
    Invalid,
    Expired,
    UnknownKey,
    ExpiredToken,
}

#[derive(Debug, Clone)]
pub struct SignedCaller {
    pub caller: Caller,
    pub signature: Signature,
    pub signed_at: Option<i64>,
    pub session_policy: Option<Policy>,
}

/// What the Lambda authorizer returned, validated as API Gateway validates it.
#[derive(Debug, Clone)]
pub enum AuthorizerOutput {
    /// The function failed with this message (`Unauthorized` → 401; anything else → 500).
    Failed(String),
    /// A result API Gateway cannot use (→ 500 AUTHORIZER_CONFIGURATION_ERROR), and why.
    Malformed(String),
    Returned {
        principal_id: String,
        policy: Box<Policy>,
        context: Vec<(String, String)>,
    },
}

#[derive(Debug, Clone)]
pub struct CognitoToken {
    pub token_valid: bool,
    pub token_use: String,
    pub scopes: Vec<String>,
    pub claims: Vec<(String, String)>,
}

/// One request, read once.
#[derive(Debug, Clone)]
pub struct Request {
    /// Upper-cased.
    pub http_method: String,
    pub path: String,
    pub stage: String,
    pub source_ip: Option<String>,
    /// `source_ip` read once, for IpAddress conditions.
    pub source_ip_addr: Option<std::net::IpAddr>,
    pub vpc_endpoint_id: Option<String>,
    pub vpc_source_ip: Option<String>,
    pub vpc_source_ip_addr: Option<std::net::IpAddr>,
    /// Names lower-cased, sorted by name (see [`find_by_name`]).
    pub headers: Vec<(String, String)>,
    /// Sorted by name, as are `stage_variables`.
    pub query_string_parameters: Vec<(String, String)>,
    pub stage_variables: Vec<(String, String)>,
    /// When the request is made, in milliseconds since the epoch (`time`, or [`DEFAULT_TIME`]).
    pub time_millis: i64,
    /// `aws:CurrentTime` and `aws:EpochTime` as a condition reads them: written the first time one asks, as
    /// few policies do (see [`Request::current_time`]).
    time_texts: OnceLock<(String, String)>,
    pub secure_transport: bool,
    pub caller: Option<SignedCaller>,
    pub authorizer_result: Option<AuthorizerOutput>,
    pub cognito: Option<CognitoToken>,
    /// Extra condition keys, names lower-cased, sorted by name.
    pub context: Vec<(String, Vec<String>)>,
}

impl Request {
    /// `aws:CurrentTime`: the request's time in ISO 8601, UTC (`2026-11-22T10:00:00Z`, with `.mmm` when there
    /// are milliseconds).
    pub fn current_time(&self) -> &str {
        &self.time_texts().0
    }

    /// `aws:EpochTime`: the request's time in whole seconds since the epoch.
    pub fn epoch_time(&self) -> &str {
        &self.time_texts().1
    }

    fn time_texts(&self) -> &(String, String) {
        self.time_texts
            .get_or_init(|| (date::format_iso(self.time_millis), self.time_millis.div_euclid(1000).to_string()))
    }
}

impl Request {
    pub fn header(&self, lower_name: &str) -> Option<&str> {
        find_by_name(&self.headers, lower_name).map(String::as_str)
    }
}

/// The top-level members of a scenario or suite.
pub struct Document<'j> {
    pub api: Option<&'j Json<'j>>,
    pub principals: Option<&'j Json<'j>>,
    pub vpc_endpoints: Option<&'j Json<'j>>,
    pub resources: Option<&'j Json<'j>>,
    pub request: Option<&'j Json<'j>>,
    pub cases: Option<&'j Json<'j>>,
    pub description: Option<String>,
}

/// The error for a suite (`cases`) given where one scenario is expected, shared by both kinds of scenario.
pub(crate) fn suite_given_as_scenario(cases: &Json) -> Error {
    Ptr::ROOT.key("cases").error(
        CODE,
        "this is a suite (it has `cases`): run it with `run_suite` / `runSuite` (`apigw-authz test` on the command line)",
        cases.span,
    )
}

/// Split a scenario or suite into its parts, rejecting unknown top-level fields.
pub fn split_document<'j>(json: &'j Json<'j>) -> Result<Document<'j>, Error> {
    let ptr = Ptr::ROOT;
    let mut fields = Fields::new(json, &ptr, CODE, "a scenario")?.only(&ptr, SCENARIO_FIELDS)?;
    let doc = Document {
        api: fields.take_non_null("api"),
        principals: fields.take_non_null("principals"),
        vpc_endpoints: fields.take_non_null("vpcEndpoints"),
        resources: fields.take_non_null("resources"),
        request: fields.take_non_null("request"),
        cases: fields.take_non_null("cases"),
        description: match fields.take_non_null("description") {
            Some(d) => Some(expect_str(d, &ptr.key("description"), CODE)?.to_owned()),
            None => None,
        },
    };
    fields.finish(&ptr, SCENARIO_FIELDS)?;
    Ok(doc)
}

fn opt_str(fields: &mut Fields<'_>, name: &str, ptr: &Ptr<'_>) -> Result<Option<String>, Error> {
    match fields.take_non_null(name) {
        None => Ok(None),
        Some(v) => Ok(Some(expect_str(v, &ptr.key(name), CODE)?.to_owned())),
    }
}

fn req_str(fields: &mut Fields<'_>, name: &str, ptr: &Ptr<'_>) -> Result<String, Error> {
    let v = fields.require(name, ptr)?;
    Ok(expect_str(v, &ptr.key(name), CODE)?.to_owned())
}

fn authorization_type(json: &Json, ptr: &Ptr<'_>) -> Result<AuthorizationType, Error> {
    match expect_str(json, ptr, CODE)? {
        "NONE" => Ok(AuthorizationType::None),
        "AWS_IAM" => Ok(AuthorizationType::AwsIam),
        "CUSTOM" => Ok(AuthorizationType::Custom),
        "COGNITO_USER_POOLS" => Ok(AuthorizationType::CognitoUserPools),
        other => Err(ptr.error(
            CODE,
            format!("unknown authorizationType `{other}`, expected one of `NONE`, `AWS_IAM`, `CUSTOM`, `COGNITO_USER_POOLS`"),
            json.span,
        )),
    }
}

/// Read the `api` object, compiling its policies.
pub fn decode_api(json: &Json, index: Option<&LineIndex>) -> Result<ApiConfig, Error> {
    let root = Ptr::ROOT;
    let ptr = root.key("api");
    let mut f = Fields::new(json, &ptr, CODE, "`api`")?.only(&ptr, API_FIELDS)?;
    let id_json = f.require("id", &ptr)?;
    let id = expect_str(id_json, &ptr.key("id"), CODE)?.to_owned();
    if id.is_empty() || id.contains('/') || id.contains(':') {
        return Err(ptr.key("id").error(
            CODE,
            format!("api id `{id}` must be a non-empty name without `/` or `:`"),
            id_json.span,
        ));
    }
    let account_json = f.require("accountId", &ptr)?;
    let account_id = expect_str(account_json, &ptr.key("accountId"), CODE)?.to_owned();
    if !crate::arn::is_account_id(&account_id) {
        return Err(ptr.key("accountId").error(
            CODE,
            format!("accountId `{account_id}` must be 12 digits"),
            account_json.span,
        ));
    }
    // Region and partition are parts of every ARN the API is named by: empty, or holding `:` or `/`, they would
    // make ARNs that match nothing they should.
    let name_part = |json: &Json, name: &str| -> Result<String, Error> {
        let text = expect_str(json, &ptr.key(name), CODE)?;
        let valid = !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !valid {
            return Err(ptr.key(name).error(
                CODE,
                format!(
                    "{name} `{text}` must be a non-empty name of letters, digits and `-` (e.g. `us-east-1`, `aws`)"
                ),
                json.span,
            ));
        }
        Ok(text.to_owned())
    };
    let region = name_part(f.require("region", &ptr)?, "region")?;
    let partition = match f.take_non_null("partition") {
        None => String::from("aws"),
        Some(v) => name_part(v, "partition")?,
    };
    let endpoint_type = match f.take_non_null("endpointType") {
        None => EndpointType::Regional,
        Some(v) => match expect_str(v, &ptr.key("endpointType"), CODE)? {
            "EDGE" => EndpointType::Edge,
            "REGIONAL" => EndpointType::Regional,
            "PRIVATE" => EndpointType::Private,
            other => {
                return Err(ptr.key("endpointType").error(
                    CODE,
                    format!("unknown endpointType `{other}`, expected one of `EDGE`, `REGIONAL`, `PRIVATE`"),
                    v.span,
                ))
            }
        },
    };
    let scope = ApiScope { partition: &partition, region: &region, account: &account_id, api_id: &id };
    let policy = match f.take_non_null("policy") {
        None => None,
        Some(p) => Some(compile_json(p, &ptr.key("policy"), PolicyKind::Resource, Some(scope), index)?),
    };
    let authorization_type = match f.take_non_null("authorizationType") {
        None => AuthorizationType::None,
        Some(v) => authorization_type(v, &ptr.key("authorizationType"))?,
    };
    let authorizers = match f.take_non_null("authorizers") {
        None => Vec::new(),
        Some(v) => {
            let ap = ptr.key("authorizers");
            let items = expect_array(v, &ap, CODE)?;
            let mut out: Vec<AuthorizerConfig> = Vec::with_capacity(items.len());
            // An API's authorizer ids are unique: with two, which one a method meant would be a guess.
            let mut ids = std::collections::HashMap::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let authorizer = decode_authorizer(item, &ap.index(i))?;
                if let Some(first) = ids.insert(authorizer.id.clone(), i) {
                    let id_span = item.get("id").map_or(item.span, |j| j.span);
                    return Err(ap.index(i).key("id").error(
                        CODE,
                        format!(
                            "authorizer id `{}` is given twice, here and at /api/authorizers/{first}",
                            authorizer.id
                        ),
                        id_span,
                    ));
                }
                out.push(authorizer);
            }
            out
        }
    };
    let methods = match f.take_non_null("methods") {
        None => None,
        Some(v) => Some(decode_methods(v, &ptr.key("methods"), authorization_type, &authorizers)?),
    };
    let stages = match f.take_non_null("stages") {
        None => None,
        Some(v) => {
            let sp = ptr.key("stages");
            let members = v.as_object().ok_or_else(|| {
                sp.error(CODE, format!("`stages` must be an object keyed by stage name, found {}", v.kind()), v.span)
            })?;
            let mut out = Vec::with_capacity(members.len());
            for (key, stage) in members {
                let p = sp.key(&key.name);
                let mut sf = Fields::new(stage, &p, CODE, "a stage")?;
                let deployed_policy = match sf.take("policy") {
                    None => None,
                    Some(pj) if pj.is_null() => Some(None),
                    Some(pj) => {
                        Some(Some(compile_json(pj, &p.key("policy"), PolicyKind::Resource, Some(scope), index)?))
                    }
                };
                sf.finish(&p, &["policy"])?;
                out.push(StageConfig { name: key.name.to_string(), deployed_policy });
            }
            Some(out)
        }
    };
    let gateway_responses = match f.take_non_null("gatewayResponses") {
        None => Vec::new(),
        Some(v) => decode_gateway_responses(v, &ptr.key("gatewayResponses"))?,
    };
    f.finish(&ptr, API_FIELDS)?;
    if methods.is_none()
        && matches!(authorization_type, AuthorizationType::Custom | AuthorizationType::CognitoUserPools)
        && authorizers.len() != 1
    {
        return Err(ptr.key("authorizationType").error(
            CODE,
            format!(
                "`authorizationType` {} without `methods` needs exactly one entry in `authorizers`",
                authorization_type.as_str()
            ),
            json.span,
        ));
    }
    Ok(ApiConfig {
        id,
        account_id,
        region,
        partition,
        endpoint_type,
        policy,
        authorization_type,
        methods,
        authorizers,
        stages,
        gateway_responses,
    })
}

/// Response types API Gateway lets an API customise (supported-gateway-response-types).
pub const RESPONSE_TYPES: &[&str] = &[
    "ACCESS_DENIED",
    "API_CONFIGURATION_ERROR",
    "AUTHORIZER_CONFIGURATION_ERROR",
    "AUTHORIZER_FAILURE",
    "BAD_REQUEST_PARAMETERS",
    "BAD_REQUEST_BODY",
    "DEFAULT_4XX",
    "DEFAULT_5XX",
    "EXPIRED_TOKEN",
    "INTEGRATION_FAILURE",
    "INTEGRATION_TIMEOUT",
    "INVALID_API_KEY",
    "INVALID_SIGNATURE",
    "MISSING_AUTHENTICATION_TOKEN",
    "QUOTA_EXCEEDED",
    "REQUEST_TOO_LARGE",
    "RESOURCE_NOT_FOUND",
    "THROTTLED",
    "UNAUTHORIZED",
    "UNSUPPORTED_MEDIA_TYPE",
    "WAF_FILTERED",
];

/// An IPv4 address written as IPv6: the IPv4-mapped form (`::ffff:198.51.100.7`, as Node and other dual-stack
/// servers log an IPv4 client) or the deprecated IPv4-compatible one (`::198.51.100.7`, `::c633:6407`).
/// API Gateway reports such a client as IPv4; read as IPv6 the address would escape every IPv4 range of a Deny,
/// so it is refused with the IPv4 form to write rather than guessed. Returns that form.
fn ipv4_in_ipv6(addr: std::net::IpAddr) -> Option<String> {
    let std::net::IpAddr::V6(v6) = addr else { return None };
    if let Some(v4) = v6.to_ipv4_mapped() {
        return Some(v4.to_string());
    }
    // By the address, not by how it is written: `::c633:6407` is `::198.51.100.7` and would escape an IPv4
    // range as much. `::` and `::1` (also when written `::0.0.0.1`) are IPv6's own unspecified and loopback
    // addresses.
    let compatible = v6.segments().get(..6).is_some_and(|high| high.iter().all(|&s| s == 0));
    let own = v6.is_unspecified() || v6.is_loopback();
    (compatible && !own).then(|| v6.to_ipv4().map(|v4| v4.to_string()).unwrap_or_default())
}

fn ipv4_in_ipv6_error(ptr: &Ptr<'_>, name: &str, text: &str, v4: &str, span: crate::json::Span) -> Error {
    ptr.error(CODE, format!("{name} `{text}` is an IPv4 address in IPv6 form (IPv4-mapped or IPv4-compatible)"), span)
        .with_help(format!("API Gateway reports an IPv4 client's address as IPv4: write `{v4}`"))
}

/// `api.gatewayResponses`: an object keyed by response type (the contract's form), or what `aws apigateway
/// get-gateway-responses` prints, pasted unchanged: its whole output (`{"items": [...], "position": ...}`) or its
/// items, each naming its `responseType`. An entry with `"defaultResponse": true` is API Gateway describing a
/// response nobody customised (that command lists every type so), not an override: it is left out, so the
/// engine's own default answer (`Message` for AccessDeniedException bodies) stands.
fn decode_gateway_responses(json: &Json, ptr: &Ptr<'_>) -> Result<Vec<GatewayResponseOverride>, Error> {
    let help = "give an object keyed by response type (`{\"ACCESS_DENIED\": {\"statusCode\": 401}}`), or the output of `aws apigateway get-gateway-responses`";
    let items_ptr = ptr.key("items");
    let listed: Option<(&[Json], &Ptr<'_>)> = match &json.value {
        JsonValue::Array(items) => Some((items, ptr)),
        JsonValue::Object(_) if json.get("items").is_some() => {
            let mut f = Fields::new(json, ptr, CODE, "`gatewayResponses`")?.only(ptr, &["items", "position"])?;
            let items = f.require("items", ptr)?;
            f.ignore(&["position"]);
            let items = expect_array(items, &items_ptr, CODE).map_err(|e| e.with_help(help))?;
            Some((items, &items_ptr))
        }
        JsonValue::Object(_) => None,
        _ => {
            return Err(ptr
                .error(
                    CODE,
                    format!("`gatewayResponses` must be an object keyed by response type, found {}", json.kind()),
                    json.span,
                )
                .with_help(help))
        }
    };
    let mut out: Vec<GatewayResponseOverride> = Vec::new();
    match listed {
        None => {
            for (key, value) in json.as_object().unwrap_or_default() {
                let p = ptr.key(&key.name);
                if !RESPONSE_TYPES.contains(&key.name.as_ref()) {
                    return Err(p.error(CODE, format!("unknown gateway response type `{}`", key.name), key.span));
                }
                if let Some(response) = decode_gateway_response(value, &p, &key.name, false)? {
                    out.push(response);
                }
            }
        }
        Some((items, lp)) => {
            for (i, item) in items.iter().enumerate() {
                let p = lp.index(i);
                let type_json = item.get("responseType").ok_or_else(|| {
                    p.key("responseType").error(CODE, "missing required field `responseType`", item.span)
                })?;
                let name = expect_str(type_json, &p.key("responseType"), CODE)?;
                if !RESPONSE_TYPES.contains(&name) {
                    let message = format!("unknown gateway response type `{name}`");
                    return Err(p.key("responseType").error(CODE, message, type_json.span));
                }
                if items.iter().take(i).any(|earlier| earlier.get("responseType").and_then(Json::as_str) == Some(name))
                {
                    let message = format!("gateway response type `{name}` is listed twice");
                    return Err(p.key("responseType").error(CODE, message, type_json.span));
                }
                if let Some(response) = decode_gateway_response(item, &p, name, true)? {
                    out.push(response);
                }
            }
        }
    }
    Ok(out)
}

/// One gateway response of type `response_type` (`listed`: an item of a list, which names its own type); `None`
/// for one that API Gateway marks as its default (`"defaultResponse": true`).
fn decode_gateway_response(
    value: &Json,
    p: &Ptr<'_>,
    response_type: &str,
    listed: bool,
) -> Result<Option<GatewayResponseOverride>, Error> {
    let mut f = Fields::new(value, p, CODE, "a gateway response")?;
    let is_default = match f.take_non_null("defaultResponse") {
        None => false,
        Some(v) => match &v.value {
            JsonValue::Bool(b) => *b,
            _ => return Err(p.key("defaultResponse").error(CODE, "`defaultResponse` must be true or false", v.span)),
        },
    };
    let status_code = match f.take_non_null("statusCode") {
        None => None,
        Some(v) => {
            // get-gateway-responses writes the status as a string; accept both.
            let n = match &v.value {
                JsonValue::String(s) => s.parse::<u16>().ok(),
                JsonValue::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
                _ => None,
            };
            match n {
                Some(n) if (100..=599).contains(&n) => Some(n),
                _ => {
                    return Err(p.key("statusCode").error(
                        CODE,
                        "`statusCode` must be an HTTP status from 100 to 599",
                        v.span,
                    ))
                }
            }
        }
    };
    let template = match f.take_non_null("responseTemplates") {
        None => None,
        Some(t) => {
            let tp = p.key("responseTemplates");
            let templates = string_map(t, &tp, CODE)?;
            templates.into_iter().find(|(k, _)| k == "application/json").map(|(_, v)| v)
        }
    };
    if listed {
        f.ignore(&["responseType"]);
    } else if let Some(named) = f.take_non_null("responseType") {
        // In the keyed form a `responseType` is redundant, but must not contradict its key.
        if named.as_str() != Some(response_type) {
            let message = format!("`responseType` must be the key it is listed under, `{response_type}`");
            return Err(p.key("responseType").error(CODE, message, named.span));
        }
    }
    f.ignore(&["responseParameters"]);
    f.finish(p, &["statusCode", "responseTemplates", "responseParameters", "responseType", "defaultResponse"])?;
    Ok((!is_default).then(|| GatewayResponseOverride {
        response_type: response_type.to_owned(),
        status_code,
        template,
    }))
}

/// The verbs a REST API method can have, besides `ANY`, which stands for all of them.
pub(crate) const HTTP_METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// What a method entry may hold: the contract's fields, and the other fields of an AWS export of a method
/// (`get-method`, or a method of `get-resources --embed methods`) and of its resource, accepted so that real
/// exports paste in unchanged. None of the others changes authorization: they act after it (an API key, request
/// validation, the integration). Any other name is an error, so that a misspelt `authorizationType` is not
/// silently a NONE method. A method's own fields come first: a method inside `resourceMethods` has only those.
const METHOD_FIELDS: [&str; 16] = [
    "httpMethod",
    "authorizationType",
    "authorizerId",
    "authorizationScopes",
    "apiKeyRequired",
    "requestValidatorId",
    "operationName",
    "requestParameters",
    "requestModels",
    "methodResponses",
    "methodIntegration",
    "resourcePath",
    "path",
    "id",
    "parentId",
    "pathPart",
];

/// How many of [`METHOD_FIELDS`] are the method's own.
const OWN_METHOD_FIELDS: usize = 11;

/// The fields of a resource, as `aws apigateway get-resources` prints each of its `items`.
const RESOURCE_FIELDS: &[&str] = &["id", "parentId", "pathPart", "path", "resourceMethods"];

/// `api.methods`: method entries (the contract's), resources as `get-resources` prints them (with their
/// `resourceMethods`), or that command's whole output (`{"items": [...]}`). A method is defined once, and a
/// resource has at most one parameter child, as API Gateway enforces.
fn decode_methods(
    json: &Json,
    ptr: &Ptr<'_>,
    api_type: AuthorizationType,
    authorizers: &[AuthorizerConfig],
) -> Result<Vec<MethodConfig>, Error> {
    let items_ptr = ptr.key("items");
    let (list, lp) = match json.as_object() {
        Some(_) => {
            let mut f = Fields::new(json, ptr, CODE, "`methods`")?.only(ptr, &["items", "position"])?;
            let items = f.require("items", ptr)?;
            f.ignore(&["position"]);
            (items, &items_ptr)
        }
        None => (json, ptr),
    };
    let items = expect_array(list, lp, CODE).map_err(|e| {
        e.with_help("give an array of methods (`{\"httpMethod\", \"resourcePath\", ...}`), or the output of `aws apigateway get-resources --embed methods`")
    })?;
    let mut out = Vec::with_capacity(items.len());
    // Where each method was defined: its item, and its verb key inside `resourceMethods`.
    let mut defined_at: Vec<(usize, Option<&str>, crate::json::Span)> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let ip = lp.index(i);
        let is_resource = item.get("resourceMethods").is_some()
            || (item.get("httpMethod").is_none() && item.get("id").is_some() && item.get("path").is_some());
        if !is_resource {
            out.push(decode_method(item, &ip, None, api_type, authorizers)?);
            defined_at.push((i, None, item.span));
            continue;
        }
        let mut f = Fields::new(item, &ip, CODE, "a resource")?.only(&ip, RESOURCE_FIELDS)?;
        let path_json = f.require("path", &ip)?;
        let path = expect_str(path_json, &ip.key("path"), CODE)?;
        parse_resource_path(path).map_err(|m| ip.key("path").error(CODE, m, path_json.span))?;
        f.ignore(&["id", "parentId", "pathPart"]);
        let Some(verbs) = f.take_non_null("resourceMethods") else {
            continue; // a resource without methods: nothing reaches it
        };
        let rp = ip.key("resourceMethods");
        let members = verbs.as_object().ok_or_else(|| {
            rp.error(
                CODE,
                format!("`resourceMethods` must be an object keyed by verb, found {}", verbs.kind()),
                verbs.span,
            )
        })?;
        for (key, body) in members {
            out.push(decode_method(body, &rp.key(&key.name), Some((&key.name, path_json)), api_type, authorizers)?);
            defined_at.push((i, Some(&key.name), body.span));
        }
    }
    // Checked once all are read, by sorting rather than hashing: no key is built for a method that is fine.
    let location = |at: usize| -> (String, crate::json::Span) {
        let Some(&(i, verb, span)) = defined_at.get(at) else {
            return (lp.render(), list.span);
        };
        let ip = lp.index(i);
        match verb {
            Some(verb) => (ip.key("resourceMethods").key(verb).render(), span),
            None => (ip.render(), span),
        }
    };
    // An error at the later definition; `message` is told where the earlier one is.
    let conflict = |first: usize, second: usize, message: &dyn Fn(&str) -> String| -> Error {
        let (here, span) = location(second);
        let (there, _) = location(first);
        let mut error = Ptr::ROOT.error(CODE, message(&there), span);
        error.path = here;
        error
    };
    let mut order: Vec<usize> = (0..out.len()).collect();
    let by_route = |&a: &usize, &b: &usize| {
        let (x, y) = (out.get(a), out.get(b));
        x.map(|m| (&m.resource_path, &m.http_method))
            .cmp(&y.map(|m| (&m.resource_path, &m.http_method)))
            .then(a.cmp(&b))
    };
    order.sort_unstable_by(by_route);
    for pair in order.windows(2) {
        if let [a, b] = pair {
            if let (Some(x), Some(y)) = (out.get(*a), out.get(*b)) {
                if x.resource_path == y.resource_path && x.http_method == y.http_method {
                    return Err(conflict(*a, *b, &|there| {
                        format!("method `{} {}` is defined twice, here and at {there}", y.http_method, y.resource_path)
                    }));
                }
            }
        }
    }
    // Every parameter segment with the path before it: one parameter name per parent.
    let mut parameters: Vec<(&[RouteSegment], &RouteSegment, usize)> = Vec::new();
    for (at, method) in out.iter().enumerate() {
        for (k, segment) in method.segments.iter().enumerate() {
            if matches!(segment, RouteSegment::Param(_) | RouteSegment::Greedy(_)) {
                parameters.push((method.segments.get(..k).unwrap_or(&[]), segment, at));
            }
        }
    }
    parameters.sort_unstable();
    for pair in parameters.windows(2) {
        if let [(parent, one, a), (other_parent, other, b)] = pair {
            if parent == other_parent && one != other {
                let (first, second) = (a.min(b), a.max(b));
                let written = |s: &RouteSegment| match s {
                    RouteSegment::Param(n) => format!("{{{n}}}"),
                    RouteSegment::Greedy(n) => format!("{{{n}+}}"),
                    RouteSegment::Literal(t) => t.clone(),
                };
                let parent_path: String = parent.iter().map(|s| format!("/{}", written(s))).collect();
                let (here, there) = if first == a { (other, one) } else { (one, other) };
                let parent_path = if parent_path.is_empty() { String::from("/") } else { parent_path };
                return Err(conflict(*first, *second, &|at| {
                    format!(
                        "resource `{parent_path}` has two parameter children, `{}` here and `{}` at {at}: API Gateway allows one per resource",
                        written(here),
                        written(there)
                    )
                }));
            }
        }
    }
    Ok(out)
}

/// One method: an entry of `methods`, or (`embedded`: its verb key and its resource's `path`) a method of a
/// `get-resources` item's `resourceMethods`. An entry without `authorizationType` takes the API's
/// (`api_type`), which the contract uses for every route when `methods` is absent.
fn decode_method(
    json: &Json,
    ptr: &Ptr<'_>,
    embedded: Option<(&str, &Json)>,
    api_type: AuthorizationType,
    authorizers: &[AuthorizerConfig],
) -> Result<MethodConfig, Error> {
    let fields = match embedded {
        Some(_) => METHOD_FIELDS.get(..OWN_METHOD_FIELDS).unwrap_or(&METHOD_FIELDS),
        None => &METHOD_FIELDS,
    };
    let mut f = Fields::new(json, ptr, CODE, "a method")?.only(ptr, fields)?;
    let verb_json = match embedded {
        Some(_) => f.take_non_null("httpMethod"),
        None => Some(f.require("httpMethod", ptr)?),
    };
    let http_method = match (verb_json, embedded) {
        (Some(v), _) => expect_str(v, &ptr.key("httpMethod"), CODE)?.to_ascii_uppercase(),
        (None, Some((key, _))) => key.to_ascii_uppercase(),
        (None, None) => {
            return Err(ptr.key("httpMethod").error(CODE, "missing required field `httpMethod`", json.span))
        }
    };
    let verb_span = verb_json.map_or(json.span, |v| v.span);
    if http_method != "ANY" && !HTTP_METHODS.contains(&http_method.as_str()) {
        return Err(ptr.key("httpMethod").error(
            CODE,
            format!("unknown httpMethod `{http_method}`, expected one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD`, `OPTIONS`, `ANY`"),
            verb_span,
        ));
    }
    if let Some((key, _)) = embedded {
        if !key.eq_ignore_ascii_case(&http_method) {
            return Err(ptr.key("httpMethod").error(
                CODE,
                format!("method `{http_method}` is listed under `{key}`"),
                verb_span,
            ));
        }
    }
    let (path_json, path_ptr) = match embedded {
        Some((_, path)) => (path, ptr.key("path")),
        // get-resources writes `path`; the contract writes `resourcePath`. Both may be given, if they agree.
        None => match (f.take_non_null("resourcePath"), f.take_non_null("path")) {
            (Some(p), Some(other)) if p.as_str() != other.as_str() => {
                return Err(ptr.key("path").error(
                    CODE,
                    "`path` and `resourcePath` name different resources; give one of them",
                    other.span,
                ))
            }
            (Some(p), _) => (p, ptr.key("resourcePath")),
            (None, Some(p)) => (p, ptr.key("path")),
            (None, None) => {
                return Err(ptr.key("resourcePath").error(CODE, "missing required field `resourcePath`", json.span))
            }
        },
    };
    let resource_path = expect_str(path_json, &path_ptr, CODE)?.to_owned();
    let segments = parse_resource_path(&resource_path).map_err(|m| path_ptr.error(CODE, m, path_json.span))?;
    let type_json = f.take_non_null("authorizationType");
    let authorization_type = match type_json {
        None if embedded.is_some() => {
            return Err(ptr.error(
                CODE,
                format!("method `{http_method} {resource_path}` has no `authorizationType`"),
                json.span,
            )
            .with_help("`aws apigateway get-resources` lists a resource's methods without their settings; export them with `--embed methods`"))
        }
        None => api_type,
        Some(v) => authorization_type(v, &ptr.key("authorizationType"))?,
    };
    let authorizer_json = f.take_non_null("authorizerId");
    if let (None, AuthorizationType::None | AuthorizationType::AwsIam, Some(v)) =
        (type_json, authorization_type, authorizer_json)
    {
        // An authorizer named without a type, which the API's type does not use: the author surely meant the
        // method to use it, and taking the API's type would leave it open (NONE) or guarded otherwise. (An
        // explicit type wins: an export may keep the id of an authorizer the method no longer uses.)
        return Err(ptr.key("authorizerId").error(
            CODE,
            format!(
                "method `{http_method} {resource_path}` names an authorizer but gives no `authorizationType`, and the API's is {}",
                authorization_type.as_str()
            ),
            v.span,
        )
        .with_help("give `authorizationType`: `CUSTOM` for a Lambda authorizer, `COGNITO_USER_POOLS` for a user pool"));
    }
    let authorizer_id = match (authorizer_json, type_json, authorizers) {
        (Some(v), _, _) => Some(expect_str(v, &ptr.key("authorizerId"), CODE)?.to_owned()),
        // The API's type taken with nothing said about an authorizer: the API's one authorizer, as every route
        // uses it when `methods` is absent.
        (None, None, [only])
            if matches!(authorization_type, AuthorizationType::Custom | AuthorizationType::CognitoUserPools) =>
        {
            Some(only.id.clone())
        }
        (None, _, _) => None,
    };
    let authorization_scopes = match f.take_non_null("authorizationScopes") {
        None => Vec::new(),
        Some(v) => {
            let sp = ptr.key("authorizationScopes");
            let items = expect_array(v, &sp, CODE)?;
            let mut out = Vec::new();
            for (i, s) in items.iter().enumerate() {
                out.push(expect_str(s, &sp.index(i), CODE)?.to_owned());
            }
            out
        }
    };
    if matches!(authorization_type, AuthorizationType::Custom | AuthorizationType::CognitoUserPools) {
        match (&authorizer_id, authorizer_json) {
            (Some(id), Some(v)) if !authorizers.iter().any(|a| &a.id == id) => {
                return Err(ptr.key("authorizerId").error(
                    CODE,
                    format!("authorizer `{id}` is not among `api.authorizers`"),
                    v.span,
                ))
            }
            (Some(_), _) => {}
            (None, _) => {
                return Err(ptr.error(
                    CODE,
                    format!(
                        "method `{http_method} {resource_path}` is {} but names no `authorizerId`",
                        authorization_type.as_str()
                    ),
                    json.span,
                ))
            }
        }
    }
    let api_key_required = match f.take_non_null("apiKeyRequired") {
        None => false,
        Some(v) => expect_bool(v, &ptr.key("apiKeyRequired"), CODE)?,
    };
    // The other fields are accepted and change nothing here (see METHOD_FIELDS).
    f.accept_rest();
    Ok(MethodConfig {
        http_method,
        resource_path,
        segments,
        authorization_type,
        authorizer_id,
        authorization_scopes,
        api_key_required,
    })
}

/// `/pets/{petId}` → segments; `{name+}` only as the last segment.
pub fn parse_resource_path(path: &str) -> Result<Vec<RouteSegment>, String> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err(format!("resource path `{path}` must start with `/`"));
    };
    if rest.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::with_capacity(rest.bytes().filter(|&b| b == b'/').count() + 1);
    let mut parts = rest.split('/').peekable();
    while let Some(part) = parts.next() {
        if part.is_empty() {
            return Err(format!("resource path `{path}` has an empty segment"));
        }
        if let Some(name) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            if let Some(greedy) = name.strip_suffix('+') {
                if parts.peek().is_some() {
                    return Err(format!("resource path `{path}`: a greedy `{{{greedy}+}}` must be the last segment"));
                }
                out.push(RouteSegment::Greedy(greedy.to_owned()));
            } else {
                out.push(RouteSegment::Param(name.to_owned()));
            }
        } else if part.contains('{') || part.contains('}') {
            return Err(format!("resource path `{path}`: segment `{part}` must be a whole `{{name}}` or plain text"));
        } else {
            out.push(RouteSegment::Literal(part.to_owned()));
        }
    }
    Ok(out)
}

/// What an authorizer entry may hold: the contract's fields, and the others of `aws apigateway get-authorizers`
/// output, accepted so that real exports paste in unchanged (they name the function and its credentials, which
/// the scenario's `authorizerResult` stands for). Any other name is an error: a misspelt
/// `identityValidationExpression` must not switch the token check off.
const AUTHORIZER_FIELDS: &[&str] = &[
    "id",
    "type",
    "identitySource",
    "identityValidationExpression",
    "authorizerResultTtlInSeconds",
    "name",
    "providerARNs",
    "authType",
    "authorizerUri",
    "authorizerCredentials",
];

fn decode_authorizer(json: &Json, ptr: &Ptr<'_>) -> Result<AuthorizerConfig, Error> {
    let mut f = Fields::new(json, ptr, CODE, "an authorizer")?.only(ptr, AUTHORIZER_FIELDS)?;
    let id = req_str(&mut f, "id", ptr)?;
    let type_json = f.require("type", ptr)?;
    let kind = match expect_str(type_json, &ptr.key("type"), CODE)? {
        "TOKEN" => AuthorizerType::Token,
        "REQUEST" => AuthorizerType::Request,
        "COGNITO_USER_POOLS" => AuthorizerType::CognitoUserPools,
        other => {
            return Err(ptr.key("type").error(
                CODE,
                format!("unknown authorizer type `{other}`, expected one of `TOKEN`, `REQUEST`, `COGNITO_USER_POOLS`"),
                type_json.span,
            ))
        }
    };
    let source_json = f.take_non_null("identitySource");
    let source_text = match source_json {
        Some(v) => expect_str(v, &ptr.key("identitySource"), CODE)?.to_owned(),
        None if kind == AuthorizerType::Request => String::new(),
        None => String::from("method.request.header.Authorization"),
    };
    let mut identity_sources = Vec::new();
    for part in source_text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let source = parse_identity_source(part)
            .map_err(|m| ptr.key("identitySource").error(CODE, m, source_json.map(|j| j.span).unwrap_or(json.span)))?;
        identity_sources.push(source);
    }
    if kind == AuthorizerType::Token {
        match identity_sources.as_slice() {
            [IdentitySource::Header(_)] => {}
            _ => {
                return Err(ptr.key("identitySource").error(
                    CODE,
                    format!("a TOKEN authorizer takes its token from one header (`method.request.header.NAME`), found `{source_text}`"),
                    source_json.map(|j| j.span).unwrap_or(json.span),
                ))
            }
        }
    }
    let identity_validation_expression = match f.take_non_null("identityValidationExpression") {
        None => None,
        Some(v) => {
            let vp = ptr.key("identityValidationExpression");
            let text = expect_str(v, &vp, CODE)?;
            let regex = crate::java_regex::compile(text)
                .map_err(|why| vp.error(CODE, format!("identityValidationExpression {why}"), v.span))?;
            Some((text.to_owned(), regex))
        }
    };
    let ttl_seconds = match f.take_non_null("authorizerResultTtlInSeconds") {
        None => 300,
        Some(v) => {
            let tp = ptr.key("authorizerResultTtlInSeconds");
            let ttl = expect_u64(v, &tp, CODE)?;
            if ttl > 3600 {
                return Err(tp.error(
                    CODE,
                    format!("authorizerResultTtlInSeconds {ttl} is more than the maximum of 3600"),
                    v.span,
                ));
            }
            ttl
        }
    };
    // API Gateway requires identity sources of a REQUEST authorizer that caches: they are the cache key. With
    // none, one caller's cached policy would answer every other caller.
    if kind == AuthorizerType::Request && ttl_seconds > 0 && identity_sources.is_empty() {
        return Err(ptr.key("identitySource").error(
            CODE,
            format!("a REQUEST authorizer with caching on (authorizerResultTtlInSeconds {ttl_seconds}) needs at least one identity source: they are its cache key"),
            source_json.map(|j| j.span).unwrap_or(json.span),
        ).with_help("give `identitySource`, e.g. `method.request.header.Authorization`, or turn caching off with `authorizerResultTtlInSeconds: 0` (300 when absent)"));
    }
    // The other fields are accepted and change nothing here (see AUTHORIZER_FIELDS).
    f.accept_rest();
    Ok(AuthorizerConfig { id, kind, identity_sources, identity_validation_expression, ttl_seconds })
}

fn parse_identity_source(text: &str) -> Result<IdentitySource, String> {
    if let Some(h) = text.strip_prefix("method.request.header.") {
        if !h.is_empty() {
            return Ok(IdentitySource::Header(h.to_ascii_lowercase()));
        }
    }
    if let Some(q) = text.strip_prefix("method.request.querystring.") {
        if !q.is_empty() {
            return Ok(IdentitySource::QueryString(q.to_owned()));
        }
    }
    if let Some(s) = text.strip_prefix("stageVariables.") {
        if !s.is_empty() {
            return Ok(IdentitySource::StageVariable(s.to_owned()));
        }
    }
    if let Some(c) = text.strip_prefix("context.") {
        if !c.is_empty() {
            return Ok(IdentitySource::Context(c.to_owned()));
        }
    }
    if text.starts_with("method.request.path.") {
        return Err(format!("identity source `{text}`: path parameters cannot be identity sources"));
    }
    Err(format!(
        "identity source `{text}` must be `method.request.header.X`, `method.request.querystring.x`, `stageVariables.x` or `context.x`"
    ))
}

/// Read `principals` (IAM users and roles with their policies).
pub fn decode_principals(json: Option<&Json>, index: Option<&LineIndex>) -> Result<Principals, Error> {
    let Some(json) = json else { return Ok(Principals::new(Vec::new())) };
    let root = Ptr::ROOT;
    let ptr = root.key("principals");
    let members = json.as_object().ok_or_else(|| {
        ptr.error(
            CODE,
            format!("`principals` must be an object keyed by user or role ARN, found {}", json.kind()),
            json.span,
        )
    })?;
    let mut out = Vec::with_capacity(members.len());
    for (key, value) in members {
        let p = ptr.key(&key.name);
        let arn = crate::arn::Arn::parse(&key.name);
        let (account, is_role, name) = match arn {
            Some(a) if a.service == "iam" && crate::arn::is_account_id(a.account) => match a.resource.split_once('/') {
                Some(("user", rest)) if !rest.is_empty() => (a.account, false, rest.rsplit('/').next().unwrap_or(rest)),
                Some(("role", rest)) if !rest.is_empty() => (a.account, true, rest.rsplit('/').next().unwrap_or(rest)),
                _ => return Err(principal_key_error(&p, &key.name, key.span)),
            },
            _ => return Err(principal_key_error(&p, &key.name, key.span)),
        };
        let mut f = Fields::new(value, &p, CODE, "a principal")?;
        let policies = match f.take_non_null("policies") {
            None => Vec::new(),
            Some(v) => {
                let pp = p.key("policies");
                let items = expect_array(v, &pp, CODE)?;
                let mut list = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    list.push(compile_json(item, &pp.index(i), PolicyKind::Identity, None, index)?);
                }
                list
            }
        };
        let permissions_boundary = match f.take_non_null("permissionsBoundary") {
            None => None,
            Some(v) => Some(compile_json(v, &p.key("permissionsBoundary"), PolicyKind::Identity, None, index)?),
        };
        let tags = match f.take_non_null("tags") {
            None => Vec::new(),
            Some(v) => case_insensitive_map(v, &p.key("tags"), CODE, str::to_lowercase)?,
        };
        let org_id = opt_str(&mut f, "orgId", &p)?;
        let service_control_policies = match f.take_non_null("serviceControlPolicies") {
            None => Vec::new(),
            Some(v) => {
                let sp = p.key("serviceControlPolicies");
                let items = expect_array(v, &sp, CODE)?;
                let mut list = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    list.push(compile_json(item, &sp.index(i), PolicyKind::Identity, None, index)?);
                }
                list
            }
        };
        f.finish(&p, &["policies", "permissionsBoundary", "tags", "orgId", "serviceControlPolicies"])?;
        out.push(PrincipalConfig {
            arn: key.name.to_string(),
            account: account.to_owned(),
            name: name.to_owned(),
            is_role,
            policies,
            permissions_boundary,
            tags,
            org_id,
            service_control_policies,
        });
    }
    Ok(Principals::new(out))
}

fn principal_key_error(ptr: &Ptr<'_>, name: &str, span: crate::json::Span) -> Error {
    ptr.error(
        CODE,
        format!("`{name}` must be an IAM user or role ARN (`arn:aws:iam::ACCOUNT:user/NAME` or `:role/NAME`)"),
        span,
    )
    .with_help("a role session's policies are those of its role: key the entry by the role ARN")
}

/// Read `vpcEndpoints`.
pub fn decode_endpoints(json: Option<&Json>, index: Option<&LineIndex>) -> Result<Vec<EndpointConfig>, Error> {
    let Some(json) = json else { return Ok(Vec::new()) };
    let root = Ptr::ROOT;
    let ptr = root.key("vpcEndpoints");
    let members = json.as_object().ok_or_else(|| {
        ptr.error(
            CODE,
            format!("`vpcEndpoints` must be an object keyed by endpoint id, found {}", json.kind()),
            json.span,
        )
    })?;
    let mut out = Vec::with_capacity(members.len());
    for (key, value) in members {
        let p = ptr.key(&key.name);
        let mut f = Fields::new(value, &p, CODE, "a VPC endpoint")?;
        let vpc_id = opt_str(&mut f, "vpcId", &p)?;
        // A VPC id is never empty; the engine relies on it where the VPC is unknown (`exact_equals_outcome`).
        if vpc_id.as_deref() == Some("") {
            return Err(p.key("vpcId").error(CODE, "`vpcId` must not be empty", value.span));
        }
        let policy = match f.take_non_null("policy") {
            None => None,
            Some(v) => Some(compile_json(v, &p.key("policy"), PolicyKind::Endpoint, None, index)?),
        };
        f.finish(&p, &["vpcId", "policy"])?;
        out.push(EndpointConfig { id: key.name.to_string(), vpc_id, policy });
    }
    Ok(out)
}

/// Read a `request`. `role_arn_of(account, role_name)` finds a described role's full ARN for session callers.
pub fn decode_request(
    json: &Json,
    ptr: &Ptr<'_>,
    index: Option<&LineIndex>,
    role_arn_of: &dyn Fn(&str, &str) -> Option<String>,
) -> Result<Request, Error> {
    decode_request_with(json, ptr, index, role_arn_of, true)
}

/// [`decode_request`], with `sourceIp` optional when `require_source` is false (general IAM requests from a
/// service have no source address).
pub fn decode_request_with(
    json: &Json,
    ptr: &Ptr<'_>,
    index: Option<&LineIndex>,
    role_arn_of: &dyn Fn(&str, &str) -> Option<String>,
    require_source: bool,
) -> Result<Request, Error> {
    let mut f = Fields::new(json, ptr, CODE, "`request`")?.only(ptr, REQUEST_FIELDS)?;
    let verb_json = f.require("httpMethod", ptr)?;
    let http_method = expect_str(verb_json, &ptr.key("httpMethod"), CODE)?.to_ascii_uppercase();
    if http_method.is_empty() || !http_method.bytes().all(|b| b.is_ascii_alphabetic()) || http_method == "ANY" {
        return Err(ptr.key("httpMethod").error(
            CODE,
            format!("httpMethod `{http_method}` is not an HTTP verb"),
            verb_json.span,
        ));
    }
    let path_json = f.require("path", ptr)?;
    let path = expect_str(path_json, &ptr.key("path"), CODE)?.to_owned();
    if !path.starts_with('/') {
        return Err(ptr.key("path").error(CODE, format!("path `{path}` must start with `/`"), path_json.span));
    }
    let stage_json = f.require("stage", ptr)?;
    let stage = expect_str(stage_json, &ptr.key("stage"), CODE)?.to_owned();
    if stage.is_empty() || stage.contains('/') {
        return Err(ptr.key("stage").error(
            CODE,
            format!("stage `{stage}` must be a non-empty name without `/`"),
            stage_json.span,
        ));
    }
    let source_ip_json = f.take_non_null("sourceIp");
    let vpc_endpoint_id = opt_str(&mut f, "vpcEndpointId", ptr)?;
    let vpc_source_ip_json = f.take_non_null("vpcSourceIp");
    let address = |name: &str, value: Option<&Json>| -> Result<(Option<String>, Option<std::net::IpAddr>), Error> {
        let Some(value) = value else {
            return Ok((None, None));
        };
        let ip = expect_str(value, &ptr.key(name), CODE)?;
        match ip.parse::<std::net::IpAddr>() {
            Ok(addr) => match ipv4_in_ipv6(addr) {
                Some(v4) => Err(ipv4_in_ipv6_error(&ptr.key(name), name, ip, &v4, value.span)),
                None => Ok((Some(ip.to_owned()), Some(addr))),
            },
            Err(_) => Err(ptr.key(name).error(CODE, format!("{name} `{ip}` is not an IP address"), value.span)),
        }
    };
    let (source_ip, source_ip_addr) = address("sourceIp", source_ip_json)?;
    let (vpc_source_ip, vpc_source_ip_addr) = address("vpcSourceIp", vpc_source_ip_json)?;
    if require_source && source_ip.is_none() && vpc_endpoint_id.is_none() {
        return Err(ptr.key("sourceIp").error(
            CODE,
            "missing required field `sourceIp` (required unless `vpcEndpointId` is given)",
            json.span,
        ));
    }
    let headers = match f.take_non_null("headers") {
        None => Vec::new(),
        // HTTP strips the white space around a field value (RFC 9110 §5.5): `Authorization: " "` is an empty
        // header, which a TOKEN authorizer answers with 401 without being invoked.
        Some(v) => {
            let mut headers = case_insensitive_map(v, &ptr.key("headers"), CODE, str::to_ascii_lowercase)?;
            for (_, value) in &mut headers {
                let trimmed = value.trim_matches([' ', '\t']);
                if trimmed.len() != value.len() {
                    *value = trimmed.to_owned();
                }
            }
            headers
        }
    };
    let query_string_parameters = match f.take_non_null("queryStringParameters") {
        None => Vec::new(),
        Some(v) => sorted_by_name(string_map(v, &ptr.key("queryStringParameters"), CODE)?),
    };
    let stage_variables = match f.take_non_null("stageVariables") {
        None => Vec::new(),
        Some(v) => sorted_by_name(string_map(v, &ptr.key("stageVariables"), CODE)?),
    };
    let time_millis = match f.take_non_null("time") {
        None => DEFAULT_TIME_MILLIS,
        Some(v) => {
            let tp = ptr.key("time");
            let text = expect_str(v, &tp, CODE)?;
            date::parse_instant(text)
                .ok_or_else(|| tp.error(CODE, format!("time `{text}` is not an ISO 8601 date-time"), v.span))?
        }
    };
    let secure_transport = match f.take_non_null("secureTransport") {
        None => true,
        Some(v) => expect_bool(v, &ptr.key("secureTransport"), CODE)?,
    };
    let caller = match f.take_non_null("caller") {
        None => None,
        Some(v) => Some(decode_caller(v, &ptr.key("caller"), index, role_arn_of)?),
    };
    let authorizer_result = match f.take_non_null("authorizerResult") {
        None => None,
        Some(v) => Some(decode_authorizer_output(v, &ptr.key("authorizerResult"))?),
    };
    let cognito = match f.take_non_null("cognito") {
        None => None,
        Some(v) => Some(decode_cognito(v, &ptr.key("cognito"))?),
    };
    let context = match f.take_non_null("context") {
        None => Vec::new(),
        Some(v) => decode_context(v, &ptr.key("context"))?,
    };
    f.finish(ptr, REQUEST_FIELDS)?;
    Ok(Request {
        http_method,
        path,
        stage,
        source_ip,
        source_ip_addr,
        vpc_endpoint_id,
        vpc_source_ip,
        vpc_source_ip_addr,
        headers,
        query_string_parameters,
        stage_variables,
        time_millis,
        time_texts: OnceLock::new(),
        secure_transport,
        caller,
        authorizer_result,
        cognito,
        context,
    })
}

pub fn decode_caller(
    json: &Json,
    ptr: &Ptr<'_>,
    index: Option<&LineIndex>,
    role_arn_of: &dyn Fn(&str, &str) -> Option<String>,
) -> Result<SignedCaller, Error> {
    let mut f = Fields::new(json, ptr, CODE, "`caller`")?.only(ptr, CALLER_FIELDS)?;
    let arn_json = f.require("arn", ptr)?;
    let arn = expect_str(arn_json, &ptr.key("arn"), CODE)?;
    let caller = Caller::from_arn(arn, role_arn_of).map_err(|m| ptr.key("arn").error(CODE, m, arn_json.span))?;
    let signature = match f.take_non_null("signature") {
        None => Signature::Valid,
        Some(v) => match expect_str(v, &ptr.key("signature"), CODE)? {
            "valid" => Signature::Valid,
            "incomplete" => Signature::Incomplete,
            "invalid" => Signature::Invalid,
            "expired" => Signature::Expired,
            "unknownKey" => Signature::UnknownKey,
            "expiredToken" => Signature::ExpiredToken,
            other => {
                return Err(ptr.key("signature").error(
                    CODE,
                    format!("unknown signature outcome `{other}`, expected one of `valid`, `incomplete`, `invalid`, `expired`, `unknownKey`, `expiredToken`"),
                    v.span,
                ))
            }
        },
    };
    let signed_at = match f.take_non_null("signedAt") {
        None => None,
        Some(v) => {
            let sp = ptr.key("signedAt");
            let text = expect_str(v, &sp, CODE)?;
            Some(
                date::parse_instant(text)
                    .ok_or_else(|| sp.error(CODE, format!("signedAt `{text}` is not an ISO 8601 date-time"), v.span))?,
            )
        }
    };
    let session_policy = match f.take_non_null("sessionPolicy") {
        None => None,
        Some(v) => Some(compile_json(v, &ptr.key("sessionPolicy"), PolicyKind::Identity, None, index)?),
    };
    f.finish(ptr, CALLER_FIELDS)?;
    Ok(SignedCaller { caller, signature, signed_at, session_policy })
}

/// The largest authorizer result API Gateway accepts.
pub const AUTHORIZER_RESULT_MAX_BYTES: usize = 8 * 1024;
/// The longest Resource ARN API Gateway accepts in an authorizer's policy.
pub const AUTHORIZER_RESOURCE_MAX_CHARS: usize = 512;

/// Validate what the Lambda function returned the way API Gateway does: problems here are not input errors but
/// a 500 AUTHORIZER_CONFIGURATION_ERROR at run time, so they are kept as `Malformed`.
fn decode_authorizer_output(json: &Json, ptr: &Ptr<'_>) -> Result<AuthorizerOutput, Error> {
    let members = json.as_object().ok_or_else(|| {
        ptr.error(CODE, format!("`authorizerResult` must be an object, found {}", json.kind()), json.span)
    })?;
    if let Some(error) = json.get("error") {
        if members.len() > 1 {
            return Err(ptr.error(
                CODE,
                "`authorizerResult` with `error` describes a failed function and takes no other fields",
                json.span,
            ));
        }
        let message = expect_str(error, &ptr.key("error"), CODE)?;
        return Ok(AuthorizerOutput::Failed(message.to_owned()));
    }
    if let Some(size) = json.compact_len_over(AUTHORIZER_RESULT_MAX_BYTES, crate::json::LengthUnit::Bytes) {
        return Ok(AuthorizerOutput::Malformed(format!(
            "the authorizer result is {size} bytes, more than the limit of 8 KB"
        )));
    }
    let principal_id = match json.get("principalId") {
        Some(Json { value: JsonValue::String(s), .. }) => s.to_string(),
        Some(Json { value: JsonValue::Number(n), .. }) => n.text.clone(),
        Some(_) => return Ok(AuthorizerOutput::Malformed(String::from("`principalId` is not a string"))),
        None => return Ok(AuthorizerOutput::Malformed(String::from("the authorizer result has no `principalId`"))),
    };
    let Some(policy_json) = json.get("policyDocument").filter(|p| !p.is_null()) else {
        return Ok(AuthorizerOutput::Malformed(String::from("the authorizer result has no `policyDocument`")));
    };
    // The function's output is JSON that API Gateway reads into its own structure, where the policy document is an
    // object; unlike a resource policy, there is no escaped-string form of it.
    if policy_json.as_str().is_some() {
        return Ok(AuthorizerOutput::Malformed(String::from(
            "its `policyDocument` is a string; API Gateway reads an object (return the document itself, not its JSON text)",
        )));
    }
    // The path is given within the result, not the input: the decision must read the same whether the request
    // came alone (a prepared API) or inside a scenario.
    let policy = match compile_json(policy_json, &Ptr::ROOT.key("policyDocument"), PolicyKind::Authorizer, None, None) {
        Ok(p) => p,
        Err(e) => {
            return Ok(AuthorizerOutput::Malformed(format!(
                "its policyDocument is invalid: {} (at `{}` in the result)",
                e.message, e.path
            )))
        }
    };
    for statement in &policy.statements {
        for pattern in &statement.resource.patterns {
            if pattern.as_str().chars().count() > AUTHORIZER_RESOURCE_MAX_CHARS {
                return Ok(AuthorizerOutput::Malformed(format!(
                    "a Resource of its policy is {} characters, more than the limit of {AUTHORIZER_RESOURCE_MAX_CHARS}",
                    pattern.as_str().chars().count()
                )));
            }
        }
    }
    let mut context = Vec::new();
    if let Some(ctx) = json.get("context").filter(|c| !c.is_null()) {
        let Some(members) = ctx.as_object() else {
            return Ok(AuthorizerOutput::Malformed(String::from("`context` is not an object")));
        };
        for (key, value) in members {
            let text = match &value.value {
                JsonValue::String(s) => s.to_string(),
                JsonValue::Number(n) => n.text.clone(),
                JsonValue::Bool(b) => b.to_string(),
                _ => {
                    return Ok(AuthorizerOutput::Malformed(format!(
                        "context value `{}` is {}: only strings, numbers and booleans are allowed",
                        key.name,
                        value.kind()
                    )))
                }
            };
            context.push((key.name.to_string(), text));
        }
    }
    for (key, _) in members {
        if !matches!(key.name.as_ref(), "principalId" | "policyDocument" | "context" | "usageIdentifierKey") {
            return Err(ptr.key(&key.name).error(
                CODE,
                format!("unknown field `{}`, expected one of `principalId`, `policyDocument`, `context`, `usageIdentifierKey`, `error`", key.name),
                key.span,
            ));
        }
    }
    Ok(AuthorizerOutput::Returned { principal_id, policy: Box::new(policy), context })
}

fn decode_cognito(json: &Json, ptr: &Ptr<'_>) -> Result<CognitoToken, Error> {
    let mut f = Fields::new(json, ptr, CODE, "`cognito`")?;
    let token_valid = match f.take_non_null("tokenValid") {
        None => true,
        Some(v) => expect_bool(v, &ptr.key("tokenValid"), CODE)?,
    };
    let token_use = match f.take_non_null("tokenUse") {
        None => String::from("access"),
        Some(v) => {
            let tp = ptr.key("tokenUse");
            let t = expect_str(v, &tp, CODE)?;
            if t != "access" && t != "id" {
                return Err(tp.error(CODE, format!("tokenUse `{t}` must be `access` or `id`"), v.span));
            }
            t.to_owned()
        }
    };
    let scopes = match f.take_non_null("scopes") {
        None => Vec::new(),
        Some(v) => {
            let sp = ptr.key("scopes");
            let items = expect_array(v, &sp, CODE)?;
            let mut out = Vec::new();
            for (i, s) in items.iter().enumerate() {
                out.push(expect_str(s, &sp.index(i), CODE)?.to_owned());
            }
            out
        }
    };
    let claims = match f.take_non_null("claims") {
        None => Vec::new(),
        Some(v) => {
            let cp = ptr.key("claims");
            let members = v
                .as_object()
                .ok_or_else(|| cp.error(CODE, format!("`claims` must be an object, found {}", v.kind()), v.span))?;
            members
                .iter()
                .map(|(k, v)| {
                    let text = match &v.value {
                        JsonValue::String(s) => s.to_string(),
                        _ => v.to_serde().to_string(),
                    };
                    (k.name.to_string(), text)
                })
                .collect()
        }
    };
    f.finish(ptr, &["tokenValid", "tokenUse", "scopes", "claims"])?;
    Ok(CognitoToken { token_valid, token_use, scopes, claims })
}

fn decode_context(json: &Json, ptr: &Ptr<'_>) -> Result<Vec<(String, Vec<String>)>, Error> {
    let members = json.as_object().ok_or_else(|| {
        ptr.error(CODE, format!("`context` must be an object of condition keys, found {}", json.kind()), json.span)
    })?;
    let mut out: Vec<(String, Vec<String>)> = Vec::with_capacity(members.len());
    let mut names = NameSet::default();
    for (key, value) in members {
        let p = ptr.key(&key.name);
        let scalar = |v: &Json, p: &Ptr<'_>| -> Result<String, Error> {
            match &v.value {
                JsonValue::String(s) => Ok(s.to_string()),
                JsonValue::Number(n) => Ok(n.text.clone()),
                JsonValue::Bool(b) => Ok(b.to_string()),
                _ => Err(p.error(
                    CODE,
                    format!("a condition key value must be a string, number or boolean, found {}", v.kind()),
                    v.span,
                )),
            }
        };
        let values = match &value.value {
            JsonValue::Array(items) => {
                let mut vs = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    vs.push(scalar(item, &p.index(i))?);
                }
                vs
            }
            _ => vec![scalar(value, &p)?],
        };
        let lower = key.name.to_lowercase();
        // Read as `sourceIp` / `vpcSourceIp` are (`decode_request_with`): an address, not in an IPv4-in-IPv6
        // form. The context may give `aws:VpcSourceIp` where the scenario leaves it unknown.
        if matches!(lower.as_str(), "aws:sourceip" | "aws:vpcsourceip") {
            for v in &values {
                let Ok(addr) = v.parse::<std::net::IpAddr>() else {
                    return Err(p.error(CODE, format!("{} `{v}` is not an IP address", key.name), value.span));
                };
                if let Some(v4) = ipv4_in_ipv6(addr) {
                    return Err(ipv4_in_ipv6_error(&p, &key.name, v, &v4, value.span));
                }
            }
        }
        // The keys the scenario may leave present but unknown (a unique id, an endpoint's VPC, the address
        // inside the VPC) take one value that is never empty: an unknown one is decided on that assumption
        // (`Condition::exact_equals_outcome` tries only non-empty values), and a variable of a key with no value
        // or several would take its default instead.
        if matches!(lower.as_str(), "aws:userid" | "aws:sourcevpc" | "aws:vpcsourceip")
            && !matches!(values.as_slice(), [one] if !one.is_empty())
        {
            return Err(p.error(CODE, format!("`{}` takes one value, which is never empty", key.name), value.span));
        }
        if !names.insert(&lower) {
            return Err(p.error(
                CODE,
                format!("condition key `{}` is given twice (key names are case-insensitive)", key.name),
                key.span,
            ));
        }
        out.push((lower, values));
    }
    Ok(sorted_by_name(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv4_address_written_as_ipv6_is_found_and_ipv6_addresses_are_not() {
        let v4 = |text: &str| ipv4_in_ipv6(text.parse().unwrap_or(std::net::IpAddr::from([0, 0, 0, 0])));
        assert_eq!(v4("::ffff:198.51.100.7").as_deref(), Some("198.51.100.7"));
        assert_eq!(v4("::FFFF:c633:6407").as_deref(), Some("198.51.100.7"));
        assert_eq!(v4("::198.51.100.7").as_deref(), Some("198.51.100.7"));
        assert_eq!(v4("::c633:6407").as_deref(), Some("198.51.100.7"));
        for ipv6 in ["::1", "::", "::0.0.0.1", "::0.0.0.0", "2001:db8::1", "64:ff9b::198.51.100.7", "fe80::1"] {
            assert_eq!(v4(ipv6), None, "{ipv6}");
        }
        assert_eq!(v4("198.51.100.7"), None);
    }

    #[test]
    fn default_time_millis_is_the_default_time() {
        assert_eq!(date::parse_instant(DEFAULT_TIME), Some(DEFAULT_TIME_MILLIS));
        assert_eq!(date::format_iso(DEFAULT_TIME_MILLIS), DEFAULT_TIME);
    }

    #[test]
    fn resource_paths_split_into_segments_and_refuse_what_api_gateway_refuses() {
        use RouteSegment::{Greedy, Literal, Param};
        assert_eq!(parse_resource_path("/"), Ok(vec![]));
        assert_eq!(
            parse_resource_path("/pets/{petId}/toys/{proxy+}"),
            Ok(vec![Literal("pets".into()), Param("petId".into()), Literal("toys".into()), Greedy("proxy".into())])
        );
        for (path, why) in [
            ("pets", "must start with `/`"),
            ("/pets//toys", "has an empty segment"),
            ("/pets/", "has an empty segment"),
            ("/{proxy+}/pets", "must be the last segment"),
            ("/pets{id}", "must be a whole `{name}` or plain text"),
            ("/pets/{id", "must be a whole `{name}` or plain text"),
        ] {
            let error = parse_resource_path(path).expect_err(path);
            assert!(error.contains(why), "{path}: {error}");
        }
    }

    #[test]
    fn fields_of_aws_exports_are_accepted_on_methods_and_authorizers() {
        // get-resources and get-authorizers output pastes in unchanged.
        let api = |extra_method: &str, extra_authorizer: &str| {
            crate::PreparedApi::new(
                format!(
                    r#"{{"api": {{"id": "a1b2c3d4e5", "accountId": "111122223333", "region": "us-east-1",
                    "methods": [{{"httpMethod": "GET", "resourcePath": "/pets", "authorizationType": "CUSTOM",
                                  "authorizerId": "tok1"{extra_method}}}],
                    "authorizers": [{{"id": "tok1", "type": "TOKEN",
                                      "identitySource": "method.request.header.Authorization"{extra_authorizer}}}]}}}}"#
                )
                .as_str(),
            )
        };
        assert!(api("", "").is_ok());
        let exported = api(
            r#", "apiKeyRequired": false, "requestParameters": {}, "methodIntegration": {"type": "AWS_PROXY"}"#,
            r#", "name": "tok", "authorizerUri": "arn:aws:apigateway:us-east-1:lambda:path/x", "authType": "custom""#,
        );
        assert!(exported.is_ok(), "{:?}", exported.err());
    }

    #[test]
    fn condition_times_are_written_from_the_request_time() {
        let api = crate::PreparedApi::new(
            r#"{"api": {"id": "a1b2c3d4e5", "accountId": "111122223333", "region": "us-east-1"}}"#,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        for (time, current, epoch) in [
            (None, DEFAULT_TIME, "1795341600"),
            (Some("2026-11-22T12:00:00+02:00"), "2026-11-22T10:00:00Z", "1795341600"),
            (Some("2026-11-22T10:00:00.250Z"), "2026-11-22T10:00:00.250Z", "1795341600"),
            (Some("1795341601"), "2026-11-22T10:00:01Z", "1795341601"),
            (Some("1969-12-31T23:59:59.500Z"), "1969-12-31T23:59:59.500Z", "-1"),
        ] {
            let time = time.map(|t| format!(r#", "time": "{t}""#)).unwrap_or_default();
            let text =
                format!(r#"{{"httpMethod": "GET", "path": "/", "stage": "prod", "sourceIp": "203.0.113.7"{time}}}"#);
            let request = api.parse_request(text.as_str()).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            assert_eq!((request.current_time(), request.epoch_time()), (current, epoch), "{text}");
        }
    }
}
