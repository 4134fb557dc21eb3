//! Reading typed values out of a [`Json`] tree, with the JSON path of every mistake.
//!
//! The path is a linked list on the stack ([`Ptr`]), rendered only when an error is made, so decoding a
//! valid document costs no string building.

use crate::error::{Error, ErrorCode};
use crate::json::{Json, JsonValue, Key, Span};

#[derive(Debug, Clone, Copy)]
enum Seg<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

/// A JSON pointer under construction: `/api/policy/Statement/1`.
#[derive(Debug, Clone, Copy)]
pub struct Ptr<'a> {
    parent: Option<&'a Ptr<'a>>,
    seg: Seg<'a>,
}

impl<'a> Ptr<'a> {
    pub const ROOT: Ptr<'static> = Ptr { parent: None, seg: Seg::Root };

    pub fn key(&'a self, key: &'a str) -> Ptr<'a> {
        Ptr { parent: Some(self), seg: Seg::Key(key) }
    }

    pub fn index(&'a self, index: usize) -> Ptr<'a> {
        Ptr { parent: Some(self), seg: Seg::Index(index) }
    }

    pub fn render(&self) -> String {
        let mut segs = Vec::new();
        let mut cur = Some(self);
        while let Some(p) = cur {
            segs.push(p.seg);
            cur = p.parent;
        }
        let mut out = String::new();
        for seg in segs.iter().rev() {
            match seg {
                Seg::Root => {}
                Seg::Key(k) => {
                    out.push('/');
                    out.push_str(&k.replace('~', "~0").replace('/', "~1"));
                }
                Seg::Index(i) => {
                    out.push('/');
                    out.push_str(&i.to_string());
                }
            }
        }
        out
    }

    pub fn error(&self, code: ErrorCode, message: impl Into<String>, span: Span) -> Error {
        Error::new(code, message, self.render()).with_span(span)
    }
}

/// Reads one JSON object, member by member, and complains about members nobody asked for.
pub struct Fields<'j> {
    members: &'j [(Key, Json)],
    taken: Vec<bool>,
    span: Span,
    code: ErrorCode,
}

impl<'j> Fields<'j> {
    /// `what` names the object in the message when the value is not an object ("the api", "a statement").
    pub fn new(json: &'j Json, ptr: &Ptr<'_>, code: ErrorCode, what: &str) -> Result<Self, Error> {
        match &json.value {
            JsonValue::Object(members) => {
                Ok(Fields { members, taken: vec![false; members.len()], span: json.span, code })
            }
            _ => Err(ptr.error(code, format!("{what} must be an object, found {}", json.kind()), json.span)),
        }
    }

    pub fn span(&self) -> Span {
        self.span
    }

    /// The member named exactly `name`, marked as read.
    pub fn take(&mut self, name: &str) -> Option<&'j Json> {
        let members = self.members;
        for (i, (key, value)) in members.iter().enumerate() {
            if key.name == name {
                if let Some(t) = self.taken.get_mut(i) {
                    *t = true;
                }
                return Some(value);
            }
        }
        None
    }

    /// Like [`Fields::take`], but a JSON `null` counts as absent.
    pub fn take_non_null(&mut self, name: &str) -> Option<&'j Json> {
        self.take(name).filter(|v| !v.is_null())
    }

    /// A member that must be there.
    pub fn require(&mut self, name: &str, ptr: &Ptr<'_>) -> Result<&'j Json, Error> {
        match self.take(name) {
            Some(v) if !v.is_null() => Ok(v),
            _ => Err(ptr.error(self.code, format!("missing required field `{name}`"), self.span)),
        }
    }

    /// Marks members that are accepted but carry nothing we use (fields of AWS exports).
    pub fn ignore(&mut self, names: &[&str]) {
        for name in names {
            self.take(name);
        }
    }

    /// Every member not read so far is an error naming it and what was expected.
    pub fn finish(self, ptr: &Ptr<'_>, expected: &[&str]) -> Result<(), Error> {
        for (i, (key, _)) in self.members.iter().enumerate() {
            if !self.taken.get(i).copied().unwrap_or(true) {
                let list = expected.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ");
                return Err(ptr.key(&key.name).error(
                    self.code,
                    format!("unknown field `{}`, expected one of {list}", key.name),
                    key.span,
                ));
            }
        }
        Ok(())
    }
}

pub fn expect_str<'j>(json: &'j Json, ptr: &Ptr<'_>, code: ErrorCode) -> Result<&'j str, Error> {
    json.as_str().ok_or_else(|| ptr.error(code, format!("expected a string, found {}", json.kind()), json.span))
}

pub fn expect_bool(json: &Json, ptr: &Ptr<'_>, code: ErrorCode) -> Result<bool, Error> {
    json.as_bool().ok_or_else(|| ptr.error(code, format!("expected a boolean, found {}", json.kind()), json.span))
}

pub fn expect_array<'j>(json: &'j Json, ptr: &Ptr<'_>, code: ErrorCode) -> Result<&'j [Json], Error> {
    json.as_array().ok_or_else(|| ptr.error(code, format!("expected an array, found {}", json.kind()), json.span))
}

pub fn expect_u64(json: &Json, ptr: &Ptr<'_>, code: ErrorCode) -> Result<u64, Error> {
    json.as_number()
        .and_then(|n| n.as_u64())
        .ok_or_else(|| ptr.error(code, format!("expected a whole number, found {}", json.kind()), json.span))
}

/// A string or an array of strings (the IAM "single value may be written without brackets" rule).
pub fn string_or_list<'j>(json: &'j Json, ptr: &Ptr<'_>, code: ErrorCode) -> Result<Vec<(&'j str, Span)>, Error> {
    match &json.value {
        JsonValue::String(s) => Ok(vec![(s.as_str(), json.span)]),
        JsonValue::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let p = ptr.index(i);
                expect_str(item, &p, code).map(|s| (s, item.span))
            })
            .collect(),
        _ => {
            Err(ptr.error(code, format!("expected a string or an array of strings, found {}", json.kind()), json.span))
        }
    }
}

/// A map of strings (headers, query strings, stage variables, tags).
pub fn string_map(json: &Json, ptr: &Ptr<'_>, code: ErrorCode) -> Result<Vec<(String, String)>, Error> {
    if json.is_null() {
        return Ok(Vec::new());
    }
    let members = json
        .as_object()
        .ok_or_else(|| ptr.error(code, format!("expected an object of strings, found {}", json.kind()), json.span))?;
    members
        .iter()
        .map(|(k, v)| {
            let p = ptr.key(&k.name);
            expect_str(v, &p, code).map(|s| (k.name.clone(), s.to_owned()))
        })
        .collect()
}
