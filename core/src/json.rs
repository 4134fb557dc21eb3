//! A JSON reader that remembers where every value came from.
//!
//! serde_json would keep the last of two duplicate keys and forget positions; AWS rejects duplicate keys and our
//! users need line and column for every mistake, so policies and scenarios are read into [`Json`] trees that
//! carry byte spans. Values that arrive already parsed (from JavaScript or Python) become the same tree with
//! empty spans, so everything after this module reads one representation.

use crate::error::Error;

/// Byte offsets `[start, end)` into the source text. [`Span::NONE`] for values that did not come from text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const NONE: Span = Span { start: u32::MAX, end: u32::MAX };

    pub fn is_none(&self) -> bool {
        self.start == u32::MAX
    }
}

/// Limits that keep hostile input from exhausting memory or the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted text, in bytes.
    pub max_bytes: usize,
    /// Deepest accepted nesting of arrays and objects.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_bytes: 8 * 1024 * 1024, max_depth: 64 }
    }
}

/// A JSON number, kept as written so that `"10"` and `10` in a condition read the same and nothing is rounded.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub text: String,
}

impl Number {
    pub fn as_f64(&self) -> Option<f64> {
        self.text.parse::<f64>().ok()
    }
    pub fn as_u64(&self) -> Option<u64> {
        self.text.parse::<u64>().ok()
    }
    pub fn as_i64(&self) -> Option<i64> {
        self.text.parse::<i64>().ok()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum JsonValue {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Json>),
    /// Members in source order. Keys are unique: the reader rejects duplicates.
    Object(Vec<(Key, Json)>),
}

/// A value with the span it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Json {
    pub value: JsonValue,
    pub span: Span,
}

/// Read JSON text. Errors (code `invalid-json`) carry the JSON path and line:column of the problem:
/// syntax errors, duplicate keys (`duplicate key `x``), nesting deeper than `limits.max_depth`, text longer
/// than `limits.max_bytes`, invalid escapes or lone surrogates, trailing characters.
pub fn parse(text: &str, limits: &Limits) -> Result<Json, Error> {
    let _ = (text, limits);
    Err(Error::internal("json::parse is not written yet"))
}

/// Convert an already-parsed value. Fails only when nesting is deeper than `limits.max_depth`.
pub fn from_value(value: &serde_json::Value, limits: &Limits) -> Result<Json, Error> {
    let _ = (value, limits);
    Err(Error::internal("json::from_value is not written yet"))
}

impl Json {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            JsonValue::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_array(&self) -> Option<&[Json]> {
        match &self.value {
            JsonValue::Array(items) => Some(items),
            _ => None,
        }
    }
    pub fn as_object(&self) -> Option<&[(Key, Json)]> {
        match &self.value {
            JsonValue::Object(members) => Some(members),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            JsonValue::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_number(&self) -> Option<&Number> {
        match &self.value {
            JsonValue::Number(n) => Some(n),
            _ => None,
        }
    }
    pub fn is_null(&self) -> bool {
        matches!(self.value, JsonValue::Null)
    }
    /// The member with exactly this key.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.as_object()?.iter().find(|(k, _)| k.name == key).map(|(_, v)| v)
    }
    /// What kind of value this is, for messages: "a string", "an object", ...
    pub fn kind(&self) -> &'static str {
        match &self.value {
            JsonValue::Null => "null",
            JsonValue::Bool(_) => "a boolean",
            JsonValue::Number(_) => "a number",
            JsonValue::String(_) => "a string",
            JsonValue::Array(_) => "an array",
            JsonValue::Object(_) => "an object",
        }
    }
    /// Back to a plain serde_json value (spans dropped).
    pub fn to_serde(&self) -> serde_json::Value {
        match &self.value {
            JsonValue::Null => serde_json::Value::Null,
            JsonValue::Bool(b) => serde_json::Value::Bool(*b),
            JsonValue::Number(n) => serde_json::from_str::<serde_json::Value>(&n.text)
                .unwrap_or_else(|_| serde_json::Value::String(n.text.clone())),
            JsonValue::String(s) => serde_json::Value::String(s.clone()),
            JsonValue::Array(items) => serde_json::Value::Array(items.iter().map(Json::to_serde).collect()),
            JsonValue::Object(members) => serde_json::Value::Object(
                members.iter().map(|(k, v)| (k.name.clone(), v.to_serde())).collect(),
            ),
        }
    }
}

/// Turns byte offsets into 1-based line and column (column counted in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    text: String,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0u32];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
        }
        LineIndex { line_starts, text: text.to_owned() }
    }

    /// 1-based (line, column) of a byte offset; offsets past the end land on the last position.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0) as usize;
        let end = (offset as usize).min(self.text.len());
        let column = self.text.get(start..end).map(|s| s.chars().count()).unwrap_or(end.saturating_sub(start));
        (u32::try_from(line + 1).unwrap_or(u32::MAX), u32::try_from(column + 1).unwrap_or(u32::MAX))
    }
}
