//! From the people found in each sentence to the speakers of each item of one meeting:
//! "Ordföranden" to the chair, a first name or an initial to the full name it refers to, party
//! and role carried over between items.

use std::collections::HashMap;

use super::name::{parse_name, parse_person_list, tokenize, Found, PersonRef, Tok};
use super::patterns::speakers_in_sentence;
use super::spelling::{name_key, same_person};
use crate::minutes::clean::sentences;
use crate::model::{Attendee, Speaker};

/// What the meeting's text besides its items tells speaker finding (issue 15).
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// A formal protokoll: only presenting verbs make a speaker, not "yrkar", "föreslår",
    /// "frågar", "konstaterar" (the proceedings of a protokoll, not its presenters).
    pub formal: bool,
    /// The chair as the front page names them, for "Ordföranden".
    pub chair: Option<&'a str>,
    /// Everyone the front page lists (Beslutande and the others present): a speaker's spelling
    /// is theirs, and initials ("FB") and titles ("förvaltningschefen") resolve to them.
    pub people: &'a [Attendee],
}

/// A paragraph as the tokens of each of its sentences.
pub(super) type Paragraph<'a> = Vec<Vec<Tok<'a>>>;

/// Full names (two or more name words) written anywhere in a paragraph, speakers or not: the
/// names a later first name or initial can refer back to.
pub(super) fn full_names_in(paragraph: &Paragraph<'_>, out: &mut Vec<String>) {
    for toks in paragraph {
        let mut i = 0;
        while i < toks.len() {
            match parse_name(toks, i) {
                Some((PersonRef::Full(name), next)) => {
                    out.push(name);
                    i = next;
                }
                Some((_, next)) => i = next.max(i + 1),
                None => i += 1,
            }
        }
    }
}

/// The chair of a meeting, as stated by "X (P), ordförande," or "Ordföranden, X (P),".
pub(super) fn find_chair<'p, 'a: 'p>(
    paragraphs: impl Iterator<Item = &'p Paragraph<'a>>,
) -> Option<Speaker> {
    for paragraph in paragraphs {
        for toks in paragraph {
            let (people, _) = parse_person_list(toks, 0);
            for found in people {
                let is_chair = found
                    .role
                    .as_deref()
                    .is_some_and(|r| r.split(", ").any(|p| p == "ordförande" || p == "ordf"));
                if let (true, PersonRef::Full(name)) = (is_chair, &found.person) {
                    return Some(Speaker {
                        name: name.clone(),
                        party: found.party,
                        role: Some("ordförande".to_string()),
                    });
                }
            }
        }
    }
    None
}

/// Finds the speakers of every item of one meeting.
///
/// `items` holds each item's paragraphs in meeting order. Returns one list per item, each in
/// order of first appearance without duplicates (spelling variants count once).
pub fn meeting_speakers(items: &[Vec<String>]) -> Vec<Vec<Speaker>> {
    meeting_speakers_with(items, &Context::default())
}

/// [`meeting_speakers`] with what the front page says: the layout, the chair and the people
/// of the meeting.
pub fn meeting_speakers_with(items: &[Vec<String>], context: &Context<'_>) -> Vec<Vec<Speaker>> {
    // Each sentence is split and tokenised once and read three times: for the chair, for the
    // full names and for the speakers (issue #7).
    let tokenized: Vec<Vec<Paragraph<'_>>> = items
        .iter()
        .map(|ps| {
            ps.iter()
                .map(|p| sentences(p).into_iter().map(tokenize).collect())
                .collect()
        })
        .collect();
    let chair = context
        .chair
        .map(|name| {
            let listed = context.people.iter().find(|p| p.name == name);
            Speaker {
                name: name.to_string(),
                party: listed.and_then(|p| p.party.clone()),
                role: Some("ordförande".to_string()),
            }
        })
        .or_else(|| find_chair(tokenized.iter().flatten()));
    // Full names per item, for resolving first names and initials.
    let mut names: Vec<Vec<String>> = tokenized
        .iter()
        .map(|ps| {
            let mut names = Vec::new();
            for p in ps {
                full_names_in(p, &mut names);
            }
            names
        })
        .collect();
    // The people of the front page, after every item: found last.
    names.push(context.people.iter().map(|p| p.name.clone()).collect());

    // Party and role stated anywhere in the meeting carry over to the person's other items.
    let mut stated: HashMap<String, (Option<String>, Option<String>)> = HashMap::new();
    let mut found_per_item: Vec<Vec<Found>> = Vec::with_capacity(items.len());
    for (paragraphs, raw) in tokenized.iter().zip(items) {
        let mut found = Vec::new();
        for paragraph in paragraphs {
            for (k, toks) in paragraph.iter().enumerate() {
                found.extend(speakers_in_sentence(toks, k == 0, context.formal));
            }
        }
        if context.formal {
            found.extend(initials_after_topics(raw, context.people));
        }
        found_per_item.push(found);
    }

    let mut resolved: Vec<Vec<Speaker>> = Vec::with_capacity(items.len());
    for (idx, found) in found_per_item.into_iter().enumerate() {
        let mut speakers: Vec<Speaker> = Vec::new();
        for f in found {
            let Some(mut speaker) = resolve(&f, idx, &names, chair.as_ref(), context.people) else {
                continue;
            };
            // The front page's spelling of the person ("Anne Marie Grennhag" in an item is
            // "AnneMarie Grennhag" of the Beslutande).
            if let Some(listed) = context
                .people
                .iter()
                .find(|p| same_person(&p.name, &speaker.name))
            {
                speaker.name.clone_from(&listed.name);
                if speaker.party.is_none() {
                    speaker.party.clone_from(&listed.party);
                }
            }
            let key = name_key(&speaker.name);
            let entry = stated.entry(key.clone()).or_default();
            if f.party.is_some() {
                entry.0.clone_from(&f.party);
            }
            if speaker.role.is_some() && entry.1.is_none() {
                entry.1.clone_from(&speaker.role);
            }
            speaker.party = speaker.party.or_else(|| f.party.clone());
            if let Some(existing) = speakers.iter_mut().find(|s| name_key(&s.name) == key) {
                existing.party = existing.party.take().or(speaker.party);
                existing.role = existing.role.take().or(speaker.role);
            } else {
                speakers.push(speaker);
            }
        }
        resolved.push(speakers);
    }
    for speakers in &mut resolved {
        for s in speakers.iter_mut() {
            if let Some((party, role)) = stated.get(&name_key(&s.name)) {
                if s.party.is_none() {
                    s.party.clone_from(party);
                }
                if s.role.is_none() {
                    s.role.clone_from(role);
                }
            }
        }
    }
    resolved
}

/// Initials written after a topic in a list of reports ("Preliminärt resultat 2019 FB",
/// "Tillväxtschef FB"): the one person of the front page with those initials. Seen in one
/// template (Mellerud 2020-02-26 § 23), but initials as the presenter's mark are common in
/// Word-template protokoll; only initials that fit exactly one listed person count.
fn initials_after_topics(paragraphs: &[String], people: &[Attendee]) -> Vec<Found> {
    if people.is_empty() {
        return Vec::new();
    }
    let initials_of = |name: &str| -> String {
        name.split([' ', '-'])
            .filter_map(|w| w.chars().next())
            .filter(|c| c.is_uppercase())
            .collect()
    };
    let mut out = Vec::new();
    for line in paragraphs.iter().flat_map(|p| p.lines()) {
        let words: Vec<&str> = line.split_whitespace().collect();
        // After a word of the topic, before the next topic (capitalised) or the line's end:
        // PDF text may put a whole list of topics on one line.
        for k in 1..words.len() {
            let token = words[k];
            let is_initials = (2..=3).contains(&token.chars().count())
                && token.chars().all(|c| c.is_uppercase() && c.is_alphabetic());
            let next_ok = words
                .get(k + 1)
                .is_none_or(|w| w.starts_with(char::is_uppercase));
            if !is_initials || !next_ok || matches!(words[k - 1], "Dnr" | "§" | "DNR") {
                continue;
            }
            let fits: Vec<&Attendee> = people
                .iter()
                .filter(|p| initials_of(&p.name) == token)
                .collect();
            if let [one] = fits.as_slice() {
                out.push(Found {
                    person: PersonRef::Full(one.name.clone()),
                    party: one.party.clone(),
                    role: None,
                });
            }
        }
    }
    out
}

pub(super) fn resolve(
    found: &Found,
    item: usize,
    names: &[Vec<String>],
    chair: Option<&Speaker>,
    people: &[Attendee],
) -> Option<Speaker> {
    let speaker = |name: String| Speaker {
        name,
        party: found.party.clone(),
        role: found.role.clone(),
    };
    match &found.person {
        PersonRef::Full(name) => Some(speaker(name.clone())),
        PersonRef::Chair => chair.cloned(),
        PersonRef::Role(title) => {
            // The one person the front page lists with that role ("förvaltningschef").
            let fits: Vec<&Attendee> = people
                .iter()
                .filter(|p| {
                    p.role.as_deref().is_some_and(|r| {
                        r.to_lowercase()
                            .split(|c: char| !c.is_alphanumeric())
                            .any(|w| w == title)
                    })
                })
                .collect();
            match fits.as_slice() {
                [one] => Some(Speaker {
                    name: one.name.clone(),
                    party: one.party.clone(),
                    role: Some(title.clone()),
                }),
                _ => None,
            }
        }
        PersonRef::FirstName(first) => {
            let fits = |n: &&String| n.split(' ').next() == Some(first.as_str());
            // The same item first, then the nearest earlier item, then anywhere in the meeting.
            let hit = names
                .get(item)
                .and_then(|ns| ns.iter().find(fits))
                .or_else(|| {
                    names[..item]
                        .iter()
                        .rev()
                        .find_map(|ns| ns.iter().find(fits))
                })
                .or_else(|| names.iter().find_map(|ns| ns.iter().find(fits)));
            // A lone capitalised word that names nobody in the meeting is not taken as a person.
            hit.map(|n| speaker(n.clone()))
        }
        PersonRef::Initial(first, initial) => {
            let mut candidates: Vec<&String> = names
                .iter()
                .flatten()
                .filter(|n| {
                    let mut parts = n.split(' ');
                    parts.next() == Some(first.as_str()) && parts.any(|p| p.starts_with(*initial))
                })
                .collect();
            candidates.sort();
            candidates.dedup_by(|a, b| name_key(a) == name_key(b));
            match candidates.as_slice() {
                [one] => Some(speaker((*one).clone())),
                _ => Some(speaker(format!("{first} {initial}"))),
            }
        }
    }
}
