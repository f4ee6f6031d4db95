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

pub(crate) fn encode(s: &str, keep_slash: bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
