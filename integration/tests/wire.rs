//! Wire comparison with boto3: the same cases (`tests/wire_cases.json`, boto3 parameter names) go
//! through boto3 1.44.5 and through the generated client, each to its own recording server
//! (`python/record_server.py`, which answers `200 {}`), and the recorded requests must agree:
//!
//! - method;
//! - path, segment by segment after percent-decoding (so `%2F` inside a label and a real `/` differ,
//!   but `%3A` and `:` do not); raw encodings that differ are printed as notes;
//! - query parameters as a multiset of percent-decoded pairs (`+` is not taken for a space);
//! - headers, names case-insensitive, except those that are per-request or per-client
//!   (see [`IGNORED_HEADERS`]); `content-type` only when a body is sent;
//! - body framing of POST/PUT/PATCH: if boto3 sends `Content-Length` (or `Transfer-Encoding`), ours
//!   must send one too (for GET/DELETE boto3's `Content-Length: 0` is not required);
//! - the body, as JSON (numbers compared by value; two strings that are the same RFC 3339 instant,
//!   e.g. `…59.5Z` and `…59.500000Z`, are equal and printed as a note), or byte for byte if not JSON.
//!
//! On the Rust side each case's JSON parameters are mapped onto the operation's builder (member
//! names derived from the builder method names; every parameter of a case must be used, so nothing is
//! silently dropped). Errors after the request was sent (the output of `{}` not decoding) are fine;
//! an error before sending is a mismatch.
//!
//! Needs the venv of `integration/setup-venv.sh`; fails, naming that script, when it is missing.

mod common;

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use aws_apigatewayv2_client::types::None as NoneShape;
use aws_apigatewayv2_client::types::{
    AccessLogSettings, AcmManaged, Authorization, CognitoConfig, Cors, CreateApiMappingRequest, CreateApiRequest,
    CreateAuthorizerRequest, CreateDeploymentRequest, CreateDomainNameRequest, CreateIntegrationRequest,
    CreateIntegrationResponseRequest, CreateModelRequest, CreatePortalRequest, CreateRouteRequest,
    CreateRouteResponseRequest, CreateRoutingRuleRequest, CreateStageRequest, CreateVpcLinkRequest, CustomColors,
    DeleteAccessLogSettingsRequest, DeleteApiMappingRequest, DeleteApiRequest, DeleteCorsConfigurationRequest,
    DeleteRouteRequestParameterRequest, DeleteRouteResponseRequest, DeleteRouteSettingsRequest,
    DomainNameConfiguration, EndpointConfigurationRequest, ExportApiRequest, GetApiMappingsRequest, GetApiRequest,
    GetApisRequest, GetIntegrationResponseRequest, GetIntegrationsRequest, GetModelTemplateRequest,
    GetProductRestEndpointPageRequest, GetRouteResponsesRequest, GetRoutesRequest, GetTagsRequest, ImportApiRequest,
    JwtConfiguration, ListRoutingRulesRequest, MutualTlsAuthenticationInput, ParameterConstraints, PortalContent,
    PortalTheme, PreviewPortalRequest, PublishPortalRequest, PutRoutingRuleRequest, ReimportApiRequest,
    ResetAuthorizersCacheRequest, RouteSettings, RoutingRuleAction, RoutingRuleActionInvokeApi, RoutingRuleCondition,
    RoutingRuleMatchBasePaths, RoutingRuleMatchHeaderValue, RoutingRuleMatchHeaders, TagResourceRequest,
    TlsConfigInput, UntagResourceRequest, UpdateApiRequest, UpdateDomainNameRequest, UpdateIntegrationRequest,
    UpdateRouteRequest, UpdateStageRequest,
};
use aws_apigatewayv2_client::{Client, Config, Credentials, DateTime, RetryConfig, SdkError};
use common::{boto3_calls, crate_dir, http_request, say, venv_bin, ChildGuard, ScratchDir};
use serde_json::{Map, Value};

/// Headers that are not compared: they differ per request or per client by design.
const IGNORED_HEADERS: &[&str] = &[
    "user-agent",
    "authorization",
    "date",
    "content-length",
    "host",
    "accept-encoding",
    "x-amz-date",
    "x-amz-content-sha256",
    "x-amz-user-agent",
    "x-amz-security-token",
    // transport-level
    "connection",
    "keep-alive",
    "accept",
    "transfer-encoding",
];

/// Upper bound for a recording server to start, for one Rust case.
const SERVER_START_LIMIT: Duration = Duration::from_secs(15);
const CASE_LIMIT: Duration = Duration::from_secs(15);

// ------------------------------------------------------------------------------------------------
// Cases: JSON parameters (boto3 names) onto builders and nested types.

/// `api_id` -> `ApiId`: the boto3 (model) member name of a builder method or field.
fn pascal(snake: &str) -> String {
    snake
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

/// One JSON object of parameters; remembers which members were read.
struct Params<'a> {
    ctx: String,
    obj: &'a Map<String, Value>,
    used: RefCell<BTreeSet<String>>,
}

impl<'a> Params<'a> {
    fn new(ctx: String, v: &'a Value) -> Self {
        let obj = v.as_object().unwrap_or_else(|| panic!("{ctx}: expected a JSON object, got {v}"));
        Params { ctx, obj, used: RefCell::new(BTreeSet::new()) }
    }

    fn get(&self, snake: &str) -> Option<(String, &'a Value)> {
        let key = pascal(snake);
        let v = self.obj.get(&key)?;
        self.used.borrow_mut().insert(key.clone());
        Some((format!("{}.{key}", self.ctx), v))
    }

    /// Panics if a member of the object was not read: the Rust side would silently drop it.
    fn finish(&self) {
        let used = self.used.borrow();
        let unused: Vec<&String> = self.obj.keys().filter(|k| !used.contains(*k)).collect();
        assert!(unused.is_empty(), "{}: parameters not mapped onto the Rust input: {unused:?}", self.ctx);
    }

    fn s(&self, k: &str) -> Option<String> {
        self.get(k)
            .map(|(ctx, v)| v.as_str().unwrap_or_else(|| panic!("{ctx}: expected a string, got {v}")).to_string())
    }

    fn en<T: From<String>>(&self, k: &str) -> Option<T> {
        self.s(k).map(T::from)
    }

    fn b(&self, k: &str) -> Option<bool> {
        self.get(k).map(|(ctx, v)| v.as_bool().unwrap_or_else(|| panic!("{ctx}: expected a boolean, got {v}")))
    }

    fn i32(&self, k: &str) -> Option<i32> {
        self.get(k).map(|(ctx, v)| {
            v.as_i64().and_then(|n| i32::try_from(n).ok()).unwrap_or_else(|| panic!("{ctx}: expected an i32, got {v}"))
        })
    }

    fn f64(&self, k: &str) -> Option<f64> {
        self.get(k).map(|(ctx, v)| v.as_f64().unwrap_or_else(|| panic!("{ctx}: expected a number, got {v}")))
    }

    fn time(&self, k: &str) -> Option<DateTime> {
        self.s(k).map(|s| DateTime::parse_date_time(&s).unwrap_or_else(|e| panic!("{}.{k}: {e}", self.ctx)))
    }

    fn list(&self, k: &str) -> Option<Vec<String>> {
        self.get(k).map(|(ctx, v)| {
            let items = v.as_array().unwrap_or_else(|| panic!("{ctx}: expected a list, got {v}"));
            items.iter().map(|i| i.as_str().unwrap_or_else(|| panic!("{ctx}: expected strings")).to_string()).collect()
        })
    }

    fn map(&self, k: &str) -> Option<HashMap<String, String>> {
        self.get(k).map(|(ctx, v)| string_map(&ctx, v))
    }

    fn map_map(&self, k: &str) -> Option<HashMap<String, HashMap<String, String>>> {
        self.get(k).map(|(ctx, v)| {
            let obj = v.as_object().unwrap_or_else(|| panic!("{ctx}: expected a map, got {v}"));
            obj.iter().map(|(key, inner)| (key.clone(), string_map(&format!("{ctx}[{key}]"), inner))).collect()
        })
    }

    fn obj<T>(&self, k: &str, f: fn(&Params) -> T) -> Option<T> {
        self.get(k).map(|(ctx, v)| nested(ctx, v, f))
    }

    fn obj_list<T>(&self, k: &str, f: fn(&Params) -> T) -> Option<Vec<T>> {
        self.get(k).map(|(ctx, v)| {
            let items = v.as_array().unwrap_or_else(|| panic!("{ctx}: expected a list, got {v}"));
            items.iter().enumerate().map(|(i, item)| nested(format!("{ctx}[{i}]"), item, f)).collect()
        })
    }

    fn obj_map<T>(&self, k: &str, f: fn(&Params) -> T) -> Option<HashMap<String, T>> {
        self.get(k).map(|(ctx, v)| {
            let obj = v.as_object().unwrap_or_else(|| panic!("{ctx}: expected a map, got {v}"));
            obj.iter().map(|(key, item)| (key.clone(), nested(format!("{ctx}[{key}]"), item, f))).collect()
        })
    }
}

fn string_map(ctx: &str, v: &Value) -> HashMap<String, String> {
    let obj = v.as_object().unwrap_or_else(|| panic!("{ctx}: expected a map, got {v}"));
    obj.iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_else(|| panic!("{ctx}[{k}]: expected a string")).to_string()))
        .collect()
}

fn nested<T>(ctx: String, v: &Value, f: fn(&Params) -> T) -> T {
    let p = Params::new(ctx, v);
    let t = f(&p);
    p.finish();
    t
}

/// Sets each listed member on a builder when the case has it: `name: kind` reads member
/// `pascal(name)` with `Params::kind` and calls `builder.name(value)`. Kinds: `s` (strings, and enums,
/// whose setters take `impl Into<Enum>`), `b`, `i32`, `f64`, `list`, `map`, `map_map`, and for
/// structures `obj(f)`, `obj_list(f)`, `obj_map(f)` with `f` building one structure (below). In
/// [`fill!`] enums are `en` and timestamps `time`. Each arm lists every member of the input, so any
/// parameter can be added to a case.
macro_rules! set {
    ($builder:expr, $p:expr, { $($m:ident : $kind:ident $(($f:expr))?),* $(,)? }) => {{
        let p: &Params = $p;
        let mut b = $builder;
        $( if let Some(v) = p.$kind(stringify!($m) $(, $f)?) { b = b.$m(v); } )*
        b
    }};
}

/// A nested structure literal from a JSON object, member by member as in [`set!`]. Every field is
/// listed, so a field added to the generated type is a compile error here.
macro_rules! fill {
    ($t:ident, $p:expr, { $($m:ident : $kind:ident $(($f:expr))?),* $(,)? }) => {{
        let p: &Params = $p;
        let _ = p;
        $t { $( $m: p.$kind(stringify!($m) $(, $f)?), )* }
    }};
}

/// What a case's call came to: nothing to compare unless a request went out.
fn done<T, E: std::fmt::Debug>(r: Result<T, SdkError<E>>) -> Result<(), String> {
    r.map(|_| ()).map_err(|e| format!("{e:?}"))
}

/// Runs one case through the generated client.
async fn call(c: &Client, operation: &str, p: &Params<'_>) -> Result<(), String> {
    match operation {
        "CreateApi" => {
            let b = set!(CreateApiRequest::builder(), p, {
                api_key_selection_expression: s, cors_configuration: obj(n_cors), credentials_arn: s, description: s,
                disable_schema_validation: b, disable_execute_api_endpoint: b, ip_address_type: s, name: s,
                protocol_type: s, route_key: s, route_selection_expression: s, tags: map, target: s, version: s,
            });
            done(b.send(c).await)
        }
        "UpdateApi" => {
            let b = set!(UpdateApiRequest::builder(), p, {
                api_id: s, api_key_selection_expression: s, cors_configuration: obj(n_cors), credentials_arn: s,
                description: s, disable_schema_validation: b, disable_execute_api_endpoint: b, ip_address_type: s,
                name: s, route_key: s, route_selection_expression: s, target: s, version: s,
            });
            done(b.send(c).await)
        }
        "GetApis" => done(set!(GetApisRequest::builder(), p, { max_results: s, next_token: s }).send(c).await),
        "GetApi" => done(set!(GetApiRequest::builder(), p, { api_id: s }).send(c).await),
        "DeleteApi" => done(set!(DeleteApiRequest::builder(), p, { api_id: s }).send(c).await),
        "CreateRoute" => {
            let b = set!(CreateRouteRequest::builder(), p, {
                api_id: s, api_key_required: b, authorization_scopes: list, authorization_type: s, authorizer_id: s,
                model_selection_expression: s, operation_name: s, request_models: map,
                request_parameters: obj_map(n_parameter_constraints), route_key: s,
                route_response_selection_expression: s, target: s,
            });
            done(b.send(c).await)
        }
        "UpdateRoute" => {
            let b = set!(UpdateRouteRequest::builder(), p, {
                api_id: s, api_key_required: b, authorization_scopes: list, authorization_type: s, authorizer_id: s,
                model_selection_expression: s, operation_name: s, request_models: map,
                request_parameters: obj_map(n_parameter_constraints), route_id: s, route_key: s,
                route_response_selection_expression: s, target: s,
            });
            done(b.send(c).await)
        }
        "GetRoutes" => {
            let b = set!(GetRoutesRequest::builder(), p, {
                api_id: s, max_results: s, next_token: s,
            });
            done(b.send(c).await)
        }
        "DeleteRouteRequestParameter" => {
            let b = set!(DeleteRouteRequestParameterRequest::builder(), p, {
                api_id: s, request_parameter_key: s, route_id: s,
            });
            done(b.send(c).await)
        }
        "CreateRouteResponse" => {
            let b = set!(CreateRouteResponseRequest::builder(), p, {
                api_id: s, model_selection_expression: s, response_models: map,
                response_parameters: obj_map(n_parameter_constraints), route_id: s, route_response_key: s,
            });
            done(b.send(c).await)
        }
        "GetRouteResponses" => {
            let b = set!(GetRouteResponsesRequest::builder(), p, {
                api_id: s, max_results: s, next_token: s, route_id: s,
            });
            done(b.send(c).await)
        }
        "DeleteRouteResponse" => {
            let b = set!(DeleteRouteResponseRequest::builder(), p, {
                api_id: s, route_id: s, route_response_id: s,
            });
            done(b.send(c).await)
        }
        "CreateIntegration" => {
            let b = set!(CreateIntegrationRequest::builder(), p, {
                api_id: s, connection_id: s, connection_type: s, content_handling_strategy: s, credentials_arn: s,
                description: s, integration_method: s, integration_subtype: s, integration_type: s, integration_uri: s,
                passthrough_behavior: s, payload_format_version: s, request_parameters: map, request_templates: map,
                response_parameters: map_map, template_selection_expression: s, timeout_in_millis: i32,
                tls_config: obj(n_tls_config_input),
            });
            done(b.send(c).await)
        }
        "UpdateIntegration" => {
            let b = set!(UpdateIntegrationRequest::builder(), p, {
                api_id: s, connection_id: s, connection_type: s, content_handling_strategy: s, credentials_arn: s,
                description: s, integration_id: s, integration_method: s, integration_subtype: s, integration_type: s,
                integration_uri: s, passthrough_behavior: s, payload_format_version: s, request_parameters: map,
                request_templates: map, response_parameters: map_map, template_selection_expression: s,
                timeout_in_millis: i32, tls_config: obj(n_tls_config_input),
            });
            done(b.send(c).await)
        }
        "GetIntegrations" => {
            let b = set!(GetIntegrationsRequest::builder(), p, {
                api_id: s, max_results: s, next_token: s,
            });
            done(b.send(c).await)
        }
        "CreateIntegrationResponse" => {
            let b = set!(CreateIntegrationResponseRequest::builder(), p, {
                api_id: s, content_handling_strategy: s, integration_id: s, integration_response_key: s,
                response_parameters: map, response_templates: map, template_selection_expression: s,
            });
            done(b.send(c).await)
        }
        "GetIntegrationResponse" => {
            let b = set!(GetIntegrationResponseRequest::builder(), p, {
                api_id: s, integration_id: s, integration_response_id: s,
            });
            done(b.send(c).await)
        }
        "CreateStage" => {
            let b = set!(CreateStageRequest::builder(), p, {
                access_log_settings: obj(n_access_log_settings), api_id: s, auto_deploy: b, client_certificate_id: s,
                default_route_settings: obj(n_route_settings), deployment_id: s, description: s,
                route_settings: obj_map(n_route_settings), stage_name: s, stage_variables: map, tags: map,
            });
            done(b.send(c).await)
        }
        "UpdateStage" => {
            let b = set!(UpdateStageRequest::builder(), p, {
                access_log_settings: obj(n_access_log_settings), api_id: s, auto_deploy: b, client_certificate_id: s,
                default_route_settings: obj(n_route_settings), deployment_id: s, description: s,
                route_settings: obj_map(n_route_settings), stage_name: s, stage_variables: map,
            });
            done(b.send(c).await)
        }
        "DeleteRouteSettings" => {
            let b = set!(DeleteRouteSettingsRequest::builder(), p, {
                api_id: s, route_key: s, stage_name: s,
            });
            done(b.send(c).await)
        }
        "DeleteAccessLogSettings" => {
            let b = set!(DeleteAccessLogSettingsRequest::builder(), p, {
                api_id: s, stage_name: s,
            });
            done(b.send(c).await)
        }
        "CreateAuthorizer" => {
            let b = set!(CreateAuthorizerRequest::builder(), p, {
                api_id: s, authorizer_credentials_arn: s, authorizer_payload_format_version: s,
                authorizer_result_ttl_in_seconds: i32, authorizer_type: s, authorizer_uri: s,
                enable_simple_responses: b, identity_source: list, identity_validation_expression: s,
                jwt_configuration: obj(n_jwt_configuration), name: s,
            });
            done(b.send(c).await)
        }
        "ResetAuthorizersCache" => {
            let b = set!(ResetAuthorizersCacheRequest::builder(), p, {
                api_id: s, stage_name: s,
            });
            done(b.send(c).await)
        }
        "CreateDeployment" => {
            let b = set!(CreateDeploymentRequest::builder(), p, {
                api_id: s, description: s, stage_name: s,
            });
            done(b.send(c).await)
        }
        "CreateDomainName" => {
            let b = set!(CreateDomainNameRequest::builder(), p, {
                domain_name: s, domain_name_configurations: obj_list(n_domain_name_configuration),
                mutual_tls_authentication: obj(n_mutual_tls_authentication_input), routing_mode: s, tags: map,
            });
            done(b.send(c).await)
        }
        "UpdateDomainName" => {
            let b = set!(UpdateDomainNameRequest::builder(), p, {
                domain_name: s, domain_name_configurations: obj_list(n_domain_name_configuration),
                mutual_tls_authentication: obj(n_mutual_tls_authentication_input), routing_mode: s,
            });
            done(b.send(c).await)
        }
        "GetApiMappings" => {
            let b = set!(GetApiMappingsRequest::builder(), p, {
                domain_name: s, max_results: s, next_token: s,
            });
            done(b.send(c).await)
        }
        "CreateApiMapping" => {
            let b = set!(CreateApiMappingRequest::builder(), p, {
                api_id: s, api_mapping_key: s, domain_name: s, stage: s,
            });
            done(b.send(c).await)
        }
        "DeleteApiMapping" => {
            let b = set!(DeleteApiMappingRequest::builder(), p, {
                api_mapping_id: s, domain_name: s,
            });
            done(b.send(c).await)
        }
        "CreateModel" => {
            let b = set!(CreateModelRequest::builder(), p, {
                api_id: s, content_type: s, description: s, name: s, schema: s,
            });
            done(b.send(c).await)
        }
        "GetModelTemplate" => {
            let b = set!(GetModelTemplateRequest::builder(), p, {
                api_id: s, model_id: s,
            });
            done(b.send(c).await)
        }
        "ExportApi" => {
            let b = set!(ExportApiRequest::builder(), p, {
                api_id: s, export_version: s, include_extensions: b, output_type: s, specification: s, stage_name: s,
            });
            done(b.send(c).await)
        }
        "ImportApi" => {
            let b = set!(ImportApiRequest::builder(), p, {
                basepath: s, body: s, fail_on_warnings: b,
            });
            done(b.send(c).await)
        }
        "ReimportApi" => {
            let b = set!(ReimportApiRequest::builder(), p, {
                api_id: s, basepath: s, body: s, fail_on_warnings: b,
            });
            done(b.send(c).await)
        }
        "TagResource" => done(set!(TagResourceRequest::builder(), p, { resource_arn: s, tags: map }).send(c).await),
        "UntagResource" => {
            let b = set!(UntagResourceRequest::builder(), p, {
                resource_arn: s, tag_keys: list,
            });
            done(b.send(c).await)
        }
        "GetTags" => done(set!(GetTagsRequest::builder(), p, { resource_arn: s }).send(c).await),
        "CreateVpcLink" => {
            let b = set!(CreateVpcLinkRequest::builder(), p, {
                name: s, security_group_ids: list, subnet_ids: list, tags: map,
            });
            done(b.send(c).await)
        }
        "ListRoutingRules" => {
            let b = set!(ListRoutingRulesRequest::builder(), p, {
                domain_name: s, domain_name_id: s, max_results: i32, next_token: s,
            });
            done(b.send(c).await)
        }
        "CreateRoutingRule" => {
            let b = set!(CreateRoutingRuleRequest::builder(), p, {
                actions: obj_list(n_routing_rule_action), conditions: obj_list(n_routing_rule_condition),
                domain_name: s, domain_name_id: s, priority: i32,
            });
            done(b.send(c).await)
        }
        "PutRoutingRule" => {
            let b = set!(PutRoutingRuleRequest::builder(), p, {
                actions: obj_list(n_routing_rule_action), conditions: obj_list(n_routing_rule_condition),
                domain_name: s, domain_name_id: s, priority: i32, routing_rule_id: s,
            });
            done(b.send(c).await)
        }
        "DeleteCorsConfiguration" => {
            let b = set!(DeleteCorsConfigurationRequest::builder(), p, {
                api_id: s,
            });
            done(b.send(c).await)
        }
        "CreatePortal" => {
            let b = set!(CreatePortalRequest::builder(), p, {
                authorization: obj(n_authorization), endpoint_configuration: obj(n_endpoint_configuration_request),
                included_portal_product_arns: list, logo_uri: s, portal_content: obj(n_portal_content),
                rum_app_monitor_name: s, tags: map,
            });
            done(b.send(c).await)
        }
        "GetProductRestEndpointPage" => {
            let b = set!(GetProductRestEndpointPageRequest::builder(), p, {
                include_raw_display_content: s, portal_product_id: s, product_rest_endpoint_page_id: s,
                resource_owner_account_id: s,
            });
            done(b.send(c).await)
        }
        "PreviewPortal" => done(set!(PreviewPortalRequest::builder(), p, { portal_id: s }).send(c).await),
        "PublishPortal" => {
            let b = set!(PublishPortalRequest::builder(), p, {
                description: s, portal_id: s,
            });
            done(b.send(c).await)
        }
        other => panic!("wire_cases.json: operation {other} has no mapping in tests/wire.rs (add an arm to `call`)"),
    }
}

// Nested structures of the cases' inputs.

fn n_cors(p: &Params) -> Cors {
    fill!(Cors, p, {
        allow_credentials: b, allow_headers: list, allow_methods: list, allow_origins: list, expose_headers: list,
        max_age: i32,
    })
}
fn n_parameter_constraints(p: &Params) -> ParameterConstraints {
    fill!(ParameterConstraints, p, { required: b })
}
fn n_tls_config_input(p: &Params) -> TlsConfigInput {
    fill!(TlsConfigInput, p, { server_name_to_verify: s })
}
fn n_access_log_settings(p: &Params) -> AccessLogSettings {
    fill!(AccessLogSettings, p, { destination_arn: s, format: s })
}
fn n_route_settings(p: &Params) -> RouteSettings {
    fill!(RouteSettings, p, {
        data_trace_enabled: b, detailed_metrics_enabled: b, logging_level: en, throttling_burst_limit: i32,
        throttling_rate_limit: f64,
    })
}
fn n_jwt_configuration(p: &Params) -> JwtConfiguration {
    fill!(JwtConfiguration, p, { audience: list, issuer: s })
}
fn n_domain_name_configuration(p: &Params) -> DomainNameConfiguration {
    fill!(DomainNameConfiguration, p, {
        api_gateway_domain_name: s, certificate_arn: s, certificate_name: s, certificate_upload_date: time,
        domain_name_status: en, domain_name_status_message: s, endpoint_type: en, hosted_zone_id: s,
        ip_address_type: en, security_policy: en, ownership_verification_certificate_arn: s,
    })
}
fn n_mutual_tls_authentication_input(p: &Params) -> MutualTlsAuthenticationInput {
    fill!(MutualTlsAuthenticationInput, p, { truststore_uri: s, truststore_version: s })
}
fn n_routing_rule_action(p: &Params) -> RoutingRuleAction {
    fill!(RoutingRuleAction, p, { invoke_api: obj(n_routing_rule_action_invoke_api) })
}
fn n_routing_rule_action_invoke_api(p: &Params) -> RoutingRuleActionInvokeApi {
    fill!(RoutingRuleActionInvokeApi, p, { api_id: s, stage: s, strip_base_path: b })
}
fn n_routing_rule_condition(p: &Params) -> RoutingRuleCondition {
    fill!(RoutingRuleCondition, p, {
        match_base_paths: obj(n_routing_rule_match_base_paths), match_headers: obj(n_routing_rule_match_headers),
    })
}
fn n_routing_rule_match_base_paths(p: &Params) -> RoutingRuleMatchBasePaths {
    fill!(RoutingRuleMatchBasePaths, p, { any_of: list })
}
fn n_routing_rule_match_headers(p: &Params) -> RoutingRuleMatchHeaders {
    fill!(RoutingRuleMatchHeaders, p, { any_of: obj_list(n_routing_rule_match_header_value) })
}
fn n_routing_rule_match_header_value(p: &Params) -> RoutingRuleMatchHeaderValue {
    fill!(RoutingRuleMatchHeaderValue, p, { header: s, value_glob: s })
}
fn n_authorization(p: &Params) -> Authorization {
    fill!(Authorization, p, { cognito_config: obj(n_cognito_config), none: obj(n_none) })
}
fn n_cognito_config(p: &Params) -> CognitoConfig {
    fill!(CognitoConfig, p, { app_client_id: s, user_pool_arn: s, user_pool_domain: s })
}
fn n_none(p: &Params) -> NoneShape {
    fill!(NoneShape, p, {})
}
fn n_endpoint_configuration_request(p: &Params) -> EndpointConfigurationRequest {
    fill!(EndpointConfigurationRequest, p, { acm_managed: obj(n_acm_managed), none: obj(n_none) })
}
fn n_acm_managed(p: &Params) -> AcmManaged {
    fill!(AcmManaged, p, { certificate_arn: s, domain_name: s })
}
fn n_portal_content(p: &Params) -> PortalContent {
    fill!(PortalContent, p, { description: s, display_name: s, theme: obj(n_portal_theme) })
}
fn n_portal_theme(p: &Params) -> PortalTheme {
    fill!(PortalTheme, p, { custom_colors: obj(n_custom_colors), logo_last_uploaded: time })
}
fn n_custom_colors(p: &Params) -> CustomColors {
    fill!(CustomColors, p, {
        accent_color: s, background_color: s, error_validation_color: s, header_color: s, navigation_color: s,
        text_color: s,
    })
}

// ------------------------------------------------------------------------------------------------
// Recording servers and the boto3 driver.

/// One recorded request.
#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    raw_path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// A running `record_server.py`, killed on drop.
struct Recorder {
    guard: ChildGuard,
    port: u16,
    out: std::path::PathBuf,
}

impl Recorder {
    fn start(python: &Path, dir: &Path, tag: &str) -> Recorder {
        let script = crate_dir().join("python/record_server.py");
        let out = dir.join(format!("{tag}.jsonl"));
        let log = dir.join(format!("{tag}-server.log"));
        let err = std::fs::File::create(&log).expect("create log");
        let mut child = Command::new(python)
            .arg(&script)
            .arg(&out)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", script.display()));
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let mut guard = ChildGuard { name: format!("record_server ({tag})"), child, stdin, log: Some(log) };
        // Its first stdout line is `LISTENING <port>`; read it on a thread so the wait is bounded.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = std::io::BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = match rx.recv_timeout(SERVER_START_LIMIT) {
            Ok(line) => line,
            Err(_) => panic!("record_server ({tag}) did not start within {SERVER_START_LIMIT:?}\n{}", guard.log_tail()),
        };
        let port = line.strip_prefix("LISTENING ").and_then(|p| p.trim().parse::<u16>().ok()).unwrap_or_else(|| {
            let status = guard.exited();
            panic!("record_server ({tag}) said {line:?} (exit: {status:?})\n{}", guard.log_tail())
        });
        Recorder { guard, port, out }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A marker line in the log: the requests after it belong to case `index`.
    fn mark(&self, index: usize) {
        match http_request(self.port, "GET", &format!("/__mark__/{index}"), b"") {
            Ok((204, _)) => {}
            other => panic!("marker request to {} failed: {other:?}\n{}", self.guard.name, self.guard.log_tail()),
        }
    }

    /// The recorded requests, split per case by the markers.
    fn requests_by_case(&self, cases: usize) -> Vec<Vec<Recorded>> {
        let text = std::fs::read_to_string(&self.out).unwrap_or_else(|e| panic!("read {}: {e}", self.out.display()));
        let mut by_case: Vec<Vec<Recorded>> = vec![Vec::new(); cases];
        let mut current: Option<usize> = None;
        for (n, line) in text.lines().enumerate() {
            let v: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{}:{}: {e}", self.out.display(), n + 1));
            if let Some(mark) = v.get("mark") {
                current = mark.as_str().and_then(|m| m.parse().ok());
                continue;
            }
            let index =
                current.unwrap_or_else(|| panic!("{}: a request before any marker: {line}", self.out.display()));
            let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
            let body = match (v.get("body").and_then(Value::as_str), v.get("body_base64").and_then(Value::as_str)) {
                (Some(text), _) => text.as_bytes().to_vec(),
                (None, Some(b64)) => b64.as_bytes().to_vec(), // compared as is; no case sends binary
                (None, None) => Vec::new(),
            };
            let headers = v
                .get("headers")
                .and_then(Value::as_array)
                .map(|hs| {
                    hs.iter()
                        .filter_map(|h| Some((h.get(0)?.as_str()?.to_string(), h.get(1)?.as_str()?.to_string())))
                        .collect()
                })
                .unwrap_or_default();
            by_case[index].push(Recorded {
                method: s("method"),
                raw_path: s("raw_path"),
                query: s("query"),
                headers,
                body,
            });
        }
        by_case
    }
}

// ------------------------------------------------------------------------------------------------
// Comparison.

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Strict percent-decoding (`+` stays `+`); invalid UTF-8 is shown with escapes.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => format!("{:?}", e.as_bytes()),
    }
}

fn path_segments(raw: &str) -> Vec<String> {
    raw.split('/').map(percent_decode).collect()
}

fn query_pairs(raw: &str) -> Vec<(String, Option<String>)> {
    let mut pairs: Vec<(String, Option<String>)> = raw
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (percent_decode(k), Some(percent_decode(v))),
            None => (percent_decode(p), None),
        })
        .collect();
    pairs.sort();
    pairs
}

/// Compared headers: lower-case names, minus [`IGNORED_HEADERS`] and `amz-sdk-*`, minus
/// `content-type` when there is no body on either side.
fn relevant_headers(r: &Recorded, any_body: bool) -> Vec<(String, String)> {
    let mut hs: Vec<(String, String)> = r
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_string()))
        .filter(|(k, _)| !IGNORED_HEADERS.contains(&k.as_str()) && !k.starts_with("amz-sdk-"))
        .filter(|(k, _)| any_body || k != "content-type")
        .collect();
    hs.sort();
    hs
}

/// Differences between two JSON values, as `path: boto3 X, ours Y` lines; notes for values that
/// are equal but written differently.
fn json_diff(path: &str, a: &Value, b: &Value, diffs: &mut Vec<String>, notes: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let p = format!("{path}.{k}");
                match (x.get(k), y.get(k)) {
                    (Some(va), Some(vb)) => json_diff(&p, va, vb, diffs, notes),
                    (Some(va), None) => diffs.push(format!("{p}: boto3 sends {va}, ours omits it")),
                    (None, Some(vb)) => diffs.push(format!("{p}: boto3 omits it, ours sends {vb}")),
                    (None, None) => unreachable!(),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                diffs.push(format!("{path}: boto3 sends {} items {a}, ours {} items {b}", x.len(), y.len()));
                return;
            }
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                json_diff(&format!("{path}[{i}]"), va, vb, diffs, notes);
            }
        }
        (Value::Number(x), Value::Number(y)) => {
            let same = x == y || matches!((x.as_f64(), y.as_f64()), (Some(p), Some(q)) if p == q);
            if !same {
                diffs.push(format!("{path}: boto3 sends {x}, ours {y}"));
            } else if x.to_string() != y.to_string() {
                notes.push(format!("{path}: same number written differently: boto3 {x}, ours {y}"));
            }
        }
        (Value::String(x), Value::String(y)) if x != y => {
            match (DateTime::parse_date_time(x), DateTime::parse_date_time(y)) {
                (Ok(p), Ok(q)) if p == q => {
                    notes.push(format!("{path}: same instant written differently: boto3 {x:?}, ours {y:?}"))
                }
                _ => diffs.push(format!("{path}: boto3 sends {a}, ours {b}")),
            }
        }
        _ if a == b => {}
        _ => diffs.push(format!("{path}: boto3 sends {a}, ours {b}")),
    }
}

/// Compares one case's requests; returns the differences (empty if they match) and notes.
fn compare(boto: &Recorded, ours: &Recorded) -> (Vec<String>, Vec<String>) {
    let mut diffs = Vec::new();
    let mut notes = Vec::new();
    if boto.method != ours.method {
        diffs.push(format!("method: boto3 {}, ours {}", boto.method, ours.method));
    }
    let (pa, pb) = (path_segments(&boto.raw_path), path_segments(&ours.raw_path));
    if pa != pb {
        diffs
            .push(format!("path: boto3 {} (segments {pa:?}), ours {} (segments {pb:?})", boto.raw_path, ours.raw_path));
    } else if boto.raw_path != ours.raw_path {
        notes.push(format!(
            "path encoded differently (same when decoded): boto3 {}, ours {}",
            boto.raw_path, ours.raw_path
        ));
    }
    let (qa, qb) = (query_pairs(&boto.query), query_pairs(&ours.query));
    if qa != qb {
        diffs.push(format!("query: boto3 {:?} = {qa:?}, ours {:?} = {qb:?}", boto.query, ours.query));
    } else if boto.query != ours.query {
        notes.push(format!("query written differently (same pairs): boto3 {:?}, ours {:?}", boto.query, ours.query));
    }
    // Content-Length itself is ignored (JSON spacing differs), but not how the body is framed: an
    // empty POST still needs `Content-Length: 0` (RFC 9110 §8.6; servers may answer 411 without it).
    let framed = |r: &Recorded| {
        r.headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-length") || k.eq_ignore_ascii_case("transfer-encoding"))
    };
    if matches!(ours.method.as_str(), "POST" | "PUT" | "PATCH") && framed(boto) && !framed(ours) {
        let len = boto.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-length")).map(|(_, v)| v.as_str());
        diffs.push(format!(
            "framing: boto3 sends Content-Length: {}, ours neither Content-Length nor Transfer-Encoding",
            len.unwrap_or("(chunked)")
        ));
    }
    let any_body = !boto.body.is_empty() || !ours.body.is_empty();
    let (ha, hb) = (relevant_headers(boto, any_body), relevant_headers(ours, any_body));
    if ha != hb {
        diffs.push(format!("headers: boto3 {ha:?}, ours {hb:?}"));
    }
    match (boto.body.is_empty(), ours.body.is_empty()) {
        (true, true) => {}
        (false, true) => diffs.push(format!("body: boto3 sends {}, ours none", String::from_utf8_lossy(&boto.body))),
        (true, false) => diffs.push(format!("body: boto3 sends none, ours {}", String::from_utf8_lossy(&ours.body))),
        (false, false) => {
            match (serde_json::from_slice::<Value>(&boto.body), serde_json::from_slice::<Value>(&ours.body)) {
                (Ok(a), Ok(b)) => {
                    let mut body_diffs = Vec::new();
                    json_diff("$", &a, &b, &mut body_diffs, &mut notes);
                    diffs.extend(body_diffs.into_iter().map(|d| format!("body {d}")));
                }
                _ if boto.body == ours.body => {}
                _ => diffs.push(format!(
                    "body (not JSON): boto3 {:?}, ours {:?}",
                    String::from_utf8_lossy(&boto.body),
                    String::from_utf8_lossy(&ours.body)
                )),
            }
        }
    }
    (diffs, notes)
}

// ------------------------------------------------------------------------------------------------
// The test.

#[tokio::test(flavor = "current_thread")]
async fn wire_matches_boto3() {
    let python = venv_bin("python");
    let cases_path = crate_dir().join("tests/wire_cases.json");
    let text = std::fs::read_to_string(&cases_path).unwrap_or_else(|e| panic!("read {}: {e}", cases_path.display()));
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", cases_path.display()));
    let dir = ScratchDir::new("wire");

    // boto3 first, against its own recording server.
    let boto_server = Recorder::start(&python, dir.path(), "boto3");
    let boto_results = boto3_calls(&crate_dir(), "apigatewayv2", &cases_path, &boto_server.endpoint(), dir.path());
    assert_eq!(boto_results.len(), cases.len(), "boto3_calls.py answered for every case");

    // Then the generated client, against another.
    let ours_server = Recorder::start(&python, dir.path(), "ours");
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(ours_server.endpoint())
        .credentials(Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None))
        .retry(RetryConfig { max_attempts: 1, ..RetryConfig::default() })
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client config");
    let client = Client::new(config).expect("client");
    let mut our_results = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let operation = case["operation"].as_str().unwrap_or_else(|| panic!("case {i}: no operation"));
        let name = case.get("name").and_then(Value::as_str).unwrap_or(operation);
        let empty = Value::Object(Map::new());
        let params = Params::new(format!("case {i} ({name})"), case.get("params").unwrap_or(&empty));
        ours_server.mark(i);
        let result = match tokio::time::timeout(CASE_LIMIT, call(&client, operation, &params)).await {
            Ok(r) => r,
            Err(_) => Err(format!("no answer within {CASE_LIMIT:?}")),
        };
        params.finish();
        our_results.push(result);
    }

    let boto_requests = boto_server.requests_by_case(cases.len());
    let our_requests = ours_server.requests_by_case(cases.len());
    drop(boto_server);
    drop(ours_server);

    let mut failures = Vec::new();
    let mut failed_ops = BTreeSet::new();
    let mut all_ops = BTreeSet::new();
    for (i, case) in cases.iter().enumerate() {
        let operation = case["operation"].as_str().unwrap_or_default();
        let name = case.get("name").and_then(Value::as_str).unwrap_or(operation);
        all_ops.insert(operation);
        let label = format!("case {i} {operation} ({name})");
        if let Err(e) = &boto_results[i] {
            failures.push(format!("{label}: boto3 refused the call (fix the case): {e}"));
            failed_ops.insert(operation);
            continue;
        }
        let (boto, ours) = (&boto_requests[i], &our_requests[i]);
        if boto.len() != 1 {
            failures.push(format!("{label}: boto3 sent {} requests, expected 1", boto.len()));
            failed_ops.insert(operation);
            continue;
        }
        if ours.len() != 1 {
            let why = match &our_results[i] {
                Err(e) => format!(" (error: {e})"),
                Ok(()) => String::new(),
            };
            failures.push(format!("{label}: our client sent {} requests, expected 1{why}", ours.len()));
            failed_ops.insert(operation);
            continue;
        }
        let (diffs, notes) = compare(&boto[0], &ours[0]);
        for n in &notes {
            say(&format!("wire: note: {label}: {n}"));
        }
        if let Err(e) = &our_results[i] {
            say(&format!("wire: note: {label}: our client's call failed after sending (not a wire difference): {e}"));
        }
        if !diffs.is_empty() {
            failures.push(format!("{label}:\n    {}", diffs.join("\n    ")));
            failed_ops.insert(operation);
        }
    }
    // An operation counts as matched only if every case of it matched.
    let matched = all_ops.difference(&failed_ops).count();
    if !failures.is_empty() {
        panic!(
            "wire: {} of {} cases differ from boto3 ({matched} of {} operations matched):\n{}",
            failures.len(),
            cases.len(),
            all_ops.len(),
            failures.join("\n")
        );
    }
    say(&format!("wire: {} cases, all equal to boto3's requests", cases.len()));
    say(&format!("wire: {matched} operations matched"));
}
