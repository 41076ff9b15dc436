//! Bringing an index up to date with its archive: new files are added, changed files indexed
//! again, items of files gone removed, in one commit; or, when there is no usable index, the
//! whole archive is indexed into a new generation ([`rebuild`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tantivy::collector::{Count, FacetCollector};
use tantivy::query::{AllQuery, BooleanQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{DocSet, Term, TERMINATED};

use crate::archive::{parse_jobs_with_progress, Archive, FileJob, Plan};
use crate::error::{Error, Result};
use crate::index::document::to_document_from;
use crate::index::schema::FILE_VERSION_SEPARATOR;
use crate::index::store::{
    abandon, build_generation, build_threads, commit, new_info, open, stray_files, writer,
    IndexInfo, OpenIndex,
};
use crate::minutes::speaker::spelling;
use crate::model::Item;

/// The indexing threads for building a parsed archive anew, given at most `threads`.
fn archive_threads(parsed: &Archive, threads: usize) -> usize {
    build_threads(threads, parsed.items.iter().map(|i| i.text.len()).sum())
}

/// Why an index run built the whole index anew instead of updating it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RebuildReason {
    /// The directory holds no index yet.
    NoIndex,
    /// The index holds items but not which files they came from (it was made by
    /// [`build`](crate::index::store::build)), so no file can be updated.
    UntrackedFiles,
    /// The index was built with another schema version.
    OtherSchema {
        /// The schema version it was built with.
        found: u32,
        /// The schema version this Paragraf reads.
        expected: u32,
    },
    /// The directory holds a tantivy index whose last commit carries no Paragraf description;
    /// the text says why the description does not read.
    NotParagrafIndex(String),
    /// The index's schema lacks one of Paragraf's fields.
    MissingFields,
    /// The caller asked for a rebuild (`paragraf index --rebuild`).
    Asked,
}

impl std::fmt::Display for RebuildReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RebuildReason::NoIndex => f.write_str("no index yet"),
            RebuildReason::UntrackedFiles => {
                f.write_str("the index does not know which files its items came from")
            }
            RebuildReason::OtherSchema { found, expected } => write!(
                f,
                "built with schema version {found}, this Paragraf reads version {expected}"
            ),
            RebuildReason::NotParagrafIndex(why) => write!(
                f,
                "not a Paragraf index (its last commit carries no description: {why}); rebuild it with `paragraf index`"
            ),
            RebuildReason::MissingFields => f.write_str("schema lacks Paragraf's fields"),
            RebuildReason::Asked => f.write_str("asked to rebuild"),
        }
    }
}

/// What an index run did.
#[derive(Debug, Clone, Default)]
pub struct UpdateReport {
    /// Why the whole index was built anew, when it was ("no index yet", "built with schema
    /// version 3, …").
    pub rebuilt: Option<RebuildReason>,
    /// Files new to the index.
    pub added: Vec<PathBuf>,
    /// Files whose content (or manifest entry) changed.
    pub changed: Vec<PathBuf>,
    /// Keys (absolute paths) of files gone from the archive whose items were removed.
    pub removed: Vec<String>,
    /// Files the index already held as they are; not parsed again.
    pub unchanged: usize,
    /// The parse of the added and changed files: items, warnings and skipped files.
    pub parsed: Archive,
    /// Items removed (of changed and removed files).
    pub items_removed: u64,
    /// The index after the run.
    pub info: IndexInfo,
}

/// What an index run finds in the index directory.
enum Existing {
    /// An index to update, with the files it holds (key → fingerprint). Boxed: it is made
    /// once a run, and the enum stays small.
    Usable(Box<(OpenIndex, HashMap<String, String>)>),
    /// No index that can be updated, and why: the archive is indexed anew.
    Unusable(RebuildReason),
}

/// The index in `index_dir` with the files it holds, or why it cannot be updated.
fn existing(index_dir: &Path) -> Result<Existing> {
    Ok(match open(index_dir) {
        Ok(open) => {
            let files = indexed_files(&open)?;
            if files.is_empty() && open.info.items > 0 {
                Existing::Unusable(RebuildReason::UntrackedFiles)
            } else {
                Existing::Usable(Box::new((open, files)))
            }
        }
        Err(Error::NoIndex { .. }) => Existing::Unusable(RebuildReason::NoIndex),
        Err(Error::NotParagrafIndex { payload_error, .. }) => {
            Existing::Unusable(RebuildReason::NotParagrafIndex(payload_error.to_string()))
        }
        Err(Error::MissingFields { .. }) => Existing::Unusable(RebuildReason::MissingFields),
        Err(Error::OutdatedSchema {
            found, expected, ..
        }) => Existing::Unusable(RebuildReason::OtherSchema { found, expected }),
        Err(e) => return Err(e),
    })
}

/// Brings the index in `index_dir` up to date with the archive of `plan`: new files are
/// added, changed files indexed again, items of files gone from under `roots` removed;
/// unchanged files are not parsed. Everything lands in one commit, so a run killed at any
/// moment leaves the index as it was before. Without a usable index (none yet, another schema
/// version, no file tracking) the whole archive is indexed into a new generation.
pub fn update(
    plan: &Plan,
    roots: &[PathBuf],
    index_dir: &Path,
    threads: usize,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<UpdateReport> {
    let (open, indexed) = match existing(index_dir)? {
        Existing::Usable(found) => *found,
        Existing::Unusable(reason) => {
            return rebuild_because(plan, index_dir, threads, progress, reason)
        }
    };

    // Files an earlier run left when it failed or was killed are removed first (with the
    // writer's lock held: no other run is writing).
    if !stray_files(&open.index, &open.path).is_empty() {
        if let Ok(w) = writer(&open.index, 1) {
            abandon(w, &open.index, &open.path);
        }
    }

    let mut report = UpdateReport::default();
    let drift = compare(plan, roots, &indexed);
    let to_parse: Vec<FileJob> = drift
        .added
        .iter()
        .chain(&drift.changed)
        .map(|&j| j.clone())
        .collect();
    report.added = drift.added.iter().map(|j| j.path.clone()).collect();
    report.changed = drift.changed.iter().map(|j| j.path.clone()).collect();
    report.unchanged = drift.unchanged;
    report.removed = drift.gone;

    report.parsed = parse_jobs_with_progress(&to_parse, progress);
    // A new file that cannot be read gives no items and so leaves no trace in the index: it is
    // reported as skipped on every run, not as added, and on its own it commits nothing (a
    // commit would make every server reload for nothing).
    let skipped: std::collections::HashSet<&Path> = report
        .parsed
        .files
        .iter()
        .filter(|f| f.skipped.is_some())
        .map(|f| f.path.as_path())
        .collect();
    let added: Vec<PathBuf> = report
        .added
        .iter()
        .filter(|p| !skipped.contains(p.as_path()))
        .cloned()
        .collect();
    report.added = added;
    if report.added.is_empty() && report.changed.is_empty() && report.removed.is_empty() {
        report.info = open.info.clone();
        return Ok(report);
    }
    keep_index_spellings(&open, &mut report.parsed.items)?;

    let f = open.fields;
    let searcher = open.index.reader()?.searcher();
    let count = |query: &dyn tantivy::query::Query| searcher.search(query, &Count);
    let mut items = searcher.num_docs();
    let mut meetings = count(&TermQuery::new(
        Term::from_field_u64(f.ordinal, 1),
        IndexRecordOption::Basic,
    ))? as u64;
    let mut writer = writer(&open.index, threads)?;
    let mut write = || -> Result<IndexInfo> {
        let replaced = to_parse
            .iter()
            .filter(|j| indexed.contains_key(&j.key))
            .map(|j| j.key.as_str())
            .chain(report.removed.iter().map(String::as_str));
        for key in replaced {
            let term = Term::from_field_text(f.file, key);
            let of_file = TermQuery::new(term.clone(), IndexRecordOption::Basic);
            let first_items = BooleanQuery::intersection(vec![
                Box::new(of_file.clone()),
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.ordinal, 1),
                    IndexRecordOption::Basic,
                )),
            ]);
            let n = count(&of_file)? as u64;
            report.items_removed += n;
            items = items.saturating_sub(n);
            meetings = meetings.saturating_sub(count(&first_items)? as u64);
            writer.delete_term(term);
        }
        for (item, file) in items_with_files(&report.parsed) {
            writer.add_document(to_document_from(item, &f, file))?;
            items += 1;
            meetings += u64::from(item.ordinal == 1);
        }
        let info = new_info(items, meetings);
        commit(&mut writer, &info)?;
        Ok(info)
    };
    let written = write();
    let info = match written {
        Ok(info) => info,
        Err(e) => {
            // A full disk, most likely: what this run wrote goes, the last commit stays.
            abandon(writer, &open.index, &open.path);
            return Err(e);
        }
    };
    // Committed; a merge that fails now leaves files the next run removes.
    writer.wait_merging_threads()?;
    report.info = info;
    Ok(report)
}

/// Indexes the whole archive of `plan` into a new generation and swaps it in, whatever the
/// index holds now (`paragraf index --rebuild`).
pub fn rebuild(
    plan: &Plan,
    index_dir: &Path,
    threads: usize,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<UpdateReport> {
    rebuild_because(plan, index_dir, threads, progress, RebuildReason::Asked)
}

/// [`rebuild`], reporting `reason` as why.
fn rebuild_because(
    plan: &Plan,
    index_dir: &Path,
    threads: usize,
    progress: &(dyn Fn(usize, usize) + Sync),
    reason: RebuildReason,
) -> Result<UpdateReport> {
    let parsed = parse_jobs_with_progress(&plan.jobs, progress);
    let info = build_generation(
        items_with_files(&parsed),
        index_dir,
        archive_threads(&parsed, threads),
    )?;
    Ok(UpdateReport {
        rebuilt: Some(reason),
        added: plan.jobs.iter().map(|j| j.path.clone()).collect(),
        parsed,
        info,
        ..UpdateReport::default()
    })
}

/// How an archive differs from what an index holds.
#[derive(Debug, Default)]
pub struct Drift<'a> {
    /// Files the index does not hold.
    pub added: Vec<&'a FileJob>,
    /// Files the index holds in another version.
    pub changed: Vec<&'a FileJob>,
    /// Files the index holds as they are.
    pub unchanged: usize,
    /// Keys of indexed files gone from under the roots, sorted.
    pub gone: Vec<String>,
}

/// Compares the files of `plan` with the index's files (`indexed`, from [`indexed_files`]).
/// Only indexed files under `roots` can be gone: indexing or checking one folder says nothing
/// about the rest of the archive.
pub fn compare<'a>(
    plan: &'a Plan,
    roots: &[PathBuf],
    indexed: &HashMap<String, String>,
) -> Drift<'a> {
    let mut drift = Drift::default();
    let mut in_archive = std::collections::HashSet::new();
    for job in &plan.jobs {
        in_archive.insert(job.key.as_str());
        match indexed.get(&job.key) {
            Some(fingerprint) if *fingerprint == job.fingerprint => drift.unchanged += 1,
            Some(_) => drift.changed.push(job),
            None => drift.added.push(job),
        }
    }
    let roots: Vec<String> = roots
        .iter()
        .filter_map(|r| std::fs::canonicalize(r).ok())
        .map(|r| r.to_string_lossy().into_owned())
        .collect();
    let under_roots = |key: &str| {
        roots.iter().any(|r| {
            key == r
                || key
                    .strip_prefix(r.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    };
    drift.gone = indexed
        .keys()
        .filter(|k| !in_archive.contains(k.as_str()) && under_roots(k))
        .cloned()
        .collect();
    drift.gone.sort();
    drift
}

/// The items of a parse, each with its file's key and fingerprint.
fn items_with_files(parsed: &Archive) -> impl Iterator<Item = (&Item, Option<(&str, &str)>)> {
    let mut items = parsed.items.iter();
    parsed.files.iter().flat_map(move |file| {
        let of_file: Vec<&Item> = items.by_ref().take(file.items).collect();
        of_file
            .into_iter()
            .map(move |item| (item, Some((file.key.as_str(), file.fingerprint.as_str()))))
    })
}

/// Which version of which file the index holds: key → fingerprint, from the live documents'
/// `file_version` terms (terms of deleted documents linger until segments merge).
pub fn indexed_files(open: &OpenIndex) -> Result<HashMap<String, String>> {
    let searcher = open.index.reader()?.searcher();
    let mut out = HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(open.fields.file_version)?;
        let alive = segment.alive_bitset();
        let mut terms = inverted
            .terms()
            .stream()
            .map_err(|e| Error::io(&open.path, e))?;
        while terms.advance() {
            let mut postings = inverted
                .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                .map_err(|e| Error::io(&open.path, e))?;
            let mut live = false;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    live = true;
                    break;
                }
                doc = postings.advance();
            }
            if !live {
                continue;
            }
            let Ok(text) = std::str::from_utf8(terms.key()) else {
                continue;
            };
            if let Some((key, fingerprint)) = text.split_once(FILE_VERSION_SEPARATOR) {
                out.insert(key.to_string(), fingerprint.to_string());
            }
        }
    }
    Ok(out)
}

/// Gives newly parsed speakers the spelling the index already uses for them (see
/// [`spelling::adopt`]).
fn keep_index_spellings(open: &OpenIndex, items: &mut [Item]) -> Result<()> {
    let searcher = open.index.reader()?.searcher();
    let mut collector =
        FacetCollector::for_field(open.index.schema().get_field_name(open.fields.speaker));
    collector.add_facet(Facet::root());
    let counts = searcher.search(&AllQuery, &collector)?;
    spelling::adopt(
        counts
            .get(Facet::root())
            .filter_map(|(facet, _)| facet.to_path().last().map(|n| n.to_string())),
        items,
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::store::{committed_opstamp, current_generation};
    use tantivy::TantivyDocument;

    /// Runs an update of `archive` into `index` and returns (report, ids in the index).
    fn run_update(archive: &Path, index: &Path) -> (UpdateReport, Vec<String>) {
        let roots = vec![archive.to_path_buf()];
        let plan = crate::archive::plan(&roots).expect("plan");
        let report = update(&plan, &roots, index, 1, &|_, _| {}).expect("update");
        let opened = open(index).expect("opens");
        let searcher = opened.index.reader().expect("reader").searcher();
        let mut ids: Vec<String> = searcher
            .search(&AllQuery, &tantivy::collector::DocSetCollector)
            .expect("all docs")
            .into_iter()
            .filter_map(|address| {
                let doc: TantivyDocument = searcher.doc(address).ok()?;
                use tantivy::schema::Value;
                doc.get_first(opened.fields.id)?
                    .as_str()
                    .map(str::to_string)
            })
            .collect();
        ids.sort();
        (report, ids)
    }

    fn names(paths: &[PathBuf]) -> Vec<String> {
        paths
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect()
    }

    #[test]
    fn update_adds_changes_removes_and_skips_unchanged_files() {
        let archive = tempfile::tempdir().expect("archive");
        let index = tempfile::tempdir().expect("index");
        let a = archive.path().join("a.txt");
        let b = archive.path().join("b.txt");
        std::fs::write(&a, " • Ett.\n\n • Två.\n").expect("write");
        std::fs::write(&b, " • Tre.\n").expect("write");

        let (first, ids) = run_update(archive.path(), index.path());
        assert_eq!(
            first.rebuilt.as_ref().map(ToString::to_string).as_deref(),
            Some("no index yet")
        );
        assert_eq!(first.rebuilt, Some(RebuildReason::NoIndex));
        assert_eq!(ids, vec!["a.01", "a.02", "b.01"]);
        assert_eq!((first.info.items, first.info.meetings), (3, 2));

        // Nothing changed: nothing parsed, nothing committed.
        let (same, ids) = run_update(archive.path(), index.path());
        assert_eq!(
            (
                same.rebuilt.clone(),
                same.unchanged,
                same.parsed.files.len()
            ),
            (None, 2, 0)
        );
        assert_eq!(ids.len(), 3);

        // b changes, c is new, a is removed.
        std::fs::write(&b, " • Tre.\n\n • Fyra.\n").expect("write");
        std::fs::write(archive.path().join("c.txt"), " • Fem.\n").expect("write");
        std::fs::remove_file(&a).expect("remove");
        let (next, ids) = run_update(archive.path(), index.path());
        assert_eq!(next.rebuilt, None);
        assert_eq!(names(&next.added), vec!["c.txt"]);
        assert_eq!(names(&next.changed), vec!["b.txt"]);
        assert_eq!(next.removed.len(), 1);
        assert!(next.removed[0].ends_with("/a.txt"), "{:?}", next.removed);
        assert_eq!((next.unchanged, next.items_removed), (0, 3));
        assert_eq!(ids, vec!["b.01", "b.02", "c.01"]);
        assert_eq!((next.info.items, next.info.meetings), (3, 2));
    }

    #[test]
    fn an_unreadable_new_file_is_skipped_not_added_and_commits_nothing() {
        let archive = tempfile::tempdir().expect("archive");
        let index = tempfile::tempdir().expect("index");
        std::fs::write(archive.path().join("a.txt"), " • Ett.\n").expect("write");
        run_update(archive.path(), index.path());
        std::fs::write(archive.path().join("empty.txt"), "").expect("write");
        let before = committed_opstamp(&current_generation(index.path()).expect("gen"));
        for _ in 0..2 {
            let (report, ids) = run_update(archive.path(), index.path());
            assert_eq!((report.added.len(), report.unchanged), (0, 1));
            let skipped: Vec<_> = report
                .parsed
                .files
                .iter()
                .filter_map(|f| f.skipped.clone())
                .collect();
            assert_eq!(skipped, vec!["file is empty".to_string()]);
            assert_eq!(ids, vec!["a.01"]);
        }
        assert_eq!(
            committed_opstamp(&current_generation(index.path()).expect("gen")),
            before
        );
    }

    #[test]
    fn indexing_a_subfolder_removes_nothing_outside_it() {
        let archive = tempfile::tempdir().expect("archive");
        let index = tempfile::tempdir().expect("index");
        std::fs::create_dir(archive.path().join("ks")).expect("mkdir");
        std::fs::write(archive.path().join("top.txt"), " • Ett.\n").expect("write");
        std::fs::write(archive.path().join("ks/sub.txt"), " • Två.\n").expect("write");
        let (_, ids) = run_update(archive.path(), index.path());
        assert_eq!(ids, vec!["sub.01", "top.01"]);
        let (report, ids) = run_update(&archive.path().join("ks"), index.path());
        assert_eq!((report.removed.len(), report.unchanged), (0, 1));
        assert_eq!(ids, vec!["sub.01", "top.01"]);
    }

    #[test]
    fn a_tantivy_index_that_is_not_paragrafs_is_built_anew_with_the_reason() {
        let archive = tempfile::tempdir().expect("archive");
        let index = tempfile::tempdir().expect("index");
        std::fs::write(archive.path().join("a.txt"), " • Ett.\n").expect("write");
        // A commit without Paragraf's description in its payload.
        let (schema, _) = crate::index::schema::Fields::build();
        let other = tantivy::Index::create_in_dir(index.path(), schema).expect("create");
        let mut w = writer(&other, 1).expect("writer");
        w.commit().expect("commit");
        assert!(matches!(
            open(index.path()),
            Err(Error::NotParagrafIndex { .. })
        ));
        let (report, ids) = run_update(archive.path(), index.path());
        assert!(
            matches!(report.rebuilt, Some(RebuildReason::NotParagrafIndex(_))),
            "{:?}",
            report.rebuilt
        );
        assert!(report
            .rebuilt
            .as_ref()
            .map(ToString::to_string)
            .is_some_and(
                |r| r.starts_with("not a Paragraf index (its last commit carries no description: ")
            ));
        assert_eq!(ids, vec!["a.01"]);
    }

    #[test]
    fn a_full_disk_during_an_update_leaves_no_files_behind() {
        let archive = tempfile::tempdir().expect("archive");
        let index = tempfile::tempdir().expect("index");
        std::fs::write(archive.path().join("a.txt"), " • Ett.\n").expect("write");
        run_update(archive.path(), index.path());
        let generation = current_generation(index.path()).expect("generation");
        let files = || {
            let mut names: Vec<String> = std::fs::read_dir(&generation)
                .expect("list")
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n != ".managed.json")
                .collect();
            names.sort();
            names
        };
        let before = files();
        let text: String = (0..400)
            .map(|n| format!(" • Punkt {n}: Elin Ring föredrar budgeten för vården.\n\n"))
            .collect();
        std::fs::write(archive.path().join("b.txt"), text).expect("write");

        let roots = vec![archive.path().to_path_buf()];
        let plan = crate::archive::plan(&roots).expect("plan");
        crate::index::store::full_disk::set_budget(Some(4096));
        let failed = update(&plan, &roots, index.path(), 1, &|_, _| {});
        crate::index::store::full_disk::set_budget(None);
        let err = failed.expect_err("the disk is full");
        assert!(
            format!("{err:?}").contains("No space left on device"),
            "{err:?}"
        );
        assert_eq!(files(), before, "what the failed run wrote is gone");

        // The index is as it was, and the next run (with room on the disk) does the work.
        let (report, ids) = run_update(archive.path(), index.path());
        assert_eq!(names(&report.added), vec!["b.txt"]);
        assert_eq!(ids.len(), 401);
        let check = crate::index::check::check(index.path(), None).expect("check");
        assert_eq!(check.problems, Vec::<String>::new());
    }
}
