//! # paragraf-bench
//!
//! The benchmark harness of issue #7: indexing throughput, query latency and HTTP load of
//! Paragraf, side by side with PostgreSQL full-text search (`swedish` configuration, GIN) and
//! SQLite FTS5, on the same items. `scripts/bench` is the one command; it runs
//! `paragraf-bench run` once per corpus and `paragraf-bench report` at the end.
//!
//! ```text
//! paragraf-bench run --corpus DIR --label 20k --work DIR --out bench/results/20k.json [--pg CONN]
//! paragraf-bench report bench/results/*.json --out bench/RESULTS.md --chart bench/latency.svg
//! paragraf-bench index --minutes DIR --index DIR [--dump items.jsonl]   (a child of `run`)
//! paragraf-bench serve --index DIR                                     (a child of `run`)
//! paragraf-bench latency --index DIR [--seconds 10]    (each query's figures, for profiling)
//! paragraf-bench latency --index DIR --opensearch-url URL --beside   (both engines, same run)
//! ```
//!
//! Timings are printed and written, never asserted: the machines are shared and noisy.

// A command-line harness: its output is its purpose.
#![allow(clippy::print_stdout)]

mod analysis;
mod beside;
mod load;
mod paragraf;
mod peer_pg;
mod peer_sqlite;
mod queries;
mod report;
mod results;
mod stats;
mod threads;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "paragraf-bench",
    about = "Benchmarks Paragraf against PostgreSQL and SQLite"
)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// What the full Swedish analysis costs against stemming only, indexing and queries
    /// (issue #6); prints a Markdown table.
    Analysis(analysis::AnalysisArgs),
    /// Every measurement for one corpus; writes one results JSON.
    Run(run::RunArgs),
    /// Builds an index from minutes files and prints its figures as JSON (a child of `run`,
    /// so that its peak memory is its own).
    Index {
        /// Directory of minutes files.
        #[arg(long)]
        minutes: PathBuf,
        /// Index directory to build.
        #[arg(long)]
        index: PathBuf,
        /// Indexing threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Also write the parsed items as JSON Lines here (after timing), for the peers.
        #[arg(long)]
        dump: Option<PathBuf>,
    },
    /// Serves an index over HTTP on 127.0.0.1 with Paragraf's router (a child of `run`);
    /// prints the bound port.
    Serve {
        /// Index directory.
        #[arg(long)]
        index: PathBuf,
    },
    /// In-process latency of each query of the set over an existing index, Paragraf only: a
    /// quick look between full runs, and a steady loop to profile (`perf record`).
    Latency {
        /// Index directory (not needed with --opensearch-url).
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// Time an OpenSearch index (`paragraf index --engine opensearch`) at this URL
        /// instead (issue #21).
        #[arg(long)]
        opensearch_url: Option<String>,
        /// The OpenSearch index (alias) name.
        #[arg(long, default_value = "paragraf")]
        opensearch_index: String,
        /// Seconds to spend on timed rounds.
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        /// Only the queries of this kind (word, words, phrase, compound, filtered).
        #[arg(long)]
        class: Option<String>,
        /// With --opensearch-url: time the index at --index too, in the same run, a round of
        /// each engine in turn.
        #[arg(long)]
        beside: bool,
    },
    /// Writes RESULTS.md and the latency chart from results JSON files.
    Report {
        /// Results files written by `run`.
        results: Vec<PathBuf>,
        /// Markdown output.
        #[arg(long)]
        out: PathBuf,
        /// SVG chart output.
        #[arg(long)]
        chart: PathBuf,
        /// Hand-written findings to include (profiling notes).
        #[arg(long)]
        findings: Option<PathBuf>,
        /// The command that produced the results, quoted in the report.
        #[arg(long, default_value = "scripts/bench")]
        command: String,
    },
}

mod run;

fn main() -> ExitCode {
    match real_main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("paragraf-bench: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn real_main() -> anyhow::Result<()> {
    let args = Args::parse();
    match args.command {
        Command::Run(a) => run::run(&a),
        Command::Analysis(a) => analysis::run(&a),
        Command::Index {
            minutes,
            index,
            threads,
            dump,
        } => paragraf::index_child(&minutes, &index, threads, dump.as_deref()),
        Command::Serve { index } => paragraf::serve_child(&index),
        Command::Latency {
            index,
            opensearch_url,
            opensearch_index,
            seconds,
            class,
            beside,
        } => paragraf::print_latency(
            &index,
            opensearch_url.map(|url| (url, opensearch_index)),
            seconds,
            class.as_deref(),
            beside,
        ),
        Command::Report {
            results,
            out,
            chart,
            findings,
            command,
        } => report::write(&results, &out, &chart, findings.as_deref(), &command),
    }
}
