//! `GET /api/suggest`.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;

use crate::auth::Caller;
use crate::extract::Query;
use crate::{blocking, ApiError, AppState};
use paragraf_query::suggest::SuggestResponse;

/// Parameters of `/api/suggest`, from the query string.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestParams {
    /// What has been typed so far.
    #[serde(default)]
    pub q: String,
    /// Number of suggestions, 1 to 100 (default 8). Kept as text here so that a value that is
    /// not a number gets the message `/api/search` gives (`limit: "ten" is not a whole
    /// number`), not serde's ([`SuggestParams::limit`]).
    pub limit: Option<String>,
}

impl SuggestParams {
    /// The number of suggestions asked for: 8 when `limit` is missing or empty.
    pub fn limit(&self) -> paragraf_query::Result<usize> {
        match self.limit.as_deref() {
            None | Some("") => Ok(8),
            Some(l) => l
                .trim()
                .parse()
                .map_err(|_| paragraf_query::Error::InvalidParameter {
                    param: "limit".into(),
                    message: format!("{l:?} is not a whole number"),
                }),
        }
    }
}

#[utoipa::path(
    get,
    path = "/api/suggest",
    operation_id = "suggest",
    tag = "search",
    params(SuggestParams),
    responses(
        (status = 200, description = "Names, places, bodies, then words", body = SuggestResponse),
        (status = 400, description = "`limit` is wrong", body = crate::error::ErrorBody),
        (status = 503, description = "Busy, too slow, or the index is unavailable", body = crate::error::ErrorBody),
    )
)]
/// Suggestions for the search box: names, places, bodies and words starting with the last
/// word typed.
pub async fn suggest(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<SuggestParams>,
) -> Result<Json<SuggestResponse>, ApiError> {
    let limit = params.limit()?;
    let engine = state.engine();
    Ok(Json(
        blocking(&state, move || {
            engine.suggest(&params.q, limit, caller.access)
        })
        .await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(value: Option<&str>) -> Result<usize, String> {
        SuggestParams {
            q: String::new(),
            limit: value.map(str::to_string),
        }
        .limit()
        .map_err(|e| e.to_string())
    }

    #[test]
    fn limit_defaults_to_8_and_must_be_a_whole_number() {
        assert_eq!(limit(None), Ok(8));
        assert_eq!(limit(Some("")), Ok(8));
        assert_eq!(limit(Some(" 3 ")), Ok(3));
        assert_eq!(
            limit(Some("ten")),
            Err("limit: \"ten\" is not a whole number".to_string())
        );
    }
}
