//! Checks of the model's constraints, called by generated input builders.
//!
//! There is no `pattern` check: the models' patterns are ECMAScript regular expressions, often with
//! look-ahead (`^(?!aws:)...`) or Unicode classes (`\p{L}`), which no small regex crate handles, and
//! a full regex engine costs more build time than the rest of the runtime. The services check them.

use crate::ValidationError;

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
