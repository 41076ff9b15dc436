//! `paragraf-bench report`: RESULTS.md (machine, versions, commands, tables, ratios, targets)
//! and an SVG chart of query latency against corpus size, written without a plotting crate.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::results::{CorpusResult, EngineResult, LoadLevel};

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;
const MIB: f64 = 1024.0 * 1024.0;

pub fn write(
    paths: &[PathBuf],
    out: &Path,
    chart: &Path,
    findings: Option<&Path>,
    command: &str,
) -> anyhow::Result<()> {
    let mut results: Vec<CorpusResult> = paths
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).with_context(|| p.display().to_string())?;
            serde_json::from_slice(&bytes).with_context(|| p.display().to_string())
        })
        .collect::<anyhow::Result<_>>()?;
    // Synthetic corpora by size, the real one last.
    results.sort_by_key(|r| (!r.source.starts_with("gen_corpus"), r.items));

    let mut md = String::new();
    md.push_str("# Benchmarks: Paragraf, PostgreSQL and SQLite (issue #7)\n\n");
    md.push_str(&format!(
        "Written by `{command}` (`paragraf-bench report`); the tables are generated, the findings at the end are written by hand. Timings are never asserted anywhere: this machine is shared and noisy.\n\n"
    ));
    machine(&mut md);
    md.push_str("\n## What is measured\n\n");
    md.push_str("- **Indexing**: Paragraf end to end from the minutes files (read, parse into items, Swedish analysis, tantivy write and commit) in its own process, with the indexing threads `paragraf index` uses (up to one per core and per 8 MB of item text: the riksdagen sample gets one, which writes a single segment with no merge). PostgreSQL: concurrent `COPY` (one per core) of the items Paragraf parsed, with the `tsvector` computed during COPY by `to_tsvector('swedish', …)` in a generated column, then GIN, filter indexes and `ANALYZE`. SQLite: inserts in one transaction, FTS5 `rebuild`, filter indexes (one writer). **The peers do not parse minutes**: Paragraf's figure includes parsing, shown separately.\n");
    md.push_str("- **MB/s** is megabytes (10^6) of minutes files per second; **index size** is bytes on disk (PostgreSQL: `pg_total_relation_size`, table + TOAST + indexes).\n");
    md.push_str("- **Latency**: the mixed set of `crates/bench/src/queries.rs` (single words, several words, phrases, compounds, filtered by municipality and date), run one after another until the time budget is spent; every search returns the top 10 with snippets and the total, with facet counts for municipality, speaker, body and year. Paragraf and SQLite in-process; PostgreSQL over one connection on a unix socket (`websearch_to_tsquery`, `ts_rank`, `ts_headline`, one statement that also counts the facets).\n");
    md.push_str("- **Load**: closed loop with 1, 8 and 64 concurrent clients, each bounded in time and count. Paragraf over HTTP/1.1 keep-alive on 127.0.0.1 (its own router in a child process, the load client in the harness process: they share the 2 cores). The peers over their native interfaces (PostgreSQL wire protocol on a unix socket, SQLite in-process threads): no HTTP and no JSON, which favours them.\n");
    md.push_str("- **Ratios** are Paragraf / peer: above 1 is better for Paragraf for throughput (MB/s, req/s), below 1 is better for latency and size.\n\n");

    for r in &results {
        corpus_table(&mut md, r);
    }
    targets(&mut md, &results);
    classes(&mut md, &results);
    hits(&mut md, &results);

    md.push_str("\n## Chart\n\n![query latency against corpus size](latency.svg)\n\n");
    md.push_str("p50 (solid) and p99 (dashed) of the sequential mixed set, log scales, synthetic corpora.\n");
    if let Some(path) = findings {
        if let Ok(text) = std::fs::read_to_string(path) {
            md.push('\n');
            md.push_str(&text);
        }
    }
    std::fs::write(out, md)?;
    std::fs::write(chart, svg(&results))?;
    Ok(())
}

fn machine(md: &mut String) {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or("?".into(), |kb| format!("{:.1} GiB", kb * 1024.0 / GIB));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let rustc = std::process::Command::new("rustc")
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let tantivy = std::fs::read_to_string("Cargo.lock")
        .ok()
        .and_then(|lock| {
            let needle = "name = \"tantivy\"\nversion = \"";
            let rest = &lock[lock.find(needle)? + needle.len()..];
            rest.split('"').next().map(str::to_string)
        })
        .unwrap_or_else(|| "?".into());
    let _ = writeln!(md, "## Machine and versions\n");
    let _ = writeln!(
        md,
        "- CPU: {cpu}, {cores} cores; memory {mem}; Linux {}",
        kernel.trim()
    );
    let _ = writeln!(md, "- {rustc}; tantivy {tantivy}; release profile");
    let _ = writeln!(
        md,
        "- PostgreSQL and SQLite versions are in each table's header row"
    );
    let _ = writeln!(md, "- PostgreSQL settings: a throw-away cluster (initdb, C.UTF-8), `shared_buffers=1GB`, `maintenance_work_mem=1GB`, `work_mem=64MB`, otherwise defaults (fsync on)");
    let _ = writeln!(md, "- Corpora: `../shared/bench/gen_corpus.py --items N --seed 1` (byte-identical per N) and `bench/riksdagen_minutes.py` over `../shared/corpus/riksdagen-records-sample/speeches.jsonl`");
}

fn ratio(a: f64, b: f64) -> String {
    if a.is_finite() && b.is_finite() && b > 0.0 {
        format!("{:.2}", a / b)
    } else {
        "–".into()
    }
}

fn fmt(v: f64, unit: &str) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let digits = if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else {
        2
    };
    format!("{v:.digits$}{unit}")
}

/// How a figure is read from an engine's results on a corpus.
type Reading = Box<dyn Fn(&CorpusResult, &EngineResult) -> f64>;

/// A figure of an engine, and whether higher is better.
struct Figure {
    name: String,
    higher_better: bool,
    get: Reading,
}

impl Figure {
    fn new(
        name: impl Into<String>,
        higher_better: bool,
        get: impl Fn(&CorpusResult, &EngineResult) -> f64 + 'static,
    ) -> Figure {
        Figure {
            name: name.into(),
            higher_better,
            get: Box::new(get),
        }
    }
}

/// The rows of a corpus table, in order: indexing, size, sequential latency, then each load
/// level's throughput and latency.
fn figures() -> Vec<Figure> {
    let mut v = vec![
        Figure::new("indexing, s (median)", false, |_, e| e.index_seconds.median),
        Figure::new("indexing, MB/s of minutes", true, |r, e| {
            r.text_bytes as f64 / 1e6 / e.index_seconds.median
        }),
        Figure::new("indexing, items/s", true, |r, e| {
            r.items as f64 / e.index_seconds.median
        }),
        Figure::new("index size, MiB", false, |_, e| e.index_bytes as f64 / MIB),
        Figure::new("index size / text size", false, |r, e| {
            e.index_bytes as f64 / r.text_bytes as f64
        }),
        Figure::new("query p50, ms", false, |_, e| e.latency.p50_ms),
        Figure::new("query p95, ms", false, |_, e| e.latency.p95_ms),
        Figure::new("query p99, ms", false, |_, e| e.latency.p99_ms),
    ];
    for c in [1usize, 8, 64] {
        let clients = if c == 1 {
            "1 client".to_string()
        } else {
            format!("{c} clients")
        };
        let of = move |e: &EngineResult, figure: fn(&LoadLevel) -> f64| {
            level(e, c).map_or(f64::NAN, figure)
        };
        v.push(Figure::new(
            format!("{clients}: req/s"),
            true,
            move |_, e| of(e, |l| l.rps),
        ));
        v.push(Figure::new(
            format!("{clients}: p50 ms"),
            false,
            move |_, e| of(e, |l| l.latency.p50_ms),
        ));
        v.push(Figure::new(
            format!("{clients}: p99 ms"),
            false,
            move |_, e| of(e, |l| l.latency.p99_ms),
        ));
    }
    v
}

fn level(e: &EngineResult, clients: usize) -> Option<&LoadLevel> {
    e.load.iter().find(|l| l.clients == clients)
}

fn corpus_table(md: &mut String, r: &CorpusResult) {
    let _ = writeln!(
        md,
        "## {} — {} items, {} files, {:.1} MB of minutes ({})\n",
        r.label,
        r.items,
        r.files,
        r.text_bytes as f64 / 1e6,
        r.source
    );
    let pg = r.postgres.as_ref();
    let sq = r.sqlite.as_ref();
    let _ = writeln!(
        md,
        "| figure | Paragraf | {} | {} | Paragraf / PostgreSQL | Paragraf / SQLite |",
        pg.map_or("PostgreSQL", |e| e.version.as_str()),
        sq.map_or("SQLite", |e| e.version.as_str())
    );
    md.push_str("|---|---:|---:|---:|---:|---:|\n");
    for f in figures() {
        let p = (f.get)(r, &r.paragraf);
        let g = pg.map_or(f64::NAN, |e| (f.get)(r, e));
        let s = sq.map_or(f64::NAN, |e| (f.get)(r, e));
        let mark = |x: f64| {
            if !x.is_finite() || !p.is_finite() {
                return String::new();
            }
            let better = if f.higher_better { p > x } else { p < x };
            if better {
                " ✓".into()
            } else {
                " ✗".into()
            }
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {}{} | {}{} |",
            f.name,
            fmt(p, ""),
            fmt(g, ""),
            fmt(s, ""),
            ratio(p, g),
            mark(g),
            ratio(p, s),
            mark(s)
        );
    }
    let spread = |e: &EngineResult| {
        format!(
            "{:.2} / {:.2} / {:.2} s over {} run(s)",
            e.index_seconds.min, e.index_seconds.median, e.index_seconds.max, e.index_seconds.runs
        )
    };
    md.push('\n');
    let _ = writeln!(
        md,
        "- Indexing min / median / max: Paragraf {}{}",
        spread(&r.paragraf),
        r.paragraf
            .parse_seconds
            .as_ref()
            .map_or(String::new(), |p| format!(
                " (of which parsing the minutes: median {:.2} s)",
                p.median
            ))
    );
    if let Some(e) = pg {
        let _ = writeln!(md, "  ; PostgreSQL {}", spread(e));
    }
    if let Some(e) = sq {
        let _ = writeln!(md, "  ; SQLite {}", spread(e));
    }
    if let Some(rss) = r.paragraf.index_peak_rss {
        let _ = writeln!(
            md,
            "- Paragraf indexing peak memory (VmHWM of the indexing process): {:.0} MiB",
            rss as f64 / MIB
        );
    }
    if let Some(m) = &r.paragraf.server_memory {
        let _ = writeln!(
            md,
            "- Paragraf server memory after the load: peak resident {:.0} MiB; resident {:.0} MiB = {:.0} MiB own (heap, stacks) + {:.0} MiB mapped index pages (page cache, reclaimable)",
            m.peak_rss as f64 / MIB, m.rss as f64 / MIB, m.anon as f64 / MIB, m.file as f64 / MIB
        );
    }
    let samples = |e: &EngineResult| e.latency.samples;
    let _ = writeln!(
        md,
        "- Latency samples: Paragraf {}, PostgreSQL {}, SQLite {}; load errors: Paragraf {}",
        samples(&r.paragraf),
        pg.map_or(0, samples),
        sq.map_or(0, samples),
        r.paragraf.load.iter().map(|l| l.errors).sum::<u64>()
    );
    md.push('\n');
}

fn targets(md: &mut String, results: &[CorpusResult]) {
    md.push_str("## Targets\n\n| target | corpus | result |\n|---|---|---|\n");
    for r in results {
        let Some(pg) = &r.postgres else { continue };
        let p = &r.paragraf;
        let checks = [
            (
                "indexing throughput ahead of PostgreSQL",
                p.index_seconds.median < pg.index_seconds.median,
                format!(
                    "{:.2} s vs {:.2} s",
                    p.index_seconds.median, pg.index_seconds.median
                ),
            ),
            (
                "query p50 ahead of PostgreSQL",
                p.latency.p50_ms < pg.latency.p50_ms,
                format!("{:.2} ms vs {:.2} ms", p.latency.p50_ms, pg.latency.p50_ms),
            ),
            (
                "query p99 ahead of PostgreSQL",
                p.latency.p99_ms < pg.latency.p99_ms,
                format!("{:.2} ms vs {:.2} ms", p.latency.p99_ms, pg.latency.p99_ms),
            ),
        ];
        for (name, ok, detail) in checks {
            let _ = writeln!(
                md,
                "| {name} | {} | {} ({detail}) |",
                r.label,
                if ok { "met" } else { "**missed**" }
            );
        }
        for c in [1, 8, 64] {
            if let (Some(a), Some(b)) = (level(p, c), level(pg, c)) {
                let _ = writeln!(
                    md,
                    "| requests/s ahead of PostgreSQL, {c} clients | {} | {} ({:.0} vs {:.0}) |",
                    r.label,
                    if a.rps > b.rps { "met" } else { "**missed**" },
                    a.rps,
                    b.rps
                );
            }
        }
    }
    match results.iter().find(|r| r.items >= 1_000_000) {
        Some(r) => {
            let p99 = r.paragraf.latency.p99_ms;
            let _ = writeln!(md, "| query p99 under 50 ms with facets at 1M | {} | {} ({p99:.1} ms) |", r.label, if p99 < 50.0 { "met" } else { "**missed**" });
            if let Some(m) = &r.paragraf.server_memory {
                let _ = writeln!(md, "| server memory under 1 GiB at 1M | {} | {} (peak resident {:.0} MiB, own {:.0} MiB) |", r.label, if (m.peak_rss as f64) < GIB { "met" } else { "**missed**" }, m.peak_rss as f64 / MIB, m.anon as f64 / MIB);
            }
        }
        None => md.push_str("| query p99 under 50 ms and server memory under 1 GiB at 1M | 1M | **not measured in this run** (see the findings) |\n"),
    }
    md.push('\n');
}

fn classes(md: &mut String, results: &[CorpusResult]) {
    md.push_str("## Latency by kind of query (p50 / p99 ms)\n\n| corpus | kind | Paragraf | PostgreSQL | SQLite |\n|---|---|---:|---:|---:|\n");
    for r in results {
        for (class, l) in &r.paragraf.latency_by_class {
            let peer = |e: Option<&EngineResult>| {
                e.and_then(|e| e.latency_by_class.get(class))
                    .map_or("–".into(), |l| {
                        format!("{:.2} / {:.2}", l.p50_ms, l.p99_ms)
                    })
            };
            let _ = writeln!(
                md,
                "| {} | {class} | {:.2} / {:.2} | {} | {} |",
                r.label,
                l.p50_ms,
                l.p99_ms,
                peer(r.postgres.as_ref()),
                peer(r.sqlite.as_ref())
            );
        }
    }
    md.push('\n');
}

fn hits(md: &mut String, results: &[CorpusResult]) {
    let Some(r) = results
        .iter()
        .filter(|r| r.source.starts_with("gen_corpus"))
        .max_by_key(|r| r.items)
    else {
        return;
    };
    let _ = writeln!(
        md,
        "## Hits per query ({}), to check the engines do comparable work\n",
        r.label
    );
    md.push_str("Paragraf also matches other inflections, compound parts and (from five letters) one typo; PostgreSQL stems with Snowball; SQLite matches exact forms.\n\n| query | Paragraf | PostgreSQL | SQLite |\n|---|---:|---:|---:|\n");
    for (q, n) in &r.paragraf.totals {
        let peer = |e: Option<&EngineResult>| {
            e.and_then(|e| e.totals.get(q))
                .map_or("–".into(), |n| n.to_string())
        };
        let _ = writeln!(
            md,
            "| `{}` | {n} | {} | {} |",
            q.replace('|', "\\|"),
            peer(r.postgres.as_ref()),
            peer(r.sqlite.as_ref())
        );
    }
    md.push('\n');
}

/// Log-log chart of p50 and p99 against items, one colour per engine.
fn svg(results: &[CorpusResult]) -> String {
    let synthetic: Vec<&CorpusResult> = results
        .iter()
        .filter(|r| r.source.starts_with("gen_corpus"))
        .collect();
    let (w, h, left, right, top, bottom) = (720.0, 440.0, 70.0, 170.0, 30.0, 50.0);
    type Get = fn(&CorpusResult) -> Option<&EngineResult>;
    let engines: [(&str, &str, Get); 3] = [
        ("Paragraf", "#1f77b4", |r: &CorpusResult| Some(&r.paragraf)),
        ("PostgreSQL", "#d62728", |r: &CorpusResult| {
            r.postgres.as_ref()
        }),
        ("SQLite", "#2ca02c", |r: &CorpusResult| r.sqlite.as_ref()),
    ];
    type Series<'a> = (&'a str, &'a str, Vec<(f64, f64, f64)>);
    let series: Vec<Series> = engines
        .into_iter()
        .map(|(name, colour, get)| {
            let pts = synthetic
                .iter()
                .filter_map(|r| {
                    get(r).map(|e| (r.items as f64, e.latency.p50_ms, e.latency.p99_ms))
                })
                .collect();
            (name, colour, pts)
        })
        .collect();
    let xs: Vec<f64> = synthetic.iter().map(|r| r.items as f64).collect();
    let ys: Vec<f64> = series
        .iter()
        .flat_map(|s| s.2.iter().flat_map(|p| [p.1, p.2]))
        .filter(|v| *v > 0.0)
        .collect();
    let (x0, x1) = bounds_log(&xs);
    let (y0, y1) = bounds_log(&ys);
    let px = |x: f64| left + (x.log10() - x0) / (x1 - x0).max(1e-9) * (w - left - right);
    let py =
        |y: f64| h - bottom - (y.max(1e-3).log10() - y0) / (y1 - y0).max(1e-9) * (h - top - bottom);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{}" y="18" font-size="14">Query latency (mixed set, with facets) against corpus size</text>"#,
        left
    );
    for e in (y0.floor() as i32)..=(y1.ceil() as i32) {
        let v = 10f64.powi(e);
        if v.log10() < y0 - 1e-9 || v.log10() > y1 + 1e-9 {
            continue;
        }
        let y = py(v);
        let _ = writeln!(
            s,
            r##"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end">{} ms</text>"##,
            w - right,
            left - 6.0,
            y + 4.0,
            trim(v)
        );
    }
    for x in &xs {
        let xp = px(*x);
        let _ = writeln!(
            s,
            r##"<line x1="{xp:.1}" x2="{xp:.1}" y1="{top}" y2="{}" stroke="#ddd"/><text x="{xp:.1}" y="{}" text-anchor="middle">{}</text>"##,
            h - bottom,
            h - bottom + 16.0,
            items_label(*x)
        );
    }
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">items (log scale)</text>"#,
        (left + w - right) / 2.0,
        h - 12.0
    );
    for (i, (name, colour, pts)) in series.iter().enumerate() {
        for (k, dash) in [(1usize, ""), (2, r#" stroke-dasharray="6 4""#)] {
            let d: Vec<String> = pts
                .iter()
                .map(|p| format!("{:.1},{:.1}", px(p.0), py(if k == 1 { p.1 } else { p.2 })))
                .collect();
            if !d.is_empty() {
                let _ = writeln!(
                    s,
                    r#"<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} points="{}"/>"#,
                    d.join(" ")
                );
            }
            for p in pts {
                let _ = writeln!(
                    s,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{colour}"/>"#,
                    px(p.0),
                    py(if k == 1 { p.1 } else { p.2 })
                );
            }
        }
        let ly = top + 20.0 + i as f64 * 36.0;
        let lx = w - right + 14.0;
        let _ = writeln!(
            s,
            r#"<line x1="{lx}" x2="{}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="2"/><text x="{}" y="{}">{name} p50</text>"#,
            lx + 24.0,
            lx + 30.0,
            ly + 4.0
        );
        let _ = writeln!(
            s,
            r#"<line x1="{lx}" x2="{}" y1="{}" y2="{}" stroke="{colour}" stroke-width="2" stroke-dasharray="6 4"/><text x="{}" y="{}">{name} p99</text>"#,
            lx + 24.0,
            ly + 16.0,
            ly + 16.0,
            lx + 30.0,
            ly + 20.0
        );
    }
    s.push_str("</svg>\n");
    s
}

fn bounds_log(v: &[f64]) -> (f64, f64) {
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let (lo, hi) = (lo.log10(), hi.log10());
    if hi - lo < 0.5 {
        (lo - 0.25, hi + 0.25)
    } else {
        (lo - 0.1, hi + 0.1)
    }
}

fn trim(v: f64) -> String {
    if v >= 1.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

fn items_label(n: f64) -> String {
    if n >= 1e6 {
        format!("{}M", n / 1e6)
    } else if n >= 1e3 {
        format!("{}k", n / 1e3)
    } else {
        format!("{n}")
    }
}
