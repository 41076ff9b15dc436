//! A bounded load test on 127.0.0.1 (issue #9): 64 clients mix searches, item views,
//! suggestions and malformed requests against `paragraf serve` for `PARAGRAF_LOAD_SECS`
//! seconds (default 10), while two `paragraf index` runs commit new and changed minutes that
//! the server must pick up. Zero 5xx, every good request a 200 with JSON, every malformed
//! request its 4xx. The figures (requests, errors by kind, latency percentiles, requests per
//! second) are printed; `--nocapture` shows them.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::cli::index;
use crate::util::http::{Client, Server};
use crate::util::index::indexed_copy_of_index_data;

const CLIENTS: usize = 64;

/// What a request should get.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// 200 with a JSON body.
    Ok,
    /// 200 with a JSON body whose number at this pointer is one of these: the state before,
    /// between or after the index runs, never a half-written one.
    State(&'static str, [u64; 3]),
    /// This status with a JSON error body of this code.
    Error(u16, &'static str),
}

/// The request mix: good searches with varied words and filters, item views, suggestions,
/// health, and malformed requests with the answer each must get.
fn requests(item_ids: &[String], items: u64) -> Vec<(String, Expect)> {
    let mut mix: Vec<(String, Expect)> = [
        "/api/search?q=munskydd",
        "/api/search?q=smitta&municipality=Krokom&municipality=2380",
        "/api/search?q=avtal&body=SVOM&from=2020-01-01&to=2022-12-31&limit=5&offset=5",
        "/api/search?q=psykiatri&sort=date",
        "/api/search?q=ostersund",
        "/api/search?q=%22god%20och%20n%C3%A4ra%20v%C3%A5rd%22",
        "/api/search?q=v%C3%A5rd*&municipality=23",
        "/api/search?q=avtal%20-corona",
        "/api/search?q=hemtj%C3%A4nst%20OR%20%C3%A4ldreomsorg",
        "/api/search?speaker=Ingela%20J%C3%B6nsson&sort=date",
        "/api/search?q=&from=2021&to=2022-06",
        "/api/search?q=munskyd",
        "/api/suggest?q=kro",
        "/api/suggest?q=%C3%B6stersund%20ps",
    ]
    .into_iter()
    .map(|u| (u.to_string(), Expect::Ok))
    .collect();
    mix.extend([
        (
            "/health".to_string(),
            Expect::State("/items", [items, items + 2, items + 4]),
        ),
        (
            "/api/search?q=lindormsbron".to_string(),
            Expect::State("/total", [0, 2, 4]),
        ),
    ]);
    mix.extend(
        item_ids
            .iter()
            .step_by(7)
            .map(|id| (format!("/api/items/{id}"), Expect::Ok)),
    );
    mix.extend([
        (
            "/api/search?q=v%C3%A5rd&from=2020-13-45".to_string(),
            Expect::Error(400, "invalid_date"),
        ),
        (
            "/api/search?q=v%C3%A5rd&from=2022-01-01&to=2021-01-01".to_string(),
            Expect::Error(400, "invalid_date"),
        ),
        (
            "/api/search?q=v%C3%A5rd&limit=0".to_string(),
            Expect::Error(400, "invalid_limit"),
        ),
        (
            "/api/search?q=v%C3%A5rd&offset=abc".to_string(),
            Expect::Error(400, "invalid_parameter"),
        ),
        (
            "/api/search?q=v%C3%A5rd&offset=995".to_string(),
            Expect::Error(400, "offset_too_deep"),
        ),
        (
            "/api/search?q=x&municipality=Atlantis".to_string(),
            Expect::Error(400, "invalid_municipality"),
        ),
        (
            format!("/api/search?q={}", "a".repeat(600)),
            Expect::Error(400, "query_too_long"),
        ),
        (
            "/api/items/no-such-item.99".to_string(),
            Expect::Error(404, "item_not_found"),
        ),
        (
            "/api/nothing-here".to_string(),
            Expect::Error(404, "not_found"),
        ),
        (
            "/assets/..%2F..%2FCargo.toml".to_string(),
            Expect::Error(404, "not_found"),
        ),
    ]);
    mix
}

/// What the clients saw.
#[derive(Debug, Default)]
struct Tally {
    latencies_us: Vec<u64>,
    good: u64,
    malformed: u64,
    /// Failures by kind, with an example each.
    errors: BTreeMap<String, (u64, String)>,
}

impl Tally {
    fn error(&mut self, kind: String, example: String) {
        let entry = self.errors.entry(kind).or_insert((0, example));
        entry.0 += 1;
    }
}

fn check(uri: &str, expect: Expect, status: u16, body: &str, tally: &mut Tally) {
    let json: Option<Value> = serde_json::from_str(body).ok();
    if status >= 500 {
        tally.error(format!("{status}"), format!("{uri}: {body}"));
        return;
    }
    match expect {
        Expect::Ok if status == 200 && json.is_some() => tally.good += 1,
        Expect::State(pointer, states)
            if status == 200
                && json
                    .as_ref()
                    .and_then(|j| j.pointer(pointer))
                    .and_then(Value::as_u64)
                    .is_some_and(|n| states.contains(&n)) =>
        {
            tally.good += 1
        }
        Expect::Ok | Expect::State(..) => tally.error(
            format!("good request answered {status}"),
            format!("{uri}: {body}"),
        ),
        Expect::Error(want, code)
            if status == want && json.as_ref().is_some_and(|j| j["code"] == code) =>
        {
            tally.malformed += 1
        }
        Expect::Error(want, code) => tally.error(
            format!("malformed request answered {status}, not {want} {code}"),
            format!("{uri}: {body}"),
        ),
    }
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank] as f64 / 1000.0
}

/// Writes a generated minutes file with `items` bullets that say `word`.
fn write_minutes(path: &Path, word: &str, items: usize) {
    let text: String = (1..=items)
        .map(|n| {
            format!(
                " • Kommunchefen informerar om {word} och punkt {n} i planen för hemtjänsten i \
                 Krokom. Ledamöterna beslutar att ärendet tas upp igen.\n\n"
            )
        })
        .collect();
    std::fs::write(path, text).expect("write minutes");
}

/// Sets its flag when dropped, also on a panic.
struct Stop(Arc<AtomicBool>);

impl Drop for Stop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

#[test]
#[allow(clippy::print_stdout, reason = "the figures are this test's report")]
fn serve_under_load_while_index_runs_commit() {
    let secs: u64 = std::env::var("PARAGRAF_LOAD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let tmp = tempfile::tempdir().expect("temp dir");
    let (archive, idx) = indexed_copy_of_index_data(tmp.path());
    let engine = paragraf_query::Engine::open(&idx).expect("open");
    let initial_items = engine.health(paragraf_query::Access::Internal).items;
    let req = paragraf_query::SearchRequest::from_pairs([("limit", "100")]).expect("list");
    let item_ids: Vec<String> = engine
        .search(&req)
        .expect("list")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    drop(engine);
    let mix = Arc::new(requests(&item_ids, initial_items));

    let server = Server::start(&idx);
    let addr = server.addr;
    let started = Instant::now();
    let deadline = started + Duration::from_secs(secs);
    let tally = Arc::new(Mutex::new(Tally::default()));
    // The clients run for `secs`, and on until both index runs have committed and the server
    // has had a second to serve the new state; never past the hard stop.
    let committed = Arc::new(AtomicBool::new(false));
    // Should this thread fail, the clients stop with it.
    let stop = Stop(Arc::new(AtomicBool::new(false)));
    let hard_stop = deadline + Duration::from_secs(60);

    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (mix, tally, committed, stop) = (
                mix.clone(),
                tally.clone(),
                committed.clone(),
                stop.0.clone(),
            );
            std::thread::spawn(move || {
                let mut client = Client::new(addr);
                let mut local = Tally::default();
                // Each client walks the mix from its own place, with its own stride.
                let mut i = c * 13;
                while (Instant::now() < deadline || !committed.load(Ordering::Relaxed))
                    && Instant::now() < hard_stop
                    && !stop.load(Ordering::Relaxed)
                {
                    let (uri, expect) = &mix[i % mix.len()];
                    i += 1 + c % 5;
                    let sent = Instant::now();
                    match client.get(uri) {
                        Ok((status, body)) => {
                            local.latencies_us.push(sent.elapsed().as_micros() as u64);
                            check(uri, *expect, status, &body, &mut local);
                        }
                        Err(e) => {
                            local.error(format!("I/O error: {}", e.kind()), format!("{uri}: {e}"))
                        }
                    }
                }
                let finished = Instant::now();
                let mut all = tally.lock().expect("tally");
                all.latencies_us.extend(local.latencies_us);
                all.good += local.good;
                all.malformed += local.malformed;
                for (kind, (n, example)) in local.errors {
                    all.errors.entry(kind).or_insert((0, example)).0 += n;
                }
                finished
            })
        })
        .collect();

    // Meanwhile: a run that adds a file, then one that changes it (two more items), each
    // starting a tenth of the way into what is left of the run.
    let added = archive.join("ks-2024-03-01.txt");
    let mut commits = Vec::new();
    for (items, want) in [(2, "added 1 files"), (4, "added 0 files, changed 1")] {
        std::thread::sleep(deadline.saturating_duration_since(Instant::now()) / 10);
        write_minutes(&added, "Lindormsbron", items);
        let (out, err, code) = index(&archive, &idx);
        assert_eq!(code, 0, "{err}");
        assert!(out.starts_with(want), "{out}");
        commits.push(started.elapsed().as_secs_f64());
    }
    std::thread::sleep(Duration::from_secs(1));
    committed.store(true, Ordering::Relaxed);

    // Bounded: the clients stop at the deadline; a stuck one is not waited for beyond it.
    let mut last = started;
    for client in clients {
        while !client.is_finished() {
            assert!(
                Instant::now() < hard_stop + Duration::from_secs(35),
                "a client is stuck past the hard stop"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        last = last.max(client.join().expect("client thread"));
    }
    let elapsed = (last - started).as_secs_f64();

    // The server serves the last commit.
    let mut client = Client::new(addr);
    let want = initial_items + 4;
    let settle = Instant::now() + Duration::from_secs(10);
    let mut items = 0;
    while Instant::now() < settle {
        let (_, body) = client.get("/health").expect("health");
        items = serde_json::from_str::<Value>(&body).expect("JSON")["items"]
            .as_u64()
            .unwrap_or(0);
        if items == want {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(items, want, "the server serves the last commit");
    let (_, body) = client.get("/api/search?q=lindormsbron").expect("search");
    assert_eq!(
        serde_json::from_str::<Value>(&body).expect("JSON")["total"],
        4
    );

    let mut tally = Arc::try_unwrap(tally)
        .expect("clients are done")
        .into_inner()
        .expect("tally");
    tally.latencies_us.sort_unstable();
    let total = tally.latencies_us.len();
    let failures: u64 = tally.errors.values().map(|(n, _)| n).sum();
    println!(
        "load: {CLIENTS} clients for {elapsed:.1} s against a {} build; index runs committed \
         at {:.1} s and {:.1} s (the clients ran on until a second after the last)",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        commits[0],
        commits[1],
    );
    println!(
        "load: {total} responses ({} good 200, {} malformed with the expected 4xx), {failures} \
         failures, {:.0} req/s",
        tally.good,
        tally.malformed,
        total as f64 / elapsed
    );
    println!(
        "load: latency p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&tally.latencies_us, 0.50),
        percentile(&tally.latencies_us, 0.95),
        percentile(&tally.latencies_us, 0.99),
        percentile(&tally.latencies_us, 1.0),
    );
    for (kind, (n, example)) in &tally.errors {
        println!("load: error {kind}: {n} (e.g. {example})");
    }
    assert!(total > 0, "no request was answered");
    assert!(tally.errors.is_empty(), "failures: {:?}", tally.errors);
    drop(server);
}
