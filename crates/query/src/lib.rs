//! # paragraf-query
//!
//! The search core over a Paragraf index; the HTTP API that serves it is `paragraf-server`.
//!
//! ## Brief overview
//!
//! [`Engine`] opens an index built by `paragraf-indexer` and answers [`SearchRequest`]s with
//! hits, `<mark>`ed snippets and facet counts ([`SearchResponse`]). The modules go down from
//! the request to the index, none importing one above it:
//!
//! - [`request`], [`filter`], [`limits`]: what a search asks for, checked once at the edge;
//! - [`engine`]: the opened index; the search pass, item lookup, suggestions, health;
//! - [`plan`]: the words typed ([`query`]) become a tantivy query on the ranking ladder;
//! - [`scoring`]: BM25 over a word's forms and phrases of forms, tantivy queries of our own;
//! - [`facet`], [`snippet`], [`suggest`]: counts, snippets and suggestions;
//! - [`response`]: what comes back, with [`links`] to each item's meeting, case and source;
//!   [`error`]: what can fail;
//! - [`case`], [`cite`], [`meeting`], [`export`]: a case across meetings, the decisions an
//!   item cites, a meeting's items, a whole result as rows (issue #19), all built on the
//!   [`SearchEngine`] seam;
//! - [`eval`] measures relevance; `paragraf-server` serves it all over HTTP.
//!
//! ```no_run
//! use paragraf_query::{Engine, SearchRequest};
//!
//! let engine = Engine::open(std::path::Path::new("index"))?;
//! let req = SearchRequest::from_pairs([("q", "munskydd"), ("municipality", "Krokom")])?;
//! for hit in engine.search(&req)?.hits {
//!     println!("{} {:?} {}", hit.id, hit.meeting.date, hit.snippet);
//! }
//! # Ok::<(), paragraf_query::Error>(())
//! ```
#![warn(missing_docs)]

pub mod access;
pub mod backend;
pub mod case;
pub mod cite;
pub mod engine;
pub mod error;
pub mod eval;
pub mod export;
pub mod facet;
pub mod filter;
pub mod limits;
pub mod links;
pub mod meeting;
pub mod plan;
pub mod query;
pub mod request;
pub mod response;
pub mod scoring;
pub mod snippet;
pub mod suggest;

pub use access::Access;
pub use backend::SearchEngine;
pub use case::{Case, CaseItem, LinkedBy};
pub use engine::Engine;
pub use error::{Error, InternalError, Result};
pub use filter::{Area, CaseNumber, DateRange, Filters};
pub use limits::{DEFAULT_LIMIT, EXPORT_ROWS, MAX_DEPTH, MAX_LIMIT, MAX_QUERY_CHARS};
pub use links::ItemLinks;
pub use meeting::{MeetingItem, MeetingView};
pub use plan::words_query;
pub use query::UserQuery;
pub use request::{Analysis, SearchParams, SearchRequest, Sort};
pub use response::{
    FacetCount, Facets, Health, Hit, HitMeeting, HitMunicipality, ItemView, MatchMode, Neighbour,
    SearchResponse,
};
pub use suggest::{SuggestResponse, Suggestion, SuggestionKind};
