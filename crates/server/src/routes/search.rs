//! `GET /api/search`.

use axum::extract::State;
use axum::Json;

use crate::auth::Caller;
use crate::extract::Query;
use crate::{blocking, ApiError, AppState};
use paragraf_query::{SearchRequest, SearchResponse};

#[utoipa::path(
    get,
    path = "/api/search",
    operation_id = "search",
    tag = "search",
    params(paragraf_query::SearchParams),
    responses(
        (status = 200, description = "Hits, snippets and facet counts", body = SearchResponse),
        (status = 400, description = "A parameter is wrong; `code` says which kind", body = crate::error::ErrorBody),
        (status = 503, description = "Busy, too slow, or the index is unavailable", body = crate::error::ErrorBody),
    )
)]
/// Searches: `q`, repeatable `municipality`, `speaker`, `body`, `from`, `to`, `sort`, `limit`,
/// `offset`.
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<SearchResponse>, ApiError> {
    let mut req = SearchRequest::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    req.access = caller.access;
    let engine = state.engine();
    Ok(Json(blocking(&state, move || engine.search(&req)).await?))
}
