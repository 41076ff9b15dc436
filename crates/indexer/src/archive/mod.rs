//! An archive on disk: files and directories, an optional manifest, and the report of what was
//! parsed, warned about or skipped.
//!
//! One bad file never stops an archive (STYLE.md § 3): it is reported with the reason and
//! counted, and the caller decides the exit code from [`Archive::skipped`].

pub mod manifest;
pub mod read;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::archive::manifest::{Manifest, MANIFEST_FILE};
use crate::archive::read::read_file;
use crate::error::{Error, Result};
use crate::minutes::dates::from_file_stem;
use crate::minutes::parse::{parse_minutes, MeetingInfo};
use crate::minutes::speaker::spelling;
use crate::model::{DateSource, Item};

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

/// Lists the minutes files under the given paths (files as given, directories recursively),
/// sorted and without duplicates. Hidden files and manifests are left out.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::NotFound(path.clone()),
            _ => Error::io(path, e),
        })?;
        if meta.is_dir() {
            walk(path, &mut out)?;
        } else {
            out.push(path.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == MANIFEST_FILE || name.eq_ignore_ascii_case("README.md")
        {
            continue;
        }
        let file_type = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if file_type.is_dir() {
            walk(&path, out)?;
        } else if file_type.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

/// Finds the manifest that governs a file: the nearest `manifest.toml` in its directory or
/// one of its parents.
fn manifest_for<'a>(
    file: &Path,
    cache: &'a mut HashMap<PathBuf, Option<Manifest>>,
    errors: &mut Vec<String>,
) -> Option<&'a Manifest> {
    let mut found = None;
    for dir in file.ancestors().skip(1) {
        let candidate = dir.join(MANIFEST_FILE);
        if !cache.contains_key(&candidate) {
            let loaded = if candidate.is_file() {
                match Manifest::load(&candidate) {
                    Ok(m) => Some(m),
                    Err(e) => {
                        errors.push(e.to_string());
                        None
                    }
                }
            } else {
                None
            };
            cache.insert(candidate.clone(), loaded);
        }
        if matches!(cache.get(&candidate), Some(Some(_))) {
            found = Some(candidate);
            break;
        }
    }
    cache.get(&found?).and_then(Option::as_ref)
}

/// Version of the parser's output. It is part of every file's fingerprint, so raising it
/// makes the next `paragraf index` parse every file again.
pub const PARSER_VERSION: u32 = 2;

/// A minutes file and what is known about it before it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileJob {
    /// The file as found.
    pub path: PathBuf,
    /// Stable key of the file in the index: its absolute path.
    pub key: String,
    /// Fingerprint of the file's bytes, its manifest entry and [`PARSER_VERSION`]: when it
    /// changes, the file's items are indexed again.
    pub fingerprint: String,
    /// Meeting metadata from the manifest or the file name.
    pub info: MeetingInfo,
}

/// The files of an archive, ready to parse.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// One job per file, in path order.
    pub jobs: Vec<FileJob>,
    /// Problems that concern no single minutes file (a malformed manifest).
    pub errors: Vec<String>,
}

/// Finds the minutes files under the given paths and what the manifests and file names say
/// about them. Fails only when a given path does not exist.
pub fn plan(paths: &[PathBuf]) -> Result<Plan> {
    let mut plan = Plan::default();
    let mut manifests: HashMap<PathBuf, Option<Manifest>> = HashMap::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    let files = collect_files(paths)?;

    // Unlisted files are named by their stem ("kommunstyrelsen-2013-05-15"); stems that
    // occur twice get a suffix from the file's absolute path, so an id never depends on the
    // order of files or on which folder was given.
    let stem_of = |path: &Path| {
        path.file_stem()
            .map(|s| slug(&s.to_string_lossy()))
            .unwrap_or_default()
    };
    let mut stems: HashMap<String, usize> = HashMap::new();
    for path in &files {
        *stems.entry(stem_of(path)).or_default() += 1;
    }
    for path in files {
        let manifest = manifest_for(&path, &mut manifests, &mut plan.errors);
        let entry = manifest.and_then(|m| m.get(&path)).cloned();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let from_name = from_file_stem(&stem);
        let absolute = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        let mut id = match entry.as_ref().and_then(|e| e.id.clone()) {
            Some(id) => id,
            None if stems.get(&stem_of(&path)).copied().unwrap_or(0) > 1 => {
                let hash = fnv1a(absolute.to_string_lossy().as_bytes());
                format!("{}-{:04x}", stem_of(&path), hash & 0xffff)
            }
            None => stem_of(&path),
        };
        if !used_ids.insert(id.clone()) {
            let mut n = 2;
            while !used_ids.insert(format!("{id}-{n}")) {
                n += 1;
            }
            id = format!("{id}-{n}");
        }
        let info = MeetingInfo {
            id,
            body: entry
                .as_ref()
                .and_then(|e| e.body.clone())
                .or_else(|| from_name.as_ref().and_then(|(b, _)| b.clone())),
            date: entry
                .as_ref()
                .and_then(|e| e.parsed_date())
                .map(|(d, p)| (d, p, DateSource::Manifest))
                .or_else(|| {
                    from_name
                        .map(|(_, d)| (d, crate::date::DatePrecision::Day, DateSource::FileName))
                }),
            source: entry
                .as_ref()
                .and_then(|e| e.source.clone())
                .unwrap_or_else(|| path.display().to_string()),
        };
        let key = absolute.to_string_lossy().into_owned();
        plan.jobs.push(FileJob {
            fingerprint: format!("{entry:?}|{info:?}"),
            path,
            key,
            info,
        });
    }
    // Hashing reads every file: spread it over the cores.
    let jobs = std::mem::take(&mut plan.jobs);
    plan.jobs = parallel_map(jobs, |mut job| {
        job.fingerprint = fingerprint(&job.path, &job.fingerprint);
        job
    });
    Ok(plan)
}

/// FNV-1a (64 bit) over the file's bytes, its metadata and the parser version, in hex.
fn fingerprint(path: &Path, metadata: &str) -> String {
    let mut bytes = match std::fs::metadata(path) {
        Ok(meta) if meta.len() > crate::archive::read::MAX_FILE_BYTES => {
            meta.len().to_le_bytes().to_vec()
        }
        _ => std::fs::read(path).unwrap_or_default(),
    };
    bytes.extend_from_slice(metadata.as_bytes());
    bytes.extend_from_slice(&PARSER_VERSION.to_le_bytes());
    format!("{:016x}", fnv1a(&bytes))
}

/// The FNV-1a hash (64 bit): small, stable across Rust versions and platforms.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Parses the files of a plan (on all cores). Items are in job order; each report says how
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
    let results = parallel_map(jobs.iter().collect(), |job: &FileJob| {
        let result = parse_job(job);
        progress(
            done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
            total,
        );
        result
    });
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
                let parsed = parse_minutes(&decoded.text, job.info.clone());
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

/// Runs `f` over `jobs` on all cores, keeping the order of the input.
fn parallel_map<T: Send, R: Send>(jobs: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads <= 1 || jobs.len() <= 1 {
        return jobs.into_iter().map(f).collect();
    }
    let chunk = jobs.len().div_ceil(threads);
    let mut chunks: Vec<Vec<T>> = Vec::new();
    let mut jobs = jobs.into_iter().peekable();
    while jobs.peek().is_some() {
        chunks.push(jobs.by_ref().take(chunk).collect());
    }
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|c| s.spawn(move || c.into_iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(results) => results,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

/// Lower-case ASCII-ish id from a file stem: letters, digits and '-'.
pub fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.to_lowercase().chars() {
        let c = match c {
            'å' | 'ä' | 'à' | 'á' => 'a',
            'ö' | 'ø' | 'ó' => 'o',
            'é' | 'è' => 'e',
            'ü' => 'u',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("meeting");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Kommunstyrelsen 2013-05-15"),
            "kommunstyrelsen-2013-05-15"
        );
        assert_eq!(
            slug("Hälso- och sjukvårdsnämnden"),
            "halso-och-sjukvardsnamnden"
        );
        assert_eq!(slug("___"), "meeting");
    }

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
