//! Command-line arguments: clap types live here and nowhere else (STYLE.md § 8). Each is
//! checked and turned into the plain configuration the libraries take.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use paragraf_indexer::Date;
use paragraf_query::{filter, Area, CaseNumber};

/// Paragraf: search Swedish meeting minutes by agenda item, speaker, municipality and date.
#[derive(Debug, Parser)]
#[command(name = "paragraf", version, about, long_about = None)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Split minutes into agenda items and print them as JSON Lines (one object per item).
    Parse {
        /// Minutes files or directories; a manifest.toml beside them is picked up.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Build (or rebuild) the search index from an archive of minutes.
    Index {
        /// Minutes files or directories.
        #[arg(default_value = "index-data")]
        paths: Vec<PathBuf>,
        /// Index directory.
        #[arg(long, env = "PARAGRAF_INDEX", default_value = "index")]
        index: PathBuf,
        /// Indexing threads (default: all cores; a build of a small archive uses one per 8 MB
        /// of text).
        #[arg(long, env = "PARAGRAF_THREADS")]
        threads: Option<usize>,
        /// Index every file anew into a new generation, even when the index is up to date.
        #[arg(long)]
        rebuild: bool,
    },
    /// Verify an index (every file's checksum, every segment, the item count) and compare it
    /// with the archive; exit code 1 when something needs attention.
    Check {
        /// Minutes files or directories to compare the index with.
        #[arg(default_value = "index-data")]
        paths: Vec<PathBuf>,
        /// Index directory.
        #[arg(long, env = "PARAGRAF_INDEX", default_value = "index")]
        index: PathBuf,
    },
    /// Serve the search API and page; builds the index from --archive first when it is missing
    /// or was built by another version of Paragraf.
    Serve {
        /// Index directory.
        #[arg(long, env = "PARAGRAF_INDEX", default_value = "index")]
        index: PathBuf,
        /// Address to listen on; 127.0.0.1 unless told otherwise.
        #[arg(long, env = "PARAGRAF_LISTEN", default_value = "127.0.0.1:7700")]
        listen: SocketAddr,
        /// Archive to index when the index is missing or outdated.
        #[arg(long, env = "PARAGRAF_ARCHIVE", default_value = "index-data")]
        archive: Vec<PathBuf>,
        /// Origin allowed to call the API from a browser (repeatable), e.g. https://intranet.example.se.
        #[arg(
            long = "cors-origin",
            env = "PARAGRAF_CORS_ORIGINS",
            value_delimiter = ','
        )]
        cors_origins: Vec<String>,
    },
    /// Search the index from the terminal; without a query, list the items the filters select,
    /// newest first.
    Search {
        /// The query: words (all must match), "exact phrases", -exclusion, prefix*. Leave it out
        /// to list items by date.
        query: Option<String>,
        /// Index directory.
        #[arg(long, env = "PARAGRAF_INDEX", default_value = "index")]
        index: PathBuf,
        /// Only items concerning this municipality (name or SCB code; county code for a county). Repeatable.
        #[arg(long, value_parser = area)]
        municipality: Vec<Area>,
        /// Only items this person presented or spoke in. Repeatable.
        #[arg(long)]
        speaker: Vec<String>,
        /// Only items of this body. Repeatable.
        #[arg(long)]
        body: Vec<String>,
        /// Only items with this case number (Dnr): "KS 2013/123", or "2013/123". Repeatable.
        #[arg(long = "case-number", visible_alias = "dnr", value_parser = case_number)]
        case_number: Vec<CaseNumber>,
        /// Only meetings on or after this date: YYYY-MM-DD, YYYY-MM (its first day) or YYYY.
        #[arg(long, value_parser = from_date)]
        from: Option<Date>,
        /// Only meetings on or before this date: YYYY-MM-DD, YYYY-MM (its last day) or YYYY.
        #[arg(long, value_parser = to_date)]
        to: Option<Date>,
        /// Order of the results (default: relevance for words, date for a listing).
        #[arg(long, value_enum)]
        sort: Option<SortArg>,
        /// Number of results.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print JSON Lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Measure relevance: run judged queries and print recall@10, MRR and nDCG@10 per
    /// phenomenon for plain words, stemming only and the full analysis.
    Eval {
        /// The judged queries (TOML, see tests/relevance/queries.toml).
        #[arg(long, default_value = "tests/relevance/queries.toml")]
        set: PathBuf,
        /// Index to evaluate; when absent one is built from --archive in a temporary directory.
        #[arg(long)]
        index: Option<PathBuf>,
        /// Archive to build the index from.
        #[arg(long, default_value = "index-data")]
        archive: Vec<PathBuf>,
        /// Also print each query's scores with the full analysis.
        #[arg(long)]
        verbose: bool,
    },
}

/// Result order.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    /// Best match first.
    Relevance,
    /// Newest meeting first.
    Date,
}

// Filter values are checked by the query crate's own parsers, so the terminal and the API
// accept and refuse the same values with the same words.

fn area(value: &str) -> Result<Area, String> {
    Area::parse(value).map_err(|e| e.to_string())
}

fn case_number(value: &str) -> Result<CaseNumber, String> {
    CaseNumber::parse(value).map_err(|e| e.to_string())
}

fn from_date(value: &str) -> Result<Date, String> {
    filter::parse_date("from", value, false).map_err(|e| e.to_string())
}

fn to_date(value: &str) -> Result<Date, String> {
    filter::parse_date("to", value, true).map_err(|e| e.to_string())
}

impl From<SortArg> for paragraf_query::Sort {
    fn from(sort: SortArg) -> Self {
        match sort {
            SortArg::Relevance => paragraf_query::Sort::Relevance,
            SortArg::Date => paragraf_query::Sort::Date,
        }
    }
}
