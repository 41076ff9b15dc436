//! What the engine answers: [`SearchResponse`] with its [`Hit`]s and [`Facets`], an item with
//! its neighbours ([`ItemView`]) and the index's [`Health`]. Plain serde types; the HTTP API
//! serves them as JSON as they are.

use paragraf_indexer::{Item, Speaker, Visibility};
use serde::{Deserialize, Serialize};

pub use crate::links::ItemLinks;
use crate::request::Sort;

/// How the words of the query had to match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchMode {
    /// Every word matched.
    All,
    /// Any word; either asked for with OR, or the fallback when all words found nothing.
    Any,
    /// No words were given: items are listed.
    None,
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SearchResponse {
    /// The query as typed.
    pub query: String,
    /// Number of matching items.
    pub total: u64,
    /// Time spent searching, in milliseconds.
    pub took_ms: u64,
    /// How the words had to match.
    pub mode: MatchMode,
    /// A corrected query when some word is in no item but a close word is ("munskyd" →
    /// "munskydd"); `null` otherwise.
    pub did_you_mean: Option<String>,
    /// The order of the hits.
    pub sort: Sort,
    /// Hits skipped.
    pub offset: usize,
    /// Hits asked for.
    pub limit: usize,
    /// The hits.
    pub hits: Vec<Hit>,
    /// Counts per facet value, for the query and the other filters.
    pub facets: Facets,
}

/// One matching item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Hit {
    /// Item id.
    pub id: String,
    /// Relevance score; `null` when sorted by date.
    pub score: Option<f32>,
    /// The meeting.
    pub meeting: HitMeeting,
    /// "§ 54", when known.
    pub section: Option<String>,
    /// The item heading, when known.
    pub title: Option<String>,
    /// Case number (Dnr), when the item has one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub case_number: Option<String>,
    /// HTML-escaped text with the matched words in `<mark>`.
    pub snippet: String,
    /// Sentences recording the item's decision; left out when it records none.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub decisions: Vec<String>,
    /// Who presented or spoke.
    pub speakers: Vec<Speaker>,
    /// Municipalities the item concerns.
    pub municipalities: Vec<HitMunicipality>,
    /// Where its meeting, its case and its source are.
    pub links: ItemLinks,
}

/// The meeting of a hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HitMeeting {
    /// Meeting id.
    pub id: String,
    /// Body.
    pub body: Option<String>,
    /// Date to its precision.
    pub date: Option<String>,
    /// `internal` for a meeting only officials may see (the page marks its hits "Intern");
    /// omitted when public.
    #[serde(default, skip_serializing_if = "Visibility::is_public")]
    pub visibility: Visibility,
    /// The municipality whose body met (issue 15), when known; the municipality filter and
    /// facet count it beside the hit's `municipalities` (what the item speaks of). Omitted
    /// when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<HitMunicipality>,
}

/// A municipality of a hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HitMunicipality {
    /// Short name.
    pub name: String,
    /// SCB code.
    pub code: String,
    /// County name.
    pub county: String,
}

/// Facet counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Facets {
    /// Municipalities by SCB code, with their names.
    pub municipality: Vec<FacetCount>,
    /// Speakers by name.
    pub speaker: Vec<FacetCount>,
    /// Bodies.
    pub body: Vec<FacetCount>,
    /// Meeting years, newest first.
    pub year: Vec<FacetCount>,
}

/// One facet value and how many matching items have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FacetCount {
    /// The value to filter on.
    pub value: String,
    /// A display name where the value is a code.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name: Option<String>,
    /// Matching items with this value.
    pub count: u64,
}

/// An item with its neighbours in the meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ItemView {
    /// The item.
    #[serde(flatten)]
    pub item: Item,
    /// The item before it in the meeting.
    pub previous: Option<Neighbour>,
    /// The item after it in the meeting.
    pub next: Option<Neighbour>,
    /// Where its meeting, its case and its source are.
    pub links: ItemLinks,
}

/// A neighbouring item, enough to link to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Neighbour {
    /// Item id.
    pub id: String,
    /// Position in the meeting.
    pub ordinal: u32,
    /// "§ 54", when known.
    pub section: Option<String>,
    /// Heading, when known.
    pub title: Option<String>,
}

/// Index statistics for `/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Health {
    /// "ok", or "degraded" when the server found the index damaged while serving it.
    pub status: String,
    /// Items in the index.
    pub items: u64,
    /// Meetings in the index.
    pub meetings: u64,
    /// When the index was built (RFC 3339).
    pub built_at: String,
    /// Schema version of the index.
    pub schema_version: u32,
    /// Whether compound words were split when the index was built.
    pub decompounding: bool,
}

impl Hit {
    /// The hit of an item with its score and its (HTML) snippet: one mapping for every engine,
    /// so both answer the same JSON.
    pub fn from_item(item: Item, score: Option<f32>, snippet: String) -> Hit {
        Hit {
            links: ItemLinks::of(&item),
            decisions: item.decisions,
            snippet,
            id: item.id,
            score,
            meeting: HitMeeting {
                id: item.meeting.id,
                body: item.meeting.body,
                date: item.meeting.date,
                visibility: item.meeting.visibility,
                municipality: item.meeting.municipality.map(|m| HitMunicipality {
                    name: m.name,
                    code: m.code,
                    county: m.county,
                }),
            },
            section: item.section,
            title: item.title,
            case_number: item.case_number,
            speakers: item.speakers,
            municipalities: item
                .municipalities
                .into_iter()
                .map(|m| HitMunicipality {
                    name: m.name,
                    code: m.code,
                    county: m.county,
                })
                .collect(),
        }
    }

    /// The text a hit's snippet is cut from: the item's text, or its title when it has none.
    pub fn snippet_source(item: &Item) -> &str {
        if item.text.is_empty() {
            item.title.as_deref().unwrap_or_default()
        } else {
            item.text.as_str()
        }
    }
}
