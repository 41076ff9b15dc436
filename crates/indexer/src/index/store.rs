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
//!
//! A failed run removes what it wrote (issue #17: after "No space left on device" the
//! half-written segment files of an update stayed in the live generation, and the disk stayed
//! full): an update rolls its writer back and removes the files no commit refers to
//! ([`stray_files`]); a failed build removes its generation.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering as AtomicOrdering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::{Directory, Index, IndexSettings, IndexWriter, TantivyDocument};

use crate::error::{Error, Result};
use crate::index::analysis;
use crate::index::document::to_document_from;
use crate::index::schema::{Fields, SCHEMA_VERSION};
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
/// so a later [`update`](crate::index::update::update) rebuilds such an index from its archive; archives go through
/// [`update`](crate::index::update::update).
pub fn build(items: &[Item], index_dir: &Path, threads: usize) -> Result<IndexInfo> {
    build_generation(items.iter().map(|i| (i, None)), index_dir, threads)
}

/// Writes a new generation holding `items` (each with the key and fingerprint of its file,
/// when known) and swaps it in.
pub(crate) fn build_generation<'a>(
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
    // Until it is swapped in, the generation is a temporary directory: a build that fails
    // removes it on the way out (a killed one leaves it to the next build).
    let mut builder = tempfile::Builder::new();
    builder.prefix(&gen_name).rand_bytes(0);
    // The mode `create_dir` gives (0777 less the umask), not tempfile's private 0700: a server
    // running as another user reads the index.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o777));
    let generation = builder
        .tempdir_in(index_dir)
        .map_err(|e| Error::io(index_dir.join(&gen_name), e))?;
    let gen_dir = generation.path().to_path_buf();

    let (schema, fields) = Fields::build();
    let index = Index::create(directory(&gen_dir)?, schema, IndexSettings::default())?;
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
    // `current` points at it now: it is no longer temporary.
    let _ = generation.keep();
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

pub(crate) fn writer(index: &Index, threads: usize) -> Result<IndexWriter> {
    let threads = threads.max(1);
    Ok(index
        .writer_with_num_threads::<TantivyDocument>(threads, threads * WRITER_MEMORY_PER_THREAD)?)
}

pub(crate) fn new_info(items: u64, meetings: u64) -> IndexInfo {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    IndexInfo {
        schema_version: SCHEMA_VERSION,
        built_at: crate::date::rfc3339_utc(now),
        items,
        meetings,
        decompounding: analysis::Dictionary::system().is_some(),
        committed_at: now,
    }
}

/// Commits with the index description as the commit's payload, so both land together
/// atomically (tantivy writes `meta.json` by rename).
pub(crate) fn commit(writer: &mut IndexWriter, info: &IndexInfo) -> Result<()> {
    let payload = serde_json::to_string(info).map_err(|error| Error::Describe {
        path: PathBuf::new(),
        error,
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
        Err(Error::NoIndex {
            path: index_dir.to_path_buf(),
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
    let index = Index::open(directory(&gen_dir)?)?;
    let metas = index.load_metas()?;
    let opstamp = metas.opstamp;
    let payload = metas.payload.unwrap_or_default();
    let info: IndexInfo =
        serde_json::from_str(&payload).map_err(|payload_error| Error::NotParagrafIndex {
            path: gen_dir.clone(),
            payload_error,
        })?;
    if info.schema_version != SCHEMA_VERSION {
        return Err(Error::OutdatedSchema {
            path: gen_dir,
            found: info.schema_version,
            expected: SCHEMA_VERSION,
        });
    }
    analysis::register(index.tokenizers());
    let fields = Fields::from_schema(&index.schema()).ok_or_else(|| Error::MissingFields {
        path: gen_dir.clone(),
    })?;
    Ok(OpenIndex {
        index,
        fields,
        info,
        path: gen_dir,
        opstamp,
    })
}

/// The directory tantivy reads and writes a generation through.
fn directory(gen_dir: &Path) -> Result<Box<dyn Directory>> {
    let mmap = MmapDirectory::open(gen_dir).map_err(|e| Error::Tantivy(e.into()))?;
    #[cfg(test)]
    if let Some(budget) = full_disk::budget() {
        return Ok(Box::new(full_disk::FullDisk::new(mmap, budget)));
    }
    Ok(Box::new(mmap))
}

/// Gives up a run whose writing failed: its writer is rolled back, and the files it wrote
/// that no commit refers to are removed, while the writer's lock keeps other runs out.
pub(crate) fn abandon(mut writer: IndexWriter, index: &Index, gen_dir: &Path) {
    let _ = writer.rollback();
    let _ = writer.garbage_collect_files().wait();
    for file in stray_files(index, gen_dir) {
        let _ = std::fs::remove_file(file);
    }
    drop(writer);
}

/// Files of a generation that look like tantivy's segment files (a segment id, then an
/// extension) but that its last commit does not refer to: left by a run that failed or was
/// killed. Sorted.
pub fn stray_files(index: &Index, gen_dir: &Path) -> Vec<PathBuf> {
    // Segment id → the opstamp of its deletes file, if any.
    let Ok(metas) = index.load_metas() else {
        return Vec::new();
    };
    let live: std::collections::HashMap<String, Option<u64>> = metas
        .segments
        .iter()
        .map(|s| (s.id().uuid_string(), s.delete_opstamp()))
        .collect();
    let Ok(entries) = std::fs::read_dir(gen_dir) else {
        return Vec::new();
    };
    let mut stray: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let (id, rest) = name.split_once('.')?;
            if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let referenced = match live.get(id) {
                None => false,
                Some(deletes) => match rest.strip_suffix(".del") {
                    Some(opstamp) => opstamp.parse::<u64>().ok() == *deletes,
                    None => true,
                },
            };
            (!referenced).then(|| e.path())
        })
        .collect();
    stray.sort();
    stray
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

/// A disk that fills up, for tests: writes fail with "No space left on device" once the
/// budget of bytes set for the test's thread is spent.
#[cfg(test)]
pub(crate) mod full_disk {
    use std::cell::Cell;
    use std::io::{self, Write};
    use std::path::Path;
    use std::sync::atomic::{AtomicI64, Ordering};
    use std::sync::Arc;

    use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
    use tantivy::directory::{
        AntiCallToken, DirectoryLock, FileHandle, Lock, MmapDirectory, TerminatingWrite,
        WatchCallback, WatchHandle, WritePtr,
    };
    use tantivy::Directory;

    thread_local! {
        static BUDGET: Cell<Option<i64>> = const { Cell::new(None) };
    }

    /// Makes indexes opened on this thread fail to write after `bytes` (`None`: never).
    pub(crate) fn set_budget(bytes: Option<i64>) {
        BUDGET.with(|b| b.set(bytes));
    }

    pub(super) fn budget() -> Option<i64> {
        BUDGET.with(Cell::get)
    }

    fn full() -> io::Error {
        io::Error::new(
            io::ErrorKind::StorageFull,
            "No space left on device (os error 28)",
        )
    }

    #[derive(Debug, Clone)]
    pub(super) struct FullDisk {
        inner: MmapDirectory,
        left: Arc<AtomicI64>,
    }

    impl FullDisk {
        pub(super) fn new(inner: MmapDirectory, budget: i64) -> FullDisk {
            FullDisk {
                inner,
                left: Arc::new(AtomicI64::new(budget)),
            }
        }
    }

    fn spend(left: &AtomicI64, bytes: usize) -> io::Result<()> {
        let bytes = i64::try_from(bytes).unwrap_or(i64::MAX);
        if left.fetch_sub(bytes, Ordering::SeqCst) < bytes {
            return Err(full());
        }
        Ok(())
    }

    struct Writer {
        inner: WritePtr,
        left: Arc<AtomicI64>,
    }

    impl Write for Writer {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            spend(&self.left, buf.len())?;
            self.inner.write(buf)
        }
        fn flush(&mut self) -> io::Result<()> {
            self.inner.flush()
        }
    }

    impl TerminatingWrite for Writer {
        fn terminate_ref(&mut self, token: AntiCallToken) -> io::Result<()> {
            self.inner.terminate_ref(token)
        }
    }

    impl Directory for FullDisk {
        fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
            self.inner.get_file_handle(path)
        }
        fn delete(&self, path: &Path) -> Result<(), DeleteError> {
            self.inner.delete(path)
        }
        fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
            self.inner.exists(path)
        }
        fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
            let inner = self.inner.open_write(path)?;
            Ok(io::BufWriter::new(Box::new(Writer {
                inner,
                left: self.left.clone(),
            })))
        }
        fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
            self.inner.atomic_read(path)
        }
        fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
            spend(&self.left, data.len())?;
            self.inner.atomic_write(path, data)
        }
        fn sync_directory(&self) -> io::Result<()> {
            self.inner.sync_directory()
        }
        fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
            self.inner.acquire_lock(lock)
        }
        fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
            self.inner.watch(callback)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::document::to_document;
    use crate::index::testing::items;

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
            matches!(err, Error::OutdatedSchema { found: 0, expected, .. } if expected == SCHEMA_VERSION),
            "{err:?}"
        );
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
    fn open_without_index_says_how_to_build_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = open(dir.path()).expect_err("no index");
        assert!(matches!(err, Error::NoIndex { .. }), "{err:?}");
        assert!(
            err.to_string()
                .ends_with("no Paragraf index here; build one with `paragraf index`"),
            "{err}"
        );
    }
}
