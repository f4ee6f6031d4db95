//! Operation reference pages: one MDX page per Smithy operation, with the HTTP
//! request, a Rust call of the generated client, parameters, response, errors,
//! pagination, and the resource types the operation acts on.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use askama::Template;

use crate::emit::docs::{
    constraint_text, push_line, reachable, render, yaml_string, FieldRow, NestedType, TypeNames, DOCS_ROOT,
};
use crate::emit::mdx::{self, Slugger};
use crate::emit::rust::snippets::Snippets;
use crate::emit::{rust, Outputs, MARKER};
use crate::error::Result;
use crate::model::{Api, Field, HttpBinding, Operation, Service, Type, TypeKind};
use crate::passes::naming::PROVIDER;

/// The folder of operation pages inside a service's docs folder.
pub const OPERATIONS_DIR: &str = "operations";

/// One page per operation of the service's API.
pub fn emit(service: &Service, out: &mut Outputs) -> Result<()> {
    let Some(api) = &service.api else { return Ok(()) };
    let snippets = Snippets::new(service, api);
    let docs = DocCache::default();
    let dir = format!("{DOCS_ROOT}/{PROVIDER}/{}/{OPERATIONS_DIR}", service.id);
    for op in api.operations.values() {
        let page = operation_page(service, api, op, snippets.as_ref(), &docs);
        out.insert(format!("{dir}/{}.mdx", op.names.snake), render("docs/operation.mdx", &page)?);
    }
    Ok(())
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
    errors: Vec<(String, String)>,
    pagination: Option<String>,
    resources: Vec<String>,
}

fn operation_page<'a>(
    service: &Service,
    api: &'a Api,
    op: &'a Operation,
    snippets: Option<&Snippets>,
    docs: &DocCache<'a>,
) -> OperationPage {
    let input = struct_fields(api, op.input.as_ref());
    let output = struct_fields(api, op.output.as_ref());
    let mut slugger = Slugger::default();
    for heading in ["Request", "Rust", "Parameters", "Response", "Errors", "Pagination", "Resources", "Types"] {
        slugger.slug(heading);
    }
    let roots: Vec<&Type> = input.iter().chain(output.iter()).map(|f| &f.ty).collect();
    let nested = reachable(&api.types, &roots, true);
    let anchors: BTreeMap<String, String> = nested.iter().map(|n| (n.clone(), slugger.slug(n))).collect();
    let names = TypeNames { types: &api.types, anchors: &anchors };

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

    let types = nested
        .iter()
        .filter_map(|name| {
            let def = api.types.get(name)?;
            let doc = docs.get(def.doc.as_ref());
            let fields = match &def.kind {
                TypeKind::Struct { fields, .. } | TypeKind::Union { variants: fields } => {
                    fields.iter().map(|f| row(&names, docs, f, None)).collect()
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
        .collect();

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
        errors,
        pagination,
        resources,
    }
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
