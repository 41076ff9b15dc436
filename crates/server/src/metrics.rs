//! `GET /metrics` in the Prometheus text format: requests by route and status, a latency
//! histogram per route, and the index's size, items and last commit.
//!
//! The metrics are prometheus-client's, written with its Prometheus text encoder (format
//! 0.0.4, the `Content-Type` the route sends), not OpenMetrics: that keeps the exposition the
//! same as the hand-written one it replaced, with no `# EOF` line and the counter's `# TYPE`
//! naming `paragraf_http_requests_total` (a test below compares it byte for byte).

use std::sync::atomic::AtomicU64;
use std::time::Duration;

use prometheus_client::encoding::prometheus_text;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// The labels of a request counter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    status: u16,
}

/// The label of a latency histogram.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

fn latency_histogram() -> Histogram {
    Histogram::new(BUCKETS)
}

/// Request counters and latency histograms, shared by all handlers.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        let mut registry = Registry::default();
        // The registry appends the `_total` of a counter and the `.` of a help text.
        registry.register(
            "paragraf_http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        registry.register(
            "paragraf_http_request_duration_seconds",
            "HTTP request latency by route",
            latency.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
        }
    }
}

impl Metrics {
    /// Records one request of a route (the matched path, not the raw URI, so the label set
    /// stays small) with its status and duration.
    pub fn record(&self, route: &str, status: u16, elapsed: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_string(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.to_string(),
            })
            .observe(elapsed.as_secs_f64());
    }

    /// The exposition text (Prometheus text format 0.0.4), with the index gauges given.
    pub fn render(&self, index: &IndexGauges) -> String {
        // The index figures are read from the engine being served at the time of the scrape,
        // so they are registered per scrape, not kept.
        let mut gauges = Registry::default();
        for (name, help, value) in [
            ("paragraf_index_items", "Items in the index", index.items),
            (
                "paragraf_index_meetings",
                "Meetings in the index",
                index.meetings,
            ),
            (
                "paragraf_index_size_bytes",
                "Size of the index on disk",
                index.size_bytes,
            ),
            (
                "paragraf_index_last_commit_timestamp_seconds",
                "Unix time of the index's last commit",
                index.committed_at,
            ),
        ] {
            let gauge = Gauge::<u64, AtomicU64>::default();
            gauge.set(value);
            gauges.register(name, help, gauge);
        }
        let mut out = String::new();
        // Writing to a String cannot fail, and the encoder fails only when its writer does.
        let _ = prometheus_text::encode(&mut out, &self.registry);
        let _ = prometheus_text::encode(&mut out, &gauges);
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

    /// The text the hand-written exposition wrote before prometheus-client, byte for byte, for
    /// one series of each metric (with several, the order of the series may differ).
    #[test]
    fn exposition_is_unchanged_from_the_hand_written_one() {
        let m = Metrics::default();
        m.record("/api/items/{id}", 404, Duration::from_millis(3));
        let text = m.render(&IndexGauges {
            items: 127,
            meetings: 18,
            size_bytes: 1000,
            committed_at: 1_795_499_479,
        });
        let bucket = |le: &str, n: u32| {
            format!("paragraf_http_request_duration_seconds_bucket{{route=\"/api/items/{{id}}\",le=\"{le}\"}} {n}\n")
        };
        let mut want = String::from(
            "# HELP paragraf_http_requests_total HTTP requests by route and status.\n\
             # TYPE paragraf_http_requests_total counter\n\
             paragraf_http_requests_total{route=\"/api/items/{id}\",status=\"404\"} 1\n\
             # HELP paragraf_http_request_duration_seconds HTTP request latency by route.\n\
             # TYPE paragraf_http_request_duration_seconds histogram\n",
        );
        for (le, n) in [
            ("0.001", 0),
            ("0.0025", 0),
            ("0.005", 1),
            ("0.01", 1),
            ("0.025", 1),
            ("0.05", 1),
            ("0.1", 1),
            ("0.25", 1),
            ("0.5", 1),
            ("1", 1),
            ("2.5", 1),
            ("10", 1),
            ("+Inf", 1),
        ] {
            want.push_str(&bucket(le, n));
        }
        want.push_str(
            "paragraf_http_request_duration_seconds_sum{route=\"/api/items/{id}\"} 0.003\n\
             paragraf_http_request_duration_seconds_count{route=\"/api/items/{id}\"} 1\n\
             # HELP paragraf_index_items Items in the index.\n\
             # TYPE paragraf_index_items gauge\n\
             paragraf_index_items 127\n\
             # HELP paragraf_index_meetings Meetings in the index.\n\
             # TYPE paragraf_index_meetings gauge\n\
             paragraf_index_meetings 18\n\
             # HELP paragraf_index_size_bytes Size of the index on disk.\n\
             # TYPE paragraf_index_size_bytes gauge\n\
             paragraf_index_size_bytes 1000\n\
             # HELP paragraf_index_last_commit_timestamp_seconds Unix time of the index's last commit.\n\
             # TYPE paragraf_index_last_commit_timestamp_seconds gauge\n\
             paragraf_index_last_commit_timestamp_seconds 1795499479\n",
        );
        assert_eq!(text, want);
    }

    #[test]
    fn label_values_are_escaped() {
        let m = Metrics::default();
        m.record("a\"b\\c\nd", 200, Duration::from_millis(1));
        let text = m.render(&IndexGauges::default());
        assert!(
            text.lines()
                .any(|l| l
                    == "paragraf_http_requests_total{route=\"a\\\"b\\\\c\\nd\",status=\"200\"} 1"),
            "{text}"
        );
    }

    /// Before the first request there are no request series, and prometheus-client leaves an
    /// empty family out altogether, `# HELP` and `# TYPE` too (the hand-written exposition
    /// wrote those two lines even then). The index gauges are always there.
    #[test]
    fn before_any_request_only_the_index_gauges_are_written() {
        let text = Metrics::default().render(&IndexGauges::default());
        assert!(!text.contains("paragraf_http_"), "{text}");
        assert_eq!(
            text.lines().take(3).collect::<Vec<_>>(),
            [
                "# HELP paragraf_index_items Items in the index.",
                "# TYPE paragraf_index_items gauge",
                "paragraf_index_items 0",
            ]
        );
    }
}
