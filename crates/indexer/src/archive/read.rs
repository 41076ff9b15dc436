//! Reading a minutes file from disk into text, whatever its format and encoding, or a clear
//! reason why not.
//!
//! The format is told from the content ([`crate::format::detect`]): HTML, PDF and DOCX are
//! turned into plain minutes text by [`crate::format`]. Older plain-text archives are often
//! Windows-1252; scraped pages are UTF-8, sometimes with a byte-order mark or cut off in the
//! middle of a character; files saved as "Unicode" on Windows are UTF-16, with or without a
//! byte-order mark. Empty, binary, scanned, too deeply nested and huge files are refused with a
//! reason naming what is wrong, so the rest of the archive still goes in.
//!
//! The size limit applies to the text, not the file (issue #15): a protokoll PDF with scanned
//! attachments is easily over 40 MB and is read (its images are not); text over
//! [`MAX_TEXT_BYTES`] is refused, whatever the format. A file over [`MAX_FILE_BYTES`] is not
//! read at all.

use std::path::Path;

pub use crate::error::Unreadable;
use crate::error::{Error, Result};
pub use crate::format::MAX_TEXT_BYTES;
use crate::format::{self, Format, Limits};

/// Files larger than this are not read: it is held in memory while its text is extracted. A
/// PDF of a meeting with its scanned attachments is a few tens of megabytes.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// A file's text and what had to be done to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, valid UTF-8.
    pub text: String,
    /// Notes worth a warning ("decoded as Windows-1252"), empty for clean UTF-8.
    pub notes: Vec<String>,
    /// A PDF's text page by page, as extracted (to find the page each item starts on);
    /// empty for other formats.
    pub pages: Vec<String>,
}

/// Reads a file and turns it into minutes text, by the format its content shows; see
/// [`to_minutes_text`].
pub fn read_file(path: &Path) -> Result<Decoded> {
    read_file_as(path).map(|(decoded, _)| decoded)
}

/// [`read_file`], with the format the content showed (a DOCX draft is internal, issue #20).
pub fn read_file_as(path: &Path) -> Result<(Decoded, Format)> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Error::UnreadableFile {
            path: path.to_path_buf(),
            reason: Unreadable::TooLarge {
                bytes: meta.len(),
                limit: MAX_FILE_BYTES,
            },
        });
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .and_then(Format::from_extension);
    to_minutes_text_as(&bytes, extension, &Limits::default()).map_err(|reason| {
        Error::UnreadableFile {
            path: path.to_path_buf(),
            reason,
        }
    })
}

/// Turns file content into minutes text by the format its content shows (not its name):
/// plain text is decoded ([`decode`]), HTML, PDF and DOCX are converted by
/// [`crate::format`]. When the file name's extension says another format, a note says so.
pub fn to_minutes_text(
    bytes: &[u8],
    extension: Option<Format>,
) -> std::result::Result<Decoded, Unreadable> {
    to_minutes_text_within(bytes, extension, &Limits::default())
}

/// [`to_minutes_text`] within `limits`.
pub fn to_minutes_text_within(
    bytes: &[u8],
    extension: Option<Format>,
    limits: &Limits,
) -> std::result::Result<Decoded, Unreadable> {
    to_minutes_text_as(bytes, extension, limits).map(|(decoded, _)| decoded)
}

/// [`to_minutes_text_within`], with the format the content showed.
fn to_minutes_text_as(
    bytes: &[u8],
    extension: Option<Format>,
    limits: &Limits,
) -> std::result::Result<(Decoded, Format), Unreadable> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Unreadable::Empty);
    }
    let mut detected = format::detect(bytes);
    let mut notes = Vec::new();
    let mut pages = Vec::new();
    let text = match detected {
        Format::Text | Format::Html => {
            // Text is its own size (UTF-16 twice its size): refused before it is decoded.
            if bytes.len() / 2 > limits.text_bytes {
                return Err(Unreadable::TooMuchText {
                    bytes: bytes.len(),
                    limit: limits.text_bytes,
                });
            }
            let decoded = decode(bytes)?;
            notes.extend(decoded.notes);
            // A UTF-16 page shows its tags only once decoded.
            if detected == Format::Text && format::detect(decoded.text.as_bytes()) == Format::Html {
                detected = Format::Html;
            }
            if detected == Format::Html {
                format::html::to_text_within(&decoded.text, limits)?
            } else {
                decoded.text
            }
        }
        Format::Pdf => {
            let (text, extracted) = format::pdf::to_text_and_pages_within(bytes, limits)?;
            pages = extracted;
            text
        }
        Format::Docx => format::docx::to_text_within(bytes, limits)?,
        Format::Zip => return Err(Unreadable::ZipWithoutDocx),
    };
    if let Some(named) = extension.filter(|&e| e != detected) {
        notes.insert(
            0,
            format!("file name says {named} but the content is {detected}; read as {detected}"),
        );
    }
    if text.trim().is_empty() {
        return Err(Unreadable::NoText(detected));
    }
    if text.len() > limits.text_bytes {
        return Err(Unreadable::TooMuchText {
            bytes: text.len(),
            limit: limits.text_bytes,
        });
    }
    Ok((Decoded { text, notes, pages }, detected))
}

/// The UTF-16 encoding of content with a byte-order mark, or without one when it reads as
/// UTF-16: in the first KiB, most code units of Latin text have a zero high byte (Swedish
/// letters too, U+00C5 to U+00F6) and hardly any a zero low byte.
fn utf16_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if bytes.starts_with(b"\xFF\xFE") {
        return Some(encoding_rs::UTF_16LE);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Some(encoding_rs::UTF_16BE);
    }
    let head = &bytes[..bytes.len().min(1024) & !1];
    let units = head.len() / 2;
    if units < 2 {
        return None;
    }
    let zero_at = |offset: usize| {
        head.iter()
            .skip(offset)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zero_at(0), zero_at(1));
    let mostly = |n: usize| n * 10 >= units * 7;
    let hardly = |n: usize| n * 20 <= units;
    if mostly(odd) && hardly(even) {
        Some(encoding_rs::UTF_16LE)
    } else if mostly(even) && hardly(odd) {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Decodes file content as minutes text: UTF-16 (by its BOM or its zero bytes, with a note),
/// UTF-8 (a BOM is dropped, a sequence cut off at the very end is dropped with a note), else
/// Windows-1252. Empty and binary content is refused
/// with the reason.
pub fn decode(bytes: &[u8]) -> std::result::Result<Decoded, Unreadable> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Unreadable::Empty);
    }
    if bytes.starts_with(b"%PDF") {
        return Err(Unreadable::PdfNotText);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(Unreadable::ZipNotText);
    }
    if let Some(encoding) = utf16_encoding(bytes) {
        // A BOM is dropped; text that does not decode (a lone surrogate) is no UTF-16 text.
        let (text, _, malformed) = encoding.decode(bytes);
        if malformed {
            return Err(Unreadable::Binary);
        }
        // (encoding_rs drops the BOM itself.)
        let text = text.into_owned();
        if text.trim().is_empty() {
            return Err(Unreadable::Empty);
        }
        return Ok(Decoded {
            text,
            notes: vec![format!("file is {}; decoded", encoding.name())],
            pages: Vec::new(),
        });
    }
    let head = &bytes[..bytes.len().min(8192)];
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    if head.contains(&0) || control * 20 > head.len() {
        return Err(Unreadable::Binary);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut notes = Vec::new();
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(e) if e.error_len().is_none() => {
            notes.push("file ends in a truncated UTF-8 character, which was dropped".to_string());
            String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned()
        }
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            notes.push("file is not UTF-8; decoded as Windows-1252".to_string());
            text.into_owned()
        }
    };
    Ok(Decoded {
        text,
        notes,
        pages: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_decoded() {
        let bytes = b"\x95 \xc4rendet f\xf6redras av Elin Ring.";
        let decoded = decode(bytes).expect("decodes");
        assert_eq!(decoded.text, "• Ärendet föredras av Elin Ring.");
        assert_eq!(
            decoded.notes,
            vec!["file is not UTF-8; decoded as Windows-1252"]
        );
    }

    #[test]
    fn truncated_utf8_at_end_is_dropped_with_a_note() {
        let mut bytes = "Möte på Åre".as_bytes().to_vec();
        bytes.extend_from_slice(&"ö".as_bytes()[..1]);
        let decoded = decode(&bytes).expect("decodes");
        assert_eq!(decoded.text, "Möte på Åre");
        assert_eq!(decoded.notes.len(), 1);
    }

    #[test]
    fn bom_is_dropped() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFHej")
                .map(|d| d.text)
                .map_err(|e| e.to_string()),
            Ok("Hej".to_string())
        );
    }

    #[test]
    fn format_is_read_from_content_and_a_wrong_name_is_noted() {
        let page = "<html><body><ul><li>Elin Ring föredrar.</li></ul></body></html>";
        assert_eq!(
            to_minutes_text(page.as_bytes(), Some(Format::Pdf)).map_err(|e| e.to_string()),
            Ok(Decoded {
                text: " • Elin Ring föredrar.\n".to_string(),
                notes: vec!["file name says PDF but the content is HTML; read as HTML".to_string()],
                pages: Vec::new(),
            })
        );
        assert_eq!(
            to_minutes_text(b"PK\x03\x04zip", None).map_err(|e| e.to_string()),
            Err(
                "file is a ZIP archive without word/document.xml, so no DOCX; unpack it first"
                    .to_string()
            )
        );
        assert_eq!(
            to_minutes_text(b"<html><script>x()</script></html>", None).map_err(|e| e.to_string()),
            Err("file is HTML with no text in it".to_string())
        );
    }

    #[test]
    fn empty_binary_pdf_are_refused() {
        let decode = |bytes: &[u8]| decode(bytes).map_err(|e| e.to_string());
        assert_eq!(decode(b"  \n"), Err("file is empty".to_string()));
        assert_eq!(
            decode(b"\x00\x01\x02\x03binary"),
            Err("file looks binary (NUL or control bytes), not minutes text".to_string())
        );
        assert!(decode(b"%PDF-1.7\n...").is_err_and(|r| r.contains("PDF")));
    }

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut units: Vec<u16> = Vec::new();
        if bom {
            units.push(0xfeff);
        }
        units.extend(text.encode_utf16());
        units
            .iter()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn utf16_with_or_without_bom_is_decoded() {
        let text = "• Ärendet föredras av Elin Ring (S).\n\n• Åre kommun – beslut.\n";
        for (big_endian, bom, name) in [
            (false, true, "UTF-16LE"),
            (true, true, "UTF-16BE"),
            (false, false, "UTF-16LE"),
            (true, false, "UTF-16BE"),
        ] {
            assert_eq!(
                decode(&utf16(text, big_endian, bom)).map_err(|e| e.to_string()),
                Ok(Decoded {
                    text: text.to_string(),
                    notes: vec![format!("file is {name}; decoded")],
                    pages: Vec::new(),
                }),
                "big endian {big_endian}, BOM {bom}"
            );
        }
        // A UTF-16 page is HTML once decoded.
        let page = utf16(
            "<html><body><ul><li>Elin Ring föredrar.</li></ul></body></html>",
            false,
            true,
        );
        assert_eq!(
            to_minutes_text(&page, Some(Format::Html))
                .map(|d| d.text)
                .map_err(|e| e.to_string()),
            Ok(" • Elin Ring föredrar.\n".to_string())
        );
        // Binary with zeros in no pattern stays binary.
        assert!(decode(&[0u8, 0, 0, 1, 0, 0, 7, 0, 0, 0]).is_err());
    }

    #[test]
    fn text_over_the_limit_is_refused_whatever_the_format() {
        let limits = Limits {
            text_bytes: 64,
            ..Limits::default()
        };
        let long = " • Ärendet föredras.\n".repeat(20);
        assert_eq!(
            to_minutes_text_within(long.as_bytes(), None, &limits).map_err(|e| e.to_string()),
            Err(
                "file holds 0 MiB of text, more than the 0 MiB one meeting's minutes can have"
                    .to_string()
            )
        );
    }

    #[test]
    fn a_large_pdf_with_little_text_is_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("ks-2024-03-12.pdf");
        let text = "Kommunstyrelsen\n\n§ 12 Dnr KS 2024/7\nBudget\n\nElin Ring föredrar budgeten.";
        let bytes = crate::format::sample::pdf_with_image(text, 40 * 1024 * 1024).expect("pdf");
        std::fs::write(&file, &bytes).expect("write");
        assert!(bytes.len() > 40 * 1024 * 1024);
        let decoded = read_file(&file).map_err(|e| e.to_string()).expect("read");
        assert_eq!(
            decoded.text,
            "Kommunstyrelsen\n\n§ 12 Dnr KS 2024/7\nBudget\n\nElin Ring föredrar budgeten.\n"
        );
    }
}
