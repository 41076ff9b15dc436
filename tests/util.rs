//! Helpers shared by the integration tests: running the `paragraf` binary and reading what it
//! prints.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

/// The repository root, where `index-data/` lives.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sample archive `index-data/` (read-only: tests needing other text write it inline).
pub fn index_data() -> PathBuf {
    repo_root().join("index-data")
}

/// The `paragraf` binary built for this test run, run from the repository root with plain
/// (uncoloured) logs at the default level.
pub fn paragraf() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_paragraf"));
    cmd.current_dir(repo_root())
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG");
    cmd
}

/// Runs `paragraf parse ARGS…` and returns its items (one JSON value per stdout line), its
/// stderr and its exit code. Panics when a stdout line is not JSON.
pub fn parse_items<I, S>(args: I) -> (Vec<Value>, String, i32)
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let output = paragraf()
        .arg("parse")
        .args(args)
        .output()
        .expect("run paragraf parse");
    let stdout = String::from_utf8(output.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let items = stdout
        .lines()
        .enumerate()
        .map(|(i, line)| {
            serde_json::from_str(line).unwrap_or_else(|e| {
                panic!(
                    "stdout line {} is not JSON ({e}): {line}\nstderr:\n{stderr}",
                    i + 1
                )
            })
        })
        .collect();
    let code = output.status.code().expect("paragraf exited by a signal");
    (items, stderr, code)
}

/// The index built once from `index-data/` for all search and HTTP tests, in a temporary
/// directory that lives as long as the test binary.
pub fn engine() -> std::sync::Arc<paragraf_query::Engine> {
    use std::sync::{Arc, OnceLock};
    static ENGINE: OnceLock<(tempfile::TempDir, Arc<paragraf_query::Engine>)> = OnceLock::new();
    let (_, engine) = ENGINE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir for the index");
        let archive =
            paragraf_indexer::archive::parse_paths(&[index_data()]).expect("parse index-data");
        assert_eq!(
            archive.skipped(),
            0,
            "index-data parses without skipped files"
        );
        paragraf_indexer::build(&archive.items, dir.path(), 1).expect("build the index");
        let engine = paragraf_query::Engine::open(dir.path()).expect("open the index");
        (dir, Arc::new(engine))
    });
    engine.clone()
}

/// Ids of the hits of a search given as URL query pairs over the shared index, in order.
pub fn hit_ids(pairs: &[(&str, &str)]) -> Vec<String> {
    ids_of(&engine(), pairs)
}

/// Ids of the hits of a search given as URL query pairs over `engine`, in order.
pub fn ids_of(engine: &paragraf_query::Engine, pairs: &[(&str, &str)]) -> Vec<String> {
    let req = paragraf_query::search::SearchRequest::from_pairs(pairs.iter().copied())
        .expect("valid request");
    engine
        .search(&req)
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}
