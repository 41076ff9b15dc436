//! What `paragraf watch` has sent: per saved search, the ids of the items its accepted
//! digests listed. "New since the last digest" is an item the search matches now whose id is
//! not in that set, so an old meeting the archive receives late is still sent, and an item is
//! never sent twice to a search however often the index is rebuilt (its id is stable: meeting
//! id and ordinal).
//!
//! The file is JSON, written whole to a temporary file beside it and renamed over it, after the
//! relay accepted the digest: a crash leaves the old state or the new one, never half of one.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

/// The version of the state file's shape.
const FORMAT: u32 = 1;

/// The state of every saved search, by name.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// The version of the file's shape.
    pub format: u32,
    /// Per saved search (by name), what was sent.
    pub searches: BTreeMap<String, SearchState>,
}

/// What one saved search has sent.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchState {
    /// Ids of the items listed in digests the relay accepted.
    pub sent: BTreeSet<String>,
    /// When the relay last accepted a digest (seconds since 1970).
    pub last_digest: Option<u64>,
}

impl State {
    /// The state file beside a configuration: `watch.toml` → `watch.state.json`.
    pub fn beside(config: &Path) -> PathBuf {
        config.with_extension("state.json")
    }

    /// Reads the state; a missing file is the state of a first run. A file that cannot be read
    /// or understood is an error, not an empty state: that would send everything again.
    pub fn load(path: &Path) -> anyhow::Result<State> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(State {
                    format: FORMAT,
                    searches: BTreeMap::new(),
                })
            }
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("reading the watch state {}", path.display()))
            }
        };
        let state: State = serde_json::from_str(&text).with_context(|| {
            format!(
                "reading the watch state {}: not a state file of paragraf watch (move it away to start afresh, which sends every match again)",
                path.display()
            )
        })?;
        if state.format != FORMAT {
            anyhow::bail!(
                "the watch state {} has format {}; this Paragraf reads format {FORMAT}",
                path.display(),
                state.format
            );
        }
        Ok(state)
    }

    /// The ids already sent for a saved search.
    pub fn sent(&self, search: &str) -> Option<&BTreeSet<String>> {
        self.searches.get(search).map(|s| &s.sent)
    }

    /// Records that the relay accepted a digest of these items at `now` (seconds since 1970).
    pub fn record<'a>(&mut self, search: &str, ids: impl IntoIterator<Item = &'a str>, now: u64) {
        let entry = self.searches.entry(search.to_string()).or_default();
        entry.sent.extend(ids.into_iter().map(str::to_string));
        entry.last_digest = Some(now);
    }

    /// Writes the state atomically: a temporary file in the same directory, flushed to disk,
    /// renamed over the old one, and the directory synced so the rename survives a power cut.
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        let context = || format!("writing the watch state {}", path.display());
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "state.json".to_string());
        let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let json = serde_json::to_vec_pretty(self).with_context(context)?;
        let written = (|| -> std::io::Result<()> {
            let mut file = std::fs::File::create(&temp)?;
            file.write_all(&json)?;
            file.write_all(b"\n")?;
            file.sync_all()?;
            std::fs::rename(&temp, path)?;
            // Directories cannot be opened for syncing everywhere; where they can, do.
            if let Ok(dir) = std::fs::File::open(&dir) {
                let _ = dir.sync_all();
            }
            Ok(())
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        written.with_context(context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_state_reads_back_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("watch.state.json");
        let mut state = State::load(&path).expect("no file is a first run");
        assert_eq!(state.sent("Cykelplan"), None);
        state.record(
            "Cykelplan",
            ["ks-2024-03-12.02", "ks-2024-03-12.05"],
            1_700_000_000,
        );
        state.save(&path).expect("save");
        state.record("Cykelplan", ["ks-2023-01-10.03"], 1_700_003_600);
        state.save(&path).expect("save again");
        let read = State::load(&path).expect("load");
        assert_eq!(read, state);
        let sent: Vec<&str> = read
            .sent("Cykelplan")
            .expect("sent")
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(
            sent,
            ["ks-2023-01-10.03", "ks-2024-03-12.02", "ks-2024-03-12.05"]
        );
        assert_eq!(read.searches["Cykelplan"].last_digest, Some(1_700_003_600));
        let files: Vec<String> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(files, ["watch.state.json"]);
    }

    #[test]
    fn a_damaged_state_is_an_error_not_a_fresh_start() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("watch.state.json");
        std::fs::write(&path, "{\"format\": 1, \"searches\": ").expect("write");
        let message = format!("{:#}", State::load(&path).expect_err("damaged"));
        assert!(
            message.starts_with(&format!(
                "reading the watch state {}: not a state file of paragraf watch",
                path.display()
            )),
            "{message}"
        );
        assert_eq!(
            State::beside(Path::new("/etc/paragraf/watch.toml")),
            Path::new("/etc/paragraf/watch.state.json")
        );
    }
}
