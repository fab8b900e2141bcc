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

    #[error("content folder {dir} {reason}\n  help: {help}")]
    ContentDir {
        dir: PathBuf,
        reason: &'static str,
        help: &'static str,
    },

    #[error(
        "[build] ignore pattern `{pattern}` is not a valid glob: {message}\n  help: patterns are globs such as `drafts/**` or `*.tmp`"
    )]
    IgnorePattern { pattern: String, message: String },

    #[error(
        "search index {place}: {message}\n  help: build again with --no-cache to make the index anew"
    )]
    SearchIndex { place: String, message: String },

    #[error(
        "cannot listen on {address}: {source}\n  help: choose another port with -p, or -p 0 for any free one"
    )]
    Listen {
        address: String,
        #[source]
        source: std::io::Error,
    },

    #[error("{action}: {source}")]
    Server {
        action: &'static str,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "cannot watch {path} for changes: {message}\n  help: serve without --watch, or raise the system's limit on watched files (fs.inotify.max_user_watches)"
    )]
    Watch { path: PathBuf, message: String },

    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A command used in a way it cannot be: an unknown code to explain, a title
    /// that makes no file name, a folder `init` may not fill.
    #[error("{0}")]
    Usage(String),
}

/// The exit codes, as the README gives them.
pub mod exit {
    /// Nothing wrong.
    pub const SUCCESS: u8 = 0;
    /// Problems in the content: errors among the diagnostics.
    pub const CONTENT: u8 = 1;
    /// The command or the configuration is wrong: nothing was tried.
    pub const USAGE: u8 = 2;
    /// The machine failed the command: a file that could not be read or written, the
    /// search index, the server or the watcher.
    pub const ENVIRONMENT: u8 = 3;
}

impl Error {
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// The exit code of a command that ends with this error: the user's configuration
    /// or invocation (`exit::USAGE`), or the machine (`exit::ENVIRONMENT`).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::NoConfig { .. }
            | Error::Config { .. }
            | Error::ConfigEnv { .. }
            | Error::UnsafeOutput { .. }
            | Error::Template { .. }
            | Error::ContentDir { .. }
            | Error::IgnorePattern { .. }
            | Error::Usage(_) => exit::USAGE,
            Error::OutputCollision { .. }
            | Error::SearchIndex { .. }
            | Error::Listen { .. }
            | Error::Server { .. }
            | Error::Watch { .. }
            | Error::Io { .. } => exit::ENVIRONMENT,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
