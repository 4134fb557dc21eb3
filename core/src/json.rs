//! A JSON reader that remembers where every value came from.
//!
//! serde_json would keep the last of two duplicate keys and forget positions; AWS rejects duplicate keys and our
//! users need line and column for every mistake, so policies and scenarios are read into [`Json`] trees that
//! carry byte spans. Values that arrive already parsed (from JavaScript or Python) become the same tree with
//! empty spans, so everything after this module reads one representation.

use std::borrow::Cow;
use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};

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
pub struct Key<'t> {
    /// Borrowed from the text (or the parsed value) unless it held an escape.
    pub name: Cow<'t, str>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum JsonValue<'t> {
    Null,
    Bool(bool),
    Number(Number),
    /// Borrowed from the text (or the parsed value) unless it held an escape: most strings are copied only
    /// when the engine keeps them.
    String(Cow<'t, str>),
    Array(Vec<Json<'t>>),
    /// Members in source order. Keys are unique: the reader rejects duplicates.
    Object(Vec<(Key<'t>, Json<'t>)>),
}

/// How [`Json::compact_len`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthUnit {
    Chars,
    Bytes,
}

/// A value with the span it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Json<'t> {
    pub value: JsonValue<'t>,
    pub span: Span,
}

/// Bytes as JSON text, which is UTF-8 (RFC 8259): otherwise an `invalid-json` error at the line and column of
/// the first byte that is not. Every front that takes bytes (files, `Uint8Array`, Python `bytes`) reads them
/// here, so all give the same error.
pub fn utf8_text(bytes: &[u8]) -> Result<&str, Error> {
    std::str::from_utf8(bytes).map_err(|e| {
        // The prefix up to the first bad byte is valid UTF-8 by definition; count its lines and characters.
        let valid = bytes.get(..e.valid_up_to()).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or_default();
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().map_or(0, |last| last.chars().count()) + 1;
        let mut error = Error::invalid_json("the input is not UTF-8 text", "")
            .with_help("JSON text must be encoded as UTF-8; convert the file, e.g. with `iconv -t UTF-8`");
        error.line = u32::try_from(line).ok();
        error.column = u32::try_from(column).ok();
        error
    })
}

/// An object's keys are compared with each earlier key up to this many members, then found through a set of
/// their hashes: comparing every pair made an object of n keys cost n²/2 comparisons (100,000 keys, 1.3 MB of
/// text: 21 seconds), which any input under the size limit could ask for.
const KEY_SET_AFTER: usize = 16;

/// Read JSON text. Errors (code `invalid-json`) carry the JSON path and line:column of the problem:
/// syntax errors, duplicate keys (`duplicate key `x``), nesting deeper than `limits.max_depth`, text longer
/// than `limits.max_bytes`, invalid escapes or lone surrogates, trailing characters.
pub fn parse<'t>(text: &'t str, limits: &Limits) -> Result<Json<'t>, Error> {
    if text.len() > limits.max_bytes {
        return Err(Error::invalid_json(
            format!("the input is {} bytes, more than the limit of {}", text.len(), limits.max_bytes),
            "",
        ));
    }
    let mut reader = Reader { text, bytes: text.as_bytes(), pos: 0, limits: *limits };
    let read = |reader: &mut Reader<'t>| -> Result<Json<'t>, Error> {
        reader.skip_ws();
        let value = reader.value(0)?;
        reader.skip_ws();
        if reader.pos < reader.bytes.len() {
            return Err(reader.error_here("unexpected text after the JSON value"));
        }
        Ok(value)
    };
    // The reader has the text, so its errors leave with line and column already.
    read(&mut reader).map_err(|e: Error| e.locate(&LineIndex::new(text)))
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    limits: Limits,
}

/// Put an error found inside a member or element under that member's path. Errors are rare, so the path is
/// built as an error travels out, instead of keeping a copy of every key on the way in.
fn under_key(mut error: Error, key: &str) -> Error {
    error.path = format!("/{}{}", key.replace('~', "~0").replace('/', "~1"), error.path);
    error
}

fn under_index(mut error: Error, index: usize) -> Error {
    error.path = format!("/{index}{}", error.path);
    error
}

fn offset(pos: usize) -> u32 {
    u32::try_from(pos).unwrap_or(u32::MAX - 1)
}

impl<'t> Reader<'t> {
    fn error_at(&self, message: impl Into<String>, start: usize, end: usize) -> Error {
        Error::invalid_json(message, "").with_span(Span { start: offset(start), end: offset(end) })
    }

    fn error_here(&self, message: impl Into<String>) -> Error {
        self.error_at(message, self.pos, self.pos + 1)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// What the reader found, for "expected X, found Y" messages.
    fn found(&self) -> String {
        match self.text.get(self.pos..).and_then(|rest| rest.chars().next()) {
            None => String::from("the end of the input"),
            Some(c) => format!("`{c}`"),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json<'t>, Error> {
        let start = self.pos;
        let value = match self.peek() {
            None => return Err(self.error_here("expected a JSON value, found the end of the input")),
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => JsonValue::String(self.string()?),
            Some(b't') => self.literal("true", JsonValue::Bool(true))?,
            Some(b'f') => self.literal("false", JsonValue::Bool(false))?,
            Some(b'n') => self.literal("null", JsonValue::Null)?,
            Some(b'-' | b'0'..=b'9') => JsonValue::Number(self.number()?),
            Some(_) => return Err(self.error_here(format!("expected a JSON value, found {}", self.found()))),
        };
        Ok(Json { value, span: Span { start: offset(start), end: offset(self.pos) } })
    }

    fn literal(&mut self, word: &str, value: JsonValue<'t>) -> Result<JsonValue<'t>, Error> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error_here(format!("expected a JSON value, found {}", self.found())))
        }
    }

    fn enter(&self, depth: usize) -> Result<(), Error> {
        if depth >= self.limits.max_depth {
            return Err(self.error_here(too_deep_message(&self.limits)));
        }
        Ok(())
    }

    fn object(&mut self, depth: usize) -> Result<JsonValue<'t>, Error> {
        self.enter(depth)?;
        self.pos += 1; // `{`
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(JsonValue::Object(Vec::new()));
        }
        // Room for the members of a typical request or statement, so that reading one grows the vector at most
        // once.
        let mut members: Vec<(Key<'t>, Json<'t>)> = Vec::with_capacity(8);
        // Past KEY_SET_AFTER members, the hashes of the keys so far, so that finding a duplicate stays linear.
        let mut key_hashes: Option<(RandomState, HashSet<u64>)> = None;
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                let what = if self.peek() == Some(b'}') { "a trailing comma" } else { "" };
                return Err(if what.is_empty() {
                    self.error_here(format!("expected a quoted key, found {}", self.found()))
                } else {
                    self.error_here("expected a quoted key after `,`, found `}`: JSON does not allow a trailing comma")
                });
            }
            let key_start = self.pos;
            let name = self.string()?;
            let key_span = Span { start: offset(key_start), end: offset(self.pos) };
            let duplicate = match &mut key_hashes {
                None => members.iter().any(|(k, _)| k.name == name),
                // A hash seen before is a duplicate or, rarely, a collision: only then are the keys compared.
                Some((state, hashes)) => {
                    !hashes.insert(state.hash_one(name.as_ref())) && members.iter().any(|(k, _)| k.name == name)
                }
            };
            if duplicate {
                let err = self.error_at(
                    format!("duplicate key `{name}`: a JSON object may name each key once"),
                    key_start,
                    self.pos,
                );
                return Err(under_key(err, &name).with_help(
                    "AWS rejects a policy with a duplicate key; a parser that keeps the last one hides a mistake",
                ));
            }
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.error_here(format!("expected `:` after the key `{name}`, found {}", self.found())));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth + 1).map_err(|e| under_key(e, &name))?;
            members.push((Key { name, span: key_span }, value));
            if key_hashes.is_none() && members.len() == KEY_SET_AFTER {
                let state = RandomState::new();
                let hashes = members.iter().map(|(k, _)| state.hash_one(k.name.as_ref())).collect();
                key_hashes = Some((state, hashes));
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(JsonValue::Object(members));
                }
                _ => return Err(self.error_here(format!("expected `,` or `}}` in an object, found {}", self.found()))),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<JsonValue<'t>, Error> {
        self.enter(depth)?;
        self.pos += 1; // `[`
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(JsonValue::Array(items));
        }
        loop {
            self.skip_ws();
            if self.peek() == Some(b']') {
                return Err(
                    self.error_here("expected a value after `,`, found `]`: JSON does not allow a trailing comma")
                );
            }
            let value = self.value(depth + 1).map_err(|e| under_index(e, items.len()))?;
            items.push(value);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(JsonValue::Array(items));
                }
                _ => return Err(self.error_here(format!("expected `,` or `]` in an array, found {}", self.found()))),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let digits = self.bytes.get(self.pos..self.pos + 4).unwrap_or(&[]);
        let text = std::str::from_utf8(digits).unwrap_or("");
        match (text.len(), u32::from_str_radix(text, 16)) {
            (4, Ok(n)) if text.bytes().all(|b| b.is_ascii_hexdigit()) => {
                self.pos += 4;
                Ok(n)
            }
            _ => Err(self.error_at(
                "invalid `\\u` escape: expected four hex digits",
                self.pos.saturating_sub(2),
                self.pos,
            )),
        }
    }

    fn string(&mut self) -> Result<Cow<'t, str>, Error> {
        let start = self.pos;
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            // Copy the run of plain characters at once.
            let run_start = self.pos;
            let rest = self.bytes.get(self.pos..).unwrap_or(&[]);
            self.pos += rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(rest.len());
            // Most strings have no escape: copy them once, at their exact size.
            if out.is_empty() && self.peek() == Some(b'"') {
                let run = self.text.get(run_start..self.pos).unwrap_or("");
                self.pos += 1;
                return Ok(Cow::Borrowed(run));
            }
            if let Some(run) = self.text.get(run_start..self.pos) {
                out.push_str(run);
            }
            match self.peek() {
                None => return Err(self.error_at("a string is not closed: missing `\"`", start, self.pos)),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    let escape_start = self.pos;
                    self.pos += 1;
                    let Some(e) = self.peek() else {
                        return Err(self.error_at("a string is not closed: missing `\"`", start, self.pos));
                    };
                    self.pos += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let first = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&first) {
                                if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                                    return Err(self.error_at(
                                        "a lone UTF-16 surrogate in a `\\u` escape",
                                        escape_start,
                                        self.pos,
                                    ));
                                }
                                self.pos += 2;
                                let second = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&second) {
                                    return Err(self.error_at(
                                        "a lone UTF-16 surrogate in a `\\u` escape",
                                        escape_start,
                                        self.pos,
                                    ));
                                }
                                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                            } else if (0xDC00..0xE000).contains(&first) {
                                return Err(self.error_at(
                                    "a lone UTF-16 surrogate in a `\\u` escape",
                                    escape_start,
                                    self.pos,
                                ));
                            } else {
                                first
                            };
                            match char::from_u32(code) {
                                Some(c) => out.push(c),
                                None => return Err(self.error_at("an invalid `\\u` escape", escape_start, self.pos)),
                            }
                        }
                        _ => {
                            return Err(self.error_at(
                                format!("invalid escape `\\{}` in a string", char::from(e).escape_default()),
                                escape_start,
                                self.pos,
                            ))
                        }
                    }
                }
                Some(_) => {
                    return Err(self.error_here("a control character inside a string must be escaped (e.g. `\\n`)"));
                }
            }
        }
    }

    fn number(&mut self) -> Result<Number, Error> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                while let Some(b'0'..=b'9') = self.peek() {
                    self.pos += 1;
                }
            }
            _ => return Err(self.error_at("invalid number: expected a digit", start, self.pos + 1)),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error_at("invalid number: expected a digit after `.`", start, self.pos + 1));
            }
            while let Some(b'0'..=b'9') = self.peek() {
                self.pos += 1;
            }
        }
        let exponent = matches!(self.peek(), Some(b'e' | b'E'));
        if exponent {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error_at("invalid number: expected a digit in the exponent", start, self.pos + 1));
            }
            while let Some(b'0'..=b'9') = self.peek() {
                self.pos += 1;
            }
        }
        if matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(self.error_at("invalid number: a leading zero must stand alone", start, self.pos + 1));
        }
        let text = self.text.get(start..self.pos).unwrap_or("0");
        // A number past the largest double (about 1.8e308) is infinity to JavaScript and Python and an error to
        // serde_json: refuse it here too, so that text and values read the same everywhere. Only an exponent or
        // more than 300 characters can reach it, so other numbers are not parsed.
        if (exponent || text.len() > 300) && !text.parse::<f64>().is_ok_and(f64::is_finite) {
            return Err(self.error_at(
                "number out of range: larger than any 64-bit floating-point number (about 1.8e308)",
                start,
                self.pos,
            ));
        }
        Ok(Number { text: text.to_owned() })
    }
}

/// The message of every nesting error: text, values and trees are held to the same depth.
fn too_deep_message(limits: &Limits) -> String {
    format!("nesting deeper than the limit of {} levels", limits.max_depth)
}

/// Check that a tree built by a front ([`crate::Input::Tree`]) is no deeper than `limits.max_depth`, with the
/// error and path [`from_value`] gives.
pub fn check_depth(json: &Json<'_>, limits: &Limits) -> Result<(), Error> {
    fn walk(json: &Json<'_>, depth: usize, limits: &Limits) -> Result<(), Error> {
        let too_deep = || Error::invalid_json(too_deep_message(limits), "");
        match &json.value {
            JsonValue::Array(items) => {
                if depth >= limits.max_depth {
                    return Err(too_deep());
                }
                for (i, item) in items.iter().enumerate() {
                    walk(item, depth + 1, limits).map_err(|e| under_index(e, i))?;
                }
            }
            JsonValue::Object(members) => {
                if depth >= limits.max_depth {
                    return Err(too_deep());
                }
                for (key, value) in members {
                    walk(value, depth + 1, limits).map_err(|e| under_key(e, &key.name))?;
                }
            }
            _ => {}
        }
        Ok(())
    }
    walk(json, 0, limits)
}

/// Convert an already-parsed value. Fails only when nesting is deeper than `limits.max_depth`.
pub fn from_value<'v>(value: &'v serde_json::Value, limits: &Limits) -> Result<Json<'v>, Error> {
    fn convert<'v>(value: &'v serde_json::Value, depth: usize, limits: &Limits) -> Result<Json<'v>, Error> {
        let too_deep = || Error::invalid_json(too_deep_message(limits), "");
        let value = match value {
            serde_json::Value::Null => JsonValue::Null,
            serde_json::Value::Bool(b) => JsonValue::Bool(*b),
            serde_json::Value::Number(n) => JsonValue::Number(Number { text: n.to_string() }),
            serde_json::Value::String(s) => JsonValue::String(Cow::Borrowed(s)),
            serde_json::Value::Array(items) => {
                if depth >= limits.max_depth {
                    return Err(too_deep());
                }
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    out.push(convert(item, depth + 1, limits).map_err(|e| under_index(e, i))?);
                }
                JsonValue::Array(out)
            }
            serde_json::Value::Object(members) => {
                if depth >= limits.max_depth {
                    return Err(too_deep());
                }
                let mut out = Vec::with_capacity(members.len());
                for (k, v) in members {
                    let converted = convert(v, depth + 1, limits).map_err(|e| under_key(e, k))?;
                    out.push((Key { name: Cow::Borrowed(k), span: Span::NONE }, converted));
                }
                JsonValue::Object(out)
            }
        };
        Ok(Json { value, span: Span::NONE })
    }
    convert(value, 0, limits)
}

impl<'t> Json<'t> {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            JsonValue::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_array(&self) -> Option<&[Json<'t>]> {
        match &self.value {
            JsonValue::Array(items) => Some(items),
            _ => None,
        }
    }
    pub fn as_object(&self) -> Option<&[(Key<'t>, Json<'t>)]> {
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
    pub fn get(&self, key: &str) -> Option<&Json<'t>> {
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
    /// The length of the value written as compact JSON (no white space outside strings, serde_json's
    /// escapes), in characters or in bytes, computed without writing it: AWS counts policy size this way, and
    /// the authorizer result's 8 KB limit too.
    pub fn compact_len(&self, unit: LengthUnit) -> usize {
        fn string_len(s: &str, unit: LengthUnit) -> usize {
            // Counted with branch-free passes the compiler vectorises; the per-byte escape lengths only for the
            // rare string that has something to escape. A character counts once, at its first byte (UTF-8
            // continuation bytes are 0b10xxxxxx); an escaped byte is ASCII, one character and one byte.
            let bytes = s.as_bytes();
            let base = match unit {
                LengthUnit::Bytes => bytes.len(),
                LengthUnit::Chars => bytes.iter().filter(|&&b| (b as i8) >= -0x40).count(),
            };
            let special = bytes.iter().filter(|&&b| b < 0x20 || b == b'"' || b == b'\\').count();
            if special == 0 {
                return 2 + base;
            }
            let extra: usize = bytes
                .iter()
                .map(|&b| match b {
                    b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 1,
                    0x00..=0x1f => 5,
                    _ => 0,
                })
                .sum();
            2 + base + extra
        }
        match &self.value {
            JsonValue::Null => 4,
            JsonValue::Bool(true) => 4,
            JsonValue::Bool(false) => 5,
            JsonValue::Number(n) => n.text.len(),
            JsonValue::String(s) => string_len(s, unit),
            JsonValue::Array(items) => {
                2 + items.iter().map(|i| i.compact_len(unit)).sum::<usize>() + items.len().saturating_sub(1)
            }
            JsonValue::Object(members) => {
                2 + members.iter().map(|(k, v)| string_len(&k.name, unit) + 1 + v.compact_len(unit)).sum::<usize>()
                    + members.len().saturating_sub(1)
            }
        }
    }

    /// [`Json::compact_len`] when it is over `limit`, `None` when it is not: counted only when that is in doubt.
    /// Written compactly, a value read from text is never longer than that text (white space goes, escapes only
    /// shrink or stay, numbers are kept as written), and a character is at least a byte; a value without text
    /// is settled by [`Json::compact_len_bound`] when that is within the limit.
    pub fn compact_len_over(&self, limit: usize, unit: LengthUnit) -> Option<usize> {
        let source_len = (!self.span.is_none()).then(|| self.span.end.saturating_sub(self.span.start) as usize);
        if source_len.is_some_and(|len| len <= limit) || self.compact_len_bound() <= limit {
            return None;
        }
        Some(self.compact_len(unit)).filter(|&len| len > limit)
    }

    /// A bound [`Json::compact_len`] in bytes never exceeds, found without looking at the strings' bytes (an
    /// escape writes at most six bytes for one): enough to tell that a small value is within a limit.
    pub fn compact_len_bound(&self) -> usize {
        match &self.value {
            JsonValue::Null | JsonValue::Bool(_) => 5,
            JsonValue::Number(n) => n.text.len(),
            JsonValue::String(s) => 2 + 6 * s.len(),
            JsonValue::Array(items) => 2 + items.iter().map(|i| 1 + i.compact_len_bound()).sum::<usize>(),
            JsonValue::Object(members) => {
                2 + members.iter().map(|(k, v)| 4 + 6 * k.name.len() + v.compact_len_bound()).sum::<usize>()
            }
        }
    }

    /// Back to a plain serde_json value (spans dropped).
    pub fn to_serde(&self) -> serde_json::Value {
        match &self.value {
            JsonValue::Null => serde_json::Value::Null,
            JsonValue::Bool(b) => serde_json::Value::Bool(*b),
            JsonValue::Number(n) => serde_json::from_str::<serde_json::Value>(&n.text)
                .unwrap_or_else(|_| serde_json::Value::String(n.text.clone())),
            JsonValue::String(s) => serde_json::Value::String(s.to_string()),
            JsonValue::Array(items) => serde_json::Value::Array(items.iter().map(Json::to_serde).collect()),
            JsonValue::Object(members) => {
                serde_json::Value::Object(members.iter().map(|(k, v)| (k.name.to_string(), v.to_serde())).collect())
            }
        }
    }
}

/// Turns byte offsets into 1-based line and column (column counted in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex<'t> {
    text: &'t str,
    /// Computed on first use: most inputs are read without an error, and a statement's position is only asked
    /// for when a decision is explained.
    positions: std::cell::OnceCell<Positions>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Positions {
    line_starts: Vec<u32>,
    /// For text that is not all ASCII: (byte offset at a character boundary, characters before it) every
    /// [`CHECKPOINT_BYTES`], so that a column is counted from the nearest one, not from the start of its line. A
    /// program writes JSON on one line, and counting from there made every position cost the length of the
    /// text before it (100,000 statements: 15 s).
    checkpoints: Vec<(u32, u32)>,
    ascii: bool,
}

const CHECKPOINT_BYTES: usize = 4096;

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        LineIndex { text, positions: std::cell::OnceCell::new() }
    }

    fn positions(&self) -> &Positions {
        self.positions.get_or_init(|| {
            let text = self.text;
            // `match_indices` of a single byte searches a word at a time: most texts a program wrote are one line.
            let mut line_starts = vec![0u32];
            line_starts.extend(text.match_indices('\n').map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)));
            let ascii = text.is_ascii();
            let mut checkpoints = Vec::new();
            if !ascii {
                let (mut at, mut chars) = (0usize, 0usize);
                checkpoints.push((0, 0));
                while at + CHECKPOINT_BYTES < text.len() {
                    let mut next = at + CHECKPOINT_BYTES;
                    while !text.is_char_boundary(next) {
                        next += 1;
                    }
                    chars += text.get(at..next).map_or(0, |run| run.chars().count());
                    at = next;
                    checkpoints.push((u32::try_from(at).unwrap_or(u32::MAX), u32::try_from(chars).unwrap_or(u32::MAX)));
                }
            }
            Positions { line_starts, checkpoints, ascii }
        })
    }

    /// Characters before byte `offset` (a character boundary) of the text.
    fn chars_before(&self, positions: &Positions, offset: usize) -> usize {
        if positions.ascii {
            return offset;
        }
        let at = match positions.checkpoints.binary_search_by_key(&offset, |&(byte, _)| byte as usize) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let (byte, chars) = positions.checkpoints.get(at).map_or((0, 0), |&(b, c)| (b as usize, c as usize));
        chars + self.text.get(byte..offset).map_or(offset.saturating_sub(byte), |run| run.chars().count())
    }

    /// 1-based (line, column) of a byte offset; offsets past the end land on the last position.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let positions = self.positions();
        let line = match positions.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = positions.line_starts.get(line).copied().unwrap_or(0) as usize;
        let end = (offset as usize).min(self.text.len());
        let column = if self.text.is_char_boundary(end) {
            self.chars_before(positions, end).saturating_sub(self.chars_before(positions, start))
        } else {
            end.saturating_sub(start)
        };
        (u32::try_from(line + 1).unwrap_or(u32::MAX), u32::try_from(column + 1).unwrap_or(u32::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> Error {
        parse(text, &Limits::default()).err().unwrap_or_else(|| Error::internal("parsed"))
    }

    #[test]
    fn keeps_spans_and_order() {
        let json = parse("{\"b\": [1, 2.5e3], \"a\": \"x\\u00e9\\ud83d\\ude00\"}", &Limits::default()).ok();
        let members = json.as_ref().and_then(Json::as_object).unwrap_or(&[]);
        let names: Vec<&str> = members.iter().map(|(k, _)| k.name.as_ref()).collect();
        assert_eq!(names, ["b", "a"]);
        assert_eq!(json.as_ref().and_then(|j| j.get("a")).and_then(Json::as_str), Some("x\u{e9}\u{1F600}"));
        assert_eq!(json.as_ref().and_then(|j| j.get("b")).map(|b| b.span), Some(Span { start: 6, end: 16 }));
    }

    #[test]
    fn errors_carry_path_line_and_column() {
        let e = error("{\n  \"a\": {\"x\": 1,\n        \"x\": 2}}");
        assert_eq!((e.path.as_str(), e.line, e.column), ("/a/x", Some(3), Some(9)));
        assert!(e.message.starts_with("duplicate key `x`"));
        let e = error("{\"a\": [1, 2,]}");
        assert_eq!((e.path.as_str(), e.line, e.column), ("/a", Some(1), Some(13)));
        assert!(e.message.contains("trailing comma"));
        for bad in ["", "{", "[1 2]", "01", "\"\\x\"", "\"\\ud800\"", "tru", "{} x", "\"a\nb\"", "-", "1.", "1e"] {
            assert_eq!(error(bad).code, crate::error::ErrorCode::InvalidJson, "{bad:?}");
        }
    }

    #[test]
    fn numbers_past_the_largest_double_are_refused_as_serde_json_refuses_them() {
        let huge_integer = format!("1{}", "0".repeat(309));
        let large_integer = format!("1{}", "0".repeat(307));
        for text in [
            "1e308",
            "1.7976931348623157e308",
            "-1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1e309",
            "-1e400",
            "1949999501991949999501937410E4666666",
            "1e-400",
            "0e999999",
            "123.5E+2",
            huge_integer.as_str(),
            large_integer.as_str(),
        ] {
            let ours = parse(text, &Limits::default());
            let serde = serde_json::from_str::<serde_json::Value>(text);
            assert_eq!(ours.is_ok(), serde.is_ok(), "{text}");
            if let Err(e) = ours {
                assert!(e.message.starts_with("number out of range"), "{text}: {}", e.message);
                assert_eq!((e.line, e.column), (Some(1), Some(1)), "{text}");
            }
        }
    }

    #[test]
    fn duplicate_keys_are_found_before_and_after_the_key_set_starts() {
        // Up to KEY_SET_AFTER members keys are compared one by one, after that through hashes: the same
        // duplicates must be found either way, escaped or not, and distinct keys never called duplicates.
        let object = |keys: &[String]| {
            format!("{{{}}}", keys.iter().map(|k| format!("\"{k}\": 1")).collect::<Vec<_>>().join(","))
        };
        for count in [3, KEY_SET_AFTER - 1, KEY_SET_AFTER, KEY_SET_AFTER + 1, 1000] {
            let keys: Vec<String> = (0..count).map(|i| format!("k{i}")).collect();
            let text = object(&keys);
            let json = parse(&text, &Limits::default()).unwrap_or_else(|e| panic!("{count}: {e:?}"));
            assert_eq!(json.as_object().map(<[_]>::len), Some(count));
            // (the key written again, the key the error names): the last, a middle one, and `k0` escaped.
            let last = format!("k{}", count - 1);
            let middle = format!("k{}", count / 2);
            for (again, named) in [(last.as_str(), last.as_str()), (&middle, &middle), ("k\\u0030", "k0")] {
                let mut keys = keys.clone();
                keys.push(again.to_owned());
                let e = error(&object(&keys));
                assert!(e.message.starts_with(&format!("duplicate key `{named}`")), "{count}, {again}: {}", e.message);
                assert_eq!(e.path, format!("/{named}"), "{count}, {again}");
            }
        }
    }

    #[test]
    fn line_and_column_agree_with_counting_from_the_line_start() {
        // The index counts columns from checkpoints every 4 KB of text that is not ASCII: it must give what
        // counting the characters from the start of the line gives, at every character boundary.
        let naive = |text: &str, offset: usize| {
            let before = text.get(..offset).unwrap_or("");
            let line = before.matches('\n').count() + 1;
            let start = before.rfind('\n').map_or(0, |i| i + 1);
            (line as u32, (before.get(start..).unwrap_or("").chars().count() + 1) as u32)
        };
        let one_line: String = (0..6000).map(|i| ["a", "é", "𝄞", "€x"][i % 4]).collect();
        let lines: String = (0..3000).map(|i| ["ab", "é\n", "𝄞", "\n", "€"][i % 5]).collect();
        let ascii: String = (0..20_000).map(|i| if i % 97 == 0 { '\n' } else { 'q' }).collect();
        for text in [one_line.as_str(), lines.as_str(), ascii.as_str(), "", "é"] {
            let index = LineIndex::new(text);
            for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
                assert_eq!(index.line_col(offset as u32), naive(text, offset), "offset {offset} of {}", text.len());
            }
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_are_refused_where_they_go_wrong() {
        assert_eq!(utf8_text(b"{\"a\": 1}").ok(), Some("{\"a\": 1}"));
        let e = utf8_text(b"{\n  \"\xc3\xa9t\xc3\xa9\": \"\xff\"}").err().unwrap_or_else(|| Error::internal(""));
        assert_eq!(e.message, "the input is not UTF-8 text");
        assert_eq!((e.line, e.column), (Some(2), Some(11)));
    }

    #[test]
    fn compact_length_is_what_serde_json_writes() {
        for text in [
            r#"{"a": [1, true, null, "x\"y\\z\n\u0001é"], "b": {}, "c": [], "d": -15}"#,
            "\"\"",
            "[ ]",
            r#"{"€𝄞\u001f/\u007f": ["\t\b\f\r", "ß€𝄞 mixed ascii"]}"#,
        ] {
            let json = parse(text, &Limits::default()).unwrap_or(Json { value: JsonValue::Null, span: Span::NONE });
            let written = serde_json::to_string(&json.to_serde()).unwrap_or_default();
            assert_eq!(json.compact_len(LengthUnit::Bytes), written.len(), "{text}");
            assert_eq!(json.compact_len(LengthUnit::Chars), written.chars().count(), "{text}");
            assert!(json.compact_len_bound() >= written.len(), "{text}");
        }
    }

    #[test]
    fn limits_hold() {
        let deep = format!("{}{}", "[".repeat(65), "]".repeat(65));
        assert!(error(&deep).message.contains("nesting deeper"));
        let ok = format!("{}{}", "[".repeat(64), "]".repeat(64));
        assert!(parse(&ok, &Limits::default()).is_ok());
        let small = Limits { max_bytes: 4, max_depth: 64 };
        assert!(parse("[1,2]", &small).is_err());
        let value: serde_json::Value = serde_json::json!({"k": [[[1]]]});
        assert!(from_value(&value, &Limits { max_bytes: 10, max_depth: 3 }).is_err());
        assert!(from_value(&value, &Limits { max_bytes: 10, max_depth: 4 }).is_ok());
    }
}
