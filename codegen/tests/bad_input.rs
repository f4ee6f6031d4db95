//! Every kind of bad input (see `fixtures/bad-input/cases.rs`) fails the whole
//! pipeline with one error line naming the file and the place, without a panic or a
//! stack overflow; inputs that only look odd (reserved words) generate, under escaped
//! names. The same cases go through the command line in `xtask/tests/cli.rs`.

#[path = "fixtures/bad-input/cases.rs"]
mod cases;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use cases::{Format, CASES, GOOD};
use codegen::model::TypeKind;
use codegen::read::SpecFiles;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codegen-bad-input-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn files(format: Format, path: PathBuf) -> SpecFiles {
    match format {
        Format::CloudFormation => SpecFiles { cloudformation: vec![path], smithy: Vec::new() },
        Format::Smithy => SpecFiles { cloudformation: Vec::new(), smithy: vec![path] },
    }
}

#[test]
fn each_bad_input_fails_with_one_line_naming_file_and_place() {
    let mut failures = Vec::new();
    for (i, case) in CASES.iter().enumerate() {
        let dir = scratch(&format!("case{i}"));
        let path = cases::materialize(case, &fixtures(), &dir);
        // The whole pipeline, emitters included: nothing may get past the readers.
        let result = catch_unwind(AssertUnwindSafe(|| codegen::generate_files(&dir, &files(case.format, path))));
        let _ = std::fs::remove_dir_all(&dir);
        let message = match result {
            Err(_) => "panicked".to_string(),
            Ok(Ok(_)) => "was accepted".to_string(),
            Ok(Err(e)) => {
                let line = e.to_string();
                let ok = !line.contains(['\n', '\r']) && line.contains(case.name) && line.contains(case.place);
                if ok {
                    continue;
                }
                format!("error {line:?}")
            }
        };
        failures.push(format!("{} ({:?}): {message}; want one line with {:?}", case.name, case.format, case.place));
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_first_bad_file_in_path_order_is_reported() {
    let dir = scratch("order");
    // Collisions are found by the naming pass, after every file was read.
    let bad: Vec<PathBuf> = CASES
        .iter()
        .filter(|c| c.format == Format::CloudFormation && !c.name.contains("collision"))
        .map(|c| cases::materialize(c, &fixtures(), &dir))
        .collect();
    let first = bad.iter().min().expect("cases").file_name().and_then(|n| n.to_str()).expect("name").to_string();
    // Given in reverse order, and read on several threads: still the first path's error.
    for _ in 0..3 {
        let mut reversed = bad.clone();
        reversed.reverse();
        let specs = SpecFiles { cloudformation: reversed, smithy: Vec::new() };
        let err = codegen::load_files(&dir, &specs).expect_err("bad input").to_string();
        assert!(err.contains(&first), "{first}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn field_names(fields: &[codegen::model::Field], name: &str) -> (String, String, String) {
    let f = fields.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("no field {name}"));
    (f.names.snake.clone(), f.names.rust.clone(), f.names.sql.clone())
}

#[test]
fn reserved_words_generate_under_escaped_names() {
    let dir = fixtures();
    let specs = |format| {
        let (rel, _) = GOOD.iter().find(|(_, f)| *f == format).expect("a good case per format");
        files(format, dir.join(rel))
    };
    let cfn = codegen::load_files(&dir, &specs(Format::CloudFormation)).expect("reserved words are valid names");
    let resource = &cfn.services["shop"].resources["Test::Shop::Keyword"];
    let names = |n| field_names(&resource.fields, n);
    let s = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(names("Type"), s("type", "r#type", "type"));
    assert_eq!(names("Self"), s("self", "self_", "self"));
    assert_eq!(names("Crate"), s("crate", "crate_", "crate"));
    assert_eq!(names("Match"), s("match", "r#match", "match"));
    assert_eq!(names("Select"), s("select", "select", "\"select\""));
    assert_eq!(names("Order"), s("order", "order", "\"order\""));
    assert_eq!(names("Where"), s("where", "r#where", "\"where\""));
    assert_eq!(names("User"), s("user", "user", "\"user\""));
    // The view's own `region` column keeps its name; the property steps aside.
    assert_eq!(names("Region"), s("property_region", "property_region", "property_region"));
    assert_eq!(names("3DSecure"), s("3_d_secure", "_3_d_secure", "\"3_d_secure\""));
    let Some(TypeKind::Struct { fields, .. }) = resource.types.get("Struct").map(|t| &t.kind) else {
        panic!("Struct is an inline struct")
    };
    assert_eq!(field_names(fields, "Loop"), s("loop", "r#loop", "loop"));
    assert_eq!(field_names(fields, "From"), s("from", "from", "\"from\""));
    assert_eq!(resource.types["Struct"].names.rust, "r#struct");

    let smithy = codegen::load_files(&dir, &specs(Format::Smithy)).expect("reserved words are valid names");
    let api = smithy.services["keywords"].api.as_ref().expect("the API");
    assert_eq!(api.operations["Match"].names.rust, "r#match");
    let Some(TypeKind::Struct { fields, .. }) = api.types.get("Struct").map(|t| &t.kind) else { panic!("Struct") };
    assert_eq!(field_names(fields, "type"), s("type", "r#type", "type"));
    assert_eq!(field_names(fields, "async"), s("async", "r#async", "async"));
    let Some(TypeKind::Enum { values }) = api.types.get("Enum").map(|t| &t.kind) else { panic!("Enum") };
    // `Self` stays `Self` in the model: the Rust emitter makes type-position names safe.
    let pascal: Vec<&str> = values.iter().map(|v| v.names.pascal.as_str()).collect();
    assert_eq!(pascal, ["Self", "Type"]);

    // And every emitter accepts them.
    for format in [Format::CloudFormation, Format::Smithy] {
        codegen::generate_files(&dir, &specs(format)).expect("reserved words generate");
    }
}
