//! The client with endpoint rules: the resolved URL, headers and authSchemes reach the request,
//! per call parameters move it, and rule errors are configuration errors.

use std::sync::Arc;

use aws_codegen_runtime::endpoint::{EndpointError, ParamValue};
use aws_codegen_runtime::{CaptureTransport, Client, Config, ConfigError, Credentials, Request, Response, ServiceInfo};

const RULES: &str = r#"{"version":"1.0",
    "parameters":{"Region":{"type":"String","builtIn":"AWS::Region"},
                  "UseFIPS":{"type":"Boolean","builtIn":"AWS::UseFIPS","required":true,"default":false},
                  "Endpoint":{"type":"String","builtIn":"SDK::Endpoint"},
                  "Bucket":{"type":"String"}},
    "rules":[
      {"conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]},{"fn":"booleanEquals","argv":[{"ref":"UseFIPS"},true]}],"type":"error","error":"Invalid Configuration: FIPS and custom endpoint are not supported"},
      {"conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]}],"type":"endpoint","endpoint":{"url":{"ref":"Endpoint"}}},
      {"conditions":[{"fn":"isSet","argv":[{"ref":"Bucket"}]},{"fn":"aws.partition","argv":[{"ref":"Region"}],"assign":"P"}],"type":"endpoint",
       "endpoint":{"url":"https://{Bucket}.store.{Region}.{P#dnsSuffix}","properties":{"authSchemes":[{"name":"sigv4","signingName":"store","signingRegion":"{Region}"}]}}},
      {"conditions":[{"fn":"aws.partition","argv":[{"ref":"Region"}],"assign":"P"}],"type":"endpoint",
       "endpoint":{"url":"https://svc.{P#implicitGlobalRegion}.{P#dnsSuffix}","headers":{"x-amz-extra":["a","b"]},
                   "properties":{"authSchemes":[{"name":"sigv4","signingName":"globalsvc","signingRegion":"{P#implicitGlobalRegion}"}]}}}]}"#;

const PARTITIONS: &str = r#"{"partitions":[{"id":"aws","regionRegex":"^(us|eu)\\-\\w+\\-\\d+$","regions":{},
    "outputs":{"name":"aws","dnsSuffix":"amazonaws.com","implicitGlobalRegion":"us-east-1","supportsFIPS":true,"supportsDualStack":true}}]}"#;

static SERVICE: ServiceInfo = ServiceInfo {
    service_id: "Some Service",
    signing_name: "svc",
    endpoint_prefix: "svc",
    api_version: "2020-01-01",
    endpoint_rules: RULES,
    partitions: PARTITIONS,
};

fn config(transport: Arc<CaptureTransport>) -> aws_codegen_runtime::ConfigBuilder {
    Config::builder().region("eu-west-1").credentials(Credentials::new("AKID", "SECRET", None)).transport(transport)
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_time().build().expect("runtime").block_on(f)
}

fn ok() -> Arc<CaptureTransport> {
    CaptureTransport::new(Response { status: 200, headers: Vec::new(), body: b"{}".to_vec() })
}

#[test]
fn the_resolved_endpoint_is_used_whole() {
    let transport = ok();
    let client = Client::new(&SERVICE, config(transport.clone()).build().expect("config")).expect("client");
    run(client.send(Request::new("GET", "/things".into()))).expect("sent");
    let sent = transport.last_request().expect("a request");
    assert_eq!(sent.uri, "https://svc.us-east-1.amazonaws.com/things");
    let extra: Vec<&str> = sent.headers.iter().filter(|(n, _)| n == "x-amz-extra").map(|(_, v)| v.as_str()).collect();
    assert_eq!(extra, ["a", "b"]);
    // Signed for the name and region of the endpoint's sigv4 auth scheme, not the client's.
    let auth = sent.header("authorization").expect("signed");
    assert!(auth.contains("/us-east-1/globalsvc/aws4_request"), "{auth}");
}

#[test]
fn call_parameters_move_the_call() {
    let transport = ok();
    let client = Client::new(&SERVICE, config(transport.clone()).build().expect("config")).expect("client");
    let mut request = Request::new("GET", "/key".into());
    request.endpoint_param("Bucket", ParamValue::String("photos".into()));
    run(client.send(request)).expect("sent");
    let sent = transport.last_request().expect("a request");
    assert_eq!(sent.uri, "https://photos.store.eu-west-1.amazonaws.com/key");
    let auth = sent.header("authorization").expect("signed");
    assert!(auth.contains("/eu-west-1/store/aws4_request"), "{auth}");
}

#[test]
fn a_rules_error_for_one_call_fails_that_call_with_the_rules_error_as_source() {
    let client = Client::new(&SERVICE, config(ok()).build().expect("config")).expect("client");
    let mut request = Request::new("GET", "/".into());
    // A boolean for the string parameter `Bucket`: the rules engine refuses it.
    request.endpoint_param("Bucket", ParamValue::Bool(true));
    let err = run(client.send(request)).expect_err("a wrongly typed parameter");
    let source = std::error::Error::source(&err).and_then(|s| s.downcast_ref::<EndpointError>());
    assert!(source.is_some_and(|e| e.message().contains("Bucket")), "{err:?}");
}

#[test]
fn a_custom_endpoint_is_sdk_endpoint_and_rule_errors_are_config_errors() {
    let transport = ok();
    let custom = config(transport.clone()).endpoint_url("http://127.0.0.1:5000").build().expect("config");
    let client = Client::new(&SERVICE, custom).expect("client");
    run(client.send(Request::new("GET", "/".into()))).expect("sent");
    assert_eq!(transport.last_request().expect("a request").uri, "http://127.0.0.1:5000/");

    let both = config(ok()).endpoint_url("http://127.0.0.1:5000").use_fips(true).build().expect("config");
    match Client::new(&SERVICE, both) {
        Err(ConfigError::Endpoint(e)) => {
            assert_eq!(e.message(), "Invalid Configuration: FIPS and custom endpoint are not supported")
        }
        other => panic!("expected the rule's error, got {other:?}"),
    }
}
