//! Policy test suites: a scenario without `request`, plus `cases`, each with the decision fields it expects.

use serde::Serialize;

use crate::response::Decision;

/// One field of a case whose actual value differs from the expected one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub field: String,
    pub expected: serde_json::Value,
    pub actual: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseReport {
    pub name: String,
    pub description: Option<String>,
    pub passed: bool,
    pub decision: Decision,
    pub differences: Vec<Difference>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuiteReport {
    pub description: Option<String>,
    pub passed: usize,
    pub failed: usize,
    pub cases: Vec<CaseReport>,
}

impl SuiteReport {
    pub fn all_passed(&self) -> bool {
        self.failed == 0
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!(r#"{{"code":"internal","message":"{e}"}}"#))
    }
}
