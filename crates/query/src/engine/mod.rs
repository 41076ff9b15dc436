//! The engine: an opened index answering searches ([`Engine::search`]), item lookups
//! ([`Engine::item`]), suggestions ([`Engine::suggest`]) and health checks
//! ([`Engine::health`]), one file each. No HTTP types here: the CLI and the HTTP API share it.
//!
//! Each request goes down the crate: [`crate::request`] is checked, [`crate::plan`] makes
//! the tantivy query, [`crate::filter`] adds the filters, the engine runs it over the segments
//! and [`crate::facet`] and [`crate::snippet`] shape the [`crate::response`].

mod audience;

pub(crate) use audience::Audience;
mod facets;
mod health;
mod item;
mod search;
mod suggest;

#[cfg(test)]
pub(crate) mod fixture;

use std::sync::Arc;

use paragraf_indexer::index::schema::Fields;
use paragraf_indexer::{IndexInfo, OpenIndex};
use tantivy::collector::Collector;
use tantivy::query::{EnableScoring, Query};
use tantivy::{Executor, IndexReader, ReloadPolicy, Searcher};

use crate::access::Access;
use crate::error::{Error, Result};
use crate::facet::Columns;
use crate::filter::{Aliases, Dimension, Filters};
use crate::plan::Planner;

/// A searchable index: the reader and searchers are reused across requests.
pub struct Engine {
    index: OpenIndex,
    reader: IndexReader,
    /// Speaker and body names of the index, to accept any spelling variant or case in
    /// filters.
    aliases: Aliases,
    /// What the public sees (public items only) and what a request with internal access
    /// sees (every item), each with its vocabulary of names for suggestions (issue #20).
    public: Audience,
    everyone: Audience,
    /// Each segment's facet values and sort keys, read once (shared with the tie-break of
    /// every search).
    columns: Arc<Columns>,
    planner: Planner,
    /// A thread per core for the passes over an index of several segments (see [`Engine::pass`]);
    /// `None` on one core.
    executor: Option<Executor>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// Opens the index in a directory.
    pub fn open(dir: &std::path::Path) -> Result<Engine> {
        Engine::from_index(paragraf_indexer::open(dir)?)
    }

    /// Wraps an opened index.
    pub fn from_index(index: OpenIndex) -> Result<Engine> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let executor = if cores > 1 {
            Some(Executor::multi_thread(cores, "paragraf-search-")?)
        } else {
            None
        };
        let reader = index
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let mut engine = Engine {
            planner: Planner::new(index.fields),
            index,
            reader,
            aliases: Aliases::default(),
            public: Audience::default(),
            everyone: Audience::default(),
            columns: Arc::default(),
            executor,
        };
        let searcher = engine.reader.searcher();
        engine.columns = Arc::new(Columns::load(
            &searcher,
            &Fields::facet_names(),
            Fields::sort_key_name(),
        )?);
        engine.verify()?;
        let fields = engine.index.fields;
        engine.public = Audience::build(&searcher, &fields, Access::Public)?;
        engine.everyone = Audience::build(&searcher, &fields, Access::Internal)?;
        engine.read_vocabulary(&searcher)?;
        Ok(engine)
    }

    /// Wraps a tantivy index with Paragraf's schema that lives nowhere on disk (built in RAM,
    /// for tests): Paragraf's analyzers are registered on it and `info` describes it.
    /// [`Engine::is_stale`] is then always false and [`Engine::size_on_disk`] 0.
    pub fn from_tantivy(index: tantivy::Index, info: IndexInfo) -> Result<Engine> {
        paragraf_indexer::index::analysis::register(index.tokenizers());
        let fields = Fields::from_schema(&index.schema()).ok_or_else(|| {
            Error::from(paragraf_indexer::Error::MissingFields {
                path: std::path::PathBuf::new(),
            })
        })?;
        let opstamp = index.load_metas()?.opstamp;
        Engine::from_index(OpenIndex {
            index,
            fields,
            info,
            path: std::path::PathBuf::new(),
            opstamp,
        })
    }

    /// Whether the index in `dir` has changed since this engine opened it (a new commit or a
    /// new generation).
    pub fn is_stale(&self, dir: &std::path::Path) -> bool {
        match paragraf_indexer::index::store::current_generation(dir) {
            Ok(generation) => {
                generation != self.index.path
                    || paragraf_indexer::index::store::committed_opstamp(&generation)
                        .is_some_and(|o| o != self.index.opstamp)
            }
            Err(_) => false,
        }
    }

    /// Bytes the index's files take on disk.
    pub fn size_on_disk(&self) -> u64 {
        std::fs::read_dir(&self.index.path)
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| e.metadata().ok())
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    }

    /// When the index's last commit was made (seconds since 1970).
    pub fn committed_at(&self) -> u64 {
        self.index.info.committed_at
    }

    /// One pass of a search over the matches. An index of several segments (a large archive,
    /// or one updated since its build) is searched a segment per core, so one search gets the
    /// idle cores (under load the pool keeps the work at a thread per core); an index of one
    /// segment is searched on the calling thread, as handing one segment to the pool costs more
    /// than a small search.
    ///
    /// Scores are counted with the statistics of what the audience sees
    /// ([`audience::Stats`]), so that items it cannot see weigh in no idf.
    fn pass<C: Collector>(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        collector: &C,
        audience: &Audience,
    ) -> tantivy::Result<C::Fruit> {
        let stats = audience.stats(searcher);
        match &self.executor {
            Some(executor) if searcher.segment_readers().len() > 1 => {
                let scoring = if collector.requires_scoring() {
                    EnableScoring::enabled_from_statistics_provider(&stats, searcher)
                } else {
                    EnableScoring::disabled_from_searcher(searcher)
                };
                searcher.search_with_executor(query, collector, executor, scoring)
            }
            _ => searcher.search_with_statistics_provider(query, collector, &stats),
        }
    }

    /// What a request with this access sees.
    fn audience(&self, access: Access) -> &Audience {
        if access.sees_internal() {
            &self.everyone
        } else {
            &self.public
        }
    }

    /// The text query ANDed with every filter except `skip`, restricted to what the audience
    /// sees: every pass of a search (its matches and each facet) goes through here.
    fn with_filters(
        &self,
        text: Box<dyn Query>,
        filters: &Filters,
        skip: Option<Dimension>,
        audience: &Audience,
    ) -> Box<dyn Query> {
        audience.restrict(crate::filter::with_filters(
            text,
            filters,
            skip,
            &self.index.fields,
            &self.aliases,
        ))
    }
}
