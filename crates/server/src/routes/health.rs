//! `GET /health`.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;

use crate::metrics::IndexGauges;

use crate::AppState;
use paragraf_query::Health;

#[utoipa::path(
    get,
    path = "/health",
    operation_id = "health",
    tag = "operations",
    responses(
        (status = 200, description = "Status and index statistics", body = Health),
        (status = 503, description = "The index was found damaged (`\"status\": \"degraded\"`)", body = Health)
    )
)]
/// Status and index statistics: 200 and `"status": "ok"`, or 503 and `"degraded"` when a
/// search found the index damaged ([`crate::damage`]).
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let mut health = state.engine().health();
    if state.is_damaged() {
        health.status = "degraded".to_string();
        return (StatusCode::SERVICE_UNAVAILABLE, Json(health));
    }
    (StatusCode::OK, Json(health))
}

#[utoipa::path(
    get,
    path = "/metrics",
    operation_id = "metrics",
    tag = "operations",
    responses((
        status = 200,
        description = "Prometheus text exposition (version 0.0.4): requests by route and status, latency, index size, items, last commit",
        content_type = "text/plain",
        body = String
    ))
)]
/// Prometheus metrics: requests, latency, index size, items and last commit.
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let engine = state.engine();
    let health = engine.health();
    let gauges = IndexGauges {
        items: health.items,
        meetings: health.meetings,
        size_bytes: engine.size_on_disk(),
        committed_at: engine.committed_at(),
    };
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics().render(&gauges),
    )
}
