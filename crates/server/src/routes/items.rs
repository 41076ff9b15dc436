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
/// One item with its meeting, its neighbours in the meeting and its links (its case: its own
/// case number's, or else that of a decision it cites).
pub async fn item(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ItemView>, ApiError> {
    let engine = state.engine();
    Ok(Json(
        blocking(&state, move || {
            let mut view = engine.item(&id, caller.access)?;
            if view.links.case.is_none() {
                view.links.case = cited_case(&*engine, &view.item.text, caller.access)?;
            }
            Ok(view)
        })
        .await?,
    ))
}

/// The case of the first decision the text cites that the archive holds and that has a case
/// number: how an item without a number of its own links to its case (issue #19).
fn cited_case(
    engine: &dyn paragraf_query::SearchEngine,
    text: &str,
    access: paragraf_query::Access,
) -> paragraf_query::Result<Option<String>> {
    for citation in paragraf_query::cite::citations(text) {
        if let Some(hit) = paragraf_query::cite::resolve(engine, &citation, access)? {
            if hit.links.case.is_some() {
                return Ok(hit.links.case);
            }
        }
    }
    Ok(None)
}
