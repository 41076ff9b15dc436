//! Reliability (issue #9): incremental `paragraf index` runs, an index killed mid-run, a
//! running `paragraf serve` picking up commits, SIGTERM, an index of an older schema, and
//! hostile HTTP requests. The served index and its client are in `util::http`.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use paragraf_query::Engine;
use paragraf_query::SearchRequest;
use paragraf_server::{router, AppState, HttpConfig};
use serde_json::{json, Value};

use crate::util::cli::{index, paragraf, parse_items};
use crate::util::http::{get_json, Client, Server};
use crate::util::index::{engine, ids_of, indexed_copy_of_index_data};
use crate::util::{copy_dir, index_data, without_marks, write_file};

// ---------------------------------------------------------------------------------------------
// Helpers

/// Every item id in the index, sorted (listed page by page through the search engine).
fn index_ids(index: &Path) -> Vec<String> {
    let engine = Engine::open(index).expect("the index opens");
    let total = engine.health(paragraf_query::Access::Internal).items;
    let mut ids = Vec::new();
    for offset in (0..total).step_by(100) {
        let offset = offset.to_string();
        let req = SearchRequest::from_pairs([("limit", "100"), ("offset", offset.as_str())])
            .expect("a listing");
        ids.extend(
            engine
                .search(&req)
                .expect("list")
                .hits
                .into_iter()
                .map(|h| h.id),
        );
    }
    ids.sort();
    ids
}

/// The item ids `paragraf parse` gives for some paths, sorted: what the index should hold.
fn parse_ids(path: &Path) -> Vec<String> {
    let (items, stderr, code) = parse_items([path]);
    assert_eq!(
        code,
        0,
        "{} parses without skipped files: {stderr}",
        path.display()
    );
    let mut ids: Vec<String> = items
        .iter()
        .map(|i| i["id"].as_str().expect("id").to_string())
        .collect();
    ids.sort();
    ids
}

/// Ids of the hits of `q` in the index, in order.
fn search_ids(index: &Path, q: &str) -> Vec<String> {
    let engine = Engine::open(index).expect("the index opens");
    ids_of(&engine, &[("q", q)])
}

/// Number of minutes files `paragraf index` finds under `archive`.
fn file_count(archive: &Path) -> usize {
    paragraf_indexer::archive::plan(&[archive.to_path_buf()])
        .expect("plan")
        .jobs
        .len()
}

// ---------------------------------------------------------------------------------------------
// Incremental indexing

#[test]
fn incremental_index_adds_changes_removes_and_skips_unchanged_files() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let archive = tmp.path().join("archive");
    let idx = tmp.path().join("index");
    copy_dir(&index_data(), &archive);
    let files = file_count(&archive);
    let before = parse_ids(&archive);

    let (out, err, code) = index(&archive, &idx);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "built a new index (no index yet): {files} files, {} items, 0 files skipped",
            before.len()
        )
    );
    assert!(
        lines[1].starts_with(&format!(
            "index at {}: {} items, {files} meetings (",
            idx.display(),
            before.len()
        )),
        "{out}"
    );
    assert_eq!(index_ids(&idx), before, "the index holds what parse gives");

    // A new file, a changed file (one more item) and a removed file.
    let changed = archive.join("excerpts/svom-2020-11-06.txt");
    let removed = archive.join("excerpts/hsn-2022-01-20.txt");
    let changed_before = parse_ids(&changed);
    let removed_ids = parse_ids(&removed);
    assert!(!changed_before.is_empty() && !removed_ids.is_empty());
    write_file(
        &archive.join("ks-2024-03-01.txt"),
        " • Ordföranden Elin Ring öppnar mötet och hälsar alla välkomna.\n\n \
         • Kommunchefen informerar om bygget av Lindormsbron över älven i Krokom.\n",
    );
    let mut text = std::fs::read_to_string(&changed).expect("read");
    text.push_str("\n • Nytt ärende: vattenledningen i Brunflo ska bytas ut under våren.\n");
    std::fs::write(&changed, text).expect("change a file");
    std::fs::remove_file(&removed).expect("remove a file");
    let changed_after = parse_ids(&changed);
    assert_eq!(changed_after.len(), changed_before.len() + 1);
    let after = parse_ids(&archive);

    let (out, err, code) = index(&archive, &idx);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "added 1 files, changed 1, removed 1 ({} items out), unchanged {}, skipped 0; {} items in",
            changed_before.len() + removed_ids.len(),
            files - 2,
            2 + changed_after.len()
        )
    );
    assert!(
        lines[1].starts_with(&format!(
            "index at {}: {} items, {files} meetings (",
            idx.display(),
            after.len()
        )),
        "{out}"
    );
    let ids = index_ids(&idx);
    assert_eq!(
        ids, after,
        "the index holds what parse gives after the change"
    );
    assert!(
        ids.contains(&"ks-2024-03-01.01".to_string())
            && ids.contains(&"ks-2024-03-01.02".to_string())
    );
    assert!(
        removed_ids.iter().all(|id| !ids.contains(id)),
        "the removed file's items are gone"
    );
    assert!(
        changed_after.iter().all(|id| ids.contains(id)),
        "the changed file's new items are in"
    );
    assert_eq!(
        search_ids(&idx, "lindormsbron"),
        vec!["ks-2024-03-01.02"],
        "the new file is searchable"
    );
    assert_eq!(
        search_ids(&idx, "vattenledningen Brunflo"),
        vec![changed_after.last().expect("an item").clone()],
        "the changed file's new text is searchable"
    );

    // Nothing changed: nothing is parsed or committed.
    let (out, err, code) = index(&archive, &idx);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.lines().next(),
        Some(
            format!(
                "added 0 files, changed 0, removed 0 (0 items out), unchanged {files}, skipped 0; 0 items in"
            )
            .as_str()
        )
    );
    assert_eq!(index_ids(&idx), after);
}

// ---------------------------------------------------------------------------------------------
// kill -9 in the middle of an index run

/// Writes `count` generated minutes files, from number `first` on: a few agenda items of
/// plausible Swedish each, body and date in the file name.
fn generate(archive: &Path, first: usize, count: usize) {
    const NAMES: [&str; 6] = [
        "Elin Ring",
        "Jan Persson",
        "Ingela Jönsson",
        "Anna Frisk",
        "Lars Berglund",
        "Maria Sundin",
    ];
    const PLACES: [&str; 6] = ["Krokom", "Östersund", "Åre", "Berg", "Ragunda", "Strömsund"];
    const TOPICS: [&str; 8] = [
        "hemtjänstens bemanning",
        "vattenledningen längs Storsjön",
        "budgeten för äldreomsorgen",
        "skolskjutsarna i glesbygden",
        "samverkan kring barn och unga",
        "vaccinationerna mot influensa",
        "renoveringen av simhallen",
        "bredbandsutbyggnaden på landsbygden",
    ];
    const BODIES: [&str; 4] = ["kommunstyrelsen", "socialnamnden", "byggnamnden", "svom"];
    for n in first..first + count {
        let (year, rest) = (2010 + n / 300, n % 300);
        let name = format!(
            "{}-{year}-{:02}-{:02}.txt",
            BODIES[n % BODIES.len()],
            rest / 25 + 1,
            rest % 25 + 1
        );
        let mut text = String::new();
        for k in 0..5 {
            let pick =
                |list: &[&'static str], salt: usize| list[(n * 7 + k * 3 + salt) % list.len()];
            text.push_str(&format!(
                " • {} föredrar ärendet om {}. Representanter för {} kommun berättar hur arbetet går \
                 och vilka frågor som återstår inför nästa möte. Ledamöterna beslutar att ärendet \
                 tas upp igen i höst och att {} ska få en återkoppling.\n\n",
                pick(&NAMES, 0),
                pick(&TOPICS, 1),
                pick(&PLACES, 2),
                pick(&PLACES, 5),
            ));
        }
        write_file(&archive.join(name), &text);
    }
}

#[test]
#[allow(
    clippy::print_stdout,
    reason = "how many kills landed mid-run is worth seeing"
)]
fn index_killed_at_any_moment_keeps_the_old_or_the_new_state() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let archive = tmp.path().join("archive");
    let idx = tmp.path().join("index");
    generate(&archive, 0, 30);
    let (_, err, code) = index(&archive, &idx);
    assert_eq!(code, 0, "{err}");
    let old = Engine::open(&idx)
        .expect("opens")
        .health(paragraf_query::Access::Internal)
        .items;
    assert_eq!(old, 150);

    // 60 more files; how long does adding them take (on a copy of the index)?
    generate(&archive, 30, 60);
    let probe = tmp.path().join("probe");
    copy_dir(&idx, &probe);
    let backup = tmp.path().join("backup");
    copy_dir(&idx, &backup);
    let started = Instant::now();
    let (out, err, code) = index(&archive, &probe);
    let run = started.elapsed();
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("added 60 files, changed 0, removed 0 (0 items out), unchanged 30"),
        "{out}"
    );
    let new = Engine::open(&probe)
        .expect("opens")
        .health(paragraf_query::Access::Internal)
        .items;
    assert_eq!(new, 450);

    let mut killed_mid_run = 0;
    for (k, fraction) in [0.05, 0.25, 0.45, 0.65, 0.85, 0.92, 0.97, 1.02]
        .into_iter()
        .enumerate()
    {
        let mut child = paragraf()
            .arg("index")
            .arg(&archive)
            .arg("--index")
            .arg(&idx)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start paragraf index");
        std::thread::sleep(run.mul_f64(fraction));
        if child.try_wait().expect("poll").is_none() {
            killed_mid_run += 1;
        }
        // SIGKILL on Unix: no destructor, no signal handler runs.
        child.kill().expect("kill -9");
        child.wait().expect("reap");
        let engine = Engine::open(&idx).unwrap_or_else(|e| {
            panic!("kill {k} at {fraction} of the run: the index does not open: {e}")
        });
        let items = engine.health(paragraf_query::Access::Internal).items;
        assert!(
            items == old || items == new,
            "kill {k} at {fraction} of the run: {items} items, neither the old {old} nor the new {new}"
        );
        let req = SearchRequest::from_pairs([("q", "hemtjänstens bemanning")]).expect("search");
        assert!(engine.search(&req).expect("search answers").total > 0);
        drop(engine);
        if items == new {
            // The run finished before the kill: start the next one from the old state again.
            std::fs::remove_dir_all(&idx).expect("remove the index");
            copy_dir(&backup, &idx);
        }
    }
    println!(
        "paragraf index ({} ms) killed mid-run {killed_mid_run} times of 8",
        run.as_millis()
    );
    // Timing varies on a busy machine; the early kills always land mid-run.
    assert!(
        killed_mid_run >= 2,
        "only {killed_mid_run} of 8 kills landed during a run"
    );

    // The next run completes the work.
    let (out, err, code) = index(&archive, &idx);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("unchanged"), "{out}");
    let ids = index_ids(&idx);
    assert_eq!(ids.len() as u64, new);
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "no item is in twice");
    assert_eq!(
        index_ids(&probe),
        ids,
        "the same items as an uninterrupted run"
    );
}

// ---------------------------------------------------------------------------------------------
// A running server

#[test]
fn serve_picks_up_a_commit_without_restart() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (archive, idx) = indexed_copy_of_index_data(tmp.path());
    let server = Server::start(&idx);
    let (_, health) = get_json(server.addr, "/health");
    let items = health["items"].as_u64().expect("items");
    let meetings = health["meetings"].as_u64().expect("meetings");
    let (_, found) = get_json(server.addr, "/api/search?q=lindormsbron");
    assert_eq!(found["total"], 0);

    let wait_for_items = |want: u64| {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (status, health) = get_json(server.addr, "/health");
            assert_eq!(status, 200);
            if health["items"] != items || Instant::now() > deadline {
                return health;
            }
            if want == items {
                return health;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    };

    write_file(
        &archive.join("ks-2024-03-01.txt"),
        " • Ordföranden Elin Ring öppnar mötet.\n\n \
         • Kommunchefen informerar om bygget av Lindormsbron i Krokom.\n",
    );
    let (out, err, code) = index(&archive, &idx);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("added 1 files, changed 0, removed 0 (0 items out)"),
        "{out}"
    );
    let health = wait_for_items(items + 2);
    assert_eq!(
        health["items"],
        items + 2,
        "the server serves the new commit within 10 s"
    );
    assert_eq!(health["meetings"], meetings + 1);
    let (status, found) = get_json(server.addr, "/api/search?q=lindormsbron");
    assert_eq!(status, 200);
    assert_eq!(found["total"], 1);
    assert_eq!(found["hits"][0]["id"], "ks-2024-03-01.02");
    let (status, item) = get_json(server.addr, "/api/items/ks-2024-03-01.01");
    assert_eq!(
        (status, &item["id"]),
        (200, &json!("ks-2024-03-01.01")),
        "{item}"
    );

    // And a removal.
    std::fs::remove_file(archive.join("ks-2024-03-01.txt")).expect("remove");
    let (_, err, code) = index(&archive, &idx);
    assert_eq!(code, 0, "{err}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while get_json(server.addr, "/health").1["items"] != items && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(get_json(server.addr, "/health").1["items"], items);
    let (status, gone) = get_json(server.addr, "/api/items/ks-2024-03-01.01");
    assert_eq!((status, &gone["code"]), (404, &json!("item_not_found")));
}

#[test]
fn sigterm_stops_serve_with_exit_code_0() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let idx = tmp.path().join("index");
    let (_, err, code) = index(&index_data(), &idx);
    assert_eq!(code, 0, "{err}");
    let mut server = Server::start(&idx);
    // A browser keeps its connection open after a request; that must not hold up shutdown.
    let mut idle = Client::new(server.addr);
    assert_eq!(idle.get("/api/search?q=munskydd").expect("search").0, 200);
    let kill = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(server.pid().to_string())
        .status()
        .expect("run kill");
    assert!(kill.success());
    assert_eq!(
        server.wait_exit(Duration::from_secs(5)),
        Some(Some(0)),
        "paragraf serve exits with 0 within 5 s of SIGTERM"
    );
    drop(idle);
}

// ---------------------------------------------------------------------------------------------
// An index of an older Paragraf

#[test]
fn index_of_an_older_schema_is_refused_then_rebuilt() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let idx = tmp.path().join("index");
    let (_, err, code) = index(&index_data(), &idx);
    assert_eq!(code, 0, "{err}");
    make_schema_version_1(&idx);

    let search = || {
        paragraf()
            .args(["search", "munskydd", "--index"])
            .arg(&idx)
            .output()
            .expect("run paragraf search")
    };
    let refused = search();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("built with schema version 1, this Paragraf reads version")
            && stderr.contains("rebuild it with `paragraf index`"),
        "{stderr}"
    );
    assert_eq!(
        String::from_utf8_lossy(&refused.stdout),
        "",
        "nothing on stdout"
    );

    let (out, err, code) = index(&index_data(), &idx);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(
            "built a new index (built with schema version 1, this Paragraf reads version "
        ),
        "{out}"
    );
    let searched = search();
    assert_eq!(searched.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&searched.stdout).contains("svom-2020-12-04.15"));
}

/// Makes an index look like an older Paragraf's: the same commit, schema version 1 in its
/// payload.
fn make_schema_version_1(idx: &Path) {
    let meta_path = idx.join("current/meta.json");
    let mut meta: Value =
        serde_json::from_slice(&std::fs::read(&meta_path).expect("read meta.json")).expect("JSON");
    let mut payload: Value =
        serde_json::from_str(meta["payload"].as_str().expect("a payload")).expect("payload JSON");
    payload["schema_version"] = json!(1);
    meta["payload"] = json!(payload.to_string());
    std::fs::write(&meta_path, meta.to_string()).expect("write meta.json");
}

#[test]
fn serve_builds_an_index_of_an_older_schema_anew_from_the_archive() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let idx = tmp.path().join("index");
    let (_, err, code) = index(&index_data(), &idx);
    assert_eq!(code, 0, "{err}");
    make_schema_version_1(&idx);
    // The main job (`scripts/run`) serves with the default archive, index-data/.
    let server = Server::start(&idx);
    let (status, body) = Client::new(server.addr)
        .get("/api/search?q=munskydd&limit=100")
        .expect("search");
    assert_eq!(status, 200, "{body}");
    let body: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(body["total"], 3, "{body}");
    let (_, health) = Client::new(server.addr).get("/health").expect("health");
    let health: Value = serde_json::from_str(&health).expect("JSON");
    assert_eq!(health["items"], 136);
}

// ---------------------------------------------------------------------------------------------
// Hostile HTTP requests, through the real router

/// Sends a request to `app` and returns the status, the content type and the body.
async fn send(app: &axum::Router, request: Request<Body>) -> (StatusCode, String, String) {
    let reply = crate::util::http::send(app, request).await;
    let content_type = reply
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (
        reply.status,
        content_type,
        String::from_utf8_lossy(&reply.body).into_owned(),
    )
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String, String) {
    send(app, Request::get(uri).body(Body::empty()).expect("request")).await
}

fn app() -> axum::Router {
    router(AppState::new(engine()), &HttpConfig::default())
}

#[tokio::test]
async fn path_traversal_reaches_no_file() {
    let app = app();
    for uri in [
        "/assets/..%2F..%2FCargo.toml",
        "/assets/..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/assets/%2e%2e%2fetc%2fpasswd",
        "/assets/%2e%2e/%2e%2e/Cargo.toml",
        "/assets/../../Cargo.toml",
        "/assets/..%5C..%5CCargo.toml",
        "/assets/app.js%00.css",
        "/../Cargo.toml",
        "/api/items/..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/items/../../Cargo.toml",
        "/api/items/%2e%2e%2fCargo.toml",
        "/api/../Cargo.toml",
    ] {
        let (status, content_type, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}: {body}");
        assert_eq!(content_type, "application/json", "{uri}");
        let code = serde_json::from_str::<Value>(&body).expect("JSON")["code"].clone();
        assert!(
            code == "not_found" || code == "item_not_found",
            "{uri}: {body}"
        );
        assert!(
            !body.contains("[workspace]") && !body.contains("root:") && !body.contains("function"),
            "{uri} leaks a file: {body}"
        );
    }
    let (status, _, body) = get(&app, "/api/items/..%2F..%2F..%2Fetc%2Fpasswd").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        serde_json::from_str::<Value>(&body).expect("JSON"),
        json!({"code": "item_not_found", "message": "no item with id \"../../../etc/passwd\""})
    );
}

#[tokio::test]
async fn oversized_and_out_of_range_requests_get_400() {
    let app = app();
    let long = "a".repeat(10_000);
    let cases = [
        (
            format!("/api/search?q={long}"),
            json!({"code": "query_too_long", "message": "q: the query is 10000 characters long; at most 500 are allowed"}),
        ),
        (
            format!("/api/suggest?q={long}"),
            json!({"code": "query_too_long", "message": "q: the query is 10000 characters long; at most 500 are allowed"}),
        ),
        (
            "/api/search?q=vård&limit=1000000".to_string(),
            json!({"code": "invalid_limit", "message": "limit: 1000000 is out of range; use 1 to 100"}),
        ),
        (
            "/api/search?q=vård&limit=0".to_string(),
            json!({"code": "invalid_limit", "message": "limit: 0 is out of range; use 1 to 100"}),
        ),
        (
            "/api/search?q=vård&limit=-1".to_string(),
            json!({"code": "invalid_parameter", "message": "limit: \"-1\" is not a whole number"}),
        ),
        (
            "/api/search?q=vård&offset=99999999999999999999".to_string(),
            json!({"code": "invalid_parameter", "message": "offset: \"99999999999999999999\" is not a whole number"}),
        ),
        (
            "/api/search?q=vård&offset=18446744073709551615".to_string(),
            json!({"code": "offset_too_deep", "message": "offset: 18446744073709551615 is too deep; offset + limit may be at most 1000; narrow the search with filters instead"}),
        ),
        (
            "/api/suggest?q=kr&limit=1000000".to_string(),
            json!({"code": "invalid_limit", "message": "limit: 1000000 is out of range; use 1 to 100"}),
        ),
    ];
    for (uri, want) in cases {
        let (status, content_type, body) = get(&app, &uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert_eq!(content_type, "application/json");
        assert_eq!(
            serde_json::from_str::<Value>(&body).expect("JSON"),
            want,
            "{uri}"
        );
    }
}

#[tokio::test]
async fn odd_query_syntax_is_answered_never_a_server_error() {
    let app = app();
    for q in [
        "%22",
        "%22%22",
        "%22munskydd",
        "*",
        "**",
        "a*",
        "-",
        "--munskydd",
        "-munskydd",
        "OR",
        "OR%20OR",
        "AND",
        "NOT",
        "((((",
        "))",
        "%5B",
        "%7B",
        "%5C",
        "%3A",
        "title%3Amunskydd",
        "munskydd%5E10",
        "munskydd~2",
        "%2B",
        "%26%26",
        "%7C%7C",
        "%00",
        "%F0%9F%A6%80",
        "%E2%80%8B",
        "%C2%A0",
        "%09%0A%0D",
        "%C3%A5%C3%A4%C3%B6*",
        "a%20b%20c%20d%20e%20f%20g%20h%20i%20j%20k%20l",
    ] {
        for extra in ["", "&municipality=23&from=2020&sort=date"] {
            let uri = format!("/api/search?q={q}{extra}");
            let (status, content_type, body) = get(&app, &uri).await;
            assert!(
                status == StatusCode::OK || status.is_client_error(),
                "{uri}: {status} {body}"
            );
            assert_eq!(content_type, "application/json", "{uri}");
            let (status, _, body) = get(&app, &format!("/api/suggest?q={q}")).await;
            assert_eq!(status, StatusCode::OK, "suggest {q}: {body}");
        }
    }
}

#[tokio::test]
async fn a_request_with_a_body_or_another_method_gets_a_json_405() {
    let app = app();
    let megabyte = vec![b'x'; 1024 * 1024];
    for (method, uri) in [
        (Method::POST, "/api/search"),
        (Method::PUT, "/api/items/svom-2020-12-04.15"),
        (Method::POST, "/health"),
    ] {
        let request = Request::builder()
            .method(method.clone())
            .uri(uri)
            .header(header::CONTENT_LENGTH, megabyte.len())
            .body(Body::from(megabyte.clone()))
            .expect("request");
        let reply = crate::util::http::send(&app, request).await;
        assert_eq!(
            reply.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {uri}"
        );
        let allow = reply.headers.get(header::ALLOW).cloned();
        assert!(
            allow.is_some_and(|a| a.to_str().is_ok_and(|a| a.contains("GET"))),
            "{method} {uri}: Allow names GET"
        );
        assert_eq!(
            serde_json::from_slice::<Value>(&reply.body).expect("a JSON error body"),
            json!({"code": "method_not_allowed", "message": format!("{method} is not allowed here; the API only answers GET")}),
            "{method} {uri}"
        );
    }
    let request = Request::post("/no/such/route")
        .body(Body::from(megabyte))
        .expect("request");
    let (status, _, body) = send(&app, request).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}

#[tokio::test]
async fn markup_in_minutes_and_queries_is_escaped() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write_file(
        &tmp.path().join("archive/ks-2024-05-02.txt"),
        " • Ordföranden visar en skylt med <b>fet</b> text och koden <script>alert(1)</script> \
         i protokollet om skolskjutsarna.\n\n \
         • Ledamöterna beslutar att \"citat\" & 'apostrofer' <img src=x onerror=alert(2)> inte är farliga.\n",
    );
    let parsed =
        paragraf_indexer::archive::parse_paths(&[tmp.path().join("archive")]).expect("parse");
    assert_eq!(parsed.items.len(), 2);
    paragraf_indexer::build(&parsed.items, &tmp.path().join("index"), 1).expect("build");
    let engine = Engine::open(&tmp.path().join("index")).expect("open");
    let app = router(
        AppState::new(std::sync::Arc::new(engine)),
        &HttpConfig::default(),
    );
    for q in [
        "skolskjutsarna",
        "alert",
        "script",
        "fet",
        "onerror",
        "farliga",
        "",
    ] {
        let (status, _, body) = get(&app, &format!("/api/search?q={q}")).await;
        assert_eq!(status, StatusCode::OK);
        let response: Value = serde_json::from_str(&body).expect("JSON");
        assert!(response["total"].as_u64() > Some(0), "{q}: {body}");
        for hit in response["hits"].as_array().expect("hits") {
            let snippet = hit["snippet"].as_str().expect("snippet");
            let bare = without_marks(snippet);
            assert!(
                !bare.contains('<') && !bare.contains('>'),
                "{q}: markup in {snippet}"
            );
            assert!(bare.contains("&lt;"), "{q}: {snippet}");
        }
    }
    let (_, _, body) = get(&app, "/api/search?q=skolskjutsarna").await;
    let snippet = serde_json::from_str::<Value>(&body).expect("JSON")["hits"][0]["snippet"]
        .as_str()
        .expect("snippet")
        .to_string();
    assert!(
        snippet.contains("&lt;b&gt;fet&lt;/b&gt;")
            && snippet.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{snippet}"
    );
    // Markup in a query: every answer is JSON, which no browser renders as a page.
    for uri in [
        "/api/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
        "/api/search?q=x&municipality=%3Cscript%3E",
        "/api/items/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/api/suggest?q=%3Cimg%20src=x%20onerror=alert(1)%3E",
        "/%3Cscript%3Ealert(1)%3C/script%3E",
    ] {
        let (status, content_type, _) = get(&app, uri).await;
        assert!(
            status == StatusCode::OK || status.is_client_error(),
            "{uri}: {status}"
        );
        assert_eq!(content_type, "application/json", "{uri}");
    }
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let state = AppState::new(engine());
    let app = router(state.clone(), &HttpConfig::default());
    // `/metrics` is the operators' (issue #20): on the admin address, over the same state.
    let admin = paragraf_server::admin_router(state);
    for uri in [
        "/api/search?q=munskydd",
        "/api/search?q=smitta",
        "/api/search?q=avtal&municipality=Krokom",
        "/api/search?q=x&limit=0",
        "/api/items/svom-2020-12-04.15",
        "/api/items/nope",
        "/nope",
    ] {
        get(&app, uri).await;
    }
    let (status, content_type, body) = get(&admin, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "text/plain; version=0.0.4");
    let items = engine().health(paragraf_query::Access::Internal).items;
    for line in [
        "paragraf_http_requests_total{route=\"/api/search\",status=\"200\"} 3".to_string(),
        "paragraf_http_requests_total{route=\"/api/search\",status=\"400\"} 1".to_string(),
        "paragraf_http_requests_total{route=\"/api/items/{id}\",status=\"200\"} 1".to_string(),
        "paragraf_http_requests_total{route=\"/api/items/{id}\",status=\"404\"} 1".to_string(),
        "paragraf_http_requests_total{route=\"unmatched\",status=\"404\"} 1".to_string(),
        "paragraf_http_request_duration_seconds_count{route=\"/api/search\"} 4".to_string(),
        format!("paragraf_index_items {items}"),
    ] {
        assert!(
            body.lines().any(|l| l == line),
            "no line {line:?} in\n{body}"
        );
    }
}
