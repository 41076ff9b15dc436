//! [`expand`]: one walk of each segment's term dictionary finds the forms of a query word.

use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use paragraf_indexer::index::analysis::tokens;

use super::automaton::{fold, FoldedPrefix, MAX_ENDING_BYTES};
use super::tier::{Form, Tier, TierWeights};

/// Terms looked at per query word at most, over all segments: a one-letter stem would
/// otherwise walk a large part of the dictionary.
const MAX_CANDIDATES: usize = 20_000;

/// The forms of the `words` field that a query word expands to, sorted by tier then word.
///
/// `typed` is the lower-cased word, `stem` its stem and `others` the stems of its other
/// inflections; `stemmer` is the Swedish analyzer that made them.
pub fn expand(
    searcher: &Searcher,
    field: Field,
    typed: &str,
    stem: &str,
    others: &[String],
    weights: TierWeights,
    stemmer: &mut TextAnalyzer,
) -> tantivy::Result<Vec<Form>> {
    let stems: Vec<&str> = std::iter::once(stem)
        .chain(others.iter().map(String::as_str))
        .collect();
    let folded_stems: Vec<String> = stems.iter().map(|s| fold(s)).collect();
    // One walk finds the forms of every stem: they share the prefix of the shortest.
    let prefix = common_prefix(&stems);
    let longest = stems.iter().map(|s| s.len()).max().unwrap_or(0);
    // Forms of one stem are the stem and a Swedish ending; when other inflections have
    // shorter stems, the letters after the shortest are free and any ending letters follow.
    let automaton = if longest == prefix.len() {
        FoldedPrefix::new(&fold(prefix), 0).with_swedish_endings()
    } else {
        FoldedPrefix::new(&fold(prefix), longest - prefix.len()).with_ending(MAX_ENDING_BYTES)
    };
    let mut candidates = std::collections::BTreeSet::new();
    'segments: for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().search(&automaton).into_stream()?;
        while stream.advance() {
            if let Ok(word) = std::str::from_utf8(stream.key()) {
                candidates.insert(word.to_string());
                if candidates.len() >= MAX_CANDIDATES {
                    break 'segments;
                }
            }
        }
    }
    let mut forms = Vec::new();
    for word in candidates {
        let tier = if word == typed {
            Tier::Exact
        } else {
            let Some(form_stem) = tokens(stemmer, &word).pop() else {
                continue;
            };
            if form_stem == stem {
                Tier::Stemmed
            } else if others.contains(&form_stem) {
                Tier::Inflection
            } else if folded_stems.contains(&fold(&form_stem)) {
                Tier::Folded
            } else {
                continue;
            }
        };
        if let Some(weight) = weights.of(tier) {
            forms.push(Form { word, tier, weight });
        }
    }
    forms.sort_by(|a, b| a.tier.cmp(&b.tier).then_with(|| a.word.cmp(&b.word)));
    Ok(forms)
}

/// The forms of the `words` field that a word the lexicon knows expands to, sorted by tier then
/// word: the word as typed, the other members of its own paradigms (`primary`), the members of
/// the other paradigms it belongs to (`secondary`, on the inflection rung) and, when asked
/// for, the spellings of the primary forms with other diacritics (on the folded rung). Forms
/// the lexicon does not list are no forms of the word, whatever their Snowball stem.
pub fn expand_paradigms(
    searcher: &Searcher,
    field: Field,
    typed: &str,
    primary: &[String],
    secondary: &[String],
    weights: TierWeights,
) -> tantivy::Result<Vec<Form>> {
    let in_index = |word: &str| -> tantivy::Result<bool> {
        Ok(searcher.doc_freq(&Term::from_field_text(field, word))? > 0)
    };
    let mut forms: Vec<Form> = Vec::new();
    let push = |forms: &mut Vec<Form>, word: &str, tier: Tier| {
        if forms.iter().any(|f| f.word == word) {
            return;
        }
        if let Some(weight) = weights.of(tier) {
            forms.push(Form {
                word: word.to_string(),
                tier,
                weight,
            });
        }
    };
    if in_index(typed)? {
        push(&mut forms, typed, Tier::Exact);
    }
    for word in primary {
        if word != typed && in_index(word)? {
            push(&mut forms, word, Tier::Stemmed);
        }
    }
    if weights.inflection.is_some() {
        for word in secondary {
            if !primary.contains(word) && word != typed && in_index(word)? {
                push(&mut forms, word, Tier::Inflection);
            }
        }
    }
    if weights.folded.is_some() {
        let words: Vec<&str> = std::iter::once(typed)
            .chain(primary.iter().map(String::as_str))
            .collect();
        let prefix = common_prefix(&words);
        if prefix.chars().count() >= 3 {
            let folded: std::collections::HashSet<String> = words.iter().map(|w| fold(w)).collect();
            let longest = words.iter().map(|w| w.len()).max().unwrap_or(0);
            let automaton = FoldedPrefix::new(&fold(prefix), longest - prefix.len() + 2);
            let mut found = std::collections::BTreeSet::new();
            'segments: for segment in searcher.segment_readers() {
                let inverted = segment.inverted_index(field)?;
                let mut stream = inverted.terms().search(&automaton).into_stream()?;
                while stream.advance() {
                    if let Ok(word) = std::str::from_utf8(stream.key()) {
                        if folded.contains(&fold(word)) {
                            found.insert(word.to_string());
                        }
                    }
                    if found.len() >= MAX_CANDIDATES {
                        break 'segments;
                    }
                }
            }
            for word in found {
                push(&mut forms, &word, Tier::Folded);
            }
        }
    }
    forms.sort_by(|a, b| a.tier.cmp(&b.tier).then_with(|| a.word.cmp(&b.word)));
    Ok(forms)
}

/// The terms of a field that are a word with other diacritics or none ("akeri" → "åkeri"),
/// most frequent first.
pub fn respellings(searcher: &Searcher, field: Field, word: &str) -> tantivy::Result<Vec<String>> {
    let automaton = FoldedPrefix::new(&fold(word), 0);
    let mut found: std::collections::BTreeMap<String, u64> = Default::default();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().search(&automaton).into_stream()?;
        while stream.advance() {
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                if term != word {
                    *found.entry(term.to_string()).or_default() +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
    }
    let mut out: Vec<(String, u64)> = found.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(out.into_iter().map(|(w, _)| w).collect())
}

/// The longest prefix all strings share, cut at a character boundary.
fn common_prefix<'a>(words: &[&'a str]) -> &'a str {
    let Some(first) = words.first() else {
        return "";
    };
    let mut end = first.len();
    for word in &words[1..] {
        end = first
            .char_indices()
            .zip(word.chars())
            .find(|((_, a), b)| a != b)
            .map_or(end.min(word.len()), |((i, _), _)| i)
            .min(end);
    }
    &first[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_prefix_of_stems() {
        assert_eq!(
            common_prefix(&["utskrivningsklar", "utskrivningskl"]),
            "utskrivningskl"
        );
        assert_eq!(common_prefix(&["östersund"]), "östersund");
        assert_eq!(common_prefix(&["åre", "ärr"]), "");
    }
}
