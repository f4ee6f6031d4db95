//! Live test of the generated ApiGatewayV2 client against moto's server (`moto_server`).
//!
//! Needs the venv of `integration/setup-venv.sh` (moto[server] pinned in requirements.txt); fails,
//! naming that script, when it is missing. One moto server on a free 127.0.0.1 port serves all
//! scenarios, with `POST /moto-api/reset` before each; it is killed when the test ends.
//!
//! moto gaps this test works around (never by weakening the client):
//! - `GetRouteResponses` and `UpdateRouteResponse` are not implemented (moto answers 500);
//!   the first is called and must give either the right list or that 500, the second is not called.
//! - moto answers 200 with `Content-Type: text/html` where the model says 201/204 and JSON; the
//!   client accepts any 2xx and reads the body as JSON whatever its content type.

mod common;

use std::collections::HashMap;
use std::process::Command;
use std::time::Duration;

use aws_apigatewayv2_client::error::{GetApiError, GetRouteError, GetRouteResponsesError};
use aws_apigatewayv2_client::types::{
    Cors, CreateApiRequest, CreateIntegrationRequest, CreateIntegrationResponseRequest, CreateRouteRequest,
    CreateRouteResponseRequest, DeleteApiRequest, DeleteIntegrationRequest, DeleteIntegrationResponseRequest,
    DeleteRouteRequest, DeleteRouteResponseRequest, GetApiRequest, GetApisRequest, GetIntegrationRequest,
    GetIntegrationResponseRequest, GetIntegrationResponsesRequest, GetIntegrationsRequest, GetRouteRequest,
    GetRouteResponseRequest, GetRouteResponsesRequest, GetRoutesRequest, GetTagsRequest, IntegrationType, ProtocolType,
    TagResourceRequest, UntagResourceRequest, UpdateApiRequest, UpdateRouteRequest,
};
use aws_apigatewayv2_client::{Client, Config, Credentials, RetryConfig, SdkError};
use common::{free_port, http_request, say, venv_bin, wait_until, ChildGuard, ScratchDir};

const REGION: &str = "us-east-1";
/// Upper bound for moto to start answering.
const STARTUP_LIMIT: Duration = Duration::from_secs(20);
/// Upper bound for one scenario.
const SCENARIO_LIMIT: Duration = Duration::from_secs(120);

/// A running `moto_server`, killed on drop.
struct Moto {
    // Declared first: dropped (killed) before the scratch directory is removed.
    server: ChildGuard,
    port: u16,
    _dir: ScratchDir,
}

impl Moto {
    fn start() -> Moto {
        let moto_server = venv_bin("moto_server");
        let dir = ScratchDir::new("moto");
        let port = free_port();
        let mut cmd = Command::new(&moto_server);
        cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()]);
        let mut server = ChildGuard::spawn_logged("moto_server", cmd, &dir.path().join("moto.log"));
        let started = std::time::Instant::now();
        wait_until(STARTUP_LIMIT, "moto_server did not start", || {
            if let Some(status) = server.exited() {
                return Err(format!("moto_server exited ({status}) on port {port}\n{}", server.log_tail()));
            }
            Ok(match http_request(port, "POST", "/moto-api/reset", b"") {
                Ok((200, _)) => Some(()),
                _ => None,
            })
        });
        say(&format!("moto: moto_server ready on 127.0.0.1:{port} after {:?}", started.elapsed()));
        Moto { server, port, _dir: dir }
    }

    fn reset(&mut self) {
        match http_request(self.port, "POST", "/moto-api/reset", b"") {
            Ok((200, _)) => {}
            other => panic!("POST /moto-api/reset failed: {other:?}\n{}", self.server.log_tail()),
        }
    }

    fn client(&self) -> Client {
        let config = Config::builder()
            .region(REGION)
            .endpoint_url(format!("http://127.0.0.1:{}", self.port))
            .credentials(Credentials::new("AKID", "SECRET", None))
            // moto answers 500 for operations it lacks: one retry is enough to exercise the path.
            .retry(RetryConfig { max_attempts: 2, ..RetryConfig::default() })
            .timeout(Duration::from_secs(10))
            .build()
            .expect("client config");
        Client::new(config).expect("client")
    }
}

fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Runs one scenario against a freshly reset moto, bounded in time.
async fn scenario<F: std::future::Future<Output = ()>>(moto: &mut Moto, name: &str, f: impl FnOnce(Client) -> F) {
    moto.reset();
    say(&format!("moto: scenario {name}"));
    let client = moto.client();
    if tokio::time::timeout(SCENARIO_LIMIT, f(client)).await.is_err() {
        panic!("moto: scenario {name} did not finish within {SCENARIO_LIMIT:?}\n{}", moto.server.log_tail());
    }
    say(&format!("moto: scenario {name} passed"));
}

#[tokio::test(flavor = "current_thread")]
async fn moto_live() {
    let mut moto = Moto::start();
    scenario(&mut moto, "websocket_api_lifecycle", websocket_api_lifecycle).await;
    scenario(&mut moto, "http_api_and_errors", http_api_and_errors).await;
    say("moto: 2 scenarios passed");
}

/// Every CRUD step of a WebSocket API with its route, route response, integration and
/// integration response, plus tags and a NotFound.
async fn websocket_api_lifecycle(client: Client) {
    // ---- create ----
    let api = CreateApiRequest::builder()
        .name("chat")
        .protocol_type(ProtocolType::Websocket)
        .route_selection_expression("$request.body.action")
        .description("a WebSocket API")
        .tags(map(&[("env", "test")]))
        .send(&client)
        .await
        .expect("create_api");
    let api_id = api.api_id.clone().expect("create_api returned an apiId");
    assert!(!api_id.is_empty());
    assert_eq!(api.name.as_deref(), Some("chat"));
    assert_eq!(api.protocol_type, Some(ProtocolType::Websocket));
    assert_eq!(api.route_selection_expression.as_deref(), Some("$request.body.action"));
    assert_eq!(api.tags, Some(map(&[("env", "test")])));
    assert!(api.created_date.is_some(), "createdDate is decoded");

    let route = CreateRouteRequest::builder()
        .api_id(&api_id)
        .route_key("sendmessage")
        .operation_name("SendMessage")
        .send(&client)
        .await
        .expect("create_route");
    let route_id = route.route_id.clone().expect("create_route returned a routeId");
    assert_eq!(route.route_key.as_deref(), Some("sendmessage"));
    assert_eq!(route.operation_name.as_deref(), Some("SendMessage"));

    let route_response = CreateRouteResponseRequest::builder()
        .api_id(&api_id)
        .route_id(&route_id)
        .route_response_key("$default")
        .send(&client)
        .await
        .expect("create_route_response");
    let route_response_id = route_response.route_response_id.clone().expect("create_route_response returned an id");
    assert_eq!(route_response.route_response_key.as_deref(), Some("$default"));

    let integration = CreateIntegrationRequest::builder()
        .api_id(&api_id)
        .integration_type(IntegrationType::Mock)
        .description("mock backend")
        .timeout_in_millis(5000)
        .request_templates(map(&[("application/json", "{\"statusCode\": 200}")]))
        .send(&client)
        .await
        .expect("create_integration");
    let integration_id = integration.integration_id.clone().expect("create_integration returned an id");
    assert_eq!(integration.integration_type, Some(IntegrationType::Mock));
    assert_eq!(integration.timeout_in_millis, Some(5000));
    assert_eq!(integration.description.as_deref(), Some("mock backend"));

    let integration_response = CreateIntegrationResponseRequest::builder()
        .api_id(&api_id)
        .integration_id(&integration_id)
        .integration_response_key("$default")
        .send(&client)
        .await
        .expect("create_integration_response");
    let integration_response_id =
        integration_response.integration_response_id.clone().expect("create_integration_response returned an id");
    assert_eq!(integration_response.integration_response_key.as_deref(), Some("$default"));

    // ---- list ----
    let apis = GetApisRequest::builder().send(&client).await.expect("get_apis");
    let items = apis.items.unwrap_or_default();
    assert_eq!(items.len(), 1, "get_apis: {items:?}");
    assert_eq!(items[0].api_id.as_deref(), Some(api_id.as_str()));
    assert_eq!(items[0].name.as_deref(), Some("chat"));

    let routes = GetRoutesRequest::builder().api_id(&api_id).send(&client).await.expect("get_routes");
    let routes = routes.items.unwrap_or_default();
    assert_eq!(routes.len(), 1, "get_routes: {routes:?}");
    assert_eq!(routes[0].route_id.as_deref(), Some(route_id.as_str()));
    assert_eq!(routes[0].route_key.as_deref(), Some("sendmessage"));

    // moto 5.2.5 has no GetRouteResponses (500): accept that, or the right answer from a later moto.
    match GetRouteResponsesRequest::builder().api_id(&api_id).route_id(&route_id).send(&client).await {
        Ok(out) => {
            let items = out.items.unwrap_or_default();
            assert_eq!(items.len(), 1, "get_route_responses: {items:?}");
            assert_eq!(items[0].route_response_id.as_deref(), Some(route_response_id.as_str()));
        }
        Err(SdkError::Service(GetRouteResponsesError::Unhandled(e))) if e.meta.status == 500 => {
            say("moto: get_route_responses is not implemented by moto (500), as expected for moto 5.2.5");
        }
        Err(e) => panic!("get_route_responses: unexpected error {e:?}"),
    }

    let integrations = GetIntegrationsRequest::builder().api_id(&api_id).send(&client).await.expect("get_integrations");
    let integrations = integrations.items.unwrap_or_default();
    assert_eq!(integrations.len(), 1, "get_integrations: {integrations:?}");
    assert_eq!(integrations[0].integration_id.as_deref(), Some(integration_id.as_str()));

    let irs = GetIntegrationResponsesRequest::builder()
        .api_id(&api_id)
        .integration_id(&integration_id)
        .send(&client)
        .await
        .expect("get_integration_responses");
    let irs = irs.items.unwrap_or_default();
    assert_eq!(irs.len(), 1, "get_integration_responses: {irs:?}");
    assert_eq!(irs[0].integration_response_id.as_deref(), Some(integration_response_id.as_str()));
    assert_eq!(irs[0].integration_response_key.as_deref(), Some("$default"));

    // ---- get each ----
    let got = GetApiRequest::builder().api_id(&api_id).send(&client).await.expect("get_api");
    assert_eq!(got.api_id.as_deref(), Some(api_id.as_str()));
    assert_eq!(got.name.as_deref(), Some("chat"));
    assert_eq!(got.description.as_deref(), Some("a WebSocket API"));
    assert_eq!(got.protocol_type, Some(ProtocolType::Websocket));

    let got = GetRouteRequest::builder().api_id(&api_id).route_id(&route_id).send(&client).await.expect("get_route");
    assert_eq!(got.route_id.as_deref(), Some(route_id.as_str()));
    assert_eq!(got.route_key.as_deref(), Some("sendmessage"));

    let got = GetRouteResponseRequest::builder()
        .api_id(&api_id)
        .route_id(&route_id)
        .route_response_id(&route_response_id)
        .send(&client)
        .await
        .expect("get_route_response");
    assert_eq!(got.route_response_id.as_deref(), Some(route_response_id.as_str()));
    assert_eq!(got.route_response_key.as_deref(), Some("$default"));

    let got = GetIntegrationRequest::builder()
        .api_id(&api_id)
        .integration_id(&integration_id)
        .send(&client)
        .await
        .expect("get_integration");
    assert_eq!(got.integration_id.as_deref(), Some(integration_id.as_str()));
    assert_eq!(got.integration_type, Some(IntegrationType::Mock));
    assert_eq!(got.request_templates, Some(map(&[("application/json", "{\"statusCode\": 200}")])));

    let got = GetIntegrationResponseRequest::builder()
        .api_id(&api_id)
        .integration_id(&integration_id)
        .integration_response_id(&integration_response_id)
        .send(&client)
        .await
        .expect("get_integration_response");
    assert_eq!(got.integration_response_id.as_deref(), Some(integration_response_id.as_str()));

    // ---- update ----
    let updated = UpdateApiRequest::builder()
        .api_id(&api_id)
        .name("chat-v2")
        .description("renamed")
        .send(&client)
        .await
        .expect("update_api");
    assert_eq!(updated.api_id.as_deref(), Some(api_id.as_str()));
    assert_eq!(updated.name.as_deref(), Some("chat-v2"));
    let got = GetApiRequest::builder().api_id(&api_id).send(&client).await.expect("get_api after update");
    assert_eq!(got.name.as_deref(), Some("chat-v2"));
    assert_eq!(got.description.as_deref(), Some("renamed"));

    let updated = UpdateRouteRequest::builder()
        .api_id(&api_id)
        .route_id(&route_id)
        .route_key("broadcast")
        .send(&client)
        .await
        .expect("update_route");
    assert_eq!(updated.route_id.as_deref(), Some(route_id.as_str()));
    assert_eq!(updated.route_key.as_deref(), Some("broadcast"));
    let got = GetRouteRequest::builder().api_id(&api_id).route_id(&route_id).send(&client).await.expect("get_route");
    assert_eq!(got.route_key.as_deref(), Some("broadcast"));

    // ---- tags ----
    let arn = format!("arn:aws:apigateway:{REGION}::/apis/{api_id}");
    let tags = GetTagsRequest::builder().resource_arn(&arn).send(&client).await.expect("get_tags");
    assert_eq!(tags.tags, Some(map(&[("env", "test")])), "tags from create_api");
    TagResourceRequest::builder()
        .resource_arn(&arn)
        .tags(map(&[("team", "api"), ("cost center", "42/x")]))
        .send(&client)
        .await
        .expect("tag_resource");
    let tags = GetTagsRequest::builder().resource_arn(&arn).send(&client).await.expect("get_tags");
    assert_eq!(tags.tags, Some(map(&[("env", "test"), ("team", "api"), ("cost center", "42/x")])));
    UntagResourceRequest::builder()
        .resource_arn(&arn)
        .tag_keys(vec!["env".to_string(), "cost center".to_string()])
        .send(&client)
        .await
        .expect("untag_resource");
    let tags = GetTagsRequest::builder().resource_arn(&arn).send(&client).await.expect("get_tags");
    assert_eq!(tags.tags, Some(map(&[("team", "api")])));

    // ---- delete, children first ----
    DeleteIntegrationResponseRequest::builder()
        .api_id(&api_id)
        .integration_id(&integration_id)
        .integration_response_id(&integration_response_id)
        .send(&client)
        .await
        .expect("delete_integration_response");
    let irs = GetIntegrationResponsesRequest::builder()
        .api_id(&api_id)
        .integration_id(&integration_id)
        .send(&client)
        .await
        .expect("get_integration_responses");
    assert_eq!(irs.items.unwrap_or_default().len(), 0);

    DeleteIntegrationRequest::builder()
        .api_id(&api_id)
        .integration_id(&integration_id)
        .send(&client)
        .await
        .expect("delete_integration");
    let integrations = GetIntegrationsRequest::builder().api_id(&api_id).send(&client).await.expect("get_integrations");
    assert_eq!(integrations.items.unwrap_or_default().len(), 0);

    DeleteRouteResponseRequest::builder()
        .api_id(&api_id)
        .route_id(&route_id)
        .route_response_id(&route_response_id)
        .send(&client)
        .await
        .expect("delete_route_response");
    DeleteRouteRequest::builder().api_id(&api_id).route_id(&route_id).send(&client).await.expect("delete_route");
    let routes = GetRoutesRequest::builder().api_id(&api_id).send(&client).await.expect("get_routes");
    assert_eq!(routes.items.unwrap_or_default().len(), 0);
    match GetRouteRequest::builder().api_id(&api_id).route_id(&route_id).send(&client).await {
        Err(SdkError::Service(GetRouteError::NotFoundException(e))) => {
            assert!(e.message.is_some(), "NotFoundException carries moto's message");
        }
        other => panic!("get_route after delete_route: expected NotFoundException, got {other:?}"),
    }

    DeleteApiRequest::builder().api_id(&api_id).send(&client).await.expect("delete_api");
    let apis = GetApisRequest::builder().send(&client).await.expect("get_apis");
    assert_eq!(apis.items.unwrap_or_default().len(), 0);

    // ---- NotFound ----
    match GetApiRequest::builder().api_id(&api_id).send(&client).await {
        Err(SdkError::Service(GetApiError::NotFoundException(e))) => {
            let message = e.message.unwrap_or_default();
            assert!(message.contains(&api_id), "message names the id: {message:?}");
        }
        other => panic!("get_api on a deleted id: expected Service(NotFoundException), got {other:?}"),
    }
}

/// An HTTP API with nested input (CORS, tags), the reset between scenarios, NotFound on a missing
/// id, and a client-side validation error that sends nothing.
async fn http_api_and_errors(client: Client) {
    // The reset before this scenario removed the previous one's APIs.
    let apis = GetApisRequest::builder().send(&client).await.expect("get_apis");
    assert_eq!(apis.items.unwrap_or_default().len(), 0, "moto was reset");

    let cors = Cors {
        allow_credentials: Some(true),
        allow_headers: Some(vec!["content-type".into()]),
        allow_methods: Some(vec!["GET".into(), "POST".into()]),
        allow_origins: Some(vec!["https://example.com".into()]),
        max_age: Some(600),
        ..Default::default()
    };
    let api = CreateApiRequest::builder()
        .name("pets")
        .protocol_type(ProtocolType::Http)
        .cors_configuration(cors.clone())
        .disable_execute_api_endpoint(true)
        .version("2024-01-01")
        .tags(map(&[("a", "1"), ("b", "2")]))
        .send(&client)
        .await
        .expect("create_api (HTTP)");
    let api_id = api.api_id.clone().expect("apiId");
    assert_eq!(api.protocol_type, Some(ProtocolType::Http));
    assert_eq!(api.cors_configuration.as_ref(), Some(&cors));
    assert_eq!(api.disable_execute_api_endpoint, Some(true));
    assert_eq!(api.version.as_deref(), Some("2024-01-01"));
    // moto defaults the route selection expression of HTTP APIs as the service does.
    assert_eq!(api.route_selection_expression.as_deref(), Some("$request.method $request.path"));

    let got = GetApiRequest::builder().api_id(&api_id).send(&client).await.expect("get_api");
    assert_eq!(got.cors_configuration.as_ref(), Some(&cors));
    assert_eq!(got.tags, Some(map(&[("a", "1"), ("b", "2")])));

    let apis = GetApisRequest::builder().max_results("10").send(&client).await.expect("get_apis");
    assert_eq!(apis.items.unwrap_or_default().len(), 1);

    match GetApiRequest::builder().api_id("doesnotexist").send(&client).await {
        Err(SdkError::Service(GetApiError::NotFoundException(e))) => {
            assert!(e.message.unwrap_or_default().contains("doesnotexist"));
        }
        other => panic!("get_api on a missing id: expected Service(NotFoundException), got {other:?}"),
    }
    let err = client.get_api(GetApiRequest::builder().api_id("doesnotexist").build().unwrap()).await.unwrap_err();
    assert!(err.service_error().is_some(), "service_error() of a NotFound: {err:?}");

    // A required member left out: rejected before sending.
    let missing_name = CreateApiRequest { protocol_type: Some(ProtocolType::Http), ..Default::default() };
    match client.create_api(missing_name).await {
        Err(SdkError::Validation(e)) => assert!(e.to_string().contains("Name"), "{e}"),
        other => panic!("create_api without a name: expected Validation, got {other:?}"),
    }
    let apis = GetApisRequest::builder().send(&client).await.expect("get_apis");
    assert_eq!(apis.items.unwrap_or_default().len(), 1, "the invalid create_api sent nothing");

    DeleteApiRequest::builder().api_id(&api_id).send(&client).await.expect("delete_api");
}
