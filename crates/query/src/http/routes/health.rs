//! `GET /health`.

use axum::extract::State;
use axum::Json;

use crate::http::AppState;
use crate::search::Health;

/// Status and index statistics.
pub async fn health(State(state): State<AppState>) -> Json<Health> {
    Json(state.engine.health())
}
