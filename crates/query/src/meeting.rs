//! One meeting as a whole ("Browse a meeting", issue #19): its items in agenda order, its
//! attendance and its justerare. Built on the engine's search (a meeting filter) and item
//! lookup, so both engines answer and an engine's filters apply.

use paragraf_indexer::Meeting;
use serde::{Deserialize, Serialize};

use crate::backend::SearchEngine;
use crate::error::{Error, Result};
use crate::limits::{MAX_DEPTH, MAX_LIMIT};
use crate::request::{SearchRequest, Sort};
use crate::response::ItemLinks;

/// A meeting with its items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MeetingView {
    /// The meeting: body, date, source, attendance ("Beslutande"), justerare, chair.
    pub meeting: Meeting,
    /// Its items in agenda order.
    pub items: Vec<MeetingItem>,
}

/// One item of a meeting, enough to list and link it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MeetingItem {
    /// Item id.
    pub id: String,
    /// Position in the meeting, from 1.
    pub ordinal: u32,
    /// "§ 54", when known.
    pub section: Option<String>,
    /// The heading, when known.
    pub title: Option<String>,
    /// The case number, when it has one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub case_number: Option<String>,
    /// The sentences recording its decision; empty when it records none.
    pub decisions: Vec<String>,
    /// Where the item, its case and its source are.
    pub links: ItemLinks,
}

/// The meeting with this id; [`Error::MeetingNotFound`] when no item belongs to it.
pub fn meeting(
    engine: &(impl SearchEngine + ?Sized),
    id: &str,
    access: crate::Access,
) -> Result<MeetingView> {
    let mut req = SearchRequest {
        access,
        sort: Some(Sort::Date),
        limit: MAX_LIMIT,
        ..SearchRequest::default()
    };
    req.filters.meeting.push(id.to_string());
    let mut items: Vec<MeetingItem> = Vec::new();
    loop {
        let page = engine.search(&req)?;
        let got = page.hits.len();
        items.extend(page.hits.into_iter().map(|h| MeetingItem {
            ordinal: ordinal_of(&h.id),
            id: h.id,
            section: h.section,
            title: h.title,
            case_number: h.case_number,
            decisions: h.decisions,
            links: h.links,
        }));
        req.offset += got;
        if got < req.limit || req.offset as u64 >= page.total || req.offset + req.limit > MAX_DEPTH
        {
            break;
        }
    }
    let Some(first) = items.first() else {
        return Err(Error::MeetingNotFound(id.to_string()));
    };
    // The hits carry the meeting's id, body and date; the item holds all of it.
    let meeting = engine.item(&first.id, access)?.item.meeting;
    items.sort_by_key(|i| i.ordinal);
    Ok(MeetingView { meeting, items })
}

/// The ordinal of an item id `<meeting id>.<ordinal>`.
fn ordinal_of(id: &str) -> u32 {
    id.rsplit_once('.')
        .and_then(|(_, n)| n.parse().ok())
        .unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::fixture::{engine, item};
    use crate::Access;

    #[test]
    fn a_meeting_s_items_in_agenda_order() {
        let mut opening = item("KS/2024-03-12", 1, Some("Upprop"), "Närvarande antecknas.");
        opening.meeting.justerare = vec!["Anna Berg".into()];
        let mut items = vec![opening.clone()];
        for n in 2..=12 {
            let mut i = item("KS/2024-03-12", n, None, "Ärendet behandlas.");
            i.meeting = opening.meeting.clone();
            items.push(i);
        }
        items.push(item("BUN/2024-03-12", 1, None, "Annat möte."));
        let engine = engine(&items);
        let view = meeting(&engine, "ks-2024-03-12", Access::Public).expect("the meeting");
        let ordinals: Vec<u32> = view.items.iter().map(|i| i.ordinal).collect();
        assert_eq!(ordinals, (1..=12).collect::<Vec<u32>>());
        assert_eq!(view.meeting.justerare, ["Anna Berg"]);
        assert_eq!(view.items[0].title.as_deref(), Some("Upprop"));
        assert_eq!(view.items[0].links.meeting, "/api/meetings/ks-2024-03-12");
        let err = meeting(&engine, "ks-1999-01-01", Access::Public).expect_err("no such meeting");
        assert_eq!(err.to_string(), "no meeting with id \"ks-1999-01-01\"");
    }
}
