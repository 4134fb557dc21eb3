//! Reading typed values out of a [`Json`] tree, with the JSON path of every mistake.
//!
//! The path is a linked list on the stack ([`Ptr`]), rendered only when an error is made, so decoding a
//! valid document costs no string building.

use std::collections::HashSet;

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
    members: &'j [(Key<'j>, Json<'j>)],
    taken: Taken,
    span: Span,
    code: ErrorCode,
}

/// Which members have been read: bits for the objects of the contract (a few members each), so that reading one
/// allocates nothing; a vector only for an object of more than 64 members.
enum Taken {
    Bits(u64),
    Many(Vec<bool>),
}

impl Taken {
    fn new(members: usize) -> Taken {
        if members <= 64 {
            Taken::Bits(0)
        } else {
            Taken::Many(vec![false; members])
        }
    }

    fn set(&mut self, i: usize) {
        match self {
            Taken::Bits(bits) => *bits |= 1u64.checked_shl(i as u32).unwrap_or(0),
            Taken::Many(taken) => {
                if let Some(t) = taken.get_mut(i) {
                    *t = true;
                }
            }
        }
    }

    fn get(&self, i: usize) -> bool {
        match self {
            Taken::Bits(bits) => 1u64.checked_shl(i as u32).is_some_and(|bit| bits & bit != 0),
            Taken::Many(taken) => taken.get(i).copied().unwrap_or(true),
        }
    }
}

impl<'j> Fields<'j> {
    /// `what` names the object in the message when the value is not an object ("the api", "a statement").
    pub fn new(json: &'j Json<'j>, ptr: &Ptr<'_>, code: ErrorCode, what: &str) -> Result<Self, Error> {
        match &json.value {
            JsonValue::Object(members) => {
                Ok(Fields { members, taken: Taken::new(members.len()), span: json.span, code })
            }
            _ => Err(ptr.error(code, format!("{what} must be an object, found {}", json.kind()), json.span)),
        }
    }

    pub fn span(&self) -> Span {
        self.span
    }

    /// The member named exactly `name`, marked as read.
    pub fn take(&mut self, name: &str) -> Option<&'j Json<'j>> {
        let members = self.members;
        for (i, (key, value)) in members.iter().enumerate() {
            if key.name == name {
                self.taken.set(i);
                return Some(value);
            }
        }
        None
    }

    /// Like [`Fields::take`], but a JSON `null` counts as absent.
    pub fn take_non_null(&mut self, name: &str) -> Option<&'j Json<'j>> {
        self.take(name).filter(|v| !v.is_null())
    }

    /// A member that must be there. Its absence is reported at the member's path (`/api/id`, as pydantic's `loc`
    /// names a missing field), with the position of the object that lacks it.
    pub fn require(&mut self, name: &str, ptr: &Ptr<'_>) -> Result<&'j Json<'j>, Error> {
        match self.take(name) {
            Some(v) if !v.is_null() => Ok(v),
            _ => Err(ptr.key(name).error(self.code, format!("missing required field `{name}`"), self.span)),
        }
    }

    /// Marks members that are accepted but carry nothing we use (fields of AWS exports).
    pub fn ignore(&mut self, names: &[&str]) {
        for name in names {
            self.take(name);
        }
    }

    /// Every member not read so far is accepted as it is: the other fields of an AWS export (`get-resources`,
    /// `get-authorizers`), which change nothing here, so that real exports paste in unchanged.
    pub fn accept_rest(self) {}

    /// Every member not read so far is an error naming it and what was expected.
    pub fn finish(self, ptr: &Ptr<'_>, expected: &[&str]) -> Result<(), Error> {
        for (i, (key, _)) in self.members.iter().enumerate() {
            if !self.taken.get(i) {
                return Err(unknown_field(ptr, self.code, &key.name, key.span, expected));
            }
        }
        Ok(())
    }

    /// Reject members outside `expected` before reading any: a misspelt key (`Effec`) is then reported as what
    /// it is, not as the required field it was meant to be.
    pub fn only(self, ptr: &Ptr<'_>, expected: &[&str]) -> Result<Self, Error> {
        for (key, _) in self.members {
            if !expected.contains(&key.name.as_ref()) {
                return Err(unknown_field(ptr, self.code, &key.name, key.span, expected));
            }
        }
        Ok(self)
    }
}

fn unknown_field(ptr: &Ptr<'_>, code: ErrorCode, name: &str, span: Span, expected: &[&str]) -> Error {
    let list = expected.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ");
    let error = ptr.key(name).error(code, format!("unknown field `{name}`, expected one of {list}"), span);
    match expected.iter().find(|e| looks_like(name, e)) {
        Some(close) => error.with_help(format!("did you mean `{close}`?")),
        None => error,
    }
}

/// The same word but for case, or at most two edits apart (`Effec`, `resource`, `Conditions`).
fn looks_like(typed: &str, known: &str) -> bool {
    if typed.eq_ignore_ascii_case(known) {
        return true;
    }
    let a: Vec<char> = typed.to_lowercase().chars().collect();
    let b: Vec<char> = known.to_lowercase().chars().collect();
    if a.len().abs_diff(b.len()) > 2 || a.len() < 3 {
        return false;
    }
    // Levenshtein distance, one row at a time.
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = row.get(j).copied().unwrap_or(usize::MAX);
            let cost = diagonal + usize::from(ca != cb);
            diagonal = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = cost.min(above.saturating_add(1)).min(left.saturating_add(1));
            }
        }
    }
    row.last().is_some_and(|d| *d <= 2)
}

pub fn expect_str<'j>(json: &'j Json<'j>, ptr: &Ptr<'_>, code: ErrorCode) -> Result<&'j str, Error> {
    json.as_str().ok_or_else(|| ptr.error(code, format!("expected a string, found {}", json.kind()), json.span))
}

pub fn expect_bool(json: &Json, ptr: &Ptr<'_>, code: ErrorCode) -> Result<bool, Error> {
    json.as_bool().ok_or_else(|| ptr.error(code, format!("expected a boolean, found {}", json.kind()), json.span))
}

pub fn expect_array<'j>(json: &'j Json<'j>, ptr: &Ptr<'_>, code: ErrorCode) -> Result<&'j [Json<'j>], Error> {
    json.as_array().ok_or_else(|| ptr.error(code, format!("expected an array, found {}", json.kind()), json.span))
}

pub fn expect_u64(json: &Json, ptr: &Ptr<'_>, code: ErrorCode) -> Result<u64, Error> {
    json.as_number()
        .and_then(|n| n.as_u64())
        .ok_or_else(|| ptr.error(code, format!("expected a whole number, found {}", json.kind()), json.span))
}

/// A string or an array of strings (the IAM "single value may be written without brackets" rule).
pub fn string_or_list<'j>(json: &'j Json<'j>, ptr: &Ptr<'_>, code: ErrorCode) -> Result<Vec<(&'j str, Span)>, Error> {
    match &json.value {
        JsonValue::String(s) => Ok(vec![(s.as_ref(), json.span)]),
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
            expect_str(v, &p, code).map(|s| (k.name.to_string(), s.to_owned()))
        })
        .collect()
}

/// An object of strings whose names are case-insensitive (HTTP headers, IAM tag keys), as `(folded name, value)`
/// pairs sorted by name (see [`sorted_by_name`]). Two names that differ only in case are an error: which value
/// API Gateway or IAM would see is not something the engine should guess.
pub fn case_insensitive_map(
    json: &Json,
    ptr: &Ptr<'_>,
    code: ErrorCode,
    fold: fn(&str) -> String,
) -> Result<Vec<(String, String)>, Error> {
    if json.is_null() {
        return Ok(Vec::new());
    }
    let members = json
        .as_object()
        .ok_or_else(|| ptr.error(code, format!("expected an object of strings, found {}", json.kind()), json.span))?;
    let mut pairs = Vec::with_capacity(members.len());
    for (i, (k, v)) in members.iter().enumerate() {
        let value = expect_str(v, &ptr.key(&k.name), code)?;
        pairs.push((fold(&k.name), value.to_owned(), i));
    }
    // Stable and by position among equals: the later of two equal names is the one reported.
    pairs.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
    for pair in pairs.windows(2) {
        if let [(a, _, first), (b, _, second)] = pair {
            if a == b {
                if let (Some((one, _)), Some((other, _))) = (members.get(*first), members.get(*second)) {
                    return Err(ptr.key(&other.name).error(
                        code,
                        format!(
                            "`{}` and `{}` are the same name here (names are case-insensitive)",
                            one.name, other.name
                        ),
                        other.span,
                    ));
                }
            }
        }
    }
    Ok(pairs.into_iter().map(|(name, value, _)| (name, value)).collect())
}

/// Name-value pairs sorted by name, the document's order kept among equal names (a stable sort), so that
/// [`find_by_name`] finds the first of them by bisection: conditions look names up once per statement, and a
/// scan made many statements against many request context keys, headers or tags cost their product.
pub fn sorted_by_name<T>(mut pairs: Vec<(String, T)>) -> Vec<(String, T)> {
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs
}

/// The value of the first pair named `name`, in pairs sorted by [`sorted_by_name`].
pub fn find_by_name<'p, T>(pairs: &'p [(String, T)], name: &str) -> Option<&'p T> {
    let at = pairs.partition_point(|(k, _)| k.as_str() < name);
    pairs.get(at).filter(|(k, _)| k == name).map(|(_, v)| v)
}

/// Names read so far, to refuse one given twice: compared one by one while there are few, then kept in a set, so
/// that checking n names costs n lookups rather than n²/2 comparisons (100,000 request context keys took 20 s).
#[derive(Debug, Default)]
pub struct NameSet {
    few: Vec<String>,
    many: Option<HashSet<String>>,
}

impl NameSet {
    const FEW: usize = 16;

    /// Add `name`; false if it was already there.
    pub fn insert(&mut self, name: &str) -> bool {
        if let Some(many) = &mut self.many {
            return !many.contains(name) && many.insert(name.to_owned());
        }
        if self.few.iter().any(|n| n == name) {
            return false;
        }
        self.few.push(name.to_owned());
        if self.few.len() > Self::FEW {
            self.many = Some(self.few.drain(..).collect());
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_past_the_sixty_fourth_are_tracked_too() {
        // The read marks are bits up to 64 members and a vector beyond: on both sides, a member left unread is
        // the one reported, and a member read is not.
        for count in [3, 64, 65, 130] {
            let text = format!("{{{}}}", (0..count).map(|i| format!("\"k{i}\": {i}")).collect::<Vec<_>>().join(", "));
            let json = crate::json::parse(&text, &Default::default()).unwrap_or_else(|e| panic!("{e:?}"));
            for unread in [0, count / 2, count - 1] {
                let mut fields = Fields::new(&json, &Ptr::ROOT, ErrorCode::InvalidScenario, "x").expect("an object");
                for i in (0..count).filter(|i| *i != unread) {
                    assert!(fields.take(&format!("k{i}")).is_some());
                }
                let error = fields.finish(&Ptr::ROOT, &[]).expect_err("one member is unread");
                assert!(error.message.contains(&format!("`k{unread}`")), "{count} {unread}: {}", error.message);
            }
            let mut fields = Fields::new(&json, &Ptr::ROOT, ErrorCode::InvalidScenario, "x").expect("an object");
            for i in 0..count {
                fields.take(&format!("k{i}"));
            }
            assert!(fields.finish(&Ptr::ROOT, &[]).is_ok(), "{count}");
        }
    }

    #[test]
    fn names_are_found_in_sorted_pairs_first_in_document_order() {
        let pairs = sorted_by_name(vec![
            ("b".to_owned(), 1),
            ("a".to_owned(), 2),
            ("b".to_owned(), 3),
            ("c".to_owned(), 4),
            ("a".to_owned(), 5),
        ]);
        assert_eq!(find_by_name(&pairs, "a"), Some(&2));
        assert_eq!(find_by_name(&pairs, "b"), Some(&1));
        assert_eq!(find_by_name(&pairs, "c"), Some(&4));
        assert_eq!(find_by_name(&pairs, "d"), None);
        assert_eq!(find_by_name(&pairs, ""), None);
        assert_eq!(find_by_name::<i32>(&[], "a"), None);
    }

    #[test]
    fn a_name_set_finds_repeats_before_and_after_it_grows() {
        for count in [3, NameSet::FEW, NameSet::FEW + 1, 200] {
            let mut names = NameSet::default();
            for i in 0..count {
                assert!(names.insert(&format!("n{i}")), "{count}: n{i} is new");
            }
            for i in [0, count / 2, count - 1] {
                assert!(!names.insert(&format!("n{i}")), "{count}: n{i} is there");
            }
            assert!(names.insert("other"), "{count}");
            assert!(!names.insert("other"), "{count}");
        }
    }

    #[test]
    fn near_misses_are_recognised() {
        assert!(looks_like("Effec", "Effect"));
        assert!(looks_like("resource", "Resource"));
        assert!(looks_like("Conditions", "Condition"));
        assert!(!looks_like("Sid", "Effect"));
        assert!(!looks_like("ab", "Id"));
    }
}
