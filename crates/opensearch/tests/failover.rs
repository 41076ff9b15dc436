//! Several cluster URLs (issue #21): with dead URLs before a live one, every search succeeds
//! through the HTTP API with the same body as over the live URL alone; with every URL dead,
//! `503 cluster_unavailable` in bounded time, never a 500 or a hang.
//!
//! The cluster's URL comes from `PARAGRAF_OPENSEARCH_URL` (see `cluster.rs`); without it this
//! test fails with the command that starts one.

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use paragraf_opensearch::{ClusterConfig, IndexSettings, Indexer, OpenSearchEngine};
use paragraf_server::{router, AppState, HttpConfig};
use serde_json::{json, Value};
use tower::ServiceExt;

const INDEX: &str = "paragraf-failover";

fn cluster_urls() -> Vec<String> {
    match std::env::var("PARAGRAF_OPENSEARCH_URL") {
        Ok(url) if !url.trim().is_empty() => url.split(',').map(str::to_string).collect(),
        _ => panic!(
            "PARAGRAF_OPENSEARCH_URL is not set: this test needs a real OpenSearch cluster. \
             Start one with `url=\"$(scripts/opensearch-cluster start)\"` and run \
             `PARAGRAF_OPENSEARCH_URL=\"$url\" cargo test -p paragraf-opensearch`, or run scripts/test"
        ),
    }
}

/// A URL where nothing listens (a port just freed).
fn dead_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    format!("http://{}", listener.local_addr().expect("address"))
}

fn app(urls: &[String]) -> axum::Router {
    let mut config = ClusterConfig::from_urls(urls).expect("valid URLs");
    config.index = INDEX.to_string();
    config.timeout = Duration::from_secs(5);
    router(
        AppState::new(Arc::new(OpenSearchEngine::new(&config))),
        &HttpConfig::default(),
    )
}

async fn get(app: axum::Router, uri: &str) -> (StatusCode, Value) {
    let response = app
        .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let mut body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    if body.get("took_ms").is_some() {
        body["took_ms"] = Value::Null;
    }
    (status, body)
}

const URIS: [&str; 4] = [
    "/api/search?q=munskydd",
    "/api/search?municipality=Krokom&sort=date&limit=3",
    "/api/items/svom-2020-12-04.12",
    "/api/suggest?q=kro",
];

#[tokio::test(flavor = "multi_thread")]
async fn dead_urls_before_a_live_one_are_skipped_and_all_dead_is_503() {
    let live = cluster_urls();
    let archive = [PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../index-data")];
    let mut config = ClusterConfig::from_urls(&live).expect("valid URLs");
    config.index = INDEX.to_string();
    config.timeout = Duration::from_secs(30);
    let plan = paragraf_indexer::archive::plan(&archive).expect("plan");
    let built = tokio::task::spawn_blocking(move || {
        Indexer::new(&config, IndexSettings::default()).rebuild(&plan, &|_, _| {})
    })
    .await
    .expect("join")
    .expect("index index-data into the cluster");
    assert!(built.items > 100, "index-data has {} items", built.items);

    let direct = app(&live);
    let mut with_dead = vec![dead_url(), dead_url()];
    with_dead.extend(live.iter().cloned());
    let failing_over = app(&with_dead);
    for uri in URIS {
        let (status, body) = get(direct.clone(), uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        // Twice: the first goes through the dead URLs, the second to the node that answered.
        for round in 0..2 {
            let started = Instant::now();
            let (s, b) = get(failing_over.clone(), uri).await;
            assert_eq!((s, &b), (status, &body), "{uri}, round {round}");
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "{uri} took {:?}",
                started.elapsed()
            );
        }
    }

    let all_dead = app(&[dead_url(), dead_url(), dead_url()]);
    for uri in URIS {
        let started = Instant::now();
        let (status, body) = get(all_dead.clone(), uri).await;
        assert_eq!(
            (status, body),
            (
                StatusCode::SERVICE_UNAVAILABLE,
                json!({
                    "code": "cluster_unavailable",
                    "message": "the search cluster is unavailable; try again in a moment"
                })
            ),
            "{uri}"
        );
        // Refused connections fail at once: three nodes, well under one timeout.
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{uri} took {:?}",
            started.elapsed()
        );
    }
}
