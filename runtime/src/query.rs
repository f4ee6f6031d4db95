//! Request bodies of the awsQuery and ec2Query protocols (feature `xml`): an
//! `application/x-www-form-urlencoded` form of `Action`, `Version` and one pair per scalar of the
//! input, keyed by its path (`Tags.member.1.Key`). Generated input types implement [`ToQuery`]
//! with one `put` per member; scalars, lists and maps are written here through [`Text`] and the
//! member's [`Shape`].
//!
//! ```
//! use aws_codegen_runtime::query::{key, Form, ToQuery};
//! use aws_codegen_runtime::xml::Shape;
//!
//! struct Input { name: String, tags: Option<Vec<String>> }
//!
//! impl ToQuery for Input {
//!     fn to_query(&self, form: &mut Form, prefix: &str, _: &Shape) {
//!         form.put(&key(prefix, "Name"), &self.name, &Shape::Value);
//!         const TAGS: Shape = Shape::List { member: "member", flat: false, item: &Shape::Value };
//!         form.put_opt(&key(prefix, "Tags"), &self.tags, &TAGS);
//!     }
//! }
//!
//! let mut form = Form::new("CreateThing", "2020-01-01");
//! form.put("", &Input { name: "a b".into(), tags: Some(vec!["x".into()]) }, &Shape::Value);
//! assert_eq!(form.into_body(), b"Action=CreateThing&Version=2020-01-01&Name=a%20b&Tags.member.1=x");
//! ```

use std::collections::HashMap;

use crate::text::Text;
use crate::xml::Shape;

/// A form under construction: the pairs in the order written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    /// The form of operation `action` of API `version` (awsQuery and ec2Query alike: how their
    /// names and lists differ is in the generated shapes).
    pub fn new(action: &str, version: &str) -> Self {
        Form { pairs: vec![("Action".into(), action.into()), ("Version".into(), version.into())] }
    }

    /// Writes `value`, laid out as `shape`, at `name`.
    pub fn put<T: ToQuery + ?Sized>(&mut self, name: &str, value: &T, shape: &Shape) {
        value.to_query(self, name, shape);
    }

    /// [`Form::put`] when there is a value; an absent one writes nothing.
    pub fn put_opt<T: ToQuery>(&mut self, name: &str, value: &Option<T>, shape: &Shape) {
        if let Some(v) = value {
            self.put(name, v, shape);
        }
    }

    /// Adds one pair.
    pub fn pair(&mut self, name: &str, value: String) {
        self.pairs.push((name.to_owned(), value));
    }

    /// The pairs written so far.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The body: `name=value` pairs joined by `&`, both percent-encoded.
    pub fn into_body(self) -> Vec<u8> {
        let mut out = String::new();
        for (i, (name, value)) in self.pairs.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(&crate::encode::label(name));
            out.push('=');
            out.push_str(&crate::encode::label(value));
        }
        out.into_bytes()
    }
}

/// The key of member `name` of the structure at `prefix` (the input itself is at `""`).
pub fn key(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// A value that writes itself into a form at a key.
pub trait ToQuery {
    /// Writes the value at `name`, laid out as `shape` (a structure writes its members under it).
    fn to_query(&self, form: &mut Form, name: &str, shape: &Shape);
}

/// A scalar; a timestamp in the format its shape declares (RFC 3339 by default).
impl<T: Text> ToQuery for T {
    fn to_query(&self, form: &mut Form, name: &str, shape: &Shape) {
        let text = match shape.inner() {
            Shape::Time(format) => self.to_time_text(*format),
            _ => self.to_text(),
        };
        form.pair(name, text);
    }
}

impl ToQuery for str {
    fn to_query(&self, form: &mut Form, name: &str, _: &Shape) {
        form.pair(name, self.to_owned());
    }
}

/// An item of a sparse list or a value of a sparse map: `None` writes nothing.
impl<T: ToQuery> ToQuery for Option<T> {
    fn to_query(&self, form: &mut Form, name: &str, shape: &Shape) {
        if let Some(v) = self {
            v.to_query(form, name, shape);
        }
    }
}

impl<T: ToQuery> ToQuery for Vec<T> {
    fn to_query(&self, form: &mut Form, name: &str, shape: &Shape) {
        let (member, flat, item_shape) = match shape.inner() {
            Shape::List { member, flat, item } => (*member, *flat, *item),
            _ => ("member", false, &Shape::Value),
        };
        // An empty list is the name with no value, so the service can tell it from no list.
        if self.is_empty() {
            form.pair(name, String::new());
            return;
        }
        for (i, v) in self.iter().enumerate() {
            let key = if flat { format!("{name}.{}", i + 1) } else { format!("{name}.{member}.{}", i + 1) };
            v.to_query(form, &key, item_shape);
        }
    }
}

impl<K: Text + Ord, T: ToQuery, S> ToQuery for HashMap<K, T, S> {
    /// Entries in key order, so a request is the same every time.
    fn to_query(&self, form: &mut Form, name: &str, shape: &Shape) {
        let (key_name, value_name, flat, item_shape) = match shape.inner() {
            Shape::Map { key, value, flat, item, .. } => (*key, *value, *flat, *item),
            _ => ("key", "value", false, &Shape::Value),
        };
        let mut entries: Vec<(&K, &T)> = self.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (i, (k, v)) in entries.into_iter().enumerate() {
            let entry = if flat { format!("{name}.{}", i + 1) } else { format!("{name}.entry.{}", i + 1) };
            form.pair(&format!("{entry}.{key_name}"), k.to_text());
            v.to_query(form, &format!("{entry}.{value_name}"), item_shape);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::TimeFormat;
    use crate::DateTime;

    fn body(form: Form) -> String {
        String::from_utf8(form.into_body()).unwrap()
    }

    #[test]
    fn lists_maps_and_empty_lists() {
        const LIST: Shape = Shape::List { member: "item", flat: false, item: &Shape::Value };
        const FLAT: Shape = Shape::List { member: "member", flat: true, item: &Shape::Value };
        const MAP: Shape = Shape::Map { key: "K", key_ns: None, value: "V", flat: false, item: &Shape::Value };
        let mut form = Form::new("Op", "1");
        form.put("L", &vec!["a".to_owned(), "b".to_owned()], &LIST);
        form.put("F", &vec![1i32], &FLAT);
        form.put("E", &Vec::<i32>::new(), &FLAT);
        form.put("M", &HashMap::from([("z".to_owned(), true), ("a".to_owned(), false)]), &MAP);
        assert_eq!(
            body(form),
            "Action=Op&Version=1&L.item.1=a&L.item.2=b&F.1=1&E=&M.entry.1.K=a&M.entry.1.V=false&M.entry.2.K=z&M.entry.2.V=true"
        );
    }

    #[test]
    fn scalars_and_timestamps() {
        let mut form = Form::new("Op", "1");
        form.put("S", "a&b=c/é", &Shape::Value);
        form.put("T", &DateTime::from_secs(0), &Shape::Time(TimeFormat::EpochSeconds));
        form.put("D", &f64::NAN, &Shape::Value);
        assert_eq!(body(form), "Action=Op&Version=1&S=a%26b%3Dc%2F%C3%A9&T=0&D=NaN");
    }
}
