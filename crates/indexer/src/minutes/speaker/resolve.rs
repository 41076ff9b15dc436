//! From the people found in each sentence to the speakers of each item of one meeting:
//! "Ordföranden" to the chair, a first name or an initial to the full name it refers to, party
//! and role carried over between items.

use std::collections::HashMap;

use super::name::{parse_name, parse_person_list, tokenize, Found, PersonRef, Tok};
use super::patterns::speakers_in_sentence;
use super::spelling::name_key;
use crate::minutes::clean::sentences;
use crate::model::Speaker;

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
    let chair = find_chair(tokenized.iter().flatten());
    // Full names per item, for resolving first names and initials.
    let names: Vec<Vec<String>> = tokenized
        .iter()
        .map(|ps| {
            let mut names = Vec::new();
            for p in ps {
                full_names_in(p, &mut names);
            }
            names
        })
        .collect();

    // Party and role stated anywhere in the meeting carry over to the person's other items.
    let mut stated: HashMap<String, (Option<String>, Option<String>)> = HashMap::new();
    let mut found_per_item: Vec<Vec<Found>> = Vec::with_capacity(items.len());
    for paragraphs in &tokenized {
        let mut found = Vec::new();
        for paragraph in paragraphs {
            for (k, toks) in paragraph.iter().enumerate() {
                found.extend(speakers_in_sentence(toks, k == 0));
            }
        }
        found_per_item.push(found);
    }

    let mut resolved: Vec<Vec<Speaker>> = Vec::with_capacity(items.len());
    for (idx, found) in found_per_item.into_iter().enumerate() {
        let mut speakers: Vec<Speaker> = Vec::new();
        for f in found {
            let Some(mut speaker) = resolve(&f, idx, &names, chair.as_ref()) else {
                continue;
            };
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

pub(super) fn resolve(
    found: &Found,
    item: usize,
    names: &[Vec<String>],
    chair: Option<&Speaker>,
) -> Option<Speaker> {
    let speaker = |name: String| Speaker {
        name,
        party: found.party.clone(),
        role: found.role.clone(),
    };
    match &found.person {
        PersonRef::Full(name) => Some(speaker(name.clone())),
        PersonRef::Chair => chair.cloned(),
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
