//! Errors are values: bad input never yields a decision, it yields one of these.
//!
//! Every error carries a stable `code`, a message written for a person (lowercase start, no final period,
//! user input in backticks), the JSON path of the offending value, and, when the input was text, the line
//! and column. The span is kept internally until the text is known, then turned into line and column.

use serde::Serialize;
use std::fmt;

use crate::json::{LineIndex, Span};

/// The stable error codes. Bindings map each to an exception or error class of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
    /// The text is not JSON, or breaks a JSON rule we enforce (duplicate keys, nesting, size).
    InvalidJson,
    /// A policy document is not a valid IAM policy.
    InvalidPolicy,
    /// The scenario, suite, API configuration or request does not follow the contract.
    InvalidScenario,
    /// A call was made with arguments the function does not accept (for example an unknown policy kind).
    InvalidArgument,
    /// The engine failed in a way it should not; reported rather than crashing.
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "invalid-json",
            ErrorCode::InvalidPolicy => "invalid-policy",
            ErrorCode::InvalidScenario => "invalid-scenario",
            ErrorCode::InvalidArgument => "invalid-argument",
            ErrorCode::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error in the input, with where it is: [`ErrorDetail`], boxed.
///
/// Boxed because every reading and deciding function returns `Result<_, Error>`: an unboxed error (over
/// 100 bytes) made every `Result` that large, and moving those through the levels of a valid document cost
/// more than the work itself. Its fields read as `error.code`, `error.path`, ... through `Deref`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Error(Box<ErrorDetail>);

impl std::ops::Deref for Error {
    type Target = ErrorDetail;
    fn deref(&self) -> &ErrorDetail {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut ErrorDetail {
        &mut self.0
    }
}

/// What an [`Error`] says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    pub message: String,
    /// JSON pointer of the offending value, e.g. `/api/policy/Statement/1/Condition`; empty for the root.
    pub path: String,
    /// 1-based line in the input text, when the input was text.
    pub line: Option<u32>,
    /// 1-based column (in characters) in the input text, when the input was text.
    pub column: Option<u32>,
    /// Extra advice, kept apart from the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip)]
    pub(crate) span: Option<Span>,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>, path: impl Into<String>) -> Self {
        Error(Box::new(ErrorDetail {
            code,
            message: message.into(),
            path: path.into(),
            line: None,
            column: None,
            help: None,
            span: None,
        }))
    }

    pub fn invalid_json(message: impl Into<String>, path: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidJson, message, path)
    }

    pub fn invalid_policy(message: impl Into<String>, path: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidPolicy, message, path)
    }

    pub fn invalid_scenario(message: impl Into<String>, path: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidScenario, message, path)
    }

    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidArgument, message, "")
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message, "")
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Remember where in the source text the error is; turned into line and column by [`Error::locate`].
    pub fn with_span(mut self, span: Span) -> Self {
        if !span.is_none() {
            self.span = Some(span);
        }
        self
    }

    /// Fill in line and column from the text the span points into (no-op when already located).
    pub fn locate(mut self, index: &LineIndex) -> Self {
        if self.line.is_none() {
            if let Some(span) = self.span {
                let (line, column) = index.line_col(span.start);
                self.line = Some(line);
                self.column = Some(column);
            }
        }
        self
    }

    /// Forget where in the text the error is: for text the user did not write ([`crate::Input::Converted`]).
    pub fn unlocated(mut self) -> Self {
        self.line = None;
        self.column = None;
        self.span = None;
        self
    }

    /// Put this error, found inside a nested document, under the path of that document.
    pub fn under(mut self, prefix: &str) -> Self {
        if !prefix.is_empty() {
            self.path = format!("{prefix}{}", self.path);
        }
        self
    }

    /// The error as compact JSON, the shape every front prints.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| {
            // Serializing plain strings and numbers cannot fail; keep a fixed fallback rather than panic.
            String::from(
                r#"{"code":"internal","message":"error could not be serialized","path":"","line":null,"column":null}"#,
            )
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if !self.path.is_empty() {
            write!(f, " (at `{}`", self.path)?;
            if let (Some(line), Some(column)) = (self.line, self.column) {
                write!(f, ", line {line} column {column}")?;
            }
            f.write_str(")")?;
        } else if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, " (line {line} column {column})")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// A finding about a policy that is not necessarily fatal: what `validate` reports, with a range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: ErrorCode,
    pub message: String,
    pub path: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub end_line: Option<u32>,
    pub end_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A warning found while compiling a policy: kept with the compiled form and reported by `validate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub message: String,
    pub path: String,
    pub span: Option<Span>,
}

impl Warning {
    /// A warning about the value at `ptr`, read from `span` (no span for values that did not come from text).
    pub fn at(message: impl Into<String>, ptr: &crate::decode::Ptr<'_>, span: Span) -> Self {
        Warning { message: message.into(), path: ptr.render(), span: Some(span).filter(|s| !s.is_none()) }
    }
}

impl Diagnostic {
    pub fn from_error(error: &Error, index: Option<&LineIndex>) -> Self {
        let (end_line, end_column) = match (error.span, index) {
            (Some(span), Some(index)) => {
                let (l, c) = index.line_col(span.end);
                (Some(l), Some(c))
            }
            _ => (error.line, error.column),
        };
        Diagnostic {
            severity: Severity::Error,
            code: error.code,
            message: error.message.clone(),
            path: error.path.clone(),
            line: error.line,
            column: error.column,
            end_line,
            end_column,
            help: error.help.clone(),
        }
    }

    pub fn from_warning(warning: &Warning, index: Option<&LineIndex>) -> Self {
        let (start, end) = match (warning.span, index) {
            (Some(span), Some(index)) => (Some(index.line_col(span.start)), Some(index.line_col(span.end))),
            _ => (None, None),
        };
        Diagnostic {
            severity: Severity::Warning,
            code: ErrorCode::InvalidPolicy,
            message: warning.message.clone(),
            path: warning.path.clone(),
            line: start.map(|p| p.0),
            column: start.map(|p| p.1),
            end_line: end.map(|p| p.0),
            end_column: end.map(|p| p.1),
            help: None,
        }
    }
}
