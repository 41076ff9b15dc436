//! A formal protokoll cut at its paragraphs (docs/domain.md § 2, issue 15).
//!
//! General rules, from the four templates of `../shared/corpus/real-protokoll/`:
//! - an item starts at a **§ heading at a line start**: "§ 26", "SBN § 38", "KS § 3 a",
//!   "§ 179   Dnr KS-2025-00970", "- § 1" (a converter's list marker), followed by nothing, a
//!   case number or a capitalised title. Not headings: "§ 13 direktjusteras …" (lower case
//!   after the number: a wrapped reference), "§138/180829" and "KU § 317 06-12-05" (a quoted
//!   earlier decision: a date or "/" after the number), "§ PBL." (no number), "Forts § 4" (a
//!   continuation marker, not at the start), "enligt § 185" and "8 kap. 1 a §" (not at the
//!   start);
//! - the **table of contents** ("Innehåll", "Innehållsförteckning", "Ärendelista") lists the
//!   headings once more: from its label on, headings are entries until a § number comes again;
//!   a heading with a dotted leader ("…… 4") is an entry anywhere. Entries are no items;
//! - the item's **case number** stands on the heading line or in the heading block (up to four
//!   lines before the first sub-heading or running text), at the start or the end of its line;
//!   the **title** is the rest of the heading line or the heading block's first other line;
//! - everything after a heading up to the next heading is the item's: bullets, sub-headings,
//!   tables, signature lines inside a § ("Paragrafen justeras omedelbart." and the signatures)
//!   never end an item.

use std::sync::LazyLock;

use regex::Regex;

use crate::minutes::clean::squeeze;
use crate::minutes::protokoll::{heading_case_number, normalize_case_number};
use crate::minutes::split::{paragraphs, RawItem, Split, Structure};

/// "§ 26 …", "SBN § 38 …", "KS § 3 a …", "- § 1".
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-–−]\s+)?(?:([A-ZÅÄÖ]{1,6})\s+)?§\s?(\d{1,4})(?:\s([a-z])(?-u:\b))?(.*)$")
        .expect("constant regex compiles")
});

/// After the number: a quoted decision's date ("06-12-05", "/180829", "-12").
static REFERENCE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\s*\d{2}-\d{2}-\d{2}(?-u:\b)|/|-|:|\.\d|,|\s*\d{6}(?-u:\b)|\s*kap(?-u:\b)|\s+st(?-u:\b))")
        .expect("constant regex compiles")
});

/// The labels of a table of contents.
const TOC_LABELS: &[&str] = &[
    "innehåll",
    "innehållsförteckning",
    "ärendelista",
    "ärendeförteckning",
    "innehåll sida",
];

/// Sub-headings of a §: they end a heading block (the title is not among them).
pub const SUB_HEADINGS: &[&str] = &[
    "ärendebeskrivning",
    "sammanfattning",
    "sammanfattning av ärendet",
    "beslutsunderlag",
    "förslag till beslut",
    "yrkanden",
    "yrkande",
    "propositionsordning",
    "beslutsgång",
    "beslut",
    "reservation",
    "reservationer",
    "protokollsanteckning",
    "jäv",
    "expediering",
    "beslutet skickas till",
    "beslutet expedieras till",
    "bakgrund",
    "ärendet",
];

/// Whether a line is a table of contents' label ("Innehåll", "Ärendelista", "Innehåll   Sida").
fn is_toc_label(t: &str) -> bool {
    // Cheap first: every label starts with I or Ä (no allocation for the other lines).
    if !t.starts_with(['I', 'i', 'Ä', 'ä']) {
        return false;
    }
    let first_cell = t
        .split("   ")
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches(':');
    let first_cell = first_cell.to_lowercase();
    let whole = squeeze(t).to_lowercase();
    TOC_LABELS.iter().any(|l| first_cell == *l || whole == *l)
}

/// A heading found on a line.
#[derive(Debug, Clone)]
struct Heading {
    line: usize,
    number: u32,
    sub: Option<String>,
    rest: String,
    toc_like: bool,
}

/// Cuts a formal protokoll at its § headings, or `None` when it has none (or, unless `alone`,
/// fewer than two): the caller then tries bullets.
pub fn split_formal(lines: &[&str], alone: bool) -> Option<Split> {
    let mut candidates: Vec<Heading> = Vec::new();
    let mut toc_start: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if toc_start.is_none() && t.len() < 60 && is_toc_label(t) {
            toc_start = Some(i);
        }
        if let Some(h) = heading(t, i) {
            // "Forts" on the line before: a continuation marker, not a new item.
            let previous = lines[..i]
                .iter()
                .rev()
                .map(|l| l.trim())
                .find(|l| !l.is_empty());
            let continued = previous.is_some_and(|p| {
                let p = p.to_lowercase();
                // Also glued to the page number before it ("8 (21)Forts").
                p.ends_with("forts") || p.ends_with("forts.")
            });
            if !continued {
                candidates.push(h);
            }
        }
    }
    // The table of contents: from its label, entries until a number comes again.
    let mut in_toc: Vec<bool> = vec![false; candidates.len()];
    if let Some(start) = toc_start {
        let mut seen: Vec<(u32, Option<String>)> = Vec::new();
        for (k, h) in candidates.iter().enumerate() {
            if h.line < start {
                continue;
            }
            let key = (h.number, h.sub.clone());
            if seen.contains(&key) {
                break;
            }
            seen.push(key);
            in_toc[k] = true;
        }
        if in_toc.iter().all(|&t| t) {
            // No number came again: there was no table of contents after all.
            in_toc.iter_mut().for_each(|t| *t = false);
        }
    }
    // Without a label (a contents table, or a label the PDF text glued to something else):
    // the contents start at a heading whose number comes again later with at most three
    // lines before the next heading, and run until a number comes again.
    if !in_toc.iter().any(|&t| t) {
        let mut run: Option<Vec<(u32, Option<String>)>> = None;
        for k in 0..candidates.len() {
            let key = (candidates[k].number, candidates[k].sub.clone());
            match &mut run {
                Some(seen) => {
                    if seen.contains(&key) {
                        break;
                    }
                    seen.push(key);
                    in_toc[k] = true;
                }
                None => {
                    let next_line = candidates.get(k + 1).map_or(lines.len(), |n| n.line);
                    let between = lines[candidates[k].line + 1..next_line]
                        .iter()
                        .filter(|l| !l.trim().is_empty())
                        .count();
                    let again = candidates[k + 1..]
                        .iter()
                        .any(|n| n.number == key.0 && n.sub == key.1);
                    if again && between <= 3 {
                        in_toc[k] = true;
                        run = Some(vec![key]);
                    }
                }
            }
        }
        if run.is_some() && in_toc.iter().all(|&t| t) {
            in_toc.iter_mut().for_each(|t| *t = false);
        }
    }
    let mut headings: Vec<Heading> = Vec::new();
    for (k, h) in candidates.into_iter().enumerate() {
        if in_toc[k] || h.toc_like {
            continue;
        }
        if let Some(prev) = headings.last() {
            // A number far below the previous heading's is a reference at a line start.
            if h.number + 1 < prev.number {
                continue;
            }
            // The previous number again, followed by no title but the rest of an item
            // ("Beslutet expedieras till: …", a sub-heading, a bullet): a continuation whose
            // "Forts" the PDF text lost.
            if h.number == prev.number && h.sub == prev.sub && h.rest.is_empty() {
                let next = lines[h.line + 1..]
                    .iter()
                    .map(|l| l.trim())
                    .find(|l| !l.is_empty())
                    .unwrap_or("");
                let continues = is_sub_heading(next)
                    || next.starts_with(|c: char| c.is_lowercase())
                    || next.starts_with(['-', '•', '−', '–'])
                    || next.starts_with("Beslutet ");
                if continues {
                    continue;
                }
            }
        }
        headings.push(h);
    }
    if headings.is_empty() || (headings.len() < 2 && !alone) {
        return None;
    }
    // A heading that repeats the previous number without a sub-letter is a misprint of the
    // next one (seen in one sample only: Mellerud 2020-02-26 prints § 35 and § 37 twice, its
    // contents and "§§ 22 - 38" say § 36 and § 38).
    for k in 1..headings.len() {
        if headings[k].number == headings[k - 1].number
            && headings[k].sub.is_none()
            && headings[k - 1].sub.is_none()
        {
            headings[k].number = headings[k - 1].number + 1;
        }
    }

    let first = headings[0].line;
    let preamble: Vec<String> = lines[..first]
        .iter()
        .map(|l| squeeze(l))
        .filter(|l| !l.is_empty())
        .collect();
    let mut items = Vec::with_capacity(headings.len());
    for (k, h) in headings.iter().enumerate() {
        let end = headings.get(k + 1).map_or(lines.len(), |n| n.line);
        items.push(item(h, &lines[h.line + 1..end]));
    }
    Some(Split {
        preamble,
        items,
        structure: Structure::Sections,
    })
}

/// A § heading on a trimmed line, if it is one.
fn heading(t: &str, line: usize) -> Option<Heading> {
    if !t.contains('§') {
        return None;
    }
    let caps = HEADING.captures(t)?;
    let number: u32 = caps.get(2)?.as_str().parse().ok()?;
    let rest = caps.get(4).map_or("", |m| m.as_str());
    if REFERENCE_AFTER.is_match(rest) {
        return None;
    }
    let rest_trim = rest.trim();
    if let Some(c) = rest_trim.chars().next() {
        if c.is_lowercase() || !(rest.starts_with(' ') || rest.starts_with('\t')) {
            return None;
        }
    }
    let toc_like = rest_trim.contains("....") || rest_trim.contains("…");
    Some(Heading {
        line,
        number,
        sub: caps.get(3).map(|m| m.as_str().to_string()),
        rest: rest_trim.to_string(),
        toc_like,
    })
}

/// Whether a line is one of the sub-headings (colon and case aside).
pub fn is_sub_heading(line: &str) -> bool {
    let t = line.trim().trim_end_matches(':').trim();
    SUB_HEADINGS.iter().any(|h| t.eq_ignore_ascii_case(h))
        || (t.split_whitespace().count() <= 8
            && (t.to_lowercase().ends_with("s beslut") || t.to_lowercase().ends_with("s förslag")))
}

/// Builds one item from its heading and the lines up to the next heading.
fn item(h: &Heading, body: &[&str]) -> RawItem {
    let section = Some(match &h.sub {
        Some(sub) => format!("§ {} {sub}", h.number),
        None => format!("§ {}", h.number),
    });
    let mut lines: Vec<String> = body.iter().map(|l| l.to_string()).collect();
    let mut case_number = None;
    let mut title: Option<String> = None;
    let mut rest = h.rest.clone();
    // The heading line: "§ 179   Dnr KS-2025-00970", "§ 27 2025.275 TEN Title".
    if !rest.is_empty() {
        let cells: Vec<String> = rest
            .split("   ")
            .map(squeeze)
            .filter(|c| !c.is_empty())
            .collect();
        let mut kept = Vec::new();
        for cell in cells {
            if case_number.is_none() {
                if let Some((r, number)) = heading_case_number(&cell) {
                    case_number = Some(normalize_case_number(&number));
                    if !r.is_empty() {
                        kept.push(r);
                    }
                    continue;
                }
            }
            kept.push(cell);
        }
        rest = kept.join(" ");
        if !rest.is_empty() {
            title = Some(rest);
        }
    }
    // The heading block: up to four non-empty lines before a sub-heading or running text.
    let mut seen = 0;
    let mut k = 0;
    while k < lines.len() && seen < 4 {
        let t = squeeze(&lines[k]);
        if t.is_empty() {
            k += 1;
            continue;
        }
        seen += 1;
        if is_sub_heading(&t) || t.chars().count() > 160 {
            break;
        }
        if case_number.is_none() {
            if let Some((r, number)) = heading_case_number(&t) {
                case_number = Some(normalize_case_number(&number));
                if r.is_empty() {
                    lines.remove(k);
                    continue;
                }
                lines[k] = r;
                continue;
            }
        }
        if title.is_none() && is_title(&t) {
            title = Some(t);
            lines.remove(k);
            continue;
        }
        if title.is_some() && case_number.is_some() {
            break;
        }
        // Running text: the block has ended.
        if t.ends_with('.') || t.chars().count() > 100 {
            break;
        }
        k += 1;
    }
    RawItem {
        section,
        title,
        case_number,
        paragraphs: paragraphs(lines.iter().map(String::as_str)),
    }
}

/// A title line: capitalised, no sentence end, not a sub-heading, not a list item.
fn is_title(t: &str) -> bool {
    let Some(c) = t.chars().next() else {
        return false;
    };
    (c.is_uppercase() || c.is_ascii_digit())
        && !t.ends_with('.')
        && !t.starts_with(['-', '•', '−', '–'])
        && !is_sub_heading(t)
        && t.chars().count() <= 160
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(text: &str) -> Vec<(Option<String>, Option<String>, Option<String>)> {
        let lines: Vec<&str> = text.lines().collect();
        split_formal(&lines, true)
            .map(|s| {
                s.items
                    .into_iter()
                    .map(|i| (i.section, i.title, i.case_number))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn headings_of_four_templates() {
        let text = "Innehåll\n§ 38   SBN/2025:74\n   Beslut om plan\n§ 39\n   Taxa\nSBN § 38     SBN/2025:74\n\nBeslut om plan\n\nText enligt § 185 och\n§ 13 direktjusteras nu.\nKU § 317 06-12-05\n§138/180829\n§ PBL.\n- § 39\nTaxa\nBun/2019:49   600\n§ 40 2026.072 TEN Budget\n";
        assert_eq!(
            sections(text),
            vec![
                (
                    Some("§ 38".into()),
                    Some("Beslut om plan".into()),
                    Some("SBN 2025/74".into())
                ),
                (
                    Some("§ 39".into()),
                    Some("Taxa".into()),
                    Some("BUN 2019/49".into())
                ),
                (
                    Some("§ 40".into()),
                    Some("Budget".into()),
                    Some("TEN 2026/72".into())
                ),
            ]
        );
    }

    #[test]
    fn bullets_stay_inside_and_sub_numbers_count() {
        let text = "KS § 3 a   DNR:KF/2006.366\nVal\n• punkt ett\no Delårsuppföljning\nKS § 3 b\nVal två\n";
        let lines: Vec<&str> = text.lines().collect();
        let split = split_formal(&lines, true).expect("formal");
        assert_eq!(split.items.len(), 2);
        assert_eq!(split.items[0].section.as_deref(), Some("§ 3 a"));
        assert_eq!(split.items[0].case_number.as_deref(), Some("KF 2006/366"));
        assert_eq!(split.items[0].paragraphs.len(), 1);
    }
}
