//! `GET /api/cases/{case_number}`: a case across meetings, its items in date order (issue #19).

use axum::extract::State;
use axum::Json;

use crate::extract::Path;
use crate::{blocking, ApiError, AppState};
use paragraf_query::{Case, CaseNumber};

#[utoipa::path(
    get,
    path = "/api/cases/{case_number}",
    operation_id = "case",
    tag = "items",
    params(("case_number" = String, Path, description = "Case number (Dnr) in any form one municipality writes it: `KS 2013/123`, `KS/2013:123`, `Dnr KS 2013/0123`; its `/` may stand as it is")),
    responses(
        (status = 200, description = "The case's items, oldest first", body = Case),
        (status = 400, description = "Not a case number (`invalid_parameter`)", body = crate::error::ErrorBody),
        (status = 404, description = "No item has this case number (`case_not_found`)", body = crate::error::ErrorBody),
        (status = 503, description = "Busy, too slow, or the index is unavailable", body = crate::error::ErrorBody),
    )
)]
/// The items that share a case number, and those citing one of them, in date order.
pub async fn case(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    Path(case_number): Path<String>,
) -> Result<Json<Case>, ApiError> {
    let number = CaseNumber::parse(&case_number)?;
    let engine = state.engine();
    Ok(Json(
        blocking(&state, move || {
            paragraf_query::case::case(&*engine, &number, caller.access)
        })
        .await?,
    ))
}
