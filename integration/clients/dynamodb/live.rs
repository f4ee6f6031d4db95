//! The generated DynamoDB client (awsJson1_0): a scenario against moto's server, and the same
//! calls as boto3 on the wire. Run by `cargo xtask clients dynamodb`.

mod common;
mod support;

use std::collections::HashMap;

use aws_dynamodb_client::error::{DescribeTableError, GetItemError};
use aws_dynamodb_client::types::{
    AttributeDefinition, AttributeValue, BatchGetItemInput, BatchWriteItemInput, BillingMode, CreateTableInput,
    DeleteItemInput, DeleteRequest, DeleteTableInput, DescribeTableInput, GetItemInput, KeySchemaElement, KeyType,
    KeysAndAttributes, ListTablesInput, Put, PutItemInput, PutRequest, QueryInput, ReturnValue, ScalarAttributeType,
    ScanInput, Select, Tag, TagResourceInput, TimeToLiveSpecification, TransactWriteItem, TransactWriteItemsInput,
    UpdateItemInput, UpdateTimeToLiveInput, WriteRequest,
};
use aws_dynamodb_client::{Blob, Client, SdkError};
use common::{say, Moto};
use serde_json::json;
use support::compare_with_boto3;

fn client(endpoint: String) -> Client {
    Client::new(support::config(endpoint)).expect("client")
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn n(v: i64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

fn item(pairs: &[(&str, AttributeValue)]) -> HashMap<String, AttributeValue> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

fn key_schema() -> Vec<KeySchemaElement> {
    vec![
        KeySchemaElement { attribute_name: "pk".into(), key_type: KeyType::Hash },
        KeySchemaElement { attribute_name: "sk".into(), key_type: KeyType::Range },
    ]
}

fn attribute_definitions() -> Vec<AttributeDefinition> {
    vec![
        AttributeDefinition { attribute_name: "pk".into(), attribute_type: ScalarAttributeType::S },
        AttributeDefinition { attribute_name: "sk".into(), attribute_type: ScalarAttributeType::N },
    ]
}

#[tokio::test(flavor = "current_thread")]
async fn moto_scenario() {
    let moto = Moto::start();
    let client = client(moto.url());
    let table = "pets";

    // ---- create ----
    let created = CreateTableInput::builder()
        .table_name(table)
        .key_schema(key_schema())
        .attribute_definitions(attribute_definitions())
        .billing_mode(BillingMode::PayPerRequest)
        .send(&client)
        .await
        .expect("create_table");
    let description = created.table_description.expect("a table description");
    assert_eq!(description.table_name.as_deref(), Some(table));
    assert_eq!(description.key_schema, Some(key_schema()));

    // ---- put ----
    for i in 0..5 {
        let mut pet = item(&[("pk", s("dog")), ("sk", n(i)), ("name", s(&format!("rex {i}")))]);
        pet.insert("tags".into(), AttributeValue::Ss(vec!["good".into(), format!("n{i}")]));
        pet.insert("photo".into(), AttributeValue::B(Blob::new(vec![0, 255, i as u8])));
        pet.insert("vaccinated".into(), AttributeValue::Bool(i % 2 == 0));
        PutItemInput::builder().table_name(table).item(pet).send(&client).await.expect("put_item");
    }

    // ---- get ----
    let got = GetItemInput::builder()
        .table_name(table)
        .key(item(&[("pk", s("dog")), ("sk", n(3))]))
        .consistent_read(true)
        .send(&client)
        .await
        .expect("get_item");
    let got = got.item.expect("the item");
    assert_eq!(got.get("name"), Some(&s("rex 3")));
    assert_eq!(got.get("photo"), Some(&AttributeValue::B(Blob::new(vec![0, 255, 3]))));
    assert_eq!(got.get("vaccinated"), Some(&AttributeValue::Bool(false)));

    // ---- query, two items a page, following LastEvaluatedKey ----
    let mut names = Vec::new();
    let mut start: Option<HashMap<String, AttributeValue>> = None;
    let mut pages = 0;
    loop {
        let mut query = QueryInput::builder()
            .table_name(table)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(item(&[(":pk", s("dog"))]))
            .limit(2);
        if let Some(key) = start.take() {
            query = query.exclusive_start_key(key);
        }
        let page = query.send(&client).await.expect("query");
        pages += 1;
        for found in page.items.unwrap_or_default() {
            match found.get("name") {
                Some(AttributeValue::S(name)) => names.push(name.clone()),
                other => panic!("an item without a name: {other:?}"),
            }
        }
        match page.last_evaluated_key {
            Some(key) if !key.is_empty() => start = Some(key),
            _ => break,
        }
        assert!(pages < 10, "query pagination does not end");
    }
    assert_eq!(names, (0..5).map(|i| format!("rex {i}")).collect::<Vec<_>>());
    assert!(pages >= 3, "five items two a page take three pages, got {pages}");

    // ---- a modelled error, typed ----
    let missing = DescribeTableInput::builder().table_name("no-such-table").send(&client).await;
    match missing {
        Err(SdkError::Service(DescribeTableError::ResourceNotFoundException(e))) => {
            assert!(e.message.as_deref().unwrap_or_default().contains("not found"), "message: {e}");
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }
    let missing = GetItemInput::builder()
        .table_name("no-such-table")
        .key(item(&[("pk", s("dog")), ("sk", n(0))]))
        .send(&client)
        .await;
    assert!(matches!(missing, Err(SdkError::Service(GetItemError::ResourceNotFoundException(_)))), "{missing:?}");

    // ---- delete the item, then the table ----
    let deleted = DeleteItemInput::builder()
        .table_name(table)
        .key(item(&[("pk", s("dog")), ("sk", n(3))]))
        .return_values(ReturnValue::AllOld)
        .send(&client)
        .await
        .expect("delete_item");
    assert_eq!(deleted.attributes.and_then(|a| a.get("name").cloned()), Some(s("rex 3")));
    let gone =
        GetItemInput::builder().table_name(table).key(item(&[("pk", s("dog")), ("sk", n(3))])).send(&client).await;
    assert_eq!(gone.expect("get_item").item, None);
    DeleteTableInput::builder().table_name(table).send(&client).await.expect("delete_table");
    let tables = client.list_tables(ListTablesInput::default()).await.expect("list_tables");
    assert_eq!(tables.table_names.unwrap_or_default(), Vec::<String>::new());
    say("moto: dynamodb scenario passed");
}

/// The calls of [`wire_cases`], through the client.
async fn send(c: &Client, case: usize) {
    let key = || item(&[("pk", s("cat")), ("sk", n(1))]);
    // Only the request matters: the recorder answers `{}`.
    let _ = match case {
        0 => CreateTableInput::builder()
            .table_name("pets")
            .key_schema(key_schema())
            .attribute_definitions(attribute_definitions())
            .billing_mode(BillingMode::PayPerRequest)
            .tags(vec![Tag { key: "env".into(), value: "test".into() }])
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        1 => {
            let mut value = key();
            value.insert("name".into(), s("Zoë \"quoted\" \\ back"));
            value.insert("age".into(), AttributeValue::N("3.50".into()));
            value.insert("photo".into(), AttributeValue::B(Blob::new(b"hello".to_vec())));
            value.insert("tags".into(), AttributeValue::Ss(vec!["a".into(), "b".into()]));
            value.insert("scores".into(), AttributeValue::Ns(vec!["1".into(), "-2.5".into()]));
            value.insert("chip".into(), AttributeValue::Null(true));
            value.insert("indoor".into(), AttributeValue::Bool(false));
            value.insert("toys".into(), AttributeValue::L(vec![s("ball"), n(2)]));
            value.insert("owner".into(), AttributeValue::M(item(&[("first", s("Ann"))])));
            PutItemInput::builder()
                .table_name("pets")
                .item(value)
                .condition_expression("attribute_not_exists(pk)")
                .return_values(ReturnValue::None)
                .send(c)
                .await
                .map(drop)
                .map_err(drop)
        }
        2 => GetItemInput::builder()
            .table_name("pets")
            .key(key())
            .consistent_read(true)
            .projection_expression("#n, age")
            .expression_attribute_names(HashMap::from([("#n".to_string(), "name".to_string())]))
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        3 => QueryInput::builder()
            .table_name("pets")
            .key_condition_expression("pk = :pk AND sk > :min")
            .expression_attribute_values(item(&[(":pk", s("cat")), (":min", n(0))]))
            .limit(2)
            .scan_index_forward(false)
            .select(Select::AllAttributes)
            .exclusive_start_key(key())
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        4 => ScanInput::builder()
            .table_name("pets")
            .filter_expression("age > :a")
            .expression_attribute_values(item(&[(":a", n(1))]))
            .segment(1)
            .total_segments(4)
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        5 => UpdateItemInput::builder()
            .table_name("pets")
            .key(key())
            .update_expression("SET age = age + :one REMOVE chip")
            .expression_attribute_values(item(&[(":one", n(1))]))
            .return_values(ReturnValue::AllNew)
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        6 => DeleteItemInput::builder()
            .table_name("pets")
            .key(key())
            .condition_expression("attribute_exists(pk)")
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        7 => {
            let writes = vec![
                WriteRequest { put_request: Some(PutRequest { item: key() }), delete_request: None },
                WriteRequest {
                    put_request: None,
                    delete_request: Some(DeleteRequest { key: item(&[("pk", s("cat")), ("sk", n(2))]) }),
                },
            ];
            BatchWriteItemInput::builder()
                .request_items(HashMap::from([("pets".to_string(), writes)]))
                .send(c)
                .await
                .map(drop)
                .map_err(drop)
        }
        8 => {
            let keys = KeysAndAttributes {
                keys: vec![key()],
                consistent_read: Some(true),
                projection_expression: Some("pk, sk".into()),
                ..KeysAndAttributes::default()
            };
            BatchGetItemInput::builder()
                .request_items(HashMap::from([("pets".to_string(), keys)]))
                .send(c)
                .await
                .map(drop)
                .map_err(drop)
        }
        9 => {
            let put = Put { item: key(), table_name: "pets".into(), ..Put::default() };
            TransactWriteItemsInput::builder()
                .transact_items(vec![TransactWriteItem { put: Some(put), ..TransactWriteItem::default() }])
                .client_request_token("token-0001")
                .send(c)
                .await
                .map(drop)
                .map_err(drop)
        }
        10 => DescribeTableInput::builder().table_name("pets").send(c).await.map(drop).map_err(drop),
        11 => ListTablesInput::builder()
            .limit(5)
            .exclusive_start_table_name("animals")
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        12 => c.list_tables(ListTablesInput::default()).await.map(drop).map_err(drop),
        13 => UpdateTimeToLiveInput::builder()
            .table_name("pets")
            .time_to_live_specification(TimeToLiveSpecification { enabled: true, attribute_name: "expires".into() })
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        14 => TagResourceInput::builder()
            .resource_arn("arn:aws:dynamodb:us-east-1:123456789012:table/pets")
            .tags(vec![Tag { key: "team".into(), value: "pets & co".into() }])
            .send(c)
            .await
            .map(drop)
            .map_err(drop),
        15 => DeleteTableInput::builder().table_name("pets").send(c).await.map(drop).map_err(drop),
        other => panic!("no case {other}"),
    };
}

/// Each case as boto3 takes it (`B` values are text, which boto3 sends as its UTF-8 bytes).
fn wire_cases() -> serde_json::Value {
    let key = json!({ "pk": { "S": "cat" }, "sk": { "N": "1" } });
    let attrs =
        json!([{ "AttributeName": "pk", "AttributeType": "S" }, { "AttributeName": "sk", "AttributeType": "N" }]);
    let schema = json!([{ "AttributeName": "pk", "KeyType": "HASH" }, { "AttributeName": "sk", "KeyType": "RANGE" }]);
    json!([
        { "name": "CreateTable with tags", "operation": "CreateTable", "params": {
            "TableName": "pets", "KeySchema": schema, "AttributeDefinitions": attrs,
            "BillingMode": "PAY_PER_REQUEST", "Tags": [{ "Key": "env", "Value": "test" }] } },
        { "name": "PutItem with every attribute type", "operation": "PutItem", "params": {
            "TableName": "pets", "ConditionExpression": "attribute_not_exists(pk)", "ReturnValues": "NONE",
            "Item": { "pk": { "S": "cat" }, "sk": { "N": "1" }, "name": { "S": "Zoë \"quoted\" \\ back" },
                "age": { "N": "3.50" }, "photo": { "B": "hello" }, "tags": { "SS": ["a", "b"] },
                "scores": { "NS": ["1", "-2.5"] }, "chip": { "NULL": true }, "indoor": { "BOOL": false },
                "toys": { "L": [{ "S": "ball" }, { "N": "2" }] }, "owner": { "M": { "first": { "S": "Ann" } } } } } },
        { "name": "GetItem with a projection and names", "operation": "GetItem", "params": {
            "TableName": "pets", "Key": key, "ConsistentRead": true, "ProjectionExpression": "#n, age",
            "ExpressionAttributeNames": { "#n": "name" } } },
        { "name": "Query: a page after a key, backwards", "operation": "Query", "params": {
            "TableName": "pets", "KeyConditionExpression": "pk = :pk AND sk > :min",
            "ExpressionAttributeValues": { ":pk": { "S": "cat" }, ":min": { "N": "0" } }, "Limit": 2,
            "ScanIndexForward": false, "Select": "ALL_ATTRIBUTES", "ExclusiveStartKey": key } },
        { "name": "Scan: one segment with a filter", "operation": "Scan", "params": {
            "TableName": "pets", "FilterExpression": "age > :a", "ExpressionAttributeValues": { ":a": { "N": "1" } },
            "Segment": 1, "TotalSegments": 4 } },
        { "name": "UpdateItem returning the new item", "operation": "UpdateItem", "params": {
            "TableName": "pets", "Key": key, "UpdateExpression": "SET age = age + :one REMOVE chip",
            "ExpressionAttributeValues": { ":one": { "N": "1" } }, "ReturnValues": "ALL_NEW" } },
        { "name": "DeleteItem with a condition", "operation": "DeleteItem", "params": {
            "TableName": "pets", "Key": key, "ConditionExpression": "attribute_exists(pk)" } },
        { "name": "BatchWriteItem: a put and a delete", "operation": "BatchWriteItem", "params": {
            "RequestItems": { "pets": [{ "PutRequest": { "Item": key } },
                { "DeleteRequest": { "Key": { "pk": { "S": "cat" }, "sk": { "N": "2" } } } }] } } },
        { "name": "BatchGetItem", "operation": "BatchGetItem", "params": {
            "RequestItems": { "pets": { "Keys": [key], "ConsistentRead": true, "ProjectionExpression": "pk, sk" } } } },
        { "name": "TransactWriteItems with a token", "operation": "TransactWriteItems", "params": {
            "TransactItems": [{ "Put": { "Item": key, "TableName": "pets" } }], "ClientRequestToken": "token-0001" } },
        { "name": "DescribeTable", "operation": "DescribeTable", "params": { "TableName": "pets" } },
        { "name": "ListTables after a name", "operation": "ListTables", "params": {
            "Limit": 5, "ExclusiveStartTableName": "animals" } },
        { "name": "ListTables with no parameters", "operation": "ListTables", "params": {} },
        { "name": "UpdateTimeToLive", "operation": "UpdateTimeToLive", "params": {
            "TableName": "pets", "TimeToLiveSpecification": { "Enabled": true, "AttributeName": "expires" } } },
        { "name": "TagResource", "operation": "TagResource", "params": {
            "ResourceArn": "arn:aws:dynamodb:us-east-1:123456789012:table/pets",
            "Tags": [{ "Key": "team", "Value": "pets & co" }] } },
        { "name": "DeleteTable", "operation": "DeleteTable", "params": { "TableName": "pets" } }
    ])
}

#[tokio::test(flavor = "current_thread")]
async fn wire_matches_boto3() {
    compare_with_boto3("dynamodb", &wire_cases(), |endpoint, n| async move { send(&client(endpoint), n).await }).await;
}
