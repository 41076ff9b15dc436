//! Planning: what a user typed ([`UserQuery`]) becomes a tantivy query, without filters.
//!
//! Ranking (README "Search and ranking"): each word is looked for in several ways and the
//! best one counts (`DisjunctionMaxQuery`), on a ladder where exact spelling ranks above
//! stemmed, stemmed above compound parts, parts above diacritic-folded and folded above
//! typo-corrected: names and the stemmed title 3, stemmed decisions 2; in the text, whose
//! forms [`crate::scoring::forms`] finds at query time, the exact spelling 1.5, other forms of
//! the stem 1, other inflections 0.8 and folded spellings 0.3; compound parts 0.5 and a word
//! within one or two typos (not in the first letter, `suggest::NearWords`) 0.1. Among equal
//! scores the newer meeting comes first, then agenda order (the search pass, in
//! [`crate::engine`]).

use paragraf_indexer::index::analysis::{self, tokens, Lexicon, Paradigm};
use paragraf_indexer::index::schema::Fields;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery,
    Occur, PhraseQuery, Query, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use crate::query::{Term as QTerm, UserQuery};
use crate::request::Analysis;
use crate::scoring::forms::{fold, FoldedPrefixQuery, FormsQuery, Tier, TierWeights};
use crate::scoring::phrase::{PhraseFormsQuery, PhraseWeights, ANY, STEMMED, TYPED};
use crate::suggest::NearWords;

// The rungs of the ranking ladder (README "Search and ranking"), shared with the OpenSearch
// engine so that both rank alike.
/// Names and the stemmed title.
pub const TITLE_BOOST: f32 = 3.0;
/// A speaker's name.
pub const NAME_BOOST: f32 = 3.0;
/// Stemmed decisions.
pub const DECISION_BOOST: f32 = 2.0;
/// The text's exact spelling.
pub const EXACT_BOOST: f32 = 1.5;
/// The text's other forms of the stem.
pub const TEXT_BOOST: f32 = 1.0;
/// Other inflections the stemmer keeps apart.
pub const INFLECTION_BOOST: f32 = 0.8;
/// Compound parts.
pub const PARTS_BOOST: f32 = 0.5;
/// Spellings folded without å/ä/ö.
pub const FOLDED_BOOST: f32 = 0.3;
/// A word within one or two typos.
pub const TYPO_BOOST: f32 = 0.1;
/// Forms of the other paradigms a word is a form of, below its own ("stöder" for "stöd").
pub const OTHER_PARADIGM_BOOST: f32 = 0.6;
/// A typo-corrected word with its forms and compounds, against the word typed.
const CORRECTED_SCALE: f32 = 0.3;

/// Turns parsed queries into tantivy queries over an index's fields, with the analyzers the
/// index was built with.
#[derive(Clone)]
pub(crate) struct Planner {
    fields: Fields,
    swedish: TextAnalyzer,
    names: TextAnalyzer,
}

impl Planner {
    /// A planner for an index with these fields.
    pub(crate) fn new(fields: Fields) -> Planner {
        // The lexicon is read in the background while the index opens; the first query waits
        // for it only if it comes sooner.
        std::thread::spawn(|| {
            Lexicon::system();
        });
        Planner {
            fields,
            swedish: analysis::swedish(),
            names: analysis::name(),
        }
    }

    /// The analyzer of names, which is also the analyzer of the `words` field.
    pub(crate) fn names(&self) -> &TextAnalyzer {
        &self.names
    }

    /// The query for the words of the request; `AllQuery` when there are none.
    pub(crate) fn text_query(
        &self,
        searcher: &Searcher,
        near: &NearWords<'_>,
        user: &UserQuery,
        any: bool,
        analysis: Analysis,
    ) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for clause in &user.clauses {
            let Some(query) = self.clause_query(searcher, near, &clause.term, analysis) else {
                continue;
            };
            let occur = if clause.negated {
                Occur::MustNot
            } else if any {
                Occur::Should
            } else {
                Occur::Must
            };
            clauses.push((occur, query));
        }
        let has_positive = clauses.iter().any(|(o, _)| *o != Occur::MustNot);
        if !has_positive {
            if user.is_empty() {
                clauses.push((Occur::Must, Box::new(AllQuery)));
            } else {
                // Words that analyse to nothing ("!!!") match nothing rather than everything.
                return Box::new(BooleanQuery::new(Vec::new()));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    fn clause_query(
        &self,
        searcher: &Searcher,
        near: &NearWords<'_>,
        term: &QTerm,
        analysis: Analysis,
    ) -> Option<Box<dyn Query>> {
        self.term_query(searcher, near, term, analysis, 0)
    }

    fn term_query(
        &self,
        searcher: &Searcher,
        near: &NearWords<'_>,
        term: &QTerm,
        analysis: Analysis,
        depth: usize,
    ) -> Option<Box<dyn Query>> {
        let f = self.fields;
        let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
        let (text, is_word) = match term {
            QTerm::Word(w) => (w.clone(), true),
            QTerm::Phrase(words) => (words.join(" "), false),
            QTerm::Prefix(p) => return self.prefix_query(p, analysis),
        };
        let surface = tokens(&mut self.names.clone(), &text);
        push_field(&mut disjuncts, f.speaker_names, &surface, NAME_BOOST);
        if analysis == Analysis::Plain {
            push_field(&mut disjuncts, f.words, &surface, TEXT_BOOST);
            return dismax(disjuncts);
        }
        let sv = tokens(&mut self.swedish.clone(), &text);
        push_field(&mut disjuncts, f.title, &sv, TITLE_BOOST);
        push_field(&mut disjuncts, f.decisions, &sv, DECISION_BOOST);
        let full = analysis == Analysis::Full;
        let weights = if full {
            TierWeights {
                exact: EXACT_BOOST,
                stemmed: TEXT_BOOST,
                inflection: Some(INFLECTION_BOOST),
                folded: Some(FOLDED_BOOST),
            }
        } else {
            TierWeights {
                exact: TEXT_BOOST,
                stemmed: TEXT_BOOST,
                inflection: None,
                folded: None,
            }
        };
        let ([word], [stem]) = (surface.as_slice(), sv.as_slice()) else {
            // Several words: a phrase, as typed above the same phrase in other forms.
            disjuncts.extend(self.phrase_of_forms(searcher, &surface, &sv, full));
            return dismax(disjuncts);
        };
        let lexicon = if full && is_word {
            Lexicon::system()
        } else {
            None
        };
        let paradigms = lexicon.map(|l| l.paradigms(word)).unwrap_or_default();
        let others = if full && is_word && paradigms.is_empty() {
            self.other_inflections(word, &sv)
        } else {
            Vec::new()
        };
        let forms = if paradigms.is_empty() {
            crate::scoring::forms::expand(
                searcher,
                f.words,
                word,
                stem,
                &others,
                weights,
                &mut self.swedish.clone(),
            )
            .unwrap_or_default()
        } else {
            // The word's own paradigms (it is their lemma) on the stemmed rung, the paradigms
            // it is only a form of below them ("stöd" the noun above "stöder" of the verb).
            let (own, other) = match lexicon {
                Some(l) => lexicon_forms(l, word, &paradigms),
                None => (Vec::new(), Vec::new()),
            };
            let mut forms = crate::scoring::forms::expand_paradigms(
                searcher,
                f.words,
                word,
                &own,
                &other,
                TierWeights {
                    inflection: Some(OTHER_PARADIGM_BOOST),
                    ..weights
                },
            )
            .unwrap_or_default();
            // The dictionary's gaps: sv_SE lists "avgift" without its plural. A form with the
            // word's Snowball stem that the dictionary does not know is taken as a form; one
            // it knows as another word ("arbete" for "arbetare") is not.
            let snowball = crate::scoring::forms::expand(
                searcher,
                f.words,
                word,
                stem,
                &[],
                weights,
                &mut self.swedish.clone(),
            )
            .unwrap_or_default();
            for form in snowball {
                if form.tier == Tier::Stemmed
                    && !forms.iter().any(|known| known.word == form.word)
                    && lexicon.is_some_and(|l| !l.knows(&form.word))
                {
                    forms.push(form);
                }
            }
            forms
        };
        // "An item": one the request may see (issue #20), so that a word only internal
        // items hold is corrected for the public as if the archive lacked them.
        let matched = forms.iter().any(|form| {
            matches!(form.tier, Tier::Exact | Tier::Stemmed)
                && near.doc_freq(&form.word).unwrap_or(0) > 0
        });
        if let Some(query) = FormsQuery::new(f.words, &forms) {
            disjuncts.push(Box::new(query));
        }
        if !full || !is_word {
            return dismax(disjuncts);
        }
        for other in others {
            push_field(&mut disjuncts, f.title, &[other], INFLECTION_BOOST);
        }
        // A part is one word: "covid-19" analyses to two and has no part to match. Parts are
        // indexed under their lemma when the lexicon knows them (`part_keys`).
        for key in analysis::part_keys(word) {
            push_field(&mut disjuncts, f.parts, &[key], PARTS_BOOST);
        }
        if matched || depth > 0 {
            return dismax(disjuncts);
        }
        // No item has the word in any of its forms. Typed without its diacritics
        // ("akeri"), it is the word with them: that word, with its forms and compounds, at
        // its own weight.
        let respelt = crate::scoring::forms::respellings(searcher, f.words, word)
            .unwrap_or_default()
            .into_iter()
            .find(|w| lexicon.is_none_or(|l| l.knows(w)));
        if let Some(respelt) = respelt {
            if let Some(query) = self.word_query(searcher, near, &respelt, analysis, depth + 1) {
                disjuncts.push(query);
            }
            return dismax(disjuncts);
        }
        // Meilisearch's rule: one typo from five letters, two from nine (`max_distance`).
        // Typos are looked for only when no item has the word in a form: a word that exists
        // is what the user meant, and the walk for near words is the costliest part of a
        // query. The near words are found once and matched as a set, at one constant score;
        // the likeliest of them (fewest typos, then most items) is also expanded like a typed
        // word, with its forms and compounds, below the weight of a word as typed.
        if word.chars().count() >= 5 {
            match near.of(word) {
                Ok(words) if !words.is_empty() => {
                    let set = words
                        .iter()
                        .map(|n| Term::from_field_text(f.words, &n.word));
                    disjuncts.push(Box::new(ConstScoreQuery::new(
                        Box::new(TermSetQuery::new(set)),
                        TYPO_BOOST,
                    )));
                    let best = words
                        .iter()
                        .min_by(|a, b| {
                            a.distance
                                .cmp(&b.distance)
                                .then(b.doc_freq.cmp(&a.doc_freq))
                        })
                        .map(|n| n.word.clone());
                    if let Some(best) = best {
                        if let Some(query) =
                            self.word_query(searcher, near, &best, analysis, depth + 1)
                        {
                            disjuncts.push(Box::new(BoostQuery::new(query, CORRECTED_SCALE)));
                        }
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::warn!("no typo matches for {word:?}: {e}"),
            }
        }
        dismax(disjuncts)
    }

    /// The query of one word as if typed, `depth` steps away from what was typed.
    fn word_query(
        &self,
        searcher: &Searcher,
        near: &NearWords<'_>,
        word: &str,
        analysis: Analysis,
        depth: usize,
    ) -> Option<Box<dyn Query>> {
        self.term_query(
            searcher,
            near,
            &QTerm::Word(word.to_string()),
            analysis,
            depth,
        )
    }

    /// A phrase of several words in any of their forms ([`PhraseFormsQuery`]): exact and
    /// stemmed forms at the text weight; with the full analysis also the phrase as typed, a
    /// bonus up to the exact weight, and diacritic-folded forms at the folded weight, all
    /// counted in one pass over the positions.
    fn phrase_of_forms(
        &self,
        searcher: &Searcher,
        surface: &[String],
        stems: &[String],
        full: bool,
    ) -> Vec<Box<dyn Query>> {
        let weights = TierWeights {
            exact: TEXT_BOOST,
            stemmed: TEXT_BOOST,
            inflection: None,
            folded: full.then_some(FOLDED_BOOST),
        };
        let field = self.fields.words;
        let mut words = Vec::with_capacity(surface.len());
        let mut folded = false;
        let lexicon = if full { Lexicon::system() } else { None };
        for (word, stem) in surface.iter().zip(stems) {
            let paradigms = lexicon.map(|l| l.paradigms(word)).unwrap_or_default();
            let forms = if paradigms.is_empty() {
                crate::scoring::forms::expand(
                    searcher,
                    field,
                    word,
                    stem,
                    &[],
                    weights,
                    &mut self.swedish.clone(),
                )
            } else {
                let own = paradigms.iter().any(|p| p.headword);
                let primary: Vec<String> = paradigms
                    .iter()
                    .filter(|p| p.headword || !own)
                    .flat_map(|p| p.forms.iter().cloned())
                    .collect();
                crate::scoring::forms::expand_paradigms(
                    searcher,
                    field,
                    word,
                    &primary,
                    &[],
                    weights,
                )
            }
            .unwrap_or_default();
            let mut tagged = Vec::with_capacity(forms.len());
            for form in forms {
                let mut bits = match form.tier {
                    Tier::Exact | Tier::Stemmed => STEMMED,
                    Tier::Folded if full => {
                        folded = true;
                        ANY
                    }
                    _ => continue,
                };
                if full && form.word == *word {
                    bits |= TYPED;
                }
                tagged.push((form.word, bits));
            }
            if tagged.is_empty() {
                // A word is in no item: no phrase of forms can match. (A word typed without
                // its diacritics has folded forms, and the phrase matches at the folded
                // weight.)
                return if full {
                    words_query(field, surface, EXACT_BOOST)
                        .into_iter()
                        .collect()
                } else {
                    Vec::new()
                };
            }
            words.push(tagged);
        }
        if full
            && words
                .iter()
                .all(|forms| matches!(forms.as_slice(), [(_, bits)] if bits & TYPED != 0))
        {
            // Words with no other forms in the index: tantivy's phrase scorer, faster on one
            // form a word (the same score: every level counts the same occurrences).
            return words_query(field, surface, EXACT_BOOST)
                .into_iter()
                .collect();
        }
        let weights = PhraseWeights {
            stemmed: TEXT_BOOST,
            typed: full.then_some(EXACT_BOOST - TEXT_BOOST),
            folded: (full && folded).then_some(FOLDED_BOOST),
        };
        vec![Box::new(PhraseFormsQuery::new(field, &words, weights))]
    }

    /// Stems of other inflections of a word that the Snowball stemmer does not bring together
    /// ([`other_inflections`]).
    fn other_inflections(&self, word: &str, stems: &[String]) -> Vec<String> {
        let mut analyzer = self.swedish.clone();
        other_inflections(word, stems, |candidate| tokens(&mut analyzer, candidate))
    }

    fn prefix_query(&self, prefix: &str, analysis: Analysis) -> Option<Box<dyn Query>> {
        let f = self.fields;
        let lower: String = prefix
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        if lower.is_empty() {
            return None;
        }
        let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
        let mut fields = vec![
            (f.words, TEXT_BOOST, &lower),
            (f.speaker_names, NAME_BOOST, &lower),
        ];
        if analysis != Analysis::Plain {
            fields.extend([
                (f.title, TITLE_BOOST, &lower),
                (f.decisions, DECISION_BOOST, &lower),
            ]);
        }
        for (field, boost, text) in fields {
            let query = FuzzyTermQuery::new_prefix(Term::from_field_text(field, text), 0, true);
            disjuncts.push(Box::new(BoostQuery::new(Box::new(query), boost)));
        }
        if analysis == Analysis::Full {
            let query = FoldedPrefixQuery::new(f.words, &fold(&lower));
            disjuncts.push(Box::new(BoostQuery::new(Box::new(query), FOLDED_BOOST)));
        }
        dismax(disjuncts)
    }
}

/// The best of several ways to match one clause (see the module docs), the others adding a
/// tenth of theirs; `None` when there are none.
fn dismax(disjuncts: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    if disjuncts.is_empty() {
        return None;
    }
    Some(Box::new(DisjunctionMaxQuery::with_tie_breaker(
        disjuncts, 0.1,
    )))
}

fn push_field(out: &mut Vec<Box<dyn Query>>, field: Field, words: &[String], boost: f32) {
    out.extend(words_query(field, words, boost));
}

/// The analysed words of a query in one field, boosted: one word a term, several a phrase,
/// none nothing. (Also the stemming-only baseline of `paragraf-bench analysis`.)
pub fn words_query(field: Field, words: &[String], boost: f32) -> Option<Box<dyn Query>> {
    let query: Box<dyn Query> = match words {
        [] => return None,
        [one] => Box::new(TermQuery::new(
            Term::from_field_text(field, one),
            IndexRecordOption::WithFreqsAndPositions,
        )),
        many => Box::new(PhraseQuery::new(
            many.iter()
                .map(|w| Term::from_field_text(field, w))
                .collect(),
        )),
    };
    Some(Box::new(BoostQuery::new(query, boost)))
}

/// Stems of other inflections of a word that the Snowball stemmer does not bring together
/// ("utskrivningsklar" / "utskrivningsklara", "Storsjöglänta" / "Storsjögläntan"): the word
/// with a Swedish ending added or removed, stemmed by `stem`, when that gives one stem not in
/// `stems`. Shared with the OpenSearch engine, so both find the same forms.
pub fn other_inflections(
    word: &str,
    stems: &[String],
    mut stem: impl FnMut(&str) -> Vec<String>,
) -> Vec<String> {
    const ADD: &[&str] = &["a", "n", "en", "et", "na", "ar", "er", "or"];
    const STRIP: &[&str] = &["n", "en", "et", "na", "a"];
    let mut out: Vec<String> = Vec::new();
    let candidates =
        ADD.iter()
            .map(|suffix| format!("{word}{suffix}"))
            .chain(STRIP.iter().filter_map(|suffix| {
                word.strip_suffix(suffix)
                    .filter(|stem| stem.chars().count() >= 4)
                    .map(str::to_string)
            }));
    for candidate in candidates {
        if let [found] = stem(&candidate).as_slice() {
            if !stems.contains(found) && !out.contains(found) {
                out.push(found.clone());
            }
        }
    }
    out
}

/// The forms of a word the lexicon knows (`paradigms` are its paradigms), shared with the
/// OpenSearch engine: its own paradigms' forms (those it is the lemma of, else all) with the
/// plural the dictionary lacks ("avgifter" of "avgift", "bostäder" of "bostad"), and the other
/// paradigms' forms, ranked below them. For a plural the dictionary lists apart or only as
/// another word's form, its singular's forms go with the others ("bostad", "bostaden" for
/// "bostäderna": the 1992 debate's single flats ranked above its housing when they were on one
/// rung; measured on riksdagen).
pub fn lexicon_forms(
    lexicon: &Lexicon,
    word: &str,
    paradigms: &[Paradigm],
) -> (Vec<String>, Vec<String>) {
    let own_lemma = paradigms.iter().any(|p| p.headword);
    let mut own = Vec::new();
    let mut other = Vec::new();
    for p in paradigms {
        if p.headword || !own_lemma {
            own.extend(p.forms.iter().cloned());
        } else {
            other.extend(p.forms.iter().cloned());
        }
    }
    own.extend(lexicon.gap_forms(word));
    if let Some(lemma) = lexicon.gap_lemma(word) {
        for p in lexicon.own_paradigms(&lemma) {
            other.extend(p.forms);
        }
        other.extend(lexicon.gap_forms(&lemma));
    }
    (own, other)
}
