//! Policy test suites: a scenario without `request`, plus `cases`, each with the decision fields it expects.
//!
//! Cases run in order and share one Lambda authorizer cache, so a suite can show a cached policy being reused
//! for the next method (docs/contract-extensions.md).

use serde::Serialize;

use crate::decode::{expect_array, expect_str, Fields, Ptr};
use crate::error::{Error, ErrorCode};
use crate::gateway::{AuthorizerCache, Options, PreparedApi};
use crate::iam::scenario::{IamDecision, IamScenario};
use crate::json::{Json, LineIndex};
use crate::response::Decision;
use crate::scenario::split_document;

const CODE: ErrorCode = ErrorCode::InvalidScenario;

/// One field of a case whose actual value differs from the expected one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub field: String,
    pub expected: serde_json::Value,
    pub actual: serde_json::Value,
}

/// The decision of a case: an API Gateway decision, or a general IAM one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum CaseDecision {
    Api(Decision),
    Iam(IamDecision),
}

impl CaseDecision {
    /// The explanation as text for a terminal.
    pub fn render_text(&self) -> String {
        match self {
            CaseDecision::Api(d) => crate::explain::render_text(d),
            CaseDecision::Iam(d) => d.render_text(),
        }
    }

    /// Compact JSON, byte for byte what every front returns.
    pub fn to_json(&self) -> String {
        match self {
            CaseDecision::Api(d) => d.to_json(),
            CaseDecision::Iam(d) => d.to_json(),
        }
    }

    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    fn explanation_mut(&mut self) -> &mut Vec<crate::explain::Step> {
        match self {
            CaseDecision::Api(d) => &mut d.explanation,
            CaseDecision::Iam(d) => &mut d.explanation,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseReport {
    pub name: String,
    pub description: Option<String>,
    pub passed: bool,
    pub decision: CaseDecision,
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

    /// The report for a person, as every command line prints it: the file (and the suite's description),
    /// `PASS name` / `FAIL name` per case, and for a failure its description, what differed (compact JSON) and
    /// the explanation, indented. With `verbose`, passing cases are explained too.
    pub fn render_text(&self, file: &str, verbose: bool) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        match &self.description {
            Some(description) => {
                let _ = writeln!(out, "{file} - {description}");
            }
            None => {
                let _ = writeln!(out, "{file}");
            }
        }
        for case in &self.cases {
            let _ = writeln!(out, "  {} {}", if case.passed { "PASS" } else { "FAIL" }, case.name);
            if !case.passed {
                if let Some(description) = &case.description {
                    let _ = writeln!(out, "    description: {description}");
                }
            }
            for difference in &case.differences {
                // serde_json's Display of a value is its compact JSON.
                let _ = writeln!(
                    out,
                    "    {}: expected {}, actual {}",
                    difference.field, difference.expected, difference.actual
                );
            }
            if verbose || !case.passed {
                for line in case.decision.render_text().lines() {
                    if line.is_empty() {
                        out.push('\n');
                    } else {
                        let _ = writeln!(out, "      {line}");
                    }
                }
            }
        }
        out
    }

    /// The explanation of the case named `name`: a header line with its description, then the decision
    /// explained. The suite has run up to that case, so a cached authorizer result it reads is there.
    pub fn explain_case(&self, name: &str) -> Result<String, Error> {
        let Some(case) = self.cases.iter().find(|c| c.name == name) else {
            let names = self.cases.iter().map(|c| format!("`{}`", c.name)).collect::<Vec<_>>().join(", ");
            return Err(Error::invalid_argument(format!("the suite has no case `{name}`; its cases are {names}")));
        };
        let mut out = format!("case `{}`", case.name);
        if let Some(description) = &case.description {
            out.push_str(": ");
            out.push_str(description);
        }
        out.push('\n');
        out.push_str(&case.decision.render_text());
        Ok(out)
    }
}

/// A case read from the suite.
struct Case<'j> {
    name: String,
    description: Option<String>,
    request: &'j Json<'j>,
    expect: &'j [(crate::json::Key<'j>, Json<'j>)],
}

fn read_case<'j>(json: &'j Json<'j>, ptr: &Ptr<'_>) -> Result<Case<'j>, Error> {
    let mut f = Fields::new(json, ptr, CODE, "a case")?;
    let name = expect_str(f.require("name", ptr)?, &ptr.key("name"), CODE)?.to_owned();
    let description = match f.take_non_null("description") {
        None => None,
        Some(d) => Some(expect_str(d, &ptr.key("description"), CODE)?.to_owned()),
    };
    let request = f.require("request", ptr)?;
    let expect_json = f.require("expect", ptr)?;
    let expect = expect_json.as_object().ok_or_else(|| {
        ptr.key("expect").error(
            CODE,
            format!("`expect` must be an object of decision fields, found {}", expect_json.kind()),
            expect_json.span,
        )
    })?;
    f.finish(ptr, &["name", "description", "request", "expect"])?;
    Ok(Case { name, description, request, expect })
}

/// JSON equality: numbers by value (`200.0` is `200`, as in JavaScript and Python, so that every front agrees),
/// objects whatever their key order.
fn json_equal(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
            (Some(x), Some(y), _, _) => x == y,
            (_, _, Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// Compare the expected fields with the decision; an expected field the decision does not have is an error.
fn compare(
    expect: &[(crate::json::Key, Json)],
    actual: &serde_json::Value,
    ptr: &Ptr<'_>,
) -> Result<Vec<Difference>, Error> {
    let mut differences = Vec::new();
    let fields = actual.as_object();
    for (key, value) in expect {
        let Some(actual_value) = fields.and_then(|f| f.get(key.name.as_ref())) else {
            let known =
                fields.map(|f| f.keys().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")).unwrap_or_default();
            return Err(ptr.key(&key.name).error(
                CODE,
                format!("unknown decision field `{}`, expected one of {known}", key.name),
                key.span,
            ));
        };
        let expected = value.to_serde();
        if !json_equal(&expected, actual_value) {
            differences.push(Difference { field: key.name.to_string(), expected, actual: actual_value.clone() });
        }
    }
    Ok(differences)
}

pub(crate) fn run(json: &Json, index: Option<&LineIndex>) -> Result<SuiteReport, Error> {
    let doc = split_document(json)?;
    if let Some(r) = doc.request {
        return Err(Ptr::ROOT.key("request").error(
            CODE,
            "a suite has `cases`, each with its own `request`, not a top-level `request`",
            r.span,
        ));
    }
    let cases_json =
        doc.cases.ok_or_else(|| Ptr::ROOT.key("cases").error(CODE, "missing required field `cases`", json.span))?;
    let root = Ptr::ROOT;
    let cases_ptr = root.key("cases");
    let items = expect_array(cases_json, &cases_ptr, CODE)?;
    if items.is_empty() {
        return Err(cases_ptr.error(CODE, "a suite needs at least one case", cases_json.span));
    }

    enum Engine {
        Api(Box<PreparedApi>, AuthorizerCache),
        Iam(Box<IamScenario>),
    }
    let mut engine = if doc.resources.is_some() {
        Engine::Iam(Box::new(IamScenario::from_document(&doc, index)?))
    } else {
        Engine::Api(Box::new(PreparedApi::from_json(json, index, true)?), AuthorizerCache::new())
    };

    let mut reports = Vec::with_capacity(items.len());
    // A case is named in the report, and `explain --case` finds it by name: two of one name would be a guess.
    let mut names = crate::decode::NameSet::default();
    for (i, item) in items.iter().enumerate() {
        let ptr = cases_ptr.index(i);
        let case = read_case(item, &ptr)?;
        if !names.insert(&case.name) {
            let span = item.get("name").map_or(item.span, |n| n.span);
            return Err(ptr.key("name").error(CODE, format!("two cases are named `{}`", case.name), span));
        }
        let request_ptr = ptr.key("request");
        let mut decision = match &mut engine {
            Engine::Api(api, cache) => {
                let request = api.request_from_json(case.request, &request_ptr, index)?;
                cache.set_label(format!("case `{}`", case.name));
                let decision = api.decide_with(&request, Some(cache), Options { explain: true }).map_err(|e| {
                    if e.path.starts_with("/request") {
                        e.under(&ptr.render())
                    } else {
                        e
                    }
                })?;
                CaseDecision::Api(decision)
            }
            Engine::Iam(scenario) => {
                let request = scenario.request_from_json(case.request, &request_ptr, index)?;
                CaseDecision::Iam(scenario.authorize(&request))
            }
        };
        // Compared without the explanation unless `expect` names it: turning every case's explanation into a
        // `Value` only to read a few fields was most of a large suite's time.
        let compared_whole = case.expect.iter().any(|(k, _)| k.name == "explanation");
        let explanation = (!compared_whole).then(|| std::mem::take(decision.explanation_mut()));
        let differences = compare(case.expect, &decision.to_value(), &ptr.key("expect"));
        if let Some(explanation) = explanation {
            *decision.explanation_mut() = explanation;
        }
        let differences = differences?;
        reports.push(CaseReport {
            name: case.name,
            description: case.description,
            passed: differences.is_empty(),
            decision,
            differences,
        });
    }
    let failed = reports.iter().filter(|r| !r.passed).count();
    Ok(SuiteReport { description: doc.description, passed: reports.len() - failed, failed, cases: reports })
}

#[cfg(test)]
mod tests {
    use crate::suite::{json_equal, CaseDecision};

    #[test]
    fn expected_values_are_compared_as_json_values() {
        let equal = |a: &str, b: &str| {
            let (a, b) = (serde_json::from_str(a), serde_json::from_str(b));
            a.is_ok_and(|a| b.is_ok_and(|b| json_equal(&a, &b)))
        };
        assert!(equal("200", "200.0") && equal("200.0", "200") && equal("2e2", "200") && equal("-0", "0"));
        assert!(!equal("200", "201") && !equal("200", "\"200\"") && !equal("9007199254740993", "9007199254740992"));
        assert!(equal(r#"[{"index": 1, "sid": null}]"#, r#"[{"sid": null, "index": 1.0}]"#));
        assert!(!equal("[1, 2]", "[2, 1]") && !equal(r#"{"a": 1}"#, r#"{"a": 1, "b": 2}"#) && !equal("null", "0"));
    }

    #[test]
    fn the_explanation_is_compared_only_when_expected_and_always_reported() {
        let suite = |expect: &str| {
            format!(
                r#"{{"api": {{"id": "a1b2c3d4e5", "accountId": "111122223333", "region": "us-east-1"}},
                    "cases": [{{"name": "c", "request": {{"httpMethod": "GET", "path": "/", "stage": "prod",
                                "sourceIp": "203.0.113.7"}}, "expect": {expect}}}]}}"#
            )
        };
        let explanation_of = |report: &crate::SuiteReport| match report.cases.first().map(|c| &c.decision) {
            Some(CaseDecision::Api(d)) => d.explanation.len(),
            _ => 0,
        };
        let report = crate::run_suite(suite(r#"{"decision": "Allow"}"#).as_str()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((report.passed, report.failed), (1, 0));
        assert!(explanation_of(&report) > 0, "the report keeps the explanation");
        let report = crate::run_suite(suite(r#"{"explanation": []}"#).as_str()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((report.passed, report.failed), (0, 1));
        let difference =
            report.cases.first().and_then(|c| c.differences.first()).map(|d| (d.field.as_str(), d.actual.clone()));
        assert!(matches!(difference, Some(("explanation", serde_json::Value::Array(steps))) if !steps.is_empty()));
        assert!(explanation_of(&report) > 0);
        let error = crate::run_suite(suite(r#"{"explanations": []}"#).as_str()).err().map(|e| e.message.clone());
        assert!(error.is_some_and(|m| m.contains("`explanation`")), "the unknown-field message still lists it");
    }
}
