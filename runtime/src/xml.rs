//! XML bodies of the awsQuery, ec2Query and restXml protocols (feature `xml`). As with
//! [`json`](crate::json), a body is read into a small tree first ([`Element`], parsed with
//! quick-xml) and generated types implement [`FromXml`] with one lookup per member through
//! [`Members`]; everything generic (scalars through [`Text`], lists, maps, flattened members)
//! is here once. A client body is small, and a tree lets a structure find a flattened member's
//! elements wherever they sit among the others.
//!
//! Lists and maps are inlined in the model, so their item names (`member`, `entry`, `key`,
//! `value`, or the model's `xmlName`s) travel with each member as a static [`Shape`].
//!
//! ```
//! use aws_codegen_runtime::xml::{self, Element, FromXml, Members, Shape, XmlError};
//!
//! #[derive(Debug, PartialEq)]
//! struct Route { key: String, tags: Option<Vec<String>> }
//!
//! impl FromXml for Route {
//!     fn from_xml(e: &Element, _: &Shape) -> Result<Self, XmlError> {
//!         let m = Members::new(e);
//!         const TAGS: Shape = Shape::List { member: "member", flat: false, item: &Shape::Value };
//!         Ok(Route { key: m.required("RouteKey", &Shape::Value)?, tags: m.optional("Tags", &TAGS)? })
//!     }
//! }
//!
//! let body = b"<Route><RouteKey>$default</RouteKey><Tags><member>a</member></Tags></Route>";
//! let route: Route = xml::from_slice(body).unwrap();
//! assert_eq!(route, Route { key: "$default".into(), tags: Some(vec!["a".into()]) });
//! let err = xml::from_slice::<Route>(b"<Route><RouteKey/><Tags><member/><member><x/></member></Tags></Route>");
//! assert_eq!(err.unwrap_err().to_string(), "Tags[1]: expected text, found an element");
//! ```

use std::collections::HashMap;
use std::fmt;

use quick_xml::events::Event;

use crate::json::TimeFormat;
use crate::text::Text;
use crate::{DecodeError, ErrorMeta, Response};

/// How a member's value is laid out: the names a list or map gives its items, and whether it
/// is flattened (its items repeat in place of one element holding them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A scalar or a structure: it reads and writes itself.
    Value,
    /// A timestamp in a declared format (reading accepts any).
    Time(TimeFormat),
    /// A list: items named `member`.
    List {
        /// The item element's name (`member`, or the list member's `xmlName`).
        member: &'static str,
        /// Items repeat in place of the list element, each named as the member itself.
        flat: bool,
        /// The items' own shape.
        item: &'static Shape,
    },
    /// A map: `entry` elements (or, flattened, repeated elements named as the member) each with a
    /// key and a value element.
    Map {
        /// The key element's name.
        key: &'static str,
        /// The key element's namespace (`xmlns` or `xmlns:<prefix>`, and the URI), if any.
        key_ns: Option<(&'static str, &'static str)>,
        /// The value element's name.
        value: &'static str,
        /// Entries repeat in place of the map element.
        flat: bool,
        /// The values' own shape.
        item: &'static Shape,
    },
    /// A list item or map value whose element declares a namespace (`xmlNamespace` on the
    /// list's `member` or the map's `value`).
    Namespaced {
        /// `xmlns` or `xmlns:<prefix>`.
        attribute: &'static str,
        /// The namespace URI.
        uri: &'static str,
        /// The value's own shape.
        shape: &'static Shape,
    },
}

impl Shape {
    /// The shape without the namespace of its element.
    pub fn inner(&self) -> &Shape {
        match self {
            Shape::Namespaced { shape, .. } => shape.inner(),
            other => other,
        }
    }

    fn flat(&self) -> bool {
        matches!(self.inner(), Shape::List { flat: true, .. } | Shape::Map { flat: true, .. })
    }

    fn namespace(&self) -> Option<(&'static str, &'static str)> {
        match self {
            Shape::Namespaced { attribute, uri, .. } => Some((attribute, uri)),
            _ => None,
        }
    }
}

/// An XML value that does not fit the expected type: where (`Items[2].Name`) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    path: String,
    message: String,
}

impl XmlError {
    /// An error at the current element.
    pub fn new(message: impl Into<String>) -> Self {
        XmlError { path: String::new(), message: message.into() }
    }

    /// Where the error is, from the element read (empty for that element itself).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What did not fit.
    pub fn message(&self) -> &str {
        &self.message
    }

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

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for XmlError {}

// ---- the tree ----

/// One element of a parsed document: name as written (with any prefix), attributes, child
/// elements and its text (text and CDATA directly inside it, entities resolved).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    /// The name, `prefix:local` when it has a prefix.
    pub name: String,
    /// Attributes in document order, values unescaped.
    pub attributes: Vec<(String, String)>,
    /// Child elements in document order.
    pub children: Vec<Element>,
    /// The text directly inside the element.
    pub text: String,
}

/// The part of a name after its prefix.
fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

impl Element {
    /// An element with a name and nothing else.
    pub fn new(name: impl Into<String>) -> Self {
        Element { name: name.into(), ..Element::default() }
    }

    /// Whether the element is `name` (matching by local name when either has no prefix).
    pub fn is(&self, name: &str) -> bool {
        self.name == name || local(&self.name) == local(name)
    }

    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.is(name))
    }

    /// The value of attribute `name`.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Parses a document into its root element. Whitespace-only text between child elements is
/// dropped; an element's text is kept as written otherwise.
pub fn parse(body: &[u8]) -> Result<Element, XmlError> {
    let text = std::str::from_utf8(body).map_err(|e| XmlError::new(format!("invalid XML: {e}")))?;
    let mut reader = quick_xml::Reader::from_str(text);
    let bad = |e: &dyn fmt::Display| XmlError::new(format!("invalid XML: {e}"));
    let start = |start: &quick_xml::events::BytesStart| -> Result<Element, XmlError> {
        let mut element = Element::new(start.name().as_ref());
        for attr in start.attributes() {
            let attr = attr.map_err(|e| bad(&e))?;
            let value = attr.normalized_value(quick_xml::XmlVersion::Implicit1_0).map_err(|e| bad(&e))?;
            element.attributes.push((attr.key.as_ref().to_owned(), value.into_owned()));
        }
        Ok(element)
    };
    // The open elements, innermost last.
    let mut open: Vec<Element> = Vec::new();
    let mut root = None;
    loop {
        let closed = match reader.read_event().map_err(|e| bad(&e))? {
            Event::Start(s) => {
                open.push(start(&s)?);
                None
            }
            Event::Empty(s) => Some(start(&s)?),
            Event::End(_) => open.pop(),
            Event::Text(t) => {
                if let Some(e) = open.last_mut() {
                    e.text.push_str(&t.xml10_content());
                }
                None
            }
            Event::CData(t) => {
                if let Some(e) = open.last_mut() {
                    e.text.push_str(&t.xml10_content());
                }
                None
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|e| bad(&e))? {
                    Some(c) => c,
                    None => match r.xml10_content().as_ref() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        other => return Err(XmlError::new(format!("invalid XML: unknown entity `&{other};`"))),
                    },
                };
                if let Some(e) = open.last_mut() {
                    e.text.push(c);
                }
                None
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => None,
        };
        if let Some(mut element) = closed {
            // Text that only separates child elements is layout, not content.
            if !element.children.is_empty() && element.text.trim().is_empty() {
                element.text.clear();
            }
            match open.last_mut() {
                Some(parent) => parent.children.push(element),
                None if root.is_none() => root = Some(element),
                None => return Err(XmlError::new("invalid XML: more than one root element")),
            }
        }
    }
    if !open.is_empty() {
        return Err(XmlError::new("invalid XML: unclosed element"));
    }
    root.ok_or_else(|| XmlError::new("invalid XML: no root element"))
}

/// Reads a whole body as `T`, from its root element; an empty body reads as an empty element.
pub fn from_slice<T: FromXml>(body: &[u8]) -> Result<T, XmlError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return T::from_xml(&Element::default(), &Shape::Value);
    }
    T::from_xml(&parse(body)?, &Shape::Value)
}

// ---- reading values ----

/// A type that reads itself from an element.
pub trait FromXml: Sized {
    /// Reads `element`, laid out as `shape` says (the path is added by the callers).
    fn from_xml(element: &Element, shape: &Shape) -> Result<Self, XmlError>;

    /// Reads a flattened member: its elements, each an item (a list) or an entry (a map).
    fn from_flat(elements: &[&Element], shape: &Shape) -> Result<Self, XmlError> {
        let _ = (elements, shape);
        Err(XmlError::new("a flattened member that is not a list or map"))
    }
}

impl<T: Text> FromXml for T {
    fn from_xml(element: &Element, _: &Shape) -> Result<Self, XmlError> {
        if !element.children.is_empty() {
            return Err(XmlError::new("expected text, found an element"));
        }
        T::from_text(&element.text).map_err(XmlError::new)
    }
}

/// An item of a sparse list or a value of a sparse map: an element is always a value.
impl<T: FromXml> FromXml for Option<T> {
    fn from_xml(element: &Element, shape: &Shape) -> Result<Self, XmlError> {
        T::from_xml(element, shape).map(Some)
    }
}

impl<T: FromXml> FromXml for Vec<T> {
    fn from_xml(element: &Element, shape: &Shape) -> Result<Self, XmlError> {
        let Shape::List { member, item, .. } = shape.inner() else {
            return Err(XmlError::new("a list member without its list shape"));
        };
        let items: Vec<&Element> = element.children.iter().filter(|c| c.is(member)).collect();
        read_items(&items, item)
    }

    fn from_flat(elements: &[&Element], shape: &Shape) -> Result<Self, XmlError> {
        let Shape::List { item, .. } = shape.inner() else {
            return Err(XmlError::new("a list member without its list shape"));
        };
        read_items(elements, item)
    }
}

fn read_items<T: FromXml>(items: &[&Element], shape: &Shape) -> Result<Vec<T>, XmlError> {
    items.iter().enumerate().map(|(i, e)| T::from_xml(e, shape).map_err(|err| err.under_index(i))).collect()
}

impl<K: Text + Eq + std::hash::Hash, T: FromXml, S: std::hash::BuildHasher + Default> FromXml for HashMap<K, T, S> {
    fn from_xml(element: &Element, shape: &Shape) -> Result<Self, XmlError> {
        let entries: Vec<&Element> = element.children.iter().filter(|c| c.is("entry")).collect();
        Self::from_flat(&entries, shape)
    }

    fn from_flat(entries: &[&Element], shape: &Shape) -> Result<Self, XmlError> {
        let Shape::Map { key, value, item, .. } = shape.inner() else {
            return Err(XmlError::new("a map member without its map shape"));
        };
        let mut map = HashMap::default();
        for entry in entries {
            let k = entry.child(key).ok_or_else(|| XmlError::new(format!("a map entry without its `{key}`")))?;
            let k = K::from_text(&k.text).map_err(XmlError::new)?;
            let v = entry.child(value).ok_or_else(|| XmlError::new(format!("a map entry without its `{value}`")))?;
            let v = T::from_xml(v, item).map_err(|e| e.under_key(&k.to_text()))?;
            map.insert(k, v);
        }
        Ok(map)
    }
}

/// The members of a structure being read: each `required`/`optional`/`or_default` finds one by
/// its name. Elements no one asks for (newer than the model) are ignored.
#[derive(Debug)]
pub struct Members<'a>(&'a Element);

impl<'a> Members<'a> {
    /// The members of `element`.
    pub fn new(element: &'a Element) -> Self {
        Members(element)
    }

    fn read<T: FromXml>(&self, name: &str, shape: &Shape) -> Result<Option<T>, XmlError> {
        let value = if shape.flat() {
            let elements: Vec<&Element> = self.0.children.iter().filter(|c| c.is(name)).collect();
            if elements.is_empty() {
                return Ok(None);
            }
            T::from_flat(&elements, shape)
        } else {
            match self.0.child(name) {
                Some(e) => T::from_xml(e, shape),
                None => return Ok(None),
            }
        };
        value.map(Some).map_err(|e| e.under_key(name))
    }

    /// A member the model requires: missing is an error.
    pub fn required<T: FromXml>(&self, name: &str, shape: &Shape) -> Result<T, XmlError> {
        self.read(name, shape)?.ok_or_else(|| XmlError::new("missing required member").under_key(name))
    }

    /// An optional member.
    pub fn optional<T: FromXml>(&self, name: &str, shape: &Shape) -> Result<Option<T>, XmlError> {
        self.read(name, shape)
    }

    /// An optional member with a model default, given as its text (empty for an empty list or
    /// map): missing reads as the default.
    pub fn optional_or<T: FromXml>(&self, name: &str, shape: &Shape, default: &str) -> Result<Option<T>, XmlError> {
        match self.read(name, shape)? {
            Some(v) => Ok(Some(v)),
            None => {
                let element = Element { text: default.to_owned(), ..Element::new(name) };
                T::from_xml(&element, shape).map(Some).map_err(|e| e.under_key(name))
            }
        }
    }

    /// A required member read leniently: missing is the type's default (an empty list, say), as
    /// services leave out empty members the model calls required.
    pub fn or_default<T: FromXml + Default>(&self, name: &str, shape: &Shape) -> Result<T, XmlError> {
        Ok(self.read(name, shape)?.unwrap_or_default())
    }

    /// A member held in an attribute of the element (`xmlAttribute`).
    pub fn attribute<T: Text>(&self, name: &str) -> Result<Option<T>, XmlError> {
        self.0
            .attribute(name)
            .map(|v| T::from_text(v).map_err(|e| XmlError::new(e).under_key(&format!("@{name}"))))
            .transpose()
    }

    /// A member the model requires, held in an attribute: missing is an error.
    pub fn required_attribute<T: Text>(&self, name: &str) -> Result<T, XmlError> {
        self.attribute(name)?.ok_or_else(|| XmlError::new("missing required attribute").under_key(&format!("@{name}")))
    }

    /// A union's one member: its element (named after the variant).
    pub fn variant(&self) -> Result<&'a Element, XmlError> {
        let mut set = self.0.children.iter();
        match (set.next(), set.next()) {
            (Some(one), None) => Ok(one),
            (None, _) => Err(XmlError::new("a union with no member set")),
            (Some(a), Some(b)) => {
                Err(XmlError::new(format!("a union with more than one member set: {}, {}", a.name, b.name)))
            }
        }
    }
}

/// Reads a union variant's value, with its name in the error path.
pub fn variant_value<T: FromXml>(element: &Element, shape: &Shape) -> Result<T, XmlError> {
    T::from_xml(element, shape).map_err(|e| e.under_key(&element.name))
}

/// A union member this client's model does not have: its name and text, as received.
pub fn unknown_variant(element: &Element) -> crate::json::UnknownMember {
    crate::json::UnknownMember::new(element.name.clone(), crate::json::Value::String(element.text.clone()))
}

// ---- writing ----

/// A type that writes itself as the content of an element: its text, or its attributes and
/// children.
pub trait ToXml {
    /// Fills `element` (already named) with the value, laid out as `shape` says.
    fn to_xml(&self, element: &mut Element, shape: &Shape);
}

/// A scalar: the element's text; a timestamp in the format its shape declares.
impl<T: Text> ToXml for T {
    fn to_xml(&self, element: &mut Element, shape: &Shape) {
        element.text = match shape.inner() {
            Shape::Time(format) => self.to_time_text(*format),
            _ => self.to_text(),
        };
    }
}

/// An item of a sparse list or a value of a sparse map: `None` is an empty element.
impl<T: ToXml> ToXml for Option<T> {
    fn to_xml(&self, element: &mut Element, shape: &Shape) {
        if let Some(v) = self {
            v.to_xml(element, shape);
        }
    }
}

impl<T: ToXml> ToXml for Vec<T> {
    fn to_xml(&self, element: &mut Element, shape: &Shape) {
        let (member, item) = match shape.inner() {
            Shape::List { member, item, .. } => (*member, *item),
            _ => ("member", &Shape::Value),
        };
        for v in self {
            element.put(member, v, item);
        }
    }
}

impl<K: Text + Ord, T: ToXml, S> ToXml for HashMap<K, T, S> {
    /// Entries in key order, so a request is the same every time.
    fn to_xml(&self, element: &mut Element, shape: &Shape) {
        for entry in map_entries(self, shape) {
            let mut e = Element::new("entry");
            e.children = entry;
            element.children.push(e);
        }
    }
}

/// The key and value elements of each entry of a map, in key order.
fn map_entries<K: Text + Ord, T: ToXml, S>(map: &HashMap<K, T, S>, shape: &Shape) -> Vec<Vec<Element>> {
    let (key, key_ns, value, item) = match shape.inner() {
        Shape::Map { key, key_ns, value, item, .. } => (*key, *key_ns, *value, *item),
        _ => ("key", None, "value", &Shape::Value),
    };
    let mut entries: Vec<(&K, &T)> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
        .into_iter()
        .map(|(k, v)| {
            let mut value_element = Element::new(value);
            v.to_xml(&mut value_element, item);
            value_element.attributes.extend(item.namespace().map(|(a, u)| (a.to_owned(), u.to_owned())));
            let mut key_element = Element { text: k.to_text(), ..Element::new(key) };
            key_element.attributes.extend(key_ns.map(|(a, u)| (a.to_owned(), u.to_owned())));
            vec![key_element, value_element]
        })
        .collect()
}

/// A value whose elements repeat in place when flattened: lists and maps.
pub trait ToFlatXml {
    /// The elements of a flattened member named `name`.
    fn to_flat_xml(&self, name: &str, shape: &Shape) -> Vec<Element>;
}

impl<T: ToXml> ToFlatXml for Vec<T> {
    fn to_flat_xml(&self, name: &str, shape: &Shape) -> Vec<Element> {
        let item = match shape.inner() {
            Shape::List { item, .. } => *item,
            _ => &Shape::Value,
        };
        self.iter()
            .map(|v| {
                let mut e = Element::new(name);
                v.to_xml(&mut e, item);
                e.attributes.extend(item.namespace().map(|(a, u)| (a.to_owned(), u.to_owned())));
                e
            })
            .collect()
    }
}

impl<K: Text + Ord, T: ToXml, S> ToFlatXml for HashMap<K, T, S> {
    fn to_flat_xml(&self, name: &str, shape: &Shape) -> Vec<Element> {
        map_entries(self, shape).into_iter().map(|children| Element { children, ..Element::new(name) }).collect()
    }
}

impl Element {
    /// Adds member `name`: one child element holding the value.
    pub fn put<T: ToXml + ?Sized>(&mut self, name: &str, value: &T, shape: &Shape) {
        let mut child = Element::new(name);
        value.to_xml(&mut child, shape);
        child.attributes.extend(shape.namespace().map(|(a, u)| (a.to_owned(), u.to_owned())));
        self.children.push(child);
    }

    /// [`Element::put`] when there is a value.
    pub fn put_opt<T: ToXml>(&mut self, name: &str, value: &Option<T>, shape: &Shape) {
        if let Some(v) = value {
            self.put(name, v, shape);
        }
    }

    /// Adds a flattened list or map member: its elements in place, each named `name`.
    pub fn put_flat<T: ToFlatXml + ?Sized>(&mut self, name: &str, value: &T, shape: &Shape) {
        self.children.extend(value.to_flat_xml(name, shape));
    }

    /// [`Element::put_flat`] when there is a value.
    pub fn put_flat_opt<T: ToFlatXml>(&mut self, name: &str, value: &Option<T>, shape: &Shape) {
        if let Some(v) = value {
            self.put_flat(name, v, shape);
        }
    }

    /// Declares a namespace on the last `count` children added (`xmlNamespace` of a member):
    /// `xmlns` or `xmlns:<prefix>`.
    pub fn namespace_last(&mut self, count: usize, attribute: &str, uri: &str) {
        let from = self.children.len().saturating_sub(count);
        for child in &mut self.children[from..] {
            child.attributes.push((attribute.to_owned(), uri.to_owned()));
        }
    }

    /// Sets an attribute (`xmlAttribute` member).
    pub fn set_attribute<T: Text>(&mut self, name: &str, value: &T) {
        self.attributes.push((name.to_owned(), value.to_text()));
    }

    /// [`Element::set_attribute`] when there is a value.
    pub fn set_attribute_opt<T: Text>(&mut self, name: &str, value: &Option<T>) {
        if let Some(v) = value {
            self.set_attribute(name, v);
        }
    }

    /// The element as XML text.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut out = String::new();
        self.write(&mut out);
        out.into_bytes()
    }

    fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for (name, value) in &self.attributes {
            out.push(' ');
            out.push_str(name);
            out.push_str("=\"");
            escape(value, out);
            out.push('"');
        }
        out.push('>');
        escape(&self.text, out);
        for child in &self.children {
            child.write(out);
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }
}

/// Escapes text and attribute values; line breaks and tabs as character references, so a
/// parser's end-of-line handling keeps them as sent.
fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#xD;"),
            '\n' => out.push_str("&#xA;"),
            '\t' => out.push_str("&#x9;"),
            c => out.push(c),
        }
    }
}

/// A request body: `value` as root element `root`, with `namespace` (`xmlns` or
/// `xmlns:<prefix>`, and the URI) on it when given.
pub fn to_vec<T: ToXml + ?Sized>(root: &str, value: &T, namespace: Option<(&str, &str)>) -> Vec<u8> {
    let mut element = Element::new(root);
    if let Some((attribute, uri)) = namespace {
        element.attributes.push((attribute.to_owned(), uri.to_owned()));
    }
    value.to_xml(&mut element, &Shape::Value);
    element.to_vec()
}

// ---- responses ----

/// Reads an output of `operation` from a response body: the child `wrapper` of the root
/// (awsQuery's `<OpResult>`) or, without one, the root itself (ec2Query and restXml). A missing
/// wrapper or an empty body reads as an output with no members.
pub fn decode<T: FromXml>(operation: &'static str, body: &[u8], wrapper: Option<&str>) -> Result<T, DecodeError> {
    let fail = |e: XmlError| DecodeError::new(operation, e);
    if body.iter().all(u8::is_ascii_whitespace) {
        return T::from_xml(&Element::default(), &Shape::Value).map_err(fail);
    }
    let root = parse(body).map_err(fail)?;
    let element = match wrapper {
        Some(name) => root.child(name).cloned().unwrap_or_default(),
        None => root,
    };
    T::from_xml(&element, &Shape::Value).map_err(fail)
}

/// Reads an output whose one member is the body's root element (S3's
/// `s3UnwrappedXmlOutput`: `<LocationConstraint>us-west-2</LocationConstraint>`).
pub fn decode_unwrapped<T: FromXml>(operation: &'static str, body: &[u8]) -> Result<T, DecodeError> {
    let fail = |e: XmlError| DecodeError::new(operation, e);
    let mut wrapper = Element::default();
    if !body.iter().all(u8::is_ascii_whitespace) {
        wrapper.children.push(parse(body).map_err(fail)?);
    }
    T::from_xml(&wrapper, &Shape::Value).map_err(fail)
}

/// An operation's output from an XML response body: the child `wrapper` of the root (awsQuery's
/// `<OpResult>`), or the root; a body that does not decode is
/// [`SdkError::Decode`](crate::SdkError::Decode). What awsQuery and ec2Query crates call `decode`.
pub fn output<T: FromXml, E>(
    operation: &'static str,
    response: &Response,
    wrapper: Option<&str>,
) -> Result<T, crate::SdkError<E>> {
    decode(operation, &response.body, wrapper).map_err(crate::SdkError::Decode)
}

/// [`output`] from the root element (restXml). What restXml crates call `decode`.
pub fn root_output<T: FromXml, E>(operation: &'static str, response: &Response) -> Result<T, crate::SdkError<E>> {
    output(operation, response, None)
}

/// An output whose one member is the body's root element (`s3UnwrappedXmlOutput`). What restXml
/// crates call `decode_unwrapped`.
pub fn unwrapped_output<T: FromXml, E>(operation: &'static str, response: &Response) -> Result<T, crate::SdkError<E>> {
    decode_unwrapped(operation, &response.body).map_err(crate::SdkError::Decode)
}

/// A modelled error read from its `<Error>` element as `variant`, or `unhandled` when it does not
/// decode as that error. What the generated crates' error enums call `decode_error`.
pub fn error_or_unhandled<T: FromXml, E>(
    error: &Element,
    response: &Response,
    meta: ErrorMeta,
    variant: fn(T) -> E,
    unhandled: fn(crate::UnhandledError) -> E,
) -> E {
    match T::from_xml(error, &Shape::Value) {
        Ok(e) => variant(e),
        Err(_) => unhandled(crate::UnhandledError::new(meta, response)),
    }
}

/// What an XML error response says about itself, and its `<Error>` element (whose children are
/// the modelled error's members): `<ErrorResponse><Error>` (awsQuery, restXml),
/// `<Response><Errors><Error>` (ec2Query) or a root `<Error>` (restXml's `noErrorWrapping`).
/// The code is `<Code>`, the message `<Message>`, the request id `<RequestId>` (`<RequestID>`
/// in ec2Query) or the `x-amzn-requestid` / `x-amz-request-id` header.
pub fn error_meta(response: &Response) -> (ErrorMeta, Element) {
    let root = parse(&response.body).unwrap_or_default();
    let error = if root.is("Error") {
        root.clone()
    } else {
        let errors = root.child("Errors").unwrap_or(&root);
        errors.child("Error").cloned().unwrap_or_default()
    };
    let text = |e: &Element, name: &str| e.child(name).map(|c| c.text.trim().to_owned()).filter(|t| !t.is_empty());
    let request_id =
        text(&root, "RequestId").or_else(|| text(&root, "RequestID")).or_else(|| text(&error, "RequestId")).or_else(
            || response.header("x-amzn-requestid").or_else(|| response.header("x-amz-request-id")).map(str::to_owned),
        );
    let meta =
        ErrorMeta { status: response.status, code: text(&error, "Code"), message: text(&error, "Message"), request_id };
    (meta, error)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: Shape = Shape::List { member: "member", flat: false, item: &Shape::Value };
    const FLAT: Shape = Shape::List { member: "member", flat: true, item: &Shape::Value };
    const MAP: Shape = Shape::Map { key: "key", key_ns: None, value: "value", flat: false, item: &Shape::Value };

    #[test]
    fn parses_text_entities_cdata_and_attributes() {
        let root = parse(
            br#"<?xml version="1.0"?><a x="1 &amp; 2"><b>x &lt;&#65;&#x42;<![CDATA[<c>]]></b>
            <c/></a>"#,
        )
        .unwrap();
        assert_eq!(root.attribute("x"), Some("1 & 2"));
        assert_eq!(root.child("b").unwrap().text, "x <AB<c>");
        assert_eq!(root.child("c").unwrap(), &Element::new("c"));
        assert_eq!(root.text, "");
        assert!(parse(b"<a><b></a>").is_err());
        assert!(parse(b"<a/><b/>").is_err());
        assert!(parse(b"").is_err());
    }

    #[test]
    fn members_lists_maps_and_paths() {
        let root = parse(
            b"<R><L><member>1</member><member>2</member></L><F>3</F><F>4</F>              <M><entry><key>k</key><value>5</value></entry></M><N>x</N></R>",
        )
        .unwrap();
        let m = Members::new(&root);
        assert_eq!(m.required::<Vec<i32>>("L", &LIST), Ok(vec![1, 2]));
        assert_eq!(m.required::<Vec<i32>>("F", &FLAT), Ok(vec![3, 4]));
        assert_eq!(m.optional::<Vec<i32>>("G", &FLAT), Ok(None));
        let map: HashMap<String, i32> = m.required("M", &MAP).unwrap();
        assert_eq!(map, HashMap::from([("k".to_owned(), 5)]));
        assert_eq!(
            m.required::<i32>("N", &Shape::Value).unwrap_err().to_string(),
            "N: expected an integer (i32), found `x`"
        );
        assert_eq!(m.required::<i32>("Z", &Shape::Value).unwrap_err().to_string(), "Z: missing required member");
        assert_eq!(m.optional_or::<i32>("Z", &Shape::Value, "7"), Ok(Some(7)));
        assert_eq!(m.or_default::<Vec<i32>>("Z", &LIST), Ok(vec![]));
        let bad = parse(b"<R><L><member>1</member><member>y</member></L></R>").unwrap();
        assert_eq!(Members::new(&bad).required::<Vec<i32>>("L", &LIST).unwrap_err().path(), "L[1]");
    }

    #[test]
    fn error_responses_of_each_protocol() {
        let response = |body: &str| Response { status: 400, headers: vec![], body: body.as_bytes().to_vec() };
        let query = response(
            "<ErrorResponse><Error><Type>Sender</Type><Code>Bad</Code><Message>no</Message></Error>             <RequestId>r1</RequestId></ErrorResponse>",
        );
        let (meta, error) = error_meta(&query);
        assert_eq!(
            (meta.code.as_deref(), meta.message.as_deref(), meta.request_id.as_deref()),
            (Some("Bad"), Some("no"), Some("r1"))
        );
        assert_eq!(error.child("Type").unwrap().text, "Sender");
        let ec2 =
            response("<Response><Errors><Error><Code>E</Code></Error></Errors><RequestID>r2</RequestID></Response>");
        let (meta, _) = error_meta(&ec2);
        assert_eq!((meta.code.as_deref(), meta.request_id.as_deref()), (Some("E"), Some("r2")));
        let (meta, _) = error_meta(&response("<Error><Code>NoSuchKey</Code></Error>"));
        assert_eq!(meta.code.as_deref(), Some("NoSuchKey"));
        let (meta, _) = error_meta(&response("not xml"));
        assert_eq!(meta.code, None);
    }

    #[test]
    fn writes_members_flattened_lists_maps_attributes_and_escapes() {
        let mut root = Element::new("R");
        root.set_attribute("id", &"a\"b".to_owned());
        root.put("S", &"x<&>\n".to_owned(), &Shape::Value);
        root.put("L", &vec![1i32, 2], &LIST);
        root.put_flat("F", &vec![true], &FLAT);
        root.put("M", &HashMap::from([("k".to_owned(), 5i32)]), &MAP);
        root.namespace_last(1, "xmlns:p", "urn:p");
        let text = String::from_utf8(root.to_vec()).unwrap();
        assert_eq!(
            text,
            "<R id=\"a&quot;b\"><S>x&lt;&amp;&gt;&#xA;</S><L><member>1</member><member>2</member></L><F>true</F>\
             <M xmlns:p=\"urn:p\"><entry><key>k</key><value>5</value></entry></M></R>"
        );
        // What is written reads back the same.
        let back = parse(text.as_bytes()).unwrap();
        assert_eq!(back, root);
        assert_eq!(to_vec("Root", &7i32, Some(("xmlns", "urn:x"))), b"<Root xmlns=\"urn:x\">7</Root>");
    }

    #[test]
    fn decode_reads_the_wrapper_or_the_root() {
        #[derive(Debug, PartialEq)]
        struct Out(Option<String>);
        impl FromXml for Out {
            fn from_xml(e: &Element, _: &Shape) -> Result<Self, XmlError> {
                Members::new(e).optional("A", &Shape::Value).map(Out)
            }
        }
        let body = b"<OpResponse><OpResult><A>x</A></OpResult></OpResponse>";
        assert_eq!(decode::<Out>("Op", body, Some("OpResult")).unwrap(), Out(Some("x".into())));
        assert_eq!(decode::<Out>("Op", b"<OpResponse><A>y</A></OpResponse>", None).unwrap(), Out(Some("y".into())));
        assert_eq!(decode::<Out>("Op", b"", Some("OpResult")).unwrap(), Out(None));
        assert!(decode::<Out>("Op", b"<a>", None).is_err());
    }
}
