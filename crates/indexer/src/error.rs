//! The indexer's error type.

use std::path::PathBuf;

/// Everything that can go wrong between a file on disk and a committed index.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A file's content cannot be read as minutes text (empty, binary, too large).
    #[error("{path}: {reason}")]
    UnreadableFile {
        /// The file.
        path: PathBuf,
        /// Why it was skipped, in words an administrator can act on.
        reason: String,
    },
    /// The archive's manifest is malformed.
    #[error("manifest {path}: {message}")]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The path given does not exist.
    #[error("{0}: no such file or directory")]
    NotFound(PathBuf),
    /// The index directory holds no Paragraf index, or one that cannot be opened.
    #[error("index {path}: {message}")]
    Index {
        /// The index directory.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The index was built by a Paragraf with another schema version: it is rebuilt, not
    /// misread.
    #[error("index {path}: built with schema version {found}, this Paragraf reads version {expected}; rebuild it with `paragraf index`")]
    OutdatedSchema {
        /// The index directory (its generation).
        path: PathBuf,
        /// The schema version it was built with.
        found: u32,
        /// The schema version this Paragraf reads.
        expected: u32,
    },
    /// An error inside tantivy.
    #[error("tantivy: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// A result with the indexer's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
