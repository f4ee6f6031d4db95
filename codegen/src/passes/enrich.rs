//! The enrich pass: where a resource schema leaves a property's type open (a bare
//! `"type": "object"`), take the type the service API gives the same member of
//! the operation that creates or updates the resource. `ResponseModels` of a
//! route response is a `map<string, string>` in the API, not any JSON object.

use crate::model::{Api, Field, Prim, Resource, Type, TypeKind, Verb};

pub fn run(model: &mut crate::model::Model) {
    model.services.values_mut().for_each(service);
}

/// Enriches one service's resources from its own API.
pub fn service(service: &mut crate::model::Service) {
    let Some(api) = &service.api else { return };
    for resource in service.resources.values_mut() {
        enrich(api, resource);
    }
}

fn enrich(api: &Api, resource: &mut Resource) {
    // Inputs of the create and update operations, in that order.
    let inputs: Vec<(&str, &[Field])> = resource
        .operations
        .iter()
        .filter(|l| matches!(l.verb, Verb::Create | Verb::Update))
        .filter_map(|l| {
            let op = api.operations.get(&l.operation)?;
            match &api.types.get(op.input.as_ref()?)?.kind {
                TypeKind::Struct { fields, .. } => Some((op.name.as_str(), fields.as_slice())),
                _ => None,
            }
        })
        .collect();
    for field in resource.fields.iter_mut().filter(|f| is_open_object(&f.ty)) {
        let found = inputs.iter().find_map(|(op, members)| {
            let member = members.iter().find(|m| m.name == field.name)?;
            (matches!(member.ty, Type::Map { .. }) && is_structural(&member.ty)).then(|| (*op, member.ty.clone()))
        });
        if let Some((op, ty)) = found {
            field.ty = ty;
            field.type_from = Some(op.to_string());
        }
    }
}

/// `map<string, json>`: what the reader makes of an object with no declared shape.
fn is_open_object(ty: &Type) -> bool {
    matches!(ty, Type::Map { value, .. } if **value == Type::Prim(Prim::Document))
}

/// Built only from scalars, lists and maps: meaningful without the API's type table.
fn is_structural(ty: &Type) -> bool {
    match ty {
        Type::Prim(_) => true,
        Type::List(item) | Type::Nullable(item) => is_structural(item),
        Type::Map { key, value } => is_structural(key) && is_structural(value),
        Type::Named(_) | Type::OneOf(_) => false,
    }
}
