//! Swedish dates: dates mentioned in minutes text, and the places a meeting date can come from
//! (a file name like `kommunstyrelsen-2013-05-15`, or a labelled date in the opening of the text).
//!
//! Rules from docs/domain.md §5 ("Dates"):
//! - the meeting date belongs to the meeting; dates mentioned in an item are another thing, so
//!   [`infer_meeting_date`] only takes a date written right after a label such as
//!   "Sammanträdesdatum" or "Möte", never the first date it sees;
//! - Swedish forms are "2020-12-04", "den 2 december", "4 dec", "31 december 2020"; month names
//!   and abbreviations are januari … december, jan, feb, mars, apr, maj, juni, juli, aug, sep(t),
//!   okt, nov, dec;
//! - a date without a year takes the meeting's year, and the next year when its month is earlier
//!   than the meeting's and the context says "nästa" ("nästa möte den 15 januari").
//!
//! Clock times ("kl. 15:00"), seasons ("i våras") and case numbers ("2020/21") are not dates.

use std::sync::LazyLock;

use regex::Regex;

use crate::date::{Date, DatePrecision};

/// A date mentioned in text, to the precision written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MentionedDate {
    /// The date; the first of the month when only month and year are written.
    pub date: Date,
    /// Day when the day is written, month for "augusti 2022".
    pub precision: DatePrecision,
    /// Byte offset in the text where the date starts.
    pub start: usize,
    /// Byte offset in the text just after the date.
    pub end: usize,
}

/// Month names and abbreviations as a regex alternation, longest first so that "december" is
/// not cut to "dec".
const MONTHS: &str = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|\
                      november|december|sept|jan|feb|apr|aug|sep|okt|nov|dec";

/// How many bytes of the opening of a text [`infer_meeting_date`] searches for a label.
const OPENING_BYTES: usize = 3000;

/// How many bytes after a label (and weekday) are searched for its date; "31 december 2020"
/// and "sept. 2020" fit with room to spare.
const DATE_WINDOW_BYTES: usize = 40;

/// How many words before a year-less date are searched for "nästa".
const NEXT_CONTEXT_WORDS: usize = 4;

/// "2020-12-04".
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})\b").expect("constant ISO date regex compiles")
});

/// "4 december 2020", "den 2 december", "4 dec".
static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(\d{{1,2}})\s+({MONTHS})\b\.?(?:\s+(\d{{4}})\b)?"
    ))
    .expect("constant day-month regex compiles")
});

/// "augusti 2022", "dec. 2020".
static MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)\b({MONTHS})\b\.?\s+(\d{{4}})\b"))
        .expect("constant month-year regex compiles")
});

/// A meeting-date label. "Sammanträdesdatum" and "Mötesdatum" say what they are wherever they
/// stand (PDF extraction flattens headers onto long lines); the everyday words "Datum", "Möte"
/// and "Sammanträde" count only capitalised at the start of a line, so that "nästa möte den 15
/// januari" in running text is not taken for the meeting date.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)(?:\b(?i:sammanträdesdatum|mötesdatum)|^(?:[^\S\n]|[•·])*(?:Datum|DATUM|Möte|MÖTE|Sammanträde|SAMMANTRÄDE)\b)[^\S\n]*:?[^\S\n]*",
    )
    .expect("constant label regex compiles")
});

/// Optional weekday and "den" between a label and its date: "onsdagen den 15 maj 2013".
static WEEKDAY_DEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)(?:en)?,?\s+)?(?:den\s+)?",
    )
    .expect("constant weekday regex compiles")
});

/// Meeting file stem: an optional prefix, then `YYYY-MM-DD` at the end.
static FILE_STEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(.*?)[-_ .])?(\d{4})-(\d{2})-(\d{2})$").expect("constant stem regex compiles")
});

/// File-name words that say "meeting" or "minutes" rather than naming a body.
const GENERIC_STEM_WORDS: &[&str] = &[
    "mote",
    "möte",
    "protokoll",
    "minnesanteckningar",
    "sammantrade",
    "sammanträde",
    "kallelse",
];

/// Parses a Swedish month name or abbreviation: januari..december, jan, feb, mars, apr, maj,
/// juni, juli, aug, sep, sept, okt, nov, dec (case-insensitive, optional trailing '.').
pub fn month_from_swedish(word: &str) -> Option<u32> {
    let word = word.trim();
    let word = word.strip_suffix('.').unwrap_or(word).to_lowercase();
    let month = match word.as_str() {
        "januari" | "jan" => 1,
        "februari" | "feb" => 2,
        "mars" => 3,
        "april" | "apr" => 4,
        "maj" => 5,
        "juni" => 6,
        "juli" => 7,
        "augusti" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "oktober" | "okt" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    };
    Some(month)
}

/// Dates written in the text: "2020-12-04", "4 december 2020", "den 2 december", "4 dec",
/// "31 december 2020", "december 2020" (month precision), in text order.
///
/// A date without a year takes the year of `meeting` (and the next year when its month is
/// earlier than the meeting's month and the words just before it contain "nästa"); without a
/// meeting date, a year-less date is skipped. Clock times ("kl. 15:00") and numbers like
/// "2020/21" are not dates.
pub fn find_dates(text: &str, meeting: Option<Date>) -> Vec<MentionedDate> {
    let mut found: Vec<MentionedDate> = Vec::new();
    let overlaps = |found: &[MentionedDate], start: usize, end: usize| {
        found.iter().any(|d| start < d.end && d.start < end)
    };

    for caps in ISO.captures_iter(text) {
        let Some(m) = caps.get(0) else { continue };
        if continues_as_number(text, m.end()) {
            continue;
        }
        if let Some(date) = ymd(&caps[1], &caps[2], &caps[3]) {
            found.push(MentionedDate {
                date,
                precision: DatePrecision::Day,
                start: m.start(),
                end: m.end(),
            });
        }
    }

    for caps in DAY_MONTH.captures_iter(text) {
        let Some(m) = caps.get(0) else { continue };
        if overlaps(&found, m.start(), m.end()) || follows_clock_or_number(text, m.start()) {
            continue;
        }
        let (Some(day), Some(month)) = (caps[1].parse::<u32>().ok(), month_from_swedish(&caps[2]))
        else {
            continue;
        };
        let year = match caps.get(3) {
            Some(y) if !continues_as_number(text, y.end()) => y.as_str().parse::<i32>().ok(),
            // "4 dec 2020/21": the day and month stand, the year is something else.
            Some(_) | None => meeting.map(|meeting| {
                let before = &text[..m.start()];
                if month < meeting.month && says_next(before) {
                    meeting.year + 1
                } else {
                    meeting.year
                }
            }),
        };
        let Some(date) = year.and_then(|year| Date::new(year, month, day)) else {
            continue;
        };
        // Without a year of its own, the date ends after the month name.
        let end = match caps.get(3) {
            Some(y) if !continues_as_number(text, y.end()) => y.end(),
            _ => caps.get(2).map_or(m.end(), |mo| mo.end()),
        };
        found.push(MentionedDate {
            date,
            precision: DatePrecision::Day,
            start: m.start(),
            end,
        });
    }

    for caps in MONTH_YEAR.captures_iter(text) {
        let Some(m) = caps.get(0) else { continue };
        if overlaps(&found, m.start(), m.end()) || continues_as_number(text, m.end()) {
            continue;
        }
        let (Some(month), Some(year)) = (month_from_swedish(&caps[1]), caps[2].parse().ok()) else {
            continue;
        };
        if let Some(date) = Date::new(year, month, 1) {
            found.push(MentionedDate {
                date,
                precision: DatePrecision::Month,
                start: m.start(),
                end: m.end(),
            });
        }
    }

    found.sort_by_key(|d| d.start);
    found
}

/// A calendar date from year, month and day digits; `None` for "2020-02-30".
fn ymd(year: &str, month: &str, day: &str) -> Option<Date> {
    Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

/// Whether the number ending at `end` goes on as a longer number or range: "2020/21",
/// "2020-21", "2020.5". Such a number is not a year.
fn continues_as_number(text: &str, end: usize) -> bool {
    let mut rest = text[end..].chars();
    match rest.next() {
        Some(c) if c.is_ascii_digit() => true,
        Some('/' | '-' | '.' | ',' | ':') => rest.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// Whether the number starting at `start` is the tail of a clock time or a longer number:
/// "15:00", "1.5", "3,4".
fn follows_clock_or_number(text: &str, start: usize) -> bool {
    let mut before = text[..start].chars().rev();
    match before.next() {
        Some(':' | '.' | ',' | '/') => before.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// Whether the few words before a date say "next" ("nästa SVOM den 2 december").
fn says_next(before: &str) -> bool {
    // Only words of the same sentence or line count.
    let sentence = before
        .rfind(['.', '!', '?', '\n'])
        .map_or(before, |p| &before[p + 1..]);
    sentence
        .split_whitespace()
        .rev()
        .take(NEXT_CONTEXT_WORDS)
        .any(|w| matches!(w.to_lowercase().as_str(), "nästa" | "nästkommande"))
}

/// Body and date from a file stem like "kommunstyrelsen-2013-05-15" or "svom-2020-12-04" →
/// (Some("kommunstyrelsen"), date). A stem that is only a date ("2020-12-04") or whose prefix is
/// a generic word like "mote"/"möte"/"protokoll"/"minnesanteckningar" gives (None, date).
///
/// Generic words are dropped from a longer prefix too: "svom-mote-2020-12-04" gives "svom".
/// `None` when the stem does not end in a real calendar date.
pub fn from_file_stem(stem: &str) -> Option<(Option<String>, Date)> {
    let caps = FILE_STEM.captures(stem.trim())?;
    let date = ymd(&caps[2], &caps[3], &caps[4])?;
    let body = caps.get(1).and_then(|prefix| {
        let parts: Vec<&str> = prefix
            .as_str()
            .split(['-', '_', ' ', '.'])
            .filter(|p| !p.is_empty())
            .filter(|p| !GENERIC_STEM_WORDS.contains(&p.to_lowercase().as_str()))
            .collect();
        (!parts.is_empty()).then(|| parts.join("-"))
    });
    Some((body, date))
}

/// The meeting date stated in the opening of a minutes text, if any: a date right after a label
/// such as "Sammanträdesdatum", "Mötesdatum", "Datum", "Möte", "Sammanträde" (optional ':'),
/// within the first ~3000 bytes. Day precision (or month precision if only month and year are
/// written).
///
/// Returns `None` when there is no such labelled date: mentioned dates such as "Avtalet går ut
/// den 31 december 2020" are not the meeting date. A date read this way should be marked
/// [`DateSource::Inferred`](crate::model::DateSource::Inferred).
pub fn infer_meeting_date(text: &str) -> Option<(Date, DatePrecision)> {
    let mut cut = OPENING_BYTES.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    LABEL
        .find_iter(&text[..cut])
        .find_map(|label| date_at(&text[label.end()..]))
}

/// A date with its own year at the very start of `s` (after an optional weekday and "den").
fn date_at(s: &str) -> Option<(Date, DatePrecision)> {
    let skip = WEEKDAY_DEN.find(s).map_or(0, |m| m.end());
    // A date is short; looking further than this would only cost time on long texts.
    let mut cut = (skip + DATE_WINDOW_BYTES).min(s.len());
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    let s = &s[skip..cut];
    // Dates are found by the same rules as in running text, without a meeting to borrow a
    // year from; only one that starts right here counts.
    let first = find_dates(s, None).into_iter().next()?;
    (first.start == 0).then_some((first.date, first.precision))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: i32, month: u32, day: u32) -> Date {
        Date { year, month, day }
    }

    /// (date, precision, matched text) of every date found.
    fn dates(text: &str, meeting: Option<Date>) -> Vec<(String, DatePrecision, String)> {
        find_dates(text, meeting)
            .into_iter()
            .map(|m| {
                (
                    m.date.to_string_with(m.precision),
                    m.precision,
                    text[m.start..m.end].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn label_on_a_line_after_a_blank_line() {
        // "Sammanträde" must not match the start of "Sammanträdesdatum" one line early.
        assert_eq!(
            infer_meeting_date("Socialnämnden\n\nSammanträdesdatum 2023-09-20\n"),
            Some((d(2023, 9, 20), DatePrecision::Day))
        );
    }

    #[test]
    fn month_names_and_abbreviations() {
        assert_eq!(month_from_swedish("januari"), Some(1));
        assert_eq!(month_from_swedish("Mars"), Some(3));
        assert_eq!(month_from_swedish("sept."), Some(9));
        assert_eq!(month_from_swedish("sep"), Some(9));
        assert_eq!(month_from_swedish("DEC"), Some(12));
        assert_eq!(month_from_swedish(" okt "), Some(10));
        assert_eq!(month_from_swedish("mar"), None);
        assert_eq!(month_from_swedish("jul"), None);
        assert_eq!(month_from_swedish("våren"), None);
    }

    #[test]
    fn full_dates_in_text() {
        assert_eq!(
            dates("Avtalet går ut den 31 december 2020.", None),
            [(
                "2020-12-31".into(),
                DatePrecision::Day,
                "31 december 2020".into()
            )]
        );
        assert_eq!(
            dates("Mötet 2020-12-04 och 4 dec. 2021", None),
            [
                ("2020-12-04".into(), DatePrecision::Day, "2020-12-04".into()),
                (
                    "2021-12-04".into(),
                    DatePrecision::Day,
                    "4 dec. 2021".into()
                )
            ]
        );
        assert_eq!(dates("Fel datum 2021-02-29.", None), []);
    }

    #[test]
    fn year_less_dates_take_the_meeting_year() {
        let meeting = Some(d(2022, 10, 7));
        assert_eq!(
            dates(
                "Planen är att vara klara till nästa SVOM den 2 december.",
                meeting
            ),
            [("2022-12-02".into(), DatePrecision::Day, "2 december".into())]
        );
        assert_eq!(
            dates("nästa möte den 15 januari", Some(d(2022, 12, 2))),
            [("2023-01-15".into(), DatePrecision::Day, "15 januari".into())]
        );
        // Without "nästa" an earlier month stays in the meeting year.
        assert_eq!(
            dates("som lanserades den 18 november", Some(d(2022, 12, 2))),
            [(
                "2022-11-18".into(),
                DatePrecision::Day,
                "18 november".into()
            )]
        );
        assert_eq!(
            dates("På Socsam 4 dec beslutades att", Some(d(2020, 12, 4))),
            [("2020-12-04".into(), DatePrecision::Day, "4 dec".into())]
        );
        // No meeting date, no year.
        assert_eq!(dates("På Socsam 4 dec beslutades att", None), []);
    }

    #[test]
    fn month_precision() {
        assert_eq!(
            dates("Statistik till och med augusti 2022.", None),
            [(
                "2022-08".into(),
                DatePrecision::Month,
                "augusti 2022".into()
            )]
        );
        assert_eq!(
            dates("I december 2020 beslutades", Some(d(2022, 1, 1))),
            [(
                "2020-12".into(),
                DatePrecision::Month,
                "december 2020".into()
            )]
        );
    }

    #[test]
    fn clock_times_and_numbers_are_not_dates() {
        let meeting = Some(d(2020, 12, 4));
        assert_eq!(dates("avslutar mötet ca kl. 15:00.", meeting), []);
        assert_eq!(dates("komma igång vid årsskiftet 2020/21.", meeting), []);
        assert_eq!(dates("Sammanträdestider SVOM 2023", meeting), []);
        assert_eq!(
            dates("Den är totalt 100 minuter lång, i 6 kapitel.", meeting),
            []
        );
        assert_eq!(dates("vid jul/nyår, i våras", meeting), []);
    }

    #[test]
    fn meeting_date_from_labels() {
        assert_eq!(
            infer_meeting_date("Hoppa över navigering\n\nMöte 2020-10-09\n\nSociala vård"),
            Some((d(2020, 10, 9), DatePrecision::Day))
        );
        assert_eq!(
            infer_meeting_date("Kommunstyrelsen\nSammanträdesdatum 2013-05-15\nPlats och tid"),
            Some((d(2013, 5, 15), DatePrecision::Day))
        );
        assert_eq!(
            infer_meeting_date("Sammanträdesdatum: 4 december 2020"),
            Some((d(2020, 12, 4), DatePrecision::Day))
        );
        assert_eq!(
            infer_meeting_date("Datum: onsdagen den 15 maj 2013"),
            Some((d(2013, 5, 15), DatePrecision::Day))
        );
        assert_eq!(
            infer_meeting_date("Mötesdatum oktober 2022"),
            Some((d(2022, 10, 1), DatePrecision::Month))
        );
    }

    #[test]
    fn mentioned_dates_are_not_the_meeting_date() {
        assert_eq!(
            infer_meeting_date("• Avtalet går ut den 31 december 2020. Region JH har misslyckats."),
            None
        );
        // A label with no date right after it, as in PDF-extracted headers.
        assert_eq!(
            infer_meeting_date(
                "Kommunstyrelsen Sammanträdesdatum Nr Sida (38)\nDatum då anslaget sätts upp 17 maj 2013"
            ),
            None
        );
        // "möte" in running text is no label.
        assert_eq!(infer_meeting_date("Vi ses på nästa möte 2023-01-15."), None);
        // A label beyond the opening does not count.
        let late = format!("{}\nMöte 2020-10-09", "x".repeat(OPENING_BYTES));
        assert_eq!(infer_meeting_date(&late), None);
    }

    #[test]
    fn body_and_date_from_file_stems() {
        assert_eq!(
            from_file_stem("kommunstyrelsen-2013-05-15"),
            Some((Some("kommunstyrelsen".into()), d(2013, 5, 15)))
        );
        assert_eq!(
            from_file_stem("svom-2020-12-04"),
            Some((Some("svom".into()), d(2020, 12, 4)))
        );
        assert_eq!(
            from_file_stem("mote-2020-12-04"),
            Some((None, d(2020, 12, 4)))
        );
        assert_eq!(from_file_stem("2020-12-04"), Some((None, d(2020, 12, 4))));
        assert_eq!(
            from_file_stem("Protokoll_2013-05-15"),
            Some((None, d(2013, 5, 15)))
        );
        assert_eq!(
            from_file_stem("svom-mote-2020-12-04"),
            Some((Some("svom".into()), d(2020, 12, 4)))
        );
        assert_eq!(from_file_stem("000_9ab99b2f6feb9d46"), None);
        assert_eq!(from_file_stem("svom-2020-02-30"), None);
        assert_eq!(from_file_stem("svom-20201204"), None);
    }
}
