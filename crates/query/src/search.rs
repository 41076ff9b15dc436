//! The old home of the search types, kept so that `paragraf_query::search::…` paths compile
//! while callers move to the crate root (issue 14). New code imports from the crate root.

pub use crate::engine::Engine;
pub use crate::limits::{DEFAULT_LIMIT, MAX_DEPTH, MAX_LIMIT, MAX_QUERY_CHARS};
pub use crate::plan::words_query;
pub use crate::request::{Analysis, SearchParams, SearchRequest, Sort};
pub use crate::response::{
    FacetCount, Facets, Health, Hit, HitMeeting, HitMunicipality, ItemView, MatchMode, Neighbour,
    SearchResponse,
};
pub use crate::snippet::escape_html;
