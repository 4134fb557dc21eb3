//! apigw-authz: decide, exactly as Amazon API Gateway would, whether a request to a REST API is allowed, and
//! explain why. No IO, no global state, no panics: policies, API settings and a request go in; a decision, the
//! exact status and message API Gateway would answer, and a statement-by-statement explanation come out.
//!
//! Every front (Rust, JavaScript, Python, the command line) calls the functions of this module with the same
//! JSON contract (`scenario-format.md`), as text (with line and column in errors) or as a value the caller
//! already holds ([`Input`]).

use std::borrow::Cow;

pub mod arn;
pub mod condition;
pub mod decode;
pub mod error;
pub mod explain;
pub mod gateway;
pub mod iam;
mod java_regex;
pub mod json;
pub mod policy;
pub mod principal;
pub mod response;
pub mod scenario;
pub mod suite;
pub mod wildcard;

pub use error::{Diagnostic, Error, ErrorCode, ErrorDetail, Severity};
pub use explain::render_text;
pub use gateway::PreparedApi;
pub use response::{Decision, Outcome, StatementRef};
pub use scenario::Request;
pub use suite::{CaseDecision, CaseReport, Difference, SuiteReport};

/// JSON input, as text (errors then carry line and column) or as a value. Whatever the form, the same document
/// gives the same answer; only text gives positions (the corpus tests check every form against the others).
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// JSON text the user wrote.
    Text(&'a str),
    /// An already-parsed value.
    Value(&'a serde_json::Value),
    /// JSON text a program wrote from a value the user passed as an object (JavaScript's `JSON.stringify`): read
    /// like text, which is faster than building a `serde_json::Value` first, and reported like a value: the user
    /// wrote no text, so errors and the explanation's statements carry no line or column.
    Converted(&'a str),
    /// A tree a front built from its own values (Python dicts and lists): read like a value, without going through
    /// `serde_json::Value`. The core checks its depth as for a value.
    Tree(&'a json::Json<'a>),
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

/// JSON input that owns its text or value: what a front holds after receiving it from JavaScript or Python, for
/// the duration of one call.
#[derive(Debug, Clone, PartialEq)]
pub enum OwnedInput {
    Text(String),
    Value(serde_json::Value),
    /// See [`Input::Converted`].
    Converted(String),
    /// See [`Input::Tree`].
    Tree(json::Json<'static>),
}

impl OwnedInput {
    pub fn input(&self) -> Input<'_> {
        match self {
            OwnedInput::Text(text) => Input::Text(text),
            OwnedInput::Value(value) => Input::Value(value),
            OwnedInput::Converted(text) => Input::Converted(text),
            OwnedInput::Tree(tree) => Input::Tree(tree),
        }
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

/// Read JSON input into a tree, with the line index when it is text the user wrote.
fn read(input: Input<'_>) -> Result<(Cow<'_, json::Json<'_>>, Option<json::LineIndex<'_>>), Error> {
    let limits = json::Limits::default();
    match input {
        Input::Text(text) => Ok((Cow::Owned(json::parse(text, &limits)?), Some(json::LineIndex::new(text)))),
        Input::Value(value) => Ok((Cow::Owned(json::from_value(value, &limits)?), None)),
        Input::Converted(text) => match json::parse(text, &limits) {
            Ok(json) => Ok((Cow::Owned(json), None)),
            Err(e) => Err(e.unlocated()),
        },
        Input::Tree(tree) => {
            json::check_depth(tree, &limits)?;
            Ok((Cow::Borrowed(tree), None))
        }
    }
}

/// Run `f` on the parsed input and give its errors line and column.
pub(crate) fn with_input<T>(
    input: Input<'_>,
    f: impl FnOnce(&json::Json, Option<&json::LineIndex>) -> Result<T, Error>,
) -> Result<T, Error> {
    let (json, index) = read(input)?;
    f(&json, index.as_ref()).map_err(|e| match &index {
        Some(index) => e.locate(index),
        None => e,
    })
}

/// Decide one scenario (a `request` is required).
pub fn authorize<'a>(scenario: impl Into<Input<'a>>) -> Result<Decision, Error> {
    with_input(scenario.into(), authorize_parsed)
}

fn authorize_parsed(json: &json::Json, index: Option<&json::LineIndex>) -> Result<Decision, Error> {
    let doc = scenario::split_document(json)?;
    if let Some(cases) = doc.cases {
        return Err(scenario::suite_given_as_scenario(cases));
    }
    let request = doc.request.ok_or_else(|| {
        decode::Ptr::ROOT.key("request").error(
            ErrorCode::InvalidScenario,
            "missing required field `request`",
            json.span,
        )
    })?;
    let api = PreparedApi::from_json(json, index, true)?;
    let request = api.request_from_json(request, &decode::Ptr::ROOT.key("request"), index)?;
    api.authorize(&request)
}

/// Decide either kind of scenario: an API Gateway request (`api`) or a general IAM check (`resources`). Every
/// front that takes "a scenario" calls this, so the choice between the two is made in one place.
pub fn authorize_any<'a>(scenario: impl Into<Input<'a>>) -> Result<CaseDecision, Error> {
    with_input(scenario.into(), |json, index| {
        if json.get("resources").is_some_and(|r| !r.is_null()) {
            iam::scenario::authorize(json, index).map(CaseDecision::Iam)
        } else {
            authorize_parsed(json, index).map(CaseDecision::Api)
        }
    })
}

/// The human explanation of one scenario's decision (either kind of scenario).
pub fn explain<'a>(scenario: impl Into<Input<'a>>) -> Result<String, Error> {
    authorize_any(scenario).map(|d| d.render_text())
}

/// Decide a general IAM scenario (`resources` instead of `api`): may this caller do this action on this
/// resource?
pub fn authorize_iam<'a>(scenario: impl Into<Input<'a>>) -> Result<iam::scenario::IamDecision, Error> {
    with_input(scenario.into(), iam::scenario::authorize)
}

/// Run a suite: a scenario without `request`, plus `cases`.
pub fn run_suite<'a>(suite: impl Into<Input<'a>>) -> Result<SuiteReport, Error> {
    with_input(suite.into(), suite::run)
}

/// Diagnostics for one policy document given as text: errors and warnings, each with a line:column range.
pub fn validate_policy(text: &str, kind: PolicyKind) -> Vec<Diagnostic> {
    let index = json::LineIndex::new(text);
    match policy::Policy::compile(text, kind, None) {
        Ok(policy) => policy.warnings.iter().map(|w| Diagnostic::from_warning(w, Some(&index))).collect(),
        Err(error) => vec![Diagnostic::from_error(&error, Some(&index))],
    }
}

/// The README's Rust examples run as doctests, so the quick start cannot drift from the code.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
