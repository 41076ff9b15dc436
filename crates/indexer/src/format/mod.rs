//! The formats minutes are published in, told apart by content, and each turned into the
//! plain-text shape the rest of the pipeline reads (issue #8): agenda bullets "•", "§ N"
//! headings at line starts, a blank line between paragraphs. Cleaning, splitting, speakers,
//! places, decisions and language are then the same for every format.
//!
//! - [`Format::Text`]: plain text (UTF-8 or Windows-1252), as scraped; see [`crate::archive::read`].
//! - [`Format::Html`]: a meeting page saved from a browser ([`html`]).
//! - [`Format::Pdf`]: minutes from a meeting system, with a text layer ([`pdf`]).
//! - [`Format::Docx`]: a draft written in Word ([`docx`]).
//!
//! ```
//! use paragraf_indexer::format::{detect, Format};
//!
//! assert_eq!(detect(b"%PDF-1.7\n"), Format::Pdf);
//! assert_eq!(detect(b"\n<!DOCTYPE html><html lang=\"sv\">"), Format::Html);
//! assert_eq!(detect("• Mötet öppnas.".as_bytes()), Format::Text);
//! ```

pub mod docx;
pub mod html;
pub mod pdf;
pub mod sample;

use std::fmt;
use std::sync::LazyLock;
use std::time::Duration;

use regex::Regex;

/// How far a reader goes with one file before it refuses it (issue #17: one hostile file
/// must never stop an archive, by a crash or by taking forever).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How deep elements (HTML, DOCX) may nest. Browsers stop at 512 too (Blink's parser
    /// nests no deeper); meeting pages and Word drafts are a few dozen levels deep.
    pub depth: usize,
    /// How long reading one file (parsing HTML, extracting a PDF's text) may take.
    pub time: Duration,
    /// The most text one meeting's minutes can have: 32 MiB is some 10,000 pages.
    pub text_bytes: usize,
}

/// [`Limits::depth`] by default.
pub const MAX_DEPTH: usize = 512;
/// [`Limits::time`] by default.
pub const MAX_READ_TIME: Duration = Duration::from_secs(60);
/// [`Limits::text_bytes`] by default.
pub const MAX_TEXT_BYTES: usize = 32 * 1024 * 1024;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            depth: MAX_DEPTH,
            time: MAX_READ_TIME,
            text_bytes: MAX_TEXT_BYTES,
        }
    }
}

/// The format of a minutes file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text.
    Text,
    /// An HTML page.
    Html,
    /// A PDF document.
    Pdf,
    /// A Word document (Office Open XML).
    Docx,
    /// A ZIP archive that holds no Word document.
    Zip,
}

impl Format {
    /// The format a file name's extension suggests, when it suggests one.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Format::Text),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            "zip" => Some(Format::Zip),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Text => "plain text",
            Format::Html => "HTML",
            Format::Pdf => "PDF",
            Format::Docx => "DOCX",
            Format::Zip => "ZIP",
        })
    }
}

/// How many bytes of the opening are sniffed for HTML and PDF signatures.
const SNIFF_BYTES: usize = 1024;

/// The format of file content, from its first bytes: "%PDF" (within the first KiB, as PDF
/// readers allow), a ZIP header (a DOCX when it holds `word/document.xml`), an HTML doctype or
/// root tag after optional white space, BOM and comments; plain text otherwise.
pub fn detect(bytes: &[u8]) -> Format {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if head.starts_with(b"PK\x03\x04") {
        return if docx::is_docx(bytes) {
            Format::Docx
        } else {
            Format::Zip
        };
    }
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Format::Pdf;
    }
    if looks_like_html(head) {
        return Format::Html;
    }
    Format::Text
}

fn looks_like_html(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let tags = [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<meta",
        "<title",
    ];
    if tags.iter().any(|t| start.starts_with(t)) {
        return true;
    }
    // A page saved with a leading comment or XML declaration still says <html early on.
    (start.starts_with("<!--") || start.starts_with("<?xml")) && text.contains("<html")
}

/// A block of a structured document (HTML, DOCX), before it is written as plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading ("§ 84 Informationer", "Beslut"), level 1 to 6.
    Heading {
        /// 1 for the top level.
        level: u8,
        /// The heading text.
        text: String,
    },
    /// A paragraph; `depth` is the list depth it sits in (0 outside lists).
    Paragraph {
        /// List nesting (0 outside lists).
        depth: usize,
        /// The text; line breaks inside are kept.
        text: String,
    },
    /// A list item, `depth` 1 for a top-level list.
    ListItem {
        /// List nesting, from 1.
        depth: usize,
        /// The item's first paragraph.
        text: String,
    },
}

static SECTION_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^§\s*\d{1,4}\b").expect("constant regex compiles"));

/// Writes blocks in the splitter's shape.
///
/// A document with "§ N" headings is a formal protokoll: its items start at those headings and
/// its lists are sub-points ("–"). Otherwise the top-level list items are the agenda items
/// ("•", as on the region's pages, docs/domain.md § 1); a document with neither takes its
/// sub-headings (level 2 and below) as items, so a page of one heading per item still splits.
pub fn render(blocks: &[Block]) -> String {
    let has_sections = blocks.iter().any(|b| match b {
        Block::Heading { text, .. } | Block::Paragraph { text, .. } => {
            SECTION_HEADING.is_match(text.trim_start())
        }
        Block::ListItem { .. } => false,
    });
    let has_lists = blocks.iter().any(|b| matches!(b, Block::ListItem { .. }));
    let headings_are_items = !has_sections
        && !has_lists
        && blocks
            .iter()
            .filter(|b| matches!(b, Block::Heading { level, .. } if *level >= 2))
            .count()
            >= 2;

    let mut out = String::new();
    let mut previous_tight = false;
    for block in blocks {
        let (lines, tight) = match block {
            Block::Heading { level, text } if headings_are_items && *level >= 2 => {
                (vec![format!(" • {text}")], false)
            }
            Block::Heading { text, .. } => (vec![text.clone()], false),
            Block::Paragraph { depth, text } => {
                let indent = " ".repeat(if *depth == 0 { 0 } else { depth + 1 });
                (
                    text.lines().map(|l| format!("{indent}{l}")).collect(),
                    false,
                )
            }
            Block::ListItem { depth, text } => {
                let mut lines = text.lines();
                let first = lines.next().unwrap_or_default();
                let (head, tight) = if has_sections {
                    (format!("{}– {first}", " ".repeat(*depth + 1)), true)
                } else {
                    (format!("{}• {first}", " ".repeat(*depth)), *depth > 1)
                };
                let indent = " ".repeat(depth + 2);
                let mut all = vec![head];
                all.extend(lines.map(|l| format!("{indent}{l}")));
                (all, tight)
            }
        };
        if lines.is_empty() {
            continue;
        }
        if !(out.is_empty() || (tight && previous_tight)) {
            out.push('\n');
        }
        for line in lines {
            out.push_str(&line);
            out.push('\n');
        }
        previous_tight = tight;
    }
    out
}

/// Collects the text of inline content into blocks: white space runs become one space, line
/// breaks (`<br>`, `<w:br>`) are kept, empty lines dropped.
#[derive(Debug, Default)]
pub(crate) struct InlineText {
    buf: String,
}

impl InlineText {
    /// Appends text, white space collapsed.
    pub(crate) fn push(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                if !self.buf.ends_with([' ', '\n']) && !self.buf.is_empty() {
                    self.buf.push(' ');
                }
            } else {
                self.buf.push(c);
            }
        }
    }

    /// Appends a line break.
    pub(crate) fn line_break(&mut self) {
        while self.buf.ends_with(' ') {
            self.buf.pop();
        }
        self.buf.push('\n');
    }

    /// Appends a space unless one is there (between table cells).
    pub(crate) fn space(&mut self) {
        if !self.buf.is_empty() && !self.buf.ends_with([' ', '\n']) {
            self.buf.push(' ');
        }
    }

    /// The text collected so far, lines trimmed and empty ones dropped; empties the buffer.
    pub(crate) fn take(&mut self) -> String {
        let text = self
            .buf
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        self.buf.clear();
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(level: u8, text: &str) -> Block {
        Block::Heading {
            level,
            text: text.into(),
        }
    }
    fn para(depth: usize, text: &str) -> Block {
        Block::Paragraph {
            depth,
            text: text.into(),
        }
    }
    fn li(depth: usize, text: &str) -> Block {
        Block::ListItem {
            depth,
            text: text.into(),
        }
    }

    #[test]
    fn detects_by_content_not_name() {
        assert_eq!(
            detect(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
            Format::Pdf
        );
        assert_eq!(detect(b"PK\x03\x04rest"), Format::Zip);
        assert_eq!(detect(b"\xEF\xBB\xBF<!doctype HTML>"), Format::Html);
        assert_eq!(detect(b"<!-- saved from url -->\n<html>"), Format::Html);
        assert_eq!(detect("<b> är ingen sida".as_bytes()), Format::Text);
        assert_eq!(Format::from_extension("HTM"), Some(Format::Html));
    }

    #[test]
    fn top_level_list_items_are_agenda_bullets() {
        let blocks = [
            heading(1, "Minnesanteckningar SVOM"),
            li(1, "Lise öppnar mötet."),
            li(1, "Covid-läget"),
            para(1, "Elin Ring föredrar."),
            li(2, "Krokom"),
            li(2, "Åre"),
        ];
        assert_eq!(
            render(&blocks),
            "Minnesanteckningar SVOM\n\n • Lise öppnar mötet.\n\n • Covid-läget\n\n  Elin Ring föredrar.\n\n  • Krokom\n  • Åre\n"
        );
    }

    #[test]
    fn in_a_protokoll_lists_are_sub_points() {
        let blocks = [
            heading(2, "§ 84 Informationer"),
            para(0, "Kommunchefen informerar om:"),
            li(1, "sjukfrånvaron"),
            li(1, "budgeten"),
        ];
        assert_eq!(
            render(&blocks),
            "§ 84 Informationer\n\nKommunchefen informerar om:\n\n  – sjukfrånvaron\n  – budgeten\n"
        );
    }

    #[test]
    fn headings_become_items_when_nothing_else_marks_them() {
        let blocks = [
            heading(1, "Möte 2020-10-09"),
            heading(2, "Covid-läget"),
            para(0, "Elin föredrar."),
            heading(2, "Övrigt"),
        ];
        assert_eq!(
            render(&blocks),
            "Möte 2020-10-09\n\n • Covid-läget\n\nElin föredrar.\n\n • Övrigt\n"
        );
    }

    #[test]
    fn inline_text_collapses_white_space_and_keeps_breaks() {
        let mut inline = InlineText::default();
        inline.push("  Ärendet \n föredras");
        inline.line_break();
        inline.push(" av\u{a0}Elin ");
        assert_eq!(inline.take(), "Ärendet föredras\nav Elin");
        assert_eq!(inline.take(), "");
    }
}
