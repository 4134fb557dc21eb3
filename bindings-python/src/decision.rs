//! A decision as a Python dict, built field by field: the decision JSON the core writes (`Decision::to_json`),
//! with the same keys in the same order and values of the same types, as `tests/test_decision_dict.py` checks for
//! every case of the corpus (and so notices a field added to `Decision` and not here).
//!
//! A decision is the answer of the fast path, built once per request. Through serde, its field names were looked
//! up by address in a table, every value went through the generic calls of a serializer, and the dict grew from
//! empty, resizing its table twice on the way to twelve keys. Here the keys are interned once, the dict is a copy
//! of an empty one that already holds them (so it never resizes, and fields that are `None` are already set), and
//! only the explanation, whose many small records are for people, keeps the serde path.

use std::borrow::Cow;

use apigw_authz::{Decision, Outcome, StatementRef};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyString};

use crate::to_python::{self, ConvertError, StringCache};

/// The decision's fields, in the order of the decision JSON.
pub const FIELDS: [&str; 12] = [
    "decision",
    "statusCode",
    "responseType",
    "errorType",
    "message",
    "body",
    "methodArn",
    "caller",
    "authorizerInvoked",
    "decisive",
    "explanation",
    "warnings",
];

/// Positions in [`FIELDS`].
const DECISION: usize = 0;
const STATUS_CODE: usize = 1;
const RESPONSE_TYPE: usize = 2;
const ERROR_TYPE: usize = 3;
const MESSAGE: usize = 4;
const BODY: usize = 5;
const METHOD_ARN: usize = 6;
const CALLER: usize = 7;
const AUTHORIZER_INVOKED: usize = 8;
const DECISIVE: usize = 9;
const EXPLANATION: usize = 10;
const WARNINGS: usize = 11;

/// The interned key of `FIELDS[field]`.
fn key(py: Python<'_>, field: usize) -> Option<&Bound<'_, PyString>> {
    Some(match field {
        DECISION => intern!(py, "decision"),
        STATUS_CODE => intern!(py, "statusCode"),
        RESPONSE_TYPE => intern!(py, "responseType"),
        ERROR_TYPE => intern!(py, "errorType"),
        MESSAGE => intern!(py, "message"),
        BODY => intern!(py, "body"),
        METHOD_ARN => intern!(py, "methodArn"),
        CALLER => intern!(py, "caller"),
        AUTHORIZER_INVOKED => intern!(py, "authorizerInvoked"),
        DECISIVE => intern!(py, "decisive"),
        EXPLANATION => intern!(py, "explanation"),
        WARNINGS => intern!(py, "warnings"),
        _ => return None,
    })
}

/// Which fields the dicts of a call hold: every field, or those `authorize_many(fields=...)` asked for.
pub struct Shape<'py> {
    /// The kept fields' keys in the decision's order, bound to `None` (`authorizerInvoked` to `False`): every
    /// dict starts as a copy of it, and a field whose value is that one is already set.
    template: Bound<'py, PyDict>,
    /// Bit `i` set: `FIELDS[i]` is kept.
    kept: u16,
}

impl<'py> Shape<'py> {
    /// Every field.
    pub fn full(py: Python<'py>) -> PyResult<Self> {
        static TEMPLATE: PyOnceLock<Py<PyDict>> = PyOnceLock::new();
        let template = TEMPLATE.get_or_try_init(py, || template(py, u16::MAX).map(Bound::unbind))?;
        Ok(Shape { template: template.bind(py).clone(), kept: u16::MAX })
    }

    /// The fields named in `only` (names that are not fields are left out: the caller checks them).
    pub fn only(py: Python<'py>, only: &[String]) -> PyResult<Self> {
        let kept = FIELDS
            .iter()
            .enumerate()
            .filter(|(_, name)| only.iter().any(|f| f == *name))
            .fold(0u16, |kept, (i, _)| kept | 1 << i);
        Ok(Shape { template: template(py, kept)?, kept })
    }

    fn keeps(&self, field: usize) -> bool {
        self.kept & (1 << field) != 0
    }
}

/// The dict every answer of a shape starts from: the kept keys, bound to the value a field has when there is
/// nothing to say.
fn template(py: Python<'_>, kept: u16) -> PyResult<Bound<'_, PyDict>> {
    let dict = PyDict::new(py);
    for field in (0..FIELDS.len()).filter(|i| kept & (1 << i) != 0) {
        if let Some(key) = key(py, field) {
            if field == AUTHORIZER_INVOKED {
                dict.set_item(key, false)?;
            } else {
                dict.set_item(key, py.None())?;
            }
        }
    }
    Ok(dict)
}

/// `decision` as the dict of `shape`; with `strings`, one answer of a batch whose string values are shared.
pub fn to_dict<'py>(
    py: Python<'py>,
    decision: &Decision,
    shape: &Shape<'py>,
    strings: Option<&StringCache<'py>>,
) -> Result<Bound<'py, PyDict>, ConvertError> {
    let out = Values { py, strings };
    let dict = shape.template.copy()?;
    // Every `set` replaces a value: the key is already in the copy, in its place.
    let set = |field: usize, value: Option<Bound<'py, PyAny>>| -> PyResult<()> {
        match (value, key(py, field)) {
            (Some(value), Some(key)) => dict.set_item(key, value),
            _ => Ok(()),
        }
    };
    if shape.keeps(DECISION) {
        set(DECISION, Some(outcome(py, decision.decision).clone().into_any()))?;
    }
    if shape.keeps(STATUS_CODE) {
        set(STATUS_CODE, Some(status_code(py, decision.status_code)?))?;
    }
    if shape.keeps(RESPONSE_TYPE) {
        set(RESPONSE_TYPE, decision.response_type.map(|s| out.name(s)))?;
    }
    if shape.keeps(ERROR_TYPE) {
        set(ERROR_TYPE, decision.error_type.map(|s| out.name(s)))?;
    }
    if shape.keeps(MESSAGE) {
        set(MESSAGE, decision.message.as_deref().map(|s| out.text(s)))?;
    }
    if shape.keeps(BODY) {
        set(BODY, decision.body.as_deref().map(|s| out.text(s)))?;
    }
    if shape.keeps(METHOD_ARN) {
        set(METHOD_ARN, decision.method_arn.as_deref().map(|s| out.text(s)))?;
    }
    if shape.keeps(CALLER) {
        set(CALLER, Some(out.cow(&decision.caller)))?;
    }
    if shape.keeps(AUTHORIZER_INVOKED) && decision.authorizer_invoked {
        set(AUTHORIZER_INVOKED, Some(PyBool::new(py, true).to_owned().into_any()))?;
    }
    if shape.keeps(DECISIVE) {
        let statements = decision.decisive.iter().map(|s| out.statement(s)).collect::<PyResult<Vec<_>>>()?;
        set(DECISIVE, Some(PyList::new(py, statements)?.into_any()))?;
    }
    if shape.keeps(EXPLANATION) {
        let explanation = if decision.explanation.is_empty() {
            PyList::empty(py).into_any()
        } else {
            // Explained decisions are for people: their many small records keep the generic path.
            match strings {
                Some(strings) => to_python::to_python_in_batch(py, &decision.explanation, strings)?,
                None => to_python::to_python(py, &decision.explanation)?,
            }
        };
        set(EXPLANATION, Some(explanation))?;
    }
    if shape.keeps(WARNINGS) {
        let warnings = PyList::new(py, decision.warnings.iter().map(|w| out.text(w)))?;
        set(WARNINGS, Some(warnings.into_any()))?;
    }
    Ok(dict)
}

/// How the string values of one answer are made.
#[derive(Clone, Copy)]
struct Values<'a, 'py> {
    py: Python<'py>,
    /// The batch's shared strings, if the answer is one of a batch.
    strings: Option<&'a StringCache<'py>>,
}

impl<'py> Values<'_, 'py> {
    fn text(self, s: &str) -> Bound<'py, PyAny> {
        match self.strings {
            Some(strings) => strings.string(self.py, s),
            None => PyString::new(self.py, s),
        }
        .into_any()
    }

    /// A `&'static str` of the engine (a response type, an effect, `anonymous`): interned, so that it is made
    /// once rather than for every answer.
    fn name(self, s: &'static str) -> Bound<'py, PyAny> {
        if let Some(name) = engine_name(self.py, s) {
            return name.clone().into_any();
        }
        match self.strings {
            Some(strings) => strings.name(self.py, s),
            None => to_python::name(self.py, s),
        }
        .into_any()
    }

    /// A `Cow` rather than a `&str`: whether it borrows says whether the text is the engine's own, made once.
    #[allow(clippy::ptr_arg)]
    fn cow(self, s: &Cow<'static, str>) -> Bound<'py, PyAny> {
        match s {
            Cow::Borrowed(s) => self.name(s),
            Cow::Owned(s) => self.text(s),
        }
    }

    /// A decisive statement: `{"policy", "index", "sid", "effect"}` (four keys fit a new dict's table, so there is
    /// no resize to avoid by copying).
    fn statement(self, statement: &StatementRef) -> PyResult<Bound<'py, PyDict>> {
        let py = self.py;
        let dict = PyDict::new(py);
        dict.set_item(intern!(py, "policy"), self.cow(&statement.policy))?;
        dict.set_item(intern!(py, "index"), statement.index)?;
        dict.set_item(intern!(py, "sid"), statement.sid.as_deref().map(|s| self.text(s)))?;
        dict.set_item(intern!(py, "effect"), self.name(statement.effect))?;
        Ok(dict)
    }
}

/// The status codes the engine answers with, made once (an int above 256 is a new object each time otherwise);
/// a gateway response may set any other.
fn status_code(py: Python<'_>, code: u16) -> PyResult<Bound<'_, PyAny>> {
    static COMMON: [(u16, PyOnceLock<Py<PyAny>>); 6] = [
        (200, PyOnceLock::new()),
        (401, PyOnceLock::new()),
        (403, PyOnceLock::new()),
        (404, PyOnceLock::new()),
        (414, PyOnceLock::new()),
        (500, PyOnceLock::new()),
    ];
    match COMMON.iter().find(|(common, _)| *common == code) {
        Some((_, cell)) => Ok(cell.get_or_init(py, || PyInt::new(py, code).into_any().unbind()).bind(py).clone()),
        None => Ok(PyInt::new(py, code).into_any()),
    }
}

/// The engine's names that nearly every decision holds, each in its own static: the table of
/// [`to_python::name`] is thread-local, and reaching it from a shared library costs more than this comparison.
fn engine_name<'py>(py: Python<'py>, s: &str) -> Option<&'py Bound<'py, PyString>> {
    Some(match s {
        "Allow" => intern!(py, "Allow"),
        "Deny" => intern!(py, "Deny"),
        "anonymous" => intern!(py, "anonymous"),
        "resource" => intern!(py, "resource"),
        "authorizer" => intern!(py, "authorizer"),
        "vpcEndpoint" => intern!(py, "vpcEndpoint"),
        "ACCESS_DENIED" => intern!(py, "ACCESS_DENIED"),
        "AccessDeniedException" => intern!(py, "AccessDeniedException"),
        "MISSING_AUTHENTICATION_TOKEN" => intern!(py, "MISSING_AUTHENTICATION_TOKEN"),
        "MissingAuthenticationTokenException" => intern!(py, "MissingAuthenticationTokenException"),
        "UNAUTHORIZED" => intern!(py, "UNAUTHORIZED"),
        "UnauthorizedException" => intern!(py, "UnauthorizedException"),
        _ => return None,
    })
}

/// The outcome's name, as serde names a unit variant.
fn outcome(py: Python<'_>, outcome: Outcome) -> &Bound<'_, PyString> {
    match outcome {
        Outcome::Allow => intern!(py, "Allow"),
        Outcome::ExplicitDeny => intern!(py, "ExplicitDeny"),
        Outcome::ImplicitDeny => intern!(py, "ImplicitDeny"),
        Outcome::Unauthenticated => intern!(py, "Unauthenticated"),
        Outcome::AuthorizerError => intern!(py, "AuthorizerError"),
        Outcome::NoRoute => intern!(py, "NoRoute"),
        Outcome::UriTooLong => intern!(py, "UriTooLong"),
    }
}
