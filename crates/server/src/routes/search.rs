//! `GET /api/search`.

use axum::extract::State;
use axum::Json;

use crate::extract::Query;
use crate::{blocking, ApiError, AppState};
use paragraf_query::{SearchRequest, SearchResponse};

/// Searches: `q`, repeatable `municipality`, `speaker`, `body`, `from`, `to`, `sort`, `limit`,
/// `offset`.
pub async fn search(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<SearchResponse>, ApiError> {
    let req = SearchRequest::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let engine = state.engine();
    Ok(Json(blocking(&state, move || engine.search(&req)).await?))
}
