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
        /// Why it was skipped, in words an administrator can act on. (In the message, not the
        /// source chain: the CLI prints the chain, `{err:#}`, and would say it twice.)
        reason: Unreadable,
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
    /// The index directory holds no index at all (neither a `current` link nor a bare
    /// generation): build one.
    #[error("index {path}: no Paragraf index here; build one with `paragraf index`")]
    NoIndex {
        /// The index directory.
        path: PathBuf,
    },
    /// The directory holds a tantivy index whose last commit carries no Paragraf description.
    #[error("index {path}: not a Paragraf index (its last commit carries no description: {payload_error}); rebuild it with `paragraf index`")]
    NotParagrafIndex {
        /// The generation directory.
        path: PathBuf,
        /// Why the commit's payload does not read as a description (in the message, not the
        /// source chain, which the CLI prints too).
        payload_error: serde_json::Error,
    },
    /// The index's schema lacks one of Paragraf's fields.
    #[error("index {path}: schema lacks Paragraf's fields")]
    MissingFields {
        /// The generation directory.
        path: PathBuf,
    },
    /// The description of a build could not be written as the commit's payload.
    #[error("index {path}: {error}")]
    Describe {
        /// The index directory (empty when not known where the commit goes).
        path: PathBuf,
        /// The serialisation error (in the message, not the source chain).
        error: serde_json::Error,
    },
    /// The index was built by a Paragraf with another schema version: it is rebuilt, not
    /// misread. Match this variant to rebuild instead of opening the index a second time.
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

/// Why a file's content gives no minutes text, in words an administrator can act on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Unreadable {
    /// Nothing but white space.
    #[error("file is empty")]
    Empty,
    /// Larger than any file read
    /// ([`MAX_FILE_BYTES`](crate::archive::read::MAX_FILE_BYTES)).
    #[error("file is {} MiB, larger than the {} MiB limit for one meeting's minutes", .bytes / (1024 * 1024), .limit / (1024 * 1024))]
    TooLarge {
        /// The file's size in bytes.
        bytes: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// More text than one meeting's minutes can have
    /// ([`MAX_TEXT_BYTES`](crate::format::MAX_TEXT_BYTES)).
    #[error("file holds {} MiB of text, more than the {} MiB one meeting's minutes can have", .bytes / (1024 * 1024), .limit / (1024 * 1024))]
    TooMuchText {
        /// The text's size in bytes.
        bytes: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// A PDF given to the plain-text decoder.
    #[error("file is a PDF, not plain text; see crate::format::pdf")]
    PdfNotText,
    /// A ZIP container given to the plain-text decoder.
    #[error("file is a ZIP container, not plain text")]
    ZipNotText,
    /// NUL or many control bytes.
    #[error("file looks binary (NUL or control bytes), not minutes text")]
    Binary,
    /// A ZIP archive that is no DOCX.
    #[error("file is a ZIP archive without word/document.xml, so no DOCX; unpack it first")]
    ZipWithoutDocx,
    /// The format was read but gave no text.
    #[error("file is {0} with no text in it")]
    NoText(crate::format::Format),
    /// The PDF cannot be read or has no text layer.
    #[error(transparent)]
    Pdf(#[from] crate::format::pdf::PdfError),
    /// The DOCX cannot be read.
    #[error(transparent)]
    Docx(#[from] crate::format::docx::DocxError),
    /// The HTML nests too deep or takes too long.
    #[error(transparent)]
    Html(#[from] crate::format::html::HtmlError),
}

/// A result with the indexer's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
