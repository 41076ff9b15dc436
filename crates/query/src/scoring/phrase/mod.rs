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

mod levels;
mod scorer;
mod slot;

use std::fmt;

use tantivy::query::{
    Bm25StatisticsProvider, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

use crate::scoring::bm25::{idf, Bm25};

pub use levels::{ANY, STEMMED, TYPED};

use levels::Levels;
use scorer::PhraseFormsScorer;
use slot::Slot;

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

    fn level_bm25(
        &self,
        searcher: &dyn Bm25StatisticsProvider,
        level: u8,
    ) -> tantivy::Result<Bm25> {
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
        let scoring = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider: searcher,
                ..
            } => Some(Levels {
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
                    .set_tokenizer(paragraf_indexer::index::analysis::NAME)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        );
        let index = Index::create_in_ram(schema.build());
        paragraf_indexer::index::analysis::register(index.tokenizers());
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
