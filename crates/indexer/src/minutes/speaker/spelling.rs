//! One spelling per person: the single place that decides which written form of a name is the
//! person's, so the speaker facet counts a person once. Spelling variants ("Hjemgaard-Svensson",
//! "Hjemgaard Svensson") share one [`name_key`]; within a meeting the speakers are merged by it
//! ([`super::meeting_speakers`]), across an archive [`unify`] picks the spelling written most
//! often, and an update [`adopt`]s the spelling the index already holds. Beyond the key,
//! [`same_person`] takes a misspelt surname ("Hjeemgard" for "Hjemgaard", issue 18) or a
//! first name written in two words ("Anne Marie" for "AnneMarie", issue 15) for the same
//! person.

use std::collections::HashMap;

use crate::model::Item;

/// Normalised form of a name for comparing spelling variants: lower case, hyphens as spaces,
/// single spaces ("Hjemgaard-Svensson" and "Hjemgaard Svensson" give the same key).
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
        .replace('-', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The letters of a name in lower case, without spaces and hyphens: "Anne Marie Grennhag"
/// and "AnneMarie Grennhag" give the same.
fn compact(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Edit distance (insertions, deletions, substitutions) of two short strings, counted up to
/// `limit + 1`.
fn edit_distance(a: &[char], b: &[char], limit: usize) -> usize {
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != cb);
            row[j + 1] = substitute.min(prev[j + 1] + 1).min(row[j] + 1);
        }
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()]
}

/// Whether two written names are one person: the same [`name_key`], the same letters with the
/// spaces or hyphens elsewhere ("Anne Marie Grennhag", "AnneMarie Grennhag"), or the same
/// first name and a surname at most two edits apart ("Lise Hjeemgard Svensson", "Lise
/// Hjemgaard Svensson"). Short surnames (under six letters) must be spelt alike, so that "Lena
/// Ek" and "Lena Eka" stay two people.
pub fn same_person(a: &str, b: &str) -> bool {
    let (key_a, key_b) = (name_key(a), name_key(b));
    if key_a == key_b || compact(a) == compact(b) {
        return true;
    }
    let (Some((first_a, rest_a)), Some((first_b, rest_b))) =
        (key_a.split_once(' '), key_b.split_once(' '))
    else {
        return false;
    };
    if first_a != first_b {
        return false;
    }
    let rest_a: Vec<char> = compact(rest_a).chars().collect();
    let rest_b: Vec<char> = compact(rest_b).chars().collect();
    rest_a.len().min(rest_b.len()) >= 6 && edit_distance(&rest_a, &rest_b, 2) <= 2
}

/// The bucket in which [`unify`] looks for other spellings of a name: its first three letters
/// (a first name is never misspelt into another bucket by a space or hyphen).
fn bucket(name: &str) -> String {
    compact(name).chars().take(3).collect()
}

/// One spelling per person across the archive: the one written most often in the texts
/// ("Lise Hjemgaard Svensson" over "Lise Hjemgaard-Svensson" and the misspelt "Lise Hjeemgard
/// Svensson"), so the speaker facet counts a person once. Resolved references ("Ordföranden")
/// do not count as spellings.
pub fn unify(items: &mut [Item]) {
    // Names that are one person ([`same_person`]) share the key of the first seen.
    let mut spellings: HashMap<String, Vec<String>> = HashMap::new();
    let mut keys: Vec<(String, String)> = Vec::new();
    // Spellings seen, by [`bucket`], so a new name is compared with few others.
    let mut buckets: HashMap<String, Vec<usize>> = HashMap::new();
    for speaker in items.iter().flat_map(|i| &i.speakers) {
        let key = name_key(&speaker.name);
        let bucket = buckets.entry(bucket(&speaker.name)).or_default();
        let key = if spellings.contains_key(&key) {
            key
        } else {
            bucket
                .iter()
                .map(|&k| &keys[k])
                .find(|(_, written)| same_person(written, &speaker.name))
                .map_or(key, |(k, _)| k.clone())
        };
        let seen = spellings.entry(key.clone()).or_default();
        if !seen.contains(&speaker.name) {
            seen.push(speaker.name.clone());
            bucket.push(keys.len());
            keys.push((key, speaker.name.clone()));
        }
    }
    let key_of: HashMap<String, String> = keys
        .iter()
        .map(|(k, written)| (written.clone(), k.clone()))
        .collect();
    let canonical: HashMap<String, String> = spellings
        .into_iter()
        .filter(|(_, variants)| variants.len() > 1)
        .filter_map(|(key, variants)| {
            let written = |v: &String| -> usize {
                items
                    .iter()
                    .map(|i| i.text.matches(v.as_str()).count())
                    .sum()
            };
            // Most often written; among equals the first seen.
            let best = variants
                .iter()
                .enumerate()
                .max_by_key(|(i, v)| (written(v), std::cmp::Reverse(*i)))
                .map(|(_, v)| v.clone())?;
            Some((key, best))
        })
        .collect();
    for speaker in items.iter_mut().flat_map(|i| i.speakers.iter_mut()) {
        let key = key_of
            .get(&speaker.name)
            .cloned()
            .unwrap_or_else(|| name_key(&speaker.name));
        if let Some(name) = canonical.get(&key) {
            speaker.name.clone_from(name);
        }
    }
}

/// Gives the speakers of `items` the spelling of `known` (the names an index already holds)
/// that shares their [`name_key`], so a person stays one facet value across updates.
pub fn adopt(known: impl IntoIterator<Item = String>, items: &mut [Item]) {
    let known: Vec<String> = known.into_iter().collect();
    let by_key: HashMap<String, &String> = known.iter().map(|n| (name_key(n), n)).collect();
    for speaker in items.iter_mut().flat_map(|i| i.speakers.iter_mut()) {
        let name = by_key
            .get(&name_key(&speaker.name))
            .copied()
            .or_else(|| known.iter().find(|n| same_person(n, &speaker.name)));
        if let Some(name) = name {
            speaker.name.clone_from(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Meeting, Speaker};

    fn item(text: &str, speakers: &[&str]) -> Item {
        Item {
            id: "m.01".into(),
            meeting: Meeting {
                id: "m".into(),
                body: None,
                date: None,
                date_precision: None,
                date_source: None,
                source: "m.txt".into(),
                attendees: Vec::new(),
                others: Vec::new(),
                justerare: Vec::new(),
                municipality: None,
                chair: None,
                visibility: Default::default(),
            },
            ordinal: 1,
            page: None,
            section: None,
            title: None,
            case_number: None,
            case_references: Vec::new(),
            text: text.into(),
            speakers: speakers
                .iter()
                .map(|n| Speaker {
                    name: (*n).into(),
                    party: None,
                    role: None,
                })
                .collect(),
            municipalities: Vec::new(),
            decisions: Vec::new(),
            language: None,
        }
    }

    #[test]
    fn misspelt_surname_is_the_same_person() {
        assert!(same_person(
            "Lise Hjeemgard Svensson",
            "Lise Hjemgaard Svensson"
        ));
        assert!(same_person("Anne Marie Grennhag", "AnneMarie Grennhag"));
        assert!(!same_person(
            "Lise Hjemgaard Svensson",
            "Lisa Hjemgaard Svensson"
        ));
        assert!(!same_person("Lena Ek", "Lena Eka"));
        assert!(!same_person("Anna Carlsson", "Anna Karlström"));
    }

    #[test]
    fn unify_takes_the_spelling_written_most_often_across_meetings() {
        let mut items = vec![
            item(
                "Lise Hjemgaard Svensson öppnar. Lise Hjemgaard Svensson tackar.",
                &["Lise Hjemgaard Svensson"],
            ),
            item(
                "Lise Hjeemgard Svensson öppnar.",
                &["Lise Hjeemgard Svensson"],
            ),
            item(
                "Lise Hjemgaard-Svensson öppnar.",
                &["Lise Hjemgaard-Svensson"],
            ),
            item("Anna Carlsson informerar.", &["Anna Carlsson"]),
        ];
        unify(&mut items);
        let names: Vec<&str> = items.iter().map(|i| i.speakers[0].name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Lise Hjemgaard Svensson",
                "Lise Hjemgaard Svensson",
                "Lise Hjemgaard Svensson",
                "Anna Carlsson"
            ]
        );
    }

    #[test]
    fn adopt_takes_the_index_spelling_of_a_misspelt_name() {
        let mut items = vec![item("x", &["Lise Hjeemgard Svensson"])];
        adopt(["Lise Hjemgaard Svensson".to_string()], &mut items);
        assert_eq!(items[0].speakers[0].name, "Lise Hjemgaard Svensson");
    }
}
