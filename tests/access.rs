//! Who may see what (issue #20): an archive with internal items carrying marker words, and
//! every route asked as the public with the markers, their prefixes, their typos, filters on
//! their speakers, municipalities and bodies, and their ids. The public answers are compared
//! whole with those of the same archive without the internal items, and no marker may occur
//! in them; a token and the trusted proxy's user see the items. Tokens are created, used and
//! revoked with the CLI, also under a running server.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use paragraf_indexer::format::{sample, Block};
use paragraf_query::Engine;
use paragraf_server::auth::AuthConfig;
use paragraf_server::tokens::{tokens_path, TokenStore};
use paragraf_server::{router, AppState, HttpConfig};
use serde_json::Value;

use crate::util::cli::{index, paragraf};
use crate::util::http::{send, Server};
use crate::util::write_file;

const MANIFEST: &str = r#"
[[meeting]]
file = "ks-2024-03-12.txt"
body = "Kommunstyrelsen"
date = "2024-03-12"
source = "ks-2024-03-12.pdf"

[[meeting]]
file = "au/au-2024-04-02.txt"
body = "Hemliga utskottet"
date = "2024-04-02"
source = "au-2024-04-02.pdf"

[[meeting]]
file = "utkast.docx"
body = "Hemliga utskottet"
date = "2024-05-01"
source = "utkast.docx"

[[folder]]
path = "au"
visibility = "internal"
"#;

const PUBLIC: &str = " • Elin Ring föredrar budgeten för Krokoms kommun. Budgeten antas.\n\n \
     • Jan Persson informerar om skolans lokaler och budgeten.\n";

const INTERNAL: &str =
    " • Qvintus Lindqvist föredrar zebrakorsningen i Åre kommun och budgeten.\n\n \
     • Kvarnhjulsplanen för skolans lokaler diskuteras.\n";

/// Strings only the internal items hold: none may occur in an answer to the public.
const MARKERS: &[&str] = &[
    "zebrakorsning",
    "Zebrakorsning",
    "kvarnhjul",
    "Kvarnhjul",
    "qvintus",
    "Qvintus",
    "lindqvist",
    "Lindqvist",
    "pyramid",
    "Pyramid",
    "au-2024-04-02",
    "utkast",
    "Hemliga",
    "hemliga",
    "\"Åre\"",
    "2024-04",
    "2024-05",
    "internal",
];

/// Writes the archive: the public minutes, with `internal` also the internal folder and the
/// DOCX draft (internal by its format).
fn write_archive(root: &Path, internal: bool) {
    write_file(&root.join("manifest.toml"), MANIFEST);
    write_file(&root.join("ks-2024-03-12.txt"), PUBLIC);
    if internal {
        write_file(&root.join("au/au-2024-04-02.txt"), INTERNAL);
        let docx = sample::docx(&[Block::Paragraph {
            depth: 0,
            text: "Pyramidbygget föredras av Qvintus Lindqvist.".into(),
        }])
        .expect("docx");
        std::fs::write(root.join("utkast.docx"), docx).expect("write docx");
    }
}

/// Indexes an archive with the CLI into `<tmp>/<name>-index`.
fn indexed(tmp: &Path, name: &str, internal: bool) -> PathBuf {
    let archive = tmp.join(name);
    write_archive(&archive, internal);
    let idx = tmp.join(format!("{name}-index"));
    let (_, stderr, code) = index(&archive, &idx);
    assert_eq!(code, 0, "{stderr}");
    idx
}

/// The app over an index, believing the user header from 127.0.0.1 and checking tokens
/// against the index's token file.
fn app(idx: &Path) -> axum::Router {
    let engine = Engine::open(idx).expect("opens");
    let config = HttpConfig {
        auth: AuthConfig {
            tokens: Some(Arc::new(TokenStore::new(tokens_path(idx)))),
            trusted_proxies: vec!["127.0.0.1".parse().expect("address")],
            ..AuthConfig::default()
        },
        ..HttpConfig::default()
    };
    router(AppState::new(Arc::new(engine)), &config)
}

/// How a request comes.
#[derive(Clone, Copy)]
enum As<'a> {
    /// No credentials, from 127.0.0.1.
    Public,
    /// The user header from a peer that is not trusted.
    UntrustedProxy,
    /// The user header from the trusted proxy.
    TrustedProxy,
    /// A bearer token.
    Token(&'a str),
}

async fn get(app: &axum::Router, uri: &str, who: As<'_>) -> (StatusCode, Value, header::HeaderMap) {
    let mut request = Request::get(uri);
    let peer: SocketAddr = match who {
        As::UntrustedProxy => "10.9.9.9:5000",
        _ => "127.0.0.1:5000",
    }
    .parse()
    .expect("address");
    match who {
        As::Public => {}
        As::UntrustedProxy | As::TrustedProxy => {
            request = request.header("x-forwarded-user", "anna.tjansteman");
        }
        As::Token(token) => {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"))
        }
    }
    let mut request = request.body(Body::empty()).expect("request");
    request.extensions_mut().insert(ConnectInfo(peer));
    let reply = send(app, request).await;
    let mut body: Value = serde_json::from_slice(&reply.body).expect("JSON");
    // What differs between two builds, not between what they hold.
    if let Some(took) = body.get_mut("took_ms") {
        *took = 0.into();
    }
    if let Some(built) = body.get_mut("built_at") {
        *built = "".into();
    }
    (reply.status, body, reply.headers)
}

/// Every public question about the internal items.
fn public_uris() -> Vec<String> {
    let mut uris = Vec::new();
    let queries = [
        "zebrakorsningen",
        "zebrakorsnigen",
        "zebra*",
        "kvarnhjulsplanen",
        "kvarnhjulsplan",
        "kvarnh*",
        "qvintus",
        "qvintis",
        "lindqvist",
        "pyramidbygget",
        "pyramidbyget",
        "utkast",
        "hemliga",
        "budgeten",
        "skolans lokaler",
        "budgeten OR zebrakorsningen",
        "",
    ];
    let filters = [
        "",
        "&speaker=Qvintus%20Lindqvist",
        "&speaker=qvintus%20lindqvist",
        "&municipality=%C3%85re",
        "&municipality=2321",
        "&municipality=23",
        "&body=Hemliga%20utskottet",
        "&from=2024-04-01",
        "&sort=date",
    ];
    for q in queries {
        for f in filters {
            uris.push(format!(
                "/api/search?q={}{f}",
                q.replace(' ', "%20").replace('*', "%2A")
            ));
        }
    }
    for q in [
        "zeb",
        "zebrakorsn",
        "kvarn",
        "qvi",
        "lind",
        "pyr",
        "hem",
        "bu",
        "ut",
        "sk",
        "åre",
        "budgeten kv",
    ] {
        uris.push(format!("/api/suggest?q={}", q.replace(' ', "%20")));
    }
    for id in [
        "au-2024-04-02.01",
        "au-2024-04-02.02",
        "utkast.01",
        "ks-2024-03-12.01",
        "ks-2024-03-12.02",
    ] {
        uris.push(format!("/api/items/{id}"));
    }
    uris.push("/health".to_string());
    uris
}

#[tokio::test]
async fn the_public_sees_no_trace_of_internal_items() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let with = app(&indexed(tmp.path(), "with", true));
    let without = app(&indexed(tmp.path(), "without", false));
    let uris = public_uris();
    for uri in &uris {
        for who in [As::Public, As::UntrustedProxy] {
            let (status_a, a, headers) = get(&with, uri, who).await;
            let (status_b, b, _) = get(&without, uri, As::Public).await;
            assert_eq!((status_a, &a), (status_b, &b), "{uri}");
            // What the caller typed comes back as typed (`query`, and the id in a 404's
            // message, which equals the archive without the item): the rest must be clean.
            let mut echoed = a.clone();
            if let Some(body) = echoed.as_object_mut() {
                body.remove("query");
                if body.get("code").and_then(Value::as_str) == Some("item_not_found") {
                    body.remove("message");
                }
            }
            let text = echoed.to_string();
            for marker in MARKERS {
                assert!(!text.contains(marker), "{uri}: {marker:?} in {text}");
            }
            // Public answers may be cached, by origin and credentials.
            let vary: Vec<&str> = headers
                .get_all(header::VARY)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect();
            assert_eq!(vary, ["Origin, Authorization, x-forwarded-user"], "{uri}");
            assert_eq!(headers.get(header::CACHE_CONTROL), None, "{uri}");
        }
    }
    // An internal item is as missing as one that never was.
    let (status, body, _) = get(&with, "/api/items/au-2024-04-02.01", As::Public).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body,
        serde_json::json!({"code": "item_not_found", "message": "no item with id \"au-2024-04-02.01\""})
    );
}

#[tokio::test]
async fn officials_see_internal_items_by_token_or_at_the_trusted_proxy() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let idx = indexed(tmp.path(), "with", true);
    let token = create_token(&idx, "intranet", "internal");
    let app = app(&idx);
    for who in [As::Token(&token), As::TrustedProxy] {
        let (status, found, headers) = get(&app, "/api/search?q=zebrakorsningen", who).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            headers.get(header::CACHE_CONTROL).map(|v| v.as_bytes()),
            Some(&b"private"[..])
        );
        let hits: Vec<(&str, &str)> = found["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| {
                (
                    h["id"].as_str().unwrap_or_default(),
                    h["meeting"]["visibility"].as_str().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(hits, [("au-2024-04-02.01", "internal")]);
        let (_, typo, _) = get(&app, "/api/search?q=zebrakorsnigen", who).await;
        assert_eq!(typo["did_you_mean"], "zebrakorsningen");
        let (_, draft, _) = get(&app, "/api/search?q=pyramidbygget", who).await;
        assert_eq!(draft["hits"][0]["id"], "utkast.01");
        let (status, item, _) = get(&app, "/api/items/au-2024-04-02.01", who).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(item["next"]["id"], "au-2024-04-02.02");
        let (_, suggested, _) = get(&app, "/api/suggest?q=qvi", who).await;
        assert_eq!(suggested["suggestions"][0]["text"], "Qvintus Lindqvist");
        assert_eq!(suggested["suggestions"][0]["count"], 2);
        let (_, listed, _) = get(&app, "/api/search?municipality=%C3%85re", who).await;
        assert_eq!(listed["total"], 1);
        let (_, health, _) = get(&app, "/health", who).await;
        assert_eq!(
            (health["items"].clone(), health["meetings"].clone()),
            (5.into(), 3.into())
        );
    }
    let (_, health, _) = get(&app, "/health", As::Public).await;
    assert_eq!(
        (health["items"].clone(), health["meetings"].clone()),
        (2.into(), 1.into())
    );
}

#[tokio::test]
async fn wrong_malformed_and_revoked_tokens_are_401_with_a_code() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let idx = indexed(tmp.path(), "with", true);
    let token = create_token(&idx, "intranet", "internal");
    let admin = create_token(&idx, "drift", "admin");
    let app = app(&idx);
    let mut wrong = token.clone();
    let last = if wrong.ends_with('0') { '1' } else { '0' };
    wrong.pop();
    wrong.push(last);
    for (value, code) in [
        (wrong.as_str(), "invalid_token"),
        ("paragraf_nope", "malformed_token"),
        ("", "malformed_token"),
    ] {
        let (status, body, headers) = get(&app, "/api/search?q=budgeten", As::Token(value)).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some(code)),
            "{value:?}"
        );
        assert_eq!(
            headers.get(header::WWW_AUTHENTICATE).map(|v| v.as_bytes()),
            Some(&br#"Bearer realm="paragraf", error="invalid_token""#[..])
        );
    }
    // /metrics: the operators' only.
    let (status, body, headers) = get(&app, "/metrics", As::Public).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    assert!(headers.get(header::WWW_AUTHENTICATE).is_some());
    let (status, body, _) = get(&app, "/metrics", As::Token(&token)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
    let reply = send(
        &app,
        Request::get("/metrics")
            .header(header::AUTHORIZATION, format!("Bearer {admin}"))
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let metrics = String::from_utf8_lossy(&reply.body).into_owned();
    assert!(
        metrics.lines().any(|l| l == "paragraf_index_items 5"),
        "{metrics}"
    );

    let (status, _, _) = get(&app, "/api/search?q=budgeten", As::Token(&token)).await;
    assert_eq!(status, StatusCode::OK);
    revoke_token(&idx, "intranet");
    let (status, body, _) = get(&app, "/api/search?q=budgeten", As::Token(&token)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("token_revoked"))
    );
    let listed = paragraf()
        .args(["token", "list", "--index"])
        .arg(&idx)
        .output()
        .expect("list");
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    let names: Vec<(&str, &str, bool)> = listed
        .lines()
        .skip(1)
        .filter_map(|l| {
            let cells: Vec<&str> = l.split_whitespace().collect();
            Some((*cells.first()?, *cells.get(1)?, *cells.get(3)? != "-"))
        })
        .collect();
    assert_eq!(
        names,
        [("intranet", "internal", true), ("drift", "admin", false)]
    );
    assert!(!listed.contains(token.rsplit('_').next().unwrap_or("x")));
}

#[test]
fn a_running_server_refuses_a_revoked_token_at_once() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let idx = indexed(tmp.path(), "with", true);
    let token = create_token(&idx, "intranet", "internal");
    let server = Server::start(&idx);
    let ask = |token: &str| raw_get(server.addr, "/api/search?q=zebrakorsningen", token);
    let (status, body) = ask(&token);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("au-2024-04-02.01"), "{body}");
    revoke_token(&idx, "intranet");
    let (status, body) = ask(&token);
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("\"token_revoked\""), "{body}");
    // The user header from 127.0.0.1 counts for nothing without --trusted-proxy.
    let (status, body) = raw_get_with(
        server.addr,
        "/api/search?q=zebrakorsningen",
        "X-Forwarded-User: anna",
    );
    assert_eq!(status, 200);
    assert!(!body.contains("au-2024-04-02"), "{body}");
}

#[tokio::test]
async fn turning_a_folder_internal_is_an_update_like_any_other() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let archive = tmp.path().join("arkiv");
    write_archive(&archive, true);
    // First everything public: no folder rule, the DOCX said public.
    let open = MANIFEST
        .replace("[[folder]]\npath = \"au\"\nvisibility = \"internal\"\n", "")
        .replace(
            "source = \"utkast.docx\"",
            "source = \"utkast.docx\"\nvisibility = \"public\"",
        );
    write_file(&archive.join("manifest.toml"), &open);
    let idx = tmp.path().join("index");
    let (_, stderr, code) = index(&archive, &idx);
    assert_eq!(code, 0, "{stderr}");
    let (_, found, _) = get(&app(&idx), "/api/search?q=zebrakorsningen", As::Public).await;
    assert_eq!(found["total"], 1);
    // The folder turned internal: the next run indexes its file again, and only it.
    let closed = format!("{open}\n[[folder]]\npath = \"au\"\nvisibility = \"internal\"\n");
    write_file(&archive.join("manifest.toml"), &closed);
    let (stdout, stderr, code) = index(&archive, &idx);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("added 0 files, changed 1, removed 0") && stdout.contains("unchanged 2"),
        "{stdout}"
    );
    let app = app(&idx);
    let (_, found, _) = get(&app, "/api/search?q=zebrakorsningen", As::Public).await;
    assert_eq!(found["total"], 0);
    // The draft the manifest made public stays public.
    let (_, found, _) = get(&app, "/api/search?q=pyramidbygget", As::Public).await;
    assert_eq!(found["total"], 1);
    let (_, found, _) = get(&app, "/api/search?q=zebrakorsningen", As::TrustedProxy).await;
    assert_eq!(found["total"], 1);
}

#[tokio::test]
async fn cors_never_lets_any_origin_use_credentials() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let idx = indexed(tmp.path(), "with", true);
    let engine = Arc::new(Engine::open(&idx).expect("opens"));
    let preflight = |origins: &str| {
        let app = router(
            AppState::new(engine.clone()),
            &HttpConfig {
                cors_origins: vec![origins.to_string()],
                ..HttpConfig::default()
            },
        );
        async move {
            send(
                &app,
                Request::options("/api/search")
                    .header(header::ORIGIN, "https://intranat.krokom.se")
                    .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
                    .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
        }
    };
    let any = preflight("*").await;
    assert_eq!(
        any.headers.get(header::ACCESS_CONTROL_ALLOW_CREDENTIALS),
        None
    );
    assert_eq!(any.headers.get(header::ACCESS_CONTROL_ALLOW_HEADERS), None);
    let listed = preflight("https://intranat.krokom.se").await;
    assert_eq!(
        listed.headers.get(header::ACCESS_CONTROL_ALLOW_CREDENTIALS),
        None
    );
    assert_eq!(
        listed
            .headers
            .get(header::ACCESS_CONTROL_ALLOW_HEADERS)
            .map(|v| v.as_bytes()),
        Some(&b"authorization"[..])
    );
}

fn create_token(idx: &Path, name: &str, scope: &str) -> String {
    let output = paragraf()
        .args([
            "token", "create", "--name", name, "--scope", scope, "--index",
        ])
        .arg(idx)
        .output()
        .expect("paragraf token create");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

fn revoke_token(idx: &Path, name: &str) {
    let output = paragraf()
        .args(["token", "revoke", name, "--index"])
        .arg(idx)
        .output()
        .expect("paragraf token revoke");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn raw_get(addr: SocketAddr, path: &str, token: &str) -> (u16, String) {
    raw_get_with(addr, path, &format!("Authorization: Bearer {token}"))
}

/// One HTTP/1.1 request with one extra header line, on its own connection.
fn raw_get_with(addr: SocketAddr, path: &str, header_line: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{header_line}\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut text = String::new();
    stream.read_to_string(&mut text).expect("read");
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}
