//! JSON bodies without serde derive. Generated types implement [`ToJson`] and [`FromJson`] with a
//! few lines each, through [`Object`] and [`Fields`]; everything generic (strings, numbers, lists,
//! maps, timestamps, blobs) is implemented once here. Derive macros, and the visitor code they
//! expand to, were most of a generated crate's build time.
//!
//! Values go through [`serde_json::Value`]: a client body is small, and parsing into a tree keeps
//! the per-type code to one field lookup per member.
//!
//! ```
//! use aws_codegen_runtime::json::{self, Fields, FromJson, JsonError, Object, ToJson, Value};
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
//!     fn from_json(v: Value) -> Result<Self, JsonError> {
//!         let mut f = Fields::new(v)?;
//!         Ok(Route { key: f.required("routeKey")?, tags: f.optional("tags")? })
//!     }
//! }
//!
//! let route = Route { key: "$default".into(), tags: None };
//! assert_eq!(json::to_vec(&route), br#"{"routeKey":"$default"}"#);
//! assert_eq!(json::from_slice::<Route>(br#"{"routeKey":"$default"}"#), Ok(route));
//! let err = json::from_slice::<Route>(br#"{"routeKey":"a","tags":[1]}"#).unwrap_err();
//! assert_eq!(err.to_string(), "tags[0]: expected a string, found a number");
//! ```

use std::collections::HashMap;
use std::fmt;

pub use serde_json::{Map, Number, Value};

use crate::{Blob, DateTime};

/// A type that writes itself as a JSON value.
pub trait ToJson {
    /// The value as it goes on the wire.
    fn to_json(&self) -> Value;
}

/// A type that reads itself from a JSON value.
pub trait FromJson: Sized {
    /// Reads `value`, or says what did not fit (the path is added by the callers).
    fn from_json(value: Value) -> Result<Self, JsonError>;

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
    fn from_key(key: String) -> Self;
}

impl MapKey for String {
    fn to_key(&self) -> String {
        self.clone()
    }
    fn from_key(key: String) -> Self {
        key
    }
}

/// A JSON value that does not fit the expected type: where (`items[2].name`) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    path: String,
    message: String,
}

impl JsonError {
    /// An error at the current value.
    pub fn new(message: impl Into<String>) -> Self {
        JsonError { path: String::new(), message: message.into() }
    }

    /// Where the error is, from the document root (empty for the root itself).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What did not fit.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same error, one member further from the root.
    fn under_key(mut self, key: &str) -> Self {
        let sep = if self.path.is_empty() || self.path.starts_with('[') { "" } else { "." };
        self.path = format!("{key}{sep}{}", self.path);
        self
    }

    fn under_index(mut self, index: usize) -> Self {
        let sep = if self.path.is_empty() || self.path.starts_with('[') { "" } else { "." };
        self.path = format!("[{index}]{sep}{}", self.path);
        self
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
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
/// body members.
pub fn from_slice<T: FromJson>(body: &[u8]) -> Result<T, JsonError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return T::from_json(Value::Object(Map::new()));
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| JsonError::new(format!("invalid JSON: {e}")))?;
    T::from_json(value)
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

/// The members of an object being read: each `required`/`optional`/`or_default` takes one out.
/// Members no one asks for (newer than the model) are ignored.
#[derive(Debug)]
pub struct Fields(Map<String, Value>);

impl Fields {
    /// The members of `value`, which must be an object (`null` reads as an empty one).
    pub fn new(value: Value) -> Result<Self, JsonError> {
        match value {
            Value::Object(map) => Ok(Fields(map)),
            Value::Null => Ok(Fields(Map::new())),
            other => Err(expected("an object", &other)),
        }
    }

    fn take(&mut self, key: &str) -> Option<Value> {
        self.0.remove(key).filter(|v| !v.is_null())
    }

    /// A member the model requires: missing or `null` is an error.
    pub fn required<T: FromJson>(&mut self, key: &str) -> Result<T, JsonError> {
        match self.take(key) {
            Some(v) => T::from_json(v).map_err(|e| e.under_key(key)),
            None => Err(JsonError::new("missing required member").under_key(key)),
        }
    }

    /// An optional member: missing or `null` is `None`.
    pub fn optional<T: FromJson>(&mut self, key: &str) -> Result<Option<T>, JsonError> {
        self.take(key).map(|v| T::from_json(v).map_err(|e| e.under_key(key))).transpose()
    }

    /// An optional member with a model default (`smithy.api#default`, given as its JSON text):
    /// missing or `null` reads as the default.
    pub fn optional_or<T: FromJson>(&mut self, key: &str, default: &str) -> Result<Option<T>, JsonError> {
        let value = match self.take(key) {
            Some(v) => v,
            None => serde_json::from_str(default)
                .map_err(|e| JsonError::new(format!("default value: {e}")).under_key(key))?,
        };
        if value.is_null() {
            return Ok(None);
        }
        T::from_json(value).map(Some).map_err(|e| e.under_key(key))
    }

    /// An optional member that services also send under a second key (an error's `Message` as
    /// `message`): the first key wins when both are there.
    pub fn optional_either<T: FromJson>(&mut self, key: &str, other: &str) -> Result<Option<T>, JsonError> {
        match self.optional(key)? {
            Some(v) => Ok(Some(v)),
            None => self.optional(other),
        }
    }

    /// A required member read leniently: missing or `null` is the type's default (an empty list,
    /// say), as services leave out empty members the model calls required.
    pub fn or_default<T: FromJson + Default>(&mut self, key: &str) -> Result<T, JsonError> {
        Ok(self.optional(key)?.unwrap_or_default())
    }
}

/// The only member of a union value: its key and value. Null members and `__type` (a type name some
/// services add to every object) do not count.
pub fn read_variant(value: Value) -> Result<(String, Value), JsonError> {
    let map = match value {
        Value::Object(map) => map,
        other => return Err(expected("an object with one member (a union)", &other)),
    };
    let mut set = map.into_iter().filter(|(k, v)| !v.is_null() && k != "__type");
    match (set.next(), set.next()) {
        (Some(one), None) => Ok(one),
        (None, _) => Err(JsonError::new("a union with no member set")),
        (Some((a, _)), Some((b, _))) => Err(JsonError::new(format!("a union with more than one member set: {a}, {b}"))),
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

/// Reads a union variant's value, with its key in the error path.
pub fn variant_value<T: FromJson>(key: &str, value: Value) -> Result<T, JsonError> {
    T::from_json(value).map_err(|e| e.under_key(key))
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
    fn from_json(value: Value) -> Result<Self, JsonError> {
        match value {
            Value::String(s) => Ok(s),
            other => Err(expected("a string", &other)),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        value.as_bool().ok_or_else(|| expected("a boolean", &value))
    }
}

macro_rules! integer {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(value: Value) -> Result<Self, JsonError> {
                let n = value.as_i64().ok_or_else(|| expected("an integer", &value))?;
                <$t>::try_from(n).map_err(|_| JsonError::new(format!("{n} is out of range for {}", stringify!($t))))
            }
        }
    )*};
}
integer!(i8, i16, i32, i64);

impl FromJson for f64 {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        match &value {
            Value::Number(n) => n.as_f64().ok_or_else(|| expected("a number", &value)),
            Value::String(s) => match s.as_str() {
                "NaN" => Ok(f64::NAN),
                "Infinity" => Ok(f64::INFINITY),
                "-Infinity" => Ok(f64::NEG_INFINITY),
                _ => Err(expected("a number", &value)),
            },
            _ => Err(expected("a number", &value)),
        }
    }
}

impl FromJson for f32 {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        f64::from_json(value).map(|x| x as f32)
    }
}

impl FromJson for Number {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        match value {
            Value::Number(n) => Ok(n),
            other => Err(expected("a number", &other)),
        }
    }
}

impl FromJson for Value {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        Ok(value)
    }
}

impl FromJson for DateTime {
    /// Any of the three formats, whatever the model declares: services are not always consistent.
    fn from_json(value: Value) -> Result<Self, JsonError> {
        let parsed = match &value {
            Value::Number(n) => match (n.as_i64(), n.as_f64()) {
                (Some(secs), _) => Some(Ok(DateTime::from_secs(secs))),
                (None, Some(x)) => DateTime::from_f64(x).map(Ok),
                _ => None,
            },
            Value::String(s) => Some(DateTime::parse_any(s)),
            _ => None,
        };
        match parsed {
            Some(Ok(t)) => Ok(t),
            Some(Err(e)) => Err(JsonError::new(e.to_string())),
            None => Err(expected("a timestamp", &value)),
        }
    }
}

impl FromJson for Blob {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        match &value {
            Value::String(s) => Blob::from_base64(s).map_err(|e| JsonError::new(e.to_string())),
            _ => Err(expected("a base64 string", &value)),
        }
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        T::from_json(value).map(Box::new)
    }
}

/// An item of a sparse list or a value of a sparse map: `null` is `None`.
impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        match value {
            Value::Null => Ok(None),
            value => T::from_json(value).map(Some),
        }
    }

    fn from_null() -> Option<Self> {
        Some(None)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        match value {
            Value::Array(items) => {
                items.into_iter().enumerate().map(|(i, v)| T::from_json(v).map_err(|e| e.under_index(i))).collect()
            }
            other => Err(expected("an array", &other)),
        }
    }
}

impl<K: MapKey, T: FromJson, S: std::hash::BuildHasher + Default> FromJson for HashMap<K, T, S> {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        match value {
            Value::Object(map) => map
                .into_iter()
                .filter_map(|(k, v)| match v {
                    // No entry in a dense map, a `None` value in a sparse one.
                    Value::Null => T::from_null().map(|v| Ok((K::from_key(k), v))),
                    v => Some(match T::from_json(v) {
                        Ok(v) => Ok((K::from_key(k), v)),
                        Err(e) => Err(e.under_key(&k)),
                    }),
                })
                .collect(),
            other => Err(expected("an object", &other)),
        }
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

    #[test]
    fn members_with_a_default_or_a_second_key() {
        let read = |text: &str| {
            let mut f = Fields::new(serde_json::from_str(text).expect("JSON")).expect("an object");
            (f.optional_or::<i32>("n", "7"), f.optional_either::<String>("Message", "message"))
        };
        assert_eq!(read(r#"{"n": 2, "Message": "a", "message": "b"}"#), (Ok(Some(2)), Ok(Some("a".into()))));
        assert_eq!(read(r#"{"n": null, "message": "b"}"#), (Ok(Some(7)), Ok(Some("b".into()))));
        assert_eq!(read("{}"), (Ok(Some(7)), Ok(None)));
        let mut f = Fields::new(Value::Object(Map::new())).expect("an object");
        assert_eq!(f.optional_or::<String>("doc", "null"), Ok(None));
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

        let mut f = Fields::new(serde_json::json!({"name": "n", "list": null, "extra": 1})).unwrap();
        assert_eq!(f.required::<String>("name"), Ok("n".into()));
        assert_eq!(f.optional::<i32>("count"), Ok(None));
        assert_eq!(f.or_default::<Vec<String>>("list"), Ok(Vec::new()));
        assert_eq!(f.required::<String>("id").unwrap_err().to_string(), "id: missing required member");
        assert!(Fields::new(Value::Null).is_ok());
        assert_eq!(Fields::new(Value::from(1)).unwrap_err().message(), "expected an object, found a number");
    }

    #[test]
    fn unions_have_exactly_one_member() {
        assert_eq!(variant("s3", "bucket").to_string(), r#"{"s3":"bucket"}"#);
        assert_eq!(read_variant(serde_json::json!({"s3": "b", "other": null})), Ok(("s3".into(), "b".into())));
        assert!(read_variant(serde_json::json!({})).is_err());
        assert!(read_variant(serde_json::json!({"a": 1, "b": 2})).unwrap_err().message().contains("a, b"));
        let unknown = UnknownMember::new("newer", serde_json::json!({"a": 1}));
        assert_eq!(unknown.to_json(), serde_json::json!({"newer": {"a": 1}}));
        assert_eq!((unknown.name(), unknown.value()["a"].as_i64()), ("newer", Some(1)));
        let err = variant_value::<i32>("n", Value::from("x")).unwrap_err();
        assert_eq!(err.to_string(), "n: expected an integer, found a string");
    }

    #[test]
    fn bodies() {
        assert_eq!(from_slice::<HashMap<String, i32>>(b"  "), Ok(HashMap::new()));
        assert!(from_slice::<i32>(b"{").unwrap_err().message().starts_with("invalid JSON"));
        assert_eq!(to_vec(&vec![true]), b"[true]");
    }
}
