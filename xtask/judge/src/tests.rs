//! The judge's rules on small hand-written providers, then the judge on the
//! generated provider and pages.

use std::path::PathBuf;

use super::*;

/// A scratch folder removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("judge-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A provider `p` with one service `svc` whose document is `service` (YAML).
fn provider(tag: &str, service: &str) -> (Scratch, Provider) {
    let s = Scratch::new(tag);
    let dir = s.0.join("p/v1");
    std::fs::create_dir_all(dir.join("services")).unwrap();
    std::fs::write(
        dir.join("provider.yaml"),
        "id: p\nname: p\nversion: v1\nproviderServices:\n  svc:\n    id: svc:v1\n    name: svc\n    title: svc\n    version: v1\n    description: svc\n    service:\n      $ref: p/v1/services/svc.yaml\n",
    )
    .unwrap();
    std::fs::write(dir.join("services/svc.yaml"), service).unwrap();
    let p = Provider::load(&dir).unwrap();
    (s, p)
}

/// One operation with a required header that has a default, an optional one, a
/// body with required `Id`, a region server variable, and a response of items.
const SERVICE: &str = r#"
openapi: 3.0.0
servers:
  - url: https://x.{region}.example
    variables:
      region: { default: us-east-1 }
paths:
  /get:
    post:
      operationId: Get
      parameters:
        - { in: header, name: X-Target, required: true, schema: { type: string, default: T } }
        - { in: header, name: X-Other, required: false, schema: { type: string, default: O } }
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties: { Id: { type: string }, Doc: { type: string }, Text: { type: string, x-stackQL-stringOnly: true } }
              required: [Id]
      responses:
        '200':
          content:
            application/json:
              schema:
                type: object
                properties:
                  Items: { type: array, items: { type: object, properties: { Id: { type: string }, Name: { type: string } } } }
components:
  x-stackQL-resources:
    things:
      id: p.svc.things
      name: things
      title: things
      methods:
        by_default:
          operation: { $ref: '#/paths/~1get/post' }
          response: { mediaType: application/json, objectKey: $.Items }
        naive:
          operation: { $ref: '#/paths/~1get/post' }
          config: { requestBodyTranslate: { algorithm: naive } }
          response: { mediaType: application/json, objectKey: $.Items }
      sqlVerbs:
        select:
          - $ref: '#/components/x-stackQL-resources/things/methods/by_default'
          - $ref: '#/components/x-stackQL-resources/things/methods/naive'
        delete:
          - $ref: '#/components/x-stackQL-resources/things/methods/naive'
"#;

fn chosen(v: &Verdict) -> Vec<String> {
    v.chosen
        .iter()
        .map(|c| match c {
            Chosen::Method(m) | Chosen::View(m) => m.clone(),
        })
        .collect()
}

#[test]
fn required_parameters_are_what_the_engine_requires() {
    let (_s, p) = provider("required", SERVICE);
    let res = p.resource(&["p".into(), "svc".into(), "things".into()]).unwrap();
    let by_default = res.method_named("by_default").unwrap();
    // A required header is required even with a default; the optional one is not;
    // the body's required member is renamed; the server variable is required.
    let want: BTreeSet<String> = ["X-Target", "data__Id", "region"].iter().map(|s| s.to_string()).collect();
    assert_eq!(by_default.required().unwrap(), want);
    let naive = res.method_named("naive").unwrap();
    let want: BTreeSet<String> = ["X-Target", "Id", "region"].iter().map(|s| s.to_string()).collect();
    assert_eq!(naive.required().unwrap(), want);
}

#[test]
fn the_first_listed_method_that_matches_wins_and_names_match_exactly() {
    let (_s, p) = provider("first", SERVICE);
    let sql = "SELECT Id FROM p.svc.things WHERE region = 'r' AND \"X-Target\" = 'T' AND Id = 'a' AND data__Id = 'a';";
    let v = judge(&p, sql);
    assert_eq!(chosen(&v), ["by_default"], "{:?}", v.problems);
    // `data__id` is not `data__Id`; the naive method matches instead.
    let v = judge(
        &p,
        "SELECT Id FROM p.svc.things WHERE region = 'r' AND \"X-Target\" = 'T' AND Id = 'a' AND data__id = 'a';",
    );
    assert_eq!(chosen(&v), ["naive"]);
    // Nothing matches without the required header.
    let v = judge(&p, "SELECT Id FROM p.svc.things WHERE region = 'r' AND Id = 'a';");
    assert!(v.problems[0].contains("no appropriate method = 'select'"), "{:?}", v.problems);
    // No insert verb and no default method name: nothing to insert with.
    let v = judge(&p, "INSERT INTO p.svc.things (Id, region) SELECT 'a', 'r';");
    assert!(v.problems[0].contains("no appropriate method = 'insert'"), "{:?}", v.problems);
}

#[test]
fn silent_mistakes_are_reported() {
    let (_s, p) = provider("silent", SERVICE);
    let base = "DELETE FROM p.svc.things WHERE region = 'r' AND \"X-Target\" = 'T' AND Id = 'a'";
    assert!(judge(&p, &format!("{base};")).problems.is_empty());
    // A name the method does not know is dropped by the engine.
    let v = judge(&p, &format!("{base} AND Nope = 'x';"));
    assert!(v.problems[0].contains("`Nope` is not a parameter"), "{:?}", v.problems);
    // JSON text for a string member becomes an object, unless the member is stringOnly.
    let v = judge(&p, &format!("{base} AND Doc = '{{\"a\":1}}';"));
    assert!(v.problems[0].contains("x-stackQL-stringOnly"), "{:?}", v.problems);
    assert!(judge(&p, &format!("{base} AND Text = '{{\"a\":1}}';")).problems.is_empty());
    // A bare reserved word, and a column the method does not return.
    let v = judge(&p, "SELECT schema FROM p.svc.things WHERE region = 'r' AND \"X-Target\" = 'T' AND Id = 'a';");
    assert!(v.problems.iter().any(|p| p.contains("reserved word")), "{:?}", v.problems);
    assert!(v.problems.iter().any(|p| p.contains("column `schema`")), "{:?}", v.problems);
}

/// Two resources whose views share a name prefix: `routes` and `routes_list_only`.
fn views_service(list_only: bool) -> String {
    let view = |name: &str, required: &str| {
        format!(
            "    {name}:\n      id: p.svc.{name}\n      name: {name}\n      title: {name}\n      methods: {{}}\n      config:\n        views:\n          select:\n            predicate: sqlDialect == \"sqlite3\"{required}\n            ddl: SELECT Id FROM p.svc.things WHERE region = 'us-east-1' AND \"X-Target\" = 'T' AND Id = 'x'\n            fallback:\n              predicate: sqlDialect == \"postgres\"{required}\n              ddl: SELECT Id FROM p.svc.things WHERE region = 'us-east-1' AND \"X-Target\" = 'T' AND Id = 'x'\n"
        )
    };
    let mut s = SERVICE.to_string();
    s.push_str(&view("routes", " && requiredParams == [ Id ]"));
    if list_only {
        s.push_str(&view("routes_list_only", ""));
    }
    s
}

#[test]
fn views_are_chosen_by_parameters_and_name_prefix() {
    let (_s, p) = provider("views", &views_service(false));
    let v = judge(&p, "SELECT Id FROM p.svc.routes WHERE region = 'r' AND Id = 'a';");
    assert_eq!(chosen(&v), ["p.svc.routes", "p.svc.routes"], "{:?}", v.problems);
    // Without `Id` no view matches.
    let v = judge(&p, "SELECT Id FROM p.svc.routes WHERE region = 'r';");
    assert!(v.problems[0].contains("no view matches"), "{:?}", v.problems);
    // A column the view does not return.
    let v = judge(&p, "SELECT Name FROM p.svc.routes WHERE region = 'r' AND Id = 'a';");
    assert!(v.problems[0].contains("column `Name` is not in what view"), "{:?}", v.problems);
    // `routes_list_only`'s view matches `routes%` and asks for nothing.
    let (_s, p) = provider("prefix", &views_service(true));
    let v = judge(&p, "SELECT Id FROM p.svc.routes WHERE region = 'r' AND Id = 'a';");
    assert!(v.problems[0].contains("registration order"), "{:?}", v.problems);
    assert!(like_prefix("p.svc.route_", "p.svc.routeX"));
}

// ---------------------------------------------------------------- generated output

fn root() -> PathBuf {
    repo_root()
}

/// The generated provider and pages of the pinned specs, written to a scratch folder.
fn generated() -> (Scratch, codegen::model::Model, Provider, PathBuf) {
    generated_as(codegen::model::DEFAULT_PROVIDER)
}

fn generated_as(name: &str) -> (Scratch, codegen::model::Model, Provider, PathBuf) {
    let specs = root().join("specs/cache");
    assert!(specs.join("cloudformation").is_dir(), "run `cargo xtask specs fetch` first");
    let mut model = codegen::read::read_dir(&specs).expect("specs read");
    model.provider = name.to_string();
    codegen::passes::run(&mut model).expect("passes run");
    let outputs = codegen::emit::all(&model).expect("outputs render");
    let s = Scratch::new(&format!("generated-{name}"));
    for (path, text) in &outputs.files {
        let file = s.0.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let dir =
        s.0.join(codegen::emit::provider::PROVIDER_ROOT).join(name).join(codegen::emit::provider::PROVIDER_VERSION);
    let provider = Provider::load(&dir).expect("provider loads");
    let pages = s.0.join("docs-site/docs");
    (s, model, provider, pages)
}

#[test]
fn every_statement_on_the_generated_pages_runs() {
    let (_s, _, provider, pages) = generated();
    let statements = page_statements(&[pages], &provider.name).unwrap();
    let mut verbs = BTreeMap::new();
    for (page, sql) in &statements {
        let v = judge(&provider, sql);
        assert!(v.problems.is_empty(), "{}:\n{sql}\n{:#?}", page.display(), v.problems);
        *verbs.entry(v.verb.unwrap().key()).or_insert(0) += 1;
    }
    for verb in ["select", "insert", "update", "delete"] {
        assert!(verbs.get(verb).copied().unwrap_or(0) > 0, "no {verb} statement in {verbs:?}");
    }
    let schemas = root().join("../shared/stackql/schemas");
    if schemas.is_dir() {
        assert_eq!(schemas::validate(&provider, &schemas).unwrap(), Vec::<String>::new());
    } else {
        eprintln!("{}: not here; schema validation skipped", schemas.display());
    }
}

/// Under another provider name every statement still runs: the names follow.
#[test]
fn another_provider_name_runs_too() {
    let (_s, _, provider, pages) = generated_as("awscc");
    assert_eq!(provider.name, "awscc");
    let statements = page_statements(&[pages], &provider.name).unwrap();
    assert!(statements.len() > 50, "{} statements", statements.len());
    for (page, sql) in &statements {
        assert!(sql.contains("awscc."), "{sql}");
        let v = judge(&provider, sql);
        assert!(v.problems.is_empty(), "{}:\n{sql}\n{:#?}", page.display(), v.problems);
    }
}

/// A list of a type Cloud Control lists per parent needs the parent: without
/// `ResourceModel` no view matches (a column filter is not the parent).
#[test]
fn a_parent_scoped_list_without_its_parent_is_refused() {
    let (_s, _, provider, _) = generated();
    let v =
        judge(&provider, "SELECT Identifier FROM aws.apigatewayv2.routes WHERE region = 'us-east-1' AND api_id = 'a';");
    assert!(v.problems.iter().all(|p| p.contains("no view matches")), "{:?}", v.problems);
    assert_eq!(v.problems.len(), 2, "both dialects");
    let v = judge(
        &provider,
        "SELECT Identifier FROM aws.apigatewayv2.routes WHERE region = 'us-east-1' AND ResourceModel = '{\"ApiId\":\"a\"}';",
    );
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    // A region-wide type lists with the region alone.
    let v = judge(&provider, "SELECT Identifier FROM aws.apigatewayv2.apis WHERE region = 'us-east-1';");
    assert!(v.problems.is_empty(), "{:?}", v.problems);
}

/// Each example reaches the method it shows: a get example the get view, a list
/// example the list view, and so on, in both dialects.
#[test]
fn every_example_reaches_its_own_method() {
    use codegen::emit::examples;
    use codegen::model::SqlMethodKind as K;
    let (_s, model, provider, _) = generated();
    let mut checked = 0;
    for r in model.services.values().flat_map(|s| s.resources.values()) {
        let has_get = r.sql.method(K::Get).is_some();
        let want_view = |kind: K| match kind {
            K::List if has_get => vec![format!("{}_1", r.names.id); 2],
            _ => vec![r.names.id.clone(); 2],
        };
        let cases: Vec<(K, Option<String>, Vec<String>)> = vec![
            (K::Get, has_get.then(|| examples::select_get(r)), want_view(K::Get)),
            (K::List, r.sql.method(K::List).map(|_| examples::select_list(r)), want_view(K::List)),
            (
                K::Create,
                r.sql.method(K::Create).map(|_| examples::insert(r, &examples::insert_params(r, true))),
                vec![K::Create.name().to_string()],
            ),
            (K::Update, examples::update(r), vec![K::Update.name().to_string()]),
            (K::Delete, examples::delete(r), vec![K::Delete.name().to_string()]),
        ];
        for (kind, sql, want) in cases {
            let Some(sql) = sql else { continue };
            let v = judge(&provider, &sql);
            assert!(v.problems.is_empty(), "{kind:?} {}:\n{sql}\n{:#?}", r.names.id, v.problems);
            assert_eq!(chosen(&v), want, "{kind:?} {}", r.names.id);
            checked += 1;
        }
    }
    assert!(checked > 40, "{checked} examples");
}
