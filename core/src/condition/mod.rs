//! The Condition element: operators, `...IfExists`, `ForAnyValue:` / `ForAllValues:`, `Null`, policy variables
//! (policy-language.md, "Condition").
//!
//! Values are parsed when the policy is compiled (CIDRs, dates, numbers, wildcard patterns), so a value that does
//! not parse for its operator makes the policy invalid, and the decision path only compares.
//!
//! The rules, in one place:
//! - different operators, and different keys under one operator, AND; several values of one key OR, except for
//!   negated operators, where the request value must match none of them;
//! - a missing key makes the condition false, except for negated operators (true), `...IfExists` (true),
//!   `ForAllValues:` (true) and `Null` (which asks about presence);
//! - `ForAnyValue:` needs some request value to satisfy the operator, `ForAllValues:` every one.

pub mod date;
mod key;
mod template;

use std::fmt::Write as _;
use std::net::IpAddr;

use ipnet::IpNet;

use crate::arn::Arn;
use crate::decode::Ptr;
use crate::error::{Error, ErrorCode, Warning};
use crate::explain::{shown, shown_list, SHOWN_ITEMS};
use crate::json::{Json, JsonValue};
use crate::wildcard::{ArnGlob, Atom, Glob};
pub use key::{ConditionKey, GlobalKey};
pub use template::{multi_valued_variable_warning, PatternTrace, Template, VarPattern};

/// The most comparisons [`Condition::exact_equals_outcome`] makes for one condition (tries × request values ×
/// policy values); beyond it the condition's answer stays open (a guard against hostile input).
const MAX_EXACT_WORK: usize = 100_000;

/// The most values one condition key may list (a guard against hostile input).
pub const MAX_VALUES_PER_KEY: usize = 1000;

/// The values a request carries for one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContextValues<'a> {
    Single(&'a str),
    /// A single value that is an IP address the request already read (its text, and the address), so IpAddress
    /// conditions do not parse it again for every statement.
    Address(&'a str, IpAddr),
    /// A multi-valued key (possibly empty).
    Multi(&'a [String]),
    /// A key the request carries whose value the scenario cannot know (what it would be, for the explanation).
    /// `Null` sees it present; every other operator counts in the denying direction, as for an unreadable value.
    Unknown(&'static str),
}

/// What a request can answer about its condition keys.
pub trait Context {
    fn get(&self, key: &ConditionKey) -> Option<ContextValues<'_>>;
}

/// `inner` with one key given a value (the candidate values of an unknown variable).
struct WithValue<'a, C: ?Sized> {
    inner: &'a C,
    key: &'a ConditionKey,
    value: &'a str,
}

impl<C: Context + ?Sized> Context for WithValue<'_, C> {
    fn get(&self, key: &ConditionKey) -> Option<ContextValues<'_>> {
        if key.lower() == self.key.lower() {
            Some(ContextValues::Single(self.value))
        } else {
            self.inner.get(key)
        }
    }
}

/// A context with no keys at all (validation, tests).
pub struct EmptyContext;

impl Context for EmptyContext {
    fn get(&self, _key: &ConditionKey) -> Option<ContextValues<'_>> {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compare {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Compare {
    fn holds<T: PartialOrd>(self, request: T, policy: T) -> bool {
        match self {
            Compare::Eq => request == policy,
            Compare::Lt => request < policy,
            Compare::Le => request <= policy,
            Compare::Gt => request > policy,
            Compare::Ge => request >= policy,
        }
    }

    fn words(self) -> &'static str {
        match self {
            Compare::Eq => "equals",
            Compare::Lt => "is less than",
            Compare::Le => "is at most",
            Compare::Gt => "is greater than",
            Compare::Ge => "is at least",
        }
    }
}

/// The operator without its negation, set prefix or `IfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    Numeric(Compare),
    Date(Compare),
    Bool,
    BinaryEquals,
    IpAddress,
    Arn,
    Null,
}

/// Every operator name IAM accepts (without prefix and `IfExists`), with its base and whether it is negated.
const OPERATORS: &[(&str, Base, bool)] = &[
    ("StringEquals", Base::StringEquals, false),
    ("StringNotEquals", Base::StringEquals, true),
    ("StringEqualsIgnoreCase", Base::StringEqualsIgnoreCase, false),
    ("StringNotEqualsIgnoreCase", Base::StringEqualsIgnoreCase, true),
    ("StringLike", Base::StringLike, false),
    ("StringNotLike", Base::StringLike, true),
    ("NumericEquals", Base::Numeric(Compare::Eq), false),
    ("NumericNotEquals", Base::Numeric(Compare::Eq), true),
    ("NumericLessThan", Base::Numeric(Compare::Lt), false),
    ("NumericLessThanEquals", Base::Numeric(Compare::Le), false),
    ("NumericGreaterThan", Base::Numeric(Compare::Gt), false),
    ("NumericGreaterThanEquals", Base::Numeric(Compare::Ge), false),
    ("DateEquals", Base::Date(Compare::Eq), false),
    ("DateNotEquals", Base::Date(Compare::Eq), true),
    ("DateLessThan", Base::Date(Compare::Lt), false),
    ("DateLessThanEquals", Base::Date(Compare::Le), false),
    ("DateGreaterThan", Base::Date(Compare::Gt), false),
    ("DateGreaterThanEquals", Base::Date(Compare::Ge), false),
    ("Bool", Base::Bool, false),
    ("BinaryEquals", Base::BinaryEquals, false),
    ("IpAddress", Base::IpAddress, false),
    ("NotIpAddress", Base::IpAddress, true),
    ("ArnEquals", Base::Arn, false),
    ("ArnLike", Base::Arn, false),
    ("ArnNotEquals", Base::Arn, true),
    ("ArnNotLike", Base::Arn, true),
    ("Null", Base::Null, false),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetOperator {
    None,
    ForAnyValue,
    ForAllValues,
}

/// One policy value, compiled for its operator.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    /// StringEquals / StringEqualsIgnoreCase: compared whole (`*` is literal).
    Exact(Template),
    /// StringLike: `*` and `?` are wildcards; `glob` is compiled once when there are no variables.
    Like(Template, Option<Glob>),
    Number(f64),
    Date(i64),
    Bool(bool),
    Binary(String),
    Network(IpNet),
    /// ArnEquals / ArnLike: segment by segment, with wildcards.
    Arn(Template, Option<ArnGlob>),
    /// Null: `true` asks for the key to be absent.
    Null(bool),
}

impl Value {
    /// The text of a String or Arn value, which may hold policy variables.
    fn template(&self) -> Option<&Template> {
        match self {
            Value::Exact(t) | Value::Like(t, _) | Value::Arn(t, _) => Some(t),
            _ => None,
        }
    }

    fn has_variables(&self) -> bool {
        self.template().is_some_and(Template::has_vars)
    }
}

/// A compiled condition: one operator applied to one key.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    operator: String,
    base: Base,
    negated: bool,
    set: SetOperator,
    if_exists: bool,
    key: ConditionKey,
    /// As written, for explanations.
    shown: Vec<String>,
    values: Vec<Value>,
    /// Some value holds a policy variable (so a request may leave the condition's answer open).
    has_variables: bool,
}

/// What a policy value holding a variable whose value the scenario cannot know is taken to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Assume {
    /// It matches no request value: the answer when the variable takes a value that does not fit.
    NoMatch,
    /// It matches every request value it could match for some value of the variable.
    MayMatch,
}

/// Why a condition held or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionTrace {
    pub matched: bool,
    pub detail: String,
}

impl Condition {
    /// The operator as written, e.g. `ForAnyValue:StringLikeIfExists`.
    pub fn operator_name(&self) -> &str {
        &self.operator
    }

    pub fn key(&self) -> &ConditionKey {
        &self.key
    }

    pub fn matches<C: Context + ?Sized>(&self, ctx: &C) -> bool {
        self.evaluate(ctx, false).0
    }

    pub fn trace<C: Context + ?Sized>(&self, ctx: &C) -> ConditionTrace {
        let (matched, detail) = self.evaluate(ctx, true);
        ConditionTrace { matched, detail }
    }

    /// The index of the first policy value the request value satisfies.
    fn hit<C: Context + ?Sized>(&self, request: &str, ctx: &C) -> Option<usize> {
        let read = read(self.base, request)?;
        self.values.iter().position(|value| compare(self.base, value, read, ctx))
    }

    /// Whether the condition holds for a statement of the given effect, failing closed: a request value the
    /// operator cannot read counts in the denying direction (true for a Deny, false for an Allow). The usual
    /// case, one request value, is read once for both questions.
    pub fn holds_for<C: Context + ?Sized>(&self, ctx: &C, deny: bool) -> bool {
        if self.has_variables && self.reads_unknown_variable(ctx) {
            return match self.unreadable_value(ctx) {
                Some(_) => deny,
                None => self.outcome_for_every_value(ctx).unwrap_or(deny),
            };
        }
        match ctx.get(&self.key) {
            Some(ContextValues::Address(_, ip)) if self.base == Base::IpAddress => {
                self.values.iter().any(|value| compare(self.base, value, Read::Ip(ip), ctx)) != self.negated
            }
            Some(ContextValues::Single(v) | ContextValues::Address(v, _)) if self.base != Base::Null => {
                match read(self.base, v) {
                    None => deny,
                    Some(r) => self.values.iter().any(|value| compare(self.base, value, r, ctx)) != self.negated,
                }
            }
            Some(ContextValues::Unknown(_)) if self.base != Base::Null => deny,
            _ if self.unreadable_value(ctx).is_some() => deny,
            _ => self.matches(ctx),
        }
    }

    /// Does one request value satisfy the operator (negation included)?
    fn value_holds<C: Context + ?Sized>(&self, request: &str, ctx: &C) -> bool {
        self.hit(request, ctx).is_some() != self.negated
    }

    fn evaluate<C: Context + ?Sized>(&self, ctx: &C, explain: bool) -> (bool, String) {
        let found = ctx.get(&self.key);
        if self.base == Base::Null {
            // A multi-valued key with no values is null too: IAM's guide has `Null: false` guard a ForAllValues
            // condition against "missing context keys or context keys with empty values".
            let present = match found {
                None => false,
                Some(ContextValues::Multi(values)) => !values.is_empty(),
                Some(_) => true,
            };
            let matched = self.values.iter().any(|v| matches!(v, Value::Null(absent) if *absent != present));
            let detail = if explain {
                format!(
                    "the key is {}; Null {} asks for it to be {}",
                    if present { "present" } else { "absent" },
                    self.shown_values(),
                    if self.values.iter().any(|v| matches!(v, Value::Null(true))) { "absent" } else { "present" }
                )
            } else {
                String::new()
            };
            return (matched, detail);
        }
        let single;
        let request: &[String] = match found {
            None => return self.absent(explain),
            // Callers ask `unreadable_value` first; this answer is only for one that does not.
            Some(ContextValues::Unknown(why)) => return (false, if explain { why.to_owned() } else { String::new() }),
            // One value: every set operator (any, all, or none with a negated operator) is that value's answer.
            // The fast path decides it without copying the value.
            Some(ContextValues::Single(v) | ContextValues::Address(v, _)) if !explain => {
                return (self.value_holds(v, ctx), String::new())
            }
            Some(ContextValues::Single(v) | ContextValues::Address(v, _)) => {
                single = [v.to_owned()];
                &single
            }
            Some(ContextValues::Multi(values)) => values,
        };
        let holds = |v: &String| self.value_holds(v, ctx);
        let matched = match self.set {
            // Without a set operator several request values count like ForAnyValue for a positive operator and
            // must all avoid the listed values for a negated one.
            SetOperator::None if self.negated => request.iter().all(holds),
            SetOperator::None | SetOperator::ForAnyValue => request.iter().any(holds),
            SetOperator::ForAllValues => request.iter().all(holds),
        };
        if !explain {
            return (matched, String::new());
        }
        let mut parts = Vec::with_capacity(request.len().min(SHOWN_ITEMS));
        for v in request.iter().take(SHOWN_ITEMS) {
            let part = match self.hit(v, ctx) {
                Some(i) => format!(
                    "`{}` {} `{}`",
                    shown(v),
                    self.relation(),
                    shown(
                        &self.resolved_value(i, ctx).unwrap_or_else(|| self.shown.get(i).cloned().unwrap_or_default())
                    )
                ),
                None => format!("`{}` {} none of {}", shown(v), self.relation(), self.shown_resolved(ctx)),
            };
            parts.push(part);
        }
        let mut detail = if request.is_empty() { String::from("the key has no values") } else { parts.join("; ") };
        if request.len() > SHOWN_ITEMS {
            let _ = write!(detail, "; and {} more request values", request.len() - SHOWN_ITEMS);
        }
        match self.set {
            SetOperator::ForAnyValue if request.is_empty() => {
                detail.push_str(": ForAnyValue is false for an empty set")
            }
            SetOperator::ForAllValues if request.is_empty() => {
                detail.push_str(": ForAllValues is true for an empty set")
            }
            _ if self.negated => detail.push_str(if matched {
                ", so the negated operator is true"
            } else {
                ", so the negated operator is false"
            }),
            _ => {}
        }
        (matched, detail)
    }

    /// The first request value this condition's operator cannot read: one that is not a number (Numeric*), a
    /// date (Date*), an IP address (IpAddress, NotIpAddress), `true` / `false` (Bool) or an ARN (Arn*), with
    /// what was expected. AWS sends its own keys well-formed; such a value comes from a tag or from the
    /// request's `context`, and the caller decides in the denying direction (see `iam::statement_applies`).
    ///
    /// Also a key whose value the scenario cannot know (`ContextValues::Unknown`), for every operator but `Null`.
    /// The answer says why, for the explanation.
    pub fn unreadable_value<C: Context + ?Sized>(&self, ctx: &C) -> Option<String> {
        let found = ctx.get(&self.key)?;
        if let ContextValues::Unknown(why) = found {
            return (self.base != Base::Null).then(|| why.to_owned());
        }
        let (readable, what): (fn(&str) -> bool, &'static str) = match self.base {
            Base::Numeric(_) => (|v| parse_number(v).is_some(), "a number"),
            Base::Date(_) => (|v| date::parse_instant(v).is_some(), "a date"),
            Base::IpAddress => (|v| v.trim().parse::<IpAddr>().is_ok(), "an IP address"),
            Base::Bool => (|v| parse_bool(v).is_some(), "`true` or `false`"),
            Base::Arn => (|v| Arn::parse(v).is_some(), "an ARN"),
            _ => return self.read_either_way(found, ctx),
        };
        let bad = match found {
            ContextValues::Single(v) | ContextValues::Address(v, _) => (!readable(v)).then_some(v),
            ContextValues::Multi(values) => values.iter().map(String::as_str).find(|v| !readable(v)),
            ContextValues::Unknown(_) => None,
        };
        match bad {
            Some(v) => Some(format!("request value `{v}` is not {what}")),
            None => self.read_either_way(found, ctx),
        }
    }

    /// An operator without `ForAnyValue:` / `ForAllValues:` on several request values: IAM requires a set operator
    /// for a multi-valued key and does not say how it reads one without. When "some value" and "every value" give
    /// different answers, why (the condition then counts in the denying direction).
    fn read_either_way<C: Context + ?Sized>(&self, found: ContextValues<'_>, ctx: &C) -> Option<String> {
        let ContextValues::Multi(values) = found else { return None };
        if self.set != SetOperator::None || self.base == Base::Null || values.len() < 2 {
            return None;
        }
        let some = values.iter().any(|v| self.value_holds(v, ctx));
        let every = values.iter().all(|v| self.value_holds(v, ctx));
        (some != every).then(|| {
            format!(
                "the request has {} values for `{}` and the operator no `ForAnyValue:` / `ForAllValues:`, which IAM requires for a multi-valued key without saying how it reads one without; here some values satisfy it and some do not",
                values.len(),
                self.key.name()
            )
        })
    }

    /// With a policy value holding a variable whose key the request has but the scenario cannot know (a user's
    /// `aws:userid`), when the condition's answer depends on that value: why, for the explanation. The condition
    /// then counts in the denying direction, as for an unreadable request value.
    pub fn unknown_variable<C: Context + ?Sized>(&self, ctx: &C) -> Option<String> {
        if !self.has_variables || !self.reads_unknown_variable(ctx) || self.outcome_for_every_value(ctx).is_some() {
            return None;
        }
        let why = self.values.iter().filter_map(Value::template).flat_map(|t| t.unknown_variables(ctx)).next();
        why.map(|(written, why)| {
            format!("the answer depends on `{written}`, whose value the scenario does not know: {why}")
        })
    }

    /// Does some policy value hold a variable whose key the request has but the scenario cannot know?
    fn reads_unknown_variable<C: Context + ?Sized>(&self, ctx: &C) -> bool {
        self.values.iter().filter_map(Value::template).any(|t| t.unknown_variables(ctx).next().is_some())
    }

    /// The condition's answer when it is the same whatever value the unknown variables take; `None` when it
    /// depends on them. Every operator is monotone in its comparisons (a positive one rises with them, a negated
    /// one falls), so the answers with every unknown comparison failing and with every possible one matching
    /// bound all the others. A bound, not the exact answer: each comparison is free to take its own value of the
    /// variable, so a condition fixed only because one value is shared by several comparisons counts as open.
    ///
    /// Where the bounds differ, a StringEquals condition whose one unknown variable appears once in each value is
    /// decided exactly: only the values that make some comparison equal can change the answer, so the condition
    /// is evaluated with each of them and with one that equals nothing (`Assume::NoMatch`).
    fn outcome_for_every_value<C: Context + ?Sized>(&self, ctx: &C) -> Option<bool> {
        let low = self.holds_assuming(ctx, Assume::NoMatch);
        let high = self.holds_assuming(ctx, Assume::MayMatch);
        if low == high {
            return Some(low);
        }
        self.exact_equals_outcome(ctx, low)
    }

    /// See [`Condition::outcome_for_every_value`]; `none` is the answer with a value that equals nothing.
    fn exact_equals_outcome<C: Context + ?Sized>(&self, ctx: &C, none: bool) -> Option<bool> {
        if self.base != Base::StringEquals {
            return None;
        }
        let mut unknown: Option<ConditionKey> = None;
        let mut shapes = Vec::new();
        for template in self.values.iter().filter_map(Value::template) {
            if template.unknown_variables(ctx).next().is_none() {
                continue;
            }
            let (key, before, after) = template.around_unknown(ctx)?;
            if unknown.get_or_insert_with(|| key.clone()).lower() != key.lower() {
                return None;
            }
            shapes.push((before, after));
        }
        let unknown = unknown?;
        if unknown.is_multi_valued() {
            // Unknown because IAM does not substitute such a key, not for want of a value to try: the bounds decide.
            return None;
        }
        let request: Vec<&str> = match ctx.get(&self.key)? {
            ContextValues::Single(v) | ContextValues::Address(v, _) => vec![v],
            ContextValues::Multi(values) => values.iter().map(String::as_str).collect(),
            ContextValues::Unknown(_) => return None,
        };
        // The value each request value forces on the variable for each policy value; the keys that are unknown
        // here (a unique id, a VPC, an address) are never empty.
        let mut forced: Vec<&str> = request
            .iter()
            .flat_map(|r| shapes.iter().filter_map(move |(b, a)| r.strip_prefix(b.as_str())?.strip_suffix(a.as_str())))
            .filter(|v| !v.is_empty())
            .collect();
        forced.sort_unstable();
        forced.dedup();
        // Each try compares every request value with every policy value: past a bound on that work (a hostile
        // policy and context could ask for seconds), the condition stays open and counts in the denying direction.
        if forced.len().saturating_mul(request.len()).saturating_mul(self.values.len()) > MAX_EXACT_WORK {
            return None;
        }
        forced
            .iter()
            .all(|value| self.evaluate(&WithValue { inner: ctx, key: &unknown, value }, false).0 == none)
            .then_some(none)
    }

    fn holds_assuming<C: Context + ?Sized>(&self, ctx: &C, assume: Assume) -> bool {
        let holds = |v: &str| {
            read(self.base, v)
                .is_some_and(|r| self.values.iter().any(|value| compare_assuming(self.base, value, r, ctx, assume)))
                != self.negated
        };
        match ctx.get(&self.key) {
            None => self.absent(false).0,
            Some(ContextValues::Single(v) | ContextValues::Address(v, _)) => holds(v),
            Some(ContextValues::Multi(values)) => match self.set {
                SetOperator::None if self.negated => values.iter().all(|v| holds(v)),
                SetOperator::None | SetOperator::ForAnyValue => values.iter().any(|v| holds(v)),
                SetOperator::ForAllValues => values.iter().all(|v| holds(v)),
            },
            // Callers ask about an unknown key first.
            Some(ContextValues::Unknown(_)) => false,
        }
    }

    fn absent(&self, explain: bool) -> (bool, String) {
        let (matched, why) = if self.if_exists {
            (true, "…IfExists is true when the key is absent")
        } else {
            match self.set {
                SetOperator::ForAnyValue => (false, "ForAnyValue is false when the key is absent"),
                SetOperator::ForAllValues => (true, "ForAllValues is true when the key is absent"),
                SetOperator::None if self.negated => (true, "a negated operator is true when its key is absent"),
                SetOperator::None => (false, "the condition is false when its key is absent"),
            }
        };
        let detail = if explain { format!("the key is absent from the request: {why}") } else { String::new() };
        (matched, detail)
    }

    fn relation(&self) -> &'static str {
        match self.base {
            Base::Numeric(c) | Base::Date(c) => c.words(),
            Base::IpAddress => "is in",
            Base::Bool | Base::BinaryEquals | Base::StringEquals | Base::StringEqualsIgnoreCase => "equals",
            Base::StringLike | Base::Arn | Base::Null => "matches",
        }
    }

    fn shown_values(&self) -> String {
        self.shown.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
    }

    /// Policy value `i` with its variables resolved, when it has any.
    fn resolved_value<C: Context + ?Sized>(&self, i: usize, ctx: &C) -> Option<String> {
        let template = self.values.get(i)?.template()?;
        if !template.has_vars() {
            return None;
        }
        Some(match template.resolve_string(ctx) {
            Some(r) => format!("{} = {r}", template.as_str()),
            None => format!("{} (no value)", template.as_str()),
        })
    }

    fn shown_resolved<C: Context + ?Sized>(&self, ctx: &C) -> String {
        shown_list((0..self.shown.len()).map(|i| {
            let value = self.resolved_value(i, ctx).unwrap_or_else(|| self.shown.get(i).cloned().unwrap_or_default());
            format!("`{}`", shown(&value))
        }))
    }
}

/// A request value read once for its operator, so that several policy values compare against one parse.
#[derive(Debug, Clone, Copy)]
enum Read<'v> {
    Text(&'v str),
    Number(f64),
    Date(i64),
    Bool(bool),
    Ip(IpAddr),
}

/// Read a request value for `base`; `None` when the operator cannot read it (not a number, date, IP address,
/// boolean or ARN as the operator needs).
fn read(base: Base, request: &str) -> Option<Read<'_>> {
    Some(match base {
        Base::Numeric(_) => Read::Number(parse_number(request)?),
        Base::Date(_) => Read::Date(date::parse_instant(request)?),
        Base::Bool => Read::Bool(parse_bool(request)?),
        Base::IpAddress => Read::Ip(request.trim().parse::<IpAddr>().ok()?),
        // A value that is not an ARN matches no ARN pattern.
        Base::Arn => Read::Text(Arn::parse(request).map(|_| request)?),
        _ => Read::Text(request),
    })
}

/// [`compare`], with a policy value whose variable has a value the scenario cannot know taken as `assume` says.
fn compare_assuming<C: Context + ?Sized>(
    base: Base,
    value: &Value,
    request: Read<'_>,
    ctx: &C,
    assume: Assume,
) -> bool {
    let wildcards = !matches!(value, Value::Exact(_));
    let Some(atoms) = value.template().and_then(|t| t.atoms_for_some_value(ctx, wildcards)) else {
        return compare(base, value, request, ctx);
    };
    match (assume, base, request) {
        (Assume::NoMatch, _, _) => false,
        (Assume::MayMatch, Base::StringEquals | Base::StringLike, Read::Text(r)) => {
            Glob::from_atoms(String::new(), &atoms).matches(r)
        }
        (Assume::MayMatch, Base::StringEqualsIgnoreCase, Read::Text(r)) => {
            // Folded character by character: `str::to_lowercase` of the whole value (what `compare` does) turns a
            // `Σ` into `ς` or `σ` depending on the letter after it, which may be the variable's, so lower-casing the
            // policy text apart from the variable could miss a value that matches.
            let lower: Vec<Atom> = atoms
                .into_iter()
                .map(|a| match a {
                    Atom::Literal(t) => Atom::Literal(fold_case(&t)),
                    other => other,
                })
                .collect();
            Glob::from_atoms(String::new(), &lower).matches(&fold_case(r))
        }
        // Before the resource part, the variable's value may hold colons and so span ARN segments.
        (Assume::MayMatch, Base::Arn, Read::Text(_))
            if value.template().is_some_and(|t| t.unknown_variable_before_resource(ctx)) =>
        {
            true
        }
        (Assume::MayMatch, Base::Arn, Read::Text(r)) => ArnGlob::from_atoms(String::new(), &atoms).matches(r),
        // Only String and Arn values hold variables; were another to, "may match" is the bound that is safe.
        (Assume::MayMatch, _, _) => true,
    }
}

/// Lower case one character at a time, with the final sigma `ς` read as `σ`: equal for any two texts whose
/// `to_lowercase` is equal, and the fold of a concatenation is the concatenation of the folds.
fn fold_case(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).map(|c| if c == 'ς' { 'σ' } else { c }).collect()
}

/// Does the read request value satisfy the (positive) operator against one policy value?
fn compare<C: Context + ?Sized>(base: Base, value: &Value, request: Read<'_>, ctx: &C) -> bool {
    match (base, value, request) {
        (Base::StringEquals, Value::Exact(t), Read::Text(r)) => t.resolve_string(ctx).is_some_and(|p| p == r),
        (Base::StringEqualsIgnoreCase, Value::Exact(t), Read::Text(r)) => t
            .resolve_string(ctx)
            .is_some_and(|p| p.eq_ignore_ascii_case(r) || (!p.is_ascii() && p.to_lowercase() == r.to_lowercase())),
        (Base::StringLike, Value::Like(t, glob), Read::Text(r)) => match glob {
            Some(g) => g.matches(r),
            None => t.resolve_atoms(ctx).is_some_and(|atoms| Glob::from_atoms(String::new(), &atoms).matches(r)),
        },
        (Base::Numeric(c), Value::Number(p), Read::Number(r)) => c.holds(r, *p),
        (Base::Date(c), Value::Date(p), Read::Date(r)) => c.holds(r, *p),
        (Base::Bool, Value::Bool(p), Read::Bool(r)) => r == *p,
        (Base::BinaryEquals, Value::Binary(p), Read::Text(r)) => p == r,
        (Base::IpAddress, Value::Network(net), Read::Ip(ip)) => net.contains(&ip),
        (Base::Arn, Value::Arn(t, glob), Read::Text(r)) => match glob {
            Some(g) => g.matches(r),
            None => t.resolve_atoms(ctx).is_some_and(|atoms| ArnGlob::from_atoms(String::new(), &atoms).matches(r)),
        },
        _ => false,
    }
}

fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim();
    let valid = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        && text.bytes().any(|b| b.is_ascii_digit());
    if !valid {
        return None;
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Split `ForAnyValue:StringLikeIfExists` into its parts; `Err` with a message for an unknown operator.
fn parse_operator(name: &str) -> Result<(SetOperator, Base, bool, bool), String> {
    let (set, rest) = if let Some(rest) = name.strip_prefix("ForAnyValue:") {
        (SetOperator::ForAnyValue, rest)
    } else if let Some(rest) = name.strip_prefix("ForAllValues:") {
        (SetOperator::ForAllValues, rest)
    } else {
        (SetOperator::None, name)
    };
    let (base_name, if_exists) = match rest.strip_suffix("IfExists") {
        Some(b) => (b, true),
        None => (rest, false),
    };
    let Some((_, base, negated)) = OPERATORS.iter().find(|(n, _, _)| *n == base_name) else {
        return Err(format!("unknown condition operator `{name}`"));
    };
    if *base == Base::Null && if_exists {
        return Err(String::from("`NullIfExists` is not an operator: Null already asks whether the key exists"));
    }
    if *base == Base::Null && set != SetOperator::None {
        return Err(format!("`{name}`: Null takes no set operator (`ForAnyValue:` / `ForAllValues:`)"));
    }
    Ok((set, *base, *negated, if_exists))
}

/// A hint for an operator that is almost right.
fn operator_help(name: &str) -> String {
    let base = name.trim_start_matches("ForAnyValue:").trim_start_matches("ForAllValues:");
    let base = base.strip_suffix("IfExists").unwrap_or(base);
    if let Some((right, _, _)) = OPERATORS.iter().find(|(n, _, _)| n.eq_ignore_ascii_case(base)) {
        return format!("operator names are case-sensitive: did you mean `{right}`?");
    }
    if name.to_ascii_lowercase().starts_with("foranyvalue") || name.to_ascii_lowercase().starts_with("forallvalues") {
        return String::from("set operators are written `ForAnyValue:` and `ForAllValues:`, followed by an operator");
    }
    String::from(
        "operators are String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress, NotIpAddress, Arn*, Null, optionally with `IfExists` and `ForAnyValue:` / `ForAllValues:`",
    )
}

/// A value as it is written: a string, number or boolean.
fn scalar_text(json: &Json) -> Option<String> {
    match &json.value {
        JsonValue::String(s) => Some(s.to_string()),
        JsonValue::Number(n) => Some(n.text.clone()),
        JsonValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn compile_value(base: Base, text: &str, variables: bool) -> Result<Value, String> {
    Ok(match base {
        Base::StringEquals | Base::StringEqualsIgnoreCase => Value::Exact(Template::parse(text, variables)?),
        Base::StringLike => {
            let t = Template::parse(text, variables)?;
            let glob = (!t.has_vars()).then(|| Glob::from_atoms(text.to_owned(), &t.static_atoms()));
            Value::Like(t, glob)
        }
        Base::Numeric(_) => {
            Value::Number(parse_number(text).ok_or_else(|| format!("`{text}` is not a number for a Numeric operator"))?)
        }
        Base::Date(_) => Value::Date(date::parse_instant(text).ok_or_else(|| {
            format!(
                "`{text}` is not a date for a Date operator: use ISO 8601 (`2026-11-22T10:00:00Z`) or epoch seconds"
            )
        })?),
        Base::Bool => Value::Bool(parse_bool(text).ok_or_else(|| format!("`{text}` is not `true` or `false`"))?),
        Base::Null => {
            Value::Null(parse_bool(text).ok_or_else(|| format!("Null takes `true` or `false`, found `{text}`"))?)
        }
        Base::BinaryEquals => {
            if !is_base64(text) {
                return Err(format!("`{text}` is not base64 for BinaryEquals"));
            }
            Value::Binary(text.to_owned())
        }
        Base::IpAddress => Value::Network(parse_network(text)?),
        Base::Arn => {
            let t = Template::parse(text, variables)?;
            if text != "*" && !text.starts_with("arn:") && !text.starts_with("${") {
                return Err(format!("`{text}` is not an ARN pattern for an Arn operator (`arn:partition:service:region:account:resource`)"));
            }
            let glob = (!t.has_vars()).then(|| ArnGlob::from_atoms(text.to_owned(), &t.static_atoms()));
            Value::Arn(t, glob)
        }
    })
}

/// A CIDR block or a bare address (a /32 or /128), IPv4 or IPv6.
fn parse_network(text: &str) -> Result<IpNet, String> {
    let trimmed = text.trim();
    // The address is read as request addresses are (the standard library), which refuses an ambiguous
    // `010.0.0.0`: octal 8 to some readers, decimal 10 to others. ipnet's own reader took it as decimal.
    let net = match trimmed.split_once('/') {
        None => trimmed.parse::<IpAddr>().ok().map(IpNet::from),
        Some((address, prefix)) if !prefix.is_empty() && prefix.bytes().all(|b| b.is_ascii_digit()) => {
            match (address.parse::<IpAddr>(), prefix.parse::<u8>()) {
                (Ok(address), Ok(length)) => IpNet::new(address, length).ok(),
                _ => None,
            }
        }
        Some(_) => None,
    };
    if let Some(net) = net {
        return Ok(net);
    }
    Err(format!("`{text}` is not an IP address or CIDR block (e.g. `203.0.113.0/24` or `2001:db8::/32`)"))
}

fn is_base64(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    text.len() % 4 == 0
        && text.len() - body.len() <= 2
        && body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// Compile a statement's `Condition` block.
pub fn compile_block(
    json: &Json,
    ptr: &Ptr<'_>,
    variables: bool,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Condition>, Error> {
    const CODE: ErrorCode = ErrorCode::InvalidPolicy;
    let operators = json.as_object().ok_or_else(|| {
        ptr.error(CODE, format!("`Condition` must be an object of operators, found {}", json.kind()), json.span)
    })?;
    let mut conditions = Vec::new();
    for (op_key, block) in operators {
        let op_ptr = ptr.key(&op_key.name);
        let (set, base, negated, if_exists) = parse_operator(&op_key.name)
            .map_err(|m| op_ptr.error(CODE, m, op_key.span).with_help(operator_help(&op_key.name)))?;
        let keys = block.as_object().ok_or_else(|| {
            op_ptr.error(
                CODE,
                format!("`{}` must be an object of condition keys, found {}", op_key.name, block.kind()),
                block.span,
            )
        })?;
        if keys.is_empty() {
            return Err(op_ptr.error(CODE, format!("`{}` names no condition key", op_key.name), block.span));
        }
        let mut seen = crate::decode::NameSet::default();
        for (key_json, values_json) in keys {
            let key_ptr = op_ptr.key(&key_json.name);
            let key = ConditionKey::new(&key_json.name);
            if !seen.insert(key.lower()) {
                return Err(key_ptr.error(
                    CODE,
                    format!(
                        "condition key `{}` appears twice under `{}` (key names are case-insensitive)",
                        key_json.name, op_key.name
                    ),
                    key_json.span,
                ));
            }
            if !key.is_known() {
                warnings.push(Warning {
                    message: format!(
                        "condition key `{}` is not one AWS documents for these requests: it is absent (so the condition never matches unless it is negated or IfExists) unless the request's `context` gives it",
                        key_json.name
                    ),
                    path: key_ptr.render(),
                    span: Some(key_json.span).filter(|s| !s.is_none()),
                });
            }
            if key.is_multi_valued() && set == SetOperator::None && base != Base::Null {
                warnings.push(Warning {
                    message: format!(
                        "condition key `{}` is multi-valued: write `ForAnyValue:{}` or `ForAllValues:{}` to say how its values combine",
                        key_json.name, op_key.name, op_key.name
                    ),
                    path: key_ptr.render(),
                    span: Some(key_json.span).filter(|s| !s.is_none()),
                });
            }
            let items: Vec<(&Json, Ptr<'_>)> = match &values_json.value {
                JsonValue::Array(items) => items.iter().enumerate().map(|(i, v)| (v, key_ptr.index(i))).collect(),
                _ => vec![(values_json, key_ptr)],
            };
            if items.is_empty() {
                return Err(key_ptr.error(CODE, format!("`{}` lists no value", key_json.name), values_json.span));
            }
            if items.len() > MAX_VALUES_PER_KEY {
                return Err(key_ptr.error(
                    CODE,
                    format!(
                        "`{}` lists {} values, more than the limit of {MAX_VALUES_PER_KEY}",
                        key_json.name,
                        items.len()
                    ),
                    values_json.span,
                ));
            }
            let mut shown = Vec::with_capacity(items.len());
            let mut values = Vec::with_capacity(items.len());
            for (item, item_ptr) in &items {
                let text = scalar_text(item).ok_or_else(|| {
                    item_ptr.error(
                        CODE,
                        format!("a condition value must be a string, number or boolean, found {}", item.kind()),
                        item.span,
                    )
                })?;
                let value = compile_value(base, &text, variables).map_err(|m| item_ptr.error(CODE, m, item.span))?;
                if let Value::Arn(_, Some(glob)) = &value {
                    if text != "*" && glob.parts() < 6 {
                        warnings.push(Warning {
                            message: format!("`{text}` has fewer than the six colon-separated parts of an ARN, so it matches no ARN (a `*` never stands for a `:`)"),
                            path: item_ptr.render(),
                            span: Some(item.span).filter(|s| !s.is_none()),
                        });
                    }
                }
                if let Some(t) = value.template() {
                    for var in t.variable_keys() {
                        let message = if !var.is_known() {
                            Some(format!("policy variable key `{}` is not one AWS documents: it has no value unless the request's `context` gives it", var.name()))
                        } else {
                            multi_valued_variable_warning(var)
                        };
                        if let Some(message) = message {
                            warnings.push(Warning {
                                message,
                                path: item_ptr.render(),
                                span: Some(item.span).filter(|s| !s.is_none()),
                            });
                        }
                    }
                }
                shown.push(text);
                values.push(value);
            }
            conditions.push(Condition {
                operator: op_key.name.to_string(),
                base,
                negated,
                set,
                if_exists,
                key,
                has_variables: values.iter().any(Value::has_variables),
                shown,
                values,
            });
        }
    }
    Ok(conditions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{parse, Limits};

    struct Map(Vec<(&'static str, Vec<String>)>);

    impl Context for Map {
        fn get(&self, key: &ConditionKey) -> Option<ContextValues<'_>> {
            self.0.iter().find(|(k, _)| k.eq_ignore_ascii_case(key.name())).map(|(_, v)| match v.as_slice() {
                [one] => ContextValues::Single(one),
                many => ContextValues::Multi(many),
            })
        }
    }

    fn ctx(pairs: &[(&'static str, &[&str])]) -> Map {
        Map(pairs.iter().map(|(k, v)| (*k, v.iter().map(|s| (*s).to_owned()).collect())).collect())
    }

    fn compile(text: &str) -> Result<Vec<Condition>, Error> {
        let json = parse(text, &Limits::default())?;
        compile_block(&json, &Ptr::ROOT, true, &mut Vec::new())
    }

    fn holds(block: &str, context: &Map) -> bool {
        compile(block).map(|cs| cs.iter().all(|c| c.matches(context))).unwrap_or(false)
    }

    #[test]
    fn negated_operators_are_true_when_the_key_is_absent() {
        let none = ctx(&[]);
        assert!(holds(r#"{"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}"#, &none));
        assert!(!holds(r#"{"StringEquals": {"aws:SourceVpce": "vpce-1"}}"#, &none));
        assert!(holds(r#"{"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}}"#, &none));
        assert!(holds(r#"{"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#, &none));
    }

    #[test]
    fn negated_operators_need_the_value_to_match_none() {
        let c = ctx(&[("aws:SourceVpce", &["vpce-2"])]);
        assert!(!holds(r#"{"StringNotEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}}"#, &c));
        assert!(holds(r#"{"StringNotEquals": {"aws:SourceVpce": ["vpce-1", "vpce-3"]}}"#, &c));
        assert!(holds(r#"{"StringEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}}"#, &c));
    }

    #[test]
    fn set_operators_on_absent_and_present_keys() {
        let none = ctx(&[]);
        assert!(!holds(r#"{"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-1/*"}}"#, &none));
        assert!(holds(r#"{"ForAllValues:StringLike": {"aws:PrincipalOrgPaths": "o-1/*"}}"#, &none));
        let two = ctx(&[("aws:PrincipalOrgPaths", &["o-1/r-1/", "o-2/r-1/"])]);
        assert!(holds(r#"{"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-1/*"}}"#, &two));
        assert!(!holds(r#"{"ForAllValues:StringLike": {"aws:PrincipalOrgPaths": "o-1/*"}}"#, &two));
        assert!(holds(r#"{"ForAllValues:StringLike": {"aws:PrincipalOrgPaths": ["o-1/*", "o-2/*"]}}"#, &two));
    }

    #[test]
    fn every_operator_family_compares_by_its_type() {
        let c = ctx(&[
            ("aws:SourceIp", &["2001:db8::7"]),
            ("aws:MultiFactorAuthAge", &["300"]),
            ("aws:CurrentTime", &["2026-11-22T10:00:00Z"]),
            ("aws:SecureTransport", &["true"]),
            ("aws:PrincipalArn", &["arn:aws:iam::111122223333:role/ops/deploy"]),
            ("aws:UserAgent", &["Curl/8"]),
            ("custom:Bytes", &["aGVsbG8="]),
        ]);
        assert!(holds(r#"{"IpAddress": {"aws:SourceIp": "2001:db8::/32"}}"#, &c));
        assert!(holds(r#"{"IpAddress": {"aws:SourceIp": "2001:db8::7"}}"#, &c));
        assert!(holds(r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": 3600}}"#, &c));
        assert!(!holds(r#"{"NumericGreaterThan": {"aws:MultiFactorAuthAge": "3600"}}"#, &c));
        assert!(holds(r#"{"DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}}"#, &c));
        assert!(holds(r#"{"DateLessThan": {"aws:CurrentTime": "1800000000"}}"#, &c));
        assert!(holds(r#"{"Bool": {"aws:SecureTransport": true}}"#, &c));
        assert!(holds(r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/ops/*"}}"#, &c));
        assert!(!holds(r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam:*"}}"#, &c));
        assert!(holds(r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:*"}}"#, &c));
        assert!(holds(r#"{"StringEqualsIgnoreCase": {"aws:UserAgent": "curl/8"}}"#, &c));
        assert!(!holds(r#"{"StringEquals": {"aws:UserAgent": "curl/8"}}"#, &c));
        assert!(holds(r#"{"BinaryEquals": {"custom:Bytes": "aGVsbG8="}}"#, &c));
        assert!(holds(r#"{"Null": {"aws:SourceVpce": "true", "aws:SourceIp": "false"}}"#, &c));
    }

    #[test]
    fn policy_variables_resolve_from_the_context_and_defaults() {
        let c = ctx(&[("aws:username", &["alice"]), ("aws:PrincipalTag/team", &["pets"])]);
        assert!(holds(
            r#"{"StringEquals": {"custom:Owner": "${aws:username}"}}"#,
            &ctx(&[("custom:Owner", &["alice"]), ("aws:username", &["alice"])])
        ));
        assert!(holds(
            r#"{"StringLike": {"aws:username": "${aws:PrincipalTag/team, 'x'}*"}}"#,
            &ctx(&[("aws:username", &["petsy"]), ("aws:PrincipalTag/team", &["pets"])])
        ));
        assert!(!holds(r#"{"StringEquals": {"aws:username": "${aws:PrincipalTag/dept}"}}"#, &c));
        assert!(holds(r#"{"StringNotEquals": {"aws:username": "${aws:PrincipalTag/dept}"}}"#, &c));
        assert!(holds(r#"{"StringEquals": {"aws:username": "${aws:PrincipalTag/dept, 'alice'}"}}"#, &c));
        assert!(holds(r#"{"StringLike": {"aws:username": "a${*}"}}"#, &ctx(&[("aws:username", &["a*"])])));
        assert!(!holds(r#"{"StringLike": {"aws:username": "a${*}"}}"#, &c));
    }

    #[test]
    fn bad_values_and_operators_are_errors_with_their_path() {
        let err = |text: &str| compile(text).err().map(|e| (e.path.clone(), e.message.clone())).unwrap_or_default();
        assert_eq!(
            err(r#"{"IpAddress": {"aws:SourceIp": ["1.2.3.0/24", "1.2.3.999/24"]}}"#).0,
            "/IpAddress/aws:SourceIp/1"
        );
        assert!(err(r#"{"DateLessThan": {"aws:CurrentTime": "next week"}}"#).1.contains("not a date"));
        assert!(err(r#"{"NumericEquals": {"aws:MultiFactorAuthAge": "ten"}}"#).1.contains("not a number"));
        assert_eq!(err(r#"{"StringEqual": {"aws:username": "x"}}"#).1, "unknown condition operator `StringEqual`");
        assert!(err(r#"{"NullIfExists": {"aws:username": "true"}}"#).1.contains("NullIfExists"));
        assert!(compile(r#"{"stringequals": {"aws:username": "x"}}"#)
            .is_err_and(|e| e.help.as_ref().is_some_and(|h| h.contains("StringEquals"))));
    }

    #[test]
    fn cidr_blocks_are_read_like_request_addresses() {
        // Found by the cidr_date fuzz target: `010.0.0.0/8` compiled (as 10.0.0.0/8) while the request address
        // `010.0.0.1` is refused; leading zeros are octal to some readers, so both sides now refuse them.
        for bad in ["010.0.0.0/8", "10.0.0.0/+8", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0 /8", "10.0.0.0/8/8"] {
            assert!(parse_network(bad).is_err(), "{bad}");
        }
        for (good, shown) in [
            (" 10.0.0.0/8 ", "10.0.0.0/8"),
            ("10.1.2.3/08", "10.1.2.3/8"),
            ("203.0.113.7", "203.0.113.7/32"),
            ("2001:0db8::/32", "2001:db8::/32"),
            ("::ffff:10.0.0.0/104", "::ffff:10.0.0.0/104"),
        ] {
            assert_eq!(parse_network(good).map(|n| n.to_string()).as_deref(), Ok(shown), "{good}");
        }
    }

    #[test]
    fn unknown_keys_are_warnings() {
        let json = parse(r#"{"StringEquals": {"aws:SourceIpp": "x", "aws:username": "y"}}"#, &Limits::default());
        let mut warnings = Vec::new();
        let compiled = json.and_then(|j| compile_block(&j, &Ptr::ROOT, true, &mut warnings));
        assert!(compiled.is_ok());
        assert_eq!(warnings.len(), 1);
        assert!(warnings.iter().all(|w| w.message.contains("aws:SourceIpp")));
    }
}
