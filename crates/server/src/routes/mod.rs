//! One module per resource.

use axum::http::Uri;

use crate::{ApiError, ErrorCode};

pub mod cases;
pub mod export;
pub mod feed;
pub mod health;
pub mod items;
pub mod meetings;
pub mod openapi;
pub mod search;
pub mod source;
pub mod suggest;
pub mod ui;

/// 404 for any route the API does not have.
pub async fn not_found(uri: Uri) -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        format!("no such route: {}", uri.path()),
    )
}
