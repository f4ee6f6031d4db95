//! The generated Route 53 client (restXml): a scenario against moto's server (hosted zones,
//! record sets in nested XML lists, a typed `NoSuchHostedZone` error) and the same calls as
//! boto3 on the wire. Run by `cargo xtask clients route-53`.

mod common;
mod support;

use aws_route53_client::error::GetHostedZoneError;
use aws_route53_client::types::{
    Change, ChangeAction, ChangeBatch, ChangeResourceRecordSetsRequest, ChangeTagsForResourceRequest,
    CreateHostedZoneRequest, DeleteHostedZoneRequest, GetChangeRequest, GetHostedZoneRequest, HostedZoneConfig,
    ListHostedZonesRequest, ListResourceRecordSetsRequest, ResourceRecord, ResourceRecordSet, RrType, Tag,
    TagResourceType,
};
use aws_route53_client::{Client, SdkError};
use common::{say, Moto};
use serde_json::json;
use support::compare_rest_xml_with_boto3;

fn client(endpoint: String) -> Client {
    Client::new(support::config(endpoint)).expect("client")
}

/// The id Route 53 returns (`/hostedzone/Z1`) as its operations take it (`Z1`).
fn zone_id(id: &str) -> String {
    id.trim_start_matches("/hostedzone/").to_owned()
}

fn record(name: &str, ty: RrType, ttl: i64, values: &[&str]) -> ResourceRecordSet {
    ResourceRecordSet {
        name: name.into(),
        r#type: ty,
        ttl: Some(ttl),
        resource_records: Some(values.iter().map(|v| ResourceRecord { value: (*v).into() }).collect()),
        set_identifier: None,
        weight: None,
        region: None,
        geo_location: None,
        failover: None,
        multi_value_answer: None,
        alias_target: None,
        health_check_id: None,
        traffic_policy_instance_id: None,
        cidr_routing_config: None,
        geo_proximity_location: None,
    }
}

#[tokio::test(flavor = "current_thread")]
async fn moto_scenario() {
    let moto = Moto::start();
    let client = client(moto.url());

    // ---- two hosted zones ----
    let created = CreateHostedZoneRequest::builder()
        .name("example.com.")
        .caller_reference("ref-1")
        .hosted_zone_config(HostedZoneConfig { comment: Some("main zone ü & co".into()), private_zone: Some(false) })
        .send(&client)
        .await
        .expect("create_hosted_zone");
    assert_eq!(created.hosted_zone.name, "example.com.");
    assert!(created.hosted_zone.id.starts_with("/hostedzone/"), "{}", created.hosted_zone.id);
    assert!(!created.delegation_set.name_servers.is_empty(), "{:?}", created.delegation_set);
    let zone = zone_id(&created.hosted_zone.id);
    let other = CreateHostedZoneRequest::builder()
        .name("example.org.")
        .caller_reference("ref-2")
        .send(&client)
        .await
        .expect("create_hosted_zone (2)");

    // ---- list and get ----
    let listed = ListHostedZonesRequest::builder().send(&client).await.expect("list_hosted_zones");
    let mut names: Vec<String> = listed.hosted_zones.into_iter().map(|z| z.name).collect();
    names.sort();
    assert_eq!(names, ["example.com.", "example.org."]);
    let got = GetHostedZoneRequest::builder().id(zone.clone()).send(&client).await.expect("get_hosted_zone");
    assert_eq!(got.hosted_zone.name, "example.com.");
    assert_eq!(got.hosted_zone.config.and_then(|c| c.comment).as_deref(), Some("main zone ü & co"));

    // ---- record sets: nested lists of structures, both ways ----
    let change = ChangeResourceRecordSetsRequest::builder()
        .hosted_zone_id(zone.clone())
        .change_batch(ChangeBatch {
            comment: Some("add www".into()),
            changes: vec![
                Change {
                    action: ChangeAction::Create,
                    resource_record_set: record("www.example.com.", RrType::A, 300, &["192.0.2.1", "192.0.2.2"]),
                },
                Change {
                    action: ChangeAction::Create,
                    resource_record_set: record("txt.example.com.", RrType::Txt, 60, &["\"v=spf1 -all\""]),
                },
            ],
        })
        .send(&client)
        .await
        .expect("change_resource_record_sets");
    assert!(!change.change_info.id.is_empty());
    let sets = ListResourceRecordSetsRequest::builder()
        .hosted_zone_id(zone.clone())
        .send(&client)
        .await
        .expect("list_resource_record_sets")
        .resource_record_sets;
    let www = sets.iter().find(|s| s.name == "www.example.com.").expect("the www record");
    assert_eq!((www.r#type.clone(), www.ttl), (RrType::A, Some(300)));
    let values: Vec<&str> = www.resource_records.iter().flatten().map(|r| r.value.as_str()).collect();
    assert_eq!(values, ["192.0.2.1", "192.0.2.2"]);
    let txt = sets.iter().find(|s| s.name == "txt.example.com.").expect("the txt record");
    assert_eq!(txt.resource_records.as_ref().map(|r| r[0].value.as_str()), Some("\"v=spf1 -all\""));
    assert!(sets.iter().any(|s| s.r#type == RrType::Soa), "{sets:?}");

    // ---- a modelled error, typed ----
    match GetHostedZoneRequest::builder().id("NOSUCHZONE").send(&client).await {
        Err(SdkError::Service(GetHostedZoneError::NoSuchHostedZone(e))) => {
            assert!(e.message.as_deref().is_some_and(|m| m.contains("NOSUCHZONE")), "message: {e}");
        }
        other => panic!("expected NoSuchHostedZone, got {other:?}"),
    }

    // ---- delete ----
    DeleteHostedZoneRequest::builder().id(zone_id(&other.hosted_zone.id)).send(&client).await.expect("delete");
    let left = ListHostedZonesRequest::builder().send(&client).await.expect("list after delete");
    assert_eq!(left.hosted_zones.len(), 1);
    say("moto: route-53 scenario passed");
}

/// The calls of [`wire_cases`], through the client.
async fn send(c: &Client, case: usize) {
    // Only the request matters: the recorder answers with an empty document.
    let _ = match case {
        0 => CreateHostedZoneRequest::builder()
            .name("example.com.")
            .caller_reference("ref <1> & \"2\"")
            .hosted_zone_config(HostedZoneConfig { comment: Some("line1\nline2 ü".into()), private_zone: Some(false) })
            .delegation_set_id("N1")
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        1 => GetHostedZoneRequest::builder().id("Z1ABC").send(c).await.map(drop).map_err(drop),
        2 => ListHostedZonesRequest::builder().marker("Z2/x y").max_items(5).send(c).await.map(drop).map_err(drop),
        3 => ChangeResourceRecordSetsRequest::builder()
            .hosted_zone_id("Z1ABC")
            .change_batch(ChangeBatch {
                comment: Some("two changes".into()),
                changes: vec![
                    Change {
                        action: ChangeAction::Upsert,
                        resource_record_set: record("www.example.com.", RrType::A, 300, &["192.0.2.1", "192.0.2.2"]),
                    },
                    Change {
                        action: ChangeAction::Delete,
                        resource_record_set: record("old.example.com.", RrType::Cname, 60, &["www.example.com."]),
                    },
                ],
            })
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        4 => ListResourceRecordSetsRequest::builder()
            .hosted_zone_id("Z1ABC")
            .start_record_name("www.example.com.")
            .start_record_type(RrType::Aaaa)
            .max_items(10)
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        5 => ChangeTagsForResourceRequest::builder()
            .resource_type(TagResourceType::Hostedzone)
            .resource_id("Z1ABC")
            .add_tags(vec![Tag { key: Some("env".into()), value: Some("a=b".into()) }])
            .remove_tag_keys(vec!["old".into(), "older".into()])
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        6 => GetChangeRequest::builder().id("C2682N5HXP0BZ4").send(c).await.map(drop).map_err(drop),
        7 => DeleteHostedZoneRequest::builder().id("Z1ABC").send(c).await.map(drop).map_err(drop),
        other => panic!("no case {other}"),
    };
}

/// Each case as boto3 takes it.
fn wire_cases() -> serde_json::Value {
    let rrset = |name: &str, ty: &str, ttl: i64, values: &[&str]| {
        json!({ "Name": name, "Type": ty, "TTL": ttl,
                "ResourceRecords": values.iter().map(|v| json!({ "Value": v })).collect::<Vec<_>>() })
    };
    json!([
        { "name": "CreateHostedZone with escapes", "operation": "CreateHostedZone", "params": {
            "Name": "example.com.", "CallerReference": "ref <1> & \"2\"",
            "HostedZoneConfig": { "Comment": "line1\nline2 ü", "PrivateZone": false }, "DelegationSetId": "N1" } },
        { "name": "GetHostedZone (a label)", "operation": "GetHostedZone", "params": { "Id": "Z1ABC" } },
        { "name": "ListHostedZones (query string)", "operation": "ListHostedZones", "params": {
            "Marker": "Z2/x y", "MaxItems": "5" } },
        { "name": "ChangeResourceRecordSets (nested lists)", "operation": "ChangeResourceRecordSets", "params": {
            "HostedZoneId": "Z1ABC", "ChangeBatch": { "Comment": "two changes", "Changes": [
                { "Action": "UPSERT", "ResourceRecordSet": rrset("www.example.com.", "A", 300, &["192.0.2.1", "192.0.2.2"]) },
                { "Action": "DELETE", "ResourceRecordSet": rrset("old.example.com.", "CNAME", 60, &["www.example.com."]) }
            ] } } },
        { "name": "ListResourceRecordSets (query string, enum)", "operation": "ListResourceRecordSets", "params": {
            "HostedZoneId": "Z1ABC", "StartRecordName": "www.example.com.", "StartRecordType": "AAAA", "MaxItems": "10" } },
        { "name": "ChangeTagsForResource (two labels, two lists)", "operation": "ChangeTagsForResource", "params": {
            "ResourceType": "hostedzone", "ResourceId": "Z1ABC",
            "AddTags": [{ "Key": "env", "Value": "a=b" }], "RemoveTagKeys": ["old", "older"] } },
        { "name": "GetChange", "operation": "GetChange", "params": { "Id": "C2682N5HXP0BZ4" } },
        { "name": "DeleteHostedZone", "operation": "DeleteHostedZone", "params": { "Id": "Z1ABC" } }
    ])
}

#[tokio::test(flavor = "current_thread")]
async fn wire_matches_boto3() {
    compare_rest_xml_with_boto3(
        "route53",
        &wire_cases(),
        |endpoint, n| async move { send(&client(endpoint), n).await },
    )
    .await;
}
