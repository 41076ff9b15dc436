//! Facet counting and tie-break keys that scale with the matches, not with the vocabulary or
//! tantivy's column encodings.
//!
//! tantivy's `FacetCollector` names every facet value of the matches by looking its ordinal up
//! in the segment's compressed dictionary on every search; at 100,000 items that lookup was
//! nearly all of a query's time. And reading a match's ordinals (and its sort key) out of the
//! compressed columns was still about 40 % of a common word's query at 1,000,000 items
//! (bench/FINDINGS.md). So when the engine opens, each segment's facet values are read once
//! into flat arrays of value ids, numbered in one table per field that all segments share, and
//! its sort keys into an array; a search then only adds up ids, for several facet fields in one
//! pass over the matches, with no decoding and no hashing per match. The arrays take about
//! 30 bytes per item (30 MB at a million items).

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, Searcher, SegmentReader};

use crate::error::{Error, InternalError, Result};

/// The facet values (last path segment: "2380", "Elin Ring") of one field, by value id.
type Names = Arc<Vec<Arc<str>>>;

/// A document without a value in a [`Values::Single`] field.
const NONE: u32 = u32::MAX;

/// One field's value ids in one segment, by document.
#[derive(Debug)]
enum Values {
    /// At most one value per document ([`NONE`] when it has none).
    Single(Vec<u32>),
    /// Any number of values: document `d`'s are `ids[starts[d]..starts[d + 1]]`.
    Multi { starts: Vec<u32>, ids: Vec<u32> },
}

impl Values {
    #[inline]
    fn add(&self, doc: DocId, counts: &mut [u32]) {
        match self {
            Values::Single(ids) => {
                if let Some(count) = ids.get(doc as usize).and_then(|&id| {
                    // `NONE` is out of every table.
                    counts.get_mut(id as usize)
                }) {
                    *count += 1;
                }
            }
            Values::Multi { starts, ids } => {
                let d = doc as usize;
                let (Some(&from), Some(&to)) = (starts.get(d), starts.get(d + 1)) else {
                    return;
                };
                for &id in ids.get(from as usize..to as usize).unwrap_or_default() {
                    if let Some(count) = counts.get_mut(id as usize) {
                        *count += 1;
                    }
                }
            }
        }
    }
}

/// One segment's facet value ids (a [`Values`] and the table its ids point into, per field)
/// and sort keys.
#[derive(Debug)]
struct SegmentColumns {
    fields: Vec<(Values, Names)>,
    sort_keys: Vec<u64>,
}

/// Every segment's facet values and sort keys, read once when the engine opens (see the
/// module documentation).
#[derive(Debug, Default)]
pub struct Columns {
    /// The facet fields, in the order of each segment's `fields`.
    fields: Vec<String>,
    /// The sort key field (a u64 fast field).
    sort_key: String,
    segments: HashMap<SegmentId, Arc<SegmentColumns>>,
}

impl Columns {
    /// Reads the given facet fields and the sort key field of every segment of the searcher.
    pub fn load(searcher: &Searcher, fields: &[&str], sort_key: &str) -> Result<Columns> {
        let mut columns = Columns {
            fields: fields.iter().map(|f| (*f).to_string()).collect(),
            sort_key: sort_key.to_string(),
            segments: HashMap::new(),
        };
        // One table per field for all segments: the same value has the same id everywhere, so
        // a search adds segments' counts up by position.
        let mut shared: Vec<SharedTable> = (0..fields.len()).map(|_| Default::default()).collect();
        let mut per_segment = Vec::new();
        for segment in searcher.segment_readers() {
            let mut values = Vec::with_capacity(fields.len());
            for (field, table) in fields.iter().zip(&mut shared) {
                let to_shared: Vec<u32> = read_table(segment, field)?
                    .into_iter()
                    .map(|name| table.id(name))
                    .collect();
                values.push(read_values(segment, field, &to_shared)?);
            }
            per_segment.push((
                segment.segment_id(),
                values,
                read_sort_keys(segment, sort_key)?,
            ));
        }
        let tables: Vec<Names> = shared
            .into_iter()
            .map(|table| Arc::new(table.names))
            .collect();
        for (id, values, sort_keys) in per_segment {
            let fields = values.into_iter().zip(tables.iter().cloned()).collect();
            columns
                .segments
                .insert(id, Arc::new(SegmentColumns { fields, sort_keys }));
        }
        Ok(columns)
    }

    /// A segment's columns: read once at [`Columns::load`], or now for a segment the engine
    /// did not see then (an engine serves one reader's segments, so only in tests).
    fn segment(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentColumns>> {
        if let Some(columns) = self.segments.get(&segment.segment_id()) {
            return Ok(columns.clone());
        }
        let internal = |e: Error| tantivy::TantivyError::InternalError(e.to_string());
        let mut fields = Vec::with_capacity(self.fields.len());
        for field in &self.fields {
            let table = read_table(segment, field).map_err(internal)?;
            let identity: Vec<u32> = (0..table.len())
                .map(|i| u32::try_from(i).unwrap_or(NONE))
                .collect();
            let values = read_values(segment, field, &identity).map_err(internal)?;
            fields.push((values, Arc::new(table)));
        }
        let sort_keys = read_sort_keys(segment, &self.sort_key).map_err(internal)?;
        Ok(Arc::new(SegmentColumns { fields, sort_keys }))
    }

    /// A segment's sort keys, by document (0 for a document without one).
    pub fn sort_keys(&self, segment: &SegmentReader) -> SortKeys {
        SortKeys(self.segment(segment).ok())
    }

    /// A collector counting the values of these facet fields (names given to
    /// [`Columns::load`]) over the matches.
    pub fn counts(&self, fields: Vec<String>) -> FacetCounts<'_> {
        let slots = fields
            .iter()
            .map(|f| self.fields.iter().position(|g| g == f))
            .collect();
        FacetCounts {
            columns: self,
            slots,
        }
    }
}

/// A table of values being numbered for all segments.
#[derive(Default)]
struct SharedTable {
    ids: HashMap<Arc<str>, u32>,
    names: Vec<Arc<str>>,
}

impl SharedTable {
    /// The id of a value, numbering it when new.
    fn id(&mut self, name: Arc<str>) -> u32 {
        if let Some(&id) = self.ids.get(&name) {
            return id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(NONE);
        self.names.push(name.clone());
        self.ids.insert(name, id);
        id
    }
}

/// The sort keys of one segment (see [`Columns::sort_keys`]).
pub struct SortKeys(Option<Arc<SegmentColumns>>);

impl SortKeys {
    /// The sort key of a document; 0 when unknown.
    #[inline]
    pub fn get(&self, doc: DocId) -> u64 {
        self.0
            .as_ref()
            .and_then(|c| c.sort_keys.get(doc as usize).copied())
            .unwrap_or(0)
    }
}

fn read_table(segment: &SegmentReader, field: &str) -> Result<Vec<Arc<str>>> {
    let reader = segment.facet_reader(field)?;
    let mut stream = reader.facet_dict().stream()?;
    let mut table = Vec::with_capacity(reader.num_facets());
    while stream.advance() {
        // Encoded facets separate their path segments with a NUL byte.
        let last = stream.key().rsplit(|b| *b == 0).next().unwrap_or_default();
        table.push(Arc::from(String::from_utf8_lossy(last).as_ref()));
    }
    Ok(table)
}

/// A field's values for every document of a segment, as ids through `to_id` (the segment's
/// ordinal → the id in the table the counts use).
fn read_values(segment: &SegmentReader, field: &str, to_id: &[u32]) -> Result<Values> {
    let reader = segment.facet_reader(field)?;
    let max_doc = segment.max_doc();
    let mut starts = Vec::with_capacity(max_doc as usize + 1);
    let mut ids = Vec::with_capacity(max_doc as usize);
    starts.push(0);
    let mut single = true;
    for doc in 0..max_doc {
        let before = ids.len();
        ids.extend(reader.facet_ords(doc).map(|ord| {
            usize::try_from(ord)
                .ok()
                .and_then(|o| to_id.get(o).copied())
                .unwrap_or(NONE)
        }));
        single &= ids.len() - before <= 1;
        starts.push(u32::try_from(ids.len()).map_err(InternalError::from)?);
    }
    if !single {
        return Ok(Values::Multi { starts, ids });
    }
    let mut by_doc = vec![NONE; max_doc as usize];
    for (doc, window) in starts.windows(2).enumerate() {
        if window[1] > window[0] {
            by_doc[doc] = ids[window[0] as usize];
        }
    }
    Ok(Values::Single(by_doc))
}

fn read_sort_keys(segment: &SegmentReader, field: &str) -> Result<Vec<u64>> {
    let column = segment.fast_fields().u64(field)?;
    Ok((0..segment.max_doc())
        .map(|doc| column.first(doc).unwrap_or(0))
        .collect())
}

/// Counts the values of several facet fields over the matches: one map per field, from the
/// value's last path segment ("2380", "Elin Ring") to the number of matching items.
pub struct FacetCounts<'a> {
    columns: &'a Columns,
    /// Each counted field's position in `columns` (`None`: a field it does not hold, which
    /// counts nothing).
    slots: Vec<Option<usize>>,
}

/// The per-segment part of [`FacetCounts`].
pub struct SegmentFacetCounts {
    columns: Arc<SegmentColumns>,
    /// Per counted field: its slot in `columns` and a count per value id.
    counts: Vec<(Option<usize>, Vec<u32>)>,
}

impl Collector for FacetCounts<'_> {
    type Fruit = Vec<HashMap<Arc<str>, u64>>;
    type Child = SegmentFacetCounts;

    fn for_segment(
        &self,
        _ord: u32,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounts> {
        let columns = self.columns.segment(segment)?;
        let counts = self
            .slots
            .iter()
            .map(|slot| {
                let len = slot
                    .and_then(|s| columns.fields.get(s))
                    .map_or(0, |(_, names)| names.len());
                (*slot, vec![0; len])
            })
            .collect();
        Ok(SegmentFacetCounts { columns, counts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(Option<Names>, Vec<u32>)>>,
    ) -> tantivy::Result<Self::Fruit> {
        // Segments of one table add up by position; a table of its own (a segment read after
        // the engine opened) by name.
        let mut merged = Vec::with_capacity(self.slots.len());
        for field in 0..self.slots.len() {
            let mut shared: Option<(Names, Vec<u64>)> = None;
            let mut by_name: HashMap<Arc<str>, u64> = HashMap::new();
            for fruit in &fruits {
                let Some((Some(names), counts)) = fruit.get(field) else {
                    continue;
                };
                match &mut shared {
                    Some((table, total)) if Arc::ptr_eq(table, names) => {
                        for (t, c) in total.iter_mut().zip(counts) {
                            *t += u64::from(*c);
                        }
                    }
                    None => {
                        let total = counts.iter().map(|&c| u64::from(c)).collect();
                        shared = Some((names.clone(), total));
                    }
                    Some(_) => {
                        for (name, &c) in names.iter().zip(counts) {
                            if c > 0 {
                                *by_name.entry(name.clone()).or_default() += u64::from(c);
                            }
                        }
                    }
                }
            }
            if let Some((names, total)) = shared {
                for (name, c) in names.iter().zip(total) {
                    if c > 0 {
                        *by_name.entry(name.clone()).or_default() += c;
                    }
                }
            }
            merged.push(by_name);
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentFacetCounts {
    type Fruit = Vec<(Option<Names>, Vec<u32>)>;

    #[inline]
    fn collect(&mut self, doc: DocId, _score: Score) {
        for (slot, counts) in &mut self.counts {
            if let Some((values, _)) = slot.and_then(|s| self.columns.fields.get(s)) {
                values.add(doc, counts);
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        let SegmentFacetCounts { columns, counts } = self;
        counts
            .into_iter()
            .map(|(slot, counts)| {
                let names = slot
                    .and_then(|s| columns.fields.get(s))
                    .map(|(_, names)| names.clone());
                (names, counts)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::Count;
    use tantivy::query::AllQuery;
    use tantivy::schema::{Facet, FacetOptions, Schema, FAST};
    use tantivy::{doc, Index};

    use super::*;

    #[test]
    fn segments_count_together_also_those_read_after_loading() {
        let mut schema = Schema::builder();
        let place = schema.add_facet_field("place", FacetOptions::default());
        let key = schema.add_u64_field("key", FAST);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        let add = |writer: &mut tantivy::IndexWriter, places: &[&str], k: u64| {
            let mut d = doc!(key => k);
            for p in places {
                d.add_facet(place, Facet::from_path([*p]));
            }
            writer.add_document(d).expect("add");
        };
        // Two segments with values in different orders, so their ordinals differ.
        add(&mut writer, &["2380", "2309"], 7);
        add(&mut writer, &[], 8);
        writer.commit().expect("commit");
        add(&mut writer, &["2309"], 9);
        add(&mut writer, &["2321"], 10);
        writer.commit().expect("commit");
        let reader = index.reader().expect("reader");
        let columns = Columns::load(&reader.searcher(), &["place"], "key").expect("load");

        // A third segment the columns never saw counts by name.
        add(&mut writer, &["2380"], 11);
        writer.commit().expect("commit");
        reader.reload().expect("reload");
        let searcher = reader.searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        let counts = searcher
            .search(
                &AllQuery,
                &columns.counts(vec!["place".into(), "other".into()]),
            )
            .expect("search");
        let place_counts: HashMap<&str, u64> =
            counts[0].iter().map(|(k, v)| (k.as_ref(), *v)).collect();
        assert_eq!(
            place_counts,
            HashMap::from([("2380", 2), ("2309", 2), ("2321", 1)])
        );
        assert!(
            counts[1].is_empty(),
            "a field it does not hold counts nothing"
        );
        assert_eq!(searcher.search(&AllQuery, &Count).expect("count"), 5);

        let mut keys: Vec<u64> = searcher
            .segment_readers()
            .iter()
            .flat_map(|segment| {
                let keys = columns.sort_keys(segment);
                (0..segment.max_doc()).map(move |doc| keys.get(doc))
            })
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, [7, 8, 9, 10, 11]);
    }

    #[test]
    fn single_values_count_once_and_none_counts_nothing() {
        let values = Values::Single(vec![0, NONE, 1, 0]);
        let mut counts = vec![0; 2];
        for doc in 0..5 {
            values.add(doc, &mut counts);
        }
        assert_eq!(counts, [2, 1]);
    }

    #[test]
    fn multi_values_count_each_value_of_a_document() {
        // Document 0: ids 0 and 2; document 1: none; document 2: id 1.
        let values = Values::Multi {
            starts: vec![0, 2, 2, 3],
            ids: vec![0, 2, 1],
        };
        let mut counts = vec![0; 3];
        for doc in 0..4 {
            values.add(doc, &mut counts);
        }
        assert_eq!(counts, [1, 1, 1]);
    }
}
