//! `GET /api/openapi.json`: the API described in OpenAPI 3.1, generated with `utoipa` from the
//! types the handlers return and the parameters they read, so the document cannot drift from
//! what the API serves (issue 14). Tests check its operations (here), the routes it describes
//! and live responses against its schemas (`tests/http.rs`), and its error codes against
//! [`crate::ErrorCode`] (`error.rs`).

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::OpenApi;

use crate::routes::{cases, export, feed, health, items, meetings, search, source, suggest};

/// The document's source: every route of the JSON API and `/metrics`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Paragraf",
        description = "Search Swedish meeting minutes by agenda item: keyword, municipality, presenter, body and date. Read-only; every error is `{code, message}`."
    ),
    paths(
        search::search,
        feed::search_atom,
        export::search_csv,
        export::search_jsonl,
        items::item,
        source::source,
        cases::case,
        meetings::meeting,
        suggest::suggest,
        openapi,
        health::health,
        health::metrics
    ),
    tags(
        (name = "search", description = "Searching and suggestions"),
        (name = "items", description = "One item with its meeting, its case, its meeting's items and its source"),
        (name = "operations", description = "Health, metrics and this document")
    )
)]
pub struct ApiDoc;

/// The OpenAPI document as JSON, made once.
pub static OPENAPI_JSON: LazyLock<String> = LazyLock::new(|| {
    ApiDoc::openapi()
        .to_pretty_json()
        .expect("an OpenAPI document of plain types serialises")
});

/// Serves the OpenAPI document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    operation_id = "openapi",
    tag = "operations",
    responses((status = 200, description = "This document (OpenAPI 3.1)", content_type = "application/json"))
)]
pub async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        OPENAPI_JSON.as_str(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> serde_json::Value {
        serde_json::from_str(&OPENAPI_JSON).expect("OpenAPI is JSON")
    }

    #[test]
    fn every_operation_has_an_id_and_every_engine_route_its_503() {
        let doc = doc();
        let mut ids = Vec::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            let op = &item["get"];
            ids.push(
                op["operationId"]
                    .as_str()
                    .expect("an operationId")
                    .to_string(),
            );
            if path.starts_with("/api/") && path != "/api/openapi.json" {
                assert!(op["responses"]["503"].is_object(), "{path} lists its 503");
            }
        }
        ids.sort();
        assert_eq!(
            ids,
            [
                "case",
                "health",
                "item",
                "item_source",
                "meeting",
                "metrics",
                "openapi",
                "search",
                "search_atom",
                "search_csv",
                "search_jsonl",
                "suggest"
            ]
        );
    }

    /// Fields the hand-written document of before lacked (issue 18) are described now.
    #[test]
    fn item_fields_are_described() {
        let doc = doc();
        let schemas = &doc["components"]["schemas"];
        assert!(schemas["Hit"]["properties"]["case_number"].is_object());
        assert!(schemas["Meeting"]["properties"]["attendees"].is_object());
        assert!(schemas["Meeting"]["properties"]["justerare"].is_object());
        assert!(schemas["Item"]["properties"]["case_number"].is_object());
        let required = schemas["SearchResponse"]["required"]
            .as_array()
            .expect("required");
        assert!(required.contains(&serde_json::json!("hits")));
    }

    #[tokio::test]
    async fn served_as_json() {
        let response = openapi().await.into_response();
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    }
}
