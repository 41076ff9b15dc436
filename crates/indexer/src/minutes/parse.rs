//! From one meeting's text to its item documents: clean, split, then read speakers,
//! municipalities, decisions and language for each item.

use std::sync::LazyLock;

use regex::Regex;

use crate::date::{parse_partial_date, Date, DatePrecision};
use crate::minutes::clean::clean;
use crate::minutes::cover::{chair_in_text, justerare_in_text, read_cover};
use crate::minutes::dates::infer_meeting_date;
use crate::minutes::decision::decisions;
use crate::minutes::lang::{item_language_with, meeting_language};
use crate::minutes::markdown::field;
use crate::minutes::pages::dechrome;
use crate::minutes::place::Gazetteer;
use crate::minutes::protokoll::{case_references, front_page_body};
use crate::minutes::speaker::{meeting_speakers_with, Context};
use crate::minutes::split::{split_with, Structure};
use crate::model::{DateSource, Item, Meeting, Municipality};

/// What is known about a meeting before its text is read (from the manifest or file name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingInfo {
    /// Stable meeting id; item ids are built from it.
    pub id: String,
    /// The body that met, when known.
    pub body: Option<String>,
    /// The meeting date with its precision and source, when known.
    pub date: Option<(Date, DatePrecision, DateSource)>,
    /// Source URL or original file name.
    pub source: String,
    /// The municipality whose body met, by name or SCB code, when the manifest says it.
    pub municipality: Option<String>,
}

/// The items of one meeting and what was odd about its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The items in meeting order.
    pub items: Vec<Item>,
    /// Warnings about the text, for the operator.
    pub warnings: Vec<String>,
}

/// Parses one meeting's minutes text into items.
///
/// ```
/// use paragraf_indexer::minutes::{parse_minutes, MeetingInfo};
///
/// let text = "Hoppa över navigering\n • Ärendet föredras av Elin Ring och Jan Persson.\n\n  Krokom: Inga nya fall.\n";
/// let info = MeetingInfo { id: "svom-2020-12-04".into(), body: Some("SVOM".into()), date: None, source: "x.txt".into(), municipality: None };
/// let parsed = parse_minutes(text, info);
/// let item = &parsed.items[0];
/// assert_eq!(item.id, "svom-2020-12-04.01");
/// assert_eq!(item.speakers.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Elin Ring", "Jan Persson"]);
/// assert_eq!(item.municipalities[0].code, "2309");
/// ```
pub fn parse_minutes(text: &str, info: MeetingInfo) -> Parsed {
    let mut warnings = Vec::new();
    // A converter's Markdown is read as the text it stands for (issue 15).
    let markdown = crate::minutes::markdown::strip(text);
    let (text, front_matter) = match &markdown {
        Some(md) => (md.text.as_str(), md.front_matter.as_slice()),
        None => (text, &[][..]),
    };
    // A formal protokoll's running headers and footers are chrome (docs/domain.md § 2).
    let pages = dechrome(text);
    let formal = pages.header_date.is_some()
        || pages.header_body.is_some()
        || pages.header_municipality.is_some();
    let cleaned = clean(&pages.text);
    let split = split_with(&cleaned, formal);
    let split_formal_items = split.structure == Structure::Sections;
    match (split.structure, split.items.is_empty()) {
        (_, true) => warnings.push("no text left after removing page chrome".to_string()),
        (Structure::None, false) => warnings.push(
            "no agenda bullets or § headings found; the whole text is indexed as one item"
                .to_string(),
        ),
        _ => {}
    }

    let date = info
        .date
        .or_else(|| {
            field(front_matter, &["datum", "date"])
                .or(pages.header_date.as_deref())
                .and_then(parse_partial_date)
                .map(|(d, p)| (d, p, DateSource::Inferred))
        })
        .or_else(|| infer_meeting_date(&cleaned).map(|(d, p)| (d, p, DateSource::Inferred)));
    // The front page of a formal protokoll is everything before its first "§" (docs/domain.md § 2).
    let front = split.preamble.join(" ");
    let cover = read_cover(&split.preamble);
    let gazetteer = Gazetteer::sweden();
    let body = info
        .body
        .or_else(|| {
            field(front_matter, &["namnd", "nämnd", "body"])
                .filter(|b| b.chars().count() > 3)
                .map(str::to_string)
        })
        .or_else(|| pages.header_body.as_deref().map(body_case))
        .or_else(|| front_page_body(&front))
        .map(without_chrome_words);
    let municipality = own_municipality(
        gazetteer,
        info.municipality.as_deref(),
        field(front_matter, &["kommun", "municipality"]),
        pages.header_municipality.as_deref(),
        &front,
    );
    // Where the front page lists nobody (its values lost in an export), its signature is no
    // safer than the items' "Ordförande X (P) …".
    let chair_in_items = || split.items.iter().find_map(|i| chair_in_text(&i.text()));
    let chair = if cover.attendees.is_empty() {
        chair_in_items().or(cover.chair)
    } else {
        cover.chair.or_else(chair_in_items)
    };
    let meeting = Meeting {
        id: info.id,
        body,
        date: date.map(|(d, p, _)| d.to_string_with(p)),
        date_precision: date.map(|(_, p, _)| p),
        date_source: date.map(|(_, _, s)| s),
        source: info.source,
        attendees: cover.attendees,
        others: cover.others,
        justerare: if cover.justerare.is_empty() {
            // The item that records them ("Protokollets justering"), usually the first.
            split
                .items
                .iter()
                .take(3)
                .map(|i| justerare_in_text(&i.text()))
                .find(|j| !j.is_empty())
                .unwrap_or_default()
        } else {
            cover.justerare
        },
        municipality,
        chair,
        // Set by the archive from the manifest or the format (`archive::parse_job`).
        visibility: crate::model::Visibility::Public,
    };

    let paragraphs: Vec<Vec<String>> = split.items.iter().map(|i| i.paragraphs.clone()).collect();
    let people: Vec<_> = meeting
        .attendees
        .iter()
        .chain(&meeting.others)
        .cloned()
        .collect();
    let context = Context {
        // A protokoll split at its § headings is formal even where no running header was
        // recognised (a PDF whose header lines came out apart).
        formal: formal || split_formal_items,
        chair: meeting.chair.as_deref(),
        people: &people,
    };
    let speakers = meeting_speakers_with(&paragraphs, &context);
    let meeting_lang = std::cell::OnceCell::new();
    let meeting_lang = || *meeting_lang.get_or_init(|| meeting_language(&cleaned));

    let items: Vec<Item> = split
        .items
        .into_iter()
        .zip(speakers)
        .enumerate()
        .map(|(n, (raw, speakers))| {
            let text = raw.text();
            let full = match &raw.title {
                Some(title) => format!("{title}\n\n{text}"),
                None => text.clone(),
            };
            let ordinal = u32::try_from(n + 1).unwrap_or(u32::MAX);
            let speakers = if formal {
                presenters(speakers, &full)
            } else {
                speakers
            };
            Item {
                id: format!("{}.{:02}", meeting.id, ordinal),
                meeting: meeting.clone(),
                ordinal,
                section: raw.section,
                title: raw.title,
                // Case numbers belong to formal protokoll; other texts are not searched for them.
                case_references: if split_formal_items {
                    case_references(&text, raw.case_number.as_deref())
                } else {
                    Vec::new()
                },
                case_number: raw.case_number,
                municipalities: gazetteer.find_in(&full),
                decisions: decisions(&raw.paragraphs),
                language: item_language_with(&full, meeting_lang),
                speakers,
                text,
                page: None,
            }
        })
        .collect();
    // One item holds the whole text: nothing to warn about, nothing to count.
    let one_item = items.len() == 1 && !split_formal_items;
    if let Some(warning) = (!one_item)
        .then(|| coverage_warning(&cleaned, &items))
        .flatten()
    {
        warnings.push(warning);
    }
    Parsed { items, warnings }
}

/// Titles in front of a name ("Kommunjurist Linnéa Princis"): the word is a role, not a name.
const ROLE_ENDINGS: &[&str] = &[
    "jurist",
    "direktör",
    "chef",
    "sekreterare",
    "partner",
    "samordnare",
    "handläggare",
    "strateg",
    "ansvarig",
    "ledare",
    "ekonom",
    "revisor",
    "inspektör",
    "arkitekt",
    "ingenjör",
    "controller",
    "utvecklare",
    "ordförande",
    "tjänsteman",
    "utredare",
    "konsult",
];

/// The speakers of a formal protokoll's item without a title read as part of the name
/// ("Kommunjurist Linnéa Princis"): the title goes to `role`. (Who presents is decided by the
/// speaker rules of a formal protokoll, [`Context::formal`].)
fn presenters(speakers: Vec<crate::model::Speaker>, _text: &str) -> Vec<crate::model::Speaker> {
    let mut out: Vec<crate::model::Speaker> = Vec::new();
    for mut speaker in speakers {
        let words: Vec<&str> = speaker.name.split_whitespace().collect();
        if words.len() >= 3 {
            let first = words[0].to_lowercase();
            if ROLE_ENDINGS.iter().any(|e| first.ends_with(e)) {
                if speaker.role.is_none() {
                    speaker.role = Some(first);
                }
                speaker.name = words[1..].join(" ");
            }
        }
        if !out.iter().any(|s| s.name == speaker.name) {
            out.push(speaker);
        }
    }
    out
}

/// A body name without the page chrome a PDF's reading order glued to it
/// ("Byggnadsnämnden Utdragsbestyrkande").
fn without_chrome_words(body: String) -> String {
    const CHROME: &[&str] = &[
        "Utdragsbestyrkande",
        "Justerandes",
        "sign",
        "SAMMANTRÄDESPROTOKOLL",
        "Sammanträdesprotokoll",
        "Protokoll",
    ];
    let words: Vec<&str> = body.split_whitespace().collect();
    let keep = words
        .iter()
        .rposition(|w| !CHROME.contains(w))
        .map_or(0, |i| i + 1);
    if keep == words.len() || keep == 0 {
        return body;
    }
    words[..keep].join(" ")
}

/// "SAMHÄLLSBYGGNADSNÄMNDEN" as a body is written in running text: "Samhällsbyggnadsnämnden".
fn body_case(name: &str) -> String {
    if name.chars().any(char::is_lowercase) {
        return name.to_string();
    }
    let lower = name.to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The municipality whose body met: the manifest's, the front matter's, the header's
/// ("MELLERUDS KOMMUN"), or the first "X kommun" on the front page that is one.
fn own_municipality(
    gazetteer: &Gazetteer,
    manifest: Option<&str>,
    front_matter: Option<&str>,
    header: Option<&str>,
    front: &str,
) -> Option<Municipality> {
    static KOMMUN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(\p{Lu}[\p{L}-]+(?:\s\p{Lu}[\p{L}-]+)?)\s+(?:kommun|KOMMUN)(?-u:\b)")
            .expect("constant regex compiles")
    });
    let lookup = |name: &str| {
        gazetteer.lookup(name).cloned().or_else(|| {
            // The genitive of a header: "MELLERUDS KOMMUN", "Krokoms kommun".
            name.strip_suffix(['s', 'S'])
                .and_then(|n| gazetteer.lookup(n).cloned())
        })
    };
    manifest
        .and_then(lookup)
        .or_else(|| front_matter.and_then(lookup))
        .or_else(|| header.and_then(lookup))
        .or_else(|| {
            // Cheap first: most texts have no "kommun" on a front page at all.
            if !front.contains("kommun") && !front.contains("KOMMUN") {
                return None;
            }
            KOMMUN
                .captures_iter(front)
                .find_map(|c| c.get(1).and_then(|m| lookup(m.as_str())))
        })
}

/// A warning when the items hold much less of the document's words than it has: text that
/// no item holds cannot be found.
fn coverage_warning(cleaned: &str, items: &[Item]) -> Option<String> {
    // Lower-case words only: the names of a roll call belong to the cover, not to an item.
    fn words(s: &str) -> std::collections::HashSet<&str> {
        s.split(|c: char| !c.is_alphabetic())
            .filter(|w| w.len() >= 3 && w.starts_with(char::is_lowercase))
            .collect()
    }
    let document = words(cleaned);
    if document.len() < 50 {
        return None;
    }
    let mut held = std::collections::HashSet::new();
    for item in items {
        held.extend(words(&item.text));
        if let Some(t) = &item.title {
            held.extend(words(t));
        }
    }
    let share =
        document.iter().filter(|w| held.contains(*w)).count() as f64 / document.len() as f64;
    (share < COVERAGE_WARNING).then(|| {
        format!(
            "the items hold only {:.0} % of the document's distinct words; text outside the items cannot be found",
            share * 100.0
        )
    })
}

/// Below this share of the document's distinct words in its items, `parse` warns.
const COVERAGE_WARNING: f64 = 0.6;
