//! `GET /api/suggest`.

use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;

use crate::{blocking, ApiError, AppState};
use paragraf_query::suggest::SuggestResponse;

/// Parameters of `/api/suggest`.
#[derive(Debug, Deserialize)]
pub struct SuggestParams {
    /// What has been typed so far.
    #[serde(default)]
    pub q: String,
    /// Number of suggestions, 1 to 100 (default 8).
    pub limit: Option<String>,
}

/// Suggestions for the search box: names, places, bodies and words starting with the last
/// word typed.
pub async fn suggest(
    State(state): State<AppState>,
    Query(params): Query<SuggestParams>,
) -> Result<Json<SuggestResponse>, ApiError> {
    let limit = match params.limit.as_deref() {
        None | Some("") => 8,
        Some(l) => l
            .trim()
            .parse()
            .map_err(|_| paragraf_query::Error::InvalidParameter {
                param: "limit".into(),
                message: format!("{l:?} is not a whole number"),
            })?,
    };
    let engine = state.engine();
    Ok(Json(
        blocking(&state, move || engine.suggest(&params.q, limit)).await?,
    ))
}
