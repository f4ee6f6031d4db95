//! The normalise pass, run on each API before naming: every operation gets an input and an
//! output structure of its own, and members that make a structure contain itself are boxed.
//!
//! A structure several operations share as input (or output), or that is also an error or a
//! member of another shape, is copied for each operation after the first that uses it, so that
//! what the emitters hang on an operation's input or output (its builder and `send`, which
//! members leave the body for HTTP) belongs to that operation alone. Copies are named
//! `<Operation>Input` / `<Operation>Output`, or with a suffix where a shape already has that
//! name once converted to a Rust type name.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Api, Type, TypeDef, TypeKind};
use crate::names::names;

/// Gives every operation its own input and output, then marks recursive members as boxed.
pub fn api(api: &mut Api) {
    own_inputs_and_outputs(api);
    box_recursive_members(api);
}

fn own_inputs_and_outputs(api: &mut Api) {
    // Shapes some other shape holds, and errors: an operation never takes them as they are.
    let mut claimed: BTreeSet<String> = BTreeSet::new();
    for def in api.types.values() {
        if def.error.is_some() {
            claimed.insert(def.name.clone());
        }
        if let TypeKind::Struct { fields, .. } | TypeKind::Union { variants: fields } = &def.kind {
            for f in fields {
                f.ty.named_in(&mut claimed);
            }
        }
    }
    let mut taken: BTreeSet<String> = api.types.values().map(|d| names(&d.name).pascal).collect();
    let mut copies: Vec<TypeDef> = Vec::new();
    for op in api.operations.values_mut() {
        for (slot, suffix) in [(&mut op.input, "Input"), (&mut op.output, "Output")] {
            let Some(name) = slot.as_ref() else { continue };
            if claimed.insert(name.clone()) {
                continue;
            }
            let Some(def) = api.types.get(name) else { continue };
            let copy_name = free_name(&format!("{}{suffix}", op.name), &taken);
            taken.insert(names(&copy_name).pascal);
            copies.push(TypeDef { name: copy_name.clone(), ..def.clone() });
            *slot = Some(copy_name);
        }
    }
    for def in copies {
        api.types.insert(def.name.clone(), def);
    }
}

/// `base`, or `base` with `Operation` and then a number added, whichever is free as a type name.
fn free_name(base: &str, taken: &BTreeSet<String>) -> String {
    let (stem, suffix) = base.split_at(base.rfind(|c: char| c.is_ascii_uppercase()).unwrap_or(0));
    std::iter::once(base.to_string())
        .chain(std::iter::once(format!("{stem}Operation{suffix}")))
        .chain((2..).map(|n| format!("{stem}Operation{n}{suffix}")))
        .find(|candidate| !taken.contains(&names(candidate).pascal))
        .unwrap_or_else(|| base.to_string())
}

/// Marks members whose type reaches back to their own structure or union without passing a
/// list or map: Rust needs a `Box` there for the type to have a size.
fn box_recursive_members(api: &mut Api) {
    let direct: BTreeMap<String, Vec<String>> = api
        .types
        .iter()
        .filter_map(|(name, d)| match &d.kind {
            TypeKind::Struct { fields, .. } | TypeKind::Union { variants: fields } => Some((
                name.clone(),
                fields
                    .iter()
                    .filter_map(|f| match &f.ty {
                        Type::Named(t) => Some(t.clone()),
                        _ => None,
                    })
                    .collect(),
            )),
            _ => None,
        })
        .collect();
    for (name, def) in api.types.iter_mut() {
        if let TypeKind::Struct { fields, .. } | TypeKind::Union { variants: fields } = &mut def.kind {
            for f in fields {
                if let Type::Named(target) = &f.ty {
                    f.wire.boxed = reaches(&direct, target, name);
                }
            }
        }
    }
}

fn reaches(direct: &BTreeMap<String, Vec<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(n) = stack.pop() {
        if n == to {
            return true;
        }
        if seen.insert(n) {
            if let Some(edges) = direct.get(n) {
                stack.extend(edges.iter().map(String::as_str));
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ErrorInfo, Field, Operation};

    fn structure(name: &str, fields: &[(&str, Type)]) -> (String, TypeDef) {
        let fields = fields.iter().map(|(n, ty)| Field { name: n.to_string(), ty: ty.clone(), ..Field::default() });
        let kind = TypeKind::Struct { fields: fields.collect(), required_groups: Vec::new() };
        let def = TypeDef {
            name: name.to_string(),
            names: Default::default(),
            doc: None,
            kind,
            error: None,
            deprecated: None,
            sensitive: false,
        };
        (name.to_string(), def)
    }

    fn op(name: &str, input: Option<&str>, output: Option<&str>) -> (String, Operation) {
        let op = Operation {
            name: name.into(),
            input: input.map(str::to_owned),
            output: output.map(str::to_owned),
            ..Operation::default()
        };
        (name.to_string(), op)
    }

    fn named(n: &str) -> Type {
        Type::Named(n.into())
    }

    fn fields<'a>(api: &'a Api, ty: &str) -> &'a [Field] {
        match &api.types[ty].kind {
            TypeKind::Struct { fields, .. } => fields,
            _ => panic!("{ty} is not a structure"),
        }
    }

    #[test]
    fn operations_sharing_an_input_get_their_own_copy() {
        let mut api = Api {
            types: [
                structure("ThingRequest", &[("Id", Type::Prim(crate::model::Prim::String))]),
                structure("Thing", &[]),
                // Taken: the copy for GetThing's output must pick another name.
                structure("GetThingOutput", &[]),
            ]
            .into_iter()
            .collect(),
            operations: [
                op("DescribeThing", Some("ThingRequest"), Some("Thing")),
                op("GetThing", Some("ThingRequest"), Some("Thing")),
                op("Ping", None, None),
            ]
            .into_iter()
            .collect(),
            ..Api::default()
        };
        if let Some(d) = api.types.get_mut("GetThingOutput") {
            d.error = Some(ErrorInfo { fault: "client".into(), http_status: None, query_code: None });
        }
        own_inputs_and_outputs(&mut api);
        let ops = &api.operations;
        assert_eq!(ops["DescribeThing"].input.as_deref(), Some("ThingRequest"));
        assert_eq!(ops["DescribeThing"].output.as_deref(), Some("Thing"));
        assert_eq!(ops["GetThing"].input.as_deref(), Some("GetThingInput"));
        assert_eq!(ops["GetThing"].output.as_deref(), Some("GetThingOperationOutput"));
        assert_eq!((ops["Ping"].input.as_deref(), ops["Ping"].output.as_deref()), (None, None));
        // The copy has the members of the original and its own name.
        assert_eq!(fields(&api, "GetThingInput"), fields(&api, "ThingRequest"));
        assert_eq!(api.types["GetThingInput"].name, "GetThingInput");
        assert_eq!(api.types.len(), 5);
    }

    #[test]
    fn an_input_that_is_also_a_member_elsewhere_is_copied() {
        let mut api = Api {
            types: [structure("Filter", &[]), structure("Search", &[("Filter", named("Filter"))])]
                .into_iter()
                .collect(),
            operations: [op("ListThings", Some("Filter"), None)].into_iter().collect(),
            ..Api::default()
        };
        own_inputs_and_outputs(&mut api);
        assert_eq!(api.operations["ListThings"].input.as_deref(), Some("ListThingsInput"));
        assert!(api.types.contains_key("Filter"));
    }

    #[test]
    fn copy_names_avoid_names_that_convert_to_the_same_rust_name() {
        let taken: BTreeSet<String> =
            ["GetThingInput", "GetThingOperationInput"].iter().map(|n| names(n).pascal).collect();
        assert_eq!(free_name("GetThingInput", &taken), "GetThingOperation2Input");
        assert_eq!(free_name("PutThingOutput", &taken), "PutThingOutput");
    }

    #[test]
    fn recursive_members_are_boxed_and_others_are_not() {
        let mut api = Api {
            types: [
                // Node -> Child -> Node: both edges are on the cycle.
                structure("Node", &[("Child", named("Child")), ("Leaf", named("Leaf"))]),
                structure("Child", &[("Parent", named("Node"))]),
                structure("Leaf", &[]),
                // Through a list: sized without a box.
                structure("Tree", &[("Children", Type::List(Box::new(named("Tree"))))]),
                structure("SelfRef", &[("Me", named("SelfRef"))]),
            ]
            .into_iter()
            .collect(),
            ..Api::default()
        };
        box_recursive_members(&mut api);
        let boxed = |ty: &str, member: &str| fields(&api, ty).iter().find(|f| f.name == member).map(|f| f.wire.boxed);
        assert_eq!(boxed("Node", "Child"), Some(true));
        assert_eq!(boxed("Child", "Parent"), Some(true));
        assert_eq!(boxed("Node", "Leaf"), Some(false));
        assert_eq!(boxed("Tree", "Children"), Some(false));
        assert_eq!(boxed("SelfRef", "Me"), Some(true));
    }
}
