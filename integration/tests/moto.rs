//! Live test of the generated ApiGatewayV2 client against moto's server (`moto_server`).
//!
//! Needs the venv of `integration/setup-venv.sh` (moto[server] pinned in requirements.txt); fails,
//! naming that script, when it is missing. One moto server on a free 127.0.0.1 port serves all
//! scenarios, with `POST /moto-api/reset` before each; it is killed when the test ends.
//!
//! moto gaps this test works around (never by weakening the client):
//! - `GetRouteResponses` and `UpdateRouteResponse` are not implemented (moto answers 500);
//!   the first is called and must give either the right list or that 500, the second is not called.
//! - `CreateDeployment`, `ExportApi` (404), `GetAuthorizers` and `GetModels` (500) are missing too:
//!   not called.
//! - moto writes absent members as `null`; the client reads them as absent.
//! - moto answers 200 with `Content-Type: text/html` where the model says 201/204 and JSON; the
//!   client accepts any 2xx and reads the body as JSON whatever its content type.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use aws_apigatewayv2_client::error::{GetApiError, GetRouteError, GetRouteResponsesError};
use aws_apigatewayv2_client::types::{
    AuthorizerType, Cors, CreateApiMappingRequest, CreateApiRequest, CreateAuthorizerRequest, CreateDomainNameRequest,
    CreateIntegrationRequest, CreateIntegrationResponseRequest, CreateModelRequest, CreateRouteRequest,
    CreateRouteResponseRequest, CreateStageRequest, CreateVpcLinkRequest, DeleteApiMappingRequest, DeleteApiRequest,
    DeleteAuthorizerRequest, DeleteDomainNameRequest, DeleteIntegrationRequest, DeleteIntegrationResponseRequest,
    DeleteModelRequest, DeleteRouteRequest, DeleteRouteResponseRequest, DeleteStageRequest, DeleteVpcLinkRequest,
    DomainNameConfiguration, EndpointType, GetApiMappingsRequest, GetApiRequest, GetApisRequest, GetAuthorizerRequest,
    GetDomainNamesRequest, GetIntegrationRequest, GetIntegrationResponseRequest, GetIntegrationResponsesRequest,
    GetIntegrationsRequest, GetModelRequest, GetRouteRequest, GetRouteResponseRequest, GetRouteResponsesRequest,
    GetRoutesRequest, GetStageRequest, GetStagesRequest, GetTagsRequest, GetVpcLinksRequest, IntegrationType,
    JwtConfiguration, ProtocolType, RouteSettings, TagResourceRequest, UntagResourceRequest, UpdateApiRequest,
    UpdatePortalRequest, UpdateRouteRequest, VpcLinkStatus,
};
use aws_apigatewayv2_client::{Client, Config, Credentials, RetryConfig, SdkError};
use common::{say, Moto};

const REGION: &str = "us-east-1";
/// Upper bound for one scenario.
const SCENARIO_LIMIT: Duration = Duration::from_secs(120);

/// A client of the shared moto.
fn client(moto: &Moto) -> Client {
    let config = Config::builder()
        .region(REGION)
        .endpoint_url(moto.url())
        .credentials(Credentials::new("AKID", "SECRET", None))
        // moto answers 500 for operations it lacks: one retry is enough to exercise the path.
        .retry(RetryConfig { max_attempts: 2, ..RetryConfig::default() })
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client config");
    Client::new(config).expect("client")
}

fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Runs one scenario against a freshly reset moto, bounded in time.
async fn scenario<F: std::future::Future<Output = ()>>(moto: &mut Moto, name: &str, f: impl FnOnce(Client) -> F) {
    moto.reset();
    say(&format!("moto: scenario {name}"));
    let client = client(moto);
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
    scenario(&mut moto, "stages_authorizers_domains", stages_authorizers_domains).await;
    say("moto: 3 scenarios passed");
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
    // The model's length applies to each item of a list too, named by its index.
    let arns = vec!["arn:aws:apigateway:us-east-1::/portalproducts/abcdefgh".to_string(), "short".to_string()];
    let update = UpdatePortalRequest { included_portal_product_arns: Some(arns), ..Default::default() };
    let err = update.validate().expect_err("an item shorter than 20 characters");
    assert_eq!(err.field, "IncludedPortalProductArns[1]", "{err}");

    DeleteApiRequest::builder().api_id(&api_id).send(&client).await.expect("delete_api");
}

/// Stages (maps of structures, doubles), authorizers, models, domain names, API mappings and VPC
/// links: mostly the decoding of nested outputs.
async fn stages_authorizers_domains(client: Client) {
    let api = CreateApiRequest::builder().name("shop").protocol_type("HTTP").send(&client).await.expect("create_api");
    let api_id = api.api_id.expect("apiId");

    let route_settings = HashMap::from([(
        "GET /items".to_string(),
        RouteSettings { throttling_rate_limit: Some(1.5), throttling_burst_limit: Some(7), ..Default::default() },
    )]);
    let stage = CreateStageRequest::builder()
        .api_id(&api_id)
        .stage_name("prod")
        .route_settings(route_settings.clone())
        .default_route_settings(RouteSettings { detailed_metrics_enabled: Some(true), ..Default::default() })
        .stage_variables(map(&[("backend", "https://b.example.com")]))
        .tags(map(&[("t", "1")]))
        .send(&client)
        .await
        .expect("create_stage");
    assert_eq!(stage.stage_name.as_deref(), Some("prod"));
    assert_eq!(stage.route_settings.as_ref(), Some(&route_settings));
    let created = stage.created_date.expect("createdDate");
    assert!(created.secs() > 1_600_000_000, "createdDate is a recent date: {created}");

    let stages = GetStagesRequest::builder().api_id(&api_id).send(&client).await.expect("get_stages");
    let stages = stages.items.unwrap_or_default();
    assert_eq!(stages.len(), 1);
    assert_eq!(stages[0].stage_variables, Some(map(&[("backend", "https://b.example.com")])));
    let got = GetStageRequest::builder().api_id(&api_id).stage_name("prod").send(&client).await.expect("get_stage");
    assert_eq!(got.default_route_settings.and_then(|d| d.detailed_metrics_enabled), Some(true));
    assert_eq!(got.route_settings.as_ref(), Some(&route_settings));
    assert_eq!(got.tags, Some(map(&[("t", "1")])));

    let jwt =
        JwtConfiguration { audience: Some(vec!["aud".into()]), issuer: Some("https://issuer.example.com".into()) };
    let authorizer = CreateAuthorizerRequest::builder()
        .api_id(&api_id)
        .name("jwt")
        .authorizer_type(AuthorizerType::Jwt)
        .identity_source(vec!["$request.header.Authorization".to_string()])
        .jwt_configuration(jwt.clone())
        .send(&client)
        .await
        .expect("create_authorizer");
    let authorizer_id = authorizer.authorizer_id.expect("authorizerId");
    let got = GetAuthorizerRequest::builder()
        .api_id(&api_id)
        .authorizer_id(&authorizer_id)
        .send(&client)
        .await
        .expect("get_authorizer");
    assert_eq!(got.authorizer_type, Some(AuthorizerType::Jwt));
    assert_eq!(got.jwt_configuration, Some(jwt));
    assert_eq!(got.authorizer_result_ttl_in_seconds, None, "moto's null reads as absent");

    let model = CreateModelRequest::builder()
        .api_id(&api_id)
        .name("Item")
        .schema("{\"type\": \"object\"}")
        .send(&client)
        .await
        .expect("create_model");
    let model_id = model.model_id.expect("modelId");
    let got = GetModelRequest::builder().api_id(&api_id).model_id(&model_id).send(&client).await.expect("get_model");
    assert_eq!(got.schema.as_deref(), Some("{\"type\": \"object\"}"));

    let domain = CreateDomainNameRequest::builder()
        .domain_name("api.example.com")
        .domain_name_configurations(vec![DomainNameConfiguration {
            certificate_arn: Some("arn:aws:acm:us-east-1:123456789012:certificate/abc".into()),
            endpoint_type: Some(EndpointType::Regional),
            ..Default::default()
        }])
        .send(&client)
        .await
        .expect("create_domain_name");
    assert_eq!(domain.domain_name.as_deref(), Some("api.example.com"));
    let configs = domain.domain_name_configurations.unwrap_or_default();
    assert_eq!(configs.len(), 1);
    assert_eq!(configs[0].endpoint_type, Some(EndpointType::Regional));

    let mapping = CreateApiMappingRequest::builder()
        .domain_name("api.example.com")
        .api_id(&api_id)
        .stage("prod")
        .api_mapping_key("v1")
        .send(&client)
        .await
        .expect("create_api_mapping");
    let mapping_id = mapping.api_mapping_id.expect("apiMappingId");
    let mappings =
        GetApiMappingsRequest::builder().domain_name("api.example.com").send(&client).await.expect("get_api_mappings");
    let mappings = mappings.items.unwrap_or_default();
    assert_eq!(mappings.len(), 1);
    assert_eq!(mappings[0].api_mapping_key.as_deref(), Some("v1"));
    let domains = GetDomainNamesRequest::builder().send(&client).await.expect("get_domain_names");
    assert_eq!(domains.items.unwrap_or_default().len(), 1);

    let link = CreateVpcLinkRequest::builder()
        .name("link")
        .subnet_ids(vec!["subnet-1".to_string(), "subnet-2".to_string()])
        .send(&client)
        .await
        .expect("create_vpc_link");
    assert_eq!(link.vpc_link_status, Some(VpcLinkStatus::Available));
    assert_eq!(link.subnet_ids, Some(vec!["subnet-1".to_string(), "subnet-2".to_string()]));
    assert_eq!(link.security_group_ids, None, "moto's null reads as absent");
    let link_id = link.vpc_link_id.expect("vpcLinkId");
    let links = GetVpcLinksRequest::builder().send(&client).await.expect("get_vpc_links");
    assert_eq!(links.items.unwrap_or_default().len(), 1);

    // ---- delete ----
    DeleteApiMappingRequest::builder()
        .domain_name("api.example.com")
        .api_mapping_id(&mapping_id)
        .send(&client)
        .await
        .expect("delete_api_mapping");
    DeleteDomainNameRequest::builder().domain_name("api.example.com").send(&client).await.expect("delete_domain_name");
    assert_eq!(
        GetDomainNamesRequest::builder().send(&client).await.expect("get_domain_names").items.unwrap_or_default().len(),
        0
    );
    DeleteVpcLinkRequest::builder().vpc_link_id(&link_id).send(&client).await.expect("delete_vpc_link");
    DeleteModelRequest::builder().api_id(&api_id).model_id(&model_id).send(&client).await.expect("delete_model");
    DeleteAuthorizerRequest::builder()
        .api_id(&api_id)
        .authorizer_id(&authorizer_id)
        .send(&client)
        .await
        .expect("delete_authorizer");
    DeleteStageRequest::builder().api_id(&api_id).stage_name("prod").send(&client).await.expect("delete_stage");
    let stages = GetStagesRequest::builder().api_id(&api_id).send(&client).await.expect("get_stages");
    assert_eq!(stages.items.unwrap_or_default().len(), 0);
    DeleteApiRequest::builder().api_id(&api_id).send(&client).await.expect("delete_api");
}
