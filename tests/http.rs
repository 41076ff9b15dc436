//! The HTTP API driven through the real router with `oneshot` (no socket), over the index of
//! `index-data/`. Whole JSON bodies are asserted, errors included.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use paragraf_server::{router, AppState, HttpConfig};
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::util::http::send;
use crate::util::index::engine;
use crate::util::without_marks;

/// Sends a GET to the router and returns status, headers and the JSON body.
async fn get_with(
    uri: &str,
    config: &HttpConfig,
    origin: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    let app = router(AppState::new(engine()), config);
    let mut request = Request::builder().uri(uri);
    if let Some(origin) = origin {
        request = request.header(header::ORIGIN, origin);
    }
    let reply = send(&app, request.body(Body::empty()).expect("request")).await;
    let body = serde_json::from_slice(&reply.body).unwrap_or_else(|e| {
        panic!(
            "{uri}: body is not JSON ({e}): {}",
            String::from_utf8_lossy(&reply.body)
        )
    });
    (reply.status, reply.headers, body)
}

async fn get(uri: &str) -> (StatusCode, Value) {
    let (status, _, body) = get_with(uri, &HttpConfig::default(), None).await;
    (status, body)
}

/// `took_ms` and scores vary from run to run: check their type and order, then fix them.
fn normalize(mut body: Value) -> Value {
    assert!(
        body["took_ms"].is_u64(),
        "took_ms is a whole number: {body}"
    );
    body["took_ms"] = json!(0);
    let mut last = f64::INFINITY;
    if let Some(hits) = body["hits"].as_array_mut() {
        for hit in hits {
            if let Some(score) = hit["score"].as_f64() {
                assert!(
                    score > 0.0 && score <= last,
                    "scores are positive and descending"
                );
                last = score;
                hit["score"] = json!(1.0);
            }
        }
    }
    body
}

#[tokio::test]
async fn search_with_municipality_filter_whole_body() {
    let (status, body) = get("/api/search?q=munskydd&municipality=Krokom&limit=1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        normalize(body),
        json!({
            "query": "munskydd",
            "total": 2,
            "took_ms": 0,
            "mode": "all",
            "did_you_mean": null,
            "sort": "relevance",
            "offset": 0,
            "limit": 1,
            "hits": [{
                "id": "svom-2020-12-04.15",
                "score": 1.0,
                "meeting": {"id": "svom-2020-12-04", "body": "SVOM", "date": "2020-12-04"},
                "section": null,
                "title": null,
                "snippet": "1. Coronamöten på onsdagar\n\nLedamöterna beslutar att det blir ett corona-möte på onsdag i nästa vecka. Både <mark>munskydd</mark> och skyddshandskar är frågor som bör diskuteras på det kommande mötet. Vidare bör kommande …",
                "decisions": ["Ledamöterna beslutar att det blir ett corona-möte på onsdag i nästa vecka."],
                "speakers": [],
                "municipalities": [{"name": "Krokom", "code": "2309", "county": "Jämtlands län"}],
                "links": {
                    "item": "/api/items/svom-2020-12-04.15",
                    "meeting": "/api/meetings/svom-2020-12-04",
                    "source": "/api/items/svom-2020-12-04.15/source"
                }
            }],
            "facets": {
                // The municipality facet ignores its own filter: all items with "munskydd".
                "municipality": [
                    {"value": "2309", "name": "Krokom", "count": 2},
                    {"value": "2303", "name": "Ragunda", "count": 1},
                    {"value": "2305", "name": "Bräcke", "count": 1},
                    {"value": "2313", "name": "Strömsund", "count": 1},
                    {"value": "2321", "name": "Åre", "count": 1},
                    {"value": "2361", "name": "Härjedalen", "count": 1},
                    {"value": "2380", "name": "Östersund", "count": 1}
                ],
                "speaker": [
                    {"value": "Anna Frisk", "count": 1},
                    {"value": "Maria S", "count": 1}
                ],
                "body": [{"value": "SVOM", "count": 2}],
                "year": [{"value": "2020", "count": 2}]
            }
        })
    );
}

#[tokio::test]
async fn item_with_neighbours_whole_body() {
    let (status, body) = get("/api/items/svom-2020-12-04.03").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({
            "id": "svom-2020-12-04.03",
            "meeting": {
                "id": "svom-2020-12-04",
                "body": "SVOM",
                "date": "2020-12-04",
                "date_precision": "day",
                "date_source": "manifest",
                "source": "shared/seeds/000_9ab99b2f6feb9d46.txt (Region Jämtland Härjedalen, SVOM meeting page mote-2020-12-04)"
            },
            "ordinal": 3,
            "section": "§ 54",
            "title": "Val av justerare och tid för justering",
            "text": "",
            "speakers": [],
            "municipalities": [],
            "decisions": [],
            "language": "swe",
            "previous": {"id": "svom-2020-12-04.02", "ordinal": 2, "section": null, "title": null},
            "next": {"id": "svom-2020-12-04.04", "ordinal": 4, "section": null, "title": null},
            "links": {
                "item": "/api/items/svom-2020-12-04.03",
                "meeting": "/api/meetings/svom-2020-12-04",
                "source": "/api/items/svom-2020-12-04.03/source"
            }
        })
    );
}

#[tokio::test]
async fn first_and_last_items_have_no_neighbour_outside_the_meeting() {
    let (_, first) = get("/api/items/svom-2020-12-04.01").await;
    assert_eq!(first["previous"], Value::Null);
    assert_eq!(first["next"]["id"], "svom-2020-12-04.02");
    let (_, last) = get("/api/items/svom-2020-12-04.16").await;
    assert_eq!(last["previous"]["id"], "svom-2020-12-04.15");
    assert_eq!(last["next"], Value::Null);
}

#[tokio::test]
async fn health_reports_index_statistics() {
    let (status, mut body) = get("/health").await;
    assert_eq!(status, StatusCode::OK);
    let built_at = body["built_at"]
        .as_str()
        .expect("built_at is a string")
        .to_string();
    assert!(
        built_at.ends_with('Z') && built_at.len() == 20,
        "RFC 3339 UTC: {built_at}"
    );
    body["built_at"] = json!("");
    assert_eq!(
        body,
        json!({
            "status": "ok",
            "items": 136,
            "meetings": 21,
            "built_at": "",
            "schema_version": paragraf_indexer::index::schema::SCHEMA_VERSION,
            // scripts/setup installs hunspell-sv, so compounds are split.
            "decompounding": true
        })
    );
}

#[tokio::test]
async fn errors_are_json_with_stable_codes() {
    let too_long = format!("/api/search?q={}", "a".repeat(501));
    let cases: Vec<(&str, StatusCode, Value)> = vec![
        (
            "/api/search?q=munskydd&from=2020-13-01",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_date", "message": "from: \"2020-13-01\" is not a date; write YYYY-MM-DD (or YYYY-MM, YYYY)"}),
        ),
        (
            "/api/search?from=2021-01-01&to=2020-01-01",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_date", "message": "from (2021-01-01) is after to (2020-01-01)"}),
        ),
        (
            "/api/search?municipality=23801",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_municipality", "message": "municipality: \"23801\" is not a municipality name, a four-digit municipality code (2380) or a two-digit county code (23)"}),
        ),
        // A well-formed code that names no municipality or county (issue 18).
        (
            "/api/search?municipality=9999",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_municipality", "message": "municipality: \"9999\" is not a municipality name, a four-digit municipality code (2380) or a two-digit county code (23)"}),
        ),
        (
            "/api/search?municipality=99",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_municipality", "message": "municipality: \"99\" is not a municipality name, a four-digit municipality code (2380) or a two-digit county code (23)"}),
        ),
        // A misspelt filter name gave unfiltered results (issue 18).
        (
            "/api/search?q=munskydd&municipalty=Krokom",
            StatusCode::BAD_REQUEST,
            json!({"code": "unknown_parameter", "message": "municipalty: no such parameter; /api/search takes q, municipality, speaker, body, case_number (or dnr), from, to, sort, limit and offset"}),
        ),
        (
            "/api/search?q=a&limit=101",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_limit", "message": "limit: 101 is out of range; use 1 to 100"}),
        ),
        (
            "/api/search?q=a&limit=0",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_limit", "message": "limit: 0 is out of range; use 1 to 100"}),
        ),
        (
            "/api/search?q=a&offset=995",
            StatusCode::BAD_REQUEST,
            json!({"code": "offset_too_deep", "message": "offset: 995 is too deep; offset + limit may be at most 1000; narrow the search with filters instead"}),
        ),
        (
            "/api/search?q=a&limit=ten",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_parameter", "message": "limit: \"ten\" is not a whole number"}),
        ),
        (
            "/api/search?q=a&sort=popular",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_parameter", "message": "sort: \"popular\" is not an order; use relevance or date"}),
        ),
        (
            too_long.as_str(),
            StatusCode::BAD_REQUEST,
            json!({"code": "query_too_long", "message": "q: the query is 501 characters long; at most 500 are allowed"}),
        ),
        (
            "/api/items/svom-1999-01-01.01",
            StatusCode::NOT_FOUND,
            json!({"code": "item_not_found", "message": "no item with id \"svom-1999-01-01.01\""}),
        ),
        (
            "/api/items/..%2F..%2Fetc%2Fpasswd",
            StatusCode::NOT_FOUND,
            json!({"code": "item_not_found", "message": "no item with id \"../../etc/passwd\""}),
        ),
        (
            "/api/nothing",
            StatusCode::NOT_FOUND,
            json!({"code": "not_found", "message": "no such route: /api/nothing"}),
        ),
    ];
    for (uri, status, expected) in cases {
        let (got_status, body) = get(uri).await;
        assert_eq!((got_status, body), (status, expected), "{uri}");
    }
}

#[tokio::test]
async fn whatever_is_typed_gives_results_not_errors() {
    for q in [
        "AND",
        "%22",
        "%22munskydd",
        "-",
        "*",
        "OR%20OR",
        "((",
        "munskydd%20AND",
        "%3Cscript%3E",
        "NOT",
        "%E2%80%A2",
        "a%22b%22c",
    ] {
        let (status, body) = get(&format!("/api/search?q={q}")).await;
        assert_eq!(status, StatusCode::OK, "{q}: {body}");
        assert!(body["total"].is_u64(), "{q}: {body}");
    }
    // A lone operator is an empty query: a listing of every item, newest first.
    let (_, body) = get("/api/search?q=AND&limit=1").await;
    assert_eq!(
        (body["total"].clone(), body["mode"].clone()),
        (json!(136), json!("none"))
    );
}

#[tokio::test]
async fn markup_in_queries_never_reaches_snippets_unescaped() {
    let (_, body) = get("/api/search?q=munskydd%20%3Cb%3E&limit=5").await;
    for hit in body["hits"].as_array().expect("hits") {
        let snippet = hit["snippet"].as_str().expect("snippet");
        let stripped = without_marks(snippet);
        assert!(
            !stripped.contains('<') && !stripped.contains('>'),
            "escaped: {snippet}"
        );
    }
}

#[tokio::test]
async fn cors_only_for_configured_origins() {
    let config = HttpConfig {
        cors_origins: vec!["https://intranat.krokom.se".to_string()],
        ..HttpConfig::default()
    };
    let (_, headers, _) = get_with(
        "/api/search?q=munskydd",
        &config,
        Some("https://intranat.krokom.se"),
    )
    .await;
    assert_eq!(
        headers
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .map(|v| v.to_str().unwrap_or_default()),
        Some("https://intranat.krokom.se")
    );
    let (_, headers, _) = get_with(
        "/api/search?q=munskydd",
        &config,
        Some("https://evil.example"),
    )
    .await;
    assert_eq!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN), None);
    let (_, headers, _) = get_with(
        "/api/search?q=munskydd",
        &HttpConfig::default(),
        Some("https://intranat.krokom.se"),
    )
    .await;
    assert_eq!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN), None);
}

#[tokio::test]
async fn openapi_describes_every_route() {
    let (status, body) = get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["openapi"], "3.1.0");
    let mut paths: Vec<&str> = body["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .map(String::as_str)
        .collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        vec![
            "/api/cases/{case_number}",
            "/api/items/{id}",
            "/api/items/{id}/source",
            "/api/meetings/{id}",
            "/api/openapi.json",
            "/api/search",
            "/api/search.atom",
            "/api/search.csv",
            "/api/search.jsonl",
            "/api/suggest",
            "/health",
            "/metrics"
        ]
    );
}

/// Checks `value` against `schema` of the OpenAPI document `doc`: types, required fields, and
/// that every field the API returned is described (the document is generated from the types,
/// so a field missing here is one a serde attribute hides from utoipa). Returns the first
/// mismatch as `path: what`.
fn conforms(doc: &Value, schema: &Value, value: &Value, path: &str) -> Result<(), String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        let target = &doc["components"]["schemas"][name];
        if target.is_null() {
            return Err(format!("{path}: no schema {name}"));
        }
        return conforms(doc, target, value, path);
    }
    if let Some(alternatives) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        return if alternatives
            .iter()
            .any(|alt| conforms(doc, alt, value, path).is_ok())
        {
            Ok(())
        } else {
            Err(format!("{path}: {value} fits none of {alternatives:?}"))
        };
    }
    if let Some(parts) = schema["allOf"].as_array() {
        // A flattened struct: the parts together describe the object's fields.
        let mut merged = serde_json::Map::new();
        let mut required = Vec::new();
        for part in parts {
            let part = match part["$ref"].as_str() {
                Some(r) => {
                    &doc["components"]["schemas"][r.trim_start_matches("#/components/schemas/")]
                }
                None => part,
            };
            if let Some(props) = part["properties"].as_object() {
                merged.extend(props.clone());
            }
            if let Some(req) = part["required"].as_array() {
                required.extend(req.clone());
            }
        }
        let combined = json!({"type": "object", "properties": merged, "required": required});
        return conforms(doc, &combined, value, path);
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let fits = types.is_empty()
        || types.contains(&kind)
        || (kind == "integer" && types.contains(&"number"));
    if !fits {
        return Err(format!("{path}: {kind} where the document says {types:?}"));
    }
    if let (Some(allowed), Value::String(s)) = (schema["enum"].as_array(), value) {
        if !allowed.contains(&Value::String(s.clone())) {
            return Err(format!("{path}: {s:?} is not one of {allowed:?}"));
        }
    }
    match value {
        Value::Object(fields) => {
            let props = schema["properties"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            for name in schema["required"].as_array().into_iter().flatten() {
                let name = name.as_str().unwrap_or_default();
                if !fields.contains_key(name) {
                    return Err(format!("{path}: required field {name} missing"));
                }
            }
            for (name, field) in fields {
                let Some(field_schema) = props.get(name) else {
                    return Err(format!("{path}: field {name} is not in the document"));
                };
                conforms(doc, field_schema, field, &format!("{path}.{name}"))?;
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                conforms(doc, &schema["items"], item, &format!("{path}[{i}]"))?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Live answers of every JSON route, errors included, fit the OpenAPI document (issue 18).
#[tokio::test]
async fn live_responses_fit_the_openapi_document() {
    let (_, doc) = get("/api/openapi.json").await;
    let cases = [
        (
            "/api/search",
            "/api/search?q=munskydd&municipality=Krokom",
            "200",
        ),
        (
            "/api/search",
            "/api/search?q=avtal&sort=date&limit=3",
            "200",
        ),
        ("/api/search", "/api/search?dnr=KS%202013/87", "200"),
        ("/api/search", "/api/search?q=x&limit=0", "400"),
        ("/api/items/{id}", "/api/items/svom-2020-12-04.15", "200"),
        ("/api/items/{id}", "/api/items/nope.01", "404"),
        ("/api/suggest", "/api/suggest?q=bes%C3%B6", "200"),
        ("/api/cases/{case_number}", "/api/cases/KS%202013/87", "200"),
        ("/api/cases/{case_number}", "/api/cases/KS%201999/1", "404"),
        ("/api/cases/{case_number}", "/api/cases/budget", "400"),
        (
            "/api/meetings/{id}",
            "/api/meetings/krokom-ks-2013-05-15",
            "200",
        ),
        ("/api/meetings/{id}", "/api/meetings/nope", "404"),
        ("/api/search.atom", "/api/search.atom?limit=0", "400"),
        ("/api/search.csv", "/api/search.csv?from=x", "400"),
        ("/api/search.jsonl", "/api/search.jsonl?speker=x", "400"),
        (
            "/api/items/{id}/source",
            "/api/items/svom-2020-12-04.15/source",
            "404",
        ),
        ("/api/suggest", "/api/suggest?q=a&limit=x", "400"),
        ("/health", "/health", "200"),
    ];
    for (route, uri, status) in cases {
        let (got, body) = get(uri).await;
        assert_eq!(got.as_str(), status, "{uri}");
        let response = &doc["paths"][route]["get"]["responses"][status];
        let schema = &response["content"]["application/json"]["schema"];
        assert!(
            schema.is_object(),
            "{uri}: the document describes its {status}"
        );
        if let Err(e) = conforms(&doc, schema, &body, "body") {
            panic!("{uri}: {e}");
        }
    }
    // The check itself tells a field the document lacks, and a missing required one.
    let hit = json!({"$ref": "#/components/schemas/Hit"});
    let mut body = get("/api/search?q=munskydd").await.1["hits"][0].clone();
    assert_eq!(conforms(&doc, &hit, &body, "hit"), Ok(()));
    body["undocumented"] = json!(1);
    assert_eq!(
        conforms(&doc, &hit, &body, "hit"),
        Err("hit: field undocumented is not in the document".to_string())
    );
    assert_eq!(
        conforms(&doc, &hit, &json!({"id": "x"}), "hit"),
        Err("hit: required field meeting missing".to_string())
    );
    // Items with case numbers and attendance are described too (a formal protokoll).
    let (_, hits) = get("/api/search?dnr=KS%202013/87").await;
    let id = hits["hits"][0]["id"]
        .as_str()
        .expect("a hit with a case number")
        .to_string();
    let (_, item) = get(&format!("/api/items/{id}")).await;
    assert!(item["case_number"].is_string(), "{item}");
    let schema = &doc["paths"]["/api/items/{id}"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    if let Err(e) = conforms(&doc, schema, &item, "body") {
        panic!("{id}: {e}");
    }
}

#[tokio::test]
async fn suggestions_complete_the_last_word() {
    let (status, body) = get("/api/suggest?q=bes%C3%B6&limit=3").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["query"], "besö");
    let texts: Vec<&str> = body["suggestions"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|s| s["text"].as_str())
        .collect();
    assert_eq!(texts.len(), 3, "{body}");
    assert!(texts.iter().all(|t| t.starts_with("besö")), "{texts:?}");
    // Names come first and carry their filter value.
    let (_, body) = get("/api/suggest?q=ingela&limit=2").await;
    assert_eq!(
        body["suggestions"][0],
        json!({"text": "Ingela Jönsson", "kind": "speaker", "count": 7, "value": "Ingela Jönsson"})
    );
    // Krokom: four items that name it and the three of Krokom's own kommunstyrelse (issue 15).
    let (_, body) = get("/api/suggest?q=krok&limit=1").await;
    assert_eq!(
        body["suggestions"][0],
        json!({"text": "Krokom", "kind": "municipality", "count": 7, "value": "2309"})
    );
    let (status, body) = get("/api/suggest?q=x&limit=500").await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_limit", "message": "limit: 500 is out of range; use 1 to 100"})
        )
    );
}

#[tokio::test]
async fn did_you_mean_corrects_words_no_item_holds() {
    let (status, body) = get("/api/search?q=munskyd&limit=1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["did_you_mean"], "munskydd");
    // Typo tolerance already finds the items, ranked as typo matches.
    assert_eq!(body["total"], 3);
    let (_, body) = get("/api/search?q=munskydd&limit=1").await;
    assert_eq!(body["did_you_mean"], Value::Null);
    // Two letters swapped count as one typo; a long word may have two.
    let (_, body) = get("/api/search?q=munksydd&limit=1").await;
    assert_eq!(body["did_you_mean"], "munskydd");
    let (_, body) = get("/api/search?q=brotofferjouren%20Krokom&limit=1").await;
    assert_eq!(body["did_you_mean"], "brottsofferjouren Krokom");
}

#[tokio::test]
async fn case_number_filter_matches_exact_case_numbers() {
    // The PDF protokoll in index-data/formats holds KS 2013/123, KS 2013/87 and KS 2013/140.
    for uri in [
        "/api/search?case_number=KS%202013/87",
        "/api/search?dnr=ks-2013/87",
        "/api/search?dnr=Dnr%20KS%202013/87",
        "/api/search?dnr=2013/87",
    ] {
        let (status, body) = get(uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        let ids: Vec<&str> = body["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .filter_map(|h| h["id"].as_str())
            .collect();
        assert_eq!(ids, ["krokom-ks-2013-05-15.02"], "{uri}");
        assert_eq!(body["hits"][0]["case_number"], "KS 2013/87", "{uri}");
    }
    // Repeated values are OR; "KS 2013/1" is not a prefix match of KS 2013/123 or /140.
    let (_, body) = get("/api/search?dnr=KS%202013/87&dnr=KS%202013/140&dnr=KS%202013/1").await;
    assert_eq!(body["total"], 2);
    let (status, body) = get("/api/search?dnr=budget").await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_parameter", "message": "case_number: \"budget\" is not a case number; write it as KS 2013/123 or 2013/123"})
        )
    );
}

// ---------------------------------------------------------------------------------------------
// Issue #17: the framework's own rejections, dates out of range, nosniff, CORS origins

#[tokio::test]
async fn framework_rejections_are_json_errors() {
    let cases: Vec<(&str, StatusCode, Value)> = vec![
        (
            "/api/items/%FF",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_parameter", "message": "id: not UTF-8 text once percent-decoded"}),
        ),
        (
            "/assets/%FF",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_parameter", "message": "file: not UTF-8 text once percent-decoded"}),
        ),
        (
            "/api/suggest?q=a&q=b",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_parameter", "message": "malformed query string: q: unsupported value"}),
        ),
        (
            "/api/search?q=%FF",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_parameter", "message": "q: the value is not UTF-8 text once percent-decoded"}),
        ),
        (
            "/api/suggest?q=%C3",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_parameter", "message": "q: the value is not UTF-8 text once percent-decoded"}),
        ),
        (
            "/api/search?municipality=%E4",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_parameter", "message": "municipality: the value is not UTF-8 text once percent-decoded"}),
        ),
    ];
    for (uri, status, expected) in cases {
        let (got_status, headers, body) = get_with(uri, &HttpConfig::default(), None).await;
        assert_eq!((got_status, body), (status, expected), "{uri}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{uri}");
    }
}

#[tokio::test]
async fn dates_the_index_cannot_hold_are_invalid_date() {
    let range = "is outside the dates the index can hold, 1677-09-22 to 2262-04-11";
    for (uri, message) in [
        ("/api/search?from=3000", format!("from: \"3000\" {range}")),
        (
            "/api/search?q=munskydd&to=9999-12-31",
            format!("to: \"9999-12-31\" {range}"),
        ),
        (
            "/api/search?from=2262-04-12",
            format!("from: \"2262-04-12\" {range}"),
        ),
        ("/api/search?to=1000", format!("to: \"1000\" {range}")),
    ] {
        assert_eq!(
            get(uri).await,
            (
                StatusCode::BAD_REQUEST,
                json!({"code": "invalid_date", "message": message})
            ),
            "{uri}"
        );
    }
    // The last day the index holds is a date like any other.
    let (status, body) = get("/api/search?to=2262-04-11&limit=1").await;
    assert_eq!((status, &body["total"]), (StatusCode::OK, &json!(136)));
    let (status, body) = get("/api/search?from=2262-04-11").await;
    assert_eq!((status, &body["total"]), (StatusCode::OK, &json!(0)));
}

/// Status and headers of a request to the router (any body).
async fn head_of(
    method: &str,
    uri: &str,
    config: &HttpConfig,
    origin: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap) {
    let app = router(AppState::new(engine()), config);
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(origin) = origin {
        request = request
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET");
    }
    let response = app
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("router answers");
    (response.status(), response.headers().clone())
}

#[tokio::test]
async fn every_response_says_nosniff() {
    let config = HttpConfig {
        cors_origins: vec!["https://intranat.krokom.se".to_string()],
        ..HttpConfig::default()
    };
    for (method, uri, status) in [
        ("GET", "/api/search?q=munskydd", StatusCode::OK),
        ("GET", "/api/search?limit=0", StatusCode::BAD_REQUEST),
        ("GET", "/api/items/svom-2020-12-04.15", StatusCode::OK),
        ("GET", "/api/items/nope", StatusCode::NOT_FOUND),
        ("GET", "/api/items/%FF", StatusCode::BAD_REQUEST),
        ("GET", "/api/suggest?q=kro", StatusCode::OK),
        ("GET", "/api/openapi.json", StatusCode::OK),
        ("GET", "/health", StatusCode::OK),
        ("GET", "/metrics", StatusCode::UNAUTHORIZED),
        ("GET", "/", StatusCode::OK),
        ("GET", "/widget.js", StatusCode::OK),
        ("GET", "/assets/app.js", StatusCode::OK),
        ("GET", "/assets/nope.js", StatusCode::NOT_FOUND),
        ("GET", "/no/such/route", StatusCode::NOT_FOUND),
        ("POST", "/api/search", StatusCode::METHOD_NOT_ALLOWED),
        ("OPTIONS", "/api/search", StatusCode::OK),
    ] {
        let origin = (method == "OPTIONS").then_some("https://intranat.krokom.se");
        let (got, headers) = head_of(method, uri, &config, origin).await;
        assert_eq!(got, status, "{method} {uri}");
        assert_eq!(
            headers
                .get(header::X_CONTENT_TYPE_OPTIONS)
                .map(|v| v.to_str().unwrap_or_default()),
            Some("nosniff"),
            "{method} {uri}"
        );
    }
}

#[tokio::test]
async fn cors_origins_are_normalised_and_star_allows_any() {
    let allowed = |headers: &axum::http::HeaderMap| {
        headers
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .map(|v| v.to_str().unwrap_or_default().to_string())
    };
    // A trailing slash and upper case in the configured origin: a browser sends neither.
    let config = HttpConfig {
        cors_origins: vec!["HTTPS://Intranat.Krokom.se/".to_string()],
        ..HttpConfig::default()
    };
    let (_, headers, _) = get_with(
        "/api/search?q=munskydd",
        &config,
        Some("https://intranat.krokom.se"),
    )
    .await;
    assert_eq!(
        allowed(&headers),
        Some("https://intranat.krokom.se".to_string())
    );
    // `*`: any origin, no credentials.
    let any = HttpConfig {
        cors_origins: vec!["*".to_string()],
        ..HttpConfig::default()
    };
    let (status, headers, _) =
        get_with("/api/search?q=munskydd", &any, Some("https://evil.example")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(allowed(&headers), Some("*".to_string()));
    assert_eq!(headers.get(header::ACCESS_CONTROL_ALLOW_CREDENTIALS), None);
    let (status, headers) = head_of("OPTIONS", "/api/search", &any, Some("https://a.se")).await;
    assert_eq!(
        (status, allowed(&headers)),
        (StatusCode::OK, Some("*".to_string()))
    );
    // An invalid origin in a library user's config: no CORS headers (the CLI refuses it).
    let invalid = HttpConfig {
        cors_origins: vec!["intranat.krokom.se".to_string()],
        ..HttpConfig::default()
    };
    let (_, headers, _) = get_with(
        "/api/search?q=munskydd",
        &invalid,
        Some("https://intranat.krokom.se"),
    )
    .await;
    assert_eq!(allowed(&headers), None);
}
