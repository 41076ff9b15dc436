//! Splitting cleaned minutes text into agenda items.
//!
//! The region's meeting pages mark each agenda item with a bullet "•" (docs/domain.md § 1); formal
//! protokoll start each item with a "§ 12" heading (docs/domain.md § 2). Sub-bullets (deeper
//! indentation, or the "·" marker), sub-headings and numbered sub-points stay inside their item.
//! A surviving heading becomes the item's `section` ("§ 54") and `title`; nothing is invented
//! where the scrape lost it.

use std::sync::LazyLock;

use regex::Regex;

use crate::minutes::clean::squeeze;
use crate::minutes::formal;
use crate::minutes::protokoll::take_case_number;

/// One agenda item as cut from the text, before speakers, places and decisions are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawItem {
    /// "§ 54" when the item opens with a paragraph number.
    pub section: Option<String>,
    /// The item's heading, when it opens with one.
    pub title: Option<String>,
    /// The case number ("Dnr KS 2013/123") in the item's first lines, normalised.
    pub case_number: Option<String>,
    /// Paragraphs of the item's body; lines inside a paragraph are kept.
    pub paragraphs: Vec<String>,
}

impl RawItem {
    /// The body as one string, paragraphs separated by a blank line.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n\n")
    }
}

/// How a text marked its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Structure {
    /// Agenda bullets ("•"), as on the region's meeting pages.
    Bullets,
    /// "§ N" headings at line starts, as in formal protokoll.
    Sections,
    /// Neither: the whole text became one item.
    None,
}

/// A text cut into its opening (before the first item) and its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Lines before the first item: page headings such as "Möte 2020-10-09" and the body.
    pub preamble: Vec<String>,
    /// The items in order.
    pub items: Vec<RawItem>,
    /// Which markers were found.
    pub structure: Structure,
}

/// Item bullets used by scraped meeting pages.
const BULLETS: &[char] = &['•', '●', '▪', '◦'];
/// Sub-point markers that never start an item of their own.
const SUB_BULLETS: &[char] = &['·', '–', '-', '○'];

static SECTION_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:§\s*(\d{1,4})|(\d{1,3}))\s*$").expect("constant regex compiles")
});
static SECTION_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^§\s*(\d{1,4})\b\s*(.*)$").expect("constant regex compiles"));

/// Splits cleaned text (see [`crate::minutes::clean::clean`]) into items.
pub fn split(cleaned: &str) -> Split {
    split_with(cleaned, false)
}

/// Splits cleaned text into items; `formal` says the text carries a protokoll's running
/// headers, so that one § heading is enough to read it as a formal protokoll.
pub fn split_with(cleaned: &str, formal: bool) -> Split {
    let lines: Vec<&str> = cleaned.lines().collect();
    // A formal protokoll is cut at its § headings only: bullets inside a § never split it
    // (issue 15: "o Delårsuppföljning" made 43 items of 7).
    if let Some(split) =
        formal::split_formal(&lines, formal || item_bullet_indent(&lines).is_none())
    {
        return split;
    }
    if let Some(indent) = item_bullet_indent(&lines) {
        return split_bullets(&lines, indent);
    }
    if lines.iter().any(|l| SECTION_START.is_match(l.trim_start())) {
        return split_sections(&lines);
    }
    let paragraphs = paragraphs(lines.iter().copied());
    let items = if paragraphs.is_empty() {
        Vec::new()
    } else {
        vec![RawItem {
            section: None,
            title: None,
            case_number: None,
            paragraphs,
        }]
    };
    Split {
        preamble: Vec::new(),
        items,
        structure: Structure::None,
    }
}

/// The indentation of item bullets: the smallest indentation of any bullet line.
fn item_bullet_indent(lines: &[&str]) -> Option<usize> {
    lines
        .iter()
        .filter_map(|l| {
            let rest = l.trim_start();
            rest.starts_with(BULLETS).then(|| indent_of(l))
        })
        .min()
}

fn indent_of(line: &str) -> usize {
    line.chars().take_while(|c| *c == ' ').count()
}

fn split_bullets(lines: &[&str], indent: usize) -> Split {
    let mut preamble = Vec::new();
    let mut groups: Vec<Vec<String>> = Vec::new();
    for line in lines {
        let rest = line.trim_start();
        let is_item = indent_of(line) == indent && rest.starts_with(BULLETS);
        if is_item {
            let first = rest.trim_start_matches(BULLETS).trim();
            groups.push(vec![first.to_string()]);
        } else if let Some(group) = groups.last_mut() {
            group.push(line.to_string());
        } else if !rest.is_empty() {
            preamble.push(squeeze(rest));
        }
    }
    let items = groups
        .iter()
        .map(|g| item_from_lines(g.iter().map(String::as_str)))
        .collect();
    Split {
        preamble,
        items,
        structure: Structure::Bullets,
    }
}

fn split_sections(lines: &[&str]) -> Split {
    let mut preamble = Vec::new();
    let mut groups: Vec<Vec<String>> = Vec::new();
    for line in lines {
        let rest = line.trim_start();
        if SECTION_START.is_match(rest) {
            groups.push(vec![rest.to_string()]);
        } else if let Some(group) = groups.last_mut() {
            group.push(line.to_string());
        } else if !rest.is_empty() {
            preamble.push(squeeze(rest));
        }
    }
    let items = groups
        .iter()
        .map(|g| item_from_lines(g.iter().map(String::as_str)))
        .collect();
    Split {
        preamble,
        items,
        structure: Structure::Sections,
    }
}

/// How many of an item's first lines may hold its case number ("§ 84", "Dnr KS 2013/123",
/// title: formal protokoll put it on the heading line or right below).
const CASE_NUMBER_LINES: usize = 3;

/// Builds an item from its lines (the first is the text after the bullet, if any).
fn item_from_lines<'a>(lines: impl Iterator<Item = &'a str>) -> RawItem {
    let mut lines: Vec<String> = lines.map(str::to_string).collect();
    let mut case_number = None;
    let heading_lines: Vec<usize> = (0..lines.len())
        .filter(|&k| !lines[k].trim().is_empty())
        .take(CASE_NUMBER_LINES)
        .collect();
    for k in heading_lines {
        if let Some((rest, number)) = take_case_number(&lines[k]) {
            case_number = Some(number);
            if rest.is_empty() {
                lines.remove(k);
            } else {
                lines[k] = rest;
            }
            break;
        }
    }
    let mut paragraphs = paragraphs(lines.iter().map(String::as_str));
    let mut section = None;
    let mut title = None;

    if let Some(first) = paragraphs.first() {
        let first_line = first.lines().next().unwrap_or_default().to_string();
        if let Some(caps) = SECTION_ONLY.captures(&first_line) {
            let number = caps.get(1).or_else(|| caps.get(2)).map(|m| m.as_str());
            section = number.map(|n| format!("§ {n}"));
            drop_first_line(&mut paragraphs);
        } else if let Some(caps) = SECTION_START.captures(&first_line) {
            section = caps.get(1).map(|m| format!("§ {}", m.as_str()));
            let rest = caps.get(2).map_or("", |m| m.as_str()).trim().to_string();
            drop_first_line(&mut paragraphs);
            if !rest.is_empty() {
                if is_heading(&rest) {
                    title = Some(rest);
                } else {
                    paragraphs.insert(0, rest);
                }
            }
        }
    }

    if title.is_none() {
        if let Some(first) = paragraphs.first() {
            let mut first_lines = first.lines();
            let candidate = first_lines.next().unwrap_or_default();
            let more_in_paragraph = first_lines.next().is_some();
            let more_after = more_in_paragraph || paragraphs.len() > 1;
            // After a "§ N" line the next line is the heading even when nothing follows it
            // ("§ 41" + "Sammanträdestider SVOM 2023"); otherwise a heading must head something.
            if is_heading(candidate) && (section.is_some() || more_after) {
                title = Some(candidate.to_string());
                drop_first_line(&mut paragraphs);
            }
        }
    }

    RawItem {
        section,
        title,
        case_number,
        paragraphs,
    }
}

fn drop_first_line(paragraphs: &mut Vec<String>) {
    if let Some(first) = paragraphs.first_mut() {
        match first.split_once('\n') {
            Some((_, rest)) => *first = rest.to_string(),
            None => {
                paragraphs.remove(0);
            }
        }
    }
}

/// Whether a line reads as a heading: short, capitalised, no sentence end, not a numbered
/// sub-point ("1. Coronamöten") nor a roll-call line ("Krokom: …").
pub fn is_heading(line: &str) -> bool {
    let line = line.trim();
    let words = line.split_whitespace().count();
    let Some(first) = line.chars().next() else {
        return false;
    };
    first.is_uppercase()
        && words <= 10
        && line.chars().count() <= 90
        && !line.ends_with(['.', ':', ';', '!', '?', ','])
        && !line.contains(": ")
        && !line.contains(", ")
}

/// Groups lines into paragraphs at blank lines; strips indentation, squeezes spaces and writes
/// sub-bullets as "• ".
pub(crate) fn paragraphs<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in lines {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if !current.is_empty() {
                out.push(current.join("\n"));
                current.clear();
            }
            continue;
        }
        let line = match trimmed.strip_prefix(BULLETS).or_else(|| {
            trimmed
                .strip_prefix(SUB_BULLETS)
                .filter(|rest| rest.starts_with(' '))
        }) {
            Some(rest) => format!("• {}", squeeze(rest)),
            None => squeeze(trimmed),
        };
        current.push(line);
    }
    if !current.is_empty() {
        out.push(current.join("\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(split: &Split) -> Vec<(Option<&str>, Option<&str>)> {
        split
            .items
            .iter()
            .map(|i| (i.section.as_deref(), i.title.as_deref()))
            .collect()
    }

    #[test]
    fn each_bullet_is_an_item() {
        let text = " • Lise öppnar mötet.\n\n • En preliminär dagordning har skickats ut.\n\n  Ordföranden yrkar att två ärenden läggs till.\n";
        let split = split(text);
        assert_eq!(split.structure, Structure::Bullets);
        assert_eq!(split.items.len(), 2);
        assert_eq!(
            split.items[1].paragraphs,
            vec![
                "En preliminär dagordning har skickats ut.",
                "Ordföranden yrkar att två ärenden läggs till."
            ]
        );
    }

    #[test]
    fn section_and_title_after_bullet() {
        let text = " • § 54\n\n  Val av justerare och tid för justering\n\n • Nästa punkt.\n";
        let split = split(text);
        assert_eq!(
            titles(&split),
            vec![
                (Some("§ 54"), Some("Val av justerare och tid för justering")),
                (None, None)
            ]
        );
        assert_eq!(split.items[0].paragraphs, Vec::<String>::new());
    }

    #[test]
    fn bare_number_bullet_is_a_section() {
        let split = split(" •   2\n\n  Val av justerare och tid för justering\n");
        assert_eq!(
            titles(&split),
            vec![(Some("§ 2"), Some("Val av justerare och tid för justering"))]
        );
    }

    #[test]
    fn heading_bullet_becomes_title_and_sub_heading_stays() {
        let text = " • Politisk referensgrupp för SVOM\n\n  En diskussion förs.\n\n  Väntetider utredning psykiatrin\n\n  Ledamöter tar upp väntetider.\n";
        let split = split(text);
        assert_eq!(
            titles(&split),
            vec![(None, Some("Politisk referensgrupp för SVOM"))]
        );
        assert_eq!(
            split.items[0].paragraphs,
            vec![
                "En diskussion förs.",
                "Väntetider utredning psykiatrin",
                "Ledamöter tar upp väntetider."
            ]
        );
    }

    #[test]
    fn numbered_sub_point_is_not_a_title() {
        let text = " • 1. Coronamöten på onsdagar\n\n  Ledamöterna beslutar att det blir ett möte.\n\n  2. Krokom: Fråga om munskydd.\n";
        let split = split(text);
        assert_eq!(titles(&split), vec![(None, None)]);
        assert_eq!(split.items[0].paragraphs.len(), 3);
    }

    #[test]
    fn sentence_bullet_is_not_a_title() {
        let split =
            split(" • Ordföranden föredrar föregående protokoll.\n  Inga synpunkter framförs.\n");
        assert_eq!(titles(&split), vec![(None, None)]);
        assert_eq!(
            split.items[0].paragraphs,
            vec!["Ordföranden föredrar föregående protokoll.\nInga synpunkter framförs."]
        );
    }

    #[test]
    fn deeper_bullets_and_middle_dots_stay_inside_the_item() {
        let text = " • Föredragningslistan har skickats ut.\n\n  • Covidläget\n  • Patientsäkerhet\n\n • Nästa.\n\n  ·        TNE-ärendet var upp.\n";
        let split = split(text);
        assert_eq!(split.items.len(), 2);
        assert_eq!(
            split.items[0].paragraphs[1],
            "• Covidläget\n• Patientsäkerhet"
        );
        assert_eq!(split.items[1].paragraphs[1], "• TNE-ärendet var upp.");
    }

    #[test]
    fn preamble_is_kept_apart() {
        let text =
            "Möte 2020-10-09\n\nSociala vård och omsorgsgruppen\n • Tom Silverklo öppnar mötet.\n";
        let split = split(text);
        assert_eq!(
            split.preamble,
            vec!["Möte 2020-10-09", "Sociala vård och omsorgsgruppen"]
        );
        assert_eq!(split.items.len(), 1);
    }

    #[test]
    fn section_headings_without_bullets() {
        let text = "Kommunstyrelsen\n§ 84 Informationer\nKommunchefen informerar.\n§ 85\nBudget 2014\nBeslut: att anta budgeten.\n";
        let split = split(text);
        assert_eq!(split.structure, Structure::Sections);
        assert_eq!(
            titles(&split),
            vec![
                (Some("§ 84"), Some("Informationer")),
                (Some("§ 85"), Some("Budget 2014"))
            ]
        );
        assert_eq!(split.preamble, vec!["Kommunstyrelsen"]);
    }

    #[test]
    fn case_number_leaves_section_and_title() {
        let text = "§ 84 Dnr KS 2013/123\nInformationer\n\nKommunchefen informerar.\n§ 85\nDnr KS 2013/200\nRambudget 2014\n";
        let split = split(text);
        assert_eq!(
            titles(&split),
            vec![
                (Some("§ 84"), Some("Informationer")),
                (Some("§ 85"), Some("Rambudget 2014"))
            ]
        );
        let numbers: Vec<Option<&str>> = split
            .items
            .iter()
            .map(|i| i.case_number.as_deref())
            .collect();
        assert_eq!(numbers, vec![Some("KS 2013/123"), Some("KS 2013/200")]);
        assert_eq!(split.items[0].paragraphs, vec!["Kommunchefen informerar."]);
    }

    #[test]
    fn text_without_markers_is_one_item() {
        let split = split("Bara löptext här.\nUtan punkter.\n");
        assert_eq!(split.structure, Structure::None);
        assert_eq!(
            split.items[0].paragraphs,
            vec!["Bara löptext här.\nUtan punkter."]
        );
    }
}
