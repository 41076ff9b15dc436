//! Extractors whose rejections are the API's JSON errors (`{"code", "message"}`), never
//! axum's plain-text ones.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::QueryRejection;
use serde::de::DeserializeOwned;

use crate::{ApiError, ErrorCode};

/// A query string deserialised into `T` by axum-extra's `Query` (serde_html_form: a repeated
/// key fills a `Vec` field). A query string that does not fit `T` is a 400
/// `invalid_parameter`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum_extra::extract::Query(value) =
            axum_extra::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Query(value))
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> ApiError {
        // The rejection's own text starts "Failed to deserialize query string: "; its source
        // is serde's error with the parameter's name ("limit: invalid digit").
        let detail = std::error::Error::source(&rejection)
            .map_or_else(|| rejection.body_text(), |e| e.to_string());
        ApiError::new(
            ErrorCode::InvalidParameter,
            format!("malformed query string: {detail}"),
        )
    }
}

#[cfg(test)]
mod tests {
    use axum::http::{Request, StatusCode};
    use axum::response::IntoResponse;
    use serde::Deserialize;

    use super::*;

    async fn query<T: DeserializeOwned>(uri: &str) -> Result<T, ApiError> {
        let (mut parts, ()) = Request::get(uri).body(()).expect("request").into_parts();
        let Query(value) = Query::<T>::from_request_parts(&mut parts, &()).await?;
        Ok(value)
    }

    #[tokio::test]
    async fn pairs_keep_their_order_and_repeated_keys() {
        let pairs: Vec<(String, String)> =
            query("/api/search?q=god+v%C3%A5rd&municipality=Krokom&municipality=2380&limit=")
                .await
                .expect("pairs");
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("q", "god vård"),
                ("municipality", "Krokom"),
                ("municipality", "2380"),
                ("limit", "")
            ]
        );
        let none: Vec<(String, String)> = query("/api/search").await.expect("no query");
        assert!(none.is_empty());
    }

    #[derive(Debug, Deserialize)]
    struct One {
        q: String,
    }

    #[tokio::test]
    async fn a_query_string_that_does_not_fit_is_a_json_400() {
        let err = query::<One>("/api/suggest?q=a&q=b")
            .await
            .expect_err("q is one value");
        assert_eq!(
            (err.code(), err.message()),
            (
                ErrorCode::InvalidParameter,
                "malformed query string: q: unsupported value"
            )
        );
        let response = err.into_response();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            response.headers()[axum::http::header::CONTENT_TYPE],
            "application/json"
        );
        let one: One = query("/api/suggest?q=kro").await.expect("one q");
        assert_eq!(one.q, "kro");
    }
}
