//! The core's answers (any `Serialize` type) as Python objects, exactly as serde_json would write them as JSON:
//! structs and maps become dicts with the same keys in the same order, sequences and tuples become lists,
//! `None` and unit become `None`, enums are tagged the way serde_json tags them.
//!
//! pythonize does the same, but creates a new `str` for every struct field name of every answer. A batch of a
//! million decisions repeats the same few dozen names, so here field names and enum variant names (both
//! `&'static str`) are interned once per thread (and shared with every other use of the same string in the
//! interpreter): that was most of the cost of building a decision dict, and interned keys also make the
//! user's lookups faster.
//!
//! Decisions, the answers of the fast path, now have a builder of their own (`decision.rs`); this serves every
//! other answer, and the explanation of an explained decision.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::mem::ManuallyDrop;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};
use serde::ser::{self, Serialize};

/// Why an answer could not be converted (it cannot happen for the core's types, whose keys are strings).
#[derive(Debug)]
pub struct ConvertError(String);

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConvertError {}

impl ser::Error for ConvertError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ConvertError(msg.to_string())
    }
}

impl From<PyErr> for ConvertError {
    fn from(e: PyErr) -> Self {
        ConvertError(e.to_string())
    }
}

type Result<T> = std::result::Result<T, ConvertError>;

/// Values keyed by the address and length of a `&'static str` (a field or variant name).
type ByAddress<V> = HashMap<(usize, usize), V, BuildHasherDefault<AddressHasher>>;

/// Interned names.
type Names = ByAddress<ManuallyDrop<Py<PyString>>>;

thread_local! {
    /// The names met so far on this thread, by the address and length of their `&'static str`. Thread-local, so
    /// no lock is taken while the GIL is held. The strings are never released: they are interned, so the
    /// interpreter keeps them anyway.
    static NAMES: RefCell<Names> = RefCell::new(HashMap::default());
}

/// Hashes the address of a `&'static str`: distinct names have distinct addresses, so a multiply spreads them
/// well enough, at a fraction of the cost of the default SipHash.
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// `value` as Python objects.
pub fn to_python<'py, T: Serialize + ?Sized>(py: Python<'py>, value: &T) -> Result<Bound<'py, PyAny>> {
    value.serialize(ToPython { py, strings: None })
}

/// `value` as Python objects, for (part of) one answer of a batch: string values are shared with the batch's
/// other answers through `strings`.
pub fn to_python_in_batch<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
    strings: &StringCache<'py>,
) -> Result<Bound<'py, PyAny>> {
    value.serialize(ToPython { py, strings: Some(strings) })
}

/// The string values of one batch of answers, each built once and then shared. A batch of decisions repeats
/// the same messages, bodies, method ARNs and callers (a few per route and caller), and a shared `str` costs a
/// hash and a comparison where a new one costs an allocation, a UTF-8 decode and later a deallocation. Bounded:
/// short strings only, a fixed number of entries, and off for the rest of the batch when few strings repeat.
pub struct StringCache<'py> {
    map: RefCell<HashMap<Box<str>, Bound<'py, PyString>, BuildHasherDefault<WordHasher>>>,
    /// Field and variant names, by the address and length of their `&'static str`.
    names: RefCell<ByAddress<Bound<'py, PyString>>>,
    lookups: Cell<u32>,
    hits: Cell<u32>,
}

impl<'py> StringCache<'py> {
    const MAX_LEN: usize = 512;
    const MAX_ENTRIES: usize = 4096;
    /// After this many lookups, the cache stays on only if at least one in eight was a hit.
    const TRIAL: u32 = 2048;

    pub fn new() -> Self {
        StringCache {
            map: RefCell::new(HashMap::default()),
            names: RefCell::new(HashMap::default()),
            lookups: Cell::new(0),
            hits: Cell::new(0),
        }
    }

    pub fn string(&self, py: Python<'py>, value: &str) -> Bound<'py, PyString> {
        let lookups = self.lookups.get();
        if value.len() > Self::MAX_LEN || (lookups >= Self::TRIAL && self.hits.get() < lookups / 8) {
            return PyString::new(py, value);
        }
        self.lookups.set(lookups.saturating_add(1));
        if let Some(found) = self.map.borrow().get(value) {
            self.hits.set(self.hits.get().saturating_add(1));
            return found.clone();
        }
        let string = PyString::new(py, value);
        let mut map = self.map.borrow_mut();
        if map.len() < Self::MAX_ENTRIES {
            map.insert(Box::from(value), string.clone());
        }
        string
    }

    /// The interned Python string for a field or variant name, from the batch's table (reaching the thread-local
    /// table from a shared library costs a call of its own).
    pub fn name(&self, py: Python<'py>, name: &'static str) -> Bound<'py, PyString> {
        let key = (name.as_ptr() as usize, name.len());
        if let Some(found) = self.names.borrow().get(&key) {
            return found.clone();
        }
        let string = self::name(py, name);
        self.names.borrow_mut().insert(key, string.clone());
        string
    }
}

/// FxHash over eight bytes at a time (in two lanes): strings of a batch are hashed once per answer, so the hash
/// must be cheap; the keys are the engine's own answers, not chosen to collide.
#[derive(Default)]
struct WordHasher(u64);

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Sixteen bytes at a time in two lanes, whose multiplies overlap: messages and bodies are a few hundred
        // bytes, and one lane spent most of a lookup waiting on its own previous multiply.
        let mut pairs = bytes.chunks_exact(16);
        let mut other = WordHasher(self.0 ^ 0x9e37_79b9_7f4a_7c15);
        for pair in &mut pairs {
            let (first, second) = pair.split_at(8);
            self.add(word(first));
            other.add(word(second));
        }
        self.add(other.0);
        let mut words = pairs.remainder().chunks_exact(8);
        for eight in &mut words {
            self.add(word(eight));
        }
        let mut rest = [0u8; 8];
        for (to, from) in rest.iter_mut().zip(words.remainder()) {
            *to = *from;
        }
        self.add(u64::from_le_bytes(rest));
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

/// Eight bytes as a little-endian word.
fn word(bytes: &[u8]) -> u64 {
    let mut eight = [0u8; 8];
    for (to, from) in eight.iter_mut().zip(bytes) {
        *to = *from;
    }
    u64::from_le_bytes(eight)
}

/// The interned Python string for a field or variant name.
pub fn name<'py>(py: Python<'py>, name: &'static str) -> Bound<'py, PyString> {
    let key = (name.as_ptr() as usize, name.len());
    let found = NAMES.with(|names| names.borrow().get(&key).map(|s| s.bind(py).clone()));
    found.unwrap_or_else(|| {
        let string = PyString::intern(py, name);
        let kept = ManuallyDrop::new(string.clone().unbind());
        NAMES.with(|names| names.borrow_mut().insert(key, kept));
        string
    })
}

#[derive(Clone, Copy)]
struct ToPython<'a, 'py> {
    py: Python<'py>,
    /// String values shared within a batch.
    strings: Option<&'a StringCache<'py>>,
}

impl<'py> ToPython<'_, 'py> {
    /// The interned Python string for a field or variant name, from the batch when there is one.
    fn name(self, name: &'static str) -> Bound<'py, PyString> {
        match self.strings {
            Some(strings) => strings.name(self.py, name),
            None => self::name(self.py, name),
        }
    }
}

impl<'a, 'py> ser::Serializer for ToPython<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    type SerializeSeq = Seq<'a, 'py>;
    type SerializeTuple = Seq<'a, 'py>;
    type SerializeTupleStruct = Seq<'a, 'py>;
    type SerializeTupleVariant = Tagged<Seq<'a, 'py>>;
    type SerializeMap = Map<'a, 'py>;
    type SerializeStruct = Struct<'a, 'py>;
    type SerializeStructVariant = Tagged<Struct<'a, 'py>>;

    fn serialize_bool(self, v: bool) -> Result<Self::Ok> {
        Ok(PyBool::new(self.py, v).to_owned().into_any())
    }
    fn serialize_i8(self, v: i8) -> Result<Self::Ok> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<Self::Ok> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<Self::Ok> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<Self::Ok> {
        Ok(PyInt::new(self.py, v).into_any())
    }
    fn serialize_u8(self, v: u8) -> Result<Self::Ok> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<Self::Ok> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<Self::Ok> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<Self::Ok> {
        Ok(PyInt::new(self.py, v).into_any())
    }
    fn serialize_f32(self, v: f32) -> Result<Self::Ok> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Self::Ok> {
        Ok(PyFloat::new(self.py, v).into_any())
    }
    fn serialize_char(self, v: char) -> Result<Self::Ok> {
        self.serialize_str(v.encode_utf8(&mut [0u8; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<Self::Ok> {
        Ok(match self.strings {
            Some(strings) => strings.string(self.py, v),
            None => PyString::new(self.py, v),
        }
        .into_any())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Self::Ok> {
        // serde_json writes bytes as an array of numbers.
        Ok(PyList::new(self.py, v)?.into_any())
    }
    fn serialize_none(self) -> Result<Self::Ok> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Self::Ok> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Self::Ok> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<Self::Ok> {
        Ok(self.name(variant).into_any())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<Self::Ok> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Self::Ok> {
        tag(self.py, variant, value.serialize(self)?)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq> {
        Ok(Seq { to: self, items: Vec::with_capacity(len.unwrap_or(0)) })
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self::SerializeTupleStruct> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Ok(Tagged { variant, inner: self.serialize_seq(Some(len))? })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Ok(Map { to: self, dict: PyDict::new(self.py), key: None })
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Ok(Struct { to: self, dict: PyDict::new(self.py) })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Ok(Tagged { variant, inner: self.serialize_struct(variant, len)? })
    }
}

struct Seq<'a, 'py> {
    to: ToPython<'a, 'py>,
    items: Vec<Bound<'py, PyAny>>,
}

impl<'py> Seq<'_, 'py> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.items.push(value.serialize(self.to)?);
        Ok(())
    }
    fn finish(self) -> Result<Bound<'py, PyAny>> {
        Ok(PyList::new(self.to.py, self.items)?.into_any())
    }
}

impl<'py> ser::SerializeSeq for Seq<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

impl<'py> ser::SerializeTuple for Seq<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

impl<'py> ser::SerializeTupleStruct for Seq<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

struct Map<'a, 'py> {
    to: ToPython<'a, 'py>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
}

impl<'py> ser::SerializeMap for Map<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.key = Some(key.serialize(MapKey { to: self.to })?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let key = self.key.take().ok_or_else(|| ConvertError(String::from("a map value came without its key")))?;
        self.dict.set_item(key, value.serialize(self.to)?)?;
        Ok(())
    }
    fn end(self) -> Result<Self::Ok> {
        Ok(self.dict.into_any())
    }
}

struct Struct<'a, 'py> {
    to: ToPython<'a, 'py>,
    dict: Bound<'py, PyDict>,
}

impl<'py> ser::SerializeStruct for Struct<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
        self.dict.set_item(self.to.name(key), value.serialize(self.to)?)?;
        Ok(())
    }
    fn end(self) -> Result<Self::Ok> {
        Ok(self.dict.into_any())
    }
}

/// serde_json's external tagging of a tuple or struct variant: `{"Variant": ...}`.
struct Tagged<S> {
    variant: &'static str,
    inner: S,
}

fn tag<'py>(py: Python<'py>, variant: &'static str, inner: Bound<'py, PyAny>) -> Result<Bound<'py, PyAny>> {
    let dict = PyDict::new(py);
    dict.set_item(name(py, variant), inner)?;
    Ok(dict.into_any())
}

impl<'py> ser::SerializeTupleVariant for Tagged<Seq<'_, 'py>> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.inner.push(value)
    }
    fn end(self) -> Result<Self::Ok> {
        let py = self.inner.to.py;
        tag(py, self.variant, self.inner.finish()?)
    }
}

impl<'py> ser::SerializeStructVariant for Tagged<Struct<'_, 'py>> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> Result<Self::Ok> {
        tag(self.inner.to.py, self.variant, self.inner.dict.into_any())
    }
}

/// Map keys as serde_json writes them: strings as they are, numbers and booleans as their text.
#[derive(Clone, Copy)]
struct MapKey<'a, 'py> {
    to: ToPython<'a, 'py>,
}

impl<'py> MapKey<'_, 'py> {
    fn text(self, text: impl fmt::Display) -> Result<Bound<'py, PyAny>> {
        Ok(PyString::new(self.to.py, &text.to_string()).into_any())
    }
    fn unsupported(what: &str) -> ConvertError {
        ConvertError(format!("a map key must be a string, found {what}"))
    }
}

impl<'py> ser::Serializer for MapKey<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    type SerializeSeq = ser::Impossible<Self::Ok, ConvertError>;
    type SerializeTuple = ser::Impossible<Self::Ok, ConvertError>;
    type SerializeTupleStruct = ser::Impossible<Self::Ok, ConvertError>;
    type SerializeTupleVariant = ser::Impossible<Self::Ok, ConvertError>;
    type SerializeMap = ser::Impossible<Self::Ok, ConvertError>;
    type SerializeStruct = ser::Impossible<Self::Ok, ConvertError>;
    type SerializeStructVariant = ser::Impossible<Self::Ok, ConvertError>;

    fn serialize_bool(self, v: bool) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_i8(self, v: i8) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_i16(self, v: i16) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_i32(self, v: i32) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_i64(self, v: i64) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_u16(self, v: u16) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_u32(self, v: u32) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_u64(self, v: u64) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_f32(self, _v: f32) -> Result<Self::Ok> {
        Err(Self::unsupported("a float"))
    }
    fn serialize_f64(self, _v: f64) -> Result<Self::Ok> {
        Err(Self::unsupported("a float"))
    }
    fn serialize_char(self, v: char) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_str(self, v: &str) -> Result<Self::Ok> {
        Ok(PyString::new(self.to.py, v).into_any())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<Self::Ok> {
        Err(Self::unsupported("bytes"))
    }
    fn serialize_none(self) -> Result<Self::Ok> {
        Err(Self::unsupported("null"))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Self::Ok> {
        Err(Self::unsupported("null"))
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Self::Ok> {
        Err(Self::unsupported("null"))
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<Self::Ok> {
        Ok(name(self.to.py, variant).into_any())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<Self::Ok> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<Self::Ok> {
        Err(Self::unsupported("an enum"))
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(Self::unsupported("an array"))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(Self::unsupported("an array"))
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeTupleStruct> {
        Err(Self::unsupported("an array"))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(Self::unsupported("an enum"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(Self::unsupported("an object"))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(Self::unsupported("an object"))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(Self::unsupported("an enum"))
    }
}
