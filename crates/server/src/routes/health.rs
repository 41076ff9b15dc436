//! `GET /health`.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::metrics::IndexGauges;

use crate::auth::Caller;
use crate::{blocking, ApiError, AppState, ErrorCode};
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
///
/// The counts are of the items the caller may see: the public is not told how many internal
/// items there are (issue #20).
pub async fn health(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<(StatusCode, Json<Health>), ApiError> {
    let engine = state.engine();
    let mut health = blocking(&state, move || engine.health(caller.access)).await?;
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
/// Prometheus metrics: requests, latency, index size, items and last commit. Only for an
/// admin: on the `--admin-listen` address, or with an admin token (issue #20).
pub async fn metrics(State(state): State<AppState>, caller: Caller) -> Response {
    if !caller.access.is_admin() {
        let code = if caller.credentialed {
            ErrorCode::Forbidden
        } else {
            ErrorCode::Unauthorized
        };
        return ApiError::new(
            code,
            "/metrics needs an admin token, or the --admin-listen address",
        )
        .into_response();
    }
    let engine = state.engine();
    // A cluster that does not answer gives zero figures, not a failed scrape.
    let gauges = blocking(&state, move || {
        let health = engine.health(paragraf_query::Access::Admin)?;
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
        .into_response()
}
