//! Decisions of other meetings an item cites ("KS § 437 2006-12-13", "Kommunstyrelsen
//! 2026-02-17, § 36", "KSAU § 35/150210"), and the cited item when the archive holds it:
//! how an item without a case number of its own joins a case (issue #19).
//!
//! A citation names a body (by name or by the abbreviation Swedish municipalities use), a
//! meeting date and a paragraph. [`resolve`] looks for the item of that paragraph among the
//! items of that date, through the engine's search, so that whatever filters the engine
//! applies also apply here.
//!
//! ```
//! use paragraf_query::cite::citations;
//!
//! let found = citations("Kommunstyrelsen beslutade (KS § 437 2006-12-13) att …");
//! assert_eq!((found[0].body.as_deref(), found[0].section), (Some("KS"), 437));
//! assert_eq!(found[0].date.to_string(), "2006-12-13");
//! ```

use std::sync::LazyLock;

use paragraf_indexer::Date;
use regex::Regex;

use crate::backend::SearchEngine;
use crate::error::Result;
use crate::filter::DateRange;
use crate::limits::MAX_LIMIT;
use crate::request::{SearchRequest, Sort};
use crate::response::Hit;

/// One decision of another meeting cited in an item's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// The body as cited ("KS", "Kommunstyrelsens arbetsutskott"), when the citation names one.
    pub body: Option<String>,
    /// The cited meeting's date.
    pub date: Date,
    /// The cited paragraph number (437 of "§ 437").
    pub section: u32,
    /// The citation as written.
    pub text: String,
}

/// "KS § 437 2006-12-13", "KSAU § 35/150210", "BN § 140/170621", "§138/180829": an
/// abbreviation (or nothing), the paragraph, then the date in full or as YYMMDD.
static ABBREVIATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\b(?P<body>[A-ZÅÄÖ]{2,8})\s?)?§\s?(?P<n>\d{1,4})(?:,?\s(?P<date>(?:19|20)\d{2}-\d{2}-\d{2})\b|\s?/\s?(?P<ymd>\d{6})\b)",
    )
    .expect("constant regex compiles")
});

/// "Kommunstyrelsen 2026-02-17, § 36", "Kommunstyrelsens arbetsutskott 2026-08-11, § 239",
/// "Kommunstyrelsen, 2024-04-23 § 107", "kommunfullmäktige 2015-12-16 § 328": a body's name,
/// the date, then the paragraph.
static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<body>\b\p{L}+(?:s arbetsutskott|s au)?),?\s(?:den\s)?(?P<date>(?:19|20)\d{2}-\d{2}-\d{2}),?\s§\s?(?P<n>\d{1,4})\b",
    )
    .expect("constant regex compiles")
});

/// The citations of other meetings' decisions in `text`, in order.
pub fn citations(text: &str) -> Vec<Citation> {
    let mut out: Vec<(usize, Citation)> = Vec::new();
    for caps in ABBREVIATED.captures_iter(text) {
        let date = match (caps.name("date"), caps.name("ymd")) {
            (Some(d), _) => Date::parse_iso(d.as_str()),
            (None, Some(ymd)) => short_date(ymd.as_str()),
            (None, None) => None,
        };
        let (Some(whole), Some(date), Some(n)) = (caps.get(0), date, number(caps.name("n"))) else {
            continue;
        };
        out.push((
            whole.start(),
            Citation {
                body: caps.name("body").map(|b| b.as_str().to_string()),
                date,
                section: n,
                text: whole.as_str().to_string(),
            },
        ));
    }
    for caps in NAMED.captures_iter(text) {
        let date = caps.name("date").and_then(|d| Date::parse_iso(d.as_str()));
        let (Some(whole), Some(date), Some(n), Some(body)) =
            (caps.get(0), date, number(caps.name("n")), caps.name("body"))
        else {
            continue;
        };
        // A word that is no body ("protokoll 2020-01-29 § 3") names nothing to match on.
        let body = Some(body.as_str().to_string()).filter(|b| canonical_body(b).is_some());
        out.push((
            whole.start(),
            Citation {
                body,
                date,
                section: n,
                text: whole.as_str().to_string(),
            },
        ));
    }
    out.sort_by_key(|(start, _)| *start);
    out.dedup_by(|a, b| a.1.date == b.1.date && a.1.section == b.1.section);
    out.into_iter().map(|(_, c)| c).collect()
}

fn number(m: Option<regex::Match<'_>>) -> Option<u32> {
    m?.as_str().parse().ok()
}

/// "150210" → 2015-02-10 (the years 2000–2099: YYMMDD citations are of this century's
/// meeting systems).
fn short_date(ymd: &str) -> Option<Date> {
    let n = |r: std::ops::Range<usize>| ymd.get(r)?.parse::<u32>().ok();
    let year = i32::try_from(2000 + n(0..2)?).ok()?;
    Date::new(year, n(2..4)?, n(4..6)?)
}

/// Abbreviations of bodies as Swedish municipalities write them in citations, with the body's
/// name. A general convention of the field, not one archive's: KS, KF, the committees' AU.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("KS", "kommunstyrelsen"),
    ("KF", "kommunfullmäktige"),
    ("KSAU", "kommunstyrelsens arbetsutskott"),
    ("AU", "arbetsutskottet"),
    ("BN", "byggnadsnämnden"),
    ("BNAU", "byggnadsnämndens arbetsutskott"),
    ("SBN", "samhällsbyggnadsnämnden"),
    ("SBNAU", "samhällsbyggnadsnämndens arbetsutskott"),
    ("BUN", "barn- och utbildningsnämnden"),
    ("SN", "socialnämnden"),
    ("MBN", "miljö- och byggnadsnämnden"),
    ("KFN", "kultur- och fritidsnämnden"),
    ("TN", "tekniska nämnden"),
    ("VN", "valnämnden"),
    ("ON", "omsorgsnämnden"),
    ("UN", "utbildningsnämnden"),
];

/// One spelling of a body to compare on: lower case, an abbreviation spelt out, the genitive
/// and the definite forms of the words made one ("Kommunstyrelsens" and "kommunstyrelsen",
/// "arbetsutskott" and "arbetsutskottet"). `None` for a word that names no body.
pub fn canonical_body(body: &str) -> Option<String> {
    let trimmed = body.trim();
    let spelt = ABBREVIATIONS
        .iter()
        .find(|(abbr, _)| abbr.eq_ignore_ascii_case(trimmed))
        .map_or_else(|| trimmed.to_lowercase(), |(_, name)| name.to_string());
    let names_a_body = [
        "styrelse",
        "nämnd",
        "fullmäktige",
        "utskott",
        "revision",
        "råd",
        "beredning",
    ]
    .iter()
    .any(|stem| spelt.contains(stem))
        || trimmed.chars().all(|c| c.is_uppercase());
    let words: Vec<String> = spelt.split_whitespace().map(base_form).collect();
    names_a_body.then(|| words.join(" "))
}

/// "kommunstyrelsens" → "kommunstyrelse", "arbetsutskottet" → "arbetsutskott", "nämnden" →
/// "nämnd".
fn base_form(word: &str) -> String {
    let mut w = word.to_lowercase();
    let long = |w: &str, ending: usize| w.chars().count() > ending + 4;
    // The genitive first ("kommunstyrelsens", "fullmäktiges"), then the definite form.
    if w.ends_with('s') && long(&w, 1) {
        w.pop();
    }
    for ending in ["en", "et"] {
        if w.ends_with(ending) && long(&w, ending.len()) {
            w.truncate(w.len() - ending.len());
            break;
        }
    }
    w
}

/// Whether a cited body and an item's body are the same body.
pub fn same_body(cited: &str, body: &str) -> bool {
    match (canonical_body(cited), canonical_body(body)) {
        (Some(a), Some(b)) => a == b,
        _ => cited.eq_ignore_ascii_case(body),
    }
}

/// The § number of a section as written ("§ 36", "§36", "36").
pub fn section_number(section: &str) -> Option<u32> {
    section
        .trim()
        .trim_start_matches('§')
        .trim()
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// The item a citation cites, when the archive holds it: of the items of the cited date, the
/// one with the cited paragraph (and, when the citation names a body, of that body).
pub fn resolve(
    engine: &(impl SearchEngine + ?Sized),
    citation: &Citation,
    access: crate::Access,
) -> Result<Option<Hit>> {
    let mut req = SearchRequest {
        access,
        sort: Some(Sort::Date),
        limit: MAX_LIMIT,
        ..SearchRequest::default()
    };
    req.filters.dates = DateRange {
        from: Some(citation.date),
        to: Some(citation.date),
    };
    let found = engine.search(&req)?;
    Ok(found.hits.into_iter().find(|hit| {
        hit.section.as_deref().and_then(section_number) == Some(citation.section)
            && match (&citation.body, &hit.meeting.body) {
                (Some(cited), Some(body)) => same_body(cited, body),
                (Some(_), None) => false,
                (None, _) => true,
            }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(Option<String>, String, u32)> {
        citations(text)
            .into_iter()
            .map(|c| (c.body, c.date.to_string(), c.section))
            .collect()
    }

    fn cite(body: Option<&str>, date: &str, n: u32) -> (Option<String>, String, u32) {
        (body.map(str::to_string), date.to_string(), n)
    }

    #[test]
    fn the_forms_of_the_real_protokoll() {
        // The `cites` of tests/fixtures/real-protokoll (Kungsbacka, Jönköping) and issue #19.
        assert_eq!(
            found("Beslutsunderlag Kommunstyrelsens arbetsutskott 2026-08-11, § 239 Kommunstyrelsen 2026-02-17, § 36"),
            [
                cite(Some("Kommunstyrelsens arbetsutskott"), "2026-08-11", 239),
                cite(Some("Kommunstyrelsen"), "2026-02-17", 36)
            ]
        );
        assert_eq!(
            found("enligt Kommunstyrelsen, 2024-04-23 § 107."),
            [cite(Some("Kommunstyrelsen"), "2024-04-23", 107)]
        );
        assert_eq!(
            found("Beslut i kommunfullmäktige 2015-12-16 § 328 om"),
            [cite(Some("kommunfullmäktige"), "2015-12-16", 328)]
        );
        assert_eq!(
            found("Se KSAU § 35/150210 och BN § 140/170621."),
            [
                cite(Some("KSAU"), "2015-02-10", 35),
                cite(Some("BN"), "2017-06-21", 140)
            ]
        );
        assert_eq!(
            found("Kommunstyrelsen beslutade KS § 437 2006-12-13 att"),
            [cite(Some("KS"), "2006-12-13", 437)]
        );
        assert_eq!(
            found("bemötande av anmälan, §138/180829"),
            [cite(None, "2018-08-29", 138)]
        );
    }

    #[test]
    fn what_cites_no_other_meeting() {
        // A date alone ("SBNAU 2025-08-25", no §), this meeting's own § and a bad date.
        assert_eq!(found("Beslutsunderlag SBNAU 2025-08-25"), []);
        assert_eq!(found("Se § 12 ovan."), []);
        assert_eq!(found("KS § 4/991399"), []);
    }

    #[test]
    fn bodies_are_compared_by_name_or_abbreviation() {
        assert!(same_body("KS", "Kommunstyrelsen"));
        assert!(same_body("Kommunstyrelsens arbetsutskott", "KSAU"));
        assert!(same_body("kommunfullmäktige", "Kommunfullmäktige"));
        assert!(same_body("BUN", "Barn- och utbildningsnämnden"));
        assert!(!same_body("KS", "Kommunstyrelsens arbetsutskott"));
        assert!(!same_body("KF", "Kommunstyrelsen"));
        assert_eq!(canonical_body("protokoll"), None);
        assert_eq!(section_number("§ 36"), Some(36));
        assert_eq!(section_number("§36"), Some(36));
        assert_eq!(section_number("Kf 12"), None);
    }
}
