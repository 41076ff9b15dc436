//! `GET /api/items/{id}`.

use axum::extract::State;
use axum::Json;

use crate::extract::Path;
use crate::{blocking, ApiError, AppState};
use paragraf_query::search::ItemView;

/// One item with its meeting and its neighbours in the meeting.
pub async fn item(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ItemView>, ApiError> {
    let engine = state.engine();
    Ok(Json(blocking(&state, move || engine.item(&id)).await?))
}
