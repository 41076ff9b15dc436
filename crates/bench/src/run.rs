//! `paragraf-bench run`: every measurement for one corpus, Paragraf then the peers.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use paragraf_indexer::Item;
use paragraf_query::Engine;

use crate::load::{self, Bounds};
use crate::paragraf::{self, index_dir, Server};
use crate::queries::{BenchQuery, QUERIES};
use crate::results::{CorpusResult, EngineResult, LoadLevel, ServerMemory};
use crate::stats::{proc_status_bytes, Latency, Spread, Timed};
use crate::{peer_pg, peer_sqlite};

/// Options of one run.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Corpus directory holding `minutes/` (as gen_corpus.py writes it).
    #[arg(long)]
    corpus: PathBuf,
    /// Short name of the corpus (`20k`).
    #[arg(long)]
    label: String,
    /// Where the corpus came from, for the report.
    #[arg(long, default_value = "gen_corpus.py --seed 1")]
    source: String,
    /// Scratch directory for indexes and databases.
    #[arg(long)]
    work: PathBuf,
    /// Results JSON to write.
    #[arg(long)]
    out: PathBuf,
    /// PostgreSQL connection string; no PostgreSQL peer without it.
    #[arg(long)]
    pg: Option<String>,
    /// Leave out the SQLite peer.
    #[arg(long)]
    no_sqlite: bool,
    /// Times each engine indexes the corpus.
    #[arg(long, default_value_t = 1)]
    index_runs: usize,
    /// Seconds of sequential queries per engine (at least one round of the set).
    #[arg(long, default_value_t = 20.0)]
    latency_seconds: f64,
    /// Seconds per concurrency level of the load test.
    #[arg(long, default_value_t = 8.0)]
    load_seconds: f64,
    /// Requests at most per concurrency level.
    #[arg(long, default_value_t = 200_000)]
    max_requests: u64,
    /// Concurrency levels.
    #[arg(long, value_delimiter = ',', default_value = "1,8,64")]
    clients: Vec<usize>,
}

const MAX_ROUNDS: usize = 200;

pub fn run(a: &RunArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&a.work)?;
    let threads = paragraf::cores();
    let minutes = a.corpus.join("minutes");
    let minutes = if minutes.is_dir() {
        minutes
    } else {
        a.corpus.clone()
    };
    let budget = Duration::from_secs_f64(a.latency_seconds);
    let bounds = Bounds {
        duration: Duration::from_secs_f64(a.load_seconds),
        max_requests: a.max_requests,
    };
    let log = |msg: String| eprintln!("[{}] {msg}", a.label);

    // Paragraf: indexing, end to end from minutes files, in a child process.
    let index = index_dir(&a.work, &a.label);
    let dump = a.work.join(format!("items-{}.jsonl", a.label));
    let mut runs = Vec::new();
    for r in 0..a.index_runs.max(1) {
        let run = paragraf::index_once(
            &minutes,
            &index,
            threads,
            (r == 0).then_some(dump.as_path()),
        )?;
        log(format!(
            "paragraf index run {}: {:.1} s ({:.1} s parse), {} items",
            r + 1,
            run.parse_seconds + run.build_seconds,
            run.parse_seconds,
            run.items
        ));
        runs.push(run);
    }
    let first = runs[0].clone();
    let mut result = CorpusResult {
        label: a.label.clone(),
        source: a.source.clone(),
        items: first.items,
        files: first.files,
        text_bytes: first.text_bytes,
        threads,
        ..CorpusResult::default()
    };
    let mut p = EngineResult {
        version: format!("paragraf {} (tantivy)", env!("CARGO_PKG_VERSION")),
        index_seconds: Spread::of(&runs.iter().map(|r| r.parse_seconds + r.build_seconds).collect::<Vec<_>>()),
        parse_seconds: Some(Spread::of(&runs.iter().map(|r| r.parse_seconds).collect::<Vec<_>>())),
        index_bytes: first.index_bytes,
        index_peak_rss: runs.iter().filter_map(|r| r.peak_rss).max(),
        notes: vec![format!(
            "indexing = read + parse minutes files (split, speakers, places, dates, language) + Swedish analysis + tantivy write and commit, {threads} threads, in its own process"
        )],
        ..EngineResult::default()
    };

    // Paragraf: in-process latency.
    {
        let engine = Engine::open(&index)?;
        let (samples, totals) = paragraf::latency(&engine, QUERIES, budget, MAX_ROUNDS)?;
        fill_latency(&mut p, &samples, &totals);
        log(format!(
            "paragraf latency p50 {:.2} ms p99 {:.2} ms",
            p.latency.p50_ms, p.latency.p99_ms
        ));
    }
    // Paragraf: HTTP under load, in a server child.
    {
        let server = Server::start(&index)?;
        let paths: Vec<String> = QUERIES
            .iter()
            .map(|q| {
                serde_urlencoded::to_string(q.pairs())
                    .map(|qs| format!("/api/search?{qs}"))
                    .context("encoding a query")
            })
            .collect::<anyhow::Result<_>>()?;
        // Warm-up, not counted.
        load::http(
            server.port,
            &paths,
            8,
            Bounds {
                duration: Duration::from_secs(1),
                max_requests: 2_000,
            },
        )?;
        for &c in &a.clients {
            let level = load::http(server.port, &paths, c, bounds)?;
            log(format!(
                "paragraf http c={c}: {:.0} req/s p99 {:.1} ms, {} errors",
                level.rps, level.latency.p99_ms, level.errors
            ));
            p.load.push(level);
        }
        let pid = server.pid();
        p.server_memory = Some(ServerMemory {
            peak_rss: proc_status_bytes(&pid, "VmHWM").unwrap_or(0),
            rss: proc_status_bytes(&pid, "VmRSS").unwrap_or(0),
            anon: proc_status_bytes(&pid, "RssAnon").unwrap_or(0),
            file: proc_status_bytes(&pid, "RssFile").unwrap_or(0),
        });
    }
    result.paragraf = p;

    let needs_items = a.pg.is_some() || !a.no_sqlite;
    let items = if needs_items {
        read_items(&dump)?
    } else {
        Vec::new()
    };

    if let Some(conn) = &a.pg {
        let mut e = EngineResult {
            version: peer_pg::version(conn)?,
            notes: vec![format!(
                "indexing = {threads} concurrent COPYs of the items Paragraf parsed (to_tsvector('swedish') computed during COPY) + GIN and filter indexes + ANALYZE; parsing the minutes files is not included"
            ), "latency includes a client round trip over a unix socket".into()],
            ..EngineResult::default()
        };
        measure_peer(
            &mut e,
            "postgres",
            a,
            &log,
            || peer_pg::index(conn, &items, threads),
            || peer_pg::latency(conn, QUERIES, budget, MAX_ROUNDS),
            |c| {
                load::threads(
                    c,
                    bounds,
                    || peer_pg::Searcher::new(conn),
                    |s, i| s.search(&QUERIES[i % QUERIES.len()]).map(|_| ()),
                )
            },
        )?;
        e.notes.push("load: one connection per client, the wire protocol on a unix socket (no HTTP, no JSON)".into());
        result.postgres = Some(e);
    }

    if !a.no_sqlite {
        let db = a.work.join(format!("sqlite-{}.db", a.label));
        let mut e = EngineResult {
            version: format!("SQLite {} (FTS5, unicode61)", rusqlite::version()),
            notes: vec![
                "indexing = inserts of the items Paragraf parsed in one transaction + FTS5 rebuild + filter indexes; one thread (one writer); parsing not included".into(),
                "no Swedish stemming: exact word forms only".into(),
            ],
            ..EngineResult::default()
        };
        measure_peer(
            &mut e,
            "sqlite",
            a,
            &log,
            || peer_sqlite::index(&db, &items),
            || peer_sqlite::latency(&db, QUERIES, budget, MAX_ROUNDS),
            |c| {
                load::threads(
                    c,
                    bounds,
                    || peer_sqlite::open(&db),
                    |db, i| peer_sqlite::search(db, &QUERIES[i % QUERIES.len()]).map(|_| ()),
                )
            },
        )?;
        e.notes
            .push("load: one in-process connection per client thread (no HTTP, no JSON)".into());
        result.sqlite = Some(e);
    }

    if let Some(parent) = a.out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&a.out, serde_json::to_vec_pretty(&result)?)?;
    log(format!("wrote {}", a.out.display()));
    Ok(())
}

/// A peer's indexing runs (seconds and bytes on disk of each), its sequential latency and its
/// load levels (`a.index_runs`, `a.clients`), into `e`, logged as `name` goes.
fn measure_peer(
    e: &mut EngineResult,
    name: &str,
    a: &RunArgs,
    log: &dyn Fn(String),
    mut index: impl FnMut() -> anyhow::Result<(f64, u64)>,
    latency: impl FnOnce() -> anyhow::Result<Timed>,
    load: impl Fn(usize) -> anyhow::Result<LoadLevel>,
) -> anyhow::Result<()> {
    let mut secs = Vec::new();
    for r in 0..a.index_runs.max(1) {
        let (s, bytes) = index()?;
        log(format!("{name} index run {}: {s:.1} s", r + 1));
        secs.push(s);
        e.index_bytes = bytes;
    }
    e.index_seconds = Spread::of(&secs);
    let (samples, totals) = latency()?;
    fill_latency(e, &samples, &totals);
    log(format!(
        "{name} latency p50 {:.2} ms p99 {:.2} ms",
        e.latency.p50_ms, e.latency.p99_ms
    ));
    for &c in &a.clients {
        let level = load(c)?;
        log(format!(
            "{name} c={c}: {:.0} q/s p99 {:.1} ms",
            level.rps, level.latency.p99_ms
        ));
        e.load.push(level);
    }
    Ok(())
}

fn fill_latency(e: &mut EngineResult, samples: &[(usize, Duration)], totals: &[u64]) {
    let all: Vec<Duration> = samples.iter().map(|(_, d)| *d).collect();
    e.latency = Latency::of(&all);
    let mut by_class: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    for (i, d) in samples {
        by_class.entry(QUERIES[*i].class).or_default().push(*d);
    }
    e.latency_by_class = by_class
        .into_iter()
        .map(|(k, v)| (k.to_string(), Latency::of(&v)))
        .collect();
    e.totals = QUERIES
        .iter()
        .zip(totals)
        .map(|(q, t): (&BenchQuery, &u64)| (describe(q), *t))
        .collect();
}

fn describe(q: &BenchQuery) -> String {
    let mut s = q.q.to_string();
    for (k, v) in q.pairs().into_iter().skip(1) {
        s.push_str(&format!(" {k}={v}"));
    }
    s
}

fn read_items(path: &std::path::Path) -> anyhow::Result<Vec<Item>> {
    let file = std::fs::File::open(path).with_context(|| path.display().to_string())?;
    std::io::BufReader::new(file)
        .lines()
        .map(|line| Ok(serde_json::from_str(&line?)?))
        .collect()
}
