//! Where an item's meeting, case and source are served ([`ItemLinks`]): every hit and item
//! view carries them, so the page, the widget and other clients follow them rather than
//! building paths (issue #19).
//!
//! ```
//! use paragraf_query::links::case_path;
//!
//! assert_eq!(case_path("KS 2013/123"), "/api/cases/KS%202013/123");
//! ```

use paragraf_indexer::Item;
use serde::{Deserialize, Serialize};

/// The API paths of what an item belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ItemLinks {
    /// The item itself: `/api/items/{id}`.
    pub item: String,
    /// Its meeting, all items in agenda order: `/api/meetings/{meeting id}`.
    pub meeting: String,
    /// Its case across meetings (`/api/cases/{case number}`), when it has a case number.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub case: Option<String>,
    /// The archived original: `/api/items/{id}/source`, with `#page=N` where a PDF's page
    /// of the item's paragraph is known.
    pub source: String,
}

impl ItemLinks {
    /// The links of an item.
    pub fn of(item: &Item) -> ItemLinks {
        let item_path = format!("/api/items/{}", encode(&item.id, false));
        let page = item.page.map(|p| format!("#page={p}")).unwrap_or_default();
        ItemLinks {
            source: format!("{item_path}/source{page}"),
            item: item_path,
            meeting: meeting_path(&item.meeting.id),
            case: item.case_number.as_deref().map(case_path),
        }
    }
}

/// `/api/meetings/{id}`, the id percent-encoded.
pub fn meeting_path(id: &str) -> String {
    format!("/api/meetings/{}", encode(id, false))
}

/// `/api/cases/{case number}`: the number percent-encoded but for its `/`, which the route
/// takes as part of the number.
pub fn case_path(case_number: &str) -> String {
    format!("/api/cases/{}", encode(case_number, true))
}

/// Percent-encodes all but unreserved characters (RFC 3986), and `/` when `keep_slash`.
fn encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(b))
            }
            b'/' if keep_slash => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(case_path("KS KF 2022/7"), "/api/cases/KS%20KF%202022/7");
        assert_eq!(case_path("BUN 2015/608"), "/api/cases/BUN%202015/608");
        assert_eq!(
            meeting_path("svom-2020-12-04"),
            "/api/meetings/svom-2020-12-04"
        );
        assert_eq!(meeting_path("a b/ö"), "/api/meetings/a%20b%2F%C3%B6");
    }
}
