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

use crate::archive::read::read_file_as;
use crate::error::{Error, Result};
use crate::format::Format;
use crate::minutes::parse::parse_minutes;
use crate::minutes::speaker::spelling;
use crate::model::{Item, Visibility};

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
        match read_file_as(&job.path) {
            Err(e) => {
                let reason = match e {
                    Error::UnreadableFile { reason, .. } => reason.to_string(),
                    other => other.to_string(),
                };
                (Vec::new(), report(0, Vec::new(), Some(reason)))
            }
            Ok((decoded, format)) => {
                let mut parsed = parse_minutes(&decoded.text, job.info.clone());
                crate::minutes::page_starts::locate(&decoded.pages, &mut parsed.items);
                let visibility = job
                    .visibility
                    .unwrap_or_else(|| visibility_by_format(format));
                for item in &mut parsed.items {
                    item.meeting.visibility = visibility;
                }
                let mut warnings = decoded.notes;
                warnings.extend(parsed.warnings);
                let n = parsed.items.len();
                (parsed.items, report(n, warnings, None))
            }
        }
    }
}

/// Who may see the items of a file no manifest rule names, by its format: a DOCX is internal,
/// everything else public.
///
/// Municipalities publish protokoll after justering as PDF or web pages; a Word file is the
/// secretary's working copy, the draft that circulates before justering (docs/domain.md § 2).
/// The rule goes by format, not by the text: a draft made from the template already carries
/// the signature block and the ANSLAG/BEVIS box, blank, so "justerat" in the text tells
/// nothing. An archive that publishes DOCX says `visibility = "public"` in its manifest.
pub fn visibility_by_format(format: Format) -> Visibility {
    match format {
        Format::Docx => Visibility::Internal,
        Format::Text | Format::Html | Format::Pdf | Format::Zip => Visibility::Public,
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
    fn visibility_from_folder_rules_file_entries_and_format() {
        use crate::format::{sample, Block};
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("au/sub")).expect("mkdir");
        let text = " • Elin Ring föredrar ärendet.\n";
        for file in ["ks.txt", "au/a.txt", "au/open.txt", "au/sub/b.txt"] {
            std::fs::write(root.join(file), text).expect("write");
        }
        let docx = sample::docx(&[Block::Paragraph {
            depth: 0,
            text: "Elin Ring föredrar ärendet.".into(),
        }])
        .expect("docx");
        std::fs::write(root.join("utkast.docx"), &docx).expect("write");
        std::fs::write(root.join("publicerad.docx"), &docx).expect("write");
        std::fs::write(
            root.join("manifest.toml"),
            "[[meeting]]\nfile = \"au/open.txt\"\nvisibility = \"public\"\n\n\
             [[meeting]]\nfile = \"publicerad.docx\"\nvisibility = \"public\"\n\n\
             [[folder]]\npath = \"au\"\nvisibility = \"internal\"\n",
        )
        .expect("write");
        // A nearer manifest for dates does not make the folder public.
        std::fs::write(
            root.join("au/sub/manifest.toml"),
            "[[meeting]]\nfile = \"b.txt\"\ndate = \"2024\"\n",
        )
        .expect("write");
        let archive = parse_paths(&[root.to_path_buf()]).expect("parses");
        assert_eq!(archive.errors, Vec::<String>::new());
        let mut seen: Vec<(String, Visibility)> = archive
            .items
            .iter()
            .map(|i| (i.meeting.id.clone(), i.meeting.visibility))
            .collect();
        seen.sort();
        assert_eq!(
            seen,
            [
                ("a".to_string(), Visibility::Internal),
                ("b".to_string(), Visibility::Internal),
                ("ks".to_string(), Visibility::Public),
                ("open".to_string(), Visibility::Public),
                ("publicerad".to_string(), Visibility::Public),
                ("utkast".to_string(), Visibility::Internal),
            ]
        );
        let internal = archive
            .items
            .iter()
            .find(|i| i.meeting.id == "a")
            .expect("item");
        let json = serde_json::to_value(&internal.meeting).expect("json");
        assert_eq!(json["visibility"], "internal");
        let public = archive
            .items
            .iter()
            .find(|i| i.meeting.id == "ks")
            .expect("item");
        let json = serde_json::to_value(&public.meeting).expect("json");
        assert_eq!(json.get("visibility"), None);
    }

    #[test]
    fn a_broken_manifest_makes_its_files_internal() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("ks.txt"), " • Ett.\n").expect("write");
        std::fs::write(dir.path().join("manifest.toml"), "[[meeting]\n").expect("write");
        let archive = parse_paths(&[dir.path().to_path_buf()]).expect("parses");
        assert_eq!(archive.errors.len(), 1, "{:?}", archive.errors);
        assert_eq!(archive.items[0].meeting.visibility, Visibility::Internal);
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
