//! A case across meetings ("ärendets gång", issue #19): the items that share a case number,
//! whatever body handled them and in whichever year, in date order, with the items without a
//! number of their own that cite one of them ([`crate::cite`]).
//!
//! Built on the engine's search alone (a case-number filter, then a search for each item's
//! meeting date to find the items citing it), so both engines answer and whatever filter an
//! engine applies to searches applies to cases too.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::backend::SearchEngine;
use crate::cite::{citations, same_body, section_number};
use crate::error::{Error, Result};
use crate::filter::CaseNumber;
use crate::limits::{MAX_DEPTH, MAX_LIMIT};
use crate::request::{SearchRequest, Sort};
use crate::response::{Hit, HitMeeting, ItemLinks};

/// The items of one case, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Case {
    /// The case number, normalised (`KS 2013/123`).
    pub case_number: String,
    /// The case's items in date order (undated ones last), agenda order within a meeting.
    pub items: Vec<CaseItem>,
}

/// One step of a case: an item and what it decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CaseItem {
    /// Item id.
    pub id: String,
    /// The meeting: id, body and date.
    pub meeting: HitMeeting,
    /// "§ 54", when known.
    pub section: Option<String>,
    /// The item heading, when known.
    pub title: Option<String>,
    /// The sentences recording its decision; empty when it records none.
    pub decisions: Vec<String>,
    /// How the item belongs to the case.
    pub linked_by: LinkedBy,
    /// Where the item, its meeting and its source are.
    pub links: ItemLinks,
}

/// How an item belongs to a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum LinkedBy {
    /// It carries the case number.
    CaseNumber,
    /// It has no case number but cites the decision of an item that has.
    Citation {
        /// The citation as written ("KS § 437 2006-12-13").
        cites: String,
        /// The id of the cited item.
        item: String,
    },
}

/// The case with this number: every item carrying it, then the items without a number that
/// cite one of them. [`Error::CaseNotFound`] when no item carries it.
pub fn case(
    engine: &(impl SearchEngine + ?Sized),
    number: &CaseNumber,
    access: crate::Access,
) -> Result<Case> {
    let mut req = SearchRequest {
        access,
        sort: Some(Sort::Date),
        limit: MAX_LIMIT,
        ..SearchRequest::default()
    };
    req.filters.case_number.push(number.clone());
    let numbered = all_hits(engine, req)?;
    if numbered.is_empty() {
        return Err(Error::CaseNotFound(number.to_string()));
    }
    let mut seen: HashSet<String> = numbered.iter().map(|h| h.id.clone()).collect();
    let mut items: Vec<(Hit, LinkedBy)> = Vec::new();
    for hit in &numbered {
        for (citing, cites) in citing(engine, hit, access)? {
            if seen.insert(citing.id.clone()) {
                let linked = LinkedBy::Citation {
                    cites,
                    item: hit.id.clone(),
                };
                items.push((citing, linked));
            }
        }
    }
    items.extend(numbered.into_iter().map(|h| (h, LinkedBy::CaseNumber)));
    // Oldest first; the ids hold the agenda order within a meeting; undated items last.
    items.sort_by(|(a, _), (b, _)| {
        let key = |h: &Hit| {
            (
                h.meeting.date.is_none(),
                h.meeting.date.clone(),
                h.id.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    Ok(Case {
        case_number: number.to_string(),
        items: items
            .into_iter()
            .map(|(hit, linked_by)| CaseItem {
                id: hit.id,
                meeting: hit.meeting,
                section: hit.section,
                title: hit.title,
                decisions: hit.decisions,
                linked_by,
                links: hit.links,
            })
            .collect(),
    })
}

/// The hits of a listing, every page of it (at most [`MAX_DEPTH`]).
fn all_hits(engine: &(impl SearchEngine + ?Sized), mut req: SearchRequest) -> Result<Vec<Hit>> {
    let mut hits = Vec::new();
    loop {
        let page = engine.search(&req)?;
        let got = page.hits.len();
        hits.extend(page.hits);
        req.offset += got;
        if got < req.limit || req.offset as u64 >= page.total || req.offset + req.limit > MAX_DEPTH
        {
            return Ok(hits);
        }
    }
}

/// Items without a case number that cite `cited`'s decision, with the citation as written:
/// found among the items naming its meeting date (in full or as YYMMDD), then checked by
/// reading their citations.
fn citing(
    engine: &(impl SearchEngine + ?Sized),
    cited: &Hit,
    access: crate::Access,
) -> Result<Vec<(Hit, String)>> {
    let (Some(date), Some(n)) = (
        cited.meeting.date.as_deref().filter(|d| d.len() == 10),
        cited.section.as_deref().and_then(section_number),
    ) else {
        return Ok(Vec::new());
    };
    let short: String = date.get(2..).unwrap_or_default().replace('-', "");
    let mut out = Vec::new();
    for q in [format!("\"{date}\""), short] {
        let req = SearchRequest {
            access,
            limit: MAX_LIMIT,
            ..SearchRequest::new(q)
        };
        for hit in engine.search(&req)?.hits {
            if hit.case_number.is_some() || hit.id == cited.id {
                continue;
            }
            let item = engine.item(&hit.id, access)?.item;
            let cites = citations(&item.text).into_iter().find(|c| {
                c.date.to_string() == date
                    && c.section == n
                    && match (&c.body, &cited.meeting.body) {
                        (Some(a), Some(b)) => same_body(a, b),
                        (Some(_), None) => false,
                        (None, _) => true,
                    }
            });
            if let Some(c) = cites {
                out.push((hit, c.text));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::fixture::{engine, item};
    use crate::Access;

    fn numbered(
        mut i: paragraf_indexer::Item,
        number: &str,
        decision: &str,
    ) -> paragraf_indexer::Item {
        i.case_number = Some(paragraf_indexer::minutes::protokoll::normalize_case_number(
            number,
        ));
        i.decisions = vec![decision.to_string()];
        i
    }

    #[test]
    fn a_case_across_bodies_and_years_in_date_order() {
        let engine = engine(&[
            numbered(
                item(
                    "KF/2014-02-03",
                    7,
                    Some("Cykelplan"),
                    "Kommunfullmäktige antar planen.",
                ),
                "KF/2013:0123",
                "Kommunfullmäktige beslutar att anta cykelplanen.",
            ),
            numbered(
                item(
                    "KS/2013-05-15",
                    4,
                    Some("Cykelplan"),
                    "Kommunstyrelsen föreslår.",
                ),
                "KS 2013/123",
                "Kommunstyrelsen föreslår fullmäktige att anta planen.",
            ),
            item("KS/2013-05-15", 5, Some("Annat"), "Ett annat ärende."),
            item(
                "SBN/2013-06-01",
                2,
                Some("Yttrande"),
                "Samhällsbyggnadsnämnden har tagit del av KS § 4 2013-05-15 och tillstyrker.",
            ),
            numbered(
                item("KS/2015-01-01", 1, None, "Ett annat register."),
                "BN 2013/123",
                "Nej.",
            ),
        ]);
        let number = CaseNumber::parse("Dnr KS/2013:123").expect("a case number");
        let found = case(&engine, &number, Access::Public).expect("a case");
        let steps: Vec<(&str, Option<&str>, &LinkedBy)> = found
            .items
            .iter()
            .map(|i| (i.id.as_str(), i.meeting.date.as_deref(), &i.linked_by))
            .collect();
        // KF/2013:0123 is another registry than KS 2013/123: not this case.
        assert_eq!(
            steps,
            [
                (
                    "ks-2013-05-15.04",
                    Some("2013-05-15"),
                    &LinkedBy::CaseNumber
                ),
                (
                    "sbn-2013-06-01.02",
                    Some("2013-06-01"),
                    &LinkedBy::Citation {
                        cites: "KS § 4 2013-05-15".into(),
                        item: "ks-2013-05-15.04".into()
                    }
                ),
            ]
        );
        assert_eq!(found.case_number, "KS 2013/123");
        assert_eq!(
            found.items[0].decisions,
            ["Kommunstyrelsen föreslår fullmäktige att anta planen."]
        );
        assert_eq!(
            found.items[0].links.case.as_deref(),
            Some("/api/cases/KS%202013/123")
        );
        let bare = case(
            &engine,
            &CaseNumber::parse("2013/123").expect("bare"),
            Access::Public,
        )
        .expect("case");
        let ids: Vec<&str> = bare.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "ks-2013-05-15.04",
                "sbn-2013-06-01.02",
                "kf-2014-02-03.07",
                "ks-2015-01-01.01"
            ]
        );
    }

    #[test]
    fn an_unknown_case_is_not_found() {
        let engine = engine(&[item("KS/2013-05-15", 1, None, "Text.")]);
        let err = case(
            &engine,
            &CaseNumber::parse("KS 1999/1").expect("number"),
            Access::Public,
        )
        .expect_err("no such case");
        assert_eq!(err.to_string(), "no case \"KS 1999/1\" in the archive");
    }
}
