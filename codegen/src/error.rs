//! The one error type of the library. Every variant names the file and the place
//! in it (a JSON pointer, a line and column, or a Smithy shape id), so a user can
//! go straight to the bad spot.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{file}:{line}:{column}: invalid JSON: {message}")]
    Json { file: PathBuf, line: usize, column: usize, message: String },

    /// The document parsed but does not follow the spec format at `pointer`.
    #[error("{file}: at {pointer}: {message}")]
    Schema { file: PathBuf, pointer: String, message: String },

    /// A Smithy shape is wrong or points at a shape that does not exist.
    #[error("{file}: shape {shape}: {message}")]
    Shape { file: PathBuf, shape: String, message: String },

    /// Two source names map to the same generated name.
    #[error("name collision: {first} and {second} both become `{name}`")]
    Collision { name: String, first: String, second: String },

    /// The spec directory lacks inputs.
    #[error("{dir}: {message}")]
    MissingInput { dir: PathBuf, message: String },

    /// An output file exists that the generator does not own.
    #[error("{file}: {message}")]
    Output { file: PathBuf, message: String },

    #[error("template {template}: {source}")]
    Template {
        template: &'static str,
        #[source]
        source: askama::Error,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Escapes one JSON pointer token (RFC 6901).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
