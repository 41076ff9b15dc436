//! One function per subcommand.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use paragraf_indexer::archive::{parse_paths, Archive};
use paragraf_query::{Analysis, DateRange, Filters, MatchMode, SearchRequest, SearchResponse};
use paragraf_query::{Engine, SearchEngine};
use paragraf_server::{router, AppState, HttpConfig, ServeOptions};

use crate::args::{Args, Command, DigestArgs, EngineArgs};

/// Runs a command; the exit code is 0 on success and 1 when some input file was skipped.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Parse { paths } => parse(&paths),
        Command::Index {
            paths,
            index,
            threads,
            rebuild,
            engine,
        } => match cluster(&engine)? {
            Some(config) => index_cluster(&paths, &config, &engine, rebuild),
            None => index_archive(&paths, &index, threads, rebuild),
        },
        Command::Check { paths, index } => check(&paths, &index),
        Command::Serve {
            index,
            listen,
            archive,
            cors_origins,
            header_read_timeout,
            idle_timeout,
            max_connections,
            engine,
            watch,
            watch_every,
            digest,
            access,
        } => {
            let limit = paragraf_server::serve::open_files_limit();
            let wanted = max_connections
                .map_or(paragraf_server::serve::DEFAULT_MAX_CONNECTIONS, |n| {
                    n as usize
                });
            let options = ServeOptions {
                header_read_timeout,
                idle_timeout,
                max_connections: paragraf_server::serve::fd_budget(wanted, limit),
            };
            if max_connections.is_some() && options.max_connections < wanted {
                tracing::warn!(
                    wanted,
                    max_connections = options.max_connections,
                    open_files_limit = limit,
                    "--max-connections is more than the open-file limit allows; using less"
                );
            }
            let watch = watch
                .as_deref()
                .map(|config| (config, &digest, watch_every));
            serve(
                &index,
                listen,
                &archive,
                cors_origins,
                options,
                &engine,
                ServeExtras { watch, access },
            )
        }
        Command::Watch {
            config,
            index,
            once: _,
            every,
            digest,
            engine,
        } => crate::watch::command::watch(&config, &index, every, &digest, &engine),
        Command::Token { action } => crate::token::run(action),
        Command::Search {
            query,
            index,
            municipality,
            speaker,
            body,
            case_number,
            from,
            to,
            sort,
            limit,
            json,
            public,
            engine,
        } => {
            let mut req = SearchRequest::new(query.unwrap_or_default());
            // The terminal reads the index's files: it sees what they hold, unless asked
            // to look as the public (issue #20).
            req.access = if public {
                paragraf_query::Access::Public
            } else {
                paragraf_query::Access::Internal
            };
            req.filters = Filters {
                municipality,
                speaker,
                body,
                case_number,
                dates: DateRange { from, to },
                meeting: Vec::new(),
            };
            req.sort = sort.map(Into::into);
            req.limit = limit;
            req.check()?;
            search(&index, &req, json, &engine)
        }
        Command::Eval {
            set,
            index,
            archive,
            verbose,
            engine,
        } => eval(&set, index.as_deref(), &archive, verbose, &engine),
    }
}

fn eval(
    set: &Path,
    index: Option<&Path>,
    archive: &[PathBuf],
    verbose: bool,
    choice: &EngineArgs,
) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(set).with_context(|| format!("reading {}", set.display()))?;
    let judgments = paragraf_query::eval::parse_judgments(&text)
        .with_context(|| format!("reading {}", set.display()))?;
    let temp = std::env::temp_dir().join(format!("paragraf-eval-{}", std::process::id()));
    let engine: Arc<dyn SearchEngine> = match (cluster(choice)?, index) {
        (Some(config), _) => Arc::new(paragraf_opensearch::OpenSearchEngine::new(&config)),
        (None, Some(index)) => {
            Arc::new(Engine::open(index).with_context(|| format!("opening {}", index.display()))?)
        }
        (None, None) => {
            let parsed = parse_paths(archive)?;
            report(&parsed);
            paragraf_indexer::build(&parsed.items, &temp, 1)?;
            Arc::new(Engine::open(&temp)?)
        }
    };
    // Each analysis runs the set three times; the median time compares their query speed.
    let mut reports = Vec::new();
    let mut timings = Vec::new();
    for analysis in [Analysis::Plain, Analysis::Stemmed, Analysis::Full] {
        let mut times = Vec::new();
        let mut report = None;
        for _ in 0..3 {
            let started = std::time::Instant::now();
            report = Some(paragraf_query::eval::evaluate(
                &engine, &judgments, analysis,
            )?);
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        timings.push(times[1]);
        reports.extend(report);
    }
    let _ = std::fs::remove_dir_all(&temp);
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    writeln!(
        out,
        "{} judged queries from {}\n",
        judgments.len(),
        set.display()
    )?;
    out.write_all(paragraf_query::eval::table(&reports).as_bytes())?;
    writeln!(
        out,
        "\nquery time for the {} queries (median of 3): plain {:.0} ms, stemmed {:.0} ms, full {:.0} ms",
        judgments.len(),
        timings[0],
        timings[1],
        timings[2]
    )?;
    // Issue 16's precision: top-ten hits of one-word queries that hold no form of the word.
    let precision = paragraf_query::eval::form_precision(
        &engine,
        &judgments,
        &paragraf_query::eval::PRECISION_PHENOMENA,
    )?;
    writeln!(
        out,
        "form precision (one-word queries of {}): {} of {} top-10 hits of {} queries hold no form of the word ({:.1} %)",
        paragraf_query::eval::PRECISION_PHENOMENA.join(", "),
        precision.without_form.len(),
        precision.hits,
        precision.queries,
        precision.share_without_form() * 100.0
    )?;
    if verbose {
        for (q, id) in &precision.without_form {
            writeln!(out, "  no form of {q:?}: {id}")?;
        }
        if let Some(full) = reports.last() {
            writeln!(
                out,
                "\n| query | R@10 | MRR | nDCG@10 |\n|---|---:|---:|---:|"
            )?;
            for (q, s) in &full.queries {
                writeln!(
                    out,
                    "| {q} | {:.2} | {:.2} | {:.2} |",
                    s.recall, s.mrr, s.ndcg
                )?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// What `paragraf serve` adds to serving an index: e-mail digests in the server (issue #19)
/// and who may see internal items (issue #20).
struct ServeExtras<'a> {
    watch: Option<(&'a Path, &'a DigestArgs, std::time::Duration)>,
    access: crate::args::AccessArgs,
}

fn serve(
    index: &Path,
    listen: SocketAddr,
    archive: &[PathBuf],
    cors_origins: Vec<String>,
    options: ServeOptions,
    choice: &EngineArgs,
    extras: ServeExtras<'_>,
) -> anyhow::Result<ExitCode> {
    let ServeExtras { watch, access } = extras;
    // Refused before anything is opened or built: exit code 2 and the value named.
    paragraf_server::cors::parse_origins(&cors_origins)?;
    // A bad watch configuration stops the start too, before an index is built.
    let watcher = match watch {
        Some((config, args, every)) => Some((
            crate::watch::command::watcher(config, args, Some(format!("http://{listen}")))?,
            every,
        )),
        None => None,
    };
    let digests = |state: &AppState| -> anyhow::Result<()> {
        if let Some((watcher, every)) = watcher {
            let state = state.clone();
            crate::watch::command::spawn_in_server(watcher, every, move || state.engine())?;
        }
        Ok(())
    };
    let http = HttpConfig {
        cors_origins,
        auth: paragraf_server::auth::AuthConfig {
            tokens: Some(Arc::new(paragraf_server::tokens::TokenStore::new(
                paragraf_server::tokens::tokens_path(index),
            ))),
            trusted_proxies: access.trusted_proxies,
            user_header: access.user_header,
        },
    };
    let admin_listen = access.admin_listen;
    if let Some(config) = cluster(choice)? {
        // The cluster is not asked at start: Paragraf serves 503 until it answers.
        tracing::info!(url = %config.url_list(), index = %config.index, "serving the OpenSearch index");
        let engine = paragraf_opensearch::OpenSearchEngine::new(&config);
        let state = AppState::new(Arc::new(engine)).with_archive(archive.to_vec());
        digests(&state)?;
        let app = router(state.clone(), &http);
        let admin = admin_listen.map(|addr| (addr, paragraf_server::admin_router(state)));
        return listen_and_serve(listen, app, admin, None, options);
    }
    let engine = match Engine::open(index) {
        Ok(engine) => engine,
        Err(_) if !index.join(paragraf_indexer::index::store::CURRENT).exists() => {
            tracing::info!(index = %index.display(), "no index yet; building it from the archive");
            index_archive(archive, index, None, false)?;
            Engine::open(index).with_context(|| format!("opening {}", index.display()))?
        }
        // An index of an older Paragraf: the main job builds it anew from the archive, as
        // `paragraf index` would, rather than stop.
        Err(paragraf_query::Error::Internal(paragraf_query::InternalError::Index(
            paragraf_indexer::Error::OutdatedSchema { .. },
        ))) => {
            tracing::warn!(index = %index.display(), "the index was built by another version of Paragraf; building it anew from the archive");
            index_archive(archive, index, None, false)?;
            Engine::open(index).with_context(|| format!("opening {}", index.display()))?
        }
        Err(e) if e.is_index_damage() => anyhow::bail!(
            "the index in {dir} is damaged ({e}); see `paragraf check --index {dir}`, and rebuild it with `paragraf index --rebuild --index {dir}`",
            dir = index.display()
        ),
        Err(e) => return Err(e).with_context(|| format!("opening {}", index.display())),
    };
    let state =
        AppState::watching(Arc::new(engine), index.to_path_buf()).with_archive(archive.to_vec());
    digests(&state)?;
    let app = router(state.clone(), &http);
    let admin = admin_listen.map(|addr| (addr, paragraf_server::admin_router(state.clone())));
    listen_and_serve(listen, app, admin, Some(state), options)
}

/// Serves `app` on `listen` until a signal; with `reload`, looks for a new index state on
/// disk every second.
fn listen_and_serve(
    listen: SocketAddr,
    app: axum::Router,
    admin: Option<(SocketAddr, axum::Router)>,
    reload: Option<AppState>,
    options: ServeOptions,
) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| format!("listening on {listen}"))?;
        tracing::info!(address = %listen, "serving; open http://{listen}/");
        if let Some((addr, admin)) = admin {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("listening on {addr} (--admin-listen)"))?;
            tracing::info!(address = %addr, "operations (/metrics, /health) on http://{addr}/");
            tokio::spawn(async move {
                if let Err(e) = paragraf_server::serve(listener, admin, options, shutdown_signal()).await {
                    tracing::error!(error = %e, "the admin address stopped");
                }
            });
        }
        // A `paragraf index` run commits while we serve: look for a new state every second.
        if let Some(state) = reload { tokio::spawn(async move {
            let mut tick = tokio::time::interval(RELOAD_EVERY);
            loop {
                tick.tick().await;
                let state = state.clone();
                match tokio::task::spawn_blocking(move || state.reload_if_changed()).await {
                    Ok(Err(e)) => tracing::error!(error = %e, "the index changed but cannot be opened; serving the previous state"),
                    Err(e) => tracing::error!(error = %e, "index reload failed"),
                    Ok(Ok(_)) => {}
                }
            }
        }); }
        paragraf_server::serve(listener, app, options, shutdown_signal())
            .await
            .context("serving")
    })?;
    Ok(ExitCode::SUCCESS)
}

/// How often `serve` checks whether the index changed on disk.
const RELOAD_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down; finishing requests in flight");
}

fn search(
    index: &Path,
    req: &SearchRequest,
    json: bool,
    choice: &EngineArgs,
) -> anyhow::Result<ExitCode> {
    let engine: Box<dyn SearchEngine> = match cluster(choice)? {
        Some(config) => Box::new(paragraf_opensearch::OpenSearchEngine::new(&config)),
        None => {
            Box::new(Engine::open(index).with_context(|| format!("opening {}", index.display()))?)
        }
    };
    let response = engine.search(req)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if json {
        for hit in &response.hits {
            serde_json::to_writer(&mut out, hit)?;
            out.write_all(b"\n")?;
        }
    } else {
        print_table(&mut out, &response)?;
    }
    out.flush()?;
    Ok(if response.total == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A terminal table under column headings: date, body, §, title (or the passage that matched),
/// then speakers and the item id. Columns are as wide as their widest value, so nothing is cut
/// but the passage (issue #18).
fn print_table(out: &mut impl Write, response: &SearchResponse) -> std::io::Result<()> {
    let n = response.total;
    if response.query.trim().is_empty() {
        writeln!(
            out,
            "{n} {}, nyast först",
            if n == 1 { "punkt" } else { "punkter" }
        )?;
    } else {
        let any = if response.mode == MatchMode::Any && !response.query.contains(" OR ") {
            " (ingen punkt har alla orden; punkter med något av dem visas)"
        } else {
            ""
        };
        writeln!(
            out,
            "{n} {} för {:?}{any}",
            if n == 1 { "träff" } else { "träffar" },
            response.query
        )?;
    }
    if let Some(meant) = response
        .did_you_mean
        .as_deref()
        .filter(|m| *m != response.query)
    {
        writeln!(out, "Menade du {meant:?}?")?;
    }
    if response.hits.is_empty() {
        return Ok(());
    }
    let rows: Vec<[String; 4]> = response
        .hits
        .iter()
        .map(|hit| {
            [
                hit.meeting.date.clone().unwrap_or_else(|| "-".into()),
                hit.meeting.body.clone().unwrap_or_else(|| "-".into()),
                hit.section.clone().unwrap_or_else(|| "-".into()),
                hit.title
                    .clone()
                    .unwrap_or_else(|| passage(&hit.snippet, PASSAGE)),
            ]
        })
        .collect();
    let headings = ["Datum", "Organ", "§", "Rubrik eller utdrag"];
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([headings[i].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let (w0, w1, w2) = (width(0), width(1), width(2));
    let indent = w0 + w1 + w2 + 6;
    writeln!(
        out,
        "\n{:<w0$}  {:<w1$}  {:<w2$}  {}",
        headings[0], headings[1], headings[2], headings[3]
    )?;
    for (hit, row) in response.hits.iter().zip(&rows) {
        writeln!(
            out,
            "{:<w0$}  {:<w1$}  {:<w2$}  {}",
            row[0], row[1], row[2], row[3]
        )?;
        if !hit.speakers.is_empty() {
            let speakers: Vec<&str> = hit.speakers.iter().map(|s| s.name.as_str()).collect();
            writeln!(out, "{:indent$}föredragande: {}", "", speakers.join(", "))?;
        }
        writeln!(out, "{:indent$}{}", "", hit.id)?;
    }
    Ok(())
}

/// Characters of the passage shown for an item without a heading.
const PASSAGE: usize = 70;

/// The snippet without its markup, cut to `max` characters around its first mark, so the
/// words that matched are in view ("… ett förslag om munskydd i vårdnära …").
fn passage(html: &str, max: usize) -> String {
    let marked = html.find("<mark>");
    let (before, after) = match marked {
        Some(at) => (plain_snippet(&html[..at]), plain_snippet(&html[at..])),
        None => (String::new(), plain_snippet(html)),
    };
    let after_len = after.chars().count();
    if before.is_empty() || before.chars().count() + 1 + after_len <= max {
        let whole = if before.is_empty() {
            after
        } else {
            format!("{before} {after}")
        };
        return truncate(&whole, max);
    }
    // Up to a third of the line before the match, starting at a word.
    let keep = (max / 3).max(max.saturating_sub(after_len + 2));
    let skip = before.chars().count().saturating_sub(keep);
    let tail: String = before.chars().skip(skip).collect();
    let tail = match tail.split_once(' ') {
        Some((_, rest)) if skip > 0 => rest.to_string(),
        _ => tail,
    };
    truncate(&format!("…{tail} {after}"), max)
}

/// The snippet without its markup, for the terminal.
fn plain_snippet(html: &str) -> String {
    html.replace("<mark>", "")
        .replace("</mark>", "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Reports warnings and skipped files on stderr; returns the exit code they call for.
fn report(archive: &Archive) -> ExitCode {
    for error in &archive.errors {
        tracing::error!("{error}");
    }
    for file in &archive.files {
        for warning in &file.warnings {
            tracing::warn!(file = %file.path.display(), "{warning}");
        }
        if let Some(reason) = &file.skipped {
            tracing::error!(file = %file.path.display(), "skipped: {reason}");
        }
    }
    if archive.skipped() > 0 {
        tracing::error!(skipped = archive.skipped(), "some input was skipped");
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn parse(paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let archive = parse_paths(paths)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for item in &archive.items {
        serde_json::to_writer(&mut out, item)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(report(&archive))
}

fn index_archive(
    paths: &[PathBuf],
    index: &Path,
    threads: Option<usize>,
    rebuild: bool,
) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let plan = paragraf_indexer::archive::plan(paths)?;
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let bar = Progress::new();
    let progress = |done, total| bar.show(done, total);
    let update = if rebuild {
        paragraf_indexer::index::update::rebuild(&plan, index, threads, &progress)
    } else {
        paragraf_indexer::index::update::update(&plan, paths, index, threads, &progress)
    }
    .with_context(|| format!("indexing into {}", index.display()))?;
    bar.finish();
    let mut parsed = update.parsed;
    parsed.errors = plan.errors;
    let code = report(&parsed);
    let summary = summary(
        plan.jobs.len(),
        &parsed,
        Changes {
            rebuilt: update.rebuilt.as_ref().map(|r| r as &dyn std::fmt::Display),
            added: update.added.len(),
            changed: update.changed.len(),
            removed: update.removed.len(),
            items_removed: update.items_removed,
            unchanged: update.unchanged,
        },
    );
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "{summary}")?;
    writeln!(
        out,
        "index at {}: {} items, {} meetings ({} ms)",
        index.display(),
        update.info.items,
        update.info.meetings,
        started.elapsed().as_millis()
    )?;
    Ok(code)
}

fn check(paths: &[PathBuf], index: &Path) -> anyhow::Result<ExitCode> {
    let existing: Vec<PathBuf> = paths.iter().filter(|p| p.exists()).cloned().collect();
    let plan = paragraf_indexer::archive::plan(&existing)?;
    let archive = (!existing.is_empty()).then_some((&plan, existing.as_slice()));
    let report = paragraf_indexer::index::check::check(index, archive)
        .with_context(|| format!("checking {}", index.display()))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(
        out,
        "index {} ({}): schema version {}, built {}, {} segments, {} items counted, {} meetings",
        index.display(),
        report.generation.display(),
        report.info.schema_version,
        report.info.built_at,
        report.segments,
        report.items_counted,
        report.info.meetings
    )?;
    for problem in &report.problems {
        writeln!(out, "problem: {problem}")?;
    }
    let list = |paths: &[PathBuf]| {
        paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !report.not_indexed.is_empty() {
        writeln!(
            out,
            "{} files are not in the index yet ({}): run `paragraf index`",
            report.not_indexed.len(),
            list(&report.not_indexed)
        )?;
    }
    if !report.outdated.is_empty() {
        writeln!(
            out,
            "{} files changed since they were indexed ({}): run `paragraf index`",
            report.outdated.len(),
            list(&report.outdated)
        )?;
    }
    if !report.gone.is_empty() {
        writeln!(out, "{} indexed files are gone from the archive ({}): run `paragraf index` to remove their items", report.gone.len(), report.gone.join(", "))?;
    }
    if !paths.is_empty() && existing.is_empty() {
        writeln!(
            out,
            "archive not found ({}): the index was not compared with it",
            list(paths)
        )?;
    }
    if report.is_healthy() {
        writeln!(
            out,
            "ok: the index is sound and up to date with the archive"
        )?;
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::from(1))
    }
}

/// What an indexing run changed, for its summary line (the tantivy and the OpenSearch index
/// alike).
struct Changes<'a> {
    rebuilt: Option<&'a dyn std::fmt::Display>,
    added: usize,
    changed: usize,
    removed: usize,
    items_removed: u64,
    unchanged: usize,
}

/// The line `paragraf index` prints: a rebuild and its reason, or what an update changed.
fn summary(jobs: usize, parsed: &Archive, changes: Changes<'_>) -> String {
    let new_items: usize = parsed.files.iter().map(|f| f.items).sum();
    let skipped = parsed.files.iter().filter(|f| f.skipped.is_some()).count();
    match changes.rebuilt {
        Some(reason) => format!(
            "built a new index ({reason}): {jobs} files, {new_items} items, {skipped} files skipped"
        ),
        None => format!(
            "added {} files, changed {}, removed {} ({} items out), unchanged {}, skipped {skipped}; {new_items} items in",
            changes.added,
            changes.changed,
            changes.removed,
            changes.items_removed,
            changes.unchanged,
        ),
    }
}

/// A progress bar on stderr (indicatif), drawn only when stderr is a terminal.
struct Progress(indicatif::ProgressBar);

impl Progress {
    fn new() -> Progress {
        let bar = indicatif::ProgressBar::with_draw_target(
            None,
            indicatif::ProgressDrawTarget::stderr_with_hz(10),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template("[{bar:30}] {pos}/{len} files") {
            bar.set_style(style.progress_chars("#>-"));
        }
        Progress(bar)
    }

    fn show(&self, done: usize, total: usize) {
        self.0.set_length(total as u64);
        self.0.set_position(done as u64);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// The cluster of `--engine opensearch`; `None` for the tantivy engine.
fn cluster(choice: &EngineArgs) -> anyhow::Result<Option<paragraf_opensearch::ClusterConfig>> {
    choice.cluster().map_err(anyhow::Error::msg)
}

/// `paragraf index --engine opensearch`: the same parser and incremental semantics, into a
/// cluster.
fn index_cluster(
    paths: &[PathBuf],
    config: &paragraf_opensearch::ClusterConfig,
    choice: &EngineArgs,
    rebuild: bool,
) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let plan = paragraf_indexer::archive::plan(paths)?;
    let indexer = paragraf_opensearch::Indexer::new(config, choice.settings());
    let bar = Progress::new();
    let progress = |done, total| bar.show(done, total);
    let update = if rebuild {
        indexer.rebuild(&plan, &progress)
    } else {
        indexer.update(&plan, paths, &progress)
    }
    .with_context(|| format!("indexing into {} at {}", config.index, config.url_list()))?;
    bar.finish();
    let mut parsed = update.parsed;
    parsed.errors = plan.errors;
    let code = report(&parsed);
    let summary = summary(
        plan.jobs.len(),
        &parsed,
        Changes {
            rebuilt: update.rebuilt.as_ref().map(|r| r as &dyn std::fmt::Display),
            added: update.added.len(),
            changed: update.changed.len(),
            removed: update.removed.len(),
            items_removed: update.items_removed,
            unchanged: update.unchanged,
        },
    );
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "{summary}")?;
    writeln!(
        out,
        "opensearch {} ({}): {} items ({} ms)",
        config.index,
        update.concrete,
        update.items,
        started.elapsed().as_millis()
    )?;
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passage_is_centred_on_the_match() {
        let html = "Ledamöterna beslutar att det blir ett corona-möte på onsdag i nästa vecka. \
                    Både <mark>munskydd</mark> och skyddshandskar är frågor som bör diskuteras.";
        assert_eq!(
            passage(html, 70),
            "…i nästa vecka. Både munskydd och skyddshandskar är frågor som bör di…"
        );
        assert_eq!(passage("Det <mark>brinner</mark>.", 70), "Det brinner.");
    }
}
