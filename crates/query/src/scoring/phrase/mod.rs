//! Phrases of word forms, matched and scored in one pass over the positions.
//!
//! A quoted phrase matches its words in any of their forms ("ökad press" finds "ökade
//! pressen"); written as typed it ranks higher, and with only diacritic-folded spellings
//! ("okad press") lower. As tantivy queries that was a phrase of regular expressions over the
//! forms, a second phrase for the words as typed checked on each of its matches, and a third
//! for the folded forms: three phrase scorers, each decoding and merging the positions of the
//! same common words (at a million items, phrases of common words were the slowest queries by
//! far: bench/FINDINGS.md). [`PhraseFormsQuery`] reads each document's positions once, tagged
//! with what each form counts as, and counts the three levels of the phrase together.

use std::fmt;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, Term, TERMINATED};

use crate::forms::{idf, min_doc, size_hint, Bm25};

/// A form counts for the phrase as typed.
pub const TYPED: u8 = 1;
/// A form counts for the phrase of exact and stemmed forms.
pub const STEMMED: u8 = 2;
/// Every form counts for the phrase in any form, folded spellings included.
pub const ANY: u8 = 4;

/// The weight of each level of a phrase.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhraseWeights {
    /// The phrase in exact or stemmed forms.
    pub stemmed: Score,
    /// Added for the phrase as typed; `None`: not counted.
    pub typed: Option<Score>,
    /// The phrase in any forms, folded spellings included; `None`: not counted (and forms
    /// with only [`ANY`] are not read).
    pub folded: Option<Score>,
}

/// The score of an item matching at two levels: the better one and a tenth of the other, as
/// a disjunction-max with a tie-breaker of 0.1 would give (the phrase levels were three
/// disjuncts of the clause's disjunction-max).
const TIE_BREAKER: Score = 0.1;

/// A phrase whose words may each be any of several forms, each form tagged with the levels
/// ([`TYPED`], [`STEMMED`], [`ANY`]) it counts on. An item matches when the phrase occurs in
/// forms of every word; its score is BM25 of the phrase's frequency at each level (with the
/// idf of the level's forms, summed over the words) times the level's weight: the stemmed
/// level plus the typed bonus, or the folded level when that is better.
#[derive(Clone)]
pub struct PhraseFormsQuery {
    field: Field,
    slots: Vec<Vec<(Term, u8)>>,
    weights: PhraseWeights,
}

impl fmt::Debug for PhraseFormsQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slots: Vec<String> = self
            .slots
            .iter()
            .map(|forms| {
                let forms: Vec<String> = forms
                    .iter()
                    .map(|(t, bits)| format!("{}:{bits}", t.value().as_str().unwrap_or("?")))
                    .collect();
                forms.join("|")
            })
            .collect();
        write!(f, "PhraseFormsQuery({})", slots.join(" "))
    }
}

impl PhraseFormsQuery {
    /// A phrase of these words, each given as its forms with their level bits. Forms with
    /// only [`ANY`] are dropped when the folded level is not counted; a word left without
    /// forms makes a phrase that matches nothing.
    pub fn new(field: Field, words: &[Vec<(String, u8)>], weights: PhraseWeights) -> Self {
        let slots = words
            .iter()
            .map(|forms| {
                forms
                    .iter()
                    .filter(|(_, bits)| weights.folded.is_some() || bits & (STEMMED | TYPED) != 0)
                    .map(|(word, bits)| (Term::from_field_text(field, word), bits | ANY))
                    .collect()
            })
            .collect();
        PhraseFormsQuery {
            field,
            slots,
            weights,
        }
    }

    fn level_bm25(&self, searcher: &Searcher, level: u8) -> tantivy::Result<Bm25> {
        let mut sum = 0.0;
        for forms in &self.slots {
            sum += idf(
                searcher,
                forms
                    .iter()
                    .filter(|(_, bits)| bits & level != 0)
                    .map(|(t, _)| t),
            )?;
        }
        Bm25::with_idf(searcher, self.field, sum)
    }
}

impl Query for PhraseFormsQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let scoring = match enable_scoring.searcher() {
            Some(searcher) if enable_scoring.is_scoring_enabled() => Some(Levels {
                stemmed: (self.weights.stemmed, self.level_bm25(searcher, STEMMED)?),
                typed: match self.weights.typed {
                    Some(w) => Some((w, self.level_bm25(searcher, TYPED)?)),
                    None => None,
                },
                folded: match self.weights.folded {
                    Some(w) => Some((w, self.level_bm25(searcher, ANY)?)),
                    None => None,
                },
            }),
            _ => None,
        };
        Ok(Box::new(PhraseFormsWeight {
            field: self.field,
            slots: self.slots.clone(),
            scoring,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (term, _) in self.slots.iter().flatten() {
            visitor(term, true);
        }
    }
}

/// Each level's weight and BM25.
#[derive(Clone)]
struct Levels {
    stemmed: (Score, Bm25),
    typed: Option<(Score, Bm25)>,
    folded: Option<(Score, Bm25)>,
}

impl Levels {
    fn score(&self, norm_id: u8, counts: Counts) -> Score {
        let level = |level: &(Score, Bm25), count: u32| {
            if count == 0 {
                0.0
            } else {
                level.0 * level.1.of(norm_id, count as Score)
            }
        };
        let mut stemmed = level(&self.stemmed, counts.stemmed);
        if let Some(typed) = &self.typed {
            stemmed += level(typed, counts.typed);
        }
        let folded = self.folded.as_ref().map_or(0.0, |f| level(f, counts.any));
        stemmed.max(folded) + TIE_BREAKER * stemmed.min(folded)
    }
}

struct PhraseFormsWeight {
    field: Field,
    slots: Vec<Vec<(Term, u8)>>,
    scoring: Option<Levels>,
}

impl PhraseFormsWeight {
    fn phrase_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<PhraseFormsScorer>> {
        let inverted = reader.inverted_index(self.field)?;
        let mut slots = Vec::with_capacity(self.slots.len());
        for forms in &self.slots {
            let mut postings = Vec::with_capacity(forms.len());
            for (term, bits) in forms {
                if let Some(p) =
                    inverted.read_postings(term, IndexRecordOption::WithFreqsAndPositions)?
                {
                    postings.push((p, *bits));
                }
            }
            if postings.is_empty() {
                return Ok(None);
            }
            slots.push(Slot::new(postings));
        }
        if slots.is_empty() {
            return Ok(None);
        }
        let scoring = match &self.scoring {
            Some(levels) => Some((levels.clone(), reader.get_fieldnorms_reader(self.field)?)),
            None => None,
        };
        Ok(Some(PhraseFormsScorer::new(slots, scoring, boost)))
    }
}

impl Weight for PhraseFormsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.phrase_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let does_not_match =
            || tantivy::TantivyError::InvalidArgument(format!("document {doc} does not match"));
        let mut scorer = self
            .phrase_scorer(reader, 1.0)?
            .ok_or_else(does_not_match)?;
        if scorer.seek(doc) != doc {
            return Err(does_not_match());
        }
        let mut explanation = Explanation::new("phrase of word forms, BM25", scorer.score());
        explanation.add_const("as typed", scorer.counts.typed as Score);
        explanation.add_const("exact or stemmed forms", scorer.counts.stemmed as Score);
        explanation.add_const("any forms", scorer.counts.any as Score);
        Ok(explanation)
    }
}

/// The postings of one word's forms: their union, walked by seeking.
struct Slot {
    postings: Vec<(SegmentPostings, u8)>,
    doc: DocId,
}

impl Slot {
    fn new(postings: Vec<(SegmentPostings, u8)>) -> Slot {
        let mut slot = Slot {
            postings,
            doc: TERMINATED,
        };
        slot.doc = slot.min_doc();
        slot
    }

    fn min_doc(&self) -> DocId {
        min_doc(&self.postings)
    }

    /// The first document from `target` on holding any of the forms.
    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        if let [(p, _)] = self.postings.as_mut_slice() {
            self.doc = if target == self.doc + 1 {
                p.advance()
            } else {
                p.seek(target)
            };
            return self.doc;
        }
        let mut min = TERMINATED;
        let mut spent = false;
        for (p, _) in &mut self.postings {
            let doc = if p.doc() < target {
                p.seek(target)
            } else {
                p.doc()
            };
            spent |= doc == TERMINATED;
            min = min.min(doc);
        }
        if spent {
            self.postings.retain(|(p, _)| p.doc() != TERMINATED);
        }
        self.doc = min;
        self.doc
    }

    /// The frequency of the forms in the current document.
    fn term_freq(&self) -> u32 {
        self.postings
            .iter()
            .filter(|(p, _)| p.doc() == self.doc)
            .map(|(p, _)| p.term_freq())
            .sum()
    }

    /// Reads the positions of the forms in the current document into `out` in order, each
    /// plus `offset`, and their level bits into `bits` (of the forms at one position
    /// together). One form in the document, the usual case, is read straight into `out`;
    /// several are merged through `mixed`.
    fn positions(
        &mut self,
        offset: u32,
        out: &mut Vec<u32>,
        bits: &mut Bits,
        mixed: &mut Vec<(u32, u8)>,
    ) {
        out.clear();
        let doc = self.doc;
        let mut here = self.postings.iter_mut().filter(|(p, _)| p.doc() == doc);
        if let (Some((first, first_bits)), None) = (here.next(), here.next()) {
            first.append_positions_with_offset(offset, out);
            *bits = Bits::Uniform(*first_bits);
            return;
        }
        mixed.clear();
        for (p, form_bits) in &mut self.postings {
            if p.doc() != self.doc {
                continue;
            }
            out.clear();
            p.append_positions_with_offset(offset, out);
            mixed.extend(out.iter().map(|&q| (q, *form_bits)));
        }
        mixed.sort_unstable_by_key(|&(q, _)| q);
        mixed.dedup_by(|next, kept| {
            if next.0 == kept.0 {
                kept.1 |= next.1;
                true
            } else {
                false
            }
        });
        out.clear();
        out.extend(mixed.iter().map(|&(q, _)| q));
        let mut per = match std::mem::replace(bits, Bits::Uniform(0)) {
            Bits::PerPosition(mut per) => {
                per.clear();
                per
            }
            Bits::Uniform(_) => Vec::new(),
        };
        per.extend(mixed.iter().map(|&(_, b)| b));
        *bits = Bits::PerPosition(per);
    }

    fn size_hint(&self) -> u32 {
        size_hint(&self.postings)
    }
}

/// The phrase's frequency in the current item at each level.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    typed: u32,
    stemmed: u32,
    any: u32,
}

/// Intersects the words' unions (the rarest word leading) and checks each candidate's
/// positions once for all levels.
struct PhraseFormsScorer {
    slots: Vec<Slot>,
    /// Slot indexes, the rarest first.
    order: Vec<usize>,
    doc: DocId,
    counts: Counts,
    /// The candidate's positions of the words intersected so far, shifted so that a phrase's
    /// words share one value (the position of its last word), with the level bits of the
    /// forms there; and those of the next word.
    left: Vec<u32>,
    left_bits: Bits,
    right: Vec<u32>,
    right_bits: Bits,
    /// For merging the positions of several forms of a word.
    mixed: Vec<(u32, u8)>,
    /// (frequency in the candidate, slot), for the order of the intersection.
    by_freq: Vec<(u32, usize)>,
    scoring: Option<(Levels, FieldNormReader)>,
    boost: Score,
}

impl PhraseFormsScorer {
    fn new(
        slots: Vec<Slot>,
        scoring: Option<(Levels, FieldNormReader)>,
        boost: Score,
    ) -> PhraseFormsScorer {
        let mut order: Vec<usize> = (0..slots.len()).collect();
        order.sort_by_key(|&i| slots[i].size_hint());
        let n = slots.len();
        let mut scorer = PhraseFormsScorer {
            slots,
            order,
            doc: 0,
            counts: Counts::default(),
            left: Vec::new(),
            left_bits: Bits::Uniform(0),
            right: Vec::new(),
            right_bits: Bits::Uniform(0),
            mixed: Vec::new(),
            by_freq: Vec::with_capacity(n),
            scoring,
            boost,
        };
        scorer.doc = scorer.find(0);
        scorer
    }

    /// The first item from `target` on where the phrase occurs.
    fn find(&mut self, mut target: DocId) -> DocId {
        loop {
            let doc = self.align(target);
            if doc == TERMINATED || self.phrase_match(doc) {
                return doc;
            }
            target = doc + 1;
        }
    }

    /// The first item from `target` on holding a form of every word.
    fn align(&mut self, mut target: DocId) -> DocId {
        'candidates: loop {
            let doc = self.slots[self.order[0]].seek(target);
            if doc == TERMINATED {
                return TERMINATED;
            }
            for &i in &self.order[1..] {
                let other = self.slots[i].seek(doc);
                if other != doc {
                    if other == TERMINATED {
                        return TERMINATED;
                    }
                    target = other;
                    continue 'candidates;
                }
            }
            return doc;
        }
    }

    /// Reads the positions of `doc` (on which every slot stands) and counts the phrase at
    /// each level; whether it occurs at all. The words are intersected rarest first (in this
    /// item), so an item without the phrase is usually told before the positions of its
    /// commonest word are read.
    fn phrase_match(&mut self, doc: DocId) -> bool {
        debug_assert!(self.slots.iter().all(|s| s.doc == doc));
        let n = self.slots.len();
        self.by_freq.clear();
        self.by_freq.extend(
            self.slots
                .iter()
                .enumerate()
                .map(|(i, s)| (s.term_freq(), i)),
        );
        self.by_freq.sort_unstable();
        self.counts = Counts::default();
        for k in 0..n {
            let i = self.by_freq[k].1;
            let offset = (n - 1 - i) as u32;
            if k == 0 {
                self.slots[i].positions(
                    offset,
                    &mut self.left,
                    &mut self.left_bits,
                    &mut self.mixed,
                );
            } else {
                self.slots[i].positions(
                    offset,
                    &mut self.right,
                    &mut self.right_bits,
                    &mut self.mixed,
                );
                intersect(
                    &mut self.left,
                    &mut self.left_bits,
                    &self.right,
                    &self.right_bits,
                );
            }
            if self.left.is_empty() {
                return false;
            }
        }
        let mut count = |bits: u8| {
            self.counts.any += 1;
            self.counts.stemmed += u32::from(bits & STEMMED != 0);
            self.counts.typed += u32::from(bits & TYPED != 0);
        };
        match &self.left_bits {
            Bits::Uniform(bits) => {
                let len = self.left.len() as u32;
                self.counts = Counts {
                    any: len,
                    stemmed: if bits & STEMMED != 0 { len } else { 0 },
                    typed: if bits & TYPED != 0 { len } else { 0 },
                };
            }
            Bits::PerPosition(per) => per.iter().for_each(|&b| count(b)),
        }
        true
    }
}

/// The level bits of a list of positions: one for all, or one per position.
#[derive(Debug, Clone)]
enum Bits {
    Uniform(u8),
    PerPosition(Vec<u8>),
}

/// Keeps the positions of `left` that `right` has too, with the bits both have.
fn intersect(left: &mut Vec<u32>, left_bits: &mut Bits, right: &[u32], right_bits: &Bits) {
    if let (Bits::Uniform(l), Bits::Uniform(r)) = (&mut *left_bits, right_bits) {
        *l &= r;
        keep_common(left, right, |_, _, _| {});
        return;
    }
    let mut per = match std::mem::replace(left_bits, Bits::Uniform(0)) {
        Bits::Uniform(b) => vec![b; left.len()],
        Bits::PerPosition(per) => per,
    };
    let bits_of_right = |j: usize| match right_bits {
        Bits::Uniform(b) => *b,
        Bits::PerPosition(per) => per.get(j).copied().unwrap_or(0),
    };
    keep_common(left, right, |kept, i, j| {
        per[kept] = per[i] & bits_of_right(j)
    });
    per.truncate(left.len());
    *left_bits = Bits::PerPosition(per);
}

/// Keeps the values of the sorted `left` that the sorted `right` has too, in place; for each,
/// `kept(into, from_left, from_right)` with its new index in `left` and its indexes before.
fn keep_common(left: &mut Vec<u32>, right: &[u32], mut kept: impl FnMut(usize, usize, usize)) {
    let (mut i, mut j, mut into) = (0, 0, 0);
    while i < left.len() && j < right.len() {
        match left[i].cmp(&right[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                left[into] = left[i];
                kept(into, i, j);
                into += 1;
                i += 1;
                j += 1;
            }
        }
    }
    left.truncate(into);
}

impl DocSet for PhraseFormsScorer {
    fn advance(&mut self) -> DocId {
        if self.doc != TERMINATED {
            self.doc = self.find(self.doc + 1);
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc < target {
            self.doc = self.find(target);
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.order.first().map_or(0, |&i| self.slots[i].size_hint())
    }
}

impl Scorer for PhraseFormsScorer {
    fn score(&mut self) -> Score {
        match &self.scoring {
            Some((levels, norms)) if self.doc != TERMINATED => {
                self.boost * levels.score(norms.fieldnorm_id(self.doc), self.counts)
            }
            _ => self.boost,
        }
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::schema::{Schema, TextFieldIndexing, TextOptions};
    use tantivy::{Index, TantivyDocument};

    use super::*;

    /// One item per text, in order.
    fn index(texts: &[&str]) -> (Index, Field) {
        let mut schema = Schema::builder();
        let field = schema.add_text_field(
            "words",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(paragraf_indexer::analysis::NAME)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        );
        let index = Index::create_in_ram(schema.build());
        paragraf_indexer::analysis::register(index.tokenizers());
        let mut writer = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for text in texts {
            let mut doc = TantivyDocument::default();
            doc.add_text(field, *text);
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        (index, field)
    }

    fn forms(words: &[&[(&str, u8)]]) -> Vec<Vec<(String, u8)>> {
        words
            .iter()
            .map(|forms| forms.iter().map(|(w, b)| (w.to_string(), *b)).collect())
            .collect()
    }

    const ALL: PhraseWeights = PhraseWeights {
        stemmed: 1.0,
        typed: Some(0.5),
        folded: Some(0.3),
    };

    /// The items matched, best first.
    fn ranked(index: &Index, query: &PhraseFormsQuery) -> Vec<u32> {
        let searcher = index.reader().expect("reader").searcher();
        let top = searcher
            .search(query, &TopDocs::with_limit(20).order_by_score())
            .expect("search");
        let count = searcher.search(query, &Count).expect("count");
        assert_eq!(
            count,
            top.len(),
            "counting without scores finds the same items"
        );
        top.into_iter().map(|(_, a)| a.doc_id).collect()
    }

    #[test]
    fn phrase_in_any_forms_ranks_typed_then_stemmed_then_folded() {
        let (index, field) = index(&[
            "en okad press på skolan",            // 0: folded spelling only
            "vi ser ökade pressen nu",            // 1: other forms
            "press ökad",                         // 2: words, not the phrase
            "ökad kostnad och press",             // 3: words apart
            "mycket ökad press i vården",         // 4: as typed
            "ökad press och åter ökad press här", // 5: as typed, twice
        ]);
        let query = PhraseFormsQuery::new(
            field,
            &forms(&[
                &[("ökad", TYPED | STEMMED), ("ökade", STEMMED), ("okad", ANY)],
                &[("press", TYPED | STEMMED), ("pressen", STEMMED)],
            ]),
            ALL,
        );
        assert_eq!(ranked(&index, &query), [5, 4, 1, 0]);

        // Without the folded level its forms are not read: the folded item does not match.
        let stemmed_only = PhraseWeights {
            stemmed: 1.0,
            typed: None,
            folded: None,
        };
        let query = PhraseFormsQuery::new(
            field,
            &forms(&[
                &[("ökad", STEMMED), ("ökade", STEMMED), ("okad", ANY)],
                &[("press", STEMMED), ("pressen", STEMMED)],
            ]),
            stemmed_only,
        );
        let mut matched = ranked(&index, &query);
        matched.sort_unstable();
        assert_eq!(matched, [1, 4, 5]);
    }

    #[test]
    fn longer_phrases_need_every_word_in_place() {
        let (index, field) = index(&[
            "arbetar i samverkan med regionen", // 0
            "i samverkan och med",              // 1: third word out of place
            "samverkan med i",                  // 2
            "i samverkans med",                 // 3: another form in the middle
            "med i samverkan med",              // 4
        ]);
        let query = PhraseFormsQuery::new(
            field,
            &forms(&[
                &[("i", TYPED | STEMMED)],
                &[("samverkan", TYPED | STEMMED), ("samverkans", STEMMED)],
                &[("med", TYPED | STEMMED)],
            ]),
            ALL,
        );
        let mut matched = ranked(&index, &query);
        let best = matched.first().copied();
        matched.sort_unstable();
        assert_eq!(matched, [0, 3, 4]);
        assert_ne!(best, Some(3), "the form as typed ranks first");
        // A word with no form in the index: nothing matches.
        let query = PhraseFormsQuery::new(
            field,
            &forms(&[&[("i", TYPED | STEMMED)], &[("saknas", TYPED | STEMMED)]]),
            ALL,
        );
        assert!(ranked(&index, &query).is_empty());
    }
}
