//! The accept loop of `paragraf serve`: HTTP/1.1 over TCP with a header-read timeout, an idle
//! timeout, a connection limit that keeps answering new clients, and graceful shutdown
//! (issue #17: "a slow client never the server").
//!
//! `axum::serve` has none of these: a partial request or an idle keep-alive socket stayed open
//! forever, and once the process ran out of file descriptors it accepted nothing more. Here
//! every connection is in one of three phases, and the phase gives it a deadline:
//!
//! | phase | from | deadline |
//! |---|---|---|
//! | head | accept, or the first byte of the next request | [`ServeOptions::header_read_timeout`] |
//! | busy | the request head is complete, until the response is produced | none (searches have their own timeout) |
//! | idle | the response is produced (extended by every write the client reads) | [`ServeOptions::idle_timeout`] |
//!
//! At [`ServeOptions::max_connections`] a new client is not turned away: the connection idle
//! the longest (else the oldest one still sending its head) is closed to make room, and the
//! limit is logged once per burst. Only when every connection is busy does a new client wait
//! ([`LIMIT_WAIT`]) and, failing that, get a `503 busy`.
//!
//! hyper answers a request it cannot parse itself, with an empty body and no hook
//! (`400`, `431`); the socket wrapper here recognises those answers on their way out (they are the only
//! responses without a `content-type`, written before the request reached the router) and
//! sends the API's JSON error instead.
//!
//! ```no_run
//! # async fn run(app: axum::Router) -> std::io::Result<()> {
//! use paragraf_server::serve::{serve, ServeOptions};
//!
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:7700").await?;
//! serve(listener, app, ServeOptions::default(), std::future::pending()).await
//! # }
//! ```

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::http::StatusCode;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use tower::ServiceExt;

use crate::error::{ErrorBody, ErrorCode};

/// How long a new client waits for a place when every connection is busy with a request.
pub const LIMIT_WAIT: Duration = Duration::from_secs(2);
/// How long shutdown waits for requests in flight (a search may run 10 s).
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(15);
/// The largest request head (request line and headers) read; a larger one is a
/// `431 headers_too_large`. It bounds a connection's read buffer.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
/// File descriptors kept for everything but client connections (the listener, the index's
/// files while it is reopened, logs); see [`fd_budget`].
pub const FD_RESERVE: u64 = 64;
/// The default connection limit, before [`fd_budget`] clamps it.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;

/// How [`serve`] treats connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeOptions {
    /// Time a client has to send a whole request head, from connecting or from the first
    /// byte of its next request (default 10 s).
    pub header_read_timeout: Duration,
    /// Time a keep-alive connection may stay idle between requests (default 30 s).
    pub idle_timeout: Duration,
    /// Connections open at once (default 1024, at most the descriptor limit less
    /// [`FD_RESERVE`]: see [`fd_budget`]).
    pub max_connections: usize,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            max_connections: fd_budget(DEFAULT_MAX_CONNECTIONS, open_files_limit()),
        }
    }
}

/// The process's soft limit of open files (`RLIMIT_NOFILE`), `None` when unlimited.
pub fn open_files_limit() -> Option<u64> {
    rustix::process::getrlimit(rustix::process::Resource::Nofile).current
}

/// `wanted` connections, clamped to what the descriptor limit `soft` leaves after a reserve
/// ([`FD_RESERVE`], or half of a small limit); at least 1.
pub fn fd_budget(wanted: usize, soft: Option<u64>) -> usize {
    let Some(soft) = soft else {
        return wanted.max(1);
    };
    let budget = soft.saturating_sub(FD_RESERVE.min(soft / 2));
    wanted
        .min(usize::try_from(budget).unwrap_or(usize::MAX))
        .max(1)
}

/// Serves `app` on `listener` until `shutdown` completes, then stops accepting, lets requests
/// in flight finish (at most [`SHUTDOWN_GRACE`]) and returns. An error accepting a connection
/// is logged and the loop goes on (out of descriptors: after closing an idle connection).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send,
) -> io::Result<()> {
    let max = options.max_connections.max(1);
    let permits = Arc::new(Semaphore::new(max));
    let registry = Arc::new(Registry::default());
    let (stop, stopped) = watch::channel(false);
    let mut http = hyper::server::conn::http1::Builder::new();
    // Our own deadlines replace hyper's header timer (which would also need a timer here).
    http.header_read_timeout(None)
        .max_buf_size(MAX_HEAD_BYTES)
        .max_header_size(MAX_HEAD_BYTES);
    let http = Arc::new(http);
    let mut at_limit = Burst::default();
    let mut out_of_descriptors = Burst::default();
    tracing::info!(
        max_connections = max,
        header_read_timeout_ms = options.header_read_timeout.as_millis() as u64,
        idle_timeout_ms = options.idle_timeout.as_millis() as u64,
        "accepting connections"
    );
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) if is_connection_error(&e) => continue,
                Err(e) if is_out_of_descriptors(&e) => {
                    // The limit should keep us below the descriptor limit; when something else
                    // took them, make room the same way and try again shortly.
                    if out_of_descriptors.hit() {
                        tracing::warn!(error = %e, open = max - permits.available_permits(), "out of file descriptors; closing idle connections to make room");
                    }
                    registry.evict_one();
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
                Err(e) => {
                    // As axum::serve does: an accept error is not worth stopping the server.
                    tracing::error!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        if let Some(n) = out_of_descriptors.end() {
            tracing::info!(times = n, "file descriptors available again");
        }
        let permit = match permits.clone().try_acquire_owned() {
            Ok(permit) => {
                if permits.available_permits() >= max / 4 {
                    if let Some(n) = at_limit.end() {
                        tracing::info!(
                            max_connections = max,
                            times_at_limit = n,
                            "below the connection limit again"
                        );
                    }
                }
                permit
            }
            Err(_) => {
                if at_limit.hit() {
                    tracing::warn!(
                        max_connections = max,
                        "connection limit reached; closing the longest idle connections to answer new clients"
                    );
                }
                registry.evict_one();
                match tokio::time::timeout(LIMIT_WAIT, permits.clone().acquire_owned()).await {
                    Ok(Ok(permit)) => permit,
                    _ => {
                        refuse(&stream);
                        continue;
                    }
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let conn = registry.add(options);
        tokio::spawn(drive(
            stream,
            app.clone(),
            conn,
            http.clone(),
            stopped.clone(),
            permit,
        ));
    }
    drop(listener);
    let _ = stop.send(true);
    let open = max - permits.available_permits();
    if open > 0 {
        tracing::info!(connections = open, "waiting for requests in flight");
    }
    let all = u32::try_from(max).unwrap_or(u32::MAX);
    if tokio::time::timeout(SHUTDOWN_GRACE, permits.acquire_many(all))
        .await
        .is_err()
    {
        tracing::warn!(
            connections = max - permits.available_permits(),
            "shutdown grace over; closing the rest"
        );
    }
    Ok(())
}

/// A client we have no place for: `503 busy` if the socket takes it at once, then closed.
fn refuse(stream: &TcpStream) {
    let body = ErrorBody {
        code: ErrorCode::Busy,
        message: "too many connections; try again in a moment".to_string(),
    };
    let _ = stream.try_write(&error_response(
        StatusCode::SERVICE_UNAVAILABLE,
        &body,
        None,
    ));
}

/// A whole HTTP/1.1 error response with the API's JSON body, closing the connection.
fn error_response(status: StatusCode, body: &ErrorBody, date: Option<&[u8]>) -> Vec<u8> {
    let json = serde_json::to_vec(body).unwrap_or_default();
    let mut out = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         x-content-type-options: nosniff\r\nconnection: close\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        json.len()
    )
    .into_bytes();
    if let Some(date) = date {
        out.extend_from_slice(b"date: ");
        out.extend_from_slice(date);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&json);
    out
}

/// Errors of one incoming connection (reset before it was accepted), not of the listener.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}

/// `EMFILE`, `ENFILE`, `ENOBUFS`, `ENOMEM`: resources that come back when connections close.
fn is_out_of_descriptors(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(23 | 24 | 105 | 12))
}

/// Logging a condition once per burst: [`Burst::hit`] is true for the first hit of a burst,
/// [`Burst::end`] returns how many hits it had.
#[derive(Debug, Default)]
struct Burst {
    hits: Option<u64>,
}

impl Burst {
    fn hit(&mut self) -> bool {
        let first = self.hits.is_none();
        *self.hits.get_or_insert(0) += 1;
        first
    }

    fn end(&mut self) -> Option<u64> {
        self.hits.take()
    }
}

/// Serves one connection until it ends, its deadline passes, it is evicted, or shutdown.
async fn drive(
    stream: TcpStream,
    app: Router,
    conn: Registered,
    http: Arc<hyper::server::conn::http1::Builder>,
    mut stopped: watch::Receiver<bool>,
    _permit: OwnedSemaphorePermit,
) {
    let shared = conn.shared.clone();
    // The peer address, for the trusted proxies of `crate::auth` (axum's `ConnectInfo`).
    let peer = stream.peer_addr().ok();
    let io = TokioIo::new(Tracked {
        stream,
        conn: shared.clone(),
        reply: Vec::new(),
    });
    let service_conn = shared.clone();
    let service = hyper::service::service_fn(move |request: axum::http::Request<Incoming>| {
        let busy = Busy::begin(service_conn.clone());
        let mut request = request.map(axum::body::Body::new);
        if let Some(peer) = peer {
            request
                .extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
        }
        let response = app.clone().oneshot(request);
        async move {
            let response = response.await;
            drop(busy);
            response
        }
    });
    let connection = http.serve_connection(io, service);
    tokio::pin!(connection);
    let mut stopping = false;
    loop {
        let deadline = shared.deadline();
        let timer = async move {
            match deadline {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                return;
            }
            () = shared.wake.notified() => {
                if shared.state().evicted {
                    tracing::debug!("closed an idle connection to make room for a new one");
                    return;
                }
            }
            () = timer => {
                if shared.deadline().is_some_and(|at| at <= Instant::now()) {
                    tracing::debug!(phase = ?shared.state().phase(), "closed a connection at its deadline");
                    return;
                }
            }
            _ = stopped.changed(), if !stopping => {
                stopping = true;
                connection.as_mut().graceful_shutdown();
            }
        }
    }
}

/// What a connection is doing (see the module's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Head,
    Busy,
    Idle,
}

#[derive(Debug)]
struct State {
    /// Head or Idle when no request is busy.
    waiting: Phase,
    /// Requests handed to the router and not answered yet.
    busy: u32,
    /// When `waiting` began (for Idle: the last write).
    since: Instant,
    evicted: bool,
}

impl State {
    fn phase(&self) -> Phase {
        if self.busy > 0 {
            Phase::Busy
        } else {
            self.waiting
        }
    }
}

/// One connection's phase, shared by its socket, its service and its driver.
#[derive(Debug)]
struct Conn {
    state: Mutex<State>,
    wake: Notify,
    options: ServeOptions,
}

impl Conn {
    fn state(&self) -> MutexGuard<'_, State> {
        match self.state.lock() {
            Ok(state) => state,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn deadline(&self) -> Option<Instant> {
        let state = self.state();
        match state.phase() {
            Phase::Busy => None,
            Phase::Head => Some(state.since + self.options.header_read_timeout),
            Phase::Idle => Some(state.since + self.options.idle_timeout),
        }
    }

    /// Bytes arrived: an idle connection starts its next request's head (an earlier deadline,
    /// so the driver is woken).
    fn on_read(&self) {
        let mut state = self.state();
        if state.phase() == Phase::Idle {
            state.waiting = Phase::Head;
            state.since = Instant::now();
            drop(state);
            self.wake.notify_one();
        }
    }

    /// Bytes left: a client reading its response is not idle.
    fn on_write(&self) {
        let mut state = self.state();
        if state.phase() == Phase::Idle {
            state.since = Instant::now();
        }
    }

    /// Whether no request reached the router since the last byte came in: anything written
    /// now is hyper's own answer to a request it could not parse.
    fn in_head(&self) -> bool {
        self.state().phase() == Phase::Head
    }
}

/// A request being answered; the connection is idle again when the last one is dropped.
struct Busy(Arc<Conn>);

impl Busy {
    fn begin(conn: Arc<Conn>) -> Busy {
        conn.state().busy += 1;
        Busy(conn)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        let mut state = self.0.state();
        state.busy = state.busy.saturating_sub(1);
        if state.busy == 0 {
            state.waiting = Phase::Idle;
            state.since = Instant::now();
        }
        drop(state);
        self.0.wake.notify_one();
    }
}

/// The open connections, to pick one to close at the limit.
#[derive(Debug, Default)]
struct Registry {
    next: AtomicU64,
    conns: Mutex<HashMap<u64, Arc<Conn>>>,
}

impl Registry {
    fn conns(&self) -> MutexGuard<'_, HashMap<u64, Arc<Conn>>> {
        match self.conns.lock() {
            Ok(conns) => conns,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn add(self: &Arc<Self>, options: ServeOptions) -> Registered {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let shared = Arc::new(Conn {
            state: Mutex::new(State {
                waiting: Phase::Head,
                busy: 0,
                since: Instant::now(),
                evicted: false,
            }),
            wake: Notify::new(),
            options,
        });
        self.conns().insert(id, shared.clone());
        Registered {
            id,
            shared,
            registry: self.clone(),
        }
    }

    /// Closes the connection idle the longest, else the oldest one still sending its head;
    /// a busy connection is never closed. Returns whether one was.
    fn evict_one(&self) -> bool {
        let victim = self
            .conns()
            .values()
            .filter_map(|conn| {
                let state = conn.state();
                let rank = match state.phase() {
                    Phase::Busy => return None,
                    _ if state.evicted => return None,
                    Phase::Idle => 0,
                    Phase::Head => 1,
                };
                Some(((rank, state.since), conn.clone()))
            })
            .min_by_key(|(key, _)| *key);
        let Some((_, conn)) = victim else {
            return false;
        };
        conn.state().evicted = true;
        conn.wake.notify_one();
        true
    }
}

/// A connection in the [`Registry`], removed from it when dropped.
struct Registered {
    id: u64,
    shared: Arc<Conn>,
    registry: Arc<Registry>,
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.registry.conns().remove(&self.id);
    }
}

/// The client's socket, telling its [`Conn`] about bytes in and out, and replacing hyper's
/// empty-bodied answers to unparsable requests with the API's JSON errors.
struct Tracked {
    stream: TcpStream,
    conn: Arc<Conn>,
    /// A JSON error response still to be written in place of hyper's.
    reply: Vec<u8>,
}

impl Tracked {
    /// Writes what is left of `reply`; ready when it is all written.
    fn poll_reply(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.reply.is_empty() {
            match Pin::new(&mut self.stream).poll_write(cx, &self.reply) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => {
                    self.reply.drain(..n);
                }
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(()))
    }
}

/// hyper's answer to a request it could not parse, as the API's JSON error: `bytes` is what
/// hyper writes, a head with a `400` or `431` status and no `content-type` (every response of
/// the router has one).
fn json_for_hyper_error(bytes: &[u8]) -> Option<Vec<u8>> {
    let head_end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&bytes[..head_end]).ok()?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?;
    let status: u16 = status_line
        .strip_prefix("HTTP/1.")?
        .get(2..5)?
        .parse()
        .ok()?;
    let mut date = None;
    for line in lines {
        let (name, value) = line.split_once(':')?;
        if name.eq_ignore_ascii_case("content-type") {
            return None;
        }
        if name.eq_ignore_ascii_case("date") {
            date = Some(value.trim());
        }
    }
    let (status, code, message) = match status {
        400 => (
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedRequest,
            "the request is not well-formed HTTP/1.1 (its request line or a header)".to_string(),
        ),
        431 => (
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ErrorCode::HeadersTooLarge,
            format!(
                "the request line and headers are larger than {} KiB",
                MAX_HEAD_BYTES / 1024
            ),
        ),
        _ => return None,
    };
    Some(error_response(
        status,
        &ErrorBody { code, message },
        date.map(str::as_bytes),
    ))
}

impl AsyncRead for Tracked {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let result = Pin::new(&mut this.stream).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.conn.on_read();
        }
        result
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if let Poll::Ready(Err(e)) = this.poll_reply(cx) {
            return Poll::Ready(Err(e));
        }
        if this.conn.in_head() && buf.starts_with(b"HTTP/1.") {
            if let Some(reply) = json_for_hyper_error(buf) {
                this.reply = reply;
                // hyper's bytes are taken in; ours go out in their place.
                return match this.poll_reply(cx) {
                    Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
                    _ => Poll::Ready(Ok(buf.len())),
                };
            }
        }
        if !this.reply.is_empty() {
            return Poll::Pending;
        }
        this.conn.on_write();
        Pin::new(&mut this.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let first = bufs.iter().find(|b| !b.is_empty());
        if (this.conn.in_head() && first.is_some_and(|b| b.starts_with(b"HTTP/1.")))
            || !this.reply.is_empty()
        {
            // Rare (hyper's own answers, or a reply still going out): one buffer at a time.
            let buf = first.map_or(&[][..], |b| &b[..]);
            return Pin::new(this).poll_write(cx, buf);
        }
        this.conn.on_write();
        Pin::new(&mut this.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match this.poll_reply(cx) {
            Poll::Ready(Ok(())) => Pin::new(&mut this.stream).poll_flush(cx),
            other => other,
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match this.poll_reply(cx) {
            Poll::Ready(Ok(())) => Pin::new(&mut this.stream).poll_shutdown(cx),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use axum::routing::get;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    /// A server of a tiny router (`/` answers "ok", `/slow` after 3 s) with `options`, on a
    /// free port; stops when the returned sender is dropped.
    async fn start(options: ServeOptions) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
        let app = Router::new().route("/", get(|| async { "ok" })).route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(3)).await;
                "slow"
            }),
        );
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(serve(listener, app, options, async {
            let _ = stopped.await;
        }));
        (addr, stop)
    }

    fn options(max_connections: usize) -> ServeOptions {
        ServeOptions {
            header_read_timeout: Duration::from_millis(300),
            idle_timeout: Duration::from_millis(600),
            max_connections,
        }
    }

    /// Reads until the server closes the connection (or 5 s pass): what it sent and how long
    /// that took.
    async fn read_to_close(stream: &mut TcpStream) -> (String, Duration) {
        let started = Instant::now();
        let mut out = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut out));
        assert!(
            read.await.is_ok(),
            "the server closed the connection within 5 s"
        );
        (
            String::from_utf8_lossy(&out).into_owned(),
            started.elapsed(),
        )
    }

    /// Sends one GET on `stream` and reads one response (a `content-length` body).
    async fn ask(stream: &mut TcpStream, path: &str) -> String {
        let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");
        stream.write_all(request.as_bytes()).await.expect("write");
        let mut out = Vec::new();
        let mut buf = [0; 4096];
        loop {
            let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf))
                .await
                .expect("an answer within 5 s")
                .expect("read");
            assert!(n > 0, "closed before answering: {out:?}");
            out.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&out);
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length: "))
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(0);
                if body.len() >= length {
                    return text.into_owned();
                }
            }
        }
    }

    /// The status line and the body of a response, without the headers that vary (`date`).
    fn status_and_body(response: &str) -> (&str, &str) {
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((response, ""));
        (head.lines().next().unwrap_or_default(), body)
    }

    #[tokio::test]
    async fn a_partial_request_is_closed_after_the_header_timeout() {
        let (addr, _stop) = start(options(8)).await;
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .await
            .expect("write");
        let (sent, took) = read_to_close(&mut stream).await;
        assert_eq!(sent, "", "closed without an answer");
        assert!(
            took >= Duration::from_millis(250) && took < Duration::from_millis(1500),
            "{took:?}"
        );
        // A connection that sends nothing at all has the same deadline.
        let mut silent = TcpStream::connect(addr).await.expect("connect");
        let (sent, took) = read_to_close(&mut silent).await;
        assert_eq!(
            (sent.as_str(), took < Duration::from_millis(1500)),
            ("", true)
        );
    }

    #[tokio::test]
    async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
        let (addr, _stop) = start(options(8)).await;
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        let response = ask(&mut stream, "/").await;
        assert_eq!(status_and_body(&response), ("HTTP/1.1 200 OK", "ok"));
        // Kept alive: a second request on it after 200 ms (less than either timeout)…
        tokio::time::sleep(Duration::from_millis(200)).await;
        let response = ask(&mut stream, "/").await;
        assert_eq!(status_and_body(&response), ("HTTP/1.1 200 OK", "ok"));
        // …then closed 600 ms after the last answer, not at the 300 ms of a head.
        let (sent, took) = read_to_close(&mut stream).await;
        assert_eq!(sent, "");
        assert!(
            took >= Duration::from_millis(500) && took < Duration::from_millis(2000),
            "{took:?}"
        );
    }

    #[tokio::test]
    async fn at_the_connection_limit_a_new_client_is_answered_and_the_longest_idle_closed() {
        let options = ServeOptions {
            header_read_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(60),
            max_connections: 8,
        };
        let (addr, _stop) = start(options).await;
        let mut idle = Vec::new();
        for _ in 0..8 {
            let mut stream = TcpStream::connect(addr).await.expect("connect");
            assert_eq!(
                status_and_body(&ask(&mut stream, "/").await),
                ("HTTP/1.1 200 OK", "ok")
            );
            idle.push(stream);
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let started = Instant::now();
        let mut ninth = TcpStream::connect(addr).await.expect("connect");
        assert_eq!(
            status_and_body(&ask(&mut ninth, "/").await),
            ("HTTP/1.1 200 OK", "ok")
        );
        assert!(started.elapsed() < Duration::from_secs(1));
        // The first idle connection made room; the others are still open.
        let (sent, _) = read_to_close(&mut idle[0]).await;
        assert_eq!(sent, "");
        for stream in &mut idle[1..] {
            assert_eq!(
                status_and_body(&ask(stream, "/").await),
                ("HTTP/1.1 200 OK", "ok")
            );
        }
    }

    #[tokio::test]
    async fn at_the_limit_with_every_connection_busy_a_new_client_gets_a_json_503() {
        let (addr, _stop) = start(options(2)).await;
        let mut busy = Vec::new();
        for _ in 0..2 {
            let mut stream = TcpStream::connect(addr).await.expect("connect");
            stream
                .write_all(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
                .await
                .expect("write");
            busy.push(stream);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        let started = Instant::now();
        let mut third = TcpStream::connect(addr).await.expect("connect");
        let (sent, _) = read_to_close(&mut third).await;
        let took = started.elapsed();
        assert_eq!(
            status_and_body(&sent),
            (
                "HTTP/1.1 503 Service Unavailable",
                r#"{"code":"busy","message":"too many connections; try again in a moment"}"#
            )
        );
        assert!(
            took >= LIMIT_WAIT && took < LIMIT_WAIT + Duration::from_secs(1),
            "{took:?}"
        );
        // The busy ones are answered.
        let (sent, _) = read_to_close(&mut busy[0]).await;
        assert!(
            sent.ends_with("slow") || sent.contains("\r\n\r\nslow"),
            "{sent}"
        );
    }

    #[tokio::test]
    async fn hypers_own_errors_are_the_apis_json() {
        let (addr, _stop) = start(options(8)).await;
        let long_header = format!("X-Long: {}\r\n", "a".repeat(70_000));
        for (request, status, body) in [
            (
                "GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n".to_string(),
                "HTTP/1.1 400 Bad Request",
                r#"{"code":"malformed_request","message":"the request is not well-formed HTTP/1.1 (its request line or a header)"}"#,
            ),
            (
                "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n".to_string(),
                "HTTP/1.1 400 Bad Request",
                r#"{"code":"malformed_request","message":"the request is not well-formed HTTP/1.1 (its request line or a header)"}"#,
            ),
            (
                format!("GET / HTTP/1.1\r\nHost: x\r\n{long_header}\r\n"),
                "HTTP/1.1 431 Request Header Fields Too Large",
                r#"{"code":"headers_too_large","message":"the request line and headers are larger than 64 KiB"}"#,
            ),
            (
                format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000)),
                "HTTP/1.1 431 Request Header Fields Too Large",
                r#"{"code":"headers_too_large","message":"the request line and headers are larger than 64 KiB"}"#,
            ),
        ] {
            let mut stream = TcpStream::connect(addr).await.expect("connect");
            stream.write_all(request.as_bytes()).await.expect("write");
            let (sent, _) = read_to_close(&mut stream).await;
            assert_eq!(status_and_body(&sent), (status, body), "{sent}");
            assert!(
                sent.contains("\r\ncontent-type: application/json\r\n"),
                "{sent}"
            );
            assert!(
                sent.contains("\r\nx-content-type-options: nosniff\r\n"),
                "{sent}"
            );
        }
        // A good request after a bad one on another connection is answered as ever.
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        assert_eq!(
            status_and_body(&ask(&mut stream, "/").await),
            ("HTTP/1.1 200 OK", "ok")
        );
    }

    #[test]
    fn the_connection_limit_leaves_descriptors_for_the_rest() {
        assert_eq!(fd_budget(1024, None), 1024);
        assert_eq!(fd_budget(1024, Some(20_000)), 1024);
        assert_eq!(fd_budget(1024, Some(1024)), 960);
        assert_eq!(fd_budget(1024, Some(64)), 32);
        assert_eq!(fd_budget(8, Some(64)), 8);
        assert_eq!(fd_budget(1024, Some(1)), 1);
    }

    #[test]
    fn only_hypers_bodiless_answers_are_replaced() {
        let hyper = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\ndate: Tue, 01 Dec 2026 21:57:17 GMT\r\n\r\n";
        let json = json_for_hyper_error(hyper).expect("replaced");
        assert_eq!(
            String::from_utf8_lossy(&json),
            "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 111\r\n\
             x-content-type-options: nosniff\r\nconnection: close\r\ndate: Tue, 01 Dec 2026 21:57:17 GMT\r\n\r\n\
             {\"code\":\"malformed_request\",\"message\":\"the request is not well-formed HTTP/1.1 (its request line or a header)\"}"
        );
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
        assert_eq!(json_for_hyper_error(ours), None);
        assert_eq!(
            json_for_hyper_error(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"),
            None
        );
    }
}
