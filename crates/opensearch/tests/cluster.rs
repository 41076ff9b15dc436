//! Both engines over `index-data/`, against a real OpenSearch cluster: the same hits, facets,
//! items, suggestions and HTTP bodies, relevance within 0.05 nDCG@10, 503 when the cluster is
//! down, and the incremental semantics of `paragraf index` (issue #21).
//!
//! The cluster's URL comes from `PARAGRAF_OPENSEARCH_URL`; `scripts/test` starts the test
//! cluster (`scripts/opensearch-cluster start`) and sets it. Without it these tests fail, with
//! the command that starts one: a skipped test must not count as a pass.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use paragraf_opensearch::{ClusterConfig, IndexSettings, Indexer, OpenSearchEngine};
use paragraf_query::eval::{evaluate, parse_judgments, Report};
use paragraf_query::{Analysis, SearchRequest, SearchResponse};
use paragraf_query::{Engine, SearchEngine};
use paragraf_server::{router, AppState, HttpConfig};
use serde_json::Value;
use tower::ServiceExt;

/// The test index (an alias) in the cluster; rebuilt by each run.
const INDEX: &str = "paragraf-parity";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn cluster_url() -> String {
    match std::env::var("PARAGRAF_OPENSEARCH_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "PARAGRAF_OPENSEARCH_URL is not set: these tests need a real OpenSearch cluster. \
             Start one with `url=\"$(scripts/opensearch-cluster start)\"` and run \
             `PARAGRAF_OPENSEARCH_URL=\"$url\" cargo test -p paragraf-opensearch`, or run \
             scripts/test, which does both (and `scripts/opensearch-cluster stop` after)"
        ),
    }
}

fn config(index: &str) -> ClusterConfig {
    let mut config =
        ClusterConfig::from_urls(&[cluster_url()]).expect("valid PARAGRAF_OPENSEARCH_URL");
    config.index = index.to_string();
    config.timeout = std::time::Duration::from_secs(30);
    config
}

struct Engines {
    _dir: tempfile::TempDir,
    tantivy: Arc<Engine>,
    opensearch: Arc<OpenSearchEngine>,
}

/// `index-data/` indexed once into both engines.
fn engines() -> &'static Engines {
    static ENGINES: OnceLock<Engines> = OnceLock::new();
    ENGINES.get_or_init(|| {
        let archive = [repo().join("index-data")];
        let dir = tempfile::tempdir().expect("temp dir");
        let parsed = paragraf_indexer::archive::parse_paths(&archive).expect("parse index-data");
        paragraf_indexer::build(&parsed.items, dir.path(), 1).expect("tantivy index");
        let tantivy = Engine::open(dir.path()).expect("open the tantivy index");
        let plan = paragraf_indexer::archive::plan(&archive).expect("plan");
        let report = Indexer::new(&config(INDEX), IndexSettings::default())
            .rebuild(&plan, &|_, _| {})
            .expect("index index-data into the cluster");
        assert_eq!(report.items, parsed.items.len() as u64);
        Engines {
            _dir: dir,
            tantivy: Arc::new(tantivy),
            opensearch: Arc::new(OpenSearchEngine::new(&config(INDEX))),
        }
    })
}

fn search(engine: &dyn SearchEngine, pairs: &[(&str, &str)]) -> SearchResponse {
    let req = SearchRequest::from_pairs(pairs.iter().copied()).expect("a good request");
    engine.search(&req).expect("search")
}

fn ids(response: &SearchResponse) -> Vec<&str> {
    response.hits.iter().map(|h| h.id.as_str()).collect()
}

/// The seed queries of `tests/search.rs` and filters of every kind.
const SEEDS: &[&[(&str, &str)]] = &[
    &[("q", "munskydd")],
    &[("q", "Storsjögläntan")],
    &[("q", "storsjögläntan"), ("sort", "date")],
    &[("q", "Brottsofferjouren")],
    &[("q", "LOSUS")],
    &[("q", "losus")],
    &[("q", "besöksförbud")],
    &[("q", "besoksforbud")],
    &[("q", "storsjoglantan")],
    &[("q", "Jonsson")],
    &[("q", "Jönsson")],
    &[("q", "utskrivningsklara")],
    &[("q", "referensgrupp")],
    &[("q", "ansökan")],
    &[("q", "onsdag")],
    &[("q", "socsam")],
    &[("q", "munskyd")],
    &[("q", "\"god och nära vård\"")],
    &[("q", "psykiatri*")],
    &[("municipality", "Krokom")],
    &[("municipality", "2309")],
    &[("municipality", "krokom")],
    &[("q", "munskydd"), ("municipality", "Krokom")],
    &[("municipality", "Berg")],
    &[("municipality", "Krokom"), ("municipality", "Strömsund")],
    &[("municipality", "2313"), ("municipality", "2361")],
    &[("municipality", "23"), ("limit", "50")],
    &[("speaker", "Ingela Jönsson"), ("q", "LOSUS")],
    &[("body", "Hälso- och sjukvårdsnämnden")],
    &[("from", "2022-06"), ("to", "2022-06")],
    &[("speaker", "Ingela Jönsson"), ("municipality", "Krokom")],
    &[("q", "munskydd -krokom")],
    &[("q", "munskydd NOT Krokom")],
    &[("q", "ostersund"), ("sort", "date")],
    &[("q", "olika"), ("from", "2024-06-03"), ("to", "2024-06-03")],
    &[("sort", "date"), ("limit", "7"), ("offset", "3")],
    &[("q", "budget OR munskydd")],
];

/// Queries whose hits are the same but may come in another order: near ties in BM25 (the
/// tantivy engine scores a word's forms as one term, OpenSearch each field's term on its own),
/// "vård" at 2.455 and 2.424 in tantivy; an any-word fallback whose two best are close.
const SAME_HITS: &[&[(&str, &str)]] = &[&[("q", "vård")], &[("q", "lokalerna krokom")]];

#[test]
fn near_ties_give_the_same_hits() {
    let e = engines();
    for pairs in SAME_HITS {
        let t = search(&*e.tantivy, pairs);
        let o = search(&*e.opensearch, pairs);
        let mut a = ids(&t);
        let mut b = ids(&o);
        a.sort_unstable();
        b.sort_unstable();
        // Since issue 16 the tantivy engine takes a word's forms from the lexicon and the
        // OpenSearch engine still from Snowball's stem, which also reaches derivations: so
        // OpenSearch may find one item more ("lokalerna krokom": svom-2022-hosten.06, which
        // has only "lokala", "lokalt"), and a near tie at the tenth place may fall either way
        // ("vård"). Until the OpenSearch engine uses the lexicon (issue 21), that is all.
        assert_eq!(t.mode, o.mode, "{pairs:?}");
        assert!(
            t.total <= o.total && o.total - t.total <= 1,
            "{pairs:?}: totals {} and {}",
            t.total,
            o.total
        );
        let only_t: Vec<&&str> = a.iter().filter(|id| !b.contains(id)).collect();
        let only_o: Vec<&&str> = b.iter().filter(|id| !a.contains(id)).collect();
        assert!(
            only_t.len() <= 1 && only_t.len() <= only_o.len(),
            "{pairs:?}: only tantivy {only_t:?}, only OpenSearch {only_o:?}"
        );
    }
}

#[test]
fn seed_queries_give_the_same_hits_in_the_same_order() {
    let e = engines();
    let mut differ = Vec::new();
    for pairs in SEEDS {
        let t = search(&*e.tantivy, pairs);
        let o = search(&*e.opensearch, pairs);
        if ids(&t) != ids(&o) || t.total != o.total || t.mode != o.mode || t.sort != o.sort {
            differ.push(format!(
                "{pairs:?}:\n  tantivy    {} {:?} {:?}\n  opensearch {} {:?} {:?}",
                t.total,
                t.mode,
                ids(&t),
                o.total,
                o.mode,
                ids(&o)
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {} differ:\n{}",
        differ.len(),
        SEEDS.len(),
        differ.join("\n")
    );
}

/// Queries whose snippets show the same passages but mark other words: the OpenSearch engine
/// marks a phrase word's Snowball forms anywhere in the passage ("när" for "nära", both
/// stemmed "när"), the tantivy engine only its lexicon forms (issue 16).
const MARKS_DIFFER: &[&[(&str, &str)]] = &[&[("q", "\"god och nära vård\"")]];

#[test]
fn facets_snippets_and_did_you_mean_are_the_same() {
    let e = engines();
    for pairs in SEEDS {
        let t = search(&*e.tantivy, pairs);
        let o = search(&*e.opensearch, pairs);
        assert_eq!(t.facets, o.facets, "facets of {pairs:?}");
        assert_eq!(t.did_you_mean, o.did_you_mean, "did you mean of {pairs:?}");
        if ids(&t) == ids(&o) {
            let snippets = |r: &SearchResponse| -> Vec<String> {
                r.hits.iter().map(|h| h.snippet.clone()).collect()
            };
            if MARKS_DIFFER.contains(pairs) {
                // The same passages; the tantivy engine marks a subset of the words.
                let bare = |r: &SearchResponse| -> Vec<String> {
                    snippets(r)
                        .iter()
                        .map(|s| s.replace("<mark>", "").replace("</mark>", ""))
                        .collect()
                };
                assert_eq!(bare(&t), bare(&o), "snippet passages of {pairs:?}");
                let marked = |r: &SearchResponse| -> usize {
                    snippets(r)
                        .iter()
                        .map(|s| s.matches("<mark>").count())
                        .sum()
                };
                assert!(marked(&t) <= marked(&o) && marked(&t) > 0, "{pairs:?}");
            } else {
                assert_eq!(snippets(&t), snippets(&o), "snippets of {pairs:?}");
            }
        }
    }
}

#[test]
fn a_filter_does_not_narrow_its_own_facet() {
    let e = engines();
    let all = search(&*e.opensearch, &[("q", "vård")]);
    let krokom = search(&*e.opensearch, &[("q", "vård"), ("municipality", "Krokom")]);
    assert!(krokom.total < all.total, "{} < {}", krokom.total, all.total);
    assert_eq!(krokom.facets.municipality, all.facets.municipality);
    assert!(all.facets.municipality.len() > 1);
}

#[test]
fn every_item_reads_the_same_with_its_neighbours() {
    let e = engines();
    let listing = search(&*e.tantivy, &[("sort", "date"), ("limit", "100")]);
    let more = search(
        &*e.tantivy,
        &[("sort", "date"), ("limit", "100"), ("offset", "100")],
    );
    let mut n = 0;
    for hit in listing.hits.iter().chain(&more.hits) {
        let t = e
            .tantivy
            .item(&hit.id, paragraf_query::Access::Public)
            .expect("tantivy item");
        let o = SearchEngine::item(&*e.opensearch, &hit.id, paragraf_query::Access::Public)
            .expect("opensearch item");
        assert_eq!(t, o, "item {}", hit.id);
        n += 1;
    }
    assert_eq!(n as u64, listing.total);
    let err = SearchEngine::item(
        &*e.opensearch,
        "svom-1999-01-01.01",
        paragraf_query::Access::Public,
    )
    .expect_err("no such item");
    assert!(
        matches!(err, paragraf_query::Error::ItemNotFound(_)),
        "{err:?}"
    );
}

#[test]
fn suggestions_are_the_same() {
    let e = engines();
    for q in [
        "kr",
        "ing",
        "svom",
        "vård sam",
        "munsk",
        "ö",
        "ljusd",
        "god och n",
    ] {
        let t = e
            .tantivy
            .suggest(q, 8, paragraf_query::Access::Public)
            .expect("tantivy");
        let o = SearchEngine::suggest(&*e.opensearch, q, 8, paragraf_query::Access::Public)
            .expect("opensearch");
        assert_eq!(t, o, "suggestions for {q:?}");
    }
}

#[test]
fn health_counts_the_same_items_and_meetings() {
    let e = engines();
    let t = Engine::health(&e.tantivy, paragraf_query::Access::Public);
    let o = SearchEngine::health(&*e.opensearch, paragraf_query::Access::Public).expect("health");
    assert_eq!(
        (
            o.status.as_str(),
            o.items,
            o.meetings,
            o.schema_version,
            o.decompounding
        ),
        (
            t.status.as_str(),
            t.items,
            t.meetings,
            t.schema_version,
            t.decompounding
        )
    );
}

async fn get(app: axum::Router, uri: &str) -> (StatusCode, Value) {
    let response = app
        .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// The body without what must differ: the time taken and the engines' own scores.
fn comparable(mut body: Value) -> Value {
    body["took_ms"] = Value::Null;
    for hit in body["hits"].as_array_mut().into_iter().flatten() {
        hit["score"] = Value::Null;
    }
    body
}

#[tokio::test(flavor = "multi_thread")]
async fn the_http_api_answers_the_same_json() {
    let e = engines();
    let tantivy = router(AppState::new(e.tantivy.clone()), &HttpConfig::default());
    let opensearch = router(AppState::new(e.opensearch.clone()), &HttpConfig::default());
    for uri in [
        "/api/search?q=munskydd",
        "/api/search?q=Storsj%C3%B6gl%C3%A4ntan&municipality=23",
        "/api/search?municipality=Krokom&sort=date&limit=3",
        "/api/search?q=munskyd",
        "/api/search?from=2022&to=2022",
        "/api/items/svom-2020-12-04.12",
        "/api/suggest?q=kro",
        "/api/search?limit=0",
        "/api/search?municipality=Atlantis",
        "/api/items/nope",
    ] {
        let (ts, tb) = get(tantivy.clone(), uri).await;
        let (os, ob) = get(opensearch.clone(), uri).await;
        assert_eq!(ts, os, "{uri}");
        assert_eq!(comparable(tb), comparable(ob), "{uri}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cluster_that_is_down_gives_503_cluster_unavailable() {
    // Port 9 (discard) is closed on the test machine: the connection is refused at once.
    let mut down = ClusterConfig::new("http://127.0.0.1:9");
    down.index = INDEX.to_string();
    let app = router(
        AppState::new(Arc::new(OpenSearchEngine::new(&down))),
        &HttpConfig::default(),
    );
    for uri in [
        "/api/search?q=munskydd",
        "/api/items/svom-2020-12-04.12",
        "/api/suggest?q=kro",
        "/health",
    ] {
        let started = std::time::Instant::now();
        let (status, body) = get(app.clone(), uri).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{uri}");
        assert_eq!(
            body,
            serde_json::json!({
                "code": "cluster_unavailable",
                "message": "the search cluster is unavailable; try again in a moment"
            }),
            "{uri}"
        );
        assert!(
            started.elapsed().as_secs() < 5,
            "{uri} took {:?}",
            started.elapsed()
        );
    }
    // A request that is wrong is still a 400, without asking the cluster.
    let (status, body) = get(app, "/api/search?limit=0").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_limit"))
    );
}

fn report(engine: &dyn SearchEngine, set: &Path) -> Report {
    let text = std::fs::read_to_string(set).expect("judgments");
    let judgments = parse_judgments(&text).expect("judgments parse");
    evaluate(engine, &judgments, Analysis::Full).expect("evaluation runs")
}

#[test]
fn relevance_is_within_five_hundredths_of_ndcg() {
    let e = engines();
    let set = repo().join("tests/relevance/queries.toml");
    let t = report(&*e.tantivy, &set);
    let o = report(&*e.opensearch, &set);
    let mut table = String::from("| phenomenon | tantivy nDCG@10 | opensearch nDCG@10 |\n");
    for (phenomenon, (n, scores)) in &t.by_phenomenon {
        let other = o.by_phenomenon[phenomenon].1;
        table.push_str(&format!(
            "| {phenomenon} ({n}) | {:.3} | {:.3} |\n",
            scores.ndcg, other.ndcg
        ));
    }
    table.push_str(&format!(
        "| total | {:.3} | {:.3} |\n",
        t.total.ndcg, o.total.ndcg
    ));
    let agree = t
        .queries
        .iter()
        .zip(&o.queries)
        .filter(|(a, b)| (a.1.ndcg - b.1.ndcg).abs() < 1e-9)
        .count();
    eprintln!(
        "{table}queries with the same nDCG@10: {agree} of {}",
        t.queries.len()
    );
    assert!(
        o.total.ndcg >= t.total.ndcg - 0.05,
        "OpenSearch nDCG@10 {:.3} is more than 0.05 below tantivy's {:.3}\n{table}",
        o.total.ndcg,
        t.total.ndcg
    );
}

fn copy(from: &str, to: &Path) {
    std::fs::copy(repo().join("index-data/excerpts").join(from), to).expect("copy a minutes file");
}

fn found(engine: &OpenSearchEngine, q: &str) -> Vec<String> {
    let req = SearchRequest::new(q);
    SearchEngine::search(engine, &req)
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn updates_add_change_and_remove_by_fingerprint_and_rebuilds_swap_the_alias() {
    let alias = "paragraf-incremental-test";
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    std::fs::create_dir(&archive).expect("archive dir");
    copy("hsn-2021-10-27.txt", &archive.join("hsn-2021-10-27.txt"));
    copy("hsn-2022-01-20.txt", &archive.join("hsn-2022-01-20.txt"));
    let roots = [archive.clone()];
    let indexer = Indexer::new(
        &config(alias),
        IndexSettings {
            shards: 2,
            replicas: 1,
        },
    );
    let engine = OpenSearchEngine::new(&config(alias));
    let first = indexer
        .rebuild(
            &paragraf_indexer::archive::plan(&roots).expect("plan"),
            &|_, _| {},
        )
        .expect("build");
    let items_of = |name: &str| {
        let parsed = paragraf_indexer::archive::parse_paths(&[archive.join(name)]).expect("parse");
        parsed.items.len() as u64
    };
    let (a, b) = (
        items_of("hsn-2021-10-27.txt"),
        items_of("hsn-2022-01-20.txt"),
    );
    assert_eq!(first.items, a + b);

    // Nothing changed: nothing parsed, nothing written.
    let plan = paragraf_indexer::archive::plan(&roots).expect("plan");
    let same = indexer.update(&plan, &roots, &|_, _| {}).expect("update");
    assert_eq!(
        (same.rebuilt.as_deref(), same.unchanged, same.items),
        (None, 2, a + b)
    );
    assert_eq!(same.concrete, first.concrete);

    // One file changes, one goes, one comes.
    let changed = archive.join("hsn-2021-10-27.txt");
    let mut text = std::fs::read_to_string(&changed).expect("read");
    text.push_str("\n\n • Zebrakorsningen vid sjukhuset ska målas om.\n");
    std::fs::write(&changed, text).expect("write");
    std::fs::remove_file(archive.join("hsn-2022-01-20.txt")).expect("remove");
    copy("hsn-2022-09-22.txt", &archive.join("hsn-2022-09-22.txt"));
    let (a2, c) = (
        items_of("hsn-2021-10-27.txt"),
        items_of("hsn-2022-09-22.txt"),
    );
    let plan = paragraf_indexer::archive::plan(&roots).expect("plan");
    let update = indexer.update(&plan, &roots, &|_, _| {}).expect("update");
    assert_eq!(update.rebuilt, None);
    assert_eq!(
        (
            update.added.len(),
            update.changed.len(),
            update.removed.len(),
            update.unchanged
        ),
        (1, 1, 1, 0)
    );
    assert_eq!(update.items, a2 + c);
    assert!(update.items_removed >= b, "{} >= {b}", update.items_removed);
    assert_eq!(found(&engine, "zebrakorsningen").len(), 1);
    assert!(found(&engine, "hsn")
        .iter()
        .all(|id| !id.starts_with("hsn-2022-01-20")));
    let health = SearchEngine::health(&engine, paragraf_query::Access::Internal).expect("health");
    assert_eq!(health.items, a2 + c);

    // A rebuild writes a new index and moves the alias; the old index is gone.
    let rebuilt = indexer.rebuild(&plan, &|_, _| {}).expect("rebuild");
    assert_ne!(rebuilt.concrete, first.concrete);
    assert_eq!(rebuilt.items, a2 + c);
    let client = paragraf_opensearch::Client::new(&config(alias));
    let (status, aliases) = client
        .send(
            paragraf_opensearch::client::Method::Get,
            &format!("/_alias/{alias}"),
            None,
        )
        .expect("aliases");
    assert_eq!(status, 200);
    let behind: Vec<&String> = aliases.as_object().expect("object").keys().collect();
    assert_eq!(behind, [&rebuilt.concrete]);
    let (status, _) = client
        .send(
            paragraf_opensearch::client::Method::Get,
            &format!("/{}", first.concrete),
            None,
        )
        .expect("old index");
    assert_eq!(status, 404);
    assert_eq!(found(&engine, "zebrakorsningen").len(), 1);
}

#[test]
fn indexing_into_a_cluster_that_is_down_fails_clearly() {
    let mut down = ClusterConfig::new("http://127.0.0.1:9");
    down.index = "paragraf".into();
    let archive = [repo().join("index-data/excerpts")];
    let plan = paragraf_indexer::archive::plan(&archive).expect("plan");
    let err = Indexer::new(&down, IndexSettings::default())
        .update(&plan, &archive, &|_, _| {})
        .expect_err("nothing listens");
    let message = err.to_string();
    assert!(
        message.starts_with("cannot reach OpenSearch at http://127.0.0.1:9/paragraf/_mapping:"),
        "{message}"
    );
}
