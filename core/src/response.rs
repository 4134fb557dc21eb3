//! What API Gateway answers: the decision JSON of the contract, status codes, gateway response types and the
//! exact messages and bodies (authorization-flows.md §3).

use std::borrow::Cow;

use serde::Serialize;

use crate::explain::{StatementTrace, Step};

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
    pub policy: Cow<'static, str>,
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
    pub caller: Cow<'static, str>,
    pub authorizer_invoked: bool,
    pub decisive: Vec<StatementRef>,
    pub explanation: Vec<Step>,
    pub warnings: Vec<String>,
}

impl Decision {
    /// Compact JSON, byte for byte what every front returns.
    ///
    /// Written by hand rather than through serde, explanation included: every front writes each decision once;
    /// for the prepared fast path serde's writer was as costly as deciding, and for a one-shot call a tenth of it.
    /// A test checks it against serde_json's output for every decision of the corpus, explained or not, with and
    /// without line and column, and a property test checks the string escaping.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(
            320 + self.message.as_ref().map_or(0, |m| 2 * m.len())
                + self.method_arn.as_ref().map_or(0, String::len)
                + self.caller.len()
                + 80 * self.decisive.len()
                + 1000 * self.explanation.len(),
        );
        self.write_json(&mut out);
        out
    }

    /// Append the compact JSON of [`Decision::to_json`] to `out`.
    pub fn write_json(&self, out: &mut String) {
        out.push_str(r#"{"decision":""#);
        out.push_str(self.decision.as_str());
        out.push_str(r#"","statusCode":"#);
        push_u64(out, u64::from(self.status_code));
        out.push_str(r#","responseType":"#);
        push_opt_json_string(out, self.response_type);
        out.push_str(r#","errorType":"#);
        push_opt_json_string(out, self.error_type);
        out.push_str(r#","message":"#);
        push_opt_json_string(out, self.message.as_deref());
        out.push_str(r#","body":"#);
        push_opt_json_string(out, self.body.as_deref());
        out.push_str(r#","methodArn":"#);
        push_opt_json_string(out, self.method_arn.as_deref());
        out.push_str(r#","caller":"#);
        push_json_string(out, &self.caller);
        out.push_str(if self.authorizer_invoked {
            r#","authorizerInvoked":true,"decisive":["#
        } else {
            r#","authorizerInvoked":false,"decisive":["#
        });
        push_items(out, &self.decisive, |out, s| {
            push_statement_start(out, &s.policy, s.index, s.sid.as_deref(), s.effect);
            out.push('}');
        });
        out.push_str(r#"],"explanation":["#);
        push_items(out, &self.explanation, push_step);
        out.push_str(r#"],"warnings":["#);
        push_items(out, &self.warnings, |out, warning| push_json_string(out, warning));
        out.push_str("]}");
    }

    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    pub fn is_allowed(&self) -> bool {
        self.decision == Outcome::Allow
    }
}

/// A step of the explanation as serde writes [`Step`]: its fields in declaration order.
fn push_step(out: &mut String, step: &Step) {
    out.push_str(r#"{"step":"#);
    push_json_string(out, step.step);
    out.push_str(r#","summary":"#);
    push_json_string(out, &step.summary);
    out.push_str(r#","outcome":"#);
    push_json_string(out, step.outcome);
    out.push_str(r#","statements":["#);
    push_items(out, &step.statements, push_statement_trace);
    out.push_str(r#"],"notes":["#);
    push_items(out, &step.notes, |out, note| push_json_string(out, note));
    out.push_str("]}");
}

/// `{"policy":…,"index":…,"sid":…,"effect":…`: how a decisive statement and a statement trace both begin.
fn push_statement_start(out: &mut String, policy: &str, index: usize, sid: Option<&str>, effect: &str) {
    out.push_str(r#"{"policy":"#);
    push_json_string(out, policy);
    out.push_str(r#","index":"#);
    push_u64(out, index as u64);
    out.push_str(r#","sid":"#);
    push_opt_json_string(out, sid);
    out.push_str(r#","effect":"#);
    push_json_string(out, effect);
}

fn push_statement_trace(out: &mut String, statement: &StatementTrace) {
    push_statement_start(out, &statement.policy, statement.index, statement.sid.as_deref(), statement.effect);
    out.push_str(if statement.applies { r#","applies":true,"line":"# } else { r#","applies":false,"line":"# });
    push_opt_u64(out, statement.line.map(u64::from));
    out.push_str(r#","column":"#);
    push_opt_u64(out, statement.column.map(u64::from));
    out.push_str(r#","checks":["#);
    push_items(out, &statement.checks, |out, check| {
        out.push_str(r#"{"element":"#);
        push_json_string(out, check.element);
        out.push_str(if check.matched { r#","matched":true,"detail":"# } else { r#","matched":false,"detail":"# });
        push_json_string(out, &check.detail);
        out.push('}');
    });
    out.push_str("]}");
}

/// The items of a JSON array, comma-separated (the brackets are the caller's).
fn push_items<T>(out: &mut String, items: &[T], push: impl Fn(&mut String, &T)) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push(out, item);
    }
}

fn push_opt_u64(out: &mut String, value: Option<u64>) {
    match value {
        Some(value) => push_u64(out, value),
        None => out.push_str("null"),
    }
}

/// How a denied or failed request is answered, before gateway response overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorAnswer {
    pub outcome: Outcome,
    pub status_code: u16,
    /// The gateway response type; `None` for answers an API cannot customise.
    pub response_type: Option<&'static str>,
    pub error_type: &'static str,
    pub message: Option<String>,
}

/// Messages of authorization-flows.md §3.
pub mod messages {
    pub const MISSING_AUTHENTICATION_TOKEN: &str = "Missing Authentication Token";
    pub const UNAUTHORIZED: &str = "Unauthorized";
    pub const FORBIDDEN: &str = "Forbidden";
    pub const INVALID_SIGNATURE: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
    pub const INCOMPLETE_SIGNATURE: &str = "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.";
    pub const UNRECOGNIZED_CLIENT: &str = "The security token included in the request is invalid.";
    pub const EXPIRED_TOKEN: &str = "The security token included in the request is expired";
    pub const URI_TOO_LONG: &str = "Request-URI Too Long";
    pub const AUTHORIZER_DENIED: &str = "User is not authorized to access this resource";

    /// `User: {caller} is not authorized to perform: execute-api:Invoke on resource: {masked}[ with an explicit deny]`,
    /// `{masked}` being `method_arn` with its account masked.
    pub fn not_authorized_to_perform(caller: &str, method_arn: &str, explicit: bool) -> String {
        const PERFORM: &str = " is not authorized to perform: execute-api:Invoke on resource: ";
        const EXPLICIT: &str = " with an explicit deny";
        // One buffer, masking the account in place: this runs for every denied request.
        let mut message = String::with_capacity(14 + caller.len() + PERFORM.len() + method_arn.len() + EXPLICIT.len());
        for piece in ["User: ", caller, PERFORM] {
            message.push_str(piece);
        }
        crate::arn::push_masked(&mut message, method_arn);
        if explicit {
            message.push_str(EXPLICIT);
        }
        message
    }

    /// A cross-account IAM caller whose request the resource policy is silent about.
    pub fn not_authorized_to_access(caller: &str) -> String {
        format!("User: {caller} is not authorized to access this resource")
    }
}

/// `text` as a JSON string. Messages rarely hold a character JSON escapes (`"`, `\`, control characters), and
/// then the text is only quoted; otherwise serde_json escapes it (a `&str` always serializes).
fn json_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    push_json_string(&mut quoted, text);
    quoted
}

/// Append `text` as a JSON string, escaped exactly as serde_json escapes it: `"` and `\\` with a backslash,
/// the control characters with their short escape where JSON has one and `\\u00xx` otherwise, everything else
/// (`/`, DEL, non-ASCII) as it is.
pub(crate) fn push_json_string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut run_start = 0;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        // A table lookup per byte: the plain runs between escapes (nearly every string is one run) go fast.
        let escape = ESCAPE.get(usize::from(b)).copied().unwrap_or(0);
        if escape == 0 {
            continue;
        }
        out.push_str(text.get(run_start..i).unwrap_or(""));
        if escape == b'u' {
            out.push_str("\\u00");
            out.push(char::from(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0')));
            out.push(char::from(HEX.get(usize::from(b & 0xf)).copied().unwrap_or(b'0')));
        } else {
            out.push('\\');
            out.push(char::from(escape));
        }
        run_start = i + 1;
    }
    out.push_str(text.get(run_start..).unwrap_or(""));
    out.push('"');
}

/// For each byte, 0 when JSON writes it as it is, otherwise the letter after the backslash (`u`: `\\u00xx`).
// Evaluated at compile time: an index out of range would fail the build, not panic.
#[allow(clippy::indexing_slicing)]
static ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

fn push_opt_json_string(out: &mut String, text: Option<&str>) {
    match text {
        Some(text) => push_json_string(out, text),
        None => out.push_str("null"),
    }
}

/// Append `n` in decimal.
fn push_u64(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        if let Some(d) = digits.get_mut(i) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(digits.get(i..).unwrap_or(b"0")).unwrap_or("0"));
}

impl ErrorAnswer {
    /// 403 AccessDeniedException (ACCESS_DENIED).
    pub fn access_denied(explicit: bool, message: String) -> Self {
        ErrorAnswer {
            outcome: if explicit { Outcome::ExplicitDeny } else { Outcome::ImplicitDeny },
            status_code: 403,
            response_type: Some("ACCESS_DENIED"),
            error_type: "AccessDeniedException",
            message: Some(message),
        }
    }

    pub fn missing_authentication_token(outcome: Outcome) -> Self {
        ErrorAnswer {
            outcome,
            status_code: 403,
            response_type: Some("MISSING_AUTHENTICATION_TOKEN"),
            error_type: "MissingAuthenticationTokenException",
            message: Some(messages::MISSING_AUTHENTICATION_TOKEN.to_owned()),
        }
    }

    pub fn unauthorized() -> Self {
        ErrorAnswer {
            outcome: Outcome::Unauthenticated,
            status_code: 401,
            response_type: Some("UNAUTHORIZED"),
            error_type: "UnauthorizedException",
            message: Some(messages::UNAUTHORIZED.to_owned()),
        }
    }

    pub fn authorizer_configuration_error() -> Self {
        ErrorAnswer {
            outcome: Outcome::AuthorizerError,
            status_code: 500,
            response_type: Some("AUTHORIZER_CONFIGURATION_ERROR"),
            error_type: "AuthorizerConfigurationException",
            message: None,
        }
    }

    pub fn signature(error_type: &'static str, message: String) -> Self {
        ErrorAnswer {
            outcome: Outcome::Unauthenticated,
            status_code: 403,
            response_type: Some("INVALID_SIGNATURE"),
            error_type,
            message: Some(message),
        }
    }

    pub fn expired_token() -> Self {
        ErrorAnswer {
            outcome: Outcome::Unauthenticated,
            status_code: 403,
            response_type: Some("EXPIRED_TOKEN"),
            error_type: "ExpiredTokenException",
            message: Some(messages::EXPIRED_TOKEN.to_owned()),
        }
    }

    /// A request API Gateway never routes to the API (a private API reached without its endpoint, a public API
    /// reached through one).
    pub fn forbidden() -> Self {
        ErrorAnswer {
            outcome: Outcome::ImplicitDeny,
            status_code: 403,
            response_type: None,
            error_type: "ForbiddenException",
            message: Some(messages::FORBIDDEN.to_owned()),
        }
    }

    pub fn uri_too_long() -> Self {
        ErrorAnswer {
            outcome: Outcome::UriTooLong,
            status_code: 414,
            response_type: None,
            error_type: "UriTooLongException",
            message: Some(messages::URI_TOO_LONG.to_owned()),
        }
    }

    /// Status and body after the API's gateway response overrides: the type's own entry, else DEFAULT_4XX /
    /// DEFAULT_5XX by the default status class.
    pub fn render(&self, overrides: &[crate::scenario::GatewayResponseOverride]) -> (u16, String) {
        let key = if self.error_type == "AccessDeniedException" { "Message" } else { "message" };
        // `{"<key>":<message as a JSON string>}`, in one buffer: this runs for every denied request.
        let mut default_body = String::with_capacity(key.len() + self.message.as_ref().map_or(4, String::len) + 7);
        for piece in ["{\"", key, "\":"] {
            default_body.push_str(piece);
        }
        match &self.message {
            Some(m) => push_json_string(&mut default_body, m),
            None => default_body.push_str("null"),
        }
        default_body.push('}');
        let Some(response_type) = self.response_type else {
            return (self.status_code, default_body);
        };
        let family = if self.status_code >= 500 { "DEFAULT_5XX" } else { "DEFAULT_4XX" };
        let own = overrides.iter().find(|o| o.response_type == response_type);
        let default = overrides.iter().find(|o| o.response_type == family);
        let status = own
            .and_then(|o| o.status_code)
            .or_else(|| if own.is_none() { default.and_then(|o| o.status_code) } else { None })
            .unwrap_or(self.status_code);
        let template = own.and_then(|o| o.template.as_deref()).or_else(|| {
            if own.is_none() {
                default.and_then(|o| o.template.as_deref())
            } else {
                None
            }
        });
        let body = match template {
            None => default_body,
            Some(t) => t
                .replace(
                    "$context.error.messageString",
                    &self.message.as_deref().map_or_else(|| String::from("null"), json_string),
                )
                .replace("$context.error.message", self.message.as_deref().unwrap_or(""))
                .replace("$context.error.responseType", response_type),
        };
        (status, body)
    }
}

#[cfg(test)]
mod tests {
    use super::json_string;

    #[test]
    fn json_string_quotes_as_serde_json_does() {
        for text in
            ["", "User: anonymous is not authorized", "a \"quoted\" word", "back\\slash", "tab\there", "é ✓ \u{7f}"]
        {
            assert_eq!(json_string(text), serde_json::to_string(text).unwrap_or_default(), "{text:?}");
        }
    }
}
