//! Scoring of the query parts tantivy has no query for: BM25 shared by several terms
//! ([`bm25`]), a word's forms as one term ([`forms`]) and phrases of word forms ([`phrase`]).

pub mod bm25;
pub mod forms;
pub mod phrase;
