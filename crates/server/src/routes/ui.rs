//! The search page (`GET /`), its assets (`GET /assets/{file}`), the intranet widget
//! (`GET /widget.js`) and a host page showing the widget (`GET /widget-demo`), all compiled into the binary from `http/ui/`, so serving the page needs
//! no Node tool chain and no files beside the binary (issue #5).
//!
//! Only the files named in [`ASSETS`] are served: a path is looked up in a fixed table, never
//! joined to a directory, so no request can reach another file.
//!
//! Caching: every file carries a strong `ETag` (a hash of its bytes, computed at compile time)
//! and answers `If-None-Match` with `304`. The page and its assets are `no-cache` (always
//! revalidated, so a new binary never mixes an old `app.js` with a new `index.html`); the
//! widget, loaded on every intranet page view, may be reused for five minutes.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::extract::Path;
use crate::{ApiError, ErrorCode};

/// One embedded file.
#[derive(Debug, Clone, Copy)]
pub struct Asset {
    /// Name under `/assets/`.
    pub name: &'static str,
    /// `Content-Type` header value.
    pub content_type: &'static str,
    /// The bytes.
    pub body: &'static [u8],
    /// Strong entity tag, quoted.
    etag: &'static str,
}

macro_rules! asset {
    ($name:literal, $content_type:expr) => {
        Asset {
            name: $name,
            content_type: $content_type,
            body: include_bytes!(concat!("../ui/", $name)),
            etag: {
                const HASH: [u8; 18] = etag(include_bytes!(concat!("../ui/", $name)));
                match std::str::from_utf8(&HASH) {
                    Ok(s) => s,
                    Err(_) => panic!("an etag is ASCII"),
                }
            },
        }
    };
}

const HTML: &str = "text/html; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const SVG: &str = "image/svg+xml";

/// The search page.
pub const INDEX_HTML: Asset = asset!("index.html", HTML);
/// The widget script for other origins.
pub const WIDGET_JS: Asset = asset!("widget.js", JS);
/// A host page embedding the widget, for intranet developers (issue #18).
pub const WIDGET_DEMO_HTML: Asset = asset!("widget-demo.html", HTML);
/// The files under `/assets/`.
pub const ASSETS: &[Asset] = &[
    asset!("app.js", JS),
    asset!("app.css", CSS),
    asset!("favicon.svg", SVG),
    asset!("widget-demo.js", JS),
];

/// The page's content security policy: its own scripts, styles and API only. Snippets arrive
/// as HTML (escaped text with `<mark>`), so this is the second line of defence.
const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'self'";

/// `GET /`: the search page.
pub async fn index(headers: HeaderMap) -> Response {
    let mut response = serve(&INDEX_HTML, &headers, "no-cache");
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PAGE_CSP),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// The demo page's policy: as the search page's, but the page (and the widget's Shadow DOM)
/// carry their own `<style>`, as an intranet page would.
const DEMO_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'self'";

/// `GET /widget-demo`: an intranet-like page with the widget in it, and the code to embed it.
pub async fn widget_demo(headers: HeaderMap) -> Response {
    let mut response = serve(&WIDGET_DEMO_HTML, &headers, "no-cache");
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(DEMO_CSP),
    );
    response
}

/// `GET /widget.js`: the `<paragraf-search>` custom element.
pub async fn widget(headers: HeaderMap) -> Response {
    serve(&WIDGET_JS, &headers, "public, max-age=300")
}

/// `GET /assets/{file}`: one of [`ASSETS`], else the API's JSON 404.
pub async fn asset(Path(file): Path<String>, headers: HeaderMap) -> Response {
    match ASSETS.iter().find(|a| a.name == file) {
        Some(asset) => serve(asset, &headers, "no-cache"),
        None => ApiError::new(
            ErrorCode::NotFound,
            format!("no such asset: /assets/{file}"),
        )
        .into_response(),
    }
}

fn serve(asset: &Asset, headers: &HeaderMap, cache_control: &'static str) -> Response {
    let etag = HeaderValue::from_static(asset.etag);
    let common = [
        (header::ETAG, etag),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
    ];
    let fresh = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == asset.etag
        });
    if fresh {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (
        common,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(asset.content_type),
        )],
        asset.body,
    )
        .into_response()
}

/// `"` + 16 hex digits of the 64-bit FNV-1a hash of `bytes` + `"`.
const fn etag(bytes: &[u8]) -> [u8; 18] {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [b'"'; 18];
    let mut j = 0;
    while j < 16 {
        out[1 + j] = HEX[((hash >> (60 - 4 * j)) & 0xf) as usize];
        j += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_differ_per_file_and_are_quoted() {
        let mut tags: Vec<&str> = ASSETS.iter().map(|a| a.etag).collect();
        tags.push(INDEX_HTML.etag);
        tags.push(WIDGET_JS.etag);
        tags.push(WIDGET_DEMO_HTML.etag);
        for tag in &tags {
            assert_eq!(tag.len(), 18);
            assert!(tag.starts_with('"') && tag.ends_with('"'));
        }
        tags.sort_unstable();
        tags.dedup();
        assert_eq!(tags.len(), ASSETS.len() + 3);
    }

    #[tokio::test]
    async fn only_embedded_files_are_served() {
        for name in ["app.js", "app.css", "favicon.svg"] {
            let response = asset(Path(name.to_string()), HeaderMap::new()).await;
            assert_eq!(response.status(), StatusCode::OK, "{name}");
        }
        for name in [
            "../Cargo.toml",
            "..%2Fui.rs",
            "index.html",
            "widget.js",
            "",
            "APP.JS",
        ] {
            let response = asset(Path(name.to_string()), HeaderMap::new()).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{name}");
        }
    }

    #[tokio::test]
    async fn content_types_and_cache_headers() {
        let page = index(HeaderMap::new()).await;
        assert_eq!(page.headers()[header::CONTENT_TYPE], HTML);
        assert_eq!(page.headers()[header::CACHE_CONTROL], "no-cache");
        assert!(page.headers().contains_key(header::CONTENT_SECURITY_POLICY));
        let widget = widget(HeaderMap::new()).await;
        assert_eq!(widget.headers()[header::CONTENT_TYPE], JS);
        assert_eq!(
            widget.headers()[header::CACHE_CONTROL],
            "public, max-age=300"
        );
        let css = asset(Path("app.css".into()), HeaderMap::new()).await;
        assert_eq!(css.headers()[header::CONTENT_TYPE], CSS);
        assert_eq!(css.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }

    #[tokio::test]
    async fn matching_etag_is_not_modified() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static(WIDGET_JS.etag),
        );
        assert_eq!(widget(headers).await.status(), StatusCode::NOT_MODIFIED);
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"stale\""));
        assert_eq!(widget(headers).await.status(), StatusCode::OK);
    }

    #[test]
    fn page_names_only_embedded_assets() {
        let html = std::str::from_utf8(INDEX_HTML.body).expect("utf-8");
        for link in html.split("/assets/").skip(1) {
            let name = link.split('"').next().unwrap_or_default();
            assert!(
                ASSETS.iter().any(|a| a.name == name),
                "index.html links /assets/{name}, which is not embedded"
            );
        }
    }
}
