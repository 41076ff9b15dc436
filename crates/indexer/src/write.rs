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

use serde::{Deserialize, Serialize};
use tantivy::{DateTime, Index, TantivyDocument};

use crate::analysis;
use crate::error::{Error, Result};
use crate::model::Item;
use crate::protokoll::case_number_terms;
use crate::schema::{municipality_facet, sort_key, value_facet, Fields, SCHEMA_VERSION};

/// Name of the symlink to the generation in use.
pub const CURRENT: &str = "current";
/// File in each generation describing it.
pub const INFO_FILE: &str = "paragraf.json";

/// What a generation holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
/// `threads` is the number of indexing threads (at least 1).
pub fn build(items: &[Item], index_dir: &Path, threads: usize) -> Result<IndexInfo> {
    std::fs::create_dir_all(index_dir).map_err(|e| Error::io(index_dir, e))?;
    remove_stale_generations(index_dir);
    static BUILDS: AtomicU32 = AtomicU32::new(0);
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let now = since_epoch.as_secs();
    // Unique even for two builds of one process in the same second; the owner's pid comes
    // last so a later build can tell leftovers of dead processes.
    let gen_name = format!(
        "gen-{now}.{:09}-{}-{}",
        since_epoch.subsec_nanos(),
        BUILDS.fetch_add(1, AtomicOrdering::Relaxed),
        std::process::id()
    );
    let gen_dir = index_dir.join(&gen_name);
    std::fs::create_dir(&gen_dir).map_err(|e| Error::io(&gen_dir, e))?;

    let (schema, fields) = Fields::build();
    let index = Index::create_in_dir(&gen_dir, schema)?;
    analysis::register(index.tokenizers());
    let threads = threads.max(1);
    let mut writer =
        index.writer_with_num_threads::<TantivyDocument>(threads, threads * 64_000_000)?;
    let mut meetings = std::collections::HashSet::new();
    for item in items {
        meetings.insert(item.meeting.id.as_str());
        writer.add_document(to_document(item, &fields))?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;

    let info = IndexInfo {
        schema_version: SCHEMA_VERSION,
        built_at: rfc3339_utc(now),
        items: items.len() as u64,
        meetings: meetings.len() as u64,
        decompounding: analysis::Dictionary::system().is_some(),
    };
    let info_path = gen_dir.join(INFO_FILE);
    let json = serde_json::to_vec_pretty(&info).map_err(|e| Error::Index {
        path: info_path.clone(),
        message: e.to_string(),
    })?;
    std::fs::write(&info_path, json).map_err(|e| Error::io(&info_path, e))?;
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

/// Opens the current generation of an index directory (or a bare generation directory).
pub fn open(index_dir: &Path) -> Result<OpenIndex> {
    let current = index_dir.join(CURRENT);
    let gen_dir = if current.exists() {
        std::fs::canonicalize(&current).map_err(|e| Error::io(&current, e))?
    } else if index_dir.join("meta.json").exists() {
        index_dir.to_path_buf()
    } else {
        return Err(Error::Index {
            path: index_dir.to_path_buf(),
            message: "no Paragraf index here; build one with `paragraf index`".to_string(),
        });
    };
    let bad = |message: String| Error::Index {
        path: gen_dir.clone(),
        message,
    };
    let info_path = gen_dir.join(INFO_FILE);
    let info: IndexInfo = std::fs::read(&info_path)
        .map_err(|e| bad(format!("{INFO_FILE}: {e}")))
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| bad(format!("{INFO_FILE}: {e}"))))?;
    if info.schema_version != SCHEMA_VERSION {
        return Err(bad(format!(
            "built with schema version {}, this Paragraf reads version {SCHEMA_VERSION}; rebuild it with `paragraf index`",
            info.schema_version
        )));
    }
    let index = Index::open_in_dir(&gen_dir)?;
    analysis::register(index.tokenizers());
    let fields = Fields::from_schema(&index.schema())
        .ok_or_else(|| bad("schema lacks Paragraf's fields".to_string()))?;
    Ok(OpenIndex {
        index,
        fields,
        info,
        path: gen_dir,
    })
}

/// The tantivy document of an item.
pub fn to_document(item: &Item, f: &Fields) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &item.id);
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
    doc.add_text(f.text, &item.text);
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
    // Title, text (which holds the decisions) and names: exact, as compound parts, folded.
    doc.add_text(f.words, &all_text);
    doc.add_text(f.parts, &all_text);
    doc.add_text(f.folded, &all_text);
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
        sort_key(start.map(|d| d.days_since_epoch()), item.ordinal),
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
                let info = crate::parse::MeetingInfo {
                    id: format!("m{n}"),
                    body: Some("SVOM".into()),
                    date: None,
                    source: "test".into(),
                };
                crate::parse::parse_minutes(text, info).items
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
        let info_path = open(dir.path()).expect("opens").path.join(INFO_FILE);
        let text = std::fs::read_to_string(&info_path).expect("info");
        let text = text.replace(
            &format!("\"schema_version\": {SCHEMA_VERSION}"),
            "\"schema_version\": 0",
        );
        std::fs::write(&info_path, text).expect("write");
        let err = open(dir.path()).expect_err("old schema");
        assert!(
            err.to_string().ends_with(&format!("built with schema version 0, this Paragraf reads version {SCHEMA_VERSION}; rebuild it with `paragraf index`")),
            "{err}"
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
