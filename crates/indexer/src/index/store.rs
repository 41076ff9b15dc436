//! Building, swapping in and opening a Paragraf index.
//!
//! An index directory holds generations and a `current` symlink:
//!
//! ```text
//! index/
//!   current -> gen-1732430000.123456789-0-4242   (the generation searches open)
//!   gen-1732430000.123456789-0-4242/             (tantivy files + paragraf.json)
//! ```
//!
//! A build writes a new generation and, only once it is committed, points `current` at it
//! with an atomic rename. A failed or killed build leaves `current` on the previous
//! generation, which stays usable; leftovers of such builds are removed by the next build.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering as AtomicOrdering};
use std::time::{SystemTime, UNIX_EPOCH};

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, FacetCollector};
use tantivy::query::{AllQuery, BooleanQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{DateTime, DocSet, Index, IndexWriter, TantivyDocument, Term, TERMINATED};

use crate::archive::{parse_jobs_with_progress, Archive, FileJob, Plan};
use crate::error::{Error, Result};
use crate::index::analysis;
use crate::index::schema::{
    municipality_facet, sort_key, value_facet, Fields, FILE_VERSION_SEPARATOR, SCHEMA_VERSION,
};
use crate::minutes::protokoll::case_number_terms;
use crate::minutes::speaker::name_key;
use crate::model::Item;

/// Name of the symlink to the generation in use.
pub const CURRENT: &str = "current";

/// Memory tantivy's writer may use per indexing thread before it writes a segment.
pub const WRITER_MEMORY_PER_THREAD: usize = 64_000_000;

/// What a generation holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexInfo {
    /// [`SCHEMA_VERSION`] of the writer.
    pub schema_version: u32,
    /// When the build was committed, RFC 3339 in UTC.
    pub built_at: String,
    /// Number of items.
    pub items: u64,
    /// Number of meetings.
    pub meetings: u64,
    /// Whether compound words were split (the Swedish dictionary was installed).
    #[serde(default)]
    pub decompounding: bool,
    /// When the last commit was made, in seconds since 1970.
    #[serde(default)]
    pub committed_at: u64,
}

/// An opened index with its field handles.
#[derive(Clone)]
pub struct OpenIndex {
    /// The tantivy index, with Paragraf's analyzers registered.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// What the generation holds.
    pub info: IndexInfo,
    /// The generation directory.
    pub path: PathBuf,
    /// Opstamp of the commit that was opened.
    pub opstamp: u64,
}

impl std::fmt::Debug for OpenIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenIndex")
            .field("info", &self.info)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// Builds a new generation from `items` in `index_dir` and makes it current.
///
/// `threads` is the number of indexing threads (at least 1). The items are not tied to files,
/// so a later [`update`] rebuilds such an index from its archive; archives go through
/// [`update`].
pub fn build(items: &[Item], index_dir: &Path, threads: usize) -> Result<IndexInfo> {
    build_generation(items.iter().map(|i| (i, None)), index_dir, threads)
}

/// Writes a new generation holding `items` (each with the key and fingerprint of its file,
/// when known) and swaps it in.
fn build_generation<'a>(
    items: impl Iterator<Item = (&'a Item, Option<(&'a str, &'a str)>)>,
    index_dir: &Path,
    threads: usize,
) -> Result<IndexInfo> {
    std::fs::create_dir_all(index_dir).map_err(|e| Error::io(index_dir, e))?;
    remove_stale_generations(index_dir);
    static BUILDS: AtomicU32 = AtomicU32::new(0);
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    // Unique even for two builds of one process in the same second; the owner's pid comes
    // last so a later build can tell leftovers of dead processes.
    let gen_name = format!(
        "gen-{}.{:09}-{}-{}",
        since_epoch.as_secs(),
        since_epoch.subsec_nanos(),
        BUILDS.fetch_add(1, AtomicOrdering::Relaxed),
        std::process::id()
    );
    let gen_dir = index_dir.join(&gen_name);
    std::fs::create_dir(&gen_dir).map_err(|e| Error::io(&gen_dir, e))?;

    let (schema, fields) = Fields::build();
    let index = Index::create_in_dir(&gen_dir, schema)?;
    analysis::register(index.tokenizers());
    let mut writer = writer(&index, threads)?;
    let mut meetings = std::collections::HashSet::new();
    let mut count = 0u64;
    for (item, file) in items {
        meetings.insert(item.meeting.id.clone());
        count += 1;
        writer.add_document(to_document_from(item, &fields, file))?;
    }
    let info = new_info(count, meetings.len() as u64);
    commit(&mut writer, &info)?;
    writer.wait_merging_threads()?;
    if count <= MERGE_INTO_ONE_ITEMS {
        merge_into_one(&index)?;
    }
    sync_dir(&gen_dir);

    // Swap: a new symlink renamed over `current` is atomic on POSIX file systems.
    let tmp_link = index_dir.join(format!(".current-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp_link);
    symlink(Path::new(&gen_name), &tmp_link).map_err(|e| Error::io(&tmp_link, e))?;
    let current = index_dir.join(CURRENT);
    std::fs::rename(&tmp_link, &current).map_err(|e| Error::io(&current, e))?;
    sync_dir(index_dir);
    remove_stale_generations(index_dir);
    Ok(info)
}

/// Item text per indexing thread of a build: a smaller archive is written by fewer threads.
/// Each thread writes a segment of its own that the build then merges (see
/// [`merge_into_one`]); for a few megabytes the merge costs more than the second thread
/// saves (riksdagen sample, 2.2 MB: 0.35 s on one thread against 0.38 s on two; 20k items,
/// 32 MB: 2.3 s on two against 2.7 s on one).
const TEXT_BYTES_PER_THREAD: usize = 8_000_000;

/// The indexing threads `paragraf index` uses to build an archive of this much item text
/// anew: at most `threads`, one per 8 MB, at least one.
pub fn build_threads(threads: usize, text_bytes: usize) -> usize {
    threads
        .min(text_bytes.div_ceil(TEXT_BYTES_PER_THREAD))
        .max(1)
}

/// The indexing threads for building a parsed archive anew, given at most `threads`.
fn archive_threads(parsed: &Archive, threads: usize) -> usize {
    build_threads(threads, parsed.items.iter().map(|i| i.text.len()).sum())
}

/// Archives of up to this many items are served from one segment (the build merges its
/// segments into one).
pub const MERGE_INTO_ONE_ITEMS: u64 = 200_000;

/// Merges every segment of a freshly built index into one. A query walks each segment's term
/// dictionary (for the forms of its words and for typos) and builds its scorers per segment,
/// so the fixed work of a request grows with the number of segments; merging an archive of a
/// region's size is done once, in seconds. (The indexing threads write a segment each, and
/// more as their memory fills.)
fn merge_into_one(index: &Index) -> Result<()> {
    let segments = index.searchable_segment_ids()?;
    if segments.len() < 2 {
        return Ok(());
    }
    // A merge adds no documents: one thread's writer, not an indexing buffer per core.
    let mut writer = writer(index, 1)?;
    writer.merge(&segments).wait()?;
    writer.wait_merging_threads()?;
    Ok(())
}

fn writer(index: &Index, threads: usize) -> Result<IndexWriter> {
    let threads = threads.max(1);
    Ok(index
        .writer_with_num_threads::<TantivyDocument>(threads, threads * WRITER_MEMORY_PER_THREAD)?)
}

fn new_info(items: u64, meetings: u64) -> IndexInfo {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    IndexInfo {
        schema_version: SCHEMA_VERSION,
        built_at: rfc3339_utc(now),
        items,
        meetings,
        decompounding: analysis::Dictionary::system().is_some(),
        committed_at: now,
    }
}

/// Commits with the index description as the commit's payload, so both land together
/// atomically (tantivy writes `meta.json` by rename).
fn commit(writer: &mut IndexWriter, info: &IndexInfo) -> Result<()> {
    let payload = serde_json::to_string(info).map_err(|e| Error::Index {
        path: PathBuf::new(),
        message: e.to_string(),
    })?;
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    prepared.commit()?;
    Ok(())
}

/// The generation directory an index directory serves now: the target of `current`, or the
/// directory itself when it is a bare generation.
pub fn current_generation(index_dir: &Path) -> Result<PathBuf> {
    let current = index_dir.join(CURRENT);
    if current.exists() {
        std::fs::canonicalize(&current).map_err(|e| Error::io(&current, e))
    } else if index_dir.join("meta.json").exists() {
        Ok(index_dir.to_path_buf())
    } else {
        Err(Error::Index {
            path: index_dir.to_path_buf(),
            message: "no Paragraf index here; build one with `paragraf index`".to_string(),
        })
    }
}

/// The opstamp of a generation's last commit, read from its `meta.json` (cheap enough to
/// poll): it changes with every commit.
pub fn committed_opstamp(generation: &Path) -> Option<u64> {
    let meta = std::fs::read(generation.join("meta.json")).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&meta).ok()?;
    value.get("opstamp")?.as_u64()
}

/// Opens the current generation of an index directory (or a bare generation directory).
pub fn open(index_dir: &Path) -> Result<OpenIndex> {
    let gen_dir = current_generation(index_dir)?;
    let bad = |message: String| Error::Index {
        path: gen_dir.clone(),
        message,
    };
    let index = Index::open_in_dir(&gen_dir)?;
    let metas = index.load_metas()?;
    let opstamp = metas.opstamp;
    let payload = metas.payload.unwrap_or_default();
    let info: IndexInfo = serde_json::from_str(&payload).map_err(|e| {
        bad(format!(
            "not a Paragraf index (its last commit carries no description: {e}); rebuild it with `paragraf index`"
        ))
    })?;
    if info.schema_version != SCHEMA_VERSION {
        return Err(Error::OutdatedSchema {
            path: gen_dir,
            found: info.schema_version,
            expected: SCHEMA_VERSION,
        });
    }
    analysis::register(index.tokenizers());
    let fields = Fields::from_schema(&index.schema())
        .ok_or_else(|| bad("schema lacks Paragraf's fields".to_string()))?;
    Ok(OpenIndex {
        index,
        fields,
        info,
        path: gen_dir,
        opstamp,
    })
}

/// What an index run did.
#[derive(Debug, Clone, Default)]
pub struct UpdateReport {
    /// Why the whole index was built anew, when it was ("no index yet", "schema version 3").
    pub rebuilt: Option<String>,
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
    let existing = match open(index_dir) {
        Ok(open) => {
            let files = indexed_files(&open)?;
            if files.is_empty() && open.info.items > 0 {
                Err("the index does not know which files its items came from".to_string())
            } else {
                Ok((open, files))
            }
        }
        Err(Error::Index { .. })
            if !index_dir.join(CURRENT).exists() && !index_dir.join("meta.json").exists() =>
        {
            Err("no index yet".to_string())
        }
        Err(Error::Index { message, .. }) => Err(message),
        Err(Error::OutdatedSchema {
            found, expected, ..
        }) => Err(format!(
            "built with schema version {found}, this Paragraf reads version {expected}"
        )),
        Err(e) => return Err(e),
    };
    let (open, indexed) = match existing {
        Ok(found) => found,
        Err(reason) => {
            let parsed = parse_jobs_with_progress(&plan.jobs, progress);
            let info = build_generation(
                items_with_files(&parsed),
                index_dir,
                archive_threads(&parsed, threads),
            )?;
            return Ok(UpdateReport {
                rebuilt: Some(reason),
                added: plan.jobs.iter().map(|j| j.path.clone()).collect(),
                parsed,
                info,
                ..UpdateReport::default()
            });
        }
    };

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
    let parsed = parse_jobs_with_progress(&plan.jobs, progress);
    let info = build_generation(
        items_with_files(&parsed),
        index_dir,
        archive_threads(&parsed, threads),
    )?;
    Ok(UpdateReport {
        rebuilt: Some("asked to rebuild".to_string()),
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

/// Gives newly parsed speakers the spelling the index already uses for them, so a person
/// stays one facet value across updates.
fn keep_index_spellings(open: &OpenIndex, items: &mut [Item]) -> Result<()> {
    let searcher = open.index.reader()?.searcher();
    let mut collector = FacetCollector::for_field("speaker");
    collector.add_facet(Facet::root());
    let counts = searcher.search(&AllQuery, &collector)?;
    let known: HashMap<String, String> = counts
        .get(Facet::root())
        .filter_map(|(facet, _)| facet.to_path().last().map(|n| (name_key(n), n.to_string())))
        .collect();
    for speaker in items.iter_mut().flat_map(|i| i.speakers.iter_mut()) {
        if let Some(name) = known.get(&name_key(&speaker.name)) {
            speaker.name.clone_from(name);
        }
    }
    Ok(())
}

/// The tantivy document of an item.
pub fn to_document(item: &Item, f: &Fields) -> TantivyDocument {
    to_document_from(item, f, None)
}

/// The tantivy document of an item of a known file (key, fingerprint).
fn to_document_from(item: &Item, f: &Fields, file: Option<(&str, &str)>) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &item.id);
    if let Some((key, fingerprint)) = file {
        doc.add_text(f.file, key);
        doc.add_text(
            f.file_version,
            format!("{key}{FILE_VERSION_SEPARATOR}{fingerprint}"),
        );
    }
    doc.add_text(f.meeting_id, &item.meeting.id);
    if let Some(case_number) = &item.case_number {
        for term in case_number_terms(case_number) {
            doc.add_text(f.case_number, &term);
        }
    }
    let mut all_text = String::new();
    if let Some(title) = &item.title {
        doc.add_text(f.title, title);
        all_text.push_str(title);
        all_text.push('\n');
    }
    all_text.push_str(&item.text);
    for decision in &item.decisions {
        doc.add_text(f.decisions, decision);
    }
    for speaker in &item.speakers {
        doc.add_text(f.speaker_names, &speaker.name);
        doc.add_facet(f.speaker, value_facet(&speaker.name));
        all_text.push('\n');
        all_text.push_str(&speaker.name);
    }
    // Title, text (which holds the decisions) and names: as written, and as compound parts.
    doc.add_text(f.words, &all_text);
    doc.add_text(f.parts, &all_text);
    for m in &item.municipalities {
        doc.add_facet(f.municipality, municipality_facet(m));
    }
    if let Some(body) = &item.meeting.body {
        doc.add_facet(f.body, value_facet(body));
    }
    let start = item.meeting.start_date();
    if let Some(date) = start {
        doc.add_facet(f.year, value_facet(&date.year.to_string()));
        doc.add_date(
            f.date,
            DateTime::from_timestamp_secs(date.days_since_epoch() * 86_400),
        );
    }
    doc.add_u64(
        f.sort_key,
        sort_key(start.map(|d| d.days_since_epoch()), item.ordinal, &item.id),
    );
    doc.add_u64(f.ordinal, u64::from(item.ordinal));
    // Serialising plain data cannot fail; an empty object would only hide the item's display.
    doc.add_text(
        f.item_json,
        serde_json::to_string(item).unwrap_or_else(|_| "{}".to_string()),
    );
    doc
}

fn remove_stale_generations(index_dir: &Path) {
    let current = std::fs::read_link(index_dir.join(CURRENT)).ok();
    let Ok(entries) = std::fs::read_dir(index_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        let is_current = current.as_deref() == Some(Path::new(&name));
        // Another build may be running right now: only generations of dead processes go.
        let pid = name_str
            .rsplit('-')
            .next()
            .and_then(|p| p.parse::<u32>().ok());
        let owner_alive = pid
            .is_some_and(|p| p == std::process::id() || Path::new(&format!("/proc/{p}")).exists());
        if name_str.starts_with("gen-")
            && !is_current
            && (!owner_alive || pid == Some(std::process::id()))
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn sync_dir(dir: &Path) {
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::windows::fs::symlink_dir(target, link)
}

/// Formats seconds since the epoch as RFC 3339 UTC ("2026-11-24T05:51:19Z").
pub fn rfc3339_utc(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(1_795_499_479), "2026-11-24T05:51:19Z");
    }

    fn items(texts: &[&str]) -> Vec<Item> {
        texts
            .iter()
            .enumerate()
            .flat_map(|(n, text)| {
                let info = crate::minutes::parse::MeetingInfo {
                    id: format!("m{n}"),
                    body: Some("SVOM".into()),
                    date: None,
                    source: "test".into(),
                };
                crate::minutes::parse::parse_minutes(text, info).items
            })
            .collect()
    }

    #[test]
    fn a_new_build_replaces_the_current_generation() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = build(&items(&[" • Ett.\n\n • Två.\n"]), dir.path(), 1).expect("first build");
        assert_eq!((first.items, first.meetings), (2, 1));
        let old_gen = std::fs::read_link(dir.path().join(CURRENT)).expect("current link");
        let second = build(
            &items(&[" • Ett.\n", " • Två.\n", " • Tre.\n"]),
            dir.path(),
            1,
        )
        .expect("second build");
        assert_eq!((second.items, second.meetings), (3, 3));
        let opened = open(dir.path()).expect("opens");
        assert_eq!(opened.info, second);
        assert_eq!(
            opened.index.reader().expect("reader").searcher().num_docs(),
            3
        );
        assert!(
            !dir.path().join(old_gen).exists(),
            "the replaced generation is removed"
        );
    }

    #[test]
    fn leftovers_of_a_killed_build_do_not_disturb_the_current_index() {
        let dir = tempfile::tempdir().expect("tempdir");
        build(&items(&[" • Ett.\n"]), dir.path(), 1).expect("build");
        // A build killed before its swap leaves a generation of a process that is gone.
        let stale = dir.path().join("gen-1-4000000000");
        std::fs::create_dir(&stale).expect("stale generation");
        std::fs::write(stale.join("meta.json"), b"{ half written").expect("write");
        assert_eq!(open(dir.path()).expect("opens").info.items, 1);
        build(&items(&[" • Ett.\n\n • Två.\n"]), dir.path(), 1).expect("next build");
        assert!(!stale.exists(), "the next build removes leftovers");
        assert_eq!(open(dir.path()).expect("opens").info.items, 2);
    }

    #[test]
    fn an_index_of_another_schema_version_is_refused_with_advice() {
        let dir = tempfile::tempdir().expect("tempdir");
        build(&items(&[" • Ett.\n"]), dir.path(), 1).expect("build");
        // An older Paragraf's commit: the same description with another schema version.
        let opened = open(dir.path()).expect("opens");
        let old = IndexInfo {
            schema_version: 0,
            ..opened.info.clone()
        };
        let mut w = writer(&opened.index, 1).expect("writer");
        commit(&mut w, &old).expect("commit");
        let err = open(dir.path()).expect_err("old schema");
        assert!(
            err.to_string().ends_with(&format!("built with schema version 0, this Paragraf reads version {SCHEMA_VERSION}; rebuild it with `paragraf index`")),
            "{err}"
        );
    }

    #[test]
    fn small_archives_are_written_by_fewer_threads() {
        assert_eq!(build_threads(2, 0), 1);
        assert_eq!(build_threads(2, 2_200_000), 1);
        assert_eq!(build_threads(2, 8_000_001), 2);
        assert_eq!(build_threads(4, 31_600_000), 4);
        assert_eq!(build_threads(2, 31_600_000), 2);
        assert_eq!(build_threads(0, 31_600_000), 1);
    }

    #[test]
    fn a_small_build_is_one_segment_and_merging_keeps_the_description() {
        let dir = tempfile::tempdir().expect("tempdir");
        let texts: Vec<String> = (0..40)
            .map(|n| format!(" • Punkt {n} om budget.\n\n • Punkt {n} om vården.\n"))
            .collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let built = build(&items(&texts), dir.path(), 4).expect("build");
        let opened = open(dir.path()).expect("opens");
        let segments = || {
            opened
                .index
                .searchable_segment_ids()
                .expect("segments")
                .len()
        };
        assert_eq!(segments(), 1, "four threads' segments merged into one");

        // Another commit adds a segment; merging brings it back to one, with the commit's
        // description (the payload Paragraf reads the index's facts from) kept.
        let mut w = writer(&opened.index, 1).expect("writer");
        for item in items(&[" • Ett till.\n"]) {
            w.add_document(to_document(&item, &opened.fields))
                .expect("add");
        }
        commit(&mut w, &built).expect("commit");
        w.wait_merging_threads().expect("wait");
        assert_eq!(segments(), 2);
        merge_into_one(&opened.index).expect("merge");
        assert_eq!(segments(), 1);
        let again = open(dir.path()).expect("opens after the merge");
        assert_eq!(again.info, built);
        assert_eq!(
            again.index.reader().expect("reader").searcher().num_docs(),
            81
        );
    }

    #[test]
    fn case_number_is_an_exact_term_with_and_without_its_prefix() {
        use tantivy::collector::Count;
        use tantivy::query::TermQuery;
        use tantivy::schema::IndexRecordOption;
        use tantivy::Term;

        let dir = tempfile::tempdir().expect("tempdir");
        let text = "§ 84 Dnr KS 2013/123\nInformationer\n\nKommunchefen informerar.\n§ 85 Dnr KS 2013/200\nBudget\n";
        build(&items(&[text]), dir.path(), 1).expect("build");
        let opened = open(dir.path()).expect("opens");
        let searcher = opened.index.reader().expect("reader").searcher();
        let count = |term: &str| {
            let query = TermQuery::new(
                Term::from_field_text(opened.fields.case_number, term),
                IndexRecordOption::Basic,
            );
            searcher.search(&query, &Count).expect("search")
        };
        assert_eq!(
            (count("KS 2013/123"), count("2013/123"), count("2013")),
            (1, 1, 0)
        );
    }

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
        assert_eq!(first.rebuilt.as_deref(), Some("no index yet"));
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
    fn open_without_index_says_how_to_build_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = open(dir.path()).expect_err("no index");
        assert!(
            err.to_string()
                .ends_with("no Paragraf index here; build one with `paragraf index`"),
            "{err}"
        );
    }
}
