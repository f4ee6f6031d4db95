//! awsQuery and ec2Query: every operation is `POST /` with a form body of `Action`, `Version`
//! and the input's members keyed by their path (`ToQuery`); HTTP binding traits are not read.
//! The output is the XML body (inside `<OpResult>` for awsQuery, the root for ec2Query);
//! errors are `<ErrorResponse><Error>` (`<Response><Errors><Error>` for ec2Query) named by
//! `<Code>`.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::tokens::ident;
use super::super::types::{variant_name, Ctx};
use super::xml::{self, member_name, member_shape, Names};
use crate::model::{Api, Field, Operation, TypeDef};

/// awsQuery (`ec2: false`) or ec2Query (`ec2: true`).
pub struct Query {
    pub ec2: bool,
}

impl Query {
    fn names(&self) -> Names {
        if self.ec2 {
            Names::Ec2Query
        } else {
            Names::Xml
        }
    }
}

impl super::Protocol for Query {
    fn http_bindings(&self) -> bool {
        false
    }

    fn check(&self, api: &Api) -> Result<(), String> {
        xml::check_no_documents(api, if self.ec2 { "ec2Query" } else { "awsQuery" })?;
        super::json::check_host_prefixes(api)
    }

    fn structure_codec(&self, ctx: &Ctx, def: &TypeDef, fields: &[Field], ser: bool, de: bool) -> TokenStream {
        let to_query = ser.then(|| struct_to_query(ctx, def, fields, self.names()));
        let from_xml = de.then(|| xml::struct_from_xml(ctx, def, fields, &|_| true));
        quote! { #to_query #from_xml }
    }

    fn union_codec(&self, ctx: &Ctx, def: &TypeDef, variants: &[Field]) -> TokenStream {
        let to_query = union_to_query(ctx, def, variants, self.names());
        let from_xml = xml::union_from_xml(ctx, def, variants);
        quote! { #to_query #from_xml }
    }

    fn error_decoder(&self, ctx: &Ctx, op: &Operation) -> TokenStream {
        xml::error_decoder(ctx, op, &|_| Vec::new())
    }

    fn operations_file(&self, ctx: &Ctx) -> TokenStream {
        let ops = ctx.api.operations.values().map(|op| self.operation(ctx, op));
        let helpers = xml::operation_helpers(true);
        let doc = if self.ec2 {
            " The ec2Query mapping of every operation: `POST /` with a form body, an XML response body"
        } else {
            " The awsQuery mapping of every operation: `POST /` with a form body, an XML response body"
        };
        quote! {
            #![doc = #doc]
            //! to the output or error.
            #![allow(unused_mut, unused_variables)]

            #helpers

            #( #ops )*
        }
    }
}

impl Query {
    fn operation(&self, ctx: &Ctx, op: &Operation) -> TokenStream {
        let action = &op.name;
        let version = &ctx.api.version;
        let put = op.input.as_ref().map(|_| quote! { form.put("", &input, &rt::xml::Shape::Value); });
        let traits = super::json::request_traits(ctx, op);
        let params = super::super::endpoint::call_params(ctx, op);
        // awsQuery wraps the output's members in `<OpResult>`; ec2Query does not.
        let wrapper = if self.ec2 {
            quote! { ::std::option::Option::None }
        } else {
            let result = format!("{}Result", op.name);
            quote! { ::std::option::Option::Some(#result) }
        };
        let output = match op.output {
            Some(_) => quote! { decode(#action, response, #wrapper) },
            None => quote! { ::std::result::Result::Ok(()) },
        };
        let build = quote! {
            let mut form = rt::query::Form::new(#action, #version);
            #put
            let mut request = rt::Request::new("POST", ::std::string::String::from("/"));
            request.body(form.into_body(), "application/x-www-form-urlencoded");
            #( #params )*
            #traits
        };
        super::operation_fn(ctx, op, build, output)
    }
}

/// `ToQuery` of a structure: one `put` per member, under the structure's prefix.
fn struct_to_query(ctx: &Ctx, def: &TypeDef, fields: &[Field], names: Names) -> TokenStream {
    let name = ident(&def.names.pascal);
    let puts: Vec<TokenStream> = fields
        .iter()
        .map(|f| {
            let id = ident(&f.names.rust);
            let wire = member_name(f, names);
            let shape = member_shape(ctx, f, names);
            let key = quote! { &rt::query::key(prefix, #wire) };
            let boxed = ctx.boxed.contains(&(def.name.clone(), f.name.clone()));
            match (ctx.optional(&def.name, f), boxed) {
                (true, true) => quote! {
                    if let ::std::option::Option::Some(v) = &self.#id { form.put(#key, &**v, &#shape); }
                },
                (true, false) => quote! { form.put_opt(#key, &self.#id, &#shape); },
                (false, true) => quote! { form.put(#key, &*self.#id, &#shape); },
                (false, false) => quote! { form.put(#key, &self.#id, &#shape); },
            }
        })
        .collect();
    let (form, prefix) =
        if puts.is_empty() { (quote! { _form }, quote! { _prefix }) } else { (quote! { form }, quote! { prefix }) };
    quote! {
        impl rt::query::ToQuery for #name {
            #[inline]
            fn to_query(&self, #form: &mut rt::query::Form, #prefix: &str, _: &rt::xml::Shape) {
                #( #puts )*
            }
        }
    }
}

/// `ToQuery` of a union: its one member, under its name. An unknown member has nothing to send.
fn union_to_query(ctx: &Ctx, def: &TypeDef, variants: &[Field], names: Names) -> TokenStream {
    let name = ident(&def.names.pascal);
    let arms = variants.iter().map(|v| {
        let vname = ident(&variant_name(&v.names.pascal));
        let wire = member_name(v, names);
        let shape = member_shape(ctx, v, names);
        let value = if ctx.boxed.contains(&(def.name.clone(), v.name.clone())) {
            quote! { &**v }
        } else {
            quote! { v }
        };
        quote! { Self::#vname(v) => form.put(&rt::query::key(prefix, #wire), #value, &#shape), }
    });
    quote! {
        impl rt::query::ToQuery for #name {
            #[inline]
            fn to_query(&self, form: &mut rt::query::Form, prefix: &str, _: &rt::xml::Shape) {
                match self {
                    #( #arms )*
                    Self::Unknown(_) => {}
                }
            }
        }
    }
}
