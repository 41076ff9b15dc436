//! What `run` writes for one corpus and `report` reads.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::stats::{Latency, Spread};

/// Every figure for one corpus.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CorpusResult {
    /// Short name (`20k`).
    pub label: String,
    /// Where the corpus came from.
    pub source: String,
    /// Items Paragraf parsed (the same documents go to the peers).
    pub items: u64,
    /// Minutes files.
    pub files: u64,
    /// Bytes of the minutes files (the indexing input).
    pub text_bytes: u64,
    /// Cores used.
    pub threads: usize,
    pub paragraf: EngineResult,
    pub postgres: Option<EngineResult>,
    pub sqlite: Option<EngineResult>,
}

/// One engine's figures on one corpus.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EngineResult {
    /// Engine and version.
    pub version: String,
    /// Seconds to index, over repeated runs.
    pub index_seconds: Spread,
    /// Of those, seconds spent parsing minutes files (Paragraf only).
    pub parse_seconds: Option<Spread>,
    /// Bytes on disk of the index (for the peers: table, TOAST and indexes).
    pub index_bytes: u64,
    /// Peak resident memory of the indexing process (Paragraf only).
    pub index_peak_rss: Option<u64>,
    /// Sequential latency over the query set.
    pub latency: Latency,
    /// Median latency by class of query.
    pub latency_by_class: BTreeMap<String, Latency>,
    /// Throughput at 1, 8, 64 concurrent clients.
    pub load: Vec<LoadLevel>,
    /// Server memory after the load (Paragraf only): peak, resident, anonymous.
    pub server_memory: Option<ServerMemory>,
    /// Hits of the first hit page per query (a sanity check that engines do similar work).
    pub totals: BTreeMap<String, u64>,
    /// What the figures include.
    pub notes: Vec<String>,
}

/// One concurrency level of a load run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LoadLevel {
    pub clients: usize,
    pub requests: u64,
    pub errors: u64,
    pub seconds: f64,
    pub rps: f64,
    pub latency: Latency,
}

/// Memory of the server process, bytes.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ServerMemory {
    /// `VmHWM`: peak resident set, file pages included.
    pub peak_rss: u64,
    /// `VmRSS` after the load.
    pub rss: u64,
    /// `RssAnon`: heap and stacks (what the process itself allocated).
    pub anon: u64,
    /// `RssFile`: pages of the memory-mapped index (reclaimable page cache).
    pub file: u64,
}
