//! `GET /health`.

use axum::extract::State;
use axum::http::header;
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
    responses((status = 200, description = "Status and index statistics", body = Health))
)]
/// Status and index statistics.
pub async fn health(State(state): State<AppState>) -> Json<Health> {
    Json(state.engine().health())
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
