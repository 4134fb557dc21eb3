//! Python bindings of apigw-authz: the native module `apigw_authz._native`.
//!
//! Thin wrappers only, like regorus's `bindings/python`: Python values become the core's JSON input, the core
//! decides, and its answer comes back as dicts whose keys and key order are the decision JSON's. No decision is
//! made here: an `if` about authorization in this file would belong in `core/`.
//!
//! Three rules hold for every function:
//! - errors are `apigw_authz.Error` subclasses (defined in Python, `apigw_authz/_errors.py`) with the core
//!   error's `code`, `path`, `line`, `column` and `help`;
//! - a Rust panic is caught (`guard`) and raised as `apigw_authz.InternalError`, never as PyO3's
//!   `PanicException`, which derives from `BaseException` and escapes `except Exception`;
//! - batch work runs with the GIL released (`Python::detach`), as tiktoken does, so other Python threads run.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

mod decision;
mod to_python;
mod tree;

use apigw_authz::{Diagnostic, Error as CoreError, ErrorCode, PolicyKind, PreparedApi, Request};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList, PyModule, PyString, PyType};
use serde::Serialize;

// ---------------------------------------------------------------------------------------------------------------
// Errors

/// The module that defines the exception hierarchy (pure Python, so it is typed and documented in one place).
const ERRORS_MODULE: &str = "apigw_authz._errors";

/// The exception class for a core error code.
fn error_class(py: Python<'_>, code: ErrorCode) -> PyResult<&Bound<'_, PyType>> {
    static INVALID_JSON: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    static INVALID_POLICY: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    static INVALID_SCENARIO: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    static INVALID_ARGUMENT: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    static INTERNAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    let (cell, name) = match code {
        ErrorCode::InvalidJson => (&INVALID_JSON, "InvalidJson"),
        ErrorCode::InvalidPolicy => (&INVALID_POLICY, "InvalidPolicy"),
        ErrorCode::InvalidScenario => (&INVALID_SCENARIO, "InvalidScenario"),
        ErrorCode::InvalidArgument => (&INVALID_ARGUMENT, "InvalidArgument"),
        ErrorCode::Internal => (&INTERNAL, "InternalError"),
    };
    cell.import(py, ERRORS_MODULE, name)
}

/// The Python exception for a core error, carrying every field of it.
fn py_error(py: Python<'_>, error: &CoreError) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let kwargs = PyDict::new(py);
        kwargs.set_item("code", error.code.as_str())?;
        kwargs.set_item("path", &error.path)?;
        kwargs.set_item("line", error.line)?;
        kwargs.set_item("column", error.column)?;
        kwargs.set_item("help", error.help.as_deref())?;
        let instance = error_class(py, error.code)?.call((error.message.as_str(),), Some(&kwargs))?;
        Ok(PyErr::from_value(instance))
    };
    // Failing to build the exception (the Python package is broken) still raises something that says why.
    build().unwrap_or_else(|e| e)
}

/// Run `f`, turning a panic into `apigw_authz.InternalError` (code `internal`).
fn guard<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => Err(py_error(py, &panic_error(payload.as_ref()))),
    }
}

fn panic_error(payload: &(dyn Any + Send)) -> CoreError {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| String::from("no message"));
    CoreError::internal(format!("the engine failed unexpectedly: {what}"))
        .with_help("this is a bug in apigw-authz, not in your input: please report it with the input that caused it")
}

/// A core result as a Python result.
fn check<T>(py: Python<'_>, result: Result<T, CoreError>) -> PyResult<T> {
    result.map_err(|e| py_error(py, &e))
}

/// A decision as a dict, keys in the decision JSON's order.
fn decision_dict<'py>(py: Python<'py>, decision: &apigw_authz::Decision) -> PyResult<Bound<'py, PyAny>> {
    let shape = decision::Shape::full(py)?;
    converted(py, decision::to_dict(py, decision, &shape, None).map(Bound::into_any))
}

/// Any other core answer (`SuiteReport`, `IamDecision`, ...) as Python dicts and lists, keys in the Rust JSON's
/// order.
fn to_python<'py, T: Serialize + ?Sized>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    converted(py, to_python::to_python(py, value))
}

fn converted<'py>(
    py: Python<'py>,
    result: Result<Bound<'py, PyAny>, to_python::ConvertError>,
) -> PyResult<Bound<'py, PyAny>> {
    result.map_err(|e| py_error(py, &CoreError::internal(format!("the answer could not be converted to Python: {e}"))))
}

fn argument_error(py: Python<'_>, message: String, help: &str) -> PyErr {
    py_error(py, &CoreError::invalid_argument(message).with_help(help))
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| String::from("?"))
}

// ---------------------------------------------------------------------------------------------------------------
// Input: str/bytes are JSON text (errors then carry line and column); anything else is a JSON-like value.

/// JSON input owned for the duration of one call (the core's type, so every front holds input the same way).
type Owned = apigw_authz::OwnedInput;

/// Deeper than this, a value is either hostile or contains itself; the core's own limit (64) is lower, so
/// every real document reaches the core and gets the core's message.
pub(crate) const MAX_DEPTH: usize = 256;

/// Why a Python value is not JSON, and where. Boxed: it is the error type of every value of a conversion, and
/// unboxed it made each value's result a large struct copied through memory on the way up.
pub(crate) struct NotJson(Box<Problem>);

/// The message, and the path segments collected innermost first.
struct Problem {
    message: String,
    help: &'static str,
    reversed_path: Vec<String>,
}

impl NotJson {
    fn new(message: String, help: &'static str) -> Self {
        NotJson(Box::new(Problem { message, help, reversed_path: Vec::new() }))
    }

    fn at(mut self, segment: String) -> Self {
        self.0.reversed_path.push(segment.replace('~', "~0").replace('/', "~1"));
        self
    }

    fn into_error(self) -> CoreError {
        let Problem { message, help, reversed_path } = *self.0;
        let path: String = reversed_path.iter().rev().map(|s| format!("/{s}")).collect();
        CoreError::invalid_json(message, path).with_help(help)
    }
}

const JSON_TYPES_HELP: &str =
    "a JSON value is a dict with str keys, a list or tuple, a str, an int, a float, a bool or None";

fn read_input(obj: &Bound<'_, PyAny>) -> Result<Owned, CoreError> {
    if let Ok(text) = obj.cast::<PyString>() {
        return py_str(text).map(Owned::Text).map_err(NotJson::into_error);
    }
    if let Ok(bytes) = obj.cast::<PyBytes>() {
        return apigw_authz::json::utf8_text(bytes.as_bytes()).map(|text| Owned::Text(text.to_owned()));
    }
    tree::to_tree(obj).map(Owned::Tree).map_err(NotJson::into_error)
}

fn py_str(s: &Bound<'_, PyString>) -> Result<String, NotJson> {
    s.to_cow()
        .map(|c| c.into_owned())
        .map_err(|e| NotJson::new(format!("the string is not valid Unicode: {e}"), "remove lone surrogates"))
}

// ---------------------------------------------------------------------------------------------------------------
// One-shot functions

/// Decide one scenario (the JSON contract with a `request`) and return the decision JSON as a dict.
///
/// `scenario` is JSON text (`str` or UTF-8 `bytes`; errors then carry line and column) or the parsed value (a
/// dict, as `json.load` returns it). Raises `InvalidJson`, `InvalidPolicy` or `InvalidScenario` for bad input.
#[pyfunction]
#[pyo3(signature = (scenario, /))]
fn authorize<'py>(py: Python<'py>, scenario: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let input = check(py, read_input(scenario))?;
        let decision = check(py, apigw_authz::authorize(input.input()))?;
        decision_dict(py, &decision)
    })
}

/// Decide one scenario, either kind (`api` or `resources`), and return the decision JSON as text: byte for byte
/// what `apigw-authz authorize` prints (the npm package's `authorizeJson`). For storing or comparing answers;
/// `json.dumps` of `authorize`'s dict gives the same bytes only with `separators=(",", ":")` and
/// `ensure_ascii=False`.
#[pyfunction]
#[pyo3(signature = (scenario, /))]
fn authorize_json(py: Python<'_>, scenario: &Bound<'_, PyAny>) -> PyResult<String> {
    guard(py, || {
        let input = check(py, read_input(scenario))?;
        Ok(check(py, apigw_authz::authorize_any(input.input()))?.to_json())
    })
}

/// Decide a general IAM scenario (`resources` instead of `api`): may this caller do this action on this
/// resource? Returns the IAM decision JSON as a dict.
#[pyfunction]
#[pyo3(signature = (scenario, /))]
fn authorize_iam<'py>(py: Python<'py>, scenario: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let input = check(py, read_input(scenario))?;
        let decision = check(py, apigw_authz::authorize_iam(input.input()))?;
        to_python(py, &decision)
    })
}

/// The decision of one scenario (an API Gateway scenario, or a general IAM one with `resources`) explained for a
/// person: the text `apigw-authz explain` prints.
#[pyfunction]
#[pyo3(signature = (scenario, /))]
fn explain(py: Python<'_>, scenario: &Bound<'_, PyAny>) -> PyResult<String> {
    guard(py, || {
        let input = check(py, read_input(scenario))?;
        check(py, apigw_authz::explain(input.input()))
    })
}

/// Run a policy test suite (a scenario without `request`, plus `cases`) and return the suite report:
/// `{"description", "passed", "failed", "cases": [{"name", "description", "passed", "decision",
/// "differences"}]}`. A failing case is not an error; bad input is.
#[pyfunction]
#[pyo3(signature = (suite, /))]
fn run_suite<'py>(py: Python<'py>, suite: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let input = check(py, read_input(suite))?;
        // A suite can be long (many cases, each explained): let other Python threads run meanwhile.
        let report = py.detach(|| catch_unwind(AssertUnwindSafe(|| apigw_authz::run_suite(input.input()))));
        let report = report.unwrap_or_else(|payload| Err(panic_error(payload.as_ref())));
        to_python(py, &check(py, report)?)
    })
}

/// Diagnostics for one policy document given as JSON text (`str`, or UTF-8 `bytes`): a list of dicts with
/// `severity` (`error` or `warning`), `code`, `message`, `path`, `line`, `column`, `endLine`, `endColumn` and,
/// when there is advice, `help`. An empty list means the policy is valid. `kind` is `resource`, `identity`,
/// `authorizer`, `endpoint` or `resource-based`.
#[pyfunction]
#[pyo3(signature = (text, kind = None), text_signature = "(text, kind='resource')")]
fn validate_policy<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyAny>,
    kind: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let kind = match kind {
            None => PolicyKind::Resource,
            Some(kind) => read_kind(py, kind)?,
        };
        let text = if let Ok(text) = text.cast::<PyString>() {
            py_str(text).map_err(NotJson::into_error)
        } else if let Ok(bytes) = text.cast::<PyBytes>() {
            apigw_authz::json::utf8_text(bytes.as_bytes()).map(str::to_owned)
        } else {
            return Err(argument_error(
                py,
                format!("`text` must be a str holding the policy document, found `{}`", type_name(text)),
                "line and column refer to the text, so pass the document as text, e.g. `json.dumps(policy, indent=2)`",
            ));
        };
        // Text that cannot be read is reported like any other error in the document, as the command line does.
        let diagnostics = match text {
            Ok(text) => apigw_authz::validate_policy(&text, kind),
            Err(error) => vec![Diagnostic::from_error(&error, None)],
        };
        to_python(py, &diagnostics)
    })
}

/// For `python -m apigw_authz authorize` and `explain`: the core's own compact JSON (or, with `text=True`, the
/// explanation text) of either kind of scenario, so the Python command line prints what the Rust one prints.
#[pyfunction]
#[pyo3(signature = (scenario, /, *, text))]
fn _decide_for_cli(py: Python<'_>, scenario: &Bound<'_, PyAny>, text: bool) -> PyResult<String> {
    guard(py, || {
        let input = check(py, read_input(scenario))?;
        let decision = check(py, apigw_authz::authorize_any(input.input()))?;
        Ok(if text { decision.render_text() } else { decision.to_json() })
    })
}

/// For `python -m apigw_authz test` and `explain --case`: the suite report as the core's compact JSON, and the
/// text the command line prints for it (the core's report layout, or the explanation of the case `case`), so
/// both command lines print the same bytes.
#[pyfunction]
#[pyo3(signature = (suite, /, file, verbose=false, case=None))]
fn _suite_for_cli(
    py: Python<'_>,
    suite: &Bound<'_, PyAny>,
    file: &str,
    verbose: bool,
    case: Option<&str>,
) -> PyResult<(String, String)> {
    guard(py, || {
        let input = check(py, read_input(suite))?;
        let report = check(py, apigw_authz::run_suite(input.input()))?;
        let text = match case {
            Some(name) => check(py, report.explain_case(name))?,
            None => report.render_text(file, verbose),
        };
        Ok((report.to_json(), text))
    })
}

fn read_kind(py: Python<'_>, kind: &Bound<'_, PyAny>) -> PyResult<PolicyKind> {
    let Ok(kind) = kind.cast::<PyString>() else {
        return Err(argument_error(
            py,
            format!("`kind` must be a str, found `{}`", type_name(kind)),
            "one of `resource`, `identity`, `authorizer`, `endpoint`, `resource-based`",
        ));
    };
    let kind = check(py, py_str(kind).map_err(NotJson::into_error))?;
    check(py, kind.parse())
}

/// Raise a Rust panic inside the guard, to prove that it reaches Python as `apigw_authz.InternalError`
/// (tests only).
#[pyfunction]
#[pyo3(signature = (message, /))]
fn _panic_for_tests(py: Python<'_>, message: String) -> PyResult<()> {
    guard(py, || {
        let fail: fn(String) -> PyResult<()> = |m| std::panic::panic_any(m);
        fail(message)
    })
}

// ---------------------------------------------------------------------------------------------------------------
// Prepared API: compile once, decide many times

/// An API compiled once (its policies, routes, authorizers, principals and VPC endpoints), then asked about
/// many requests.
///
/// `config` is a scenario without `request`: `{"api": ..., "principals": ..., "vpcEndpoints": ...}`, as JSON
/// text or a dict.
#[pyclass(module = "apigw_authz._native", name = "Api", frozen)]
struct Api {
    inner: Arc<PreparedApi>,
}

/// A request read once by `Api.parse_request`, to be decided many times by the `Api` that read it.
#[pyclass(module = "apigw_authz._native", name = "Request", frozen)]
struct PyRequest {
    api: Arc<PreparedApi>,
    inner: Request,
}

#[pymethods]
impl PyRequest {
    fn __repr__(&self) -> String {
        format!("<apigw_authz.Request {} {} stage={}>", self.inner.http_method, self.inner.path, self.inner.stage)
    }
}

/// One request given to an `Api`: already parsed, or parsed now.
enum Item<'py> {
    Parsed(Bound<'py, PyRequest>),
    Read(Box<Request>),
}

impl Item<'_> {
    fn request(&self) -> &Request {
        match self {
            Item::Parsed(r) => &r.get().inner,
            Item::Read(r) => r,
        }
    }
}

impl Api {
    /// The request as the core reads it: a `Request` this API parsed before, or JSON text or a value read now.
    fn item<'py>(&self, request: &Bound<'py, PyAny>) -> Result<Item<'py>, CoreError> {
        if let Ok(parsed) = request.cast::<PyRequest>() {
            if !Arc::ptr_eq(&parsed.get().api, &self.inner) {
                return Err(CoreError::invalid_argument("this request was read by another `Api`").with_help(
                    "a request is read against its API's principals: decide it with the `Api` whose `parse_request` made it",
                ));
            }
            return Ok(Item::Parsed(parsed.clone()));
        }
        let input = read_input(request)?;
        self.inner.parse_request(input.input()).map(|r| Item::Read(Box::new(r)))
    }

    fn decide(&self, request: &Request, explain: bool) -> Result<apigw_authz::Decision, CoreError> {
        if explain {
            self.inner.authorize(request)
        } else {
            self.inner.decide(request)
        }
    }
}

#[pymethods]
impl Api {
    #[new]
    #[pyo3(signature = (config, /))]
    fn new(py: Python<'_>, config: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let input = check(py, read_input(config))?;
            let api = check(py, PreparedApi::new(input.input()))?;
            Ok(Api { inner: Arc::new(api) })
        })
    }

    /// Read a request (the contract's `request` object, as JSON text or a dict) once, to decide it many times.
    #[pyo3(signature = (request, /))]
    fn parse_request(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<PyRequest> {
        guard(py, || {
            let input = check(py, read_input(request))?;
            let inner = check(py, self.inner.parse_request(input.input()))?;
            Ok(PyRequest { api: Arc::clone(&self.inner), inner })
        })
    }

    /// Decide one request (JSON text, a dict, or a `Request` from `parse_request`) and return the decision
    /// JSON as a dict. With `explain=False`, `explanation` is empty: the fast path.
    #[pyo3(signature = (request, /, *, explain = true))]
    fn authorize<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
        explain: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let item = check(py, self.item(request))?;
            let decision = check(py, self.decide(item.request(), explain))?;
            decision_dict(py, &decision)
        })
    }

    /// Decide many requests and return their decisions, in order. The requests are read while holding the
    /// GIL, then decided with it released, so other Python threads run meanwhile. An invalid request raises
    /// (its `path` starts with its position in `requests`) and no decision is returned.
    ///
    /// `fields` (a list of decision field names, e.g. `["decision", "statusCode"]`) keeps only those fields in
    /// each dict: building the dicts is most of the cost of a large batch, so ask only for what you read.
    #[pyo3(signature = (requests, /, *, explain = true, fields = None))]
    fn authorize_many<'py>(
        &self,
        py: Python<'py>,
        requests: &Bound<'py, PyAny>,
        explain: bool,
        fields: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        guard(py, || {
            let fields = fields.map(|f| field_names(py, f)).transpose()?;
            let many = "pass a list of requests; to decide one request, call `authorize`";
            if requests.cast::<PyString>().is_ok()
                || requests.cast::<PyBytes>().is_ok()
                || requests.cast::<PyDict>().is_ok()
            {
                let message = format!("`requests` must be a list of requests, found one `{}`", type_name(requests));
                return Err(argument_error(py, message, many));
            }
            let Ok(iter) = requests.try_iter() else {
                let message = format!("`requests` must be a list of requests, found `{}`", type_name(requests));
                return Err(argument_error(py, message, many));
            };
            let mut items = Vec::with_capacity(requests.len().unwrap_or(0));
            for (i, request) in iter.enumerate() {
                let request = request?;
                items.push(check(py, self.item(&request).map_err(|e| e.under(&format!("/{i}"))))?);
            }
            let refs: Vec<&Request> = items.iter().map(Item::request).collect();
            let api = &*self;
            let decided = py.detach(|| {
                catch_unwind(AssertUnwindSafe(|| refs.iter().map(|r| api.decide(r, explain)).collect::<Vec<_>>()))
            });
            let decided = decided.map_err(|payload| py_error(py, &panic_error(payload.as_ref())))?;
            let _paused = GcPause::new(py);
            let strings = to_python::StringCache::new();
            let shape = match &fields {
                Some(fields) => decision::Shape::only(py, fields)?,
                None => decision::Shape::full(py)?,
            };
            let mut out = Vec::with_capacity(decided.len());
            for (i, decision) in decided.into_iter().enumerate() {
                let decision = decision.map_err(|e| py_error(py, &e.under(&format!("/{i}"))))?;
                if let (0, Some(fields)) = (i, &fields) {
                    check_fields(py, fields)?;
                }
                out.push(converted(py, decision::to_dict(py, &decision, &shape, Some(&strings)).map(Bound::into_any))?);
            }
            PyList::new(py, out)
        })
    }

    /// The decision of one request explained for a person (what `apigw-authz explain` prints).
    #[pyo3(signature = (request, /))]
    fn explain(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<String> {
        guard(py, || {
            let item = check(py, self.item(request))?;
            let decision = check(py, self.inner.authorize(item.request()))?;
            Ok(apigw_authz::render_text(&decision))
        })
    }

    fn __repr__(&self) -> String {
        let api = self.inner.api();
        format!("<apigw_authz.Api {} in {} of account {}>", api.id, api.region, api.account_id)
    }
}

/// Python's cyclic garbage collector, paused while a batch's answers are built and resumed (if it was running)
/// when this is dropped. The answers are fresh dicts and lists of strings and numbers, so they hold no reference
/// cycles for the collector to find; left running, it would start a collection every few hundred new dicts and
/// scan the batch built so far each time (about a tenth of the cost of a large batch).
struct GcPause<'py> {
    gc: Option<Bound<'py, PyModule>>,
}

impl<'py> GcPause<'py> {
    fn new(py: Python<'py>) -> Self {
        // Imported once: a batch can be small, and importing costs a lookup in `sys.modules` each time.
        static GC: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
        let running = |gc: &Bound<'py, PyModule>| gc.call_method0(intern!(py, "isenabled")).and_then(|r| r.is_truthy());
        let gc = GC
            .get_or_try_init(py, || py.import("gc").map(Bound::unbind))
            .ok()
            .map(|gc| gc.bind(py).clone())
            .filter(|gc| running(gc).unwrap_or(false));
        if let Some(gc) = &gc {
            // Failing to pause only costs time.
            let _ = gc.call_method0(intern!(py, "disable"));
        }
        GcPause { gc }
    }
}

impl Drop for GcPause<'_> {
    fn drop(&mut self) {
        if let Some(gc) = &self.gc {
            let _ = gc.call_method0(intern!(gc.py(), "enable"));
        }
    }
}

/// The field names of `authorize_many(fields=...)`: any iterable of str, but not one str.
fn field_names(py: Python<'_>, fields: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    let help = "pass a list of decision field names, e.g. `fields=[\"decision\", \"statusCode\"]`";
    if fields.cast::<PyString>().is_ok() {
        return Err(argument_error(py, String::from("`fields` must be a list of names, found one str"), help));
    }
    let Ok(names) = fields.try_iter() else {
        return Err(argument_error(
            py,
            format!("`fields` must be a list of names, found `{}`", type_name(fields)),
            help,
        ));
    };
    names
        .map(|name| {
            let name = name?;
            match name.cast::<PyString>() {
                Ok(s) => check(py, py_str(s).map_err(NotJson::into_error)),
                Err(_) => {
                    Err(argument_error(py, format!("`fields` must hold str names, found `{}`", type_name(&name)), help))
                }
            }
        })
        .collect()
}

/// Every name in `fields` is a field of the decision (checked once per batch, on its first decision).
fn check_fields(py: Python<'_>, fields: &[String]) -> PyResult<()> {
    for field in fields {
        if !decision::FIELDS.contains(&field.as_str()) {
            let known: Vec<String> = decision::FIELDS.iter().map(|k| format!("`{k}`")).collect();
            return Err(argument_error(
                py,
                format!("unknown decision field `{field}`, expected one of {}", known.join(", ")),
                "field names are those of the decision JSON, in camelCase",
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------

/// The native part of the `apigw_authz` package; import `apigw_authz` instead.
#[pymodule]
#[pyo3(name = "_native")]
fn apigw_authz_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(authorize, m)?)?;
    m.add_function(wrap_pyfunction!(authorize_iam, m)?)?;
    m.add_function(wrap_pyfunction!(authorize_json, m)?)?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    m.add_function(wrap_pyfunction!(run_suite, m)?)?;
    m.add_function(wrap_pyfunction!(validate_policy, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    m.add_function(wrap_pyfunction!(_decide_for_cli, m)?)?;
    m.add_function(wrap_pyfunction!(_suite_for_cli, m)?)?;
    m.add_class::<Api>()?;
    m.add_class::<PyRequest>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
