//! The one place where errors become HTTP responses: status and stable code per error, body
//! `{"code", "message"}`. Internal errors are logged in full and shown vaguely.
//!
//! Every code the server sends is an [`ErrorCode`], with its status beside it, as meilisearch
//! keeps one table of codes (`meilisearch-types/src/error.rs`); the README's table of codes and
//! the `ErrorCode` schema of the generated OpenAPI document list the same codes (tests below
//! check both).

use std::fmt;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use paragraf_query::error::Error;

/// The stable machine-readable code of an error body, serialised in snake_case
/// (`"invalid_date"`); each code has one HTTP status ([`ErrorCode::status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// 400: `from`/`to` is not a date or one the index cannot hold (after 2262-04-11), or
    /// `from` is after `to`.
    InvalidDate,
    /// 400: neither a municipality name nor a municipality or county code.
    InvalidMunicipality,
    /// 400: `limit` out of range.
    InvalidLimit,
    /// 400: `offset + limit` too deep.
    OffsetTooDeep,
    /// 400: a parameter with a malformed value (unknown `sort`, `limit` not a number, a
    /// query string that does not parse).
    InvalidParameter,
    /// 400: a parameter the route does not take (a misspelt filter name).
    UnknownParameter,
    /// 400: `q` too long.
    QueryTooLong,
    /// 400: not well-formed HTTP/1.1 (a request line or header that does not parse), as hyper
    /// finds before the router sees the request.
    MalformedRequest,
    /// 401: an `Authorization` header that is not `Bearer` and a Paragraf token
    /// (`paragraf_<id>_<secret>`).
    MalformedToken,
    /// 401: a token no `paragraf token create` made, or one with a wrong secret.
    InvalidToken,
    /// 401: a token revoked with `paragraf token revoke`.
    TokenRevoked,
    /// 401: the route needs credentials (an admin token for `/metrics`) and none came.
    Unauthorized,
    /// 403: the credentials are good but do not allow the route (`/metrics` needs an admin
    /// token).
    Forbidden,
    /// 404: no item with that id.
    ItemNotFound,
    /// 404: no item has that case number.
    CaseNotFound,
    /// 404: no meeting with that id.
    MeetingNotFound,
    /// 404: the item's original is not in the archive (or the server was given none).
    SourceNotFound,
    /// 404: no such route or asset.
    NotFound,
    /// 405: a method other than `GET` (and `HEAD`).
    MethodNotAllowed,
    /// 431: the request line and headers are larger than the server reads
    /// ([`crate::serve::MAX_HEAD_BYTES`]).
    HeadersTooLarge,
    /// 503: too many searches at once, and the wait for a place ran out.
    Busy,
    /// 503: the search ran too long.
    Timeout,
    /// 503: the index is damaged (a segment's file missing or corrupt); `/health` says
    /// `degraded` until a rebuilt index is served.
    IndexDamaged,
    /// 503: the search cluster (OpenSearch) cannot be reached or does not answer in time.
    ClusterUnavailable,
    /// 500: the index or the server failed; the log has the details.
    Internal,
}

impl ErrorCode {
    /// Every code, in the order of the README's table (with `internal` last).
    pub const ALL: [ErrorCode; 25] = [
        ErrorCode::InvalidDate,
        ErrorCode::InvalidMunicipality,
        ErrorCode::InvalidLimit,
        ErrorCode::OffsetTooDeep,
        ErrorCode::InvalidParameter,
        ErrorCode::UnknownParameter,
        ErrorCode::QueryTooLong,
        ErrorCode::MalformedRequest,
        ErrorCode::MalformedToken,
        ErrorCode::InvalidToken,
        ErrorCode::TokenRevoked,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::ItemNotFound,
        ErrorCode::CaseNotFound,
        ErrorCode::MeetingNotFound,
        ErrorCode::SourceNotFound,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::HeadersTooLarge,
        ErrorCode::Busy,
        ErrorCode::Timeout,
        ErrorCode::IndexDamaged,
        ErrorCode::ClusterUnavailable,
        ErrorCode::Internal,
    ];

    /// The code as it appears in the body: `"invalid_date"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidDate => "invalid_date",
            ErrorCode::InvalidMunicipality => "invalid_municipality",
            ErrorCode::InvalidLimit => "invalid_limit",
            ErrorCode::OffsetTooDeep => "offset_too_deep",
            ErrorCode::InvalidParameter => "invalid_parameter",
            ErrorCode::UnknownParameter => "unknown_parameter",
            ErrorCode::QueryTooLong => "query_too_long",
            ErrorCode::MalformedRequest => "malformed_request",
            ErrorCode::MalformedToken => "malformed_token",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::TokenRevoked => "token_revoked",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::HeadersTooLarge => "headers_too_large",
            ErrorCode::IndexDamaged => "index_damaged",
            ErrorCode::ItemNotFound => "item_not_found",
            ErrorCode::CaseNotFound => "case_not_found",
            ErrorCode::MeetingNotFound => "meeting_not_found",
            ErrorCode::SourceNotFound => "source_not_found",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Busy => "busy",
            ErrorCode::Timeout => "timeout",
            ErrorCode::ClusterUnavailable => "cluster_unavailable",
            ErrorCode::Internal => "internal",
        }
    }

    /// The HTTP status an error of this code is sent with.
    pub const fn status(self) -> StatusCode {
        match self {
            ErrorCode::InvalidDate
            | ErrorCode::InvalidMunicipality
            | ErrorCode::InvalidLimit
            | ErrorCode::OffsetTooDeep
            | ErrorCode::InvalidParameter
            | ErrorCode::UnknownParameter
            | ErrorCode::QueryTooLong
            | ErrorCode::MalformedRequest => StatusCode::BAD_REQUEST,
            ErrorCode::MalformedToken
            | ErrorCode::InvalidToken
            | ErrorCode::TokenRevoked
            | ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorCode::Forbidden => StatusCode::FORBIDDEN,
            ErrorCode::ItemNotFound
            | ErrorCode::CaseNotFound
            | ErrorCode::MeetingNotFound
            | ErrorCode::SourceNotFound
            | ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ErrorCode::Busy
            | ErrorCode::Timeout
            | ErrorCode::IndexDamaged
            | ErrorCode::ClusterUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The code of an engine error.
    pub fn of(err: &Error) -> ErrorCode {
        match err {
            Error::InvalidDate { .. }
            | Error::DateOutOfRange { .. }
            | Error::InvertedDateRange { .. } => ErrorCode::InvalidDate,
            Error::InvalidMunicipality(_) => ErrorCode::InvalidMunicipality,
            Error::InvalidLimit(_) => ErrorCode::InvalidLimit,
            Error::OffsetTooDeep(_) => ErrorCode::OffsetTooDeep,
            Error::InvalidParameter { .. } => ErrorCode::InvalidParameter,
            Error::UnknownParameter(_) => ErrorCode::UnknownParameter,
            Error::QueryTooLong(_) => ErrorCode::QueryTooLong,
            Error::ItemNotFound(_) => ErrorCode::ItemNotFound,
            Error::CaseNotFound(_) => ErrorCode::CaseNotFound,
            Error::MeetingNotFound(_) => ErrorCode::MeetingNotFound,
            Error::Internal(_) if err.is_index_damage() => ErrorCode::IndexDamaged,
            Error::Unavailable(_) => ErrorCode::ClusterUnavailable,
            Error::Internal(_) => ErrorCode::Internal,
            // The engine's error is `#[non_exhaustive]`: a variant added there is internal
            // until it is given a code here.
            _ => ErrorCode::Internal,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code.
    pub code: ErrorCode,
    /// What went wrong, for people.
    pub message: String,
}

/// An error as the API returns it: the status of its code and the body `{"code", "message"}`.
#[derive(Debug)]
pub struct ApiError {
    body: ErrorBody,
}

impl ApiError {
    /// An error with a code (which gives the status) and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            body: ErrorBody {
                code,
                message: message.into(),
            },
        }
    }

    /// 503 `index_damaged`: what a client is told when the index is damaged (the log has
    /// which file).
    pub fn index_damaged() -> ApiError {
        ApiError::new(
            ErrorCode::IndexDamaged,
            "the index is damaged and cannot answer this until it is rebuilt; the server log has the details",
        )
    }

    /// The error's code.
    pub fn code(&self) -> ErrorCode {
        self.body.code
    }

    /// The HTTP status it is sent with.
    pub fn status(&self) -> StatusCode {
        self.body.code.status()
    }

    /// What it tells the client.
    pub fn message(&self) -> &str {
        &self.body.message
    }
}

impl From<Error> for ApiError {
    fn from(err: Error) -> ApiError {
        let code = ErrorCode::of(&err);
        if code == ErrorCode::IndexDamaged {
            tracing::error!(error = %err, "the index is damaged; run `paragraf check`, then `paragraf index --rebuild`");
            return ApiError::index_damaged();
        }
        if code == ErrorCode::ClusterUnavailable {
            // The cause (a refused connection, a timeout) is for the operator, not the client.
            tracing::error!(error = %err, "search cluster unavailable");
            return ApiError::new(
                code,
                "the search cluster is unavailable; try again in a moment",
            );
        }
        if code.status().is_server_error() {
            tracing::error!(error = %err, "internal error");
            return ApiError::new(code, "internal error; the server log has the details");
        }
        ApiError::new(code, err.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // RFC 6750 § 3: a 401 names the scheme, and why a token was refused.
        let challenge = match self.body.code {
            ErrorCode::MalformedToken | ErrorCode::InvalidToken | ErrorCode::TokenRevoked => {
                Some(r#"Bearer realm="paragraf", error="invalid_token""#)
            }
            ErrorCode::Unauthorized => Some(r#"Bearer realm="paragraf""#),
            _ => None,
        };
        let mut response = (self.status(), Json(self.body)).into_response();
        if let Some(challenge) = challenge {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static(challenge),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paragraf_query::InternalError;

    #[test]
    fn serde_writes_the_same_string_as_as_str() {
        for code in ErrorCode::ALL {
            assert_eq!(
                serde_json::to_value(code).expect("a code serialises"),
                serde_json::Value::String(code.as_str().to_string())
            );
            assert_eq!(code.to_string(), code.as_str());
        }
    }

    #[test]
    fn body_is_code_and_message() {
        let err = ApiError::from(Error::ItemNotFound("x.01".into()));
        assert_eq!(err.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            serde_json::to_value(&err.body).expect("body"),
            serde_json::json!({"code": "item_not_found", "message": "no item with id \"x.01\""})
        );
    }

    #[test]
    fn a_damaged_index_is_a_503_with_its_own_code() {
        let damaged = Error::Internal(InternalError::Damaged {
            segment: "2531cc8b".into(),
            source: tantivy::TantivyError::DataCorruption(
                tantivy::error::DataCorruption::comment_only("positions missing"),
            ),
        });
        let err = ApiError::from(damaged);
        assert_eq!(
            (err.status(), err.code(), err.message()),
            (
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::IndexDamaged,
                "the index is damaged and cannot answer this until it is rebuilt; the server log has the details"
            )
        );
    }

    #[test]
    fn internal_errors_are_shown_vaguely() {
        let err = ApiError::from(Error::Internal(InternalError::NoStoredItem(
            "segment 3".into(),
        )));
        assert_eq!(
            (err.status(), err.code(), err.message()),
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorCode::Internal,
                "internal error; the server log has the details"
            )
        );
    }

    /// The README's table (`| 400 | `invalid_date` | … |`) names every code a client sees, with
    /// its status; `internal` (a 500, which a client never causes) is not in it.
    #[test]
    fn readme_table_lists_every_code_with_its_status() {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
                .expect("the repository's README.md");
        let rows: Vec<(u16, String)> = readme
            .lines()
            .filter_map(|line| {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                let status = cells.get(1)?.parse().ok()?;
                let code = cells.get(2)?.strip_prefix('`')?.strip_suffix('`')?;
                Some((status, code.to_string()))
            })
            .collect();
        let codes: Vec<(u16, String)> = ErrorCode::ALL
            .iter()
            .filter(|c| **c != ErrorCode::Internal)
            .map(|c| (c.status().as_u16(), c.as_str().to_string()))
            .collect();
        assert_eq!(rows, codes);
    }

    #[test]
    fn openapi_lists_every_code() {
        let doc: serde_json::Value =
            serde_json::from_str(&crate::routes::openapi::OPENAPI_JSON).expect("OpenAPI is JSON");
        let listed = &doc["components"]["schemas"]["ErrorCode"]["enum"];
        let codes: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(listed, &serde_json::json!(codes));
    }
}
