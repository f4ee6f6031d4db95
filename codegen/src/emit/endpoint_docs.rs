//! The "Endpoint" section of operation pages: how the generated client picks the URL of a
//! call, read from the service's endpoint rule set (`smithy.rules#endpointRuleSet`), and
//! which settings of the client's `Config` (or the standard environment) change it.
//!
//! The wording follows what the runtime does (`runtime/src/endpoint/settings.rs`): the four
//! built-ins a `ConfigBuilder` method sets, every other parameter by `endpoint_param`.

use crate::emit::mdx;
use crate::model::{Api, EndpointParamSource, Operation, RuleParam};

/// One rule set parameter and where its value comes from.
pub struct ParamRow {
    pub name: String,
    pub set_with: String,
    pub doc: String,
}

/// What every operation page of a service says about its endpoint.
pub struct ServiceEndpoint<'a> {
    /// `None`: the service has no rule set (the client builds `https://{prefix}.{region}...`).
    params: Option<&'a [RuleParam]>,
    env_key: String,
    endpoint_prefix: Option<&'a str>,
}

/// The section of one operation page.
pub struct EndpointSection {
    pub intro: String,
    pub rows: Vec<ParamRow>,
}

impl<'a> ServiceEndpoint<'a> {
    pub fn new(api: &'a Api) -> Self {
        ServiceEndpoint {
            params: api.endpoint_rules.as_ref().map(|_| api.endpoint_rule_params.as_slice()),
            // The runtime's `AWS_ENDPOINT_URL_<SERVICE>` key: the SDK id, upper case, `_` for
            // spaces and dashes, as the AWS SDKs spell it.
            env_key: api.sdk_id.to_ascii_uppercase().replace([' ', '-'], "_"),
            endpoint_prefix: api.endpoint_prefix.as_deref(),
        }
    }

    /// The section for `op`: the service's parameters, with those the operation sets itself.
    pub fn section(&self, api: &Api, op: &Operation) -> EndpointSection {
        let host_prefix = op
            .request
            .host_prefix
            .as_ref()
            .map(|p| format!(" The operation puts {} before the endpoint's host.", mdx::code(p)))
            .unwrap_or_default();
        let Some(params) = &self.params else {
            let prefix = self.endpoint_prefix.unwrap_or("{service}");
            return EndpointSection {
                intro: format!(
                    "The model has no endpoint rules: the client sends to {} ({} in China regions), or to \
                     the URL set with {} ({}).{host_prefix}",
                    mdx::code(&format!("https://{prefix}.{{region}}.amazonaws.com")),
                    mdx::code(".amazonaws.com.cn"),
                    mdx::code("Config::builder().endpoint_url(..)"),
                    mdx::code("AWS_ENDPOINT_URL"),
                ),
                rows: Vec::new(),
            };
        };
        let rows = params.iter().map(|p| self.row(p, op)).collect();
        EndpointSection {
            intro: format!(
                "The client resolves the URL of each call with the {} endpoint rules of the model (embedded \
                 in the crate with the AWS partition data), from these parameters. The rules can also set \
                 the signing name and region, and reject a combination with an error (\
                 {} from {}).{host_prefix}",
                mdx::text(&api.sdk_id),
                mdx::code("ConfigError::Endpoint"),
                mdx::code("Client::new"),
            ),
            rows,
        }
    }

    fn row(&self, p: &RuleParam, op: &Operation) -> ParamRow {
        let mut ways = Vec::new();
        // What the operation sets itself wins over the client's value (the last one applies).
        if let Some(source) = op.endpoint_params.iter().rev().find(|e| e.name == p.name).map(|e| &e.source) {
            ways.push(match source {
                EndpointParamSource::Static(v) => format!("always {} for this operation", mdx::code(&v.to_string())),
                EndpointParamSource::Member(m) => format!("the input member {} of this call", mdx::code(m)),
                EndpointParamSource::Path(path) => format!("the input at {} of this call", mdx::code(path)),
            });
        }
        match p.built_in.as_deref() {
            Some("AWS::Region") => {
                ways.push(format!("{} or {}", mdx::code("ConfigBuilder::region"), mdx::code("AWS_REGION")));
            }
            Some("AWS::UseFIPS") => {
                ways.push(format!("{} or {}", mdx::code("ConfigBuilder::use_fips"), mdx::code("AWS_USE_FIPS_ENDPOINT")))
            }
            Some("AWS::UseDualStack") => ways.push(format!(
                "{} or {}",
                mdx::code("ConfigBuilder::use_dual_stack"),
                mdx::code("AWS_USE_DUALSTACK_ENDPOINT")
            )),
            Some("SDK::Endpoint") => ways.push(format!(
                "{}, {} or {}",
                mdx::code("ConfigBuilder::endpoint_url"),
                mdx::code(&format!("AWS_ENDPOINT_URL_{}", self.env_key)),
                mdx::code("AWS_ENDPOINT_URL")
            )),
            Some(other) => ways.push(mdx::code(&format!("ConfigBuilder::endpoint_param(\"{other}\", ..)"))),
            None if ways.is_empty() => {
                ways.push(mdx::code(&format!("ConfigBuilder::endpoint_param(\"{}\", ..)", p.name)));
            }
            None => {}
        }
        let mut set_with = ways.join("; ");
        if let Some(default) = &p.default {
            set_with.push_str(&format!(" (default {})", mdx::code(&default.to_string())));
        }
        ParamRow { name: mdx::code(&p.name), set_with, doc: p.doc.as_deref().map(mdx::text).unwrap_or_default() }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::{EndpointParam, RequestTraits};

    fn param(name: &str, built_in: Option<&str>, default: Option<serde_json::Value>) -> RuleParam {
        RuleParam { name: name.into(), built_in: built_in.map(Into::into), default, doc: Some(format!("{name} doc")) }
    }

    fn api(rules: bool) -> Api {
        Api {
            sdk_id: "Storage Service-X".into(),
            endpoint_prefix: Some("storage".into()),
            endpoint_rules: rules.then(|| "{}".into()),
            endpoint_rule_params: vec![
                param("Region", Some("AWS::Region"), None),
                param("UseFIPS", Some("AWS::UseFIPS"), Some(json!(false))),
                param("Endpoint", Some("SDK::Endpoint"), None),
                param("AccountId", Some("AWS::Auth::AccountId"), None),
                param("Bucket", None, None),
                param("ForcePathStyle", None, None),
            ],
            ..Api::default()
        }
    }

    fn op() -> Operation {
        Operation {
            endpoint_params: vec![
                EndpointParam { name: "Bucket".into(), source: EndpointParamSource::Member("BucketName".into()) },
                EndpointParam { name: "ForcePathStyle".into(), source: EndpointParamSource::Static(json!(true)) },
            ],
            request: RequestTraits { host_prefix: Some("{AccountId}.data.".into()), ..RequestTraits::default() },
            ..Operation::default()
        }
    }

    #[test]
    fn each_parameter_names_the_setting_that_changes_it() {
        let api = api(true);
        let section = ServiceEndpoint::new(&api).section(&api, &op());
        // Read without the break opportunities `mdx::code` puts in identifiers.
        let plain = |s: &str| s.replace("<wbr/>", "");
        let rows: Vec<(String, String)> = section.rows.iter().map(|r| (plain(&r.name), plain(&r.set_with))).collect();
        let rows: Vec<(&str, &str)> = rows.iter().map(|(n, s)| (n.as_str(), s.as_str())).collect();
        assert_eq!(
            rows,
            [
                ("<code>Region</code>", "<code>ConfigBuilder::region</code> or <code>AWS_REGION</code>"),
                (
                    "<code>UseFIPS</code>",
                    "<code>ConfigBuilder::use_fips</code> or <code>AWS_USE_FIPS_ENDPOINT</code> (default <code>false</code>)"
                ),
                (
                    "<code>Endpoint</code>",
                    "<code>ConfigBuilder::endpoint_url</code>, <code>AWS_ENDPOINT_URL_STORAGE_SERVICE_X</code> or \
                     <code>AWS_ENDPOINT_URL</code>"
                ),
                ("<code>AccountId</code>", "<code>ConfigBuilder::endpoint_param(\"AWS::Auth::AccountId\", ..)</code>"),
                ("<code>Bucket</code>", "the input member <code>BucketName</code> of this call"),
                ("<code>ForcePathStyle</code>", "always <code>true</code> for this operation"),
            ]
        );
        assert_eq!(section.rows[0].doc, "Region doc");
        let intro = plain(&section.intro);
        assert!(intro.contains("Storage Service-X endpoint rules"), "{intro}");
        assert!(intro.contains("<code>&#123;AccountId&#125;.data.</code> before the endpoint's host"), "{intro}");
    }

    #[test]
    fn a_service_without_rules_says_which_url_the_client_builds() {
        let api = api(false);
        let section = ServiceEndpoint::new(&api).section(&api, &Operation::default());
        assert!(section.rows.is_empty());
        assert!(
            section.intro.contains("<code>https&#58;//storage.&#123;region&#125;.amazonaws.com</code>"),
            "{}",
            section.intro
        );
    }
}
