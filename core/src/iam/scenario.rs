//! General IAM checks in the scenario format (`resources` instead of `api`, docs/contract-extensions.md): may
//! this caller do this action on this resource? Backend permissions (API Gateway assuming its integration role,
//! the role invoking a Lambda function, the function's resource policy letting API Gateway in) are asked here.

use serde::Serialize;

use crate::arn::{is_account_id, Arn};
use crate::decode::{expect_str, Fields, Ptr};
use crate::error::{Error, ErrorCode};
use crate::explain::Step;
use crate::gateway::context::RequestContext;
use crate::iam::{self, EvalRequest, IdentitySide, NamedPolicy, PolicyName};
use crate::json::{Json, LineIndex};
use crate::policy::{compile_json, Policy};
use crate::principal::Caller;
use crate::response::StatementRef;
use crate::scenario::{self, decode_principals, Document, Principals, Request};
use crate::PolicyKind;

const CODE: ErrorCode = ErrorCode::InvalidScenario;

/// The answer to a general IAM question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IamDecision {
    /// `Allow`, `ExplicitDeny` or `ImplicitDeny`.
    pub decision: &'static str,
    pub caller: String,
    pub action: String,
    pub resource: String,
    pub decisive: Vec<StatementRef>,
    pub explanation: Vec<Step>,
    pub warnings: Vec<String>,
}

impl IamDecision {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The explanation as text for a terminal.
    pub fn render_text(&self) -> String {
        let mut out = format!(
            "{}\n  caller: {}\n  action: {}\n  resource: {}\n",
            self.decision, self.caller, self.action, self.resource
        );
        let as_api = crate::response::Decision {
            decision: crate::response::Outcome::Allow,
            status_code: 0,
            response_type: None,
            error_type: None,
            message: None,
            body: None,
            method_arn: None,
            caller: std::borrow::Cow::Borrowed(""),
            authorizer_invoked: false,
            decisive: self.decisive.clone(),
            explanation: self.explanation.clone(),
            warnings: self.warnings.clone(),
        };
        // Reuse the step rendering, skipping its header lines.
        let text = crate::explain::render_text(&as_api);
        for line in text.lines().skip(2) {
            out.push_str(line);
            out.push('\n');
        }
        out
    }
}

/// The caller of a general IAM request.
#[derive(Debug, Clone)]
pub struct IamRequest {
    pub caller: Caller,
    /// Lower-cased, for matching (actions are case-insensitive).
    pub action: String,
    /// As the request wrote it, for the decision.
    pub action_written: String,
    pub resource: String,
    pub resource_account: String,
    /// Time, source address and extra condition keys, in the API Gateway request's shape.
    pub base: Request,
}

/// Principals and resource-based policies, compiled once.
#[derive(Debug, Clone)]
pub struct IamScenario {
    principals: Principals,
    resources: Vec<(String, Policy)>,
}

impl IamScenario {
    pub fn from_document(doc: &Document<'_>, index: Option<&LineIndex>) -> Result<Self, Error> {
        if let Some(api) = doc.api {
            return Err(Ptr::ROOT.key("api").error(CODE, "a general IAM check (`resources`) takes no `api`", api.span));
        }
        if let Some(e) = doc.vpc_endpoints {
            return Err(Ptr::ROOT.key("vpcEndpoints").error(
                CODE,
                "a general IAM check (`resources`) takes no `vpcEndpoints`",
                e.span,
            ));
        }
        let principals = decode_principals(doc.principals, index)?;
        let mut resources = Vec::new();
        if let Some(json) = doc.resources {
            let root = Ptr::ROOT;
            let ptr = root.key("resources");
            let members = json.as_object().ok_or_else(|| {
                ptr.error(
                    CODE,
                    format!("`resources` must be an object keyed by resource ARN, found {}", json.kind()),
                    json.span,
                )
            })?;
            for (key, value) in members {
                let p = ptr.key(&key.name);
                if Arn::parse(&key.name).is_none() {
                    return Err(p.error(CODE, format!("resource `{}` is not an ARN", key.name), key.span));
                }
                let mut f = Fields::new(value, &p, CODE, "a resource")?;
                if let Some(policy) = f.take_non_null("policy") {
                    let compiled = compile_json(policy, &p.key("policy"), PolicyKind::ResourceBased, None, index)?;
                    resources.push((key.name.to_string(), compiled));
                }
                f.finish(&p, &["policy"])?;
            }
        }
        Ok(IamScenario { principals, resources })
    }

    pub fn request_from_json(
        &self,
        json: &Json,
        ptr: &Ptr<'_>,
        index: Option<&LineIndex>,
    ) -> Result<IamRequest, Error> {
        let mut f = Fields::new(json, ptr, CODE, "`request`")?;
        let caller_json = f.require("caller", ptr)?;
        let cp = ptr.key("caller");
        let mut cf = Fields::new(caller_json, &cp, CODE, "`caller`")?;
        let caller = match (cf.take_non_null("arn"), cf.take_non_null("service")) {
            (Some(arn), None) => {
                let text = expect_str(arn, &cp.key("arn"), CODE)?;
                let roles = |account: &str, name: &str| self.principals.role(account, name).map(|p| p.arn.clone());
                Caller::from_arn(text, roles).map_err(|m| cp.key("arn").error(CODE, m, arn.span))?
            }
            (None, Some(service)) => {
                Caller::Service { name: expect_str(service, &cp.key("service"), CODE)?.to_owned() }
            }
            _ => return Err(cp.error(CODE, "`caller` needs exactly one of `arn` and `service`", caller_json.span)),
        };
        cf.finish(&cp, &["arn", "service"])?;
        let action_json = f.require("action", ptr)?;
        let action = expect_str(action_json, &ptr.key("action"), CODE)?;
        if !action.contains(':') || action.contains('*') {
            return Err(ptr.key("action").error(
                CODE,
                format!("action `{action}` must be `service:Action`, without wildcards"),
                action_json.span,
            ));
        }
        let resource_json = f.require("resource", ptr)?;
        let resource = expect_str(resource_json, &ptr.key("resource"), CODE)?.to_owned();
        let parsed = Arn::parse(&resource).ok_or_else(|| {
            ptr.key("resource").error(CODE, format!("resource `{resource}` is not an ARN"), resource_json.span)
        })?;
        let resource_account = match f.take_non_null("resourceAccount") {
            Some(v) => {
                let a = expect_str(v, &ptr.key("resourceAccount"), CODE)?;
                if !is_account_id(a) {
                    return Err(ptr.key("resourceAccount").error(
                        CODE,
                        format!("resourceAccount `{a}` must be 12 digits"),
                        v.span,
                    ));
                }
                a.to_owned()
            }
            None if is_account_id(parsed.account) => parsed.account.to_owned(),
            None => {
                return Err(ptr.error(
                    CODE,
                    format!("resource `{resource}` has no account in its ARN: give `resourceAccount`"),
                    resource_json.span,
                ))
            }
        };
        // The remaining fields (time, sourceIp, secureTransport, context) read as in an API Gateway request.
        let mut base_members = Vec::new();
        for name in ["sourceIp", "time", "secureTransport", "context", "headers"] {
            if let Some(v) = f.take(name) {
                base_members.push((
                    crate::json::Key { name: name.to_owned().into(), span: crate::json::Span::NONE },
                    v.clone(),
                ));
            }
        }
        f.finish(
            ptr,
            &[
                "caller",
                "action",
                "resource",
                "resourceAccount",
                "sourceIp",
                "time",
                "secureTransport",
                "context",
                "headers",
            ],
        )?;
        for (name, value) in [("httpMethod", "GET"), ("path", "/"), ("stage", "iam")] {
            base_members.push((
                crate::json::Key { name: name.to_owned().into(), span: crate::json::Span::NONE },
                Json { value: crate::json::JsonValue::String(value.to_owned().into()), span: crate::json::Span::NONE },
            ));
        }
        let base_json = Json { value: crate::json::JsonValue::Object(base_members), span: json.span };
        let base = scenario::decode_request_with(&base_json, ptr, index, &|_, _| None, false)?;
        if !base.context.is_empty() {
            let context = RequestContext {
                request: &base,
                caller: &caller,
                principal: self.principals.of(&caller),
                endpoint: None,
            };
            if let Some((lower, why)) = context.contradiction() {
                return Err(crate::gateway::context_contradiction(json, ptr, lower, &why));
            }
        }
        Ok(IamRequest {
            caller,
            action: action.to_ascii_lowercase(),
            action_written: action.to_owned(),
            resource,
            resource_account,
            base,
        })
    }

    pub fn authorize(&self, request: &IamRequest) -> IamDecision {
        let caller = &request.caller;
        let principal = self.principals.of(caller);
        let ctx = RequestContext { request: &request.base, caller, principal, endpoint: None };
        let req = EvalRequest::new(caller, &request.action, &request.resource, &ctx);
        let side = IdentitySide::of(caller, principal, None);
        let identity = match caller {
            Caller::Anonymous | Caller::Service { .. } => None,
            _ => Some(&side),
        };
        let resource_policy = self
            .resources
            .iter()
            .find(|(arn, _)| *arn == request.resource)
            .map(|(_, policy)| NamedPolicy { name: PolicyName::Resource, policy });
        let eval = iam::evaluate(&req, identity, resource_policy, &request.resource_account, true);
        let mut warnings = Vec::new();
        if principal.is_none() && matches!(caller, Caller::User { .. } | Caller::Session { .. }) {
            warnings.push(format!(
                "caller `{}` is not described under `principals`: it has no identity-based policies",
                caller.display()
            ));
        }
        // The warnings of every policy that took part, as an API Gateway decision gives them.
        if let Some(rp) = &resource_policy {
            rp.policy.warn_into(format_args!("resource policy of `{}`", request.resource), &mut warnings);
        }
        if let Some(side) = identity {
            side.warn_into(caller.display(), &mut warnings);
        }
        IamDecision {
            decision: eval.verdict.as_str(),
            caller: caller.display().to_owned(),
            action: request.action_written.clone(),
            resource: request.resource.clone(),
            decisive: eval.decisive,
            explanation: eval.steps,
            warnings,
        }
    }
}

/// Decide a general IAM scenario with one `request`.
pub fn authorize(json: &Json, index: Option<&LineIndex>) -> Result<IamDecision, Error> {
    let doc = scenario::split_document(json)?;
    if let Some(cases) = doc.cases {
        return Err(crate::scenario::suite_given_as_scenario(cases));
    }
    let request_json = doc
        .request
        .ok_or_else(|| Ptr::ROOT.key("request").error(CODE, "missing required field `request`", json.span))?;
    let scenario = IamScenario::from_document(&doc, index)?;
    let request = scenario.request_from_json(request_json, &Ptr::ROOT.key("request"), index)?;
    Ok(scenario.authorize(&request))
}
