//! `GET /health`.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;

use crate::metrics::IndexGauges;

use crate::{blocking, ApiError, AppState};
use paragraf_query::Health;

#[utoipa::path(
    get,
    path = "/health",
    operation_id = "health",
    tag = "operations",
    responses(
        (status = 200, description = "Status and index statistics", body = Health),
        (status = 503, description = "The index was found damaged (`\"status\": \"degraded\"`), or the search cluster is unavailable", body = Health)
    )
)]
/// Status and index statistics: 200 and `"status": "ok"`, or 503 and `"degraded"` when a
/// search found the index damaged ([`crate::damage`]).
pub async fn health(State(state): State<AppState>) -> Result<(StatusCode, Json<Health>), ApiError> {
    let engine = state.engine();
    let mut health = blocking(&state, move || engine.health()).await?;
    if state.is_damaged() {
        health.status = "degraded".to_string();
        return Ok((StatusCode::SERVICE_UNAVAILABLE, Json(health)));
    }
    Ok((StatusCode::OK, Json(health)))
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
    // A cluster that does not answer gives zero figures, not a failed scrape.
    let gauges = blocking(&state, move || {
        let health = engine.health()?;
        Ok(IndexGauges {
            items: health.items,
            meetings: health.meetings,
            size_bytes: engine.size_on_disk(),
            committed_at: engine.committed_at(),
        })
    })
    .await
    .unwrap_or(IndexGauges {
        items: 0,
        meetings: 0,
        size_bytes: 0,
        committed_at: 0,
    });
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics().render(&gauges),
    )
}
