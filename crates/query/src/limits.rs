//! The bounds a request is checked against, shared by request checking, the engine and the
//! error messages.

/// Largest `limit` a request may ask for.
pub const MAX_LIMIT: usize = 100;
/// Deepest result a request may reach (`offset + limit`).
pub const MAX_DEPTH: usize = 1000;
/// Most rows an export (`/api/search.csv`, `.jsonl`) reaches (issue #19), paging with
/// [`MAX_LIMIT`] hits at a time.
pub const EXPORT_ROWS: usize = 10_000;
/// Longest query text, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// Default number of hits.
pub const DEFAULT_LIMIT: usize = 10;
