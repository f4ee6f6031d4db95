//! The naming pass: computes every generated name once, so that emitters and
//! templates only read them, and fails when two source names would become one.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::model::{Api, Field, Model, Resource, ResourceNames, Service, TypeDef, TypeKind};
use crate::names::{self, names};

/// Columns every resource view has besides its properties: the region (the
/// provider's server variable) and Cloud Control's identifier, spelled as the
/// engine matches them.
pub const REGION_COLUMN: &str = "region";
pub const IDENTIFIER_COLUMN: &str = "Identifier";

/// What a property is called in SQL when its name is one of the columns above.
const SHADOWED_PREFIX: &str = "property_";

pub fn run(model: &mut Model) -> Result<()> {
    let provider = model.provider.clone();
    model.services.values_mut().try_for_each(|s| service(s, &provider))
}

/// Names one service: its resources and API. Services are named independently.
pub fn service(service: &mut Service, provider: &str) -> Result<()> {
    for resource in service.resources.values_mut() {
        name_resource(provider, &service.id, resource)?;
    }
    unshadow(provider, service);
    let mut plurals = Claims::default();
    for resource in service.resources.values() {
        plurals.claim(&resource.names.plural, &resource.type_name)?;
    }
    if let Some(api) = &mut service.api {
        name_api(api)?;
    }
    Ok(())
}

/// What a resource's name gets when it would shadow another's views.
const UNSHADOW_SUFFIX: &str = "_resources";

/// StackQL finds the views of a resource by `view_name LIKE '<id>%'` and runs the
/// first whose parameters a statement gives (stackql `sql_system/sqlite.go`,
/// `selectMatchingView`), in the order views were registered, which is the order
/// a session first touched the resources. So when one resource's id starts with
/// another's (`aws.s3.access_grants` and `aws.s3.access_grants_instances`; `_` is
/// any one character there), a query of the shorter one can run the longer one's
/// view. The shorter one is renamed (`access_grants_resources`) until no id of the
/// service starts with another.
fn unshadow(provider: &str, service: &mut Service) {
    // Each round lengthens at least one name; a service has finitely many pairs.
    for _ in 0..service.resources.len() {
        let ids: Vec<String> = service.resources.values().map(|r| r.names.id.clone()).collect();
        let shadowed: Vec<String> =
            ids.iter().filter(|a| ids.iter().any(|b| b != *a && like_prefix(a, b))).cloned().collect();
        if shadowed.is_empty() {
            return;
        }
        for r in service.resources.values_mut().filter(|r| shadowed.contains(&r.names.id)) {
            let names = &mut r.names;
            names.renamed_from.get_or_insert_with(|| names.plural.clone());
            names.plural.push_str(UNSHADOW_SUFFIX);
            names.id = format!("{provider}.{}.{}", service.id, names.plural);
        }
    }
}

/// Whether SQL's `LIKE '<pattern>%'` matches `name` (`_` is any one character;
/// ASCII case is ignored, as SQLite does).
pub fn like_prefix(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    n.len() >= p.len() && p.iter().zip(&n).all(|(a, b)| *a == '_' || a.eq_ignore_ascii_case(b))
}

/// Remembers which source claimed each generated name.
#[derive(Default)]
struct Claims(BTreeMap<String, String>);

impl Claims {
    fn claim(&mut self, name: &str, source: &str) -> Result<()> {
        match self.0.get(name) {
            Some(first) if first != source => {
                Err(Error::Collision { name: name.to_string(), first: first.clone(), second: source.to_string() })
            }
            _ => {
                self.0.insert(name.to_string(), source.to_string());
                Ok(())
            }
        }
    }
}

fn name_resource(provider: &str, service: &str, resource: &mut Resource) -> Result<()> {
    let title = crate::read::cloudformation::split_type_name(&resource.type_name).map_or("", |(_, _, r)| r).to_string();
    let singular = names::snake(&title);
    let plural = names::plural(&singular);
    resource.names =
        ResourceNames { id: format!("{provider}.{service}.{plural}"), title, singular, plural, renamed_from: None };

    let source = resource.source.clone();
    let mut columns = Claims::default();
    columns.claim(REGION_COLUMN, "the region column")?;
    columns.claim(&IDENTIFIER_COLUMN.to_ascii_lowercase(), "the identifier column")?;
    for field in &mut resource.fields {
        field.names = names(&field.name);
        // SQL folds case: a property `Identifier` would be the identifier column.
        let snake = &field.names.snake;
        if snake.eq_ignore_ascii_case(REGION_COLUMN) || snake.eq_ignore_ascii_case(IDENTIFIER_COLUMN) {
            let snake = format!("{SHADOWED_PREFIX}{}", field.names.snake);
            field.names.sql = names::sql_ident(&snake);
            field.names.rust = names::rust_ident(&snake);
            field.names.snake = snake;
        }
        columns.claim(&field.names.snake, &format!("{source} /properties/{}", field.name))?;
    }
    name_types(&source, Place::Definitions, &mut resource.types)?;
    for (_, handler) in resource.handlers.iter_mut() {
        for param in &mut handler.params {
            param.names = names(&param.name);
        }
    }
    Ok(())
}

fn name_api(api: &mut Api) -> Result<()> {
    let source = api.source.clone();
    let mut ops = Claims::default();
    for op in api.operations.values_mut() {
        op.names = names(&op.name);
        ops.claim(&op.names.snake, &format!("{source} shape {}", op.name))?;
    }
    name_types(&source, Place::Shapes, &mut api.types)
}

/// How a source file names a type and its members in error messages.
#[derive(Clone, Copy)]
enum Place {
    /// CloudFormation: `/definitions/Foo/properties/Bar`.
    Definitions,
    /// Smithy: `shape Foo$Bar`.
    Shapes,
}

impl Place {
    fn at(self, source: &str, ty: &str, member: Option<&str>) -> String {
        match (self, member) {
            (Place::Definitions, None) => format!("{source} /definitions/{ty}"),
            (Place::Definitions, Some(m)) => format!("{source} /definitions/{ty}/properties/{m}"),
            (Place::Shapes, None) => format!("{source} shape {ty}"),
            (Place::Shapes, Some(m)) => format!("{source} shape {ty}${m}"),
        }
    }
}

/// Names types, their fields and enum values.
fn name_types(source: &str, place: Place, types: &mut BTreeMap<String, TypeDef>) -> Result<()> {
    let mut type_names = Claims::default();
    for def in types.values_mut() {
        def.names = names(&def.name);
        let ty = def.name.clone();
        let at = |member: Option<&str>| place.at(source, &ty, member);
        type_names.claim(&def.names.pascal, &at(None))?;
        match &mut def.kind {
            TypeKind::Struct { fields, .. } | TypeKind::Union { variants: fields } => {
                name_fields(fields, |f| at(Some(&f.name)))?
            }
            TypeKind::Enum { values } => {
                let mut claims = Claims::default();
                for v in values {
                    v.names = names(&v.name);
                    claims.claim(&v.names.pascal, &at(Some(&v.name)))?;
                }
            }
            TypeKind::IntEnum { values } => {
                let mut claims = Claims::default();
                for v in values {
                    v.names = names(&v.name);
                    claims.claim(&v.names.pascal, &at(Some(&v.name)))?;
                }
            }
            TypeKind::Alias { .. } => {}
        }
    }
    Ok(())
}

/// Methods an input builder has besides its setters (`.build()`, `.send(&client)`): a
/// member of that name is `build_`, as `super` is `super_`.
const BUILDER_METHODS: &[&str] = &["build", "send"];

fn name_fields(fields: &mut [Field], place: impl Fn(&Field) -> String) -> Result<()> {
    let mut claims = Claims::default();
    let mut rust = Claims::default();
    for field in fields {
        field.names = names(&field.name);
        if BUILDER_METHODS.contains(&field.names.rust.as_str()) {
            field.names.rust.push('_');
        }
        claims.claim(&field.names.snake, &place(field))?;
        rust.claim(&field.names.rust, &place(field))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Resource;

    fn service_of(types: &[&str]) -> Service {
        let resources = types
            .iter()
            .map(|t| (t.to_string(), Resource { type_name: t.to_string(), ..Resource::default() }))
            .collect();
        Service { id: "s3".into(), title: "S3".into(), api: None, resources }
    }

    fn ids(s: &Service) -> Vec<(&str, Option<&str>)> {
        s.resources.values().map(|r| (r.names.id.as_str(), r.names.renamed_from.as_deref())).collect()
    }

    #[test]
    fn an_id_that_starts_another_is_lengthened() {
        let mut s = service_of(&["AWS::S3::AccessGrant", "AWS::S3::AccessGrantsInstance", "AWS::S3::Bucket"]);
        service(&mut s, "aws").unwrap();
        assert_eq!(
            ids(&s),
            [
                ("aws.s3.access_grants_resources", Some("access_grants")),
                ("aws.s3.access_grants_instances", None),
                ("aws.s3.buckets", None),
            ]
        );
    }

    #[test]
    fn like_treats_underscore_as_any_character() {
        assert!(like_prefix("aws.s3.a_b", "aws.s3.aXb_c"));
        assert!(like_prefix("aws.s3.ab", "AWS.S3.ABC"));
        assert!(!like_prefix("aws.s3.abc", "aws.s3.ab"));
        // Unrelated names and a name and itself plus its views' suffixes stay as they are.
        let mut s = service_of(&["AWS::S3::Route", "AWS::S3::RouteResponse"]);
        service(&mut s, "aws").unwrap();
        assert_eq!(ids(&s), [("aws.s3.routes", None), ("aws.s3.route_responses", None)]);
    }
}
