//! JavaScript bindings of apigw-authz: the WebAssembly module of the npm package `apigw-authz`.
//!
//! Thin wrappers only, like regorus's `bindings/wasm`: JavaScript values become the core's JSON input, the core
//! decides, and its answer comes back as plain JavaScript objects whose keys and key order are the decision
//! JSON's. No decision is made here: an `if` about authorization in this file would belong in `core/`.
//!
//! The package's public functions are the wrappers of `js/api.js`, which call the exports of this module (see
//! the README for the API). Three rules hold for every export:
//! - errors are thrown as the `ApigwAuthzError` subclasses of `js/errors.js` (built by its `coreError`), with the
//!   core error's `code`, `message`, `path`, `line`, `column` and `help`; never a string, never a bare `Error`;
//! - strings (and `Uint8Array`s of UTF-8) are JSON text, read as `Input::Text` so that errors carry line and
//!   column; anything else is a JavaScript value, written by `JSON.stringify` and read as `Input::Converted`
//!   (see [`read_input`]);
//! - answers are written as JSON exactly as the command line prints them, then parsed by the engine's
//!   `JSON.parse` ([`to_js`]): one crossing of the boundary per answer, and the `…Json` exports return that
//!   text itself, byte for byte what `apigw-authz authorize` prints. The fast path (`decide`, `authorizeMany`
//!   without explanations) crosses as a record of fields instead ([`write_record`], `js/decision.js`).
//!
//! # Panics
//! On `wasm32-unknown-unknown` a Rust panic cannot unwind: it aborts, which JavaScript sees as a
//! `WebAssembly.RuntimeError` ("unreachable") thrown out of the call, with the instance's memory left as it was
//! mid-call (a shadow stack never popped, perhaps a `RefCell` still borrowed). So the first line of defence is
//! that nothing panics: the core is written without panics (clippy's `unwrap_used`, `expect_used`, `panic` and
//! `indexing_slicing` are denied there and here), recursion is bounded by the core's depth limit (and
//! `serde_json`'s for values), and hostile JavaScript values (cycles, getters that throw, `BigInt`) fail inside
//! `JSON.stringify`, whose exception is caught here and reported as `InvalidJsonError`.
//!
//! The second line is for what should never happen (a bug, out of memory, a stack overflow): [`start`] installs
//! a panic hook that hands the panic message to `js/errors.js` (`recordPanic`) before the abort, and the
//! wrappers of `js/api.js` turn any exception that is not an `ApigwAuthzError` into `InternalError` carrying that
//! message, then re-create the WebAssembly instance (`__wbg_reset_state`, emitted by wasm-bindgen-cli's
//! `--experimental-reset-state-function`), so the next call works. `Api` objects made before the restart are
//! gone with the old instance's memory; using one throws `InternalError` saying so.

#[cfg(feature = "probes")]
mod probe;

use apigw_authz::{Error as CoreError, PolicyKind, PreparedApi};
use js_sys::{Array, Uint8Array, JSON};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

// ---------------------------------------------------------------------------------------------------------------
// Errors

#[wasm_bindgen(raw_module = "./errors.js")]
extern "C" {
    /// A new instance of the `ApigwAuthzError` subclass for `code` (`js/errors.js`).
    #[wasm_bindgen(js_name = coreError)]
    fn core_error(
        code: &str,
        message: &str,
        path: &str,
        line: Option<u32>,
        column: Option<u32>,
        help: Option<String>,
        cause: &JsValue,
    ) -> JsValue;

    /// Keep a panic's message for the `InternalError` that the wrappers throw after the abort.
    #[wasm_bindgen(js_name = recordPanic)]
    fn record_panic(message: &str);
}

#[wasm_bindgen(raw_module = "./text.js")]
extern "C" {
    /// Write a JavaScript string into `into` as UTF-8 (`TextEncoder.encodeInto`): the bytes written, or -1 when
    /// `into` is too short (`js/text.js`).
    #[wasm_bindgen(js_name = encodeUtf8)]
    fn encode_utf8(text: &js_sys::JsString, into: &mut [u8]) -> i32;
}

/// Why a call failed: a core error, and the JavaScript exception behind it when there was one (kept as the
/// thrown error's `cause`). Exports return it as their error; wasm-bindgen throws its JavaScript form.
pub struct Failure {
    error: CoreError,
    cause: JsValue,
}

impl Failure {
    fn caused(error: CoreError, cause: JsValue) -> Self {
        Failure { error, cause }
    }
}

impl From<CoreError> for Failure {
    fn from(error: CoreError) -> Self {
        Failure { error, cause: JsValue::UNDEFINED }
    }
}

impl From<Failure> for JsValue {
    fn from(f: Failure) -> JsValue {
        let e = &f.error;
        core_error(e.code.as_str(), &e.message, &e.path, e.line, e.column, e.help.clone(), &f.cause)
    }
}

fn argument_error(message: String, help: &str) -> Failure {
    CoreError::invalid_argument(message).with_help(help).into()
}

/// What a JavaScript value is, for messages: `undefined`, `a function`, ...
fn describe(value: &JsValue) -> String {
    if value.is_undefined() {
        String::from("`undefined`")
    } else if value.is_null() {
        String::from("`null`")
    } else {
        format!("a {}", value.js_typeof().as_string().unwrap_or_default())
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Input

/// JSON input owned for the duration of one call (the core's type, so every front holds input the same way).
type Owned = apigw_authz::OwnedInput;

const INPUT_HELP: &str = "pass a plain object (as `JSON.parse` returns it) or its JSON text";

/// Read an argument as JSON input. `what` names it in messages (`scenario`, `request`, ...).
///
/// - A string is JSON text (`Input::Text`): errors then carry line and column, and the explanation says where
///   each statement starts. A `Uint8Array` is the same text as UTF-8 bytes.
/// - Any other value is read as `JSON.stringify` writes it (`toJSON` is called, so a `Date` becomes its ISO
///   text; `undefined` members are left out; `NaN` and `Infinity` become `null`), then handed to the core as
///   text a program wrote (`Input::Converted`): read as fast as text, reported like a value, with no line or
///   column, since the user wrote no text. Going through
///   `JSON.stringify` rather than walking the object from Rust crosses the boundary once instead of once per
///   member, and is safe: a cycle, a `BigInt` or a throwing getter ends in an exception caught here, never in a
///   stack overflow inside the WebAssembly instance.
fn read_input(value: &JsValue, what: &str) -> Result<Owned, Failure> {
    if let Some(text) = value.dyn_ref::<js_sys::JsString>() {
        return Ok(Owned::Text(read_text(text)));
    }
    if value.is_undefined() || value.is_null() || value.is_function() || value.is_symbol() {
        // `null` is JSON, but never a scenario: say what was passed rather than "expected an object".
        return Err(argument_error(
            format!("`{what}` must be an object or JSON text, found {}", describe(value)),
            INPUT_HELP,
        ));
    }
    if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
        let bytes = bytes.to_vec();
        return Ok(Owned::Text(apigw_authz::json::utf8_text(&bytes)?.to_owned()));
    }
    let text = match JSON::stringify(value) {
        Ok(text) if !text.is_undefined() => read_text(&text),
        Ok(_) => {
            return Err(argument_error(
                format!("`{what}` must be an object or JSON text, found {}", describe(value)),
                INPUT_HELP,
            ));
        }
        Err(cause) => {
            let reason = cause
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_else(|| String::from("it threw"));
            let error = CoreError::invalid_json(format!("`{what}` cannot be written as JSON: {reason}"), "").with_help(
                "a JSON value has no cycles and no BigInt; plain objects, arrays, strings, numbers, booleans and null",
            );
            return Err(Failure::caused(error, cause));
        }
    };
    Ok(Owned::Converted(text))
}

/// A JavaScript string as a Rust one, copied by `TextEncoder.encodeInto` (`js/text.js` says why not by the glue).
/// A lone surrogate becomes U+FFFD, as the glue's copy makes it too.
fn read_text(text: &js_sys::JsString) -> String {
    let units = text.length() as usize;
    // One byte per UTF-16 unit when the text is ASCII, as requests and policies nearly always are; at most three.
    for room in [units, units.saturating_mul(3)] {
        let mut bytes = vec![0; room];
        if let Ok(written) = usize::try_from(encode_utf8(text, &mut bytes)) {
            bytes.truncate(written);
            if let Ok(text) = String::from_utf8(bytes) {
                return text;
            }
            break;
        }
    }
    // Not reached (`encodeInto` writes well-formed UTF-8 and three bytes per unit always fit); the glue's copy.
    String::from(text)
}

// ---------------------------------------------------------------------------------------------------------------
// Output

/// An answer (`Decision`, `SuiteReport`, ...) as its JSON text, exactly as every other front prints it.
fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, Failure> {
    serde_json::to_string(value)
        .map_err(|e| CoreError::internal(format!("the answer could not be written as JSON: {e}")).into())
}

/// An answer as plain JavaScript objects: its JSON text, parsed by the engine's `JSON.parse`. One crossing of the
/// boundary per answer, where building the objects from Rust (serde-wasm-bindgen) crosses once per member; the
/// parse is a small share of a decision's time (README, "Size and speed").
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Failure> {
    parse_answer(&to_json(value)?)
}

fn parse_answer(text: &str) -> Result<JsValue, Failure> {
    JSON::parse(text).map_err(|cause| {
        Failure::caused(CoreError::internal("the answer's JSON could not be read back by `JSON.parse`"), cause)
    })
}

/// The decisions as one JSON array, each written as every front writes it.
fn json_array(decisions: &[apigw_authz::Decision]) -> String {
    let mut out = String::with_capacity(2 + 600 * decisions.len());
    out.push('[');
    for (i, decision) in decisions.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        decision.write_json(&mut out);
    }
    out.push(']');
    out
}

/// Separates the fields of a record. The separators are U+0001 to U+0003 (`write_record` scans for their bytes).
const FIELD: char = '\u{1}';
/// A whole field that stands for `null`.
const NULL: char = '\u{2}';
/// Separates the records of a batch.
const RECORD: char = '\u{3}';

/// The answer of the fast path for `js/decision.js`: a record (`R` then fields), or `J` then the JSON text when
/// the decision cannot be written as one.
///
/// Why: for a small decision, V8's `JSON.parse` took longer than deciding. Splitting one string on a separator
/// and building the object from a literal with the contract's keys in the contract's order takes about 40% of
/// that. Nothing is decided here or there: the record holds the decision's fields, as strings, in order.
fn record_or_json(decision: &apigw_authz::Decision) -> String {
    let mut out = String::with_capacity(512);
    if write_record(decision, &mut out) {
        return out;
    }
    out.clear();
    out.push('J');
    decision.write_json(&mut out);
    out
}

/// Write `R`, then the decision's fields separated by [`FIELD`]: `decision`, `statusCode`, `responseType`,
/// `errorType`, `message`, `body`, `methodArn`, `caller`, `authorizerInvoked` (`0`/`1`), the number of
/// `decisive` statements and for each `policy`, `index`, `sid`, `effect`, then the number of `warnings` and
/// each warning. `null` is written [`NULL`]. Returns false (and leaves `out` to be cleared) for a decision with
/// an explanation, or when a string holds one of the three separators: then the JSON text is used instead.
fn write_record(d: &apigw_authz::Decision, out: &mut String) -> bool {
    fn text(out: &mut String, value: &str) -> bool {
        out.push(FIELD);
        if holds_separator(value.as_bytes()) {
            return false;
        }
        out.push_str(value);
        true
    }
    fn optional(out: &mut String, value: Option<&str>) -> bool {
        match value {
            Some(value) => text(out, value),
            None => {
                out.push(FIELD);
                out.push(NULL);
                true
            }
        }
    }
    if !d.explanation.is_empty() {
        return false;
    }
    out.push('R');
    out.push_str(d.decision.as_str());
    let mut ok = text(out, &d.status_code.to_string())
        && optional(out, d.response_type)
        && optional(out, d.error_type)
        && optional(out, d.message.as_deref())
        && optional(out, d.body.as_deref())
        && optional(out, d.method_arn.as_deref())
        && text(out, &d.caller)
        && text(out, if d.authorizer_invoked { "1" } else { "0" })
        && text(out, &d.decisive.len().to_string());
    for statement in &d.decisive {
        ok = ok
            && text(out, &statement.policy)
            && text(out, &statement.index.to_string())
            && optional(out, statement.sid.as_deref())
            && text(out, statement.effect);
    }
    ok = ok && text(out, &d.warnings.len().to_string());
    for warning in &d.warnings {
        ok = ok && text(out, warning);
    }
    ok
}

/// Does `bytes` hold one of the separators U+0001 to U+0003? The three are ASCII, and UTF-8 never uses their bytes
/// inside another character, so bytes can be searched. Eight at a time: WebAssembly has no vector search here, and
/// a byte loop over a decision's few hundred bytes took a tenth of the fast path's time in the module.
fn holds_separator(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut words = bytes.chunks_exact(8);
    for word in words.by_ref() {
        let mut eight = [0; 8];
        eight.copy_from_slice(word);
        let w = u64::from_ne_bytes(eight);
        // A byte below 4 sets its high bit in `(w - 4·ONES) & !w & HIGHS` (a byte at or above 0x80 never does);
        // only then are the eight bytes looked at one by one, since a zero byte is below 4 too.
        if w.wrapping_sub(4 * ONES) & !w & HIGHS != 0 && word.iter().any(|b| matches!(b, 0x01..=0x03)) {
            return true;
        }
    }
    words.remainder().iter().any(|b| matches!(b, 0x01..=0x03))
}

// ---------------------------------------------------------------------------------------------------------------
// Start-up

/// Runs once when the WebAssembly instance starts (and again when it is re-created after an abort).
#[wasm_bindgen(start)]
pub fn start() {
    // Never needed, see "Panics" above: if the impossible happens, the InternalError says what and where.
    std::panic::set_hook(Box::new(|info| record_panic(&info.to_string())));
}

/// The version of the engine, e.g. `0.1.0`.
#[wasm_bindgen]
pub fn version() -> String {
    String::from(env!("CARGO_PKG_VERSION"))
}

// ---------------------------------------------------------------------------------------------------------------
// One-shot functions

/// Decide one scenario and return the decision: an API Gateway request (`api`), or a general IAM check
/// (`resources`), told apart by the core (`authorize_any`) as every front does.
#[wasm_bindgen]
pub fn authorize(scenario: &JsValue) -> Result<JsValue, Failure> {
    let input = read_input(scenario, "scenario")?;
    parse_answer(&apigw_authz::authorize_any(input.input())?.to_json())
}

/// `authorize`, answering with the decision's JSON text (byte for byte what `apigw-authz authorize` prints).
#[wasm_bindgen(js_name = authorizeJson)]
pub fn authorize_json(scenario: &JsValue) -> Result<String, Failure> {
    let input = read_input(scenario, "scenario")?;
    Ok(apigw_authz::authorize_any(input.input())?.to_json())
}

/// Decide a general IAM scenario (`resources` instead of `api`).
#[wasm_bindgen(js_name = authorizeIam)]
pub fn authorize_iam(scenario: &JsValue) -> Result<JsValue, Failure> {
    let input = read_input(scenario, "scenario")?;
    to_js(&apigw_authz::authorize_iam(input.input())?)
}

/// `authorizeIam`, answering with the decision's JSON text.
#[wasm_bindgen(js_name = authorizeIamJson)]
pub fn authorize_iam_json(scenario: &JsValue) -> Result<String, Failure> {
    let input = read_input(scenario, "scenario")?;
    to_json(&apigw_authz::authorize_iam(input.input())?)
}

/// The decision of one scenario explained for a person: the text `apigw-authz explain` prints.
#[wasm_bindgen]
pub fn explain(scenario: &JsValue) -> Result<String, Failure> {
    let input = read_input(scenario, "scenario")?;
    Ok(apigw_authz::explain(input.input())?)
}

/// Run a policy test suite and return the suite report. A failing case is not an error; bad input is.
#[wasm_bindgen(js_name = runSuite)]
pub fn run_suite(suite: &JsValue) -> Result<JsValue, Failure> {
    let input = read_input(suite, "suite")?;
    to_js(&apigw_authz::run_suite(input.input())?)
}

/// `runSuite`, answering with the report's JSON text (what `apigw-authz test --json` prints as `report`).
#[wasm_bindgen(js_name = runSuiteJson)]
pub fn run_suite_json(suite: &JsValue) -> Result<String, Failure> {
    let input = read_input(suite, "suite")?;
    to_json(&apigw_authz::run_suite(input.input())?)
}

/// Diagnostics for one policy document given as JSON text, for editors: errors and warnings, each with
/// `line`/`column` and `endLine`/`endColumn`. `options` is `{kind}` (default `"resource"`) or absent.
#[wasm_bindgen(js_name = validatePolicy)]
pub fn validate_policy(text: &JsValue, options: &JsValue) -> Result<JsValue, Failure> {
    let Some(text) = text.dyn_ref::<js_sys::JsString>().map(read_text) else {
        return Err(argument_error(
            format!("`text` must be a string holding the policy document, found {}", describe(text)),
            "line and column refer to the text, so pass the document as text, e.g. `JSON.stringify(policy, null, 2)`",
        ));
    };
    let kind = read_kind(options)?;
    to_js(&apigw_authz::validate_policy(&text, kind))
}

fn read_kind(options: &JsValue) -> Result<PolicyKind, Failure> {
    const KINDS: &str = "one of `resource`, `identity`, `authorizer`, `endpoint`, `resource-based`";
    if options.is_undefined() || options.is_null() {
        return Ok(PolicyKind::Resource);
    }
    if !options.is_object() || options.is_function() {
        return Err(argument_error(
            format!("`options` must be an object such as `{{kind: \"identity\"}}`, found {}", describe(options)),
            KINDS,
        ));
    }
    let kind = js_sys::Reflect::get(options, &JsValue::from_str("kind"))
        .map_err(|cause| Failure::caused(CoreError::invalid_argument("`options.kind` could not be read"), cause))?;
    if kind.is_undefined() {
        return Ok(PolicyKind::Resource);
    }
    match kind.as_string() {
        Some(kind) => Ok(kind.parse()?),
        None => Err(argument_error(format!("`options.kind` must be a string, found {}", describe(&kind)), KINDS)),
    }
}

/// Abort inside the module, to prove that it reaches JavaScript as `InternalError` and that the next call works
/// (tests only; not part of the API).
#[wasm_bindgen(js_name = __panicForTests)]
#[allow(clippy::panic)] // the one deliberate panic: what the tests of the second line of defence need
pub fn panic_for_tests(message: String) {
    std::panic::panic_any(message)
}

// ---------------------------------------------------------------------------------------------------------------
// Prepared API: compile once, decide many times

/// An API compiled once (its policies, routes, authorizers, principals and VPC endpoints), then asked about
/// many requests. Its memory lives in the WebAssembly instance: `free()` releases it, and wasm-bindgen's glue
/// registers each object with a `FinalizationRegistry` for the ones that are only dropped.
#[wasm_bindgen(js_name = Api)]
pub struct Api {
    inner: PreparedApi,
}

#[wasm_bindgen(js_class = Api)]
impl Api {
    /// Compile `config`: a scenario without `request` (`{api, principals, vpcEndpoints}`).
    #[wasm_bindgen(constructor)]
    pub fn new(config: &JsValue) -> Result<Api, Failure> {
        let input = read_input(config, "config")?;
        Ok(Api { inner: PreparedApi::new(input.input())? })
    }

    /// Decide one request (the contract's `request` object), with the explanation.
    pub fn authorize(&self, request: &JsValue) -> Result<JsValue, Failure> {
        parse_answer(&self.decision(request, true)?.to_json())
    }

    /// Decide one request without the explanation (`explanation` is empty): the fast path.
    pub fn decide(&self, request: &JsValue) -> Result<JsValue, Failure> {
        parse_answer(&self.decision(request, false)?.to_json())
    }

    /// `decide`, answering in the compact form `js/decision.js` turns into the decision object (see
    /// [`write_record`]).
    #[wasm_bindgen(js_name = decideRecord)]
    pub fn decide_record(&self, request: &JsValue) -> Result<String, Failure> {
        Ok(record_or_json(&self.decision(request, false)?))
    }

    /// `authorize`, answering with the decision's JSON text.
    #[wasm_bindgen(js_name = authorizeJson)]
    pub fn authorize_json(&self, request: &JsValue) -> Result<String, Failure> {
        Ok(self.decision(request, true)?.to_json())
    }

    /// `decide`, answering with the decision's JSON text.
    #[wasm_bindgen(js_name = decideJson)]
    pub fn decide_json(&self, request: &JsValue) -> Result<String, Failure> {
        Ok(self.decision(request, false)?.to_json())
    }

    /// The decision of one request explained for a person.
    pub fn explain(&self, request: &JsValue) -> Result<String, Failure> {
        Ok(apigw_authz::render_text(&self.decision(request, true)?))
    }

    /// Decide many requests (an array of objects or JSON texts) and return their decisions, in order. An
    /// invalid request throws (its `path` starts with its position, `/3/...`) and no decision is returned.
    /// With `explain: false`, every `explanation` is empty: the fast path.
    #[wasm_bindgen(js_name = authorizeMany)]
    pub fn authorize_many(&self, requests: &JsValue, explain: bool) -> Result<JsValue, Failure> {
        // One JSON array for the whole batch, so `JSON.parse` runs once.
        parse_answer(&json_array(&self.decisions(requests, explain)?))
    }

    /// `authorizeMany` without explanations, answering in the compact form of `js/decision.js`: the records
    /// separated by [`RECORD`], or `J` then the JSON array when a decision cannot be written as a record.
    #[wasm_bindgen(js_name = decideManyRecords)]
    pub fn decide_many_records(&self, requests: &JsValue) -> Result<String, Failure> {
        let decisions = self.decisions(requests, false)?;
        let mut out = String::with_capacity(400 * decisions.len());
        for (i, decision) in decisions.iter().enumerate() {
            if i > 0 {
                out.push(RECORD);
            }
            if !write_record(decision, &mut out) {
                return Ok(format!("J{}", json_array(&decisions)));
            }
        }
        Ok(out)
    }

    /// The decisions of an array of requests, in order; an invalid request's error path starts with its
    /// position (`/3/...`).
    fn decisions(&self, requests: &JsValue, explain: bool) -> Result<Vec<apigw_authz::Decision>, Failure> {
        let Some(requests) = requests.dyn_ref::<Array>() else {
            return Err(argument_error(
                format!("`requests` must be an array, found {}", describe(requests)),
                "pass an array of request objects or JSON texts",
            ));
        };
        requests
            .iter()
            .enumerate()
            .map(|(i, request)| {
                self.decision(&request, explain).map_err(|mut f| {
                    f.error = f.error.under(&format!("/{i}"));
                    f
                })
            })
            .collect()
    }

    fn decision(&self, request: &JsValue, explain: bool) -> Result<apigw_authz::Decision, Failure> {
        let input = read_input(request, "request")?;
        let request = self.inner.parse_request(input.input())?;
        Ok(if explain { self.inner.authorize(&request) } else { self.inner.decide(&request) }?)
    }
}

#[cfg(test)]
mod tests {
    use super::holds_separator;

    fn naive(bytes: &[u8]) -> bool {
        bytes.iter().any(|b| matches!(b, 0x01..=0x03))
    }

    #[test]
    fn the_word_search_agrees_with_a_byte_loop() {
        // Every byte value at every position of texts up to three words long, among neighbours that stress the
        // word trick: zero (also below 4), 4 (just above), 0x80 and 0xff (high bits set), and a letter.
        let neighbours = [0x00, 0x04, 0x80, 0xff, b'a'];
        for len in 0..=24 {
            for at in 0..len {
                for value in 0..=u8::MAX {
                    for (n, &fill) in neighbours.iter().enumerate() {
                        let mut bytes: Vec<u8> =
                            (0..len).map(|i| if i % 3 == 0 { neighbours[(i + n) % 5] } else { fill }).collect();
                        if let Some(b) = bytes.get_mut(at) {
                            *b = value;
                        }
                        assert_eq!(holds_separator(&bytes), naive(&bytes), "{bytes:?}");
                    }
                }
            }
        }
    }
}
