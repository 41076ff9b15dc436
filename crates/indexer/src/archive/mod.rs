//! An archive on disk: files and directories, an optional manifest, and the report of what was
//! parsed, warned about or skipped.
//!
//! One bad file never stops an archive (STYLE.md § 3): it is reported with the reason and
//! counted, and the caller decides the exit code from [`Archive::skipped`].

pub mod fingerprint;
pub mod manifest;
pub mod plan;
pub mod read;

use std::path::PathBuf;

use rayon::prelude::*;

use crate::archive::read::read_file;
use crate::error::{Error, Result};
use crate::minutes::parse::parse_minutes;
use crate::minutes::speaker::spelling;
use crate::model::Item;

pub use fingerprint::PARSER_VERSION;
pub use plan::{collect_files, meeting_files, plan, slug, FileJob, Plan};

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    /// The file.
    pub path: PathBuf,
    /// Its key in the index (absolute path).
    pub key: String,
    /// Its fingerprint (see [`FileJob::fingerprint`]).
    pub fingerprint: String,
    /// How many items it gave.
    pub items: usize,
    /// Warnings about its content.
    pub warnings: Vec<String>,
    /// Why it was skipped, if it was.
    pub skipped: Option<String>,
}

/// The parsed archive.
#[derive(Debug, Clone, Default)]
pub struct Archive {
    /// All items, file by file in path order.
    pub items: Vec<Item>,
    /// One report per file.
    pub files: Vec<FileReport>,
    /// Problems that concern no single minutes file (a malformed manifest).
    pub errors: Vec<String>,
}

impl Archive {
    /// Number of files that were skipped, plus archive-level errors.
    pub fn skipped(&self) -> usize {
        self.files.iter().filter(|f| f.skipped.is_some()).count() + self.errors.len()
    }
}

/// Parses the files of a plan (on all cores, rayon's pool). Items are in job order; each report says how
/// many items its file gave.
pub fn parse_jobs(jobs: &[FileJob]) -> Archive {
    parse_jobs_with_progress(jobs, &|_, _| {})
}

/// [`parse_jobs`], calling `progress(done, total)` after each file.
pub fn parse_jobs_with_progress(
    jobs: &[FileJob],
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Archive {
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = jobs.len();
    let results: Vec<(Vec<Item>, FileReport)> = jobs
        .par_iter()
        .map(|job| {
            let result = parse_job(job);
            progress(
                done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
                total,
            );
            result
        })
        .collect();
    let mut archive = Archive::default();
    for (items, report) in results {
        archive.items.extend(items);
        archive.files.push(report);
    }
    spelling::unify(&mut archive.items);
    archive
}

fn parse_job(job: &FileJob) -> (Vec<Item>, FileReport) {
    {
        let report = |items, warnings, skipped| FileReport {
            path: job.path.clone(),
            key: job.key.clone(),
            fingerprint: job.fingerprint.clone(),
            items,
            warnings,
            skipped,
        };
        match read_file(&job.path) {
            Err(e) => {
                let reason = match e {
                    Error::UnreadableFile { reason, .. } => reason.to_string(),
                    other => other.to_string(),
                };
                (Vec::new(), report(0, Vec::new(), Some(reason)))
            }
            Ok(decoded) => {
                let mut parsed = parse_minutes(&decoded.text, job.info.clone());
                crate::minutes::page_starts::locate(&decoded.pages, &mut parsed.items);
                let mut warnings = decoded.notes;
                warnings.extend(parsed.warnings);
                let n = parsed.items.len();
                (parsed.items, report(n, warnings, None))
            }
        }
    }
}

/// Parses every minutes file under the given paths.
///
/// Fails only when a given path does not exist; everything else is reported per file.
pub fn parse_paths(paths: &[PathBuf]) -> Result<Archive> {
    let plan = plan(paths)?;
    let mut archive = parse_jobs(&plan.jobs);
    archive.errors = plan.errors;
    Ok(archive)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DateSource;

    #[test]
    fn bad_file_does_not_stop_the_archive() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("a-2020-01-10.txt"),
            " • Elin Ring föredrar ärendet.\n",
        )
        .expect("write");
        std::fs::write(dir.path().join("b.txt"), "").expect("write");
        std::fs::write(dir.path().join("c.bin"), [0u8, 1, 2, 3, 0, 0]).expect("write");
        let archive = parse_paths(&[dir.path().to_path_buf()]).expect("parses");
        let summary: Vec<(String, usize, Option<String>)> = archive
            .files
            .iter()
            .map(|f| {
                let name = f
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (name, f.items, f.skipped.clone())
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("a-2020-01-10.txt".to_string(), 1, None),
                ("b.txt".to_string(), 0, Some("file is empty".to_string())),
                (
                    "c.bin".to_string(),
                    0,
                    Some("file looks binary (NUL or control bytes), not minutes text".to_string())
                ),
            ]
        );
        assert_eq!(archive.skipped(), 2);
        let item = &archive.items[0];
        assert_eq!(item.id, "a-2020-01-10.01");
        assert_eq!(item.meeting.body.as_deref(), Some("a"));
        assert_eq!(item.meeting.date.as_deref(), Some("2020-01-10"));
        assert_eq!(item.meeting.date_source, Some(DateSource::FileName));
    }

    #[test]
    fn missing_path_is_an_error() {
        let err = parse_paths(&[PathBuf::from("/no/such/archive")]).expect_err("missing");
        assert_eq!(
            err.to_string(),
            "/no/such/archive: no such file or directory"
        );
    }

    #[test]
    fn spellings_unified_by_how_often_they_are_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("m.txt"),
            " • Lise Hjemgaard-Svensson (M), ordförande, öppnar mötet.\n\n • Ordföranden föredrar.\n\n • Ordföranden tackar.\n\n • Lise Hjemgaard Svensson föredrar.\n\n • Lise Hjemgaard Svensson föredrar igen.\n",
        )
        .expect("write");
        let archive = parse_paths(&[dir.path().to_path_buf()]).expect("parses");
        let names: Vec<&str> = archive
            .items
            .iter()
            .flat_map(|i| &i.speakers)
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(names, vec!["Lise Hjemgaard Svensson"; 5]);
    }
}
