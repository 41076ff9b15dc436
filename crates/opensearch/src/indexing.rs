//! `paragraf index --engine opensearch`: the same parser and the same incremental semantics as
//! the tantivy index, over a cluster.
//!
//! Each document carries its file's key and `key U+001F fingerprint` (`file_version`); which
//! version of each file the index holds *completely* is kept in the cluster beside it
//! ([`crate::state`]). An update marks the files it will touch as pending, indexes the new and
//! changed files' items (ids are stable, so a changed file's items are overwritten in place),
//! deletes what the new versions no longer have and the items of files gone from the archive,
//! refreshes, and only then records the new fingerprints: a run stopped anywhere (a crash, a
//! kill, a cluster that refused) leaves its files pending, and the next run writes them again
//! and converges to the archive's content. A search during an update sees, per file, the old
//! version, the new one, or a mix of the two (never a changed file without items).
//!
//! A rebuild (or a first build, or an index of another mapping version) writes a new concrete
//! index `paragraf-<seconds>-<millis>` and its file state and then moves the alias to it in one
//! `_aliases` call (remove + add), so searches never see a half-built index; the old index is
//! deleted after. Bulk requests go in batches of about 5 MB, with back-off when the cluster
//! answers 429.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use paragraf_indexer::archive::{parse_jobs_with_progress, Archive, Plan};
use paragraf_indexer::date::rfc3339_utc;
use paragraf_indexer::index::update::compare;
use paragraf_indexer::Item;
use serde_json::{json, Value};

use crate::client::{refused, Client, ClusterConfig, Method};
use crate::document::{index_body, meta, Analyzers, IndexSettings, MAPPING_VERSION};
use crate::error::{Error, Result};
use crate::state;

/// Bytes of one bulk request, about.
const BULK_BYTES: usize = 5 * 1024 * 1024;
/// Tries of one bulk request answered 429 (too many requests) before giving up.
const BULK_TRIES: u32 = 8;

/// What an index run did.
#[derive(Debug, Default)]
pub struct IndexReport {
    /// Why a new index was built, when one was.
    pub rebuilt: Option<String>,
    /// The concrete index the alias points at after the run.
    pub concrete: String,
    /// Files new to the index.
    pub added: Vec<PathBuf>,
    /// Files whose content or manifest entry changed.
    pub changed: Vec<PathBuf>,
    /// Keys of files gone from the archive whose items were removed.
    pub removed: Vec<String>,
    /// Files the index already held as they are; not parsed again.
    pub unchanged: usize,
    /// The parse of the added and changed files.
    pub parsed: Archive,
    /// Items removed (of changed and removed files).
    pub items_removed: u64,
    /// Items in the index after the run.
    pub items: u64,
    /// Bulk requests answered 429 and sent again.
    pub retried: u64,
}

/// Writes a Paragraf index into a cluster.
#[derive(Debug)]
pub struct Indexer {
    client: Client,
    alias: String,
    settings: IndexSettings,
    /// Pause before the first retry of a 429; doubled each time.
    backoff: Duration,
}

impl Indexer {
    /// An indexer for the cluster and index (alias) of `config`.
    pub fn new(config: &ClusterConfig, settings: IndexSettings) -> Indexer {
        Indexer {
            client: Client::new(config),
            alias: config.index.clone(),
            settings,
            backoff: Duration::from_millis(200),
        }
    }

    /// Brings the index up to date with the archive of `plan` (files under `roots`): adds,
    /// changes and removes by file fingerprint. Without an index of this mapping version it
    /// builds one ([`Indexer::rebuild`]).
    pub fn update(
        &self,
        plan: &Plan,
        roots: &[PathBuf],
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<IndexReport> {
        let concrete = match self.current()? {
            None => return self.build(plan, "no index yet", progress),
            Some((_, version)) if version != MAPPING_VERSION => {
                let reason = format!(
                    "built with mapping version {version}, this Paragraf writes version {MAPPING_VERSION}"
                );
                return self.build(plan, &reason, progress);
            }
            Some((concrete, _)) => concrete,
        };
        let Some(indexed) = state::read(&self.client, &concrete)? else {
            return self.build(
                plan,
                "the index has no file state (built by an older Paragraf, or its state index was deleted)",
                progress,
            );
        };
        let drift = compare(plan, roots, &indexed);
        let to_parse: Vec<_> = drift
            .added
            .iter()
            .chain(&drift.changed)
            .map(|&j| j.clone())
            .collect();
        let mut report = IndexReport {
            concrete: concrete.clone(),
            added: drift.added.iter().map(|j| j.path.clone()).collect(),
            changed: drift.changed.iter().map(|j| j.path.clone()).collect(),
            unchanged: drift.unchanged,
            removed: drift.gone.clone(),
            ..IndexReport::default()
        };
        report.parsed = parse_jobs_with_progress(&to_parse, progress);
        let skipped: HashSet<&std::path::Path> = report
            .parsed
            .files
            .iter()
            .filter(|f| f.skipped.is_some())
            .map(|f| f.path.as_path())
            .collect();
        report.added.retain(|p| !skipped.contains(p.as_path()));
        if report.added.is_empty() && report.changed.is_empty() && report.removed.is_empty() {
            report.items = self.count(&self.alias)?;
            return Ok(report);
        }
        // 1. Mark every file this run touches; a run stopped before step 3 leaves them pending.
        let old = |key: &str| indexed.get(key).map_or("", String::as_str);
        let marks: Vec<(&str, &str, bool)> = to_parse
            .iter()
            .map(|j| (j.key.as_str(), old(&j.key), true))
            .chain(report.removed.iter().map(|k| (k.as_str(), old(k), true)))
            .collect();
        self.bulk_lines(&state::lines(&concrete, &marks, &[]))?;
        // 2. Write the items, delete what is stale, refresh.
        report.retried = self.bulk_items(&concrete, &report.parsed)?;
        // What the new versions no longer hold, and the files gone from the archive.
        let replaced: Vec<&str> = to_parse
            .iter()
            .filter(|j| indexed.contains_key(&j.key))
            .map(|j| j.key.as_str())
            .collect();
        let current_versions: Vec<String> = report
            .parsed
            .files
            .iter()
            .filter(|f| f.skipped.is_none())
            .map(|f| format!("{}\u{1f}{}", f.key, f.fingerprint))
            .collect();
        let mut should = Vec::new();
        if !replaced.is_empty() {
            should.push(json!({"bool": {
                "filter": [{"terms": {"file": replaced}}],
                "must_not": [{"terms": {"file_version": current_versions}}]
            }}));
        }
        if !report.removed.is_empty() {
            should.push(json!({"terms": {"file": report.removed}}));
        }
        if !should.is_empty() {
            self.refresh(&concrete)?;
            let query = json!({"bool": {"should": should, "minimum_should_match": 1}});
            report.items_removed = self.delete_matching(&concrete, &query)?;
        }
        let built_at = now_rfc3339();
        self.client.ok(
            Method::Put,
            &format!("/{concrete}/_mapping"),
            Some(&json!({"_meta": meta(&built_at, decompounding())})),
        )?;
        self.refresh(&concrete)?;
        // 3. Record what the index now holds: the new versions; gone files and files that no
        //    longer parse (their items were deleted above) are forgotten.
        let done: Vec<(&str, &str, bool)> = report
            .parsed
            .files
            .iter()
            .filter(|f| f.skipped.is_none())
            .map(|f| (f.key.as_str(), f.fingerprint.as_str(), false))
            .collect();
        let forget: Vec<&str> = report
            .parsed
            .files
            .iter()
            .filter(|f| f.skipped.is_some())
            .map(|f| f.key.as_str())
            .chain(report.removed.iter().map(String::as_str))
            .collect();
        self.bulk_lines(&state::lines(&concrete, &done, &forget))?;
        report.items = self.count(&concrete)?;
        Ok(report)
    }

    /// Indexes the whole archive of `plan` into a new index and moves the alias to it
    /// (`paragraf index --rebuild`).
    pub fn rebuild(
        &self,
        plan: &Plan,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<IndexReport> {
        self.build(plan, "asked to rebuild", progress)
    }

    fn build(
        &self,
        plan: &Plan,
        reason: &str,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<IndexReport> {
        let (status, existing) =
            self.client
                .send(Method::Get, &format!("/_alias/{}", self.alias), None)?;
        let old: Vec<String> = if status == 200 {
            existing
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        if old.is_empty() {
            // A concrete index with the alias's name would make the alias impossible.
            let (status, _) = self
                .client
                .send(Method::Get, &format!("/{}", self.alias), None)?;
            if status == 200 {
                return Err(Error::Refused {
                    what: format!("an alias {:?}", self.alias),
                    status: 400,
                    reason: format!(
                        "an index (not an alias) named {:?} exists; delete it or choose another --opensearch-index",
                        self.alias
                    ),
                });
            }
        }
        let parsed = parse_jobs_with_progress(&plan.jobs, progress);
        let stamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let concrete = format!(
            "{}-{}-{:03}",
            self.alias,
            stamp.as_secs(),
            stamp.subsec_millis()
        );
        let built_at = now_rfc3339();
        self.client.ok(
            Method::Put,
            &format!("/{concrete}"),
            Some(&index_body(self.settings, &built_at, decompounding())),
        )?;
        let retried = match self.write_all(&concrete, &parsed) {
            Ok(retried) => retried,
            Err(e) => {
                // The half-built index is never aliased: drop it.
                for index in [concrete.clone(), state::index_of(&concrete)] {
                    let _ = self.client.send(Method::Delete, &format!("/{index}"), None);
                }
                return Err(e);
            }
        };
        self.client.ok(
            Method::Get,
            &format!("/_cluster/health/{concrete}?wait_for_status=yellow&timeout=30s"),
            None,
        )?;
        let mut actions: Vec<Value> = old
            .iter()
            .map(|index| json!({"remove": {"index": index, "alias": self.alias}}))
            .collect();
        actions.push(json!({"add": {"index": concrete, "alias": self.alias}}));
        self.client.ok(
            Method::Post,
            "/_aliases",
            Some(&json!({"actions": actions})),
        )?;
        for index in old.iter().flat_map(|o| [o.clone(), state::index_of(o)]) {
            match self.client.send(Method::Delete, &format!("/{index}"), None) {
                Ok((status, _)) if (200..300).contains(&status) || status == 404 => {}
                Ok((status, answer)) => {
                    let e = refused(Method::Delete, &format!("/{index}"), status, &answer);
                    tracing::warn!(index = %index, error = %e, "the previous index could not be deleted");
                }
                Err(e) => {
                    tracing::warn!(index = %index, error = %e, "the previous index could not be deleted");
                }
            }
        }
        let items = self.count(&concrete)?;
        Ok(IndexReport {
            rebuilt: Some(reason.to_string()),
            concrete,
            added: plan.jobs.iter().map(|j| j.path.clone()).collect(),
            parsed,
            items,
            retried,
            ..IndexReport::default()
        })
    }

    /// The concrete index behind the alias and its mapping version; `None` without one.
    fn current(&self) -> Result<Option<(String, u32)>> {
        let path = format!("/{}/_mapping", self.alias);
        let (status, value) = self.client.send(Method::Get, &path, None)?;
        if status == 404 {
            return Ok(None);
        }
        if status != 200 {
            return Err(refused(Method::Get, &path, status, &value));
        }
        let Some((concrete, mapping)) = value.as_object().and_then(|m| m.iter().next()) else {
            return Ok(None);
        };
        let version = mapping["mappings"]["_meta"]["paragraf_mapping_version"]
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(0);
        Ok(Some((concrete.clone(), version)))
    }

    /// A new index's items and its file state (every parsed file complete), refreshed.
    fn write_all(&self, concrete: &str, parsed: &Archive) -> Result<u64> {
        let retried = self.bulk_items(concrete, parsed)?;
        self.refresh(concrete)?;
        state::create(&self.client, concrete, self.settings.replicas)?;
        let done: Vec<(&str, &str, bool)> = parsed
            .files
            .iter()
            .filter(|f| f.skipped.is_none())
            .map(|f| (f.key.as_str(), f.fingerprint.as_str(), false))
            .collect();
        self.bulk_lines(&state::lines(concrete, &done, &[]))?;
        Ok(retried)
    }

    /// Sends bulk lines (action and source lines) in requests of about [`BULK_BYTES`].
    fn bulk_lines(&self, lines: &[String]) -> Result<u64> {
        let mut body = String::new();
        let mut retried = 0;
        for line in lines {
            body.push_str(line);
            body.push('\n');
            // A delete is one line, an index two: cut only before an action line.
            if body.len() >= BULK_BYTES && !line.starts_with("{\"index\"") {
                retried += self.bulk(&body)?;
                body.clear();
            }
        }
        if !body.is_empty() {
            retried += self.bulk(&body)?;
        }
        Ok(retried)
    }

    /// Deletes the documents matching `query`: their ids are read page by page, then deleted
    /// in bulk (`_delete_by_query` lives in the reindex module, which a cluster may lack).
    fn delete_matching(&self, index: &str, query: &Value) -> Result<u64> {
        let mut ids = Vec::new();
        let mut after: Option<Value> = None;
        loop {
            let mut body = json!({"size": 1000, "query": query, "_source": false,
                "sort": [{"id": "asc"}], "track_total_hits": false});
            if let Some(after) = &after {
                body["search_after"] = after.clone();
            }
            let found = self
                .client
                .ok(Method::Post, &format!("/{index}/_search"), Some(&body))?;
            let hits = found["hits"]["hits"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let Some(last) = hits.last() else {
                break;
            };
            after = Some(last["sort"].clone());
            ids.extend(
                hits.iter()
                    .filter_map(|h| h["_id"].as_str().map(str::to_string)),
            );
        }
        let mut retried = 0;
        for chunk in ids.chunks(1000) {
            let mut body = String::new();
            for id in chunk {
                body.push_str(&json!({"delete": {"_index": index, "_id": id}}).to_string());
                body.push('\n');
            }
            retried += self.bulk(&body)?;
        }
        if retried > 0 {
            tracing::info!(retried, "bulk deletes sent again after 429");
        }
        Ok(ids.len() as u64)
    }

    fn count(&self, index: &str) -> Result<u64> {
        let answer = self
            .client
            .ok(Method::Get, &format!("/{index}/_count"), None)?;
        Ok(answer["count"].as_u64().unwrap_or(0))
    }

    fn refresh(&self, index: &str) -> Result<()> {
        self.client
            .ok(Method::Post, &format!("/{index}/_refresh"), None)?;
        Ok(())
    }

    /// Sends the parsed items in bulk requests; returns how many requests were sent again
    /// after a 429.
    fn bulk_items(&self, index: &str, parsed: &Archive) -> Result<u64> {
        let mut analyzers = Analyzers::default();
        let mut body = String::new();
        let mut retried = 0;
        for (item, file) in items_with_files(parsed) {
            let action = json!({"index": {"_index": index, "_id": item.id}});
            body.push_str(&action.to_string());
            body.push('\n');
            body.push_str(&analyzers.document(item, file).to_string());
            body.push('\n');
            if body.len() >= BULK_BYTES {
                retried += self.bulk(&body)?;
                body.clear();
            }
        }
        if !body.is_empty() {
            retried += self.bulk(&body)?;
        }
        Ok(retried)
    }

    /// One bulk request, sent again with back-off while the cluster answers 429 (as a whole or
    /// for some items: only those are sent again), 503 for some items, or cannot be reached.
    fn bulk(&self, body: &str) -> Result<u64> {
        let mut pending = body.to_string();
        let mut pause = self.backoff;
        for attempt in 1..=BULK_TRIES {
            let (status, answer) = match self.client.send_ndjson("/_bulk", &pending) {
                Ok(answer) => answer,
                // A node going away mid-request: the bulk is sent again (ids are fixed, so a
                // repeat overwrites rather than duplicates).
                Err(Error::Unavailable { reason, .. }) if attempt < BULK_TRIES => {
                    tracing::warn!(attempt, %reason, "bulk request failed; sending again");
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_secs(10));
                    continue;
                }
                Err(e) => return Err(e),
            };
            if status == 429 {
                tracing::warn!(
                    attempt,
                    pause_ms = pause.as_millis() as u64,
                    "the cluster is busy (429); sending again"
                );
            } else if !(200..300).contains(&status) {
                return Err(refused(Method::Post, "/_bulk", status, &answer));
            } else if answer["errors"].as_bool() != Some(true) {
                return Ok(u64::from(attempt - 1));
            } else {
                // Keep only the items refused with 429; any other refusal is an error (but a
                // delete of what is gone already).
                let lines: Vec<&str> = pending.lines().collect();
                let mut again = String::new();
                let mut line = 0;
                for result in answer["items"].as_array().into_iter().flatten() {
                    let (action, result) = result
                        .as_object()
                        .and_then(|o| o.iter().next())
                        .map_or(("index", &Value::Null), |(k, v)| (k.as_str(), v));
                    let width = if action == "delete" { 1 } else { 2 };
                    let status = result["status"].as_u64().unwrap_or(0);
                    // 429: too busy; 503: a primary not yet assigned after a node left.
                    if status == 429 || status == 503 {
                        for l in lines.iter().skip(line).take(width) {
                            again.push_str(l);
                            again.push('\n');
                        }
                    } else if status == 404 && action == "delete" {
                    } else if status >= 300 {
                        return Err(Error::Refused {
                            what: format!("indexing item {}", result["_id"]),
                            status: u16::try_from(status).unwrap_or(500),
                            reason: result["error"]["reason"]
                                .as_str()
                                .unwrap_or("no reason given")
                                .to_string(),
                        });
                    }
                    line += width;
                }
                if again.is_empty() {
                    return Ok(u64::from(attempt - 1));
                }
                pending = again;
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_secs(10));
        }
        Err(Error::Refused {
            what: "a bulk request".into(),
            status: 429,
            reason: format!("the cluster was still too busy after {BULK_TRIES} tries"),
        })
    }
}

/// Each parsed item with its file's key and fingerprint (items are in file order).
fn items_with_files(parsed: &Archive) -> Vec<(&Item, Option<(&str, &str)>)> {
    let mut out = Vec::with_capacity(parsed.items.len());
    let mut items = parsed.items.iter();
    for file in &parsed.files {
        for item in items.by_ref().take(file.items) {
            out.push((item, Some((file.key.as_str(), file.fingerprint.as_str()))));
        }
    }
    out.extend(items.map(|i| (i, None)));
    out
}

fn now_rfc3339() -> String {
    rfc3339_utc(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    )
}

/// Whether compound words are split (the system's Swedish dictionary is installed).
fn decompounding() -> bool {
    paragraf_indexer::index::analysis::Dictionary::system().is_some()
}
