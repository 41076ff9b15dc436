//! One of three nodes killed (`kill -9`) while searches and an index update run (issue #21):
//! no search fails beyond a bounded retry, no item is lost (counts checked after the update and
//! after the node's return), and the node comes back.
//!
//! A test binary of its own, so that the kill does not disturb the other cluster tests (test
//! binaries run one after the other). It needs the test cluster of
//! `scripts/opensearch-cluster` (it kills node 2 by the pid the script reports and starts it
//! again) at `PARAGRAF_OPENSEARCH_URL`; `scripts/test` starts it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use paragraf_opensearch::client::Method;
use paragraf_opensearch::{Client, ClusterConfig, IndexSettings, Indexer, OpenSearchEngine};
use paragraf_query::SearchEngine;
use paragraf_query::SearchRequest;

const ALIAS: &str = "paragraf-faults";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn config() -> ClusterConfig {
    let url = match std::env::var("PARAGRAF_OPENSEARCH_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "PARAGRAF_OPENSEARCH_URL is not set: this test needs the 3-node test cluster. \
             Start it with `url=\"$(scripts/opensearch-cluster start)\"` and run \
             `PARAGRAF_OPENSEARCH_URL=\"$url\" cargo test -p paragraf-opensearch`, or run scripts/test"
        ),
    };
    let mut config = ClusterConfig::from_urls(&[url]).expect("valid PARAGRAF_OPENSEARCH_URL");
    config.index = ALIAS.to_string();
    config.timeout = Duration::from_secs(30);
    config
}

fn cluster(args: &[&str]) -> String {
    let output = Command::new(repo().join("scripts/opensearch-cluster"))
        .args(args)
        .output()
        .expect("run scripts/opensearch-cluster");
    assert!(
        output.status.success(),
        "scripts/opensearch-cluster {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// Minutes of one meeting with `items` numbered items, one of them naming `word`.
fn minutes(dir: &Path, day: u32, items: u32, word: &str) {
    let mut text = format!("Protokoll\nSocialnämnden\nDatum: 2024-03-{day:02}\n\n");
    for k in 1..=items {
        text.push_str(&format!(
            "§ {k} Rapport {k}\n\nNämnden beslutar att godkänna rapport {k} om vården i kommunen och lägga den till handlingarna.\n\n"
        ));
    }
    text.push_str(&format!(
        "§ {} Övrigt\n\nOrdföranden tar upp {word}.\n",
        items + 1
    ));
    std::fs::write(
        dir.join(format!("socialnamnden-2024-03-{day:02}.txt")),
        text,
    )
    .expect("write minutes");
}

fn items_of(dir: &Path) -> u64 {
    paragraf_indexer::archive::parse_paths(&[dir.to_path_buf()])
        .expect("parse")
        .items
        .len() as u64
}

fn green(client: &Client) {
    client
        .ok(
            Method::Get,
            "/_cluster/health?wait_for_status=green&wait_for_nodes=3&timeout=120s",
            None,
        )
        .expect("the cluster turns green with 3 nodes");
}

#[test]
fn a_node_killed_during_searches_and_an_update_loses_nothing() {
    let config = config();
    let client = Client::new(&config);
    green(&client);
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    std::fs::create_dir(&archive).expect("archive");
    for day in 1..=10 {
        minutes(&archive, day, 40, "parkeringen");
    }
    let roots = [archive.clone()];
    let indexer = Indexer::new(
        &config,
        IndexSettings {
            shards: 3,
            replicas: 1,
        },
    );
    let plan = paragraf_indexer::archive::plan(&roots).expect("plan");
    let built = indexer.rebuild(&plan, &|_, _| {}).expect("build");
    assert_eq!(built.items, items_of(&archive));
    green(&client);

    // The update: 18 meetings more, one changed, one gone.
    for day in 11..=28 {
        minutes(&archive, day, 40, "parkeringen");
    }
    minutes(&archive, 1, 40, "cykelbanan");
    std::fs::remove_file(archive.join("socialnamnden-2024-03-02.txt")).expect("remove");
    let expected = items_of(&archive);

    let engine = Arc::new(OpenSearchEngine::new(&config));
    let stop = Arc::new(AtomicBool::new(false));
    let (ok, failed, retried) = (
        Arc::new(AtomicU64::new(0)),
        Arc::new(AtomicU64::new(0)),
        Arc::new(AtomicU64::new(0)),
    );
    let searcher = {
        let (engine, stop, ok, failed, retried) = (
            engine.clone(),
            stop.clone(),
            ok.clone(),
            failed.clone(),
            retried.clone(),
        );
        std::thread::spawn(move || {
            let req = SearchRequest::new("rapport vården");
            while !stop.load(Ordering::Relaxed) {
                // A bounded retry: three tries, half a second apart.
                let mut result = engine.search(&req);
                for _ in 0..2 {
                    if result.is_ok() {
                        break;
                    }
                    retried.fetch_add(1, Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(500));
                    result = engine.search(&req);
                }
                match result {
                    Ok(found) if found.total > 0 => ok.fetch_add(1, Ordering::Relaxed),
                    _ => failed.fetch_add(1, Ordering::Relaxed),
                };
            }
        })
    };
    let updater = {
        let (config, roots) = (config.clone(), roots.clone());
        std::thread::spawn(move || {
            let plan = paragraf_indexer::archive::plan(&roots).expect("plan");
            Indexer::new(&config, IndexSettings::default()).update(&plan, &roots, &|_, _| {})
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    let update_running_at_kill = !updater.is_finished();
    let pid = cluster(&["pid", "2"]);
    let killed = Command::new("kill")
        .args(["-9", &pid])
        .status()
        .expect("kill -9");
    assert!(killed.success(), "kill -9 {pid}");
    let report = updater
        .join()
        .expect("the update thread")
        .expect("the update survives the kill");
    std::thread::sleep(Duration::from_secs(2));
    stop.store(true, Ordering::Relaxed);
    searcher.join().expect("the search thread");
    eprintln!(
        "update still running at the kill: {update_running_at_kill}; searches: {} ok, {} failed after retries, {} retried; update: {} added, {} changed, {} removed, {} bulk retries",
        ok.load(Ordering::Relaxed),
        failed.load(Ordering::Relaxed),
        retried.load(Ordering::Relaxed),
        report.added.len(),
        report.changed.len(),
        report.removed.len(),
        report.retried
    );
    assert_eq!(
        failed.load(Ordering::Relaxed),
        0,
        "no search fails beyond the retry"
    );
    assert!(ok.load(Ordering::Relaxed) > 0);
    assert_eq!(
        (
            report.added.len(),
            report.changed.len(),
            report.removed.len()
        ),
        (18, 1, 1)
    );
    assert_eq!(
        report.items, expected,
        "items after the update, with a node down"
    );

    // The node comes back; nothing is lost.
    cluster(&["start"]);
    green(&client);
    assert_eq!(
        engine
            .health(paragraf_query::Access::Internal)
            .expect("health")
            .items,
        expected
    );
    let found = engine
        .search(&SearchRequest::new("cykelbanan"))
        .expect("search");
    assert_eq!(found.total, 1);
    let parking = engine
        .search(&SearchRequest::new("parkeringen"))
        .expect("search");
    // 28 meetings, one gone, one changed to another word.
    assert_eq!(parking.total, 26);
}
