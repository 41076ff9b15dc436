//! What officials do with a hit (issue #19), through the real router: follow a case across
//! meetings, browse a meeting, watch a search as an Atom feed, export a result, open the
//! archived original. Over `index-data/` and over the real protokoll of
//! `../shared/corpus/real-protokoll/` (with one inline meeting citing one of them).

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use paragraf_server::{router, AppState, HttpConfig};
use serde_json::{json, Value};

use crate::util::http::{send, Reply};
use crate::util::index::engine;
use crate::util::{index_data, repo_root, write_file};

/// The router over `index-data/`, serving its originals.
fn app() -> axum::Router {
    router(
        AppState::new(engine()).with_archive(vec![index_data()]),
        &HttpConfig::default(),
    )
}

async fn get_from(app: &axum::Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).expect("request")).await
}

async fn json_from(app: &axum::Router, uri: &str) -> (StatusCode, Value) {
    let reply = get_from(app, uri).await;
    let body = serde_json::from_slice(&reply.body).unwrap_or_else(|e| {
        panic!(
            "{uri}: not JSON ({e}): {}",
            String::from_utf8_lossy(&reply.body)
        )
    });
    (reply.status, body)
}

fn text(reply: &Reply) -> String {
    String::from_utf8(reply.body.to_vec()).expect("UTF-8")
}

fn content_type(reply: &Reply) -> &str {
    reply.headers[header::CONTENT_TYPE]
        .to_str()
        .expect("a content type")
}

// ---------------------------------------------------------------------------------------------
// Ärendets gång: a case across meetings

/// The Krokom PDF in index-data/formats: Ks § 85 is Dnr KS 2013/87, on page 2 of 3 (read
/// with `pdftotext -f 2 -l 2`).
fn krokom_85() -> Value {
    json!({
        "id": "krokom-ks-2013-05-15.02",
        // The body's own municipality (issue 15), beside what the item speaks of.
        "meeting": {
            "id": "krokom-ks-2013-05-15",
            "body": "Kommunstyrelsen",
            "date": "2013-05-15",
            "municipality": {"name": "Krokom", "code": "2309", "county": "Jämtlands län"}
        },
        "section": "§ 85",
        "title": "Rambudget 2014 med plan för 2015-2016",
        "decisions": [
            "Kommunstyrelsen beslutar att föreslå kommunfullmäktige att anta rambudget 2014 med plan för 2015-2016."
        ],
        "linked_by": {"kind": "case_number"},
        "links": {
            "item": "/api/items/krokom-ks-2013-05-15.02",
            "meeting": "/api/meetings/krokom-ks-2013-05-15",
            "case": "/api/cases/KS%202013/87",
            "source": "/api/items/krokom-ks-2013-05-15.02/source#page=2"
        }
    })
}

#[tokio::test]
async fn a_case_whatever_form_its_number_is_written_in() {
    let app = app();
    for uri in [
        "/api/cases/KS%202013/87",
        "/api/cases/KS/2013:87",
        "/api/cases/Dnr%20KS%202013/0087",
        "/api/cases/ks-2013-87",
        "/api/cases/KS%202013%2F87",
    ] {
        let (status, body) = json_from(&app, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        assert_eq!(
            body,
            json!({"case_number": "KS 2013/87", "items": [krokom_85()]}),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn an_unknown_case_and_no_case_number_are_4xx_with_codes() {
    let app = app();
    assert_eq!(
        json_from(&app, "/api/cases/KS%201999/1").await,
        (
            StatusCode::NOT_FOUND,
            json!({"code": "case_not_found", "message": "no case \"KS 1999/1\" in the archive"})
        )
    );
    assert_eq!(
        json_from(&app, "/api/cases/budget").await,
        (
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_parameter", "message": "case_number: \"budget\" is not a case number; write it as KS 2013/123 or 2013/123"})
        )
    );
}

#[tokio::test]
async fn every_hit_and_item_links_to_its_meeting_case_and_source() {
    let app = app();
    let (_, found) = json_from(&app, "/api/search?dnr=KS%202013/87").await;
    assert_eq!(found["hits"][0]["links"], krokom_85()["links"]);
    let (_, item) = json_from(&app, "/api/items/krokom-ks-2013-05-15.02").await;
    assert_eq!(item["links"], krokom_85()["links"]);
    assert_eq!(item["page"], 2);
    // § 84 starts on page 2 and § 86 on page 3 (pdftotext, page by page).
    let (_, first) = json_from(&app, "/api/items/krokom-ks-2013-05-15.01").await;
    assert_eq!(
        first["links"]["source"],
        "/api/items/krokom-ks-2013-05-15.01/source#page=2"
    );
    let (_, last) = json_from(&app, "/api/items/krokom-ks-2013-05-15.03").await;
    assert_eq!(
        last["links"]["source"],
        "/api/items/krokom-ks-2013-05-15.03/source#page=3"
    );
    // A meeting page without case numbers: links to its meeting and source, none to a case.
    let (_, hit) = json_from(&app, "/api/search?q=munskydd&municipality=Krokom&limit=1").await;
    assert_eq!(
        hit["hits"][0]["links"],
        json!({
            "item": "/api/items/svom-2020-12-04.15",
            "meeting": "/api/meetings/svom-2020-12-04",
            "source": "/api/items/svom-2020-12-04.15/source"
        })
    );
}

// ---------------------------------------------------------------------------------------------
// The real protokoll: which items are one case, written down by reading the annotations in
// tests/fixtures/real-protokoll/ (their `case_number` and `cites`)

/// Kungsbacka's kommunstyrelsen of 2026-08-25 decided § 179 (Dnr KS-2025-00970); an
/// invented later meeting of fullmäktige cites it without a number of its own.
const CITING_KF: &str = "Kommunfullmäktige 2026-09-21\n\n\
    Markanvisning för Aranäs etapp 4\n\n\
    Kommunstyrelsen 2026-08-25, § 179 har berett ärendet och föreslår att anbudet antas.\n\n\
    Kommunfullmäktige beslutar att godkänna markanvisningen.\n";

/// The router over the ten real protokoll and the citing meeting, built once.
fn real_app() -> axum::Router {
    static ENGINE: OnceLock<(tempfile::TempDir, Arc<paragraf_query::Engine>)> = OnceLock::new();
    let (_, engine) = ENGINE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let extra = dir.path().join("extra");
        write_file(&extra.join("kommunfullmaktige-2026-09-21.txt"), CITING_KF);
        let corpus: PathBuf = repo_root().join("../shared/corpus/real-protokoll");
        let archive = paragraf_indexer::archive::parse_paths(&[corpus, extra]).expect("parse");
        let index = dir.path().join("index");
        paragraf_indexer::build(&archive.items, &index, 1).expect("build");
        let engine = paragraf_query::Engine::open(&index).expect("open");
        (dir, Arc::new(engine))
    });
    router(AppState::new(engine.clone()), &HttpConfig::default())
}

/// (date, §, how linked) of a case's items.
async fn steps(app: &axum::Router, uri: &str) -> Vec<(String, String, String)> {
    let (status, body) = json_from(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["meeting"]["date"].as_str().unwrap_or("-").to_string(),
                i["section"].as_str().unwrap_or("-").to_string(),
                i["linked_by"]["kind"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect()
}

fn step(date: &str, section: &str, kind: &str) -> (String, String, String) {
    (date.into(), section.into(), kind.into())
}

#[tokio::test]
async fn cases_of_the_real_protokoll() {
    let app = real_app();
    // Jönköping BUN 2019-01-08: the elections of §§ 8-12 are one case, Bun/2019:49.
    let bun = |n: &str| step("2019-01-08", n, "case_number");
    let expected = vec![
        bun("§ 8"),
        bun("§ 9"),
        bun("§ 10"),
        bun("§ 11"),
        bun("§ 12"),
    ];
    assert_eq!(steps(&app, "/api/cases/Bun/2019:49").await, expected);
    assert_eq!(steps(&app, "/api/cases/BUN%202019/49").await, expected);
    // BUN 2023-01-02: §§ 2-6 are Bun/2022:1052.
    let bun = |n: &str| step("2023-01-02", n, "case_number");
    assert_eq!(
        steps(&app, "/api/cases/Bun/2022:1052").await,
        vec![bun("§ 2"), bun("§ 3"), bun("§ 4"), bun("§ 5"), bun("§ 6")]
    );
    // Lomma SBN § 38 cites "SBNAU 2025-08-25", a meeting the archive does not hold, and
    // Kungsbacka KS § 180 cites KSAU 2026-08-11 § 240 and KS 2026-02-17 § 35, not held
    // either: each case is its one item.
    assert_eq!(
        steps(&app, "/api/cases/SBN/2025:74").await,
        vec![step("2025-09-01", "§ 38", "case_number")]
    );
    assert_eq!(
        steps(&app, "/api/cases/KS-2026-00174").await,
        vec![step("2026-08-25", "§ 180", "case_number")]
    );
    // KS § 179 (KS-2025-00970) and the later fullmäktige item citing it.
    let (_, case) = json_from(&app, "/api/cases/KS-2025-00970").await;
    let items = case["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "{case}");
    assert_eq!(
        (&items[0]["section"], &items[0]["linked_by"]),
        (&json!("§ 179"), &json!({"kind": "case_number"}))
    );
    let cited = items[0]["id"].clone();
    assert_eq!(
        items[1]["linked_by"],
        json!({"kind": "citation", "cites": "Kommunstyrelsen 2026-08-25, § 179", "item": cited})
    );
    assert_eq!(items[1]["meeting"]["id"], "kommunfullmaktige-2026-09-21");
    // The citing item's own view links to the case it joined.
    let id = items[1]["id"].as_str().expect("an id").to_string();
    let (_, view) = json_from(&app, &format!("/api/items/{id}")).await;
    assert_eq!(view["links"]["case"], "/api/cases/KS%202025/970");
}

#[tokio::test]
async fn an_item_citing_no_held_meeting_has_no_case() {
    let app = real_app();
    // Mellerud 2020-02-26 § 37 has no Dnr and cites "Kommunfullmäktige har beslutat
    // 2020-01-29", with no §: nothing to link.
    let (_, found) = json_from(
        &app,
        "/api/search?q=&from=2020-02-26&to=2020-02-26&limit=100",
    )
    .await;
    let hit = found["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .find(|h| h["section"] == "§ 37")
        .expect("§ 37 of Mellerud")
        .clone();
    let (_, view) = json_from(&app, hit["links"]["item"].as_str().expect("a link")).await;
    assert_eq!(view["case_number"], Value::Null);
    assert_eq!(view["links"]["case"], Value::Null, "{}", view["links"]);
}

// ---------------------------------------------------------------------------------------------
// Browse a meeting

#[tokio::test]
async fn a_meeting_with_its_items_attendance_and_justerare() {
    let app = app();
    let (status, body) = json_from(&app, "/api/meetings/krokom-ks-2013-05-15").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["meeting"]["justerare"],
        json!(["Cristine Persson", "Jörgen Blom"])
    );
    assert_eq!(
        body["meeting"]["attendees"][0],
        json!({"name": "Maria Söderberg", "party": "C", "role": "ordf"})
    );
    let items: Vec<(u64, &str, &str)> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["ordinal"].as_u64().unwrap_or(0),
                i["section"].as_str().unwrap_or("-"),
                i["case_number"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        items,
        [
            (1, "§ 84", "KS 2013/123"),
            (2, "§ 85", "KS 2013/87"),
            (3, "§ 86", "KS 2013/140")
        ]
    );
    assert_eq!(body["items"][1], {
        let mut i = krokom_85();
        let o = i.as_object_mut().expect("object");
        o.remove("meeting");
        o.remove("linked_by");
        o.insert("ordinal".into(), json!(2));
        o.insert("case_number".into(), json!("KS 2013/87"));
        i
    });
    // Sixteen items of the seed meeting, in agenda order.
    let (_, svom) = json_from(&app, "/api/meetings/svom-2020-12-04").await;
    let ordinals: Vec<u64> = svom["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["ordinal"].as_u64())
        .collect();
    assert_eq!(ordinals, (1..=16).collect::<Vec<u64>>());
    assert_eq!(
        json_from(&app, "/api/meetings/nope").await,
        (
            StatusCode::NOT_FOUND,
            json!({"code": "meeting_not_found", "message": "no meeting with id \"nope\""})
        )
    );
}

// ---------------------------------------------------------------------------------------------
// Bevaka: the Atom feed

#[tokio::test]
async fn a_search_as_an_atom_feed() {
    let app = app();
    let reply = get_from(&app, "/api/search.atom?dnr=KS%202013/87").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(content_type(&reply), "application/atom+xml; charset=utf-8");
    assert_eq!(
        text(&reply),
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="sv">
  <title>Paragraf: alla ärenden</title>
  <id>tag:paragraf,2024:search?dnr=KS%202013/87</id>
  <updated>2013-05-15T00:00:00Z</updated>
  <link rel="self" type="application/atom+xml" href="/api/search.atom?dnr=KS%202013/87"/>
  <link rel="alternate" type="text/html" href="/?dnr=KS%202013/87"/>
  <author><name>Paragraf</name></author>
  <generator>Paragraf</generator>
  <entry>
    <id>tag:paragraf,2024:item/krokom-ks-2013-05-15.02</id>
    <title>Kommunstyrelsen 2013-05-15 § 85 Rambudget 2014 med plan för 2015-2016</title>
    <updated>2013-05-15T00:00:00Z</updated>
    <link rel="alternate" type="text/html" href="/?item=krokom-ks-2013-05-15.02"/>
    <link rel="related" type="application/json" href="/api/items/krokom-ks-2013-05-15.02"/>
    <category term="KS 2013/87" label="Dnr KS 2013/87"/>
    <summary>Kommunstyrelsen beslutar att föreslå kommunfullmäktige att anta rambudget 2014 med plan för 2015-2016.</summary>
  </entry>
</feed>
"#
    );
}

#[tokio::test]
async fn feed_entries_are_newest_first_with_ids_from_items() {
    let app = app();
    let feed = text(&get_from(&app, "/api/search.atom?q=munskydd&sort=relevance&limit=5").await);
    let (_, listing) = json_from(&app, "/api/search?q=munskydd&sort=date&limit=5").await;
    let ids: Vec<String> = listing["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            format!(
                "<id>tag:paragraf,2024:item/{}</id>",
                h["id"].as_str().unwrap_or("")
            )
        })
        .collect();
    let in_feed: Vec<String> = feed
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("<id>tag:paragraf,2024:item/"))
        .map(str::to_string)
        .collect();
    assert_eq!(in_feed, ids);
    // A markup-laden query is escaped where it is shown.
    let feed = text(&get_from(&app, "/api/search.atom?q=%3Cscript%3E%26").await);
    assert!(
        feed.contains("<title>Paragraf: &lt;script&gt;&amp;</title>"),
        "{feed}"
    );
    assert!(!feed.contains("<script>"));
}

#[tokio::test]
async fn bad_feed_and_export_parameters_are_the_errors_of_search() {
    let app = app();
    for (params, code) in [
        ("limit=0", "invalid_limit"),
        ("from=igår", "invalid_date"),
        ("municipality=Atlantis", "invalid_municipality"),
        ("speker=x", "unknown_parameter"),
        ("sort=newest", "invalid_parameter"),
    ] {
        let (status, expected) = json_from(&app, &format!("/api/search?{params}")).await;
        assert_eq!(
            (status, expected["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some(code))
        );
        for route in ["/api/search.atom", "/api/search.csv", "/api/search.jsonl"] {
            let uri = format!("{route}?{params}");
            assert_eq!(
                json_from(&app, &uri).await,
                (status, expected.clone()),
                "{uri}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Export

#[tokio::test]
async fn a_result_as_csv_for_swedish_excel() {
    let app = app();
    // A listing: newest meeting first, agenda order within it (§ 85, then § 86).
    let reply = get_from(&app, "/api/search.csv?dnr=KS%202013/87&dnr=KS%202013/140").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(content_type(&reply), "text/csv; charset=utf-8");
    assert_eq!(
        reply.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"paragraf-export.csv\""
    );
    assert_eq!(
        text(&reply),
        "\u{feff}datum;organ;paragraf;rubrik;diarienummer;beslut;talare;kommuner;id;länk\r\n\
         2013-05-15;Kommunstyrelsen;§ 85;Rambudget 2014 med plan för 2015-2016;KS 2013/87;Kommunstyrelsen beslutar att föreslå kommunfullmäktige att anta rambudget 2014 med plan för 2015-2016.;;;krokom-ks-2013-05-15.02;/api/items/krokom-ks-2013-05-15.02\r\n\
         2013-05-15;Kommunstyrelsen;§ 86;Bemyndigande att besluta om försäljning av brandstationer;KS 2013/140;Kommunstyrelsen beslutar att ge kommunchefen rätt att sälja brandstationerna i Föllinge och Hotagen.;;;krokom-ks-2013-05-15.03;/api/items/krokom-ks-2013-05-15.03\r\n"
    );
}

#[tokio::test]
async fn an_export_holds_every_row_of_the_result_in_order() {
    let app = app();
    // The whole archive, more than one page of 100: the same ids as paging /api/search.
    let mut expected: Vec<Value> = Vec::new();
    let mut offset = 0;
    loop {
        let (_, page) = json_from(
            &app,
            &format!("/api/search?sort=date&limit=100&offset={offset}"),
        )
        .await;
        let hits = page["hits"].as_array().expect("hits").clone();
        offset += hits.len();
        expected.extend(hits);
        if offset as u64 >= page["total"].as_u64().expect("total") {
            break;
        }
    }
    assert!(
        expected.len() > 100,
        "index-data has {} items",
        expected.len()
    );
    let reply = get_from(&app, "/api/search.jsonl?sort=date").await;
    assert_eq!(content_type(&reply), "application/x-ndjson; charset=utf-8");
    let lines: Vec<Value> = text(&reply)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines, expected);
    let csv = text(&get_from(&app, "/api/search.csv?sort=date").await);
    assert_eq!(csv.matches("\r\n").count(), expected.len() + 1);
}

// ---------------------------------------------------------------------------------------------
// The source

#[tokio::test]
async fn the_original_with_its_type_and_a_safe_name() {
    let app = app();
    let pdf = get_from(&app, "/api/items/krokom-ks-2013-05-15.02/source").await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(content_type(&pdf), "application/pdf");
    assert_eq!(
        pdf.headers[header::CONTENT_DISPOSITION],
        "inline; filename=\"krokom-ks-2013-05-15.pdf\""
    );
    let file = std::fs::read(index_data().join("formats/krokom-ks-2013-05-15.pdf")).expect("pdf");
    assert_eq!(pdf.body.as_ref(), file.as_slice());
    let txt = get_from(&app, "/api/items/svom-2020-12-04.15/source").await;
    assert_eq!(content_type(&txt), "text/plain; charset=utf-8");
    assert_eq!(
        text(&txt),
        std::fs::read_to_string(index_data().join("svom-2020-12-04.txt")).expect("text")
    );
    let html = get_from(&app, "/api/items/rutn-2023-03-09.01/source").await;
    assert_eq!(content_type(&html), "text/html; charset=utf-8");
    assert_eq!(html.headers[header::CONTENT_SECURITY_POLICY], "sandbox");
}

#[tokio::test]
async fn a_path_trick_never_reaches_a_file_outside_the_archive() {
    let app = app();
    for uri in [
        "/api/items/..%2F..%2F..%2Fetc%2Fpasswd/source",
        "/api/items/%2E%2E%2F%2E%2E%2FCargo.toml/source",
        "/api/items/..%252F..%252FCargo.toml/source",
    ] {
        let (status, body) = json_from(&app, uri).await;
        assert_eq!(
            (status, &body["code"]),
            (StatusCode::NOT_FOUND, &json!("item_not_found")),
            "{uri}"
        );
    }
    let (status, body) = json_from(&app, "/api/items/../../Cargo.toml/source").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    // A server given no archive has no originals to serve.
    let bare = router(AppState::new(engine()), &HttpConfig::default());
    assert_eq!(
        json_from(&bare, "/api/items/svom-2020-12-04.15/source").await,
        (
            StatusCode::NOT_FOUND,
            json!({"code": "source_not_found", "message": "the original of meeting \"svom-2020-12-04\" is not in the archive"})
        )
    );
}

#[tokio::test]
async fn a_link_out_of_the_archive_is_not_served() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let archive = tmp.path().join("archive");
    write_file(&archive.join("ks-2020-01-01.txt"), "• Budgeten antas.\n");
    write_file(
        &tmp.path().join("secret/hemligt-2020-01-02.txt"),
        "• Hemligt.\n",
    );
    std::os::unix::fs::symlink(
        tmp.path().join("secret/hemligt-2020-01-02.txt"),
        archive.join("hemligt-2020-01-02.txt"),
    )
    .expect("a link");
    let parsed =
        paragraf_indexer::archive::parse_paths(std::slice::from_ref(&archive)).expect("parse");
    let index = tmp.path().join("index");
    paragraf_indexer::build(&parsed.items, &index, 1).expect("build");
    let engine = Arc::new(paragraf_query::Engine::open(&index).expect("open"));
    let app = router(
        AppState::new(engine).with_archive(vec![archive]),
        &HttpConfig::default(),
    );
    let inside = get_from(&app, "/api/items/ks-2020-01-01.01/source").await;
    assert_eq!(
        (inside.status, text(&inside)),
        (StatusCode::OK, "• Budgeten antas.\n".to_string())
    );
    // Whether the archive lists the link or not, its target is never served.
    let outside = get_from(&app, "/api/items/hemligt-2020-01-02.01/source").await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND);
    assert!(!text(&outside).contains("Hemligt"), "{}", text(&outside));
}
