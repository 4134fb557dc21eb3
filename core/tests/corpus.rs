#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! The shared corpus, run through the Rust API.
//!
//! - `suites/*.json` (and every suite of `examples/scenarios/`): scenarios without `request`, plus
//!   `cases: [{name, description, request, expect}]`. Every case must pass; a failing case is printed with what
//!   differed and the engine's explanation. Node and pytest run the same files.
//! - `errors/*.json`: `{"description", "call"?, "input", "expect": {"code", "path", "line"?, "column"?,
//!   "messageContains"?}}`. `input` is a scenario or suite (passed as a parsed value) or a string holding raw
//!   JSON text (passed as text, so line and column can be checked). `call` is `authorize` or `runSuite`; without
//!   it, inputs with `cases` go to `run_suite` and the others to `authorize`.
//! - `suites-pending/` and `errors-pending/` are not run: expectations that follow the spec but that the engine
//!   does not meet yet wait there, in the same formats, until the engine is fixed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use apigw_authz::{authorize, authorize_iam, run_suite, Error, Input, PreparedApi, SuiteReport};
use serde_json::Value;

fn core_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `.json` files of `dir`, sorted; none when the directory does not exist.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn parse(path: &Path, text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn corpus_suites() -> Vec<PathBuf> {
    let files = json_files(&core_dir().join("tests").join("suites"));
    assert!(!files.is_empty(), "no suite under core/tests/suites");
    files
}

/// Every suite of the corpus and of `examples/scenarios/` (a directory that may not exist yet).
fn all_suites() -> Vec<PathBuf> {
    let mut files = corpus_suites();
    for path in json_files(&core_dir().join("..").join("examples").join("scenarios")) {
        if parse(&path, &read(&path)).get("cases").is_some() {
            files.push(path);
        }
    }
    files
}

fn short(path: &Path) -> String {
    let parent = path.parent().and_then(Path::file_name).map(|p| p.to_string_lossy().into_owned());
    format!("{}/{}", parent.unwrap_or_default(), path.file_name().map(|f| f.to_string_lossy()).unwrap_or_default())
}

fn describe_failures(file: &str, report: &SuiteReport, out: &mut String) {
    for case in report.cases.iter().filter(|c| !c.passed) {
        let _ = writeln!(out, "\n=== {file} › {}", case.name);
        if let Some(d) = &case.description {
            let _ = writeln!(out, "    {d}");
        }
        for diff in &case.differences {
            let _ = writeln!(out, "  {}:\n    expected {}\n    actual   {}", diff.field, diff.expected, diff.actual);
        }
        let _ = writeln!(out, "  explanation:");
        for line in case.decision.render_text().lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
}

#[test]
fn every_suite_passes() {
    let mut failures = String::new();
    let mut failed_cases = 0;
    let mut total = 0;
    for path in all_suites() {
        let text = read(&path);
        let file = short(&path);
        let expected_cases = parse(&path, &text)["cases"].as_array().map_or(0, Vec::len);
        match run_suite(Input::Text(&text)) {
            Err(e) => {
                let _ = writeln!(failures, "\n=== {file}: the suite does not run: {e}");
                failed_cases += expected_cases;
            }
            Ok(report) => {
                assert_eq!(report.cases.len(), expected_cases, "{file}: every case is reported");
                assert_eq!(report.passed + report.failed, expected_cases, "{file}: passed + failed");
                assert_eq!(report.failed, report.cases.iter().filter(|c| !c.passed).count(), "{file}: failed count");
                assert!(
                    report.cases.iter().all(|c| c.passed == c.differences.is_empty()),
                    "{file}: a case passes exactly when nothing differs"
                );
                failed_cases += report.failed;
                describe_failures(&file, &report, &mut failures);
            }
        }
        total += expected_cases;
    }
    assert!(total > 0, "the corpus has no cases");
    assert!(failures.is_empty(), "{failed_cases} of {total} cases fail:{failures}");
}

#[test]
fn every_case_also_decides_on_its_own() {
    // The bindings' tests decide each case as a one-request scenario (no authorizer cache shared with earlier
    // cases), so a case answered from the cache must still carry the `authorizerResult` the function would return.
    let mut problems = Vec::new();
    for path in all_suites() {
        let suite = parse(&path, &read(&path));
        let mut scenario = suite.as_object().unwrap().clone();
        let cases = scenario.remove("cases").unwrap();
        for case in cases.as_array().unwrap() {
            scenario.insert(String::from("request"), case["request"].clone());
            let one = Value::Object(scenario.clone());
            let result = if one.get("resources").is_some() {
                authorize_iam(Input::Value(&one)).map(|_| ())
            } else {
                authorize(Input::Value(&one)).map(|one_shot| {
                    // The prepared API, given the request alone, must answer byte for byte as the one-shot call:
                    // nothing in a decision may depend on where the request sat in the input.
                    let mut config = scenario.clone();
                    config.remove("request");
                    let api = PreparedApi::new(Input::Value(&Value::Object(config))).unwrap();
                    let prepared = api.authorize_input(Input::Value(&case["request"])).unwrap();
                    if prepared.to_json() != one_shot.to_json() {
                        let (a, b) = (prepared.to_json(), one_shot.to_json());
                        let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
                        problems.push(format!(
                            "{} › {}: the prepared API and the one-shot call differ from byte {at}: {:?} vs {:?}",
                            short(&path),
                            case["name"],
                            a.get(at.saturating_sub(40)..(at + 80).min(a.len())),
                            b.get(at.saturating_sub(40)..(at + 80).min(b.len())),
                        ));
                    }
                })
            };
            if let Err(e) = result {
                problems.push(format!("{} › {}: {e}", short(&path), case["name"]));
            }
        }
    }
    assert!(problems.is_empty(), "cases that cannot be decided on their own:\n{}", problems.join("\n"));
}

#[test]
fn decisions_are_written_exactly_as_serde_writes_them() {
    // `Decision::to_json` is written by hand for speed; the derived `Serialize` (which the Python front and
    // `to_value` use) is the reference it must match byte for byte, explained or not.
    let mut checked = 0;
    for path in all_suites() {
        let suite = parse(&path, &read(&path));
        if suite.get("api").is_none() {
            continue;
        }
        let mut config = suite.as_object().unwrap().clone();
        let cases = config.remove("cases").unwrap();
        config.remove("description");
        let config = Value::Object(config);
        // From text too: the explanation's statements then carry their line and column.
        let text = serde_json::to_string_pretty(&config).unwrap();
        let apis =
            [apigw_authz::PreparedApi::new(&config).unwrap(), apigw_authz::PreparedApi::new(text.as_str()).unwrap()];
        for case in cases.as_array().unwrap() {
            for api in &apis {
                let Ok(request) = api.parse_request(&case["request"]) else { continue };
                for decision in [api.authorize(&request), api.decide(&request)].into_iter().flatten() {
                    let by_serde = serde_json::to_string(&decision).unwrap();
                    assert_eq!(decision.to_json(), by_serde, "{} › {}", short(&path), case["name"]);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 400, "only {checked} decisions checked");
}

/// The report without the statements' line and column, which only text input has.
fn strip_positions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.contains_key("applies") {
                for key in ["line", "column"] {
                    if let Some(v) = map.get_mut(key) {
                        *v = Value::Null;
                    }
                }
            }
            map.values_mut().for_each(strip_positions);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_positions),
        _ => {}
    }
}

/// The first place where two JSON values differ, as a JSON pointer, with both sides.
fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                let here = format!("{at}/{key}");
                match (x.get(key), y.get(key)) {
                    (Some(p), Some(q)) => {
                        if let Some(d) = first_difference(p, q, &here) {
                            return Some(d);
                        }
                    }
                    (p, q) => return Some(format!("{here}: {p:?} vs {q:?}")),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (p, q))| first_difference(p, q, &format!("{at}/{i}")))
        }
        _ if a == b => None,
        _ => Some(format!("{at}: {a} vs {b}")),
    }
}

#[test]
fn text_and_value_inputs_give_the_same_report() {
    let mut differences = Vec::new();
    let mut positions_seen = false;
    for path in all_suites() {
        let text = read(&path);
        let value = parse(&path, &text);
        let (Ok(from_text), Ok(from_value)) = (run_suite(Input::Text(&text)), run_suite(Input::Value(&value))) else {
            differences.push(format!("{}: does not run (see every_suite_passes)", short(&path)));
            continue;
        };
        let mut a = serde_json::to_value(&from_text).unwrap();
        let unstripped = a.clone();
        strip_positions(&mut a);
        positions_seen |= a != unstripped;
        let mut b = serde_json::to_value(&from_value).unwrap();
        // Text a program wrote from the value reads like text but reports like the value, positions included.
        let compact = serde_json::to_string(&value).unwrap();
        match run_suite(Input::Converted(&compact)) {
            Ok(converted) if serde_json::to_value(&converted).unwrap() == b => {}
            Ok(_) => differences.push(format!("{}: converted and value reports differ", short(&path))),
            Err(e) => differences.push(format!("{}: converted input fails: {e}", short(&path))),
        }
        let tree = apigw_authz::json::from_value(&value, &apigw_authz::json::Limits::default()).unwrap();
        match run_suite(Input::Tree(&tree)) {
            Ok(from_tree) if serde_json::to_value(&from_tree).unwrap() == b => {}
            Ok(_) => differences.push(format!("{}: tree and value reports differ", short(&path))),
            Err(e) => differences.push(format!("{}: tree input fails: {e}", short(&path))),
        }
        strip_positions(&mut b);
        if let Some(d) = first_difference(&a, &b, "") {
            differences.push(format!("{}: {d}", short(&path)));
        }
    }
    assert!(differences.is_empty(), "text and value reports differ:\n{}", differences.join("\n"));
    assert!(positions_seen, "no statement of any text report carries a line: the comparison ignored nothing");
}

/// What an error file expects.
struct Expected {
    code: String,
    path: String,
    line: Option<u64>,
    column: Option<u64>,
    message_contains: Option<String>,
}

fn read_expected(file: &str, expect: &Value) -> Expected {
    let map = expect.as_object().unwrap_or_else(|| panic!("{file}: `expect` must be an object"));
    for key in map.keys() {
        assert!(
            ["code", "path", "line", "column", "messageContains"].contains(&key.as_str()),
            "{file}: unknown `expect` field `{key}`"
        );
    }
    let string = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_owned);
    Expected {
        code: string("code").unwrap_or_else(|| panic!("{file}: `expect.code` is required")),
        path: string("path").unwrap_or_else(|| panic!("{file}: `expect.path` is required")),
        line: map.get("line").map(|v| v.as_u64().expect("line is a number")),
        column: map.get("column").map(|v| v.as_u64().expect("column is a number")),
        message_contains: string("messageContains"),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Call {
    Authorize,
    RunSuite,
}

fn call(which: Call, input: Input<'_>) -> Result<String, Error> {
    match which {
        Call::Authorize => authorize(input).map(|d| d.to_json()),
        Call::RunSuite => run_suite(input).map(|r| r.to_json()),
    }
}

/// Compare one error's code, path and message with the expectation; returns the error for the position checks.
fn check_error(
    label: &str,
    result: Result<String, Error>,
    expected: &Expected,
    problems: &mut Vec<String>,
) -> Option<Error> {
    let error = match result {
        Ok(answer) => {
            problems.push(format!("{label}: expected an error, got {answer}"));
            return None;
        }
        Err(e) => e,
    };
    let mut wrong = Vec::new();
    if error.code.as_str() != expected.code {
        wrong.push(format!("code `{}`, expected `{}`", error.code, expected.code));
    }
    if error.path != expected.path {
        wrong.push(format!("path `{}`, expected `{}`", error.path, expected.path));
    }
    if let Some(m) = &expected.message_contains {
        if !error.message.contains(m.as_str()) {
            wrong.push(format!("message does not contain `{m}`"));
        }
    }
    if !wrong.is_empty() {
        problems.push(format!("{label}: {} (error: {error})", wrong.join("; ")));
    }
    Some(error)
}

fn check_position(label: &str, error: &Error, line: Option<u64>, column: Option<u64>, problems: &mut Vec<String>) {
    let actual = (error.line.map(u64::from), error.column.map(u64::from));
    if actual != (line, column) {
        problems.push(format!(
            "{label}: line:column {:?}:{:?}, expected {line:?}:{column:?} (error: {error})",
            actual.0, actual.1
        ));
    }
}

#[test]
fn every_error_file_gives_its_error() {
    let files = json_files(&core_dir().join("tests").join("errors"));
    assert!(!files.is_empty(), "no file under core/tests/errors");
    let mut problems = Vec::new();
    for path in files {
        let file = short(&path);
        let doc = parse(&path, &read(&path));
        let map = doc.as_object().unwrap_or_else(|| panic!("{file}: must be an object"));
        for key in map.keys() {
            assert!(
                ["description", "call", "input", "expect"].contains(&key.as_str()),
                "{file}: unknown field `{key}`"
            );
        }
        assert!(map.get("description").and_then(Value::as_str).is_some_and(|d| !d.is_empty()), "{file}: description");
        let expected = read_expected(&file, &map["expect"]);
        let input = &map["input"];
        let has_cases = match input {
            Value::String(text) => serde_json::from_str::<Value>(text).ok().is_some_and(|v| v.get("cases").is_some()),
            other => other.get("cases").is_some(),
        };
        let which = match map.get("call").and_then(Value::as_str) {
            Some("authorize") => Call::Authorize,
            Some("runSuite") => Call::RunSuite,
            Some(other) => panic!("{file}: unknown call `{other}`"),
            None if has_cases => Call::RunSuite,
            None => Call::Authorize,
        };
        match input {
            Value::String(text) => {
                assert!(expected.line.is_some(), "{file}: a raw-text input must give the expected line and column");
                let label = format!("{file} (text)");
                if let Some(error) = check_error(&label, call(which, Input::Text(text)), &expected, &mut problems) {
                    check_position(&label, &error, expected.line, expected.column, &mut problems);
                }
            }
            value => {
                // As a parsed value: no text, so no line and column unless the file says where (a policy given as
                // an escaped JSON string has text of its own).
                let label = format!("{file} (value)");
                if let Some(error) = check_error(&label, call(which, Input::Value(value)), &expected, &mut problems) {
                    check_position(&label, &error, expected.line, expected.column, &mut problems);
                }
                // The same value as a program writes it (`JSON.stringify`): exactly the value's error.
                let compact = serde_json::to_string(value).unwrap();
                let from_value = call(which, Input::Value(value)).err().map(|e| e.to_json());
                let converted = call(which, Input::Converted(&compact)).err().map(|e| e.to_json());
                if from_value != converted {
                    problems.push(format!("{file} (converted): {converted:?}, but as a value: {from_value:?}"));
                }
                // And as a tree a front built itself.
                let tree = apigw_authz::json::from_value(value, &apigw_authz::json::Limits::default()).unwrap();
                let from_tree = call(which, Input::Tree(&tree)).err().map(|e| e.to_json());
                if from_value != from_tree {
                    problems.push(format!("{file} (tree): {from_tree:?}, but as a value: {from_value:?}"));
                }
                // The same input as text: the same error, now with a line and column.
                let text = serde_json::to_string_pretty(value).unwrap();
                let label = format!("{file} (as text)");
                if let Some(error) = check_error(&label, call(which, Input::Text(&text)), &expected, &mut problems) {
                    if error.line.is_none() || error.column.is_none() {
                        problems
                            .push(format!("{label}: an error in text input has no line and column (error: {error})"));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{} error expectation(s) not met:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn corpus_files_are_well_formed() {
    // Every case says what it checks, and names are unique, so a failure report can be read on its own.
    for path in corpus_suites() {
        let file = short(&path);
        let suite = parse(&path, &read(&path));
        assert!(suite.get("description").and_then(Value::as_str).is_some_and(|d| !d.is_empty()), "{file}: description");
        let cases = suite["cases"].as_array().unwrap_or_else(|| panic!("{file}: `cases` must be an array"));
        assert!(!cases.is_empty(), "{file}: no cases");
        let mut names = std::collections::BTreeSet::new();
        for case in cases {
            let name = case["name"].as_str().unwrap_or_else(|| panic!("{file}: a case without a name"));
            assert!(names.insert(name), "{file}: two cases named `{name}`");
            assert!(
                case.get("description").and_then(Value::as_str).is_some_and(|d| !d.is_empty()),
                "{file} › {name}: no description"
            );
            let expect = case["expect"].as_object().unwrap_or_else(|| panic!("{file} › {name}: no `expect`"));
            assert!(
                expect.contains_key("statusCode") || expect.contains_key("decision"),
                "{file} › {name}: `expect` asserts neither the decision nor the status code"
            );
        }
    }
}
