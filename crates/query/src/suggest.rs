//! Suggestions as one types, and "did you mean" for words no item contains.
//!
//! Both read the index's own vocabulary: the `words` field (exact, lower-cased spellings of
//! titles and texts) through tantivy's term dictionary, so suggestions are words that really
//! occur, counted by the number of items that hold them.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::OnceLock;

use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};

use serde::{Deserialize, Serialize};
use tantivy::schema::Field;
use tantivy::Searcher;

use crate::engine::Audience;
use crate::error::Result;
use crate::query::{Term as QTerm, UserQuery};

/// What a suggestion completes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SuggestionKind {
    /// A word of the texts.
    Term,
    /// A speaker's name (a filter value).
    Speaker,
    /// A municipality (the value is its SCB code).
    Municipality,
    /// A body.
    Body,
}

/// One suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Suggestion {
    /// The text to show and, for terms, to put in the search box.
    pub text: String,
    /// What it is.
    pub kind: SuggestionKind,
    /// Items that have it.
    pub count: u64,
    /// The filter value for speakers, municipalities and bodies; `null` for terms.
    pub value: Option<String>,
}

/// The answer of `/api/suggest`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SuggestResponse {
    /// What was typed.
    pub query: String,
    /// Suggestions, names and places first, then words by frequency.
    pub suggestions: Vec<Suggestion>,
}

/// Calls `f(term, doc_freq)` for every term of `field` starting with `prefix` that an item
/// the audience sees holds, segment by segment (a term in several segments comes once per
/// segment).
fn for_each_term_with_prefix(
    searcher: &Searcher,
    field: Field,
    prefix: &str,
    audience: &Audience,
    mut f: impl FnMut(&str, u64),
) -> Result<()> {
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(field)?;
        let mut stream = index.terms().range().ge(prefix.as_bytes()).into_stream()?;
        while stream.advance() {
            let key = stream.key();
            if !key.starts_with(prefix.as_bytes()) {
                break;
            }
            if let Ok(term) = std::str::from_utf8(key) {
                let n = audience.doc_freq_in(segment, &index, stream.value())?;
                if n > 0 {
                    f(term, n);
                }
            }
        }
    }
    Ok(())
}

/// Words of `field` starting with `prefix`, with the number of items the audience sees
/// holding each, most frequent first.
pub(crate) fn terms_with_prefix(
    searcher: &Searcher,
    field: Field,
    prefix: &str,
    limit: usize,
    audience: &Audience,
) -> Result<Vec<(String, u64)>> {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for_each_term_with_prefix(searcher, field, prefix, audience, |term, n| {
        *counts.entry(term.to_string()).or_default() += n;
    })?;
    let mut out: Vec<(String, u64)> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out.truncate(limit);
    Ok(out)
}

/// The query with each word that no item holds replaced by the closest word that items do
/// hold (two edits at most, same first letter), or `None` when nothing was replaced.
pub(crate) fn did_you_mean(
    near: &NearWords<'_>,
    user: &UserQuery,
    typed: &str,
) -> Result<Option<String>> {
    let mut corrected = typed.to_string();
    let mut changed = false;
    for clause in user.positive() {
        let QTerm::Word(word) = &clause.term else {
            continue;
        };
        let lower = word.to_lowercase();
        if lower.chars().count() < 4 || !lower.chars().all(char::is_alphabetic) {
            continue;
        }
        if near.doc_freq(&lower)? > 0 {
            continue;
        }
        let best = near
            .of(&lower)?
            .iter()
            .min_by(|a, b| {
                a.distance
                    .cmp(&b.distance)
                    .then_with(|| b.doc_freq.cmp(&a.doc_freq))
                    .then_with(|| a.word.cmp(&b.word))
            })
            .map(|n| n.word.clone());
        if let Some(best) = best {
            corrected = corrected.replacen(word.as_str(), &best, 1);
            changed = true;
        }
    }
    Ok(changed.then_some(corrected))
}

/// A word of the index a few edits from a query word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Near {
    /// The word as the index holds it.
    pub word: String,
    /// Edits from the query word (1 or 2; a transposition is one).
    pub distance: u8,
    /// Items holding it.
    pub doc_freq: u64,
}

/// The words of one field near query words, found once per request: the typo part of the
/// query and "did you mean" read the same walk of the term dictionary (each pass over the
/// matches, counting, ranking and faceting, walked it again when tantivy's fuzzy query did it).
pub(crate) struct NearWords<'s> {
    searcher: &'s Searcher,
    field: Field,
    /// Who asks: words only items it cannot see hold are no words to it.
    audience: &'s Audience,
    found: RefCell<HashMap<String, Rc<[Near]>>>,
}

impl<'s> NearWords<'s> {
    /// Lookups in `field` of the index `searcher` reads, for an audience.
    pub(crate) fn new(
        searcher: &'s Searcher,
        field: Field,
        audience: &'s Audience,
    ) -> NearWords<'s> {
        NearWords {
            searcher,
            field,
            audience,
            found: RefCell::new(HashMap::new()),
        }
    }

    /// Number of items the audience sees that hold a lower-case word.
    pub(crate) fn doc_freq(&self, word: &str) -> Result<u64> {
        let term = tantivy::Term::from_field_text(self.field, word);
        Ok(self.audience.doc_freq(self.searcher, &term)?)
    }

    /// The words within the typo distance of a lower-case `word` (one edit below nine
    /// letters, two from nine), itself left out, in the order of the term dictionary.
    pub(crate) fn of(&self, word: &str) -> Result<Rc<[Near]>> {
        if let Some(found) = self.found.borrow().get(word) {
            return Ok(found.clone());
        }
        let found: Rc<[Near]> = near_words(self.searcher, self.field, word, self.audience)?.into();
        self.found
            .borrow_mut()
            .insert(word.to_string(), found.clone());
        Ok(found)
    }
}

/// Typo distance for a word: one edit below nine letters, two from nine.
fn max_distance(word: &str) -> u8 {
    if word.chars().count() >= 9 {
        2
    } else {
        1
    }
}

/// A Levenshtein automaton (transpositions count one edit) walks each segment's term
/// dictionary, so only the words within the distance are read. The first letter is never a
/// typo (people rarely mistype it; Lucene's `prefixLength` and Meilisearch, which counts it
/// twice, agree): the walk stays under the word's first letter instead of the whole
/// dictionary, an order of magnitude fewer words to pass.
fn near_words(
    searcher: &Searcher,
    field: Field,
    word: &str,
    audience: &Audience,
) -> Result<Vec<Near>> {
    let Some(first) = word.chars().next() else {
        return Ok(Vec::new());
    };
    let (head, rest) = word.split_at(first.len_utf8());
    let max_distance = max_distance(word);
    let dfa = levenshtein_builder(max_distance).build_dfa(rest);
    let automaton = Levenshtein {
        head: head.as_bytes(),
        dfa: &dfa,
    };
    let mut near: BTreeMap<String, (u8, u64)> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(field)?;
        let mut stream = index.terms().search(&automaton).into_stream()?;
        while stream.advance() {
            let Some(tail) = stream.key().strip_prefix(head.as_bytes()) else {
                continue;
            };
            let Ok(tail) = std::str::from_utf8(tail) else {
                continue;
            };
            let Distance::Exact(distance) = dfa.eval(tail) else {
                continue;
            };
            if distance == 0 || distance > max_distance {
                continue;
            }
            let live = audience.doc_freq_in(segment, &index, stream.value())?;
            if live == 0 {
                continue;
            }
            near.entry(format!("{head}{tail}"))
                .or_insert((distance, 0))
                .1 += live;
        }
    }
    Ok(near
        .into_iter()
        .map(|(word, (distance, doc_freq))| Near {
            word,
            distance,
            doc_freq,
        })
        .collect())
}

/// Words that begin with `head` exactly and go on within a Levenshtein automaton's distance:
/// a walk of tantivy's term dictionary.
struct Levenshtein<'a> {
    head: &'a [u8],
    dfa: &'a DFA,
}

/// Where a [`Levenshtein`] walk is: in the head (bytes matched so far), or in the automaton.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Walk {
    Head(usize),
    Tail(u32),
}

impl tantivy_fst::Automaton for &Levenshtein<'_> {
    type State = Walk;

    fn start(&self) -> Walk {
        if self.head.is_empty() {
            Walk::Tail(self.dfa.initial_state())
        } else {
            Walk::Head(0)
        }
    }

    fn is_match(&self, state: &Walk) -> bool {
        match *state {
            Walk::Head(_) => false,
            Walk::Tail(s) => matches!(self.dfa.distance(s), Distance::Exact(_)),
        }
    }

    fn can_match(&self, state: &Walk) -> bool {
        *state != Walk::Tail(SINK_STATE)
    }

    fn accept(&self, state: &Walk, byte: u8) -> Walk {
        match *state {
            Walk::Head(at) if self.head.get(at) == Some(&byte) => {
                if at + 1 == self.head.len() {
                    Walk::Tail(self.dfa.initial_state())
                } else {
                    Walk::Head(at + 1)
                }
            }
            Walk::Head(_) => Walk::Tail(SINK_STATE),
            Walk::Tail(s) => Walk::Tail(self.dfa.transition(s, byte)),
        }
    }
}

/// The Levenshtein automaton builder for a distance (1 or 2), with transpositions, built once:
/// building one for distance 2 takes longer than a search.
fn levenshtein_builder(distance: u8) -> &'static LevenshteinAutomatonBuilder {
    static BUILDERS: [OnceLock<LevenshteinAutomatonBuilder>; 3] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let distance = distance.min(2);
    BUILDERS[usize::from(distance)].get_or_init(|| LevenshteinAutomatonBuilder::new(distance, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance() {
        // The distances "did you mean" works with: a transposition is one edit.
        let distance = |a: &str, b: &str| levenshtein_builder(2).build_dfa(a).eval(b);
        assert_eq!(distance("munskyd", "munskydd"), Distance::Exact(1));
        assert_eq!(distance("munksydd", "munskydd"), Distance::Exact(1));
        assert_eq!(
            distance("brottsofferjourn", "brottsofferjouren"),
            Distance::Exact(1)
        );
        assert_eq!(distance("vård", "vård"), Distance::Exact(0));
        assert_eq!(distance("", "abc"), Distance::AtLeast(3));
    }
}
