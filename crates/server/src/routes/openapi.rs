//! `GET /api/openapi.json`: the API described in OpenAPI 3.1, kept beside the code in
//! `openapi.json` (hand-written for now); tests check that every API route of the router is
//! described (here, and over the router in `tests/http.rs`) and that it lists every
//! [`crate::ErrorCode`] (`error.rs`).

use axum::http::header;
use axum::response::IntoResponse;

/// The OpenAPI document.
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

/// Serves the OpenAPI document.
pub async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI_JSON)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_describes_the_api_routes() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI_JSON).expect("OpenAPI is JSON");
        assert_eq!(doc["openapi"], "3.1.0");
        let mut paths: Vec<&str> = doc["paths"]
            .as_object()
            .expect("paths")
            .keys()
            .map(String::as_str)
            .collect();
        paths.sort_unstable();
        // The page, its assets, the widget and /metrics are not part of the JSON API.
        assert_eq!(
            paths,
            [
                "/api/items/{id}",
                "/api/openapi.json",
                "/api/search",
                "/api/suggest",
                "/health"
            ]
        );
    }

    #[tokio::test]
    async fn served_as_json() {
        let response = openapi().await.into_response();
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    }
}
