//! # paragraf-server
//!
//! The HTTP API over the search core of `paragraf-query`, with the search page and the
//! intranet widget built into it. The engine has no HTTP in it; this crate has no search in it
//! (as meilisearch keeps milli apart from its server).
//!
//! ## Brief overview
//!
//! [`router`] builds the whole application from an [`AppState`] (the engine being served,
//! swapped when the index changes on disk) and an [`HttpConfig`], one file per resource in
//! [`routes`]. Every error the server sends is an [`ApiError`] with one [`ErrorCode`], body
//! `{"code", "message"}`; [`extract::Query`] turns query strings into typed parameters and
//! its rejections into those errors; [`metrics`] is `GET /metrics`. [`serve()`] is the accept
//! loop, with header-read and idle timeouts and a connection limit ([`ServeOptions`]).
//!
//! | route | what |
//! |---|---|
//! | `GET /api/search` | hits, snippets and facet counts ([`paragraf_query::SearchResponse`]) |
//! | `GET /api/search.atom` | the search as an Atom feed, newest meetings first |
//! | `GET /api/search.csv`, `.jsonl` | the whole result (up to 10,000 rows), streamed |
//! | `GET /api/items/{id}` | one item with its meeting, neighbours and links |
//! | `GET /api/items/{id}/source` | the archived original ([`AppState::with_archive`]) |
//! | `GET /api/cases/{case_number}` | a case across meetings, in date order |
//! | `GET /api/meetings/{id}` | a meeting's items in agenda order, attendance, justerare |
//! | `GET /api/suggest` | names, places and words for the search box |
//! | `GET /api/openapi.json` | this API described in OpenAPI 3.1 |
//! | `GET /health` | status and index statistics |
//! | `GET /metrics` | requests, latency and index figures in the Prometheus text format |
//! | `GET /` | the Swedish search page; `/assets/{file}` its script and styles (`routes::ui`) |
//! | `GET /widget.js` | the `<paragraf-search>` element for intranet pages of other origins |
//! | `GET /widget-demo` | a host page showing the widget and the code to embed it |
//!
//! Search work runs on the blocking pool (`spawn_blocking`), never on the async runtime.
//!
//! ```no_run
//! use std::sync::Arc;
//!
//! use paragraf_query::Engine;
//! use paragraf_server::{router, AppState, HttpConfig, ServeOptions};
//!
//! # async fn serve() -> Result<(), Box<dyn std::error::Error>> {
//! let engine = Engine::open(std::path::Path::new("index"))?;
//! let app = router(AppState::new(Arc::new(engine)), &HttpConfig::default());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:7700").await?;
//! paragraf_server::serve(listener, app, ServeOptions::default(), std::future::pending()).await?;
//! # Ok(())
//! # }
//! ```
//!
//! Tests drive the same router without a socket, with `tower::ServiceExt::oneshot`
//! (`tests/http.rs`).
#![warn(missing_docs)]

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use tokio::sync::Semaphore;

use axum::http::Method;
use axum::routing::get;
use axum::Router;
use tower_http::trace::TraceLayer;

use paragraf_query::{Engine, SearchEngine};

pub mod auth;
pub mod cors;
pub mod damage;
pub mod error;
pub mod extract;
pub mod headers;
pub mod metrics;
pub mod routes;
pub mod serve;
pub mod tokens;

use metrics::Metrics;

pub use error::{ApiError, ErrorCode};
pub use serve::{serve, ServeOptions};

/// What every handler shares: the index being served (swapped for a new one when the index
/// changes on disk), metrics and the search concurrency limit.
#[derive(Clone)]
pub struct AppState {
    engine: Arc<RwLock<Arc<dyn SearchEngine>>>,
    index_dir: Option<PathBuf>,
    metrics: Arc<Metrics>,
    searches: Arc<Semaphore>,
    damage: Arc<damage::Damage>,
    archive: Option<Arc<routes::source::ArchiveFiles>>,
}

/// Searches running at once; more wait up to [`QUEUE_WAIT`] and are then refused with 503.
pub const MAX_CONCURRENT_SEARCHES: usize = 32;
/// How long a search may wait for its turn.
pub const QUEUE_WAIT: Duration = Duration::from_secs(5);
/// How long a search may run before the client gets a 503 (the work itself is not stopped).
pub const SEARCH_TIMEOUT: Duration = Duration::from_secs(10);

impl AppState {
    /// Serves one engine as it is: Paragraf's own or an OpenSearch cluster.
    pub fn new(engine: Arc<dyn SearchEngine>) -> AppState {
        AppState {
            engine: Arc::new(RwLock::new(engine)),
            index_dir: None,
            metrics: Arc::new(Metrics::default()),
            searches: Arc::new(Semaphore::new(MAX_CONCURRENT_SEARCHES)),
            damage: Arc::default(),
            archive: None,
        }
    }

    /// Serves the originals of the archive under `roots` (the paths the index was built
    /// from) at `/api/items/{id}/source`; without, that route answers `source_not_found`.
    pub fn with_archive(mut self, roots: Vec<PathBuf>) -> AppState {
        self.archive = Some(Arc::new(routes::source::ArchiveFiles::new(roots)));
        self
    }

    /// The archive whose originals are served, when there is one.
    pub fn archive(&self) -> Option<Arc<routes::source::ArchiveFiles>> {
        self.archive.clone()
    }

    /// Serves the index in `index_dir`, starting with `engine` (opened from it); see
    /// [`AppState::reload_if_changed`].
    pub fn watching(engine: Arc<dyn SearchEngine>, index_dir: PathBuf) -> AppState {
        AppState {
            index_dir: Some(index_dir),
            ..AppState::new(engine)
        }
    }

    /// The engine to answer this request with.
    pub fn engine(&self) -> Arc<dyn SearchEngine> {
        match self.engine.read() {
            Ok(engine) => engine.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Opens the index again when a commit or a rebuild changed it on disk since it was
    /// opened, and serves the new state from the next request on. Requests in flight finish
    /// on the state they started with; a half-written state is never seen, since tantivy
    /// commits and generation swaps are atomic. Returns whether it reloaded.
    pub fn reload_if_changed(&self) -> paragraf_query::Result<bool> {
        let Some(dir) = &self.index_dir else {
            return Ok(false);
        };
        let current = self.engine();
        if !current.is_stale(dir) {
            return Ok(false);
        }
        let fresh = Engine::open(dir)?;
        tracing::info!(
            items = fresh.health(paragraf_query::Access::Admin).items,
            "index changed on disk; serving the new state"
        );
        let fresh: Arc<dyn SearchEngine> = Arc::new(fresh);
        match self.engine.write() {
            Ok(mut engine) => *engine = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        Ok(true)
    }

    /// The request metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Whether the index being served was found damaged ([`damage`]).
    pub fn is_damaged(&self) -> bool {
        self.damage.is_damaged(damage::address_of(&self.engine()))
    }
}

/// Server options that shape the router.
#[derive(Debug, Clone, Default)]
pub struct HttpConfig {
    /// Origins allowed to call the API from a browser; none by default.
    pub cors_origins: Vec<String>,
    /// Who asks: tokens and trusted proxies (issue #20); by default every request is public.
    pub auth: auth::AuthConfig,
}

/// Builds the application: routes, CORS and tracing.
pub fn router(state: AppState, config: &HttpConfig) -> Router {
    let mut app = Router::new()
        .route("/api/search", get(routes::search::search))
        .route("/api/search.atom", get(routes::feed::search_atom))
        .route("/api/search.csv", get(routes::export::search_csv))
        .route("/api/search.jsonl", get(routes::export::search_jsonl))
        .route("/api/items/{id}", get(routes::items::item))
        .route("/api/items/{id}/source", get(routes::source::source))
        .route("/api/cases/{*case_number}", get(routes::cases::case))
        .route("/api/meetings/{id}", get(routes::meetings::meeting))
        .route("/api/suggest", get(routes::suggest::suggest))
        .route("/api/openapi.json", get(routes::openapi::openapi))
        .route("/health", get(routes::health::health))
        .route("/metrics", get(routes::health::metrics))
        .route("/", get(routes::ui::index))
        .route("/widget.js", get(routes::ui::widget))
        .route("/widget-demo", get(routes::ui::widget_demo))
        .route("/assets/{file}", get(routes::ui::asset))
        .fallback(routes::not_found)
        // A POST or PUT to a route gets the API's JSON error too (README: errors are JSON).
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(config.auth.clone()),
            auth::authenticate,
        ))
        .layer(axum::middleware::from_fn_with_state(state.clone(), track))
        // The API only reads: no request needs a body.
        .layer(DefaultBodyLimit::max(16 * 1024))
        .with_state(state);
    match cors::parse_origins(&config.cors_origins) {
        Ok(origins) => {
            if let Some(layer) = cors::layer(&origins) {
                app = app.layer(layer);
            }
        }
        // `paragraf serve` refuses these at start; a library user gets no CORS headers.
        Err(e) => tracing::error!("{e}; no CORS headers are sent"),
    }
    app.layer(axum::middleware::map_response(headers::nosniff))
        .layer(TraceLayer::new_for_http())
}

/// The operations application for `--admin-listen` (issue #20): `/metrics` and `/health`
/// with every item counted, without credentials, since only the operators reach that
/// address. Bind it to an address the public cannot reach.
pub fn admin_router(state: AppState) -> Router {
    let admin = |mut request: Request, next: Next| async move {
        request.extensions_mut().insert(auth::Caller {
            access: paragraf_query::Access::Admin,
            credentialed: true,
        });
        next.run(request).await
    };
    Router::new()
        .route("/health", get(routes::health::health))
        .route("/metrics", get(routes::health::metrics))
        .fallback(routes::not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn(admin))
        .with_state(state)
        .layer(axum::middleware::map_response(headers::nosniff))
        .layer(TraceLayer::new_for_http())
}

/// 405 for a method a route does not take: every route is `GET` (and `HEAD`).
async fn method_not_allowed(method: Method) -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        format!("{method} is not allowed here; the API only answers GET"),
    )
}

/// Counts each request by its route and status, and times it.
async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let started = Instant::now();
    let response = next.run(request).await;
    state
        .metrics
        .record(&route, response.status().as_u16(), started.elapsed());
    response
}

/// Runs blocking search work off the async runtime, at most [`MAX_CONCURRENT_SEARCHES`] at
/// once and for at most [`SEARCH_TIMEOUT`]; maps a panic to an internal error and an overload
/// to 503.
pub(crate) async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce() -> paragraf_query::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let busy = || ApiError::new(ErrorCode::Busy, "the server is busy; try again in a moment");
    let permit =
        match tokio::time::timeout(QUEUE_WAIT, state.searches.clone().acquire_owned()).await {
            Ok(Ok(permit)) => permit,
            _ => return Err(busy()),
        };
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        f()
    });
    let joined = match tokio::time::timeout(SEARCH_TIMEOUT, task).await {
        Ok(joined) => joined,
        Err(_) => {
            tracing::warn!(timeout_s = SEARCH_TIMEOUT.as_secs(), "search timed out");
            return Err(ApiError::new(
                ErrorCode::Timeout,
                "the search took too long; narrow it with filters or fewer words",
            ));
        }
    };
    match joined {
        Ok(Err(e)) if e.is_index_damage() => {
            state.damage.record(damage::address_of(&state.engine()));
            Err(ApiError::from(e))
        }
        Ok(result) => result.map_err(ApiError::from),
        Err(e) => {
            if damage::panicked_on_damage(state).await {
                tracing::error!(error = %e, "a search failed on a damaged index");
                return Err(ApiError::index_damaged());
            }
            tracing::error!(error = %e, "search task failed");
            Err(ApiError::new(
                ErrorCode::Internal,
                "internal error; the server log has the details",
            ))
        }
    }
}
