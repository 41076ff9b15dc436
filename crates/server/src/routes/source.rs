//! `GET /api/items/{id}/source`: the archived original of an item's meeting (PDF, DOCX, HTML,
//! text), with its content type and a safe file name (issue #19).
//!
//! The item is looked up through the engine first, so an item the engine does not serve has
//! no source either. Its file is found by meeting id in the archive's own listing
//! ([`ArchiveFiles`]), never from a path in the request; and a file is served only when its
//! canonical path (symbolic links and `..` resolved) lies inside a canonical archive root, so
//! a link out of the archive is a 404 too.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::extract::Path as PathParam;
use crate::{blocking, ApiError, AppState, ErrorCode};

/// The archive the index was built from: its roots, and which file holds which meeting
/// (listed once, and again when a meeting is not in the listing: the archive grows while the
/// server runs).
#[derive(Debug)]
pub struct ArchiveFiles {
    roots: Vec<PathBuf>,
    by_meeting: Mutex<Listing>,
}

/// The archive's files by meeting id, and when they were listed.
#[derive(Debug, Default)]
struct Listing {
    files: HashMap<String, PathBuf>,
    listed: Option<Instant>,
}

/// How often a request for a meeting the listing lacks may list the archive again: a client
/// asking for sources the archive does not hold must not walk its folders on every request.
const RELIST_EVERY: Duration = Duration::from_secs(10);

impl ArchiveFiles {
    /// The archive under these paths (files or directories, as `paragraf serve --archive`).
    pub fn new(roots: Vec<PathBuf>) -> ArchiveFiles {
        ArchiveFiles {
            roots,
            by_meeting: Mutex::default(),
        }
    }

    /// The canonical path of the file holding `meeting`, when it is inside the archive.
    pub fn file_of(&self, meeting: &str) -> Option<PathBuf> {
        let mut listing = match self.by_meeting.lock() {
            Ok(listing) => listing,
            Err(poisoned) => poisoned.into_inner(),
        };
        let stale = listing.listed.is_none_or(|at| at.elapsed() >= RELIST_EVERY);
        if !listing.files.contains_key(meeting) && stale {
            let listed = paragraf_indexer::archive::meeting_files(&self.roots)
                .map_err(|e| tracing::warn!(error = %e, "the archive cannot be listed"))
                .ok()?;
            listing.files = listed.into_iter().collect();
            listing.listed = Some(Instant::now());
        }
        let path = listing.files.get(meeting)?.clone();
        drop(listing);
        self.inside(&path)
    }

    /// `path` canonicalised, when it is a file inside a canonical root.
    fn inside(&self, path: &Path) -> Option<PathBuf> {
        let file = std::fs::canonicalize(path).ok()?;
        if !file.is_file() {
            return None;
        }
        let inside = self.roots.iter().any(|root| {
            std::fs::canonicalize(root).is_ok_and(|root| file == root || file.starts_with(&root))
        });
        if !inside {
            tracing::warn!(file = %file.display(), "a meeting's file lies outside the archive; not served");
        }
        inside.then_some(file)
    }
}

#[utoipa::path(
    get,
    path = "/api/items/{id}/source",
    operation_id = "item_source",
    tag = "items",
    params(("id" = String, Path, description = "Item id: `<meeting id>.<ordinal>`, as in a hit")),
    responses(
        (status = 200, description = "The archived original: PDF, DOCX, HTML or text (as UTF-8)", content_type = "application/octet-stream"),
        (status = 404, description = "No item with this id (`item_not_found`), or its file is not in the archive (`source_not_found`)", body = crate::error::ErrorBody),
        (status = 503, description = "Busy, too slow, or the index is unavailable", body = crate::error::ErrorBody),
    )
)]
/// The archived original of the item's meeting.
pub async fn source(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    PathParam(id): PathParam<String>,
) -> Result<Response, ApiError> {
    let engine = state.engine();
    let item = blocking(&state, move || engine.item(&id, caller.access))
        .await?
        .item;
    let not_found = || {
        ApiError::new(
            ErrorCode::SourceNotFound,
            format!(
                "the original of meeting {:?} is not in the archive",
                item.meeting.id
            ),
        )
    };
    let Some(archive) = state.archive() else {
        return Err(not_found());
    };
    let meeting = item.meeting.id.clone();
    let read = tokio::task::spawn_blocking(move || {
        let file = archive.file_of(&meeting)?;
        let bytes = std::fs::read(&file).ok()?;
        Some((file, bytes))
    })
    .await;
    let Ok(Some((file, bytes))) = read else {
        return Err(not_found());
    };
    let (content_type, body) = content(&file, bytes);
    let name = safe_file_name(&file);
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
            // An archived HTML page must not run scripts on the API's origin.
            (header::CONTENT_SECURITY_POLICY, "sandbox".to_string()),
        ],
        Body::from(body),
    )
        .into_response())
}

/// The content type by the file's extension, and the body: text files decoded to UTF-8 as
/// the indexer reads them (an archive of Windows-1252 text shows å, ä, ö right).
fn content(file: &Path, bytes: Vec<u8>) -> (&'static str, Vec<u8>) {
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "pdf" => ("application/pdf", bytes),
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            bytes,
        ),
        "html" | "htm" => ("text/html; charset=utf-8", utf8(bytes)),
        "md" => ("text/markdown; charset=utf-8", utf8(bytes)),
        "txt" | "text" => ("text/plain; charset=utf-8", utf8(bytes)),
        _ => ("application/octet-stream", bytes),
    }
}

fn utf8(bytes: Vec<u8>) -> Vec<u8> {
    match paragraf_indexer::archive::read::decode(&bytes) {
        Ok(decoded) => decoded.text.into_bytes(),
        Err(_) => bytes,
    }
}

/// The file's name in ASCII letters, digits, `-`, `_` and `.` (others become `_`), so that
/// it can stand in a quoted `filename` as it is.
pub fn safe_file_name(file: &Path) -> String {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut out: String = name
        .chars()
        .map(|c| match c {
            'å' | 'ä' | 'Å' | 'Ä' => 'a',
            'ö' | 'Ö' => 'o',
            'é' | 'É' => 'e',
            c if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') => c,
            _ => '_',
        })
        .collect();
    if out.trim_matches(['.', '_']).is_empty() {
        out = "protokoll".to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_in_a_header() {
        assert_eq!(
            safe_file_name(Path::new("/a/Melleruds kommun-2020-02-26.txt")),
            "Melleruds_kommun-2020-02-26.txt"
        );
        assert_eq!(
            safe_file_name(Path::new("x/SBN_2025-09-01.pdf")),
            "SBN_2025-09-01.pdf"
        );
        assert_eq!(safe_file_name(Path::new("x/\"möte\";.pdf")), "_mote__.pdf");
        assert_eq!(safe_file_name(Path::new("x/..")), "protokoll");
    }

    #[test]
    fn a_link_out_of_the_archive_is_not_served() {
        let dir = tempfile::tempdir().expect("temp dir");
        let archive = dir.path().join("archive");
        std::fs::create_dir(&archive).expect("archive dir");
        std::fs::write(archive.join("ks-2013-05-15.txt"), "§ 1 Upprop\n").expect("a file");
        std::fs::write(dir.path().join("secret.txt"), "hemligt").expect("a file outside");
        let files = ArchiveFiles::new(vec![archive.clone()]);
        assert_eq!(
            files.file_of("ks-2013-05-15"),
            std::fs::canonicalize(archive.join("ks-2013-05-15.txt")).ok()
        );
        assert_eq!(files.inside(&archive.join("../secret.txt")), None);
        assert_eq!(files.inside(&dir.path().join("secret.txt")), None);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), archive.join("link.txt"))
                .expect("a link");
            assert_eq!(files.inside(&archive.join("link.txt")), None);
            assert_eq!(files.file_of("link"), None);
        }
        assert_eq!(files.file_of("no-such-meeting"), None);
    }
}
