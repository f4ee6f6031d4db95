//! The intermediate model that every reader lowers into and every emitter reads.
//!
//! Readers fill in the source facts; the passes in [`crate::passes`] then compute
//! names and links. Emitters never look at the input JSON again. Maps are
//! `BTreeMap`s so that every walk over the model is in a stable order, and
//! `Vec`s keep the order of the input where it matters (CloudFormation
//! properties are listed in schema order).

use std::collections::BTreeMap;

use serde_json::{Number, Value};

/// Every spec that was read, grouped by service.
#[derive(Debug, Clone)]
pub struct Model {
    /// Services keyed by their id (`apigatewayv2`).
    pub services: BTreeMap<String, Service>,
    /// The StackQL provider the SQL names live in: the first part of every resource
    /// id (`aws.apigatewayv2.routes`), the provider folder and the docs folder.
    pub provider: String,
    /// Where the generated crates find the runtime, relative to a crate's folder (the repository's
    /// `runtime/` as seen from the output root, `generate --out`, so that they build in place), and
    /// the repository they name.
    pub crates: crate::emit::rust::CrateSettings,
}

/// The provider name unless `generate --provider` says otherwise: the one StackQL's
/// docs pages for these resources use (`aws.apigatewayv2.route_responses`).
pub const DEFAULT_PROVIDER: &str = "aws";

impl Default for Model {
    fn default() -> Self {
        Model {
            services: BTreeMap::new(),
            provider: DEFAULT_PROVIDER.to_string(),
            crates: crate::emit::rust::CrateSettings::default(),
        }
    }
}

/// One AWS service: its API (from Smithy) and its resource types (from CloudFormation).
#[derive(Debug, Clone, Default)]
pub struct Service {
    /// Lower-case id used in paths and SQL names: `apigatewayv2`.
    pub id: String,
    /// Display name: the CloudFormation service segment (`ApiGatewayV2`) or the Smithy sdkId.
    pub title: String,
    pub api: Option<Api>,
    /// Resource types keyed by CloudFormation type name.
    pub resources: BTreeMap<String, Resource>,
}

/// Names computed once by the naming pass; emitters only read them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    /// `route_response_id`
    pub snake: String,
    /// `RouteResponseId`
    pub pascal: String,
    /// The snake name as a Rust identifier (`r#type` for a keyword).
    pub rust: String,
    /// The snake name as a SQL identifier (double-quoted for a reserved word).
    pub sql: String,
}

// ---------------------------------------------------------------- types

/// A type as a field sees it. Structures, enums and unions are named and live in a
/// type table; lists and maps are structural.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    Prim(Prim),
    List(Box<Type>),
    /// Keys are strings in both inputs; the key type is kept for Smithy maps whose
    /// key shape is an enum.
    Map {
        key: Box<Type>,
        value: Box<Type>,
    },
    /// A named type in the owning table (`Api::types` or `Resource::types`).
    Named(String),
    /// An item of a sparse list or a value of a sparse map (Smithy `sparse`): the type, or null.
    Nullable(Box<Type>),
    /// A value that may be any of several types (CloudFormation `"type": [..]`, `oneOf`).
    OneOf(Vec<Type>),
}

/// Scalar and free-form types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Prim {
    String,
    Boolean,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    /// CloudFormation `number`: any JSON number.
    Number,
    Timestamp,
    Blob,
    /// Free-form JSON value (Smithy `document`; CloudFormation object without a shape).
    Document,
}

impl Prim {
    /// The lower-case name used in docs.
    pub fn name(self) -> &'static str {
        match self {
            Prim::String => "string",
            Prim::Boolean => "boolean",
            Prim::Byte => "byte",
            Prim::Short => "short",
            Prim::Integer => "integer",
            Prim::Long => "long",
            Prim::Float => "float",
            Prim::Double => "double",
            Prim::BigInteger => "bigInteger",
            Prim::BigDecimal => "bigDecimal",
            Prim::Number => "number",
            Prim::Timestamp => "timestamp",
            Prim::Blob => "blob",
            Prim::Document => "json",
        }
    }
}

/// Value constraints from either input (Smithy traits or JSON Schema keywords).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// String length, list item count or map entry count.
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
    pub minimum: Option<Number>,
    pub maximum: Option<Number>,
    /// Allowed values of an inline enum (CloudFormation `enum`).
    pub allowed: Vec<Value>,
    pub default: Option<Value>,
    /// Pattern that map keys must match (CloudFormation `patternProperties`).
    pub key_pattern: Option<String>,
    pub unique_items: bool,
    /// CloudFormation `insertionOrder`: whether list order is significant.
    pub insertion_order: Option<bool>,
    /// `format` (date-time, uri, ...), kept for docs.
    pub format: Option<String>,
    /// Constraints on each item of a list (Smithy: the traits of the member's target).
    pub items: Option<Box<Constraints>>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// A structure member or resource property.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Field {
    /// The name in the spec (`RouteResponseKey`).
    pub name: String,
    pub names: Names,
    pub doc: Option<String>,
    pub ty: Type,
    pub constraints: Constraints,
    pub required: bool,
    pub flags: FieldFlags,
    /// CloudFormation `relationshipRef`s: resource types this value points at.
    pub relationships: Vec<Relationship>,
    /// Smithy-only facts.
    pub wire: Wire,
    /// The API operation whose input gave this property its type, where the
    /// resource schema left it open (set by the enrich pass).
    pub type_from: Option<String>,
}

impl Type {
    /// Adds the named types this type refers to, through lists, maps and alternatives.
    pub fn named_in(&self, out: &mut std::collections::BTreeSet<String>) {
        match self {
            Type::Named(n) => {
                out.insert(n.clone());
            }
            Type::List(item) | Type::Nullable(item) => item.named_in(out),
            Type::Map { key, value } => {
                key.named_in(out);
                value.named_in(out);
            }
            Type::OneOf(alts) => alts.iter().for_each(|t| t.named_in(out)),
            Type::Prim(_) => {}
        }
    }
}

impl Default for Type {
    fn default() -> Self {
        Type::Prim(Prim::Document)
    }
}

/// Lifecycle flags of a CloudFormation property.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FieldFlags {
    pub read_only: bool,
    pub create_only: bool,
    pub conditional_create_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
}

/// A `relationshipRef`: this property holds a value of another resource's property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relationship {
    pub type_name: String,
    pub property_path: String,
}

/// How a Smithy member travels on the wire.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Wire {
    pub json_name: Option<String>,
    pub binding: Option<HttpBinding>,
    pub timestamp_format: Option<String>,
    /// Smithy `mediaType` of a string or blob (a payload's `Content-Type`; a string header with
    /// one is base64-encoded).
    pub media_type: Option<String>,
    pub sensitive: bool,
    pub idempotency_token: bool,
    /// `clientOptional`: required on the server, optional in clients.
    pub client_optional: bool,
    pub deprecated: Option<Deprecated>,
    /// The member's type holds its own structure again without a list or map between (set by
    /// the normalise pass): a Rust client boxes it.
    pub boxed: bool,
    /// Names and placement in XML and Query bodies.
    pub xml: Xml,
}

/// How a member sits in the XML and Query protocols (Smithy `xmlName`, `xmlAttribute`,
/// `xmlFlattened`, `xmlNamespace`, `ec2QueryName`), with the names its list or map gives its items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Xml {
    /// `xmlName` of the member (or of the collection item this describes).
    pub name: Option<String>,
    /// `aws.protocols#ec2QueryName`.
    pub ec2_name: Option<String>,
    pub attribute: bool,
    pub flattened: bool,
    pub namespace: Option<XmlNamespace>,
    /// The names inside the member's list or map, which the model inlines into [`Type`].
    pub items: Option<Box<XmlItems>>,
}

/// The item names of a list (`member`) or map (`key`, `value`), each with its own nested items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct XmlItems {
    /// A list's `member`, or a map's `value`.
    pub member: Xml,
    /// A map's `key`.
    pub key: Xml,
    /// `timestampFormat` of a timestamp item (list member or map value).
    pub timestamp_format: Option<String>,
}

/// `smithy.api#xmlNamespace`: a URI and an optional prefix.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XmlNamespace {
    pub uri: String,
    pub prefix: Option<String>,
}

/// Where a member goes in an HTTP message (Smithy HTTP binding traits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpBinding {
    Label { greedy: bool },
    Query(String),
    QueryParams,
    Header(String),
    PrefixHeaders(String),
    Payload,
    ResponseCode,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deprecated {
    pub message: Option<String>,
    pub since: Option<String>,
}

/// A named type: a structure, enum or union, or an alias for a structural type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Name in its table: a Smithy shape name or a CloudFormation definition name.
    pub name: String,
    pub names: Names,
    pub doc: Option<String>,
    pub kind: TypeKind,
    /// Smithy `error` trait: `client` or `server`, with the `httpError` code.
    pub error: Option<ErrorInfo>,
    pub deprecated: Option<Deprecated>,
    pub sensitive: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct {
        fields: Vec<Field>,
        /// CloudFormation `oneOf`/`anyOf` of `required` sets: exactly one / at least one
        /// of these groups must be present.
        required_groups: Vec<RequiredGroup>,
    },
    Union {
        variants: Vec<Field>,
    },
    Enum {
        values: Vec<EnumValue>,
    },
    IntEnum {
        values: Vec<IntEnumValue>,
    },
    /// A definition that is not a structure (a map, a list, a constrained scalar).
    Alias {
        ty: Type,
        // Boxed: most definitions are structures, and this keeps `TypeKind` small.
        constraints: Box<Constraints>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiredGroup {
    /// `true` for `oneOf` (exactly one), `false` for `anyOf` (at least one).
    pub exclusive: bool,
    pub alternatives: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    pub name: String,
    pub names: Names,
    pub value: String,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntEnumValue {
    pub name: String,
    pub names: Names,
    pub value: i64,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorInfo {
    /// `client` or `server`.
    pub fault: String,
    pub http_status: Option<u16>,
    /// `aws.protocols#awsQueryError` `code`: the error code awsQuery responses name it by.
    pub query_code: Option<String>,
}

// ---------------------------------------------------------------- Smithy API

/// A service API read from a Smithy model.
#[derive(Debug, Clone, Default)]
pub struct Api {
    /// Spec file, relative to the spec directory.
    pub source: String,
    /// `com.amazonaws.apigatewayv2#ApiGatewayV2`
    pub shape_id: String,
    pub version: String,
    pub sdk_id: String,
    pub title: Option<String>,
    pub doc: Option<String>,
    /// `aws.api#service` `cloudFormationName`, used to join with resource types.
    pub cloudformation_name: Option<String>,
    pub endpoint_prefix: Option<String>,
    pub arn_namespace: Option<String>,
    /// SigV4 signing name.
    pub signing_name: Option<String>,
    pub protocol: Protocol,
    /// `aws.protocols#awsQueryCompatible`: a JSON service that moved from awsQuery, whose error
    /// responses also carry the old Query error code (`x-amzn-query-error`).
    pub query_compatible: bool,
    /// `smithy.rules#endpointRuleSet` as compact JSON: the generated crate embeds it and the
    /// runtime's rules engine resolves endpoints with it.
    pub endpoint_rules: Option<String>,
    /// The parameters of `endpoint_rules` in declared order, with the documentation the compact
    /// rules leave out: what the operation pages list.
    pub endpoint_rule_params: Vec<RuleParam>,
    /// `botocore/partitions.json` of the spec directory without region descriptions, compact
    /// JSON (the data of the rules' `aws.partition`); `None` when the directory has none.
    pub partitions: Option<String>,
    pub operations: BTreeMap<String, Operation>,
    /// Named shapes reachable from the service, by shape name.
    pub types: BTreeMap<String, TypeDef>,
    /// `xmlName` and `xmlNamespace` of the structures that have them, by type name: the root
    /// element of an XML body or payload of that structure.
    pub xml_roots: BTreeMap<String, Xml>,
    /// `xmlNamespace` of the service: on the root element of every XML request body.
    pub xml_namespace: Option<XmlNamespace>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Protocol {
    RestJson1,
    AwsJson1_0,
    AwsJson1_1,
    RestXml,
    AwsQuery,
    Ec2Query,
    /// No protocol trait on the service.
    #[default]
    None,
}

impl Protocol {
    pub fn name(&self) -> &'static str {
        match self {
            Protocol::RestJson1 => "restJson1",
            Protocol::AwsJson1_0 => "awsJson1_0",
            Protocol::AwsJson1_1 => "awsJson1_1",
            Protocol::RestXml => "restXml",
            Protocol::AwsQuery => "awsQuery",
            Protocol::Ec2Query => "ec2Query",
            Protocol::None => "none",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Operation {
    pub name: String,
    pub names: Names,
    pub doc: Option<String>,
    pub http: Option<HttpRoute>,
    /// Input and output structure names in `Api::types`.
    pub input: Option<String>,
    pub output: Option<String>,
    pub errors: Vec<String>,
    pub paginated: Option<Paginated>,
    pub readonly: bool,
    pub idempotent: bool,
    pub deprecated: Option<Deprecated>,
    pub tags: Vec<String>,
    /// The `examples` trait, kept as written.
    pub examples: Vec<Value>,
    /// Resource types this operation acts on (filled by the link pass).
    pub resources: Vec<String>,
    /// Traits that change how the request is sent.
    pub request: RequestTraits,
    /// Endpoint rule parameters this operation sets, in the order they apply (a later one of the
    /// same name wins): `operationContextParams`, `contextParam` members, `staticContextParams`.
    pub endpoint_params: Vec<EndpointParam>,
    /// `aws.customizations#s3UnwrappedXmlOutput`: the XML response's root element is the
    /// output's one member, not the output.
    pub unwrapped_xml_output: bool,
}

/// Smithy traits of an operation that change how its request is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestTraits {
    /// `httpChecksumRequired`: the body's MD5 goes in a `Content-MD5` header.
    pub checksum_required: bool,
    /// `requestCompression`: the encodings the service takes, in order of preference (`gzip`).
    pub compression: Vec<String>,
    /// `endpoint`'s `hostPrefix` (`{Name}.data.`), whose labels are input members with `hostLabel`.
    pub host_prefix: Option<String>,
}

/// A parameter of a service's endpoint rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleParam {
    /// `Region`, `UseFIPS`, `Bucket`.
    pub name: String,
    /// `builtIn`: `AWS::Region`, `SDK::Endpoint`, ...
    pub built_in: Option<String>,
    pub default: Option<Value>,
    pub doc: Option<String>,
}

/// An endpoint rule parameter an operation sets on each call.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointParam {
    /// The rule set's parameter name (`Bucket`).
    pub name: String,
    pub source: EndpointParamSource,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EndpointParamSource {
    /// `staticContextParams`: always this value.
    Static(Value),
    /// `contextParam` on an input member: the member's value (spec name of the member).
    Member(String),
    /// `operationContextParams`: a JMESPath-subset path into the input.
    Path(String),
}

/// The Smithy `http` trait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRoute {
    pub method: String,
    /// The URI pattern as written: `/v2/apis/{ApiId}/routes`.
    pub uri: String,
    pub code: u16,
}

/// The Smithy `paginated` trait, merged with the service's defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paginated {
    pub input_token: Option<String>,
    pub output_token: Option<String>,
    pub items: Option<String>,
    pub page_size: Option<String>,
}

// ---------------------------------------------------------------- resources

/// A CloudFormation resource type.
#[derive(Debug, Clone, Default)]
pub struct Resource {
    /// `AWS::ApiGatewayV2::RouteResponse`
    pub type_name: String,
    /// Spec file, relative to the spec directory.
    pub source: String,
    pub names: ResourceNames,
    pub doc: Option<String>,
    /// Properties in schema order.
    pub fields: Vec<Field>,
    pub required_groups: Vec<RequiredGroup>,
    /// Definitions by name.
    pub types: BTreeMap<String, TypeDef>,
    /// Each part is a property path (`["ApiId"]`, or nested: `["Schedule", "ScheduleId"]`).
    pub primary_identifier: Vec<Vec<String>>,
    pub additional_identifiers: Vec<Vec<Vec<String>>>,
    /// Nested lifecycle paths (`/properties/A/B`) that the top-level flags cannot carry.
    pub nested_flags: Vec<(String, &'static str)>,
    pub handlers: Handlers,
    pub tagging: Option<Tagging>,
    pub documentation_url: Option<String>,
    pub source_url: Option<String>,
    /// Smithy operations acting on this resource (filled by the link pass).
    pub operations: Vec<OperationLink>,
    /// How StackQL reaches this resource type (filled by the SQL pass).
    pub sql: SqlTable,
}

impl Resource {
    /// The field at the top level with this spec name.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResourceNames {
    /// `RouteResponse`
    pub title: String,
    /// `route_response`
    pub singular: String,
    /// `route_responses`: the SQL resource name and the page slug.
    pub plural: String,
    /// `aws.apigatewayv2.route_responses`
    pub id: String,
    /// The plural this resource would have had, where another resource's id
    /// starting with it made the naming pass lengthen it (see `naming::unshadow`).
    pub renamed_from: Option<String>,
}

/// The CloudFormation handlers this resource type has.
#[derive(Debug, Clone, Default)]
pub struct Handlers {
    pub create: Option<Handler>,
    pub read: Option<Handler>,
    pub update: Option<Handler>,
    pub delete: Option<Handler>,
    pub list: Option<Handler>,
}

impl Handlers {
    /// Present handlers in lifecycle order, with their names.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Handler)> {
        [
            ("create", &self.create),
            ("read", &self.read),
            ("update", &self.update),
            ("delete", &self.delete),
            ("list", &self.list),
        ]
        .into_iter()
        .filter_map(|(name, h)| h.as_ref().map(|h| (name, h)))
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&'static str, &mut Handler)> {
        [
            ("create", &mut self.create),
            ("read", &mut self.read),
            ("update", &mut self.update),
            ("delete", &mut self.delete),
            ("list", &mut self.list),
        ]
        .into_iter()
        .filter_map(|(name, h)| h.as_mut().map(|h| (name, h)))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Handler {
    pub permissions: Vec<String>,
    pub timeout_minutes: Option<u64>,
    /// `list.handlerSchema`: properties the list call takes, in schema order.
    pub params: Vec<HandlerParam>,
    /// `list.handlerSchema` `oneOf`/`anyOf` of `required` sets.
    pub param_groups: Vec<RequiredGroup>,
}

#[derive(Debug, Clone, Default)]
pub struct HandlerParam {
    pub name: String,
    pub names: Names,
    pub required: bool,
    pub ty: Type,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tagging {
    pub taggable: bool,
    pub tag_on_create: Option<bool>,
    pub tag_updatable: Option<bool>,
    pub cloudformation_system_tags: Option<bool>,
    /// `/properties/Tags`
    pub tag_property: Option<String>,
    pub permissions: Vec<String>,
}

/// A Smithy operation that acts on a resource, with the lifecycle verb it serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationLink {
    pub verb: Verb,
    pub operation: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verb {
    Create,
    Read,
    Update,
    Delete,
    List,
}

impl Verb {
    pub fn name(self) -> &'static str {
        match self {
            Verb::Create => "create",
            Verb::Read => "read",
            Verb::Update => "update",
            Verb::Delete => "delete",
            Verb::List => "list",
        }
    }
}

// ---------------------------------------------------------------- SQL

/// How StackQL reaches a resource type: the SQL methods, each with the parameters
/// the engine matches, computed once by [`crate::passes::sql`] and read by the
/// provider, the docs pages and the SQL examples alike.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SqlTable {
    /// In the order a page lists them: select (get, list), insert, update, delete.
    pub methods: Vec<SqlMethod>,
    /// The properties a list call needs in Cloud Control's `ResourceModel` (the parent).
    pub parents: Vec<SqlParent>,
    /// Where `parents` comes from.
    pub parents_from: Option<ParentSource>,
}

impl SqlTable {
    pub fn method(&self, kind: SqlMethodKind) -> Option<&SqlMethod> {
        self.methods.iter().find(|m| m.kind == kind)
    }
}

/// The five things StackQL can do with a Cloud Control resource type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SqlMethodKind {
    Get,
    List,
    Create,
    Update,
    Delete,
}

impl SqlMethodKind {
    /// The method's name in the provider (`get_resource`).
    pub fn name(self) -> &'static str {
        match self {
            SqlMethodKind::Get => "get_resource",
            SqlMethodKind::List => "list_resources",
            SqlMethodKind::Create => "create_resource",
            SqlMethodKind::Update => "update_resource",
            SqlMethodKind::Delete => "delete_resource",
        }
    }

    /// The Cloud Control operation it calls.
    pub fn operation(self) -> &'static str {
        match self {
            SqlMethodKind::Get => "GetResource",
            SqlMethodKind::List => "ListResources",
            SqlMethodKind::Create => "CreateResource",
            SqlMethodKind::Update => "UpdateResource",
            SqlMethodKind::Delete => "DeleteResource",
        }
    }

    /// The SQL statement that reaches it.
    pub fn verb(self) -> SqlVerb {
        match self {
            SqlMethodKind::Get | SqlMethodKind::List => SqlVerb::Select,
            SqlMethodKind::Create => SqlVerb::Insert,
            SqlMethodKind::Update => SqlVerb::Update,
            SqlMethodKind::Delete => SqlVerb::Delete,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SqlVerb {
    Select,
    Insert,
    Update,
    Delete,
}

impl SqlVerb {
    /// As written in SQL.
    pub fn keyword(self) -> &'static str {
        match self {
            SqlVerb::Select => "SELECT",
            SqlVerb::Insert => "INSERT",
            SqlVerb::Update => "UPDATE",
            SqlVerb::Delete => "DELETE",
        }
    }

    /// The key under `sqlVerbs` in a provider document.
    pub fn key(self) -> &'static str {
        match self {
            SqlVerb::Select => "select",
            SqlVerb::Insert => "insert",
            SqlVerb::Update => "update",
            SqlVerb::Delete => "delete",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlMethod {
    pub kind: SqlMethodKind,
    /// What a statement must name, spelled exactly as the engine matches it
    /// (case-sensitive), in the order a page lists them.
    pub required: Vec<SqlParam>,
    /// What a statement may name besides.
    pub optional: Vec<SqlParam>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlParam {
    /// As the engine matches it: `Identifier`, `RouteKey`, `region`.
    pub name: String,
    /// As written in a statement: double-quoted where StackQL's parser reserves the word.
    pub sql: String,
    pub kind: SqlParamKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlParamKind {
    /// The server variable every Cloud Control call takes.
    Region,
    /// A member of the Cloud Control request (`Identifier`, `PatchDocument`, `ResourceModel`).
    Request,
    /// A resource property, sent inside `DesiredState` (insert).
    Property,
}

/// A property a list call needs, and its column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlParent {
    /// The property name (`ApiId`): a key of `ResourceModel`.
    pub name: String,
    /// Its column (`api_id`).
    pub column: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParentSource {
    /// The resource schema's `handlers.list.handlerSchema`.
    HandlerSchema,
    /// The path labels of the service API's list operation (the schema names none).
    Operation(String),
}

/// How far alias chains are followed. Readers reject alias cycles; this only bounds the walk.
pub const ALIAS_DEPTH: usize = 8;

/// `ty` with aliases in `types` followed to what they stand for.
pub fn resolve_alias<'t>(types: &'t BTreeMap<String, TypeDef>, ty: &'t Type) -> &'t Type {
    let mut ty = ty;
    for _ in 0..ALIAS_DEPTH {
        match ty {
            Type::Named(n) => match types.get(n).map(|d| &d.kind) {
                Some(TypeKind::Alias { ty: inner, .. }) => ty = inner,
                _ => break,
            },
            _ => break,
        }
    }
    ty
}
