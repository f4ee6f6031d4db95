//! The generated IAM client (awsQuery): a scenario against moto's server (roles with tags,
//! paged lists, an inline policy, a typed `NoSuchEntity` error) and the same calls as boto3 on
//! the wire. Run by `cargo xtask clients iam`.

mod common;
mod support;

use aws_iam_client::error::GetRoleError;
use aws_iam_client::types::{
    AttachRolePolicyRequest, CreatePolicyRequest, CreateRoleRequest, CreateUserRequest, DeleteRoleRequest, EntityType,
    GetAccountAuthorizationDetailsRequest, GetRolePolicyRequest, GetRoleRequest, ListAttachedRolePoliciesRequest,
    ListRoleTagsRequest, ListRolesRequest, PutRolePolicyRequest, Tag, TagRoleRequest, UntagRoleRequest,
    UpdateAssumeRolePolicyRequest,
};
use aws_iam_client::{Client, SdkError};
use common::{say, Moto};
use serde_json::json;
use support::compare_with_boto3;

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const POLICY: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;

fn client(endpoint: String) -> Client {
    Client::new(support::config(endpoint)).expect("client")
}

fn tag(key: &str, value: &str) -> Tag {
    Tag { key: key.into(), value: value.into() }
}

#[tokio::test(flavor = "current_thread")]
async fn moto_scenario() {
    let moto = Moto::start();
    let client = client(moto.url());

    // ---- five roles under one path, with tags ----
    for i in 0..5 {
        let created = CreateRoleRequest::builder()
            .role_name(format!("app-{i}"))
            .path("/svc/")
            .assume_role_policy_document(TRUST)
            .description(format!("role {i} ü"))
            .tags(vec![tag("env", "test"), tag("n", &i.to_string())])
            .send(&client)
            .await
            .expect("create_role");
        assert_eq!(created.role.role_name, format!("app-{i}"));
        assert_eq!(created.role.arn, format!("arn:aws:iam::123456789012:role/svc/app-{i}"));
        assert!(created.role.create_date.secs() > 1_600_000_000, "create date {}", created.role.create_date);
    }

    // ---- read one back: nested structure, list of tags ----
    let role = GetRoleRequest::builder().role_name("app-3").send(&client).await.expect("get_role").role;
    assert_eq!(role.path, "/svc/");
    assert_eq!(role.description.as_deref(), Some("role 3 ü"));
    let tags = role.tags.unwrap_or_default();
    assert!(tags.contains(&tag("n", "3")) && tags.contains(&tag("env", "test")), "{tags:?}");

    // ---- list, two a page, through the paginator (Marker / IsTruncated) ----
    let input = ListRolesRequest::builder().path_prefix("/svc/").max_items(2).build().expect("list input");
    let mut pages = std::pin::pin!(client.list_roles_paginator(input));
    let (mut names, mut page_count) = (Vec::new(), 0);
    while let Some(page) = std::future::poll_fn(|cx| futures_core::Stream::poll_next(pages.as_mut(), cx)).await {
        let page = page.expect("list_roles page");
        page_count += 1;
        names.extend(page.roles.into_iter().map(|r| r.role_name));
        assert!(page_count < 10, "pagination does not end");
    }
    names.sort();
    assert_eq!(names, (0..5).map(|i| format!("app-{i}")).collect::<Vec<_>>());
    assert_eq!(page_count, 3, "five roles two a page take three pages");

    // ---- tags and an inline policy ----
    TagRoleRequest::builder().role_name("app-0").tags(vec![tag("team", "a & b")]).send(&client).await.expect("tag");
    UntagRoleRequest::builder().role_name("app-0").tag_keys(vec!["n".into()]).send(&client).await.expect("untag");
    let mut tags = ListRoleTagsRequest::builder().role_name("app-0").send(&client).await.expect("list tags").tags;
    tags.sort_by(|a, b| a.key.cmp(&b.key));
    assert_eq!(tags, vec![tag("env", "test"), tag("team", "a & b")]);
    PutRolePolicyRequest::builder()
        .role_name("app-0")
        .policy_name("read")
        .policy_document(POLICY)
        .send(&client)
        .await
        .expect("put_role_policy");
    let policy = GetRolePolicyRequest::builder()
        .role_name("app-0")
        .policy_name("read")
        .send(&client)
        .await
        .expect("get_role_policy");
    assert_eq!(policy.policy_name, "read");
    // IAM returns policy documents URL-encoded (RFC 3986), as its API reference says; moto too.
    assert!(policy.policy_document.contains("%22s3%3AGetObject%22"), "{}", policy.policy_document);

    // ---- a modelled error, typed (awsQueryError code `NoSuchEntity`) ----
    match GetRoleRequest::builder().role_name("missing").send(&client).await {
        Err(SdkError::Service(GetRoleError::NoSuchEntityException(e))) => {
            assert!(e.message.as_deref().is_some_and(|m| m.contains("missing")), "message: {e}");
        }
        other => panic!("expected NoSuchEntity, got {other:?}"),
    }

    // ---- delete ----
    DeleteRoleRequest::builder().role_name("app-4").send(&client).await.expect("delete_role");
    let gone = GetRoleRequest::builder().role_name("app-4").send(&client).await;
    assert!(matches!(gone, Err(SdkError::Service(GetRoleError::NoSuchEntityException(_)))), "{gone:?}");
    say("moto: iam scenario passed");
}

/// The calls of [`wire_cases`], through the client.
async fn send(c: &Client, case: usize) {
    // Only the request matters: the recorder answers with an empty document.
    let _ = match case {
        0 => CreateRoleRequest::builder()
            .role_name("app")
            .path("/svc/team a/")
            .assume_role_policy_document(TRUST)
            .description("line1\nline2 ü & \"q\"")
            .max_session_duration(7200)
            .tags(vec![tag("env", "test"), tag("owner", "Zoë")])
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        1 => GetRoleRequest::builder().role_name("app").send(c).await.map(drop).map_err(drop),
        2 => ListRolesRequest::builder()
            .path_prefix("/svc/")
            .marker("page+2/=")
            .max_items(50)
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        3 => TagRoleRequest::builder()
            .role_name("app")
            .tags(vec![tag("a", "1"), tag("b", ""), tag("c", "x=y")])
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        4 => UntagRoleRequest::builder()
            .role_name("app")
            .tag_keys(vec!["a".into(), "b".into()])
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        5 => PutRolePolicyRequest::builder()
            .role_name("app")
            .policy_name("read")
            .policy_document(POLICY)
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        6 => CreateUserRequest::builder()
            .user_name("bob")
            .path("/people/")
            .permissions_boundary("arn:aws:iam::aws:policy/PowerUserAccess")
            .tags(vec![tag("dept", "R&D")])
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        7 => AttachRolePolicyRequest::builder()
            .role_name("app")
            .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        8 => UpdateAssumeRolePolicyRequest::builder()
            .role_name("app")
            .policy_document(TRUST)
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        9 => CreatePolicyRequest::builder()
            .policy_name("p1")
            .path("/")
            .policy_document(POLICY)
            .description("d")
            .tags(vec![tag("k", "v")])
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        10 => ListAttachedRolePoliciesRequest::builder()
            .role_name("app")
            .path_prefix("/")
            .max_items(1)
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        11 => GetAccountAuthorizationDetailsRequest::builder()
            .filter(vec![EntityType::Role, EntityType::AwsManagedPolicy])
            .max_items(100)
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        12 => DeleteRoleRequest::builder().role_name("app").send(c).await.map(drop).map_err(drop),
        other => panic!("no case {other}"),
    };
}

/// Each case as boto3 takes it.
fn wire_cases() -> serde_json::Value {
    json!([
        { "name": "CreateRole with tags and escapes", "operation": "CreateRole", "params": {
            "RoleName": "app", "Path": "/svc/team a/", "AssumeRolePolicyDocument": TRUST,
            "Description": "line1\nline2 ü & \"q\"", "MaxSessionDuration": 7200,
            "Tags": [{ "Key": "env", "Value": "test" }, { "Key": "owner", "Value": "Zoë" }] } },
        { "name": "GetRole", "operation": "GetRole", "params": { "RoleName": "app" } },
        { "name": "ListRoles with a marker", "operation": "ListRoles", "params": {
            "PathPrefix": "/svc/", "Marker": "page+2/=", "MaxItems": 50 } },
        { "name": "TagRole with an empty value", "operation": "TagRole", "params": {
            "RoleName": "app", "Tags": [{ "Key": "a", "Value": "1" }, { "Key": "b", "Value": "" }, { "Key": "c", "Value": "x=y" }] } },
        { "name": "UntagRole", "operation": "UntagRole", "params": { "RoleName": "app", "TagKeys": ["a", "b"] } },
        { "name": "PutRolePolicy", "operation": "PutRolePolicy", "params": {
            "RoleName": "app", "PolicyName": "read", "PolicyDocument": POLICY } },
        { "name": "CreateUser with a permissions boundary", "operation": "CreateUser", "params": {
            "UserName": "bob", "Path": "/people/", "PermissionsBoundary": "arn:aws:iam::aws:policy/PowerUserAccess",
            "Tags": [{ "Key": "dept", "Value": "R&D" }] } },
        { "name": "AttachRolePolicy", "operation": "AttachRolePolicy", "params": {
            "RoleName": "app", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess" } },
        { "name": "UpdateAssumeRolePolicy", "operation": "UpdateAssumeRolePolicy", "params": {
            "RoleName": "app", "PolicyDocument": TRUST } },
        { "name": "CreatePolicy", "operation": "CreatePolicy", "params": {
            "PolicyName": "p1", "Path": "/", "PolicyDocument": POLICY, "Description": "d",
            "Tags": [{ "Key": "k", "Value": "v" }] } },
        { "name": "ListAttachedRolePolicies", "operation": "ListAttachedRolePolicies", "params": {
            "RoleName": "app", "PathPrefix": "/", "MaxItems": 1 } },
        { "name": "GetAccountAuthorizationDetails with an enum list", "operation": "GetAccountAuthorizationDetails",
          "params": { "Filter": ["Role", "AWSManagedPolicy"], "MaxItems": 100 } },
        { "name": "DeleteRole", "operation": "DeleteRole", "params": { "RoleName": "app" } }
    ])
}

#[tokio::test(flavor = "current_thread")]
async fn wire_matches_boto3() {
    compare_with_boto3("iam", &wire_cases(), |endpoint, n| async move { send(&client(endpoint), n).await }).await;
}
