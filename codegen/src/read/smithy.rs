//! Reads one Smithy JSON AST model and lowers each of its services into an [`Api`].
//!
//! An AWS model holds one service; a hand-written one (the AWS protocol test suite)
//! may hold several, which share its shapes. Mixins and `apply` statements are
//! resolved first ([`super::mixins`]), so what is lowered is always a flat model.
//! For each service, only its closure is lowered: its operations (directly
//! and through resources), their inputs, outputs and errors, and every shape their
//! members reach. Simple shapes, lists and maps are inlined at each member (their
//! constraint traits merge into the member's); structures, unions and enums become
//! named [`TypeDef`]s, which is also what breaks recursion. The 1.0 AST has the same
//! layout (plus `set` and the `enum` trait), so it is read by the same code.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde_json::{Map, Value};

use super::json::kind_of;
use crate::error::{Error, Result};
use crate::model::{
    Api, Constraints, Deprecated, EndpointParam, EndpointParamSource, EnumValue, ErrorInfo, Field, HttpBinding,
    HttpRoute, IntEnumValue, Names, Operation, Paginated, Prim, Protocol, RequestTraits, RuleParam, Type, TypeDef,
    TypeKind, Wire, Xml, XmlItems, XmlNamespace,
};

/// Reads one Smithy JSON AST model: one [`Api`] per service shape, in document order.
/// `file` is the path used in error messages, `source` is the path relative to the spec
/// directory stored in every `Api::source`.
pub fn read(file: &Path, source: &str, text: &str) -> Result<Vec<Api>> {
    let doc = super::json::parse(file, text)?;
    lower(file, source, &doc)
}

/// Same, from an already parsed document.
pub fn lower(file: &Path, source: &str, doc: &Value) -> Result<Vec<Api>> {
    let shapes = super::mixins::flatten(file, top_level(file, doc)?)?;
    let index = Lowering::new(file, &shapes)?;
    // Each service starts from the bare index: names, renames and the queue of types
    // are its own, since two services may name one shape differently.
    index.services()?.into_iter().map(|(id, service)| index.clone().api(source, id, service)).collect()
}

type Obj = Map<String, Value>;

/// The endpoint rules of a service, kept for the generated crate.
const ENDPOINT_RULE_SET: &str = "smithy.rules#endpointRuleSet";

/// The parameters a rule set declares, in order. Their shape is checked by the rules engine
/// when a client parses the rules; here a malformed entry only loses its documentation.
fn rule_params(rules: &Value) -> Vec<RuleParam> {
    let Some(params) = rules.get("parameters").and_then(Value::as_object) else { return Vec::new() };
    params
        .iter()
        .map(|(name, p)| RuleParam {
            name: name.clone(),
            built_in: p.get("builtIn").and_then(Value::as_str).map(str::to_owned),
            default: p.get("default").cloned(),
            doc: p.get("documentation").and_then(Value::as_str).map(str::to_owned),
        })
        .collect()
}

/// The rule set as compact JSON without its `documentation` texts, which resolution never reads
/// (endpoints themselves are kept as written: their properties are data).
pub fn compact_rules(rules: &Value) -> String {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.remove("documentation");
                for (key, v) in map.iter_mut() {
                    if key != "endpoint" {
                        strip(v);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut rules = rules.clone();
    strip(&mut rules);
    rules.to_string()
}

/// AST versions with the layout this reader understands.
const VERSIONS: [&str; 4] = ["2.0", "2", "1.0", "1"];

const UNIT: &str = "smithy.api#Unit";

/// How deeply lists and maps may nest in one another (each is inlined by recursion):
/// AWS models stay under 5, and the recursion must stay well inside a worker
/// thread's stack.
const MAX_NESTING: usize = 64;

// Trait ids.
const DOCUMENTATION: &str = "smithy.api#documentation";
const REQUIRED: &str = "smithy.api#required";
const DEFAULT: &str = "smithy.api#default";
const CLIENT_OPTIONAL: &str = "smithy.api#clientOptional";
const HTTP: &str = "smithy.api#http";
const HTTP_LABEL: &str = "smithy.api#httpLabel";
const HTTP_QUERY: &str = "smithy.api#httpQuery";
const HTTP_QUERY_PARAMS: &str = "smithy.api#httpQueryParams";
const HTTP_HEADER: &str = "smithy.api#httpHeader";
const HTTP_PREFIX_HEADERS: &str = "smithy.api#httpPrefixHeaders";
const HTTP_PAYLOAD: &str = "smithy.api#httpPayload";
const HTTP_RESPONSE_CODE: &str = "smithy.api#httpResponseCode";
const HTTP_ERROR: &str = "smithy.api#httpError";
const JSON_NAME: &str = "smithy.api#jsonName";
const TIMESTAMP_FORMAT: &str = "smithy.api#timestampFormat";
const MEDIA_TYPE: &str = "smithy.api#mediaType";
const ERROR: &str = "smithy.api#error";
const PAGINATED: &str = "smithy.api#paginated";
const READONLY: &str = "smithy.api#readonly";
const IDEMPOTENT: &str = "smithy.api#idempotent";
const IDEMPOTENCY_TOKEN: &str = "smithy.api#idempotencyToken";
const LENGTH: &str = "smithy.api#length";
const PATTERN: &str = "smithy.api#pattern";
const RANGE: &str = "smithy.api#range";
const SENSITIVE: &str = "smithy.api#sensitive";
const DEPRECATED: &str = "smithy.api#deprecated";
const TAGS: &str = "smithy.api#tags";
const EXAMPLES: &str = "smithy.api#examples";
const ENUM_VALUE: &str = "smithy.api#enumValue";
const ENUM: &str = "smithy.api#enum";
const UNIQUE_ITEMS: &str = "smithy.api#uniqueItems";
const SPARSE: &str = "smithy.api#sparse";
const HTTP_CHECKSUM_REQUIRED: &str = "smithy.api#httpChecksumRequired";
const REQUEST_COMPRESSION: &str = "smithy.api#requestCompression";
const ENDPOINT: &str = "smithy.api#endpoint";
const TITLE: &str = "smithy.api#title";
const AWS_SERVICE: &str = "aws.api#service";
const XML_NAME: &str = "smithy.api#xmlName";
const XML_ATTRIBUTE: &str = "smithy.api#xmlAttribute";
const XML_FLATTENED: &str = "smithy.api#xmlFlattened";
const XML_NAMESPACE: &str = "smithy.api#xmlNamespace";
const EC2_QUERY_NAME: &str = "aws.protocols#ec2QueryName";
const AWS_QUERY_ERROR: &str = "aws.protocols#awsQueryError";
const SIGV4: &str = "aws.auth#sigv4";

/// Protocol traits, in the order of preference when a service has several.
const PROTOCOLS: [(&str, Protocol); 6] = [
    ("aws.protocols#restJson1", Protocol::RestJson1),
    ("aws.protocols#awsJson1_0", Protocol::AwsJson1_0),
    ("aws.protocols#awsJson1_1", Protocol::AwsJson1_1),
    ("aws.protocols#restXml", Protocol::RestXml),
    ("aws.protocols#awsQuery", Protocol::AwsQuery),
    ("aws.protocols#ec2Query", Protocol::Ec2Query),
];

/// Checks the document envelope and returns the `shapes` object.
fn top_level<'a>(file: &Path, doc: &'a Value) -> Result<&'a Obj> {
    let schema = |pointer: &str, message: String| Error::Schema {
        file: file.to_path_buf(),
        pointer: pointer.to_owned(),
        message,
    };
    let root = doc
        .as_object()
        .ok_or_else(|| schema("/", format!("a Smithy model must be a JSON object, found {}", kind_of(doc))))?;
    match root.get("smithy") {
        Some(Value::String(v)) if VERSIONS.contains(&v.as_str()) => {}
        Some(Value::String(v)) => return Err(schema("/smithy", format!("unsupported Smithy AST version `{v}`"))),
        Some(v) => return Err(schema("/smithy", format!("must be a string, found {}", kind_of(v)))),
        None => return Err(schema("/smithy", "missing: not a Smithy JSON AST model".into())),
    }
    let shapes = match root.get("shapes") {
        Some(Value::Object(shapes)) => shapes,
        Some(v) => return Err(schema("/shapes", format!("must be an object, found {}", kind_of(v)))),
        None => return Err(schema("/shapes", "missing".into())),
    };
    // The JSON AST names every shape by its absolute id: without the namespace, two
    // models' shapes of one name would be one.
    if let Some(id) = shapes.keys().find(|id| !absolute_shape_id(id)) {
        return Err(Error::Shape {
            file: file.to_path_buf(),
            shape: id.clone(),
            message: "not an absolute shape id: the JSON AST names shapes `namespace#Name` (`example.weather#City`)"
                .into(),
        });
    }
    Ok(shapes)
}

/// `namespace#Name`: dot-separated identifiers, `#`, an identifier.
fn absolute_shape_id(id: &str) -> bool {
    let identifier = |s: &str| {
        s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    match id.split_once('#') {
        Some((namespace, name)) => namespace.split('.').all(identifier) && identifier(name),
        None => false,
    }
}

/// `obj[key]`. Shapes, members and traits are small objects that are probed many
/// times (a member's traits ~20 times): a scan beats hashing the key each time.
fn lookup<'a>(obj: &'a Obj, key: &str) -> Option<&'a Value> {
    if obj.len() <= 8 {
        obj.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    } else {
        obj.get(key)
    }
}

/// The part of a shape id after the namespace.
fn local_name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}

/// The prelude shapes, which targets may name without a definition in `shapes`.
fn prelude(id: &str) -> Option<(Prim, Option<Value>)> {
    let zero = || Some(Value::from(0));
    Some(match id.strip_prefix("smithy.api#")? {
        "String" => (Prim::String, None),
        "Boolean" => (Prim::Boolean, None),
        "PrimitiveBoolean" => (Prim::Boolean, Some(Value::Bool(false))),
        "Byte" => (Prim::Byte, None),
        "PrimitiveByte" => (Prim::Byte, zero()),
        "Short" => (Prim::Short, None),
        "PrimitiveShort" => (Prim::Short, zero()),
        "Integer" => (Prim::Integer, None),
        "PrimitiveInteger" => (Prim::Integer, zero()),
        "Long" => (Prim::Long, None),
        "PrimitiveLong" => (Prim::Long, zero()),
        "Float" => (Prim::Float, None),
        "PrimitiveFloat" => (Prim::Float, zero()),
        "Double" => (Prim::Double, None),
        "PrimitiveDouble" => (Prim::Double, zero()),
        "BigInteger" => (Prim::BigInteger, None),
        "BigDecimal" => (Prim::BigDecimal, None),
        "Timestamp" => (Prim::Timestamp, None),
        "Blob" => (Prim::Blob, None),
        "Document" => (Prim::Document, None),
        _ => return None,
    })
}

/// Whether `uri` binds label `name` greedily (`{Name+}`).
fn is_greedy(uri: &str, name: &str) -> bool {
    let path = uri.split('?').next().unwrap_or_default();
    path.split('/').filter_map(|seg| seg.strip_prefix('{')?.strip_suffix("+}")).any(|label| label == name)
}

/// A shape's `type`; `string` with the 1.0 `enum` trait is told apart where it matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Simple(Prim),
    Enum,
    IntEnum,
    List,
    Set,
    Map,
    Structure,
    Union,
    Operation,
    Resource,
    Service,
}

impl Kind {
    fn parse(ty: &str) -> Option<Kind> {
        Some(match ty {
            "blob" => Kind::Simple(Prim::Blob),
            "boolean" => Kind::Simple(Prim::Boolean),
            "string" => Kind::Simple(Prim::String),
            "byte" => Kind::Simple(Prim::Byte),
            "short" => Kind::Simple(Prim::Short),
            "integer" => Kind::Simple(Prim::Integer),
            "long" => Kind::Simple(Prim::Long),
            "float" => Kind::Simple(Prim::Float),
            "double" => Kind::Simple(Prim::Double),
            "bigInteger" => Kind::Simple(Prim::BigInteger),
            "bigDecimal" => Kind::Simple(Prim::BigDecimal),
            "timestamp" => Kind::Simple(Prim::Timestamp),
            "document" => Kind::Simple(Prim::Document),
            "enum" => Kind::Enum,
            "intEnum" => Kind::IntEnum,
            "list" => Kind::List,
            "set" => Kind::Set,
            "map" => Kind::Map,
            "structure" => Kind::Structure,
            "union" => Kind::Union,
            "operation" => Kind::Operation,
            "resource" => Kind::Resource,
            "service" => Kind::Service,
            _ => return None,
        })
    }
}

/// One shape definition, borrowed from the document.
#[derive(Clone, Copy)]
struct Shape<'a> {
    kind: Kind,
    body: &'a Obj,
    traits: Traits<'a>,
}

/// The `traits` object of a shape or member (absent means none).
#[derive(Clone, Copy, Default)]
struct Traits<'a>(Option<&'a Obj>);

impl<'a> Traits<'a> {
    fn get(self, id: &str) -> Option<&'a Value> {
        lookup(self.0?, id)
    }

    fn has(self, id: &str) -> bool {
        self.get(id).is_some()
    }
}

/// Where an error is: a shape, or a member of one.
#[derive(Clone, Copy)]
struct Site<'a> {
    shape: &'a str,
    member: Option<&'a str>,
}

impl<'a> Site<'a> {
    fn shape(shape: &'a str) -> Self {
        Site { shape, member: None }
    }

    fn member(shape: &'a str, member: &'a str) -> Self {
        Site { shape, member: Some(member) }
    }
}

/// A member target after inlining: the type and the facts the target contributes.
struct Resolved<'a> {
    ty: Type,
    constraints: Constraints,
    wire: Wire,
    doc: Option<&'a str>,
}

impl<'a> Resolved<'a> {
    fn new(ty: Type, doc: Option<&'a str>) -> Self {
        Resolved { ty, constraints: Constraints::default(), wire: Wire::default(), doc }
    }
}

/// State of one lowering: the shape index, the named types found so far and the
/// queue of named shapes still to lower.
#[derive(Clone)]
struct Lowering<'a> {
    file: &'a Path,
    /// Shapes in document order, for stable walks and messages.
    order: &'a Obj,
    shapes: HashMap<&'a str, Shape<'a>>,
    /// Mixin shapes: left out of `shapes` (they are never types), kept to explain
    /// a reference to one.
    mixins: HashSet<&'a str>,
    rename: HashMap<&'a str, &'a str>,
    /// Named shape id -> type name, and back (to catch two ids with one name).
    names: HashMap<&'a str, String>,
    owners: HashMap<String, &'a str>,
    queue: Vec<&'a str>,
    /// List and map shapes being inlined, to reject cycles no named type breaks.
    inlining: Vec<&'a str>,
    /// Input structure id -> URIs of the operations that take it (for greedy labels).
    uris: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Lowering<'a> {
    /// Indexes every shape, rejecting malformed ones and unknown types.
    fn new(file: &'a Path, order: &'a Obj) -> Result<Self> {
        let mut lowering = Lowering {
            file,
            order,
            shapes: HashMap::with_capacity(order.len()),
            mixins: HashSet::new(),
            rename: HashMap::new(),
            names: HashMap::new(),
            owners: HashMap::new(),
            queue: Vec::new(),
            inlining: Vec::new(),
            uris: HashMap::new(),
        };
        for (id, value) in order {
            let shape = lowering.index(id, value)?;
            if shape.traits.has(super::mixins::MIXIN) {
                lowering.mixins.insert(id);
            } else {
                lowering.shapes.insert(id, shape);
            }
        }
        Ok(lowering)
    }

    fn index(&self, id: &'a str, value: &'a Value) -> Result<Shape<'a>> {
        let site = Site::shape(id);
        let body =
            value.as_object().ok_or_else(|| self.err(site, format!("must be an object, found {}", kind_of(value))))?;
        let ty = match lookup(body, "type") {
            Some(Value::String(ty)) => ty.as_str(),
            Some(v) => return Err(self.err(site, format!("`type` must be a string, found {}", kind_of(v)))),
            None => return Err(self.err(site, "has no `type`".into())),
        };
        let kind = Kind::parse(ty).ok_or_else(|| self.err(site, format!("unknown shape type `{ty}`")))?;
        let traits = self.traits(site, body)?;
        Ok(Shape { kind, body, traits })
    }

    // ------------------------------------------------------------ errors

    fn err(&self, site: Site, message: String) -> Error {
        let message = match site.member {
            Some(member) => format!("member `{member}`: {message}"),
            None => message,
        };
        Error::Shape { file: self.file.to_path_buf(), shape: site.shape.to_owned(), message }
    }

    /// A trait (or one of its properties) whose value has the wrong JSON type.
    fn bad(&self, site: Site, what: &str, expected: &str, found: &Value) -> Error {
        self.err(site, format!("{what} must be {expected}, found {}", kind_of(found)))
    }

    /// Why `target` has no shape: it is a mixin, or nothing has that id.
    fn missing(&self, target: &str) -> &'static str {
        if self.mixins.contains(target) {
            "is a mixin (only other shapes may mix it in)"
        } else {
            "is not defined"
        }
    }

    /// Every generated name (Rust, SQL, file) is made of a name's letters and digits.
    fn check_name(&self, site: Site, name: &str) -> Result<()> {
        if super::has_word(name) {
            Ok(())
        } else {
            Err(self.err(site, format!("the name `{name}` has no letter or digit to make an identifier of")))
        }
    }

    // ------------------------------------------------------------ typed access

    fn traits(&self, site: Site<'a>, body: &'a Obj) -> Result<Traits<'a>> {
        match lookup(body, "traits") {
            None => Ok(Traits(None)),
            Some(Value::Object(traits)) => Ok(Traits(Some(traits))),
            Some(v) => Err(self.bad(site, "`traits`", "an object", v)),
        }
    }

    fn str_trait(&self, site: Site<'a>, traits: Traits<'a>, id: &str) -> Result<Option<&'a str>> {
        match traits.get(id) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(v) => Err(self.bad(site, &format!("trait `{id}`"), "a string", v)),
        }
    }

    fn doc(&self, site: Site<'a>, traits: Traits<'a>) -> Result<Option<&'a str>> {
        self.str_trait(site, traits, DOCUMENTATION)
    }

    fn obj_trait(&self, site: Site<'a>, traits: Traits<'a>, id: &str) -> Result<Option<&'a Obj>> {
        match traits.get(id) {
            None => Ok(None),
            Some(Value::Object(o)) => Ok(Some(o)),
            Some(v) => Err(self.bad(site, &format!("trait `{id}`"), "an object", v)),
        }
    }

    /// An optional string property `key` of trait object `obj`.
    fn str_prop(&self, site: Site<'a>, id: &str, obj: &'a Obj, key: &str) -> Result<Option<&'a str>> {
        match lookup(obj, key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(v) => Err(self.bad(site, &format!("trait `{id}` property `{key}`"), "a string", v)),
        }
    }

    /// A string property that must be present.
    fn req_str_prop(&self, site: Site<'a>, id: &str, obj: &'a Obj, key: &str) -> Result<&'a str> {
        self.str_prop(site, id, obj, key)?.ok_or_else(|| self.err(site, format!("trait `{id}` has no `{key}`")))
    }

    fn u64_prop(&self, site: Site<'a>, id: &str, obj: &'a Obj, key: &str) -> Result<Option<u64>> {
        match lookup(obj, key) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .map(Some)
                .ok_or_else(|| self.bad(site, &format!("trait `{id}` property `{key}`"), "a non-negative integer", v)),
        }
    }

    fn status(&self, site: Site<'a>, what: &str, v: &Value) -> Result<u16> {
        v.as_u64().and_then(|n| u16::try_from(n).ok()).ok_or_else(|| self.bad(site, what, "an HTTP status code", v))
    }

    /// The `target` of a `{ "target": .. }` reference at `body[key]`.
    fn reference(&self, site: Site<'a>, body: &'a Obj, key: &str) -> Result<Option<&'a str>> {
        match lookup(body, key) {
            None => Ok(None),
            Some(v) => self.target_of(site, key, v).map(Some),
        }
    }

    fn target_of(&self, site: Site<'a>, what: &str, v: &'a Value) -> Result<&'a str> {
        match v.as_object().and_then(|o| lookup(o, "target")) {
            Some(Value::String(target)) => Ok(target),
            Some(t) => Err(self.bad(site, &format!("`{what}` target"), "a string", t)),
            None => Err(self.err(site, format!("`{what}` has no `target`"))),
        }
    }

    /// The targets of a list of references at `body[key]`.
    fn references(&self, site: Site<'a>, body: &'a Obj, key: &str) -> Result<Vec<&'a str>> {
        match lookup(body, key) {
            None => Ok(Vec::new()),
            Some(Value::Array(refs)) => refs.iter().map(|r| self.target_of(site, key, r)).collect(),
            Some(v) => Err(self.bad(site, &format!("`{key}`"), "an array", v)),
        }
    }

    /// A shape that a reference from `site` must find with the given kind.
    fn expect(&self, site: Site<'a>, target: &str, kinds: &[Kind], what: &str) -> Result<Shape<'a>> {
        match self.shapes.get(target) {
            Some(shape) if kinds.contains(&shape.kind) => Ok(*shape),
            Some(_) => Err(self.err(site, format!("`{target}` is not {what}"))),
            None => Err(self.err(site, format!("`{target}` {}", self.missing(target)))),
        }
    }

    /// The members of a structure, union or enum shape, in document order.
    fn members(&self, id: &'a str, shape: Shape<'a>) -> Result<Option<&'a Obj>> {
        match lookup(shape.body, "members") {
            None => Ok(None),
            Some(Value::Object(members)) => Ok(Some(members)),
            Some(v) => Err(self.bad(Site::shape(id), "`members`", "an object", v)),
        }
    }

    fn member_traits(&self, site: Site<'a>, member: &'a Value) -> Result<Traits<'a>> {
        match member {
            Value::Object(body) => self.traits(site, body),
            v => Err(self.err(site, format!("must be an object, found {}", kind_of(v)))),
        }
    }

    // ------------------------------------------------------------ service

    fn api(mut self, source: &str, id: &'a str, service: Shape<'a>) -> Result<Api> {
        let site = Site::shape(id);
        self.rename = self.renames(site, service.body)?;
        let traits = service.traits;

        let mut common_errors = Vec::new();
        for target in self.references(site, service.body, "errors")? {
            self.expect(site, target, &[Kind::Structure], "an error structure")?;
            common_errors.push(self.named(target)?);
        }
        let page_defaults = self.paginated(site, traits, None)?;
        let mut operations = BTreeMap::new();
        let mut op_owners: HashMap<String, &str> = HashMap::new();
        for op_id in self.operation_ids(id, service)? {
            let op = self.operation(op_id, &common_errors, page_defaults.as_ref())?;
            if let Some(other) = op_owners.insert(op.name.clone(), op_id) {
                let message = format!("operation name `{}` is also used by `{other}`", op.name);
                return Err(self.err(Site::shape(op_id), message));
            }
            operations.insert(op.name.clone(), op);
        }
        let types = self.drain()?;
        let mut xml_roots = BTreeMap::new();
        for name in types.keys() {
            let Some(shape_id) = self.owners.get(name).copied() else { continue };
            let Some(shape) = self.shapes.get(shape_id).copied() else { continue };
            let shape_site = Site::shape(shape_id);
            let root = Xml {
                name: self.str_trait(shape_site, shape.traits, XML_NAME)?.map(str::to_owned),
                namespace: self.xml_namespace(shape_site, shape.traits)?,
                ..Xml::default()
            };
            if root != Xml::default() {
                xml_roots.insert(name.clone(), root);
            }
        }

        let aws = self.obj_trait(site, traits, AWS_SERVICE)?;
        let aws_prop = |key| aws.map_or(Ok(None), |o| self.str_prop(site, AWS_SERVICE, o, key));
        let sdk_id = aws_prop("sdkId")?.unwrap_or_else(|| local_name(id)).to_owned();
        let signing_name = match self.obj_trait(site, traits, SIGV4)? {
            Some(o) => self.str_prop(site, SIGV4, o, "name")?,
            None => None,
        };
        let version = match lookup(service.body, "version") {
            None => "",
            Some(Value::String(v)) => v,
            Some(v) => return Err(self.bad(site, "`version`", "a string", v)),
        };
        Ok(Api {
            source: source.to_owned(),
            shape_id: id.to_owned(),
            version: version.to_owned(),
            sdk_id,
            title: self.str_trait(site, traits, TITLE)?.map(str::to_owned),
            doc: self.doc(site, traits)?.map(str::to_owned),
            cloudformation_name: aws_prop("cloudFormationName")?.map(str::to_owned),
            endpoint_prefix: aws_prop("endpointPrefix")?.map(str::to_owned),
            arn_namespace: aws_prop("arnNamespace")?.map(str::to_owned),
            signing_name: signing_name.map(str::to_owned),
            protocol: protocol(traits),
            query_compatible: traits.has("aws.protocols#awsQueryCompatible"),
            endpoint_rules: traits.get(ENDPOINT_RULE_SET).map(compact_rules),
            endpoint_rule_params: traits.get(ENDPOINT_RULE_SET).map(rule_params).unwrap_or_default(),
            partitions: None,
            operations,
            types,
            xml_roots,
            xml_namespace: self.xml_namespace(site, traits)?,
        })
    }

    /// The service shapes, in document order (mixin services are not services).
    fn services(&self) -> Result<Vec<(&'a str, Shape<'a>)>> {
        let services: Vec<(&'a str, Shape<'a>)> = self
            .order
            .keys()
            .filter_map(|id| Some((id.as_str(), *self.shapes.get(id.as_str())?)))
            .filter(|(_, shape)| shape.kind == Kind::Service)
            .collect();
        if services.is_empty() {
            let message = "no service shape: a model must define at least one service to generate".to_owned();
            return Err(Error::Schema { file: self.file.to_path_buf(), pointer: "/shapes".into(), message });
        }
        Ok(services)
    }

    fn renames(&self, site: Site<'a>, body: &'a Obj) -> Result<HashMap<&'a str, &'a str>> {
        match lookup(body, "rename") {
            None => Ok(HashMap::new()),
            Some(Value::Object(rename)) => rename
                .iter()
                .map(|(from, to)| match to {
                    Value::String(to) => Ok((from.as_str(), to.as_str())),
                    v => Err(self.bad(site, &format!("`rename` of `{from}`"), "a string", v)),
                })
                .collect(),
            Some(v) => Err(self.bad(site, "`rename`", "an object", v)),
        }
    }

    /// Operations bound to the service directly or through its resources, in
    /// binding order, each once.
    fn operation_ids(&self, id: &'a str, service: Shape<'a>) -> Result<Vec<&'a str>> {
        let mut ops = Vec::new();
        let mut seen = HashSet::new();
        self.bind_ops(Site::shape(id), service.body, "operations", &mut ops, &mut seen)?;
        // Depth-first over (owner, resource) pairs, popped in document order;
        // `visited` guards against resource cycles.
        let mut stack = self.resource_refs(id, service.body)?;
        let mut visited = HashSet::new();
        while let Some((owner, res)) = stack.pop() {
            if !visited.insert(res) {
                continue;
            }
            let shape = self.expect(Site::shape(owner), res, &[Kind::Resource], "a resource")?;
            let site = Site::shape(res);
            for key in ["create", "put", "read", "update", "delete", "list"] {
                if let Some(op) = self.reference(site, shape.body, key)? {
                    self.bind_op(site, op, &mut ops, &mut seen)?;
                }
            }
            for key in ["operations", "collectionOperations"] {
                self.bind_ops(site, shape.body, key, &mut ops, &mut seen)?;
            }
            stack.extend(self.resource_refs(res, shape.body)?);
        }
        Ok(ops)
    }

    /// The `resources` a service or resource binds, reversed for popping off a stack.
    fn resource_refs(&self, owner: &'a str, body: &'a Obj) -> Result<Vec<(&'a str, &'a str)>> {
        let refs = self.references(Site::shape(owner), body, "resources")?;
        Ok(refs.into_iter().rev().map(|r| (owner, r)).collect())
    }

    fn bind_ops(
        &self,
        site: Site<'a>,
        body: &'a Obj,
        key: &str,
        ops: &mut Vec<&'a str>,
        seen: &mut HashSet<&'a str>,
    ) -> Result<()> {
        for op in self.references(site, body, key)? {
            self.bind_op(site, op, ops, seen)?;
        }
        Ok(())
    }

    fn bind_op(&self, site: Site<'a>, op: &'a str, ops: &mut Vec<&'a str>, seen: &mut HashSet<&'a str>) -> Result<()> {
        self.expect(site, op, &[Kind::Operation], "an operation")?;
        if seen.insert(op) {
            ops.push(op);
        }
        Ok(())
    }

    // ------------------------------------------------------------ operations

    fn operation(
        &mut self,
        id: &'a str,
        common_errors: &[String],
        page_defaults: Option<&Paginated>,
    ) -> Result<Operation> {
        let site = Site::shape(id);
        let shape = self.expect(site, id, &[Kind::Operation], "an operation")?;
        let traits = shape.traits;
        let http = self.http(site, traits)?;
        let input = self.io(site, shape.body, "input")?;
        if let (Some(input), Some((_, uri))) = (input, &http) {
            self.uris.entry(input).or_default().push(*uri);
        }
        let output = self.io(site, shape.body, "output")?;
        let mut errors = Vec::new();
        for target in self.references(site, shape.body, "errors")? {
            self.expect(site, target, &[Kind::Structure], "an error structure")?;
            push_new(&mut errors, self.named(target)?);
        }
        for error in common_errors {
            push_new(&mut errors, error.clone());
        }
        self.check_name(site, self.name_of(id))?;
        Ok(Operation {
            name: self.name_of(id).to_owned(),
            names: Names::default(),
            doc: self.doc(site, traits)?.map(str::to_owned),
            http: http.map(|(route, _)| route),
            input: input.map(|i| self.named(i)).transpose()?,
            output: output.map(|o| self.named(o)).transpose()?,
            errors,
            paginated: self.paginated(site, traits, page_defaults)?,
            readonly: traits.has(READONLY),
            idempotent: traits.has(IDEMPOTENT),
            deprecated: self.deprecated(site, traits)?,
            tags: self.tags(site, traits)?,
            examples: self.examples(site, traits)?,
            resources: Vec::new(),
            request: self.request_traits(site, traits)?,
            unwrapped_xml_output: traits.has("aws.customizations#s3UnwrappedXmlOutput"),
            endpoint_params: self.endpoint_params(traits, input),
        })
    }

    /// `httpChecksumRequired`, `requestCompression` and `endpoint` of an operation.
    fn request_traits(&self, site: Site<'a>, traits: Traits<'a>) -> Result<RequestTraits> {
        let mut compression = Vec::new();
        if let Some(obj) = self.obj_trait(site, traits, REQUEST_COMPRESSION)? {
            let what = format!("`{REQUEST_COMPRESSION}` encodings");
            let encodings = lookup(obj, "encodings").and_then(Value::as_array);
            for v in encodings.into_iter().flatten() {
                let Some(encoding) = v.as_str() else { return Err(self.bad(site, &what, "a string", v)) };
                compression.push(encoding.to_owned());
            }
        }
        let host_prefix = match self.obj_trait(site, traits, ENDPOINT)? {
            Some(obj) => Some(self.req_str_prop(site, ENDPOINT, obj, "hostPrefix")?.to_owned()),
            None => None,
        };
        Ok(RequestTraits { checksum_required: traits.has(HTTP_CHECKSUM_REQUIRED), compression, host_prefix })
    }

    /// The endpoint rule parameters an operation sets, in the order they apply.
    fn endpoint_params(&self, traits: Traits<'a>, input: Option<&'a str>) -> Vec<EndpointParam> {
        let entries = |id: &str| traits.get(id).and_then(Value::as_object).into_iter().flatten();
        let mut params = Vec::new();
        for (name, p) in entries("smithy.rules#operationContextParams") {
            if let Some(path) = p.get("path").and_then(Value::as_str) {
                params.push(EndpointParam { name: name.clone(), source: EndpointParamSource::Path(path.to_owned()) });
            }
        }
        let members =
            input.and_then(|i| self.shapes.get(i)).and_then(|s| lookup(s.body, "members")).and_then(Value::as_object);
        for (member, m) in members.into_iter().flatten() {
            let name = m
                .get("traits")
                .and_then(|t| t.get("smithy.rules#contextParam"))
                .and_then(|c| c.get("name"))
                .and_then(Value::as_str);
            if let Some(name) = name {
                params
                    .push(EndpointParam { name: name.to_owned(), source: EndpointParamSource::Member(member.clone()) });
            }
        }
        for (name, p) in entries("smithy.rules#staticContextParams") {
            if let Some(value) = p.get("value") {
                params.push(EndpointParam { name: name.clone(), source: EndpointParamSource::Static(value.clone()) });
            }
        }
        params
    }

    /// The input or output structure; `smithy.api#Unit` (or none) means no body.
    fn io(&self, site: Site<'a>, body: &'a Obj, key: &str) -> Result<Option<&'a str>> {
        match self.reference(site, body, key)? {
            None | Some(UNIT) => Ok(None),
            Some(target) => {
                self.expect(site, target, &[Kind::Structure], &format!("a structure ({key})"))?;
                Ok(Some(target))
            }
        }
    }

    /// The `http` trait, with its URI borrowed for the greedy-label lookup.
    fn http(&self, site: Site<'a>, traits: Traits<'a>) -> Result<Option<(HttpRoute, &'a str)>> {
        let Some(http) = self.obj_trait(site, traits, HTTP)? else {
            return Ok(None);
        };
        let method = self.req_str_prop(site, HTTP, http, "method")?;
        let uri = self.req_str_prop(site, HTTP, http, "uri")?;
        let code = match lookup(http, "code") {
            None => 200,
            Some(v) => self.status(site, &format!("trait `{HTTP}` property `code`"), v)?,
        };
        let route = HttpRoute { method: method.to_owned(), uri: uri.to_owned(), code };
        Ok(Some((route, uri)))
    }

    /// The `paginated` trait, each property falling back to `defaults` (the service's).
    fn paginated(&self, site: Site<'a>, traits: Traits<'a>, defaults: Option<&Paginated>) -> Result<Option<Paginated>> {
        let Some(p) = self.obj_trait(site, traits, PAGINATED)? else {
            return Ok(None);
        };
        let prop = |key, default: Option<&Option<String>>| -> Result<Option<String>> {
            let own = self.str_prop(site, PAGINATED, p, key)?.map(str::to_owned);
            Ok(own.or_else(|| default.cloned().flatten()))
        };
        Ok(Some(Paginated {
            input_token: prop("inputToken", defaults.map(|d| &d.input_token))?,
            output_token: prop("outputToken", defaults.map(|d| &d.output_token))?,
            items: prop("items", defaults.map(|d| &d.items))?,
            page_size: prop("pageSize", defaults.map(|d| &d.page_size))?,
        }))
    }

    fn deprecated(&self, site: Site<'a>, traits: Traits<'a>) -> Result<Option<Deprecated>> {
        let Some(d) = self.obj_trait(site, traits, DEPRECATED)? else {
            return Ok(None);
        };
        Ok(Some(Deprecated {
            message: self.str_prop(site, DEPRECATED, d, "message")?.map(str::to_owned),
            since: self.str_prop(site, DEPRECATED, d, "since")?.map(str::to_owned),
        }))
    }

    fn tags(&self, site: Site<'a>, traits: Traits<'a>) -> Result<Vec<String>> {
        match traits.get(TAGS) {
            None => Ok(Vec::new()),
            Some(Value::Array(tags)) => tags
                .iter()
                .map(|t| match t {
                    Value::String(s) => Ok(s.clone()),
                    v => Err(self.bad(site, &format!("trait `{TAGS}` item"), "a string", v)),
                })
                .collect(),
            Some(v) => Err(self.bad(site, &format!("trait `{TAGS}`"), "an array", v)),
        }
    }

    fn examples(&self, site: Site<'a>, traits: Traits<'a>) -> Result<Vec<Value>> {
        match traits.get(EXAMPLES) {
            None => Ok(Vec::new()),
            Some(Value::Array(examples)) => Ok(examples.clone()),
            Some(v) => Err(self.bad(site, &format!("trait `{EXAMPLES}`"), "an array", v)),
        }
    }

    // ------------------------------------------------------------ named types

    /// The name a shape gets in `Api::types`: the service's rename, else the local name.
    fn name_of(&self, id: &'a str) -> &'a str {
        self.rename.get(id).copied().unwrap_or_else(|| local_name(id))
    }

    /// Registers a named shape (once) and returns its type name.
    fn named(&mut self, id: &'a str) -> Result<String> {
        if let Some(name) = self.names.get(id) {
            return Ok(name.clone());
        }
        let name = if id == UNIT { self.unit_name() } else { self.name_of(id) };
        self.check_name(Site::shape(id), name)?;
        if let Some(other) = self.owners.get(name) {
            let message = format!("its name `{name}` is also the name of `{other}`");
            return Err(self.err(Site::shape(id), message));
        }
        self.owners.insert(name.to_owned(), id);
        self.names.insert(id, name.to_owned());
        self.queue.push(id);
        Ok(name.to_owned())
    }

    /// Union variants without a value target `smithy.api#Unit`, which becomes an
    /// empty structure named `Unit`, or `SmithyUnit` if the model has its own `Unit`.
    fn unit_name(&self) -> &'static str {
        let taken = self.shapes.keys().any(|id| !id.starts_with("smithy.api#") && self.name_of(id) == "Unit");
        if taken {
            "SmithyUnit"
        } else {
            "Unit"
        }
    }

    /// Lowers queued named shapes until none are left (lowering one may queue more).
    fn drain(&mut self) -> Result<BTreeMap<String, TypeDef>> {
        let mut types = BTreeMap::new();
        while let Some(id) = self.queue.pop() {
            let def = self.typedef(id)?;
            types.insert(def.name.clone(), def);
        }
        Ok(types)
    }

    fn typedef(&mut self, id: &'a str) -> Result<TypeDef> {
        let name = self.names.get(id).cloned().unwrap_or_default();
        if id == UNIT {
            let kind = TypeKind::Struct { fields: Vec::new(), required_groups: Vec::new() };
            return Ok(TypeDef {
                name,
                names: Names::default(),
                doc: None,
                kind,
                error: None,
                deprecated: None,
                sensitive: false,
            });
        }
        let site = Site::shape(id);
        let shape = self.expect(
            site,
            id,
            &[Kind::Structure, Kind::Union, Kind::Enum, Kind::IntEnum, Kind::Simple(Prim::String)],
            "a named type",
        )?;
        let kind = match shape.kind {
            Kind::Structure => TypeKind::Struct { fields: self.fields(id, shape)?, required_groups: Vec::new() },
            Kind::Union => TypeKind::Union { variants: self.fields(id, shape)? },
            Kind::Enum => TypeKind::Enum { values: self.enum_values(id, shape)? },
            Kind::IntEnum => TypeKind::IntEnum { values: self.int_enum_values(id, shape)? },
            _ => TypeKind::Enum { values: self.enum_trait_values(site, shape.traits)? },
        };
        Ok(TypeDef {
            name,
            names: Names::default(),
            doc: self.doc(site, shape.traits)?.map(str::to_owned),
            kind,
            error: self.error_info(site, shape.traits)?,
            deprecated: self.deprecated(site, shape.traits)?,
            sensitive: shape.traits.has(SENSITIVE),
        })
    }

    fn error_info(&self, site: Site<'a>, traits: Traits<'a>) -> Result<Option<ErrorInfo>> {
        let Some(fault) = self.str_trait(site, traits, ERROR)? else {
            return Ok(None);
        };
        if fault != "client" && fault != "server" {
            return Err(self.err(site, format!("trait `{ERROR}` must be `client` or `server`, found `{fault}`")));
        }
        let http_status = match traits.get(HTTP_ERROR) {
            None => None,
            Some(v) => Some(self.status(site, &format!("trait `{HTTP_ERROR}`"), v)?),
        };
        let query_code = match self.obj_trait(site, traits, AWS_QUERY_ERROR)? {
            Some(q) => Some(self.req_str_prop(site, AWS_QUERY_ERROR, q, "code")?.to_owned()),
            None => None,
        };
        Ok(Some(ErrorInfo { fault: fault.to_owned(), http_status, query_code }))
    }

    fn enum_values(&self, id: &'a str, shape: Shape<'a>) -> Result<Vec<EnumValue>> {
        let Some(members) = self.members(id, shape)? else {
            return Ok(Vec::new());
        };
        let mut values = Vec::with_capacity(members.len());
        for (name, member) in members {
            let site = Site::member(id, name);
            let traits = self.member_traits(site, member)?;
            self.check_name(site, name)?;
            let value = self.str_trait(site, traits, ENUM_VALUE)?.unwrap_or(name);
            values.push(EnumValue {
                name: name.clone(),
                names: Names::default(),
                value: value.to_owned(),
                doc: self.doc(site, traits)?.map(str::to_owned),
            });
        }
        Ok(values)
    }

    fn int_enum_values(&self, id: &'a str, shape: Shape<'a>) -> Result<Vec<IntEnumValue>> {
        let Some(members) = self.members(id, shape)? else {
            return Ok(Vec::new());
        };
        let mut values = Vec::with_capacity(members.len());
        for (name, member) in members {
            let site = Site::member(id, name);
            self.check_name(site, name)?;
            let traits = self.member_traits(site, member)?;
            let value = match traits.get(ENUM_VALUE) {
                Some(v) => {
                    v.as_i64().ok_or_else(|| self.bad(site, &format!("trait `{ENUM_VALUE}`"), "an integer", v))?
                }
                None => return Err(self.err(site, format!("intEnum member has no `{ENUM_VALUE}`"))),
            };
            values.push(IntEnumValue {
                name: name.clone(),
                names: Names::default(),
                value,
                doc: self.doc(site, traits)?.map(str::to_owned),
            });
        }
        Ok(values)
    }

    /// Values of the Smithy 1.0 `enum` trait on a string shape.
    fn enum_trait_values(&self, site: Site<'a>, traits: Traits<'a>) -> Result<Vec<EnumValue>> {
        let entries = match traits.get(ENUM) {
            Some(Value::Array(entries)) => entries,
            Some(v) => return Err(self.bad(site, &format!("trait `{ENUM}`"), "an array", v)),
            None => return Ok(Vec::new()),
        };
        let mut values = Vec::with_capacity(entries.len());
        for entry in entries {
            let Value::Object(entry) = entry else {
                return Err(self.bad(site, &format!("trait `{ENUM}` item"), "an object", entry));
            };
            let value = self.req_str_prop(site, ENUM, entry, "value")?;
            let name = self.str_prop(site, ENUM, entry, "name")?.unwrap_or(value);
            self.check_name(site, name)?;
            let doc = self.str_prop(site, ENUM, entry, "documentation")?;
            values.push(EnumValue {
                name: name.to_owned(),
                names: Names::default(),
                value: value.to_owned(),
                doc: doc.map(str::to_owned),
            });
        }
        Ok(values)
    }

    // ------------------------------------------------------------ members

    fn fields(&mut self, id: &'a str, shape: Shape<'a>) -> Result<Vec<Field>> {
        let Some(members) = self.members(id, shape)? else {
            return Ok(Vec::new());
        };
        // Sized up front: `collect` over `Result` cannot, and fields are big to move.
        let mut fields = Vec::with_capacity(members.len());
        for (name, member) in members {
            fields.push(self.field(id, name, member)?);
        }
        Ok(fields)
    }

    fn field(&mut self, owner: &'a str, name: &'a str, member: &'a Value) -> Result<Field> {
        let site = Site::member(owner, name);
        self.check_name(site, name)?;
        let traits = self.member_traits(site, member)?;
        let target = self.target_of(site, "member", member)?;
        let Resolved { ty, mut constraints, mut wire, doc } = self.resolve(site, target)?;
        // Member traits come last so they override the target's.
        self.constrain(site, traits, &mut constraints, &mut wire)?;
        wire.json_name = self.str_trait(site, traits, JSON_NAME)?.map(str::to_owned);
        self.xml(site, traits, &mut wire.xml)?;
        wire.binding = self.binding(site, traits)?;
        wire.idempotency_token = traits.has(IDEMPOTENCY_TOKEN);
        wire.client_optional = traits.has(CLIENT_OPTIONAL);
        wire.deprecated = self.deprecated(site, traits)?;
        let mut field = Field {
            name: name.to_owned(),
            doc: self.doc(site, traits)?.or(doc).map(str::to_owned),
            ty,
            constraints,
            required: traits.has(REQUIRED),
            wire,
            ..Field::default()
        };
        field.flags.deprecated = field.wire.deprecated.is_some();
        Ok(field)
    }

    /// The type of a member's target, with the facts the target shape contributes.
    fn resolve(&mut self, site: Site<'a>, target: &'a str) -> Result<Resolved<'a>> {
        if target == UNIT {
            return Ok(Resolved::new(Type::Named(self.named(UNIT)?), None));
        }
        let Some(shape) = self.shapes.get(target).copied() else {
            let Some((prim, default)) = prelude(target) else {
                return Err(self.err(site, format!("targets `{target}`, which {}", self.missing(target))));
            };
            let mut resolved = Resolved::new(Type::Prim(prim), None);
            resolved.constraints.default = default;
            return Ok(resolved);
        };
        let target_site = Site::shape(target);
        let doc = self.doc(target_site, shape.traits)?;
        let mut resolved = match shape.kind {
            Kind::Simple(Prim::String) if shape.traits.has(ENUM) => {
                return Ok(Resolved::new(Type::Named(self.named(target)?), doc))
            }
            Kind::Structure | Kind::Union | Kind::Enum | Kind::IntEnum => {
                return Ok(Resolved::new(Type::Named(self.named(target)?), doc))
            }
            Kind::Simple(prim) => Resolved::new(Type::Prim(prim), doc),
            Kind::List | Kind::Set | Kind::Map => {
                let (ty, items, xml) = self.inline(target, shape)?;
                let mut resolved = Resolved::new(ty, doc);
                resolved.constraints.items = items.filter(|c| !c.is_empty()).map(Box::new);
                resolved.wire.xml.items = Some(Box::new(xml));
                resolved
            }
            Kind::Operation | Kind::Resource | Kind::Service => {
                return Err(self.err(site, format!("targets `{target}`, which is not a data shape")))
            }
        };
        self.constrain(target_site, shape.traits, &mut resolved.constraints, &mut resolved.wire)?;
        resolved.constraints.unique_items = shape.kind == Kind::Set || shape.traits.has(UNIQUE_ITEMS);
        Ok(resolved)
    }

    /// The structural type of a list, set or map shape, and a list's item constraints.
    fn inline(&mut self, id: &'a str, shape: Shape<'a>) -> Result<(Type, Option<Constraints>, XmlItems)> {
        if let Some(start) = self.inlining.iter().position(|s| *s == id) {
            let mut path: Vec<&str> = self.inlining.iter().skip(start).copied().collect();
            path.push(id);
            let message = format!("collection cycle without a named type: {}", path.join(" -> "));
            return Err(self.err(Site::shape(id), message));
        }
        if self.inlining.len() >= MAX_NESTING {
            let message = format!("lists and maps nested more than {MAX_NESTING} deep");
            return Err(self.err(Site::shape(id), message));
        }
        self.inlining.push(id);
        // `sparse`: items (map values) may be null.
        let sparse = shape.traits.has(SPARSE);
        let item = |ty: Type| Box::new(if sparse { Type::Nullable(Box::new(ty)) } else { ty });
        let ty = match shape.kind {
            Kind::Map => self.element(id, shape, "key").and_then(|key| {
                let value = self.element(id, shape, "value")?;
                let xml = XmlItems {
                    member: value.wire.xml,
                    key: key.wire.xml,
                    timestamp_format: value.wire.timestamp_format,
                };
                Ok((Type::Map { key: Box::new(key.ty), value: item(value.ty) }, None, xml))
            }),
            _ => self.element(id, shape, "member").map(|member| {
                let xml = XmlItems {
                    member: member.wire.xml,
                    key: Xml::default(),
                    timestamp_format: member.wire.timestamp_format,
                };
                (Type::List(item(member.ty)), Some(member.constraints), xml)
            }),
        };
        self.inlining.pop();
        ty
    }

    /// The type and constraints of a collection's `member`, `key` or `value`.
    fn element(&mut self, id: &'a str, shape: Shape<'a>, key: &'a str) -> Result<Resolved<'a>> {
        let site = Site::member(id, key);
        let member = lookup(shape.body, key).ok_or_else(|| self.err(Site::shape(id), format!("has no `{key}`")))?;
        let target = self.target_of(site, key, member)?;
        let traits = self.member_traits(site, member)?;
        let mut resolved = self.resolve(site, target)?;
        // Only the XML facts of the item's own traits: its constraints stay the target's, as before.
        if let Some(format) = self.str_trait(site, traits, TIMESTAMP_FORMAT)? {
            resolved.wire.timestamp_format = Some(format.to_owned());
        }
        self.xml(site, traits, &mut resolved.wire.xml)?;
        Ok(resolved)
    }

    /// The XML and Query traits of a member (or of a list's or map's item) into `xml`.
    fn xml(&self, site: Site<'a>, traits: Traits<'a>, xml: &mut Xml) -> Result<()> {
        xml.name = self.str_trait(site, traits, XML_NAME)?.map(str::to_owned);
        xml.ec2_name = self.str_trait(site, traits, EC2_QUERY_NAME)?.map(str::to_owned);
        xml.attribute = traits.has(XML_ATTRIBUTE);
        xml.flattened = traits.has(XML_FLATTENED);
        xml.namespace = self.xml_namespace(site, traits)?;
        Ok(())
    }

    /// `smithy.api#xmlNamespace` of a shape or member.
    fn xml_namespace(&self, site: Site<'a>, traits: Traits<'a>) -> Result<Option<XmlNamespace>> {
        let Some(ns) = self.obj_trait(site, traits, XML_NAMESPACE)? else { return Ok(None) };
        Ok(Some(XmlNamespace {
            uri: self.req_str_prop(site, XML_NAMESPACE, ns, "uri")?.to_owned(),
            prefix: self.str_prop(site, XML_NAMESPACE, ns, "prefix")?.map(str::to_owned),
        }))
    }

    /// Merges constraint and wire traits into `c` and `w`, replacing per trait.
    fn constrain(&self, site: Site<'a>, traits: Traits<'a>, c: &mut Constraints, w: &mut Wire) -> Result<()> {
        if let Some(length) = self.obj_trait(site, traits, LENGTH)? {
            c.min_length = self.u64_prop(site, LENGTH, length, "min")?;
            c.max_length = self.u64_prop(site, LENGTH, length, "max")?;
        }
        if let Some(range) = self.obj_trait(site, traits, RANGE)? {
            let bound = |key| match lookup(range, key) {
                None => Ok(None),
                Some(Value::Number(n)) => Ok(Some(n.clone())),
                Some(v) => Err(self.bad(site, &format!("trait `{RANGE}` property `{key}`"), "a number", v)),
            };
            c.minimum = bound("min")?;
            c.maximum = bound("max")?;
        }
        if let Some(pattern) = self.str_trait(site, traits, PATTERN)? {
            c.pattern = Some(pattern.to_owned());
        }
        // `"default": null` on a member removes the target's default.
        if let Some(default) = traits.get(DEFAULT) {
            c.default = (!default.is_null()).then(|| default.clone());
        }
        if let Some(format) = self.str_trait(site, traits, TIMESTAMP_FORMAT)? {
            w.timestamp_format = Some(format.to_owned());
        }
        if let Some(media_type) = self.str_trait(site, traits, MEDIA_TYPE)? {
            w.media_type = Some(media_type.to_owned());
        }
        w.sensitive |= traits.has(SENSITIVE);
        Ok(())
    }

    /// The HTTP binding trait of a member, if any.
    fn binding(&self, site: Site<'a>, traits: Traits<'a>) -> Result<Option<HttpBinding>> {
        if traits.has(HTTP_LABEL) {
            let name = site.member.unwrap_or_default();
            let uris = self.uris.get(site.shape).map_or(&[][..], Vec::as_slice);
            let greedy = uris.iter().any(|uri| is_greedy(uri, name));
            return Ok(Some(HttpBinding::Label { greedy }));
        }
        let named = [
            (HTTP_QUERY, HttpBinding::Query as MakeBinding),
            (HTTP_HEADER, HttpBinding::Header),
            (HTTP_PREFIX_HEADERS, HttpBinding::PrefixHeaders),
        ];
        for (id, make) in named {
            if let Some(value) = self.str_trait(site, traits, id)? {
                return Ok(Some(make(value.to_owned())));
            }
        }
        let flags = [
            (HTTP_QUERY_PARAMS, HttpBinding::QueryParams),
            (HTTP_PAYLOAD, HttpBinding::Payload),
            (HTTP_RESPONSE_CODE, HttpBinding::ResponseCode),
        ];
        Ok(flags.into_iter().find(|(id, _)| traits.has(id)).map(|(_, b)| b))
    }
}

/// Builds a binding that carries a name (query key, header).
type MakeBinding = fn(String) -> HttpBinding;

/// The service's protocol: the first protocol trait it has, in preference order.
fn protocol(traits: Traits) -> Protocol {
    PROTOCOLS.into_iter().find(|(id, _)| traits.has(id)).map_or(Protocol::None, |(_, p)| p)
}

fn push_new(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use serde_json::json;

    use super::*;

    const SPECS: &str = "/work/shared/specs/smithy";

    fn fixture(name: &str) -> Api {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/smithy").join(name);
        let text = std::fs::read_to_string(&path).expect("fixture exists");
        one(read(&path, &format!("smithy/{name}"), &text).expect("fixture lowers"))
    }

    /// The API of a model with one service.
    fn one(apis: Vec<Api>) -> Api {
        match <[Api; 1]>::try_from(apis) {
            Ok([api]) => api,
            Err(apis) => panic!("expected one API, got {}", apis.len()),
        }
    }

    fn edge() -> Api {
        fixture("edge.json")
    }

    fn fields<'a>(api: &'a Api, ty: &str) -> &'a [Field] {
        match &api.types[ty].kind {
            TypeKind::Struct { fields, .. } => fields,
            TypeKind::Union { variants } => variants,
            other => panic!("{ty} is not a structure or union: {other:?}"),
        }
    }

    fn field<'a>(api: &'a Api, ty: &str, name: &str) -> &'a Field {
        fields(api, ty).iter().find(|f| f.name == name).unwrap_or_else(|| panic!("{ty} has no field {name}"))
    }

    fn prim(p: Prim) -> Type {
        Type::Prim(p)
    }

    fn named(name: &str) -> Type {
        Type::Named(name.into())
    }

    fn list(item: Type) -> Type {
        Type::List(Box::new(item))
    }

    /// A small valid model; `extra` shapes are added or replace the defaults.
    fn model(extra: Value) -> Value {
        let mut doc = json!({
            "smithy": "2.0",
            "shapes": {
                "ex#Svc": { "type": "service", "version": "1", "operations": [{ "target": "ex#Op" }] },
                "ex#Op": {
                    "type": "operation",
                    "input": { "target": "ex#In" },
                    "output": { "target": "smithy.api#Unit" }
                },
                "ex#In": { "type": "structure", "members": {} }
            }
        });
        if let (Some(shapes), Value::Object(extra)) = (doc["shapes"].as_object_mut(), extra) {
            shapes.extend(extra);
        }
        doc
    }

    fn lower_doc(doc: &Value) -> Result<Api> {
        lower(Path::new("test.json"), "test.json", doc).map(one)
    }

    #[test]
    fn xml_traits_of_members_items_structures_and_errors() {
        let api = lower_doc(&model(json!({
            "ex#In": { "type": "structure", "traits": { "smithy.api#xmlName": "Root" }, "members": {
                "Tags": { "target": "ex#Tags", "traits": { "smithy.api#xmlFlattened": {}, "smithy.api#xmlName": "Tag",
                    "aws.protocols#ec2QueryName": "TagSet" } },
                "Id": { "target": "smithy.api#String", "traits": { "smithy.api#xmlAttribute": {},
                    "smithy.api#xmlNamespace": { "uri": "urn:x", "prefix": "x" } } },
                "Map": { "target": "ex#Map" } } },
            "ex#Tags": { "type": "list", "member": { "target": "smithy.api#Timestamp",
                "traits": { "smithy.api#xmlName": "item", "smithy.api#timestampFormat": "epoch-seconds" } } },
            "ex#Map": { "type": "map", "key": { "target": "smithy.api#String", "traits": { "smithy.api#xmlName": "K" } },
                "value": { "target": "smithy.api#String", "traits": { "smithy.api#xmlName": "V" } } },
            "ex#Op": { "type": "operation", "input": { "target": "ex#In" }, "errors": [{ "target": "ex#Bad" }] },
            "ex#Bad": { "type": "structure", "members": {}, "traits": { "smithy.api#error": "client",
                "aws.protocols#awsQueryError": { "code": "BadThing", "httpResponseCode": 400 } } }
        })))
        .expect("the model lowers");
        let tags = &field(&api, "In", "Tags").wire.xml;
        assert_eq!(
            (tags.name.as_deref(), tags.ec2_name.as_deref(), tags.flattened),
            (Some("Tag"), Some("TagSet"), true)
        );
        let items = tags.items.as_deref().expect("list items");
        assert_eq!(
            (items.member.name.as_deref(), items.timestamp_format.as_deref()),
            (Some("item"), Some("epoch-seconds"))
        );
        let id = &field(&api, "In", "Id").wire.xml;
        assert!(id.attribute);
        assert_eq!(id.namespace, Some(XmlNamespace { uri: "urn:x".into(), prefix: Some("x".into()) }));
        let map = field(&api, "In", "Map").wire.xml.items.as_deref().expect("map items");
        assert_eq!((map.key.name.as_deref(), map.member.name.as_deref()), (Some("K"), Some("V")));
        assert_eq!(api.xml_roots["In"].name.as_deref(), Some("Root"));
        assert_eq!(api.types["Bad"].error.as_ref().and_then(|e| e.query_code.as_deref()), Some("BadThing"));
    }

    /// The shape and message of an `Error::Shape`.
    fn shape_error(doc: Value) -> (String, String) {
        match lower_doc(&doc) {
            Err(Error::Shape { shape, message, .. }) => (shape, message),
            other => panic!("expected a shape error, got {other:?}"),
        }
    }

    /// The pointer and message of an `Error::Schema`.
    fn schema_error(doc: Value) -> (String, String) {
        match lower_doc(&doc) {
            Err(Error::Schema { pointer, message, .. }) => (pointer, message),
            other => panic!("expected a schema error, got {other:?}"),
        }
    }

    // ------------------------------------------------------------ fixture: service

    #[test]
    fn endpoint_rules_and_operation_parameters_are_kept() {
        let doc = model(json!({
            "ex#Svc": {
                "type": "service", "version": "1", "operations": [{ "target": "ex#Op" }],
                "traits": { "smithy.rules#endpointRuleSet": {
                    "version": "1.0",
                    "parameters": { "Bucket": { "type": "String", "documentation": "left out" } },
                    "rules": [{ "conditions": [], "type": "endpoint", "documentation": "left out",
                                "endpoint": { "url": "https://x", "properties": { "documentation": "kept" } } }]
                } }
            },
            "ex#Op": {
                "type": "operation",
                "input": { "target": "ex#In" },
                "output": { "target": "smithy.api#Unit" },
                "traits": {
                    "smithy.rules#staticContextParams": { "UseS3ExpressControlEndpoint": { "value": true } },
                    "smithy.rules#operationContextParams": { "Keys": { "path": "Items[*].Key" } }
                }
            },
            "ex#In": { "type": "structure", "members": {
                "Bucket": { "target": "smithy.api#String", "traits": { "smithy.rules#contextParam": { "name": "Bucket" } } }
            } }
        }));
        let api = lower_doc(&doc).expect("reads");
        // The parameters' documentation stays in the model for the pages, out of the crate's rules.
        let bucket = RuleParam { name: "Bucket".into(), built_in: None, default: None, doc: Some("left out".into()) };
        assert_eq!(api.endpoint_rule_params, [bucket]);
        let rules = api.endpoint_rules.expect("rules kept");
        assert!(!rules.contains("left out") && rules.contains("kept"), "{rules}");
        let params = &api.operations["Op"].endpoint_params;
        let sources: Vec<(&str, &EndpointParamSource)> = params.iter().map(|p| (p.name.as_str(), &p.source)).collect();
        assert_eq!(
            sources,
            [
                ("Keys", &EndpointParamSource::Path("Items[*].Key".into())),
                ("Bucket", &EndpointParamSource::Member("Bucket".into())),
                ("UseS3ExpressControlEndpoint", &EndpointParamSource::Static(json!(true))),
            ]
        );
    }

    #[test]
    fn service_facts() {
        let api = edge();
        assert_eq!(api.source, "smithy/edge.json");
        assert_eq!(api.shape_id, "example.edge#Edge");
        assert_eq!(api.version, "2024-01-01");
        assert_eq!(api.sdk_id, "Edge");
        assert_eq!(api.title.as_deref(), Some("Edge Case Service"));
        assert_eq!(api.doc.as_deref(), Some("<p>A service that exercises the reader.</p>"));
        assert_eq!(api.cloudformation_name.as_deref(), Some("EdgeCfn"));
        assert_eq!(api.endpoint_prefix.as_deref(), Some("edge"));
        assert_eq!(api.arn_namespace.as_deref(), Some("edgearn"));
        assert_eq!(api.signing_name.as_deref(), Some("edgesign"));
        assert_eq!(api.protocol, Protocol::RestJson1);
    }

    #[test]
    fn closure_includes_resource_operations_and_excludes_orphans() {
        let api = edge();
        let ops: Vec<&str> = api.operations.keys().map(String::as_str).collect();
        assert_eq!(
            ops,
            ["CountParts", "CreateThing", "DeletePart", "GetThing", "ListThings", "PutObject", "TagThing", "UnitOp"]
        );
        let types: Vec<&str> = api.types.keys().map(String::as_str).collect();
        assert_eq!(
            types,
            [
                "Circle",
                "Color",
                "CountPartsOutput",
                "CreateThingInput",
                "DeletePartInput",
                "GetThingInput",
                "GetThingOutput",
                "ListThingsInput",
                "ListThingsOutput",
                "NotFound",
                "OtherWidget",
                "Priority",
                "PutObjectInput",
                "ServiceError",
                "Shape",
                "TagThingInput",
                "ThingData",
                "ThingKind",
                "ThrottlingError",
                "Unit",
            ]
        );
        assert!(api.operations.values().all(|op| op.resources.is_empty() && op.names == Names::default()));
        assert!(api.types.values().all(|t| t.names == Names::default()));
    }

    #[test]
    fn operations_carry_http_io_and_flags() {
        let api = edge();
        let get = &api.operations["GetThing"];
        assert_eq!(get.name, "GetThing");
        assert_eq!(get.doc.as_deref(), Some("<p>Gets a thing.</p>"));
        let route = HttpRoute { method: "GET".into(), uri: "/things/{ThingId}".into(), code: 200 };
        assert_eq!(get.http.as_ref(), Some(&route));
        assert_eq!(get.input.as_deref(), Some("GetThingInput"));
        assert_eq!(get.output.as_deref(), Some("GetThingOutput"));
        assert!(get.readonly && !get.idempotent);

        let put = &api.operations["PutObject"];
        assert_eq!(put.http.as_ref().map(|h| (h.method.as_str(), h.code)), Some(("PUT", 201)));
        assert_eq!(put.output, None);
        assert!(put.idempotent);

        let unit = &api.operations["UnitOp"];
        assert_eq!((unit.input.as_ref(), unit.output.as_ref(), unit.http.as_ref()), (None, None, None));

        assert_eq!(api.operations["DeletePart"].http.as_ref().map(|h| h.code), Some(204));
        assert!(api.operations["CountParts"].readonly);
    }

    #[test]
    fn common_errors_follow_own_errors_without_duplicates() {
        let api = edge();
        assert_eq!(api.operations["GetThing"].errors, ["NotFound", "ServiceError", "ThrottlingError"]);
        assert_eq!(api.operations["CreateThing"].errors, ["ThrottlingError", "ServiceError"]);
        assert_eq!(api.operations["UnitOp"].errors, ["ServiceError", "ThrottlingError"]);
    }

    #[test]
    fn error_shapes() {
        let api = edge();
        let info = |name: &str| api.types[name].error.clone();
        assert_eq!(
            info("NotFound"),
            Some(ErrorInfo { fault: "client".into(), http_status: Some(404), query_code: None })
        );
        assert_eq!(
            info("ServiceError"),
            Some(ErrorInfo { fault: "server".into(), http_status: None, query_code: None })
        );
        let throttling = &api.types["ThrottlingError"];
        assert_eq!(throttling.error.as_ref().and_then(|e| e.http_status), Some(429));
        assert_eq!(throttling.deprecated, Some(Deprecated::default()));
        assert!(throttling.sensitive);
        assert_eq!(info("ThingData"), None);
    }

    #[test]
    fn paginated_merges_service_defaults() {
        let api = edge();
        let expected = Paginated {
            input_token: Some("nextToken".into()),
            output_token: Some("nextToken".into()),
            items: Some("things".into()),
            page_size: Some("limit".into()),
        };
        assert_eq!(api.operations["ListThings"].paginated, Some(expected));
        assert_eq!(api.operations["GetThing"].paginated, None);
    }

    #[test]
    fn deprecated_tags_and_examples() {
        let api = edge();
        let tag = &api.operations["TagThing"];
        let deprecated = Deprecated { message: Some("Use labels.".into()), since: Some("2023-06-01".into()) };
        assert_eq!(tag.deprecated, Some(deprecated));
        assert_eq!(tag.tags, ["internal", "tagging"]);
        assert_eq!(tag.examples.len(), 1);
        assert_eq!(tag.examples[0]["title"], "Tag a thing");
        assert_eq!(tag.examples[0]["input"]["Tags"]["k"], "v");
    }

    // ------------------------------------------------------------ fixture: members

    #[test]
    fn struct_fields_keep_member_order() {
        let api = edge();
        let names: Vec<&str> = fields(&api, "GetThingInput").iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["ThingId", "Version", "IfMatch"]);
        assert_eq!(fields(&api, "ThingData").first().map(|f| f.name.as_str()), Some("Name"));
        assert_eq!(fields(&api, "ThingData").last().map(|f| f.name.as_str()), Some("Grid"));
    }

    #[test]
    fn prelude_targets() {
        let api = edge();
        let cases = [
            ("Attributes", Prim::Document),
            ("Data", Prim::Blob),
            ("Count", Prim::Integer),
            ("Flag", Prim::Boolean),
            ("Ratio", Prim::BigDecimal),
            ("Big", Prim::BigInteger),
            ("Tiny", Prim::Byte),
            ("Weight", Prim::Float),
            ("Score", Prim::Double),
            ("Old", Prim::String),
        ];
        for (name, p) in cases {
            assert_eq!(field(&api, "ThingData", name).ty, prim(p), "{name}");
        }
        assert_eq!(field(&api, "OtherWidget", "Size").ty, prim(Prim::Short));
        assert_eq!(field(&api, "CountPartsOutput", "Count").ty, prim(Prim::Long));
        // Primitive prelude shapes have a zero default, which a member can remove.
        assert_eq!(field(&api, "ThingData", "Count").constraints.default, Some(json!(0)));
        assert_eq!(field(&api, "ThingData", "Flag").constraints.default, None);
        assert_eq!(field(&api, "ThingData", "Attributes").doc, None);
    }

    #[test]
    fn enums_and_int_enums() {
        let api = edge();
        assert_eq!(field(&api, "ThingData", "Kind").ty, named("ThingKind"));
        let TypeKind::Enum { values } = &api.types["ThingKind"].kind else {
            panic!("ThingKind is not an enum");
        };
        let got: Vec<_> = values.iter().map(|v| (v.name.as_str(), v.value.as_str(), v.doc.as_deref())).collect();
        assert_eq!(got, [("SMALL", "small", Some("Small.")), ("LARGE", "LARGE", None)]);

        let TypeKind::IntEnum { values } = &api.types["Priority"].kind else {
            panic!("Priority is not an intEnum");
        };
        let got: Vec<_> = values.iter().map(|v| (v.name.as_str(), v.value)).collect();
        assert_eq!(got, [("LOW", 1), ("HIGH", 10)]);
    }

    #[test]
    fn legacy_enum_trait_is_an_enum() {
        let api = edge();
        assert_eq!(field(&api, "ThingData", "Color").ty, named("Color"));
        let TypeKind::Enum { values } = &api.types["Color"].kind else {
            panic!("Color is not an enum");
        };
        let got: Vec<_> = values.iter().map(|v| (v.name.as_str(), v.value.as_str(), v.doc.as_deref())).collect();
        assert_eq!(got, [("RED", "red", Some("Warm.")), ("blue", "blue", None)]);
    }

    #[test]
    fn unions_and_unit_variants() {
        let api = edge();
        assert_eq!(field(&api, "ThingData", "Shape").ty, named("Shape"));
        let variants: Vec<_> = fields(&api, "Shape").iter().map(|f| (f.name.as_str(), f.ty.clone())).collect();
        assert_eq!(variants, [("circle", named("Circle")), ("square", prim(Prim::Double)), ("empty", named("Unit"))]);
        let unit = &api.types["Unit"];
        assert!(matches!(&unit.kind, TypeKind::Struct { fields, .. } if fields.is_empty()));
        assert!(field(&api, "Circle", "radius").required);
    }

    #[test]
    fn timestamps_with_format() {
        let api = edge();
        let created = field(&api, "ThingData", "CreatedAt");
        assert_eq!(created.ty, prim(Prim::Timestamp));
        assert_eq!(created.wire.timestamp_format.as_deref(), Some("epoch-seconds"));
        assert_eq!(created.doc.as_deref(), Some("Seconds since 1970."));
        let updated = field(&api, "ThingData", "UpdatedAt");
        assert_eq!(updated.wire.timestamp_format.as_deref(), Some("date-time"));
        assert_eq!(created.wire.media_type, None);
    }

    #[test]
    fn blobs() {
        let api = edge();
        let body = field(&api, "PutObjectInput", "Body");
        assert_eq!(body.ty, prim(Prim::Blob));
        assert_eq!(body.doc.as_deref(), Some("Raw bytes."));
        assert_eq!(body.wire.binding, Some(HttpBinding::Payload));
    }

    #[test]
    fn maps_lists_and_nesting() {
        let api = edge();
        let tags = field(&api, "ThingData", "Tags");
        let string_map = Type::Map { key: Box::new(prim(Prim::String)), value: Box::new(prim(Prim::String)) };
        assert_eq!(tags.ty, string_map);
        assert_eq!((tags.constraints.min_length, tags.constraints.max_length), (None, Some(50)));

        let row = Type::Map { key: Box::new(named("ThingKind")), value: Box::new(list(named("ThingData"))) };
        assert_eq!(field(&api, "ThingData", "Grid").ty, list(row));
    }

    #[test]
    fn recursion_through_named_types() {
        let api = edge();
        let children = field(&api, "ThingData", "Children");
        assert_eq!(children.ty, list(named("ThingData")));
        assert_eq!((children.constraints.min_length, children.constraints.max_length), (Some(0), Some(50)));
        assert_eq!(field(&api, "ListThingsOutput", "things").ty, list(named("ThingData")));
    }

    #[test]
    fn sets_and_unique_items() {
        let api = edge();
        let labels = field(&api, "ThingData", "Labels");
        assert_eq!(labels.ty, list(named("ThingKind")));
        assert!(labels.constraints.unique_items);
        assert!(!field(&api, "ThingData", "Children").constraints.unique_items);

        let v1 = fixture("v1.json");
        let ids = field(&v1, "DescribeRequest", "Ids");
        assert_eq!(ids.ty, list(prim(Prim::String)));
        assert!(ids.constraints.unique_items);
        assert_eq!(ids.constraints.min_length, Some(1));
    }

    #[test]
    fn constraints_merge_with_member_traits_winning() {
        let api = edge();
        let data_name = field(&api, "ThingData", "Name");
        assert!(data_name.required);
        assert_eq!(data_name.doc.as_deref(), Some("The name."));
        assert_eq!((data_name.constraints.min_length, data_name.constraints.max_length), (Some(1), Some(64)));
        assert_eq!(data_name.constraints.pattern.as_deref(), Some("^[a-z]+$"));
        assert_eq!(data_name.constraints.default, Some(json!("unnamed")));

        // The member's `length` replaces the target's whole trait.
        let create_name = field(&api, "CreateThingInput", "Name");
        assert_eq!((create_name.constraints.min_length, create_name.constraints.max_length), (Some(3), None));
        assert_eq!(create_name.constraints.pattern.as_deref(), Some("^[a-z]+$"));
        assert_eq!(create_name.wire.json_name.as_deref(), Some("name"));

        let size = field(&api, "ThingData", "Size");
        assert_eq!(size.ty, prim(Prim::Long));
        assert_eq!(size.constraints.minimum, None);
        assert_eq!(size.constraints.maximum.as_ref().and_then(|n| n.as_f64()), Some(10.5));
        let limit = field(&api, "ListThingsInput", "limit");
        assert_eq!(limit.constraints.minimum.as_ref().and_then(|n| n.as_u64()), Some(1));
        assert_eq!(limit.constraints.maximum.as_ref().and_then(|n| n.as_u64()), Some(100));
    }

    #[test]
    fn sensitive_client_optional_and_deprecated_members() {
        let api = edge();
        let secret = field(&api, "ThingData", "Secret");
        assert!(secret.wire.sensitive && secret.wire.client_optional);
        assert!(!field(&api, "ThingData", "Old").wire.sensitive);
        let old = field(&api, "ThingData", "Old");
        assert_eq!(old.wire.deprecated, Some(Deprecated { message: Some("Gone.".into()), since: None }));
        assert!(old.flags.deprecated);
    }

    #[test]
    fn json_names() {
        let api = edge();
        assert_eq!(field(&api, "CreateThingInput", "Name").wire.json_name.as_deref(), Some("name"));
        assert_eq!(field(&api, "CreateThingInput", "ClientToken").wire.json_name, None);
    }

    #[test]
    fn http_bindings() {
        let api = edge();
        let binding = |ty: &str, name: &str| field(&api, ty, name).wire.binding.clone();
        assert_eq!(binding("GetThingInput", "ThingId"), Some(HttpBinding::Label { greedy: false }));
        assert_eq!(binding("GetThingInput", "Version"), Some(HttpBinding::Query("version".into())));
        assert_eq!(binding("GetThingInput", "IfMatch"), Some(HttpBinding::Header("If-Match".into())));
        assert_eq!(binding("GetThingOutput", "Thing"), Some(HttpBinding::Payload));
        assert_eq!(binding("GetThingOutput", "Status"), Some(HttpBinding::ResponseCode));
        assert_eq!(binding("GetThingOutput", "Meta"), Some(HttpBinding::PrefixHeaders("x-meta-".into())));
        assert_eq!(binding("PutObjectInput", "Params"), Some(HttpBinding::QueryParams));
        assert_eq!(binding("PutObjectInput", "Token"), Some(HttpBinding::Header("X-Token".into())));
        assert_eq!(binding("ThingData", "Name"), None);

        let id = field(&api, "GetThingInput", "ThingId");
        assert!(id.required);
        assert_eq!(id.doc.as_deref(), Some("<p>The thing's id.</p>"));
        assert_eq!(id.constraints.pattern.as_deref(), Some("^t-[0-9]+$"));
        assert!(field(&api, "PutObjectInput", "Token").wire.idempotency_token);
    }

    #[test]
    fn greedy_labels() {
        let api = edge();
        let label = |name: &str| field(&api, "PutObjectInput", name).wire.binding.clone();
        assert_eq!(label("Key"), Some(HttpBinding::Label { greedy: true }));
        assert_eq!(label("Bucket"), Some(HttpBinding::Label { greedy: false }));
        assert!(is_greedy("/a/{Key+}?x=1", "Key"));
        assert!(!is_greedy("/a/{Key}", "Key"));
        assert!(!is_greedy("/a/{OtherKey+}", "Key"));
    }

    #[test]
    fn service_rename() {
        let api = edge();
        assert_eq!(field(&api, "CountPartsOutput", "Widget").ty, named("OtherWidget"));
        let widget = &api.types["OtherWidget"];
        assert_eq!(widget.name, "OtherWidget");
        assert_eq!(widget.doc.as_deref(), Some("A widget from another namespace."));
        assert!(!api.types.contains_key("Widget"));
    }

    #[test]
    fn smithy_1_0_models() {
        let api = fixture("v1.json");
        assert_eq!(api.protocol, Protocol::AwsJson1_1);
        assert_eq!(api.sdk_id, "Legacy", "falls back to the service name");
        assert_eq!(api.signing_name.as_deref(), Some("legacy"));
        assert_eq!(api.cloudformation_name, None);
        let ping = &api.operations["Ping"];
        assert_eq!((ping.input.as_ref(), ping.output.as_ref()), (None, None));
        assert_eq!(field(&api, "DescribeRequest", "Limit").constraints.default, Some(json!(0)));
        assert_eq!(field(&api, "DescribeResult", "Count").ty, prim(Prim::Integer));
        let TypeKind::Enum { values } = &api.types["Mode"].kind else {
            panic!("Mode is not an enum");
        };
        let got: Vec<_> = values.iter().map(|v| (v.name.as_str(), v.value.as_str())).collect();
        assert_eq!(got, [("FAST", "fast"), ("SLOW", "slow")]);
    }

    // ------------------------------------------------------------ bad inputs

    #[test]
    fn unknown_target_names_shape_member_and_target() {
        let doc = model(json!({
            "ex#In": { "type": "structure", "members": { "Foo": { "target": "ex#Missing" } } }
        }));
        let (shape, message) = shape_error(doc);
        assert_eq!(shape, "ex#In");
        assert!(message.contains("`Foo`") && message.contains("ex#Missing"), "{message}");
    }

    #[test]
    fn unknown_prelude_name_is_not_defined() {
        let doc = model(json!({
            "ex#In": { "type": "structure", "members": { "N": { "target": "smithy.api#Number" } } }
        }));
        let (shape, message) = shape_error(doc);
        assert_eq!(shape, "ex#In");
        assert!(message.contains("smithy.api#Number"), "{message}");
    }

    #[test]
    fn unknown_shape_type() {
        let (shape, message) = shape_error(model(json!({ "ex#Weird": { "type": "widget" } })));
        assert_eq!(shape, "ex#Weird");
        assert!(message.contains("`widget`"), "{message}");
    }

    #[test]
    fn wrong_top_level_type() {
        let (pointer, message) = schema_error(json!([1, 2]));
        // The root, shown as the CloudFormation reader shows it.
        assert_eq!(pointer, "/");
        assert!(message.contains("an array"), "{message}");
    }

    #[test]
    fn missing_or_bad_envelope() {
        assert_eq!(schema_error(json!({ "smithy": "2.0" })).0, "/shapes");
        assert_eq!(schema_error(json!({ "smithy": "2.0", "shapes": [] })).0, "/shapes");
        assert_eq!(schema_error(json!({ "shapes": {} })).0, "/smithy");
        let (pointer, message) = schema_error(json!({ "smithy": "3.0", "shapes": {} }));
        assert_eq!(pointer, "/smithy");
        assert!(message.contains("3.0"), "{message}");
        assert_eq!(schema_error(json!({ "smithy": 2, "shapes": {} })).0, "/smithy");
    }

    #[test]
    fn accepts_every_ast_version_spelling() {
        for version in ["2.0", "2", "1.0", "1"] {
            let mut doc = model(json!({}));
            doc["smithy"] = json!(version);
            assert_eq!(lower_doc(&doc).map(|api| api.operations.len()).ok(), Some(1), "{version}");
        }
    }

    #[test]
    fn invalid_json_reports_position() {
        match read(Path::new("bad.json"), "bad.json", "{\n  \"smithy\": }") {
            Err(Error::Json { line, .. }) => assert_eq!(line, 2),
            other => panic!("expected a JSON error, got {other:?}"),
        }
    }

    #[test]
    fn a_model_without_services_is_an_error_at_shapes() {
        let err = lower(Path::new("none.json"), "none.json", &json!({ "smithy": "2.0", "shapes": {} }));
        let Err(err) = err else { panic!("expected an error") };
        let line = err.to_string();
        assert!(line.starts_with("none.json: at /shapes: no service shape"), "{line}");
        // A mixin service is not a service.
        let doc = json!({ "smithy": "2.0", "shapes": {
            "ex#Base": { "type": "service", "version": "1", "traits": { "smithy.api#mixin": {} } }
        } });
        assert_eq!(schema_error(doc).0, "/shapes");
    }

    #[test]
    fn each_service_of_a_model_is_an_api_over_its_own_closure() {
        let doc = model(json!({
            "ex#Other": {
                "type": "service",
                "version": "2",
                "operations": [{ "target": "ex#Op" }, { "target": "ex#Solo" }],
                "rename": { "ex#In": "OtherIn" }
            },
            "ex#Solo": { "type": "operation", "output": { "target": "ex#SoloOut" } },
            "ex#SoloOut": { "type": "structure", "members": {} }
        }));
        let apis = lower(Path::new("two.json"), "smithy/two.json", &doc).expect("lowers");
        let ids: Vec<&str> = apis.iter().map(|a| a.shape_id.as_str()).collect();
        assert_eq!(ids, ["ex#Svc", "ex#Other"]);
        assert!(apis.iter().all(|a| a.source == "smithy/two.json"));
        let ops = |api: &Api| api.operations.keys().cloned().collect::<Vec<_>>();
        let types = |api: &Api| api.types.keys().cloned().collect::<Vec<_>>();
        assert_eq!((ops(&apis[0]), types(&apis[0])), (vec!["Op".to_owned()], vec!["In".to_owned()]));
        // The shared input gets the second service's name for it, not the first's.
        assert_eq!(ops(&apis[1]), ["Op", "Solo"]);
        assert_eq!(types(&apis[1]), ["OtherIn", "SoloOut"]);
    }

    #[test]
    fn mixins_are_resolved_before_lowering_and_never_become_types() {
        let doc = model(json!({
            "ex#In": {
                "type": "structure",
                "mixins": [{ "target": "ex#Paged" }],
                "members": { "Own": { "target": "smithy.api#String" } },
                "traits": { "smithy.api#documentation": "Own docs." }
            },
            "ex#Paged": {
                "type": "structure",
                "members": { "NextToken": { "target": "ex#Token", "traits": { "smithy.api#httpQuery": "next" } } },
                "traits": { "smithy.api#mixin": {}, "smithy.api#documentation": "Mixin docs.", "smithy.api#sensitive": {} }
            },
            "ex#Token": { "type": "string", "mixins": [{ "target": "ex#Bounded" }] },
            "ex#Bounded": { "type": "string", "traits": { "smithy.api#mixin": {}, "smithy.api#length": { "max": 9 } } }
        }));
        let api = lower_doc(&doc).expect("lowers");
        let names: Vec<&str> = fields(&api, "In").iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["NextToken", "Own"]);
        let token = field(&api, "In", "NextToken");
        assert_eq!(token.wire.binding, Some(HttpBinding::Query("next".into())));
        assert_eq!(token.constraints.max_length, Some(9));
        let input = &api.types["In"];
        assert_eq!(input.doc.as_deref(), Some("Own docs."));
        assert!(input.sensitive, "inherited from the mixin");
        assert!(!api.types.contains_key("Paged"));

        let (shape, message) = shape_error(model(json!({
            "ex#In": { "type": "structure", "members": { "P": { "target": "ex#Paged" } } },
            "ex#Paged": { "type": "structure", "traits": { "smithy.api#mixin": {} } }
        })));
        assert_eq!(shape, "ex#In");
        assert!(message.contains("`ex#Paged`, which is a mixin"), "{message}");
    }

    #[test]
    fn name_collision_names_both_shapes_and_rename_resolves_it() {
        let shapes = json!({
            "ex#In": {
                "type": "structure",
                "members": { "A": { "target": "ex#Thing" }, "B": { "target": "other#Thing" } }
            },
            "ex#Thing": { "type": "structure", "members": {} },
            "other#Thing": { "type": "union", "members": { "x": { "target": "smithy.api#String" } } }
        });
        let (shape, message) = shape_error(model(shapes.clone()));
        assert_eq!(shape, "other#Thing");
        assert!(message.contains("ex#Thing") && message.contains("`Thing`"), "{message}");

        let mut doc = model(shapes);
        doc["shapes"]["ex#Svc"]["rename"] = json!({ "other#Thing": "OtherThing" });
        let api = lower_doc(&doc).expect("rename resolves the collision");
        assert_eq!(field(&api, "In", "B").ty, named("OtherThing"));
        assert!(matches!(api.types["OtherThing"].kind, TypeKind::Union { .. }));
    }

    #[test]
    fn unit_type_name_avoids_a_model_unit_shape() {
        let doc = model(json!({
            "ex#In": {
                "type": "structure",
                "members": { "U": { "target": "ex#Unit" }, "C": { "target": "ex#Choice" } }
            },
            "ex#Unit": { "type": "enum", "members": { "S": { "target": "smithy.api#Unit" } } },
            "ex#Choice": { "type": "union", "members": { "none": { "target": "smithy.api#Unit" } } }
        }));
        let api = lower_doc(&doc).expect("lowers");
        assert_eq!(field(&api, "Choice", "none").ty, named("SmithyUnit"));
        assert!(matches!(api.types["Unit"].kind, TypeKind::Enum { .. }));
        assert!(matches!(api.types["SmithyUnit"].kind, TypeKind::Struct { .. }));
    }

    #[test]
    fn sparse_collections_have_nullable_items() {
        let doc = model(json!({
            "ex#In": { "type": "structure", "members": {
                "Sparse": { "target": "ex#SparseList" }, "Dense": { "target": "ex#DenseList" },
                "SparseMap": { "target": "ex#SparseMap" } } },
            "ex#SparseList": { "type": "list", "member": { "target": "smithy.api#String" },
                "traits": { "smithy.api#sparse": {} } },
            "ex#DenseList": { "type": "list", "member": { "target": "smithy.api#String" } },
            "ex#SparseMap": { "type": "map", "key": { "target": "smithy.api#String" },
                "value": { "target": "ex#DenseList" }, "traits": { "smithy.api#sparse": {} } }
        }));
        let api = lower_doc(&doc).expect("lowers");
        let nullable = |t: Type| Type::Nullable(Box::new(t));
        assert_eq!(field(&api, "In", "Sparse").ty, list(nullable(prim(Prim::String))));
        assert_eq!(field(&api, "In", "Dense").ty, list(prim(Prim::String)));
        let map = Type::Map { key: Box::new(prim(Prim::String)), value: Box::new(nullable(list(prim(Prim::String)))) };
        assert_eq!(field(&api, "In", "SparseMap").ty, map);
    }

    #[test]
    fn request_traits_of_operations() {
        let doc = model(json!({
            "ex#Svc": { "type": "service", "version": "1", "operations": [{ "target": "ex#Put" }, { "target": "ex#Get" }] },
            "ex#Put": { "type": "operation", "traits": {
                "smithy.api#httpChecksumRequired": {},
                "smithy.api#requestCompression": { "encodings": ["gzip"] },
                "smithy.api#endpoint": { "hostPrefix": "{Name}.data." } } },
            "ex#Get": { "type": "operation" }
        }));
        let api = lower_doc(&doc).expect("lowers");
        let put = &api.operations["Put"].request;
        assert!(put.checksum_required);
        assert_eq!(put.compression, ["gzip"]);
        assert_eq!(put.host_prefix.as_deref(), Some("{Name}.data."));
        assert_eq!(api.operations["Get"].request, RequestTraits::default());
    }

    #[test]
    fn collection_cycle_without_named_type() {
        let doc = model(json!({
            "ex#In": { "type": "structure", "members": { "L": { "target": "ex#L" } } },
            "ex#L": { "type": "list", "member": { "target": "ex#M" } },
            "ex#M": { "type": "map", "key": { "target": "smithy.api#String" }, "value": { "target": "ex#L" } }
        }));
        let (shape, message) = shape_error(doc);
        assert_eq!(shape, "ex#L");
        assert!(message.contains("ex#L -> ex#M -> ex#L"), "{message}");
    }

    #[test]
    fn ill_typed_traits_are_shape_errors() {
        let (shape, message) = shape_error(model(json!({
            "ex#Op": {
                "type": "operation",
                "input": { "target": "ex#In" },
                "traits": { "smithy.api#http": { "method": "GET" } }
            }
        })));
        assert_eq!(shape, "ex#Op");
        assert!(message.contains("uri"), "{message}");

        let (shape, message) = shape_error(model(json!({
            "ex#In": { "type": "structure", "members": { "S": { "target": "ex#S" } } },
            "ex#S": { "type": "string", "traits": { "smithy.api#length": { "min": "one" } } }
        })));
        assert_eq!(shape, "ex#S");
        assert!(message.contains("min") && message.contains("a string"), "{message}");

        let (shape, message) = shape_error(model(json!({
            "ex#In": {
                "type": "structure",
                "members": { "S": { "target": "smithy.api#String", "traits": { "smithy.api#jsonName": 3 } } }
            }
        })));
        assert_eq!(shape, "ex#In");
        assert!(message.contains("`S`") && message.contains("jsonName"), "{message}");

        let (shape, message) = shape_error(model(json!({
            "ex#Op": {
                "type": "operation",
                "traits": { "smithy.api#http": { "method": "GET", "uri": "/", "code": 70000 } }
            }
        })));
        assert_eq!(shape, "ex#Op");
        assert!(message.contains("code"), "{message}");

        let (shape, _) = shape_error(model(json!({
            "ex#In": { "type": "structure", "members": { "P": { "target": "ex#P" } } },
            "ex#P": { "type": "intEnum", "members": { "A": { "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": "a" } } } }
        })));
        assert_eq!(shape, "ex#P");
    }

    #[test]
    fn references_must_have_the_right_kind() {
        let (shape, message) = shape_error(model(json!({
            "ex#In": { "type": "structure", "members": { "O": { "target": "ex#Op" } } }
        })));
        assert_eq!(shape, "ex#In");
        assert!(message.contains("not a data shape"), "{message}");

        let (shape, message) = shape_error(model(json!({
            "ex#Op": { "type": "operation", "input": { "target": "smithy.api#String" } }
        })));
        assert_eq!(shape, "ex#Op");
        assert!(message.contains("smithy.api#String"), "{message}");

        let mut doc = model(json!({}));
        doc["shapes"]["ex#Svc"]["operations"] = json!([{ "target": "ex#Gone" }]);
        let (shape, message) = shape_error(doc);
        assert_eq!(shape, "ex#Svc");
        assert!(message.contains("ex#Gone"), "{message}");
    }

    #[test]
    fn malformed_shapes_are_errors() {
        let (shape, _) = shape_error(model(json!({ "ex#Bad": [] })));
        assert_eq!(shape, "ex#Bad");
        let (shape, message) = shape_error(model(json!({ "ex#Bad": { "members": {} } })));
        assert_eq!(shape, "ex#Bad");
        assert!(message.contains("type"), "{message}");
        let (shape, _) = shape_error(model(json!({ "ex#In": { "type": "structure", "members": [] } })));
        assert_eq!(shape, "ex#In");
        let (shape, message) = shape_error(model(json!({
            "ex#In": { "type": "structure", "members": { "X": { "traits": {} } } }
        })));
        assert_eq!(shape, "ex#In");
        assert!(message.contains("target"), "{message}");
    }

    // ------------------------------------------------------------ real models

    #[test]
    fn apigatewayv2() {
        let path = Path::new(SPECS).join("apigatewayv2.json");
        let Ok(text) = std::fs::read_to_string(&path) else {
            println!("skipped: {} not found", path.display());
            return;
        };
        let api = one(read(&path, "smithy/apigatewayv2.json", &text).expect("apigatewayv2 lowers"));
        assert_eq!(api.operations.len(), 103);
        assert_eq!(api.protocol, Protocol::RestJson1);
        assert_eq!(api.signing_name.as_deref(), Some("apigateway"));
        assert_eq!(api.cloudformation_name.as_deref(), Some("ApiGatewayV2"));

        let op = &api.operations["CreateRouteResponse"];
        let route = HttpRoute {
            method: "POST".into(),
            uri: "/v2/apis/{ApiId}/routes/{RouteId}/routeresponses".into(),
            code: 201,
        };
        assert_eq!(op.http.as_ref(), Some(&route));
        let input = op.input.as_deref().expect("has input");
        let api_id = field(&api, input, "ApiId");
        assert_eq!(api_id.wire.binding, Some(HttpBinding::Label { greedy: false }));
        assert!(api_id.required);
        let key = field(&api, input, "RouteResponseKey");
        assert_eq!(key.wire.json_name.as_deref(), Some("routeResponseKey"));
    }

    /// Lowers every model in the shared spec corpus and reports the outcome.
    #[test]
    #[ignore = "reads the 148 MB shared corpus; run with --ignored --release"]
    fn corpus() {
        let Ok(dir) = std::fs::read_dir(SPECS) else {
            println!("skipped: {SPECS} not found");
            return;
        };
        let mut paths: Vec<_> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.retain(|p| p.extension().is_some_and(|e| e == "json"));
        paths.sort();
        let (mut ok, mut failed, mut ops, mut types) = (0, 0, 0, 0);
        let mut parse_time = std::time::Duration::ZERO;
        let mut lower_time = std::time::Duration::ZERO;
        for path in &paths {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let start = std::time::Instant::now();
            let doc = crate::read::json::parse(path, &text);
            parse_time += start.elapsed();
            let start = std::time::Instant::now();
            let api = doc
                .as_ref()
                .map_err(|e| e.to_string())
                .and_then(|doc| lower(path, "x", doc).map_err(|e| e.to_string()));
            lower_time += start.elapsed();
            // Dropped outside the timing: freeing the parsed tree costs as much again.
            drop(doc);
            match api {
                Ok(apis) => {
                    ok += 1;
                    ops += apis.iter().map(|a| a.operations.len()).sum::<usize>();
                    types += apis.iter().map(|a| a.types.len()).sum::<usize>();
                }
                Err(e) => {
                    failed += 1;
                    println!("FAILED {e}");
                }
            }
        }
        println!(
            "{} models: {ok} lowered, {failed} failed; {ops} operations, {types} types; \
             parse {parse_time:?}, lower {lower_time:?}",
            paths.len()
        );
        assert_eq!(failed, 0);
    }
}
