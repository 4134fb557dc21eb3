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
        if let Some(values) = find_by_name(&self.request.context, key.lower()) {
            return match values.as_slice() {
                [one] => Some(ContextValues::Single(one)),
                many => Some(ContextValues::Multi(many)),
            };
        }
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
