//! Percent-encoding of URI path labels (RFC 3986).
//!
//! Everything but the unreserved characters `A-Z a-z 0-9 - . _ ~` is encoded, as UTF-8 bytes with
//! upper-case hex digits: exactly the set SigV4 leaves alone, so an encoded path needs no second
//! pass before signing. The same encoding is used for query names and values.

/// Encodes one path label (`{Name}`): `/` is encoded too.
pub fn label(s: &str) -> String {
    encode(s, false)
}

/// Encodes a greedy path label (`{Key+}`): `/` is kept, everything else as in [`label`].
pub fn greedy_label(s: &str) -> String {
    encode(s, true)
}

/// The value of a `smithy.api#hostLabel` member, checked before it goes into the host name of a
/// `smithy.api#endpoint` prefix: one or more dot-separated labels of 1 to 63 ASCII letters, digits
/// and hyphens, none starting or ending with a hyphen (RFC 1123, as the AWS SDKs check it).
pub fn host_label<'a>(member: &str, value: &'a str) -> Result<&'a str, crate::ValidationError> {
    let valid = |label: &str| {
        (1..=63).contains(&label.len())
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if value.split('.').all(valid) {
        Ok(value)
    } else {
        Err(crate::ValidationError::new(
            member,
            format!("`{value}` cannot be part of a host name (letters, digits and hyphens, in labels of 1 to 63)"),
        ))
    }
}

/// A float as HTTP text (labels, query values, headers): Smithy writes the non-finite ones `NaN`,
/// `Infinity` and `-Infinity`; the others in their shortest form (`1.1`, not `1.100000023841858`).
pub fn float<T: Into<f64> + Copy + std::fmt::Display>(v: T) -> String {
    let x: f64 = v.into();
    if x.is_nan() {
        "NaN".to_owned()
    } else if x.is_infinite() {
        if x > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        v.to_string()
    }
}

/// One string item of a list-valued header: quoted (with `"` and `\` escaped) when it holds a comma
/// or a double quote, or starts or ends with a space, so the list splits back into the same items.
pub fn header_item(s: String) -> String {
    let plain = !s.contains([',', '"']) && s.trim() == s;
    if plain {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

pub(crate) fn encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    encode_into(&mut out, s, keep_slash);
    out
}

/// [`encode`], appended to `out` (the SigV4 canonical request is written in one string).
pub(crate) fn encode_into(out: &mut String, s: &str, keep_slash: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_labels() {
        for ok in ["bar", "a-b", "a.b.c", "A1", &"a".repeat(63)] {
            assert_eq!(host_label("label", ok), Ok(ok));
        }
        for bad in ["", "-a", "a-", "a_b", "a..b", "a.", "a/b", "a b", "ü", &"a".repeat(64)] {
            let err = host_label("label", bad).expect_err(bad);
            assert_eq!(err.field, "label", "{bad}");
        }
    }

    #[test]
    fn floats_and_header_items() {
        assert_eq!((float(1.1f32), float(2.5f64), float(-0.0f64)), ("1.1".into(), "2.5".into(), "-0".into()));
        assert_eq!(
            (float(f32::NAN), float(f64::INFINITY), float(f32::NEG_INFINITY)),
            ("NaN".into(), "Infinity".into(), "-Infinity".into())
        );
        assert_eq!(header_item("a".into()), "a");
        assert_eq!(header_item("b,c".into()), r#""b,c""#);
        assert_eq!(header_item(r#""def""#.into()), r#""\"def\"""#);
        assert_eq!(header_item(" x".into()), r#"" x""#);
        let list = ["a", "b,c", r#""def""#, " x "].map(|s| header_item(s.into())).join(", ");
        assert_eq!(crate::header_items(&list, false), ["a", "b,c", r#""def""#, " x "]);
    }

    #[test]
    fn labels() {
        assert_eq!(label("abc-._~XYZ019"), "abc-._~XYZ019");
        assert_eq!(label("a b/c?d#e%f+g&h=i:j@k"), "a%20b%2Fc%3Fd%23e%25f%2Bg%26h%3Di%3Aj%40k");
        assert_eq!(label("ሴ"), "%E1%88%B4");
        assert_eq!(label("é"), "%C3%A9");
        assert_eq!(label(""), "");
        assert_eq!(greedy_label("a b/c/d%"), "a%20b/c/d%25");
        assert_eq!(greedy_label("/leading//double/"), "/leading//double/");
        assert_eq!(
            label("arn:aws:lambda:us-west-2:123:function:f"),
            "arn%3Aaws%3Alambda%3Aus-west-2%3A123%3Afunction%3Af"
        );
    }
}
