//! Reading a person from a sentence's tokens: a name (full, first name, first name and
//! initial, or "Ordföranden") with its "(party)" and ", role," apposition, and lists of them.

use super::lexicon::{
    indefinite_title, is_title_word, CHAIR_WORDS, NOT_NAMES, PARTICLES, PARTIES, SPEAKING_VERBS,
};

/// A person as first found in a sentence, before resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum PersonRef {
    /// Two or more name words: "Ingela Jönsson".
    Full(String),
    /// One name word: "Anna".
    FirstName(String),
    /// A first name and an initial: "Anna F".
    Initial(String, char),
    /// "Ordföranden".
    Chair,
    /// A title standing for a person: "Förvaltningschefen informerar" (the indefinite title,
    /// "förvaltningschef"), resolved to the one person the meeting lists with that role.
    Role(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Found {
    pub(super) person: PersonRef,
    pub(super) party: Option<String>,
    pub(super) role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok<'a> {
    Word(&'a str),
    Punct(char),
}

pub(super) fn tokenize(s: &str) -> Vec<Tok<'_>> {
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

pub(super) fn is_name_word(w: &str) -> bool {
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
    // Each hyphenated part capitalised ("Hjemgaard-Svensson"), with a lower-case letter after
    // the first, so acronyms (SKR, BUP, "IVO-rapport") are not names; a capital inside follows
    // a lower-case letter ("AnneMarie", issue 15).
    w.split('-').all(|part| {
        let mut cs = part.chars();
        let (Some(first), Some(second)) = (cs.next(), cs.next()) else {
            return false;
        };
        let mut previous = second;
        first.is_uppercase()
            && second.is_lowercase()
            && cs.all(|c| {
                let ok =
                    c.is_lowercase() || c == '\'' || (c.is_uppercase() && previous.is_lowercase());
                previous = c;
                ok
            })
    })
}

pub(super) fn is_initial(w: &str) -> bool {
    let mut chars = w.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

pub(super) fn word<'a>(toks: &[Tok<'a>], i: usize) -> Option<&'a str> {
    match toks.get(i) {
        Some(Tok::Word(w)) => Some(w),
        _ => None,
    }
}

pub(super) fn punct(toks: &[Tok<'_>], i: usize) -> Option<char> {
    match toks.get(i) {
        Some(Tok::Punct(c)) => Some(*c),
        _ => None,
    }
}

/// Reads name words from `i`: up to four capitalised words (particles allowed between) and an
/// optional trailing initial. Returns the reference and the index after it.
pub(super) fn parse_name(toks: &[Tok<'_>], i: usize) -> Option<(PersonRef, usize)> {
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
pub(super) fn parse_person(toks: &[Tok<'_>], i: usize) -> Option<(Found, usize)> {
    if word(toks, i).is_some_and(|w| CHAIR_WORDS.contains(&w)) {
        // "Ordförande AnneMarie Grennhag (M) meddelar": the chair's title before the name.
        if let Some((mut found, next)) = parse_person(toks, i + 1) {
            if matches!(found.person, PersonRef::Full(_)) {
                found.role.get_or_insert_with(|| "ordförande".to_string());
                return Some((found, next));
            }
        }
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
    // "David Norrfjärd, chef grundskola samt Peter Lindström chef förskola besvarar": a title
    // in lower case and up to two words more, ended by a list word or a speaking verb.
    if let Some((role, next)) = trailing_title(toks, j) {
        match found.role {
            Some(ref mut r) => *r = format!("{r}, {role}"),
            None => found.role = Some(role),
        }
        j = next;
    }
    Some((found, j))
}

/// A lower-case title after a name, with or without a comma before it: the role and the
/// index after it, when a list word ("och", "samt", ",") or a speaking verb follows.
fn trailing_title(toks: &[Tok<'_>], j: usize) -> Option<(String, usize)> {
    let start = if punct(toks, j) == Some(',') {
        j + 1
    } else {
        j
    };
    let title = word(toks, start)?;
    if !title.starts_with(char::is_lowercase) || !is_title_word(title) {
        return None;
    }
    let mut end = start + 1;
    while end < start + 3 {
        match word(toks, end) {
            Some(w)
                if w.starts_with(char::is_lowercase)
                    && !matches!(w, "och" | "samt")
                    && !SPEAKING_VERBS.contains(&w) =>
            {
                end += 1;
            }
            _ => break,
        }
    }
    let ends_well = matches!(word(toks, end), Some("och" | "samt"))
        || punct(toks, end) == Some(',')
        || word(toks, end).is_some_and(|w| SPEAKING_VERBS.contains(&w));
    if !ends_well {
        return None;
    }
    let role: Vec<&str> = (start..end).filter_map(|k| word(toks, k)).collect();
    Some((role.join(" "), end))
}

/// Reads "A, B och C" from `i`.
pub(super) fn parse_person_list(toks: &[Tok<'_>], i: usize) -> (Vec<Found>, usize) {
    let mut out = Vec::new();
    let mut j = i;
    while let Some((found, next)) = parse_person(toks, j) {
        out.push(found);
        j = next;
        let separator =
            punct(toks, j) == Some(',') || matches!(word(toks, j), Some("och" | "samt"));
        if separator && parse_person(toks, j + 1).is_some() {
            j += 1;
        } else {
            break;
        }
    }
    (out, j)
}
