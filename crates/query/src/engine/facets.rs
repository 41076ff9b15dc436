//! The facet passes of a search: dimensions without a filter of their own are counted in the
//! search's own pass, each filtered one in a pass without its filter.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::query::{AllQuery, Query};
use tantivy::schema::Field;
use tantivy::Searcher;

use super::audience::Audience;
use super::Engine;
use crate::error::Result;
use crate::facet::{FacetCounts, FacetGroup, SharedFacets};
use crate::filter::{has_filter, Dimension, Filters};
use crate::response::Facets;

impl Engine {
    /// Every value of a facet field (its last path segment: a municipality's code, not its
    /// county's) with its number of items, not truncated, in the order of the values.
    pub(super) fn all_facet_values(
        &self,
        searcher: &Searcher,
        field: Field,
        audience: &Audience,
    ) -> Result<Vec<(String, u64)>> {
        let name = self.index.index.schema().get_field_name(field).to_string();
        let counts = searcher.search(
            &*audience.restrict(Box::new(AllQuery)),
            &self.columns.counts(vec![name]),
        )?;
        let mut values: Vec<(String, u64)> = counts
            .into_iter()
            .flatten()
            .map(|(value, count)| (value.to_string(), count))
            .collect();
        values.sort_unstable();
        Ok(values)
    }

    /// The facet dimensions counted in the search's own pass over its matches (those without a
    /// filter of their own), and the collector that counts them; `None` when every dimension
    /// is filtered.
    pub(super) fn shared_facets(&self, filters: &Filters) -> Option<(FacetGroup, FacetCounts<'_>)> {
        let group: FacetGroup = self
            .facet_dimensions()
            .into_iter()
            .filter(|(d, _)| !has_filter(filters, *d))
            .collect();
        if group.is_empty() {
            return None;
        }
        let counts = self.facet_counts(&group);
        Some((group, counts))
    }

    fn facet_dimensions(&self) -> [(Dimension, Field); 4] {
        let f = self.index.fields;
        [
            (Dimension::Municipality, f.municipality),
            (Dimension::Speaker, f.speaker),
            (Dimension::Body, f.body),
            (Dimension::Year, f.year),
        ]
    }

    fn facet_counts(&self, group: &FacetGroup) -> FacetCounts<'_> {
        let schema = self.index.index.schema();
        let names = group
            .iter()
            .map(|(_, field)| schema.get_field_name(*field).to_string())
            .collect();
        self.columns.counts(names)
    }

    /// The facet counts of a search: `shared` holds the dimensions its own pass counted (see
    /// [`Engine::shared_facets`]); each filtered dimension is counted here in a pass without
    /// its own filter, so choosing one municipality still shows how many items the others
    /// have.
    pub(super) fn facets(
        &self,
        searcher: &Searcher,
        text: &dyn Query,
        filters: &Filters,
        shared: Option<SharedFacets>,
        audience: &Audience,
    ) -> Result<Facets> {
        let mut counts: HashMap<Dimension, HashMap<Arc<str>, u64>> = HashMap::new();
        if let Some((group, fruit)) = shared {
            for ((d, _), values) in group.into_iter().zip(fruit) {
                counts.insert(d, values);
            }
        }
        for (d, field) in self.facet_dimensions() {
            if !has_filter(filters, d) {
                continue;
            }
            let group = vec![(d, field)];
            let query = self.with_filters(text.box_clone(), filters, Some(d), audience);
            let fruit = self.pass(searcher, &*query, &self.facet_counts(&group), audience)?;
            for ((d, _), values) in group.into_iter().zip(fruit) {
                counts.insert(d, values);
            }
        }
        Ok(crate::facet::facets(counts))
    }
}
