//! From one meeting's text to its item documents: clean, split, then read speakers,
//! municipalities, decisions and language for each item.

use crate::date::{Date, DatePrecision};
use crate::minutes::clean::clean;
use crate::minutes::dates::infer_meeting_date;
use crate::minutes::decision::decisions;
use crate::minutes::lang::{item_language_with, meeting_language};
use crate::minutes::place::Gazetteer;
use crate::minutes::protokoll::{attendees, front_page_body, justerare};
use crate::minutes::speaker::meeting_speakers;
use crate::minutes::split::{split, Structure};
use crate::model::{DateSource, Item, Meeting};

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
/// let info = MeetingInfo { id: "svom-2020-12-04".into(), body: Some("SVOM".into()), date: None, source: "x.txt".into() };
/// let parsed = parse_minutes(text, info);
/// let item = &parsed.items[0];
/// assert_eq!(item.id, "svom-2020-12-04.01");
/// assert_eq!(item.speakers.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Elin Ring", "Jan Persson"]);
/// assert_eq!(item.municipalities[0].code, "2309");
/// ```
pub fn parse_minutes(text: &str, info: MeetingInfo) -> Parsed {
    let mut warnings = Vec::new();
    let cleaned = clean(text);
    let split = split(&cleaned);
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
        .or_else(|| infer_meeting_date(&cleaned).map(|(d, p)| (d, p, DateSource::Inferred)));
    // The front page of a formal protokoll is everything before its first "§" (DOMAIN.md § 2).
    let front = split.preamble.join(" ");
    let attendees = attendees(&front);
    let justerare = justerare(&front, &attendees);
    let meeting = Meeting {
        id: info.id,
        body: info.body.or_else(|| front_page_body(&front)),
        date: date.map(|(d, p, _)| d.to_string_with(p)),
        date_precision: date.map(|(_, p, _)| p),
        date_source: date.map(|(_, _, s)| s),
        source: info.source,
        attendees,
        justerare,
    };

    let paragraphs: Vec<Vec<String>> = split.items.iter().map(|i| i.paragraphs.clone()).collect();
    let speakers = meeting_speakers(&paragraphs);
    let meeting_lang = std::cell::OnceCell::new();
    let meeting_lang = || *meeting_lang.get_or_init(|| meeting_language(&cleaned));
    let gazetteer = Gazetteer::sweden();

    let items = split
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
            Item {
                id: format!("{}.{:02}", meeting.id, ordinal),
                meeting: meeting.clone(),
                ordinal,
                section: raw.section,
                title: raw.title,
                case_number: raw.case_number,
                municipalities: gazetteer.find_in(&full),
                decisions: decisions(&raw.paragraphs),
                language: item_language_with(&full, meeting_lang),
                speakers,
                text,
            }
        })
        .collect();
    Parsed { items, warnings }
}
