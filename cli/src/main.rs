//! `apigw-authz`: the command line over the core crate. Every decision is the core's; this file only reads
//! files, picks the core function, and prints what it returns (the JSON exactly as the core serialises it, so
//! that the npm and Python packages can compare their answers with ours byte for byte).
//!
//! Exit codes: 0 success; 1 a failing case (`test`) or an error diagnostic (`validate`); 2 bad input, a usage
//! error, or output that could not be written.

use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use apigw_authz::{Diagnostic, Error, ErrorCode, PolicyKind, Severity, SuiteReport};
use clap::{Parser, Subcommand};

const EXIT_OK: u8 = 0;
const EXIT_FAILED: u8 = 1;
const EXIT_BAD_INPUT: u8 = 2;

/// The name a file argument of `-` stands for.
const STDIN: &str = "-";

#[derive(Parser)]
#[command(
    name = "apigw-authz",
    version,
    about = "Decide, exactly as Amazon API Gateway would, whether a REST API request is allowed, and explain why",
    long_about = "Decide, exactly as Amazon API Gateway would, whether a REST API request is allowed, and explain \
                  why.\n\nA scenario (JSON) gives the API (resource policy, methods, authorizers, stages), the IAM \
                  principals and a request; the answer is the status code and message API Gateway would send, \
                  and the statements that decided. The format is described in scenario-format.md and \
                  docs/contract-extensions.md.",
    after_help = "Exit codes: 0 success, 1 a failing test case or an error in a policy, 2 bad input or usage.",
    arg_required_else_help = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the decision of one scenario as JSON, on one line
    #[command(long_about = "Print the decision of one scenario as JSON, on one line: decision, statusCode, \
                            responseType, errorType, message, body, methodArn, caller, authorizerInvoked, \
                            decisive statements, explanation and warnings.\n\nA scenario with `resources` instead of `api` is a \
                            general IAM check (may this caller do this action on this resource?) and gets \
                            that decision instead.\n\nBad input prints an error JSON (code, message, path, \
                            line, column) on standard output and exits 2.")]
    Authorize {
        /// Scenario JSON file; `-` (the default) reads standard input
        #[arg(value_name = "FILE", default_value = STDIN)]
        file: String,
    },
    /// Explain the decision of one scenario for a person: every step and statement, and why
    #[command(long_about = "Explain the decision of one scenario for a person: the status and message the \
                            client gets, the statements that decided, and every step of API Gateway's checks \
                            with each statement considered and why it did or did not apply.\n\nBad input \
                            prints where the error is (JSON path, line, column) on standard error and exits 2.")]
    Explain {
        /// Scenario JSON file; `-` (the default) reads standard input
        #[arg(value_name = "FILE", default_value = STDIN)]
        file: String,
        /// The file is a suite: explain its case of this name (the cases before it run first, as in `test`)
        #[arg(long, value_name = "NAME")]
        case: Option<String>,
    },
    /// Run policy test suites: every case's decision against what it expects
    #[command(long_about = "Run policy test suites: a suite is a scenario without `request`, plus `cases`, each \
                            with a `request` and the decision fields it `expect`s. Prints PASS or FAIL per \
                            case, what differed and the explanation of each failing case, and a closing \
                            `N passed, M failed` line.\n\nExits 1 when a case fails, 2 when a file is not a \
                            valid suite (the other files still run).")]
    Test {
        /// Suite files, or directories: every `*.json` below them, sorted by path
        #[arg(value_name = "FILE_OR_DIR", required = true)]
        paths: Vec<String>,
        /// One JSON line per file instead: {"file":...,"report":...} or {"file":...,"error":...}
        #[arg(long)]
        json: bool,
        /// Print the explanation of every case, not only of the failing ones
        #[arg(short, long, conflicts_with = "json")]
        verbose: bool,
    },
    /// Check one policy document and print its errors and warnings with line and column
    #[command(long_about = "Check one policy document and print its errors and warnings, one per line, as \
                            FILE:LINE:COLUMN: error|warning: message (and a `help:` line when there is \
                            advice).\n\nExits 1 when there is an error, 0 when there are only warnings or \
                            nothing.")]
    Validate {
        /// Policy JSON file; `-` reads standard input
        #[arg(value_name = "POLICY_FILE")]
        file: String,
        /// What the policy is: resource (an API's resource policy), identity (also boundaries, SCPs, session
        /// policies), authorizer (a Lambda authorizer's output), endpoint (a VPC endpoint policy) or
        /// resource-based (a role trust policy, a Lambda permission)
        #[arg(long, value_name = "KIND", default_value = "resource", value_parser = parse_kind)]
        kind: PolicyKind,
        /// Print the diagnostics as a JSON array instead
        #[arg(long)]
        json: bool,
    },
}

fn parse_kind(text: &str) -> Result<PolicyKind, String> {
    text.parse::<PolicyKind>().map_err(|e| e.message.clone())
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap's own output: help and version on stdout (exit 0), usage errors on stderr (exit 2).
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(EXIT_BAD_INPUT));
        }
    };
    let stdout = io::stdout();
    let stderr = io::stderr();
    let mut console = Console::new(stdout.lock(), stderr.lock());
    let code = match cli.command {
        Command::Authorize { file } => authorize(&mut console, &file),
        Command::Explain { file, case } => explain(&mut console, &file, case.as_deref()),
        Command::Test { paths, json, verbose } => test(&mut console, &paths, json, verbose),
        Command::Validate { file, kind, json } => validate(&mut console, &file, kind, json),
    };
    ExitCode::from(console.finish(code))
}

/// Standard output and error. A reader that stops early (`apigw-authz explain x | head`) closes the pipe: we
/// stop writing there but still finish the work, so the exit code says what happened to the policies.
struct Console<O: Write, E: Write> {
    out: O,
    err: E,
    out_error: Option<io::Error>,
    err_closed: bool,
}

impl<O: Write, E: Write> Console<O, E> {
    fn new(out: O, err: E) -> Self {
        Console { out, err, out_error: None, err_closed: false }
    }

    fn out(&mut self, text: &str) {
        if self.out_error.is_none() {
            if let Err(e) = self.out.write_all(text.as_bytes()) {
                self.out_error = Some(e);
            }
        }
    }

    fn err(&mut self, text: &str) {
        // Flush what stdout holds first, so that on a shared terminal the error shows where it happened.
        if self.out_error.is_none() {
            if let Err(e) = self.out.flush() {
                self.out_error = Some(e);
            }
        }
        if !self.err_closed && self.err.write_all(text.as_bytes()).is_err() {
            self.err_closed = true;
        }
    }

    /// The exit code: `code`, unless the output could not be written for another reason than a closed pipe.
    fn finish(mut self, code: u8) -> u8 {
        if self.out_error.is_none() {
            if let Err(e) = self.out.flush() {
                self.out_error = Some(e);
            }
        }
        match self.out_error.take() {
            Some(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                self.err(&format!("apigw-authz: cannot write the output: {}\n", io_reason(&e)));
                code.max(EXIT_BAD_INPUT)
            }
            _ => code,
        }
    }
}

/// How an input is named in messages: its path as given, `<stdin>` for `-`.
fn display_name(file: &str) -> String {
    if file == STDIN {
        String::from("<stdin>")
    } else {
        file.to_owned()
    }
}

/// Read a file (or standard input for `-`) as text. JSON text is UTF-8 (RFC 8259): other bytes are an
/// `invalid-json` error at the first bad byte; a file that cannot be read is an `invalid-argument` error.
fn read_input(file: &str) -> Result<String, Error> {
    let mut bytes = Vec::new();
    let read = if file == STDIN {
        io::stdin().lock().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(file).and_then(|mut f| f.read_to_end(&mut bytes)).map(|_| ())
    };
    if let Err(e) = read {
        let what = if file == STDIN { String::from("standard input") } else { format!("`{file}`") };
        return Err(Error::invalid_argument(format!("cannot read {what}: {}", io_reason(&e))));
    }
    apigw_authz::json::utf8_text(&bytes)?;
    // Checked just above: the conversion cannot fail, and does not copy.
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

/// An IO error as a message part: lowercase start, without the `(os error N)` suffix.
fn io_reason(e: &io::Error) -> String {
    let text = e.to_string();
    let text = match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text.get(..at).unwrap_or(&text).to_owned(),
        _ => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

/// One decision, as the core's JSON or text. The core chooses between an API Gateway scenario and a general
/// IAM check (`resources`), so every front agrees on which is which.
fn decide(text: &str, as_text: bool) -> Result<String, Error> {
    let decision = apigw_authz::authorize_any(text)?;
    Ok(if as_text { decision.render_text() } else { decision.to_json() })
}

/// The explanation of one case of a suite (the cases before it run first: they can fill the Lambda authorizer
/// cache that this one reads).
fn explain_case(text: &str, name: &str) -> Result<String, Error> {
    apigw_authz::run_suite(text)?.explain_case(name)
}

fn authorize<O: Write, E: Write>(console: &mut Console<O, E>, file: &str) -> u8 {
    match read_input(file).and_then(|text| decide(&text, false)) {
        Ok(json) => {
            console.out(&json);
            console.out("\n");
            EXIT_OK
        }
        Err(error) => {
            // A program reads this output: the error is JSON too, on the same stream.
            console.out(&error.to_json());
            console.out("\n");
            EXIT_BAD_INPUT
        }
    }
}

fn explain<O: Write, E: Write>(console: &mut Console<O, E>, file: &str, case: Option<&str>) -> u8 {
    let text = match read_input(file) {
        Ok(text) => text,
        Err(error) => {
            console.err(&format!("apigw-authz: {error}\n"));
            return EXIT_BAD_INPUT;
        }
    };
    let explained = match case {
        Some(name) => explain_case(&text, name),
        None => decide(&text, true),
    };
    match explained {
        Ok(explanation) => {
            console.out(&explanation);
            if !explanation.ends_with('\n') {
                console.out("\n");
            }
            EXIT_OK
        }
        Err(error) => {
            console.err(&format!("{}: {error}\n", display_name(file)));
            EXIT_BAD_INPUT
        }
    }
}

/// The suite files named on the command line: a directory stands for every `*.json` file below it (symbolic
/// links to directories are not followed, so a link cycle cannot make the walk endless), sorted by path.
fn suite_files(paths: &[String]) -> Result<Vec<String>, Error> {
    let mut files = Vec::new();
    for path in paths {
        if path != STDIN && Path::new(path).is_dir() {
            let mut found = Vec::new();
            walk(Path::new(path), &mut found)?;
            found.sort();
            files.extend(found.into_iter().map(|p| p.to_string_lossy().into_owned()));
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), Error> {
    let cannot = |e: io::Error| {
        Error::invalid_argument(format!("cannot read the directory `{}`: {}", dir.display(), io_reason(&e)))
    };
    for entry in std::fs::read_dir(dir).map_err(cannot)? {
        let entry = entry.map_err(cannot)?;
        let path = entry.path();
        let kind = entry.file_type().map_err(cannot)?;
        if kind.is_dir() {
            walk(&path, found)?;
        } else if path.extension().is_some_and(|ext| ext == "json") && path.is_file() {
            found.push(path);
        }
    }
    Ok(())
}

fn test<O: Write, E: Write>(console: &mut Console<O, E>, paths: &[String], json: bool, verbose: bool) -> u8 {
    let files = match suite_files(paths) {
        Ok(files) => files,
        Err(error) => {
            console.err(&format!("apigw-authz: {error}\n"));
            return EXIT_BAD_INPUT;
        }
    };
    if files.is_empty() {
        console.err(&format!("apigw-authz: no suite files (`*.json`) in {}\n", quoted_list(paths)));
        return EXIT_BAD_INPUT;
    }
    let (mut passed, mut failed, mut bad_input) = (0usize, 0usize, false);
    for file in &files {
        let name = display_name(file);
        let report = read_input(file).and_then(|text| apigw_authz::run_suite(text.as_str()));
        if let Ok(report) = &report {
            passed += report.passed;
            failed += report.failed;
        } else {
            bad_input = true;
        }
        if json {
            console.out(&json_line(&name, &report));
        } else {
            match &report {
                Ok(report) => console.out(&report.render_text(&name, verbose)),
                Err(error) => console.err(&format!("{name}: {error}\n")),
            }
        }
    }
    if !json {
        console.out(&format!("{passed} passed, {failed} failed\n"));
    }
    if bad_input {
        EXIT_BAD_INPUT
    } else if failed > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

fn quoted_list(paths: &[String]) -> String {
    paths.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
}

/// `{"file":"...","report":...}` or `{"file":"...","error":...}`: the core's JSON verbatim, so that other
/// fronts can compare theirs with it byte for byte.
fn json_line(file: &str, report: &Result<SuiteReport, Error>) -> String {
    let file = serde_json::Value::from(file).to_string();
    match report {
        Ok(report) => format!("{{\"file\":{file},\"report\":{}}}\n", report.to_json()),
        Err(error) => format!("{{\"file\":{file},\"error\":{}}}\n", error.to_json()),
    }
}

fn validate<O: Write, E: Write>(console: &mut Console<O, E>, file: &str, kind: PolicyKind, json: bool) -> u8 {
    let text = match read_input(file) {
        Ok(text) => text,
        Err(error) if error.code == ErrorCode::InvalidJson => {
            // Not UTF-8: reported like any other error in the document.
            return report_diagnostics(console, file, &[Diagnostic::from_error(&error, None)], json);
        }
        Err(error) => {
            console.err(&format!("apigw-authz: {error}\n"));
            return EXIT_BAD_INPUT;
        }
    };
    let diagnostics = apigw_authz::validate_policy(&text, kind);
    report_diagnostics(console, file, &diagnostics, json)
}

fn report_diagnostics<O: Write, E: Write>(
    console: &mut Console<O, E>,
    file: &str,
    diagnostics: &[Diagnostic],
    json: bool,
) -> u8 {
    let name = display_name(file);
    if json {
        match serde_json::to_string(diagnostics) {
            Ok(text) => {
                console.out(&text);
                console.out("\n");
            }
            Err(e) => {
                console.err(&format!("apigw-authz: {}\n", Error::internal(format!("diagnostics as JSON: {e}"))));
                return EXIT_BAD_INPUT;
            }
        }
    } else {
        let mut out = String::new();
        for d in diagnostics {
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let _ = match (d.line, d.column) {
                (Some(line), Some(column)) => writeln!(out, "{name}:{line}:{column}: {severity}: {}", d.message),
                // No position (the input was not text): the JSON path says where instead.
                _ if !d.path.is_empty() => writeln!(out, "{name}: {severity}: {} (at `{}`)", d.message, d.path),
                _ => writeln!(out, "{name}: {severity}: {}", d.message),
            };
            if let Some(help) = &d.help {
                let _ = writeln!(out, "  help: {help}");
            }
        }
        if diagnostics.is_empty() {
            let _ = writeln!(out, "{name}: ok");
        }
        console.out(&out);
    }
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
