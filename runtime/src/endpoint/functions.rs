//! The rules' standard library and AWS functions that need more than a line.

use serde_json::{json, Value};

/// `substring`: `None` for non-ASCII input or a range outside it; `reverse` counts from the end.
pub fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Option<String> {
    if !input.is_ascii() || start >= stop || input.len() < stop {
        return None;
    }
    let (from, to) = if reverse { (input.len() - stop, input.len() - start) } else { (start, stop) };
    Some(input[from..to].to_owned())
}

/// `parseURL`: scheme, authority, path, normalizedPath and isIp of an `http(s)` URL without query.
pub fn parse_url(url: &str) -> Option<Value> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    if rest.contains(['?', '#']) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if authority.is_empty() || authority.contains(['@', ' ']) {
        return None;
    }
    let host = if authority.starts_with('[') {
        &authority[..authority.find(']')? + 1]
    } else {
        authority.split(':').next().unwrap_or(authority)
    };
    let is_ip = host.starts_with('[') || is_ipv4(host);
    let mut normalized = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized.push('/');
    }
    normalized.push_str(path);
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    Some(json!({
        "scheme": scheme,
        "authority": authority,
        "path": path,
        "normalizedPath": normalized,
        "isIp": is_ip,
    }))
}

fn is_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n < 256)
        })
}

/// `isValidHostLabel`: 1 to 63 letters, digits and `-`, not starting with `-`; with
/// `subdomains`, every `.`-separated part so.
pub fn is_valid_host_label(value: &str, subdomains: bool) -> bool {
    if subdomains {
        return value.split('.').all(|label| is_valid_host_label(label, false));
    }
    !value.is_empty()
        && value.len() <= 63
        && value.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `split`: `limit` 0 splits everywhere, otherwise into at most `limit` parts.
pub fn split(value: &str, delimiter: &str, limit: usize) -> Option<Value> {
    if delimiter.is_empty() {
        return None;
    }
    let parts: Vec<Value> = if limit == 0 {
        value.split(delimiter).map(|s| Value::String(s.to_owned())).collect()
    } else {
        value.splitn(limit, delimiter).map(|s| Value::String(s.to_owned())).collect()
    };
    Some(Value::Array(parts))
}

/// `aws.parseArn`: `arn:partition:service:region:account:resource`, the resource split on `:`
/// and `/`.
pub fn parse_arn(arn: &str) -> Option<Value> {
    let mut parts = arn.splitn(6, ':');
    let (prefix, partition, service, region, account, resource) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if prefix != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id: Vec<Value> = resource.split([':', '/']).map(|s| Value::String(s.to_owned())).collect();
    Some(json!({
        "partition": partition,
        "service": service,
        "region": region,
        "accountId": account,
        "resourceId": resource_id,
    }))
}

/// `aws.isVirtualHostableS3Bucket`: a bucket name usable as a host label: 3 to 63 lower-case
/// letters, digits, `-` (and `.` with `subdomains`), starting and ending with a letter or digit,
/// not an IPv4 address, no `.-` or `-.`.
pub fn is_virtual_hostable_s3_bucket(value: &str, subdomains: bool) -> bool {
    if !is_valid_host_label(value, subdomains) {
        return false;
    }
    let segment_ok = |s: &str| {
        let b = s.as_bytes();
        (3..=63).contains(&b.len())
            && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b'.')
            && b.first().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && b.last().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && !is_ipv4(s)
            && !s.contains(".-")
            && !s.contains("-.")
    };
    if subdomains {
        segment_ok(value) && value.split('.').all(|l| !l.is_empty())
    } else {
        segment_ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substring_counts_from_either_end() {
        assert_eq!(substring("abcdef", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcdef", 0, 4, true).as_deref(), Some("cdef"));
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("abc\u{e9}", 0, 2, false), None);
    }

    #[test]
    fn parse_url_splits_and_normalises() {
        let u = parse_url("https://example.com:8443/a/b").expect("parses");
        assert_eq!(u["authority"], "example.com:8443");
        assert_eq!(u["path"], "/a/b");
        assert_eq!(u["normalizedPath"], "/a/b/");
        assert_eq!(u["isIp"], false);
        assert_eq!(parse_url("http://127.0.0.1").and_then(|u| u.get("isIp").cloned()), Some(Value::Bool(true)));
        assert_eq!(parse_url("http://[::1]:80/").and_then(|u| u.get("isIp").cloned()), Some(Value::Bool(true)));
        assert!(parse_url("https://example.com/?q=1").is_none());
        assert!(parse_url("ftp://example.com").is_none());
    }

    #[test]
    fn arns_and_labels() {
        let a = parse_arn("arn:aws:s3:us-west-2:123456789012:accesspoint/myendpoint").expect("parses");
        assert_eq!(a["resourceId"], json!(["accesspoint", "myendpoint"]));
        assert!(parse_arn("arn:aws:s3").is_none());
        assert!(is_valid_host_label("a-b", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(!is_valid_host_label("-a", false));
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("My-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("192.168.0.1", true));
        assert_eq!(split("a--b--c", "--", 2), Some(json!(["a", "b--c"])));
    }
}
