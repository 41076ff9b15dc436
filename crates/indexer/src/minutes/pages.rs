//! Running headers and footers of a formal protokoll's pages (docs/domain.md § 2): removed as page
//! chrome, and read on the way for what they say about the meeting (the body, the date, the
//! municipality in "MELLERUDS KOMMUN").
//!
//! A layout text (PDF text, the `.txt` and converter exports) sets the header in columns, and
//! a § heading or a title may share a line with it ("SBN § 39        Sida 6 av 12",
//! "Beslut om avfallsföreskrifter       2025-09-01"). So a line is cut into cells at wide gaps
//! and each cell is judged alone:
//! - anywhere: "SAMMANTRÄDESPROTOKOLL …", "Sida 2 av 12", "2 (14)", "Justerandes sign(atur)",
//!   "Utdragsbestyrkande", "Justerande" alone, "Protokollet har justerats digitalt", the
//!   signature services' lines ("Det här dokumentet är digitalt signerat",
//!   "Transaktionsidentitet: …", "Signed by: …", "Undertecknat av följande personer") and
//!   converter notes ("==> picture … omitted <==");
//! - in a page's head (the first lines of a page, or after a "SAMMANTRÄDESPROTOKOLL" line):
//!   a cell that is only dates, page numbers, "Datum", "Sammanträdesdatum", "X KOMMUN" and a
//!   body's name ("Byggnadsnämnden 2020-02-26 1(26)"), and a line that heads at least 3 pages
//!   and 40 % of them ("Valnämnd" under Kungsbacka's header).
//!
//! A text with no protokoll header at all (the region's meeting pages) comes back unchanged.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// What the page chrome said, and the text without it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dechromed {
    /// The text, chrome removed; page breaks are gone, line structure is kept.
    pub text: String,
    /// The date standing in the running header most often ("2025-09-01").
    pub header_date: Option<String>,
    /// The body named in the running header most often, as written there.
    pub header_body: Option<String>,
    /// The municipality named "X KOMMUN" (or "X kommun") in a header, as written ("MELLERUDS").
    pub header_municipality: Option<String>,
}

/// Cells that are chrome wherever they stand.
static CHROME_CELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            sammanträdesprotokoll\b.*
          | (?:sida\s+)?\d{1,3}\s+av\s+\d{1,3}
          | \d{1,3}\s?\(\d{1,3}\)
          | justerandes?\s+sign(?:atur|\.)?
          | justerandes\s+signatur
          | justerande
          | utdragsbestyrkande
          | expedierat/bestyrkt
          | protokollet\ har\ justerats\ digitalt
          | det\ här\ dokumentet\ är\ digitalt\ signerat.*
          | detta\ dokument\ är\ elektroniskt\ signerat.*
          | transaktionsidentitet:.*
          | signed\ by:.*
          | undertecknat\ av\ följande\ personer.*
          | visma/twoday\ underskriftstjänst.*
          | dokumentet\ är\ signerat\ av\ .*
          | ==>.*<==
        )$",
    )
    .expect("constant regex compiles")
});

/// A line that starts a page's running header.
static HEADER_ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)sammanträdesprotokoll|^\s*sida\s+\d{1,3}\s+av\s+\d{1,3}\s*$")
        .expect("constant regex compiles")
});

/// The first line of a signature service's closing page.
static SIGNATURE_PAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:#+\s*)?(?:undertecknat av följande personer|detta dokument är elektroniskt signerat|dokumentet är signerat av)")
        .expect("constant regex compiles")
});

/// "Sida 6 av 12" inside a line.
static PAGE_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"Sida\s+\d{1,3}\s+av\s+\d{1,3}(?-u:\b)").expect("constant regex compiles")
});

/// Header tokens: dates, page numbers, "Nr 02", "Datum", "Sida".
static HEADER_TOKENS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:19|20)\d{2}-\d{2}-\d{2}|sammanträdesprotokoll|sammanträdesdatum|datum|sida|protokoll|nr\s+\d{1,3})\b|\b\d{1,3}\s?\(\d{1,3}\)|^\d{1,3}$|\s\d{1,3}$|^\d{1,3}\s")
        .expect("constant regex compiles")
});

/// "MELLERUDS KOMMUN", "Lomma kommun" at a cell's start.
static KOMMUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Lu}[\p{L}-]+(?:\s\p{Lu}[\p{L}-]+)?)\s+(?:KOMMUN|kommun)(?-u:\b)")
        .expect("constant regex compiles")
});

static ISO_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b((?:19|20)\d{2}-\d{2}-\d{2})\b").expect("constant regex compiles")
});

/// A body's name: a word of council, board, committee or audit, with at most two words after
/// ("Byggnadsnämndens arbetsutskott") and an "X- och" in front ("Barn- och utbildningsnämnden").
static BODY_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\p{L}+-\s+(?:och|&)\s+)?\p{L}*(?:nämnd|styrelse|fullmäktige|utskott|beredning|direktion|revision|förbund)\p{L}*(?:\s+\p{L}+){0,2}$")
        .expect("constant regex compiles")
});

/// How many non-empty lines after a page break or a header line are the page's head.
const HEAD_LINES: usize = 5;

/// Removes the running headers and footers of a protokoll (see the module doc).
pub fn dechrome(text: &str) -> Dechromed {
    // Cheap first: a text without page breaks, "SAMMANTRÄDESPROTOKOLL" or "Sida N av M" has
    // no running headers (the region's meeting pages); no regex is needed for it.
    let has_header = text.contains('\u{c}')
        || text.contains("AMMANTRÄDESPROTOKOLL")
        || text.contains("ammanträdesprotokoll")
        || (text.contains("Sida ") && PAGE_OF.is_match(text));
    if !has_header {
        return Dechromed {
            text: text.to_string(),
            ..Dechromed::default()
        };
    }
    let lines: Vec<&str> = text.split('\n').collect();
    // Which lines are in a page's head, and how many pages a head line heads.
    let mut in_head = vec![false; lines.len()];
    let mut left = HEAD_LINES + 1;
    let mut pages = 1usize;
    for (i, line) in lines.iter().enumerate() {
        if line.contains('\u{c}') {
            pages += 1;
            left = HEAD_LINES + 1;
        }
        if HEADER_ANCHOR.is_match(line) {
            left = HEAD_LINES + 1;
        }
        let blank = line
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{c}')
            .is_empty();
        if left > 0 && !blank {
            in_head[i] = true;
            left -= 1;
        }
    }
    let mut head_counts: HashMap<&str, usize> = HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        if in_head[i] {
            for cell in cells(line) {
                *head_counts.entry(cell).or_default() += 1;
            }
        }
    }
    let repeated = |cell: &str| {
        let n = head_counts.get(cell).copied().unwrap_or(0);
        // A case number heading the items of one case on page after page ("Bun/2019:49   600"
        // in Jönköping's elections, issue #19) is the items' text, not the pages' chrome.
        n >= 3
            && n * 5 >= pages * 2
            && !cell.contains('§')
            && crate::minutes::protokoll::find_case_numbers(cell).is_empty()
    };

    let mut out = String::with_capacity(text.len());
    let mut dates: HashMap<String, usize> = HashMap::new();
    let mut bodies: Vec<(String, usize)> = Vec::new();
    let mut municipality = None;
    // The closing pages of a signature service ("Undertecknat av följande personer", names,
    // "Organisation: Kungsbacka kommun", BankID lines) up to the next page with a header.
    let mut signature_page = false;
    for (i, raw) in lines.iter().enumerate() {
        if HEADER_ANCHOR.is_match(raw) {
            signature_page = false;
        }
        if SIGNATURE_PAGE.is_match(&raw.split_whitespace().collect::<Vec<_>>().join(" ")) {
            signature_page = true;
        }
        if signature_page {
            out.push('\n');
            continue;
        }
        let line = raw.replace('\u{c}', "");
        // "Sida 6 av 12" is never text, wherever the PDF text put it.
        let line = match PAGE_OF.find(&line) {
            Some(_) => PAGE_OF.replace_all(&line, "   ").into_owned(),
            None => line,
        };
        let mut kept: Vec<(usize, &str)> = Vec::new();
        let mut dropped = false;
        for (start, cell) in cell_spans(&line) {
            let is_chrome = if CHROME_CELL.is_match(cell) {
                true
            } else if in_head[i] {
                let (chrome, body, kommun) = head_cell(cell);
                if chrome {
                    for d in ISO_DATE.captures_iter(cell) {
                        *dates.entry(d[1].to_string()).or_default() += 1;
                    }
                    if let Some(body) = body {
                        match bodies.iter_mut().find(|(b, _)| *b == body) {
                            Some((_, n)) => *n += 1,
                            None => bodies.push((body, 1)),
                        }
                    }
                    if municipality.is_none() {
                        municipality = kommun;
                    }
                }
                chrome || repeated(cell)
            } else {
                false
            };
            if is_chrome {
                dropped = true;
            } else {
                kept.push((start, cell));
            }
        }
        if !dropped {
            out.push_str(line.trim_end());
        } else {
            // Keep the cells that are text at their columns, so that indentation still tells.
            let mut rebuilt = String::new();
            for (start, cell) in kept {
                let col = line[..start].chars().count();
                let have = rebuilt.chars().count();
                if have < col {
                    rebuilt.extend(std::iter::repeat_n(' ', col - have));
                } else if !rebuilt.is_empty() {
                    rebuilt.push_str("   ");
                }
                rebuilt.push_str(cell);
            }
            out.push_str(rebuilt.trim_end());
        }
        out.push('\n');
    }
    // `split('\n')` gave one line more than there are line ends.
    out.pop();
    let header_date = dates
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(d, _)| d);
    let header_body = bodies
        .iter()
        .enumerate()
        .max_by(|(i, a), (j, b)| a.1.cmp(&b.1).then(j.cmp(i)))
        .map(|(_, (b, _))| b.clone());
    Dechromed {
        text: out,
        header_date,
        header_body,
        header_municipality: municipality,
    }
}

/// A head cell: whether it is chrome, the body it names, the municipality of "X KOMMUN".
fn head_cell(cell: &str) -> (bool, Option<String>, Option<String>) {
    let mut rest = cell.trim().to_string();
    let mut kommun = None;
    if let Some(caps) = KOMMUN.captures(&rest) {
        let name = caps[1].to_string();
        rest = rest[caps.get(0).map_or(0, |m| m.end())..].to_string();
        kommun = Some(name);
    }
    let residue = HEADER_TOKENS.replace_all(&rest, " ");
    let residue = residue.split_whitespace().collect::<Vec<_>>().join(" ");
    if residue.is_empty() {
        return (true, None, kommun);
    }
    if BODY_NAME.is_match(&residue) {
        return (true, Some(residue), kommun);
    }
    (false, None, None)
}

/// The cells of a line: runs of text separated by three or more spaces.
fn cells(line: &str) -> impl Iterator<Item = &str> {
    cell_spans(line).into_iter().map(|(_, c)| c)
}

/// The cells of a line with their byte offsets.
fn cell_spans(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        let start = i;
        let mut end = i;
        while i < bytes.len() {
            if bytes[i] == b' ' {
                let gap_start = i;
                while i < bytes.len() && bytes[i] == b' ' {
                    i += 1;
                }
                if i - gap_start >= 3 || i >= bytes.len() {
                    break;
                }
            } else {
                i += 1;
                end = i;
            }
        }
        out.push((start, line[start..end].trim_end()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lomma_header_cells_go_headings_stay() {
        let text = "SAMHÄLLSBYGGNADSNÄMNDEN        SAMMANTRÄDESPROTOKOLL\nSBN § 39                       Sida 6 av 12\n                               Sammanträdesdatum\nBeslut om avfallsföreskrifter    2025-09-01\n\nText.\nJusterande       Utdragsbestyrkande\nProtokollet har justerats digitalt\n";
        let d = dechrome(text);
        assert_eq!(
            d.text,
            "\nSBN § 39\n\nBeslut om avfallsföreskrifter\n\nText.\n\n\n"
        );
        assert_eq!(d.header_date.as_deref(), Some("2025-09-01"));
        assert_eq!(d.header_body.as_deref(), Some("SAMHÄLLSBYGGNADSNÄMNDEN"));
    }

    #[test]
    fn a_case_number_at_every_page_top_is_no_chrome() {
        let page = |n: usize| {
            format!("JÖNKÖPINGS KOMMUN Barn- och utbildningsnämnden\nSAMMANTRÄDESPROTOKOLL 2019-01-08\n{n} (5)\n§ {n}\nBun/2019:49   600\nText {n}.\nJusterandes sign\nUtdragsbestyrkande\n\u{c}")
        };
        let text: String = (1..=5).map(page).collect();
        let d = dechrome(&text);
        assert_eq!(d.text.matches("Bun/2019:49").count(), 5, "{:?}", d.text);
        assert!(!d.text.contains("SAMMANTRÄDESPROTOKOLL"), "{:?}", d.text);
    }

    #[test]
    fn kommun_header_names_the_municipality() {
        let text = "MELLERUDS KOMMUN SAMMANTRÄDESPROTOKOLL Nr 02\nSammanträdesdatum sida\nByggnadsnämnden 2020-02-26 1(26)\n§ 22\n";
        let d = dechrome(text);
        assert_eq!(d.text, "\n\n\n§ 22\n");
        assert_eq!(d.header_municipality.as_deref(), Some("MELLERUDS"));
        assert_eq!(d.header_body.as_deref(), Some("Byggnadsnämnden"));
    }

    #[test]
    fn meeting_pages_are_left_alone() {
        let text = " • Lise öppnar mötet.\n 2 (3)\n";
        assert_eq!(dechrome(text).text, text);
    }

    /// Jönköping's elections (BUN 2019-01-08 §§ 8-12) share one Dnr, printed in the head of
    /// five pages: it was taken for a running header and the items lost their case number.
    #[test]
    fn a_case_number_heading_page_after_page_is_kept() {
        let page = |n: u32| {
            format!("\u{c}JÖNKÖPINGS KOMMUN Barn- och utbildningsnämnden\nSAMMANTRÄDESPROTOKOLL 2019-01-08\n§ {n}\nVal nummer {n}\nBun/2019:49   600\nText.\n")
        };
        let text: String = (8..=12).map(page).collect();
        let kept = dechrome(&text).text;
        assert_eq!(kept.matches("Bun/2019:49").count(), 5, "{kept}");
    }
}
