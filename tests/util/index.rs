//! The index of `index-data/`, built once for the whole test binary, and searches over it or
//! over an index a test builds itself.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::{cli, copy_dir, index_data};

/// The index built once from `index-data/` for all search and HTTP tests, in a temporary
/// directory that lives as long as the test binary.
pub fn engine() -> Arc<paragraf_query::Engine> {
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

/// The response to a search given as URL query pairs, over the shared index.
pub fn search(pairs: &[(&str, &str)]) -> paragraf_query::SearchResponse {
    let req = paragraf_query::SearchRequest::from_pairs(pairs.iter().copied())
        .unwrap_or_else(|e| panic!("{pairs:?} is a valid request: {e}"));
    engine()
        .search(&req)
        .unwrap_or_else(|e| panic!("{pairs:?} searches: {e}"))
}

/// Ids of the hits of a search given as URL query pairs over the shared index, in order.
pub fn hit_ids(pairs: &[(&str, &str)]) -> Vec<String> {
    ids_of(&engine(), pairs)
}

/// Ids of the hits of a search given as URL query pairs over `engine`, in order.
pub fn ids_of(engine: &dyn paragraf_query::SearchEngine, pairs: &[(&str, &str)]) -> Vec<String> {
    let req =
        paragraf_query::SearchRequest::from_pairs(pairs.iter().copied()).expect("valid request");
    engine
        .search(&req)
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

/// A copy of `index-data/` under `tmp` (`archive`) indexed into `index` by `paragraf index`:
/// (archive, index).
pub fn indexed_copy_of_index_data(tmp: &Path) -> (PathBuf, PathBuf) {
    let archive = tmp.join("archive");
    let idx = tmp.join("index");
    copy_dir(&index_data(), &archive);
    let (_, err, code) = cli::index(&archive, &idx);
    assert_eq!(code, 0, "{err}");
    (archive, idx)
}
