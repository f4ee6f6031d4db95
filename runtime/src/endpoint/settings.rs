//! Where a client's endpoint parameters come from: the configuration builder and the standard
//! environment, then the rules embedded in the service's crate.

use std::sync::Arc;

use super::{CachedResolver, Endpoint, EndpointError, ParamValue, Params, Resolver};
use crate::{Config, ConfigBuilder, ConfigError, ServiceInfo};

/// The endpoint settings of a [`Config`] besides the region and `endpoint_url`.
#[derive(Clone, Debug, Default)]
pub(crate) struct EndpointSettings {
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    /// Other parameters by built-in name (`AWS::Auth::AccountId`) or parameter name (client
    /// context parameters such as `ForcePathStyle`).
    params: Vec<(String, ParamValue)>,
    /// Set by `Config::from_env`: `AWS_ENDPOINT_URL_<SERVICE>` is looked up for the service.
    from_env: bool,
}

fn env_bool(var: &dyn Fn(&str) -> Option<String>, name: &'static str) -> Result<Option<bool>, ConfigError> {
    match var(name).map(|v| v.to_ascii_lowercase()) {
        None => Ok(None),
        Some(v) if v == "true" => Ok(Some(true)),
        Some(v) if v == "false" => Ok(Some(false)),
        Some(v) => Err(ConfigError::invalid(name, format!("`{v}` is neither `true` nor `false`"))),
    }
}

impl EndpointSettings {
    /// `AWS_USE_FIPS_ENDPOINT` and `AWS_USE_DUALSTACK_ENDPOINT`.
    pub(crate) fn from_vars(var: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Ok(EndpointSettings {
            use_fips: env_bool(var, "AWS_USE_FIPS_ENDPOINT")?,
            use_dual_stack: env_bool(var, "AWS_USE_DUALSTACK_ENDPOINT")?,
            params: Vec::new(),
            from_env: true,
        })
    }
}

impl EndpointSettings {
    /// FIPS and dual-stack where the environment left them unset (from the profile).
    pub(crate) fn or_profile(mut self, use_fips: Option<bool>, use_dual_stack: Option<bool>) -> Self {
        self.use_fips = self.use_fips.or(use_fips);
        self.use_dual_stack = self.use_dual_stack.or(use_dual_stack);
        self
    }
}

impl ConfigBuilder {
    /// Use the service's FIPS endpoint (`AWS::UseFIPS`; environment: `AWS_USE_FIPS_ENDPOINT`).
    pub fn use_fips(mut self, on: bool) -> Self {
        self.endpoint_settings_mut().use_fips = Some(on);
        self
    }

    /// Use the service's dual-stack (IPv4 and IPv6) endpoint (`AWS::UseDualStack`; environment:
    /// `AWS_USE_DUALSTACK_ENDPOINT`).
    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.endpoint_settings_mut().use_dual_stack = Some(on);
        self
    }

    /// Sets an endpoint parameter of the service's rules: by built-in name (`AWS::Auth::AccountId`,
    /// `AWS::Auth::AccountIdEndpointMode`, `AWS::STS::UseGlobalEndpoint`, `AWS::S3::ForcePathStyle`,
    /// ...) or by the name of a client context parameter of the service (`ForcePathStyle`).
    /// Names the service's rules do not have are ignored.
    pub fn endpoint_param(mut self, name: impl Into<String>, value: super::ParamValue) -> Self {
        let name = name.into();
        let params = &mut self.endpoint_settings_mut().params;
        params.retain(|(n, _)| *n != name);
        params.push((name, value));
        self
    }
}

/// Where requests of a client go and how they are signed.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub(crate) url: String,
    /// The rules and the client's parameters, for calls that add parameters of their own.
    pub(crate) per_call: Option<Arc<(CachedResolver, Params)>>,
    pub(crate) headers: Vec<(String, String)>,
    /// The SigV4 signing name and region from `authSchemes`, if the rules give them.
    pub(crate) signing_name: Option<String>,
    pub(crate) signing_region: Option<String>,
}

/// The endpoint of `service` for `config`: its embedded rules with the configuration's
/// parameters, or `https://{endpoint_prefix}.{region}.amazonaws.com` for a service without rules.
pub(crate) fn resolve_for_client(service: &ServiceInfo, config: &Config) -> Result<Resolved, ConfigError> {
    let settings = config.endpoint_settings();
    let mut endpoint_url = config.endpoint_url().map(str::to_owned);
    if settings.from_env {
        let key = service.service_id.to_ascii_uppercase().replace([' ', '-'], "_");
        if let Some(url) = std::env::var(format!("AWS_ENDPOINT_URL_{key}")).ok().filter(|u| !u.is_empty()) {
            endpoint_url = Some(url);
        }
    }
    if service.endpoint_rules.is_empty() {
        let url = endpoint_url.unwrap_or_else(|| {
            let suffix = if config.region().starts_with("cn-") { "amazonaws.com.cn" } else { "amazonaws.com" };
            format!("https://{}.{}.{suffix}", service.endpoint_prefix, config.region())
        });
        return Ok(Resolved { url, per_call: None, headers: Vec::new(), signing_name: None, signing_region: None });
    }
    let resolver = Resolver::parse(service.endpoint_rules, service.partitions).map_err(ConfigError::Endpoint)?;
    let mut by_builtin: Vec<(&str, ParamValue)> = vec![("AWS::Region", ParamValue::String(config.region().to_owned()))];
    if let Some(on) = settings.use_fips {
        by_builtin.push(("AWS::UseFIPS", ParamValue::Bool(on)));
    }
    if let Some(on) = settings.use_dual_stack {
        by_builtin.push(("AWS::UseDualStack", ParamValue::Bool(on)));
    }
    if let Some(url) = &endpoint_url {
        by_builtin.push(("SDK::Endpoint", ParamValue::String(url.clone())));
    }
    let mut params = Params::new();
    for p in resolver.rules().params() {
        let from_builtin = p.built_in.as_deref().and_then(|b| {
            by_builtin
                .iter()
                .find(|(n, _)| *n == b)
                .map(|(_, v)| v)
                .or_else(|| settings.params.iter().find(|(n, _)| n == b).map(|(_, v)| v))
        });
        let by_name = settings.params.iter().find(|(n, _)| *n == p.name).map(|(_, v)| v);
        if let Some(value) = by_name.or(from_builtin) {
            params.set(&p.name, value.clone());
        }
    }
    let endpoint = resolver.resolve(&params).map_err(ConfigError::Endpoint)?;
    let mut resolved = resolved(endpoint).map_err(|e| ConfigError::invalid("endpoint", e.message()))?;
    resolved.per_call = Some(Arc::new((CachedResolver::new(resolver), params)));
    Ok(resolved)
}

impl Resolved {
    /// The endpoint of one call that sets parameters of its own (`None`: the client's).
    pub(crate) fn for_call(
        &self,
        call_params: &[(&'static str, ParamValue)],
    ) -> Result<Option<Resolved>, EndpointError> {
        let Some(per_call) = self.per_call.as_ref().filter(|_| !call_params.is_empty()) else {
            return Ok(None);
        };
        let (resolver, client_params) = &**per_call;
        let mut params = client_params.clone();
        for (name, value) in call_params {
            params.set(name, value.clone());
        }
        let mut resolved = resolved(resolver.resolve(&params)?)?;
        resolved.per_call = self.per_call.clone();
        Ok(Some(resolved))
    }
}

/// The URL, headers and SigV4 signing settings of an endpoint; an auth scheme this runtime
/// cannot sign with is an error.
fn resolved(endpoint: Endpoint) -> Result<Resolved, EndpointError> {
    let mut signing_name = None;
    let mut signing_region = None;
    if let Some(schemes) = endpoint.properties.get("authSchemes").and_then(|s| s.as_array()) {
        let sigv4 = schemes.iter().find(|s| s.get("name").and_then(|n| n.as_str()) == Some("sigv4"));
        match sigv4 {
            Some(scheme) => {
                signing_name = scheme.get("signingName").and_then(|v| v.as_str()).map(str::to_owned);
                signing_region = scheme.get("signingRegion").and_then(|v| v.as_str()).map(str::to_owned);
            }
            None => {
                let names: Vec<&str> = schemes.iter().filter_map(|s| s.get("name").and_then(|n| n.as_str())).collect();
                return Err(EndpointError::new(format!(
                    "the endpoint `{}` needs the auth scheme {} and this runtime signs only with sigv4 \
                         (sigv4a, for multi-region endpoints, is not supported yet)",
                    endpoint.url,
                    names.join(" or ")
                )));
            }
        }
    }
    let headers = endpoint
        .headers
        .into_iter()
        .flat_map(|(name, values)| values.into_iter().map(move |v| (name.clone(), v)))
        .collect();
    Ok(Resolved { url: endpoint.url, per_call: None, headers, signing_name, signing_region })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Credentials;

    const RULES: &str = r#"{"version":"1.0",
        "parameters":{"Region":{"type":"String","builtIn":"AWS::Region"},
                      "UseFIPS":{"type":"Boolean","builtIn":"AWS::UseFIPS","required":true,"default":false},
                      "AccountId":{"type":"String","builtIn":"AWS::Auth::AccountId"},
                      "Multi":{"type":"Boolean"},
                      "Endpoint":{"type":"String","builtIn":"SDK::Endpoint"}},
        "rules":[
          {"conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]},{"fn":"booleanEquals","argv":[{"ref":"UseFIPS"},true]}],"type":"error","error":"Invalid Configuration: FIPS and custom endpoint are not supported"},
          {"conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]}],"type":"endpoint","endpoint":{"url":{"ref":"Endpoint"}}},
          {"conditions":[{"fn":"isSet","argv":[{"ref":"Multi"}]}],"type":"endpoint","endpoint":{"url":"https://mrap.example","properties":{"authSchemes":[{"name":"sigv4a","signingName":"s3"}]}}},
          {"conditions":[{"fn":"isSet","argv":[{"ref":"AccountId"}]}],"type":"endpoint","endpoint":{"url":"https://{AccountId}.svc.{Region}.amazonaws.com","headers":{"x-acct":["{AccountId}"]},"properties":{"authSchemes":[{"name":"sigv4","signingName":"other","signingRegion":"us-east-1"}]}}},
          {"conditions":[{"fn":"booleanEquals","argv":[{"ref":"UseFIPS"},true]}],"type":"endpoint","endpoint":{"url":"https://svc-fips.{Region}.amazonaws.com"}},
          {"conditions":[],"type":"endpoint","endpoint":{"url":"https://svc.{Region}.amazonaws.com"}}]}"#;

    static SERVICE: ServiceInfo = ServiceInfo {
        service_id: "Some Service",
        signing_name: "svc",
        endpoint_prefix: "svc",
        api_version: "2020-01-01",
        endpoint_rules: RULES,
        partitions: r#"{"partitions":[]}"#,
    };

    fn config(f: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Config {
        let b = Config::builder().region("eu-west-1").credentials(Credentials::new("a", "b", None));
        f(b).build().expect("valid config")
    }

    #[test]
    fn builder_settings_become_parameters() {
        assert_eq!(
            resolve_for_client(&SERVICE, &config(|b| b)).expect("resolves").url,
            "https://svc.eu-west-1.amazonaws.com"
        );
        let fips = resolve_for_client(&SERVICE, &config(|b| b.use_fips(true))).expect("resolves");
        assert_eq!(fips.url, "https://svc-fips.eu-west-1.amazonaws.com");
        let custom =
            resolve_for_client(&SERVICE, &config(|b| b.endpoint_url("http://127.0.0.1:5000"))).expect("resolves");
        assert_eq!(custom.url, "http://127.0.0.1:5000");
        let acct = config(|b| b.endpoint_param("AWS::Auth::AccountId", ParamValue::String("123".into())));
        let acct = resolve_for_client(&SERVICE, &acct).expect("resolves");
        assert_eq!(acct.url, "https://123.svc.eu-west-1.amazonaws.com");
        assert_eq!(acct.headers, vec![("x-acct".to_owned(), "123".to_owned())]);
        assert_eq!((acct.signing_name.as_deref(), acct.signing_region.as_deref()), (Some("other"), Some("us-east-1")));
    }

    #[test]
    fn rule_errors_and_unsupported_auth_are_config_errors() {
        let both = config(|b| b.endpoint_url("http://127.0.0.1:5000").use_fips(true));
        match resolve_for_client(&SERVICE, &both) {
            Err(ConfigError::Endpoint(e)) => {
                assert_eq!(e.message(), "Invalid Configuration: FIPS and custom endpoint are not supported")
            }
            other => panic!("expected the rule's error, got {other:?}"),
        }
        let multi = config(|b| b.endpoint_param("Multi", ParamValue::Bool(true)));
        let err = resolve_for_client(&SERVICE, &multi).expect_err("sigv4a");
        assert!(err.to_string().contains("sigv4a"), "{err}");
    }

    #[test]
    fn call_parameters_override_the_clients() {
        let client = resolve_for_client(&SERVICE, &config(|b| b)).expect("resolves");
        assert!(client.for_call(&[]).expect("no call parameters").is_none());
        let call = client
            .for_call(&[("AccountId", ParamValue::String("42".into()))])
            .expect("resolves")
            .expect("a call endpoint");
        assert_eq!(call.url, "https://42.svc.eu-west-1.amazonaws.com");
        assert_eq!(call.signing_name.as_deref(), Some("other"));
        let err = client.for_call(&[("Multi", ParamValue::Bool(true))]).expect_err("sigv4a");
        assert!(err.message().contains("sigv4a"), "{err}");
    }

    #[test]
    fn environment_flags() {
        let vars = |name: &str| match name {
            "AWS_USE_FIPS_ENDPOINT" => Some("TRUE".to_owned()),
            "AWS_USE_DUALSTACK_ENDPOINT" => Some("false".to_owned()),
            _ => None,
        };
        let s = EndpointSettings::from_vars(&vars).expect("valid");
        assert_eq!((s.use_fips, s.use_dual_stack), (Some(true), Some(false)));
        let bad = |name: &str| (name == "AWS_USE_FIPS_ENDPOINT").then(|| "yes".to_owned());
        assert!(EndpointSettings::from_vars(&bad).is_err());
    }
}
