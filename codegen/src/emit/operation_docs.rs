//! Operation reference pages: one MDX page per Smithy operation, with the HTTP
//! request, a Rust call of the generated client, parameters, response, errors,
//! pagination, how the endpoint is chosen, and the resource types the operation acts on.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use askama::Template;

use crate::emit::docs::{
    constraint_text, push_line, reachable, render, yaml_string, FieldRow, NestedType, TypeNames, DOCS_ROOT,
};
use crate::emit::endpoint_docs::{EndpointSection, ServiceEndpoint};
use crate::emit::mdx::{self, Slugger};
use crate::emit::rust::snippets::Snippets;
use crate::emit::{rust, Outputs, MARKER};
use crate::error::Result;
use crate::model::{Api, Field, HttpBinding, Operation, Service, Type, TypeKind};

/// The folder of operation pages inside a service's docs folder.
pub const OPERATIONS_DIR: &str = "operations";

/// The page, beside the operation pages, of the types that operations with many
/// of them share. Hyphenated: operation pages are snake_case, so it cannot clash.
pub const SHARED_TYPES_PAGE: &str = "shared-types.mdx";

/// How many types an operation page documents itself. Past this (a deep tree of
/// settings structures: MediaConvert's jobs reach over 600), the page links to
/// the shared types page instead of repeating hundreds of tables on every page.
pub const INLINE_TYPES: usize = 40;

/// One page per operation of the service's API; returns how many (the shared types page not counted).
pub fn emit(service: &Service, provider: &str, snippets: Option<&Snippets>, out: &mut Outputs) -> Result<usize> {
    let Some(api) = &service.api else { return Ok(0) };
    let docs = DocCache::default();
    let endpoint = ServiceEndpoint::new(api);
    let dir = format!("{DOCS_ROOT}/{provider}/{}/{OPERATIONS_DIR}", service.id);
    let closures: Vec<(&Operation, Vec<String>)> = api.operations.values().map(|op| (op, closure(api, op))).collect();
    // Every type of every operation that does not inline its own, in name order.
    let shared: BTreeSet<&String> =
        closures.iter().filter(|(_, types)| types.len() > INLINE_TYPES).flat_map(|(_, types)| types).collect();
    let mut slugger = Slugger::default();
    let shared_anchors: BTreeMap<String, String> = shared.iter().map(|n| ((*n).clone(), slugger.slug(n))).collect();
    for (op, types) in &closures {
        let placement =
            if types.len() > INLINE_TYPES { Types::Shared(&shared_anchors, types.len()) } else { Types::Inline(types) };
        let page = operation_page(service, api, op, snippets, &docs, &endpoint, placement);
        out.insert(format!("{dir}/{}.mdx", op.names.snake), render("docs/operation.mdx", &page)?);
    }
    if !shared.is_empty() {
        let names = TypeNames { types: &api.types, anchors: &shared_anchors, page: "" };
        let list: Vec<String> = shared.into_iter().cloned().collect();
        let page = SharedTypesPage {
            marker: MARKER,
            source: api.source.clone(),
            title: format!("{} shared types", service.title),
            description: yaml_string(&format!(
                "Types of the {} API that its larger operations share, each documented once.",
                service.title
            )),
            count: list.len(),
            types: nested_types(api, &names, &docs, &list),
        };
        out.insert(format!("{dir}/{SHARED_TYPES_PAGE}"), render("docs/shared_types.mdx", &page)?);
    }
    Ok(closures.len())
}

/// The named types an operation's input and output reach, in order of first use.
fn closure(api: &Api, op: &Operation) -> Vec<String> {
    let fields = struct_fields(api, op.input.as_ref()).iter().chain(struct_fields(api, op.output.as_ref()));
    let roots: Vec<&Type> = fields.map(|f| &f.ty).collect();
    reachable(&api.types, &roots, true)
}

/// Where an operation page's types are documented.
#[derive(Clone, Copy)]
enum Types<'p> {
    /// On the page itself: these, in order of first use.
    Inline(&'p [String]),
    /// On the shared types page, at these anchors; how many the operation reaches.
    Shared(&'p BTreeMap<String, String>, usize),
}

/// Smithy documentation (HTML) as MDX-safe HTML on one line.
fn smithy_doc(html: &str) -> String {
    mdx::markdown(&rust::doc::markdown(html))
}

/// [`smithy_doc`] for one service's pages, each text converted once: a shape's
/// docs appear on every page that reaches it, and conversion is most of a page's cost.
#[derive(Default)]
struct DocCache<'a> {
    done: RefCell<HashMap<&'a str, String>>,
}

impl<'a> DocCache<'a> {
    fn get(&self, html: Option<&'a String>) -> String {
        let Some(html) = html else { return String::new() };
        self.done.borrow_mut().entry(html.as_str()).or_insert_with(|| smithy_doc(html)).clone()
    }
}

#[derive(Template)]
#[template(path = "docs/operation.mdx", escape = "none")]
struct OperationPage {
    marker: &'static str,
    source: String,
    title: String,
    description: String,
    doc: String,
    facts: Vec<(&'static str, String)>,
    rust: Option<String>,
    rust_prelude: String,
    params: Vec<FieldRow>,
    response: Vec<FieldRow>,
    types: Vec<NestedType>,
    /// Instead of `types`: where they are, for an operation that reaches many.
    types_note: Option<String>,
    errors: Vec<(String, String)>,
    pagination: Option<String>,
    endpoint: EndpointSection,
    resources: Vec<String>,
}

#[derive(Template)]
#[template(path = "docs/shared_types.mdx", escape = "none")]
struct SharedTypesPage {
    marker: &'static str,
    source: String,
    title: String,
    description: String,
    count: usize,
    types: Vec<NestedType>,
}

fn operation_page<'a>(
    service: &Service,
    api: &'a Api,
    op: &'a Operation,
    snippets: Option<&Snippets>,
    docs: &DocCache<'a>,
    endpoint: &ServiceEndpoint<'_>,
    placement: Types,
) -> OperationPage {
    let input = struct_fields(api, op.input.as_ref());
    let output = struct_fields(api, op.output.as_ref());
    let mut slugger = Slugger::default();
    for heading in
        ["Request", "Rust", "Parameters", "Response", "Errors", "Pagination", "Endpoint", "Resources", "Types"]
    {
        slugger.slug(heading);
    }
    let inline: &[String] = match placement {
        Types::Inline(list) => list,
        Types::Shared(..) => &[],
    };
    let own_anchors: BTreeMap<String, String> = inline.iter().map(|n| (n.clone(), slugger.slug(n))).collect();
    let names = match placement {
        Types::Inline(_) => TypeNames { types: &api.types, anchors: &own_anchors, page: "" },
        Types::Shared(anchors, _) => TypeNames { types: &api.types, anchors, page: SHARED_TYPES_PAGE },
    };

    let mut facts = Vec::new();
    if let Some(h) = &op.http {
        facts.push(("HTTP request", mdx::code(&format!("{} {}", h.method, h.uri))));
        facts.push(("Success status", h.code.to_string()));
    }
    facts.push(("Protocol", mdx::code(api.protocol.name())));
    let mut traits = Vec::new();
    if op.readonly {
        traits.push("read-only");
    }
    if op.idempotent {
        traits.push("idempotent");
    }
    if op.deprecated.is_some() {
        traits.push("deprecated");
    }
    if !traits.is_empty() {
        facts.push(("Behaviour", traits.join(", ")));
    }
    facts.push(("Rust method", mdx::code(&format!("client.{}(input)", op.names.snake))));

    let types = nested_types(api, &names, docs, inline);
    let types_note = match placement {
        Types::Inline(_) => None,
        Types::Shared(_, count) => Some(format!(
            "This operation reaches {} types, too many to repeat on every page: they are documented once, \
             for all the larger operations of the API, on [{} shared types]({SHARED_TYPES_PAGE}). The type \
             names above link there.",
            count,
            mdx::text(&service.title)
        )),
    };

    let errors = op
        .errors
        .iter()
        .map(|e| {
            let def = api.types.get(e);
            let status = def
                .and_then(|d| d.error.as_ref())
                .and_then(|i| i.http_status)
                .map(|s| format!(" (HTTP {s})"))
                .unwrap_or_default();
            let doc = docs.get(def.and_then(|d| d.doc.as_ref()));
            (format!("{}{status}", mdx::code(e)), doc)
        })
        .collect();

    let pagination = op.paginated.as_ref().map(|p| {
        let mut parts = Vec::new();
        if let Some(t) = &p.input_token {
            parts.push(format!("pass the previous page's token in {}", mdx::code(t)));
        }
        if let Some(t) = &p.output_token {
            parts.push(format!("the next token comes back in {}", mdx::code(t)));
        }
        if let Some(t) = &p.items {
            parts.push(format!("items are in {}", mdx::code(t)));
        }
        if let Some(t) = &p.page_size {
            parts.push(format!("the page size is set with {}", mdx::code(t)));
        }
        format!(
            "Paginated: {}. The Rust client's {} walks every page.",
            parts.join("; "),
            mdx::code(&format!("{}_paginator", op.names.snake))
        )
    });

    let resources = op
        .resources
        .iter()
        .filter_map(|t| service.resources.get(t))
        .map(|r| format!("[{}](../{}.mdx) ({})", r.names.plural, r.names.plural, mdx::code(&r.type_name)))
        .collect();

    let doc = docs.get(op.doc.as_ref());
    OperationPage {
        marker: MARKER,
        source: api.source.clone(),
        title: op.name.clone(),
        description: yaml_string(&format!(
            "{} operation of the {} API: request, response, errors and a Rust example.",
            op.name, service.title
        )),
        doc,
        facts,
        rust: snippets.map(|s| s.call(op, true)),
        rust_prelude: snippets.map(Snippets::prelude).unwrap_or_default(),
        params: input.iter().map(|f| row(&names, docs, f, Some(true))).collect(),
        response: output.iter().map(|f| row(&names, docs, f, Some(false))).collect(),
        types,
        types_note,
        errors,
        pagination,
        endpoint: endpoint.section(api, op),
        resources,
    }
}

/// The tables of the named types in `list` (enums with their values).
fn nested_types<'a>(api: &'a Api, names: &TypeNames, docs: &DocCache<'a>, list: &[String]) -> Vec<NestedType> {
    list.iter()
        .filter_map(|name| {
            let def = api.types.get(name)?;
            let doc = docs.get(def.doc.as_ref());
            let fields = match &def.kind {
                TypeKind::Struct { fields, .. } | TypeKind::Union { variants: fields } => {
                    fields.iter().map(|f| row(names, docs, f, None)).collect()
                }
                TypeKind::Enum { values } => values
                    .iter()
                    .map(|v| FieldRow {
                        name: mdx::text(&v.value),
                        ty: mdx::code(&v.names.pascal),
                        attrs: String::new(),
                        doc: docs.get(v.doc.as_ref()),
                    })
                    .collect(),
                TypeKind::IntEnum { values } => values
                    .iter()
                    .map(|v| FieldRow {
                        name: v.value.to_string(),
                        ty: mdx::code(&v.names.pascal),
                        attrs: String::new(),
                        doc: docs.get(v.doc.as_ref()),
                    })
                    .collect(),
                TypeKind::Alias { .. } => return None,
            };
            Some(NestedType { name: name.clone(), doc, fields })
        })
        .collect()
}

fn struct_fields<'a>(api: &'a Api, name: Option<&String>) -> &'a [Field] {
    match name.and_then(|n| api.types.get(n)).map(|d| &d.kind) {
        Some(TypeKind::Struct { fields, .. }) => fields,
        _ => &[],
    }
}

/// A parameter or member row. `request` says which side of the call a top-level
/// member is on (`None` for members of nested types), for where it travels.
fn row<'a>(names: &TypeNames, docs: &DocCache<'a>, f: &'a Field, request: Option<bool>) -> FieldRow {
    let mut attrs = Vec::new();
    if f.required {
        attrs.push("required".to_string());
    }
    if request.is_some() {
        attrs.push(location(f));
    }
    if f.wire.sensitive {
        attrs.push("sensitive".into());
    }
    if f.wire.deprecated.is_some() {
        attrs.push("deprecated".into());
    }
    let mut doc = docs.get(f.doc.as_ref());
    let constraints = constraint_text(&f.constraints, &f.ty, names);
    if !constraints.is_empty() {
        push_line(&mut doc, &constraints.join("<br/>"));
    }
    let wire = f
        .wire
        .json_name
        .as_deref()
        .filter(|j| *j != f.name)
        .map(|j| format!(" (JSON {})", mdx::code(j)))
        .unwrap_or_default();
    FieldRow {
        name: format!("{}{wire}", mdx::code(&f.names.snake)),
        ty: names.html(&f.ty),
        attrs: attrs.join("<br/>"),
        doc,
    }
}

/// Where a member travels in the HTTP message.
fn location(f: &Field) -> String {
    match &f.wire.binding {
        Some(HttpBinding::Label { greedy: true }) => "path (greedy)".into(),
        Some(HttpBinding::Label { .. }) => "path".into(),
        Some(HttpBinding::Query(q)) => format!("query {}", mdx::code(q)),
        Some(HttpBinding::QueryParams) => "query (map)".into(),
        Some(HttpBinding::Header(h)) => format!("header {}", mdx::code(h)),
        Some(HttpBinding::PrefixHeaders(p)) => format!("headers {}", mdx::code(&format!("{p}*"))),
        Some(HttpBinding::Payload) => "payload".into(),
        Some(HttpBinding::ResponseCode) => "status code".into(),
        None => "body".into(),
    }
}
