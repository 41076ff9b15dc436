//! The front page of a formal protokoll (docs/domain.md § 2, issue 15): who took the decisions
//! ("Beslutande": ledamöter and tjänstgörande ersättare, with party and role), who else was
//! there ("Övriga deltagare", "Övriga närvarande", "Ej tjänstgörande ersättare", with role), who
//! checks the minutes and who chaired.
//!
//! The meeting systems print the same template in several shapes, all read by one rule (a
//! name of two to four capitalised words, then its party in parentheses or after a comma, then
//! a role in lower case), line by line from a label to the next:
//!
//! - `Anette Levin, ordf. (L) §§ 22-25, 27-38` (role before the party, § ranges after);
//! - `Charlott Enocson (M), Ordförande` / `Marie Nilsson (M), 1:e vice ordförande`;
//! - `AnneMarie Grennhag (M) ordförande Thomas Bäuml (M) Inger Grund (M) ersätter Magnus Crona
//!   (M) …` (a whole list flattened onto one line);
//! - `Maria Söderberg, C, ordf Leif Olsson, C, tjg ers för Ulf Jonasson, C` (PDF text).
//!
//! A member named after "ersätter" or "för" is the one replaced, absent from the meeting.
//!
//! ```
//! use paragraf_indexer::minutes::cover::read_cover;
//!
//! let lines: Vec<String> = [
//!     "Beslutande",
//!     "Ledamöter Anette Levin, ordf. (L) §§ 22-25, 27-38",
//!     "Tjänstgörande ersättare Katarina Kvantenå (M) för Henrik Nilsson (M)",
//!     "Övriga närvarande",
//!     "Tjänstepersoner Filip Björndahl, bygglovhandläggare",
//!     "Utses att justera",
//!     "Justerare Katarina Kvantenå (M)",
//! ]
//! .map(String::from)
//! .to_vec();
//! let cover = read_cover(&lines);
//! let names: Vec<&str> = cover.attendees.iter().map(|a| a.name.as_str()).collect();
//! assert_eq!(names, ["Anette Levin", "Katarina Kvantenå"]);
//! assert_eq!(cover.others[0].role.as_deref(), Some("bygglovhandläggare"));
//! assert_eq!(cover.chair.as_deref(), Some("Anette Levin"));
//! assert_eq!(cover.justerare, ["Katarina Kvantenå"]);
//! ```

use std::sync::LazyLock;

use regex::Regex;

use crate::minutes::protokoll::justerare;
use crate::model::Attendee;

/// What a protokoll's front page says about the people of the meeting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cover {
    /// "Beslutande": members and serving substitutes, in printed order, each once.
    pub attendees: Vec<Attendee>,
    /// Everyone else listed as present, with their role.
    pub others: Vec<Attendee>,
    /// The members who check the minutes.
    pub justerare: Vec<String>,
    /// The chair: the member listed as ordförande (not vice, not one who is jäv), else the name
    /// signed under "Ordförande".
    pub chair: Option<String>,
}

/// Reads the front page from its lines (the text before the first §).
pub fn read_cover(lines: &[String]) -> Cover {
    let text = lines.join("\n");
    let members = read_people(&text, ATTENDEE_LABELS, true);
    let others = read_people(&text, OTHER_LABELS, false);
    let attendees: Vec<Attendee> = members.iter().map(|p| p.attendee.clone()).collect();
    let justerare = justerare(&lines.join(" "), &attendees);
    let chair = members
        .iter()
        .find(|p| {
            p.attendee.role.as_deref().is_some_and(|r| {
                let r = r.to_lowercase();
                (r.contains("ordförande") || r.starts_with("ordf")) && !r.contains("vice")
            }) && !p.absent_in_part
        })
        .map(|p| p.attendee.name.clone())
        .or_else(|| signed_chair(&text));
    let others = others
        .into_iter()
        .map(|p| p.attendee)
        .filter(|o| !attendees.iter().any(|a| a.name == o.name))
        .collect();
    Cover {
        attendees,
        others,
        justerare,
        chair,
    }
}

/// The members listed after "Beslutande" (or a "Närvarolista"), each with party and role; see
/// the module doc for the shapes read.
pub fn attendees(front: &str) -> Vec<Attendee> {
    read_people(front, ATTENDEE_LABELS, true)
        .into_iter()
        .map(|p| p.attendee)
        .collect()
}

/// Where a list of people starts and the labels that end it.
struct Labels {
    start: &'static [&'static str],
    end: &'static [&'static str],
}

/// "Beslutande" (Lomma prints "Beslutandeledamöter:") and Lomma's roll call "Närvarolista";
/// the ej/icke tjänstgörande ersättare and everyone after them are not members who decided.
const ATTENDEE_LABELS: &Labels = &Labels {
    start: &["Beslutande", "Närvarolista"],
    end: &[
        "Ej tjänstgörande ersättare",
        "Icke tjänstgörande ersättare",
        "Övriga närvarande",
        "Övriga deltagare",
        "Övriga",
        "Närvarande ersättare",
        "Ersättare",
        "Justerare",
        "Protokolljusterare",
        "Utses att justera",
        "Utses att Justera",
        "Justeringens",
        "Sekreterare",
        "Underskrifter",
        "Paragrafer",
        "Paragraf",
        "Plats och tid",
        "Tjänstepersoner",
        "Tjänstemän",
    ],
};

/// Everyone present who did not decide.
const OTHER_LABELS: &Labels = &Labels {
    start: &[
        "Övriga närvarande",
        "Övriga deltagare",
        "Ej tjänstgörande ersättare",
        "Icke tjänstgörande ersättare",
    ],
    end: &[
        "Justerare",
        "Protokolljusterare",
        "Utses att justera",
        "Utses att Justera",
        "Justeringens",
        "Underskrifter",
        "Paragrafer",
        "Paragraf",
        "Plats och tid",
        "Beslutande",
    ],
};

/// Capitalised words of a list that are labels, not parts of a name ("Ledamöter Anette Levin",
/// "Ordförande Ermin Škorić" where two columns were flattened).
const LABEL_WORDS: &[&str] = &[
    "Beslutande",
    "Ledamöter",
    "Ledamot",
    "Ordinarie",
    "Ordförande",
    "Ordf",
    "Vice",
    "Ersättare",
    "Tjänstgörande",
    "Övriga",
    "Närvarande",
    "Sammanträdesdatum",
    "Datum",
    "Justerare",
    "Justerande",
    "Protokolljusterare",
    "Sekreterare",
    "Tjänstepersoner",
    "Tjänstemän",
    "Personalföreträdare",
    "Närvarolista",
    "Underskrifter",
    "Plats",
    "Paragrafer",
];

/// A name of two to four capitalised words ("AnneMarie", "Stig-Arne", "Pettersson-Lans",
/// "Škorić"), with particles between ("Munck af Rosenschöld"). The letters are the Latin ones
/// Swedish names are written with (ASCII, Latin-1, Latin Extended-A), not all of Unicode's:
/// the full classes made the regex engine's state building double the parsing time.
pub(crate) const NAME: &str = r"[A-ZÀ-ÖØ-ÞĀ-ž][[a-zß-öø-ÿĀ-ž]'’]+(?:[A-ZÀ-ÖØ-ÞĀ-ž][[a-zß-öø-ÿĀ-ž]'’]+)*(?:-[A-ZÀ-ÖØ-ÞĀ-ž]?[[a-zß-öø-ÿĀ-ž]'’]+)*(?:\s+(?:(?:af|av|von|van|de|der|la)\s+)?[A-ZÀ-ÖØ-ÞĀ-ž][[a-zß-öø-ÿĀ-ž]'’]+(?:[A-ZÀ-ÖØ-ÞĀ-ž][[a-zß-öø-ÿĀ-ž]'’]+)*(?:-[A-ZÀ-ÖØ-ÞĀ-ž]?[[a-zß-öø-ÿĀ-ž]'’]+)*){1,3}";

static NAME_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(NAME).expect("constant regex compiles"));

/// After a name: ", ordf. (L)", " (M)", ", C".
static PARTY_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\s*,\s*(?P<prerole>[[a-zß-öø-ÿĀ-ž]\d][^(),\n]{0,30}?)\s*\((?P<p1>[A-ZÀ-ÖØ-ÞĀ-ž]{1,4})\)|\s*\((?P<p2>[A-ZÀ-ÖØ-ÞĀ-ž]{1,4})\)|\s*,\s*(?P<p3>[A-ZÀ-ÖØ-ÞĀ-ž]{1,3})(?:[\s,]|$))",
    )
    .expect("constant regex compiles")
});

/// "Ordförande ………… Anette Levin", "Ordförande: Charlott Enocson", "Ordförande Jan Byvik (S)":
/// the name signed under the label.
static SIGNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"Ordförande:?[\s.…_]+({NAME})")).expect("constant regex compiles")
});

/// One person of a list with what the list says besides.
struct Listed {
    attendee: Attendee,
    /// "deltar ej §§ 137 … p.g.a. jäv": not the chair of the meeting's published §§.
    absent_in_part: bool,
}

/// The people of every list that starts at one of `labels.start`, up to the nearest end label.
/// `with_party`: members are read only where a party follows the name; others need a party
/// or a ", role".
fn read_people(text: &str, labels: &Labels, with_party: bool) -> Vec<Listed> {
    let mut out: Vec<Listed> = Vec::new();
    // The lists in the order they are printed.
    let mut starts: Vec<(usize, &str)> = labels
        .start
        .iter()
        .flat_map(|l| {
            label_positions(text, l, true)
                .into_iter()
                .map(move |at| (at, *l))
        })
        .collect();
    starts.sort_unstable();
    {
        for (at, start) in starts {
            let from = at + start.len();
            let rest = &text[from..];
            let end = labels
                .end
                .iter()
                .filter_map(|l| label_positions(rest, l, false).into_iter().next())
                .min()
                .unwrap_or(rest.len());
            for line in rest[..end].lines() {
                for person in people_on_line(line, with_party) {
                    if !out.iter().any(|p| p.attendee.name == person.attendee.name) {
                        out.push(person);
                    }
                }
            }
        }
    }
    out
}

/// The people on one line, in order, without the members they replace.
fn people_on_line(line: &str, with_party: bool) -> Vec<Listed> {
    // Candidate names with label words trimmed off; fewer than two words left is no name.
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for m in NAME_RE.find_iter(line) {
        let mut start = m.start();
        let mut end = m.end();
        let words: Vec<(usize, &str)> = line[start..end]
            .split_whitespace()
            .map(|w| (w.as_ptr() as usize - line.as_ptr() as usize, w))
            .collect();
        let mut first = 0;
        while first < words.len() && LABEL_WORDS.contains(&words[first].1) {
            first += 1;
        }
        let mut last = words.len();
        while last > first && LABEL_WORDS.contains(&words[last - 1].1) {
            last -= 1;
        }
        if last - first < 2 {
            continue;
        }
        start = words[first].0;
        end = words[last - 1].0 + words[last - 1].1.len();
        spans.push((start, end));
    }
    let mut out = Vec::new();
    let mut replaced_next = false;
    for (k, &(start, end)) in spans.iter().enumerate() {
        let next = spans.get(k + 1).map_or(line.len(), |s| s.0);
        let after = &line[end..next];
        let name = line[start..end].split_whitespace().collect::<Vec<_>>();
        let name = name.join(" ");
        let (party, pre_role, tail) = match PARTY_AFTER.captures(after) {
            Some(c) => {
                let party = c
                    .name("p1")
                    .or_else(|| c.name("p2"))
                    .or_else(|| c.name("p3"))
                    .map(|m| m.as_str().to_string());
                let pre_role = c.name("prerole").map(|m| m.as_str().trim().to_string());
                let used = c.get(0).map_or(0, |m| m.end());
                (party, pre_role, &after[used..])
            }
            None => (None, None, after),
        };
        let replaces = replaces_next(tail);
        if replaced_next {
            replaced_next = replaces;
            continue;
        }
        replaced_next = replaces;
        let role = pre_role
            .filter(|r| !r.is_empty())
            .or_else(|| role_words(tail, with_party));
        let keep = if with_party {
            party.is_some()
        } else {
            party.is_some() || role.is_some()
        };
        if !keep {
            continue;
        }
        let lower = tail.to_lowercase();
        out.push(Listed {
            attendee: Attendee { name, party, role },
            absent_in_part: lower.contains("jäv") || lower.contains("deltar ej"),
        });
    }
    out
}

/// Whether the words after a member end in "ersätter" / "för" with the replaced member's name
/// still to come (on this line, as the next name).
fn replaces_next(tail: &str) -> bool {
    let words: Vec<&str> = tail.split_whitespace().collect();
    matches!(words.last(), Some(&("ersätter" | "för")))
}

/// The role written after a member's party: "ordförande", "1:e vice ordförande", "tjg ers",
/// up to a § range, a time, a replacement or the next label. Members' roles are lower case
/// (or "Ordförande"); others' roles may be capitalised ("Nämndsekreterare", "Sysav").
fn role_words(tail: &str, member: bool) -> Option<String> {
    let tail = tail.trim_start().trim_start_matches(',').trim_start();
    let mut words = Vec::new();
    for w in tail.split_whitespace() {
        let lower = w.to_lowercase();
        let ordinal =
            w.len() <= 4 && w.contains(':') && w.starts_with(|c: char| c.is_ascii_digit());
        let stop = w.starts_with('§')
            || matches!(
                lower.as_str(),
                "ersätter"
                    | "för"
                    | "tom"
                    | "t.o.m."
                    | "from"
                    | "fr.o.m."
                    | "deltar"
                    | "ej"
                    | "klockan"
                    | "kl"
                    | "kl."
                    | "p.g.a."
                    | "närvarande"
            )
            || (w.starts_with(|c: char| c.is_ascii_digit()) && !ordinal)
            || (member
                && w.starts_with(char::is_uppercase)
                && !matches!(w.trim_end_matches([',', '.']), "Ordförande" | "Ordf"));
        if stop {
            break;
        }
        words.push(w);
    }
    let role = words.join(" ");
    let role = role.trim_end_matches([',', ':', ' ']);
    (!role.is_empty()).then(|| role.to_string())
}

/// The name signed under "Ordförande" (not the role of a listed member: "Jan Byvik (S),
/// Ordförande").
fn signed_chair(text: &str) -> Option<String> {
    if !text.contains("Ordförande") {
        return None;
    }
    SIGNED.captures_iter(text).find_map(|c| {
        let whole = c.get(0)?;
        let before = text[..whole.start()].trim_end_matches([' ', '\t']);
        if before.ends_with([',', ')']) {
            return None;
        }
        let name = c.get(1)?.as_str();
        let words: Vec<&str> = name
            .split_whitespace()
            .take_while(|w| !LABEL_WORDS.contains(w))
            .collect();
        (words.len() >= 2).then(|| words.join(" "))
    })
}

/// "Ordförande Anna Carlsson (S) föreslår …" at a sentence start in an item: the chair, for a
/// protokoll whose front page did not come through (a converter's table of labels without
/// values, Jönköping 2019 and 2023).
pub fn chair_in_text(text: &str) -> Option<String> {
    // Anchored on a short window after each "Ordförande": the name pattern's Unicode classes
    // are costly to run over a whole item.
    static CHAIR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"^Ordföranden?,?\s+({NAME})\s*\([A-ZÅÄÖ]{{1,4}}\)"
        ))
        .expect("constant regex compiles")
    });
    text.match_indices("Ordförande").find_map(|(at, _)| {
        let before = text[..at].trim_end_matches([' ', '\t']);
        if !(before.is_empty() || before.ends_with(['\n', '.', ':'])) {
            return None;
        }
        CHAIR
            .captures(window_after(text, at, 120))
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().split_whitespace().collect::<Vec<_>>().join(" "))
    })
}

/// At most `len` bytes of `text` from `at`, cut at a character boundary.
fn window_after(text: &str, at: usize, len: usize) -> &str {
    let mut end = (at + len).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[at..end]
}

/// "Cecilia Hjort Attefall (KD) utses att, jämte ordföranden, justera dagens protokoll": the
/// justerare as an item ("Protokollets justering") records them, for a protokoll whose front
/// page did not come through.
pub fn justerare_in_text(text: &str) -> Vec<String> {
    static CHOSEN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"({NAME})\s*\([A-ZÅÄÖ]{{1,4}}\)(?:\s+och\s+({NAME})\s*\([A-ZÅÄÖ]{{1,4}}\))?\s+utses\s+att[^.]{{0,40}}?justera"
        ))
        .expect("constant regex compiles")
    });
    let squeeze = |m: regex::Match<'_>| m.as_str().split_whitespace().collect::<Vec<_>>().join(" ");
    // Only the sentences that say it: the name pattern is costly over a whole item.
    text.split_inclusive(['.', '\n'])
        .filter(|s| s.contains("utses") && s.contains("justera"))
        .find_map(|s| CHOSEN.captures(s))
        .map(|c| {
            [c.get(1), c.get(2)]
                .into_iter()
                .flatten()
                .map(squeeze)
                .collect()
        })
        .unwrap_or_default()
}

/// Byte offsets where `label` stands in `text` after a non-letter; `glued` allows letters
/// right after it ("Beslutandeledamöter:"), otherwise the label must end a word.
fn label_positions(text: &str, label: &str, glued: bool) -> Vec<usize> {
    text.match_indices(label)
        .map(|(i, _)| i)
        .filter(|&i| {
            let before_ok = text[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let after_ok = glued
                || text[i + label.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
            before_ok && after_ok
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(name: &str, party: Option<&str>, role: Option<&str>) -> Attendee {
        Attendee {
            name: name.into(),
            party: party.map(Into::into),
            role: role.map(Into::into),
        }
    }

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn flattened_list_with_replacements() {
        let front = "Beslutande AnneMarie Grennhag (M) ordförande Thomas Bäuml (M) Inger Grund (M) ersätter Magnus Crona (M) Chatrine Schander Ljungquist (M) ersätter Stig-Arne Tengmer (L) tom § § 1-5 Annica Lind Nordberg (L) ersätter Stig-Arne Tengmer (L) from kl.10.30 § 6 Anna Carlsson (S) Övriga närvarande Tuma Vergili (S) Göran Isberg, utbildningsdirektör";
        let cover = read_cover(&lines(front));
        assert_eq!(
            cover.attendees,
            vec![
                a("AnneMarie Grennhag", Some("M"), Some("ordförande")),
                a("Thomas Bäuml", Some("M"), None),
                a("Inger Grund", Some("M"), None),
                a("Chatrine Schander Ljungquist", Some("M"), None),
                a("Annica Lind Nordberg", Some("L"), None),
                a("Anna Carlsson", Some("S"), None),
            ]
        );
        assert_eq!(
            cover.others,
            vec![
                a("Tuma Vergili", Some("S"), None),
                a("Göran Isberg", None, Some("utbildningsdirektör"))
            ]
        );
        assert_eq!(cover.chair.as_deref(), Some("AnneMarie Grennhag"));
    }

    #[test]
    fn two_column_cover_with_a_wrapped_replacement() {
        // Kungsbacka's template as pdfplumber wrote it: the replaced member's name wraps.
        let front = "Beslutande Ledamöter Tjänstgörande ersättare\nLisa Andersson (M), Ordförande Ermin Škorić (S) ersätter Johan\nFredrik Hansson (C), 1:e vice ordförande Tolinsson (S)\nMagdalena Sundqvist (S), 2:e vice\nordförande\nÖvriga närvarande Ersättare Tjänstemän\nBerit Bergström (M) Patrik Johansson, kommunsekreterare";
        let cover = read_cover(&lines(front));
        assert_eq!(
            cover.attendees,
            vec![
                a("Lisa Andersson", Some("M"), Some("Ordförande")),
                a("Ermin Škorić", Some("S"), None),
                a("Fredrik Hansson", Some("C"), Some("1:e vice ordförande")),
                a("Magdalena Sundqvist", Some("S"), Some("2:e vice")),
            ]
        );
        assert_eq!(
            cover.others,
            vec![
                a("Berit Bergström", Some("M"), None),
                a("Patrik Johansson", None, Some("kommunsekreterare"))
            ]
        );
        assert_eq!(cover.chair.as_deref(), Some("Lisa Andersson"));
    }

    #[test]
    fn a_chair_who_is_jav_is_not_the_chair_the_signature_is() {
        let front = "Beslutande Ledamöter\nThure Sandén (M), Ordförande deltar ej §§\n137, 163-164 p.g.a. jäv\nHeinrich Kaufmann (C), vice ordförande\nLars Eriksson (S)\nÖvriga närvarande\nSekreterare Amanda Toresson\nOrdförande Heinrich Kaufmann (C)\nProtokolljusterare Lars Eriksson (S)";
        let cover = read_cover(&lines(front));
        assert_eq!(cover.chair.as_deref(), Some("Heinrich Kaufmann"));
        assert_eq!(cover.justerare, ["Lars Eriksson"]);
        assert_eq!(cover.attendees.len(), 3);
    }

    #[test]
    fn pdf_list_with_comma_parties() {
        let front = "Plats och tid Almdalen, kl 08.30 Beslutande Ledamöter Maria Söderberg, C, ordf Lisa Sallin, M, 1:e vice ordf Leif Olsson, C, tjg ers för Ulf Jonasson, C Cristine Persson, C, tjg ers för Mikaela Munck af Rosenschöld, C Jörgen Blom, V Övriga närvarande Ola Skyllbäck, kommunchef";
        assert_eq!(
            attendees(front),
            vec![
                a("Maria Söderberg", Some("C"), Some("ordf")),
                a("Lisa Sallin", Some("M"), Some("1:e vice ordf")),
                a("Leif Olsson", Some("C"), Some("tjg ers")),
                a("Cristine Persson", Some("C"), Some("tjg ers")),
                a("Jörgen Blom", Some("V"), None),
            ]
        );
    }

    #[test]
    fn glued_label_and_column_values() {
        // Lomma: "Beslutandeledamöter:", the date column glued to the names, the
        // non-serving substitutes apart.
        let front = "Beslutande: Se nästa sida\nParagrafer: § 38-§ 44\nBeslutandeledamöter:\nCharlott Enocson (M), Ordförande Sammanträdesdatum\nMarie Nilsson (M), 1:e vice ordförande 2025-09-01\nTjänstgörande ersättare:\nUlf Carlson (F)\nEj tjänstgörande ersättare:\nMaja Tingberg (M)\nÖvriga deltagare:\nOlle Andersson, Nämndsekreterare\nThoren § 38–40";
        let cover = read_cover(&lines(front));
        assert_eq!(
            cover.attendees,
            vec![
                a("Charlott Enocson", Some("M"), Some("Ordförande")),
                a("Marie Nilsson", Some("M"), Some("1:e vice ordförande")),
                a("Ulf Carlson", Some("F"), None),
            ]
        );
        assert_eq!(
            cover.others,
            vec![
                a("Maja Tingberg", Some("M"), None),
                a("Olle Andersson", None, Some("Nämndsekreterare"))
            ]
        );
    }

    #[test]
    fn chair_named_in_an_item() {
        assert_eq!(
            chair_in_text(
                "Ärendet.\nOrdförande Anna Carlsson (S) föreslår att Stig-Arne Tengmer (L) väljs."
            )
            .as_deref(),
            Some("Anna Carlsson")
        );
        assert_eq!(
            chair_in_text("Han valdes till ordförande Anna Carlsson (S)."),
            None
        );
    }

    #[test]
    fn justerare_chosen_in_an_item() {
        assert_eq!(
            justerare_in_text("Cecilia Hjort Attefall (KD) utses att, jämte ordföranden, justera dagens protokoll."),
            ["Cecilia Hjort Attefall"]
        );
        assert_eq!(
            justerare_in_text(
                "Per Bengtsson (S) och Aron Regnéll (M) utses att justera protokollet."
            ),
            ["Per Bengtsson", "Aron Regnéll"]
        );
        assert!(justerare_in_text("Anna Carlsson (S) utses till ordförande.").is_empty());
    }

    #[test]
    fn no_list_no_people() {
        assert_eq!(
            read_cover(&lines("Möte 2020-10-09\nLise öppnar mötet.")),
            Cover::default()
        );
    }
}
