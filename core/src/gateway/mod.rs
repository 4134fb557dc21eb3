//! API Gateway: the order of checks for one request (authorization-flows.md §1), per authorization type.
//!
//! [`PreparedApi`] holds the API compiled once; [`PreparedApi::authorize`] walks the checks in API Gateway's
//! order and stops at the first that answers.

pub mod context;
pub mod route;

use std::borrow::Cow;

use crate::arn::method_arn;
use crate::decode::{find_by_name, Ptr};
use crate::error::{Error, ErrorCode};
use crate::explain::Step;
use crate::iam::{self, EvalRequest, IdentitySide, NamedPolicy, PolicyName, PolicyResult, Verdict};
use crate::json::{self, LineIndex};
use crate::policy::Policy;
use crate::principal::Caller;
use crate::response::{messages, Decision, ErrorAnswer, Outcome, StatementRef};
use crate::scenario::{
    self, ApiConfig, AuthorizationType, AuthorizerConfig, AuthorizerOutput, AuthorizerType, EndpointConfig,
    EndpointType, IdentitySource, MethodConfig, PrincipalConfig, Principals, Request, Signature,
};
use crate::Input;
use context::RequestContext;

/// The longest method ARN API Gateway accepts, in bytes.
pub const METHOD_ARN_MAX_BYTES: usize = 1600;
const INVOKE: &str = "execute-api:invoke";

/// An API compiled once (policies, routes, authorizers, principals, endpoints), then asked about many requests.
#[derive(Debug, Clone)]
pub struct PreparedApi {
    api: ApiConfig,
    principals: Principals,
    endpoints: Vec<EndpointConfig>,
    /// `arn:{partition}:execute-api:{region}:{account}:{api-id}/`.
    arn_prefix: String,
    /// The method that stands for every route when `api.methods` is absent.
    default_method: MethodConfig,
    /// `(authorizer id, verb, path)` of a request reaching each CUSTOM method (`x` for a parameter, every verb
    /// for ANY): what the cache warning asks a cacheable authorizer policy about. A cache entry serves only the
    /// methods of its own authorizer.
    custom_probes: Vec<(String, &'static str, String)>,
}

/// Lambda authorizer results kept between requests (authorization-flows.md §4): the key is the authorizer and
/// its identity-source values; the cached *policy* is reused for every method of the API until the TTL ends.
#[derive(Debug, Clone, Default)]
pub struct AuthorizerCache {
    entries: Vec<CacheEntry>,
    label: String,
}

#[derive(Debug, Clone)]
struct CacheEntry {
    authorizer_id: String,
    /// A stage has its own authorizer cache (API Gateway flushes it per stage).
    stage: String,
    key: Vec<String>,
    filled_at_millis: i64,
    expires_at_millis: i64,
    principal_id: String,
    policy: Policy,
    filled_by: String,
}

impl AuthorizerCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// Name the request about to be decided (a suite case), so a later cache hit can say who filled the entry.
    pub fn set_label(&mut self, label: impl Into<String>) {
        self.label = label.into();
    }

    /// The entry for this authorizer, stage and identity-source values that is alive at `now` (filled at or
    /// before it, not yet expired: a case dated before the one that filled an entry cannot have used it).
    fn find(&self, authorizer_id: &str, stage: &str, key: &[String], now: i64) -> Option<&CacheEntry> {
        self.entries.iter().find(|e| {
            e.authorizer_id == authorizer_id
                && e.stage == stage
                && e.key == key
                && e.filled_at_millis <= now
                && now < e.expires_at_millis
        })
    }
}

/// Options for one decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Build the explanation (every statement considered and why). Off on the fast path.
    pub explain: bool,
}

/// The error for a `request.context` key that contradicts the scenario, at the key as written (context names
/// are kept lower-cased).
pub(crate) fn context_contradiction(json: &json::Json, ptr: &Ptr<'_>, lower: &str, why: &str) -> Error {
    let written = json
        .get("context")
        .and_then(|c| c.as_object())
        .and_then(|members| members.iter().find(|(k, _)| k.name.to_lowercase() == lower));
    let (name, span) = written.map_or((lower, json.span), |(k, _)| (k.name.as_ref(), k.span));
    ptr.key("context")
        .key(name)
        .error(ErrorCode::InvalidScenario, format!("`request.context` gives `{name}`, but {why}"), span)
        .with_help("request.context fills in what the scenario does not say (org paths, MFA, a user's unique id); a source address, endpoint, caller or header is given by its own field")
}

impl PreparedApi {
    /// Compile a scenario without `request` (its `api`, `principals` and `vpcEndpoints`).
    pub fn new<'a>(config: impl Into<Input<'a>>) -> Result<Self, Error> {
        crate::with_input(config.into(), |json, index| Self::from_json(json, index, false))
    }

    /// Compile from a parsed scenario. With `allow_request`, the `request` and `cases` members are left for the
    /// caller; otherwise they are an error (nothing is silently ignored).
    pub(crate) fn from_json(json: &json::Json, index: Option<&LineIndex>, allow_request: bool) -> Result<Self, Error> {
        let doc = scenario::split_document(json)?;
        if !allow_request {
            if let Some(r) = doc.request.or(doc.cases) {
                let name = if doc.request.is_some() { "request" } else { "cases" };
                return Err(Ptr::ROOT
                    .key(name)
                    .error(ErrorCode::InvalidScenario, format!("a prepared API takes no `{name}`"), r.span)
                    .with_help("pass the request to `authorize` on the prepared API, or use the one-shot `authorize` / `run_suite`"));
            }
        }
        if let Some(r) = doc.resources {
            return Err(Ptr::ROOT.key("resources").error(
                ErrorCode::InvalidScenario,
                "`resources` makes this a general IAM check, not an API Gateway scenario",
                r.span,
            )
            .with_help("decide it with `authorize_iam` / `authorizeIam`, or `authorize_json` / `authorizeJson`, which take either kind"));
        }
        let api_json = doc.api.ok_or_else(|| {
            Ptr::ROOT.key("api").error(ErrorCode::InvalidScenario, "missing required field `api`", json.span)
        })?;
        let api = scenario::decode_api(api_json, index)?;
        let principals = scenario::decode_principals(doc.principals, index)?;
        let endpoints = scenario::decode_endpoints(doc.vpc_endpoints, index)?;
        Self::check_authorizers(&api, api_json)?;
        let arn_prefix = format!("arn:{}:execute-api:{}:{}:{}/", api.partition, api.region, api.account_id, api.id);
        let default_method = MethodConfig {
            http_method: String::from("ANY"),
            resource_path: String::from("/{proxy+}"),
            segments: Vec::new(),
            authorization_type: api.authorization_type,
            authorizer_id: api.authorizers.first().map(|a| a.id.clone()),
            authorization_scopes: Vec::new(),
            api_key_required: false,
        };
        let custom_probes = api
            .methods
            .iter()
            .flatten()
            .filter(|m| m.authorization_type == AuthorizationType::Custom)
            .flat_map(|m| {
                let authorizer = m.authorizer_id.clone().unwrap_or_default();
                let path: Vec<&str> = m
                    .segments
                    .iter()
                    .map(|s| match s {
                        scenario::RouteSegment::Literal(t) => t.as_str(),
                        _ => "x",
                    })
                    .collect();
                let path = path.join("/");
                let verbs: &[&'static str] = match scenario::HTTP_METHODS.iter().find(|v| **v == m.http_method) {
                    Some(verb) => std::slice::from_ref(verb),
                    None => &scenario::HTTP_METHODS,
                };
                verbs.iter().map(move |verb| (authorizer.clone(), *verb, path.clone()))
            })
            .collect();
        Ok(PreparedApi { api, principals, endpoints, arn_prefix, default_method, custom_probes })
    }

    fn check_authorizers(api: &ApiConfig, json: &json::Json) -> Result<(), Error> {
        let methods: Vec<&MethodConfig> = api.methods.iter().flatten().collect();
        let by_id: std::collections::HashMap<&str, &AuthorizerConfig> =
            api.authorizers.iter().map(|a| (a.id.as_str(), a)).collect();
        for (i, m) in methods.iter().enumerate() {
            let Some(aid) = &m.authorizer_id else { continue };
            let Some(authorizer) = by_id.get(aid.as_str()) else { continue };
            let fits = match m.authorization_type {
                AuthorizationType::Custom => authorizer.kind != AuthorizerType::CognitoUserPools,
                AuthorizationType::CognitoUserPools => authorizer.kind == AuthorizerType::CognitoUserPools,
                _ => true,
            };
            if !fits {
                let root = Ptr::ROOT;
                let api_ptr = root.key("api");
                let methods_ptr = api_ptr.key("methods");
                let p = methods_ptr.index(i);
                return Err(p.key("authorizerId").error(
                    ErrorCode::InvalidScenario,
                    format!("method is {} but authorizer `{aid}` is of another type", m.authorization_type.as_str()),
                    json.span,
                ));
            }
        }
        Ok(())
    }

    /// The VPC endpoint described under `vpcEndpoints` with this id.
    fn endpoint(&self, id: &str) -> Option<&EndpointConfig> {
        self.endpoints.iter().find(|e| e.id == id)
    }

    pub fn api(&self) -> &ApiConfig {
        &self.api
    }

    /// Read a request (the contract's `request` object) once, to decide it many times.
    pub fn parse_request<'a>(&self, request: impl Into<Input<'a>>) -> Result<Request, Error> {
        crate::with_input(request.into(), |json, index| self.request_from_json(json, &Ptr::ROOT, index))
    }

    pub(crate) fn request_from_json(
        &self,
        json: &json::Json,
        ptr: &Ptr<'_>,
        index: Option<&LineIndex>,
    ) -> Result<Request, Error> {
        let roles = |account: &str, name: &str| self.principals.role(account, name).map(|p| p.arn.clone());
        let request = scenario::decode_request(json, ptr, index, &roles)?;
        if let Some(partition) = request.caller.as_ref().and_then(|signed| signed.caller.partition()) {
            if partition != self.api.partition {
                // Credentials of one partition are unknown in another: AWS answers such a request as an unknown
                // key, but a scenario that writes one is more likely a mistake than a test of that.
                let span = json.get("caller").and_then(|c| c.get("arn")).map_or(json.span, |v| v.span);
                return Err(ptr.key("caller").key("arn").error(
                    ErrorCode::InvalidScenario,
                    format!(
                        "the caller is in partition `{partition}` and the API in `{}`: requests do not cross partitions",
                        self.api.partition
                    ),
                    span,
                ));
            }
        }
        if !request.context.is_empty() {
            let caller = request.caller.as_ref().map_or(&ANONYMOUS, |signed| &signed.caller);
            let endpoint = request.vpc_endpoint_id.as_deref().and_then(|id| self.endpoint(id));
            let context = RequestContext { request: &request, caller, principal: self.principal_of(caller), endpoint };
            if let Some((lower, why)) = context.contradiction() {
                return Err(context_contradiction(json, ptr, lower, &why));
            }
        }
        Ok(request)
    }

    /// The full decision, with its explanation.
    pub fn authorize(&self, request: &Request) -> Result<Decision, Error> {
        self.decide_with(request, None, Options { explain: true })
    }

    /// The same decision without the explanation (`explanation` is empty): the fast path.
    pub fn decide(&self, request: &Request) -> Result<Decision, Error> {
        self.decide_with(request, None, Options { explain: false })
    }

    /// Read and decide one request.
    pub fn authorize_input<'a>(&self, request: impl Into<Input<'a>>) -> Result<Decision, Error> {
        let request = self.parse_request(request)?;
        self.authorize(&request)
    }

    /// Decide with a Lambda authorizer cache shared between requests (suites use one per suite).
    pub fn decide_with(
        &self,
        request: &Request,
        cache: Option<&mut AuthorizerCache>,
        options: Options,
    ) -> Result<Decision, Error> {
        let mut flow = Flow::new(self, request, options.explain);
        let answer = flow.run(cache)?;
        Ok(flow.finish(answer))
    }

    fn principal_of(&self, caller: &Caller) -> Option<&PrincipalConfig> {
        self.principals.of(caller)
    }
}

/// What a flow ends with: allowed, or an error answer.
enum Answer {
    Allow,
    Error(ErrorAnswer),
}

/// The state of one decision while API Gateway's checks run.
struct Flow<'a> {
    api: &'a PreparedApi,
    request: &'a Request,
    trace: bool,
    steps: Vec<Step>,
    warnings: Vec<String>,
    method_arn: String,
    caller: Cow<'static, str>,
    authorizer_invoked: bool,
    decisive: Vec<StatementRef>,
}

/// The caller of every unsigned request; static so that borrows of it outlive any one step of a flow.
static ANONYMOUS: Caller = Caller::Anonymous;

impl<'a> Flow<'a> {
    fn new(api: &'a PreparedApi, request: &'a Request, trace: bool) -> Self {
        Flow {
            api,
            request,
            trace,
            steps: Vec::new(),
            warnings: Vec::new(),
            method_arn: method_arn(&api.arn_prefix, &request.stage, &request.http_method, &request.path),
            caller: Cow::Borrowed("anonymous"),
            authorizer_invoked: false,
            decisive: Vec::new(),
        }
    }

    fn step(&mut self, step: impl FnOnce() -> Step) {
        if self.trace {
            self.steps.push(step());
        }
    }

    fn finish(self, answer: Answer) -> Decision {
        match answer {
            Answer::Allow => Decision {
                decision: Outcome::Allow,
                status_code: 200,
                response_type: None,
                error_type: None,
                message: None,
                body: None,
                method_arn: Some(self.method_arn),
                caller: self.caller,
                authorizer_invoked: self.authorizer_invoked,
                decisive: self.decisive,
                explanation: self.steps,
                warnings: self.warnings,
            },
            Answer::Error(error) => {
                let (status_code, body) = error.render(&self.api.api.gateway_responses);
                let mut warnings = self.warnings;
                if status_code < 400 {
                    // The contract reads 200 as "passed to the integration"; this 2xx or 3xx is only what the
                    // gateway response says, for a request the integration never sees.
                    warnings.push(format!(
                        "a gateway response override answers this {} request with status {status_code}: the client sees {status_code}, but API Gateway never calls the integration",
                        error.outcome.as_str()
                    ));
                }
                let decisive = if error.outcome == Outcome::ExplicitDeny { self.decisive } else { Vec::new() };
                Decision {
                    decision: error.outcome,
                    status_code,
                    response_type: error.response_type,
                    error_type: Some(error.error_type),
                    message: error.message,
                    body: Some(body),
                    method_arn: Some(self.method_arn),
                    caller: self.caller,
                    authorizer_invoked: self.authorizer_invoked,
                    decisive,
                    explanation: self.steps,
                    warnings,
                }
            }
        }
    }

    fn context(&self, caller: &'a Caller) -> RequestContext<'a> {
        let endpoint = self.request.vpc_endpoint_id.as_deref().and_then(|id| self.api.endpoint(id));
        RequestContext { request: self.request, caller, principal: self.api.principal_of(caller), endpoint }
    }

    fn run(&mut self, cache: Option<&mut AuthorizerCache>) -> Result<Answer, Error> {
        let api = self.api;
        let request = self.request;

        // The stage, and the resource policy it runs: a stage serves the API as of its last deployment. An unknown
        // stage is answered like an undefined route, so after the endpoint's policy, as a route is.
        let mut resource_policy = api.api.policy.as_ref();
        let mut stage_deployed = true;
        if let Some(stages) = &api.api.stages {
            match stages.iter().find(|s| s.name == request.stage) {
                None => stage_deployed = false,
                Some(stage) => {
                    if let Some(deployed) = &stage.deployed_policy {
                        resource_policy = deployed.as_ref();
                        self.warnings.push(format!(
                            "stage `{}` runs the resource policy of its last deployment; `api.policy` takes effect there only after a redeployment",
                            stage.name
                        ));
                        let name = stage.name.clone();
                        self.step(|| {
                            Step::new(
                                "stage",
                                "pass",
                                format!(
                                    "stage `{name}` runs the resource policy of its last deployment, not `api.policy`"
                                ),
                            )
                        });
                    }
                }
            }
        }
        if let Some(rp) = resource_policy.filter(|_| stage_deployed) {
            rp.warn_into(format_args!("resource policy"), &mut self.warnings);
        }

        // The route is looked up here (it has no effect) because the endpoint needs the method's type to know
        // whom it sees; it is answered in step 2.
        let routed = match &api.api.methods {
            None => Ok(&api.default_method),
            Some(methods) => route::route(methods, &request.http_method, &request.path),
        };
        let token_method = matches!(
            &routed,
            Ok(m) if matches!(m.authorization_type, AuthorizationType::Custom | AuthorizationType::CognitoUserPools)
        );

        // 1. The VPC endpoint and its policy (private APIs), evaluated before anything else.
        let private = api.api.endpoint_type == EndpointType::Private;
        match (&request.vpc_endpoint_id, private) {
            (None, true) => {
                self.step(|| Step::new("vpcEndpointPolicy", "fail", "a private API is reachable only through an interface VPC endpoint, and this request came without one")
                    .note("Decision: answered 403 Forbidden, as for any request API Gateway cannot route to a private API"));
                return Ok(Answer::Error(ErrorAnswer::forbidden()));
            }
            (Some(id), false) => {
                let id = id.clone();
                self.step(|| {
                    Step::new(
                        "vpcEndpointPolicy",
                        "fail",
                        format!("the request came through VPC endpoint `{id}`, but endpoints reach only private APIs"),
                    )
                });
                return Ok(Answer::Error(ErrorAnswer::forbidden()));
            }
            (Some(id), true) => {
                if let Some(answer) = self.endpoint_policy(id, token_method)? {
                    return Ok(answer);
                }
            }
            (None, false) => {}
        }

        // 2. Route: the stage, then the method.
        if !stage_deployed {
            let stage = request.stage.clone();
            self.step(|| {
                Step::new("stage", "fail", format!("stage `{stage}` is not deployed")).note(
                    "Decision: an unknown stage is answered like an undefined route (403 Missing Authentication Token)",
                )
            });
            return Ok(Answer::Error(ErrorAnswer::missing_authentication_token(Outcome::NoRoute)));
        }
        let method = match routed {
            Ok(m) => m,
            Err(resource) => {
                let verb = request.http_method.clone();
                let path = request.path.clone();
                self.step(|| {
                    let summary = match resource {
                        Some(r) => {
                            format!("`{path}` reaches resource `{r}`, which has no `{verb}` or `ANY` method")
                        }
                        None => format!("no resource of the API matches `{path}`"),
                    };
                    Step::new("route", "fail", summary)
                });
                return Ok(Answer::Error(ErrorAnswer::missing_authentication_token(Outcome::NoRoute)));
            }
        };
        // Steps are built only when explaining; the fast path copies nothing for them.
        if self.trace {
            let (verb, rp, at) = (method.http_method.clone(), method.resource_path.clone(), method.authorization_type);
            let methods_given = api.api.methods.is_some();
            self.step(|| {
                let summary = if methods_given {
                    format!("`{} {}` reaches method `{verb} {rp}` ({})", request.http_method, request.path, at.as_str())
                } else {
                    format!("no `methods` given: every route exists, with authorizationType {}", at.as_str())
                };
                Step::new("route", "pass", summary)
            });
        }

        // 3. The method ARN and its limit.
        if self.method_arn.len() > METHOD_ARN_MAX_BYTES {
            let len = self.method_arn.len();
            self.step(|| {
                Step::new(
                    "methodArn",
                    "fail",
                    format!("the method ARN is {len} bytes, more than the limit of {METHOD_ARN_MAX_BYTES}"),
                )
                .note("Decision: answered 414 Request-URI Too Long")
            });
            return Ok(Answer::Error(ErrorAnswer::uri_too_long()));
        }
        if self.trace {
            let arn = self.method_arn.clone();
            self.step(|| Step::new("methodArn", "pass", format!("method ARN `{arn}`")));
        }

        // 4. Authentication and authorization by the method's authorizationType.
        let answer = match method.authorization_type {
            AuthorizationType::None => self.resource_policy_only(resource_policy),
            AuthorizationType::AwsIam => self.aws_iam(resource_policy),
            AuthorizationType::Custom => {
                let authorizer = self.authorizer_of(method)?;
                self.lambda_authorizer(authorizer, resource_policy, cache)?
            }
            AuthorizationType::CognitoUserPools => self.cognito(method, resource_policy),
        };
        // Only an allowed path ending in `/` can have escaped a Deny that way: checked first, as it costs nothing.
        let path = self.request.path.as_str();
        if matches!(answer, Answer::Allow) && path.len() > 1 && path.ends_with('/') {
            let signer = self.request.caller.as_ref().map(|signed| &signed.caller);
            if let Some(policy) = resource_policy {
                let caller = match (method.authorization_type, signer) {
                    (AuthorizationType::AwsIam, Some(signer)) => signer,
                    _ => &ANONYMOUS,
                };
                self.warn_trailing_slash(caller, policy, String::from("the resource policy"));
            }
            let endpoint = self.request.vpc_endpoint_id.as_deref().and_then(|id| api.endpoint(id));
            if let Some((endpoint, policy)) = endpoint.and_then(|e| Some((e, e.policy.as_ref()?))) {
                // Whom the endpoint saw (`endpoint_policy`): an allowed request's signature was valid.
                let caller = if token_method { &ANONYMOUS } else { signer.unwrap_or(&ANONYMOUS) };
                self.warn_trailing_slash(caller, policy, format!("the policy of VPC endpoint `{}`", endpoint.id));
            }
        }
        if method.api_key_required && matches!(answer, Answer::Allow) {
            self.warnings.push(format!(
                "method `{} {}` requires an API key (apiKeyRequired), which API Gateway checks after authorization and the scenario does not model: without a valid key the answer is 403 Forbidden",
                method.http_method, method.resource_path
            ));
        }
        Ok(answer)
    }

    /// A path ending in `/` (the caller checks it) reaches the resource without it, but the method ARN keeps the
    /// slash (it is built from the concrete path), so a Deny written for the path without it does not apply. When
    /// `policy` (judging `caller`) would deny the path without the slash, an allowed request says so: it is the
    /// shape of a Deny bypass. `what` names the policy in the warning.
    fn warn_trailing_slash(&mut self, caller: &'a Caller, policy: &Policy, what: String) {
        let Some(bare) = self.method_arn.strip_suffix('/') else { return };
        let ctx = self.context(caller);
        let mut req = EvalRequest::new(caller, INVOKE, bare, &ctx);
        req.caller_has_boundary = self.bounded(caller);
        let eval = iam::evaluate_policy(policy, PolicyName::Resource, &req, true, None);
        if eval.denies.is_empty() {
            return;
        }
        let statements = eval
            .denies
            .iter()
            .map(|&i| match policy.statements.get(i).and_then(|s| s.sid.as_deref()) {
                Some(sid) => format!("{i} (`{sid}`)"),
                None => i.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ");
        self.warnings.push(format!(
            "the path ends with `/`: it reaches the resource without the slash, but the method ARN keeps it (`{}`), so statement {statements} of {what}, a Deny of `{bare}`, does not apply; a Resource ending in `*` covers both",
            self.method_arn
        ));
    }

    /// Is `caller` a described principal with a permissions boundary? A Deny with NotPrincipal in a resource-based
    /// policy (the API's, an endpoint's) then applies to it whatever the list names (IAM NotPrincipal reference).
    fn bounded(&self, caller: &Caller) -> bool {
        !matches!(caller, Caller::Anonymous)
            && self.api.principal_of(caller).is_some_and(|p| p.permissions_boundary.is_some())
    }

    fn authorizer_of(&self, method: &MethodConfig) -> Result<&'a AuthorizerConfig, Error> {
        let authorizers = &self.api.api.authorizers;
        method.authorizer_id.as_ref().and_then(|id| authorizers.iter().find(|a| &a.id == id)).ok_or_else(|| {
            Error::invalid_scenario("the method names no authorizer among `api.authorizers`", "/api/authorizers")
        })
    }

    /// Evaluate `policy` for `caller` with no identity side, as API Gateway does for the resource policy of NONE,
    /// CUSTOM and COGNITO methods and for endpoint policies.
    fn resource_only(&mut self, caller: &'a Caller, policy: &Policy, name: PolicyName) -> iam::Evaluation {
        let ctx = self.context(caller);
        let mut req = EvalRequest::new(caller, INVOKE, &self.method_arn, &ctx);
        req.caller_has_boundary = self.bounded(caller);
        iam::evaluate(&req, None, Some(NamedPolicy { name, policy }), &self.api.api.account_id, self.trace)
    }

    /// `token_method`: the request reaches a CUSTOM or COGNITO_USER_POOLS method, whose Authorization header
    /// carries a token rather than a signature, so the endpoint sees an anonymous caller (authorization-flows.md
    /// §5).
    fn endpoint_policy(&mut self, id: &str, token_method: bool) -> Result<Option<Answer>, Error> {
        let endpoint = self.api.endpoint(id);
        if endpoint.is_none() {
            self.warnings.push(format!(
                "VPC endpoint `{id}` is not described under `vpcEndpoints`: its policy is taken as the default (full access) and its VPC as unknown"
            ));
        }
        // The caller at the endpoint: a valid SigV4 signature → that principal; none (or a bearer token) → anonymous; a
        // bad one → denied, whatever the policy, the default one included: the caller is established before any
        // policy is read (apigateway-vpc-endpoint-policies).
        let caller: &'a Caller = match &self.request.caller {
            _ if token_method => &ANONYMOUS,
            None => &ANONYMOUS,
            Some(sc) if sc.signature == Signature::Valid => &sc.caller,
            Some(sc) => {
                let arn = sc.caller.display().to_owned();
                self.step(|| Step::new("vpcEndpointPolicy", "fail", format!("the request is signed as `{arn}` but its signature is not valid, so the endpoint denies it")));
                let message = messages::not_authorized_to_perform("anonymous", &self.method_arn, false);
                return Ok(Some(Answer::Error(ErrorAnswer::access_denied(false, message))));
            }
        };
        let Some(policy) = endpoint.and_then(|e| e.policy.as_ref()) else {
            let id = id.to_owned();
            self.step(|| {
                Step::new(
                    "vpcEndpointPolicy",
                    "Allow",
                    format!("VPC endpoint `{id}` has the default policy, which allows everything"),
                )
            });
            return Ok(None);
        };
        policy.warn_into(format_args!("VPC endpoint `{id}` policy"), &mut self.warnings);
        let eval = self.resource_only(caller, policy, PolicyName::VpcEndpoint);
        let verdict = eval.verdict;
        if self.trace {
            for mut step in eval.steps {
                if step.step == "resourcePolicy" {
                    step.step = "vpcEndpointPolicy";
                    step.summary =
                        step.summary.replace("the resource policy", &format!("the policy of VPC endpoint `{id}`"));
                    self.steps.push(step);
                }
            }
        }
        match verdict {
            Verdict::Allow => {
                self.decisive.extend(eval.decisive);
                Ok(None)
            }
            v => {
                let explicit = v == Verdict::ExplicitDeny;
                self.decisive = eval.decisive;
                // The endpoint judged the signed principal (or anonymous): that is the caller the answer names.
                self.caller = Cow::Owned(caller.display().to_owned());
                let message = messages::not_authorized_to_perform(caller.display(), &self.method_arn, explicit);
                Ok(Some(Answer::Error(ErrorAnswer::access_denied(explicit, message))))
            }
        }
    }

    /// NONE: the resource policy alone, with an anonymous caller.
    fn resource_policy_only(&mut self, resource_policy: Option<&Policy>) -> Answer {
        if self.private_without_policy(resource_policy) {
            return self.deny_private_without_policy("anonymous");
        }
        let Some(policy) = resource_policy else {
            self.step(|| {
                Step::new(
                    "resourcePolicy",
                    "Allow",
                    "the API has no resource policy and the method is NONE: everyone may call it",
                )
            });
            return Answer::Allow;
        };
        let anonymous: &'a Caller = &ANONYMOUS;
        let eval = self.resource_only(anonymous, policy, PolicyName::Resource);
        self.conclude_anonymous(eval)
    }

    fn conclude_anonymous(&mut self, eval: iam::Evaluation) -> Answer {
        self.steps.extend(eval.steps);
        match eval.verdict {
            Verdict::Allow => {
                self.decisive.extend(eval.decisive);
                Answer::Allow
            }
            v => {
                let explicit = v == Verdict::ExplicitDeny;
                self.decisive = eval.decisive;
                let message = messages::not_authorized_to_perform("anonymous", &self.method_arn, explicit);
                Answer::Error(ErrorAnswer::access_denied(explicit, message))
            }
        }
    }

    /// A private API without a resource policy denies every call (authorization-flows.md §5). The denial is an
    /// authorization: each method's authentication (signature, token, identity sources) comes first, and the
    /// answer names the caller it established.
    fn private_without_policy(&self, resource_policy: Option<&Policy>) -> bool {
        self.api.api.endpoint_type == EndpointType::Private && resource_policy.is_none()
    }

    fn deny_private_without_policy(&mut self, caller: &str) -> Answer {
        self.step(|| {
            Step::new("resourcePolicy", "Neither", "a private API without a resource policy denies every call")
        });
        let message = messages::not_authorized_to_perform(caller, &self.method_arn, false);
        Answer::Error(ErrorAnswer::access_denied(false, message))
    }

    /// AWS_IAM: SigV4 authentication, then identity-based policies with the resource policy (Table A / B).
    fn aws_iam(&mut self, resource_policy: Option<&Policy>) -> Answer {
        let Some(signed) = &self.request.caller else {
            self.step(|| Step::new("signature", "fail", "the method is AWS_IAM and the request is not signed"));
            return Answer::Error(ErrorAnswer::missing_authentication_token(Outcome::Unauthenticated));
        };
        let failure = match signed.signature {
            Signature::Valid => None,
            Signature::Incomplete => {
                Some(ErrorAnswer::signature("IncompleteSignatureException", messages::INCOMPLETE_SIGNATURE.to_owned()))
            }
            Signature::Invalid => {
                Some(ErrorAnswer::signature("InvalidSignatureException", messages::INVALID_SIGNATURE.to_owned()))
            }
            Signature::Expired => {
                let now = self.request.time_millis;
                let message = match signed.signed_at {
                    Some(at) => format!(
                        "Signature expired: {} is now earlier than {} ({} - 5 min.)",
                        crate::condition::date::format_compact(at),
                        crate::condition::date::format_compact(now - 5 * 60 * 1000),
                        crate::condition::date::format_compact(now)
                    ),
                    None => {
                        self.warnings.push(String::from(
                            "the signature is expired but `caller.signedAt` is not given, so the message cannot name the signing time",
                        ));
                        String::from("Signature expired")
                    }
                };
                Some(ErrorAnswer::signature("InvalidSignatureException", message))
            }
            Signature::UnknownKey => {
                Some(ErrorAnswer::signature("UnrecognizedClientException", messages::UNRECOGNIZED_CLIENT.to_owned()))
            }
            Signature::ExpiredToken => Some(ErrorAnswer::expired_token()),
        };
        if let Some(answer) = failure {
            let kind = answer.error_type;
            self.step(|| Step::new("signature", "fail", format!("SigV4 authentication failed: {kind}"))
                .note("Decision: signature failures other than an expired session token use the INVALID_SIGNATURE gateway response"));
            return Answer::Error(answer);
        }
        let caller: &'a Caller = &signed.caller;
        self.caller = Cow::Owned(caller.display().to_owned());
        if self.trace {
            let caller_name = self.caller.clone();
            self.step(|| Step::new("signature", "pass", format!("the request is signed by `{caller_name}`")));
        }
        if self.private_without_policy(resource_policy) {
            return self.deny_private_without_policy(caller.display());
        }

        let principal = self.api.principal_of(caller);
        if principal.is_none() && !matches!(caller, Caller::Root { .. }) {
            let name = caller.display();
            self.warnings.push(format!(
                "caller `{name}` is not described under `principals`: it has no identity-based policies"
            ));
        }
        let side = IdentitySide::of(caller, principal, signed.session_policy.as_ref());
        side.warn_into(caller.display(), &mut self.warnings);
        let ctx = self.context(caller);
        let req = EvalRequest::new(caller, INVOKE, &self.method_arn, &ctx);
        let rp = resource_policy.map(|policy| NamedPolicy { name: PolicyName::Resource, policy });
        let eval = iam::evaluate(&req, Some(&side), rp, &self.api.api.account_id, self.trace);
        let (verdict, combination, resource) = (eval.verdict, eval.combination, eval.resource);
        self.steps.extend(eval.steps);
        match verdict {
            Verdict::Allow => {
                self.decisive.extend(eval.decisive);
                Answer::Allow
            }
            Verdict::ExplicitDeny => {
                self.decisive = eval.decisive;
                let message = messages::not_authorized_to_perform(caller.display(), &self.method_arn, true);
                Answer::Error(ErrorAnswer::access_denied(true, message))
            }
            Verdict::ImplicitDeny => {
                let message = if combination == iam::Combination::CrossAccount && resource == PolicyResult::Neither {
                    messages::not_authorized_to_access(caller.display())
                } else {
                    messages::not_authorized_to_perform(caller.display(), &self.method_arn, false)
                };
                Answer::Error(ErrorAnswer::access_denied(false, message))
            }
        }
    }

    /// The value of one identity source, if present.
    fn identity_value(&self, source: &IdentitySource) -> Option<&'a str> {
        let request = self.request;
        match source {
            IdentitySource::Header(h) => request.header(h),
            IdentitySource::QueryString(q) => find_by_name(&request.query_string_parameters, q).map(String::as_str),
            IdentitySource::StageVariable(s) => find_by_name(&request.stage_variables, s).map(String::as_str),
            IdentitySource::Context(name) => match name.as_str() {
                "identity.sourceIp" => request.source_ip.as_deref().or(request.vpc_source_ip.as_deref()),
                "identity.userAgent" => request.header("user-agent"),
                "identity.vpceId" => request.vpc_endpoint_id.as_deref(),
                "httpMethod" => Some(request.http_method.as_str()),
                "path" => Some(request.path.as_str()),
                "stage" => Some(request.stage.as_str()),
                "apiId" => Some(self.api.api.id.as_str()),
                "accountId" => Some(self.api.api.account_id.as_str()),
                // Other `$context` variables are not part of the scenario: absent, so a REQUEST authorizer with
                // caching on answers 401 (the denying direction) and the explanation names the source.
                _ => None,
            },
        }
    }

    /// CUSTOM: identity-source checks, the explicit-deny pre-check, the authorizer (or its cached result), its
    /// policy combined with the resource policy by Table A.
    fn lambda_authorizer(
        &mut self,
        authorizer: &'a AuthorizerConfig,
        resource_policy: Option<&Policy>,
        cache: Option<&mut AuthorizerCache>,
    ) -> Result<Answer, Error> {
        // (a) Identity sources.
        let mut key = Vec::with_capacity(authorizer.identity_sources.len());
        let caching = authorizer.ttl_seconds > 0;
        for source in &authorizer.identity_sources {
            let value = self.identity_value(source).filter(|v| !v.is_empty());
            match (value, authorizer.kind) {
                (None, AuthorizerType::Token) => {
                    self.step(|| {
                        Step::new(
                            "identitySource",
                            "fail",
                            format!(
                                "the token {} is missing or empty, so the authorizer is not invoked",
                                source.describe()
                            ),
                        )
                    });
                    return Ok(Answer::Error(ErrorAnswer::unauthorized()));
                }
                (None, _) if caching => {
                    let ttl = authorizer.ttl_seconds;
                    self.step(|| Step::new("identitySource", "fail", format!("identity source {} is missing or empty; with caching on (TTL {ttl} s) every identity source is required, so the authorizer is not invoked", source.describe())));
                    return Ok(Answer::Error(ErrorAnswer::unauthorized()));
                }
                (value, _) => key.push(value.unwrap_or("").to_owned()),
            }
        }
        if let (AuthorizerType::Token, Some((expression, regex))) =
            (authorizer.kind, &authorizer.identity_validation_expression)
        {
            let token = key.first().map(String::as_str).unwrap_or("");
            if !regex.is_match(token) {
                let expression = expression.clone();
                self.step(|| Step::new("identitySource", "fail", format!("the token does not match identityValidationExpression `{expression}`, so the authorizer is not invoked"))
                    .note("Decision: the whole token must match the expression"));
                return Ok(Answer::Error(ErrorAnswer::unauthorized()));
            }
        }
        let sources = authorizer.identity_sources.len();
        self.step(|| Step::new("identitySource", "pass", format!("{sources} identity source(s) present")));

        if self.private_without_policy(resource_policy) {
            return Ok(self.deny_private_without_policy("anonymous"));
        }

        // (b) The explicit-deny pre-check: only Deny statements of the resource policy, before the authorizer.
        if let Some(policy) = resource_policy {
            let anonymous: &'a Caller = &ANONYMOUS;
            let ctx = self.context(anonymous);
            let req = EvalRequest::new(anonymous, INVOKE, &self.method_arn, &ctx);
            let mut traces = Vec::new();
            let eval =
                iam::evaluate_policy(policy, PolicyName::Resource, &req, true, self.trace.then_some(&mut traces));
            if !eval.denies.is_empty() {
                let mut refs = Vec::new();
                iam::push_refs(&mut refs, PolicyName::Resource, policy, &eval.denies);
                self.decisive = refs;
                self.step(|| {
                    let mut s = Step::new(
                        "resourcePolicyDenyCheck",
                        "Deny",
                        "an explicit Deny in the resource policy applies, so the authorizer is not invoked",
                    );
                    s.statements = traces;
                    s
                });
                let message = messages::not_authorized_to_perform("anonymous", &self.method_arn, true);
                return Ok(Answer::Error(ErrorAnswer::access_denied(true, message)));
            }
            self.step(|| {
                let mut s =
                    Step::new("resourcePolicyDenyCheck", "pass", "no Deny statement of the resource policy applies");
                s.statements = traces;
                s
            });
        }

        // (c) The authorizer, or its cached result.
        let now = self.request.time_millis;
        let cached = cache.as_deref().and_then(|c| c.find(&authorizer.id, &self.request.stage, &key, now)).cloned();
        let (principal_id, policy, from_cache): (String, std::borrow::Cow<'_, Policy>, Option<String>) = match cached {
            Some(entry) => {
                let filled_by = entry.filled_by.clone();
                (entry.principal_id, std::borrow::Cow::Owned(entry.policy), Some(filled_by))
            }
            None => {
                self.authorizer_invoked = true;
                let output = self.request.authorizer_result.as_ref().ok_or_else(|| {
                    Error::invalid_scenario(
                        format!("authorizer `{}` is invoked for this request, so `request.authorizerResult` must say what it returns", authorizer.id),
                        "/request/authorizerResult",
                    )
                    .with_help("give `{\"principalId\": ..., \"policyDocument\": ...}`, or `{\"error\": \"Unauthorized\"}` for a function that refuses")
                })?;
                match output {
                    AuthorizerOutput::Failed(message) if message == "Unauthorized" => {
                        self.step(|| Step::new("authorizer", "fail", "the authorizer failed with `Unauthorized`"));
                        return Ok(Answer::Error(ErrorAnswer::unauthorized()));
                    }
                    AuthorizerOutput::Failed(message) => {
                        let message = message.clone();
                        self.step(|| {
                            Step::new(
                                "authorizer",
                                "fail",
                                format!(
                                    "the authorizer failed with `{message}` (only exactly `Unauthorized` gives 401)"
                                ),
                            )
                        });
                        return Ok(Answer::Error(ErrorAnswer::authorizer_configuration_error()));
                    }
                    AuthorizerOutput::Malformed(why) => {
                        let why = why.clone();
                        self.step(|| {
                            Step::new(
                                "authorizer",
                                "fail",
                                format!("API Gateway cannot use the authorizer's result: {why}"),
                            )
                        });
                        return Ok(Answer::Error(ErrorAnswer::authorizer_configuration_error()));
                    }
                    AuthorizerOutput::Returned { principal_id, policy, .. } => {
                        (principal_id.clone(), std::borrow::Cow::Borrowed(policy.as_ref()), None)
                    }
                }
            }
        };
        self.caller = Cow::Owned(principal_id.clone());
        if self.trace {
            let pid = principal_id.clone();
            let from = from_cache.clone();
            let ttl = authorizer.ttl_seconds;
            self.step(|| match from {
                Some(case) => Step::new("authorizer", "pass", format!("a cached result for these identity-source values is reused (principalId `{pid}`); the authorizer is not invoked"))
                    .note(format!("the entry was filled by {case} and lives {ttl} s")),
                None => Step::new("authorizer", "pass", format!("the authorizer returned principalId `{pid}` and a policy")),
            });
        }

        // (d) Its policy, evaluated against this method ARN, combined with the resource policy by Table A.
        let anonymous: &'a Caller = &ANONYMOUS;
        let ctx = self.context(anonymous);
        // Owned, so that `req` does not hold a borrow of `self` across the steps recorded below.
        let method_arn = self.method_arn.clone();
        let req = EvalRequest::new(anonymous, INVOKE, &method_arn, &ctx);
        let mut traces = Vec::new();
        policy.warn_into(format_args!("authorizer policy"), &mut self.warnings);
        let auth_eval =
            iam::evaluate_policy(&policy, PolicyName::Authorizer, &req, false, self.trace.then_some(&mut traces));
        let auth_result = auth_eval.result();
        self.step(|| {
            let mut s = Step::new(
                "authorizerPolicy",
                auth_result.as_str(),
                iam::summary_of("the authorizer's policy", &auth_eval, policy.statements.len()),
            );
            s.statements = traces;
            s
        });

        if caching && from_cache.is_none() && auth_result == PolicyResult::Allow {
            self.cache_hazard(&authorizer.id, &policy, &auth_eval.allows, &req, authorizer.ttl_seconds);
        }
        if let (Some(cache), None) = (cache, &from_cache) {
            if caching {
                let stage = &self.request.stage;
                // The entry this one replaces; one filled later (by a case dated after this one) stays.
                cache.entries.retain(|e| {
                    !(e.authorizer_id == authorizer.id
                        && &e.stage == stage
                        && e.key == key
                        && e.filled_at_millis <= now)
                });
                cache.entries.push(CacheEntry {
                    authorizer_id: authorizer.id.clone(),
                    stage: stage.clone(),
                    key,
                    filled_at_millis: now,
                    expires_at_millis: now.saturating_add((authorizer.ttl_seconds as i64).saturating_mul(1000)),
                    principal_id: principal_id.clone(),
                    policy: policy.clone().into_owned(),
                    filled_by: if cache.label.is_empty() {
                        String::from("an earlier request")
                    } else {
                        cache.label.clone()
                    },
                });
            }
        }

        let resource_eval = resource_policy.map(|rp| {
            let mut traces = Vec::new();
            let e = iam::evaluate_policy(rp, PolicyName::Resource, &req, false, self.trace.then_some(&mut traces));
            (e, traces, rp)
        });
        let resource_result = resource_eval.as_ref().map_or(PolicyResult::Neither, |(e, _, _)| e.result());
        if let Some((e, traces, rp)) = &resource_eval {
            // Built inside the step: a summary is words for the explanation, not needed without one.
            self.step(|| {
                let summary = iam::summary_of("the resource policy", e, rp.statements.len());
                let mut s = Step::new("resourcePolicy", resource_result.as_str(), summary);
                s.statements = traces.clone();
                s
            });
        }
        let verdict = if auth_result == PolicyResult::Deny || resource_result == PolicyResult::Deny {
            Verdict::ExplicitDeny
        } else if auth_result == PolicyResult::Allow || resource_result == PolicyResult::Allow {
            Verdict::Allow
        } else {
            Verdict::ImplicitDeny
        };
        self.step(|| {
            Step::new(
                "combine",
                verdict.as_str(),
                format!(
                    "Table A: authorizer policy {}, resource policy {} → {}",
                    auth_result.as_str(),
                    resource_result.as_str(),
                    verdict.as_str()
                ),
            )
            .note("Decision: Lambda authorizer results always combine with the resource policy by Table A")
        });

        let mut refs = Vec::new();
        match verdict {
            Verdict::ExplicitDeny => {
                iam::push_refs(&mut refs, PolicyName::Authorizer, &policy, &auth_eval.denies);
                if let Some((e, _, rp)) = &resource_eval {
                    iam::push_refs(&mut refs, PolicyName::Resource, rp, &e.denies);
                }
            }
            Verdict::Allow => {
                iam::push_refs(&mut refs, PolicyName::Authorizer, &policy, &auth_eval.allows);
                if let Some((e, _, rp)) = &resource_eval {
                    iam::push_refs(&mut refs, PolicyName::Resource, rp, &e.allows);
                }
            }
            Verdict::ImplicitDeny => {}
        }
        self.decisive = refs;
        Ok(match verdict {
            Verdict::Allow => Answer::Allow,
            Verdict::ExplicitDeny if auth_result == PolicyResult::Deny => Answer::Error(ErrorAnswer::access_denied(
                true,
                format!("{} with an explicit deny", messages::AUTHORIZER_DENIED),
            )),
            Verdict::ExplicitDeny => {
                let message = messages::not_authorized_to_perform("anonymous", &self.method_arn, true);
                Answer::Error(ErrorAnswer::access_denied(true, message))
            }
            Verdict::ImplicitDeny => {
                Answer::Error(ErrorAnswer::access_denied(false, messages::AUTHORIZER_DENIED.to_owned()))
            }
        })
    }

    /// The most common production surprise: a cached policy that names only the first method ARN denies the
    /// caller's later calls to other methods until the entry expires.
    fn cache_hazard<C: crate::condition::Context + ?Sized>(
        &mut self,
        authorizer_id: &str,
        policy: &Policy,
        allows: &[usize],
        req: &EvalRequest<'_, C>,
        ttl: u64,
    ) {
        let allowed = |arn: &str| {
            let probe = EvalRequest::new(req.caller, req.action, arn, req.context);
            allows.iter().filter_map(|&i| policy.statements.get(i)).any(|s| iam::statement_applies(s, &probe, None))
        };
        // Every other method of this authorizer (each verb of an ANY method), the same verb on another path included
        // (this request's own ARN is skipped); without `methods`, the other verb on this path. One buffer serves
        // every probe.
        let other_verb = if self.request.http_method == "GET" { "POST" } else { "GET" };
        let fallback = [(other_verb, self.request.path.strip_prefix('/').unwrap_or(&self.request.path))];
        let probes: Box<dyn Iterator<Item = (&str, &str)>> = match &self.api.api.methods {
            Some(_) => Box::new(
                self.api
                    .custom_probes
                    .iter()
                    .filter(|(id, _, _)| *id == authorizer_id)
                    .map(|(_, v, p)| (*v, p.as_str())),
            ),
            None => Box::new(fallback.into_iter()),
        };
        let mut arn = String::with_capacity(self.method_arn.len() + 16);
        for (verb, path) in probes {
            arn.clear();
            for piece in [self.api.arn_prefix.as_str(), self.request.stage.as_str(), "/", verb, "/", path] {
                arn.push_str(piece);
            }
            if arn != self.method_arn && !allowed(&arn) {
                self.warnings.push(format!(
                    "the authorizer's result is cached for {ttl} s and its policy does not allow `{arn}`: the same caller's calls to other methods will be denied (403) until the entry expires; return a policy for the whole API (e.g. `{}*`)",
                    self.api.arn_prefix
                ));
                return;
            }
        }
    }

    /// COGNITO_USER_POOLS: the token and its scopes, then (when the API has one) an explicit Allow of the
    /// resource policy.
    fn cognito(&mut self, method: &MethodConfig, resource_policy: Option<&Policy>) -> Answer {
        let Some(token) = &self.request.cognito else {
            self.step(|| Step::new("cognito", "fail", "no Cognito token was sent"));
            return Answer::Error(ErrorAnswer::unauthorized());
        };
        if !token.token_valid {
            self.step(|| Step::new("cognito", "fail", "the Cognito token is invalid or expired"));
            return Answer::Error(ErrorAnswer::unauthorized());
        }
        if !method.authorization_scopes.is_empty() {
            if token.token_use != "access" {
                self.step(|| {
                    Step::new(
                        "cognito",
                        "fail",
                        "the method requires scopes, which only an access token carries; an ID token was sent",
                    )
                });
                return Answer::Error(ErrorAnswer::unauthorized());
            }
            if !any_scope_granted(&token.scopes, &method.authorization_scopes) {
                let wanted = method.authorization_scopes.join("`, `");
                self.step(|| {
                    Step::new(
                        "cognito",
                        "fail",
                        format!("the access token carries none of the method's scopes `{wanted}`"),
                    )
                });
                return Answer::Error(ErrorAnswer::unauthorized());
            }
        }
        self.step(|| Step::new("cognito", "pass", "the Cognito token is valid for this method"));
        if self.private_without_policy(resource_policy) {
            return self.deny_private_without_policy("anonymous");
        }
        let Some(policy) = resource_policy else {
            return Answer::Allow;
        };
        let anonymous: &'a Caller = &ANONYMOUS;
        let eval = self.resource_only(anonymous, policy, PolicyName::Resource);
        self.step(|| {
            Step::new("cognito", "pass", "the API has a resource policy, so it must allow the call explicitly").note(
                "Decision: a COGNITO_USER_POOLS method needs an explicit Allow when the API has a resource policy",
            )
        });
        self.conclude_anonymous(eval)
    }
}

/// Does the token carry one of the method's scopes? Through a set when both lists are long, so that many scopes
/// on each side cost one lookup each rather than every pair (400,000 of each: over a minute).
fn any_scope_granted(token_scopes: &[String], method_scopes: &[String]) -> bool {
    if token_scopes.len().saturating_mul(method_scopes.len()) <= 256 {
        return token_scopes.iter().any(|s| method_scopes.contains(s));
    }
    let wanted: std::collections::HashSet<&str> = method_scopes.iter().map(String::as_str).collect();
    token_scopes.iter().any(|s| wanted.contains(s.as_str()))
}

#[cfg(test)]
mod tests {
    use super::any_scope_granted;

    #[test]
    fn a_scope_in_common_is_found_in_short_and_long_lists() {
        let scopes = |prefix: &str, n: usize| (0..n).map(|i| format!("{prefix}{i}")).collect::<Vec<_>>();
        for n in [1, 16, 17, 1000] {
            let (token, method) = (scopes("t", n), scopes("m", n));
            assert!(!any_scope_granted(&token, &method), "{n}");
            let mut token = token;
            token.push(format!("m{}", n - 1));
            assert!(any_scope_granted(&token, &method), "{n}");
            assert!(!any_scope_granted(&[], &method), "{n}");
        }
    }
}
