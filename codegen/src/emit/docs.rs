//! Docs pages (Docusaurus MDX): one page per resource type and one index per
//! service. This module turns the model into small view structs of finished,
//! escaped strings; the askama templates only lay them out.

use std::collections::BTreeMap;

use askama::Template;

use crate::emit::columns::{columns, Source};
use crate::emit::examples;
use crate::emit::mdx::{self, Slugger};
use crate::emit::rust::snippets::Snippets;
use crate::emit::{Outputs, MARKER};
use crate::error::{Error, Result};
use crate::model::{
    resolve_alias, Constraints, Field, ParentSource, Resource, Service, SqlMethodKind, Type, TypeDef, TypeKind, Verb,
    ALIAS_DEPTH,
};
use crate::passes::sql::RESOURCE_MODEL;

/// Where generated pages go, below the output root. Hand-written site files live
/// elsewhere in `docs-site/`, so regeneration never touches them.
pub const DOCS_ROOT: &str = "docs-site/docs";

/// The service's index page and one page per resource type (none for a service
/// with no resource types).
pub fn emit(service: &Service, provider: &str, snippets: Option<&Snippets>, out: &mut Outputs) -> Result<()> {
    if service.resources.is_empty() {
        return Ok(());
    }
    let dir = format!("{DOCS_ROOT}/{provider}/{}", service.id);
    out.insert(format!("{dir}/index.mdx"), render("docs/service.mdx", &service_page(service, provider))?);
    for resource in service.resources.values() {
        let page = resource_page(service, provider, resource, snippets);
        out.insert(format!("{dir}/{}.mdx", resource.names.plural), render("docs/resource.mdx", &page)?);
    }
    Ok(())
}

pub(crate) fn render(template: &'static str, t: &impl Template) -> Result<String> {
    t.render().map_err(|error| Error::Template { template, error })
}

// ---------------------------------------------------------------- views

#[derive(Template)]
#[template(path = "docs/resource.mdx", escape = "none")]
struct ResourcePage {
    marker: &'static str,
    source: String,
    title: String,
    keywords: Vec<String>,
    description: String,
    lead: String,
    overview: Vec<(&'static str, String)>,
    fields: Vec<FieldRow>,
    nested: Vec<NestedType>,
    nested_flags: Vec<String>,
    methods: Vec<MethodRow>,
    identifier: String,
    identifier_parts: Vec<(String, String)>,
    additional_identifiers: Vec<String>,
    select_list: Option<String>,
    select_get: Option<String>,
    list_note: Option<String>,
    insert_required: Option<String>,
    insert_all: Option<String>,
    manifest: Option<String>,
    required_groups: Vec<String>,
    update: Option<String>,
    update_note: Option<String>,
    delete: Option<String>,
    permissions: Vec<(String, String)>,
    policy: Option<String>,
    operations: Vec<OperationRow>,
    rust: RustTabs,
    inputs: String,
    outputs: String,
}

/// Rust snippets for the resource's lifecycle, by verb (empty where there is none).
#[derive(Default)]
struct RustTabs {
    prelude: String,
    create: Option<String>,
    read: Option<String>,
    list: Option<String>,
    update: Option<String>,
    delete: Option<String>,
}

pub(crate) struct FieldRow {
    pub name: String,
    pub ty: String,
    pub attrs: String,
    pub doc: String,
}

pub(crate) struct NestedType {
    pub name: String,
    pub doc: String,
    pub fields: Vec<FieldRow>,
}

struct MethodRow {
    name: &'static str,
    verb: &'static str,
    params: String,
}

struct OperationRow {
    verb: &'static str,
    name: String,
    http: String,
    doc: String,
}

#[derive(Template)]
#[template(path = "docs/service.mdx", escape = "none")]
struct ServicePage {
    marker: &'static str,
    sources: String,
    /// The page's title: the service's name as AWS writes it.
    heading: String,
    /// The service id, as the sidebar and the SQL names show it.
    title: String,
    id: String,
    description: String,
    api: Vec<(&'static str, String)>,
    resources: Vec<ServiceRow>,
}

struct ServiceRow {
    name: String,
    link: String,
    type_name: String,
    summary: String,
    verbs: String,
}

// ---------------------------------------------------------------- resource page

fn resource_page(service: &Service, provider: &str, r: &Resource, snippets: Option<&Snippets>) -> ResourcePage {
    let h = &r.handlers;
    let mut slugger = Slugger::default();
    for heading in ["Overview", "Fields", "Nested types"] {
        slugger.slug(heading);
    }
    let nested_names = reachable_structs(r);
    let anchors: BTreeMap<String, String> = nested_names.iter().map(|n| (n.clone(), slugger.slug(n))).collect();
    let types = TypeNames { types: &r.types, anchors: &anchors, page: "" };

    // One row per view column: the Fields table and the SQL views list the same columns.
    let fields: Vec<FieldRow> = columns(r)
        .iter()
        .map(|c| match c.source {
            Source::Property(f) => field_row(&types, f, mdx::attr(c.name), &lifecycle(f)),
            Source::Region => FieldRow {
                name: mdx::attr(c.name),
                ty: mdx::code("string"),
                attrs: String::new(),
                doc: "The AWS region of the resource: every query names it.".into(),
            },
            Source::Identifier => FieldRow {
                name: mdx::attr(c.name),
                ty: mdx::code("string"),
                attrs: String::new(),
                doc: format!(
                    "The identifier Cloud Control uses for the resource, {}; see Identifier below.",
                    mdx::code(&examples::identifier_placeholder(r))
                ),
            },
        })
        .collect();

    let (nested_attrs, unplaced_flags) = nested_flags(r, &types);
    let nested = nested_names
        .iter()
        .filter_map(|name| {
            let def = r.types.get(name)?;
            let TypeKind::Struct { fields, required_groups } = &def.kind else { return None };
            let mut doc = def.doc.as_deref().map(mdx::markdown).unwrap_or_default();
            for g in required_groups {
                push_line(&mut doc, &required_group_text(g));
            }
            let rows = fields
                .iter()
                .map(|f| {
                    let extra = nested_attrs.get(&(name.clone(), f.name.clone())).map_or(&[][..], Vec::as_slice);
                    // Nested values are JSON: their keys keep the spec's spelling.
                    field_row(&types, f, mdx::text(&f.name), extra)
                })
                .collect();
            Some(NestedType { name: name.clone(), doc, fields: rows })
        })
        .collect();

    let creatable: Vec<&Field> = examples::creatable(r).collect();
    let identifier = examples::identifier_placeholder(r);

    // One row per method of the SQL method table, with the names the engine matches.
    let methods: Vec<MethodRow> = r
        .sql
        .methods
        .iter()
        .map(|m| MethodRow {
            name: m.kind.name(),
            verb: m.kind.verb().keyword(),
            params: mdx::attr(&m.required.iter().map(|p| p.sql.as_str()).collect::<Vec<_>>().join(", ")),
        })
        .collect();

    let list_note = (!r.sql.parents.is_empty()).then(|| {
        let names: Vec<String> = r.sql.parents.iter().map(|p| mdx::code(&p.name)).collect();
        let from = match &r.sql.parents_from {
            Some(ParentSource::Operation(op)) => format!(
                "the resource schema names no list parameters, but the service API's {} takes them in its path",
                mdx::code(op)
            ),
            _ => "the resource schema's list handler requires them".to_string(),
        };
        format!(
            "Cloud Control lists these resources per parent: a list names {} in {} ({from}), as in {}. \
             Filtering on a column instead only filters what a region-wide list returned, which Cloud Control refuses for this type.",
            join_words(&names),
            mdx::code(RESOURCE_MODEL),
            mdx::code(&examples::resource_model_placeholder(r)),
        )
    });

    let update = h.update.as_ref().and_then(|_| examples::update(r));
    let update_note = match (&h.update, &update) {
        (Some(_), None) => {
            Some("Every property is read-only or create-only: to change one, replace the resource.".to_string())
        }
        (None, _) if h.create.is_some() => Some(
            "This resource type cannot be updated in place: to change it, delete it and create it again.".to_string(),
        ),
        _ => None,
    };

    let permissions: Vec<(String, String)> = h
        .iter()
        .map(|(name, handler)| {
            let perms = if handler.permissions.is_empty() {
                "none".to_string()
            } else {
                handler.permissions.iter().map(|p| mdx::code(p)).collect::<Vec<_>>().join("<br/>")
            };
            (capitalise(name), perms)
        })
        .collect();

    ResourcePage {
        marker: MARKER,
        source: r.source.clone(),
        title: r.names.plural.clone(),
        keywords: vec![
            r.names.plural.clone(),
            service.id.clone(),
            provider.into(),
            "sql".into(),
            "cloud control".into(),
        ],
        description: yaml_string(&format!("Query, create, update and delete {} resources with SQL.", r.type_name)),
        lead: lead(r),
        overview: overview(service, r),
        fields,
        nested,
        nested_flags: unplaced_flags,
        methods,
        identifier: mdx::text(&identifier),
        identifier_parts: r
            .primary_identifier
            .iter()
            .map(|path| {
                let column =
                    path.first().and_then(|p| r.field(p)).map_or_else(String::new, |f| mdx::text(&f.names.snake));
                (mdx::text(&path.join(".")), column)
            })
            .collect(),
        additional_identifiers: r
            .additional_identifiers
            .iter()
            .map(|ids| ids.iter().map(|p| mdx::code(&p.join("."))).collect::<Vec<_>>().join(" + "))
            .collect(),
        select_list: r.sql.method(SqlMethodKind::List).map(|_| examples::select_list(r)),
        select_get: r.sql.method(SqlMethodKind::Get).map(|_| examples::select_get(r)),
        list_note,
        insert_required: r
            .sql
            .method(SqlMethodKind::Create)
            .map(|_| examples::insert(r, &examples::insert_params(r, false))),
        insert_all: r.sql.method(SqlMethodKind::Create).map(|_| examples::insert(r, &examples::insert_params(r, true))),
        manifest: r.sql.method(SqlMethodKind::Create).map(|_| examples::manifest(r, provider)),
        required_groups: r.required_groups.iter().map(required_group_text).collect(),
        update,
        update_note,
        delete: examples::delete(r),
        permissions,
        policy: policy(r),
        operations: operation_rows(service, r),
        rust: rust_tabs(service, r, snippets),
        inputs: join_words(&creatable.iter().map(|f| io_name(f)).collect::<Vec<_>>()),
        outputs: join_words(
            &r.fields.iter().filter(|f| f.flags.read_only).map(|f| mdx::code(&f.names.snake)).collect::<Vec<_>>(),
        ),
    }
}

/// A property in the inputs list: required ones in bold.
fn io_name(f: &Field) -> String {
    if f.required {
        format!("<b>{}</b>", mdx::code(&f.names.snake))
    } else {
        mdx::code(&f.names.snake)
    }
}

/// The client calls behind each lifecycle verb, with only the required inputs.
fn rust_tabs(service: &Service, r: &Resource, snippets: Option<&Snippets>) -> RustTabs {
    let (Some(api), Some(snippets)) = (&service.api, snippets) else { return RustTabs::default() };
    let call = |verb: Verb| {
        let link = r.operations.iter().find(|l| l.verb == verb)?;
        Some(snippets.call(api.operations.get(&link.operation)?, false))
    };
    RustTabs {
        prelude: snippets.prelude(),
        create: call(Verb::Create),
        read: call(Verb::Read),
        list: call(Verb::List),
        update: call(Verb::Update),
        delete: call(Verb::Delete),
    }
}

fn lead(r: &Resource) -> String {
    let h = &r.handlers;
    let one = mdx::code(&r.names.singular);
    let many = mdx::code(&r.names.plural);
    let mut verbs: Vec<&str> = Vec::new();
    for (present, verb) in [
        (h.create.is_some(), "creates"),
        (h.update.is_some(), "updates"),
        (h.delete.is_some(), "deletes"),
        (h.read.is_some(), "gets"),
    ] {
        if present {
            verbs.push(verb);
        }
    }
    let mut s = String::new();
    if !verbs.is_empty() {
        s = format!(
            "{} a {one} resource",
            capitalise(&join_words(&verbs.iter().map(|v| v.to_string()).collect::<Vec<_>>()))
        );
    }
    if h.list.is_some() {
        s = if s.is_empty() { format!("Lists {many} in a region") } else { format!("{s} or lists {many} in a region") };
    }
    if s.is_empty() {
        s = format!("Describes the {one} resource type; it has no handlers, so it cannot be queried");
    }
    format!("{s}.")
}

fn overview(service: &Service, r: &Resource) -> Vec<(&'static str, String)> {
    let mut rows = vec![
        ("Name", mdx::code(&r.names.plural)),
        ("Type", "Resource".to_string()),
        ("CloudFormation type", mdx::code(&r.type_name)),
        ("Description", r.doc.as_deref().map(mdx::markdown).unwrap_or_default()),
        ("Id", format!("<CopyableCode code=\"{}\" />", mdx::attr(&r.names.id))),
        ("Identifier", mdx::code(&examples::identifier_placeholder(r))),
    ];
    if let Some(plain) = &r.names.renamed_from {
        let longer: Vec<String> = service
            .resources
            .values()
            .filter(|o| o.type_name != r.type_name && o.names.plural.starts_with(plain.as_str()))
            .map(|o| mdx::code(&o.names.plural))
            .collect();
        rows.push((
            "Name note",
            format!(
                "Named {} rather than {}: StackQL finds a resource's views by name prefix, so a query of {} could run the views of {}.",
                mdx::code(&r.names.plural),
                mdx::code(plain),
                mdx::code(plain),
                join_words(&longer)
            ),
        ));
    }
    if let Some(t) = &r.tagging {
        let text = if t.taggable {
            match &t.tag_property {
                Some(p) => format!("Taggable, through {}", mdx::code(p.trim_start_matches("/properties/"))),
                None => "Taggable".into(),
            }
        } else {
            "Not taggable".into()
        };
        rows.push(("Tags", text));
    }
    if let Some(url) = &r.documentation_url {
        rows.push(("Documentation", format!("<a href=\"{}\">{}</a>", mdx::attr(url), mdx::text(url))));
    }
    let link = |o: &Resource| format!("[{}]({}.mdx)", o.names.plural, o.names.plural);
    if let Some(parent) = parent(service, r) {
        rows.push(("Parent", link(parent)));
    }
    let children: Vec<String> = service
        .resources
        .values()
        .filter(|c| parent(service, c).is_some_and(|p| p.type_name == r.type_name))
        .map(link)
        .collect();
    if !children.is_empty() {
        rows.push(("Children", children.join(", ")));
    }
    rows.push(("Spec", mdx::code(&r.source)));
    rows
}

/// The resource whose identifier is the longest proper prefix of this one's
/// (`apis` for `routes`, `routes` for `route_responses`).
fn parent<'s>(service: &'s Service, r: &Resource) -> Option<&'s Resource> {
    let names =
        |x: &Resource| -> Vec<String> { x.primary_identifier.iter().filter_map(|p| p.last().cloned()).collect() };
    let own = names(r);
    service
        .resources
        .values()
        .filter(|o| o.type_name != r.type_name)
        .map(|o| (names(o), o))
        .filter(|(n, _)| !n.is_empty() && n.len() < own.len() && own.starts_with(n))
        .max_by_key(|(n, _)| n.len())
        .map(|(_, o)| o)
}

/// The lifecycle attributes of a top-level property.
fn lifecycle(f: &Field) -> Vec<&'static str> {
    let fl = &f.flags;
    [
        (fl.read_only, "read-only"),
        (fl.create_only, "create-only"),
        (fl.conditional_create_only, "conditional create-only"),
        (fl.write_only, "write-only"),
        (fl.deprecated, "deprecated"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect()
}

/// Lifecycle flags on nested paths (`/properties/A/B`), placed on the nested type's
/// row for `B`; paths that lead nowhere are returned as text lines.
#[allow(clippy::type_complexity)]
fn nested_flags(r: &Resource, types: &TypeNames) -> (BTreeMap<(String, String), Vec<&'static str>>, Vec<String>) {
    let mut placed: BTreeMap<(String, String), Vec<&'static str>> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for (pointer, flag) in &r.nested_flags {
        match nested_target(r, types, pointer) {
            Some(key) => {
                let flags = placed.entry(key).or_default();
                if !flags.contains(flag) {
                    flags.push(flag);
                }
            }
            None => unplaced.push(format!("{} is {flag}.", mdx::code(pointer))),
        }
    }
    (placed, unplaced)
}

/// The (type, field) a nested property path ends at.
fn nested_target(r: &Resource, types: &TypeNames, pointer: &str) -> Option<(String, String)> {
    let rest = pointer.strip_prefix("/properties/")?;
    let mut parts = rest.split('/').filter(|p| *p != "*");
    let mut ty = &r.field(parts.next()?)?.ty;
    let mut target = None;
    for part in parts {
        let name = struct_of(types, ty)?;
        let Some(TypeKind::Struct { fields, .. }) = r.types.get(name).map(|d| &d.kind) else { return None };
        let field = fields.iter().find(|f| f.name == part)?;
        target = Some((name.to_string(), field.name.clone()));
        ty = &field.ty;
    }
    target
}

/// The structure a value of `ty` holds, looking through lists, maps and aliases.
fn struct_of<'t>(types: &'t TypeNames, ty: &'t Type) -> Option<&'t str> {
    match types.resolve(ty) {
        Type::Named(n) => Some(n),
        Type::List(item) | Type::Nullable(item) => struct_of(types, item),
        Type::Map { value, .. } => struct_of(types, value),
        _ => None,
    }
}

/// One row of a fields table: `name` is escaped for where the template puts it,
/// `attrs` are lifecycle attributes besides `required`.
pub(crate) fn field_row(types: &TypeNames, f: &Field, name: String, attrs: &[&str]) -> FieldRow {
    let mut all = Vec::new();
    if f.required {
        all.push("required");
    }
    all.extend_from_slice(attrs);
    let mut doc = f.doc.as_deref().map(mdx::markdown).unwrap_or_default();
    let constraints = constraint_text(&f.constraints, &f.ty, types);
    if !constraints.is_empty() {
        push_line(&mut doc, &constraints.join("<br/>"));
    }
    if let Some(op) = &f.type_from {
        push_line(
            &mut doc,
            &format!("Type from the {} input of the service API; the resource schema leaves it open.", mdx::code(op)),
        );
    }
    for rel in &f.relationships {
        push_line(&mut doc, &format!("References {} of {}.", mdx::code(&rel.property_path), mdx::code(&rel.type_name)));
    }
    FieldRow { name, ty: types.html(&f.ty), attrs: all.join("<br/>"), doc }
}

pub(crate) fn push_line(doc: &mut String, line: &str) {
    if !doc.is_empty() {
        doc.push_str("<br/>");
    }
    doc.push_str(line);
}

/// Constraints as short sentences; the words for lengths follow the type.
pub(crate) fn constraint_text(c: &Constraints, ty: &Type, types: &TypeNames) -> Vec<String> {
    let mut out = Vec::new();
    if !c.allowed.is_empty() {
        let values: Vec<String> = c.allowed.iter().map(|v| mdx::code(&plain_json(v))).collect();
        out.push(format!("Allowed values: {}", values.join(", ")));
    }
    let unit = match types.resolve(ty) {
        Type::List(_) => "Items",
        Type::Map { .. } => "Entries",
        _ => "Length",
    };
    if let Some(range) = bounds(c.min_length.map(|n| n.to_string()), c.max_length.map(|n| n.to_string())) {
        out.push(format!("{unit}: {range}"));
    }
    if let Some(range) = bounds(c.minimum.as_ref().map(|n| n.to_string()), c.maximum.as_ref().map(|n| n.to_string())) {
        out.push(format!("Range: {range}"));
    }
    if let Some(p) = &c.pattern {
        out.push(format!("Pattern: {}", mdx::code(p)));
    }
    if let Some(p) = &c.key_pattern {
        out.push(format!("Key pattern: {}", mdx::code(p)));
    }
    if let Some(f) = &c.format {
        out.push(format!("Format: {}", mdx::code(f)));
    }
    if let Some(d) = &c.default {
        out.push(format!("Default: {}", mdx::code(&plain_json(d))));
    }
    if c.unique_items {
        out.push("Items are unique.".into());
    }
    if c.insertion_order == Some(false) {
        out.push("Order is not significant.".into());
    }
    if let (Some(items), Type::List(item)) = (&c.items, types.resolve(ty)) {
        let each = constraint_text(items, item, types);
        if !each.is_empty() {
            out.push(format!("Each item: {}", each.join("; ")));
        }
    }
    out
}

fn bounds(min: Option<String>, max: Option<String>) -> Option<String> {
    match (min, max) {
        (Some(a), Some(b)) if a == b => Some(format!("exactly {a}")),
        (Some(a), Some(b)) => Some(format!("{a} to {b}")),
        (Some(a), None) => Some(format!("at least {a}")),
        (None, Some(b)) => Some(format!("at most {b}")),
        (None, None) => None,
    }
}

/// A JSON value as a user would type it: strings without quotes.
fn plain_json(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn required_group_text(g: &crate::model::RequiredGroup) -> String {
    let alts: Vec<String> = g
        .alternatives
        .iter()
        .map(|names| names.iter().map(|n| mdx::code(n)).collect::<Vec<_>>().join(" and "))
        .filter(|s| !s.is_empty())
        .collect();
    let how = if g.exclusive { "Exactly one of" } else { "At least one of" };
    format!("{how}: {}.", alts.join("; "))
}

/// Renders types as docs text: structures link to their section on the page,
/// aliases show what they stand for.
pub(crate) struct TypeNames<'a> {
    pub types: &'a BTreeMap<String, TypeDef>,
    pub anchors: &'a BTreeMap<String, String>,
    /// The page the anchors are on: empty for this page, else a relative path.
    pub page: &'a str,
}

impl TypeNames<'_> {
    pub(crate) fn html(&self, ty: &Type) -> String {
        format!("<code>{}</code>", self.inner(ty, 0))
    }

    fn inner(&self, ty: &Type, depth: usize) -> String {
        match ty {
            Type::Prim(p) => p.name().to_string(),
            // `array<` and `map<` may end a line: a long element type then starts the next.
            Type::List(item) => format!("array&lt;<wbr/>{}&gt;", self.inner(item, depth)),
            Type::Nullable(inner) => format!("{} &#124; null", self.inner(inner, depth)),
            Type::Map { key, value } => {
                format!("map&lt;<wbr/>{}, {}&gt;", self.inner(key, depth), self.inner(value, depth))
            }
            Type::OneOf(alts) => alts.iter().map(|t| self.inner(t, depth)).collect::<Vec<_>>().join(" &#124; "),
            Type::Named(name) => match (self.types.get(name).map(|d| &d.kind), self.anchors.get(name)) {
                (Some(TypeKind::Alias { ty, .. }), _) if depth < ALIAS_DEPTH => self.inner(ty, depth + 1),
                (_, Some(anchor)) => {
                    format!("<a href=\"{}#{anchor}\">{}</a>", self.page, mdx::camel_breaks(&mdx::text(name)))
                }
                _ => mdx::camel_breaks(&mdx::text(name)),
            },
        }
    }

    /// The type with aliases followed, for choosing words like "Items" or "Length".
    fn resolve<'t>(&'t self, ty: &'t Type) -> &'t Type {
        resolve_alias(self.types, ty)
    }
}

/// Structure definitions reachable from the properties, in order of first use.
fn reachable_structs(r: &Resource) -> Vec<String> {
    let roots: Vec<&Type> = r.fields.iter().map(|f| &f.ty).collect();
    reachable(&r.types, &roots, false)
}

/// Named types reachable from `roots`, in order of first use: structures and
/// unions, and enums too when `enums` is set (aliases are looked through).
pub(crate) fn reachable(types: &BTreeMap<String, TypeDef>, roots: &[&Type], enums: bool) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    let mut queue: Vec<&Type> = roots.iter().rev().copied().collect();
    let mut seen_alias: Vec<String> = Vec::new();
    while let Some(ty) = queue.pop() {
        match ty {
            Type::Prim(_) => {}
            Type::List(item) | Type::Nullable(item) => queue.push(item),
            Type::Map { key, value } => {
                queue.push(value);
                queue.push(key);
            }
            Type::OneOf(alts) => queue.extend(alts.iter().rev()),
            Type::Named(name) => match types.get(name).map(|d| &d.kind) {
                Some(TypeKind::Struct { fields, .. }) | Some(TypeKind::Union { variants: fields })
                    if !order.contains(name) =>
                {
                    order.push(name.clone());
                    // Depth first: a type's own members come right after it is first met.
                    queue.extend(fields.iter().rev().map(|f| &f.ty));
                }
                Some(TypeKind::Enum { .. } | TypeKind::IntEnum { .. }) if enums && !order.contains(name) => {
                    order.push(name.clone());
                }
                Some(TypeKind::Alias { ty, .. }) if !seen_alias.contains(name) => {
                    seen_alias.push(name.clone());
                    queue.push(ty);
                }
                _ => {}
            },
        }
    }
    order
}

fn policy(r: &Resource) -> Option<String> {
    let mut actions: Vec<&str> =
        r.handlers.iter().flat_map(|(_, h)| h.permissions.iter().map(String::as_str)).collect();
    actions.sort_unstable();
    actions.dedup();
    if actions.is_empty() {
        return None;
    }
    let doc = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{ "Effect": "Allow", "Action": actions, "Resource": "*" }]
    });
    serde_json::to_string_pretty(&doc).ok()
}

fn operation_rows(service: &Service, r: &Resource) -> Vec<OperationRow> {
    let Some(api) = &service.api else { return Vec::new() };
    r.operations
        .iter()
        .filter_map(|link| {
            let op = api.operations.get(&link.operation)?;
            let http = op.http.as_ref().map(|h| mdx::code(&format!("{} {}", h.method, h.uri))).unwrap_or_default();
            let doc = op.doc.as_deref().map(html_summary).unwrap_or_default();
            let name = format!("[{}]({}/{}.mdx)", op.name, crate::emit::operation_docs::OPERATIONS_DIR, op.names.snake);
            Some(OperationRow { verb: verb_label(link.verb), name, http, doc })
        })
        .collect()
}

fn verb_label(v: Verb) -> &'static str {
    match v {
        Verb::Create => "Create",
        Verb::Read => "Read",
        Verb::Update => "Update",
        Verb::Delete => "Delete",
        Verb::List => "List",
    }
}

/// The first sentence of Smithy documentation (HTML), as escaped text.
fn html_summary(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    mdx::text(&mdx::first_sentence(&text))
}

// ---------------------------------------------------------------- service page

fn service_page(service: &Service, provider: &str) -> ServicePage {
    let mut api = Vec::new();
    if let Some(a) = &service.api {
        api.push(("Service", mdx::code(&a.shape_id)));
        api.push(("API version", mdx::code(&a.version)));
        api.push(("Protocol", mdx::code(a.protocol.name())));
        if let Some(s) = &a.signing_name {
            api.push(("SigV4 signing name", mdx::code(s)));
        }
        api.push(("Operations", a.operations.len().to_string()));
        api.push(("Spec", mdx::code(&a.source)));
    }
    let resources = service
        .resources
        .values()
        .map(|r| {
            let h = &r.handlers;
            let mut verbs = Vec::new();
            if h.list.is_some() || h.read.is_some() {
                verbs.push("SELECT");
            }
            for (on, v) in
                [(h.create.is_some(), "INSERT"), (h.update.is_some(), "UPDATE"), (h.delete.is_some(), "DELETE")]
            {
                if on {
                    verbs.push(v);
                }
            }
            ServiceRow {
                name: mdx::breakable_name(&r.names.plural),
                link: format!("{}.mdx", r.names.plural),
                type_name: mdx::code(&r.type_name),
                summary: r.doc.as_deref().map(|d| mdx::text(&mdx::first_sentence(d))).unwrap_or_default(),
                verbs: verbs.join(", "),
            }
        })
        .collect();
    let mut sources: Vec<&str> = service.resources.values().map(|r| r.source.as_str()).collect();
    if let Some(a) = &service.api {
        sources.push(&a.source);
    }
    let description = match &service.api {
        Some(a) => a.title.clone().unwrap_or_else(|| a.sdk_id.clone()),
        None => service.title.clone(),
    };
    ServicePage {
        marker: MARKER,
        sources: if sources.len() > 3 {
            format!("{} and {} more spec files", sources[..2].join(", "), sources.len() - 2)
        } else {
            sources.join(", ")
        },
        heading: yaml_string(&format!("{} service", service.title)),
        title: service.id.clone(),
        id: format!("{provider}.{}", service.id),
        description: yaml_string(&format!(
            "{description}: resources of the {} service, queried and managed with SQL.",
            service.title
        )),
        api,
        resources,
    }
}

// ---------------------------------------------------------------- helpers

pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn join_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A single-quoted YAML scalar.
pub(crate) fn yaml_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}
