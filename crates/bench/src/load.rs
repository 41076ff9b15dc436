//! A small, bounded HTTP/1.1 load client for 127.0.0.1 (keep-alive, one connection per
//! client), and the same closed-loop driver for the peers' own protocols.
//!
//! Each client sends its next request when the previous answer has arrived (closed loop), for
//! a fixed time and at most a fixed number of requests, so a run always stops by itself.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::results::LoadLevel;
use crate::stats::Latency;

/// Bounds of one level.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub duration: Duration,
    pub max_requests: u64,
}

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
                let mut conn: Option<TcpStream> = None;
                let mut buf = Vec::with_capacity(64 * 1024);
                let mut i = c;
                while Instant::now() < deadline
                    && issued.fetch_add(1, Ordering::Relaxed) < bounds.max_requests
                {
                    let path = &paths[i % paths.len()];
                    i += 1;
                    let t = Instant::now();
                    if conn.is_none() {
                        conn = TcpStream::connect(("127.0.0.1", port)).await.ok();
                    }
                    let ok = match conn.as_mut() {
                        Some(stream) => get(stream, path, &mut buf).await.unwrap_or(false),
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

/// One GET on a keep-alive connection; true for a 200 answer read in full.
async fn get(stream: &mut TcpStream, path: &str, buf: &mut Vec<u8>) -> std::io::Result<bool> {
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    buf.clear();
    let mut chunk = [0u8; 16 * 1024];
    // Headers.
    let header_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(false);
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(p) = find(buf, b"\r\n\r\n") {
            break p + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_ascii_lowercase();
    let status_ok = head.starts_with("http/1.1 200");
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| std::io::Error::other("no content-length"))?;
    while buf.len() < header_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(false);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(status_ok)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
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
    let results: Vec<(Vec<Duration>, u64)> = std::thread::scope(|s| {
        let handles: Vec<_> = conns
            .into_iter()
            .enumerate()
            .map(|(c, mut conn)| {
                let issued = &issued;
                let query = &query;
                s.spawn(move || {
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
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let seconds = started.elapsed().as_secs_f64();
    let mut samples = Vec::new();
    let mut errors = 0;
    for (s, e) in results {
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
