//! The explanation: ordered steps, and in each every statement considered with exactly why it applied or not.
//! Also the plain-text rendering a person reads in a terminal.

use serde::Serialize;
use std::fmt::Write as _;

use crate::response::Decision;

/// One step of API Gateway's order of checks (authorization-flows.md §1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// What was checked: `vpcEndpointPolicy`, `route`, `methodArn`, `stage`, `signature`, `identitySource`,
    /// `resourcePolicyDenyCheck`, `authorizer`, `authorizerPolicy`, `cognito`, `resourcePolicy`,
    /// `identityPolicies`, `permissionsBoundary`, `serviceControlPolicies`, `sessionPolicy`, `combine`.
    pub step: &'static str,
    /// One sentence: what was found.
    pub summary: String,
    /// `Allow`, `Deny` or `Neither` for a policy; `pass` or `fail` for a check.
    pub outcome: &'static str,
    pub statements: Vec<StatementTrace>,
    /// Project decisions applied here, and other remarks.
    pub notes: Vec<String>,
}

impl Step {
    pub fn new(step: &'static str, outcome: &'static str, summary: impl Into<String>) -> Self {
        Step { step, summary: summary.into(), outcome, statements: Vec::new(), notes: Vec::new() }
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}

/// One statement and why it did or did not apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementTrace {
    pub policy: String,
    pub index: usize,
    pub sid: Option<String>,
    pub effect: &'static str,
    pub applies: bool,
    /// Where the statement starts, when the policy came as text.
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// Every element of the statement, in order: Principal, Action, Resource, then each condition.
    pub checks: Vec<Check>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// `Principal`, `NotPrincipal`, `Action`, `NotAction`, `Resource`, `NotResource` or `Condition`.
    pub element: &'static str,
    pub matched: bool,
    /// What was compared with what.
    pub detail: String,
}

/// Text from the request (a value, an ARN, a caller) as an explanation quotes it: whole up to
/// [`SHOWN_CHARS`] characters, else its start and its length. Details repeat such text for every statement,
/// pattern and value they report on, so an unbounded quote made the explanation of a 0.4 MB input 4 GB.
pub fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(SHOWN_CHARS) {
        None => std::borrow::Cow::Borrowed(text),
        Some(_) => {
            let cut = text.char_indices().nth(SHOWN_CHARS / 2).map_or(text.len(), |(i, _)| i);
            let total = text.chars().count();
            std::borrow::Cow::Owned(format!("{}… ({total} characters)", text.get(..cut).unwrap_or(text)))
        }
    }
}

/// The longest request text an explanation quotes whole (a method ARN is at most 1,600 bytes).
pub const SHOWN_CHARS: usize = 2048;

/// At most [`SHOWN_ITEMS`] of `items` joined with `, `, then how many more there are: an explanation lists a
/// condition's values and a principal's entries once per request value and statement.
pub fn shown_list(items: impl ExactSizeIterator<Item = String>) -> String {
    let total = items.len();
    let mut out = items.take(SHOWN_ITEMS).collect::<Vec<_>>().join(", ");
    if total > SHOWN_ITEMS {
        let _ = write!(out, " and {} more", total - SHOWN_ITEMS);
    }
    out
}

/// How many items of a list an explanation names.
pub const SHOWN_ITEMS: usize = 20;

/// The explanation as text for a terminal.
pub fn render_text(decision: &Decision) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}{})",
        decision.decision.as_str(),
        decision.status_code,
        decision.response_type.map(|t| format!(" {t}")).unwrap_or_default()
    );
    if let Some(arn) = &decision.method_arn {
        let _ = writeln!(out, "  method ARN: {arn}");
    }
    let _ = writeln!(out, "  caller: {}", decision.caller);
    if let Some(message) = &decision.message {
        let _ = writeln!(out, "  message: {message}");
    }
    if let Some(body) = &decision.body {
        let _ = writeln!(out, "  body: {body}");
    }
    for d in &decision.decisive {
        let _ = writeln!(
            out,
            "  decided by: {} statement {}{} ({})",
            d.policy,
            d.index,
            d.sid.as_deref().map(|s| format!(" `{s}`")).unwrap_or_default(),
            d.effect
        );
    }
    if !decision.explanation.is_empty() {
        let _ = writeln!(out, "\nSteps:");
    }
    for (i, step) in decision.explanation.iter().enumerate() {
        let _ = writeln!(out, "{:>2}. [{}] {}: {}", i + 1, step.outcome, step.step, step.summary);
        for note in &step.notes {
            let _ = writeln!(out, "      note: {note}");
        }
        for st in &step.statements {
            let at = match (st.line, st.column) {
                (Some(l), Some(c)) => format!(" at {l}:{c}"),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "      {} {} #{}{} {}{}",
                if st.applies { "+" } else { "-" },
                st.policy,
                st.index,
                st.sid.as_deref().map(|s| format!(" `{s}`")).unwrap_or_default(),
                st.effect,
                at
            );
            for check in &st.checks {
                let _ = writeln!(
                    out,
                    "          {} {}: {}",
                    if check.matched { "ok  " } else { "FAIL" },
                    check.element,
                    check.detail
                );
            }
        }
    }
    for w in &decision.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_request_text_is_quoted_by_its_start_and_length() {
        let short = "é".repeat(SHOWN_CHARS);
        assert_eq!(shown(&short), short.as_str());
        let long = "é".repeat(SHOWN_CHARS + 1);
        let quoted = shown(&long);
        assert_eq!(quoted, format!("{}… ({} characters)", "é".repeat(SHOWN_CHARS / 2), SHOWN_CHARS + 1));
    }

    #[test]
    fn long_lists_name_their_first_items_and_count_the_rest() {
        let items = |n: usize| (0..n).map(|i| format!("v{i}")).collect::<Vec<_>>();
        assert_eq!(shown_list(items(3).into_iter()), "v0, v1, v2");
        assert_eq!(shown_list(items(SHOWN_ITEMS).into_iter()), items(SHOWN_ITEMS).join(", "));
        let listed = shown_list(items(SHOWN_ITEMS + 5).into_iter());
        assert_eq!(listed, format!("{} and 5 more", items(SHOWN_ITEMS).join(", ")));
    }
}
