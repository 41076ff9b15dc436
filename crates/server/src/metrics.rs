//! `GET /metrics` in the Prometheus text format: requests by route and status, a latency
//! histogram per route, and the index's size, items and last commit.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Debug, Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

/// Request counters and latency histograms, shared by all handlers.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
}

impl Metrics {
    /// Records one request of a route (the matched path, not the raw URI, so the label set
    /// stays small) with its status and duration.
    pub fn record(&self, route: &str, status: u16, elapsed: Duration) {
        if let Ok(mut requests) = self.requests.lock() {
            *requests.entry((route.to_string(), status)).or_default() += 1;
        }
        if let Ok(mut latency) = self.latency.lock() {
            let h = latency.entry(route.to_string()).or_default();
            let secs = elapsed.as_secs_f64();
            for (i, bound) in BUCKETS.iter().enumerate() {
                if secs <= *bound {
                    h.counts[i] += 1;
                }
            }
            h.sum += secs;
            h.count += 1;
        }
    }

    /// The exposition text, with the index gauges given.
    pub fn render(&self, index: &IndexGauges) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP paragraf_http_requests_total HTTP requests by route and status."
        );
        let _ = writeln!(out, "# TYPE paragraf_http_requests_total counter");
        if let Ok(requests) = self.requests.lock() {
            for ((route, status), n) in requests.iter() {
                let _ = writeln!(
                    out,
                    "paragraf_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
                    escape(route)
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP paragraf_http_request_duration_seconds HTTP request latency by route."
        );
        let _ = writeln!(
            out,
            "# TYPE paragraf_http_request_duration_seconds histogram"
        );
        if let Ok(latency) = self.latency.lock() {
            for (route, h) in latency.iter() {
                let route = escape(route);
                for (bound, n) in BUCKETS.iter().zip(h.counts) {
                    let _ = writeln!(
                        out,
                        "paragraf_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                    );
                }
                let _ = writeln!(
                    out,
                    "paragraf_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(
                    out,
                    "paragraf_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "paragraf_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                    h.count
                );
            }
        }
        for (name, help, value) in [
            ("paragraf_index_items", "Items in the index.", index.items),
            (
                "paragraf_index_meetings",
                "Meetings in the index.",
                index.meetings,
            ),
            (
                "paragraf_index_size_bytes",
                "Size of the index on disk.",
                index.size_bytes,
            ),
            (
                "paragraf_index_last_commit_timestamp_seconds",
                "Unix time of the index's last commit.",
                index.committed_at,
            ),
        ] {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        }
        out
    }
}

/// Index figures for the exposition.
#[derive(Debug, Clone, Copy, Default)]
pub struct IndexGauges {
    /// Items.
    pub items: u64,
    /// Meetings.
    pub meetings: u64,
    /// Bytes on disk.
    pub size_bytes: u64,
    /// Unix time of the last commit.
    pub committed_at: u64,
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposition_counts_requests_and_buckets() {
        let m = Metrics::default();
        m.record("/api/search", 200, Duration::from_millis(3));
        m.record("/api/search", 200, Duration::from_millis(30));
        m.record("/api/search", 400, Duration::from_micros(500));
        let text = m.render(&IndexGauges {
            items: 127,
            meetings: 18,
            size_bytes: 1000,
            committed_at: 1_795_499_479,
        });
        for line in [
            "paragraf_http_requests_total{route=\"/api/search\",status=\"200\"} 2",
            "paragraf_http_requests_total{route=\"/api/search\",status=\"400\"} 1",
            "paragraf_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"0.001\"} 1",
            "paragraf_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"0.005\"} 2",
            "paragraf_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"+Inf\"} 3",
            "paragraf_http_request_duration_seconds_count{route=\"/api/search\"} 3",
            "paragraf_index_items 127",
            "paragraf_index_last_commit_timestamp_seconds 1795499479",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "missing {line:?} in:\n{text}"
            );
        }
    }
}
