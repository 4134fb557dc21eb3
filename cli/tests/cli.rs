//! The `apigw-authz` binary end to end: output bytes, exit codes, standard input, files and directories.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

/// The README's quick start: a resource policy that lets one office network in.
fn office_api() -> Value {
    json!({
        "id": "a1b2c3d4e5", "accountId": "111122223333", "region": "us-east-1",
        "policy": {
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "AllowOffice", "Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke",
                "Resource": "execute-api:/*",
                "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}
            }]
        }
    })
}

fn request_from(source_ip: &str) -> Value {
    json!({"httpMethod": "GET", "path": "/pets", "stage": "prod", "sourceIp": source_ip})
}

const OFFICE_IP: &str = "203.0.113.9";
const ELSEWHERE_IP: &str = "198.51.100.7";
const DENIED_MESSAGE: &str = "User: anonymous is not authorized to perform: execute-api:Invoke on resource: \
                              arn:aws:execute-api:us-east-1:********3333:a1b2c3d4e5/prod/GET/pets";

fn scenario(source_ip: &str) -> String {
    serde_json::to_string_pretty(&json!({"api": office_api(), "request": request_from(source_ip)})).unwrap()
}

/// A suite of the office API; the second case expects `elsewhere_status` for a caller outside the office.
fn office_suite(elsewhere_status: u16) -> String {
    serde_json::to_string_pretty(&json!({
        "description": "the office network gets in",
        "api": office_api(),
        "cases": [
            {"name": "from the office", "request": request_from(OFFICE_IP),
             "expect": {"decision": "Allow", "statusCode": 200}},
            {"name": "from elsewhere", "description": "a home network is not the office",
             "request": request_from(ELSEWHERE_IP),
             "expect": {"statusCode": elsewhere_status, "message": DENIED_MESSAGE}}
        ]
    }))
    .unwrap()
}

/// Broken JSON: the value of `accountId` is missing; the `}` at line 2, column 16 is where it goes wrong.
const BROKEN: &str = "{\"api\": {\"id\": \"a1b2c3d4e5\",\n  \"accountId\": }";

/// A resource policy whose only statement has an impossible effect, on line 3.
const BAD_POLICY: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Sid\": \"Office\", \"Effect\": \
                          \"Maybe\", \"Principal\": \"*\", \"Action\": \"execute-api:Invoke\", \"Resource\": \
                          \"execute-api:/*\"}]\n}\n";

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_apigw-authz"))
        .args(args)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(text.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    Output {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// A fresh directory for one test, under cargo's scratch directory for integration tests.
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-tests").join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn one_json_line(stdout: &str) -> Value {
    assert!(stdout.ends_with('\n') && stdout.lines().count() == 1, "one JSON line expected, got {stdout:?}");
    serde_json::from_str(stdout).unwrap()
}

#[test]
fn authorize_prints_the_decision_json_of_a_denied_request() {
    let dir = scratch("authorize_denied");
    let file = write(&dir, "elsewhere.json", &scenario(ELSEWHERE_IP));
    let out = run(&["authorize", &file], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "");
    let decision = one_json_line(&out.stdout);
    assert_eq!(decision["decision"], "ImplicitDeny");
    assert_eq!(decision["statusCode"], 403);
    assert_eq!(decision["responseType"], "ACCESS_DENIED");
    assert_eq!(decision["errorType"], "AccessDeniedException");
    assert_eq!(decision["message"], DENIED_MESSAGE);
    assert_eq!(decision["methodArn"], "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/prod/GET/pets");
    assert_eq!(decision["caller"], "anonymous");
    // The core's serialisation, byte for byte: the npm and Python packages compare theirs with this.
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(out.stdout, format!("{}\n", apigw_authz::authorize(text.as_str()).unwrap().to_json()));
}

#[test]
fn authorize_reads_standard_input() {
    let text = scenario(OFFICE_IP);
    for args in [&["authorize"][..], &["authorize", "-"][..]] {
        let out = run(args, Some(&text));
        assert_eq!(out.code, 0, "{}", out.stderr);
        let decision = one_json_line(&out.stdout);
        assert_eq!(decision["decision"], "Allow");
        assert_eq!(decision["statusCode"], 200);
        assert_eq!(decision["message"], Value::Null);
        assert_eq!(
            decision["decisive"],
            json!([{"policy": "resource", "index": 0, "sid": "AllowOffice", "effect": "Allow"}])
        );
    }
}

#[test]
fn authorize_of_invalid_json_prints_the_error_json_and_exits_2() {
    let out = run(&["authorize"], Some(BROKEN));
    assert_eq!(out.code, 2);
    let error = one_json_line(&out.stdout);
    assert_eq!(error["code"], "invalid-json");
    assert_eq!(error["line"], 2);
    assert_eq!(error["column"], 16);
    assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[test]
fn authorize_of_a_scenario_against_the_contract_names_the_path() {
    let mut value: Value = serde_json::from_str(&scenario(OFFICE_IP)).unwrap();
    value["request"]["stage"] = json!(7);
    let out = run(&["authorize"], Some(&serde_json::to_string_pretty(&value).unwrap()));
    assert_eq!(out.code, 2);
    let error = one_json_line(&out.stdout);
    assert_eq!(error["code"], "invalid-scenario");
    assert_eq!(error["path"], "/request/stage");
    assert!(error["line"].is_u64() && error["column"].is_u64(), "{error}");
}

#[test]
fn authorize_of_a_missing_file_is_an_invalid_argument() {
    let dir = scratch("authorize_missing");
    let missing = dir.join("missing.json").to_string_lossy().into_owned();
    let out = run(&["authorize", &missing], None);
    assert_eq!(out.code, 2);
    let error = one_json_line(&out.stdout);
    assert_eq!(error["code"], "invalid-argument");
    assert_eq!(error["message"], format!("cannot read `{missing}`: no such file or directory"));
}

#[test]
fn authorize_of_bytes_that_are_not_utf8_says_where() {
    let dir = scratch("authorize_latin1");
    let path = dir.join("latin1.json");
    std::fs::write(&path, b"{\"api\": {\n  \"id\": \"caf\xe9\"}}").unwrap();
    let out = run(&["authorize", path.to_str().unwrap()], None);
    assert_eq!(out.code, 2);
    let error = one_json_line(&out.stdout);
    assert_eq!(error["code"], "invalid-json");
    assert_eq!((error["line"].as_u64(), error["column"].as_u64()), (Some(2), Some(13)));
}

/// A general IAM check: may API Gateway invoke the Lambda function, by the function's resource policy?
fn lambda_permission(source_arn: &str) -> String {
    let function = "arn:aws:lambda:us-east-1:111122223333:function:pets";
    serde_json::to_string_pretty(&json!({
        "resources": {
            function: {"policy": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "apigw-invoke", "Effect": "Allow",
                    "Principal": {"Service": "apigateway.amazonaws.com"},
                    "Action": "lambda:InvokeFunction", "Resource": function,
                    "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*"}}
                }]
            }}
        },
        "request": {
            "caller": {"service": "apigateway.amazonaws.com"},
            "action": "lambda:InvokeFunction",
            "resource": function,
            "context": {"aws:SourceArn": source_arn}
        }
    }))
    .unwrap()
}

#[test]
fn authorize_of_a_general_iam_check_prints_the_iam_decision() {
    let out = run(
        &["authorize"],
        Some(&lambda_permission("arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/prod/GET/pets")),
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let decision = one_json_line(&out.stdout);
    assert_eq!(decision["decision"], "Allow");
    // IAM actions are case-insensitive; the core echoes the action in its matching (lower) case.
    assert!(decision["action"].as_str().is_some_and(|a| a.eq_ignore_ascii_case("lambda:InvokeFunction")), "{decision}");
    assert_eq!(decision["resource"], "arn:aws:lambda:us-east-1:111122223333:function:pets");
    assert_eq!(decision["decisive"][0]["sid"], "apigw-invoke");

    // Another API's stage is not covered by the permission.
    let out = run(
        &["authorize"],
        Some(&lambda_permission("arn:aws:execute-api:us-east-1:111122223333:zzzzzzzzzz/prod/GET/pets")),
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(one_json_line(&out.stdout)["decision"], "ImplicitDeny");
}

#[test]
fn explain_prints_the_decision_for_a_person() {
    let dir = scratch("explain");
    let file = write(&dir, "elsewhere.json", &scenario(ELSEWHERE_IP));
    let out = run(&["explain", &file], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("ImplicitDeny (403 ACCESS_DENIED)\n"), "{}", out.stdout);
    assert!(out.stdout.contains(DENIED_MESSAGE), "{}", out.stdout);
    assert!(out.stdout.contains("AllowOffice"), "the statement considered is named:\n{}", out.stdout);
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(out.stdout, apigw_authz::explain(text.as_str()).unwrap());

    let allowed = run(&["explain"], Some(&scenario(OFFICE_IP)));
    assert_eq!(allowed.code, 0, "{}", allowed.stderr);
    assert!(allowed.stdout.starts_with("Allow (200)\n"), "{}", allowed.stdout);
}

#[test]
fn explain_of_one_case_of_a_suite() {
    let dir = scratch("explain_case");
    let file = write(&dir, "suite.json", &office_suite(403));
    let out = run(&["explain", &file, "--case", "from elsewhere"], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("case `from elsewhere`: a home network is not the office\nImplicitDeny (403 ACCESS_DENIED)\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(DENIED_MESSAGE), "{}", out.stdout);

    let missing = run(&["explain", &file, "--case", "from home"], None);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("the suite has no case `from home`; its cases are `from the office`, `from elsewhere`"),
        "{}",
        missing.stderr
    );
}

#[test]
fn explain_of_invalid_json_says_where_on_standard_error() {
    let dir = scratch("explain_invalid");
    let file = write(&dir, "broken.json", BROKEN);
    let out = run(&["explain", &file], None);
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.starts_with(&format!("{file}: invalid-json: ")), "{}", out.stderr);
    assert!(out.stderr.contains("line 2 column 16"), "{}", out.stderr);
}

#[test]
fn test_of_a_passing_suite_exits_0() {
    let dir = scratch("test_passing");
    let file = write(&dir, "office.json", &office_suite(403));
    let out = run(&["test", &file], None);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        out.stdout,
        format!(
            "{file} - the office network gets in\n  PASS from the office\n  PASS from elsewhere\n2 passed, 0 failed\n"
        )
    );
}

#[test]
fn test_of_a_failing_suite_exits_1_and_shows_what_differed() {
    let dir = scratch("test_failing");
    let file = write(&dir, "office.json", &office_suite(200));
    let out = run(&["test", &file], None);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.last(), Some(&"1 passed, 1 failed"));
    assert!(lines.contains(&"  PASS from the office"), "{}", out.stdout);
    assert!(lines.contains(&"  FAIL from elsewhere"), "{}", out.stdout);
    assert!(lines.contains(&"    description: a home network is not the office"), "{}", out.stdout);
    assert!(lines.contains(&"    statusCode: expected 200, actual 403"), "{}", out.stdout);
    // The message was as expected: only the differing field is listed.
    assert!(!lines.iter().any(|l| l.starts_with("    message:")), "{}", out.stdout);
    // The failing case's explanation, indented under it.
    assert!(lines.contains(&"      ImplicitDeny (403 ACCESS_DENIED)"), "{}", out.stdout);
    assert!(lines.contains(&format!("        message: {DENIED_MESSAGE}").as_str()), "{}", out.stdout);
}

#[test]
fn test_runs_every_json_file_below_a_directory_in_path_order() {
    let dir = scratch("test_directory");
    write(&dir, "b.json", &office_suite(403));
    write(&dir, "a/nested.json", &office_suite(403));
    write(&dir, "a/notes.txt", "not a suite");
    let out = run(&["test", dir.to_str().unwrap()], None);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let headers: Vec<&str> = out.stdout.lines().filter(|l| l.ends_with(" - the office network gets in")).collect();
    let a = dir.join("a").join("nested.json");
    let b = dir.join("b.json");
    assert_eq!(
        headers,
        [
            format!("{} - the office network gets in", a.display()),
            format!("{} - the office network gets in", b.display())
        ]
    );
    assert_eq!(out.stdout.lines().last(), Some("4 passed, 0 failed"));

    let empty = scratch("test_empty_directory");
    let out = run(&["test", empty.to_str().unwrap()], None);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no suite files"), "{}", out.stderr);
}

#[test]
fn test_reports_an_invalid_suite_goes_on_and_exits_2() {
    let dir = scratch("test_invalid");
    let mut suite: Value = serde_json::from_str(&office_suite(403)).unwrap();
    suite["extra"] = json!(1);
    let bad = write(&dir, "a-bad.json", &serde_json::to_string_pretty(&suite).unwrap());
    let failing = write(&dir, "b-failing.json", &office_suite(200));
    let out = run(&["test", dir.to_str().unwrap()], None);
    // Bad input wins over a failing case.
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.starts_with(&format!("{bad}: invalid-scenario: unknown field `extra`")), "{}", out.stderr);
    assert!(out.stdout.starts_with(&format!("{failing} - ")), "the next file still runs:\n{}", out.stdout);
    assert_eq!(out.stdout.lines().last(), Some("1 passed, 1 failed"));
}

#[test]
fn test_json_prints_one_line_per_file_with_the_cores_json_verbatim() {
    let dir = scratch("test_json");
    let passing_text = office_suite(403);
    let passing = write(&dir, "a.json", &passing_text);
    let failing = write(&dir, "b.json", &office_suite(200));
    let broken = write(&dir, "c.json", BROKEN);
    let out = run(&["test", "--json", &passing, &failing, &broken], None);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(out.stderr, "");
    let lines: Vec<Value> = out.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["file"], passing.as_str());
    assert_eq!(lines[0]["report"]["passed"], 2);
    assert_eq!(lines[1]["report"]["failed"], 1);
    assert_eq!(
        lines[1]["report"]["cases"][1]["differences"],
        json!([{"field": "statusCode", "expected": 200, "actual": 403}])
    );
    assert_eq!(lines[2]["file"], broken.as_str());
    assert_eq!(lines[2]["error"]["code"], "invalid-json");
    assert_eq!(lines[2]["error"]["line"], 2);

    let report = apigw_authz::run_suite(passing_text.as_str()).unwrap().to_json();
    let first = out.stdout.lines().next().unwrap();
    assert_eq!(first, format!("{{\"file\":{},\"report\":{report}}}", Value::from(passing.as_str())));
}

#[test]
fn test_json_exit_codes_follow_the_cases() {
    let dir = scratch("test_json_codes");
    let passing = write(&dir, "a.json", &office_suite(403));
    let failing = write(&dir, "b.json", &office_suite(200));
    assert_eq!(run(&["test", "--json", &passing], None).code, 0);
    assert_eq!(run(&["test", "--json", &passing, &failing], None).code, 1);
}

#[test]
fn validate_points_at_the_error_with_file_line_and_column() {
    let dir = scratch("validate_bad");
    let file = write(&dir, "policy.json", BAD_POLICY);
    let out = run(&["validate", &file], None);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let line3 = BAD_POLICY.lines().nth(2).unwrap();
    let column = line3.find("\"Maybe\"").unwrap() + 1;
    let first = out.stdout.lines().next().unwrap();
    assert!(first.starts_with(&format!("{file}:3:{column}: error: ")), "{}", out.stdout);
    assert!(first.contains("`Effect` must be `Allow` or `Deny`"), "{}", out.stdout);

    let out = run(&["validate", &file, "--json"], None);
    assert_eq!(out.code, 1);
    let diagnostics = one_json_line(&out.stdout);
    assert_eq!(diagnostics[0]["severity"], "error");
    assert_eq!(diagnostics[0]["code"], "invalid-policy");
    assert_eq!(diagnostics[0]["path"], "/Statement/0/Effect");
    assert_eq!((diagnostics[0]["line"].as_u64(), diagnostics[0]["column"].as_u64()), (Some(3), Some(column as u64)));
}

#[test]
fn validate_checks_the_policy_as_the_kind_given() {
    let dir = scratch("validate_kind");
    let policy = serde_json::to_string_pretty(&office_api()["policy"]).unwrap();
    let file = write(&dir, "policy.json", &policy);
    let out = run(&["validate", &file], None);
    assert_eq!((out.code, out.stdout.as_str()), (0, format!("{file}: ok\n").as_str()));
    assert_eq!(run(&["validate", &file, "--json"], None).stdout, "[]\n");

    // A resource policy's Principal has no place in an identity-based policy.
    let out = run(&["validate", &file, "--kind", "identity"], None);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.starts_with(&format!("{file}:")), "{}", out.stdout);
    assert!(out.stdout.contains(": error: "), "{}", out.stdout);
    assert!(out.stdout.contains("`Principal`"), "{}", out.stdout);

    let out = run(&["validate", &file, "--kind", "nonsense"], None);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("unknown policy kind `nonsense`"), "{}", out.stderr);
}

#[test]
fn help_version_and_usage_errors() {
    let help = run(&["--help"], None);
    assert_eq!(help.code, 0);
    for command in ["authorize", "explain", "test", "validate"] {
        assert!(help.stdout.contains(command), "{}", help.stdout);
    }
    let test_help = run(&["test", "--help"], None);
    assert_eq!(test_help.code, 0);
    assert!(test_help.stdout.contains("N passed, M failed"), "{}", test_help.stdout);

    let version = run(&["--version"], None);
    assert_eq!((version.code, version.stdout), (0, format!("apigw-authz {}\n", env!("CARGO_PKG_VERSION"))));

    assert_eq!(run(&[], None).code, 2);
    assert_eq!(run(&["frobnicate"], None).code, 2);
    assert_eq!(run(&["test"], None).code, 2);
}
