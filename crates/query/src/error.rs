//! The query crate's error type, split as milli splits it: errors in what the user asked for
//! (shown to them, HTTP 4xx) and internal errors (logged, shown vaguely, HTTP 500).

use crate::limits::{MAX_DEPTH, MAX_LIMIT, MAX_QUERY_CHARS};

/// Everything a search or item lookup can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A date parameter is not a date.
    #[error("{param}: {value:?} is not a date; write YYYY-MM-DD (or YYYY-MM, YYYY)")]
    InvalidDate {
        /// The parameter ("from", "to").
        param: &'static str,
        /// What was given.
        value: String,
    },
    /// A date parameter is a date the index cannot hold (before 1677-09-22 or after
    /// 2262-04-11: tantivy's nanosecond timestamps).
    #[error(
        "{param}: {value:?} is outside the dates the index can hold, 1677-09-22 to 2262-04-11"
    )]
    DateOutOfRange {
        /// The parameter ("from", "to").
        param: &'static str,
        /// What was given.
        value: String,
    },
    /// `from` is after `to`.
    #[error("from ({from}) is after to ({to})")]
    InvertedDateRange {
        /// The start given.
        from: String,
        /// The end given.
        to: String,
    },
    /// A municipality filter is neither a known name nor the SCB code of a municipality or a
    /// county.
    #[error("municipality: {0:?} is not a municipality name, a four-digit municipality code (2380) or a two-digit county code (23)")]
    InvalidMunicipality(String),
    /// `limit` is out of range.
    #[error("limit: {0} is out of range; use 1 to {max}", max = MAX_LIMIT)]
    InvalidLimit(usize),
    /// `offset` + `limit` reaches too deep into the results.
    #[error("offset: {0} is too deep; offset + limit may be at most {max}; narrow the search with filters instead", max = MAX_DEPTH)]
    OffsetTooDeep(usize),
    /// A parameter has a malformed value.
    #[error("{param}: {message}")]
    InvalidParameter {
        /// The parameter.
        param: String,
        /// What is wrong with it.
        message: String,
    },
    /// A parameter the route does not take: a misspelt filter would otherwise return
    /// unfiltered results without a word.
    #[error("{0}: no such parameter; /api/search takes q, municipality, speaker, body, case_number (or dnr), from, to, sort, limit and offset")]
    UnknownParameter(String),
    /// The query text is too long.
    #[error("q: the query is {0} characters long; at most {max} are allowed", max = MAX_QUERY_CHARS)]
    QueryTooLong(usize),
    /// No item has this id.
    #[error("no item with id {0:?}")]
    ItemNotFound(String),
    /// No item has this case number (nor cites an item that has it).
    #[error("no case {0:?} in the archive")]
    CaseNotFound(String),
    /// No item belongs to a meeting with this id.
    #[error("no meeting with id {0:?}")]
    MeetingNotFound(String),
    /// The search cluster (OpenSearch) cannot be reached or does not answer in time: the
    /// request may succeed later (HTTP 503).
    #[error("the search cluster is unavailable: {0}")]
    Unavailable(String),
    /// The index failed (I/O, corruption); details are logged, not shown. The
    /// [`InternalError`] says what failed and carries the underlying error as its source.
    #[error("index error: {0}")]
    Internal(#[from] InternalError),
}

/// What failed inside the engine: the index, not the request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InternalError {
    /// tantivy failed (reading a segment, a corrupt file).
    #[error(transparent)]
    Tantivy(#[from] tantivy::TantivyError),
    /// Opening the index failed (no index, an outdated schema).
    #[error(transparent)]
    Index(#[from] paragraf_indexer::Error),
    /// Reading a term dictionary failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// A document has no stored item.
    #[error("document {0} has no stored item")]
    NoStoredItem(String),
    /// A document's stored item is not an item.
    #[error("document {address}: stored item unreadable: {source}")]
    UnreadableItem {
        /// The document ("DocAddress { .. }").
        address: String,
        /// Why it does not read as an item.
        #[source]
        source: serde_json::Error,
    },
    /// A part of a segment cannot be opened: a file missing or corrupt ([`Engine::verify`]).
    ///
    /// [`Engine::verify`]: crate::Engine::verify
    #[error("segment {segment}: {source}")]
    Damaged {
        /// The segment's id.
        segment: String,
        /// What tantivy found.
        #[source]
        source: tantivy::TantivyError,
    },
    /// Files of the index whose content no longer matches their checksum
    /// ([`Engine::validate_checksums`]).
    ///
    /// [`Engine::validate_checksums`]: crate::Engine::validate_checksums
    #[error("files whose checksum does not match: {}", list_paths(.0))]
    CorruptFiles(Vec<std::path::PathBuf>),
    /// The search cluster answered with an error or with something Paragraf cannot read.
    #[error("search cluster: {0}")]
    Cluster(String),
    /// A segment holds more facet values than fit the engine's counters.
    #[error("too many facet values in one segment: {0}")]
    TooManyValues(#[from] std::num::TryFromIntError),
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Error {
        Error::Internal(InternalError::Tantivy(e))
    }
}

impl From<paragraf_indexer::Error> for Error {
    fn from(e: paragraf_indexer::Error) -> Error {
        Error::Internal(InternalError::Index(e))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::Internal(InternalError::Io(e))
    }
}

fn list_paths(paths: &[std::path::PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    names.join(", ")
}

impl Error {
    /// Whether the error is the index's files being missing, unreadable or corrupt (not the
    /// request, nor a bug): the server answers it with 503 `index_damaged`, and `serve`
    /// refuses to start on such an index.
    pub fn is_index_damage(&self) -> bool {
        use tantivy::TantivyError as T;
        match self {
            Error::Internal(
                InternalError::Damaged { .. }
                | InternalError::CorruptFiles(_)
                | InternalError::Io(_),
            ) => true,
            Error::Internal(InternalError::Tantivy(e)) => matches!(
                e,
                T::DataCorruption(_)
                    | T::OpenReadError(_)
                    | T::OpenDirectoryError(_)
                    | T::IoError(_)
            ),
            _ => false,
        }
    }
}

/// A result with the query crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn internal_errors_keep_their_source() {
        let err = Error::from(tantivy::TantivyError::InvalidArgument("bad segment".into()));
        assert_eq!(
            err.to_string(),
            "index error: An invalid argument was passed: 'bad segment'"
        );
        assert!(matches!(
            err,
            Error::Internal(InternalError::Tantivy(
                tantivy::TantivyError::InvalidArgument(_)
            ))
        ));
        assert!(err.source().is_some());

        let json = serde_json::from_str::<u32>("x").expect_err("not a number");
        let err = Error::from(InternalError::UnreadableItem {
            address: "DocAddress { segment_ord: 0, doc_id: 7 }".into(),
            source: json,
        });
        assert_eq!(
            err.to_string(),
            "index error: document DocAddress { segment_ord: 0, doc_id: 7 }: stored item unreadable: expected value at line 1 column 1"
        );
        let source = err.source().and_then(|s| s.source()).map(|s| s.to_string());
        assert_eq!(source.as_deref(), Some("expected value at line 1 column 1"));
    }
}
