//! `GET /api/meetings/{id}`: one meeting, its items in agenda order, its attendance and
//! justerare (issue #19).

use axum::extract::State;
use axum::Json;

use crate::extract::Path;
use crate::{blocking, ApiError, AppState};
use paragraf_query::MeetingView;

#[utoipa::path(
    get,
    path = "/api/meetings/{id}",
    operation_id = "meeting",
    tag = "items",
    params(("id" = String, Path, description = "Meeting id, as `meeting.id` of a hit")),
    responses(
        (status = 200, description = "The meeting and its items in agenda order", body = MeetingView),
        (status = 404, description = "No meeting with this id (`meeting_not_found`)", body = crate::error::ErrorBody),
        (status = 503, description = "Busy, too slow, or the index is unavailable", body = crate::error::ErrorBody),
    )
)]
/// A meeting with its items.
pub async fn meeting(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    Path(id): Path<String>,
) -> Result<Json<MeetingView>, ApiError> {
    let engine = state.engine();
    Ok(Json(
        blocking(&state, move || {
            paragraf_query::meeting::meeting(&*engine, &id, caller.access)
        })
        .await?,
    ))
}
