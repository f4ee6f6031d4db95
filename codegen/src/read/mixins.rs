//! Smithy 2.0 mixins and `apply` statements, resolved before lowering.
//!
//! AWS publishes its models flattened, but hand-written models (the AWS protocol
//! test suite among them) reuse members and traits through mixins
//! (<https://smithy.io/2.0/spec/mixins.html>) and add traits with `apply`. Rather
//! than teach every step of the lowering about both, [`flatten`] rewrites the
//! `shapes` object into what the model means once they are resolved: each shape
//! with its inherited members and traits, each `apply` merged into its target. The
//! lowering then reads the flattened view as it reads any AWS model.
//!
//! Mixin shapes stay in the view with their `smithy.api#mixin` trait: they are what
//! other shapes inherit from, never types of their own, and the lowering skips them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use serde_json::{Map, Value};

use super::json::kind_of;
use crate::error::{Error, Result};

type Obj = Map<String, Value>;

/// The trait that makes a shape a mixin.
pub const MIXIN: &str = "smithy.api#mixin";

/// How deeply mixins may use one another (each level is one recursion): real
/// models use two or three levels, and the recursion must stay well inside a
/// worker thread's stack whatever the input.
const MAX_DEPTH: usize = 64;

/// Shape properties that hold members (merged member by member) rather than plain
/// values: `members` of structures, unions and enums, `member` of lists, `key` and
/// `value` of maps.
const MEMBER_KEYS: [&str; 3] = ["member", "key", "value"];

/// The `shapes` object with mixins expanded and `apply` statements merged, borrowed
/// unchanged when the model uses neither (every AWS model).
///
/// `apply` statements whose shape is not in this file are dropped: they add traits
/// to shapes of other files, which this reader never sees.
pub fn flatten<'a>(file: &Path, shapes: &'a Obj) -> Result<Cow<'a, Obj>> {
    let needed = shapes.values().filter_map(Value::as_object).any(|s| s.contains_key("mixins") || is_apply(s));
    if !needed {
        return Ok(Cow::Borrowed(shapes));
    }
    let mut flattener = Flattener { file, shapes, applied: HashMap::new(), done: HashMap::new(), visiting: Vec::new() };
    flattener.collect_applies()?;
    let mut out = Obj::with_capacity(shapes.len());
    for (id, value) in shapes {
        match value.as_object() {
            Some(body) if is_apply(body) => {}
            Some(_) => {
                out.insert(id.clone(), Value::Object(flattener.shape(id)?));
            }
            // Not a shape at all: copied, for the lowering to report with the others.
            None => {
                out.insert(id.clone(), value.clone());
            }
        }
    }
    Ok(Cow::Owned(out))
}

fn is_apply(body: &Obj) -> bool {
    body.get("type").and_then(Value::as_str) == Some("apply")
}

/// The value of a shape's `smithy.api#mixin` trait, if it is a mixin.
fn mixin_trait(body: &Obj) -> Option<&Value> {
    body.get("traits").and_then(Value::as_object).and_then(|t| t.get(MIXIN))
}

fn is_mixin(body: &Obj) -> bool {
    mixin_trait(body).is_some()
}

/// Traits an `apply` statement adds to a shape, or to one of its members.
struct Applied<'a> {
    /// The statement's own id (`Shape` or `Shape$member`), for messages.
    id: &'a str,
    member: Option<&'a str>,
    traits: &'a Obj,
}

/// One flattening of one file's shapes.
struct Flattener<'a> {
    file: &'a Path,
    shapes: &'a Obj,
    /// Shape id -> the `apply` statements that target it or its members.
    applied: HashMap<&'a str, Vec<Applied<'a>>>,
    /// Flattened bodies of the mixins resolved so far (a mixin serves many shapes).
    done: HashMap<&'a str, Obj>,
    /// The chain of shapes being resolved, to name a mixin cycle.
    visiting: Vec<&'a str>,
}

impl<'a> Flattener<'a> {
    fn err(&self, shape: &str, message: String) -> Error {
        Error::Shape { file: self.file.to_path_buf(), shape: shape.to_owned(), message }
    }

    fn collect_applies(&mut self) -> Result<()> {
        for (id, value) in self.shapes {
            let Some(body) = value.as_object().filter(|b| is_apply(b)) else {
                continue;
            };
            let traits = match body.get("traits") {
                Some(Value::Object(traits)) => traits,
                Some(v) => return Err(self.err(id, format!("`traits` must be an object, found {}", kind_of(v)))),
                None => return Err(self.err(id, "`apply` has no `traits`".into())),
            };
            let (shape, member) = match id.split_once('$') {
                Some((shape, member)) => (shape, Some(member)),
                None => (id.as_str(), None),
            };
            if self.shapes.contains_key(shape) {
                self.applied.entry(shape).or_default().push(Applied { id, member, traits });
            }
        }
        Ok(())
    }

    /// The flattened body of shape `id`, which is in `shapes` and is an object.
    fn shape(&mut self, id: &'a str) -> Result<Obj> {
        if let Some(done) = self.done.get(id) {
            return Ok(done.clone());
        }
        let Some(Value::Object(body)) = self.shapes.get(id) else {
            return Err(self.err(id, "is not a shape object".into()));
        };
        let mixins = self.mixin_ids(id, body)?;
        let mut flat = Obj::new();
        if !mixins.is_empty() {
            if let Some(start) = self.visiting.iter().position(|v| *v == id) {
                let mut path: Vec<&str> = self.visiting[start..].to_vec();
                path.push(id);
                return Err(self.err(id, format!("mixin cycle: {}", path.join(" -> "))));
            }
            if self.visiting.len() >= MAX_DEPTH {
                return Err(self.err(id, format!("mixins nested more than {MAX_DEPTH} deep")));
            }
            self.visiting.push(id);
            let inherited = self.inherit(id, body, &mixins);
            self.visiting.pop();
            flat = inherited?;
        }
        merge(&mut flat, body, &[]);
        // The expansion is done: the lowering must not see a mixin list it would
        // take for members still to add.
        flat.remove("mixins");
        for applied in self.applied.get(id).map_or(&[][..], Vec::as_slice) {
            self.apply(&mut flat, applied)?;
        }
        if is_mixin(body) {
            self.done.insert(id, flat.clone());
        }
        Ok(flat)
    }

    /// The targets of `body["mixins"]`, in order.
    fn mixin_ids(&self, id: &str, body: &'a Obj) -> Result<Vec<&'a str>> {
        let refs = match body.get("mixins") {
            None => return Ok(Vec::new()),
            Some(Value::Array(refs)) => refs,
            Some(v) => return Err(self.err(id, format!("`mixins` must be an array, found {}", kind_of(v)))),
        };
        refs.iter()
            .map(|r| match r.as_object().and_then(|o| o.get("target")) {
                Some(Value::String(target)) => Ok(target.as_str()),
                Some(v) => Err(self.err(id, format!("`mixins` target must be a string, found {}", kind_of(v)))),
                None => Err(self.err(id, "`mixins` entry has no `target`".into())),
            })
            .collect()
    }

    /// What shape `id` inherits from its mixins: each mixin's flattened members and
    /// traits in order, later mixins winning over earlier ones.
    fn inherit(&mut self, id: &str, body: &Obj, mixins: &[&'a str]) -> Result<Obj> {
        let Some(ty) = body.get("type").and_then(Value::as_str) else {
            return Err(self.err(id, "has no `type`".into()));
        };
        let mut inherited = Obj::new();
        for &mixin in mixins {
            let Some(Value::Object(raw)) = self.shapes.get(mixin) else {
                let message = match self.shapes.get(mixin) {
                    Some(v) => format!("mixin `{mixin}` must be an object, found {}", kind_of(v)),
                    None => format!("mixin `{mixin}` is not defined"),
                };
                return Err(self.err(id, message));
            };
            let mixin_ty = raw.get("type").and_then(Value::as_str).unwrap_or_default();
            if mixin_ty != ty {
                return Err(self.err(id, format!("mixin `{mixin}` is a {mixin_ty}, not a {ty}")));
            }
            let Some(marker) = mixin_trait(raw) else {
                return Err(self.err(id, format!("`{mixin}` is used as a mixin but has no `{MIXIN}` trait")));
            };
            let local = self.local_traits(mixin, marker)?;
            let flat = self.shape(mixin)?;
            let mut skip = vec![MIXIN];
            skip.extend(local);
            merge(&mut inherited, &flat, &skip);
        }
        Ok(inherited)
    }

    /// The `localTraits` of a mixin trait: traits the mixin keeps to itself.
    fn local_traits(&self, mixin: &str, marker: &'a Value) -> Result<Vec<&'a str>> {
        let what = format!("trait `{MIXIN}` property `localTraits`");
        match marker.as_object().and_then(|m| m.get("localTraits")) {
            None => Ok(Vec::new()),
            Some(Value::Array(ids)) => ids
                .iter()
                .map(|t| {
                    t.as_str()
                        .ok_or_else(|| self.err(mixin, format!("{what} item must be a string, found {}", kind_of(t))))
                })
                .collect(),
            Some(v) => Err(self.err(mixin, format!("{what} must be an array, found {}", kind_of(v)))),
        }
    }

    /// Merges one `apply` statement into a flattened shape.
    fn apply(&self, flat: &mut Obj, applied: &Applied) -> Result<()> {
        let traits = match applied.member {
            None => traits_of(flat),
            Some(member) => {
                let declared = matches!(flat.get("members"), Some(Value::Object(m)) if m.contains_key(member));
                let slot = if declared {
                    flat.get_mut("members").and_then(|m| m.get_mut(member))
                } else if MEMBER_KEYS.contains(&member) {
                    flat.get_mut(member)
                } else {
                    None
                };
                let Some(slot) = slot else {
                    return Err(self.err(applied.id, "`apply` targets a member the shape does not have".into()));
                };
                slot.as_object_mut().and_then(traits_of)
            }
        };
        // A malformed member or `traits` is left for the lowering to report.
        let Some(traits) = traits else {
            return Ok(());
        };
        for (id, value) in applied.traits {
            // Smithy concatenates list traits given twice; other values are replaced.
            match (traits.get_mut(id), value) {
                (Some(Value::Array(list)), Value::Array(more)) => list.extend(more.iter().cloned()),
                _ => {
                    traits.insert(id.clone(), value.clone());
                }
            }
        }
        Ok(())
    }
}

/// The `traits` object of a shape or member, made if absent; `None` if it is not an
/// object, which is left as it is for the lowering to report.
fn traits_of(body: &mut Obj) -> Option<&mut Obj> {
    body.entry("traits").or_insert_with(|| Value::Object(Obj::new())).as_object_mut()
}

/// Merges shape body `from` over `into`, `from` winning: traits by id (except those
/// in `skip`), members by name (a member already present keeps its place and takes
/// the new traits on top), lists of references appended without repeats, maps by key,
/// plain values replaced.
fn merge(into: &mut Obj, from: &Obj, skip: &[&str]) {
    for (key, value) in from {
        match key.as_str() {
            "mixins" => {}
            "traits" => {
                let Value::Object(traits) = value else {
                    into.insert(key.clone(), value.clone());
                    continue;
                };
                let Some(target) = traits_of(into) else { continue };
                for (id, v) in traits.iter().filter(|(id, _)| !skip.contains(&id.as_str())) {
                    target.insert(id.clone(), v.clone());
                }
            }
            "members" => match (into.get_mut(key), value) {
                (Some(Value::Object(members)), Value::Object(more)) => {
                    for (name, member) in more {
                        match members.get_mut(name) {
                            Some(existing) => merge_member(existing, member),
                            None => {
                                members.insert(name.clone(), member.clone());
                            }
                        }
                    }
                }
                _ => {
                    into.insert(key.clone(), value.clone());
                }
            },
            k if MEMBER_KEYS.contains(&k) => match into.get_mut(key) {
                Some(existing) => merge_member(existing, value),
                None => {
                    into.insert(key.clone(), value.clone());
                }
            },
            _ => match (into.get_mut(key), value) {
                (Some(Value::Array(list)), Value::Array(more)) => {
                    for item in more {
                        if !list.contains(item) {
                            list.push(item.clone());
                        }
                    }
                }
                (Some(Value::Object(map)), Value::Object(more)) => {
                    map.extend(more.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
                _ => {
                    into.insert(key.clone(), value.clone());
                }
            },
        }
    }
}

/// A member redeclared (or inherited twice): its target and traits from `from` on
/// top of those it had.
fn merge_member(into: &mut Value, from: &Value) {
    match (into, from) {
        (Value::Object(into), Value::Object(from)) => merge(into, from, &[]),
        (into, from) => *into = from.clone(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn flat(shapes: Value) -> Result<Obj> {
        let Value::Object(shapes) = shapes else { panic!("fixture is an object") };
        flatten(Path::new("test.json"), &shapes).map(Cow::into_owned)
    }

    fn ok(shapes: Value) -> Obj {
        flat(shapes).expect("flattens")
    }

    fn shape_error(shapes: Value) -> (String, String) {
        match flat(shapes) {
            Err(Error::Shape { shape, message, .. }) => (shape, message),
            other => panic!("expected a shape error, got {other:?}"),
        }
    }

    fn member_names(shapes: &Obj, id: &str) -> Vec<String> {
        shapes[id]["members"].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default()
    }

    #[test]
    fn models_without_mixins_or_apply_are_borrowed_unchanged() {
        let Value::Object(shapes) = json!({ "ex#A": { "type": "structure", "members": {} } }) else { return };
        assert!(matches!(flatten(Path::new("t.json"), &shapes), Ok(Cow::Borrowed(_))));
    }

    #[test]
    fn members_follow_the_depth_first_order_of_mixins_then_own_members() {
        // The spec's example: mixins left to right, each mixin's own mixins first.
        let shapes = ok(json!({
            "ex#A": { "type": "structure", "members": { "a": { "target": "smithy.api#String" } },
                      "traits": { "smithy.api#mixin": {} } },
            "ex#Paginated": { "type": "structure", "mixins": [{ "target": "ex#A" }],
                              "members": { "nextToken": { "target": "smithy.api#String" },
                                           "pageSize": { "target": "smithy.api#Integer" } },
                              "traits": { "smithy.api#mixin": {} } },
            "ex#Filtered": { "type": "structure", "members": { "nameFilter": { "target": "smithy.api#String" } },
                             "traits": { "smithy.api#mixin": {} } },
            "ex#ListInput": { "type": "structure",
                              "mixins": [{ "target": "ex#Paginated" }, { "target": "ex#Filtered" }],
                              "members": { "sizeFilter": { "target": "smithy.api#Integer" } } }
        }));
        assert_eq!(member_names(&shapes, "ex#ListInput"), ["a", "nextToken", "pageSize", "nameFilter", "sizeFilter"]);
        assert!(shapes["ex#ListInput"].get("mixins").is_none());
        assert!(shapes["ex#ListInput"].get("traits").is_none_or(|t| t.get(MIXIN).is_none()));
        // The mixins stay, flattened too, with the trait that marks them.
        assert_eq!(member_names(&shapes, "ex#Paginated"), ["a", "nextToken", "pageSize"]);
        assert!(shapes["ex#Filtered"]["traits"].get(MIXIN).is_some());
    }

    #[test]
    fn a_redeclared_member_keeps_its_place_and_merges_traits_local_winning() {
        let shapes = ok(json!({
            "ex#A1": { "type": "structure", "traits": { "smithy.api#mixin": {} }, "members": {
                "a": { "target": "smithy.api#String", "traits": { "smithy.api#documentation": "Generic" } },
                "b": { "target": "smithy.api#String" } } },
            "ex#A2": { "type": "structure", "traits": { "smithy.api#mixin": {} }, "members": {
                "a": { "target": "smithy.api#String", "traits": { "smithy.api#required": {} } } } },
            "ex#Valid": { "type": "structure", "mixins": [{ "target": "ex#A1" }, { "target": "ex#A2" }], "members": {
                "c": { "target": "smithy.api#String" },
                "a": { "target": "smithy.api#String", "traits": { "smithy.api#documentation": "Specific" } } } }
        }));
        assert_eq!(member_names(&shapes, "ex#Valid"), ["a", "b", "c"]);
        let a = &shapes["ex#Valid"]["members"]["a"];
        assert_eq!(a["traits"], json!({ "smithy.api#documentation": "Specific", "smithy.api#required": {} }));
        assert_eq!(a["target"], "smithy.api#String");
    }

    #[test]
    fn traits_are_inherited_later_mixins_and_own_traits_winning() {
        // The spec's StructA..StructD example.
        let shapes = ok(json!({
            "ex#A": { "type": "structure", "traits": { "smithy.api#mixin": {},
                "smithy.api#documentation": "A", "ex#foo": 1, "ex#one": {} } },
            "ex#B": { "type": "structure", "traits": { "smithy.api#mixin": {},
                "smithy.api#documentation": "B", "ex#foo": 2, "ex#two": {} } },
            "ex#C": { "type": "structure", "mixins": [{ "target": "ex#A" }, { "target": "ex#B" }],
                      "traits": { "smithy.api#mixin": {}, "smithy.api#documentation": "C", "ex#three": {} } },
            "ex#D": { "type": "structure", "mixins": [{ "target": "ex#C" }],
                      "traits": { "smithy.api#documentation": "D", "ex#four": {} } }
        }));
        let traits = shapes["ex#D"]["traits"].as_object().cloned().unwrap_or_default();
        let mut ids: Vec<&str> = traits.keys().map(String::as_str).collect();
        ids.sort_unstable();
        assert_eq!(ids, ["ex#foo", "ex#four", "ex#one", "ex#three", "ex#two", "smithy.api#documentation"]);
        assert_eq!(traits["smithy.api#documentation"], "D");
        assert_eq!(traits["ex#foo"], 2);
    }

    #[test]
    fn local_traits_stay_on_the_mixin() {
        let shapes = ok(json!({
            "ex#Private": { "type": "structure", "members": { "foo": { "target": "smithy.api#String" } },
                "traits": { "smithy.api#private": {}, "smithy.api#documentation": "Shared.",
                            "smithy.api#mixin": { "localTraits": ["smithy.api#private"] } } },
            "ex#Public": { "type": "structure", "mixins": [{ "target": "ex#Private" }] }
        }));
        assert_eq!(shapes["ex#Public"]["traits"], json!({ "smithy.api#documentation": "Shared." }));
        assert_eq!(member_names(&shapes, "ex#Public"), ["foo"]);
    }

    #[test]
    fn simple_shapes_lists_and_maps_inherit_traits_and_members() {
        let shapes = ok(json!({
            "ex#AlphaNumeric": { "type": "string", "traits": { "smithy.api#mixin": {}, "smithy.api#pattern": "^[a-z]*$" } },
            "ex#Username": { "type": "string", "mixins": [{ "target": "ex#AlphaNumeric" }],
                             "traits": { "smithy.api#length": { "min": 8 } } },
            "ex#StringList": { "type": "list", "traits": { "smithy.api#mixin": {} },
                               "member": { "target": "smithy.api#String", "traits": { "ex#a": 1 } } },
            "ex#Aliases": { "type": "list", "mixins": [{ "target": "ex#StringList" }],
                            "member": { "target": "smithy.api#String", "traits": { "ex#b": 2 } } },
            "ex#StringMap": { "type": "map", "traits": { "smithy.api#mixin": {} },
                              "key": { "target": "smithy.api#String" }, "value": { "target": "smithy.api#String" } },
            "ex#Labels": { "type": "map", "mixins": [{ "target": "ex#StringMap" }] }
        }));
        assert_eq!(
            shapes["ex#Username"]["traits"],
            json!({ "smithy.api#pattern": "^[a-z]*$", "smithy.api#length": { "min": 8 } })
        );
        assert_eq!(
            shapes["ex#Aliases"]["member"],
            json!({ "target": "smithy.api#String", "traits": { "ex#a": 1, "ex#b": 2 } })
        );
        assert_eq!(shapes["ex#Labels"]["key"], json!({ "target": "smithy.api#String" }));
        assert_eq!(shapes["ex#Labels"]["value"], json!({ "target": "smithy.api#String" }));
    }

    #[test]
    fn services_and_operations_merge_their_properties() {
        // The spec's service example: lists appended, maps merged with local keys kept,
        // plain values local.
        let shapes = ok(json!({
            "ex#A": { "type": "service", "version": "A", "operations": [{ "target": "ex#OpA" }],
                      "traits": { "smithy.api#mixin": {} } },
            "ex#B": { "type": "service", "version": "B", "mixins": [{ "target": "ex#A" }],
                      "rename": { "ex#OpAInput": "OperationARequest", "ex#OpAOutput": "OperationAResult" },
                      "operations": [{ "target": "ex#OpB" }], "traits": { "smithy.api#mixin": {} } },
            "ex#C": { "type": "service", "version": "C", "mixins": [{ "target": "ex#B" }],
                      "rename": { "ex#OpAOutput": "OperationAResponse", "ex#OpBInput": "OperationBRequest" },
                      "operations": [{ "target": "ex#OpC" }, { "target": "ex#OpA" }] },
            "ex#Validated": { "type": "operation", "errors": [{ "target": "ex#ValidationError" }],
                              "traits": { "smithy.api#mixin": {} } },
            "ex#Get": { "type": "operation", "mixins": [{ "target": "ex#Validated" }],
                        "input": { "target": "ex#GetInput" }, "errors": [{ "target": "ex#NotFound" }] }
        }));
        let c = &shapes["ex#C"];
        assert_eq!(c["version"], "C");
        assert_eq!(c["operations"], json!([{ "target": "ex#OpA" }, { "target": "ex#OpB" }, { "target": "ex#OpC" }]));
        assert_eq!(
            c["rename"],
            json!({ "ex#OpAInput": "OperationARequest", "ex#OpAOutput": "OperationAResponse", "ex#OpBInput": "OperationBRequest" })
        );
        assert!(c.get("traits").is_none_or(|t| t.get(MIXIN).is_none()));
        let get = &shapes["ex#Get"];
        assert_eq!(get["errors"], json!([{ "target": "ex#ValidationError" }, { "target": "ex#NotFound" }]));
        assert_eq!(get["input"], json!({ "target": "ex#GetInput" }));
    }

    #[test]
    fn apply_adds_traits_to_shapes_and_members_including_mixed_in_ones() {
        let shapes = ok(json!({
            "ex#Mixin": { "type": "structure", "traits": { "smithy.api#mixin": {} }, "members": {
                "mixinMember": { "target": "smithy.api#String", "traits": { "smithy.api#documentation": "Generic" } } } },
            "ex#Struct": { "type": "structure", "mixins": [{ "target": "ex#Mixin" }] },
            "ex#Struct$mixinMember": { "type": "apply", "traits": { "smithy.api#documentation": "Specific" } },
            "ex#List": { "type": "list", "member": { "target": "smithy.api#String" } },
            "ex#List$member": { "type": "apply", "traits": { "smithy.api#length": { "max": 3 } } },
            "other#Elsewhere": { "type": "apply", "traits": { "smithy.api#documentation": "Not in this file." } }
        }));
        let member = &shapes["ex#Struct"]["members"]["mixinMember"];
        assert_eq!(member["traits"]["smithy.api#documentation"], "Specific");
        // The mixin's own copy is untouched.
        assert_eq!(shapes["ex#Mixin"]["members"]["mixinMember"]["traits"]["smithy.api#documentation"], "Generic");
        assert_eq!(shapes["ex#List"]["member"]["traits"], json!({ "smithy.api#length": { "max": 3 } }));
        let ids: Vec<&str> = shapes.keys().map(String::as_str).collect();
        assert_eq!(ids, ["ex#Mixin", "ex#Struct", "ex#List"]);
    }

    #[test]
    fn apply_to_a_mixin_member_reaches_the_shapes_using_it() {
        let shapes = ok(json!({
            "ex#Mixin": { "type": "structure", "traits": { "smithy.api#mixin": {} },
                          "members": { "m": { "target": "smithy.api#String" } } },
            "ex#Mixin$m": { "type": "apply", "traits": { "smithy.api#required": {} } },
            "ex#User": { "type": "structure", "mixins": [{ "target": "ex#Mixin" }] }
        }));
        assert_eq!(shapes["ex#User"]["members"]["m"]["traits"], json!({ "smithy.api#required": {} }));
    }

    #[test]
    fn apply_concatenates_list_traits_and_replaces_others() {
        // Traits given twice: on the member itself, then by `apply`.
        let shapes = ok(json!({
            "ex#S": { "type": "structure", "members": {
                "m": { "target": "smithy.api#String",
                       "traits": { "smithy.api#tags": ["a"], "smithy.api#documentation": "Old" } } } },
            "ex#S$m": { "type": "apply", "traits": { "smithy.api#tags": ["b"], "smithy.api#documentation": "New" } }
        }));
        let traits = &shapes["ex#S"]["members"]["m"]["traits"];
        assert_eq!(traits["smithy.api#tags"], json!(["a", "b"]));
        assert_eq!(traits["smithy.api#documentation"], "New");

        let (shape, message) = shape_error(json!({
            "ex#S": { "type": "structure", "members": {} },
            "ex#S$x": { "type": "apply", "traits": {} }
        }));
        assert_eq!(shape, "ex#S$x");
        assert!(message.contains("member"), "{message}");
    }

    #[test]
    fn mixin_errors_name_the_shape() {
        let (shape, message) = shape_error(json!({
            "ex#A": { "type": "structure", "mixins": [{ "target": "ex#B" }], "traits": { "smithy.api#mixin": {} } },
            "ex#B": { "type": "structure", "mixins": [{ "target": "ex#A" }], "traits": { "smithy.api#mixin": {} } }
        }));
        assert_eq!(shape, "ex#A");
        assert!(message.contains("cycle") && message.contains("ex#A -> ex#B -> ex#A"), "{message}");

        let (shape, message) =
            shape_error(json!({ "ex#S": { "type": "structure", "mixins": [{ "target": "ex#Gone" }] } }));
        assert_eq!(shape, "ex#S");
        assert!(message.contains("ex#Gone") && message.contains("not defined"), "{message}");

        let (shape, message) = shape_error(json!({
            "ex#M": { "type": "string", "traits": { "smithy.api#mixin": {} } },
            "ex#S": { "type": "blob", "mixins": [{ "target": "ex#M" }] }
        }));
        assert_eq!(shape, "ex#S");
        assert!(message.contains("a string, not a blob"), "{message}");

        let (shape, message) = shape_error(json!({
            "ex#M": { "type": "structure" },
            "ex#S": { "type": "structure", "mixins": [{ "target": "ex#M" }] }
        }));
        assert_eq!(shape, "ex#S");
        assert!(message.contains(MIXIN), "{message}");

        let (shape, _) = shape_error(json!({ "ex#S": { "type": "structure", "mixins": {} } }));
        assert_eq!(shape, "ex#S");
        let (shape, _) = shape_error(json!({ "ex#S": { "type": "structure", "mixins": [{}] } }));
        assert_eq!(shape, "ex#S");
        let (shape, _) =
            shape_error(json!({ "ex#S$m": { "type": "apply", "traits": [] }, "ex#S": { "type": "structure" } }));
        assert_eq!(shape, "ex#S$m");
        let (shape, message) = shape_error(json!({
            "ex#M": { "type": "structure", "traits": { "smithy.api#mixin": { "localTraits": "x" } } },
            "ex#S": { "type": "structure", "mixins": [{ "target": "ex#M" }] }
        }));
        assert_eq!(shape, "ex#M");
        assert!(message.contains("localTraits"), "{message}");
    }

    #[test]
    fn deep_mixin_chains_are_refused_not_overflowing() {
        let mut shapes = Obj::new();
        for i in 0..200 {
            let mut body = json!({ "type": "structure", "traits": { "smithy.api#mixin": {} } });
            if i > 0 {
                body["mixins"] = json!([{ "target": format!("ex#M{}", i - 1) }]);
            }
            shapes.insert(format!("ex#M{i}"), body);
        }
        // Resolved from the deep end first, so the chain is walked in one recursion.
        let reversed: Obj = shapes.into_iter().rev().collect();
        match flat(Value::Object(reversed)) {
            Err(Error::Shape { message, .. }) => assert!(message.contains("deep"), "{message}"),
            other => panic!("expected a depth error, got {other:?}"),
        }
    }
}
