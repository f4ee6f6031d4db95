//! The generated S3 client (restXml) against moto's server: path-style addressing from S3's
//! endpoint rules (the endpoint is an IP address, so the rules put the bucket in the path), a
//! blob payload both ways, list, GetBucketLocation (an unwrapped XML output) and a typed
//! `NoSuchKey` error (an unwrapped `<Error>` body). Run by `cargo xtask clients s3`.

mod common;
mod support;

use aws_s3_client::error::GetObjectError;
use aws_s3_client::types::{
    CreateBucketRequest, DeleteObjectRequest, GetBucketLocationRequest, GetObjectRequest, ListObjectsV2Request,
    PutObjectRequest,
};
use aws_s3_client::{Blob, Client, SdkError};
use common::{say, Moto};

fn client(endpoint: String) -> Client {
    Client::new(support::config(endpoint)).expect("client")
}

#[tokio::test(flavor = "current_thread")]
async fn moto_scenario() {
    let moto = Moto::start();
    let client = client(moto.url());

    CreateBucketRequest::builder().bucket("codegen-bucket").send(&client).await.expect("create_bucket");
    let location =
        GetBucketLocationRequest::builder().bucket("codegen-bucket").send(&client).await.expect("get_bucket_location");
    // us-east-1 is the empty location constraint.
    assert!(location.location_constraint.as_ref().is_none_or(|l| l.as_str().is_empty()), "{location:?}");

    for (key, body) in [("a.txt", &b"hello"[..]), ("dir/b key.bin", &[0u8, 1, 2, 255][..])] {
        let put = PutObjectRequest::builder()
            .bucket("codegen-bucket")
            .key(key)
            .body(Blob::new(body.to_vec()))
            .content_type("application/octet-stream")
            .send(&client)
            .await
            .expect("put_object");
        assert!(put.e_tag.is_some_and(|e| !e.is_empty()));
    }
    let got = GetObjectRequest::builder()
        .bucket("codegen-bucket")
        .key("dir/b key.bin")
        .send(&client)
        .await
        .expect("get_object");
    assert_eq!(got.body, Some(Blob::new(vec![0, 1, 2, 255])));
    assert_eq!(got.content_length, Some(4));

    let listed = ListObjectsV2Request::builder().bucket("codegen-bucket").send(&client).await.expect("list_objects_v2");
    let keys: Vec<String> = listed.contents.unwrap_or_default().into_iter().filter_map(|o| o.key).collect();
    assert_eq!(keys, ["a.txt", "dir/b key.bin"]);
    assert_eq!(listed.key_count, Some(2));

    match GetObjectRequest::builder().bucket("codegen-bucket").key("missing").send(&client).await {
        Err(SdkError::Service(GetObjectError::NoSuchKey(_))) => {}
        other => panic!("expected NoSuchKey, got {other:?}"),
    }
    DeleteObjectRequest::builder().bucket("codegen-bucket").key("a.txt").send(&client).await.expect("delete_object");
    let listed = ListObjectsV2Request::builder().bucket("codegen-bucket").send(&client).await.expect("list again");
    assert_eq!(listed.key_count, Some(1));
    say("moto: s3 scenario passed");
}
