//! The HTTP API: `pub fn router(state) -> Router`, one file per resource in `routes/`.
//!
//! | route | what |
//! |---|---|
//! | `GET /api/search` | hits, snippets and facet counts ([`crate::search::SearchResponse`]) |
//! | `GET /api/items/{id}` | one item with its meeting and neighbours |
//! | `GET /api/suggest` | names, places and words for the search box |
//! | `GET /api/openapi.json` | this API described in OpenAPI 3.1 |
//! | `GET /health` | status and index statistics |
//! | `GET /` | the Swedish search page; `/assets/{file}` its script and styles (`routes::ui`) |
//! | `GET /widget.js` | the `<paragraf-search>` element for intranet pages of other origins |
//!
//! Search work runs on the blocking pool (`spawn_blocking`), never on the async runtime.

use std::sync::Arc;

use axum::http::{HeaderValue, Method, StatusCode};
use axum::routing::get;
use axum::Router;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::TraceLayer;

use crate::search::Engine;

pub mod error;
pub mod routes;

pub use error::ApiError;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The index being served.
    pub engine: Arc<Engine>,
}

/// Server options that shape the router.
#[derive(Debug, Clone, Default)]
pub struct HttpConfig {
    /// Origins allowed to call the API from a browser; none by default.
    pub cors_origins: Vec<String>,
}

/// Builds the application: routes, CORS and tracing.
pub fn router(state: AppState, config: &HttpConfig) -> Router {
    let mut app = Router::new()
        .route("/api/search", get(routes::search::search))
        .route("/api/items/{id}", get(routes::items::item))
        .route("/api/suggest", get(routes::suggest::suggest))
        .route("/api/openapi.json", get(routes::openapi::openapi))
        .route("/health", get(routes::health::health))
        .route("/", get(routes::ui::index))
        .route("/widget.js", get(routes::ui::widget))
        .route("/assets/{file}", get(routes::ui::asset))
        .fallback(routes::not_found)
        .with_state(state);
    let origins: Vec<HeaderValue> = config
        .cors_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim()).ok())
        .collect();
    if !origins.is_empty() {
        app = app.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([Method::GET]),
        );
    }
    app.layer(TraceLayer::new_for_http())
}

/// Runs blocking search work off the async runtime and maps a panic or cancellation to an
/// internal error.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> crate::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(result) => result.map_err(ApiError::from),
        Err(e) => {
            tracing::error!(error = %e, "search task failed");
            Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error; the server log has the details",
            ))
        }
    }
}
