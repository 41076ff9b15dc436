//! What talking to the cluster can fail with.

/// An error of the OpenSearch engine or indexer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The cluster cannot be reached (connection refused, DNS, TLS) or did not answer within
    /// the timeout, or it answered 502/503/504: the operation may succeed later.
    #[error("cannot reach OpenSearch at {url}: {reason}")]
    Unavailable {
        /// The URL asked.
        url: String,
        /// What happened.
        reason: String,
    },
    /// The cluster refused the request (a 4xx or 5xx other than the above), with its reason.
    #[error("OpenSearch refused {what} ({status}): {reason}")]
    Refused {
        /// What was asked ("PUT /paragraf-1764").
        what: String,
        /// The HTTP status.
        status: u16,
        /// The cluster's reason, or the start of its body.
        reason: String,
    },
    /// An answer that does not read as Paragraf expects.
    #[error("unexpected answer from OpenSearch to {what}: {reason}")]
    Unexpected {
        /// What was asked.
        what: String,
        /// What is wrong with the answer.
        reason: String,
    },
    /// The cluster configuration is wrong (a URL that is not http(s), a CA file that holds no
    /// certificate): fix the flag or variable it names.
    #[error("{0}")]
    Config(String),
    /// The index (alias) does not exist yet.
    #[error(
        "no Paragraf index {0:?} in the cluster; run `paragraf index --engine opensearch` first"
    )]
    NoIndex(String),
    /// Reading or parsing the archive failed.
    #[error(transparent)]
    Archive(#[from] paragraf_indexer::Error),
}

/// A result with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl From<Error> for paragraf_query::Error {
    fn from(e: Error) -> paragraf_query::Error {
        match e {
            Error::Unavailable { .. } => paragraf_query::Error::Unavailable(e.to_string()),
            other => paragraf_query::Error::Internal(paragraf_query::InternalError::Cluster(
                other.to_string(),
            )),
        }
    }
}
