//! Extractors whose rejections are the API's JSON errors (`{"code", "message"}`), never
//! axum's plain-text ones (issue #17: `/api/items/%FF` answered `text/plain`).

use axum::extract::path::ErrorKind;
use axum::extract::rejection::PathRejection;
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
        if let Some(query) = parts.uri.query() {
            check_utf8(query)?;
        }
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

/// Refuses a query string with a key or value that is no text once percent-decoded: the form
/// decoder would replace the bytes with U+FFFD, and `q=%FF` became a listing of everything.
fn check_utf8(query: &str) -> Result<(), ApiError> {
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key_bytes = percent_decode(key);
        let Ok(key) = std::str::from_utf8(&key_bytes) else {
            return Err(ApiError::new(
                ErrorCode::InvalidParameter,
                "a parameter name is not UTF-8 text once percent-decoded",
            ));
        };
        if std::str::from_utf8(&percent_decode(value)).is_err() {
            return Err(ApiError::new(
                ErrorCode::InvalidParameter,
                format!("{key}: the value is not UTF-8 text once percent-decoded"),
            ));
        }
    }
    Ok(())
}

/// `%XX` escapes decoded (a malformed one kept as it is) and `+` as a space, as forms are.
fn percent_decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    out
}

/// A path parameter deserialised into `T` by axum's `Path`. A parameter that is not UTF-8
/// once percent-decoded, or does not fit `T`, is a 400 `invalid_parameter` naming it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(value) =
            axum::extract::Path::<T>::from_request_parts(parts, state).await?;
        Ok(Path(value))
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> ApiError {
        let message = match &rejection {
            PathRejection::FailedToDeserializePathParams(e) => match e.kind() {
                ErrorKind::InvalidUtf8InPathParam { key } => {
                    format!("{key}: not UTF-8 text once percent-decoded")
                }
                _ => format!("malformed path: {}", e.body_text()),
            },
            other => format!("malformed path: {}", other.body_text()),
        };
        ApiError::new(ErrorCode::InvalidParameter, message)
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

    #[tokio::test]
    async fn a_value_that_is_no_text_is_refused_naming_its_parameter() {
        for (uri, message) in [
            (
                "/api/search?q=%FF",
                "q: the value is not UTF-8 text once percent-decoded",
            ),
            (
                "/api/search?q=ok&speaker=J%C3%B6%C3",
                "speaker: the value is not UTF-8 text once percent-decoded",
            ),
            (
                "/api/search?%FF=1",
                "a parameter name is not UTF-8 text once percent-decoded",
            ),
        ] {
            let err = query::<Vec<(String, String)>>(uri)
                .await
                .expect_err("not text");
            assert_eq!(
                (err.code(), err.message()),
                (ErrorCode::InvalidParameter, message),
                "{uri}"
            );
        }
        let pairs: Vec<(String, String)> = query("/api/search?q=v%C3%A5rd+%2B%25&x=100%")
            .await
            .expect("text, and a stray % kept");
        assert_eq!(
            pairs,
            [
                ("q".to_string(), "vård +%".to_string()),
                ("x".to_string(), "100%".to_string())
            ]
        );
    }

    #[test]
    fn percent_decoding_keeps_malformed_escapes() {
        assert_eq!(percent_decode("a%C3%A5+b"), "aå b".as_bytes());
        assert_eq!(percent_decode("%"), b"%");
        assert_eq!(percent_decode("%4"), b"%4");
        assert_eq!(percent_decode("%zz%41"), b"%zzA");
    }
}
