//! `paragraf check`: verifies an index and compares it with its archive, in words an
//! administrator can act on.

use std::path::{Path, PathBuf};

use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};

use crate::archive::Plan;
use crate::error::Result;
use crate::index::store::{current_generation, open, stray_files, IndexInfo, CURRENT};
use crate::index::update::{compare, indexed_files};

/// What a check found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// The index's description from its last commit.
    pub info: IndexInfo,
    /// The generation directory checked.
    pub generation: PathBuf,
    /// Segments opened.
    pub segments: usize,
    /// Live items counted segment by segment.
    pub items_counted: u64,
    /// Problems with the index itself, each a sentence saying what to do.
    pub problems: Vec<String>,
    /// Archive files the index does not hold yet.
    pub not_indexed: Vec<PathBuf>,
    /// Archive files that changed since they were indexed.
    pub outdated: Vec<PathBuf>,
    /// Indexed files that are gone from the archive (their keys).
    pub gone: Vec<String>,
}

impl CheckReport {
    /// Whether anything needs attention.
    pub fn is_healthy(&self) -> bool {
        self.problems.is_empty()
            && self.not_indexed.is_empty()
            && self.outdated.is_empty()
            && self.gone.is_empty()
    }
}

/// Checks the index in `index_dir`: it opens and has this Paragraf's schema, its files match
/// their checksums, every segment opens and its stored items read back, the item count
/// matches the description of the last commit; and, given the archive's plan, which files are
/// not indexed, outdated or gone.
///
/// Also what failed runs leave (issue #17): files in the generation no commit refers to, a
/// `gen-*` directory of a build that was killed, and a missing or unreadable `.managed.json`
/// (tantivy's list of its own files, without which it removes none of them).
pub fn check(index_dir: &Path, archive: Option<(&Plan, &[PathBuf])>) -> Result<CheckReport> {
    let generation = current_generation(index_dir)?;
    let managed = managed_problem(&generation);
    let opened = match open(index_dir) {
        Ok(opened) => opened,
        // An unreadable `.managed.json` keeps tantivy from opening the index at all.
        Err(_) if managed.is_some() => {
            return Ok(CheckReport {
                generation,
                problems: managed.into_iter().collect(),
                ..CheckReport::default()
            })
        }
        Err(e) => return Err(e),
    };
    let mut report = CheckReport {
        info: opened.info.clone(),
        generation: opened.path.clone(),
        ..CheckReport::default()
    };
    report.problems.extend(managed);
    let stray = stray_files(&opened.index, &opened.path);
    if !stray.is_empty() {
        let bytes: u64 = stray
            .iter()
            .filter_map(|f| std::fs::metadata(f).ok())
            .map(|m| m.len())
            .sum();
        report.problems.push(format!(
            "{} files in {} belong to no commit ({} KiB, left by a run that failed or was killed: {}): run `paragraf index` to remove them",
            stray.len(),
            opened.path.display(),
            bytes.div_ceil(1024),
            stray
                .iter()
                .filter_map(|f| f.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for leftover in leftover_generations(index_dir, &opened.path) {
        report.problems.push(format!(
            "{} is a generation of a build that did not finish (killed?): the next `paragraf index` removes it, or remove it by hand",
            leftover.display()
        ));
    }
    match opened.index.validate_checksum() {
        Ok(damaged) => {
            let mut damaged: Vec<_> = damaged.into_iter().collect();
            damaged.sort();
            for file in damaged {
                report.problems.push(format!(
                    "{} is damaged (its checksum does not match): restore the index from a backup or rebuild it with `paragraf index --rebuild`",
                    opened.path.join(file).display()
                ));
            }
        }
        Err(e) => report.problems.push(format!(
            "the index's files cannot be verified ({e}): rebuild it with `paragraf index --rebuild`"
        )),
    }
    let searcher = opened.index.reader()?.searcher();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        report.segments += 1;
        report.items_counted += u64::from(segment.num_docs());
        // Read back the first and last stored item of the segment.
        let max = segment.max_doc();
        for doc in [0, max.saturating_sub(1)] {
            if max == 0 || segment.is_deleted(doc) {
                continue;
            }
            let address = DocAddress::new(u32::try_from(ord).unwrap_or(u32::MAX), doc);
            let readable = searcher
                .doc::<TantivyDocument>(address)
                .ok()
                .and_then(|d| {
                    d.get_first(opened.fields.item_json)
                        .and_then(|v| v.as_str())
                        .map(str::to_string)
                })
                .is_some_and(|json| serde_json::from_str::<crate::Item>(&json).is_ok());
            if !readable {
                report.problems.push(format!(
                    "segment {} holds an item that cannot be read back: rebuild the index with `paragraf index --rebuild`",
                    segment.segment_id().uuid_string()
                ));
                break;
            }
        }
    }
    if report.items_counted != opened.info.items {
        report.problems.push(format!(
            "the index holds {} items but its last commit recorded {}: rebuild it with `paragraf index --rebuild`",
            report.items_counted, opened.info.items
        ));
    }

    if let Some((plan, roots)) = archive {
        let indexed = indexed_files(&opened)?;
        let drift = compare(plan, roots, &indexed);
        report.not_indexed = drift.added.iter().map(|j| j.path.clone()).collect();
        report.outdated = drift.changed.iter().map(|j| j.path.clone()).collect();
        report.gone = drift.gone;
        // Files that could not be parsed are never indexed: they are reported by `paragraf
        // index` itself, not here.
    }
    Ok(report)
}

/// What is wrong with a generation's `.managed.json`, if anything.
fn managed_problem(generation: &Path) -> Option<String> {
    let file = generation.join(".managed.json");
    let problem = match std::fs::read(&file) {
        Err(_) => "is missing",
        Ok(bytes) if serde_json::from_slice::<Vec<String>>(&bytes).is_err() => "is unreadable",
        Ok(_) => return None,
    };
    Some(format!(
        "{} {problem}: tantivy no longer knows which files are its own and removes none of them; rebuild the index with `paragraf index --rebuild`",
        file.display()
    ))
}

/// `gen-*` directories other than the current one whose build is not running (its process is
/// gone), sorted.
fn leftover_generations(index_dir: &Path, current: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(index_dir) else {
        return Vec::new();
    };
    let current = std::fs::canonicalize(current).unwrap_or_else(|_| current.to_path_buf());
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_name() != CURRENT)
        .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| std::fs::canonicalize(e.path()).ok().as_deref() != Some(current.as_path()))
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let pid = name.rsplit('-').next().and_then(|p| p.parse::<u32>().ok());
            !pid.is_some_and(|p| Path::new(&format!("/proc/{p}")).exists())
        })
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::plan;
    use crate::index::update::update;

    #[test]
    fn a_fresh_index_is_healthy_and_archive_drift_is_named() {
        let archive = tempfile::tempdir().expect("archive");
        let index = tempfile::tempdir().expect("index");
        std::fs::write(archive.path().join("a.txt"), " • Ett.\n\n • Två.\n").expect("write");
        std::fs::write(archive.path().join("b.txt"), " • Tre.\n").expect("write");
        let roots = vec![archive.path().to_path_buf()];
        let p = plan(&roots).expect("plan");
        update(&p, &roots, index.path(), 1, &|_, _| {}).expect("index");

        let report = check(index.path(), Some((&p, &roots))).expect("check");
        assert!(report.is_healthy(), "{report:?}");
        assert_eq!((report.items_counted, report.info.items), (3, 3));

        std::fs::write(archive.path().join("b.txt"), " • Tre ändrad.\n").expect("write");
        std::fs::write(archive.path().join("c.txt"), " • Fyra.\n").expect("write");
        std::fs::remove_file(archive.path().join("a.txt")).expect("remove");
        let p = plan(&roots).expect("plan");
        let report = check(index.path(), Some((&p, &roots))).expect("check");
        let names = |v: &[PathBuf]| -> Vec<String> {
            v.iter()
                .filter_map(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(names(&report.not_indexed), vec!["c.txt"]);
        assert_eq!(names(&report.outdated), vec!["b.txt"]);
        assert_eq!(report.gone.len(), 1);
        assert!(report.gone[0].ends_with("/a.txt"));
        assert_eq!(report.problems, Vec::<String>::new());
    }

    #[test]
    fn a_damaged_file_is_reported() {
        let archive = tempfile::tempdir().expect("archive");
        let index = tempfile::tempdir().expect("index");
        std::fs::write(archive.path().join("a.txt"), " • Ett.\n").expect("write");
        let roots = vec![archive.path().to_path_buf()];
        let p = plan(&roots).expect("plan");
        update(&p, &roots, index.path(), 1, &|_, _| {}).expect("index");
        let generation = crate::index::store::current_generation(index.path()).expect("generation");
        let store = std::fs::read_dir(&generation)
            .expect("list")
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "store"))
            .expect("a doc store file");
        let mut bytes = std::fs::read(&store).expect("read");
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0xff;
        std::fs::write(&store, bytes).expect("write");
        let report = check(index.path(), None).expect("check");
        let segment = store
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        assert_eq!(
            report.problems,
            vec![
                format!("{} is damaged (its checksum does not match): restore the index from a backup or rebuild it with `paragraf index --rebuild`", store.display()),
                format!("segment {segment} holds an item that cannot be read back: rebuild the index with `paragraf index --rebuild`"),
            ]
        );
    }

    #[test]
    fn leftovers_of_failed_runs_are_reported_with_what_to_run() {
        let archive = tempfile::tempdir().expect("archive");
        let index = tempfile::tempdir().expect("index");
        std::fs::write(archive.path().join("a.txt"), " • Ett.\n").expect("write");
        let roots = vec![archive.path().to_path_buf()];
        let p = plan(&roots).expect("plan");
        update(&p, &roots, index.path(), 1, &|_, _| {}).expect("index");
        let generation = crate::index::store::current_generation(index.path()).expect("generation");
        // A half-written segment of a failed update, and a build killed before its swap.
        let stray = generation.join("0123456789abcdef0123456789abcdef.store");
        std::fs::write(&stray, vec![0u8; 3000]).expect("write");
        let killed = index.path().join("gen-1-4000000000");
        std::fs::create_dir(&killed).expect("mkdir");
        let report = check(index.path(), None).expect("check");
        assert_eq!(
            report.problems,
            vec![
                format!("1 files in {} belong to no commit (3 KiB, left by a run that failed or was killed: 0123456789abcdef0123456789abcdef.store): run `paragraf index` to remove them", generation.display()),
                format!("{} is a generation of a build that did not finish (killed?): the next `paragraf index` removes it, or remove it by hand", killed.display()),
            ]
        );
        // The next run removes both.
        update(&p, &roots, index.path(), 1, &|_, _| {}).expect("update");
        assert!(!stray.exists());
        std::fs::remove_dir(&killed).expect("the build removes it only when it builds");
        assert_eq!(
            check(index.path(), None).expect("check").problems,
            Vec::<String>::new()
        );

        // tantivy's list of its files, corrupt and then missing.
        let managed = generation.join(".managed.json");
        std::fs::write(&managed, b"[\"half").expect("write");
        let advice = "tantivy no longer knows which files are its own and removes none of them; rebuild the index with `paragraf index --rebuild`";
        assert_eq!(
            check(index.path(), None).expect("check").problems,
            vec![format!("{} is unreadable: {advice}", managed.display())]
        );
        std::fs::remove_file(&managed).expect("remove");
        assert_eq!(
            check(index.path(), None).expect("check").problems,
            vec![format!("{} is missing: {advice}", managed.display())]
        );
    }
}
