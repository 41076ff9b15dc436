//! The sentence patterns that make a person a speaker (docs/domain.md § 3): a subject list before a
//! speaking predicate, the passive "föredras av", roll-call labels.

use super::lexicon::{
    indefinite_title, is_title_word, PASSIVE_VERBS, PRESENTING_VERBS, SPEAKING_VERBS,
};
use super::name::{parse_person, parse_person_list, punct, word, Found, PersonRef, Tok};

/// Whether the words from `i` are a speaking predicate; in a formal protokoll (`formal`) only
/// a presenting one ([`PRESENTING_VERBS`]).
pub(super) fn is_speaking_predicate(toks: &[Tok<'_>], i: usize, formal: bool) -> bool {
    let Some(verb) = word(toks, i) else {
        return false;
    };
    let next = word(toks, i + 1);
    let after = word(toks, i + 2);
    match verb {
        "går" | "gick" => next == Some("igenom"),
        "tar" | "tog" => !formal && next == Some("upp"),
        "ställer" | "ställde" => !formal && next.is_some_and(|w| w.starts_with("fråg")),
        "gör" | "gjorde" | "ger" | "gav" | "lämnar" | "lämnade" | "håller" | "höll" => {
            let object = if matches!(next, Some("en" | "ett" | "kort" | "en kort")) {
                after
            } else {
                next
            };
            object.is_some_and(|w| {
                [
                    "genomgång",
                    "presentation",
                    "redovisning",
                    "redogörelse",
                    "sammanfattning",
                    "information",
                    "lägesrapport",
                    "bakgrund",
                    "återkoppling",
                    "kort",
                    "inledning",
                ]
                .iter()
                .any(|o| w.starts_with(o))
            })
        }
        v if formal => PRESENTING_VERBS.contains(&v),
        v => SPEAKING_VERBS.contains(&v),
    }
}

/// Speakers found in one sentence (its tokens), unresolved.
pub(super) fn speakers_in_sentence(
    toks: &[Tok<'_>],
    at_paragraph_start: bool,
    formal: bool,
) -> Vec<Found> {
    let mut out = Vec::new();

    // Roll-call label: "Regionen (Anna F): …" or "Maria S: …".
    if at_paragraph_start {
        if let Some(colon) = toks.iter().take(8).position(|t| *t == Tok::Punct(':')) {
            let open = toks[..colon].iter().position(|t| *t == Tok::Punct('('));
            let start = open.map_or(0, |o| o + 1);
            if let Some((found, end)) = parse_person(toks, start) {
                let ends_label = if open.is_some() {
                    punct(toks, end) == Some(')') && end + 1 == colon
                } else {
                    end == colon
                };
                if ends_label && !matches!(found.person, PersonRef::FirstName(_) | PersonRef::Chair)
                {
                    out.push(found);
                    return out;
                }
            }
        }
    }

    // Subject list at the sentence start followed by a speaking verb.
    let (subjects, end) = parse_person_list(toks, 0);
    let no_subject = subjects.is_empty();
    if !no_subject && is_speaking_predicate(toks, end, formal) {
        out.extend(subjects);
    }

    // A title as the subject: "Förvaltningschefen informerar", "Socialchefen redogör för".
    if no_subject {
        if let Some(title) = word(toks, 0).filter(|w| is_title_word(w)) {
            if is_speaking_predicate(toks, 1, formal) {
                out.push(Found {
                    person: PersonRef::Role(indefinite_title(title)),
                    party: None,
                    role: None,
                });
            }
        }
    }

    // Passive: "föredras av X och Y".
    for (k, t) in toks.iter().enumerate() {
        if let Tok::Word(w) = t {
            if PASSIVE_VERBS.contains(w) && word(toks, k + 1) == Some("av") {
                let (agents, _) = parse_person_list(toks, k + 2);
                out.extend(agents);
            }
        }
    }
    out
}
