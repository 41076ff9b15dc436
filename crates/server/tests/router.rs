//! The router over a two-item index written inline, through `oneshot` (no socket): the JSON
//! errors of the fallbacks and of a query string that does not parse, and `/metrics`. The
//! end-to-end tests over `index-data/` are in the repository's `tests/http.rs`.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use paragraf_query::Engine;
use paragraf_server::{admin_router, router, AppState, HttpConfig};
use serde_json::{json, Value};
use tower::ServiceExt;

/// An index of one meeting with two items, in a directory that lives as long as the router.
fn app() -> (tempfile::TempDir, axum::Router) {
    let (tmp, app, _) = apps();
    (tmp, app)
}

/// [`app`] and the operations app (`--admin-listen`) over the same state.
fn apps() -> (tempfile::TempDir, axum::Router, axum::Router) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let archive = tmp.path().join("archive");
    std::fs::create_dir_all(&archive).expect("archive dir");
    std::fs::write(
        archive.join("ks-2024-05-02.txt"),
        " • Ordföranden öppnar mötet om skolskjutsarna i Krokom.\n\n \
         • Ledamöterna beslutar att bygga en ny förskola.\n",
    )
    .expect("minutes");
    let parsed = paragraf_indexer::archive::parse_paths(&[archive]).expect("parse");
    assert_eq!(parsed.items.len(), 2);
    paragraf_indexer::build(&parsed.items, &tmp.path().join("index"), 1).expect("build");
    let engine = Engine::open(&tmp.path().join("index")).expect("open");
    let state = AppState::new(Arc::new(engine));
    let app = router(state.clone(), &HttpConfig::default());
    (tmp, app, admin_router(state))
}

async fn send(app: &axum::Router, method: Method, uri: &str) -> (StatusCode, String, String) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::empty())
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("router answers");
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        content_type,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

#[tokio::test]
async fn every_error_is_json_with_its_code() {
    let (_tmp, app) = app();
    for (method, uri, status, body) in [
        (
            Method::GET,
            "/nowhere",
            StatusCode::NOT_FOUND,
            json!({"code": "not_found", "message": "no such route: /nowhere"}),
        ),
        (
            Method::GET,
            "/assets/nothing.js",
            StatusCode::NOT_FOUND,
            json!({"code": "not_found", "message": "no such asset: /assets/nothing.js"}),
        ),
        (
            Method::DELETE,
            "/api/search",
            StatusCode::METHOD_NOT_ALLOWED,
            json!({"code": "method_not_allowed", "message": "DELETE is not allowed here; the API only answers GET"}),
        ),
        (
            Method::GET,
            "/api/items/ks-1999-01-01.01",
            StatusCode::NOT_FOUND,
            json!({"code": "item_not_found", "message": "no item with id \"ks-1999-01-01.01\""}),
        ),
        (
            Method::GET,
            "/api/search?q=a&sort=popular",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_parameter", "message": "sort: \"popular\" is not an order; use relevance or date"}),
        ),
        (
            Method::GET,
            "/api/suggest?q=kr&limit=ten",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_parameter", "message": "limit: \"ten\" is not a whole number"}),
        ),
        // `q` is one value: axum's own Query answered this in plain text.
        (
            Method::GET,
            "/api/suggest?q=kr&q=sk",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_parameter", "message": "malformed query string: q: unsupported value"}),
        ),
    ] {
        let (got, content_type, text) = send(&app, method.clone(), uri).await;
        assert_eq!(got, status, "{method} {uri}: {text}");
        assert_eq!(content_type, "application/json", "{method} {uri}");
        let got: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(got, body, "{method} {uri}");
    }
}

#[tokio::test]
async fn search_and_suggest_answer_typed_queries() {
    let (_tmp, app) = app();
    let (status, _, text) = send(&app, Method::GET, "/api/search?q=f%C3%B6rskola&limit=").await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let body: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(
        (body["total"].clone(), body["limit"].clone()),
        (json!(1), json!(10))
    );
    let (status, _, text) = send(&app, Method::GET, "/api/suggest?q=skolskj&limit=1").await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let body: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(body["query"], "skolskj");
}

#[tokio::test]
async fn metrics_count_what_was_answered() {
    let (_tmp, app, admin) = apps();
    send(&app, Method::GET, "/api/search?q=mötet").await;
    send(&app, Method::GET, "/nowhere").await;
    // Not for the public (issue #20): only on the admin address or with an admin token.
    let (status, _, text) = send(&app, Method::GET, "/metrics").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        serde_json::from_str::<Value>(&text).expect("JSON"),
        json!({"code": "unauthorized", "message": "/metrics needs an admin token, or the --admin-listen address"})
    );
    let (status, content_type, text) = send(&admin, Method::GET, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "text/plain; version=0.0.4");
    for line in [
        "# TYPE paragraf_http_requests_total counter",
        "paragraf_http_requests_total{route=\"/api/search\",status=\"200\"} 1",
        "paragraf_http_requests_total{route=\"unmatched\",status=\"404\"} 1",
        "paragraf_http_requests_total{route=\"/metrics\",status=\"401\"} 1",
        "paragraf_http_request_duration_seconds_count{route=\"/api/search\"} 1",
        "paragraf_index_items 2",
        "paragraf_index_meetings 1",
    ] {
        assert!(text.lines().any(|l| l == line), "no {line:?} in\n{text}");
    }
}
