//! JavaScript bindings (placeholder).
