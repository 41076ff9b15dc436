//! One module per resource.

use axum::http::{StatusCode, Uri};

use super::ApiError;

pub mod health;
pub mod items;
pub mod openapi;
pub mod search;
pub mod suggest;
pub mod ui;

/// 404 for any route the API does not have.
pub async fn not_found(uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no such route: {}", uri.path()),
    )
}
