//! Python values as the engine's JSON tree ([`apigw_authz::Input::Tree`]), read once.
//!
//! Going through `serde_json::Value` first built an IndexMap per dict that the engine then converted again: for a
//! prepared API's request, that double conversion cost as much as deciding. Most of what is left is the strings:
//! under the stable ABI of Python 3.9, reading a `str` as UTF-8 makes a `bytes` object, then a Rust copy of it.
//! The keys of a request are nearly all names of the contract (`httpMethod`, `policyDocument`, `Effect`, ...), so
//! a key is first looked up among those, by the hash a `str` caches, and borrowed from the table when found.
//! Values are not looked up: few of them are names of the contract, and a lookup that fails costs as much as
//! one that succeeds saves.

use std::borrow::Cow;
use std::collections::HashMap;

use apigw_authz::json::{Json, JsonValue, Key, Number, Span};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::Value;

use crate::{py_str, type_name, NotJson, JSON_TYPES_HELP, MAX_DEPTH};

/// A Python value as a JSON tree; dict order is kept as the iteration order of the map type allows.
pub fn to_tree(obj: &Bound<'_, PyAny>) -> Result<Json<'static>, NotJson> {
    let mut json = tree(JsonValue::Null);
    Reader { known: Known::get(obj.py()) }.value(obj, 0, &mut json.value)?;
    Ok(json)
}

struct Reader<'k> {
    /// `None` only if the table could not be built (then every key is copied).
    known: Option<&'k Known>,
}

impl Reader<'_> {
    /// Write the value of `obj` into `out`, its place in its parent: returned, each value was copied again on its
    /// way into its parent's vector, about a fifth of the walk.
    fn value(&self, obj: &Bound<'_, PyAny>, depth: usize, out: &mut JsonValue<'static>) -> Result<(), NotJson> {
        if depth > MAX_DEPTH {
            return Err(NotJson::new(
                format!("the value is nested deeper than {MAX_DEPTH} levels"),
                "a dict or list that contains itself cannot be JSON",
            ));
        }
        // Exact types first: they are what `json.load` produces, and checking them is cheapest.
        if let Ok(s) = obj.cast_exact::<PyString>() {
            *out = JsonValue::String(Cow::Owned(py_str(s)?));
            return Ok(());
        }
        // The exact type is compared inline; asking about subclasses is a call into the interpreter.
        if let Ok(dict) = obj.cast_exact::<PyDict>().or_else(|_| obj.cast::<PyDict>()) {
            let mut members: Vec<(Key<'static>, Json<'static>)> = Vec::with_capacity(dict.len());
            // Keys of type `str` are distinct texts; a `str` subclass can compare and hash as it likes, so two of
            // its keys may hold the same text.
            let mut only_str_keys = true;
            for (key, value) in dict.iter() {
                let key = match key.cast_exact::<PyString>() {
                    Ok(key) => key,
                    Err(_) => {
                        only_str_keys = false;
                        key.cast::<PyString>().map_err(|_| {
                            NotJson::new(
                                format!(
                                    "the key `{}` is not a str",
                                    key.repr().map(|r| r.to_string()).unwrap_or_default()
                                ),
                                "JSON object keys are strings",
                            )
                        })?
                    }
                };
                members.push((Key { name: self.key(key)?, span: Span::NONE }, tree(JsonValue::Null)));
                if let Some((key, slot)) = members.last_mut() {
                    self.value(&value, depth + 1, &mut slot.value).map_err(|e| e.at(key.name.to_string()))?;
                }
            }
            if !only_str_keys {
                merge_equal_keys(&mut members);
            }
            *out = JsonValue::Object(members);
            return Ok(());
        }
        if let Ok(list) = obj.cast_exact::<PyList>().or_else(|_| obj.cast::<PyList>()) {
            return self.items(list.iter(), list.len(), depth, out);
        }
        if obj.is_none() {
            *out = JsonValue::Null;
            return Ok(());
        }
        // `bool` is a subclass of `int`: ask first.
        if let Ok(b) = obj.cast::<PyBool>() {
            *out = JsonValue::Bool(b.is_true());
            return Ok(());
        }
        // Numbers keep the text serde_json writes for them: the engine echoes it (a suite report's differences).
        if obj.cast::<PyInt>().is_ok() {
            let text = if let Ok(i) = obj.extract::<i64>() {
                Value::from(i).to_string()
            } else if let Ok(u) = obj.extract::<u64>() {
                Value::from(u).to_string()
            } else {
                // Past 64 bits: Python's own digits, exact, as JSON text would hold them; refused past the largest
                // double, as the engine's reader refuses such a literal in text.
                // `int(obj)` first: a subclass (an `IntEnum`) may print itself otherwise.
                let digits = obj
                    .py()
                    .get_type::<PyInt>()
                    .call1((obj,))
                    .and_then(|int| int.str())
                    .map(|s| s.to_string())
                    .unwrap_or_default();
                if !digits.parse::<f64>().is_ok_and(f64::is_finite) {
                    return Err(NotJson::new(
                        format!("the integer `{digits}` is past the largest double (about 1.8e308)"),
                        "JSON numbers must be finite doubles to every reader; pass such a value as a string",
                    ));
                }
                digits
            };
            *out = JsonValue::Number(Number { text });
            return Ok(());
        }
        if let Ok(f) = obj.cast::<PyFloat>() {
            let f = f.value();
            let Some(n) = serde_json::Number::from_f64(f) else {
                return Err(NotJson::new(format!("`{f}` is not a JSON number"), "JSON has no NaN or infinity"));
            };
            *out = JsonValue::Number(Number { text: n.to_string() });
            return Ok(());
        }
        if let Ok(s) = obj.cast::<PyString>() {
            *out = JsonValue::String(Cow::Owned(py_str(s)?));
            return Ok(());
        }
        if let Ok(tuple) = obj.cast::<PyTuple>() {
            return self.items(tuple.iter(), tuple.len(), depth, out);
        }
        Err(NotJson::new(format!("a value of type `{}` is not JSON", type_name(obj)), JSON_TYPES_HELP))
    }

    fn items<'py>(
        &self,
        items: impl Iterator<Item = Bound<'py, PyAny>>,
        len: usize,
        depth: usize,
        out: &mut JsonValue<'static>,
    ) -> Result<(), NotJson> {
        let mut values: Vec<Json<'static>> = Vec::with_capacity(len);
        for (i, item) in items.enumerate() {
            values.push(tree(JsonValue::Null));
            if let Some(slot) = values.last_mut() {
                self.value(&item, depth + 1, &mut slot.value).map_err(|e| e.at(i.to_string()))?;
            }
        }
        *out = JsonValue::Array(values);
        Ok(())
    }

    fn key(&self, s: &Bound<'_, PyString>) -> Result<Cow<'static, str>, NotJson> {
        // A subclass may hash as it likes (running Python code): only a `str` is looked up.
        if let Some(known) = self.known.filter(|_| s.is_exact_instance_of::<PyString>()) {
            if let Some(name) = known.find(s) {
                return Ok(Cow::Borrowed(name));
            }
        }
        py_str(s).map(Cow::Owned)
    }
}

fn tree(value: JsonValue<'static>) -> Json<'static> {
    Json { value, span: Span::NONE }
}

/// Members with the same key text made one, as a `serde_json::Map` (an IndexMap) makes them: the first one's
/// place, the last one's value. The engine expects distinct keys (its reader rejects duplicates in text).
fn merge_equal_keys(members: &mut Vec<(Key<'static>, Json<'static>)>) {
    let mut places: HashMap<Cow<'static, str>, usize> = HashMap::with_capacity(members.len());
    let mut merged: Vec<(Key<'static>, Json<'static>)> = Vec::with_capacity(members.len());
    for (key, value) in members.drain(..) {
        match places.get(&key.name).and_then(|&at| merged.get_mut(at)) {
            Some((_, kept)) => *kept = value,
            None => {
                places.insert(key.name.clone(), merged.len());
                merged.push((key, value));
            }
        }
    }
    *members = merged;
}

/// The keys recognised without reading them: those of a request (and of its caller, Cognito token and
/// authorizer result), of a policy document, and the header nearly every request with an authorizer carries.
const NAMES: &[&str] = &[
    // Request.
    "httpMethod",
    "path",
    "stage",
    "sourceIp",
    "vpcSourceIp",
    "vpcEndpointId",
    "secureTransport",
    "headers",
    "queryStringParameters",
    "stageVariables",
    "time",
    "caller",
    "cognito",
    "authorizerResult",
    // Caller and Cognito token.
    "arn",
    "signature",
    "signedAt",
    "sessionPolicy",
    "tokenValid",
    "tokenUse",
    "claims",
    "scopes",
    "expired",
    // Authorizer result.
    "principalId",
    "policyDocument",
    "context",
    "usageIdentifierKey",
    "error",
    // Policy document.
    "Version",
    "Id",
    "Statement",
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
    "AWS",
    "Service",
    "Federated",
    "CanonicalUser",
    // The header that carries the token of nearly every request with an authorizer.
    "Authorization",
];

/// [`NAMES`] in a dict, each bound to its position: a `str` is looked up with the hash it caches and compared in
/// C, without making an object.
struct Known {
    positions: Py<PyDict>,
}

impl Known {
    fn get(py: Python<'_>) -> Option<&Known> {
        static KNOWN: PyOnceLock<Option<Known>> = PyOnceLock::new();
        KNOWN.get_or_init(py, || Known::new(py).ok()).as_ref()
    }

    fn new(py: Python<'_>) -> PyResult<Known> {
        let positions = PyDict::new(py);
        for (i, name) in NAMES.iter().enumerate() {
            positions.set_item(PyString::intern(py, name), i)?;
        }
        Ok(Known { positions: positions.unbind() })
    }

    /// The table's copy of the text of `s`, a `str`.
    fn find(&self, s: &Bound<'_, PyString>) -> Option<&'static str> {
        let position = self.positions.bind(s.py()).get_item(s).ok()??;
        NAMES.get(position.extract::<usize>().ok()?).copied()
    }
}
