//! Suggestions as one types, and "did you mean" for words no item contains.
//!
//! Both read the index's own vocabulary: the `words` field (exact, lower-cased spellings of
//! titles and texts) through tantivy's term dictionary, so suggestions are words that really
//! occur, counted by the number of items that hold them.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};

use serde::{Deserialize, Serialize};
use tantivy::schema::Field;
use tantivy::Searcher;

use crate::error::Result;
use crate::query::{Term as QTerm, UserQuery};

/// What a suggestion completes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestResponse {
    /// What was typed.
    pub query: String,
    /// Suggestions, names and places first, then words by frequency.
    pub suggestions: Vec<Suggestion>,
}

/// Calls `f(term, doc_freq)` for every term of `field` starting with `prefix`, segment by
/// segment (a term in several segments comes once per segment).
fn for_each_term_with_prefix(
    searcher: &Searcher,
    field: Field,
    prefix: &str,
    mut f: impl FnMut(&str, u64),
) -> Result<()> {
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(field)?;
        let mut stream = index
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .into_stream()
            .map_err(|e| crate::Error::Internal(e.to_string()))?;
        while stream.advance() {
            let key = stream.key();
            if !key.starts_with(prefix.as_bytes()) {
                break;
            }
            if let Ok(term) = std::str::from_utf8(key) {
                f(term, u64::from(stream.value().doc_freq));
            }
        }
    }
    Ok(())
}

/// Words of `field` starting with `prefix`, with the number of items holding each, most
/// frequent first.
pub(crate) fn terms_with_prefix(
    searcher: &Searcher,
    field: Field,
    prefix: &str,
    limit: usize,
) -> Result<Vec<(String, u64)>> {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for_each_term_with_prefix(searcher, field, prefix, |term, n| {
        *counts.entry(term.to_string()).or_default() += n;
    })?;
    let mut out: Vec<(String, u64)> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out.truncate(limit);
    Ok(out)
}

/// Number of items holding a word in `field`.
fn doc_freq(searcher: &Searcher, field: Field, word: &str) -> Result<u64> {
    Ok(searcher.doc_freq(&tantivy::Term::from_field_text(field, word))?)
}

/// The query with each word that no item holds replaced by the closest word that items do
/// hold (two edits at most, same first letter), or `None` when nothing was replaced.
pub(crate) fn did_you_mean(
    searcher: &Searcher,
    field: Field,
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
        if doc_freq(searcher, field, &lower)? > 0 {
            continue;
        }
        if let Some(best) = closest_term(searcher, field, &lower)? {
            corrected = corrected.replacen(word.as_str(), &best, 1);
            changed = true;
        }
    }
    Ok(changed.then_some(corrected))
}

/// The most frequent word within the typo distance of `word` that starts with its letter.
/// A Levenshtein automaton (transpositions count one edit) walks each
/// segment's term dictionary, so only the words within the distance are read: scanning every
/// word with the same first letter cost milliseconds on a large archive.
fn closest_term(searcher: &Searcher, field: Field, word: &str) -> Result<Option<String>> {
    let Some(first) = word.chars().next() else {
        return Ok(None);
    };
    let max_distance: u8 = if word.chars().count() >= 9 { 2 } else { 1 };
    let dfa = levenshtein_builder(max_distance).build_dfa(word);
    let mut candidates: BTreeMap<String, (u8, u64)> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(field)?;
        let mut stream = index
            .terms()
            .search(Levenshtein(&dfa))
            .into_stream()
            .map_err(|e| crate::Error::Internal(e.to_string()))?;
        while stream.advance() {
            let Ok(term) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if !term.starts_with(first) {
                continue;
            }
            let Distance::Exact(distance) = dfa.eval(term) else {
                continue;
            };
            if distance == 0 || distance > max_distance {
                continue;
            }
            candidates
                .entry(term.to_string())
                .or_insert((distance, 0))
                .1 += u64::from(stream.value().doc_freq);
        }
    }
    Ok(candidates
        .into_iter()
        .min_by(|a, b| a.1 .0.cmp(&b.1 .0).then_with(|| b.1 .1.cmp(&a.1 .1)))
        .map(|(term, _)| term))
}

/// A Levenshtein automaton as a walk of tantivy's term dictionary.
struct Levenshtein<'a>(&'a DFA);

impl tantivy_fst::Automaton for Levenshtein<'_> {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
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
