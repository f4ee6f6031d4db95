//! Credentials against moto's STS, and the packaged crates as a downstream project takes them.
//!
//! - `roles_and_web_identity_on_moto`: a profile that assumes a role through `source_profile`,
//!   and web identity from the environment, both through moto's STS (AssumeRole,
//!   AssumeRoleWithWebIdentity) called by the generated STS client (`aws-sts-client`, through
//!   `aws-codegen-sts-credentials`), then an ApiGatewayV2 call signed with the role's keys.
//! - `packaged_crates_from_a_directory_registry`: `cargo package` of the runtime, the
//!   ApiGatewayV2 crate, the STS and SSO crates and both credentials crates, unpacked into a directory
//!   registry that replaces crates.io (with the third-party crates `cargo vendor` put beside
//!   them), a scratch project outside the repository that depends on them by version only, built
//!   offline, and run with nothing but a `~/.aws/config` whose default profile assumes a role
//!   through `source_profile`: it calls ApiGatewayV2 on moto with the role's credentials.

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use aws_apigatewayv2_client::types::{CreateApiRequest, GetApisRequest, ProtocolType};
use aws_apigatewayv2_client::{Client, Config};
use aws_codegen_runtime::credentials::{DefaultCredentialsChain, ProvideCredentials, ProviderEnv};
use aws_codegen_sts_credentials::StsClient;
use common::{crate_dir, say, Moto, ScratchDir};

/// A config file whose default profile assumes a role with the keys of profile `base`, all
/// calls going to `endpoint`.
fn role_profile(endpoint: &str) -> String {
    format!(
        "[default]\nrole_arn = arn:aws:iam::123456789012:role/deployer\nsource_profile = base\n\
         region = us-east-1\nendpoint_url = {endpoint}\n\n[profile base]\naws_access_key_id = AKIDBASE\n\
         aws_secret_access_key = base-secret-key\n"
    )
}

#[tokio::test(flavor = "current_thread")]
async fn roles_and_web_identity_on_moto() {
    let moto = Moto::start();
    let dir = ScratchDir::new("creds");
    let home = dir.path().display().to_string();
    std::fs::create_dir_all(dir.path().join(".aws")).unwrap();
    std::fs::write(dir.path().join(".aws/config"), role_profile(&moto.url())).unwrap();
    let env = ProviderEnv::from_vars([("HOME", home.as_str()), ("AWS_EC2_METADATA_DISABLED", "true")]);
    let config =
        tokio::time::timeout(Duration::from_secs(30), Config::loader().env(env).sts(Arc::new(StsClient)).load())
            .await
            .expect("loads in time")
            .expect("config");
    let provider = config.credentials_provider().expect("signed").clone();
    let credentials = provider.provide().await.expect("AssumeRole on moto");
    assert!(credentials.access_key_id.starts_with("ASIA"), "moto's role keys: {}", credentials.access_key_id);
    assert!(credentials.session_token.is_some() && credentials.expiry.is_some());
    let client = Client::new(config).expect("client");
    CreateApiRequest::builder()
        .name("with-role")
        .protocol_type(ProtocolType::Http)
        .send(&client)
        .await
        .expect("create");
    let apis = GetApisRequest::builder().send(&client).await.expect("get_apis");
    assert_eq!(apis.items.unwrap_or_default().len(), 1);
    say("credentials: AssumeRole through source_profile on moto, then ApiGatewayV2 with the role's keys");

    let token = dir.path().join("token");
    std::fs::write(&token, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwb2QifQ.c2lnbmF0dXJl").unwrap();
    let url = moto.url();
    let env = ProviderEnv::from_vars([
        ("HOME", home.as_str()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token.to_str().unwrap()),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/pod"),
        ("AWS_ROLE_SESSION_NAME", "pod-session"),
        ("AWS_ENDPOINT_URL_STS", url.as_str()),
    ]);
    let chain = DefaultCredentialsChain::builder().env(env).sts(Arc::new(StsClient)).build();
    let credentials = chain.provide_credentials().await.expect("AssumeRoleWithWebIdentity on moto");
    assert!(credentials.access_key_id.starts_with("ASIA"), "{}", credentials.access_key_id);
    assert!(!format!("{credentials:?}").contains(&credentials.secret_access_key));
    say("credentials: AssumeRoleWithWebIdentity on moto");
}

/// Runs `cmd`, bounded by the test's own limits (cargo's), failing with its output.
fn run(what: &str, cmd: &mut Command) -> String {
    let output = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{what} failed ({}):\n{text}", output.status);
    text
}

/// Cargo with none of the outer build's variables (target dir, manifest, features).
fn cargo(dir: &Path) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy().into_owned();
        if name.starts_with("CARGO_") && name != "CARGO_HOME" || name == "RUSTFLAGS" || name == "RUSTC_WRAPPER" {
            cmd.env_remove(name);
        }
    }
    cmd.current_dir(dir);
    cmd
}

const SCRATCH_MAIN: &str = r#"use aws_apigatewayv2_client::types::{CreateApiRequest, GetApisRequest, ProtocolType};
use aws_apigatewayv2_client::Client;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // STS for the role profile; SSO's portal too, as a program that takes any profile would.
    let sso = std::sync::Arc::new(aws_codegen_sso_credentials::SsoPortal);
    let config = aws_codegen_sts_credentials::loader().sso(sso).load().await?;
    let key = config.credentials_provider().ok_or("unsigned")?.provide().await?.access_key_id;
    let client = Client::new(config)?;
    CreateApiRequest::builder().name("from-a-registry").protocol_type(ProtocolType::Http).send(&client).await?;
    let apis = GetApisRequest::builder().send(&client).await?;
    println!("signed with {}... apis: {}", &key[..4], apis.items.unwrap_or_default().len());
    Ok(())
}
"#;

/// The crates the scratch project takes from the registry (the runtime, ApiGatewayV2, STS for
/// the role its profile assumes, and SSO with its OIDC client for SSO profiles), all at
/// [`VERSION`].
const PACKAGED: [&str; 7] = [
    "aws-codegen-runtime",
    "aws-apigatewayv2-client",
    "aws-sts-client",
    "aws-codegen-sts-credentials",
    "aws-sso-client",
    "aws-ssooidc-client",
    "aws-codegen-sso-credentials",
];
const VERSION: &str = "0.1.0";

#[test]
fn packaged_crates_from_a_directory_registry() {
    let repo = crate_dir().parent().expect("repository").to_path_buf();
    let scratch = ScratchDir::new("registry");
    let root = scratch.path();
    let started = std::time::Instant::now();

    // 1. The crates as a registry would get them.
    let packages = root.join("packages");
    let mut package = cargo(&repo);
    package.args(["package", "--offline", "--no-verify", "--allow-dirty", "--target-dir", packages.to_str().unwrap()]);
    for name in PACKAGED {
        package.args(["-p", name]);
    }
    run("cargo package", &mut package);
    let crates: Vec<_> =
        PACKAGED.iter().map(|name| packages.join("package").join(format!("{name}-{VERSION}.crate"))).collect();

    // 2. The scratch project: by version only.
    let project = root.join("project");
    std::fs::create_dir_all(project.join("src")).unwrap();
    let manifest = "[package]\nname = \"downstream\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[dependencies]\n\
        aws-apigatewayv2-client = { version = \"0.1\", default-features = false, features = [\"credential-chain\"] }\n\
        aws-codegen-sts-credentials = { version = \"0.1\", default-features = false }\n\
        aws-codegen-sso-credentials = { version = \"0.1\", default-features = false }\n\
        tokio = { version = \"1.38\", default-features = false, features = [\"rt\", \"macros\", \"time\"] }\n";
    std::fs::write(project.join("src/main.rs"), SCRATCH_MAIN).unwrap();

    // 3. The directory registry: the packaged crates unpacked, with their checksums, and the
    //    third-party crates from `cargo vendor` (run while the packaged ones are patched in by path).
    let unpacked = root.join("unpacked");
    std::fs::create_dir_all(&unpacked).unwrap();
    for file in &crates {
        run("tar", Command::new("tar").arg("xzf").arg(file).arg("-C").arg(&unpacked));
    }
    let vendor = root.join("vendor");
    let mut patched = format!("{manifest}\n[patch.crates-io]\n");
    for name in PACKAGED {
        patched.push_str(&format!("{name} = {{ path = \"{}/{name}-{VERSION}\" }}\n", unpacked.display()));
    }
    std::fs::write(project.join("Cargo.toml"), patched).unwrap();
    run("cargo vendor", cargo(&project).args(["vendor", "--offline", "--versioned-dirs"]).arg(&vendor));
    std::fs::write(project.join("Cargo.toml"), manifest).unwrap();
    std::fs::remove_file(project.join("Cargo.lock")).unwrap();
    for (file, name) in crates.iter().zip(PACKAGED) {
        let name = format!("{name}-{VERSION}");
        let name = name.as_str();
        let sum = run("sha256sum", Command::new("sha256sum").arg(file));
        let sum = sum.split_whitespace().next().unwrap();
        std::fs::rename(unpacked.join(name), vendor.join(name)).unwrap();
        std::fs::write(
            vendor.join(name).join(".cargo-checksum.json"),
            format!(r#"{{"files":{{}},"package":"{sum}"}}"#),
        )
        .unwrap();
    }
    std::fs::create_dir_all(project.join(".cargo")).unwrap();
    std::fs::write(
        project.join(".cargo/config.toml"),
        format!(
            "[source.crates-io]\nreplace-with = \"packaged\"\n\n[source.packaged]\ndirectory = \"{}\"\n",
            vendor.display()
        ),
    )
    .unwrap();

    // 4. Built offline from the registry alone.
    let target = root.join("target");
    run("cargo build", cargo(&project).args(["build", "--offline", "--target-dir"]).arg(&target));
    let lock = std::fs::read_to_string(project.join("Cargo.lock")).unwrap();
    for name in PACKAGED {
        assert!(lock.contains(&format!("name = \"{name}\"\nversion = \"{VERSION}\"\nsource = \"registry+")), "{lock}");
    }
    say(&format!("registry: packaged, vendored and built in {:?}", started.elapsed()));

    // 5. Run with nothing but ~/.aws/config.
    let moto = Moto::start();
    let home = root.join("home");
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    std::fs::write(home.join(".aws/config"), role_profile(&moto.url())).unwrap();
    let out = run(
        "the downstream program",
        Command::new(target.join("debug/downstream"))
            .env_clear()
            .env("HOME", &home)
            .env("PATH", std::env::var_os("PATH").unwrap_or_default()),
    );
    assert!(out.contains("signed with ASIA... apis: 1"), "{out}");
    say(&format!("registry: the downstream program called moto with the role's keys: {}", out.trim()));
}
