//! The file state of an OpenSearch index: which version (fingerprint) of each archive file the
//! index holds completely, kept in the cluster beside the index, so that an update that stops
//! half-way (a crash, a kill, a cluster that refuses) is finished by the next run.
//!
//! The state lives in a small index `<concrete>-state` with one document per file: its key, the
//! fingerprint whose items are all in the index, and `pending` while an update is rewriting
//! that file. An update (see [`crate::indexing`]) goes
//!
//! 1. **mark**: every file it will touch (added, changed, gone) is written `pending`;
//! 2. **write**: the new items are indexed, what the new versions no longer hold and the items
//!    of gone files are deleted, the index is refreshed;
//! 3. **commit**: each written file is recorded with its new fingerprint, gone files are
//!    forgotten.
//!
//! A file whose state is `pending` counts as changed (or gone, when it left the archive) on the
//! next run, so it is written again; ids are stable, so writing again overwrites. What a run
//! stopped anywhere left behind is thereby repaired by the next run: it converges to the
//! archive's content.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::client::{Client, Method};
use crate::error::{Error, Result};

/// The fingerprint [`read`] reports for a pending file: matches no real fingerprint, so the
/// file is written again.
pub const PENDING: &str = "\u{1f}pending";

/// Files of one state request page.
const PAGE: usize = 5000;

/// The state index of the concrete index `concrete`.
pub fn index_of(concrete: &str) -> String {
    format!("{concrete}-state")
}

/// Creates the (empty) state index of `concrete`: one shard, replicas as the index has.
pub fn create(client: &Client, concrete: &str, replicas: u32) -> Result<()> {
    let body = json!({
        "settings": {"index": {"number_of_shards": 1, "number_of_replicas": replicas}},
        "mappings": {"dynamic": "strict", "properties": {
            "key": {"type": "keyword"},
            "fingerprint": {"type": "keyword", "index": false},
            "pending": {"type": "boolean"}
        }}
    });
    client.ok(
        Method::Put,
        &format!("/{}", index_of(concrete)),
        Some(&body),
    )?;
    Ok(())
}

/// Key → fingerprint of every file the index of `concrete` holds ([`PENDING`] for a file an
/// update did not finish); `None` when it has no state index.
pub fn read(client: &Client, concrete: &str) -> Result<Option<HashMap<String, String>>> {
    let state = index_of(concrete);
    let (status, answer) = client.send(Method::Post, &format!("/{state}/_refresh"), None)?;
    if status == 404 {
        return Ok(None);
    }
    if !(200..300).contains(&status) {
        return Err(crate::client::refused(
            Method::Post,
            &format!("/{state}/_refresh"),
            status,
            &answer,
        ));
    }
    let mut files = HashMap::new();
    let mut after: Option<Value> = None;
    loop {
        let mut body = json!({"size": PAGE, "sort": [{"key": "asc"}], "track_total_hits": false,
            "_source": ["key", "fingerprint", "pending"]});
        if let Some(after) = &after {
            body["search_after"] = after.clone();
        }
        let found = client.ok(Method::Post, &format!("/{state}/_search"), Some(&body))?;
        let hits = found["hits"]["hits"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for hit in &hits {
            let source = &hit["_source"];
            let (Some(key), Some(fingerprint)) =
                (source["key"].as_str(), source["fingerprint"].as_str())
            else {
                return Err(Error::Unexpected {
                    what: format!("the file state in {state}"),
                    reason: format!("a document without key or fingerprint: {hit}"),
                });
            };
            let fingerprint = if source["pending"].as_bool() == Some(true) {
                PENDING
            } else {
                fingerprint
            };
            files.insert(key.to_string(), fingerprint.to_string());
        }
        match hits.last() {
            Some(last) if hits.len() == PAGE => after = Some(last["sort"].clone()),
            _ => return Ok(Some(files)),
        }
    }
}

/// The bulk lines that record files: `(key, fingerprint, pending)` written, `forget` deleted.
pub fn lines(concrete: &str, record: &[(&str, &str, bool)], forget: &[&str]) -> Vec<String> {
    let state = index_of(concrete);
    let mut lines = Vec::with_capacity(record.len() * 2 + forget.len());
    for (key, fingerprint, pending) in record {
        lines.push(json!({"index": {"_index": state, "_id": doc_id(key)}}).to_string());
        lines.push(json!({"key": key, "fingerprint": fingerprint, "pending": pending}).to_string());
    }
    for key in forget {
        lines.push(json!({"delete": {"_index": state, "_id": doc_id(key)}}).to_string());
    }
    lines
}

/// A state document's id: the key, or a hash of it when the key is longer than an id may be
/// (512 bytes).
fn doc_id(key: &str) -> String {
    if key.len() <= 400 {
        return key.to_string();
    }
    // FNV-1a, 64 bits twice (forwards and backwards): stable across Rust versions.
    let fnv = |bytes: &mut dyn Iterator<Item = u8>| {
        bytes.fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    let tail: Vec<char> = key.chars().rev().take(40).collect();
    let tail: String = tail.into_iter().rev().collect();
    format!(
        "fnv:{:016x}{:016x}:{tail}",
        fnv(&mut key.bytes()),
        fnv(&mut key.bytes().rev()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_lines_record_and_forget_files() {
        let lines = lines(
            "paragraf-1",
            &[("/a/x.txt", "f1", true), ("/a/y.txt", "f2", false)],
            &["/a/z.txt"],
        );
        assert_eq!(
            lines,
            [
                r#"{"index":{"_id":"/a/x.txt","_index":"paragraf-1-state"}}"#,
                r#"{"fingerprint":"f1","key":"/a/x.txt","pending":true}"#,
                r#"{"index":{"_id":"/a/y.txt","_index":"paragraf-1-state"}}"#,
                r#"{"fingerprint":"f2","key":"/a/y.txt","pending":false}"#,
                r#"{"delete":{"_id":"/a/z.txt","_index":"paragraf-1-state"}}"#,
            ]
        );
    }

    #[test]
    fn a_long_key_gets_a_short_stable_id() {
        let long = format!("/arkiv/{}protokoll.txt", "mapp/".repeat(100));
        let id = doc_id(&long);
        assert!(id.len() < 120, "{id}");
        assert!(
            id.starts_with("fnv:") && id.ends_with("mapp/mapp/protokoll.txt"),
            "{id}"
        );
        assert_eq!(id, doc_id(&long));
        assert_ne!(id, doc_id(&long.replace("protokoll", "protokolL")));
        assert_eq!(doc_id("/a/x.txt"), "/a/x.txt");
    }
}
