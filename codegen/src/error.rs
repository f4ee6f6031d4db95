//! The one error type of the library. Every variant names the file and the place
//! in it (a JSON pointer, a line and column, or a Smithy shape id), so a user can
//! go straight to the bad spot.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The OS error is part of the message, not a `source`: shown once, not twice.
    #[error("{}: cannot read: {}", OneLine(&.file.to_string_lossy()), OneLine(&.error.to_string()))]
    Io { file: PathBuf, error: std::io::Error },

    /// An output file or folder could not be written, renamed or removed.
    #[error("{}: cannot write: {}", OneLine(&.file.to_string_lossy()), OneLine(&.error.to_string()))]
    Write { file: PathBuf, error: std::io::Error },

    /// Ctrl-C before the commit began: nothing below the output folder changed.
    #[error("{}: interrupted before the commit began; nothing in the output folder changed", OneLine(&.dir.to_string_lossy()))]
    Interrupted { dir: PathBuf },

    #[error("{}:{line}:{column}: invalid JSON: {}", OneLine(&.file.to_string_lossy()), OneLine(.message))]
    Json { file: PathBuf, line: usize, column: usize, message: String },

    /// The document parsed but does not follow the spec format at `pointer`.
    #[error("{}: at {}: {}", OneLine(&.file.to_string_lossy()), OneLine(.pointer), OneLine(.message))]
    Schema { file: PathBuf, pointer: String, message: String },

    /// A Smithy shape is wrong or points at a shape that does not exist.
    #[error("{}: shape {}: {}", OneLine(&.file.to_string_lossy()), OneLine(.shape), OneLine(.message))]
    Shape { file: PathBuf, shape: String, message: String },

    /// Two source names map to the same generated name.
    #[error("name collision: {} and {} both become `{}`", OneLine(.first), OneLine(.second), OneLine(.name))]
    Collision { name: String, first: String, second: String },

    /// The spec directory lacks inputs.
    #[error("{}: {}", OneLine(&.dir.to_string_lossy()), OneLine(.message))]
    MissingInput { dir: PathBuf, message: String },

    /// An output file exists that the generator does not own.
    #[error("{}: {}", OneLine(&.file.to_string_lossy()), OneLine(.message))]
    Output { file: PathBuf, message: String },

    /// As with `Io`, the cause is in the message only, so that it is printed once.
    #[error("template {template}: {}", OneLine(&.error.to_string()))]
    Template { template: &'static str, error: askama::Error },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Text from an input (a key, a shape id, a file name) shown in an error: control
/// characters and line separators are escaped (`\n`), so that every error stays one line.
struct OneLine<'a>(&'a str);

impl std::fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write;
        for c in self.0.chars() {
            if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
                write!(f, "{}", c.escape_default())?;
            } else {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}

/// Escapes one JSON pointer token (RFC 6901).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
