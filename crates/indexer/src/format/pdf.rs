//! PDF minutes, as meeting systems (Netpublicator, Ciceron, Meetings Plus) publish them: the
//! text layer page by page, running headers, footers and page numbers ("2(36)") removed, lines
//! joined into paragraphs, hyphenated line breaks joined, and the "§ N" item headings put at
//! line starts for the splitter.
//!
//! Text comes from `pdf-extract` (pure Rust, on `lopdf`): no program has to be installed for
//! an archive's PDFs to go in, on a developer's machine, in CI or on a server. A PDF without a
//! text layer (a scan) is refused with that reason; OCR is out of scope (issue #8).
//!
//! A protokoll with scanned attachments is easily over 40 MB of images around a little text
//! (issue #15): images are dropped before extraction, so only the text is read, within
//! [`Limits::time`] and [`Limits::text_bytes`]. Drawings (form XObjects) that call themselves
//! or nest deeper than [`MAX_FORM_DEPTH`], and page trees that loop, are refused before the
//! extraction recurses into them (issue #17).
//!
//! ```
//! use paragraf_indexer::format::pdf::pages_to_text;
//!
//! let pages = ["Kommunstyrelsen 1(2)\n§ 84 Dnr KS 2013/123\nInformationer\nOla informerar om sjuk-".to_string(),
//!              "Kommunstyrelsen 2(2)\nfrånvaron.\n2".to_string()];
//! assert_eq!(pages_to_text(&pages), "Kommunstyrelsen\n\n§ 84 Dnr KS 2013/123\nInformationer\n\nOla informerar om sjukfrånvaron.\n");
//! ```

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::{LazyLock, Once};
use std::time::Instant;

use pdf_extract::{
    ConvertToFmt, Dictionary, Document, MediaBox, Object, ObjectId, OutputDev, OutputError,
    PlainTextOutput, Stream, Transform,
};
use regex::Regex;

use super::Limits;

use crate::minutes::clean::{normalize_spaces, squeeze};
use crate::minutes::split::is_heading;

/// Why a PDF without text is skipped.
pub const NO_TEXT_LAYER: &str =
    "PDF has no text layer (a scanned image?); text recognition (OCR) is not supported";

/// Why a PDF gives no minutes text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// The PDF has no text layer ([`NO_TEXT_LAYER`]).
    #[error("{NO_TEXT_LAYER}")]
    NoTextLayer,
    /// The PDF reader refused the file.
    #[error("PDF cannot be read: {0}")]
    Unreadable(#[source] pdf_extract::OutputError),
    /// The PDF reader panicked on the file (a malformed font or stream); the panic's message.
    #[error("PDF cannot be read: the PDF reader failed ({0})")]
    ReaderFailed(String),
    /// Drawings that call themselves, nest too deep, or a page tree that loops.
    #[error("PDF cannot be read: {0}")]
    Structure(String),
    /// Extracting the text took longer than the limit.
    #[error("PDF text took longer than {} s to extract", .limit.as_secs())]
    TooSlow {
        /// The time limit.
        limit: std::time::Duration,
    },
    /// The text is larger than one meeting's minutes can be.
    #[error("PDF holds more than {} MiB of text, more than one meeting's minutes", .limit / (1024 * 1024))]
    TooMuchText {
        /// The limit in bytes.
        limit: usize,
    },
}

/// How deep drawings (form XObjects) may call each other; the extraction recurses per level.
pub const MAX_FORM_DEPTH: usize = 32;

/// How deep a page tree may be, as `lopdf` allows it.
const MAX_PAGE_TREE_DEPTH: usize = 256;

/// How many lines at the top and the bottom of a page may be running header or footer.
const EDGE_LINES: usize = 3;

/// Section labels of a formal protokoll (docs/domain.md § 2) that stand on a line of their own and
/// head a paragraph.
const LABELS: &[&str] = &[
    "Ärendebeskrivning",
    "Ärendet",
    "Bakgrund",
    "Sammanfattning",
    "Beslutsunderlag",
    "Förslag till beslut",
    "Yrkanden",
    "Yrkande",
    "Propositionsordning",
    "Omröstning",
    "Beslut",
    "Reservation",
    "Reservationer",
    "Protokollsanteckning",
    "Jäv",
    "Expedieras till",
    "Beslutet skickas till",
    "Skickas till",
];

/// A page number standing alone: "2(36)", "2 (36)", "Sida 2 av 36", "2/36", "- 2 -", "2".
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:sida\s+)?[-–]?\s*\d{1,4}\s*(?:\(\s*\d{1,4}\s*\)|/\s*\d{1,4}|av\s+\d{1,4})?\s*[-–]?$")
        .expect("constant regex compiles")
});
/// A page number inside a running header: "SAMMANTRÄDESPROTOKOLL 1(36)", "Sida 1 av 3".
static PAGE_NUMBER_IN_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:sida\s+\d{1,4}\s+av\s+\d{1,4}|\d{1,4}\s?\(\d{1,4}\))")
        .expect("constant regex compiles")
});
/// An item heading after the body's abbreviation, as meeting systems print them: "Ks § 84".
static ABBREVIATED_SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Lu}[\p{L}]{0,4}\s+(§\s*\d{1,4}\b.*)$").expect("constant regex compiles")
});
/// A "§ N Dnr" heading flattened into the end of the previous text.
static INNER_SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[.!?:]\s+(§\s*\d{1,4}\s+Dnr\b)").expect("constant regex compiles")
});
/// A table-of-contents line ("§ 84 Informationer .......... 3"), which is not an item.
static CONTENTS_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\.{4,}|…{2,})\s*\d{1,4}$").expect("constant regex compiles"));
static SECTION_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^§\s*\d{1,4}\b").expect("constant regex compiles"));

/// The minutes text of a PDF, in the splitter's shape, or why it cannot be read.
pub fn to_text(bytes: &[u8]) -> Result<String, PdfError> {
    to_text_within(bytes, &Limits::default())
}

/// [`to_text`] within `limits`.
pub fn to_text_within(bytes: &[u8], limits: &Limits) -> Result<String, PdfError> {
    let pages = extract_pages_within(bytes, limits)?;
    if pages.iter().all(|p| p.trim().is_empty()) {
        return Err(PdfError::NoTextLayer);
    }
    Ok(pages_to_text(&pages))
}

/// [`to_text_within`] and the text of each page as extracted, for finding the page each
/// item starts on ([`crate::minutes::page_starts`]).
pub fn to_text_and_pages_within(
    bytes: &[u8],
    limits: &Limits,
) -> Result<(String, Vec<String>), PdfError> {
    let pages = extract_pages_within(bytes, limits)?;
    if pages.iter().all(|p| p.trim().is_empty()) {
        return Err(PdfError::NoTextLayer);
    }
    Ok((pages_to_text(&pages), pages))
}

/// The text layer of each page, in reading order.
///
/// `pdf-extract` panics on some malformed fonts and streams; such a panic is caught and
/// reported as this file's error, so one bad PDF never stops an archive (STYLE.md § 3).
pub fn extract_pages(bytes: &[u8]) -> Result<Vec<String>, PdfError> {
    extract_pages_within(bytes, &Limits::default())
}

/// [`extract_pages`] within `limits`.
pub fn extract_pages_within(bytes: &[u8], limits: &Limits) -> Result<Vec<String>, PdfError> {
    silence_panics_of_extraction();
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(|| extract(bytes, limits));
    QUIET.with(|q| q.set(false));
    match result {
        Ok(result) => result,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown error".to_string());
            Err(PdfError::ReaderFailed(message))
        }
    }
}

/// What `pdf_extract::extract_text_from_mem_by_pages` does (pages in order, until the first
/// that fails), with the images dropped, the structure checked and the limits watched.
fn extract(bytes: &[u8], limits: &Limits) -> Result<Vec<String>, PdfError> {
    let started = Instant::now();
    let mut doc = Document::load_mem(bytes).map_err(|e| PdfError::Unreadable(e.into()))?;
    if doc.is_encrypted() {
        doc.decrypt("")
            .map_err(|e| PdfError::Unreadable(OutputError::PdfError(e)))?;
    }
    drop_images(&mut doc);
    check_structure(&doc)?;
    let pages = Rc::new(RefCell::new(Vec::new()));
    let stopped = Rc::new(Cell::new(None));
    let mut output = Bounded {
        text: PlainTextOutput::new(PageText(pages.clone())),
        pages: pages.clone(),
        started,
        limits: *limits,
        bytes: 0,
        stopped: stopped.clone(),
    };
    for page_num in doc.get_pages().keys() {
        let result = pdf_extract::output_doc_page(&doc, &mut output, *page_num);
        if let Some(why) = stopped.take() {
            return Err(why);
        }
        if result.is_err() {
            // As pdf-extract does: the pages before the first it cannot read.
            pages.borrow_mut().pop();
            break;
        }
    }
    drop(output);
    Ok(Rc::try_unwrap(pages).map_or_else(|rc| rc.borrow().clone(), RefCell::into_inner))
}

/// Replaces every image with an empty drawing: text extraction never looks at pixels, and
/// pdf-extract read an image's bytes as drawing instructions (and failed on them).
fn drop_images(doc: &mut Document) {
    for object in doc.objects.values_mut() {
        let is_image = matches!(object, Object::Stream(stream)
            if stream.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Image"));
        if is_image {
            let mut dict = Dictionary::new();
            dict.set("Type", Object::Name(b"XObject".to_vec()));
            dict.set("Subtype", Object::Name(b"Form".to_vec()));
            dict.set(
                "BBox",
                Object::Array(vec![0.into(), 0.into(), 0.into(), 0.into()]),
            );
            *object = Object::Stream(Stream::new(dict, Vec::new()));
        }
    }
}

/// Refuses what would make the extraction recurse without end: a page whose `Parent` chain
/// loops or is deeper than a page tree may be, and drawings that call themselves or nest
/// deeper than [`MAX_FORM_DEPTH`].
fn check_structure(doc: &Document) -> Result<(), PdfError> {
    let mut safe: HashSet<(ObjectId, Option<ObjectId>)> = HashSet::new();
    for page_id in doc.get_pages().into_values() {
        let mut seen = HashSet::new();
        let mut node = Some(page_id);
        while let Some(id) = node {
            if !seen.insert(id) || seen.len() > MAX_PAGE_TREE_DEPTH {
                return Err(PdfError::Structure("its page tree loops".to_string()));
            }
            node = doc
                .get_dictionary(id)
                .ok()
                .and_then(|d| d.get(b"Parent").ok())
                .and_then(|p| p.as_reference().ok());
        }
        let resources = inherited_resources(doc, page_id);
        let mut path = Vec::new();
        forms_are_bounded(doc, resources, &mut path, &mut safe)?;
    }
    Ok(())
}

/// The resources a page uses: its own or its nearest ancestor's.
fn inherited_resources(doc: &Document, page_id: ObjectId) -> Option<&Dictionary> {
    let mut node = Some(page_id);
    for _ in 0..MAX_PAGE_TREE_DEPTH {
        let dict = doc.get_dictionary(node?).ok()?;
        if let Ok(resources) = dict.get(b"Resources") {
            return deref(doc, resources).and_then(|o| o.as_dict().ok());
        }
        node = dict.get(b"Parent").ok().and_then(|p| p.as_reference().ok());
    }
    None
}

fn deref<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    match object {
        Object::Reference(id) => doc.get_object(*id).ok(),
        other => Some(other),
    }
}

/// Walks the drawings `resources` names, as the extraction would call them: a drawing with
/// resources of its own uses those, one without them its caller's. `path` is the chain of
/// drawings being called; `safe` remembers drawings (with the resources they run in) already
/// found bounded.
fn forms_are_bounded(
    doc: &Document,
    resources: Option<&Dictionary>,
    path: &mut Vec<ObjectId>,
    safe: &mut HashSet<(ObjectId, Option<ObjectId>)>,
) -> Result<(), PdfError> {
    let Some(xobjects) = resources
        .and_then(|r| r.get(b"XObject").ok())
        .and_then(|x| deref(doc, x))
        .and_then(|x| x.as_dict().ok())
    else {
        return Ok(());
    };
    for (_, target) in xobjects.iter() {
        let Ok(id) = target.as_reference() else {
            continue;
        };
        let Ok(Object::Stream(form)) = doc.get_object(id) else {
            continue;
        };
        let own = form.dict.get(b"Resources").ok();
        let context = match own {
            Some(Object::Reference(r)) => Some(*r),
            Some(_) => Some(id),
            None => path.last().copied(),
        };
        if safe.contains(&(id, context)) {
            continue;
        }
        let content = form
            .decompressed_content()
            .unwrap_or_else(|_| form.content.clone());
        if !content.windows(2).any(|w| w == b"Do") {
            safe.insert((id, context));
            continue;
        }
        if path.contains(&id) {
            return Err(PdfError::Structure(
                "a drawing in it calls itself".to_string(),
            ));
        }
        if path.len() >= MAX_FORM_DEPTH {
            return Err(PdfError::Structure(format!(
                "its drawings nest more than {MAX_FORM_DEPTH} deep"
            )));
        }
        let inner = match own {
            Some(r) => deref(doc, r).and_then(|o| o.as_dict().ok()),
            None => resources,
        };
        path.push(id);
        forms_are_bounded(doc, inner, path, safe)?;
        path.pop();
        safe.insert((id, context));
    }
    Ok(())
}

/// Writes the extracted text into the last page.
struct PageText(Rc<RefCell<Vec<String>>>);

impl std::fmt::Write for PageText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if let Some(page) = self.0.borrow_mut().last_mut() {
            page.push_str(s);
        }
        Ok(())
    }
}

impl ConvertToFmt for PageText {
    type Writer = PageText;
    fn convert(self) -> PageText {
        self
    }
}

/// pdf-extract's plain-text output, page by page, stopping the extraction once the time or
/// the text is over its limit.
struct Bounded {
    text: PlainTextOutput<PageText>,
    pages: Rc<RefCell<Vec<String>>>,
    started: Instant,
    limits: Limits,
    bytes: usize,
    stopped: Rc<Cell<Option<PdfError>>>,
}

impl Bounded {
    fn watch(&mut self) -> Result<(), OutputError> {
        let why = if self.started.elapsed() > self.limits.time {
            PdfError::TooSlow {
                limit: self.limits.time,
            }
        } else if self.bytes > self.limits.text_bytes {
            PdfError::TooMuchText {
                limit: self.limits.text_bytes,
            }
        } else {
            return Ok(());
        };
        self.stopped.set(Some(why));
        Err(OutputError::FormatError(std::fmt::Error))
    }
}

impl OutputDev for Bounded {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.watch()?;
        self.pages.borrow_mut().push(String::new());
        self.text.begin_page(page_num, media_box, art_box)
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        self.text.end_page()?;
        self.watch()
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        self.bytes += char.len() + 1;
        if self.bytes % 4096 < char.len() + 1 {
            self.watch()?;
        }
        self.text
            .output_character(trm, width, spacing, font_size, char)
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.text.begin_word()
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        self.text.end_word()
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        self.text.end_line()
    }
}

thread_local! {
    /// Set while this thread extracts a PDF: its panics are reported as the file's error.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Installs, once, a panic hook that stays silent for panics inside PDF extraction (they are
/// caught and reported per file) and passes every other panic to the previous hook.
fn silence_panics_of_extraction() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Turns the pages' text into minutes text: running headers and footers and page numbers
/// removed (the first page keeps its header, which names the body and the date), lines joined
/// into paragraphs, "§ N" headings and section labels on lines of their own.
pub fn pages_to_text(pages: &[String]) -> String {
    let pages: Vec<Vec<String>> = pages
        .iter()
        .map(|p| {
            p.lines()
                .map(|l| squeeze(&normalize_spaces(l)))
                .collect::<Vec<_>>()
        })
        .collect();
    let running = running_lines(&pages);
    let mut lines: Vec<String> = Vec::new();
    for (k, page) in pages.iter().enumerate() {
        let filled: Vec<usize> = (0..page.len()).filter(|&i| !page[i].is_empty()).collect();
        let top: HashSet<usize> = filled.iter().take(EDGE_LINES).copied().collect();
        let bottom: HashSet<usize> = filled.iter().rev().take(EDGE_LINES).copied().collect();
        for (i, line) in page.iter().enumerate() {
            let at_edge = top.contains(&i) || bottom.contains(&i);
            if at_edge && PAGE_NUMBER.is_match(line) {
                continue;
            }
            if at_edge && running.contains(&line_key(line)) {
                if k == 0 && top.contains(&i) {
                    let kept = squeeze(&PAGE_NUMBER_IN_LINE.replace_all(line, ""));
                    if !kept.is_empty() {
                        lines.push(kept);
                    }
                }
                continue;
            }
            lines.push(line.clone());
        }
    }
    reflow(&lines)
}

/// Lines at the top or bottom of at least two pages and of half the pages, compared with
/// their digits masked ("SAMMANTRÄDESPROTOKOLL 2(36)" repeats as "… #(##)").
fn running_lines(pages: &[Vec<String>]) -> HashSet<String> {
    if pages.len() < 2 {
        return HashSet::new();
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in pages {
        let filled: Vec<&String> = page.iter().filter(|l| !l.is_empty()).collect();
        let edges: HashSet<String> = filled
            .iter()
            .take(EDGE_LINES)
            .chain(filled.iter().rev().take(EDGE_LINES))
            .map(|l| line_key(l))
            .filter(|k| !k.starts_with('§'))
            .collect();
        for key in edges {
            *counts.entry(key).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n >= 2 && n * 2 >= pages.len())
        .map(|(key, _)| key)
        .collect()
}

fn line_key(line: &str) -> String {
    line.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect::<String>()
        .to_lowercase()
}

/// What a line is for reflowing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// "§ 84 …": starts an item and a paragraph.
    Section,
    /// The heading right after a section line.
    Title,
    /// A section label such as "Beslut": a paragraph of its own.
    Label,
    /// A bullet or dash sub-point: a line of its own.
    Bullet,
    /// Running text.
    Text,
}

/// Joins a page's lines into paragraphs (a blank line between), keeping headings, labels and
/// bullets on lines of their own; a word hyphenated at a line end is joined.
fn reflow(lines: &[String]) -> String {
    let mut paragraphs: Vec<Vec<String>> = Vec::new();
    let mut previous = Kind::Text;
    let mut current: Vec<String> = Vec::new();
    let flush = |current: &mut Vec<String>, paragraphs: &mut Vec<Vec<String>>| {
        if !current.is_empty() {
            paragraphs.push(std::mem::take(current));
        }
    };
    for raw in expand(lines) {
        if raw.is_empty() {
            flush(&mut current, &mut paragraphs);
            previous = Kind::Text;
            continue;
        }
        let line = match ABBREVIATED_SECTION.captures(&raw) {
            Some(caps) => caps[1].to_string(),
            None => raw,
        };
        let line = if CONTENTS_LINE.is_match(&line) {
            line.trim_start_matches('§').trim_start().to_string()
        } else {
            line
        };
        // "§ 25" / "Dnr 2015.25.214" / title: the case number line belongs to the heading.
        if previous == Kind::Section && line.starts_with("Dnr") && line.len() < 40 {
            current.push(line);
            continue;
        }
        let after_sentence = match previous {
            Kind::Text | Kind::Bullet => current
                .last()
                .is_some_and(|l| l.trim_end().ends_with(['.', '!', '?', ':'])),
            _ => true,
        };
        let kind = if SECTION_START.is_match(&line) {
            Kind::Section
        } else if LABELS.iter().any(|l| line.eq_ignore_ascii_case(l)) || is_decision_label(&line) {
            Kind::Label
        } else if previous == Kind::Section && is_heading(&line) {
            Kind::Title
        } else if line.starts_with(['•', '-', '–', '·', '○']) || NUMBERED.is_match(&line) {
            Kind::Bullet
        } else if after_sentence && is_short_heading(&line) {
            // A short line without a full stop after a finished sentence is a heading of its
            // own ("Sammanfattning av ärendet", "Beskrivning av utbildningar") or one entry of
            // a list ("Preliminärt resultat 2019 FB"), not the start of a paragraph to join.
            Kind::Label
        } else {
            Kind::Text
        };
        match kind {
            Kind::Section | Kind::Label => {
                flush(&mut current, &mut paragraphs);
                current.push(line);
                if kind == Kind::Label {
                    flush(&mut current, &mut paragraphs);
                }
            }
            Kind::Title => {
                current.push(line);
                flush(&mut current, &mut paragraphs);
            }
            Kind::Bullet => {
                if previous != Kind::Bullet {
                    flush(&mut current, &mut paragraphs);
                }
                current.push(line);
            }
            Kind::Text => {
                if previous == Kind::Section {
                    flush(&mut current, &mut paragraphs);
                }
                match current.last_mut() {
                    Some(last) if previous != Kind::Label => join_line(last, &line),
                    _ => current.push(line),
                }
            }
        }
        previous = kind;
    }
    flush(&mut current, &mut paragraphs);
    let mut out = paragraphs
        .iter()
        .map(|p| p.join("\n"))
        .collect::<Vec<_>>()
        .join("\n\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// "Byggnadsnämndens beslut", "Barn- och utbildningsnämndens beslut", "Kommunstyrelsens
/// beslut:": the decision heading named after the body (docs/domain.md § 2).
fn is_decision_label(line: &str) -> bool {
    let line = line.trim().trim_end_matches(':');
    let Some(body) = line.strip_suffix(" beslut") else {
        return false;
    };
    line.split_whitespace().count() <= 5
        && body.starts_with(char::is_uppercase)
        && [
            "nämndens",
            "styrelsens",
            "fullmäktiges",
            "utskottets",
            "revisionens",
            "nämnds",
        ]
        .iter()
        .any(|e| body.ends_with(e))
}

/// A line short enough to be a heading or a list entry: up to six words and 50 characters,
/// capitalised, without a sentence's end or a hyphenated word break.
fn is_short_heading(line: &str) -> bool {
    let line = line.trim();
    line.starts_with(char::is_uppercase)
        && line.chars().count() <= 50
        && line.split_whitespace().count() <= 6
        && !line.ends_with(['.', ',', ';', '-', '!', '?'])
}

/// A numbered point: "1. Byggnadsnämnden beslutar …", "2) …".
static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,2}[.)]\s+\p{Lu}").expect("constant regex compiles"));

/// Breaks flattened lines before a "§ N Dnr" heading that follows a sentence.
fn expand(lines: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let mut rest = line.as_str();
        while let Some(caps) = INNER_SECTION.captures(rest) {
            let Some(heading) = caps.get(1) else { break };
            out.push(rest[..heading.start()].trim_end().to_string());
            rest = &rest[heading.start()..];
        }
        out.push(rest.to_string());
    }
    out
}

/// Appends a continuation line: a word hyphenated at the line end is joined ("sjukfrån-" +
/// "varon"), but a hyphen before "och"/"eller" is a Swedish compound ellipsis ("Hälso- och
/// sjukvård") and stays.
fn join_line(last: &mut String, next: &str) {
    let hyphenated = last.ends_with('-')
        && last.chars().rev().nth(1).is_some_and(char::is_alphabetic)
        && next.chars().next().is_some_and(char::is_lowercase);
    let first_word = next.split_whitespace().next().unwrap_or_default();
    let ellipsis = matches!(first_word, "och" | "eller" | "samt" | "respektive" | "till");
    if hyphenated && !ellipsis {
        last.pop();
    } else {
        last.push(' ');
    }
    last.push_str(next);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| (*t).to_string()).collect()
    }

    #[test]
    fn running_header_footer_and_page_numbers_go() {
        let text = pages_to_text(&pages(&[
            "Kommunstyrelsen SAMMANTRÄDESPROTOKOLL 1(3)\nSammanträdesdatum 2013-05-15\nBeslutande Maria Söderberg, C, ordf\nJusterandes sign Utdragsbestyrkande",
            "Kommunstyrelsen SAMMANTRÄDESPROTOKOLL 2(3)\nSammanträdesdatum 2013-05-15\n§ 84 Dnr KS 2013/123\nInformationer\nOla Skyllbäck informerar.\nJusterandes sign Utdragsbestyrkande",
            "Kommunstyrelsen SAMMANTRÄDESPROTOKOLL 3(3)\nSammanträdesdatum 2013-05-15\nBeslut\nKommunstyrelsen beslutar att lägga informationen till handlingarna.\nJusterandes sign Utdragsbestyrkande\n3",
        ]));
        assert_eq!(
            text,
            "Kommunstyrelsen SAMMANTRÄDESPROTOKOLL Sammanträdesdatum 2013-05-15 Beslutande Maria Söderberg, C, ordf\n\n§ 84 Dnr KS 2013/123\nInformationer\n\nOla Skyllbäck informerar.\n\nBeslut\n\nKommunstyrelsen beslutar att lägga informationen till handlingarna.\n"
        );
    }

    #[test]
    fn hyphens_join_words_but_not_compound_ellipses() {
        assert_eq!(
            reflow(&pages(&[
                "Ärendet gäller sjukfrån-",
                "varon inom hälso-",
                "och sjukvården."
            ])),
            "Ärendet gäller sjukfrånvaron inom hälso- och sjukvården.\n"
        );
    }

    #[test]
    fn abbreviated_and_flattened_sections() {
        assert_eq!(
            reflow(&pages(&[
                "Ks § 85 Dnr KS 2013/200",
                "Rambudget 2014",
                "Budgeten antas. § 86 Dnr KS 2013/201 Miljöpolicy",
                "§ 87 Övriga frågor ........ 12",
            ])),
            "§ 85 Dnr KS 2013/200\nRambudget 2014\n\nBudgeten antas.\n\n§ 86 Dnr KS 2013/201 Miljöpolicy\n\n87 Övriga frågor ........ 12\n"
        );
    }

    #[test]
    fn short_lines_after_a_sentence_and_decision_labels_stand_alone() {
        // Mellerud's Word template as a PDF gives one line per printed line; the headings
        // and list entries must not run into the sentences (issue 15).
        let text = pages_to_text(&pages(&[
            "§ 23\nTillväxtenheten informerar\nByggnadsnämndens beslut\nByggnadsnämnden godkänner informationen.\nSammanfattning av informationsärenden\nPreliminärt resultat 2019 FB\nÖversiktsplan nu – 2030 FC\n§ 25\nDnr 2015.25.214\nNy detaljplan för Sapphult\nByggnadsnämndens beslut\n1. Byggnadsnämnden beslutar att godkänna granskningsförslag för ny detaljplan\nsamt att godkänna samrådsredogörelsen.\n2. Byggnadsnämnden beslutar att skicka ut förslaget.",
        ]));
        assert_eq!(
            text,
            "§ 23\nTillväxtenheten informerar\n\nByggnadsnämndens beslut\n\nByggnadsnämnden godkänner informationen.\n\nSammanfattning av informationsärenden\n\nPreliminärt resultat 2019 FB\n\nÖversiktsplan nu – 2030 FC\n\n§ 25\nDnr 2015.25.214\nNy detaljplan för Sapphult\n\nByggnadsnämndens beslut\n\n1. Byggnadsnämnden beslutar att godkänna granskningsförslag för ny detaljplan samt att godkänna samrådsredogörelsen.\n\n2. Byggnadsnämnden beslutar att skicka ut förslaget.\n"
        );
    }

    #[test]
    fn bullets_stay_on_their_lines() {
        assert_eq!(
            reflow(&pages(&[
                "Kommunstyrelsen beslutar att",
                "- anta budgeten",
                "- ge uppdrag"
            ])),
            "Kommunstyrelsen beslutar att\n\n- anta budgeten\n- ge uppdrag\n"
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(to_text(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
            .is_err_and(|e| e.to_string().starts_with("PDF cannot be read")));
    }

    /// A one-page PDF whose page draws `X0`, a drawing that draws itself.
    fn self_drawing_pdf() -> Vec<u8> {
        use pdf_extract::{dictionary, Stream};
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let form_id = doc.new_object_id();
        let resources_id = doc.new_object_id();
        doc.objects.insert(
            resources_id,
            Object::Dictionary(dictionary! { "XObject" => dictionary! { "X0" => form_id } }),
        );
        doc.objects.insert(
            form_id,
            Object::Stream(Stream::new(
                dictionary! { "Type" => "XObject", "Subtype" => "Form", "Resources" => resources_id },
                b"/X0 Do".to_vec(),
            )),
        );
        let content_id = doc.add_object(Stream::new(dictionary! {}, b"/X0 Do".to_vec()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 },
            ),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("save");
        out
    }

    #[test]
    fn a_drawing_that_draws_itself_is_refused_not_a_stack_overflow() {
        assert_eq!(
            to_text(&self_drawing_pdf()).map_err(|e| e.to_string()),
            Err("PDF cannot be read: a drawing in it calls itself".to_string())
        );
    }

    #[test]
    fn limits_of_time_and_text_stop_the_extraction() {
        let pdf = crate::format::sample::pdf(&["§ 1 Elin Ring föredrar budgeten för vården."])
            .expect("pdf");
        let no_time = Limits {
            time: std::time::Duration::ZERO,
            ..Limits::default()
        };
        assert!(matches!(
            to_text_within(&pdf, &no_time),
            Err(PdfError::TooSlow { .. })
        ));
        let no_text = Limits {
            text_bytes: 8,
            ..Limits::default()
        };
        assert!(matches!(
            to_text_within(&pdf, &no_text),
            Err(PdfError::TooMuchText { .. })
        ));
    }
}
