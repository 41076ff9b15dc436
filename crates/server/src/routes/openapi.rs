//! `GET /api/openapi.json`: the API described in OpenAPI 3.1, kept beside the code in
//! `openapi.json`; a test checks that every route of the router is described.

use axum::http::header;
use axum::response::IntoResponse;

/// The OpenAPI document.
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

/// Serves the OpenAPI document.
pub async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI_JSON)
}
