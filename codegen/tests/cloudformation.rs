//! The CloudFormation reader and the passes on hand-written fixtures: maps,
//! recursion, keywords, acronyms, inline objects, and malformed schemas.

use std::path::{Path, PathBuf};

use codegen::model::{Prim, Resource, Type, TypeKind};
use codegen::read::{assemble, cloudformation};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cloudformation").join(rel)
}

fn read(rel: &str) -> codegen::Result<Resource> {
    let path = fixture(rel);
    let bytes = std::fs::read(&path).expect("fixture exists");
    match String::from_utf8(bytes) {
        Ok(text) => cloudformation::read(&path, rel, &text),
        Err(e) => Err(codegen::read::json::not_utf8(&path, e.utf8_error())),
    }
}

/// Reads a fixture and runs the passes, as `generate` does.
fn load(rel: &str) -> codegen::Result<Resource> {
    let mut model = assemble(vec![read(rel)?], Vec::new())?;
    codegen::passes::run(&mut model)?;
    let service = model.services.into_values().next().expect("one service");
    Ok(service.resources.into_values().next().expect("one resource"))
}

fn widget() -> Resource {
    load("good/test-widget.json").expect("fixture reads")
}

fn string() -> Type {
    Type::Prim(Prim::String)
}

#[test]
fn properties_keep_schema_order() {
    let w = widget();
    let names: Vec<&str> = w.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "WidgetId",
            "ParentId",
            "Type",
            "Order",
            "IPv6Address",
            "VpcLinkId",
            "SecurityGroupARNs",
            "Labels",
            "Limits",
            "Tree",
            "Settings",
            "Payload",
            "Free",
            "Secret",
            "Region",
            "Target",
            "Legacy"
        ]
    );
}

#[test]
fn names_handle_acronyms_keywords_and_reserved_columns() {
    let w = widget();
    let names = |n: &str| w.field(n).unwrap().names.clone();
    assert_eq!(names("IPv6Address").snake, "ipv6_address");
    assert_eq!(names("VpcLinkId").snake, "vpc_link_id");
    assert_eq!(names("SecurityGroupARNs").snake, "security_group_arns");
    assert_eq!(names("Type").rust, "r#type");
    assert_eq!(names("Order").sql, "\"order\"");
    // `region` is the column every view has; the property gets another name.
    assert_eq!(names("Region").snake, "property_region");
    assert_eq!(w.names.plural, "widgets");
    assert_eq!(w.names.id, "aws.shop.widgets");
}

#[test]
fn maps_get_their_value_type() {
    let w = widget();
    let labels = w.field("Labels").unwrap();
    assert_eq!(labels.ty, Type::Map { key: Box::new(string()), value: Box::new(string()) });
    assert_eq!(labels.constraints.key_pattern.as_deref(), Some("^[a-z]+$"));
    let Some(TypeKind::Alias { ty, constraints }) = w.types.get("LimitMap").map(|d| &d.kind) else {
        panic!("LimitMap is an alias")
    };
    assert_eq!(*ty, Type::Map { key: Box::new(string()), value: Box::new(Type::Named("Limit".into())) });
    assert_eq!(constraints.key_pattern.as_deref(), Some("^.+$"));
    // An object with no properties is still an object: string keys, any values.
    assert_eq!(
        w.field("Free").unwrap().ty,
        Type::Map { key: Box::new(string()), value: Box::new(Type::Prim(Prim::Document)) }
    );
}

#[test]
fn recursive_definitions_stay_named() {
    let w = widget();
    let Some(TypeKind::Struct { fields, .. }) = w.types.get("Node").map(|d| &d.kind) else {
        panic!("Node is a struct")
    };
    let children = fields.iter().find(|f| f.name == "Children").unwrap();
    assert_eq!(children.ty, Type::List(Box::new(Type::Named("Node".into()))));
    assert!(fields.iter().find(|f| f.name == "Name").unwrap().required);
}

#[test]
fn inline_objects_become_named_structs() {
    let w = widget();
    assert_eq!(w.field("Settings").unwrap().ty, Type::Named("Settings".into()));
    let Some(TypeKind::Struct { fields, .. }) = w.types.get("Settings").map(|d| &d.kind) else {
        panic!("Settings is a struct")
    };
    let names: Vec<(&str, bool)> = fields.iter().map(|f| (f.name.as_str(), f.required)).collect();
    assert_eq!(names, [("Enabled", true), ("Depth", false)]);
}

#[test]
fn unions_of_types() {
    let w = widget();
    assert_eq!(
        w.field("Payload").unwrap().ty,
        Type::OneOf(vec![Type::Map { key: Box::new(string()), value: Box::new(Type::Prim(Prim::Document)) }, string()])
    );
    assert_eq!(w.field("Target").unwrap().ty, Type::OneOf(vec![Type::Named("Node".into()), string()]));
    let Some(TypeKind::Struct { required_groups, .. }) = w.types.get("Limit").map(|d| &d.kind) else { panic!() };
    assert_eq!(required_groups.len(), 1);
    assert!(required_groups[0].exclusive);
    assert_eq!(required_groups[0].alternatives, vec![vec!["Max".to_string()], vec!["Unit".to_string()]]);
}

#[test]
fn constraints_and_lifecycle_flags() {
    let w = widget();
    let ty = w.field("Type").unwrap();
    assert_eq!(ty.constraints.allowed, vec![serde_json::json!("SMALL"), serde_json::json!("LARGE")]);
    assert_eq!(ty.constraints.default, Some(serde_json::json!("SMALL")));
    assert!(ty.required);
    let ip = &w.field("IPv6Address").unwrap().constraints;
    assert_eq!((ip.min_length, ip.max_length, ip.pattern.as_deref()), (Some(2), Some(39), Some("^[0-9a-f:]+$")));
    let order = &w.field("Order").unwrap().constraints;
    assert_eq!(
        (order.minimum.clone().map(|n| n.to_string()), order.maximum.clone().map(|n| n.to_string())),
        (Some("1".into()), Some("10".into()))
    );
    let sgs = &w.field("SecurityGroupARNs").unwrap().constraints;
    assert!(sgs.unique_items);
    assert_eq!((sgs.insertion_order, sgs.max_length), (Some(false), Some(5)));

    assert!(w.field("WidgetId").unwrap().flags.read_only);
    assert!(w.field("ParentId").unwrap().flags.create_only);
    assert!(w.field("Secret").unwrap().flags.write_only);
    assert!(w.field("Legacy").unwrap().flags.deprecated);
    // Nested paths are kept for the docs; a path to a removed property is skipped.
    assert_eq!(w.nested_flags, vec![("/properties/Tree/Key".to_string(), "read-only")]);
    let rel = &w.field("ParentId").unwrap().relationships;
    assert_eq!((rel[0].type_name.as_str(), rel[0].property_path.as_str()), ("Test::Shop::Shop", "/properties/ShopId"));
}

#[test]
fn identifiers_handlers_and_list_parameters() {
    let w = widget();
    assert_eq!(w.primary_identifier, vec![vec!["ParentId".to_string()], vec!["WidgetId".to_string()]]);
    assert_eq!(w.additional_identifiers, vec![vec![vec!["VpcLinkId".to_string()]]]);
    let handlers: Vec<&str> = w.handlers.iter().map(|(name, _)| name).collect();
    assert_eq!(handlers, ["create", "read", "update", "delete", "list"]);
    assert_eq!(w.handlers.update.as_ref().unwrap().permissions, ["shop:UpdateWidget", "shop:GetWidget"]);
    let list = w.handlers.list.as_ref().unwrap();
    assert_eq!(list.params.len(), 1);
    assert_eq!(
        (list.params[0].name.as_str(), list.params[0].required, &list.params[0].ty),
        ("ParentId", true, &string())
    );
    assert_eq!(list.params[0].names.snake, "parent_id");
    assert!(!w.tagging.as_ref().unwrap().taggable);
}

/// Runs a bad fixture and returns its one-line error.
fn error_of(rel: &str) -> String {
    let err = load(rel).expect_err("fixture must be rejected").to_string();
    assert!(!err.contains('\n'), "one line: {err}");
    assert!(err.contains(rel.rsplit('/').next().unwrap()), "names the file: {err}");
    err
}

#[test]
fn malformed_schemas_name_file_and_place() {
    let cases = [
        ("bad/dangling-ref.json", "at /properties/Config/$ref: dangling $ref `#/definitions/Missing`"),
        ("bad/cyclic.json", "cyclic definitions: A -> B -> A"),
        ("bad/invalid-json.json", "invalid-json.json:4:33: invalid JSON: trailing comma"),
        ("bad/top-level-array.json", "at /: expected an object, found an array"),
        ("bad/collision.json", "both become `resource_arn`"),
        ("bad/bad-type.json", "at /properties/Name/type: unknown type `strnig`"),
        ("bad/not-utf8.json", "not valid UTF-8"),
    ];
    for (rel, want) in cases {
        let err = error_of(rel);
        assert!(err.contains(want), "{rel}: want {want:?} in {err:?}");
    }
}

#[test]
fn collisions_name_both_sources() {
    let err = error_of("bad/collision.json");
    assert!(err.contains("/properties/ResourceArn") && err.contains("/properties/ResourceARN"), "{err}");
}

/// The widget schema together with a Smithy model of the same service.
fn widget_with_api() -> codegen::model::Service {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/smithy-shop/shop.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let apis = codegen::read::smithy::read(&path, "smithy/shop.json", &text).expect("shop model reads");
    let mut model = assemble(vec![read("good/test-widget.json").unwrap()], apis).unwrap();
    codegen::passes::run(&mut model).unwrap();
    model.services.remove("shop").expect("resources and API join as one service")
}

#[test]
fn resources_link_to_the_operations_that_act_on_them() {
    let service = widget_with_api();
    let widget = &service.resources["Test::Shop::Widget"];
    let links: Vec<(&str, &str)> = widget.operations.iter().map(|l| (l.verb.name(), l.operation.as_str())).collect();
    assert_eq!(
        links,
        [
            ("create", "CreateWidget"),
            ("read", "GetWidget"),
            ("update", "PutWidget"),
            ("delete", "DeleteWidget"),
            ("list", "ListWidgets")
        ]
    );
    let api = service.api.as_ref().unwrap();
    assert_eq!(api.operations["ListWidgets"].resources, ["Test::Shop::Widget"]);
    assert_eq!(api.operations["CreateWidget"].names.snake, "create_widget");
}

#[test]
fn open_objects_take_their_type_from_the_api() {
    let service = widget_with_api();
    let widget = &service.resources["Test::Shop::Widget"];
    let free = widget.field("Free").unwrap();
    assert_eq!(free.ty, Type::Map { key: Box::new(string()), value: Box::new(string()) });
    assert_eq!(free.type_from.as_deref(), Some("CreateWidget"));
    // A property the schema does type is left as the schema says.
    let payload = widget.field("Payload").unwrap();
    assert!(matches!(payload.ty, Type::OneOf(_)));
    assert_eq!(payload.type_from, None);
}
