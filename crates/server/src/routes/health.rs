//! `GET /health`.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;

use crate::metrics::IndexGauges;

use crate::{blocking, ApiError, AppState};
use paragraf_query::search::Health;

/// Status and index statistics.
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let engine = state.engine();
    Ok(Json(blocking(&state, move || engine.health()).await?))
}

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
