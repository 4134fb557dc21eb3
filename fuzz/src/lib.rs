//! The bodies of the fuzz targets, one public function per target, each taking the fuzzer's raw bytes.
//!
//! This file is also compiled into `core/tests/fuzz_replay.rs` (by `#[path]`), which runs every file of
//! `core/tests/fuzz-seeds/<target>/` through the same function on stable: a seed that once crashed the engine
//! keeps being checked by `cargo test`. So it depends only on `apigw_authz` and `serde_json`, never on
//! libFuzzer.
//!
//! Besides "does not panic", each target checks properties that must hold for every input:
//! - `policy` (one kind per input; [`policy_as`] for a chosen kind): `validate_policy` reports an error exactly when `Policy::compile` fails; a policy given as a
//!   parsed value compiles exactly like the same value given as text.
//! - `scenario`: text and parsed-value input give the same decision or the same error; a prepared API decides
//!   like the one-shot `authorize`; the fast path (`decide`) agrees with the explained path.
//! - `wildcard`: `Glob` and `ArnGlob` agree with a simple dynamic-programming reference matcher.
//! - `cidr_date`: dates round-trip through `format_iso`; an `IpAddress` / `Date*` condition compiles exactly
//!   when the reference parser reads its value, and decides as the reference comparison says, failing closed
//!   when the request value does not parse.

use apigw_authz::condition::date::{format_compact, format_iso, parse_instant};
use apigw_authz::policy::{ApiScope, Policy};
use apigw_authz::wildcard::{ArnGlob, Atom, Glob};
use apigw_authz::{authorize, authorize_iam, run_suite, validate_policy, Error, PolicyKind, PreparedApi, Severity};
use serde_json::{json, Value};

/// Every policy kind: each one makes different elements required or forbidden.
pub const KINDS: [PolicyKind; 5] = [
    PolicyKind::Resource,
    PolicyKind::Identity,
    PolicyKind::Authorizer,
    PolicyKind::Endpoint,
    PolicyKind::ResourceBased,
];

const SCOPE: ApiScope<'static> =
    ApiScope { partition: "aws", region: "us-east-1", account: "111122223333", api_id: "a1b2c3d4e5" };

/// The parts of an error that do not depend on whether the input was text (line and column do).
fn error_key(e: &Error) -> (String, String, String, Option<String>) {
    (e.code.as_str().to_owned(), e.message.clone(), e.path.clone(), e.help.clone())
}

/// Policy text as one kind, chosen by the input's length so that the fuzzer spreads over all kinds while each
/// run compiles only a few times (the replay test runs every seed as every kind through [`policy_as`]).
pub fn policy(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Some(kind) = KINDS.get(data.len() % KINDS.len()) {
        policy_as(*kind, text);
    }
}

/// Policy text compiled as `kind` (and, for a resource policy, inside an API's scope), validated, and compiled
/// again as a parsed value.
pub fn policy_as(kind: PolicyKind, text: &str) {
    let compiled = Policy::compile(text, kind, None);
    let diagnostics = validate_policy(text, kind);
    let has_error = diagnostics.iter().any(|d| d.severity == Severity::Error);
    assert_eq!(compiled.is_err(), has_error, "validate_policy and Policy::compile disagree ({kind:?})");
    if let Ok(policy) = &compiled {
        // (`"Statement": []` compiles to a policy that allows nothing: the denying direction.)
        assert_eq!(diagnostics.len(), policy.warnings.len());
    }
    if kind == PolicyKind::Resource {
        let _ = Policy::compile(text, kind, Some(SCOPE));
    }
    // serde_json keeps the last of duplicate keys and has its own depth limit: compare only what it reads, and
    // give our reader its canonical text so numbers are written the same way on both sides.
    let Ok(value) = serde_json::from_str::<Value>(text) else { return };
    let Ok(canonical) = serde_json::to_string(&value) else { return };
    let from_value = Policy::compile(&value, kind, None);
    let from_text = Policy::compile(canonical.as_str(), kind, None);
    match (&from_value, &from_text) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.statements.len(), b.statements.len());
            let warnings =
                |p: &Policy| p.warnings.iter().map(|w| (w.message.clone(), w.path.clone())).collect::<Vec<_>>();
            assert_eq!(warnings(a), warnings(b), "warnings differ between value and text input");
        }
        (Err(a), Err(b)) => assert_eq!(error_key(a), error_key(b), "errors differ between value and text"),
        _ => panic!("value and text input disagree ({kind:?}): {from_value:?} vs {from_text:?}"),
    }
}

/// A decision or error as JSON, without the fields that only text input has (`line`, `column`).
pub fn comparable<T: serde::Serialize>(result: &Result<T, Error>) -> Value {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.shift_remove("line");
                map.shift_remove("column");
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value = match result {
        Ok(d) => json!({ "ok": serde_json::to_value(d).unwrap_or(Value::Null) }),
        Err(e) => json!({ "err": serde_json::to_value(e).unwrap_or(Value::Null) }),
    };
    strip(&mut value);
    value
}

/// A scenario, suite or general IAM check, through the entry point its shape asks for, as text and as a parsed
/// value (and, for a one-shot scenario, through a prepared API too).
pub fn scenario(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        // Not JSON serde_json reads (then not JSON we read either): every entry point must say so.
        assert!(authorize(text).is_err() && run_suite(text).is_err() && authorize_iam(text).is_err());
        return;
    };
    let Ok(canonical) = serde_json::to_string(&value) else { return };
    let has = |key: &str| value.get(key).is_some_and(|v| !v.is_null());
    if has("cases") {
        let report = run_suite(text);
        if let Ok(report) = &report {
            let _ = report.to_json();
            for case in &report.cases {
                let _ = case.decision.render_text();
            }
        }
        assert_eq!(comparable(&run_suite(&value)), comparable(&run_suite(canonical.as_str())), "run_suite");
        return;
    }
    if has("resources") {
        if let Ok(d) = authorize_iam(text) {
            let _ = d.render_text();
            let _ = d.to_json();
        }
        assert_eq!(comparable(&authorize_iam(&value)), comparable(&authorize_iam(canonical.as_str())), "iam");
        return;
    }
    if let Ok(d) = authorize(text) {
        let _ = apigw_authz::render_text(&d);
        // The hand-written writer must write what serde writes.
        assert_eq!(d.to_json(), serde_json::to_string(&d).unwrap_or_default(), "Decision::to_json");
    }
    let from_text = authorize(canonical.as_str());
    let from_value = authorize(&value);
    assert_eq!(comparable(&from_value), comparable(&from_text), "authorize: value and text disagree");
    // Text a program wrote from the value, and a tree built from it, answer exactly as the value does (line and
    // column included: none of them has any).
    let exact = |r: &Result<apigw_authz::Decision, Error>| r.as_ref().map(|d| d.to_json()).map_err(|e| e.to_json());
    let converted = authorize(apigw_authz::Input::Converted(&canonical));
    assert_eq!(exact(&converted), exact(&from_value), "authorize: converted text and value disagree");
    if let Ok(tree) =
        apigw_authz::json::from_value(&value, &apigw_authz::json::Limits { max_depth: 1000, ..Default::default() })
    {
        let from_tree = authorize(apigw_authz::Input::Tree(&tree));
        assert_eq!(exact(&from_tree), exact(&from_value), "authorize: tree and value disagree");
    }

    // Compile once, decide many times: the prepared API must decide like the one-shot call.
    let Some(members) = value.as_object() else { return };
    let Some(request) = members.get("request") else { return };
    let mut config = members.clone();
    config.shift_remove("request");
    let config = Value::Object(config);
    let Ok(api) = PreparedApi::new(&config) else { return };
    let Ok(parsed) = api.parse_request(request) else { return };
    let explained = api.authorize(&parsed);
    let fast = api.decide(&parsed);
    match (&explained, &fast) {
        (Ok(a), Ok(b)) => {
            assert_eq!(
                (a.decision, a.status_code, &a.message, &a.body),
                (b.decision, b.status_code, &b.message, &b.body)
            );
            assert_eq!(a.decisive, b.decisive, "the fast path names other decisive statements");
        }
        (Err(a), Err(b)) => assert_eq!(error_key(a), error_key(b)),
        _ => panic!("decide and authorize disagree: {explained:?} vs {fast:?}"),
    }
    if let Ok(one_shot) = &from_text {
        let prepared = explained.as_ref().map(|d| (d.decision, d.status_code)).ok();
        assert_eq!(prepared, Some((one_shot.decision, one_shot.status_code)), "prepared and one-shot disagree");
    }
}

/// One element of a reference pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    Lit(char),
    /// `?`
    One,
    /// `*`
    Run,
}

/// The textbook dynamic-programming wildcard matcher: O(pattern × text), obviously right.
pub fn reference_match(pattern: &[Tok], text: &[char]) -> bool {
    // `reach[j]`: the pattern read so far matches `text[..j]`.
    let mut reach = vec![false; text.len() + 1];
    reach[0] = true;
    for tok in pattern {
        let mut next = vec![false; text.len() + 1];
        match tok {
            Tok::Run => {
                let mut any = false;
                for j in 0..=text.len() {
                    any |= reach[j];
                    next[j] = any;
                }
            }
            Tok::One => {
                next[1..].copy_from_slice(&reach[..text.len()]);
            }
            Tok::Lit(c) => {
                for j in 1..=text.len() {
                    next[j] = reach[j - 1] && text[j - 1] == *c;
                }
            }
        }
        reach = next;
    }
    reach[text.len()]
}

/// A pattern cut at its first five colons (a colon counts whether it came from policy text or from a variable's
/// value).
fn arn_parts(pattern: &[Tok]) -> Vec<Vec<Tok>> {
    let mut parts: Vec<Vec<Tok>> = vec![Vec::new()];
    for tok in pattern {
        if *tok == Tok::Lit(':') && parts.len() < 6 {
            parts.push(Vec::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(*tok);
        }
    }
    parts
}

/// The ARN rule, written the obvious way: cut pattern and ARN at their first five colons (a colon of the
/// pattern counts whether it came from policy text or from a variable's value), and match part by part; a
/// pattern of one part (no colon) matches everything when it is only stars, else nothing.
pub fn reference_arn_match(pattern: &[Tok], text: &str) -> bool {
    let parts = arn_parts(pattern);
    if parts.len() == 1 {
        return !pattern.is_empty() && pattern.iter().all(|t| *t == Tok::Run);
    }
    let text_parts: Vec<&str> = text.splitn(6, ':').collect();
    text_parts.len() == parts.len()
        && parts.iter().zip(&text_parts).all(|(p, t)| reference_match(p, &t.chars().collect::<Vec<_>>()))
}

/// The Resource reading of `ArnGlob::matches` (after `for_resource`), the obvious way: a pattern of fewer than six
/// parts whose last part ends in `*` matches when its parts match the ARN's first colon-separated pieces, one by
/// one; any other pattern as the ARN rule says.
pub fn reference_resource_narrow_match(pattern: &[Tok], text: &str) -> bool {
    let parts = arn_parts(pattern);
    if parts.len() < 6 && parts.last().and_then(|p| p.last()) == Some(&Tok::Run) {
        let pieces: Vec<&str> = text.split(':').collect();
        return pieces.len() >= parts.len()
            && parts.iter().zip(&pieces).all(|(p, t)| reference_match(p, &t.chars().collect::<Vec<_>>()));
    }
    reference_arn_match(pattern, text)
}

/// The wide Resource reading (`ArnGlob::matches_wide`), the obvious way. When one of the first five parts ends in `*`,
/// the whole ARN is matched by a dynamic program in which that star takes any run (colons too), the other stars
/// and `?` of the first five parts take no colon, the colons between those parts are literal, and the sixth part
/// reads the rest as it is; otherwise the ARN rule.
pub fn reference_resource_match(pattern: &[Tok], text: &str) -> bool {
    let parts = arn_parts(pattern);
    if !parts.iter().take(5).any(|p| p.last() == Some(&Tok::Run)) {
        return reference_arn_match(pattern, text);
    }
    #[derive(Clone, Copy)]
    enum Class {
        Lit(char),
        One { colon: bool },
        Run { colon: bool },
    }
    let mut classes = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            classes.push(Class::Lit(':'));
        }
        for (k, tok) in part.iter().enumerate() {
            classes.push(match tok {
                Tok::Lit(c) => Class::Lit(*c),
                Tok::One => Class::One { colon: i == 5 },
                Tok::Run => Class::Run { colon: i == 5 || k + 1 == part.len() },
            });
        }
    }
    let text: Vec<char> = text.chars().collect();
    let mut reach = vec![false; text.len() + 1];
    reach[0] = true;
    for class in classes {
        let mut next = vec![false; text.len() + 1];
        match class {
            Class::Run { colon } => {
                let mut any = false;
                for j in 0..=text.len() {
                    // A run that takes no colon stops at one: reaching past it needs a fresh start.
                    if j > 0 && !colon && text[j - 1] == ':' {
                        any = false;
                    }
                    any |= reach[j];
                    next[j] = any;
                }
            }
            Class::One { colon } => {
                for j in 1..=text.len() {
                    next[j] = reach[j - 1] && (colon || text[j - 1] != ':');
                }
            }
            Class::Lit(c) => {
                for j in 1..=text.len() {
                    next[j] = reach[j - 1] && text[j - 1] == c;
                }
            }
        }
        reach = next;
    }
    reach[text.len()]
}

/// Atoms for `Glob::from_atoms`, merging neighbouring literal characters.
pub fn atoms(pattern: &[Tok]) -> Vec<Atom> {
    let mut out: Vec<Atom> = Vec::new();
    for tok in pattern {
        match tok {
            Tok::Lit(c) => match out.last_mut() {
                Some(Atom::Literal(s)) => s.push(*c),
                _ => out.push(Atom::Literal(c.to_string())),
            },
            Tok::One => out.push(Atom::AnyChar),
            Tok::Run => out.push(Atom::AnyRun),
        }
    }
    out
}

/// Read `pattern \0 text`. In the pattern, `\u{1}` switches literal mode on and off: there `*` and `?` are plain
/// characters, as in a policy variable's value.
pub fn split_wildcard_input(text: &str) -> (Vec<Tok>, bool, &str, &str) {
    let (pattern, subject) = text.split_once('\0').unwrap_or((text, ""));
    let mut toks = Vec::new();
    let mut literal = false;
    let mut plain = true;
    for c in pattern.chars() {
        match c {
            '\u{1}' => {
                literal = !literal;
                plain = false;
            }
            '*' if !literal => toks.push(Tok::Run),
            '?' if !literal => toks.push(Tok::One),
            c => toks.push(Tok::Lit(c)),
        }
    }
    (toks, plain, pattern, subject)
}

/// The wildcard matchers against the reference, for `Glob` (Action, StringLike) and `ArnGlob` (Resource,
/// ArnLike), with and without literal atoms.
pub fn wildcard(data: &[u8]) {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let (toks, plain, pattern, subject) = split_wildcard_input(input);
    let atoms = atoms(&toks);
    let glob = Glob::from_atoms(String::new(), &atoms);
    let arn = ArnGlob::from_atoms(String::new(), &atoms);
    let got = glob.matches(subject);
    let got_arn = arn.matches(subject);
    let resource = ArnGlob::from_atoms(String::new(), &atoms).for_resource();
    let (got_narrow, got_wide) = (resource.matches(subject), resource.matches_wide(subject));
    assert!(got_wide || !got_narrow, "the wide reading matches less than the narrow one: {pattern:?} {subject:?}");
    if plain {
        assert_eq!(Glob::new(pattern).matches(subject), got, "Glob::new and Glob::from_atoms disagree");
        assert_eq!(ArnGlob::new(pattern).matches(subject), got_arn, "ArnGlob::new and from_atoms disagree");
        let from_text = ArnGlob::new(pattern).for_resource();
        assert_eq!(from_text.matches(subject), got_narrow, "ArnGlob::new and from_atoms disagree as a Resource");
        assert_eq!(from_text.matches_wide(subject), got_wide, "ArnGlob::new and from_atoms disagree, wide");
    }
    // The reference is quadratic: keep it to inputs it answers quickly (the matcher itself ran on everything).
    if toks.len() <= 256 && subject.len() <= 1024 {
        let chars: Vec<char> = subject.chars().collect();
        assert_eq!(got, reference_match(&toks, &chars), "Glob: pattern {pattern:?} text {subject:?}");
        assert_eq!(got_arn, reference_arn_match(&toks, subject), "ArnGlob: pattern {pattern:?} text {subject:?}");
        let narrow = reference_resource_narrow_match(&toks, subject);
        assert_eq!(got_narrow, narrow, "ArnGlob as a Resource: pattern {pattern:?} text {subject:?}");
        let wide = reference_resource_match(&toks, subject);
        assert_eq!(got_wide, wide, "ArnGlob as a Resource, wide: pattern {pattern:?} text {subject:?}");
    }
}

/// The year of a date, to know whether its ISO form has the four digits `parse_instant` reads.
fn year_in_range(millis: i64) -> bool {
    // 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z.
    (-62_167_219_200_000..=253_402_300_799_999).contains(&millis)
}

/// Decide a NONE method whose resource policy holds `statements`, with `context` as extra condition keys.
fn decide_with_policy(statements: Value, context: Value) -> Result<apigw_authz::Decision, Error> {
    let scenario = json!({
        "api": {
            "id": "a1b2c3d4e5", "accountId": "111122223333", "region": "us-east-1",
            "policy": { "Version": "2012-10-17", "Statement": statements }
        },
        "request": {
            "httpMethod": "GET", "path": "/pets", "stage": "prod", "sourceIp": "198.51.100.7",
            "context": context
        }
    });
    authorize(&scenario)
}

fn reference_network(text: &str) -> Option<std::net::IpAddr> {
    text.trim().parse::<std::net::IpAddr>().ok()
}

/// Dates (`parse_instant`, `format_iso`) and CIDR blocks (an `IpAddress` condition), compiled and decided.
/// Input: `policy value \0 request value`.
pub fn cidr_date(data: &[u8]) {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let (policy_value, request_value) = input.split_once('\0').unwrap_or((input, ""));

    for text in [policy_value, request_value] {
        if let Some(millis) = parse_instant(text) {
            let iso = format_iso(millis);
            let _ = format_compact(millis);
            if year_in_range(millis) {
                assert_eq!(parse_instant(&iso), Some(millis), "{text:?} → {iso} does not read back");
            }
        }
    }

    let allow_all = json!({"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*"});

    // IpAddress: the policy compiles exactly when the value is a CIDR block or an address.
    let net = policy_value.trim().parse::<ipnet_like::Net>().ok();
    let allow_in = json!([{
        "Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*",
        "Condition": {"IpAddress": {"custom:clientIp": policy_value}}
    }]);
    let result = decide_with_policy(allow_in, json!({"custom:clientIp": request_value}));
    assert_eq!(result.is_ok(), net.is_some(), "IpAddress {policy_value:?}: {result:?}");
    if let (Ok(decision), Some(net)) = (&result, &net) {
        let inside = reference_network(request_value).is_some_and(|ip| net.contains(ip));
        assert_eq!(decision.status_code == 200, inside, "IpAddress {policy_value:?} ∋ {request_value:?}");
        // The same block as a Deny with NotIpAddress: allowed only when the address is known to be inside.
        let deny_outside = json!([allow_all.clone(), {
            "Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*",
            "Condition": {"NotIpAddress": {"custom:clientIp": policy_value}}
        }]);
        let deny = decide_with_policy(deny_outside, json!({"custom:clientIp": request_value}));
        assert_eq!(deny.map(|d| d.status_code == 200).ok(), Some(inside), "NotIpAddress {policy_value:?}");
    }

    // DateLessThan: compiles exactly when the value is a date; allows only a request time known to be earlier.
    let limit = parse_instant(policy_value);
    let before = json!([{
        "Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*",
        "Condition": {"DateLessThan": {"aws:CurrentTime": policy_value}}
    }]);
    let result = decide_with_policy(before, json!({"aws:CurrentTime": request_value}));
    assert_eq!(result.is_ok(), limit.is_some(), "DateLessThan {policy_value:?}: {result:?}");
    if let (Ok(decision), Some(limit)) = (&result, limit) {
        let earlier = parse_instant(request_value).is_some_and(|t| t < limit);
        assert_eq!(decision.status_code == 200, earlier, "{request_value:?} < {policy_value:?}");
        let deny_after = json!([allow_all.clone(), {
            "Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*",
            "Condition": {"DateGreaterThanEquals": {"aws:CurrentTime": policy_value}}
        }]);
        let deny = decide_with_policy(deny_after, json!({"aws:CurrentTime": request_value}));
        assert_eq!(deny.map(|d| d.status_code == 200).ok(), Some(earlier), "DateGreaterThanEquals {policy_value:?}");
    }
}

/// A CIDR block or a bare address, read by the standard library alone: the reference for `IpAddress` values.
mod ipnet_like {
    use std::net::IpAddr;

    pub struct Net {
        addr: IpAddr,
        prefix: u8,
    }

    impl std::str::FromStr for Net {
        type Err = ();
        fn from_str(text: &str) -> Result<Net, ()> {
            let (addr, prefix) = match text.split_once('/') {
                None => {
                    let addr: IpAddr = text.parse().map_err(|_| ())?;
                    (addr, if addr.is_ipv4() { 32 } else { 128 })
                }
                Some((a, p)) => {
                    let addr: IpAddr = a.parse().map_err(|_| ())?;
                    // A prefix is decimal digits only, no sign, within the address width.
                    if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(());
                    }
                    let prefix: u8 = p.parse().map_err(|_| ())?;
                    (addr, prefix)
                }
            };
            let width = if addr.is_ipv4() { 32 } else { 128 };
            if prefix > width {
                return Err(());
            }
            Ok(Net { addr, prefix })
        }
    }

    impl Net {
        pub fn contains(&self, ip: IpAddr) -> bool {
            fn bits(ip: IpAddr) -> (u128, u32) {
                match ip {
                    IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
                    IpAddr::V6(v6) => (u128::from(v6), 128),
                }
            }
            let (net, width) = bits(self.addr);
            let (addr, addr_width) = bits(ip);
            if width != addr_width {
                return false;
            }
            let host_bits = width - u32::from(self.prefix);
            let mask = if host_bits >= 128 { 0 } else { u128::MAX << host_bits };
            let mask = if width == 32 { mask & u128::from(u32::MAX) } else { mask };
            (net & mask) == (addr & mask)
        }
    }
}
