//! Hardening from the red-team run (issue #17), the files and the index: a deeply nested file
//! is skipped by name and the rest indexed, two spellings of one archive are one archive, and
//! the words of deleted items steer no typo match.

use std::path::Path;

use paragraf_indexer::format::sample;
use paragraf_query::Engine;
use paragraf_query::SearchRequest;

use crate::util::cli::paragraf;

/// Runs `paragraf index ARCHIVE --index INDEX` from `dir`: (stdout, stderr, exit code).
fn index_from(dir: &Path, archive: &Path, index: &Path) -> (String, String, i32) {
    let output = paragraf()
        .current_dir(dir)
        .arg("index")
        .arg(archive)
        .arg("--index")
        .arg(index)
        .output()
        .expect("run paragraf index");
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output
            .status
            .code()
            .expect("paragraf index exited by a signal"),
    )
}

#[test]
fn a_deeply_nested_file_is_skipped_by_name_and_the_rest_indexed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = dir.path().join("arkiv");
    std::fs::create_dir(&archive).expect("mkdir");
    std::fs::write(
        archive.join("ks-2024-01-10.txt"),
        " • Elin Ring föredrar budgeten.\n",
    )
    .expect("write");
    let docx = sample::docx_nested(20_000, "Djupt").expect("docx");
    assert!(docx.len() < 8 * 1024, "{} bytes", docx.len());
    std::fs::write(archive.join("djup.docx"), docx).expect("write");
    let page = format!(
        "<html><body>{}Djupt{}</body></html>",
        "<div>".repeat(50_000),
        "</div>".repeat(50_000)
    );
    std::fs::write(archive.join("djup.html"), page).expect("write");
    let index = dir.path().join("index");
    let started = std::time::Instant::now();
    let (stdout, stderr, code) = index_from(dir.path(), &archive, &index);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(code, 1, "a skipped file sets the exit code\n{stderr}");
    for (file, reason) in [
        (
            "djup.docx",
            "DOCX word/document.xml nests elements more than 512 deep; no minutes draft does",
        ),
        (
            "djup.html",
            "HTML nests elements more than 512 deep; no minutes page does",
        ),
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(file) && l.contains(reason)),
            "{file}: {reason}\n{stderr}"
        );
    }
    assert!(
        stdout.starts_with("built a new index (no index yet): 3 files, 1 items, 2 files skipped"),
        "{stdout}"
    );
    // And the next run is not stopped by them either.
    let (stdout, _, code) = index_from(dir.path(), &archive, &index);
    assert_eq!(code, 1);
    assert!(stdout.contains("unchanged 1, skipped 2"), "{stdout}");
}

#[test]
fn relative_and_absolute_spellings_are_one_archive() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = dir.path().join("arkiv");
    std::fs::create_dir(&archive).expect("mkdir");
    std::fs::write(archive.join("a.txt"), " • Ett.\n\n • Två.\n").expect("write");
    let index = dir.path().join("index");
    let (_, stderr, code) = index_from(dir.path(), Path::new("arkiv"), Path::new("index"));
    assert_eq!(code, 0, "{stderr}");
    let source = |index: &Path| {
        let engine = Engine::open(index).expect("opens");
        let view = engine
            .item("a.01", paragraf_query::Access::Public)
            .expect("the item");
        serde_json::json!(view.item.meeting.source)
    };
    let relative = source(&index);
    let (stdout, stderr, code) = index_from(dir.path(), &archive, &index);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("added 0 files, changed 0, removed 0 (0 items out), unchanged 1"),
        "{stdout}"
    );
    assert_eq!(source(&index), relative);
    let real = std::fs::canonicalize(archive.join("a.txt")).expect("canonical");
    assert_eq!(relative, serde_json::json!(real.display().to_string()));
}

#[test]
fn words_of_deleted_items_steer_no_typo() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = dir.path().join("arkiv");
    std::fs::create_dir(&archive).expect("mkdir");
    std::fs::write(archive.join("a.txt"), " • Kulturhuset byggs om.\n").expect("write");
    std::fs::write(archive.join("b.txt"), " • Budgeten antas.\n").expect("write");
    let index = dir.path().join("index");
    let search = |q: &str| {
        let engine = Engine::open(&index).expect("opens");
        let req = SearchRequest::from_pairs([("q", q)]).expect("request");
        let found = engine.search(&req).expect("search");
        (found.total, found.did_you_mean)
    };
    assert_eq!(index_from(dir.path(), &archive, &index).2, 0);
    assert_eq!(search("kulturhuzet"), (1, Some("kulturhuset".to_string())));
    std::fs::remove_file(archive.join("a.txt")).expect("remove");
    let (stdout, _, code) = index_from(dir.path(), &archive, &index);
    assert_eq!(code, 0);
    assert!(stdout.contains("removed 1 (1 items out)"), "{stdout}");
    assert_eq!(search("kulturhuzet"), (0, None));
    // The word left is still corrected to.
    assert_eq!(search("budgetem").1, Some("budgeten".to_string()));
}
