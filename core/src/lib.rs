//! apigw-authz: decide, exactly as Amazon API Gateway would, whether a request to a REST API is allowed, and
//! explain why. No IO, no global state, no panics: policies, API settings and a request go in; a decision, the
//! exact status and message API Gateway would answer, and a statement-by-statement explanation come out.
//!
//! Every front (Rust, JavaScript, Python, the command line) calls the functions of this module with the same
//! JSON contract (`scenario-format.md`), as text or as an already-parsed value.

pub mod decode;
pub mod error;
pub mod explain;
pub mod gateway;
pub mod json;
pub mod response;
pub mod scenario;
pub mod suite;

pub use error::{Diagnostic, Error, ErrorCode, Severity};
pub use explain::render_text;
pub use gateway::PreparedApi;
pub use scenario::Request;
pub use response::{Decision, Outcome, StatementRef};
pub use suite::{CaseReport, Difference, SuiteReport};

/// JSON input, as text (errors then carry line and column) or as an already-parsed value.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    Text(&'a str),
    Value(&'a serde_json::Value),
}

impl<'a> From<&'a str> for Input<'a> {
    fn from(text: &'a str) -> Self {
        Input::Text(text)
    }
}

impl<'a> From<&'a String> for Input<'a> {
    fn from(text: &'a String) -> Self {
        Input::Text(text)
    }
}

impl<'a> From<&'a serde_json::Value> for Input<'a> {
    fn from(value: &'a serde_json::Value) -> Self {
        Input::Value(value)
    }
}

/// Which kind of policy a document is: it decides which elements are required or forbidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// An API's resource policy: Principal required; `execute-api:/...` shorthand allowed.
    Resource,
    /// An identity-based policy, permissions boundary, SCP or session policy: Principal forbidden.
    Identity,
    /// The policy a Lambda authorizer returns: Principal forbidden.
    Authorizer,
    /// A VPC endpoint policy: Principal required.
    Endpoint,
    /// Any other resource-based policy (role trust policy, Lambda permission): Principal required.
    ResourceBased,
}

impl std::str::FromStr for PolicyKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "resource" => Ok(PolicyKind::Resource),
            "identity" => Ok(PolicyKind::Identity),
            "authorizer" => Ok(PolicyKind::Authorizer),
            "endpoint" => Ok(PolicyKind::Endpoint),
            "resource-based" => Ok(PolicyKind::ResourceBased),
            other => Err(Error::invalid_argument(format!(
                "unknown policy kind `{other}`, expected one of `resource`, `identity`, `authorizer`, `endpoint`, `resource-based`"
            ))),
        }
    }
}

/// Decide one scenario (a `request` is required).
pub fn authorize<'a>(scenario: impl Into<Input<'a>>) -> Result<Decision, Error> {
    let _ = scenario.into();
    Err(Error::internal("authorize is not written yet"))
}

/// The human explanation of one scenario's decision.
pub fn explain<'a>(scenario: impl Into<Input<'a>>) -> Result<String, Error> {
    authorize(scenario).map(|d| render_text(&d))
}

/// Run a suite: a scenario without `request`, plus `cases`.
pub fn run_suite<'a>(suite: impl Into<Input<'a>>) -> Result<SuiteReport, Error> {
    let _ = suite.into();
    Err(Error::internal("run_suite is not written yet"))
}

/// Diagnostics for one policy document given as text: errors and warnings, each with a line:column range.
pub fn validate_policy(text: &str, kind: PolicyKind) -> Vec<Diagnostic> {
    let _ = (text, kind);
    Vec::new()
}
