//! Who speaks in an item: the people who present, inform, answer or comment, not the people
//! who are merely named.
//!
//! The patterns are those of DOMAIN.md § 3:
//! - a subject list at the start of a sentence followed by a speaking verb: "Ingela Jönsson
//!   föredrar ärendet", "Elin Ring och Lisbet Gibson föredrar punkten", "Elsy Bäckström gör en
//!   genomgång", "Lena Danielsson replikerar";
//! - apposition with party and role: "Lise Hjemgaard-Svensson (M), ordförande, öppnar mötet",
//!   "Thomas Andersson, Folkhälsoenheten, informerar", "Ordföranden, Elise Ryder Wikén (M),
//!   hälsar välkommen";
//! - the passive "Ärendet föredras av Elin Ring och Jan Persson";
//! - roll-call labels with initials: "Regionen (Anna F): …", "Maria S: …".
//!
//! "Ordföranden" resolves to the chair of that meeting; a lone first name ("Anna förtydligar")
//! resolves to the full name met in the same item, else earlier in the meeting; an initial
//! ("Anna F") resolves to the one full name of the meeting it fits. Spelling variants
//! ("Hjemgaard-Svensson", "Hjemgaard Svensson") share one [`name_key`]. A sentence such as
//! "Anna Frisk är utsett till samordnare" has no speaking verb, so Anna Frisk is not a speaker.

use std::collections::HashMap;

use crate::minutes::clean::sentences;
use crate::model::Speaker;

/// Verbs that make the subject of a sentence a speaker (present and past tense).
const SPEAKING_VERBS: &[&str] = &[
    "avslutar",
    "avslutade",
    "berättar",
    "berättade",
    "beskriver",
    "beskrev",
    "betonar",
    "delger",
    "förklarar",
    "förklarade",
    "föreslår",
    "föreslog",
    "föredrar",
    "föredrog",
    "förtydligar",
    "förtydligade",
    "frågar",
    "frågade",
    "framför",
    "framförde",
    "hälsar",
    "hälsade",
    "informerar",
    "informerade",
    "inleder",
    "inledde",
    "instämmer",
    "klargör",
    "kommenterar",
    "kommenterade",
    "kompletterar",
    "kompletterade",
    "konstaterar",
    "meddelar",
    "meddelade",
    "öppnar",
    "öppnade",
    "påminner",
    "poängterar",
    "presenterar",
    "presenterade",
    "rapporterar",
    "rapporterade",
    "redogör",
    "redogjorde",
    "redovisar",
    "redovisade",
    "replikerar",
    "replikerade",
    "riktar",
    "sammanfattar",
    "sammanfattade",
    "summerar",
    "svarar",
    "svarade",
    "tackar",
    "tackade",
    "tillägger",
    "understryker",
    "återkopplar",
    "uppdaterar",
    "uppmanar",
    "välkomnar",
    "yrkar",
    "yrkade",
];

/// Passive forms after which "av X" names the speaker: "Ärendet föredras av X".
const PASSIVE_VERBS: &[&str] = &[
    "föredras",
    "föredrogs",
    "presenteras",
    "presenterades",
    "redovisas",
    "redovisades",
    "kompletteras",
    "kompletterades",
    "besvaras",
    "besvarades",
    "redogörs",
    "informeras",
];

/// Capitalised words that start sentences but are never part of a person's name.
const NOT_NAMES: &[&str] = &[
    "Alla",
    "Andra",
    "Angående",
    "Arbetsgruppen",
    "Avtalet",
    "Bakgrund",
    "Beslut",
    "Bilaga",
    "Bilagor",
    "Både",
    "De",
    "Dock",
    "Den",
    "Denna",
    "Deras",
    "Det",
    "Detta",
    "Dessa",
    "Dessutom",
    "Diskussion",
    "Diskussionen",
    "Där",
    "Därefter",
    "Efter",
    "Eftersom",
    "En",
    "Enligt",
    "Ett",
    "Frågan",
    "Från",
    "Förvaltningen",
    "Han",
    "Hon",
    "Här",
    "I",
    "Inga",
    "Ingen",
    "Inget",
    "Inför",
    "Inledningsvis",
    "Jag",
    "Kommunen",
    "Kommunerna",
    "Ledamot",
    "Ledamoten",
    "Ledamöter",
    "Ledamöterna",
    "Man",
    "Med",
    "Men",
    "Mötet",
    "Nu",
    "När",
    "Nämnden",
    "Och",
    "Om",
    "Ordförande",
    "Ordföranden",
    "Presidiet",
    "Punkten",
    "På",
    "Region",
    "Regionen",
    "Sedan",
    "Sekreterare",
    "Sekreteraren",
    "Som",
    "Status",
    "Styrelsen",
    "Svar",
    "Så",
    "Till",
    "Under",
    "Utifrån",
    "Vi",
    "Vid",
    "Vidare",
    "Även",
    "Ärendet",
    "Övriga",
];

/// Name particles that may stand between capitalised parts ("Munck af Rosenschöld").
const PARTICLES: &[&str] = &["af", "von", "van", "de", "der", "la", "di"];

/// Party letters as written in Swedish minutes (DOMAIN.md § 3), plus common local parties.
const PARTIES: &[&str] = &[
    "S", "M", "SD", "C", "V", "KD", "L", "MP", "FP", "JP", "SPI", "KP", "BP", "ÖP",
];

/// The words that name the chair of the meeting.
const CHAIR_WORDS: &[&str] = &["Ordföranden", "Ordförande"];

/// Normalised form of a name for comparing spelling variants: lower case, hyphens as spaces,
/// single spaces ("Hjemgaard-Svensson" and "Hjemgaard Svensson" give the same key).
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
        .replace('-', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A person as first found in a sentence, before resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PersonRef {
    /// Two or more name words: "Ingela Jönsson".
    Full(String),
    /// One name word: "Anna".
    FirstName(String),
    /// A first name and an initial: "Anna F".
    Initial(String, char),
    /// "Ordföranden".
    Chair,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Found {
    person: PersonRef,
    party: Option<String>,
    role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok<'a> {
    Word(&'a str),
    Punct(char),
}

fn tokenize(s: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in s.char_indices() {
        let is_word = c.is_alphanumeric() || ((c == '-' || c == '\'') && start.is_some());
        if is_word {
            if start.is_none() {
                start = Some(i);
            }
            continue;
        }
        if let Some(st) = start.take() {
            out.push(Tok::Word(s[st..i].trim_end_matches(['-', '\''])));
        }
        if matches!(c, ',' | '(' | ')' | ':' | '.' | ';' | '!' | '?') {
            out.push(Tok::Punct(c));
        }
    }
    if let Some(st) = start {
        out.push(Tok::Word(s[st..].trim_end_matches(['-', '\''])));
    }
    out
}

fn is_name_word(w: &str) -> bool {
    let mut chars = w.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_uppercase()
        || NOT_NAMES.contains(&w)
        || CHAIR_WORDS.contains(&w)
        || is_title_word(w)
    {
        return false;
    }
    // Each hyphenated part capitalised ("Hjemgaard-Svensson"), with lower-case letters after
    // the first, so acronyms (SKR, BUP, "IVO-rapport") are not names.
    w.split('-').all(|part| {
        let mut cs = part.chars();
        matches!(cs.next(), Some(c) if c.is_uppercase())
            && cs.clone().next().is_some()
            && cs.all(|c| c.is_lowercase() || c == '\'')
    })
}

/// Official titles written before a name in formal protokoll ("Socialchef Eva Holm föredrar",
/// "Kommunchefen Ola Skyllbäck informerar"): a role, not part of the name.
fn is_title_word(w: &str) -> bool {
    const TITLE_ENDINGS: &[&str] = &[
        "chef",
        "chefen",
        "sekreterare",
        "sekreteraren",
        "handläggare",
        "handläggaren",
        "strateg",
        "strategen",
        "direktör",
        "direktören",
        "samordnare",
        "samordnaren",
    ];
    // The lower case of the word's last characters, enough for the longest ending, built once
    // for all endings (issue #7); reversed.
    const LONGEST: usize = 12;
    // Most words end in a letter no ending ends in.
    if w.chars().next_back().is_some_and(|c| {
        c.is_ascii() && !matches!(c.to_ascii_lowercase(), 'f' | 'n' | 'e' | 'g' | 'r')
    }) {
        return false;
    }
    let mut tail = ['\0'; LONGEST];
    let mut len = 0;
    for c in w.chars().rev() {
        if c.is_ascii() {
            tail[len] = c.to_ascii_lowercase();
            len += 1;
        } else {
            for l in c.to_lowercase().rev() {
                if len < LONGEST {
                    tail[len] = l;
                    len += 1;
                }
            }
        }
        if len == LONGEST {
            break;
        }
    }
    let tail = &tail[..len];
    TITLE_ENDINGS.iter().any(|e| {
        debug_assert!(e.chars().count() <= LONGEST);
        let mut reversed = tail.iter();
        e.chars().rev().all(|c| reversed.next() == Some(&c))
    })
}

/// A title as a role, in its indefinite form: "Kommunchefen" gives "kommunchef".
fn indefinite_title(title: &str) -> String {
    let lower = title.to_lowercase();
    if let Some(stem) = lower
        .strip_suffix("en")
        .filter(|s| s.ends_with("chef") || s.ends_with("strateg") || s.ends_with("direktör"))
    {
        return stem.to_string();
    }
    if let Some(stem) = lower.strip_suffix('n').filter(|s| s.ends_with("are")) {
        return stem.to_string();
    }
    lower
}

fn is_initial(w: &str) -> bool {
    let mut chars = w.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

fn word<'a>(toks: &[Tok<'a>], i: usize) -> Option<&'a str> {
    match toks.get(i) {
        Some(Tok::Word(w)) => Some(w),
        _ => None,
    }
}

fn punct(toks: &[Tok<'_>], i: usize) -> Option<char> {
    match toks.get(i) {
        Some(Tok::Punct(c)) => Some(*c),
        _ => None,
    }
}

/// Reads name words from `i`: up to four capitalised words (particles allowed between) and an
/// optional trailing initial. Returns the reference and the index after it.
fn parse_name(toks: &[Tok<'_>], i: usize) -> Option<(PersonRef, usize)> {
    let mut parts: Vec<&str> = Vec::new();
    let mut j = i;
    while parts.len() < 4 {
        match word(toks, j) {
            Some(w) if is_name_word(w) => {
                parts.push(w);
                j += 1;
            }
            Some(w)
                if !parts.is_empty()
                    && PARTICLES.contains(&w)
                    && word(toks, j + 1).is_some_and(is_name_word) =>
            {
                parts.push(w);
                j += 1;
            }
            _ => break,
        }
    }
    if parts.is_empty() {
        return None;
    }
    if parts.len() == 1 {
        if let Some(w) = word(toks, j).filter(|w| is_initial(w)) {
            let initial = w.chars().next()?;
            // "Anna F." is still the initial; skip its full stop.
            let next = if punct(toks, j + 1) == Some('.') {
                j + 2
            } else {
                j + 1
            };
            return Some((PersonRef::Initial(parts[0].to_string(), initial), next));
        }
        return Some((PersonRef::FirstName(parts[0].to_string()), j));
    }
    Some((PersonRef::Full(parts.join(" ")), j))
}

/// Reads one person with an optional "(party)" and ", role," apposition.
fn parse_person(toks: &[Tok<'_>], i: usize) -> Option<(Found, usize)> {
    if word(toks, i).is_some_and(|w| CHAIR_WORDS.contains(&w)) {
        // "Ordföranden, Elise Ryder Wikén (M), hälsar välkommen": the apposition names the chair.
        if punct(toks, i + 1) == Some(',') {
            if let Some((mut found, next)) = parse_person(toks, i + 2) {
                if matches!(found.person, PersonRef::Full(_)) {
                    found.role.get_or_insert_with(|| "ordförande".to_string());
                    let next = if punct(toks, next) == Some(',') {
                        next + 1
                    } else {
                        next
                    };
                    return Some((found, next));
                }
            }
        }
        let found = Found {
            person: PersonRef::Chair,
            party: None,
            role: Some("ordförande".to_string()),
        };
        return Some((found, i + 1));
    }
    if let Some(title) = word(toks, i).filter(|w| is_title_word(w)) {
        // "Socialchef Eva Holm föredrar": the title is the role of the name after it.
        if let Some((mut found, next)) = parse_person(toks, i + 1) {
            if matches!(found.person, PersonRef::Full(_)) {
                found.role.get_or_insert_with(|| indefinite_title(title));
                return Some((found, next));
            }
        }
    }
    let (person, mut j) = parse_name(toks, i)?;
    let mut found = Found {
        person,
        party: None,
        role: None,
    };
    // "(M)" or "(Region JH)".
    if punct(toks, j) == Some('(') {
        let close = (j + 1..toks.len().min(j + 8)).find(|&k| punct(toks, k) == Some(')'));
        if let Some(close) = close {
            let inner: Vec<&str> = (j + 1..close).filter_map(|k| word(toks, k)).collect();
            if inner.len() == 1 && PARTIES.contains(&inner[0]) {
                found.party = Some(inner[0].to_string());
            } else if !inner.is_empty() {
                found.role = Some(inner.join(" "));
            }
            j = close + 1;
        }
    }
    // ", ordförande," or ", Folkhälsoenheten," — but not ", Maria Höög," (a list).
    if punct(toks, j) == Some(',') {
        let close = (j + 1..toks.len().min(j + 7)).find(|&k| punct(toks, k) == Some(','));
        if let Some(close) = close {
            let inner: Vec<&str> = (j + 1..close).filter_map(|k| word(toks, k)).collect();
            let is_list_item = matches!(parse_name(toks, j + 1), Some((PersonRef::Full(_), e)) if e == close)
                || inner.iter().any(|w| SPEAKING_VERBS.contains(w));
            if !inner.is_empty() && close == j + 1 + inner.len() && !is_list_item {
                let role = inner.join(" ");
                match found.role {
                    Some(ref mut r) => *r = format!("{r}, {role}"),
                    None => found.role = Some(role),
                }
                j = close + 1;
            }
        }
    }
    Some((found, j))
}

/// Reads "A, B och C" from `i`.
fn parse_person_list(toks: &[Tok<'_>], i: usize) -> (Vec<Found>, usize) {
    let mut out = Vec::new();
    let mut j = i;
    while let Some((found, next)) = parse_person(toks, j) {
        out.push(found);
        j = next;
        let separator = punct(toks, j) == Some(',') || word(toks, j) == Some("och");
        if separator && parse_person(toks, j + 1).is_some() {
            j += 1;
        } else {
            break;
        }
    }
    (out, j)
}

/// Whether the words from `i` are a speaking predicate.
fn is_speaking_predicate(toks: &[Tok<'_>], i: usize) -> bool {
    let Some(verb) = word(toks, i) else {
        return false;
    };
    let next = word(toks, i + 1);
    let after = word(toks, i + 2);
    match verb {
        "går" | "gick" => next == Some("igenom"),
        "tar" | "tog" => next == Some("upp"),
        "ställer" | "ställde" => next.is_some_and(|w| w.starts_with("fråg")),
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
        v => SPEAKING_VERBS.contains(&v),
    }
}

/// Speakers found in one sentence (its tokens), unresolved.
fn speakers_in_sentence(toks: &[Tok<'_>], at_paragraph_start: bool) -> Vec<Found> {
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
    if !subjects.is_empty() && is_speaking_predicate(toks, end) {
        out.extend(subjects);
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

/// A paragraph as the tokens of each of its sentences.
type Paragraph<'a> = Vec<Vec<Tok<'a>>>;

/// Full names (two or more name words) written anywhere in a paragraph, speakers or not: the
/// names a later first name or initial can refer back to.
fn full_names_in(paragraph: &Paragraph<'_>, out: &mut Vec<String>) {
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
fn find_chair<'p, 'a: 'p>(paragraphs: impl Iterator<Item = &'p Paragraph<'a>>) -> Option<Speaker> {
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

fn resolve(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names_of(text: &str) -> Vec<String> {
        let paragraphs: Vec<String> = text.split("\n\n").map(str::to_string).collect();
        meeting_speakers(&[paragraphs])
            .remove(0)
            .into_iter()
            .map(|s| s.name)
            .collect()
    }

    fn speakers(items: &[&str]) -> Vec<Vec<Speaker>> {
        let items: Vec<Vec<String>> = items
            .iter()
            .map(|t| t.split("\n\n").map(str::to_string).collect())
            .collect();
        meeting_speakers(&items)
    }

    fn sp(name: &str, party: Option<&str>, role: Option<&str>) -> Speaker {
        Speaker {
            name: name.into(),
            party: party.map(Into::into),
            role: role.map(Into::into),
        }
    }

    #[test]
    fn passive_with_two_presenters() {
        assert_eq!(
            names_of("Ärendet föredras av Elin Ring och Jan Persson."),
            vec!["Elin Ring", "Jan Persson"]
        );
    }

    #[test]
    fn presenter_verbs() {
        for (sentence, name) in [
            ("Ingela Jönsson föredrar ärendet.", "Ingela Jönsson"),
            (
                "Thomas Andersson informerar om projektet.",
                "Thomas Andersson",
            ),
            (
                "Elsy Bäckström gör en genomgång av statistiken.",
                "Elsy Bäckström",
            ),
            ("Elsy Bäckström går igenom ändringarna.", "Elsy Bäckström"),
            ("Elin Ring kompletterar med att enkät kommer.", "Elin Ring"),
            (
                "Anna Fremner svarar om ansvarsfördelningen.",
                "Anna Fremner",
            ),
            ("Lena Danielsson förtydligar syftet.", "Lena Danielsson"),
            (
                "Lena Danielsson replikerar att gruppen behöver ett uppdrag.",
                "Lena Danielsson",
            ),
            ("Maria Höög redogör för status.", "Maria Höög"),
            (
                "Jessica Isaksson sammanfattar resultaten.",
                "Jessica Isaksson",
            ),
            ("Urban Tirén presenterar rapporten.", "Urban Tirén"),
            ("Robert Brandt berättar om arbetet.", "Robert Brandt"),
        ] {
            assert_eq!(names_of(sentence), vec![name], "{sentence}");
        }
    }

    #[test]
    fn a_title_before_the_name_is_not_part_of_it() {
        assert_eq!(
            names_of("Socialchef Eva Holm föredrar ärendet."),
            vec!["Eva Holm"]
        );
        assert_eq!(
            speakers(&["Kommunchefen Ola Skyllbäck informerar om budgeten."]),
            vec![vec![Speaker {
                name: "Ola Skyllbäck".into(),
                party: None,
                role: Some("kommunchef".into())
            }]]
        );
    }

    #[test]
    fn subject_list_with_och() {
        assert_eq!(
            names_of("Lisbet Gibson och Robert Brandt kompletterar informationen."),
            vec!["Lisbet Gibson", "Robert Brandt"]
        );
    }

    #[test]
    fn apposition_with_party_and_role() {
        assert_eq!(
            speakers(&[
                "Lise Hjemgaard-Svensson (M), ordförande, öppnar mötet och hälsar välkommen."
            ]),
            vec![vec![sp(
                "Lise Hjemgaard-Svensson",
                Some("M"),
                Some("ordförande")
            )]]
        );
        assert_eq!(
            speakers(&["Thomas Andersson, Folkhälsoenheten, informerar om projektet."]),
            vec![vec![sp("Thomas Andersson", None, Some("Folkhälsoenheten"))]]
        );
        assert_eq!(
            speakers(&["Christian Åhrén, sekreterare, informerar om att presidiet har beslutat."]),
            vec![vec![sp("Christian Åhrén", None, Some("sekreterare"))]]
        );
    }

    #[test]
    fn chair_named_in_apposition_after_ordforanden() {
        assert_eq!(
            speakers(&[
                "Ordföranden, Elise Ryder Wikén (M), hälsar välkommen och öppnar mötet.",
                "Ordföranden går igenom föregående protokoll."
            ]),
            vec![
                vec![sp("Elise Ryder Wikén", Some("M"), Some("ordförande"))],
                vec![sp("Elise Ryder Wikén", Some("M"), Some("ordförande"))]
            ]
        );
    }

    #[test]
    fn ordforanden_resolves_to_chair() {
        let got = speakers(&[
            "Lise Hjemgaard Svensson (M), ordförande, hälsar välkommen.",
            "Ordföranden föredrar föregående protokoll.",
        ]);
        assert_eq!(
            got[1],
            vec![sp("Lise Hjemgaard Svensson", Some("M"), Some("ordförande"))]
        );
    }

    #[test]
    fn ordforanden_without_known_chair_is_nobody() {
        assert_eq!(
            names_of("Ordföranden tackar deltagarna."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn lone_first_name_resolves_within_item() {
        assert_eq!(
            names_of("Anna Kråik Åström föredrar ärendet. Anna förtydligar bakgrunden."),
            vec!["Anna Kråik Åström"]
        );
        assert_eq!(
            names_of("Veronica Molander och Maria Höög föredrar punkten.\n\nVeronica och Maria går igenom bakgrunden."),
            vec!["Veronica Molander", "Maria Höög"]
        );
    }

    #[test]
    fn lone_first_name_resolves_to_earlier_item() {
        let got = speakers(&[
            "Ingela Jönsson föredrar ärendet.",
            "Ingela går igenom listan.",
        ]);
        assert_eq!(got[1], vec![sp("Ingela Jönsson", None, None)]);
    }

    #[test]
    fn unknown_lone_word_is_not_a_speaker() {
        assert_eq!(
            names_of("Regionen klargör att det finns ett system."),
            Vec::<String>::new()
        );
        assert_eq!(
            names_of("Ledamöter lyfter att det går långsamt."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn mentioned_name_is_not_speaker() {
        assert_eq!(
            names_of("Anna Frisk är utsett till samordnare. Henrik Walström har ett uppdrag."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn initials_in_roll_call() {
        assert_eq!(
            names_of("Maria S: Det är ett ansträngt läge."),
            vec!["Maria S"]
        );
        // The initial fits exactly one full name of the meeting.
        let got = speakers(&[
            "Ingela Jönsson informerar. Anna Frisk är utsett till samordnare.",
            "Östersund: Det finns smitta.\n\nRegionen (Anna F): Vi har bytt lab.",
        ]);
        assert_eq!(got[1], vec![sp("Anna Frisk", None, None)]);
    }

    #[test]
    fn municipality_roll_call_is_not_a_person() {
        assert_eq!(
            names_of("Krokom: Vi har haft tre tuffa veckor."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn spelling_variants_are_one_person() {
        assert_eq!(
            name_key("Lise Hjemgaard-Svensson"),
            name_key("Lise Hjemgaard Svensson")
        );
        assert_eq!(
            names_of("Lise Hjemgaard-Svensson föredrar. Lise Hjemgaard Svensson kompletterar."),
            vec!["Lise Hjemgaard-Svensson"]
        );
    }

    #[test]
    fn affiliation_in_parentheses_is_a_role() {
        assert_eq!(
            speakers(&["Göran Hallman (Region JH) och Catrin Skoglund (Länsstyrelsen) föredrar."]),
            vec![vec![
                sp("Göran Hallman", None, Some("Region JH")),
                sp("Catrin Skoglund", None, Some("Länsstyrelsen"))
            ]]
        );
    }

    #[test]
    fn list_of_four_is_not_an_apposition() {
        assert_eq!(
            names_of("Veronica Molander, Maria Höög, Elin Ring och Jessica Isaksson presenterar workshopen."),
            vec!["Veronica Molander", "Maria Höög", "Elin Ring", "Jessica Isaksson"]
        );
    }

    #[test]
    fn names_that_are_words() {
        assert_eq!(
            names_of("Elin Ring och Lisbet Gibson föredrar punkten."),
            vec!["Elin Ring", "Lisbet Gibson"]
        );
    }

    #[test]
    fn particles_in_surnames() {
        assert_eq!(
            names_of("Mikaela Munck af Rosenschöld informerar."),
            vec!["Mikaela Munck af Rosenschöld"]
        );
    }
}
