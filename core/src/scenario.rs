//! The scenario JSON contract (scenario-format.md): reading it into typed values, with paths for every mistake.

/// One request, read once.
#[derive(Debug, Clone)]
pub struct Request {}
