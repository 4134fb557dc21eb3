//! What API Gateway answers: the decision JSON of the contract, status codes, gateway response types and the
//! exact messages and bodies (authorization-flows.md §3).

use serde::Serialize;

use crate::explain::Step;

/// The outcome class of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Outcome {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
    Unauthenticated,
    AuthorizerError,
    NoRoute,
    UriTooLong,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allow => "Allow",
            Outcome::ExplicitDeny => "ExplicitDeny",
            Outcome::ImplicitDeny => "ImplicitDeny",
            Outcome::Unauthenticated => "Unauthenticated",
            Outcome::AuthorizerError => "AuthorizerError",
            Outcome::NoRoute => "NoRoute",
            Outcome::UriTooLong => "UriTooLong",
        }
    }
}

/// A statement that decided: the Deny that denied, or the Allows that allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementRef {
    /// `resource`, `authorizer`, `vpcEndpoint`, `identity:{n}`, `boundary`, `scp:{n}`, `session`.
    pub policy: String,
    /// Position of the statement in its document, from 0.
    pub index: usize,
    pub sid: Option<String>,
    pub effect: &'static str,
}

/// The decision JSON of the contract (scenario-format.md, "Decision"). Field order is the contract's.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    pub decision: Outcome,
    pub status_code: u16,
    pub response_type: Option<&'static str>,
    pub error_type: Option<&'static str>,
    pub message: Option<String>,
    pub body: Option<String>,
    pub method_arn: Option<String>,
    pub caller: String,
    pub authorizer_invoked: bool,
    pub decisive: Vec<StatementRef>,
    pub explanation: Vec<Step>,
    pub warnings: Vec<String>,
}

impl Decision {
    /// Compact JSON, byte for byte what every front returns.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            format!(r#"{{"code":"internal","message":"decision could not be serialized: {e}"}}"#)
        })
    }

    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    pub fn is_allowed(&self) -> bool {
        self.decision == Outcome::Allow
    }
}
