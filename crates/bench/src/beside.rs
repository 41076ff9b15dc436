//! `paragraf-bench latency --beside`: Paragraf's own index and an OpenSearch index of the same
//! items timed in the same run (issue #21), round by round in turn, so that both see the same
//! machine load: each query's hits and p50/p99 per engine, then the whole set's.

use std::time::{Duration, Instant};

use paragraf_query::{SearchEngine, SearchRequest};

use crate::queries::BenchQuery;
use crate::stats::{proc_status_bytes, Latency};

/// Per engine: (query index, time) of every timed search, and each query's hit total.
struct Side {
    samples: Vec<(usize, Duration)>,
    totals: Vec<u64>,
}

/// Warms both engines up (the set once each, which also gives the hit totals), then runs the
/// set on one engine and then the other until `budget` is spent, and prints the tables.
pub fn print(
    tantivy: &dyn SearchEngine,
    opensearch: &dyn SearchEngine,
    queries: &[BenchQuery],
    budget: Duration,
) -> anyhow::Result<()> {
    let requests: Vec<SearchRequest> = queries
        .iter()
        .map(|q| SearchRequest::from_pairs(q.pairs()))
        .collect::<Result<_, _>>()?;
    let engines = [tantivy, opensearch];
    let mut sides: Vec<Side> = Vec::new();
    for engine in engines {
        let totals = requests
            .iter()
            .map(|r| engine.search(r).map(|a| a.total))
            .collect::<Result<_, _>>()?;
        sides.push(Side {
            samples: Vec::new(),
            totals,
        });
    }
    let started = Instant::now();
    let mut rounds = 0;
    while rounds == 0 || started.elapsed() < budget {
        for (engine, side) in engines.iter().zip(&mut sides) {
            for (i, request) in requests.iter().enumerate() {
                let t = Instant::now();
                let answer = engine.search(request)?;
                side.samples.push((i, t.elapsed()));
                std::hint::black_box(answer);
            }
        }
        rounds += 1;
    }
    println!(
        "| query | hits tantivy | hits OpenSearch | tantivy p50 / p99 ms | OpenSearch p50 / p99 ms |"
    );
    println!("|---|---:|---:|---:|---:|");
    for (i, q) in queries.iter().enumerate() {
        let of = |side: &Side| {
            let own: Vec<Duration> = side
                .samples
                .iter()
                .filter(|(at, _)| *at == i)
                .map(|(_, d)| *d)
                .collect();
            Latency::of(&own)
        };
        let (t, o) = (of(&sides[0]), of(&sides[1]));
        println!(
            "| {} `{}`{} | {} | {} | {:.2} / {:.2} | {:.1} / {:.1} |",
            q.class,
            q.q,
            q.municipality
                .map(|m| format!(" municipality={m}"))
                .unwrap_or_default(),
            sides[0].totals[i],
            sides[1].totals[i],
            t.p50_ms,
            t.p99_ms,
            o.p50_ms,
            o.p99_ms
        );
    }
    let all = |side: &Side| {
        let all: Vec<Duration> = side.samples.iter().map(|(_, d)| *d).collect();
        Latency::of(&all)
    };
    let (t, o) = (all(&sides[0]), all(&sides[1]));
    println!(
        "| all ({rounds} rounds, {} searches each) | | | {:.2} / {:.2} | {:.1} / {:.1} |",
        t.samples, t.p50_ms, t.p99_ms, o.p50_ms, o.p99_ms
    );
    let mib = |key: &str| proc_status_bytes("self", key).map_or(f64::NAN, |b| b as f64 / 1048576.0);
    println!(
        "\nthis process (the tantivy engine; the OpenSearch engine is an HTTP client): RSS {:.0} MiB, peak {:.0} MiB",
        mib("VmRSS"),
        mib("VmHWM")
    );
    Ok(())
}
