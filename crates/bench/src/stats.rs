//! Percentiles, repeated timings and memory readings.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// Timings of a query set: (index of the query, time) per search, and each query's hit total.
pub type Timed = (Vec<(usize, Duration)>, Vec<u64>);

/// Sequential latency of a query set, the same loop for every engine: the set once for each
/// query's hit total (`total` of the answer), which also warms up, then rounds until `budget`
/// is spent (at least one, at most `max_rounds`), timing each `search`.
pub fn sequential<Q, R>(
    queries: &[Q],
    budget: Duration,
    max_rounds: usize,
    mut search: impl FnMut(&Q) -> anyhow::Result<R>,
    total: impl Fn(&R) -> u64,
) -> anyhow::Result<Timed> {
    let totals = queries
        .iter()
        .map(|q| search(q).map(|r| total(&r)))
        .collect::<anyhow::Result<_>>()?;
    let mut samples = Vec::new();
    let started = Instant::now();
    for _ in 0..max_rounds {
        for (i, q) in queries.iter().enumerate() {
            let t = Instant::now();
            let answer = search(q)?;
            samples.push((i, t.elapsed()));
            std::hint::black_box(answer);
        }
        if started.elapsed() > budget {
            break;
        }
    }
    Ok((samples, totals))
}

/// A latency distribution in milliseconds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Latency {
    /// Number of timed requests.
    pub samples: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Latency {
    /// Nearest-rank percentiles of the samples.
    pub fn of(samples: &[Duration]) -> Latency {
        let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        ms.sort_by(f64::total_cmp);
        Latency {
            samples: ms.len(),
            p50_ms: percentile(&ms, 50.0),
            p95_ms: percentile(&ms, 95.0),
            p99_ms: percentile(&ms, 99.0),
            max_ms: ms.last().copied().unwrap_or(f64::NAN),
        }
    }
}

/// Nearest-rank percentile of sorted values.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Min, median and max of repeated measurements.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Spread {
    pub min: f64,
    pub median: f64,
    pub max: f64,
    pub runs: usize,
}

impl Spread {
    pub fn of(values: &[f64]) -> Spread {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        Spread {
            min: v.first().copied().unwrap_or(f64::NAN),
            median: percentile(&v, 50.0),
            max: v.last().copied().unwrap_or(f64::NAN),
            runs: v.len(),
        }
    }
}

/// A `/proc/<pid>/status` field in bytes (`VmHWM`, `VmRSS`, `RssAnon`, `RssFile`).
pub fn proc_status_bytes(pid: &str, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        let kb: u64 = rest.trim().trim_end_matches("kB").trim().parse().ok()?;
        Some(kb * 1024)
    })
}

/// Bytes of all files under a path.
pub fn dir_size(path: &std::path::Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if meta.is_file() {
        return meta.len();
    }
    if !meta.is_dir() {
        return 0;
    }
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| dir_size(&e.path()))
                .sum()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), 50.0);
        assert_eq!(percentile(&v, 99.0), 99.0);
        assert_eq!(percentile(&v, 100.0), 100.0);
        assert_eq!(percentile(&[7.0], 99.0), 7.0);
    }
}
