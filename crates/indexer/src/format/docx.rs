//! Drafts written in Word: the paragraphs, headings and lists of `word/document.xml`.
//!
//! A heading is a paragraph whose style is a heading ("Heading1", Swedish Word's "Rubrik1",
//! "Title"); a list item is a paragraph with numbering (`w:numPr`, its level `w:ilvl`) or a
//! list style. Drafts circulate with tracked changes (issue #8): inserted text counts, deleted
//! text (`w:del`) does not. Page headers and footers live in other parts of the package and are
//! never read. The XML may nest no deeper than [`Limits::depth`] (issue #17: a 4 KB draft of
//! 20,000 nested content controls overflowed the stack of the walk); the walk below recurses
//! once per level, so the limit bounds its stack.
//!
//! ```
//! use paragraf_indexer::format::docx::blocks_of_xml;
//! use paragraf_indexer::format::Block;
//!
//! let xml = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
//!   <w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>§ 84 Informationer</w:t></w:r></w:p>
//! </w:body></w:document>"#;
//! assert_eq!(blocks_of_xml(xml).map_err(|e| e.to_string()), Ok(vec![Block::Heading { level: 2, text: "§ 84 Informationer".into() }]));
//! ```

use std::io::{Cursor, Read};

use roxmltree::{Document, Node, ParsingOptions};

use super::{render, Block, InlineText, Limits};

/// The part of a DOCX package that holds the document's body.
const DOCUMENT_PART: &str = "word/document.xml";

/// The body part of one meeting's minutes is far smaller; a larger one is a ZIP bomb or no
/// minutes.
const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

/// The most XML nodes a body part may have: the minutes of a long meeting are some hundred
/// thousand; the nodes are held in memory (tens of bytes each).
const MAX_NODES: u32 = 4_000_000;

/// The WordprocessingML namespace.
const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Whether ZIP content is a Word document (holds `word/document.xml`).
pub fn is_docx(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(Cursor::new(bytes))
        .is_ok_and(|archive| archive.index_for_name(DOCUMENT_PART).is_some())
}

/// Why a DOCX file gives no minutes text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocxError {
    /// The file is not a ZIP archive that can be read.
    #[error("DOCX is not a readable ZIP archive: {0}")]
    NotZip(#[source] zip::result::ZipError),
    /// The archive has no readable `word/document.xml`.
    #[error("DOCX has no readable {DOCUMENT_PART}: {0}")]
    NoDocument(#[source] zip::result::ZipError),
    /// `word/document.xml` cannot be unpacked or is not UTF-8.
    #[error("DOCX {DOCUMENT_PART} cannot be read: {0}")]
    Unreadable(#[source] std::io::Error),
    /// `word/document.xml` unpacks to more than the limit.
    #[error("DOCX {DOCUMENT_PART} unpacks to more than {} MiB", MAX_DOCUMENT_BYTES / (1024 * 1024))]
    TooLarge,
    /// `word/document.xml` is not well-formed XML.
    #[error("DOCX {DOCUMENT_PART} is malformed: {0}")]
    Malformed(#[source] roxmltree::Error),
    /// `word/document.xml` has no `w:body`.
    #[error("DOCX {DOCUMENT_PART} has no body")]
    NoBody,
    /// `word/document.xml` nests elements deeper than the limit.
    #[error("DOCX {DOCUMENT_PART} nests elements more than {limit} deep; no minutes draft does")]
    TooDeep {
        /// The depth limit.
        limit: usize,
    },
}

/// The minutes text of a DOCX file, in the splitter's shape, or why it cannot be read.
pub fn to_text(bytes: &[u8]) -> Result<String, DocxError> {
    to_text_within(bytes, &Limits::default())
}

/// [`to_text`] within `limits`.
pub fn to_text_within(bytes: &[u8], limits: &Limits) -> Result<String, DocxError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(DocxError::NotZip)?;
    let part = archive
        .by_name(DOCUMENT_PART)
        .map_err(DocxError::NoDocument)?;
    let mut xml = String::new();
    part.take(MAX_DOCUMENT_BYTES + 1)
        .read_to_string(&mut xml)
        .map_err(DocxError::Unreadable)?;
    if xml.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(DocxError::TooLarge);
    }
    Ok(render(&blocks_of_xml_within(&xml, limits)?))
}

/// The blocks of a `word/document.xml`.
pub fn blocks_of_xml(xml: &str) -> Result<Vec<Block>, DocxError> {
    blocks_of_xml_within(xml, &Limits::default())
}

/// [`blocks_of_xml`] within `limits`.
pub fn blocks_of_xml_within(xml: &str, limits: &Limits) -> Result<Vec<Block>, DocxError> {
    let options = ParsingOptions {
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    // roxmltree parses without recursion and holds no depth limit of its own.
    let doc = Document::parse_with_options(xml, options).map_err(DocxError::Malformed)?;
    if deeper_than(doc.root(), limits.depth) {
        return Err(DocxError::TooDeep {
            limit: limits.depth,
        });
    }
    let mut blocks = Vec::new();
    let body = doc
        .root_element()
        .children()
        .find(|n| is_w(n, "body"))
        .ok_or(DocxError::NoBody)?;
    body_blocks(body, &mut blocks);
    Ok(blocks)
}

/// Whether any node lies deeper than `limit` below `root`, found without recursion.
fn deeper_than(root: Node<'_, '_>, limit: usize) -> bool {
    let mut stack = vec![(root, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > limit {
            return true;
        }
        stack.extend(node.children().map(|c| (c, depth + 1)));
    }
    false
}

fn body_blocks(node: Node<'_, '_>, blocks: &mut Vec<Block>) {
    for child in node.children().filter(Node::is_element) {
        if is_w(&child, "p") {
            paragraph(child, blocks);
        } else if is_w(&child, "tbl") {
            // A table row reads as one line ("Justerare  Jörgen Blom"); a table nested in a
            // cell is read with its cell (once: reading its rows again made nested tables
            // grow with the square of their depth).
            let rows = child
                .descendants()
                .filter(|n| is_w(n, "tr") && n.ancestors().find(|a| is_w(a, "tbl")) == Some(child));
            for row in rows {
                let mut inline = InlineText::default();
                for cell in row.children().filter(|n| is_w(n, "tc")) {
                    for p in cell.descendants().filter(|n| is_w(n, "p")) {
                        runs(p, &mut inline);
                        inline.space();
                    }
                }
                let text = inline.take();
                if !text.is_empty() {
                    blocks.push(Block::Paragraph { depth: 0, text });
                }
            }
        } else if !is_w(&child, "del") {
            // Content controls (w:sdt) and inserted ranges wrap ordinary paragraphs.
            body_blocks(child, blocks);
        }
    }
}

fn paragraph(p: Node<'_, '_>, blocks: &mut Vec<Block>) {
    let mut inline = InlineText::default();
    runs(p, &mut inline);
    let text = inline.take();
    if text.is_empty() {
        return;
    }
    let props = p.children().find(|n| is_w(n, "pPr"));
    let style = props
        .and_then(|pr| pr.children().find(|n| is_w(n, "pStyle")))
        .and_then(|s| w_attr(&s, "val"))
        .unwrap_or_default()
        .to_lowercase();
    let numbering = props.and_then(|pr| pr.children().find(|n| is_w(n, "numPr")));
    let level = numbering
        .and_then(|n| n.children().find(|c| is_w(c, "ilvl")))
        .and_then(|l| w_attr(&l, "val"))
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    let block = if let Some(level) = heading_level(&style) {
        Block::Heading { level, text }
    } else if numbering.is_some() || style.starts_with("list") || style.starts_with("liststycke") {
        Block::ListItem {
            depth: level + 1,
            text,
        }
    } else {
        Block::Paragraph { depth: 0, text }
    };
    blocks.push(block);
}

/// Heading level of a paragraph style id: "heading2", Swedish "rubrik2", "title"/"rubrik" 1.
fn heading_level(style: &str) -> Option<u8> {
    if matches!(style, "title" | "rubrik" | "titel") {
        return Some(1);
    }
    let digits = style
        .strip_prefix("heading")
        .or_else(|| style.strip_prefix("rubrik"))?;
    digits
        .parse::<u8>()
        .ok()
        .filter(|l| (1..=9).contains(l))
        .map(|l| l.min(6))
}

/// The text of a paragraph's runs, in order; deleted text and field instructions are left out.
fn runs(node: Node<'_, '_>, inline: &mut InlineText) {
    for child in node.children().filter(Node::is_element) {
        let name = child.tag_name().name();
        if child.tag_name().namespace() != Some(W) {
            runs(child, inline);
            continue;
        }
        match name {
            "t" => inline.push(child.text().unwrap_or_default()),
            "tab" => inline.space(),
            "br" | "cr" => inline.line_break(),
            "noBreakHyphen" => inline.push("-"),
            "del" | "delText" | "instrText" | "pPr" | "rPr" | "footnoteReference" => {}
            _ => runs(child, inline),
        }
    }
}

fn is_w(node: &Node<'_, '_>, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(W)
}

fn w_attr<'a>(node: &Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute((W, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#
        )
    }

    #[test]
    fn headings_lists_tables_and_tracked_changes() {
        let xml = doc(concat!(
            r#"<w:p><w:pPr><w:pStyle w:val="Rubrik1"/></w:pPr><w:r><w:t>Kommunstyrelsen</w:t></w:r></w:p>"#,
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Justerare</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Jörgen Blom</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
            r#"<w:p><w:r><w:t xml:space="preserve">Kommunstyrelsen beslutar </w:t></w:r><w:del><w:r><w:delText>inte </w:delText></w:r></w:del><w:ins><w:r><w:t>att anta budgeten.</w:t></w:r></w:ins></w:p>"#,
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Krokom</w:t></w:r></w:p>"#,
        ));
        assert_eq!(
            blocks_of_xml(&xml).map_err(|e| e.to_string()),
            Ok(vec![
                Block::Heading {
                    level: 1,
                    text: "Kommunstyrelsen".into()
                },
                Block::Paragraph {
                    depth: 0,
                    text: "Justerare Jörgen Blom".into()
                },
                Block::Paragraph {
                    depth: 0,
                    text: "Kommunstyrelsen beslutar att anta budgeten.".into()
                },
                Block::ListItem {
                    depth: 2,
                    text: "Krokom".into()
                },
            ])
        );
    }

    #[test]
    fn malformed_xml_and_non_zip_are_reasons() {
        assert!(blocks_of_xml("<w:document").is_err_and(|e| e.to_string().contains("malformed")));
        assert!(to_text(b"PK\x03\x04 trasig").is_err_and(|e| e.to_string().starts_with("DOCX")));
        assert!(!is_docx(b"PK\x03\x04 trasig"));
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_refused() {
        let nested = |depth: usize| {
            doc(&format!(
                "{}<w:p><w:r><w:t>Elin Ring föredrar.</w:t></w:r></w:p>{}",
                "<w:sdt><w:sdtContent>".repeat(depth),
                "</w:sdtContent></w:sdt>".repeat(depth)
            ))
        };
        // document, body, then two levels per content control, then p, r, t and the text.
        let within = (MAX_DEPTH_IN_TEST - 6) / 2;
        assert_eq!(
            blocks_of_xml(&nested(within)).map_err(|e| e.to_string()),
            Ok(vec![Block::Paragraph {
                depth: 0,
                text: "Elin Ring föredrar.".into()
            }])
        );
        assert_eq!(
            blocks_of_xml(&nested(20_000)).map_err(|e| e.to_string()),
            Err(format!("DOCX word/document.xml nests elements more than {MAX_DEPTH_IN_TEST} deep; no minutes draft does"))
        );
    }

    const MAX_DEPTH_IN_TEST: usize = super::super::MAX_DEPTH;

    #[test]
    fn a_nested_table_is_read_once() {
        let cell = |inner: &str| format!("<w:tbl><w:tr><w:tc>{inner}</w:tc></w:tr></w:tbl>");
        let xml = doc(&cell(&cell("<w:p><w:r><w:t>Justerare</w:t></w:r></w:p>")));
        assert_eq!(
            blocks_of_xml(&xml).map_err(|e| e.to_string()),
            Ok(vec![Block::Paragraph {
                depth: 0,
                text: "Justerare".into()
            }])
        );
    }
}
