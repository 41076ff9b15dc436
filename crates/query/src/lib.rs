//! # paragraf-query
//!
//! The search core over a Paragraf index; the HTTP API that serves it is `paragraf-server`.
//!
//! ## Brief overview
//!
//! [`search::Engine`] opens an index built by `paragraf-indexer` and answers
//! [`search::SearchRequest`]s with hits, `<mark>`ed snippets and facet counts; [`query`] is the
//! query language people type; [`filter`] checks facet and date filters; `paragraf_server::router`
//! serves it all with axum.
//!
//! ```no_run
//! use paragraf_query::search::{Engine, SearchRequest};
//!
//! let engine = Engine::open(std::path::Path::new("index"))?;
//! let req = SearchRequest::from_pairs([("q", "munskydd"), ("municipality", "Krokom")])?;
//! for hit in engine.search(&req)?.hits {
//!     println!("{} {:?} {}", hit.id, hit.meeting.date, hit.snippet);
//! }
//! # Ok::<(), paragraf_query::error::Error>(())
//! ```
#![warn(missing_docs)]

pub mod error;
pub mod eval;
pub mod facet;
pub mod filter;
pub mod forms;
pub mod phrase;
pub mod query;
pub mod search;
pub mod suggest;

pub use error::{Error, Result};
pub use search::Engine;
