//! One spelling per person: the single place that decides which written form of a name is the
//! person's, so the speaker facet counts a person once. Spelling variants ("Hjemgaard-Svensson",
//! "Hjemgaard Svensson") share one [`name_key`]; within a meeting the speakers are merged by it
//! ([`super::meeting_speakers`]), across an archive [`unify`] picks the spelling written most
//! often, and an update [`adopt`]s the spelling the index already holds.

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

/// One spelling per person across the archive: the one written most often in the texts
/// ("Lise Hjemgaard Svensson" over "Lise Hjemgaard-Svensson"), so the speaker facet counts a
/// person once. Resolved references ("Ordföranden") do not count as spellings.
pub fn unify(items: &mut [Item]) {
    let mut spellings: HashMap<String, Vec<String>> = HashMap::new();
    for speaker in items.iter().flat_map(|i| &i.speakers) {
        let seen = spellings.entry(name_key(&speaker.name)).or_default();
        if !seen.contains(&speaker.name) {
            seen.push(speaker.name.clone());
        }
    }
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
        if let Some(name) = canonical.get(&name_key(&speaker.name)) {
            speaker.name.clone_from(name);
        }
    }
}

/// Gives the speakers of `items` the spelling of `known` (the names an index already holds)
/// that shares their [`name_key`], so a person stays one facet value across updates.
pub fn adopt(known: impl IntoIterator<Item = String>, items: &mut [Item]) {
    let known: HashMap<String, String> = known.into_iter().map(|n| (name_key(&n), n)).collect();
    for speaker in items.iter_mut().flat_map(|i| i.speakers.iter_mut()) {
        if let Some(name) = known.get(&name_key(&speaker.name)) {
            speaker.name.clone_from(name);
        }
    }
}
