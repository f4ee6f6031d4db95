//! Binary data, which travels as standard base64 (RFC 4648, with padding) in JSON and headers.

use crate::ParseError;

/// Bytes that travel as a base64 string in JSON (Smithy `blob`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Blob(pub Vec<u8>);

impl Blob {
    /// Wraps bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Blob(bytes.into())
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Unwraps the bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }

    /// Standard base64 with padding.
    pub fn to_base64(&self) -> String {
        base64_encode(&self.0)
    }

    /// Reads standard base64; padding may be left out, whitespace is not allowed.
    pub fn from_base64(s: &str) -> Result<Self, ParseError> {
        base64_decode(s).map(Blob).map_err(|reason| ParseError::new("base64", s, reason))
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Blob(bytes)
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Blob(bytes.to_vec())
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(chunk.get(1).copied().unwrap_or(0)) << 8)
            | u32::from(chunk.get(2).copied().unwrap_or(0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(s: &str) -> Result<Vec<u8>, &'static str> {
    let b = s.as_bytes();
    let body = b.strip_suffix(b"==").or_else(|| b.strip_suffix(b"=")).unwrap_or(b);
    if b.len() != body.len() && b.len() % 4 != 0 {
        return Err("bad padding");
    }
    if body.len() % 4 == 1 {
        return Err("bad length");
    }
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 2);
    for chunk in body.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                _ => return Err("not a base64 character"),
            };
            n |= u32::from(v) << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        // 2 characters carry 1 byte, 3 carry 2, 4 carry 3; leftover bits must be zero.
        let len = chunk.len() - 1;
        if n & (0xFF_FFFF >> (8 * len)) != 0 {
            return Err("bad trailing bits");
        }
        out.extend_from_slice(&bytes[..len]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(Blob::new(plain).to_base64(), encoded);
            assert_eq!(Blob::from_base64(encoded).unwrap(), Blob::new(plain));
        }
        assert_eq!(Blob::from_base64("Zm8").unwrap(), Blob::new("fo"));
        assert_eq!(Blob::new(vec![0xfb, 0xff, 0xfe]).to_base64(), "+//+");
        for bad in ["Zg=", "Z", "Zm9v!", "Zh==", "Zm9vY===", "Zg==Zg=="] {
            assert!(Blob::from_base64(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn all_lengths_and_bytes_round_trip() {
        let data: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for len in 0..data.len() {
            let blob = Blob::new(&data[..len]);
            assert_eq!(Blob::from_base64(&blob.to_base64()).unwrap(), blob);
        }
    }
}
