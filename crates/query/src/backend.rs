//! The engine seam: what the HTTP API, page, widget and CLI ask of a search engine
//! ([`SearchEngine`]), so that Paragraf's own tantivy [`Engine`] and an OpenSearch cluster
//! (`paragraf-opensearch`, issue #21) serve the same JSON.
//!
//! ```no_run
//! use std::sync::Arc;
//!
//! use paragraf_query::{Engine, SearchEngine, SearchRequest};
//!
//! let engine: Arc<dyn SearchEngine> = Arc::new(Engine::open(std::path::Path::new("index"))?);
//! let found = engine.search(&SearchRequest::new("munskydd"))?;
//! assert_eq!(found.query, "munskydd");
//! # Ok::<(), paragraf_query::Error>(())
//! ```

use std::path::Path;
use std::sync::Arc;

use crate::access::Access;
use crate::engine::Engine;
use crate::error::Result;
use crate::request::SearchRequest;
use crate::response::{Health, ItemView, SearchResponse};
use crate::suggest::SuggestResponse;

/// A search engine Paragraf can serve: searches, items, suggestions and health, with the same
/// request and response types whatever answers them. A cluster that cannot be reached answers
/// [`crate::Error::Unavailable`], within a bounded time.
///
/// Every call says who asks ([`Access`]: [`SearchRequest::access`] for a search) and the
/// engine itself keeps to it (issue #20): a public call sees, counts, suggests and finds
/// public items only, and an internal item is [`crate::Error::ItemNotFound`] to it, as a
/// missing one.
pub trait SearchEngine: Send + Sync {
    /// Runs a search.
    fn search(&self, req: &SearchRequest) -> Result<SearchResponse>;
    /// The item with this id and its neighbours in the meeting.
    fn item(&self, id: &str, access: Access) -> Result<ItemView>;
    /// Suggestions for what is being typed.
    fn suggest(&self, q: &str, limit: usize, access: Access) -> Result<SuggestResponse>;
    /// What the index holds, of what `access` may see.
    fn health(&self, access: Access) -> Result<Health>;
    /// Bytes the index takes on this machine's disk (0 when it lives elsewhere).
    fn size_on_disk(&self) -> u64 {
        0
    }
    /// When the index's last commit was made (seconds since 1970; 0 when unknown).
    fn committed_at(&self) -> u64 {
        0
    }
    /// Whether the index in `dir` on disk has changed since this engine opened it; an engine
    /// not served from a directory is never stale.
    fn is_stale(&self, _dir: &Path) -> bool {
        false
    }
    /// Reads every file of the index against its checksum, to tell a damaged index from a bug
    /// after a search failed (issue #17); an engine whose files live elsewhere has none to
    /// check.
    fn validate_checksums(&self) -> Result<()> {
        Ok(())
    }
}

impl SearchEngine for Engine {
    fn search(&self, req: &SearchRequest) -> Result<SearchResponse> {
        Engine::search(self, req)
    }

    fn item(&self, id: &str, access: Access) -> Result<ItemView> {
        Engine::item(self, id, access)
    }

    fn suggest(&self, q: &str, limit: usize, access: Access) -> Result<SuggestResponse> {
        Engine::suggest(self, q, limit, access)
    }

    fn health(&self, access: Access) -> Result<Health> {
        Ok(Engine::health(self, access))
    }

    fn size_on_disk(&self) -> u64 {
        Engine::size_on_disk(self)
    }

    fn committed_at(&self) -> u64 {
        Engine::committed_at(self)
    }

    fn is_stale(&self, dir: &Path) -> bool {
        Engine::is_stale(self, dir)
    }

    fn validate_checksums(&self) -> Result<()> {
        Engine::validate_checksums(self)
    }
}

impl<T: SearchEngine + ?Sized> SearchEngine for Arc<T> {
    fn search(&self, req: &SearchRequest) -> Result<SearchResponse> {
        (**self).search(req)
    }

    fn item(&self, id: &str, access: Access) -> Result<ItemView> {
        (**self).item(id, access)
    }

    fn suggest(&self, q: &str, limit: usize, access: Access) -> Result<SuggestResponse> {
        (**self).suggest(q, limit, access)
    }

    fn health(&self, access: Access) -> Result<Health> {
        (**self).health(access)
    }

    fn size_on_disk(&self) -> u64 {
        (**self).size_on_disk()
    }

    fn committed_at(&self) -> u64 {
        (**self).committed_at()
    }

    fn is_stale(&self, dir: &Path) -> bool {
        (**self).is_stale(dir)
    }

    fn validate_checksums(&self) -> Result<()> {
        (**self).validate_checksums()
    }
}
