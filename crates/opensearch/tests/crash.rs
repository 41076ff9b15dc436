//! An incremental update stopped at every point (issue #21): the update runs through a proxy
//! that passes the first `k` requests to the cluster and then fails every request, either
//! before sending it on or after the cluster applied it (the answer lost), for every `k` the
//! update makes; a rerun straight to the cluster must then leave exactly the archive's items,
//! each of its file's current version, and a further run must find nothing to do.
//!
//! The cluster's URL comes from `PARAGRAF_OPENSEARCH_URL` (see `cluster.rs`); without it this
//! test fails with the command that starts one.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use paragraf_opensearch::client::Method;
use paragraf_opensearch::{Client, ClusterConfig, IndexSettings, Indexer};
use serde_json::json;

const ALIAS: &str = "paragraf-crash";

fn cluster_url() -> String {
    match std::env::var("PARAGRAF_OPENSEARCH_URL") {
        Ok(url) if !url.trim().is_empty() => url.split(',').next().unwrap_or_default().to_string(),
        _ => panic!(
            "PARAGRAF_OPENSEARCH_URL is not set: this test needs a real OpenSearch cluster. \
             Start one with `url=\"$(scripts/opensearch-cluster start)\"` and run \
             `PARAGRAF_OPENSEARCH_URL=\"$url\" cargo test -p paragraf-opensearch`, or run scripts/test"
        ),
    }
}

fn config(url: &str) -> ClusterConfig {
    let mut config = ClusterConfig::from_urls(&[url]).expect("valid URL");
    config.index = ALIAS.to_string();
    config.timeout = Duration::from_secs(30);
    config
}

/// How the proxy fails once its requests are used up.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cut {
    /// The request never reaches the cluster.
    Before,
    /// The cluster applies the request; its answer is replaced by a failure.
    AfterSend,
}

/// Reads one HTTP message: its head and its body (by `Content-Length`, or chunked), as the
/// bytes to pass on; `None` at the end of the connection.
fn read_message(reader: &mut BufReader<TcpStream>) -> Option<Vec<u8>> {
    let mut message = Vec::new();
    let mut length = 0;
    let mut chunked = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse().expect("a Content-Length");
        }
        if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
        message.extend_from_slice(line.as_bytes());
        if line == "\r\n" {
            break;
        }
    }
    if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).ok()?;
            message.extend_from_slice(size.as_bytes());
            let n = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
            // The chunk and its CRLF; after the last (empty) chunk, the final CRLF.
            let mut chunk = vec![0; n + 2];
            reader.read_exact(&mut chunk).ok()?;
            message.extend_from_slice(&chunk);
            if n == 0 {
                return Some(message);
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    message.extend_from_slice(&body);
    Some(message)
}

/// A proxy to `upstream` that passes `limit` requests and fails the rest as `cut` says;
/// returns its URL and the count of requests it was sent.
fn proxy(upstream: &str, limit: usize, cut: Cut) -> (String, Arc<AtomicUsize>) {
    let target = upstream
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = requests.clone();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { break };
            let (target, seen) = (target.clone(), seen.clone());
            std::thread::spawn(move || {
                let mut from_client = BufReader::new(client.try_clone().expect("clone"));
                let mut to_client = client;
                let server = TcpStream::connect(&target).expect("the cluster");
                let mut from_server = BufReader::new(server.try_clone().expect("clone"));
                let mut to_server = server;
                while let Some(request) = read_message(&mut from_client) {
                    let n = seen.fetch_add(1, Ordering::SeqCst);
                    let pass = n < limit;
                    let mut answer = None;
                    if pass || cut == Cut::AfterSend {
                        to_server.write_all(&request).expect("to the cluster");
                        answer =
                            Some(read_message(&mut from_server).expect("the cluster's answer"));
                    }
                    let answer = match answer {
                        Some(answer) if pass => answer,
                        _ => {
                            let body = format!(
                                r#"{{"error":{{"reason":"injected failure at request {}"}},"status":400}}"#,
                                n + 1
                            );
                            format!("HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}", body.len()).into_bytes()
                        }
                    };
                    if to_client.write_all(&answer).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, requests)
}

/// Minutes of one meeting with `items` items, the last naming `word`.
fn minutes(dir: &Path, day: u32, items: u32, word: &str) {
    let mut text = format!("Protokoll\nByggnadsnämnden\nDatum: 2024-05-{day:02}\n\n");
    for k in 1..=items {
        text.push_str(&format!(
            "§ {k} Bygglov {k}\n\nNämnden beslutar att bevilja bygglov {k} för tillbyggnad av förrådet.\n\n"
        ));
    }
    text.push_str(&format!(
        "§ {} Övrigt\n\nOrdföranden tar upp {word}.\n",
        items + 1
    ));
    std::fs::write(dir.join(format!("bygg-2024-05-{day:02}.txt")), text).expect("write minutes");
}

/// The archive before the update: six meetings.
fn old_archive(dir: &Path) {
    for entry in std::fs::read_dir(dir).expect("archive") {
        std::fs::remove_file(entry.expect("entry").path()).expect("clear");
    }
    for day in 1..=6 {
        minutes(dir, day, 12, "parkeringen");
    }
}

/// The update: three meetings more, one shorter and changed, one gone.
fn new_archive(dir: &Path) {
    for day in 7..=9 {
        minutes(dir, day, 12, "parkeringen");
    }
    minutes(dir, 1, 5, "cykelbanan");
    std::fs::remove_file(dir.join("bygg-2024-05-02.txt")).expect("remove");
}

/// (id, file_version) of every item the archive holds.
fn expected(dir: &Path) -> BTreeSet<(String, String)> {
    let archive = paragraf_indexer::archive::parse_paths(&[dir.to_path_buf()]).expect("parse");
    let mut items = archive.items.iter();
    let mut out = BTreeSet::new();
    for file in &archive.files {
        for item in items.by_ref().take(file.items) {
            out.insert((
                item.id.clone(),
                format!("{}\u{1f}{}", file.key, file.fingerprint),
            ));
        }
    }
    out
}

/// (id, file_version) of every item in the index.
fn indexed(client: &Client) -> BTreeSet<(String, String)> {
    client
        .ok(Method::Post, &format!("/{ALIAS}/_refresh"), None)
        .expect("refresh");
    let body = json!({"size": 10000, "_source": ["id", "file_version"], "sort": [{"id": "asc"}]});
    let found = client
        .ok(Method::Post, &format!("/{ALIAS}/_search"), Some(&body))
        .expect("search");
    found["hits"]["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            let s = &h["_source"];
            (
                s["id"].as_str().expect("id").to_string(),
                s["file_version"]
                    .as_str()
                    .expect("file_version")
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn an_update_stopped_at_any_request_is_finished_by_the_next_run() {
    let url = cluster_url();
    let direct = config(&url);
    let client = Client::new(&direct);
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    std::fs::create_dir(&archive).expect("archive");
    let roots = [archive.clone()];
    let settings = IndexSettings {
        shards: 2,
        replicas: 1,
    };
    let plan = || paragraf_indexer::archive::plan(&roots).expect("plan");

    // A clean update through the proxy counts its requests.
    old_archive(&archive);
    Indexer::new(&direct, settings)
        .rebuild(&plan(), &|_, _| {})
        .expect("build");
    new_archive(&archive);
    let (proxied, requests) = proxy(&url, usize::MAX, Cut::Before);
    let clean = Indexer::new(&config(&proxied), settings)
        .update(&plan(), &roots, &|_, _| {})
        .expect("a clean update");
    assert_eq!(
        (clean.added.len(), clean.changed.len(), clean.removed.len()),
        (3, 1, 1)
    );
    assert_eq!(indexed(&client), expected(&archive));
    let total = requests.load(Ordering::SeqCst);
    assert!(total >= 8, "a clean update makes {total} requests");

    for k in 0..total {
        let cut = if k % 2 == 0 {
            Cut::Before
        } else {
            Cut::AfterSend
        };
        old_archive(&archive);
        Indexer::new(&direct, settings)
            .rebuild(&plan(), &|_, _| {})
            .expect("build");
        new_archive(&archive);
        let (proxied, _) = proxy(&url, k, cut);
        let stopped = Indexer::new(&config(&proxied), settings).update(&plan(), &roots, &|_, _| {});
        assert!(
            stopped.is_err(),
            "k = {k}: the update stopped by the proxy reported success"
        );
        // Now and then the archive changes again before the rerun: a file the stopped run
        // added is gone.
        if k % 3 == 2 {
            std::fs::remove_file(archive.join("bygg-2024-05-08.txt")).expect("remove");
        }
        let rerun = Indexer::new(&direct, settings)
            .update(&plan(), &roots, &|_, _| {})
            .unwrap_or_else(|e| panic!("k = {k} ({cut:?}): the rerun failed: {e}"));
        let want = expected(&archive);
        assert_eq!(rerun.items, want.len() as u64, "k = {k} ({cut:?})");
        assert_eq!(indexed(&client), want, "k = {k} ({cut:?})");
        let again = Indexer::new(&direct, settings)
            .update(&plan(), &roots, &|_, _| {})
            .expect("a third run");
        assert_eq!(
            (
                again.added.len(),
                again.changed.len(),
                again.removed.len(),
                again.rebuilt
            ),
            (0, 0, 0, None),
            "k = {k} ({cut:?}): the rerun left work undone"
        );
    }
}
