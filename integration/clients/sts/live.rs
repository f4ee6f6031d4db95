//! The generated STS client (awsQuery): a scenario against moto's server (who am I, assume a
//! role, and who am I with the role's temporary credentials), and the same calls as boto3 on the
//! wire. Run by `cargo xtask clients sts`.

mod common;
mod support;

use aws_sts_client::types::{
    AssumeRoleRequest, AssumeRoleWithWebIdentityRequest, DecodeAuthorizationMessageRequest, GetAccessKeyInfoRequest,
    GetCallerIdentityRequest, GetFederationTokenRequest, GetSessionTokenRequest, PolicyDescriptorType, Tag,
};
use aws_sts_client::{Client, Credentials, DateTime};
use common::{say, Moto};
use serde_json::json;
use support::{compare_with_boto3, static_keys};

const ROLE: &str = "arn:aws:iam::123456789012:role/deploy";

fn client(endpoint: String, credentials: Credentials) -> Client {
    Client::new(support::config_with(endpoint, credentials)).expect("client")
}

#[tokio::test(flavor = "current_thread")]
async fn moto_scenario() {
    let moto = Moto::start();
    let client = client(moto.url(), static_keys());

    // ---- who am I, with long-term keys ----
    let me = GetCallerIdentityRequest::builder().send(&client).await.expect("get_caller_identity");
    assert_eq!(me.account.as_deref(), Some("123456789012"));
    assert!(me.arn.as_deref().is_some_and(|arn| arn.starts_with("arn:aws:")), "{me:?}");

    // ---- assume a role, with tags and a session policy ----
    let assumed = AssumeRoleRequest::builder()
        .role_arn(ROLE)
        .role_session_name("ci-session")
        .duration_seconds(900)
        .external_id("ext-1")
        .policy(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#)
        .tags(vec![Tag { key: "team".into(), value: "a & b".into() }])
        .send(&client)
        .await
        .expect("assume_role");
    let creds = assumed.credentials.expect("credentials");
    assert!(!creds.access_key_id.is_empty() && !creds.secret_access_key.is_empty() && !creds.session_token.is_empty());
    // The expiration is read from the XML as a real timestamp, in the future.
    assert!(creds.expiration.secs() > DateTime::now().secs(), "expiration {}", creds.expiration);
    let user = assumed.assumed_role_user.expect("assumed role user");
    assert!(user.arn.ends_with("assumed-role/deploy/ci-session"), "{}", user.arn);
    assert!(user.assumed_role_id.ends_with(":ci-session"), "{}", user.assumed_role_id);

    // ---- who am I, with the role's temporary credentials ----
    let as_role = self::client(
        moto.url(),
        Credentials::new(creds.access_key_id, creds.secret_access_key, Some(creds.session_token)),
    );
    let me = GetCallerIdentityRequest::builder().send(&as_role).await.expect("get_caller_identity as the role");
    assert_eq!(me.arn.as_deref(), Some(user.arn.as_str()));

    // ---- a session token and a federation token ----
    let session = GetSessionTokenRequest::builder().duration_seconds(3600).send(&client).await.expect("session");
    assert!(session.credentials.is_some_and(|c| !c.session_token.is_empty()));
    let federated = GetFederationTokenRequest::builder().name("bob").send(&client).await.expect("federation");
    assert!(federated.federated_user.is_some_and(|u| u.arn.ends_with("federated-user/bob")));
    say("moto: sts scenario passed");
}

/// The calls of [`wire_cases`], through the client.
async fn send(c: &Client, case: usize) {
    // Only the request matters: the recorder answers with an empty document.
    let _ = match case {
        0 => GetCallerIdentityRequest::builder().send(c).await.map(drop).map_err(drop),
        1 => AssumeRoleRequest::builder().role_arn(ROLE).role_session_name("s1").send(c).await.map(drop).map_err(drop),
        2 => AssumeRoleRequest::builder()
            .role_arn(ROLE)
            .role_session_name("s2")
            .duration_seconds(900)
            .external_id("ext=1,2@x")
            .policy(r#"{"Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::b/ü k"}]}"#)
            .policy_arns(vec![
                PolicyDescriptorType { arn: Some("arn:aws:iam::aws:policy/ReadOnlyAccess".into()) },
                PolicyDescriptorType { arn: Some("arn:aws:iam::123456789012:policy/p+q".into()) },
            ])
            .tags(vec![Tag { key: "team".into(), value: "a b".into() }, Tag { key: "cost".into(), value: "7".into() }])
            .transitive_tag_keys(vec!["team".into()])
            .source_identity("alice")
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        3 => AssumeRoleRequest::builder()
            .role_arn(ROLE)
            .role_session_name("s3")
            .serial_number("arn:aws:iam::123456789012:mfa/alice")
            .token_code("123456")
            .policy_arns(vec![])
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        4 => GetSessionTokenRequest::builder()
            .duration_seconds(3600)
            .serial_number("arn:aws:iam::123456789012:mfa/alice")
            .token_code("654321")
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        5 => GetFederationTokenRequest::builder()
            .name("bob")
            .duration_seconds(43200)
            .policy(r#"{"Statement":[]}"#)
            .tags(vec![Tag { key: "k".into(), value: "v/w".into() }])
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        6 => AssumeRoleWithWebIdentityRequest::builder()
            .role_arn(ROLE)
            .role_session_name("web")
            .web_identity_token("eyJhbGciOi.J9.sig")
            .provider_id("www.amazon.com")
            .duration_seconds(1800)
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        7 => {
            DecodeAuthorizationMessageRequest::builder().encoded_message("AbC+/=").send(c).await.map(drop).map_err(drop)
        }
        8 => GetAccessKeyInfoRequest::builder()
            .access_key_id("AKIAIOSFODNN7EXAMPLE")
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        other => panic!("no case {other}"),
    };
}

/// Each case as boto3 takes it.
fn wire_cases() -> serde_json::Value {
    json!([
        { "name": "GetCallerIdentity", "operation": "GetCallerIdentity", "params": {} },
        { "name": "AssumeRole, required members only", "operation": "AssumeRole", "params": {
            "RoleArn": ROLE, "RoleSessionName": "s1" } },
        { "name": "AssumeRole with policies, tags and escapes", "operation": "AssumeRole", "params": {
            "RoleArn": ROLE, "RoleSessionName": "s2", "DurationSeconds": 900, "ExternalId": "ext=1,2@x",
            "Policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"arn:aws:s3:::b/ü k\"}]}",
            "PolicyArns": [{ "arn": "arn:aws:iam::aws:policy/ReadOnlyAccess" }, { "arn": "arn:aws:iam::123456789012:policy/p+q" }],
            "Tags": [{ "Key": "team", "Value": "a b" }, { "Key": "cost", "Value": "7" }],
            "TransitiveTagKeys": ["team"], "SourceIdentity": "alice" } },
        { "name": "AssumeRole with MFA and an empty list", "operation": "AssumeRole", "params": {
            "RoleArn": ROLE, "RoleSessionName": "s3", "SerialNumber": "arn:aws:iam::123456789012:mfa/alice",
            "TokenCode": "123456", "PolicyArns": [] } },
        { "name": "GetSessionToken with MFA", "operation": "GetSessionToken", "params": {
            "DurationSeconds": 3600, "SerialNumber": "arn:aws:iam::123456789012:mfa/alice", "TokenCode": "654321" } },
        { "name": "GetFederationToken with a policy and tags", "operation": "GetFederationToken", "params": {
            "Name": "bob", "DurationSeconds": 43200, "Policy": "{\"Statement\":[]}",
            "Tags": [{ "Key": "k", "Value": "v/w" }] } },
        { "name": "AssumeRoleWithWebIdentity", "operation": "AssumeRoleWithWebIdentity", "params": {
            "RoleArn": ROLE, "RoleSessionName": "web", "WebIdentityToken": "eyJhbGciOi.J9.sig",
            "ProviderId": "www.amazon.com", "DurationSeconds": 1800 } },
        { "name": "DecodeAuthorizationMessage with base64 characters", "operation": "DecodeAuthorizationMessage",
          "params": { "EncodedMessage": "AbC+/=" } },
        { "name": "GetAccessKeyInfo", "operation": "GetAccessKeyInfo", "params": { "AccessKeyId": "AKIAIOSFODNN7EXAMPLE" } }
    ])
}

#[tokio::test(flavor = "current_thread")]
async fn wire_matches_boto3() {
    compare_with_boto3(
        "sts",
        &wire_cases(),
        |endpoint, n| async move { send(&client(endpoint, static_keys()), n).await },
    )
    .await;
}
