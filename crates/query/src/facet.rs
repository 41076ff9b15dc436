//! Facet counting that scales with the matches, not with the vocabulary.
//!
//! tantivy's `FacetCollector` names every facet value of the matches by looking its ordinal up
//! in the segment's compressed dictionary on every search; at 100,000 items that lookup was
//! nearly all of a query's time (bench/FINDINGS.md). Here each segment's ordinal → value table
//! is read once when the engine opens, and a search only counts ordinals, for several facet
//! fields in one pass over the matches.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, Searcher, SegmentReader};

use crate::error::{Error, Result};

/// The last path segment of every facet value of every segment, by segment and field.
#[derive(Debug, Default)]
pub struct FacetNames {
    tables: HashMap<(SegmentId, String), Arc<Vec<Arc<str>>>>,
}

impl FacetNames {
    /// Reads the tables of the given facet fields for every segment of the searcher.
    pub fn load(searcher: &Searcher, fields: &[&str]) -> Result<FacetNames> {
        let mut names = FacetNames::default();
        for segment in searcher.segment_readers() {
            for field in fields {
                let table = read_table(segment, field)?;
                names.tables.insert(
                    (segment.segment_id(), (*field).to_string()),
                    Arc::new(table),
                );
            }
        }
        Ok(names)
    }

    fn table(&self, segment: &SegmentReader, field: &str) -> Result<Arc<Vec<Arc<str>>>> {
        match self.tables.get(&(segment.segment_id(), field.to_string())) {
            Some(table) => Ok(table.clone()),
            // A segment the engine did not see at open: read its table now.
            None => Ok(Arc::new(read_table(segment, field)?)),
        }
    }
}

fn read_table(segment: &SegmentReader, field: &str) -> Result<Vec<Arc<str>>> {
    let reader = segment.facet_reader(field)?;
    let mut stream = reader
        .facet_dict()
        .stream()
        .map_err(|e| Error::Internal(e.to_string()))?;
    let mut table = Vec::with_capacity(reader.num_facets());
    while stream.advance() {
        // Encoded facets separate their path segments with a NUL byte.
        let last = stream.key().rsplit(|b| *b == 0).next().unwrap_or_default();
        table.push(Arc::from(String::from_utf8_lossy(last).as_ref()));
    }
    Ok(table)
}

/// Counts the values of several facet fields over the matches: one map per field, from the
/// value's last path segment ("2380", "Elin Ring") to the number of matching items.
pub struct FacetCounts<'a> {
    names: &'a FacetNames,
    fields: Vec<String>,
}

impl<'a> FacetCounts<'a> {
    /// A collector for these fields.
    pub fn new(names: &'a FacetNames, fields: Vec<String>) -> FacetCounts<'a> {
        FacetCounts { names, fields }
    }
}

/// One field's counting in one segment: its reader, its value table, a count per ordinal.
struct FieldCounts {
    reader: tantivy::fastfield::FacetReader,
    table: Arc<Vec<Arc<str>>>,
    counts: Vec<u64>,
}

/// The per-segment part of [`FacetCounts`].
pub struct SegmentFacetCounts {
    readers: Vec<FieldCounts>,
}

impl Collector for FacetCounts<'_> {
    type Fruit = Vec<HashMap<Arc<str>, u64>>;
    type Child = SegmentFacetCounts;

    fn for_segment(
        &self,
        _ord: u32,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounts> {
        let mut readers = Vec::with_capacity(self.fields.len());
        for field in &self.fields {
            let reader = segment.facet_reader(field)?;
            let table = self
                .names
                .table(segment, field)
                .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
            let counts = vec![0; table.len()];
            readers.push(FieldCounts {
                reader,
                table,
                counts,
            });
        }
        Ok(SegmentFacetCounts { readers })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut merged: Vec<HashMap<Arc<str>, u64>> = vec![HashMap::new(); self.fields.len()];
        for fruit in fruits {
            for (into, from) in merged.iter_mut().zip(fruit) {
                for (value, count) in from {
                    *into.entry(value).or_default() += count;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentFacetCounts {
    type Fruit = Vec<HashMap<Arc<str>, u64>>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for FieldCounts { reader, counts, .. } in &mut self.readers {
            for ord in reader.facet_ords(doc) {
                if let Some(count) = usize::try_from(ord).ok().and_then(|o| counts.get_mut(o)) {
                    *count += 1;
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.readers
            .into_iter()
            .map(|FieldCounts { table, counts, .. }| {
                counts
                    .into_iter()
                    .enumerate()
                    .filter(|(_, c)| *c > 0)
                    .filter_map(|(ord, c)| Some((table.get(ord)?.clone(), c)))
                    .collect()
            })
            .collect()
    }
}
