//! Writing minutes as PDF and DOCX, small and byte-for-byte reproducible.
//!
//! The tests make their PDF and DOCX fixtures with these functions instead of keeping binary
//! blobs, and `examples/write_format_samples.rs` writes the PDF and DOCX examples of
//! `index-data/` with them, so every binary in the repository can be made again from text.
//!
//! The PDF has a text layer in the standard Helvetica font with WinAnsi encoding (Swedish
//! letters, "§", "–" and "•" included), one text line per line of the page's text; lines
//! longer than [`PDF_LINE_CHARS`] are wrapped at a space. The DOCX holds the document body,
//! styles for headings and a bullet numbering, as Word writes them.
//!
//! ```
//! use paragraf_indexer::format::{detect, Format};
//! use paragraf_indexer::format::sample;
//!
//! let pdf = sample::pdf(&["Kommunstyrelsen\n§ 84 Informationer"]).expect("writes");
//! assert_eq!(detect(&pdf), Format::Pdf);
//! ```

use std::io::{Cursor, Write};

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream, StringFormat};

use crate::format::Block;

/// Why a sample PDF or DOCX could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SampleError {
    /// A page's content stream could not be encoded.
    #[error("PDF content: {0}")]
    PdfContent(#[source] lopdf::Error),
    /// More pages than a PDF page count holds.
    #[error("{0}")]
    PageCount(#[from] std::num::TryFromIntError),
    /// The PDF could not be written.
    #[error("PDF: {0}")]
    Pdf(#[source] std::io::Error),
    /// A part of the DOCX could not be started in its ZIP archive.
    #[error("DOCX {part}: {source}")]
    DocxPart {
        /// The part ("word/document.xml").
        part: &'static str,
        /// The ZIP error.
        #[source]
        source: zip::result::ZipError,
    },
    /// A part of the DOCX could not be written.
    #[error("DOCX {part}: {source}")]
    DocxWrite {
        /// The part ("word/document.xml").
        part: &'static str,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The DOCX's ZIP archive could not be finished.
    #[error("DOCX: {0}")]
    Docx(#[source] zip::result::ZipError),
}

/// Longest line written on a PDF page before it is wrapped (A4, 10 pt Helvetica).
pub const PDF_LINE_CHARS: usize = 95;

/// A PDF of the given pages; each page's text is written line by line, an empty line as a
/// gap.
pub fn pdf(pages: &[&str]) -> Result<Vec<u8>, SampleError> {
    write_pdf(pages.len(), |k| {
        text_operations(pages.get(k).copied().unwrap_or_default())
    })
}

/// A PDF whose pages hold only a drawing and no text, as a scanned document without a text
/// layer looks to a text extractor.
pub fn pdf_without_text(pages: usize) -> Result<Vec<u8>, SampleError> {
    write_pdf(pages, |_| {
        vec![
            Operation::new("re", vec![56.into(), 400.into(), 480.into(), 300.into()]),
            Operation::new("f", vec![]),
        ]
    })
}

/// A PDF of one page of text that also draws an image of `image_bytes` bytes (uncompressed,
/// as a scanned attachment adds them): a large file with little text (issue #15).
pub fn pdf_with_image(text: &str, image_bytes: usize) -> Result<Vec<u8>, SampleError> {
    let mut doc = Document::with_version("1.5");
    // Bytes that do not compress, from a fixed seed (xorshift), so the file is as large.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let pixels: Vec<u8> = (0..image_bytes)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect();
    let side = i64::try_from(image_bytes / 3).unwrap_or(i64::MAX).max(1);
    let image_id = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Image",
            "Width" => side,
            "Height" => 1,
            "ColorSpace" => "DeviceRGB",
            "BitsPerComponent" => 8,
        },
        pixels,
    ));
    let mut operations = vec![
        Operation::new("q", vec![]),
        Operation::new(
            "cm",
            vec![
                480.into(),
                0.into(),
                0.into(),
                300.into(),
                56.into(),
                400.into(),
            ],
        ),
        Operation::new("Do", vec!["Im1".into()]),
        Operation::new("Q", vec![]),
    ];
    operations.extend(text_operations(text));
    write_pdf_into(doc, 1, |_| operations.clone(), Some(("Im1", image_id)))
}

fn text_operations(text: &str) -> Vec<Operation> {
    let mut ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 10.into()]),
        Operation::new("TL", vec![13.into()]),
        Operation::new("Td", vec![50.into(), 790.into()]),
    ];
    for line in text.lines().flat_map(wrap) {
        if !line.is_empty() {
            let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&line);
            ops.push(Operation::new(
                "Tj",
                vec![Object::String(bytes.into_owned(), StringFormat::Literal)],
            ));
        }
        ops.push(Operation::new("T*", vec![]));
    }
    ops.push(Operation::new("ET", vec![]));
    ops
}

/// Splits a line at spaces into lines of at most [`PDF_LINE_CHARS`] characters.
fn wrap(line: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in line.split(' ') {
        if !current.is_empty()
            && current.chars().count() + 1 + word.chars().count() > PDF_LINE_CHARS
        {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    out.push(current);
    out
}

fn write_pdf(
    pages: usize,
    content: impl Fn(usize) -> Vec<Operation>,
) -> Result<Vec<u8>, SampleError> {
    write_pdf_into(Document::with_version("1.5"), pages, content, None)
}

fn write_pdf_into(
    mut doc: Document,
    pages: usize,
    content: impl Fn(usize) -> Vec<Operation>,
    image: Option<(&str, lopdf::ObjectId)>,
) -> Result<Vec<u8>, SampleError> {
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let mut resources = dictionary! { "Font" => dictionary! { "F1" => font_id } };
    if let Some((name, id)) = image {
        let mut xobjects = lopdf::Dictionary::new();
        xobjects.set(name, id);
        resources.set("XObject", xobjects);
    }
    let resources_id = doc.add_object(resources);
    let mut kids: Vec<Object> = Vec::new();
    for k in 0..pages {
        let operations = content(k);
        let stream = Content { operations }
            .encode()
            .map_err(SampleError::PdfContent)?;
        let content_id = doc.add_object(Stream::new(dictionary! {}, stream));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page_id.into());
    }
    let count = i64::try_from(kids.len())?;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(SampleError::Pdf)?;
    Ok(out)
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>"#;

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="720"/></w:pPr></w:style></w:styles>"#;

const NUMBERING: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val="–"/><w:pPr><w:ind w:left="1440" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;

/// A DOCX of one paragraph inside `depth` nested content controls (`w:sdt`), 4 KB zipped at
/// a depth of 20,000: what overflowed the stack of the reader (issue #17).
pub fn docx_nested(depth: usize, text: &str) -> Result<Vec<u8>, SampleError> {
    let body = format!(
        r#"{}<w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>{}"#,
        "<w:sdt><w:sdtContent>".repeat(depth),
        escape(text),
        "</w:sdtContent></w:sdt>".repeat(depth)
    );
    package(&body)
}

/// A DOCX whose body holds the blocks: headings in the "HeadingN" styles, list items with
/// bullet numbering at their depth, paragraphs in the normal style (a line break inside a
/// block is a `w:br`).
pub fn docx(blocks: &[Block]) -> Result<Vec<u8>, SampleError> {
    let mut body = String::new();
    for block in blocks {
        let (props, text) = match block {
            Block::Heading { level, text } => (
                format!(r#"<w:pPr><w:pStyle w:val="Heading{level}"/></w:pPr>"#),
                text,
            ),
            Block::ListItem { depth, text } => (
                format!(
                    r#"<w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="{}"/><w:numId w:val="1"/></w:numPr></w:pPr>"#,
                    depth.saturating_sub(1)
                ),
                text,
            ),
            Block::Paragraph { text, .. } => (String::new(), text),
        };
        let runs: Vec<String> = text
            .lines()
            .map(|l| {
                format!(
                    r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#,
                    escape(l)
                )
            })
            .collect();
        body.push_str(&format!(
            "<w:p>{props}{}</w:p>",
            runs.join("<w:r><w:br/></w:r>")
        ));
    }
    package(&body)
}

/// A DOCX package around a `w:body`'s content.
fn package(body: &str) -> Result<Vec<u8>, SampleError> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#
    );
    let parts = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", PACKAGE_RELS),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/document.xml", document.as_str()),
        ("word/styles.xml", STYLES),
        ("word/numbering.xml", NUMBERING),
    ];
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    // A fixed time keeps the file the same from one run to the next.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, content) in parts {
        zip.start_file(name, options)
            .map_err(|source| SampleError::DocxPart { part: name, source })?;
        zip.write_all(content.as_bytes())
            .map_err(|source| SampleError::DocxWrite { part: name, source })?;
    }
    let cursor = zip.finish().map_err(SampleError::Docx)?;
    Ok(cursor.into_inner())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_wrap_at_spaces() {
        let line = "ord ".repeat(30);
        let wrapped = wrap(line.trim_end());
        assert_eq!(wrapped.len(), 2);
        assert_eq!(wrapped[0].chars().count(), 95);
    }

    #[test]
    fn the_same_input_gives_the_same_bytes() {
        let blocks = [Block::Paragraph {
            depth: 0,
            text: "Kommunstyrelsen beslutar att anta budgeten.".into(),
        }];
        let text = |r: Result<Vec<u8>, SampleError>| r.map_err(|e| e.to_string());
        assert_eq!(text(docx(&blocks)), text(docx(&blocks)));
        assert_eq!(
            text(pdf(&["§ 84 Informationer"])),
            text(pdf(&["§ 84 Informationer"]))
        );
    }
}
