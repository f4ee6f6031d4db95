//! Valid but unusual Smithy models (`fixtures/unusual/`): recursion everywhere a
//! model allows it, names that are Rust keywords or builder methods, very large enums
//! and structures. Each generates without a crash and its crate builds.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Map, Value};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/unusual")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codegen-unusual-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("smithy")).expect("scratch folder");
    dir
}

/// A restJson1 service `sdk_id` with one `POST /` operation `Put` taking `input`
/// members and returning `output` members, plus `shapes`.
fn service(sdk_id: &str, input: Value, output: Value, shapes: Map<String, Value>) -> Value {
    let ns = "example.unusual";
    let mut all = shapes;
    all.insert(
        format!("{ns}#{sdk_id}"),
        json!({ "type": "service", "version": "2024-01-01", "operations": [{ "target": format!("{ns}#Put") }],
                "traits": { "aws.api#service": { "sdkId": sdk_id }, "aws.auth#sigv4": { "name": "unusual" },
                            "aws.protocols#restJson1": {} } }),
    );
    all.insert(
        format!("{ns}#Put"),
        json!({ "type": "operation", "input": { "target": format!("{ns}#PutInput") },
                "output": { "target": format!("{ns}#PutOutput") },
                "traits": { "smithy.api#http": { "method": "POST", "uri": "/" } } }),
    );
    all.insert(format!("{ns}#PutInput"), json!({ "type": "structure", "members": input }));
    all.insert(format!("{ns}#PutOutput"), json!({ "type": "structure", "members": output }));
    json!({ "smithy": "2.0", "shapes": all })
}

/// An enum of `values` members and a structure of `fields`, in the input and the output.
fn large_model(values: usize, fields: usize) -> Value {
    let ns = "example.unusual";
    let mut shapes = Map::new();
    let values: Map<String, Value> = (0..values)
        .map(|i| {
            (
                format!("Value{i}"),
                json!({ "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": format!("value-{i}") } }),
            )
        })
        .collect();
    shapes.insert(format!("{ns}#Huge"), json!({ "type": "enum", "members": values }));
    let members: Map<String, Value> = (0..fields)
        .map(|i| {
            let target = if i % 2 == 0 { "smithy.api#String" } else { "smithy.api#Integer" };
            let mut m = json!({ "target": target });
            if i % 100 == 0 {
                m["traits"] = json!({ "smithy.api#required": {} });
            }
            (format!("Field{i}"), m)
        })
        .collect();
    shapes.insert(format!("{ns}#Wide"), json!({ "type": "structure", "members": members }));
    let refs = json!({
        "Huge": { "target": format!("{ns}#Huge"), "traits": { "smithy.api#required": {} } },
        "Wide": { "target": format!("{ns}#Wide"), "traits": { "smithy.api#required": {} } },
    });
    service("Large", refs.clone(), refs, shapes)
}

fn write_model(dir: &Path, file: &str, model: &Value) {
    std::fs::write(dir.join("smithy").join(file), serde_json::to_vec(model).expect("json")).expect("write model");
}

#[test]
fn recursive_shapes_and_keyword_members_generate() {
    let out = codegen::generate(&fixture()).expect("the unusual models generate");
    let file = |name: &str| {
        out.files
            .get(&format!("generated/rust/aws-unusual-client/{name}"))
            .unwrap_or_else(|| panic!("{name} not generated"))
            .clone()
    };
    let snippets = file("examples/snippets.rs");
    // A union whose first member is itself: the sample follows it a few levels, then
    // takes the member that ends (an empty list), and never recurses without end.
    assert!(snippets.contains(
        "types::Expr::Not(Box::new(types::Expr::Not(Box::new(types::Expr::Not(Box::new(types::Expr::All(Vec::new())))))))"
    ));
    // A union whose only way out is its last member, through a required structure member.
    assert!(snippets.contains("types::Shape::Circle(types::Circle { radius: 1 })"), "{snippets}");
    // A cycle of three structures, one link required.
    assert!(snippets.contains("types::Alpha {"), "{snippets}");
    // Builder methods and keywords as member names.
    let builders = file("src/builders.rs");
    for setter in ["pub fn build_(", "pub fn send_(", "pub fn r#type(", "pub fn self_(", "pub fn option("] {
        assert!(builders.contains(setter), "no {setter} in builders.rs");
    }
    assert_eq!(builders.matches("pub fn build(").count(), 2, "one build() per input builder");
}

#[test]
fn a_ten_thousand_member_enum_and_a_two_thousand_member_structure_generate() {
    let dir = scratch("large");
    write_model(&dir, "large.json", &large_model(10_000, 2_000));
    let out = codegen::generate(&dir).expect("the large model generates");
    let _ = std::fs::remove_dir_all(&dir);
    let types = &out.files["generated/rust/aws-large-client/src/types.rs"];
    assert_eq!(types.matches("\"value-").count(), 10_000, "every enum value has its wire string");
    let builders = &out.files["generated/rust/aws-large-client/src/builders.rs"];
    assert!(builders.contains("pub fn huge(") && builders.contains("pub fn wide("));
    assert!(
        types.contains("pub field1999: ::std::option::Option<i32>") || types.contains("pub field1999: Option<i32>")
    );
}

#[test]
fn a_recursive_shape_with_no_finite_value_is_refused_by_name() {
    let ns = "example.unusual";
    let mut shapes = Map::new();
    // Every member of the union leads back to it: no value of it can be written down.
    shapes.insert(
        format!("{ns}#Loop"),
        json!({ "type": "union", "members": { "Again": { "target": format!("{ns}#Loop") },
                                                "Through": { "target": format!("{ns}#Hold") } } }),
    );
    shapes.insert(
        format!("{ns}#Hold"),
        json!({ "type": "structure", "members": { "Loop": { "target": format!("{ns}#Loop"),
                                                            "traits": { "smithy.api#required": {} } } } }),
    );
    let input = json!({ "Loop": { "target": format!("{ns}#Loop") } });
    let dir = scratch("loop");
    write_model(&dir, "loop.json", &service("Looping", input, json!({}), shapes));
    let err = codegen::generate(&dir).expect_err("a shape with no finite value").to_string();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(err.contains("smithy/loop.json") && err.contains("shape Hold") && err.contains("no finite value"), "{err}");
}

/// Builds the crate of `fixtures/unusual` and that of the 10,000-member enum and the
/// 2,000-member structure with their examples under `-D warnings`, as `cargo xtask clients`
/// does, in the same scratch target folder (`target/clients/`), so that the runtime's
/// dependencies are built once. The large crate takes rustc about 40 s of CPU and 0.9 GB;
/// before each member of `FromJson` was its own `let` it took over ten minutes and 6 GB.
#[test]
fn the_unusual_crates_compile() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let runtime = root.join("runtime").canonicalize().expect("runtime folder");
    let scratch_root = root.join("target/clients");
    let large = scratch("large-build");
    write_model(&large, "large.json", &large_model(10_000, 2_000));
    for (name, specs) in [("unusual", fixture()), ("large", large.clone())] {
        let model = codegen::load(&specs).expect("model loads");
        let mut out = codegen::emit::Outputs::default();
        for service in model.services.values() {
            let snippets =
                service.api.as_ref().and_then(|api| codegen::emit::rust::snippets::Snippets::new(service, api));
            let crates = codegen::emit::rust::CrateSettings {
                runtime_path: runtime.to_string_lossy().into_owned(),
                ..Default::default()
            };
            codegen::emit::rust::emit(service, snippets.as_ref(), &crates, &mut out).expect("crate renders");
        }
        let dir = scratch_root.join(format!("fixture-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        let mut manifest = None;
        for (path, contents) in &out.files {
            let dest = dir.join(path);
            std::fs::create_dir_all(dest.parent().expect("parent")).expect("crate folder");
            let mut contents = contents.clone();
            if path.ends_with("Cargo.toml") {
                contents.push_str("\n[workspace]\n");
                manifest = Some(dest.clone());
            }
            std::fs::write(&dest, contents).expect("crate file");
        }
        let manifest = manifest.unwrap_or_else(|| panic!("{name}: no crate"));
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--quiet", "--no-default-features", "--examples", "--manifest-path"])
            .arg(&manifest)
            .env("CARGO_TARGET_DIR", scratch_root.join("target"))
            .env("RUSTFLAGS", "-D warnings")
            .status()
            .expect("cargo runs");
        assert!(status.success(), "{name}: the generated crate does not compile ({})", manifest.display());
    }
    let _ = std::fs::remove_dir_all(&large);
}
