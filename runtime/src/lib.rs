//! Runtime shared by the generated AWS service clients.
//!
//! A generated client crate (one per service) holds only what is specific to its operations: input
//! and output types, how each input becomes a [`Request`], and how a [`Response`] becomes an output or
//! an operation error. Everything else lives here:
//!
//! - configuration and credentials ([`Config`], [`Credentials`], [`ServiceInfo`]): the settings
//!   of the environment and the shared config files as the AWS SDKs read them ([`ConfigLoader`]),
//!   and the SDKs' default credential chain with its cache and a trait for sources of your own
//!   ([`credentials`]);
//! - the [`Client`]: endpoint, SigV4 signing, HTTP, per-attempt timeouts, a time limit per call,
//!   a response body size limit, and retries with backoff of the failures that can change;
//! - [`endpoint`]: the service's endpoint rules (embedded in its crate as JSON, with the partition
//!   data) interpreted at run time rather than generated as code, which kept the build free of
//!   rule-set-sized code and added no dependency;
//! - errors ([`SdkError`], [`ErrorMeta`], [`UnhandledError`], [`ValidationError`], [`DecodeError`],
//!   [`TransportError`]) and input checks ([`validate`]);
//! - wire types: [`DateTime`], [`Blob`], [`Document`], JSON bodies ([`json`]), scalars as [`text`],
//!   XML bodies (`xml`) and Query forms (`query`) behind the `xml` feature, URI [`encode`]-ing, and
//!   the [`string_enum!`] / [`int_enum!`] macros for enums that keep unknown values;
//! - [`paginate`], a `Stream` of pages that follows an operation's output token;
//! - what operation traits do to a request: [`Request::content_md5`], `Request::gzip` (feature
//!   `request-compression`), [`Request::host_prefix`] with [`encode::host_label`], and the settings
//!   that turn compression and host prefixes off, as in the AWS SDKs;
//! - the [`Transport`] seam: hyper by default, or any transport, such as the [`CaptureTransport`]
//!   of tests that records requests and answers with a canned response.
//!
//! # Why so few dependencies
//!
//! The first concern is the time of a clean debug build of a generated client with this runtime and
//! all dependencies. What was measured and chosen:
//!
//! - **hyper 1 + hyper-util, not reqwest.** reqwest 0.13 with no default features still brings `url`
//!   (and with it `idna` and the ICU crates with their derive macros), `tower` and `tower-http`: 67
//!   crates against 25 for hyper, hyper-util and tokio, and 40 s against 11 s of clean build in the
//!   same conditions. Only hyper-util's tokio glue is used: the connection pool and the connector
//!   (`pool.rs`) are written here, since hyper-util's `client-legacy` brings futures-util,
//!   futures-channel, tracing and tower-service; the rest (retries, timeouts, headers) is ours anyway.
//! - **TLS is the `rustls` feature** (on by default): rustls with the *ring* provider (rustls's default,
//!   aws-lc-rs, needs cmake and builds several times slower) and the OS root certificates. Without
//!   the feature only `http://` endpoints work, which is what tests and local emulators need.
//! - **SigV4 is written out here** on top of `sha2`, instead of using `aws-sigv4`: that crate brings
//!   61 crates (the `aws-smithy-*` family, `tracing` with its proc macro, `time`, `hmac`) and takes
//!   14 s of clean build on its own, against 3.5 s for `sha2`. `aws-sigv4` is the reference of an
//!   equivalence test instead (`tests/sigv4_official.rs`: 525 requests, identical headers), besides
//!   the AWS SigV4 test suite and botocore.
//! - **No `time`, `base64`, `percent-encoding`, `fastrand` or `md-5`**: RFC 3339 / HTTP-date /
//!   epoch-seconds, base64, URI encoding, the retry jitter and the MD5 of `Content-MD5`
//!   (`smithy.api#httpChecksumRequired`) are each a few dozen lines here, with tests.
//! - **gzip only where a model asks for it**: request compression (`smithy.api#requestCompression`)
//!   is the `request-compression` feature, `miniz_oxide` (one dependency, about a second of build)
//!   for the deflate stream and the gzip frame written out; the generator turns it on only in the
//!   `Cargo.toml` of crates with an operation that compresses.
//! - **XML only where a protocol needs it**: the `xml` feature (quick-xml, no default features:
//!   about 2.4 s of clean build, its one dependency `memchr` already in hyper's tree) is turned on
//!   by the generator only in crates of awsQuery, ec2Query and restXml services.
//! - **No proc macros**: serde is used without `derive`, and generated types implement the
//!   [`json`] traits with a few lines each instead of deriving serde (whose expansion was most of a
//!   generated crate's build time); enums come from declarative macros.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod blob;
mod client;
mod config;
pub mod credentials;
mod datetime;
pub mod encode;
pub mod endpoint;
mod enums;
mod error;
#[cfg(feature = "request-compression")]
pub mod gzip;
pub mod json;
mod loader;
mod md5;
mod paginate;
mod pool;
#[cfg(feature = "xml")]
pub mod query;
mod request;
mod settings;
pub mod text;
mod transport;
// Public only for the equivalence test against the official signer (tests/sigv4_official.rs).
#[doc(hidden)]
pub mod sigv4;
#[cfg(feature = "testing")]
pub mod testing;
pub mod validate;
#[cfg(feature = "xml")]
pub mod xml;

pub use blob::Blob;
pub use client::{Call, Client};
pub use config::{Config, ConfigBuilder, ConfigError, Credentials, RetryConfig, ServiceInfo};
pub use datetime::DateTime;
pub use error::{
    decode_json, header_items, parse_header, parse_header_list, DecodeError, ErrorMeta, ParseError, SdkError,
    TransportError, TransportErrorKind, UnhandledError, ValidationError,
};
pub use loader::ConfigLoader;
pub use paginate::{next_page, paginate};
pub use request::{Request, Response};
pub use settings::DEFAULT_MIN_COMPRESSION_SIZE_BYTES;
pub use transport::{BoxFuture, CaptureTransport, HttpRequest, Transport};

/// Re-exported: the `Stream` trait that [`paginate`] returns.
pub use futures_core::Stream;
/// Re-exported for users who handle [`Document`] values; generated code goes through [`json`].
pub use serde_json;

/// An untyped JSON value (Smithy `document` shapes).
pub type Document = serde_json::Value;
