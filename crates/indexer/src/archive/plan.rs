//! The plan of an archive: its minutes files, each with its key, its fingerprint and what
//! its manifest entry and file name say about the meeting, before any file is parsed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::fingerprint;
use super::manifest::{Manifest, MANIFEST_FILE};
use crate::error::{Error, Result};
use crate::hash::fnv1a;
use crate::minutes::dates::from_file_stem;
use crate::minutes::MeetingInfo;
use crate::model::{DateSource, Visibility};

/// Lists the minutes files under the given paths (files as given, directories recursively),
/// sorted and without duplicates. Hidden files and manifests are left out.
///
/// Symbolic links are followed, to files and to directories (issue #17: they were skipped
/// without a word). A file reached twice (through a link and as itself) is listed once, by the
/// path that is no link when there is one; a directory already walked is not walked again, so
/// a link back to a parent (a loop) ends the walk there and is reported in `errors`, as is a
/// link whose target is missing.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    collect_files_reporting(paths, &mut Vec::new())
}

/// [`collect_files`], adding broken links and loops to `errors`.
pub fn collect_files_reporting(
    paths: &[PathBuf],
    errors: &mut Vec<String>,
) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut walked = HashSet::new();
    let mut links = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::NotFound(path.clone()),
            _ => Error::io(path, e),
        })?;
        if meta.is_dir() {
            walk(path, &mut out, &mut walked, &mut links)?;
        } else {
            out.push(path.clone());
        }
    }
    links.sort();
    errors.extend(links);
    out.sort();
    out.dedup();
    // One file, one job: the key is the canonical path, so a file reached by two paths
    // would be indexed twice under one key.
    let canonical: Vec<PathBuf> = out
        .iter()
        .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
        .collect();
    let mut chosen: HashMap<&Path, usize> = HashMap::new();
    for (i, real) in canonical.iter().enumerate() {
        let through_link = |i: usize| is_through_link(&out[i]);
        match chosen.get(real.as_path()) {
            // Kept unless this path is no link and the one kept so far is.
            Some(&j) if !through_link(j) || through_link(i) => {}
            _ => {
                chosen.insert(real.as_path(), i);
            }
        }
    }
    let keep: HashSet<usize> = chosen.into_values().collect();
    Ok(out
        .into_iter()
        .enumerate()
        .filter(|(i, _)| keep.contains(i))
        .map(|(_, p)| p)
        .collect())
}

/// Whether the file or one of its directories (below the root given) is a symbolic link.
fn is_through_link(path: &Path) -> bool {
    path.ancestors()
        .take_while(|a| !a.as_os_str().is_empty())
        .any(|a| {
            a.symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink())
        })
}

fn walk(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    walked: &mut HashSet<PathBuf>,
    errors: &mut Vec<String>,
) -> Result<()> {
    let real = std::fs::canonicalize(dir).map_err(|e| Error::io(dir, e))?;
    if !walked.insert(real.clone()) {
        // Walked already: through another link, or this link leads back to a parent.
        if dir
            .ancestors()
            .skip(1)
            .any(|a| std::fs::canonicalize(a).is_ok_and(|a| a == real))
        {
            errors.push(format!(
                "{}: symbolic link loop (leads back to {}); not followed",
                dir.display(),
                real.display()
            ));
        }
        return Ok(());
    }
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
        let mut file_type = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if file_type.is_symlink() {
            match std::fs::metadata(&path) {
                Ok(target) => file_type = target.file_type(),
                Err(_) => {
                    errors.push(format!(
                        "{}: symbolic link to a missing file; skipped",
                        path.display()
                    ));
                    continue;
                }
            }
        }
        if file_type.is_dir() {
            walk(&path, out, walked, errors)?;
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

/// Who may see a file's items by the rules of the manifests in its directory and above: the
/// most specific rule wins (see [`super::manifest`]). `None` when no rule names the file.
///
/// A manifest that cannot be read fails closed: the file is internal until it is fixed, as
/// the rule it may have held could not be known (the run reports the manifest as an error).
fn visibility_for(
    file: &Path,
    cache: &mut HashMap<PathBuf, Option<Manifest>>,
    errors: &mut Vec<String>,
) -> Option<Visibility> {
    let mut best: Option<(usize, Visibility)> = None;
    for dir in file.ancestors().skip(1) {
        let candidate = dir.join(MANIFEST_FILE);
        // `manifest_for` loaded the nearest; the others are loaded here, once.
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
        match cache.get(&candidate) {
            Some(Some(manifest)) => {
                if let Some(rule) = manifest.visibility_rule(file) {
                    if best.is_none_or(|(depth, _)| rule.0 > depth) {
                        best = Some(rule);
                    }
                }
            }
            Some(None) if candidate.is_file() => return Some(Visibility::Internal),
            _ => {}
        }
    }
    best.map(|(_, v)| v)
}

/// A minutes file and what is known about it before it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileJob {
    /// The file as found.
    pub path: PathBuf,
    /// Stable key of the file in the index: its canonical absolute path (symbolic links and
    /// `..` resolved), however the archive was given.
    pub key: String,
    /// Fingerprint of the file's bytes, its manifest entry and
    /// [`PARSER_VERSION`](super::PARSER_VERSION) ([`super::fingerprint`]): when it changes, the
    /// file's items are indexed again.
    pub fingerprint: String,
    /// Meeting metadata from the manifest or the file name.
    pub info: MeetingInfo,
    /// Who may see the file's items by a manifest rule; `None` when no rule names it (then the
    /// format decides: see [`crate::archive::visibility_by_format`]).
    pub visibility: Option<Visibility>,
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
    let mut plan = unhashed(paths)?;
    // Hashing reads every file: spread it over the cores.
    let jobs = std::mem::take(&mut plan.jobs);
    plan.jobs = jobs
        .into_par_iter()
        .map(|mut job| {
            job.fingerprint = fingerprint::of_file(&job.path, &job.fingerprint);
            job
        })
        .collect();
    Ok(plan)
}

/// The meeting id of each file of the archive and the file, without reading the files: where
/// the server finds an item's archived original (issue #19).
pub fn meeting_files(paths: &[PathBuf]) -> Result<Vec<(String, PathBuf)>> {
    Ok(unhashed(paths)?
        .jobs
        .into_iter()
        .map(|job| (job.info.id, job.path))
        .collect())
}

/// [`plan`] but for the files' content: the fingerprints cover the metadata only.
fn unhashed(paths: &[PathBuf]) -> Result<Plan> {
    let mut plan = Plan::default();
    let mut manifests: HashMap<PathBuf, Option<Manifest>> = HashMap::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    let files = collect_files_reporting(paths, &mut plan.errors)?;

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
        let visibility = visibility_for(&path, &mut manifests, &mut plan.errors);
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
            // The canonical path, as the key: `archive/a.txt` and `/srv/archive/a.txt` are one
            // file with one source and one fingerprint (issue #17).
            source: entry
                .as_ref()
                .and_then(|e| e.source.clone())
                .unwrap_or_else(|| absolute.display().to_string()),
            municipality: entry.as_ref().and_then(|e| e.municipality.clone()),
        };
        let key = absolute.to_string_lossy().into_owned();
        plan.jobs.push(FileJob {
            fingerprint: fingerprint::with_visibility(
                fingerprint::metadata(entry.as_ref(), &info),
                visibility,
            ),
            path,
            key,
            info,
            visibility,
        });
    }
    Ok(plan)
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

    fn sources_and_fingerprints(root: &Path) -> Vec<(String, String, String)> {
        let plan = plan(&[root.to_path_buf()]).expect("plan");
        plan.jobs
            .into_iter()
            .map(|j| (j.key, j.info.source, j.fingerprint))
            .collect()
    }

    #[test]
    fn two_spellings_of_an_archive_give_one_source_and_fingerprint() {
        let dir = tempfile::tempdir().expect("tempdir");
        let archive = dir.path().join("arkiv");
        std::fs::create_dir_all(archive.join("ks")).expect("mkdir");
        std::fs::write(archive.join("ks/a.txt"), " • Ett.\n").expect("write");
        let plain = sources_and_fingerprints(&archive);
        let other = sources_and_fingerprints(&archive.join("ks/../.").join("."));
        assert_eq!(plain, other);
        let real = std::fs::canonicalize(archive.join("ks/a.txt")).expect("canonical");
        assert_eq!(plain[0].1, real.display().to_string());
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_followed_once_and_loops_reported() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().expect("tempdir");
        let archive = dir.path().join("arkiv");
        let elsewhere = dir.path().join("annat");
        std::fs::create_dir_all(archive.join("ks")).expect("mkdir");
        std::fs::create_dir_all(&elsewhere).expect("mkdir");
        std::fs::write(archive.join("ks/a.txt"), " • Ett.\n").expect("write");
        std::fs::write(elsewhere.join("b.txt"), " • Två.\n").expect("write");
        symlink(elsewhere.join("b.txt"), archive.join("b.txt")).expect("link to a file");
        symlink(archive.join("ks/a.txt"), archive.join("a-igen.txt")).expect("link to a sibling");
        symlink(&archive, archive.join("ks/loop")).expect("link to a parent");
        symlink(dir.path().join("saknas.txt"), archive.join("trasig.txt")).expect("dangling");
        let mut errors = Vec::new();
        let files =
            collect_files_reporting(std::slice::from_ref(&archive), &mut errors).expect("collect");
        let names: Vec<String> = files
            .iter()
            .map(|f| {
                f.strip_prefix(&archive)
                    .expect("under")
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(names, vec!["b.txt", "ks/a.txt"]);
        assert_eq!(
            errors,
            vec![
                format!(
                    "{}: symbolic link loop (leads back to {}); not followed",
                    archive.join("ks/loop").display(),
                    std::fs::canonicalize(&archive)
                        .expect("canonical")
                        .display()
                ),
                format!(
                    "{}: symbolic link to a missing file; skipped",
                    archive.join("trasig.txt").display()
                ),
            ]
        );
    }
}
