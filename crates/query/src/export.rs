//! A whole result as rows (issue #19, "Export"): CSV for Excel and JSON Lines, up to
//! [`EXPORT_ROWS`] items, read page by page ([`Pages`]) so that a caller can stream them.
//!
//! The CSV is what Swedish Excel opens as it is: UTF-8 with a byte-order mark (else å, ä and ö
//! come out wrong), `;` between fields (the list separator of a Swedish locale), fields quoted
//! per RFC 4180 when they hold a `;`, a quote or a line break.
//!
//! ```
//! use paragraf_query::export::csv_field;
//!
//! assert_eq!(csv_field("Budget; plan"), "\"Budget; plan\"");
//! assert_eq!(csv_field("=SUMMA(A1)"), "'=SUMMA(A1)");
//! ```

use crate::limits::{EXPORT_ROWS, MAX_LIMIT};
use crate::request::SearchRequest;
use crate::response::Hit;

/// The byte-order mark a CSV export starts with.
pub const CSV_BOM: &str = "\u{feff}";

/// The CSV header row, in Swedish as the page is (and as officials read it).
pub const CSV_HEADER: &str =
    "datum;organ;paragraf;rubrik;diarienummer;beslut;talare;kommuner;id;länk\r\n";

/// One hit as a CSV row, `\r\n`-terminated (RFC 4180). `base` is put before the item's path
/// in the last column (the server's own address, or nothing for a path).
pub fn csv_row(hit: &Hit, base: &str) -> String {
    let speakers: Vec<&str> = hit.speakers.iter().map(|s| s.name.as_str()).collect();
    let places: Vec<&str> = hit.municipalities.iter().map(|m| m.name.as_str()).collect();
    let fields = [
        hit.meeting.date.clone().unwrap_or_default(),
        hit.meeting.body.clone().unwrap_or_default(),
        hit.section.clone().unwrap_or_default(),
        hit.title.clone().unwrap_or_default(),
        hit.case_number.clone().unwrap_or_default(),
        hit.decisions.join(" "),
        speakers.join(", "),
        places.join(", "),
        hit.id.clone(),
        format!("{base}{}", hit.links.item),
    ];
    let mut row = fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(";");
    row.push_str("\r\n");
    row
}

/// One field: quoted when it holds `;`, `"`, CR or LF (quotes doubled), and with a `'` in
/// front when it starts like a formula (`=`, `+`, `-`, `@`), so that Excel shows the text
/// instead of running it (OWASP, "CSV injection").
pub fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([';', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// One hit as a JSON Lines row: the hit as `/api/search` returns it, then `\n`.
pub fn jsonl_row(hit: &Hit) -> String {
    let mut line =
        serde_json::to_string(hit).expect("a hit of strings, numbers and lists serialises");
    line.push('\n');
    line
}

/// The pages of an export: the request's filters and order, [`MAX_LIMIT`] hits a page from
/// the request's offset, until the result or [`EXPORT_ROWS`] rows run out.
#[derive(Debug, Clone)]
pub struct Pages {
    next: Option<SearchRequest>,
    end: usize,
}

impl Pages {
    /// The pages of `req`'s result (its `limit` is ignored: an export takes all rows).
    pub fn new(mut req: SearchRequest) -> Pages {
        let end = req.offset.saturating_add(EXPORT_ROWS).min(EXPORT_ROWS);
        req.max_depth = EXPORT_ROWS;
        req.limit = MAX_LIMIT.min(end.saturating_sub(req.offset)).max(1);
        Pages {
            next: (req.offset < end).then_some(req),
            end,
        }
    }

    /// Pages that are over: an export that stopped.
    pub fn done() -> Pages {
        Pages { next: None, end: 0 }
    }

    /// The request for the next page, if any.
    pub fn request(&self) -> Option<&SearchRequest> {
        self.next.as_ref()
    }

    /// Moves on after a page of `got` hits out of `total`.
    pub fn advance(&mut self, got: usize, total: u64) {
        let Some(req) = self.next.as_mut() else {
            return;
        };
        let offset = req.offset + got;
        if got < req.limit || offset as u64 >= total || offset >= self.end {
            self.next = None;
            return;
        }
        req.offset = offset;
        req.limit = MAX_LIMIT.min(self.end - offset);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::fixture::{engine, item};

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("Cykelplan"), "Cykelplan");
        assert_eq!(csv_field("Säg \"ja\""), "\"Säg \"\"ja\"\"\"");
        assert_eq!(csv_field("rad ett\nrad två"), "\"rad ett\nrad två\"");
        assert_eq!(csv_field("-; x"), "\"'-; x\"");
        assert_eq!(csv_field(""), "");
    }

    #[test]
    fn a_row_of_a_hit() {
        let mut i = item("KS/2013-05-15", 4, Some("Cykelplan; etapp 2"), "Text.");
        i.case_number = Some("KS 2013/123".into());
        i.decisions = vec!["Kommunstyrelsen beslutar att".into(), "anta planen.".into()];
        let hit = Hit::from_item(i, None, String::new());
        assert_eq!(
            csv_row(&hit, "http://h"),
            "2013-05-15;KS;§ 4;\"Cykelplan; etapp 2\";KS 2013/123;Kommunstyrelsen beslutar att anta planen.;;;ks-2013-05-15.04;http://h/api/items/ks-2013-05-15.04\r\n"
        );
        let line = jsonl_row(&hit);
        assert!(line.ends_with("}\n") && !line[..line.len() - 1].contains('\n'));
        let back: Hit = serde_json::from_str(&line).expect("a hit again");
        assert_eq!(back, hit);
    }

    #[test]
    fn pages_run_to_the_end_of_the_result() {
        let items: Vec<_> = (1..=250)
            .map(|n| item("KS/2013-05-15", n, None, "Budget."))
            .collect();
        let engine = engine(&items);
        let mut pages = Pages::new(SearchRequest::new("budget"));
        let mut ids = Vec::new();
        let mut calls = 0;
        while let Some(req) = pages.request() {
            let found = engine.search(req).expect("a page");
            calls += 1;
            let got = found.hits.len();
            ids.extend(found.hits.into_iter().map(|h| h.id));
            pages.advance(got, found.total);
        }
        assert_eq!((calls, ids.len()), (3, 250));
        let unique: std::collections::HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), 250);
    }

    #[test]
    fn an_export_stops_at_its_row_limit() {
        let mut pages = Pages::new(SearchRequest::new("x"));
        let mut rows = 0;
        while let Some(req) = pages.request() {
            rows += req.limit;
            pages.advance(req.limit, u64::MAX);
        }
        assert_eq!(rows, EXPORT_ROWS);
    }
}
