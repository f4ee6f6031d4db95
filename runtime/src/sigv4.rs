//! AWS Signature Version 4, header flavour, on top of `sha2`'s SHA-256 (HMAC is written out below).
//!
//! Checked against the AWS SigV4 test suite and against botocore (see the tests).

use std::borrow::Cow;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::{Credentials, DateTime};

/// Headers never signed (proxies and HTTP stacks may change them), as in botocore.
const UNSIGNED_HEADERS: &[&str] = &[
    "authorization",
    "connection",
    "expect",
    "keep-alive",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

/// What is signed of a request.
pub struct Signable<'a> {
    pub method: &'a str,
    /// The path exactly as sent (percent-encoded).
    pub path: &'a str,
    /// The query in canonical form (see [`canonical_query`]), as the signature covers it.
    pub query: &'a str,
    /// Headers as sent, `host` included.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

/// The query string in SigV4 canonical form: names and values percent-encoded (unreserved kept),
/// pairs sorted by encoded name then value. It is what the signature covers; the wire keeps
/// the caller's order.
pub fn canonical_query(params: &[(String, String)]) -> String {
    sorted_query(encode_query(params))
}

/// Query names and values percent-encoded, in the caller's order (as they go on the wire).
pub(crate) fn encode_query(params: &[(String, String)]) -> Vec<(String, String)> {
    params.iter().map(|(k, v)| (crate::encode::encode(k, false), crate::encode::encode(v, false))).collect()
}

/// [`canonical_query`] of pairs already encoded by [`encode_query`].
pub(crate) fn sorted_query(mut pairs: Vec<(String, String)>) -> String {
    pairs.sort();
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// Signs `req`: returns the headers to add, `x-amz-date`, `x-amz-security-token` (with a session
/// token) and `authorization`, in that order. The scope is `<date>/<region>/<service>/aws4_request`.
pub fn sign(
    req: &Signable<'_>,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: DateTime,
) -> Vec<(&'static str, String)> {
    sign_with(req, credentials, region, service, time, None)
}

/// [`sign`], with the signing key from `keys` when it was derived for the same secret, day, region
/// and service (what a client's calls share).
pub(crate) fn sign_cached(
    req: &Signable<'_>,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: DateTime,
    keys: &KeyCache,
) -> Vec<(&'static str, String)> {
    sign_with(req, credentials, region, service, time, Some(keys))
}

fn sign_with(
    req: &Signable<'_>,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: DateTime,
    keys: Option<&KeyCache>,
) -> Vec<(&'static str, String)> {
    let mut added = Vec::with_capacity(3);
    added.push(("x-amz-date", time.to_amz_date()));
    if let Some(token) = &credentials.session_token {
        added.push(("x-amz-security-token", token.clone()));
    }
    let (canonical, signed_headers) = canonical_request(req, &added);
    let amz_date = added[0].1.as_str();
    let date = &amz_date[..8];
    let secret = &credentials.secret_access_key;
    let key = match keys {
        Some(keys) => keys.key(secret, date, region, service),
        None => signing_key(secret, date, region, service),
    };
    // The string to sign, fed to the HMAC in pieces rather than built.
    let canonical_hash = hex_digits(&Sha256::digest(canonical.as_bytes()).into());
    let signature = hmac_parts(
        &key,
        &[
            b"AWS4-HMAC-SHA256\n",
            amz_date.as_bytes(),
            b"\n",
            date.as_bytes(),
            b"/",
            region.as_bytes(),
            b"/",
            service.as_bytes(),
            b"/aws4_request\n",
            &canonical_hash,
        ],
    );
    let mut authorization = String::with_capacity(160 + signed_headers.len() + region.len() + service.len());
    for part in [
        "AWS4-HMAC-SHA256 Credential=",
        &credentials.access_key_id,
        "/",
        date,
        "/",
        region,
        "/",
        service,
        "/aws4_request, SignedHeaders=",
        &signed_headers,
        ", Signature=",
    ] {
        authorization.push_str(part);
    }
    push_hex(&mut authorization, &signature);
    added.push(("authorization", authorization));
    added
}

/// The key of a day's signatures in a region and service: `AWS4<secret>`, then HMACs of each part of
/// the scope.
fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let key = hmac(&[&b"AWS4"[..], secret.as_bytes()].concat(), date.as_bytes());
    let key = hmac(&key, region.as_bytes());
    let key = hmac(&key, service.as_bytes());
    hmac(&key, b"aws4_request")
}

/// The last signing key a client derived, with what it was derived from: it changes once a day (or
/// with the credentials), and deriving it is four HMACs, more than half the hashing of a signature.
#[derive(Default)]
pub(crate) struct KeyCache(Mutex<Option<CachedKey>>);

struct CachedKey {
    secret: String,
    date: String,
    region: String,
    service: String,
    key: [u8; 32],
}

impl KeyCache {
    fn key(&self, secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = slot.as_ref() {
            if c.secret == secret && c.date == date && c.region == region && c.service == service {
                return c.key;
            }
        }
        let key = signing_key(secret, date, region, service);
        *slot = Some(CachedKey {
            secret: secret.to_owned(),
            date: date.to_owned(),
            region: region.to_owned(),
            service: service.to_owned(),
            key,
        });
        key
    }
}

/// Only that it is a cache: the key and the secret it comes from stay out of logs.
impl std::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyCache")
    }
}

/// The SHA-256 of no bytes, the payload hash of every request without a body.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The canonical request and the signed-headers list.
fn canonical_request(req: &Signable<'_>, added: &[(&'static str, String)]) -> (String, String) {
    let mut headers: Vec<(Cow<'_, str>, &str)> = req
        .headers
        .iter()
        .map(|(n, v)| (lower_case(n), v.as_str()))
        .chain(added.iter().map(|(n, v)| (Cow::Borrowed(*n), v.as_str())))
        .filter(|(n, _)| !UNSIGNED_HEADERS.contains(&&**n))
        .collect();
    // Stable: repeated headers keep their order.
    headers.sort_by(|a, b| a.0.cmp(&b.0));

    let headers_len: usize = headers.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    let mut canonical =
        String::with_capacity(req.method.len() + 2 * req.path.len() + req.query.len() + 2 * headers_len + 80);
    canonical.push_str(req.method);
    canonical.push('\n');
    // Non-S3 services: the path as sent, normalized, then encoded once more ('%' becomes "%25").
    crate::encode::encode_into(&mut canonical, &normalize_path(req.path), true);
    canonical.push('\n');
    canonical.push_str(req.query);
    canonical.push('\n');
    let mut signed_headers = String::with_capacity(headers_len);
    for (i, (name, value)) in headers.iter().enumerate() {
        // Trimmed, runs of whitespace folded to one space. ASCII whitespace only: the service sees
        // bytes, and U+00A0 or U+3000 in a value are not whitespace to it nor to aws-sigv4 (this
        // used `split_whitespace`, which folded them: a signature aws-sigv4 disagreed with, see
        // tests/sigv4_official.rs). Tabs, the only other ASCII whitespace a header value can
        // hold, are folded as botocore does (aws-sigv4 keeps them).
        if i > 0 && headers[i - 1].0 == *name {
            canonical.pop(); // the '\n'
            canonical.push(',');
        } else {
            if !signed_headers.is_empty() {
                signed_headers.push(';');
            }
            signed_headers.push_str(name);
            canonical.push_str(name);
            canonical.push(':');
        }
        for (j, word) in value.split_ascii_whitespace().enumerate() {
            if j > 0 {
                canonical.push(' ');
            }
            canonical.push_str(word);
        }
        canonical.push('\n');
    }
    canonical.push('\n');
    canonical.push_str(&signed_headers);
    canonical.push('\n');
    match headers.iter().find(|(n, _)| n == "x-amz-content-sha256") {
        Some((_, v)) => canonical.push_str(v.trim()),
        None if req.body.is_empty() => canonical.push_str(EMPTY_SHA256),
        None => push_hex(&mut canonical, &Sha256::digest(req.body)),
    }
    (canonical, signed_headers)
}

/// A header name in lower case, borrowed when it is already (as the client's own are).
fn lower_case(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// RFC 3986 dot-segment removal, empty segments dropped, as aws-sigv4 and botocore do.
fn normalize_path(path: &str) -> Cow<'_, str> {
    if !path.starts_with('/') || path.contains("/.") || path.contains("//") {
        let mut segments: Vec<&str> = Vec::new();
        for segment in path.split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    segments.pop();
                }
                s => segments.push(s),
            }
        }
        let mut out = String::with_capacity(path.len() + 1);
        for s in &segments {
            out.push('/');
            out.push_str(s);
        }
        let trailing = ["/", "/.", "/.."].iter().any(|end| path.ends_with(end));
        if out.is_empty() || (trailing && !out.ends_with('/')) {
            out.push('/');
        }
        Cow::Owned(out)
    } else {
        Cow::Borrowed(path)
    }
}

/// HMAC-SHA256 (RFC 2104).
fn hmac(key: &[u8], message: &[u8]) -> [u8; 32] {
    hmac_parts(key, &[message])
}

/// [`hmac`] of the concatenation of `parts`.
fn hmac_parts(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    for part in parts {
        inner.update(part);
    }
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// A digest in lower-case hex, as bytes (to be hashed in turn).
fn hex_digits(digest: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (i, b) in digest.iter().enumerate() {
        out[2 * i] = HEX_DIGITS[usize::from(b >> 4)];
        out[2 * i + 1] = HEX_DIGITS[usize::from(b & 15)];
    }
    out
}

/// `bytes` in lower-case hex, appended to `out`.
fn push_hex(out: &mut String, bytes: &[u8]) {
    for b in bytes {
        out.push(char::from(HEX_DIGITS[usize::from(b >> 4)]));
        out.push(char::from(HEX_DIGITS[usize::from(b & 15)]));
    }
}

#[cfg(test)]
fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex(&mut out, bytes);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suite_creds(token: Option<&str>) -> Credentials {
        Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token.map(str::to_owned))
    }

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn authorization<'a>(added: &'a [(&'static str, String)]) -> &'a str {
        &added.iter().find(|(n, _)| *n == "authorization").unwrap().1
    }

    #[test]
    fn hmac_rfc4231() {
        // RFC 4231 test cases 1, 2 and 6 (key longer than a block).
        assert_eq!(
            hex(&hmac(&[0x0b; 20], b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex(&hmac(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex(&hmac(&[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    /// Cases of the AWS SigV4 test suite, as shipped in the aws-sigv4 1.6.4 crate
    /// (`aws-signing-test-suite/v4/<name>/`): all at 2015-08-30T12:36:00Z, region us-east-1, service
    /// `service`; `expected` is the `Authorization` line of `header-signed-request.txt`.
    #[test]
    fn aws_test_suite() {
        struct Case {
            name: &'static str,
            method: &'static str,
            query: &'static [(&'static str, &'static str)],
            headers: &'static [(&'static str, &'static str)],
            body: &'static str,
            token: Option<&'static str>,
            signature: &'static str,
        }
        let host = ("Host", "example.amazonaws.com");
        let cases = [
            Case {
                name: "get-vanilla-query-order-key-case",
                method: "GET",
                query: &[("Param2", "value2"), ("Param1", "value1")],
                headers: &[],
                body: "",
                token: None,
                signature: "SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
            },
            Case {
                name: "get-vanilla-query-unreserved",
                method: "GET",
                query: &[(
                    "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                    "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                )],
                headers: &[],
                body: "",
                token: None,
                signature: "SignedHeaders=host;x-amz-date, Signature=9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197",
            },
            Case {
                name: "get-vanilla-utf8-query",
                method: "GET",
                query: &[("ሴ", "bar")],
                headers: &[],
                body: "",
                token: None,
                signature: "SignedHeaders=host;x-amz-date, Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04",
            },
            Case {
                name: "get-vanilla-with-session-token",
                method: "GET",
                query: &[],
                headers: &[],
                body: "",
                token: Some("6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"),
                signature: "SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8",
            },
            Case {
                name: "get-header-value-trim",
                method: "GET",
                query: &[],
                headers: &[("My-Header1", " value1"), ("My-Header2", " \"a   b   c\"")],
                body: "",
                token: None,
                signature: "SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
            },
            Case {
                name: "get-header-key-duplicate",
                method: "GET",
                query: &[],
                headers: &[("My-Header1", "value2"), ("My-Header1", "value2"), ("My-Header1", "value1")],
                body: "",
                token: None,
                signature: "SignedHeaders=host;my-header1;x-amz-date, Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea",
            },
            Case {
                name: "post-vanilla-query",
                method: "POST",
                query: &[("Param1", "value1")],
                headers: &[],
                body: "",
                token: None,
                signature: "SignedHeaders=host;x-amz-date, Signature=28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11",
            },
            Case {
                name: "post-x-www-form-urlencoded",
                method: "POST",
                query: &[],
                headers: &[
                    ("Content-Type", "application/x-www-form-urlencoded"),
                    ("Content-Length", "13"),
                    ("x-amz-content-sha256", "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"),
                ],
                body: "Param1=value1",
                token: None,
                signature: "SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, Signature=d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b",
            },
        ];
        let time = DateTime::parse_date_time("2015-08-30T12:36:00Z").unwrap();
        for case in cases {
            let query: Vec<(String, String)> = case.query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            let query = canonical_query(&query);
            let mut hs = headers(&[host]);
            hs.extend(headers(case.headers));
            let req =
                Signable { method: case.method, path: "/", query: &query, headers: &hs, body: case.body.as_bytes() };
            let added = sign(&req, &suite_creds(case.token), "us-east-1", "service", time);
            let expected = format!(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, {}",
                case.signature
            );
            assert_eq!(authorization(&added), expected, "{}", case.name);
            assert_eq!(added[0], ("x-amz-date", "20150830T123600Z".to_owned()));
        }
    }

    #[test]
    fn aws_test_suite_canonical_request() {
        // get-vanilla-query-order-key-case/header-canonical-request.txt
        let query = canonical_query(&[("Param2".into(), "value2".into()), ("Param1".into(), "value1".into())]);
        let hs = headers(&[("Host", "example.amazonaws.com")]);
        let req = Signable { method: "GET", path: "/", query: &query, headers: &hs, body: b"" };
        let (canonical, signed) = canonical_request(&req, &[("x-amz-date", "20150830T123600Z".into())]);
        assert_eq!(
            canonical,
            "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n\
             host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(signed, "host;x-amz-date");
    }

    #[test]
    fn double_encoded_path() {
        // aws-signing-test-suite/v4/double-url-encode/header-canonical-request.txt: the path as sent
        // is encoded once more.
        let path =
            "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-west-2%3A892717189312%3Afunction%3Amy-rusty-fun/invocations";
        let hs = headers(&[("host", "lambda.us-east-2.amazonaws.com")]);
        let req = Signable { method: "POST", path, query: "", headers: &hs, body: b"" };
        let (canonical, _) = canonical_request(&req, &[("x-amz-date", "20210511T154045Z".into())]);
        assert_eq!(
            canonical.lines().nth(1).unwrap(),
            "/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-west-2%253A892717189312%253Afunction%253Amy-rusty-fun/invocations"
        );
    }

    /// A restJson1-style request as the client sends it: signing name `apigateway`, a session token,
    /// an encoded label, query parameters needing encoding, a JSON body, unsigned `user-agent`.
    ///
    /// The expected header was produced with botocore 1.44.5 (`pip install botocore` in a throwaway
    /// venv), by `runtime/tests/botocore_sign.py` in this crate: `SigV4Auth(Credentials(...),
    /// "apigateway", "us-west-2").add_auth(AWSRequest(...))` with the clock fixed at
    /// 2024-02-29T23:59:58Z.
    #[test]
    fn matches_botocore() {
        let creds = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            Some("IQoJb3JpZ2luX2VjEXAMPLETOKEN/+=".to_owned()),
        );
        let path = format!("/v2/apis/{}/routes", crate::encode::label("a1b2:c3 d"));
        let query = canonical_query(&[
            ("maxResults".into(), "25".into()),
            ("nextToken".into(), "abc/def+ghi=".into()),
            ("a b".into(), "ü".into()),
        ]);
        let body = br#"{"routeKey":"GET /pets","authorizationType":"NONE"}"#;
        let hs = headers(&[
            ("host", "apigateway.us-west-2.amazonaws.com"),
            ("content-type", "application/json"),
            ("x-amz-client-context", "  spaced   out  "),
            ("user-agent", "aws-codegen-runtime/0.1.0"),
        ]);
        let req = Signable { method: "POST", path: &path, query: &query, headers: &hs, body };
        let time = DateTime::parse_date_time("2024-02-29T23:59:58Z").unwrap();
        let added = sign(&req, &creds, "us-west-2", "apigateway", time);
        assert_eq!(
            authorization(&added),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240229/us-west-2/apigateway/aws4_request, \
             SignedHeaders=content-type;host;x-amz-client-context;x-amz-date;x-amz-security-token, \
             Signature=9931d4bbaa589d6e5c0e4d2a98606789c4aabc04f47499553c7ea2080434f4bf"
        );
        assert_eq!(added[1], ("x-amz-security-token", "IQoJb3JpZ2luX2VjEXAMPLETOKEN/+=".to_owned()));
    }

    #[test]
    fn cached_keys_sign_as_fresh_ones() {
        let keys = KeyCache::default();
        let hs = headers(&[("host", "example.amazonaws.com")]);
        let req = Signable { method: "GET", path: "/", query: "", headers: &hs, body: b"" };
        let day = DateTime::parse_date_time("2015-08-30T12:36:00Z").unwrap();
        let next_day = DateTime::parse_date_time("2015-08-31T00:00:01Z").unwrap();
        let creds = suite_creds(None);
        let other = Credentials::new("AKIDEXAMPLE", "another-secret", None);
        // Twice the same scope (the second from the cache), then a new day, secret, region, service.
        for (creds, region, service, time) in [
            (&creds, "us-east-1", "service", day),
            (&creds, "us-east-1", "service", day),
            (&creds, "us-east-1", "service", next_day),
            (&other, "us-east-1", "service", next_day),
            (&other, "eu-west-1", "service", next_day),
            (&other, "eu-west-1", "other", next_day),
        ] {
            let cached = sign_cached(&req, creds, region, service, time, &keys);
            assert_eq!(cached, sign(&req, creds, region, service, time), "{region} {service}");
        }
        assert_eq!(format!("{keys:?}"), "KeyCache");
    }

    #[test]
    fn path_normalization() {
        assert_eq!(normalize_path("/"), "/");
        assert_eq!(normalize_path(""), "/");
        assert_eq!(normalize_path("/a/b"), "/a/b");
        assert_eq!(normalize_path("/a/./b/../c/"), "/a/c/");
        assert_eq!(normalize_path("//a//b"), "/a/b");
        assert_eq!(normalize_path("/a/.."), "/");
        assert_eq!(normalize_path("/../a"), "/a");
        assert_eq!(normalize_path("/a/b/."), "/a/b/");
        assert_eq!(normalize_path("/a.b/c"), "/a.b/c");
    }
}
