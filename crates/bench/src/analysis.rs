//! What Paragraf's full Swedish analysis costs against stemming only (issue #6: "indexing and
//! query speed may not fall by more than a third against stemming only").
//!
//! Both sides get the same parsed items, the same stored item, facets and sort fields, the same
//! writer (threads and memory) and the same collectors; they differ only in the text analysis:
//!
//! - **stemming only**: title, text and decisions stemmed (Snowball + the definite "-n"),
//!   speakers' names as words; a query word is one stemmed term per field, several words a
//!   phrase of stems; the best field counts.
//! - **full**: the index `paragraf index` writes (text as written plus compound parts; title
//!   and decisions stemmed) and the query `paragraf serve` runs: forms expanded at query time
//!   (exact, stemmed, other inflections, diacritic-folded), compound parts, typos.
//!
//! Indexing is timed from ready documents to a committed index with merges done (parsing and
//! building documents are the same work either way); CPU time is the whole process's. The
//! end-to-end row adds the time parsing the minutes took (timed once) to both sides, as the
//! harness of issue #7 times indexing: what an archive's indexing takes as a whole. Queries
//! are the mixed set of [`crate::queries`] as typed text (filters are the same work either way
//! and are left out), top 10 by score plus the count, timed including building the query,
//! alternating the two sides so that noise falls on both.
//!
//! A second comparison times whole search requests as `paragraf serve` answers them (filters,
//! facet counts, snippets, did-you-mean) with the engine's two analyses on the full index:
//! `analysis=full` against `analysis=stemmed`, which expands each word to the forms of its
//! stem only. That is the cost a user sees of the steps beyond stemming; since query-time
//! stemming is itself dearer than a stemmed field, it flatters the full analysis, and the
//! first comparison is the strict one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use paragraf_indexer::index::analysis::{self, tokens};
use paragraf_indexer::index::document::to_document;
use paragraf_indexer::index::schema::Fields;
use paragraf_indexer::Item;
use paragraf_query::query::{Term as QTerm, UserQuery};
use paragraf_query::Engine;
use paragraf_query::{words_query, Analysis, SearchRequest};
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, DisjunctionMaxQuery, Occur, Query};
use tantivy::schema::{
    Field, IndexRecordOption, OwnedValue, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, Searcher, TantivyDocument};

use crate::queries::QUERIES;
use crate::stats::{dir_size, Latency, Spread};

/// Options of `paragraf-bench analysis`.
#[derive(Debug, clap::Args)]
pub struct AnalysisArgs {
    /// Directory of minutes files.
    #[arg(long)]
    pub minutes: PathBuf,
    /// Name of the corpus in the report.
    #[arg(long, default_value = "corpus")]
    pub name: String,
    /// Indexing runs per side.
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// Seconds of queries per side.
    #[arg(long, default_value_t = 10.0)]
    pub query_seconds: f64,
    /// Write the figures as JSON here too.
    #[arg(long)]
    pub json: Option<PathBuf>,
}

/// The figures of one side.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Side {
    /// Wall-clock seconds per indexing run.
    pub index_wall: Spread,
    /// CPU seconds (user + system, all threads) per indexing run.
    pub index_cpu: Spread,
    /// Index size in bytes.
    pub index_bytes: u64,
    /// Query latency.
    pub latency: Latency,
    /// Mean query time, milliseconds.
    pub mean_ms: f64,
    /// Mean query time per class of query (word, words, phrase, compound, filtered), ms.
    pub class_mean_ms: Vec<(String, f64)>,
    /// Total hits over one pass of the query set (a check that both sides find things).
    pub hits_per_pass: u64,
    /// Whole search requests (the engine's stemming-only and full analyses on the full index).
    pub requests: Latency,
    /// Mean time of a whole search request, milliseconds.
    pub requests_mean_ms: f64,
}

/// The figures of a comparison.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnalysisCost {
    /// Corpus name.
    pub corpus: String,
    /// Seconds to parse the minutes files into items, the same work for both sides (the
    /// benchmark harness of issue #7 times indexing end to end, parsing included).
    #[serde(default)]
    pub parse_seconds: f64,
    /// Items indexed.
    pub items: usize,
    /// Indexing threads.
    pub threads: usize,
    /// Stemming only.
    pub stemmed: Side,
    /// The full analysis.
    pub full: Side,
}

/// `paragraf-bench analysis`: prints a Markdown table (and writes JSON when asked).
pub fn run(args: &AnalysisArgs) -> anyhow::Result<()> {
    let parsing = Instant::now();
    let archive = paragraf_indexer::archive::parse_paths(std::slice::from_ref(&args.minutes))
        .with_context(|| format!("parsing {}", args.minutes.display()))?;
    let parse_seconds = parsing.elapsed().as_secs_f64();
    let items = archive.items;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let scratch = tempfile::tempdir()?;

    let (full_schema, fields) = Fields::build();
    let stem = StemSchema::new(&full_schema);
    let full_docs: Vec<TantivyDocument> = items.iter().map(|i| to_document(i, &fields)).collect();
    let stem_docs: Vec<TantivyDocument> = items
        .iter()
        .zip(&full_docs)
        .map(|(item, doc)| stem.document(item, doc, &full_schema))
        .collect();

    let mut times = [(Vec::new(), Vec::new()), (Vec::new(), Vec::new())];
    let mut sizes = [0u64; 2];
    for run in 0..args.runs.max(1) {
        for (side, (schema, docs)) in [(&stem.schema, &stem_docs), (&full_schema, &full_docs)]
            .into_iter()
            .enumerate()
        {
            let dir = scratch.path().join(format!("side{side}-run{run}"));
            std::fs::create_dir_all(&dir)?;
            let docs = docs.clone();
            let (wall, cpu) = index_timed(schema.clone(), docs, &dir, threads)?;
            times[side].0.push(wall);
            times[side].1.push(cpu);
            sizes[side] = dir_size(&dir);
            std::fs::remove_dir_all(&dir)?;
        }
    }

    // The full side is queried through the engine, on an index `paragraf index` would write.
    let full_dir = scratch.path().join("full");
    paragraf_indexer::build(&items, &full_dir, threads)?;
    let engine = Engine::open(&full_dir)?;
    let stem_dir = scratch.path().join("stemmed");
    std::fs::create_dir_all(&stem_dir)?;
    index_timed(stem.schema.clone(), stem_docs, &stem_dir, threads)?;
    let stem_index = Index::open_in_dir(&stem_dir)?;
    analysis::register(stem_index.tokenizers());
    let stem_searcher = stem_index.reader()?.searcher();

    let mut samples = [Vec::new(), Vec::new()];
    let mut by_class: [BTreeMap<&str, (Duration, u32)>; 2] = Default::default();
    let mut hits = [0u64; 2];
    let budget = Duration::from_secs_f64(args.query_seconds);
    let mut spent = [Duration::ZERO; 2];
    let mut pass = 0;
    while spent.iter().any(|s| *s < budget) {
        for query in QUERIES {
            for side in [0, 1] {
                let started = Instant::now();
                let found = if side == 0 {
                    let q = stem.query(query.q);
                    top_and_count(&stem_searcher, &*q)?
                } else {
                    let (searcher, q) = engine.matching_query(query.q, Analysis::Full);
                    top_and_count(&searcher, &*q)?
                };
                let took = started.elapsed();
                samples[side].push(took);
                let class = by_class[side].entry(query.class).or_default();
                class.0 += took;
                class.1 += 1;
                spent[side] += took;
                if pass == 0 {
                    hits[side] += found;
                }
            }
        }
        pass += 1;
    }

    // Whole requests, both analyses of the engine on the full index.
    let mut requests = [Vec::new(), Vec::new()];
    let mut spent = [Duration::ZERO; 2];
    while spent.iter().any(|s| *s < budget) {
        for query in QUERIES {
            for (side, analysis) in [Analysis::Stemmed, Analysis::Full].into_iter().enumerate() {
                let mut req = SearchRequest::from_pairs(query.pairs())?;
                req.analysis = analysis;
                let started = Instant::now();
                engine.search(&req)?;
                let took = started.elapsed();
                requests[side].push(took);
                spent[side] += took;
            }
        }
    }

    let side = |i: usize| Side {
        index_wall: Spread::of(&times[i].0),
        index_cpu: Spread::of(&times[i].1),
        index_bytes: sizes[i],
        latency: Latency::of(&samples[i]),
        mean_ms: samples[i].iter().map(Duration::as_secs_f64).sum::<f64>() * 1e3
            / samples[i].len().max(1) as f64,
        class_mean_ms: by_class[i]
            .iter()
            .map(|(class, (total, n))| {
                (
                    class.to_string(),
                    total.as_secs_f64() * 1e3 / f64::from((*n).max(1)),
                )
            })
            .collect(),
        hits_per_pass: hits[i],
        requests: Latency::of(&requests[i]),
        requests_mean_ms: requests[i].iter().map(Duration::as_secs_f64).sum::<f64>() * 1e3
            / requests[i].len().max(1) as f64,
    };
    let cost = AnalysisCost {
        corpus: args.name.clone(),
        parse_seconds,
        items: items.len(),
        threads,
        stemmed: side(0),
        full: side(1),
    };
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&cost)?)
            .with_context(|| path.display().to_string())?;
    }
    #[allow(clippy::print_stdout)] // the table is the command's output
    {
        println!("{}", markdown(&cost));
    }
    Ok(())
}

/// The comparison as a Markdown table with the ratio full / stemming only.
pub fn markdown(c: &AnalysisCost) -> String {
    let mut md = format!(
        "### {} — {} items, {} indexing threads\n\n| figure | stemming only | full analysis | full / stemming only |\n|---|---:|---:|---:|\n",
        c.corpus, c.items, c.threads
    );
    let (s, f) = (&c.stemmed, &c.full);
    row(
        &mut md,
        "indexing wall, s (median)",
        s.index_wall.median,
        f.index_wall.median,
        2,
    );
    row(
        &mut md,
        "indexing CPU, s (median)",
        s.index_cpu.median,
        f.index_cpu.median,
        2,
    );
    row(
        &mut md,
        "indexing end to end: parsing (same both sides) + wall, s",
        c.parse_seconds + s.index_wall.median,
        c.parse_seconds + f.index_wall.median,
        2,
    );
    row(
        &mut md,
        "query p50, ms",
        s.latency.p50_ms,
        f.latency.p50_ms,
        3,
    );
    row(
        &mut md,
        "query p95, ms",
        s.latency.p95_ms,
        f.latency.p95_ms,
        3,
    );
    row(
        &mut md,
        "query p99, ms",
        s.latency.p99_ms,
        f.latency.p99_ms,
        3,
    );
    row(&mut md, "query mean, ms", s.mean_ms, f.mean_ms, 3);
    for ((class, a), (_, b)) in s.class_mean_ms.iter().zip(&f.class_mean_ms) {
        row(&mut md, &format!("query mean, {class}, ms"), *a, *b, 3);
    }
    md.push_str(
        "| *whole requests (filters, facets, snippets), engine's stemming-only vs full analysis:* | | | |\n",
    );
    row(
        &mut md,
        "request p50, ms",
        s.requests.p50_ms,
        f.requests.p50_ms,
        3,
    );
    row(
        &mut md,
        "request p99, ms",
        s.requests.p99_ms,
        f.requests.p99_ms,
        3,
    );
    row(
        &mut md,
        "request mean, ms",
        s.requests_mean_ms,
        f.requests_mean_ms,
        3,
    );
    md.push_str(&format!(
        "\nIndex size: stemming only {:.1} MiB, full {:.1} MiB. Hits over one pass of the {} queries: stemming only {}, full {}. Indexing runs: {} per side; query samples: {} / {}.\n",
        s.index_bytes as f64 / 1048576.0,
        f.index_bytes as f64 / 1048576.0,
        QUERIES.len(),
        s.hits_per_pass,
        f.hits_per_pass,
        s.index_wall.runs,
        s.latency.samples,
        f.latency.samples,
    ));
    md
}

/// A table row with the ratio b / a, marked against the bound of a third.
fn row(md: &mut String, name: &str, a: f64, b: f64, digits: usize) {
    let ratio = if a > 0.0 { b / a } else { f64::NAN };
    let mark = if ratio <= 4.0 / 3.0 { "✓" } else { "✗" };
    md.push_str(&format!(
        "| {name} | {a:.digits$} | {b:.digits$} | {ratio:.2} {mark} |\n"
    ));
}

/// Top 10 by score and the count; returns the count.
fn top_and_count(searcher: &Searcher, query: &dyn Query) -> anyhow::Result<u64> {
    let (_, count) = searcher.search(query, &(TopDocs::with_limit(10).order_by_score(), Count))?;
    Ok(count as u64)
}

/// Indexes documents with the writer settings of `paragraf index`; wall and CPU seconds.
fn index_timed(
    schema: Schema,
    docs: Vec<TantivyDocument>,
    dir: &Path,
    threads: usize,
) -> anyhow::Result<(f64, f64)> {
    let index = Index::create_in_dir(dir, schema)?;
    analysis::register(index.tokenizers());
    let started = Instant::now();
    let cpu_started = cpu_seconds();
    let mut writer =
        index.writer_with_num_threads::<TantivyDocument>(threads, threads * 64_000_000)?;
    for doc in docs {
        writer.add_document(doc)?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok((started.elapsed().as_secs_f64(), cpu_seconds() - cpu_started))
}

/// The stemming-only schema: the full schema with its text fields replaced by one stemmed
/// text field.
struct StemSchema {
    schema: Schema,
    text: Field,
    title: Field,
    decisions: Field,
    names: Field,
    swedish: TextAnalyzer,
    name: TextAnalyzer,
}

impl StemSchema {
    fn new(full: &Schema) -> StemSchema {
        let mut b = Schema::builder();
        for (_, entry) in full.fields() {
            if matches!(entry.name(), "words" | "parts") {
                continue;
            }
            b.add_field(entry.clone());
        }
        let text = b.add_text_field(
            "text",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(analysis::SWEDISH)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        );
        let schema = b.build();
        let field = |name: &str| schema.get_field(name).expect("copied from the full schema");
        StemSchema {
            title: field("title"),
            decisions: field("decisions"),
            names: field("speaker_names"),
            text,
            schema: schema.clone(),
            swedish: analysis::swedish(),
            name: analysis::name(),
        }
    }

    /// The full document without the exact-forms and parts fields, with the stemmed text.
    fn document(
        &self,
        item: &Item,
        full: &TantivyDocument,
        full_schema: &Schema,
    ) -> TantivyDocument {
        let mut out = TantivyDocument::default();
        for (field, value) in full.field_values() {
            let name = full_schema.get_field_name(field);
            if matches!(name, "words" | "parts") {
                continue;
            }
            if let Ok(target) = self.schema.get_field(name) {
                out.add_field_value(target, &OwnedValue::from(value));
            }
        }
        out.add_text(self.text, &item.text);
        out
    }

    /// Stemming only: each word a stemmed term (several: a phrase) in each field, the best
    /// field counting, all words required.
    fn query(&self, q: &str) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for clause in UserQuery::parse(q).clauses {
            let text = match clause.term {
                QTerm::Word(w) => w,
                QTerm::Phrase(words) => words.join(" "),
                QTerm::Prefix(p) => p,
            };
            let stems = tokens(&mut self.swedish.clone(), &text);
            let words = tokens(&mut self.name.clone(), &text);
            let mut fields: Vec<Box<dyn Query>> = Vec::new();
            for (field, boost, terms) in [
                (self.names, 3.0, &words),
                (self.title, 3.0, &stems),
                (self.decisions, 2.0, &stems),
                (self.text, 1.0, &stems),
            ] {
                fields.extend(words_query(field, terms, boost));
            }
            if fields.is_empty() {
                continue;
            }
            let occur = if clause.negated {
                Occur::MustNot
            } else {
                Occur::Must
            };
            clauses.push((
                occur,
                Box::new(DisjunctionMaxQuery::with_tie_breaker(fields, 0.1)),
            ));
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

/// CPU time (user + system) of this process so far, from `/proc/self/stat`; 0 elsewhere.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The fields after the command name (which may hold spaces) start after the last ')';
    // utime and stime are the 12th and 13th of them, in clock ticks (100 per second).
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}
