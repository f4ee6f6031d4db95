//! JSON bodies without serde derive. Generated types implement [`ToJson`] and [`FromJson`] with a
//! few lines each, through [`Object`] and the [`Reader`]; everything generic (strings, numbers,
//! lists, maps, timestamps, blobs) is implemented once here. Derive macros, and the visitor code
//! they expand to, were most of a generated crate's build time.
//!
//! Requests are built as a [`serde_json::Value`] (small, and cheap to write). Responses are read
//! straight into their types by a pull [`Reader`], with no tree in between: a `FromJson` impl
//! reads one member per match arm and skips the members it does not know.
//!
//! ```
//! use aws_codegen_runtime::json::{self, FromJson, JsonError, Object, Reader, ToJson, Value};
//!
//! #[derive(Debug, PartialEq)]
//! struct Route { key: String, tags: Option<Vec<String>> }
//!
//! impl ToJson for Route {
//!     fn to_json(&self) -> Value {
//!         let mut o = Object::new();
//!         o.put("routeKey", &self.key);
//!         o.put_opt("tags", &self.tags);
//!         o.build()
//!     }
//! }
//!
//! impl FromJson for Route {
//!     fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
//!         let mut key = None;
//!         let mut tags = None;
//!         if r.object("an object")? {
//!             while let Some(name) = r.key()? {
//!                 match &*name {
//!                     "routeKey" => r.member("routeKey", &mut key)?,
//!                     "tags" => r.member("tags", &mut tags)?,
//!                     _ => r.skip()?,
//!                 }
//!             }
//!         }
//!         let key = json::required("routeKey", key)?;
//!         Ok(Route { key, tags })
//!     }
//! }
//!
//! let route = Route { key: "$default".into(), tags: None };
//! assert_eq!(json::to_vec(&route), br#"{"routeKey":"$default"}"#);
//! assert_eq!(json::from_slice::<Route>(br#"{"routeKey":"$default","new":[1]}"#), Ok(route));
//! let err = json::from_slice::<Route>(br#"{"routeKey":"a","tags":[1]}"#).unwrap_err();
//! assert_eq!(err.to_string(), "tags[0]: expected a string, found a number");
//! ```

use std::collections::HashMap;
use std::fmt;

mod reader;

pub use reader::{Reader, MAX_DEPTH};

/// An operation's output from a JSON response body; a body that does not decode is
/// [`SdkError::Decode`](crate::SdkError::Decode) naming the operation. What the generated
/// crates' `operations.rs` calls `decode`.
pub fn output<T: FromJson, E>(operation: &'static str, response: &crate::Response) -> Result<T, crate::SdkError<E>> {
    crate::decode_json(operation, &response.body).map_err(crate::SdkError::Decode)
}

/// A modelled error from its JSON body as `variant`, or `unhandled` when the body does not decode
/// as that error. What the generated crates' error enums call `decode_error`.
pub fn error_or_unhandled<T: FromJson, E>(
    response: &crate::Response,
    meta: crate::ErrorMeta,
    variant: fn(T) -> E,
    unhandled: fn(crate::UnhandledError) -> E,
) -> E {
    match from_slice(&response.body) {
        Ok(e) => variant(e),
        Err(_) => unhandled(crate::UnhandledError::new(meta, response)),
    }
}

pub use serde_json::{Map, Number, Value};

use crate::{Blob, DateTime};

/// A type that writes itself as a JSON value.
pub trait ToJson {
    /// The value as it goes on the wire.
    fn to_json(&self) -> Value;
}

/// A type that reads itself from JSON text.
pub trait FromJson: Sized {
    /// Reads the next value of `r`, or says what did not fit (the path is added by the callers).
    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError>;

    /// What a `null` map value reads as: no entry (`None`, the default: a null value in a dense
    /// map means "no entry"), or a value kept in the map (`Option`: a sparse map keeps it).
    fn from_null() -> Option<Self> {
        None
    }
}

/// A map key: a string, or a string enum (Smithy map keys are strings, sometimes with an enum).
pub trait MapKey: Sized + Eq + std::hash::Hash {
    /// The key as written in the object.
    fn to_key(&self) -> String;
    /// The key read from an object.
    fn from_key(key: std::borrow::Cow<'_, str>) -> Self;
}

impl MapKey for String {
    fn to_key(&self) -> String {
        self.clone()
    }
    fn from_key(key: std::borrow::Cow<'_, str>) -> Self {
        key.into_owned()
    }
}

/// A JSON value that does not fit the expected type: where (`items[2].name`) and why.
///
/// Boxed, so that the `Result`s the [`Reader`] returns on every token are a word or two, passed in
/// registers rather than through memory (errors are rare, tokens are not).
#[derive(Clone, PartialEq, Eq)]
pub struct JsonError(Box<ErrorParts>);

#[derive(Clone, PartialEq, Eq)]
struct ErrorParts {
    path: String,
    message: String,
}

impl JsonError {
    /// An error at the current value.
    #[cold]
    pub fn new(message: impl Into<String>) -> Self {
        JsonError(Box::new(ErrorParts { path: String::new(), message: message.into() }))
    }

    /// Where the error is, from the document root (empty for the root itself).
    pub fn path(&self) -> &str {
        &self.0.path
    }

    /// What did not fit.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The same error, one member further from the root.
    #[cold]
    pub fn under_key(mut self, key: &str) -> Self {
        let path = &mut self.0.path;
        let sep = if path.is_empty() || path.starts_with('[') { "" } else { "." };
        *path = format!("{key}{sep}{path}");
        self
    }

    /// The same error, one item further from the root.
    #[cold]
    pub fn under_index(mut self, index: usize) -> Self {
        let path = &mut self.0.path;
        let sep = if path.is_empty() || path.starts_with('[') { "" } else { "." };
        *path = format!("[{index}]{sep}{path}");
        self
    }
}

impl fmt::Debug for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonError").field("path", &self.0.path).field("message", &self.0.message).finish()
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.path.is_empty() {
            f.write_str(&self.0.message)
        } else {
            write!(f, "{}: {}", self.0.path, self.0.message)
        }
    }
}

impl std::error::Error for JsonError {}

/// "expected a string, found a number".
pub fn expected(what: &str, found: &Value) -> JsonError {
    let kind = match found {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    JsonError::new(format!("expected {what}, found {kind}"))
}

/// The JSON text of a value, for a request body.
pub fn to_vec<T: ToJson + ?Sized>(value: &T) -> Vec<u8> {
    value.to_json().to_string().into_bytes()
}

/// Reads a body; an empty (or blank) body reads as `{}`, which services send when an output has no
/// body members. Anything after the value but whitespace is an error.
pub fn from_slice<T: FromJson>(body: &[u8]) -> Result<T, JsonError> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { body };
    let mut r = Reader::from_bytes(body)?;
    let value = T::read(&mut r)?;
    r.end()?;
    Ok(value)
}

/// How a timestamp member is written (Smithy's `@timestampFormat`). Reading accepts all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeFormat {
    /// A number of seconds, with a fraction when there are sub-second digits: the restJson1
    /// default for bodies, and what [`DateTime`]'s own [`ToJson`] writes.
    EpochSeconds,
    /// An RFC 3339 string, `2019-12-16T23:48:18Z`.
    DateTime,
    /// An IMF-fixdate string, `Mon, 16 Dec 2019 23:48:18 GMT`.
    HttpDate,
}

impl TimeFormat {
    /// `t` in this format.
    pub fn write(self, t: &DateTime) -> Value {
        match self {
            TimeFormat::EpochSeconds if t.subsec_nanos() == 0 => Value::from(t.secs()),
            TimeFormat::EpochSeconds => Value::from(t.as_f64()),
            TimeFormat::DateTime => Value::String(t.to_date_time()),
            TimeFormat::HttpDate => Value::String(t.to_http_date()),
        }
    }
}

// ---- building objects ----

/// A JSON object under construction: one `put` per member, in model order.
#[derive(Debug, Default)]
pub struct Object(Map<String, Value>);

impl Object {
    /// An empty object.
    pub fn new() -> Self {
        Object(Map::new())
    }

    /// Sets a member.
    pub fn put<T: ToJson + ?Sized>(&mut self, key: &str, value: &T) {
        self.0.insert(key.to_owned(), value.to_json());
    }

    /// Sets a member when there is a value; an absent one is left out, not written as `null`.
    pub fn put_opt<T: ToJson>(&mut self, key: &str, value: &Option<T>) {
        if let Some(v) = value {
            self.put(key, v);
        }
    }

    /// Sets a timestamp member in a declared format.
    pub fn put_time(&mut self, key: &str, value: &DateTime, format: TimeFormat) {
        self.0.insert(key.to_owned(), format.write(value));
    }

    /// [`Object::put_time`] for an optional member.
    pub fn put_time_opt(&mut self, key: &str, value: &Option<DateTime>, format: TimeFormat) {
        if let Some(v) = value {
            self.put_time(key, v, format);
        }
    }

    /// The finished object.
    pub fn build(self) -> Value {
        Value::Object(self.0)
    }
}

/// A union value: an object with exactly one member, the variant's.
pub fn variant<T: ToJson + ?Sized>(key: &str, value: &T) -> Value {
    let mut o = Map::new();
    o.insert(key.to_owned(), value.to_json());
    Value::Object(o)
}

// ---- reading objects ----

impl Reader<'_> {
    /// The value of an object member into `slot` (errors under `key`); a `null` leaves the slot
    /// as it is: an absent member.
    pub fn member<T: FromJson>(&mut self, key: &str, slot: &mut Option<T>) -> Result<(), JsonError> {
        if !self.null()? {
            *slot = Some(T::read(self).map_err(|e| e.under_key(key))?);
        }
        Ok(())
    }

    /// [`Reader::member`] for a second key of the same member (an error's `message` that services
    /// also spell `Message`): it fills the slot only when the first key has not, so the first key
    /// wins when both are there.
    pub fn member_alt<T: FromJson>(&mut self, key: &str, slot: &mut Option<T>) -> Result<(), JsonError> {
        if slot.is_some() {
            return self.skip();
        }
        self.member(key, slot)
    }

    /// The value of a union variant, with its key in the error path.
    pub fn variant<T: FromJson>(&mut self, key: &str) -> Result<T, JsonError> {
        T::read(self).map_err(|e| e.under_key(key))
    }
}

/// Reads an object and skips all its members (a structure with no member in the body);
/// `null` reads as an empty object.
pub fn skip_object(r: &mut Reader<'_>) -> Result<(), JsonError> {
    if r.object("an object")? {
        while r.key()?.is_some() {
            r.skip()?;
        }
    }
    Ok(())
}

/// A member the model requires: missing or `null` is an error.
pub fn required<T>(key: &str, slot: Option<T>) -> Result<T, JsonError> {
    slot.ok_or_else(|| JsonError::new("missing required member").under_key(key))
}

/// An optional member with a model default (`smithy.api#default`, given as its JSON text):
/// missing or `null` reads as the default.
pub fn or_default_text<T: FromJson>(key: &str, slot: Option<T>, default: &str) -> Result<Option<T>, JsonError> {
    if slot.is_some() {
        return Ok(slot);
    }
    let read = |r: &mut Reader<'_>| -> Result<Option<T>, JsonError> {
        let value = if r.null()? { None } else { Some(T::read(r)?) };
        r.end()?;
        Ok(value)
    };
    read(&mut Reader::new(default)).map_err(|e| JsonError::new(format!("default value: {e}")).under_key(key))
}

/// The members of a union being read: [`Variants::next`] gives the key of each member that is
/// set, and refuses a second one. Null members and `__type` (a type name some services add to
/// every object) do not count.
#[derive(Debug)]
pub struct Variants<'a> {
    first: Option<std::borrow::Cow<'a, str>>,
}

impl<'a> Variants<'a> {
    /// The start of a union's object.
    pub fn new(r: &mut Reader<'a>) -> Result<Self, JsonError> {
        const WHAT: &str = "an object with one member (a union)";
        if r.null()? {
            return Err(JsonError::new(format!("expected {WHAT}, found null")));
        }
        r.object(WHAT)?;
        Ok(Variants { first: None })
    }

    /// The key of the next member that is set (the caller reads its value), or `None` at the end.
    pub fn next(&mut self, r: &mut Reader<'a>) -> Result<Option<std::borrow::Cow<'a, str>>, JsonError> {
        while let Some(key) = r.key()? {
            if key == "__type" {
                r.skip()?;
                continue;
            }
            if r.null()? {
                continue;
            }
            if let Some(first) = &self.first {
                let (a, b) = if **first <= *key { (&**first, &*key) } else { (&*key, &**first) };
                return Err(JsonError::new(format!("a union with more than one member set: {a}, {b}")));
            }
            self.first = Some(key.clone());
            return Ok(Some(key));
        }
        Ok(None)
    }

    /// The union read, or the error of an object with no member set.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, JsonError> {
        value.ok_or_else(|| JsonError::new("a union with no member set"))
    }
}

/// A union member this client's model does not have (the service added it later): its name and
/// value as received. Written back as it came, so a value read and sent again keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownMember {
    name: String,
    value: Value,
}

impl UnknownMember {
    /// A member by name and raw value (also a way to send a member newer than the model).
    pub fn new(name: impl Into<String>, value: Value) -> Self {
        UnknownMember { name: name.into(), value }
    }

    /// The member's name on the wire.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The member's value as received.
    pub fn value(&self) -> &Value {
        &self.value
    }
}

impl ToJson for UnknownMember {
    fn to_json(&self) -> Value {
        variant(&self.name, &self.value)
    }
}

impl UnknownMember {
    /// A member newer than the model, its value read as it is.
    pub fn read(key: std::borrow::Cow<'_, str>, r: &mut Reader<'_>) -> Result<Self, JsonError> {
        let value = r.value().map_err(|e| e.under_key(&key))?;
        Ok(UnknownMember { name: key.into_owned(), value })
    }
}

// ---- the generic impls ----

macro_rules! via_value {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn to_json(&self) -> Value {
                Value::from(self.clone())
            }
        }
    )*};
}
via_value!(String, bool, i8, i16, i32, i64, Number);

impl ToJson for str {
    fn to_json(&self) -> Value {
        Value::String(self.to_owned())
    }
}

impl ToJson for Value {
    fn to_json(&self) -> Value {
        self.clone()
    }
}

/// Smithy writes the non-finite floats as strings.
fn float_json(x: f64) -> Value {
    if x.is_nan() {
        Value::String("NaN".into())
    } else if x.is_infinite() {
        Value::String(if x > 0.0 { "Infinity" } else { "-Infinity" }.into())
    } else {
        Value::from(x)
    }
}

impl ToJson for f64 {
    fn to_json(&self) -> Value {
        float_json(*self)
    }
}

impl ToJson for f32 {
    fn to_json(&self) -> Value {
        // Through the shortest decimal text, so 0.1f32 is written 0.1, not 0.10000000149011612.
        float_json(self.to_string().parse().unwrap_or(f64::from(*self)))
    }
}

impl ToJson for DateTime {
    fn to_json(&self) -> Value {
        TimeFormat::EpochSeconds.write(self)
    }
}

impl ToJson for Blob {
    fn to_json(&self) -> Value {
        Value::String(self.to_base64())
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn to_json(&self) -> Value {
        (**self).to_json()
    }
}

/// An item of a sparse list or a value of a sparse map (Smithy `sparse`): `None` is `null`.
impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToJson::to_json)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl<K: MapKey, T: ToJson, S> ToJson for HashMap<K, T, S> {
    fn to_json(&self) -> Value {
        Value::Object(self.iter().map(|(k, v)| (k.to_key(), v.to_json())).collect())
    }
}

impl FromJson for String {
    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
        r.string().map(std::borrow::Cow::into_owned)
    }
}

impl FromJson for bool {
    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
        r.bool()
    }
}

/// An integer: a number without fraction or exponent, in the range of `i64` (then of the type).
fn integer(r: &mut Reader<'_>) -> Result<i64, JsonError> {
    let text = r.number("an integer")?;
    match text.parse::<i64>() {
        Ok(n) if !text.contains(['.', 'e', 'E']) => Ok(n),
        _ => Err(JsonError::new("expected an integer, found a number")),
    }
}

macro_rules! integer {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
                let n = integer(r)?;
                <$t>::try_from(n).map_err(|_| JsonError::new(format!("{n} is out of range for {}", stringify!($t))))
            }
        }
    )*};
}
integer!(i8, i16, i32, i64);

/// A number's text as a finite double.
fn double(text: &str) -> Result<f64, JsonError> {
    text.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| JsonError::new("invalid JSON: number out of range"))
}

impl FromJson for f64 {
    /// A number, or one of the strings Smithy writes the non-finite values as.
    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
        if r.at_string() {
            return match &*r.string()? {
                "NaN" => Ok(f64::NAN),
                "Infinity" => Ok(f64::INFINITY),
                "-Infinity" => Ok(f64::NEG_INFINITY),
                _ => Err(JsonError::new("expected a number, found a string")),
            };
        }
        double(r.number("a number")?)
    }
}

impl FromJson for f32 {
    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
        f64::read(r).map(|x| x as f32)
    }
}

impl FromJson for Number {
    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
        let text = r.number("a number")?;
        reader::number(text).ok_or_else(|| JsonError::new("invalid JSON: number out of range"))
    }
}

impl FromJson for Value {
    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
        r.value()
    }
}

impl FromJson for DateTime {
    /// Any of the three formats, whatever the model declares: services are not always consistent.
    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
        if r.at_string() {
            return DateTime::parse_any(&r.string()?).map_err(|e| JsonError::new(e.to_string()));
        }
        let text = r.number("a timestamp")?;
        if !text.contains(['.', 'e', 'E']) {
            if let Ok(secs) = text.parse::<i64>() {
                return Ok(DateTime::from_secs(secs));
            }
        }
        DateTime::from_f64(double(text)?).ok_or_else(|| JsonError::new("expected a timestamp, found a number"))
    }
}

impl FromJson for Blob {
    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
        if !r.at_string() {
            return Err(r.expected("a base64 string"));
        }
        Blob::from_base64(&r.string()?).map_err(|e| JsonError::new(e.to_string()))
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
        T::read(r).map(Box::new)
    }
}

/// An item of a sparse list or a value of a sparse map: `null` is `None`.
impl<T: FromJson> FromJson for Option<T> {
    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
        if r.null()? {
            return Ok(None);
        }
        T::read(r).map(Some)
    }

    fn from_null() -> Option<Self> {
        Some(None)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
        r.array()?;
        let mut items = Vec::new();
        while r.item()? {
            items.push(T::read(r).map_err(|e| e.under_index(items.len()))?);
        }
        Ok(items)
    }
}

impl<K: MapKey, T: FromJson, S: std::hash::BuildHasher + Default> FromJson for HashMap<K, T, S> {
    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
        if r.null()? {
            return Err(JsonError::new("expected an object, found null"));
        }
        r.object("an object")?;
        let mut map = HashMap::default();
        while let Some(key) = r.key()? {
            if r.null()? {
                // No entry in a dense map, a `None` value in a sparse one.
                if let Some(v) = T::from_null() {
                    map.insert(K::from_key(key), v);
                }
                continue;
            }
            let value = T::read(r).map_err(|e| e.under_key(&key))?;
            map.insert(K::from_key(key), value);
        }
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<T: FromJson>(text: &str) -> Result<T, JsonError> {
        from_slice(text.as_bytes())
    }

    #[test]
    fn scalars_round_trip() {
        assert_eq!(parse::<String>(r#""a\"b""#), Ok("a\"b".to_string()));
        assert_eq!(parse::<i32>("-7"), Ok(-7));
        assert_eq!(parse::<i8>("300").unwrap_err().message(), "300 is out of range for i8");
        assert_eq!(parse::<i64>("1.5").unwrap_err().message(), "expected an integer, found a number");
        assert_eq!(parse::<bool>("true"), Ok(true));
        assert_eq!(parse::<f64>("2.5"), Ok(2.5));
        assert!(parse::<f64>(r#""NaN""#).is_ok_and(f64::is_nan));
        assert_eq!(parse::<f64>(r#""-Infinity""#), Ok(f64::NEG_INFINITY));
        assert_eq!(f64::INFINITY.to_json(), Value::String("Infinity".into()));
        assert_eq!(0.1f32.to_json().to_string(), "0.1");
        assert_eq!(String::from("x").to_json(), Value::String("x".into()));
    }

    /// A structure as the generator writes it: `n` has a default, `Message` a second spelling,
    /// `name` is required and `list` read leniently.
    #[derive(Debug, PartialEq)]
    struct Shape {
        n: Option<i32>,
        message: Option<String>,
        name: String,
        list: Vec<String>,
    }

    impl FromJson for Shape {
        fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
            let mut n = None;
            let mut message = None;
            let mut name = None;
            let mut list = None;
            if r.object("an object")? {
                while let Some(key) = r.key()? {
                    match &*key {
                        "n" => r.member("n", &mut n)?,
                        "Message" => r.member("Message", &mut message)?,
                        "message" => r.member_alt("message", &mut message)?,
                        "name" => r.member("name", &mut name)?,
                        "list" => r.member("list", &mut list)?,
                        _ => r.skip()?,
                    }
                }
            }
            let n = or_default_text("n", n, "7")?;
            let name = required("name", name)?;
            let list = list.unwrap_or_default();
            Ok(Shape { n, message, name, list })
        }
    }

    #[test]
    fn members_with_a_default_or_a_second_key() {
        let read = |text: &str| parse::<Shape>(text).map(|s| (s.n, s.message));
        assert_eq!(read(r#"{"name":"", "n": 2, "Message": "a", "message": "b"}"#), Ok((Some(2), Some("a".into()))));
        assert_eq!(read(r#"{"name":"", "message": "b", "Message": "a"}"#), Ok((Some(7), Some("a".into()))));
        assert_eq!(read(r#"{"name":"", "n": null, "message": "b"}"#), Ok((Some(7), Some("b".into()))));
        assert_eq!(read(r#"{"name":""}"#), Ok((Some(7), None)));
        assert_eq!(or_default_text::<String>("doc", None, "null"), Ok(None));
        assert_eq!(
            or_default_text::<i32>("n", None, "\"x\"").unwrap_err().to_string(),
            "n: default value: expected an integer, found a string"
        );
    }

    #[test]
    fn timestamps_write_in_the_declared_format_and_read_in_any() {
        let t = DateTime::from_secs(1_576_540_098);
        assert_eq!(t.to_json().to_string(), "1576540098");
        let frac = DateTime::from_secs_and_nanos(1_576_540_098, 500_000_000);
        assert_eq!(frac.to_json().to_string(), "1576540098.5");
        assert_eq!(TimeFormat::DateTime.write(&t), Value::String("2019-12-16T23:48:18Z".into()));
        assert_eq!(TimeFormat::HttpDate.write(&t), Value::String("Mon, 16 Dec 2019 23:48:18 GMT".into()));
        for text in ["1576540098", r#""2019-12-16T23:48:18Z""#, r#""Mon, 16 Dec 2019 23:48:18 GMT""#, r#""1576540098""#]
        {
            assert_eq!(parse::<DateTime>(text), Ok(t), "{text}");
        }
        assert_eq!(parse::<DateTime>("1576540098.5"), Ok(frac));
        assert_eq!(parse::<DateTime>("true").unwrap_err().message(), "expected a timestamp, found a boolean");
        assert!(parse::<DateTime>(r#""yesterday""#).is_err());
    }

    #[test]
    fn blobs_are_base64() {
        let blob = Blob::new(b"hi!".to_vec());
        assert_eq!(blob.to_json(), Value::String("aGkh".into()));
        assert_eq!(parse::<Blob>(r#""aGkh""#), Ok(blob));
        assert!(parse::<Blob>(r#""***""#).is_err());
        assert!(parse::<Blob>("[1]").is_err());
    }

    #[test]
    fn lists_and_maps_report_the_path_of_a_bad_item() {
        let nested: Result<HashMap<String, Vec<i32>>, _> = parse(r#"{"a":[1,2],"b":[3,"x"]}"#);
        let err = nested.unwrap_err();
        assert_eq!(err.path(), "b[1]");
        assert_eq!(err.to_string(), "b[1]: expected an integer, found a string");
        let map: HashMap<String, i32> = parse(r#"{"a":1,"gone":null}"#).unwrap();
        assert_eq!(map.len(), 1);
        assert_eq!(Box::new(vec![1i32]).to_json().to_string(), "[1]");
    }

    #[test]
    fn sparse_lists_and_maps_keep_their_nulls() {
        let list: Vec<Option<String>> = parse(r#"["a",null,"b"]"#).unwrap();
        assert_eq!(list, vec![Some("a".to_string()), None, Some("b".to_string())]);
        assert_eq!(list.to_json().to_string(), r#"["a",null,"b"]"#);
        let map: HashMap<String, Option<i32>> = parse(r#"{"a":1,"kept":null}"#).unwrap();
        assert_eq!(map, HashMap::from([("a".to_string(), Some(1)), ("kept".to_string(), None)]));
        assert_eq!(map.to_json()["kept"], Value::Null);
        // A dense list still refuses a null item, and a bad item of a sparse one is reported where it is.
        assert!(parse::<Vec<String>>(r#"["a",null]"#).is_err());
        assert_eq!(parse::<Vec<Option<i32>>>(r#"[null,"x"]"#).unwrap_err().path(), "[1]");
    }

    #[test]
    fn objects_skip_absent_members_and_read_leniently() {
        let mut o = Object::new();
        o.put("name", "n");
        o.put_opt::<i32>("absent", &None);
        o.put_opt("count", &Some(2i32));
        o.put_time_opt("at", &Some(DateTime::from_secs(0)), TimeFormat::DateTime);
        // Compared as values: member order follows serde_json's `preserve_order` feature, which
        // another crate in the build may turn on.
        assert_eq!(o.build(), serde_json::json!({"at": "1970-01-01T00:00:00Z", "count": 2, "name": "n"}));

        let shape = parse::<Shape>(r#"{"name": "n", "list": null, "extra": {"deep": [1, {"x": null}]}}"#);
        assert_eq!(shape, Ok(Shape { n: Some(7), message: None, name: "n".into(), list: Vec::new() }));
        assert_eq!(parse::<Shape>(r#"{"list": []}"#).unwrap_err().to_string(), "name: missing required member");
        assert_eq!(parse::<Shape>("null").unwrap_err().to_string(), "name: missing required member");
        assert_eq!(parse::<Shape>("1").unwrap_err().message(), "expected an object, found a number");
        // Unknown members are skipped, and checked all the same.
        assert!(parse::<Shape>(r#"{"name": "n", "extra": [1,]}"#).unwrap_err().message().starts_with("invalid JSON"));
        let err = parse::<Vec<Shape>>(r#"[{"name":"a"},{"name":"b","list":["x",2]}]"#).unwrap_err();
        assert_eq!(err.to_string(), "[1].list[1]: expected a string, found a number");
    }

    /// A union as the generator writes it.
    #[derive(Debug, PartialEq)]
    enum Target {
        S3(String),
        N(i32),
        Unknown(UnknownMember),
    }

    impl FromJson for Target {
        fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
            let mut variants = Variants::new(r)?;
            let mut value = None;
            while let Some(key) = variants.next(r)? {
                value = Some(match &*key {
                    "s3" => Target::S3(r.variant("s3")?),
                    "n" => Target::N(r.variant("n")?),
                    _ => Target::Unknown(UnknownMember::read(key, r)?),
                });
            }
            variants.finish(value)
        }
    }

    #[test]
    fn unions_have_exactly_one_member() {
        assert_eq!(variant("s3", "bucket").to_string(), r#"{"s3":"bucket"}"#);
        assert_eq!(parse::<Target>(r#"{"s3": "b", "other": null, "__type": "T"}"#), Ok(Target::S3("b".into())));
        assert_eq!(parse::<Target>("{}").unwrap_err().message(), "a union with no member set");
        assert!(parse::<Target>(r#"{"b": 1, "a": 2}"#).unwrap_err().message().ends_with("set: a, b"));
        assert!(parse::<Target>("null").unwrap_err().message().ends_with("found null"));
        let Ok(Target::Unknown(unknown)) = parse::<Target>(r#"{"newer": {"a": 1}}"#) else { panic!("unknown") };
        assert_eq!(unknown.to_json(), serde_json::json!({"newer": {"a": 1}}));
        assert_eq!((unknown.name(), unknown.value()["a"].as_i64()), ("newer", Some(1)));
        assert_eq!(UnknownMember::new("x", Value::Null).name(), "x");
        let err = parse::<Target>(r#"{"n": "x"}"#).unwrap_err();
        assert_eq!(err.to_string(), "n: expected an integer, found a string");
    }

    #[test]
    fn bodies() {
        assert_eq!(from_slice::<HashMap<String, i32>>(b"  "), Ok(HashMap::new()));
        assert!(from_slice::<i32>(b"{").unwrap_err().message().starts_with("expected an integer"));
        assert!(from_slice::<HashMap<String, i32>>(b"{").unwrap_err().message().starts_with("invalid JSON"));
        assert!(from_slice::<i32>(b"1 2").unwrap_err().message().starts_with("invalid JSON: trailing"));
        assert_eq!(to_vec(&vec![true]), b"[true]");
    }
}
