//! The tantivy index: its schema and analyzers, the document of an item, the store of
//! generations on disk, the incremental update and the check.
//!
//! - [`schema`]: the only place that names tantivy fields ([`schema::Fields`]).
//! - [`analysis`]: the Swedish tokenizers every field uses.
//! - [`document`]: an [`Item`](crate::Item) as a tantivy document.
//! - [`store`]: generations, commit, open and the atomic swap of `current`.
//! - [`update`]: bringing an index up to date with its archive, or building it anew.
//! - [`check`]: `paragraf check`.

pub mod analysis;
pub mod check;
pub mod schema;
pub mod store;
