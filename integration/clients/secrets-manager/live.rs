//! The generated Secrets Manager client (awsJson1_1): a scenario against moto's server, and the
//! same calls as boto3 on the wire. Run by `cargo xtask clients secrets-manager`.

mod common;
mod support;

use aws_secretsmanager_client::error::{DescribeSecretError, GetSecretValueError};
use aws_secretsmanager_client::types::{
    CreateSecretRequest, DeleteSecretRequest, DescribeSecretRequest, Filter, FilterNameStringType,
    GetSecretValueRequest, ListSecretsRequest, PutSecretValueRequest, SortOrderType, Tag, TagResourceRequest,
    UpdateSecretRequest,
};
use aws_secretsmanager_client::{Blob, Client, SdkError};
use common::{say, Moto};
use serde_json::json;
use support::compare_with_boto3;

const TOKEN: &str = "00000000-0000-4000-8000-000000000001";

fn client(endpoint: String) -> Client {
    Client::new(support::config(endpoint)).expect("client")
}

fn tag(key: &str, value: &str) -> Tag {
    Tag { key: Some(key.into()), value: Some(value.into()) }
}

#[tokio::test(flavor = "current_thread")]
async fn moto_scenario() {
    let moto = Moto::start();
    let client = client(moto.url());

    // ---- create five secrets ----
    for i in 0..5 {
        let created = CreateSecretRequest::builder()
            .name(format!("app/db-{i}"))
            .secret_string(format!("{{\"password\":\"pw-{i}\"}}"))
            .tags(vec![tag("env", "test")])
            .send(&client)
            .await
            .expect("create_secret");
        assert_eq!(created.name.as_deref(), Some(format!("app/db-{i}").as_str()));
        assert!(created.arn.is_some_and(|arn| arn.starts_with("arn:aws:secretsmanager:")));
    }
    let binary = CreateSecretRequest::builder()
        .name("app/key")
        .secret_binary(Blob::new(vec![0, 1, 2, 255]))
        .send(&client)
        .await
        .expect("create_secret (binary)");
    assert!(binary.version_id.is_some());

    // ---- get ----
    let value = GetSecretValueRequest::builder().secret_id("app/db-3").send(&client).await.expect("get_secret_value");
    assert_eq!(value.secret_string.as_deref(), Some("{\"password\":\"pw-3\"}"));
    assert!(value.version_stages.unwrap_or_default().contains(&"AWSCURRENT".to_string()));
    let value = GetSecretValueRequest::builder().secret_id("app/key").send(&client).await.expect("get (binary)");
    assert_eq!(value.secret_binary, Some(Blob::new(vec![0, 1, 2, 255])));

    // ---- list, two a page, through the paginator ----
    let input = ListSecretsRequest::builder()
        .max_results(2)
        .filters(vec![Filter { key: Some(FilterNameStringType::Name), values: Some(vec!["app/db".into()]) }])
        .build()
        .expect("list input");
    let mut pages = std::pin::pin!(client.list_secrets_paginator(input));
    let mut names = Vec::new();
    let mut page_count = 0;
    while let Some(page) = std::future::poll_fn(|cx| futures_core::Stream::poll_next(pages.as_mut(), cx)).await {
        let page = page.expect("list_secrets page");
        page_count += 1;
        names.extend(page.secret_list.unwrap_or_default().into_iter().filter_map(|s| s.name));
        assert!(page_count < 10, "pagination does not end");
    }
    names.sort();
    assert_eq!(names, (0..5).map(|i| format!("app/db-{i}")).collect::<Vec<_>>());
    assert!(page_count >= 3, "five secrets two a page take three pages, got {page_count}");

    // ---- a modelled error, typed ----
    match DescribeSecretRequest::builder().secret_id("no/such").send(&client).await {
        Err(SdkError::Service(DescribeSecretError::ResourceNotFoundException(e))) => {
            // moto, like the service, writes `message`; the model says `Message`.
            assert!(e.message.as_deref().is_some_and(|m| m.contains("can't find")), "message: {e}");
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }

    // ---- delete ----
    let deleted = DeleteSecretRequest::builder()
        .secret_id("app/db-0")
        .force_delete_without_recovery(true)
        .send(&client)
        .await
        .expect("delete_secret");
    assert_eq!(deleted.name.as_deref(), Some("app/db-0"));
    let gone = GetSecretValueRequest::builder().secret_id("app/db-0").send(&client).await;
    assert!(matches!(gone, Err(SdkError::Service(GetSecretValueError::ResourceNotFoundException(_)))), "{gone:?}");
    say("moto: secrets-manager scenario passed");
}

/// The calls of [`wire_cases`], through the client.
async fn send(c: &Client, case: usize) {
    // Only the request matters: the recorder answers `{}`.
    let _ = match case {
        0 => CreateSecretRequest::builder()
            .name("app/db")
            .client_request_token(TOKEN)
            .description("line1\nline2 \"quoted\" ü")
            .secret_string("{\"password\":\"p@ss\"}")
            .tags(vec![tag("env", "test"), tag("owner name", "Zoë")])
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        1 => CreateSecretRequest::builder()
            .name("app/key")
            .client_request_token(TOKEN)
            .secret_binary(Blob::new(b"hello".to_vec()))
            .force_overwrite_replica_secret(false)
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        2 => GetSecretValueRequest::builder()
            .secret_id("app/db")
            .version_stage("AWSPREVIOUS")
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        3 => ListSecretsRequest::builder()
            .max_results(10)
            .next_token("page-2")
            .include_planned_deletion(true)
            .sort_order(SortOrderType::Desc)
            .filters(vec![
                Filter { key: Some(FilterNameStringType::TagKey), values: Some(vec!["env".into()]) },
                Filter { key: Some(FilterNameStringType::Name), values: Some(vec!["!app/".into(), "db".into()]) },
            ])
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        4 => DescribeSecretRequest::builder().secret_id("app/db").send(c).await.map(drop).map_err(drop),
        5 => PutSecretValueRequest::builder()
            .secret_id("app/db")
            .client_request_token(TOKEN)
            .secret_string("v2")
            .version_stages(vec!["AWSCURRENT".into(), "custom".into()])
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        6 => UpdateSecretRequest::builder()
            .secret_id("app/db")
            .client_request_token(TOKEN)
            .description("")
            .kms_key_id("alias/aws/secretsmanager")
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        7 => TagResourceRequest::builder()
            .secret_id("app/db")
            .tags(vec![tag("team", "a & b")])
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        8 => DeleteSecretRequest::builder()
            .secret_id("app/db")
            .recovery_window_in_days(7)
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        other => panic!("no case {other}"),
    };
}

/// Each case as boto3 takes it (`SecretBinary` as text, which boto3 sends as its UTF-8 bytes).
fn wire_cases() -> serde_json::Value {
    json!([
        { "name": "CreateSecret with a string, tags and a token", "operation": "CreateSecret", "params": {
            "Name": "app/db", "ClientRequestToken": TOKEN, "Description": "line1\nline2 \"quoted\" ü",
            "SecretString": "{\"password\":\"p@ss\"}",
            "Tags": [{ "Key": "env", "Value": "test" }, { "Key": "owner name", "Value": "Zoë" }] } },
        { "name": "CreateSecret with a binary", "operation": "CreateSecret", "params": {
            "Name": "app/key", "ClientRequestToken": TOKEN, "SecretBinary": "hello", "ForceOverwriteReplicaSecret": false } },
        { "name": "GetSecretValue of a stage", "operation": "GetSecretValue", "params": {
            "SecretId": "app/db", "VersionStage": "AWSPREVIOUS" } },
        { "name": "ListSecrets with filters and a token", "operation": "ListSecrets", "params": {
            "MaxResults": 10, "NextToken": "page-2", "IncludePlannedDeletion": true, "SortOrder": "desc",
            "Filters": [{ "Key": "tag-key", "Values": ["env"] }, { "Key": "name", "Values": ["!app/", "db"] }] } },
        { "name": "DescribeSecret", "operation": "DescribeSecret", "params": { "SecretId": "app/db" } },
        { "name": "PutSecretValue with stages", "operation": "PutSecretValue", "params": {
            "SecretId": "app/db", "ClientRequestToken": TOKEN, "SecretString": "v2",
            "VersionStages": ["AWSCURRENT", "custom"] } },
        { "name": "UpdateSecret with an empty description", "operation": "UpdateSecret", "params": {
            "SecretId": "app/db", "ClientRequestToken": TOKEN, "Description": "",
            "KmsKeyId": "alias/aws/secretsmanager" } },
        { "name": "TagResource", "operation": "TagResource", "params": {
            "SecretId": "app/db", "Tags": [{ "Key": "team", "Value": "a & b" }] } },
        { "name": "DeleteSecret with a recovery window", "operation": "DeleteSecret", "params": {
            "SecretId": "app/db", "RecoveryWindowInDays": 7 } }
    ])
}

#[tokio::test(flavor = "current_thread")]
async fn wire_matches_boto3() {
    compare_with_boto3("secretsmanager", &wire_cases(), |endpoint, n| async move { send(&client(endpoint), n).await })
        .await;
}
