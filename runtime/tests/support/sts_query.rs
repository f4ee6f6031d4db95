//! An implementation of the runtime's `Sts` seam that speaks STS's wire format (awsQuery: a
//! form-encoded POST, an XML reply) through the runtime's `Client`, for the runtime's own tests
//! against their local STS stand-in: they build no generated crate. Programs (and the
//! integration tests against moto) use `aws-codegen-sts-credentials`, over the generated
//! `aws-sts-client`.

use aws_codegen_runtime::credentials::{AssumeRoleRequest, CredentialsError, Sts, WebIdentityRequest};
use aws_codegen_runtime::{encode, BoxFuture, Client, Config, Credentials, Request, ServiceInfo};

static STS: ServiceInfo = ServiceInfo {
    service_id: "STS",
    signing_name: "sts",
    endpoint_prefix: "sts",
    api_version: "2011-06-15",
    endpoint_rules: "",
    partitions: "",
};

#[derive(Debug)]
pub struct QuerySts;

fn failed(message: impl Into<String>) -> CredentialsError {
    CredentialsError::Failed { provider: "STS", message: message.into() }
}

/// The text of the first `<tag>` element.
fn element<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let start = xml.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = xml[start..].find(&format!("</{tag}>"))? + start;
    Some(&xml[start..end])
}

async fn call(config: Config, params: &[(&str, &str)]) -> Result<Credentials, CredentialsError> {
    let client = Client::new(&STS, config).map_err(|e| failed(e.to_string()))?;
    let body: Vec<String> = params.iter().map(|(k, v)| format!("{k}={}", encode::label(v))).collect();
    let mut request = Request::new("POST", "/".to_owned());
    request.body = Some(body.join("&").into_bytes());
    request.header("content-type", "application/x-www-form-urlencoded; charset=utf-8");
    let response = client.send(request).await.map_err(|e| failed(e.to_string()))?;
    let xml = String::from_utf8_lossy(&response.body);
    if response.status != 200 {
        let code = element(&xml, "Code").unwrap_or("unknown");
        return Err(failed(format!("{} {code}: {}", response.status, element(&xml, "Message").unwrap_or(""))));
    }
    let field = |tag| element(&xml, tag).map(str::to_owned).ok_or_else(|| failed(format!("no {tag} in the reply")));
    let mut credentials =
        Credentials::new(field("AccessKeyId")?, field("SecretAccessKey")?, Some(field("SessionToken")?));
    let expiration =
        aws_codegen_runtime::DateTime::parse_date_time(&field("Expiration")?).map_err(|e| failed(e.to_string()))?;
    credentials.expiry = Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(expiration.secs() as u64));
    Ok(credentials)
}

impl Sts for QuerySts {
    fn assume_role(&self, r: AssumeRoleRequest) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let mut config = Config::builder().region(r.region).credentials(r.credentials);
            if let Some(url) = r.endpoint_url {
                config = config.endpoint_url(url);
            }
            let config = config.build().map_err(|e| failed(e.to_string()))?;
            let mut params = vec![
                ("Action", "AssumeRole"),
                ("Version", "2011-06-15"),
                ("RoleArn", r.role_arn.as_str()),
                ("RoleSessionName", r.role_session_name.as_str()),
            ];
            if let Some(id) = &r.external_id {
                params.push(("ExternalId", id));
            }
            let duration = r.duration_seconds.map(|d| d.to_string());
            if let Some(d) = &duration {
                params.push(("DurationSeconds", d));
            }
            call(config, &params).await
        })
    }

    fn assume_role_with_web_identity(
        &self,
        r: WebIdentityRequest,
    ) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let mut config = Config::builder().region(r.region).anonymous();
            if let Some(url) = r.endpoint_url {
                config = config.endpoint_url(url);
            }
            let config = config.build().map_err(|e| failed(e.to_string()))?;
            let params = [
                ("Action", "AssumeRoleWithWebIdentity"),
                ("Version", "2011-06-15"),
                ("RoleArn", r.role_arn.as_str()),
                ("RoleSessionName", r.role_session_name.as_str()),
                ("WebIdentityToken", r.web_identity_token.as_str()),
            ];
            call(config, &params).await
        })
    }
}
