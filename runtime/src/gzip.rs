//! gzip request bodies (RFC 1952) for operations with `smithy.api#requestCompression`, behind the
//! `request-compression` feature that only crates whose model uses the trait turn on. The deflate
//! stream comes from `miniz_oxide` (2 crates, pure Rust); the gzip frame and its CRC-32 are written
//! out here.

use crate::{Config, Request};

/// gzip at miniz's default level (6), as the AWS SDKs use.
const LEVEL: u8 = 6;

/// `data` as a gzip member: header, raw deflate, CRC-32 and length of the input.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    // ID1 ID2, CM = deflate, no flags, no modification time, no extra flags, OS = unknown.
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    out.extend_from_slice(&miniz_oxide::deflate::compress_to_vec(data, LEVEL));
    out.extend_from_slice(&crc32(data).to_le_bytes());
    // ISIZE is the input length modulo 2^32.
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

/// CRC-32 (ISO 3309, the polynomial of gzip and zlib), bit by bit: bodies are small next to the
/// network time, and a table would be 1 KiB of constants for nothing measurable.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xedb8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

impl Request {
    /// Compresses the body with gzip, as `smithy.api#requestCompression` asks, unless the
    /// configuration turns compression off or the body is smaller than its threshold (both as in the
    /// AWS SDKs: [`crate::ConfigBuilder::disable_request_compression`],
    /// [`crate::ConfigBuilder::request_min_compression_size_bytes`]). `gzip` is appended to a
    /// `Content-Encoding` an input member set. Call it once the body is final, before a checksum.
    pub fn gzip(&mut self, config: &Config) -> &mut Self {
        let Some(body) = &self.body else { return self };
        let small =
            u64::try_from(body.len()).unwrap_or(u64::MAX) < u64::from(config.request_min_compression_size_bytes());
        if config.disable_request_compression() || small {
            return self;
        }
        self.body = Some(gzip(body));
        match self.headers.iter_mut().find(|(name, _)| name.eq_ignore_ascii_case("content-encoding")) {
            Some((_, value)) if !value.trim().is_empty() => value.push_str(", gzip"),
            Some((_, value)) => *value = "gzip".to_owned(),
            None => self.headers.push(("content-encoding".to_owned(), "gzip".to_owned())),
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Credentials;

    #[test]
    fn crc32_check_value() {
        // The check value of CRC-32/ISO-HDLC (the CRC catalogue's test input).
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn gzip_frame_round_trips() {
        let data = b"hello hello hello hello, gzip".repeat(40);
        let z = gzip(&data);
        assert_eq!(&z[..4], &[0x1f, 0x8b, 8, 0]);
        let n = z.len();
        assert_eq!(u32::from_le_bytes([z[n - 4], z[n - 3], z[n - 2], z[n - 1]]) as usize, data.len());
        assert_eq!(u32::from_le_bytes([z[n - 8], z[n - 7], z[n - 6], z[n - 5]]), crc32(&data));
        let inflated = miniz_oxide::inflate::decompress_to_vec(&z[10..n - 8]).expect("valid deflate");
        assert_eq!(inflated, data);
        assert!(n < data.len(), "{n} bytes from {}", data.len());
    }

    fn config(min: u32, disable: bool) -> Config {
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "secret", None))
            .request_min_compression_size_bytes(min)
            .disable_request_compression(disable)
            .build()
            .expect("config")
    }

    #[test]
    fn compresses_from_the_threshold_unless_disabled() {
        let body = vec![b'x'; 100];
        let mut r = Request::new("POST", "/".into());
        r.json_body(body.clone()).gzip(&config(101, false));
        assert_eq!(r.body.as_deref(), Some(&body[..]), "below the threshold");
        r.gzip(&config(100, true));
        assert_eq!(r.body.as_deref(), Some(&body[..]), "disabled");
        r.header("Content-Encoding", "custom").gzip(&config(100, false));
        assert_eq!(r.body, Some(gzip(&body)));
        assert!(r.headers.contains(&("Content-Encoding".to_owned(), "custom, gzip".to_owned())), "{:?}", r.headers);
        let mut r = Request::new("POST", "/".into());
        r.gzip(&config(0, false));
        assert_eq!((r.body, r.headers), (None, Vec::new()), "no body, nothing to compress");
    }
}
