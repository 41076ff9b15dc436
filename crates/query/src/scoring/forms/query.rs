//! The queries over forms: [`FormsQuery`] (a word's forms as one term) and
//! [`FoldedPrefixQuery`] (a prefix with diacritics ignored).

use std::fmt;
use std::sync::Arc;

use tantivy::query::{AutomatonWeight, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

use super::automaton::FoldedPrefix;
use super::scorer::FormsScorer;
use super::tier::{Form, Tier, TIERS};
use crate::scoring::bm25::Bm25;

/// The terms of a field starting with a prefix, diacritics ignored ([`FoldedPrefix`] with no
/// bound on the rest), each scoring the same: `besoksf*` finds "besöksförbudet".
#[derive(Debug, Clone)]
pub struct FoldedPrefixQuery {
    field: Field,
    automaton: Arc<FoldedPrefix>,
}

impl FoldedPrefixQuery {
    /// The query for a folded prefix ([`super::fold`]) of a field.
    pub fn new(field: Field, folded_prefix: &str) -> FoldedPrefixQuery {
        FoldedPrefixQuery {
            field,
            automaton: Arc::new(FoldedPrefix::new(folded_prefix, usize::MAX)),
        }
    }
}

impl Query for FoldedPrefixQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(AutomatonWeight::<FoldedPrefix>::new(
            self.field,
            self.automaton.clone(),
        )))
    }
}

/// All forms of a query word scored as one term: BM25 over the tier-weighted sum of the
/// forms' frequencies, with the idf of the forms together (see the module docs).
#[derive(Clone)]
pub struct FormsQuery {
    field: Field,
    terms: Vec<(Term, Tier)>,
    /// Weight of each rung, by [`Tier`] in order.
    weights: [Score; TIERS],
}

impl fmt::Debug for FormsQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let forms: Vec<String> = self
            .terms
            .iter()
            .map(|(t, tier)| format!("{}:{tier:?}", t.value().as_str().unwrap_or("?")))
            .collect();
        write!(f, "FormsQuery({})", forms.join(" "))
    }
}

impl FormsQuery {
    /// A query for these forms of `field`; `None` when there are none.
    pub fn new(field: Field, forms: &[Form]) -> Option<FormsQuery> {
        if forms.is_empty() {
            return None;
        }
        let terms = forms
            .iter()
            .map(|f| (Term::from_field_text(field, &f.word), f.tier))
            .collect();
        let mut weights = [0.0; TIERS];
        for form in forms {
            weights[form.tier as usize] = form.weight;
        }
        Some(FormsQuery {
            field,
            terms,
            weights,
        })
    }
}

impl Query for FormsQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(Bm25::new(
                statistics_provider,
                self.field,
                self.terms.iter().map(|(t, _)| t),
            )?),
            _ => None,
        };
        Ok(Box::new(FormsWeight {
            field: self.field,
            terms: self.terms.clone(),
            weights: self.weights,
            bm25,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (term, _) in &self.terms {
            visitor(term, false);
        }
    }
}

struct FormsWeight {
    field: Field,
    terms: Vec<(Term, Tier)>,
    weights: [Score; TIERS],
    bm25: Option<Bm25>,
}

impl FormsWeight {
    fn forms_scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<FormsScorer> {
        let inverted = reader.inverted_index(self.field)?;
        let mut postings = Vec::new();
        for (term, tier) in &self.terms {
            if let Some(p) = inverted.read_postings(term, IndexRecordOption::WithFreqs)? {
                postings.push((p, *tier as usize));
            }
        }
        let norms = match &self.bm25 {
            Some(_) => Some(reader.get_fieldnorms_reader(self.field)?),
            None => None,
        };
        Ok(FormsScorer::new(
            postings,
            self.bm25.clone(),
            self.weights,
            norms,
            boost,
        ))
    }
}

impl Weight for FormsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(self.forms_scorer(reader, boost)?))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.forms_scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let mut explanation = Explanation::new("forms of a word, BM25", scorer.score());
        let names = ["exact", "stemmed", "other inflections", "folded"];
        for (name, tf) in names.iter().zip(scorer.tfs()) {
            explanation.add_const(name, tf);
        }
        Ok(explanation)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::query::Query;

    use super::*;

    /// 10,000 one-word items: "kommun" (every third), "kommunen" (every third from the
    /// second), "annat"; "sällsynt" is added to items 7 and 5007 only.
    fn index() -> (tantivy::Index, Field) {
        let mut schema = tantivy::schema::Schema::builder();
        let field = schema.add_text_field(
            "words",
            tantivy::schema::TextOptions::default().set_indexing_options(
                tantivy::schema::TextFieldIndexing::default()
                    .set_tokenizer(paragraf_indexer::index::analysis::NAME)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        );
        let index = tantivy::Index::create_in_ram(schema.build());
        paragraf_indexer::index::analysis::register(index.tokenizers());
        let mut writer = index
            .writer_with_num_threads(1, 20_000_000)
            .expect("writer");
        for i in 0..10_000 {
            let word = ["kommun", "kommunen", "annat"][i % 3];
            let rare = if i % 5000 == 7 { " sällsynt" } else { "" };
            let mut doc = tantivy::TantivyDocument::default();
            doc.add_text(field, format!("{word}{rare}"));
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        (index, field)
    }

    fn forms(field: Field) -> FormsQuery {
        let form = |word: &str, tier, weight| Form {
            word: word.to_string(),
            tier,
            weight,
        };
        FormsQuery::new(
            field,
            &[
                form("kommun", Tier::Exact, 1.5),
                form("kommunen", Tier::Stemmed, 1.0),
            ],
        )
        .expect("forms")
    }

    #[test]
    fn forms_match_as_one_word_with_the_exact_spelling_first() {
        use tantivy::collector::{Count, TopDocs};
        let (index, field) = index();
        let searcher = index.reader().expect("reader").searcher();
        let query = forms(field);
        let (top, count) = searcher
            .search(&query, &(TopDocs::with_limit(3).order_by_score(), Count))
            .expect("search");
        assert_eq!(count, 6667);
        // Every third item from the first holds the exact spelling.
        for (_, address) in &top {
            assert_eq!(address.doc_id % 3, 0, "{top:?}");
        }
        // Led by a rare word, the intersection seeks past whole windows: the same items, and
        // the exact spelling still first.
        let rare = tantivy::query::TermQuery::new(
            Term::from_field_text(field, "sällsynt"),
            IndexRecordOption::WithFreqs,
        );
        let both = tantivy::query::BooleanQuery::intersection(vec![
            Box::new(query) as Box<dyn Query>,
            Box::new(rare),
        ]);
        let top = searcher
            .search(&both, &TopDocs::with_limit(10).order_by_score())
            .expect("search");
        let docs: Vec<u32> = top.iter().map(|(_, a)| a.doc_id).collect();
        assert_eq!(docs, vec![5007, 7]);
        assert!(top[0].0 > top[1].0);
    }
}
