//! The fields only a formal protokoll carries (docs/domain.md § 2): the case number ("Dnr",
//! diarienummer) of each item, and on the front page the body, the members who took the
//! decisions ("Beslutande") with party and role, and the members who check the minutes
//! ("Justerare").
//!
//! Text extracted from PDF often flattens the front page's two columns onto long lines
//! ("Beslutande Ledamöter Maria Söderberg, C, ordf Lisa Sallin, M, 1:e vice ordf …"), so the
//! front page is read as one run of words, from one label to the next.
//!
//! ```
//! use paragraf_indexer::minutes::protokoll::{attendees, case_number};
//!
//! assert_eq!(case_number("§ 84 Dnr KS 2013/123 Informationer").as_deref(), Some("KS 2013/123"));
//! let front = "Beslutande Ledamöter Maria Söderberg, C, ordf Jörgen Blom, V Övriga närvarande";
//! assert_eq!(attendees(front)[0].role.as_deref(), Some("ordf"));
//! ```

use std::sync::LazyLock;

use regex::Regex;

use crate::minutes::case_key::CaseKey;
use crate::minutes::clean::squeeze;
use crate::model::Attendee;

/// "Dnr KS 2013/123", "Dnr: 2021/00123", "Dnr SN-2020.45": the prefix is the registry
/// (optional), then year and serial number.
static DNR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bDnr\.?:?\s*((?:[A-ZÅÄÖ]{1,6}[\s-]?)?(?:19|20)\d{2}\s?[/.:-]\s?\d{1,6}(?:[./-]\d{1,6})?)\b")
        .expect("constant regex compiles")
});

/// A case number in any of the formats meeting systems print, with or without "Dnr"
/// (issue 15): "KS 2013/123", "KS/2013:123", "KF/2006.366", "KS KF/2022:7", "SBN/2025:74",
/// "Bun/2015:608", "VN-2024-00037", "BN-2023-001564", "RS/1019/2025", "2026.072 TEN",
/// "2015.25.214", and after "Dnr" also the bare "2019-000123", "2021/00123". A registry
/// prefix is upper case, or capitalised right before a "/" ("Bun/"), so that "Budget 2014/15"
/// is no case number; a date ("SBNAU 2025-08-25") is none either.
static CASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?P<dnr>(?-u:\b)(?:Dnr|DNR|dnr)\.?:?\s*)?
        (?-u:\b)(?P<number>
            (?:[A-ZÅÄÖ]{2,6}(?:\s[A-ZÅÄÖ]{2,6})?[\s/-]?|[A-ZÅÄÖ][a-zåäö]{1,5}/)(?:19|20)\d{2}[/.:-]\d{1,6}(?:[./:-]\d{1,6})?
          | [A-ZÅÄÖ]{1,6}/\d{1,6}/(?:19|20)\d{2}
          | (?:19|20)\d{2}\.\d{1,6}(?:\.\d{1,6})?(?:\s[A-ZÅÄÖ]{2,5}(?-u:\b))?
          | (?:19|20)\d{2}[/-]\d{3,6}
        )(?-u:\b)",
    )
    .expect("constant regex compiles")
});

static ISO_DATE_INSIDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:19|20)\d{2}-\d{2}-\d{2}(?:\D|$)").expect("constant regex compiles")
});

/// Case numbers in `text`: (start, end, number as written). A bare "year/serial" counts only
/// after "Dnr".
pub fn find_case_numbers(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    for caps in CASE.captures_iter(text) {
        let (Some(whole), Some(number)) = (caps.get(0), caps.name("number")) else {
            continue;
        };
        let n = number.as_str();
        let bare = n.starts_with(|c: char| c.is_ascii_digit());
        let dotted = bare && n.as_bytes().get(4) == Some(&b'.');
        if bare && !dotted && caps.name("dnr").is_none() {
            continue;
        }
        if ISO_DATE_INSIDE.is_match(n) || (dotted && n.len() < 7) {
            continue;
        }
        // "2015.25" of a longer decimal, a time "19.00": dotted numbers need a serial of two
        // or more digits.
        out.push((whole.start(), whole.end(), n.to_string()));
    }
    out
}

/// The case number a heading line starts or ends with ("SBN/2025:74", "Dnr KS 2013/123",
/// "Informationer   Bun/2015:603   691" with a filing-plan code after it): the line without it
/// and the number. A number in the middle of running text is a reference, not the item's.
pub fn heading_case_number(line: &str) -> Option<(String, String)> {
    let trimmed = line.trim();
    let found = find_case_numbers(trimmed);
    let (start, end, number) = found.first()?.clone();
    let after = trimmed[end..].trim();
    let filing_code =
        !after.is_empty() && after.len() <= 5 && after.chars().all(|c| c.is_ascii_digit());
    let at_start = trimmed[..start].trim().is_empty();
    let at_end = after.is_empty() || filing_code;
    if !(at_start || at_end) {
        return None;
    }
    let rest = if at_end {
        trimmed[..start].trim()
    } else {
        after
    };
    let rest = rest.trim_matches(|c: char| c == ',' || c == '-' || c == '–' || c == ' ');
    Some((rest.to_string(), number))
}

/// Case numbers an item cites (other than its own), normalised, in order, each once.
pub fn case_references(text: &str, own: Option<&str>) -> Vec<String> {
    let own = own.map(normalize_case_number);
    let mut out: Vec<String> = Vec::new();
    for (_, _, number) in find_case_numbers(text) {
        let n = normalize_case_number(&number);
        if Some(&n) != own.as_ref() && !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// Labels that may stand between "Justerare" and the names when columns were flattened.
const JUSTERARE_SKIP: &[&str] = &[
    "Justeringens plats och tid",
    "Justeringens tid och plats",
    "Justering",
    "Justerare",
];

/// Labels that end the names after "Justerare" where no attendee list says who may sign.
const NOT_JUSTERARE: &[&str] = &[
    "Underskrifter",
    "Sekreterare",
    "Ordförande",
    "Justerande",
    "Ersättare",
    "Paragrafer",
    "Plats",
];

/// The case number in an item's heading lines, normalised: "§ 84 Dnr KS 2013/123" gives
/// `KS 2013/123`.
pub fn case_number(text: &str) -> Option<String> {
    let caps = DNR.captures(text)?;
    Some(normalize_case_number(caps.get(1)?.as_str()))
}

/// Removes the first "Dnr …" from a line, returning the line without it and the normalised
/// case number.
pub fn take_case_number(line: &str) -> Option<(String, String)> {
    let caps = DNR.captures(line)?;
    let whole = caps.get(0)?;
    let number = normalize_case_number(caps.get(1)?.as_str());
    let rest = squeeze(&format!(
        "{} {}",
        &line[..whole.start()],
        &line[whole.end()..]
    ));
    let rest = rest.trim_matches(|c: char| c == ',' || c == '-' || c == '–' || c == ' ');
    Some((rest.to_string(), number))
}

/// One written form per case number, so that "ks 2013/123", "KS/2013:123", "Dnr KS 2013/0123"
/// and "KS 2013/123" are the same term in the index: the [`CaseKey`] (issue #19). Text that is
/// no case number is returned upper-cased and squeezed.
pub fn normalize_case_number(s: &str) -> String {
    match CaseKey::parse(s) {
        Some(key) => key.to_string(),
        None => squeeze(&s.to_uppercase()),
    }
}

/// The index terms of a case number: the normalised form and, when it has a registry prefix,
/// the bare "year/serial" too, so that a search for `2013/123` finds `KS 2013/123`.
pub fn case_number_terms(case_number: &str) -> Vec<String> {
    let Some(key) = CaseKey::parse(case_number) else {
        return vec![normalize_case_number(case_number)];
    };
    let mut terms = vec![key.to_string()];
    if key.registry().is_some() {
        terms.push(key.without_registry());
    }
    terms
}

pub use crate::minutes::cover::attendees;

/// The members named after "Justerare" or "Utses att justera". Names of attendees are
/// recognised whole ("Mikaela Munck af Rosenschöld"); other names are read as two capitalised
/// words, joined by "och", commas or nothing, until a word that is no name.
pub fn justerare(front: &str, attendees: &[Attendee]) -> Vec<String> {
    let front = squeeze(front);
    let start = [
        "Justerare",
        "Utses att justera",
        "Utses att Justera",
        "Protokolljusterare",
    ]
    .iter()
    .filter_map(|label| find_label(&front, label).map(|i| i + label.len()))
    .min();
    let Some(start) = start else {
        return Vec::new();
    };
    let mut rest = front[start..]
        .trim_start()
        .trim_start_matches(':')
        .trim_start();
    for label in JUSTERARE_SKIP {
        if let Some(after) = rest.strip_prefix(label) {
            rest = after.trim_start();
        }
    }
    let mut out: Vec<String> = Vec::new();
    while out.len() < 4 {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("och ") {
            rest = after;
        }
        if let Some(a) = attendees.iter().find(|a| starts_with_name(rest, &a.name)) {
            rest = skip_party(&rest[a.name.len()..]).trim_start_matches([',', ' ']);
            push_new(&mut out, &a.name);
            continue;
        }
        // Justerare are members: where the members are known, no one else is read.
        if !attendees.is_empty() {
            break;
        }
        let mut words = rest.split(' ');
        let (Some(first), Some(last)) = (words.next(), words.next()) else {
            break;
        };
        let last_clean = last.trim_end_matches(',');
        if !is_name_word(first)
            || !is_name_word(last_clean)
            || NOT_JUSTERARE.contains(&first)
            || NOT_JUSTERARE.contains(&last_clean)
        {
            break;
        }
        let name = format!("{first} {last_clean}");
        rest = skip_party(&rest[first.len() + 1 + last.len()..]);
        push_new(&mut out, &name);
    }
    out
}

/// The body named on the front page: the first word that names a council, board, committee
/// or assembly ("Kommunstyrelsen", "Socialnämnden", "Barn- och utbildningsnämnden").
pub fn front_page_body(front: &str) -> Option<String> {
    static BODY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(\p{Lu}\p{Ll}*(?:-\s(?:och|&)\s\p{Ll}+)?(?:styrelsen|nämnden|fullmäktige|utskottet|beredningen|direktionen))\b")
            .expect("constant regex compiles")
    });
    BODY.captures(front)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string())
}

fn push_new(out: &mut Vec<String>, name: &str) {
    if !out.iter().any(|n| n == name) {
        out.push(name.to_string());
    }
}

fn starts_with_name(text: &str, name: &str) -> bool {
    text.starts_with(name)
        && text[name.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// A capitalised word with lower-case letters after the first, as a name's parts are; each
/// part of a hyphenated name may be capitalised ("Pettersson-Lans").
fn is_name_word(word: &str) -> bool {
    word.chars().count() >= 2
        && word.split('-').enumerate().all(|(k, part)| {
            let mut chars = part.chars();
            match chars.next() {
                Some(c) if c.is_uppercase() || (k > 0 && c.is_lowercase()) => {
                    chars.all(char::is_lowercase)
                }
                _ => false,
            }
        })
}

/// The text after a party in parentheses ("(C) Ersättare …" gives "Ersättare …").
fn skip_party(text: &str) -> &str {
    let t = text.trim_start();
    match t.strip_prefix('(').and_then(|r| r.split_once(')')) {
        Some((party, rest)) if party.len() <= 4 && party.chars().all(char::is_uppercase) => {
            rest.trim_start()
        }
        _ => t,
    }
}

/// Byte offset of a label standing as whole words in `text` (case-sensitive: the labels are
/// capitalised, the same words inside roles are not).
fn find_label(text: &str, label: &str) -> Option<usize> {
    text.match_indices(label).map(|(i, _)| i).find(|&i| {
        let before_ok = text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after_ok = text[i + label.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        before_ok && after_ok
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attendee(name: &str, party: &str, role: Option<&str>) -> Attendee {
        Attendee {
            name: name.into(),
            party: Some(party.into()),
            role: role.map(str::to_string),
        }
    }

    #[test]
    fn case_numbers_in_headings() {
        assert_eq!(
            case_number("§ 84 Dnr KS 2013/123").as_deref(),
            Some("KS 2013/123")
        );
        assert_eq!(
            case_number("Dnr: 2021/00123 Budget").as_deref(),
            Some("2021/123")
        );
        assert_eq!(case_number("Dnr SN-2020.45").as_deref(), Some("SN 2020/45"));
        assert_eq!(case_number("Budget 2014, plan 2015-2016"), None);
    }

    #[test]
    fn take_case_number_leaves_the_rest_of_the_line() {
        assert_eq!(
            take_case_number("§ 84 Dnr KS 2013/123 Informationer"),
            Some(("§ 84 Informationer".to_string(), "KS 2013/123".to_string()))
        );
        assert_eq!(
            take_case_number("Dnr KS 2013/123"),
            Some((String::new(), "KS 2013/123".to_string()))
        );
    }

    #[test]
    fn normalised_forms_and_terms() {
        assert_eq!(normalize_case_number("ks  2013/123"), "KS 2013/123");
        assert_eq!(normalize_case_number("Dnr KS-2013/123"), "KS 2013/123");
        assert_eq!(normalize_case_number("2013/123"), "2013/123");
        assert_eq!(
            case_number_terms("KS 2013/123"),
            vec!["KS 2013/123", "2013/123"]
        );
        assert_eq!(case_number_terms("2013/123"), vec!["2013/123"]);
        // A two-word registry keeps both words; the bare term is the number alone.
        assert_eq!(
            case_number_terms("KS KF/2022:7"),
            vec!["KS KF 2022/7", "2022/7"]
        );
        assert_eq!(normalize_case_number("KS/2013:0123"), "KS 2013/123");
    }

    #[test]
    fn justerare_after_flattened_label() {
        let people = vec![
            attendee("Cristine Persson", "C", None),
            attendee("Jörgen Blom", "V", None),
        ];
        let front = "Justerare Justeringens plats och tid Cristine Persson och Jörgen Blom Kommunhuset, Krokom, kansliavdelningen";
        assert_eq!(
            justerare(front, &people),
            vec!["Cristine Persson", "Jörgen Blom"]
        );
        assert_eq!(
            justerare(
                "Utses att justera Leif Nord Daniel Danielsson Justeringens tid",
                &[]
            ),
            vec!["Leif Nord", "Daniel Danielsson"]
        );
    }

    #[test]
    fn justerare_label_repeated_and_reserve_left_out() {
        // Mellerud: "Justerare" repeats the label; the "Ersättare" after is the reserve.
        let people = vec![
            attendee("Maria Pettersson-Lans", "C", None),
            attendee("Kent Bohlin", "S", None),
        ];
        assert_eq!(
            justerare(
                "Utses att justera Justerare Maria Pettersson-Lans (C) Ersättare Kent Bohlin (S)",
                &people
            ),
            vec!["Maria Pettersson-Lans"]
        );
        // Labels of a flattened label column are no names.
        assert_eq!(
            justerare(
                "Utses att justera Justeringens plats och tid Underskrifter Sekreterare Ordförande",
                &[]
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn body_from_front_page() {
        assert_eq!(
            front_page_body("KROKOMS KOMMUN Kommunstyrelsen Sammanträdesdatum 2013-05-15")
                .as_deref(),
            Some("Kommunstyrelsen")
        );
        assert_eq!(
            front_page_body("Nämnd/styrelse Socialnämnden").as_deref(),
            Some("Socialnämnden")
        );
        assert_eq!(
            front_page_body("Barn- och utbildningsnämnden Sammanträdesdatum").as_deref(),
            Some("Barn- och utbildningsnämnden")
        );
        assert_eq!(front_page_body("Möte 2020-10-09"), None);
    }
}
