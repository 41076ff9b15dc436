//! `GET /api/search`.

use axum::extract::{RawQuery, State};
use axum::Json;

use crate::{blocking, ApiError, AppState, ErrorCode};
use paragraf_query::search::{SearchRequest, SearchResponse};

/// Searches: `q`, repeatable `municipality`, `speaker`, `body`, `from`, `to`, `sort`, `limit`,
/// `offset`.
pub async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<SearchResponse>, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| {
            ApiError::new(
                ErrorCode::InvalidParameter,
                format!("malformed query string: {e}"),
            )
        })?;
    let req = SearchRequest::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let engine = state.engine();
    Ok(Json(blocking(&state, move || engine.search(&req)).await?))
}
