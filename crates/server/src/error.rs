//! The one place where errors become HTTP responses: status and stable code per error, body
//! `{"code", "message"}`. Internal errors are logged in full and shown vaguely.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use paragraf_query::error::Error;

/// An error body.
#[derive(Debug, Serialize)]
pub struct ErrorBody {
    /// Stable machine-readable code.
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
}

/// An error as the API returns it.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
}

impl ApiError {
    /// An error with a status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: ErrorBody {
                code,
                message: message.into(),
            },
        }
    }
}

impl From<Error> for ApiError {
    fn from(err: Error) -> ApiError {
        let (status, code) = match &err {
            Error::InvalidDate { .. } | Error::InvertedDateRange { .. } => {
                (StatusCode::BAD_REQUEST, "invalid_date")
            }
            Error::InvalidMunicipality(_) => (StatusCode::BAD_REQUEST, "invalid_municipality"),
            Error::InvalidLimit(_) => (StatusCode::BAD_REQUEST, "invalid_limit"),
            Error::OffsetTooDeep(_) => (StatusCode::BAD_REQUEST, "offset_too_deep"),
            Error::InvalidParameter { .. } => (StatusCode::BAD_REQUEST, "invalid_parameter"),
            Error::QueryTooLong(_) => (StatusCode::BAD_REQUEST, "query_too_long"),
            Error::ItemNotFound(_) => (StatusCode::NOT_FOUND, "item_not_found"),
            Error::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
            // The engine's error is `#[non_exhaustive]`: a variant added there is internal
            // until it is given a code here.
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        if status.is_server_error() {
            tracing::error!(error = %err, "internal error");
            return ApiError::new(
                status,
                code,
                "internal error; the server log has the details",
            );
        }
        ApiError::new(status, code, err.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}
