//! The query crate's error type, split as milli splits it: errors in what the user asked for
//! (shown to them, HTTP 4xx) and internal errors (logged, shown vaguely, HTTP 500).

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
    /// `from` is after `to`.
    #[error("from ({from}) is after to ({to})")]
    InvertedDateRange {
        /// The start given.
        from: String,
        /// The end given.
        to: String,
    },
    /// A municipality filter is neither a known name nor a well-formed SCB code.
    #[error("municipality: {0:?} is not a municipality name, a four-digit municipality code (2380) or a two-digit county code (23)")]
    InvalidMunicipality(String),
    /// `limit` is out of range.
    #[error("limit: {0} is out of range; use 1 to {max}", max = crate::search::MAX_LIMIT)]
    InvalidLimit(usize),
    /// `offset` + `limit` reaches too deep into the results.
    #[error("offset: {0} is too deep; offset + limit may be at most {max}; narrow the search with filters instead", max = crate::search::MAX_DEPTH)]
    OffsetTooDeep(usize),
    /// A parameter has a malformed value.
    #[error("{param}: {message}")]
    InvalidParameter {
        /// The parameter.
        param: String,
        /// What is wrong with it.
        message: String,
    },
    /// The query text is too long.
    #[error("q: the query is {0} characters long; at most {max} are allowed", max = crate::search::MAX_QUERY_CHARS)]
    QueryTooLong(usize),
    /// No item has this id.
    #[error("no item with id {0:?}")]
    ItemNotFound(String),
    /// The index failed (I/O, corruption); details are logged, not shown.
    #[error("index error: {0}")]
    Internal(String),
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Error {
        Error::Internal(e.to_string())
    }
}

impl From<paragraf_indexer::Error> for Error {
    fn from(e: paragraf_indexer::Error) -> Error {
        Error::Internal(e.to_string())
    }
}

/// A result with the query crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
