//! Hardening from a red-team run (issue #17), the server's part, against the real binary on a
//! socket: slow and idle connections, the descriptor limit, hyper's own errors, CORS origins
//! at start, a damaged index. Router-level cases (JSON rejections, dates, headers) are in
//! `http.rs`.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::util::cli::{index, paragraf};
use crate::util::http::{free_port, Client};
use crate::util::index_data;

/// The index of `index-data/`, built once into a temporary directory that lives as long as
/// the test binary (no test here writes to it).
fn shared_index() -> PathBuf {
    use std::sync::OnceLock;
    static INDEX: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let (_, err, code) = index(&index_data(), &dir.path().join("index"));
        assert_eq!(code, 0, "{err}");
        dir
    });
    dir.path().join("index")
}

/// `paragraf serve` with extra arguments, run by `sh -c` after `prelude` (e.g. `ulimit -n
/// 64`), its stderr in a file; killed when dropped.
struct Serve {
    child: Child,
    addr: SocketAddr,
    log: tempfile::NamedTempFile,
}

impl Serve {
    fn start(index: &Path, prelude: &str, args: &[&str]) -> Serve {
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port())
            .parse()
            .expect("address");
        let log = tempfile::NamedTempFile::new().expect("log file");
        let child = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{prelude}\nexec \"$@\""))
            .arg("sh")
            .arg(env!("CARGO_BIN_EXE_paragraf"))
            .arg("serve")
            .arg("--index")
            .arg(index)
            .arg("--listen")
            .arg(addr.to_string())
            .args(args)
            .current_dir(crate::util::repo_root())
            .env("NO_COLOR", "1")
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(log.reopen().expect("log file"))
            .spawn()
            .expect("start paragraf serve");
        let mut serve = Serve { child, addr, log };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok((200, _)) = Client::new(addr).get("/health") {
                return serve;
            }
            if let Ok(Some(status)) = serve.child.try_wait() {
                panic!(
                    "paragraf serve exited before answering: {status}\n{}",
                    serve.log()
                );
            }
            assert!(
                Instant::now() < deadline,
                "paragraf serve did not come up in 30 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads until the server closes the connection; what it sent and how long it took.
fn read_to_close(stream: &mut TcpStream, limit: Duration) -> (String, Duration) {
    let started = Instant::now();
    stream.set_read_timeout(Some(limit)).expect("read timeout");
    let mut out = Vec::new();
    match stream.read_to_end(&mut out) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
        Err(e) => panic!("the server did not close the connection within {limit:?}: {e}"),
    }
    (
        String::from_utf8_lossy(&out).into_owned(),
        started.elapsed(),
    )
}

#[test]
fn serve_closes_partial_requests_and_idle_connections() {
    let server = Serve::start(
        &shared_index(),
        "",
        &["--header-read-timeout", "500ms", "--idle-timeout", "1s"],
    );
    // A request that never ends its headers: closed at 0.5 s.
    let mut slow = TcpStream::connect(server.addr).expect("connect");
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: a")
        .expect("write");
    let (sent, took) = read_to_close(&mut slow, Duration::from_secs(10));
    assert_eq!(sent, "");
    assert!(
        took >= Duration::from_millis(400) && took < Duration::from_secs(3),
        "{took:?}"
    );
    // A keep-alive connection after its answer: closed at 1 s.
    let mut idle = TcpStream::connect(server.addr).expect("connect");
    idle.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("write");
    let (sent, took) = read_to_close(&mut idle, Duration::from_secs(10));
    assert!(sent.starts_with("HTTP/1.1 200 OK\r\n"), "{sent}");
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(4),
        "{took:?}"
    );
}

#[test]
fn serve_keeps_answering_a_new_client_at_a_low_descriptor_limit() {
    // 64 descriptors: the server takes 32 connections (half is kept for the rest).
    let server = Serve::start(&shared_index(), "ulimit -n 64 || exit 99", &[]);
    let mut held = Vec::new();
    for i in 0..150 {
        let mut stream = TcpStream::connect(server.addr).expect("connect");
        if i % 2 == 0 {
            // Half send part of a request, half nothing at all.
            stream
                .write_all(b"GET /health HTTP/1.1\r\nHo")
                .expect("write");
        }
        held.push(stream);
    }
    for _ in 0..3 {
        let started = Instant::now();
        let (status, body) = Client::new(server.addr)
            .get("/api/items/svom-2020-12-04.15")
            .expect("a new client is answered");
        let body: Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!((status, &body["id"]), (200, &json!("svom-2020-12-04.15")));
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "answered in {:?}",
            started.elapsed()
        );
    }
    drop(held);
    let log = server.log();
    assert!(log.contains("max_connections=32"), "{log}");
    assert_eq!(
        log.matches("connection limit reached").count(),
        1,
        "logged once for the burst:\n{log}"
    );
}

#[test]
fn hypers_own_errors_are_json_on_the_wire() {
    let server = Serve::start(&shared_index(), "", &[]);
    for (request, status, body) in [
        (
            "GET /health HTTP/1.1\r\nHost: x\r\nBroken header\r\n\r\n".to_string(),
            "HTTP/1.1 400 Bad Request",
            json!({"code": "malformed_request", "message": "the request is not well-formed HTTP/1.1 (its request line or a header)"}),
        ),
        (
            format!(
                "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
                "a".repeat(70_000)
            ),
            "HTTP/1.1 431 Request Header Fields Too Large",
            json!({"code": "headers_too_large", "message": "the request line and headers are larger than 64 KiB"}),
        ),
        (
            format!(
                "GET /api/search?q={} HTTP/1.1\r\nHost: x\r\n\r\n",
                "a".repeat(70_000)
            ),
            "HTTP/1.1 431 Request Header Fields Too Large",
            json!({"code": "headers_too_large", "message": "the request line and headers are larger than 64 KiB"}),
        ),
    ] {
        let mut stream = TcpStream::connect(server.addr).expect("connect");
        stream.write_all(request.as_bytes()).expect("write");
        let (sent, _) = read_to_close(&mut stream, Duration::from_secs(10));
        let (head, got) = sent.split_once("\r\n\r\n").expect("a response");
        assert_eq!(head.lines().next(), Some(status), "{sent}");
        assert!(
            head.contains("\r\ncontent-type: application/json\r\n"),
            "{head}"
        );
        assert_eq!(serde_json::from_str::<Value>(got).expect("JSON"), body);
    }
}

/// Runs `paragraf serve ARGS…` that is expected to stop at start; its exit code and stderr
/// (killed, and the test failed, if it is still running after 30 s).
fn serve_refused(args: &[&str]) -> (Option<i32>, String) {
    let log = tempfile::NamedTempFile::new().expect("log file");
    let mut child = paragraf()
        .arg("serve")
        .arg("--listen")
        .arg(format!("127.0.0.1:{}", free_port()))
        .args(args)
        .stdout(Stdio::null())
        .stderr(log.reopen().expect("log file"))
        .spawn()
        .expect("start paragraf serve");
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "paragraf serve {args:?} was still running after 30 s:\n{}",
                std::fs::read_to_string(log.path()).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (
        status.code(),
        std::fs::read_to_string(log.path()).unwrap_or_default(),
    )
}

#[test]
fn serve_refuses_an_invalid_cors_origin_at_start_naming_it() {
    let index = shared_index();
    let index = index.to_str().expect("a UTF-8 path");
    for (origin, reason) in [
        (
            "intranat.krokom.se",
            "it has no scheme (http:// or https://)",
        ),
        (
            "https://intranat.krokom.se/sok",
            "an origin has no path, query or fragment",
        ),
        (
            "https://*.krokom.se",
            "the host is not a host name or address",
        ),
    ] {
        let (code, stderr) = serve_refused(&["--index", index, "--cors-origin", origin]);
        assert_eq!(
            (code, stderr.as_str()),
            (
                Some(2),
                format!(
                    "paragraf: --cors-origin {origin:?} is not an origin: {reason}; write \
                     scheme://host[:port], e.g. https://intranet.example.se, or * for any origin\n"
                )
                .as_str()
            )
        );
    }
}

/// `GET path` with an `Origin` header on a fresh connection: the response as text.
fn get_with_origin(addr: SocketAddr, path: &str, origin: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: x\r\nOrigin: {origin}\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    read_to_close(&mut stream, Duration::from_secs(10)).0
}

#[test]
fn serve_takes_cors_origin_star_and_trailing_slashes() {
    let server = Serve::start(&shared_index(), "", &["--cors-origin", "*"]);
    let response = get_with_origin(server.addr, "/health", "https://any.example");
    assert!(
        response.contains("\r\naccess-control-allow-origin: *\r\n"),
        "{response}"
    );
    drop(server);
    let server = Serve::start(
        &shared_index(),
        "",
        &[
            "--cors-origin",
            "https://intranat.krokom.se/,http://localhost:8080/",
        ],
    );
    for origin in ["https://intranat.krokom.se", "http://localhost:8080"] {
        let response = get_with_origin(server.addr, "/health", origin);
        assert!(
            response.contains(&format!("\r\naccess-control-allow-origin: {origin}\r\n")),
            "{origin}: {response}"
        );
    }
    let response = get_with_origin(server.addr, "/health", "https://evil.example");
    assert!(
        !response.contains("access-control-allow-origin"),
        "{response}"
    );
}

/// A copy of the shared index in `tmp`, with the `.pos` file of its segment deleted.
fn index_without_positions(tmp: &Path) -> PathBuf {
    let idx = tmp.join("index");
    crate::util::copy_dir(&shared_index(), &idx);
    let generation = idx.join("current");
    let mut deleted = 0;
    for entry in std::fs::read_dir(&generation).expect("read the generation") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "pos") {
            std::fs::remove_file(&path).expect("delete .pos");
            deleted += 1;
        }
    }
    assert_eq!(deleted, 1, "one segment");
    idx
}

#[test]
fn serve_refuses_an_index_with_a_segment_file_deleted() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let idx = index_without_positions(tmp.path());
    let (code, stderr) = serve_refused(&["--index", idx.to_str().expect("UTF-8 path")]);
    let dir = idx.display();
    assert_eq!(code, Some(2), "{stderr}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with(&format!("paragraf: the index in {dir} is damaged (index error: segment "))
            && last.contains("positions")
            && last.ends_with(&format!(
                "see `paragraf check --index {dir}`, and rebuild it with `paragraf index --rebuild --index {dir}`"
            )),
        "{stderr}"
    );
    // `paragraf check` agrees, and a rebuild repairs it.
    let check = paragraf()
        .args(["check", "--index"])
        .arg(&idx)
        .output()
        .expect("run paragraf check");
    assert_ne!(check.status.code(), Some(0), "paragraf check notices");
    let rebuild = paragraf()
        .args(["index", "--rebuild", "--index"])
        .arg(&idx)
        .output()
        .expect("run paragraf index --rebuild");
    assert_eq!(
        rebuild.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&rebuild.stderr)
    );
    let server = Serve::start(&idx, "", &[]);
    let (status, _) = Client::new(server.addr)
        .get("/api/search?q=munskydd")
        .expect("search");
    assert_eq!(status, 200);
}

/// Sends a GET to `app`: status and JSON body.
async fn get_json(app: &axum::Router, uri: &str) -> (u16, Value) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let response = app
        .clone()
        .oneshot(
            axum::http::Request::get(uri)
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await
        .expect("router answers");
    let status = response.status().as_u16();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    (status, body)
}

/// Overwrites every `.EXT` file of the index's generation in place with 0xAB bytes: the
/// served index maps the same files, so this is damage that came after it was opened and
/// verified.
fn overwrite_in_place(idx: &Path, ext: &str) {
    for entry in std::fs::read_dir(idx.join("current")).expect("read the generation") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == ext) {
            let length = std::fs::metadata(&path).expect("metadata").len();
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .expect("open in place");
            file.write_all(&vec![0xAB; usize::try_from(length).expect("small")])
                .expect("overwrite in place");
        }
    }
}

#[tokio::test]
async fn damage_found_while_serving_is_a_503_and_degraded_health_never_a_500() {
    let damaged = json!({"code": "index_damaged", "message": "the index is damaged and cannot answer this until it is rebuilt; the server log has the details"});
    let uris = [
        "/api/search?q=munskydd",
        "/api/search?q=%22god+v%C3%A5rd%22",
        "/api/search?q=munskyd",
        "/api/search?municipality=Krokom",
        "/api/items/svom-2020-12-04.01",
        "/api/suggest?q=kro",
    ];
    // Per file kind: the requests that meet the damage (the others do not read that file).
    for (ext, failing) in [
        ("store", vec![0, 2, 3, 4]),
        ("idx", vec![1, 3, 4]),
        // The item looked up by id in a garbled term dictionary is not found: a 404, not a
        // detected damage (README, Reliability).
        ("term", vec![0, 1, 2, 5]),
        ("pos", vec![1]),
        ("fast", vec![3]),
    ] {
        let tmp = tempfile::tempdir().expect("temp dir");
        let idx = tmp.path().join("index");
        crate::util::copy_dir(&shared_index(), &idx);
        let engine = paragraf_query::Engine::open(&idx).expect("a sound index opens");
        let app = paragraf_server::router(
            paragraf_server::AppState::new(std::sync::Arc::new(engine)),
            &paragraf_server::HttpConfig::default(),
        );
        let (status, health) = get_json(&app, "/health").await;
        assert_eq!((status, &health["status"]), (200, &json!("ok")));
        overwrite_in_place(&idx, ext);
        let mut got = Vec::new();
        for (i, uri) in uris.iter().enumerate() {
            let (status, body) = get_json(&app, uri).await;
            assert!(
                matches!(status, 200 | 404 | 503),
                ".{ext} overwritten: {uri}: {status} {body}"
            );
            if status == 503 {
                assert_eq!(body, damaged, ".{ext}: {uri}");
                got.push(i);
            }
        }
        assert_eq!(
            got, failing,
            ".{ext} overwritten: the requests answered 503"
        );
        let (status, health) = get_json(&app, "/health").await;
        assert_eq!(
            (status, &health["status"]),
            (503, &json!("degraded")),
            ".{ext}: {health}"
        );
    }
}

#[test]
fn a_reload_to_a_damaged_index_keeps_serving_the_previous_state() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let idx = tmp.path().join("index");
    crate::util::copy_dir(&shared_index(), &idx);
    let engine = paragraf_query::Engine::open(&idx).expect("a sound index opens");
    let state = paragraf_server::AppState::watching(std::sync::Arc::new(engine), idx.clone());
    let before = paragraf_server::damage::address_of(&state.engine());
    // A rebuild writes a new generation; its `.pos` file is lost before the server reloads.
    let rebuild = paragraf()
        .args(["index", "--rebuild", "--index"])
        .arg(&idx)
        .arg(index_data())
        .output()
        .expect("run paragraf index --rebuild");
    assert_eq!(
        rebuild.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&rebuild.stderr)
    );
    let generation = std::fs::canonicalize(idx.join("current")).expect("the new generation");
    for entry in std::fs::read_dir(&generation).expect("read the generation") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "pos") {
            std::fs::remove_file(&path).expect("delete .pos");
        }
    }
    let reloaded = state.reload_if_changed();
    assert!(
        reloaded.as_ref().is_err_and(|e| e.is_index_damage()),
        "{reloaded:?}"
    );
    assert_eq!(paragraf_server::damage::address_of(&state.engine()), before);
    let ids = crate::util::index::ids_of(&*state.engine(), &[("q", "munskydd")]);
    assert_eq!(ids.len(), 3, "the previous state still answers: {ids:?}");
}
