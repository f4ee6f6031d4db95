//! JSON parsing shared by the readers: errors carry file, line and column.

use std::path::Path;

use serde_json::Value;

use crate::error::{Error, Result};

/// Parses `text` as JSON, reporting syntax errors with the file's line and column.
pub fn parse(file: &Path, text: &str) -> Result<Value> {
    if text.starts_with('\u{feff}') {
        return Err(Error::Json {
            file: file.to_path_buf(),
            line: 1,
            column: 1,
            message: "the file starts with a UTF-8 byte order mark (BOM), which JSON does not allow; \
                      save it without one"
                .into(),
        });
    }
    serde_json::from_str(text).map_err(|e| {
        // serde_json appends " at line L column C"; the error prints its own position.
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        Error::Json { file: file.to_path_buf(), line: e.line(), column: e.column(), message }
    })
}

/// The error for bytes that are not UTF-8, naming the offset of the first bad sequence.
pub fn not_utf8(file: &Path, e: std::str::Utf8Error) -> Error {
    Error::Schema {
        file: file.to_path_buf(),
        pointer: format!("byte {}", e.valid_up_to()),
        message: "file is not valid UTF-8".into(),
    }
}

/// "a string", "an object", ... for error messages of both readers.
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
