//! Helpers shared by the integration tests, one place each: where the sample archive is and
//! how to copy or write minutes (here), running the binary (`cli`), the index of `index-data/`
//! built once (`index`), and HTTP, through the router or over a socket (`http`).

pub mod cli;
pub mod http;
pub mod index;

use std::path::{Path, PathBuf};

/// The repository root, where `index-data/` lives.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sample archive `index-data/` (read-only: tests needing other text write it inline).
pub fn index_data() -> PathBuf {
    repo_root().join("index-data")
}

/// Copies a directory tree (links stay links).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the copy");
    for entry in std::fs::read_dir(from).expect("read the directory") {
        let entry = entry.expect("directory entry");
        let target = to.join(entry.file_name());
        let kind = entry.file_type().expect("file type");
        if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else if kind.is_symlink() {
            let link = std::fs::read_link(entry.path()).expect("read link");
            std::os::unix::fs::symlink(link, &target).expect("copy link");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Writes a minutes file, creating its directory.
pub fn write_file(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create the directory");
    }
    std::fs::write(path, text).expect("write a minutes file");
}

/// A snippet with its `<mark>` tags removed, to check that nothing else is raw HTML.
pub fn without_marks(snippet: &str) -> String {
    snippet.replace("<mark>", "").replace("</mark>", "")
}
