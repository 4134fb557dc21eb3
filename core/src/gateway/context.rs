//! The request context: the condition keys a request carries (authorization-flows.md §6), looked up without
//! building a map per request.

use crate::condition::{ConditionKey, Context, ContextValues, GlobalKey};
use crate::decode::find_by_name;
use crate::principal::Caller;
use crate::scenario::{EndpointConfig, PrincipalConfig, Request};

pub struct RequestContext<'a> {
    pub request: &'a Request,
    pub caller: &'a Caller,
    /// The caller's described user or role (tags, organization).
    pub principal: Option<&'a PrincipalConfig>,
    /// The VPC endpoint the request came through, when described.
    pub endpoint: Option<&'a EndpointConfig>,
}

impl Context for RequestContext<'_> {
    fn get(&self, key: &ConditionKey) -> Option<ContextValues<'_>> {
        // Values given in `request.context` win: they describe what the scenario cannot (org paths, MFA, ...).
        // `contradiction` makes sure they never contradict what it does say.
        // A signed request decided for an anonymous caller (the resource policy of a NONE, CUSTOM or COGNITO
        // method; the endpoint of a token method): the keys `request.context` gives for the signer are not the
        // anonymous caller's, whose request has none of them (apigateway-resource-policies-aws-condition-keys:
        // they need authentication and exist for AWS_IAM only).
        if matches!(self.caller, Caller::Anonymous) && self.request.caller.is_some() && of_the_signer(key) {
            return self.computed(key);
        }
        if let Some(values) = find_by_name(&self.request.context, key.lower()) {
            // Where the scenario says a key for this caller, that wins: a request decided for an anonymous
            // caller (a NONE method) keeps no `aws:PrincipalArn`, whatever the context names for the signer.
            let computed = self.computed(key);
            if says(key, &computed) {
                return computed;
            }
            return match values.as_slice() {
                [one] => Some(ContextValues::Single(one)),
                many => Some(ContextValues::Multi(many)),
            };
        }
        self.computed(key)
    }
}

/// Keys that only a SigV4 caller's request has and that `request.context` may give (the others of that kind,
/// `aws:PrincipalArn`, `aws:username`, `aws:userid`, ..., the scenario computes itself).
fn of_the_signer(key: &ConditionKey) -> bool {
    key.principal_tag().is_some()
        || matches!(
            key.global(),
            Some(
                GlobalKey::PrincipalOrgId
                    | GlobalKey::PrincipalOrgPaths
                    | GlobalKey::TokenIssueTime
                    | GlobalKey::MultiFactorAuthPresent
                    | GlobalKey::MultiFactorAuthAge
            )
        )
}

/// How far `request.context` may go for a key.
#[derive(PartialEq)]
enum Said {
    /// The scenario says it, or says the request has none (no endpoint, an unsigned request, no such header).
    ValueOrAbsence,
    /// The scenario says it when it gives a value (an org id, a tag of a described principal).
    ValueOnly,
    /// Left to the context (times, MFA, org paths, custom keys).
    Never,
}

/// Does the scenario itself say `key` (or that the request has none), given what it computes for it?
fn says(key: &ConditionKey, computed: &Option<ContextValues<'_>>) -> bool {
    match said(key) {
        Said::ValueOrAbsence => !matches!(computed, Some(ContextValues::Unknown(_))),
        Said::ValueOnly => matches!(computed, Some(v) if !matches!(v, ContextValues::Unknown(_))),
        Said::Never => false,
    }
}

fn said(key: &ConditionKey) -> Said {
    match key.global() {
        Some(
            GlobalKey::SourceIp
            | GlobalKey::VpcSourceIp
            | GlobalKey::SourceVpce
            | GlobalKey::SourceVpc
            | GlobalKey::PrincipalArn
            | GlobalKey::PrincipalAccount
            | GlobalKey::PrincipalType
            | GlobalKey::Username
            | GlobalKey::UserId,
        ) => Said::ValueOrAbsence,
        // A header the request does not carry may be stood for by the context; one it carries may not be
        // contradicted.
        Some(GlobalKey::PrincipalOrgId | GlobalKey::Referer | GlobalKey::UserAgent) => Said::ValueOnly,
        _ if key.principal_tag().is_some() => Said::ValueOnly,
        _ => Said::Never,
    }
}

impl RequestContext<'_> {
    /// The first `request.context` key that contradicts what the rest of the scenario says, and why. Context
    /// values may fill what the scenario leaves unknown (a user's `aws:userid`, an org id or a tag of an
    /// undescribed principal, the VPC of an undescribed endpoint), never replace what it states: a caller cannot
    /// choose its own source address, endpoint or identity.
    pub fn contradiction(&self) -> Option<(&str, String)> {
        for (name, values) in &self.request.context {
            let key = ConditionKey::new(name);
            let computed = self.computed(&key);
            if !says(&key, &computed) {
                continue;
            }
            let said: Option<Vec<&str>> = match computed {
                Some(ContextValues::Single(v) | ContextValues::Address(v, _)) => Some(vec![v]),
                Some(ContextValues::Multi(vs)) => Some(vs.iter().map(String::as_str).collect()),
                Some(ContextValues::Unknown(_)) | None => None,
            };
            let given: Vec<&str> = values.iter().map(String::as_str).collect();
            match said {
                Some(said) if said != given => {
                    return Some((name.as_str(), format!("the scenario already says it is {}", shown_values(&said))))
                }
                Some(_) => {}
                None => return Some((name.as_str(), String::from("the scenario says this request has none"))),
            }
        }
        None
    }

    /// What the scenario itself says a key is, without `request.context`.
    fn computed(&self, key: &ConditionKey) -> Option<ContextValues<'_>> {
        if let Some(tag) = key.principal_tag() {
            return self.principal.and_then(|p| find_by_name(&p.tags, tag)).map(|v| ContextValues::Single(v.as_str()));
        }
        let request = self.request;
        let via_endpoint = request.vpc_endpoint_id.is_some();
        fn single(s: &str) -> Option<ContextValues<'_>> {
            Some(ContextValues::Single(s))
        }
        fn address(text: Option<&str>, ip: Option<std::net::IpAddr>) -> Option<ContextValues<'_>> {
            match (text, ip) {
                (Some(text), Some(ip)) => Some(ContextValues::Address(text, ip)),
                (text, _) => text.map(ContextValues::Single),
            }
        }
        match key.global()? {
            GlobalKey::CurrentTime => single(request.current_time()),
            GlobalKey::EpochTime => single(request.epoch_time()),
            GlobalKey::SecureTransport => single(if request.secure_transport { "true" } else { "false" }),
            // Through an endpoint, the source address is the VPC's (aws:VpcSourceIp) and aws:SourceIp is absent.
            GlobalKey::SourceIp if !via_endpoint => address(request.source_ip.as_deref(), request.source_ip_addr),
            // A request through an endpoint always has these two; when the scenario does not say them they are
            // present but unknown, and conditions on them count in the denying direction.
            GlobalKey::VpcSourceIp if via_endpoint => {
                address(request.vpc_source_ip.as_deref(), request.vpc_source_ip_addr).or(Some(ContextValues::Unknown(
                    "the caller's address inside its VPC is not in the scenario (give `request.vpcSourceIp`)",
                )))
            }
            GlobalKey::SourceVpce => request.vpc_endpoint_id.as_deref().and_then(single),
            GlobalKey::SourceVpc if via_endpoint => match self.endpoint.and_then(|e| e.vpc_id.as_deref()) {
                Some(vpc) => single(vpc),
                None => Some(ContextValues::Unknown(
                    "the endpoint's VPC is not in the scenario (give `vpcEndpoints.<id>.vpcId`)",
                )),
            },
            GlobalKey::PrincipalAccount => match self.caller {
                Caller::Anonymous => single("anonymous"),
                c => c.account().and_then(single),
            },
            // The account id for the root user, `account:name` for a federated user. A user's or a role
            // session's is a unique id (`AIDA…`, `AROA…:session`) that the scenario does not hold: present, but
            // unknown unless `request.context` gives it, so conditions on it count in the denying direction.
            GlobalKey::UserId => match self.caller {
                Caller::Anonymous => single("anonymous"),
                Caller::Root { account, .. } => single(account),
                Caller::FederatedUser { user_id, .. } => single(user_id),
                Caller::User { .. } | Caller::Session { .. } => Some(ContextValues::Unknown(
                    "the caller's unique id (`AIDA…` for a user, `AROA…:session` for a role session) is not in the scenario (give it as `aws:userid` in `request.context`)",
                )),
                Caller::Service { .. } => None,
            },
            GlobalKey::PrincipalType => single(self.caller.principal_type()),
            GlobalKey::Referer => request.header("referer").and_then(single),
            GlobalKey::UserAgent => request.header("user-agent").and_then(single),
            GlobalKey::PrincipalArn => self.caller.principal_arn().and_then(single),
            GlobalKey::Username => match self.caller {
                Caller::User { name, .. } => single(name),
                _ => None,
            },
            GlobalKey::PrincipalOrgId => self.principal.and_then(|p| p.org_id.as_deref()).and_then(single),
            GlobalKey::PrincipalIsAwsService => match self.caller {
                Caller::Service { .. } => single("true"),
                _ => single("false"),
            },
            GlobalKey::PrincipalServiceName => match self.caller {
                Caller::Service { name } => single(name),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Values as a message shows them.
fn shown_values(values: &[&str]) -> String {
    match values {
        [one] => format!("`{one}`"),
        many => format!("[{}]", many.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")),
    }
}
