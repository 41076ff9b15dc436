//! What one kind of visitor may see of an index ([`Audience`]): the public (public items only)
//! or everyone with internal access (every item). Each engine holds both, built when it opens
//! an index (issue #20).
//!
//! Filtering the hits is not enough to hide an item: its words would still be suggested, turn
//! off the typo search for the word ("a word that exists is what the user meant"), weigh in
//! the idf of every score and count in `/health`. So everything an engine reads from the index
//! as a whole goes through the audience: the mandatory clause of every query
//! ([`Audience::restrict`]), the number of items holding a term ([`Audience::doc_freq`], which
//! the vocabulary, the typo walk and "did you mean" read) and the BM25 statistics
//! ([`Stats`]). The statistics are counted the same way for every audience, from field norms
//! over the visible items, so an archive with internal items scores its public items exactly
//! as the same archive without them.

use std::collections::{HashMap, HashSet};

use paragraf_indexer::index::schema::Fields;
use paragraf_indexer::Visibility;
use tantivy::index::SegmentId;
use tantivy::postings::Postings;
use tantivy::postings::TermInfo;
use tantivy::query::{
    Bm25StatisticsProvider, BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{
    BitSet, DocId, DocSet, InvertedIndexReader, Searcher, SegmentReader, Term, TERMINATED,
};

use crate::access::Access;
use crate::suggest::Suggestion;

/// The items one audience sees, and what it may be told about the index.
#[derive(Debug, Default)]
pub(crate) struct Audience {
    /// The term every query must match (`visibility:public`); `None` for everyone.
    clause: Option<Term>,
    /// Per segment with items this audience may not see: the live items it may see. A
    /// segment not listed shows all its live items.
    visible: HashMap<SegmentId, BitSet>,
    /// Live items it sees.
    docs: u64,
    /// Per indexed field: the tokens of the items it sees (see [`Audience::build`]).
    tokens: HashMap<Field, u64>,
    /// Meetings it sees items of, for a restricted audience; `None` for everyone (the
    /// index's own count holds).
    meetings: Option<u64>,
    /// Speakers, bodies and municipalities with their number of visible items, for
    /// suggestions (filled by the engine).
    pub(crate) vocabulary: Vec<Suggestion>,
}

impl Audience {
    /// The audience of a request with this access.
    pub(crate) fn build(
        searcher: &Searcher,
        fields: &Fields,
        access: Access,
    ) -> tantivy::Result<Audience> {
        let clause = (!access.sees_internal())
            .then(|| Term::from_field_text(fields.visibility, Visibility::Public.as_str()));
        let mut audience = Audience {
            clause,
            ..Audience::default()
        };
        let schema = searcher.schema();
        let indexed: Vec<(Field, bool)> = schema
            .fields()
            .filter(|(_, entry)| entry.is_indexed())
            .map(|(field, entry)| (field, entry.has_fieldnorms()))
            .collect();
        for segment in searcher.segment_readers() {
            let visible = match &audience.clause {
                Some(term) => Some(visible_docs(segment, term)?),
                None => None,
            };
            let sees = |doc| match &visible {
                Some(bits) => bits.contains(doc),
                None => !segment.is_deleted(doc),
            };
            let docs = (0..segment.max_doc()).filter(|&doc| sees(doc)).count() as u64;
            let all_seen = docs == u64::from(segment.max_doc());
            for &(field, normed) in &indexed {
                let sum = if normed {
                    // The field norms (a length in buckets above 40 tokens) of the items seen:
                    // counted alike whether the segment holds other items or not.
                    let norms = segment.get_fieldnorms_reader(field)?;
                    (0..segment.max_doc())
                        .filter(|&doc| sees(doc))
                        .map(|doc| u64::from(norms.fieldnorm(doc)))
                        .sum()
                } else if all_seen {
                    segment.inverted_index(field)?.total_num_tokens()
                } else {
                    // A field without norms (decisions) is short: its exact length, from the
                    // term frequencies of its postings.
                    tokens_in_postings(segment, field, &sees)?
                };
                *audience.tokens.entry(field).or_default() += sum;
            }
            audience.docs += docs;
            if let Some(bits) = visible {
                if u64::from(segment.num_docs()) != docs {
                    audience.visible.insert(segment.segment_id(), bits);
                }
            }
        }
        if audience.clause.is_some() {
            let mut meetings: HashSet<Vec<u8>> = HashSet::new();
            for segment in searcher.segment_readers() {
                let index = segment.inverted_index(fields.meeting_id)?;
                let mut stream = index.terms().stream()?;
                while stream.advance() {
                    if audience.doc_freq_in(segment, &index, stream.value())? > 0 {
                        meetings.insert(stream.key().to_vec());
                    }
                }
            }
            audience.meetings = Some(meetings.len() as u64);
        }
        if audience.visible.is_empty() {
            // Every live item is one this audience sees: the clause (a walk of a posting list
            // as long as the index) would only cost. The counts above stay counted the
            // restricted way, so that they do not depend on whether other items exist.
            audience.clause = None;
        }
        Ok(audience)
    }

    /// The query restricted to what this audience sees.
    pub(crate) fn restrict(&self, query: Box<dyn Query>) -> Box<dyn Query> {
        match &self.clause {
            None => query,
            Some(term) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, query),
                // A filter, not a word: it adds nothing to the score.
                (
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(
                        Box::new(TermQuery::new(term.clone(), IndexRecordOption::Basic)),
                        0.0,
                    )),
                ),
            ])),
        }
    }

    /// Items this audience sees in the whole index.
    pub(crate) fn num_docs(&self) -> u64 {
        self.docs
    }

    /// Meetings this audience sees items of; `None` when it sees every item.
    pub(crate) fn meetings(&self) -> Option<u64> {
        self.meetings
    }

    /// Items this audience sees in a segment that hold the term of `info`. The term
    /// dictionary keeps the terms of deleted items until their segment is merged (issue
    /// #17), and of items this audience may not see (issue #20): both are left out.
    pub(crate) fn doc_freq_in(
        &self,
        segment: &SegmentReader,
        index: &InvertedIndexReader,
        info: &TermInfo,
    ) -> tantivy::Result<u64> {
        let visible = self.visible.get(&segment.segment_id());
        let alive = segment.alive_bitset();
        if visible.is_none() && alive.is_none() {
            return Ok(u64::from(info.doc_freq));
        }
        let mut postings = index.read_postings_from_terminfo(info, IndexRecordOption::Basic)?;
        let mut n = 0;
        let mut doc = postings.doc();
        while doc != TERMINATED {
            let seen = match visible {
                Some(bits) => bits.contains(doc),
                None => !segment.is_deleted(doc),
            };
            n += u64::from(seen);
            doc = postings.advance();
        }
        Ok(n)
    }

    /// Items this audience sees that hold a term.
    pub(crate) fn doc_freq(&self, searcher: &Searcher, term: &Term) -> tantivy::Result<u64> {
        let mut n = 0;
        for segment in searcher.segment_readers() {
            let index = segment.inverted_index(term.field())?;
            if let Some(info) = index.get_term_info(term)? {
                n += self.doc_freq_in(segment, &index, &info)?;
            }
        }
        Ok(n)
    }

    /// The BM25 statistics of this audience over the index `searcher` reads.
    pub(crate) fn stats<'a>(&'a self, searcher: &'a Searcher) -> Stats<'a> {
        Stats {
            audience: self,
            searcher,
        }
    }
}

/// The live items of a segment that hold `term`.
fn visible_docs(segment: &SegmentReader, term: &Term) -> tantivy::Result<BitSet> {
    let mut bits = BitSet::with_max_value(segment.max_doc());
    let index = segment.inverted_index(term.field())?;
    if let Some(mut postings) = index.read_postings(term, IndexRecordOption::Basic)? {
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if !segment.is_deleted(doc) {
                bits.insert(doc);
            }
            doc = postings.advance();
        }
    }
    Ok(bits)
}

/// The tokens of a field in the items `sees` admits, from its postings' term frequencies.
fn tokens_in_postings(
    segment: &SegmentReader,
    field: Field,
    sees: &dyn Fn(DocId) -> bool,
) -> tantivy::Result<u64> {
    let index = segment.inverted_index(field)?;
    let mut stream = index.terms().stream()?;
    let mut sum = 0u64;
    while stream.advance() {
        let mut postings =
            index.read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqs)?;
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if sees(doc) {
                sum += u64::from(postings.term_freq());
            }
            doc = postings.advance();
        }
    }
    Ok(sum)
}

/// BM25 statistics counted over the items of an [`Audience`].
pub(crate) struct Stats<'a> {
    audience: &'a Audience,
    searcher: &'a Searcher,
}

impl Bm25StatisticsProvider for Stats<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        Ok(self.audience.tokens.get(&field).copied().unwrap_or(0))
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.audience.docs)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.audience.doc_freq(self.searcher, term)
    }
}

#[cfg(test)]
mod tests {
    use paragraf_indexer::{Item, Visibility};

    use super::super::fixture::{concerning, engine, item, spoken_by};
    use crate::access::Access;
    use crate::engine::Engine;
    use crate::request::SearchRequest;
    use crate::Error;

    fn public_items() -> Vec<Item> {
        vec![
            spoken_by(
                concerning(
                    item(
                        "KS/2024-03-12",
                        1,
                        Some("Budget"),
                        "Budgeten för Krokom antas.",
                    ),
                    &["Krokom"],
                ),
                &["Elin Ring"],
            ),
            item(
                "KS/2024-03-12",
                2,
                None,
                "Skolans lokaler ses över i budgeten.",
            ),
        ]
    }

    /// Internal items with words, a name, a place and a body of their own.
    fn internal_items() -> Vec<Item> {
        let mut items = vec![
            spoken_by(
                concerning(
                    item(
                        "AU/2024-04-02",
                        1,
                        Some("Hemligt"),
                        "Zebrakorsningen vid budgeten och skolans kvarnhjul.",
                    ),
                    &["Åre"],
                ),
                &["Qvintus Lindqvist"],
            ),
            item("AU/2024-04-02", 2, None, "Kvarnhjulet budgeten."),
        ];
        for item in &mut items {
            item.meeting.visibility = Visibility::Internal;
        }
        items
    }

    fn both() -> (Engine, Engine) {
        let mut all = public_items();
        all.extend(internal_items());
        (engine(&all), engine(&public_items()))
    }

    fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
        let mut v = serde_json::to_value(value).expect("json");
        if let Some(took) = v.get_mut("took_ms") {
            *took = 0.into();
        }
        v
    }

    #[test]
    fn the_public_sees_what_an_archive_without_internal_items_shows() {
        let (with, without) = both();
        for q in [
            "budgeten",
            "zebrakorsningen",
            "zebra*",
            "zebrakorsnngen",
            "kvarnhjulet",
            "kvarnhjul",
            "qvintus",
            "skolans budgeten",
            "",
        ] {
            for filters in [
                vec![],
                vec![("speaker", "Qvintus Lindqvist")],
                vec![("municipality", "Åre")],
                vec![("body", "AU")],
            ] {
                let mut pairs = vec![("q", q)];
                pairs.extend(filters);
                let req = SearchRequest::from_pairs(pairs.iter().copied()).expect("request");
                let a = with.search(&req).expect("search");
                let b = without.search(&req).expect("search");
                assert_eq!(json(&a), json(&b), "{pairs:?}");
            }
        }
        for q in ["zeb", "kv", "qv", "bu", "hem"] {
            assert_eq!(
                with.suggest(q, 8, Access::Public).expect("suggest"),
                without.suggest(q, 8, Access::Public).expect("suggest"),
                "{q}"
            );
        }
        assert_eq!(
            json(&with.health(Access::Public)),
            json(&without.health(Access::Public))
        );
        let err = with
            .item("au-2024-04-02.01", Access::Public)
            .expect_err("hidden");
        assert_eq!(err.to_string(), "no item with id \"au-2024-04-02.01\"");
        assert!(matches!(err, Error::ItemNotFound(_)));
    }

    #[test]
    fn internal_access_sees_every_item() {
        let (with, _) = both();
        let mut req = SearchRequest::new("kvarnhjulet");
        req.access = Access::Internal;
        let found = with.search(&req).expect("search");
        let ids: Vec<&str> = found.hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["au-2024-04-02.02", "au-2024-04-02.01"]);
        assert_eq!(
            serde_json::to_value(&found.hits[0].meeting).expect("json")["visibility"],
            "internal"
        );
        let view = with
            .item("au-2024-04-02.01", Access::Internal)
            .expect("found");
        assert_eq!(
            view.next.map(|n| n.id),
            Some("au-2024-04-02.02".to_string())
        );
        let names: Vec<String> = with
            .suggest("qv", 8, Access::Internal)
            .expect("suggest")
            .suggestions
            .into_iter()
            .map(|s| s.text)
            .collect();
        assert_eq!(names, ["Qvintus Lindqvist", "qvintus"]);
        assert_eq!(
            (
                with.health(Access::Internal).items,
                with.health(Access::Public).items
            ),
            (4, 2)
        );
        let mut typo = SearchRequest::new("zebrakorsnngen");
        typo.access = Access::Internal;
        assert_eq!(
            with.search(&typo).expect("search").did_you_mean.as_deref(),
            Some("zebrakorsningen")
        );
    }
}
