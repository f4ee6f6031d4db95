//! Recursive shapes: how much nesting a value of each named type needs at least, the
//! one walk every emitter that builds sample values bounds itself by. A shape whose
//! every value would contain itself (a union whose every variant recurses, a structure
//! with a required member that comes back to it with no list, map or optional member in
//! between) has no value at all: Smithy forbids it, and so does this pass, by shape id.

use std::collections::{BTreeMap, HashMap};

use crate::error::{Error, Result};
use crate::model::{Field, Service, Type, TypeDef, TypeKind};

/// For each named type that has a finite value, the fewest levels of named types a
/// value of it nests: 0 for enums, 1 for a structure of scalars, one more than its
/// cheapest variant for a union. A list, a map or an optional member can always be
/// left empty, so it costs nothing. `optional` says whether a structure member may be
/// left out. Types missing from the map have no finite value.
pub fn min_depths<'a>(
    types: &'a BTreeMap<String, TypeDef>,
    optional: impl Fn(&str, &Field) -> bool,
) -> HashMap<&'a str, usize> {
    let mut depth: HashMap<&'a str, usize> = HashMap::new();
    // Each round settles at least one more type, or nothing changes and the rest have
    // no finite value: at most one round per type plus one.
    for _ in 0..=types.len() {
        let mut changed = false;
        for (name, def) in types {
            let d = match &def.kind {
                TypeKind::Enum { .. } | TypeKind::IntEnum { .. } => Some(0),
                TypeKind::Alias { ty, .. } => type_depth(&depth, types, ty),
                TypeKind::Struct { fields, .. } => fields
                    .iter()
                    .filter(|f| !optional(name, f))
                    .map(|f| type_depth(&depth, types, &f.ty))
                    .try_fold(0, |acc, d| d.map(|d| acc.max(d)))
                    .map(|d| d + 1),
                TypeKind::Union { variants } if variants.is_empty() => Some(0),
                TypeKind::Union { variants } => {
                    variants.iter().filter_map(|v| type_depth(&depth, types, &v.ty)).min().map(|d| d + 1)
                }
            };
            if let Some(d) = d {
                if depth.get(name.as_str()).is_none_or(|&old| d < old) {
                    depth.insert(name.as_str(), d);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    depth
}

/// The depth a value of `ty` needs, given the named types' depths so far.
pub fn type_depth(depth: &HashMap<&str, usize>, types: &BTreeMap<String, TypeDef>, ty: &Type) -> Option<usize> {
    match ty {
        // A nullable item (of a sparse collection) can always be null.
        Type::Prim(_) | Type::List(_) | Type::Map { .. } | Type::OneOf(_) | Type::Nullable(_) => Some(0),
        // A name with no definition is shown as a plain document.
        Type::Named(n) if !types.contains_key(n) => Some(0),
        Type::Named(n) => depth.get(n.as_str()).copied(),
    }
}

/// Refuses a service whose API has a shape with no finite value, naming the shape.
pub fn service(service: &Service) -> Result<()> {
    let Some(api) = &service.api else { return Ok(()) };
    let depths = min_depths(&api.types, |_, f| !f.required || f.wire.client_optional);
    match api.types.keys().find(|n| !depths.contains_key(n.as_str())) {
        None => Ok(()),
        Some(name) => Err(Error::Shape {
            file: api.source.clone().into(),
            shape: name.clone(),
            message: "recursive shape has no finite value: each of its values would contain itself (a union whose \
                      every member recurses, or a required member that leads back to it without a list, map or \
                      optional member between)"
                .into(),
        }),
    }
}
