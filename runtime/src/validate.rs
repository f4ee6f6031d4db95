//! Checks of the model's constraints, called by generated input builders.
//!
//! `pattern` uses `regex-lite`: the models' patterns are ECMAScript regular expressions, and the
//! few with look-around (`^(?!aws:)...`) do not compile there; those are left to the service, which
//! checks every pattern anyway.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use crate::ValidationError;

/// `@pattern`: `value` contains a match of `pattern` (Smithy patterns are not implicitly anchored).
pub fn pattern(field: &str, value: &str, pattern: &'static str) -> Result<(), ValidationError> {
    // Compiled once per pattern; `None` for a pattern the lite engine cannot compile.
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Option<regex_lite::Regex>>>> = OnceLock::new();
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    match cache.entry(pattern).or_insert_with(|| regex_lite::Regex::new(pattern).ok()) {
        Some(re) if !re.is_match(value) => Err(ValidationError::pattern(field, pattern)),
        _ => Ok(()),
    }
}

/// A required member: the value, or [`ValidationError::required`].
pub fn required<T>(field: &str, value: Option<T>) -> Result<T, ValidationError> {
    value.ok_or_else(|| ValidationError::required(field))
}

/// `@length`: `len` within `min..=max` (either bound optional). Per Smithy, `len` is the number of
/// Unicode scalar values of a string (`s.chars().count()`), of entries of a list or map, of bytes of a blob.
pub fn length(field: &str, len: usize, min: Option<u64>, max: Option<u64>) -> Result<(), ValidationError> {
    let n = len as u64;
    if min.is_some_and(|min| n < min) || max.is_some_and(|max| n > max) {
        return Err(ValidationError::length(field, len, min, max));
    }
    Ok(())
}

/// `@range`: `value` within `min..=max` (either bound optional). NaN is out of any bounded range.
pub fn range(field: &str, value: f64, min: Option<f64>, max: Option<f64>) -> Result<(), ValidationError> {
    let below = min.is_some_and(|min| value.is_nan() || value < min);
    let above = max.is_some_and(|max| value.is_nan() || value > max);
    if below || above {
        return Err(ValidationError::range(field, value, min, max));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks() {
        assert_eq!(required("ApiId", Some(3)), Ok(3));
        assert_eq!(required::<u8>("ApiId", None), Err(ValidationError::required("ApiId")));
        assert!(length("Name", 1, Some(1), Some(128)).is_ok());
        assert!(length("Name", 128, Some(1), Some(128)).is_ok());
        assert!(length("Name", 0, Some(1), Some(128)).is_err());
        assert!(length("Name", 129, None, Some(128)).is_err());
        assert!(length("Name", 0, None, None).is_ok());
        assert!(range("MaxResults", 1.0, Some(1.0), Some(500.0)).is_ok());
        assert!(range("MaxResults", 0.5, Some(1.0), None).is_err());
        assert!(range("MaxResults", 501.0, None, Some(500.0)).is_err());
        assert!(range("MaxResults", f64::NAN, Some(0.0), None).is_err());
        assert!(range("MaxResults", f64::NAN, None, None).is_ok());
    }
}

#[cfg(test)]
mod pattern_tests {
    use super::pattern;

    #[test]
    fn checks_patterns_the_lite_engine_compiles() {
        assert!(pattern("Code", "404", "^[1-5]\\d\\d$").is_ok());
        let err = pattern("Code", "600", "^[1-5]\\d\\d$").unwrap_err();
        assert!(err.to_string().contains("Code"), "{err}");
        // Unanchored, as Smithy says.
        assert!(pattern("Name", "my-name", "[a-z]").is_ok());
        // Look-ahead does not compile in regex-lite: left to the service.
        assert!(pattern("Key", "aws:x", "^(?!aws:).*$").is_ok());
    }
}
