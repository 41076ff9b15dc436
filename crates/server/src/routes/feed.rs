//! `GET /api/search.atom`: every search as an Atom feed (RFC 4287) that feed readers and
//! intranet portals poll ("Bevaka", issue #19): the parameters of `/api/search`, the newest
//! meetings first, one entry per item with the item's decision as its summary.
//!
//! An entry's id comes from the item id (`tag:paragraf,2024:item/<id>`), so a reader that
//! saw an item once does not show it as new when a newer item pushes it down the list. Links
//! are relative references, which a reader resolves against the feed's own address.

use axum::extract::State;
use axum::http::{header, Uri};
use axum::response::IntoResponse;

use crate::extract::Query;
use crate::{blocking, ApiError, AppState};
use paragraf_query::{Hit, SearchRequest, SearchResponse, Sort};

#[utoipa::path(
    get,
    path = "/api/search.atom",
    operation_id = "search_atom",
    tag = "search",
    params(paragraf_query::SearchParams),
    responses(
        (status = 200, description = "The search as an Atom feed, newest meetings first", content_type = "application/atom+xml"),
        (status = 400, description = "A parameter is wrong: the codes of `/api/search`", body = crate::error::ErrorBody),
        (status = 503, description = "Busy, too slow, or the index is unavailable", body = crate::error::ErrorBody),
    )
)]
/// The search as an Atom feed.
pub async fn search_atom(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    uri: Uri,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<impl IntoResponse, ApiError> {
    let mut req = SearchRequest::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    // A feed is read for what is new: the newest meetings first, whatever the page sorts by.
    req.sort = Some(Sort::Date);
    req.access = caller.access;
    let engine = state.engine();
    let found = blocking(&state, move || engine.search(&req)).await?;
    let query = uri.query().unwrap_or_default();
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        atom(&found, query),
    ))
}

/// The feed of a search response; `query` is the request's query string, for the links.
pub fn atom(found: &SearchResponse, query: &str) -> String {
    let title = if found.query.trim().is_empty() {
        "Paragraf: alla ärenden".to_string()
    } else {
        format!("Paragraf: {}", found.query.trim())
    };
    let sep = if query.is_empty() { "" } else { "?" };
    let updated = found
        .hits
        .iter()
        .filter_map(|h| timestamp(h.meeting.date.as_deref()))
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"sv\">\n");
    push_element(&mut xml, 1, "title", &title);
    push_element(
        &mut xml,
        1,
        "id",
        &format!("tag:paragraf,2024:search?{}", canonical_query(query)),
    );
    push_element(&mut xml, 1, "updated", &updated);
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&format!("/api/search.atom{sep}{query}"))
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&format!("/{sep}{query}"))
    ));
    xml.push_str("  <author><name>Paragraf</name></author>\n");
    xml.push_str("  <generator>Paragraf</generator>\n");
    for hit in &found.hits {
        push_entry(&mut xml, hit);
    }
    xml.push_str("</feed>\n");
    xml
}

fn push_entry(xml: &mut String, hit: &Hit) {
    xml.push_str("  <entry>\n");
    push_element(xml, 2, "id", &format!("tag:paragraf,2024:item/{}", hit.id));
    push_element(xml, 2, "title", &entry_title(hit));
    let updated =
        timestamp(hit.meeting.date.as_deref()).unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    push_element(xml, 2, "updated", &updated);
    xml.push_str(&format!(
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&format!("/?item={}", hit.id))
    ));
    xml.push_str(&format!(
        "    <link rel=\"related\" type=\"application/json\" href=\"{}\"/>\n",
        escape(&hit.links.item)
    ));
    if let Some(case) = &hit.case_number {
        xml.push_str(&format!(
            "    <category term=\"{}\" label=\"Dnr {}\"/>\n",
            escape(case),
            escape(case)
        ));
    }
    let summary = if hit.decisions.is_empty() {
        without_marks(&hit.snippet)
    } else {
        hit.decisions.join(" ")
    };
    push_element(xml, 2, "summary", &summary);
    xml.push_str("  </entry>\n");
}

/// "SVOM 2020-12-04 § 15 Munskydd", from what the item has.
fn entry_title(hit: &Hit) -> String {
    let parts: Vec<&str> = [
        hit.meeting.body.as_deref(),
        hit.meeting.date.as_deref(),
        hit.section.as_deref(),
        hit.title.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        hit.id.clone()
    } else {
        parts.join(" ")
    }
}

fn push_element(xml: &mut String, depth: usize, name: &str, text: &str) {
    xml.push_str(&"  ".repeat(depth));
    xml.push_str(&format!("<{name}>{}</{name}>\n", escape(text)));
}

/// A meeting date as an RFC 3339 timestamp (midnight UTC; the first day of a month or year).
fn timestamp(date: Option<&str>) -> Option<String> {
    let start = paragraf_indexer::Date::parse_written_start(date?)?;
    Some(format!("{start}T00:00:00Z"))
}

/// The query string's pairs sorted, so that one search has one feed id whatever the order
/// of its parameters.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    pairs.sort_unstable();
    pairs.join("&")
}

/// The snippet's text: its `<mark>` tags dropped and its entities decoded (it is escaped
/// again as XML).
fn without_marks(snippet: &str) -> String {
    snippet
        .replace("<mark>", "")
        .replace("</mark>", "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// XML-escaped text, without the characters XML 1.0 cannot hold (control characters).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            escape("<b>\"Vård\" & 'omsorg'\u{1}</b>"),
            "&lt;b&gt;&quot;Vård&quot; &amp; &apos;omsorg&apos;&lt;/b&gt;"
        );
        assert_eq!(
            without_marks("a <mark>b</mark> &amp; &lt;c&gt;"),
            "a b & <c>"
        );
        assert_eq!(canonical_query("q=x&body=KS&b=1"), "b=1&body=KS&q=x");
        assert_eq!(
            timestamp(Some("2022-10")).as_deref(),
            Some("2022-10-01T00:00:00Z")
        );
    }
}
