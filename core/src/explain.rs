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
