//! Paragraf's side: the indexing child, the serving child, and in-process search latency.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use paragraf_query::Engine;
use paragraf_query::SearchRequest;
use paragraf_server::{router, AppState, HttpConfig};
use serde::{Deserialize, Serialize};

use crate::queries::BenchQuery;
use crate::stats::{dir_size, proc_status_bytes};

/// What the indexing child prints.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexRun {
    pub parse_seconds: f64,
    pub build_seconds: f64,
    pub items: u64,
    pub files: u64,
    pub skipped: u64,
    pub text_bytes: u64,
    pub index_bytes: u64,
    pub peak_rss: Option<u64>,
}

/// `paragraf-bench index`: parse + analyse + write, end to end from minutes files, with the
/// indexing threads `paragraf index` would use (at most `threads`: all cores, or one per 8 MB
/// of text for a small archive).
pub fn index_child(
    minutes: &Path,
    index: &Path,
    threads: Option<usize>,
    dump: Option<&Path>,
) -> anyhow::Result<()> {
    let threads = threads.unwrap_or_else(cores);
    let started = Instant::now();
    let archive = paragraf_indexer::archive::parse_paths(&[minutes.to_path_buf()])
        .with_context(|| format!("parsing {}", minutes.display()))?;
    let parsed = started.elapsed();
    let item_text = archive.items.iter().map(|i| i.text.len()).sum();
    let threads = paragraf_indexer::index::store::build_threads(threads, item_text);
    paragraf_indexer::build(&archive.items, index, threads)
        .with_context(|| format!("building {}", index.display()))?;
    let total = started.elapsed();
    let peak_rss = proc_status_bytes("self", "VmHWM");

    let text_bytes = archive
        .files
        .iter()
        .filter_map(|f| std::fs::metadata(&f.path).ok())
        .map(|m| m.len())
        .sum();
    if let Some(dump) = dump {
        let file = std::fs::File::create(dump).with_context(|| dump.display().to_string())?;
        let mut out = BufWriter::new(file);
        for item in &archive.items {
            serde_json::to_writer(&mut out, item)?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
    }
    let run = IndexRun {
        parse_seconds: parsed.as_secs_f64(),
        build_seconds: (total - parsed).as_secs_f64(),
        items: archive.items.len() as u64,
        files: archive.files.len() as u64,
        skipped: archive.skipped() as u64,
        text_bytes,
        index_bytes: dir_size(index),
        peak_rss,
    };
    println!("{}", serde_json::to_string(&run)?);
    Ok(())
}

/// Runs the indexing child and reads its figures.
pub fn index_once(
    minutes: &Path,
    index: &Path,
    threads: usize,
    dump: Option<&Path>,
) -> anyhow::Result<IndexRun> {
    let _ = std::fs::remove_dir_all(index);
    let mut cmd = std::process::Command::new(std::env::current_exe()?);
    cmd.arg("index")
        .arg("--minutes")
        .arg(minutes)
        .arg("--index")
        .arg(index)
        .arg("--threads")
        .arg(threads.to_string());
    if let Some(d) = dump {
        cmd.arg("--dump").arg(d);
    }
    let out = cmd.output().context("running the indexing child")?;
    anyhow::ensure!(
        out.status.success(),
        "indexing child failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).context("reading the indexing child's figures")
}

/// `paragraf-bench serve`: Paragraf's own router on 127.0.0.1, an ephemeral port printed on
/// stdout, a multi-threaded runtime as `paragraf serve` has.
pub fn serve_child(index: &Path) -> anyhow::Result<()> {
    let engine = Engine::open(index).with_context(|| format!("opening {}", index.display()))?;
    let app = router(AppState::new(Arc::new(engine)), &HttpConfig::default());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        println!("{}", listener.local_addr()?.port());
        std::io::stdout().flush()?;
        axum::serve(listener, app).await?;
        anyhow::Ok(())
    })
}

/// Cores of this machine.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Sequential in-process latency: the set once to warm up, then rounds until `budget` is
/// spent (at least one, at most `max_rounds`). Returns per-query samples and hit totals.
pub fn latency(
    engine: &(impl paragraf_query::SearchEngine + ?Sized),
    queries: &[BenchQuery],
    budget: Duration,
    max_rounds: usize,
) -> anyhow::Result<crate::stats::Timed> {
    let requests: Vec<SearchRequest> = queries
        .iter()
        .map(|q| SearchRequest::from_pairs(q.pairs()))
        .collect::<Result<_, _>>()?;
    crate::stats::sequential(
        &requests,
        budget,
        max_rounds,
        |req| Ok(engine.search(req)?),
        |response| response.total,
    )
}

/// Prints each query's hits and p50/p99 in milliseconds, then the whole set's, over the index
/// at `index` (`paragraf-bench latency`); only the queries of `class` when given.
pub fn print_latency(
    index: &Path,
    opensearch: Option<(String, String)>,
    seconds: f64,
    class: Option<&str>,
    beside: bool,
) -> anyhow::Result<()> {
    let open_own = || -> anyhow::Result<Engine> {
        Engine::open(index).with_context(|| format!("opening {}", index.display()))
    };
    let cluster = match opensearch {
        Some((url, name)) => {
            let mut config = paragraf_opensearch::ClusterConfig::from_urls(&[url])?;
            config.index = name;
            config.timeout = Duration::from_secs(30);
            Some(paragraf_opensearch::OpenSearchEngine::new(&config))
        }
        None => None,
    };
    let queries: Vec<BenchQuery> = crate::queries::QUERIES
        .iter()
        .filter(|q| class.is_none_or(|c| q.class == c))
        .copied()
        .collect();
    anyhow::ensure!(
        !queries.is_empty(),
        "no query of the set is of kind {class:?}"
    );
    if beside {
        let cluster = cluster.context("--beside needs --opensearch-url")?;
        let own = open_own()?;
        return crate::beside::print(&own, &cluster, &queries, Duration::from_secs_f64(seconds));
    }
    let engine: Box<dyn paragraf_query::SearchEngine> = match cluster {
        Some(cluster) => Box::new(cluster),
        None => Box::new(open_own()?),
    };
    let (samples, totals) = latency(
        &*engine,
        &queries,
        Duration::from_secs_f64(seconds),
        usize::MAX,
    )?;
    println!("| query | hits | p50 ms | p99 ms |\n|---|---:|---:|---:|");
    for (i, q) in queries.iter().enumerate() {
        let own: Vec<Duration> = samples
            .iter()
            .filter(|(at, _)| *at == i)
            .map(|(_, d)| *d)
            .collect();
        let l = crate::stats::Latency::of(&own);
        println!(
            "| {} `{}` | {} | {:.3} | {:.3} |",
            q.class, q.q, totals[i], l.p50_ms, l.p99_ms
        );
    }
    let all: Vec<Duration> = samples.iter().map(|(_, d)| *d).collect();
    let l = crate::stats::Latency::of(&all);
    println!(
        "| all ({} searches) | | {:.3} | {:.3} |",
        l.samples, l.p50_ms, l.p99_ms
    );
    Ok(())
}

/// A serving child; killed when dropped.
pub struct Server {
    child: std::process::Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
}

impl Server {
    pub fn start(index: &Path) -> anyhow::Result<Server> {
        use std::io::BufRead;
        let mut child = std::process::Command::new(std::env::current_exe()?)
            .arg("serve")
            .arg("--index")
            .arg(index)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .context("starting the serving child")?;
        let stdout = child.stdout.take().context("child stdout")?;
        let mut line = String::new();
        std::io::BufReader::new(stdout).read_line(&mut line)?;
        let port = line.trim().parse().context("reading the child's port")?;
        Ok(Server { child, port })
    }

    pub fn pid(&self) -> String {
        self.child.id().to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The index directory of a corpus in the work directory.
pub fn index_dir(work: &Path, label: &str) -> PathBuf {
    work.join(format!("index-{label}"))
}
