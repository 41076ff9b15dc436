//! `GET /api/items/{id}`.

use axum::extract::State;
use axum::Json;

use crate::auth::Caller;
use crate::extract::Path;
use crate::{blocking, ApiError, AppState};
use paragraf_query::ItemView;

#[utoipa::path(
    get,
    path = "/api/items/{id}",
    operation_id = "item",
    tag = "items",
    params(("id" = String, Path, description = "Item id: `<meeting id>.<ordinal>`, as in a hit")),
    responses(
        (status = 200, description = "The item, its meeting and its neighbours", body = ItemView),
        (status = 404, description = "No item with this id (`item_not_found`)", body = crate::error::ErrorBody),
        (status = 503, description = "Busy, too slow, or the index is unavailable", body = crate::error::ErrorBody),
    )
)]
/// One item with its meeting and its neighbours in the meeting.
pub async fn item(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ItemView>, ApiError> {
    let engine = state.engine();
    Ok(Json(
        blocking(&state, move || engine.item(&id, caller.access)).await?,
    ))
}
