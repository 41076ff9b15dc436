//! Headers every response carries, whatever produced it (a handler, a rejection, the 404
//! fallback, the CORS layer).

use axum::http::{header, HeaderValue};
use axum::response::Response;

/// `X-Content-Type-Options: nosniff`: a browser takes the `Content-Type` as given and never
/// guesses a script or a page from a JSON body (issue #17: only the page had it).
pub async fn nosniff(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
