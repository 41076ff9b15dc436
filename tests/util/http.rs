//! HTTP in the tests, two ways and one helper each: a request through the real router with
//! `oneshot` (no socket), and a `paragraf serve` process on a free 127.0.0.1 port with a
//! keep-alive client for it (hyper's client connection).

use std::io::{Error, ErrorKind};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Request, StatusCode};
use http_body_util::{BodyExt, Empty};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpStream;
use tower::ServiceExt;

use super::cli::paragraf;

/// What the router answered: status, headers and the whole body.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// Sends `request` through `app` (a clone: `oneshot` consumes the service) and reads the
/// whole answer.
pub async fn send(app: &axum::Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.expect("router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Reply {
        status,
        headers,
        body,
    }
}

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind 127.0.0.1:0")
        .local_addr()
        .expect("local address")
        .port()
}

/// A `paragraf serve` process on a free 127.0.0.1 port; killed when dropped.
pub struct Server {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

impl Server {
    /// Starts `paragraf serve --index INDEX` and waits (at most 30 s) until `/health` answers.
    pub fn start(index: &Path) -> Server {
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port())
            .parse()
            .expect("address");
        let child = paragraf()
            .arg("serve")
            .arg("--index")
            .arg(index)
            .arg("--listen")
            .arg(addr.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start paragraf serve");
        let mut server = Server { child, addr };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok((200, _)) = Client::new(addr).get("/health") {
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("paragraf serve exited before answering: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "paragraf serve did not come up in 30 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits up to `limit` for the server to exit; returns its exit code, if it did.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<Option<i32>> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status.code());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A blocking HTTP/1.1 client of one server over one keep-alive connection, reconnecting when
/// the server closed it: hyper's client connection, on a runtime of its own so that a test
/// thread (64 of them in `load.rs`) keeps its connection between requests.
pub struct Client {
    addr: SocketAddr,
    conn: Option<SendRequest<Empty<Bytes>>>,
    runtime: tokio::runtime::Runtime,
}

impl Client {
    /// How long connecting may take.
    const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
    /// How long a request and its whole answer may take.
    const TIMEOUT: Duration = Duration::from_secs(30);

    /// A client of the server at `addr`; connects on the first request.
    pub fn new(addr: SocketAddr) -> Client {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the HTTP client");
        Client {
            addr,
            conn: None,
            runtime,
        }
    }

    /// `GET path`: status and body as text. A request on a reused connection the server had
    /// closed is sent once more on a new one.
    pub fn get(&mut self, path: &str) -> std::io::Result<(u16, String)> {
        let reused = self.conn.is_some();
        match self.try_get(path) {
            Err(_) if reused => self.try_get(path),
            other => other,
        }
    }

    fn try_get(&mut self, path: &str) -> std::io::Result<(u16, String)> {
        let Client {
            addr,
            conn,
            runtime,
        } = self;
        let exchange = async {
            if conn.as_ref().is_none_or(SendRequest::is_closed) {
                let stream = tokio::time::timeout(Self::CONNECT_TIMEOUT, TcpStream::connect(*addr))
                    .await
                    .map_err(|_| Error::new(ErrorKind::TimedOut, "connect"))??;
                stream.set_nodelay(true)?;
                let (sender, connection) = http1::handshake(TokioIo::new(stream))
                    .await
                    .map_err(Error::other)?;
                // The connection's reads and writes run while this runtime runs a request.
                tokio::spawn(connection);
                *conn = Some(sender);
            }
            let sender = conn.as_mut().expect("connected above");
            sender.ready().await.map_err(Error::other)?;
            let request = Request::get(path)
                .header(header::HOST, addr.to_string())
                .body(Empty::new())
                .map_err(|e| Error::new(ErrorKind::InvalidInput, e))?;
            let response = sender.send_request(request).await.map_err(Error::other)?;
            let status = response.status().as_u16();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(Error::other)?
                .to_bytes();
            Ok((status, String::from_utf8_lossy(&body).into_owned()))
        };
        let result = runtime.block_on(async {
            tokio::time::timeout(Self::TIMEOUT, exchange)
                .await
                .map_err(|_| Error::new(ErrorKind::TimedOut, format!("GET {path}: no answer")))?
        });
        if result.is_err() {
            *conn = None;
        }
        result
    }
}

/// `GET path` on a fresh connection, parsed as JSON; panics on any failure.
pub fn get_json(addr: SocketAddr, path: &str) -> (u16, Value) {
    let (status, body) = Client::new(addr).get(path).expect("the server answers");
    let value = serde_json::from_str(&body)
        .unwrap_or_else(|e| panic!("{path}: body is not JSON ({e}): {body}"));
    (status, value)
}
