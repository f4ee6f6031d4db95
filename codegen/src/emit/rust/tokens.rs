//! Shared pieces of Rust generation: identifiers, type paths, doc attributes,
//! and facts about shapes (which ones can derive `Default`).

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Api, Field, Prim, Type, TypeKind};

/// `r#type` and friends become raw identifiers.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc = "..."]` lines for Markdown text (nothing for empty text).
pub fn doc_attrs(markdown: &str) -> TokenStream {
    if markdown.trim().is_empty() {
        return TokenStream::new();
    }
    let lines = markdown.lines().map(|l| format!(" {l}"));
    quote! { #( #[doc = #lines] )* }
}

/// The Rust type of a model type; `Named` types live in `crate::types`.
pub fn rust_type(api: &Api, ty: &Type) -> TokenStream {
    match ty {
        Type::Prim(p) => prim_type(*p),
        Type::List(item) => {
            let item = rust_type(api, item);
            quote! { ::std::vec::Vec<#item> }
        }
        Type::Nullable(inner) => {
            let inner = rust_type(api, inner);
            quote! { ::std::option::Option<#inner> }
        }
        Type::Map { key, value } => {
            let (key, value) = (rust_type(api, key), rust_type(api, value));
            quote! { ::std::collections::HashMap<#key, #value> }
        }
        Type::Named(name) => match api.types.get(name) {
            Some(def) => {
                let id = ident(&def.names.pascal);
                quote! { crate::types::#id }
            }
            None => quote! { rt::Document },
        },
        Type::OneOf(_) => quote! { rt::Document },
    }
}

fn prim_type(p: Prim) -> TokenStream {
    match p {
        Prim::String => quote! { ::std::string::String },
        Prim::Boolean => quote! { bool },
        Prim::Byte => quote! { i8 },
        Prim::Short => quote! { i16 },
        Prim::Integer => quote! { i32 },
        Prim::Long => quote! { i64 },
        Prim::Float => quote! { f32 },
        Prim::Double | Prim::Number => quote! { f64 },
        Prim::BigInteger | Prim::BigDecimal => quote! { rt::json::Number },
        Prim::Timestamp => quote! { rt::DateTime },
        Prim::Blob => quote! { rt::Blob },
        Prim::Document => quote! { rt::Document },
    }
}

/// Whether a field is `Option` in Rust: optional members, and required members
/// the model marks `clientOptional` (the server requires them; builders check).
pub fn is_optional(f: &Field) -> bool {
    !f.required || f.wire.client_optional
}

/// Which structures can derive `Default`: every non-optional field's type has one.
pub fn defaultable(api: &Api) -> BTreeSet<String> {
    // Start from "all structures" and remove until stable (recursion counts as yes).
    let mut yes: BTreeSet<String> =
        api.types.iter().filter(|(_, d)| matches!(d.kind, TypeKind::Struct { .. })).map(|(n, _)| n.clone()).collect();
    loop {
        let before = yes.len();
        let current = yes.clone();
        yes.retain(|name| match api.types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Struct { fields, .. }) => {
                fields.iter().all(|f| is_optional(f) || type_has_default(&f.ty, &current, api))
            }
            _ => false,
        });
        if yes.len() == before {
            return yes;
        }
    }
}

pub fn type_has_default(ty: &Type, structs: &BTreeSet<String>, api: &Api) -> bool {
    match ty {
        Type::Prim(Prim::Timestamp) => false,
        Type::Prim(_) | Type::List(_) | Type::Map { .. } | Type::OneOf(_) | Type::Nullable(_) => true,
        Type::Named(n) => structs.contains(n) || !api.types.contains_key(n),
    }
}

/// `::std` paths generated code spells out, and the prelude name each has.
const PRELUDE_PATHS: &[(&str, &str)] = &[
    ("option", "Option"),
    ("string", "String"),
    ("vec", "Vec"),
    ("boxed", "Box"),
    ("result", "Result"),
    ("default", "Default"),
    ("convert", "Into"),
];

/// Prelude variants written through their enum.
const PRELUDE_VARIANTS: &[(&str, &str)] =
    &[("Option", "Some"), ("Option", "None"), ("Result", "Ok"), ("Result", "Err")];

/// Rewrites `::std::option::Option` to `Option` (and the like) wherever the
/// crate does not define a type of that name, so the generated source reads like
/// hand-written code; where a shape does shadow a prelude name, the full path stays.
///
/// Also says whether the tokens name the runtime through its `rt` alias (`rt::X`,
/// which is how generated code writes runtime paths): the file then needs
/// `use ::aws_codegen_runtime as rt;`. `rt` cannot clash with a generated item:
/// those are PascalCase or snake_case operation names, and no operation is `rt`.
pub fn simplify_paths(tokens: TokenStream, shadowed: &BTreeSet<String>) -> (TokenStream, bool) {
    use proc_macro2::{Group, Punct, Spacing, TokenTree};
    // Trees are moved, not cloned: a clone copies an identifier's text, and a
    // group's stream is copied again when iterated while the group still shares it.
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(trees.len());
    let mut runtime = false;
    let is_colon2 = |t: &[TokenTree], i: usize| matches!((t.get(i), t.get(i + 1)), (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':');
    let ident_is = |t: &[TokenTree], i: usize, s: &str| matches!(t.get(i), Some(TokenTree::Ident(id)) if id == s);
    let mut i = 0;
    while i < trees.len() {
        // `:: std :: module :: Name`
        if is_colon2(&trees, i)
            && ident_is(&trees, i + 2, "std")
            && is_colon2(&trees, i + 3)
            && is_colon2(&trees, i + 6)
        {
            if let (Some(TokenTree::Ident(module)), Some(TokenTree::Ident(name))) = (trees.get(i + 5), trees.get(i + 8))
            {
                let known = PRELUDE_PATHS.iter().any(|(m, n)| module == m && name == n);
                if known && !shadowed.contains(&name.to_string()) {
                    out.push(TokenTree::Ident(name.clone()));
                    i += 9;
                    continue;
                }
            }
        }
        // `:: std :: format !` and `:: std :: write !`
        if is_colon2(&trees, i) && ident_is(&trees, i + 2, "std") && is_colon2(&trees, i + 3) {
            if let (Some(TokenTree::Ident(mac)), Some(TokenTree::Punct(bang))) = (trees.get(i + 5), trees.get(i + 6)) {
                if (mac == "format" || mac == "write") && bang.as_char() == '!' {
                    out.push(TokenTree::Ident(mac.clone()));
                    i += 6;
                    continue;
                }
            }
        }
        runtime |= ident_is(&trees, i, "rt") && is_colon2(&trees, i + 1);
        // Only later trees are looked at from here on, so this one can be taken.
        let tree = std::mem::replace(&mut trees[i], TokenTree::Punct(Punct::new('.', Spacing::Alone)));
        match tree {
            TokenTree::Group(g) => {
                let (delimiter, span, stream) = (g.delimiter(), g.span(), g.stream());
                drop(g); // the stream is now the only owner of its tokens: no copy to iterate them
                let (inner, inner_runtime) = simplify_paths(stream, shadowed);
                runtime |= inner_runtime;
                let mut group = Group::new(delimiter, inner);
                group.set_span(span);
                out.push(TokenTree::Group(group));
            }
            TokenTree::Ident(variant) => {
                // `Option :: Some` -> `Some`, once `Option` itself was shortened.
                let n = out.len();
                let shortened = n >= 3
                    && matches!(&out[n - 3], TokenTree::Ident(e) if PRELUDE_VARIANTS.iter().any(|(en, v)| e == en && variant == *v) && !shadowed.contains(&e.to_string()))
                    && matches!((&out[n - 2], &out[n - 1]), (TokenTree::Punct(a), TokenTree::Punct(b)) if a.as_char() == ':' && b.as_char() == ':')
                    && (n < 5 || !matches!(&out[n - 4], TokenTree::Punct(p) if p.as_char() == ':'));
                if shortened {
                    out.truncate(n - 3);
                }
                out.push(TokenTree::Ident(variant));
            }
            other => out.push(other),
        }
        i += 1;
    }
    (out.into_iter().collect(), runtime)
}
