//! Scalars as text: the values of Query forms and of XML elements and attributes. One impl per
//! scalar type here; the enum macros add theirs, so the XML protocols read and write every scalar
//! member through [`Text`].

use crate::json::TimeFormat;
use crate::{Blob, DateTime};

/// A scalar written and read as text.
pub trait Text: Sized {
    /// The value as it goes on the wire.
    fn to_text(&self) -> String;
    /// Reads the value, or says what the text is not (`expected an integer, found `x``).
    fn from_text(text: &str) -> Result<Self, String>;
    /// The value as a timestamp member in a declared format writes it: only a timestamp has a
    /// format; any other scalar is its plain text.
    fn to_time_text(&self, format: TimeFormat) -> String {
        let _ = format;
        self.to_text()
    }
}

fn expected(what: &str, text: &str) -> String {
    format!("expected {what}, found `{text}`")
}

impl Text for String {
    fn to_text(&self) -> String {
        self.clone()
    }
    fn from_text(text: &str) -> Result<Self, String> {
        Ok(text.to_owned())
    }
}

impl Text for bool {
    fn to_text(&self) -> String {
        self.to_string()
    }
    fn from_text(text: &str) -> Result<Self, String> {
        match text.trim() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(expected("a boolean", text)),
        }
    }
}

macro_rules! integer {
    ($($t:ty),*) => {$(
        impl Text for $t {
            fn to_text(&self) -> String {
                self.to_string()
            }
            fn from_text(text: &str) -> Result<Self, String> {
                text.trim().parse().map_err(|_| expected(concat!("an integer (", stringify!($t), ")"), text))
            }
        }
    )*};
}
integer!(i8, i16, i32, i64);

macro_rules! float {
    ($($t:ty),*) => {$(
        /// Smithy writes the non-finite floats `NaN`, `Infinity` and `-Infinity`.
        impl Text for $t {
            fn to_text(&self) -> String {
                crate::encode::float(*self)
            }
            fn from_text(text: &str) -> Result<Self, String> {
                match text.trim() {
                    "NaN" => Ok(<$t>::NAN),
                    "Infinity" => Ok(<$t>::INFINITY),
                    "-Infinity" => Ok(<$t>::NEG_INFINITY),
                    t => t.parse().map_err(|_| expected("a number", text)),
                }
            }
        }
    )*};
}
float!(f32, f64);

/// `bigInteger` and `bigDecimal`: the digits as written.
impl Text for serde_json::Number {
    fn to_text(&self) -> String {
        self.to_string()
    }
    fn from_text(text: &str) -> Result<Self, String> {
        text.trim().parse().map_err(|_| expected("a number", text))
    }
}

/// Written as RFC 3339 (the default of the XML and Query protocols; members with another
/// `timestampFormat` say so where they are written); read in any of the three formats.
impl Text for DateTime {
    fn to_text(&self) -> String {
        self.to_date_time()
    }
    fn from_text(text: &str) -> Result<Self, String> {
        DateTime::parse_any(text.trim()).map_err(|e| e.to_string())
    }
    fn to_time_text(&self, format: TimeFormat) -> String {
        match format {
            TimeFormat::EpochSeconds => self.to_epoch_seconds(),
            TimeFormat::DateTime => self.to_date_time(),
            TimeFormat::HttpDate => self.to_http_date(),
        }
    }
}

/// Base64.
impl Text for Blob {
    fn to_text(&self) -> String {
        self.to_base64()
    }
    fn from_text(text: &str) -> Result<Self, String> {
        Blob::from_base64(text.trim()).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_round_trip_as_text() {
        assert_eq!(i32::from_text(" 12 "), Ok(12));
        assert_eq!(i8::from_text("300").unwrap_err(), "expected an integer (i8), found `300`");
        assert_eq!(bool::from_text("true"), Ok(true));
        assert!(bool::from_text("yes").is_err());
        assert_eq!(f64::INFINITY.to_text(), "Infinity");
        assert!(f32::from_text("NaN").is_ok_and(f32::is_nan));
        assert_eq!(1.5f32.to_text(), "1.5");
        assert_eq!(DateTime::from_secs(0).to_text(), "1970-01-01T00:00:00Z");
        assert_eq!(DateTime::from_text("0"), Ok(DateTime::from_secs(0)));
        assert_eq!(Blob::new(b"hi!".to_vec()).to_text(), "aGkh");
        assert_eq!(String::from_text(" a "), Ok(" a ".to_owned()));
    }
}
