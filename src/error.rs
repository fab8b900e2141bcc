//! The library's error type: failures that stop a command as a whole.
//!
//! Problems *in the content* are not errors: they are [`crate::diagnostics::Diagnostic`]s,
//! collected so every file is reported in one pass. An [`Error`] is for what makes the
//! run itself impossible: an unreadable configuration, an output folder we may not touch,
//! a theme that does not compile.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "no book.toml in {dir}\n  help: run `incidentbook init {dir}` to create one, or pass the book's folder"
    )]
    NoConfig { dir: PathBuf },

    #[error("{path}:{line}:{column}: {message}\n  help: {help}")]
    Config {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
        help: String,
    },

    #[error("environment variable {var}: {message}\n  help: {help}")]
    ConfigEnv {
        var: String,
        message: String,
        help: String,
    },

    #[error(
        "unsafe output folder {dest}: {reason}\n  help: set [build] build-dir in book.toml to a folder of its own, such as `book`"
    )]
    UnsafeOutput { dest: PathBuf, reason: String },

    #[error(
        "theme template {name}: {message}\n  help: fix the template in your theme folder, or delete it to use the default"
    )]
    Template { name: String, message: String },

    #[error(
        "two files of the site would be written to {path}: the second would replace the first\n  help: run `incidentbook check`, which names both sources"
    )]
    OutputCollision { path: String },

    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// Whether the failure is the user's configuration or invocation (exit code 2)
    /// rather than an environmental failure while building.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Error::NoConfig { .. }
                | Error::Config { .. }
                | Error::ConfigEnv { .. }
                | Error::UnsafeOutput { .. }
                | Error::Template { .. }
                | Error::Usage(_)
        )
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
