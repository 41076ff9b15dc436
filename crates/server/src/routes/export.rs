//! `GET /api/search.csv` and `GET /api/search.jsonl`: the whole result of a search (the
//! parameters and filters of `/api/search`, up to [`paragraf_query::EXPORT_ROWS`] rows), streamed
//! page by page: each page is searched on the blocking pool when the client has taken the one
//! before, so 10,000 rows are never held at once (issue #19).
//!
//! The first page is searched before the response starts, so that a bad parameter or an
//! engine that cannot answer is the error status of `/api/search`, not a cut-off file. A
//! failure further on ends the body early (the client sees a truncated transfer).

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::stream;

use crate::extract::Query;
use crate::{blocking, ApiError, AppState};
use paragraf_query::export::{csv_row, jsonl_row, Pages, CSV_BOM, CSV_HEADER};
use paragraf_query::{Hit, SearchRequest};

/// The two formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Jsonl,
}

#[utoipa::path(
    get,
    path = "/api/search.csv",
    operation_id = "search_csv",
    tag = "search",
    params(paragraf_query::SearchParams),
    responses(
        (status = 200, description = "The result as CSV: UTF-8 with BOM, `;`-separated, RFC 4180 quoting; `limit` is ignored, all rows up to 10,000 from `offset`", content_type = "text/csv"),
        (status = 400, description = "A parameter is wrong: the codes of `/api/search`", body = crate::error::ErrorBody),
        (status = 503, description = "Busy, too slow, or the index is unavailable", body = crate::error::ErrorBody),
    )
)]
/// The result of a search as CSV.
pub async fn search_csv(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    export(state, caller, &pairs, Format::Csv).await
}

#[utoipa::path(
    get,
    path = "/api/search.jsonl",
    operation_id = "search_jsonl",
    tag = "search",
    params(paragraf_query::SearchParams),
    responses(
        (status = 200, description = "The result as JSON Lines, one hit of `/api/search` a line; `limit` is ignored, all rows up to 10,000 from `offset`", content_type = "application/x-ndjson"),
        (status = 400, description = "A parameter is wrong: the codes of `/api/search`", body = crate::error::ErrorBody),
        (status = 503, description = "Busy, too slow, or the index is unavailable", body = crate::error::ErrorBody),
    )
)]
/// The result of a search as JSON Lines.
pub async fn search_jsonl(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    export(state, caller, &pairs, Format::Jsonl).await
}

async fn export(
    state: AppState,
    caller: crate::auth::Caller,
    pairs: &[(String, String)],
    format: Format,
) -> Result<Response, ApiError> {
    let mut req = SearchRequest::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    req.access = caller.access;
    let mut pages = Pages::new(req);
    let first = match pages.request().cloned() {
        Some(req) => page(&state, &mut pages, req).await?,
        None => Vec::new(),
    };
    let head = match format {
        Format::Csv => format!("{CSV_BOM}{CSV_HEADER}"),
        Format::Jsonl => String::new(),
    };
    let chunk = Bytes::from(head + &rows(&first, format));
    let rest = stream::unfold((state, pages), move |(state, mut pages)| async move {
        let req = pages.request().cloned()?;
        match page(&state, &mut pages, req).await {
            Ok(hits) => Some((Ok(Bytes::from(rows(&hits, format))), (state, pages))),
            Err(e) => {
                tracing::error!(code = %e.code(), "an export stopped before its end");
                Some((
                    Err(std::io::Error::other(e.message().to_string())),
                    (state, Pages::done()),
                ))
            }
        }
    });
    let body = Body::from_stream(stream::StreamExt::chain(
        stream::iter([Ok::<Bytes, std::io::Error>(chunk)]),
        rest,
    ));
    let (content_type, extension) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::Jsonl => ("application/x-ndjson; charset=utf-8", "jsonl"),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"paragraf-export.{extension}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// One page of the export, and the pages moved on past it.
async fn page(
    state: &AppState,
    pages: &mut Pages,
    req: SearchRequest,
) -> Result<Vec<Hit>, ApiError> {
    let engine = state.engine();
    let found = blocking(state, move || engine.search(&req)).await?;
    pages.advance(found.hits.len(), found.total);
    Ok(found.hits)
}

fn rows(hits: &[Hit], format: Format) -> String {
    hits.iter()
        .map(|hit| match format {
            Format::Csv => csv_row(hit, ""),
            Format::Jsonl => jsonl_row(hit),
        })
        .collect()
}
