//! Facets: counts per value of the matches' municipalities, speakers, bodies and years.
//!
//! [`columns`] reads each segment's facet values once and counts them per search; here the
//! counts become the response's [`Facets`].

pub mod columns;

use std::collections::HashMap;
use std::sync::Arc;

use paragraf_indexer::minutes::place::Gazetteer;
use tantivy::schema::Field;

pub use columns::{Columns, FacetCounts, SegmentFacetCounts, SortKeys};

use crate::filter::Dimension;
use crate::response::{FacetCount, Facets};

/// Number of values returned per facet.
const FACET_VALUES: usize = 30;

/// Facet dimensions with their fields.
pub(crate) type FacetGroup = Vec<(Dimension, Field)>;

/// Facet dimensions and their counts by value, in the same order.
pub(crate) type SharedFacets = (FacetGroup, Vec<HashMap<Arc<str>, u64>>);

/// The response's facets from the counts by dimension: the most frequent values first (by
/// value among equals), at most [`FACET_VALUES`] each, years newest first.
pub(crate) fn facets(mut counts: HashMap<Dimension, HashMap<Arc<str>, u64>>) -> Facets {
    let mut take = |d: Dimension| -> Vec<(String, u64)> {
        let mut values: Vec<(String, u64)> = counts
            .remove(&d)
            .unwrap_or_default()
            .into_iter()
            .map(|(v, c)| (v.to_string(), c))
            .collect();
        values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        values
    };
    let gazetteer = Gazetteer::sweden();
    let municipality = take(Dimension::Municipality)
        .into_iter()
        .filter_map(|(code, count)| {
            // Only municipalities (four digits), not county ancestors.
            let name = gazetteer.by_code(&code)?.name.clone();
            Some(FacetCount {
                value: code,
                name: Some(name),
                count,
            })
        })
        .take(FACET_VALUES)
        .collect();
    let plain = |values: Vec<(String, u64)>| -> Vec<FacetCount> {
        values
            .into_iter()
            .take(FACET_VALUES)
            .map(|(value, count)| FacetCount {
                value,
                name: None,
                count,
            })
            .collect()
    };
    let speaker = plain(take(Dimension::Speaker));
    let body = plain(take(Dimension::Body));
    let mut year = plain(take(Dimension::Year));
    year.sort_by(|a, b| b.value.cmp(&a.value));
    Facets {
        municipality,
        speaker,
        body,
        year,
    }
}
