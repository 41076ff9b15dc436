//! Reading a minutes file from disk into text, whatever its format and encoding, or a clear
//! reason why not.
//!
//! The format is told from the content ([`crate::format::detect`]): HTML, PDF and DOCX are
//! turned into plain minutes text by [`crate::format`]. Older plain-text archives are often
//! Windows-1252; scraped pages are UTF-8, sometimes with a byte-order mark or cut off in the
//! middle of a character. Empty, binary, scanned and huge files are refused with a reason
//! naming what is wrong, so the rest of the archive still goes in.

use std::path::Path;

pub use crate::error::Unreadable;
use crate::error::{Error, Result};
use crate::format::{self, Format};

/// Files larger than this are refused: minutes of one meeting are far smaller, so such a file
/// is almost certainly not minutes text.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// A file's text and what had to be done to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, valid UTF-8.
    pub text: String,
    /// Notes worth a warning ("decoded as Windows-1252"), empty for clean UTF-8.
    pub notes: Vec<String>,
}

/// Reads a file and turns it into minutes text, by the format its content shows; see
/// [`to_minutes_text`].
pub fn read_file(path: &Path) -> Result<Decoded> {
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
    to_minutes_text(&bytes, extension).map_err(|reason| Error::UnreadableFile {
        path: path.to_path_buf(),
        reason,
    })
}

/// Turns file content into minutes text by the format its content shows (not its name):
/// plain text is decoded ([`decode`]), HTML, PDF and DOCX are converted by
/// [`crate::format`]. When the file name's extension says another format, a note says so.
pub fn to_minutes_text(
    bytes: &[u8],
    extension: Option<Format>,
) -> std::result::Result<Decoded, Unreadable> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Unreadable::Empty);
    }
    let detected = format::detect(bytes);
    let mut notes = Vec::new();
    if let Some(named) = extension.filter(|&e| e != detected) {
        notes.push(format!(
            "file name says {named} but the content is {detected}; read as {detected}"
        ));
    }
    let text = match detected {
        Format::Text => {
            let decoded = decode(bytes)?;
            notes.extend(decoded.notes);
            decoded.text
        }
        Format::Html => {
            let decoded = decode(bytes)?;
            notes.extend(decoded.notes);
            format::html::to_text(&decoded.text)
        }
        Format::Pdf => format::pdf::to_text(bytes)?,
        Format::Docx => format::docx::to_text(bytes)?,
        Format::Zip => return Err(Unreadable::ZipWithoutDocx),
    };
    if text.trim().is_empty() {
        return Err(Unreadable::NoText(detected));
    }
    Ok(Decoded { text, notes })
}

/// Decodes file content as minutes text: UTF-8 (a BOM is dropped, a sequence cut off at the
/// very end is dropped with a note), else Windows-1252. Empty and binary content is refused
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
    Ok(Decoded { text, notes })
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
}
