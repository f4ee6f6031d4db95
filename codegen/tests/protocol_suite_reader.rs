//! The official Smithy AWS protocol test suite (`../shared/protocol-tests`) goes
//! through the normal reader: twelve services in one file, with mixins. Every
//! expectation is counted from the raw JSON here, independently of the reader.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use codegen::model::{Api, HttpBinding, TypeKind};
use codegen::read::SpecFiles;
use serde_json::{Map, Value};

/// `CARGO_MANIFEST_DIR/../../shared/protocol-tests/aws-protocol-tests.json`, if present.
fn suite() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/protocol-tests/aws-protocol-tests.json");
    if path.is_file() {
        Some(path)
    } else {
        println!("skipped: {} not found", path.display());
        None
    }
}

fn raw(path: &Path) -> Map<String, Value> {
    let text = std::fs::read_to_string(path).expect("suite reads");
    let doc: Value = serde_json::from_str(&text).expect("suite is JSON");
    doc["shapes"].as_object().cloned().expect("suite has shapes")
}

fn targets(body: &Value, key: &str) -> Vec<String> {
    match &body[key] {
        Value::Array(refs) => refs.iter().filter_map(|r| r["target"].as_str().map(str::to_owned)).collect(),
        Value::Object(r) => r.get("target").and_then(Value::as_str).map(str::to_owned).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Service shape id -> (protocol trait name, operation count of its closure).
fn expected(shapes: &Map<String, Value>) -> BTreeMap<String, (String, usize)> {
    let mut out = BTreeMap::new();
    for (id, body) in shapes {
        let traits = body["traits"].as_object();
        if body["type"] != "service" || traits.is_some_and(|t| t.contains_key("smithy.api#mixin")) {
            continue;
        }
        let protocol = traits
            .into_iter()
            .flat_map(|t| t.keys())
            .find_map(|t| t.strip_prefix("aws.protocols#"))
            .unwrap_or("none")
            .to_owned();
        let mut operations: HashSet<String> = targets(body, "operations").into_iter().collect();
        let mut resources = targets(body, "resources");
        let mut seen = HashSet::new();
        while let Some(resource) = resources.pop() {
            if !seen.insert(resource.clone()) {
                continue;
            }
            let r = &shapes[&resource];
            for key in ["create", "put", "read", "update", "delete", "list", "operations", "collectionOperations"] {
                operations.extend(targets(r, key));
            }
            resources.extend(targets(r, "resources"));
        }
        out.insert(id.clone(), (protocol, operations.len()));
    }
    out
}

fn api<'a>(apis: &'a [Api], shape_id: &str) -> &'a Api {
    apis.iter().find(|a| a.shape_id == shape_id).unwrap_or_else(|| panic!("no API for {shape_id}"))
}

fn member_names(api: &Api, ty: &str) -> Vec<String> {
    match &api.types[ty].kind {
        TypeKind::Struct { fields, .. } => fields.iter().map(|f| f.name.clone()).collect(),
        other => panic!("{ty} is not a structure: {other:?}"),
    }
}

#[test]
fn every_service_of_the_suite_is_an_api_with_its_protocol_and_operations() {
    let Some(path) = suite() else { return };
    let shapes = raw(&path);
    let expected = expected(&shapes);
    assert_eq!(expected.len(), 12, "the suite's service count");

    let text = std::fs::read_to_string(&path).expect("suite reads");
    let apis = codegen::read::smithy::read(&path, "smithy/aws-protocol-tests.json", &text).expect("suite lowers");
    let got: BTreeMap<String, (String, usize)> =
        apis.iter().map(|a| (a.shape_id.clone(), (a.protocol.name().to_owned(), a.operations.len()))).collect();
    assert_eq!(got, expected);
    assert_eq!(apis.len(), 12, "one API per service, none twice");
    assert!(apis.iter().all(|a| a.source == "smithy/aws-protocol-tests.json"));
    let protocols: HashSet<&str> = apis.iter().map(|a| a.protocol.name()).collect();
    let mut protocols: Vec<&str> = protocols.into_iter().collect();
    protocols.sort_unstable();
    assert_eq!(protocols, ["awsJson1_0", "awsJson1_1", "awsQuery", "ec2Query", "restJson1", "restXml"]);
    // Mixins are never types, whichever service's closure is looked at (types are
    // keyed by local name, so names that other namespaces also use are left out).
    let local = |id: &str| id.rsplit_once('#').map_or("", |(_, name)| name).to_owned();
    let is_mixin = |body: &Value| body["traits"].get("smithy.api#mixin").is_some();
    let others: HashSet<String> = shapes.iter().filter(|(_, b)| !is_mixin(b)).map(|(id, _)| local(id)).collect();
    let mixins: HashSet<String> =
        shapes.iter().filter(|(_, b)| is_mixin(b)).map(|(id, _)| local(id)).filter(|n| !others.contains(n)).collect();
    assert!(mixins.len() > 10);
    for api in &apis {
        assert!(api.types.keys().all(|t| !mixins.contains(t)), "{} has a mixin type", api.shape_id);
    }
}

#[test]
fn mixin_members_come_first_in_order_with_their_traits() {
    let Some(path) = suite() else { return };
    let shapes = raw(&path);
    let text = std::fs::read_to_string(&path).expect("suite reads");
    let apis = codegen::read::smithy::read(&path, "smithy/aws-protocol-tests.json", &text).expect("suite lowers");

    // `SimpleScalarPropertiesRequest` has no members of its own: all come from its
    // mixin, in the mixin's order, with the mixin's member traits.
    let rest_xml = api(&apis, "aws.protocoltests.restxml#RestXml");
    let mixin = &shapes["aws.protocoltests.restxml#SimpleScalarPropertiesInputOutput"];
    let order: Vec<String> = mixin["members"].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default();
    assert!(order.len() > 5);
    assert_eq!(member_names(rest_xml, "SimpleScalarPropertiesRequest"), order);
    assert_eq!(member_names(rest_xml, "SimpleScalarPropertiesResponse"), order);
    let TypeKind::Struct { fields, .. } = &rest_xml.types["SimpleScalarPropertiesRequest"].kind else {
        panic!("a structure")
    };
    assert_eq!(fields[0].wire.binding, Some(HttpBinding::Header("X-Foo".into())));
    assert!(!rest_xml.types.contains_key("SimpleScalarPropertiesInputOutput"));

    // Member `default` traits inherited from `DefaultsMixin`.
    let json10 = api(&apis, "aws.protocoltests.json10#JsonRpc10");
    let TypeKind::Struct { fields, .. } = &json10.types["OperationWithDefaultsOutput"].kind else {
        panic!("a structure")
    };
    let default_string = fields.iter().find(|f| f.name == "defaultString").expect("inherited member");
    assert_eq!(default_string.constraints.default, Some(Value::from("hi")));
}

#[test]
fn mixin_local_traits_are_not_inherited() {
    let Some(path) = suite() else { return };
    let shapes = raw(&path);
    let flat = codegen::read::mixins::flatten(&path, &shapes).expect("suite flattens");
    // `HttpConfiguration` keeps `private` to itself (`localTraits`); its members and
    // its other traits reach the protocol definitions, whose own docs win.
    let rest_json = &flat["aws.protocols#restJson1"];
    let traits = rest_json["traits"].as_object().expect("traits");
    assert!(!traits.contains_key("smithy.api#private"));
    assert!(!traits.contains_key("smithy.api#mixin"));
    assert_eq!(
        traits["smithy.api#documentation"],
        shapes["aws.protocols#restJson1"]["traits"]["smithy.api#documentation"]
    );
    let members: Vec<&str> =
        rest_json["members"].as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default();
    assert_eq!(members, ["http", "eventStreamHttp"]);
    assert!(flat["aws.protocols#HttpConfiguration"]["traits"].get("smithy.api#private").is_some());
}

#[test]
fn the_suite_assembles_into_twelve_services_with_distinct_ids() {
    let Some(path) = suite() else { return };
    let dir = path.parent().expect("suite has a folder");
    let files = SpecFiles { cloudformation: Vec::new(), smithy: vec![path.clone()] };
    let model = codegen::load_files(dir, &files).expect("suite reads and passes run");
    assert_eq!(model.services.len(), 12);
    assert!(model.services.values().all(|s| s.api.is_some()));
    let apis: HashSet<&str> =
        model.services.values().filter_map(|s| s.api.as_ref()).map(|a| a.shape_id.as_str()).collect();
    assert_eq!(apis.len(), 12, "each service holds a different API");
}
