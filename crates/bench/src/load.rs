//! A small, bounded HTTP/1.1 load client for 127.0.0.1 (hyper's client connection,
//! keep-alive, one connection per client), and the same closed-loop driver for the peers' own
//! protocols.
//!
//! Each client sends its next request when the previous answer has arrived (closed loop), for
//! a fixed time and at most a fixed number of requests, so a run always stops by itself.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{header, Request, StatusCode};
use http_body_util::{BodyExt, Empty};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::results::LoadLevel;
use crate::stats::Latency;
use crate::threads::scoped_map;

/// Bounds of one level.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub duration: Duration,
    pub max_requests: u64,
}

/// A client's keep-alive connection.
type Connection = SendRequest<Empty<Bytes>>;

/// Loads `127.0.0.1:port` with `clients` concurrent keep-alive connections cycling through
/// `paths` (each already URL-encoded, starting with `/`).
pub fn http(
    port: u16,
    paths: &[String],
    clients: usize,
    bounds: Bounds,
) -> anyhow::Result<LoadLevel> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let paths = Arc::new(paths.to_vec());
    let issued = Arc::new(AtomicU64::new(0));
    runtime.block_on(async move {
        let started = Instant::now();
        let deadline = started + bounds.duration;
        let mut tasks = Vec::new();
        for c in 0..clients {
            let paths = paths.clone();
            let issued = issued.clone();
            tasks.push(tokio::spawn(async move {
                let mut samples = Vec::new();
                let mut errors = 0u64;
                let mut conn: Option<Connection> = None;
                let mut i = c;
                while Instant::now() < deadline
                    && issued.fetch_add(1, Ordering::Relaxed) < bounds.max_requests
                {
                    let path = &paths[i % paths.len()];
                    i += 1;
                    let t = Instant::now();
                    if conn.is_none() {
                        conn = connect(port).await.ok();
                    }
                    let ok = match conn.as_mut() {
                        Some(sender) => get(sender, path).await.unwrap_or(false),
                        None => false,
                    };
                    if ok {
                        samples.push(t.elapsed());
                    } else {
                        errors += 1;
                        conn = None;
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                }
                (samples, errors)
            }));
        }
        let mut samples = Vec::new();
        let mut errors = 0;
        for t in tasks {
            let (s, e) = t.await?;
            samples.extend(s);
            errors += e;
        }
        let seconds = started.elapsed().as_secs_f64();
        Ok(level(clients, samples, errors, seconds))
    })
}

/// A keep-alive connection to `127.0.0.1:port`, driven by a task of its own.
async fn connect(port: u16) -> anyhow::Result<Connection> {
    let stream = TcpStream::connect(("127.0.0.1", port)).await?;
    let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender)
}

/// One GET on a keep-alive connection; true for a 200 answer read in full.
async fn get(conn: &mut Connection, path: &str) -> anyhow::Result<bool> {
    conn.ready().await?;
    let request = Request::get(path)
        .header(header::HOST, "127.0.0.1")
        .header(header::ACCEPT, "application/json")
        .body(Empty::new())?;
    let response = conn.send_request(request).await?;
    let ok = response.status() == StatusCode::OK;
    response.into_body().collect().await?;
    Ok(ok)
}

/// Closed-loop load on blocking clients (the peers' native protocols): `clients` threads,
/// each with its own connection from `connect`, calling `query(conn, i)`.
pub fn threads<C, F, Q>(
    clients: usize,
    bounds: Bounds,
    connect: F,
    query: Q,
) -> anyhow::Result<LoadLevel>
where
    C: Send,
    F: Fn() -> anyhow::Result<C> + Sync,
    Q: Fn(&mut C, usize) -> anyhow::Result<()> + Sync,
{
    let issued = AtomicU64::new(0);
    let conns: Vec<C> = (0..clients)
        .map(|_| connect())
        .collect::<anyhow::Result<_>>()?;
    let started = Instant::now();
    let deadline = started + bounds.duration;
    let results = scoped_map(conns.into_iter().enumerate(), |(c, mut conn)| {
        let mut samples = Vec::new();
        let mut errors = 0;
        let mut i = c;
        while Instant::now() < deadline
            && issued.fetch_add(1, Ordering::Relaxed) < bounds.max_requests
        {
            let t = Instant::now();
            match query(&mut conn, i) {
                Ok(()) => samples.push(t.elapsed()),
                Err(_) => errors += 1,
            }
            i += 1;
        }
        (samples, errors)
    });
    let seconds = started.elapsed().as_secs_f64();
    let mut samples = Vec::new();
    let mut errors = 0;
    for (s, e) in results.into_iter().map(|r| r.unwrap_or_default()) {
        samples.extend(s);
        errors += e;
    }
    Ok(level(clients, samples, errors, seconds))
}

fn level(clients: usize, samples: Vec<Duration>, errors: u64, seconds: f64) -> LoadLevel {
    LoadLevel {
        clients,
        requests: samples.len() as u64,
        errors,
        seconds,
        rps: samples.len() as f64 / seconds,
        latency: Latency::of(&samples),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A router on a free 127.0.0.1 port, served until the runtime is dropped.
    fn serve() -> (tokio::runtime::Runtime, u16) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let port = listener.local_addr().expect("address").port();
        let app = axum::Router::new().route(
            "/api/search",
            axum::routing::get(|| async { axum::Json(serde_json::json!({"total": 1})) }),
        );
        runtime.spawn(async move { axum::serve(listener, app).await });
        (runtime, port)
    }

    #[test]
    fn http_counts_full_200_answers_and_the_rest_as_errors() {
        let (_server, port) = serve();
        let bounds = Bounds {
            duration: Duration::from_secs(60),
            max_requests: 40,
        };
        let ok = http(port, &["/api/search?q=v%C3%A5rd".to_string()], 3, bounds).expect("load");
        assert_eq!((ok.clients, ok.requests, ok.errors), (3, 40, 0));
        assert_eq!(ok.latency.samples, 40);
        let missing = http(port, &["/nothing".to_string()], 2, bounds).expect("load");
        assert_eq!((missing.requests, missing.errors), (0, 40));
    }
}
