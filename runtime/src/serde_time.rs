//! Serde helpers for [`DateTime`] members in the non-default Smithy timestamp formats, for
//! `#[serde(with = "...")]`. Deserializing is lenient in all of them: a date-time or http-date
//! string, or a number of epoch seconds, is accepted whatever the declared format.
//!
//! ```
//! use aws_codegen_runtime::{serde_time, DateTime};
//! # use aws_codegen_runtime::serde;
//! struct Output { created: DateTime }
//! impl serde::Serialize for Output {
//!     fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
//!         serde_time::epoch_seconds::serialize(&self.created, s)
//!     }
//! }
//! let json = serde_json::to_string(&Output { created: DateTime::from_secs_and_nanos(1, 500_000_000) });
//! assert_eq!(json.unwrap(), "1.5");
//! ```

use crate::datetime::AnyFormat;
use crate::DateTime;
use serde::{Deserialize, Deserializer, Serializer};

/// `epoch-seconds`: a JSON number, with a fraction when there are sub-second nanoseconds (the
/// restJson1 default for bodies).
pub mod epoch_seconds {
    use super::*;

    /// Writes the number of seconds: an integer, or a float when there is a fraction.
    pub fn serialize<S: Serializer>(t: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        if t.subsec_nanos() == 0 {
            serializer.serialize_i64(t.secs())
        } else {
            serializer.serialize_f64(t.as_f64())
        }
    }

    /// Reads a timestamp in any format.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        deserializer.deserialize_any(AnyFormat)
    }
}

/// [`epoch_seconds`] for `Option<DateTime>`; pair with `#[serde(default)]` (and usually
/// `skip_serializing_if = "Option::is_none"`).
pub mod epoch_seconds_opt {
    use super::*;

    /// Writes the number of seconds, or `null`.
    pub fn serialize<S: Serializer>(t: &Option<DateTime>, serializer: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => super::epoch_seconds::serialize(t, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Reads a timestamp in any format, or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DateTime>, D::Error> {
        Option::<DateTime>::deserialize(deserializer)
    }
}

/// `http-date`: an IMF-fixdate string such as `Mon, 16 Dec 2019 23:48:18 GMT`.
pub mod http_date {
    use super::*;

    /// Writes the HTTP date string.
    pub fn serialize<S: Serializer>(t: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&t.to_http_date())
    }

    /// Reads a timestamp in any format.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        deserializer.deserialize_any(AnyFormat)
    }
}

/// [`http_date`] for `Option<DateTime>`; pair with `#[serde(default)]`.
pub mod http_date_opt {
    use super::*;

    /// Writes the HTTP date string, or `null`.
    pub fn serialize<S: Serializer>(t: &Option<DateTime>, serializer: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => serializer.serialize_str(&t.to_http_date()),
            None => serializer.serialize_none(),
        }
    }

    /// Reads a timestamp in any format, or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DateTime>, D::Error> {
        Option::<DateTime>::deserialize(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_json<F>(f: F) -> String
    where
        F: FnOnce(&mut serde_json::Serializer<&mut Vec<u8>>) -> Result<(), serde_json::Error>,
    {
        let mut out = Vec::new();
        f(&mut serde_json::Serializer::new(&mut out)).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn epoch_seconds_round_trip() {
        let whole = DateTime::from_secs(1_576_540_098);
        let frac = DateTime::from_secs_and_nanos(1_576_540_098, 520_000_000);
        assert_eq!(to_json(|s| epoch_seconds::serialize(&whole, s)), "1576540098");
        assert_eq!(to_json(|s| epoch_seconds::serialize(&frac, s)), "1576540098.52");
        let mut de = serde_json::Deserializer::from_str("1576540098.52");
        assert_eq!(epoch_seconds::deserialize(&mut de).unwrap(), frac);
        assert_eq!(to_json(|s| epoch_seconds_opt::serialize(&None, s)), "null");
        assert_eq!(to_json(|s| epoch_seconds_opt::serialize(&Some(whole), s)), "1576540098");
        let mut de = serde_json::Deserializer::from_str("null");
        assert_eq!(epoch_seconds_opt::deserialize(&mut de).unwrap(), None);
        let mut de = serde_json::Deserializer::from_str("1576540098");
        assert_eq!(epoch_seconds_opt::deserialize(&mut de).unwrap(), Some(whole));
    }

    #[test]
    fn http_date_round_trip() {
        let t = DateTime::from_secs(1_576_540_098);
        let json = to_json(|s| http_date::serialize(&t, s));
        assert_eq!(json, r#""Mon, 16 Dec 2019 23:48:18 GMT""#);
        let mut de = serde_json::Deserializer::from_str(&json);
        assert_eq!(http_date::deserialize(&mut de).unwrap(), t);
        assert_eq!(to_json(|s| http_date_opt::serialize(&Some(t), s)), json);
        let mut de = serde_json::Deserializer::from_str(&json);
        assert_eq!(http_date_opt::deserialize(&mut de).unwrap(), Some(t));
    }
}
