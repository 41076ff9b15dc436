//! Reading a minutes file from disk into text, whatever its encoding, or a clear reason why not.
//!
//! Older archives are often Windows-1252; scraped pages are UTF-8, sometimes with a byte-order
//! mark or cut off in the middle of a character. Empty, binary and huge files are refused with
//! a reason naming what is wrong, so the rest of the archive still goes in.

use std::path::Path;

use crate::error::{Error, Result};

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

/// Reads and decodes a file; see [`decode`].
pub fn read_file(path: &Path) -> Result<Decoded> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Error::UnreadableFile {
            path: path.to_path_buf(),
            reason: format!(
                "file is {} MiB, larger than the {} MiB limit for one meeting's minutes",
                meta.len() / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    decode(&bytes).map_err(|reason| Error::UnreadableFile {
        path: path.to_path_buf(),
        reason,
    })
}

/// Decodes file content as minutes text: UTF-8 (a BOM is dropped, a sequence cut off at the
/// very end is dropped with a note), else Windows-1252. Empty and binary content is refused
/// with the reason.
pub fn decode(bytes: &[u8]) -> std::result::Result<Decoded, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("file is empty".to_string());
    }
    if bytes.starts_with(b"%PDF") {
        return Err("file is a PDF; PDF minutes are not supported yet (extract the text first, for example with pdftotext)".to_string());
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(
            "file is a ZIP container (DOCX?); only plain-text minutes are supported yet"
                .to_string(),
        );
    }
    let head = &bytes[..bytes.len().min(8192)];
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    if head.contains(&0) || control * 20 > head.len() {
        return Err("file looks binary (NUL or control bytes), not minutes text".to_string());
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
            decode(b"\xEF\xBB\xBFHej").map(|d| d.text),
            Ok("Hej".to_string())
        );
    }

    #[test]
    fn empty_binary_pdf_are_refused() {
        assert_eq!(decode(b"  \n"), Err("file is empty".to_string()));
        assert_eq!(
            decode(b"\x00\x01\x02\x03binary"),
            Err("file looks binary (NUL or control bytes), not minutes text".to_string())
        );
        assert!(decode(b"%PDF-1.7\n...").is_err_and(|r| r.contains("PDF")));
    }
}
