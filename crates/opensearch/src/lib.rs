//! # paragraf-opensearch
//!
//! Paragraf over an OpenSearch cluster (issue #21): the same parser, HTTP API, page and widget
//! when one machine is not enough, with replicas, shards and node failure handled by an engine
//! built for it.
//!
//! ## Brief overview
//!
//! - [`OpenSearchEngine`] implements `paragraf_query::SearchEngine`: searches on the ranking
//!   ladder of the tantivy engine as a `dis_max` with the same boosts ([`query`]), facets with
//!   exact counts, snippets, items with neighbours, did-you-mean and suggestions, the same JSON
//!   field by field.
//! - [`Indexer`] writes the index: incremental by file fingerprint, a rebuild into a new index
//!   swapped in by an alias, bulk requests with back-off on 429 ([`indexing`]).
//! - [`document`]: the mapping, and the item documents with Paragraf's own Swedish analysis
//!   computed here and sent pre-split.
//! - [`client`]: a small sync HTTP client with timeouts, TLS, basic auth or an API key, and
//!   failover over several nodes ([`config`]: the URLs, the login, the CA).
//!
//! ```no_run
//! use paragraf_opensearch::{ClusterConfig, OpenSearchEngine};
//! use paragraf_query::{SearchEngine, SearchRequest};
//!
//! let engine = OpenSearchEngine::new(&ClusterConfig::new("http://127.0.0.1:9201"));
//! for hit in engine.search(&SearchRequest::new("munskydd"))?.hits {
//!     println!("{} {}", hit.id, hit.snippet);
//! }
//! # Ok::<(), paragraf_query::Error>(())
//! ```
#![warn(missing_docs)]

pub mod client;
pub mod config;
pub mod document;
pub mod engine;
pub mod error;
pub mod indexing;
pub mod query;
pub mod state;

pub use client::Client;
pub use config::{CaCerts, ClusterConfig, DEFAULT_INDEX};
pub use document::IndexSettings;
pub use engine::OpenSearchEngine;
pub use error::{Error, Result};
pub use indexing::{IndexReport, Indexer};
