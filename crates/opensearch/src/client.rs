//! A small synchronous client of the OpenSearch REST API: JSON in and out, basic auth or an
//! API key, TLS through rustls, and a timeout on every request so that a cluster that hangs
//! gives [`Error::Unavailable`] rather than a hung search.
//!
//! A cluster may be named by several URLs (its nodes, or load balancers): each request goes
//! to the node that answered last, and on to the next one when a node cannot be reached
//! (refused, reset, timed out, TLS failed) or answers 502, 503 or 504. Each node is tried at
//! most once per request, so a request to `n` dead nodes fails after at most `n` timeouts
//! (at once for refused connections) with [`Error::Unavailable`] naming each node's failure.
//! Every request Paragraf sends may be sent twice: searches and counts read, bulk requests
//! carry fixed ids, settings and mappings are set to the same value again.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

pub use crate::config::{CaCerts, ClusterConfig, DEFAULT_INDEX};
use crate::error::{Error, Result};

/// The HTTP client.
#[derive(Debug, Clone)]
pub struct Client {
    /// Base URLs of the nodes, without a trailing slash; never empty.
    nodes: Arc<[String]>,
    /// The node that answered last: the first one asked next.
    preferred: Arc<AtomicUsize>,
    agent: ureq::Agent,
    /// Bulk and rebuild requests may take longer than a search.
    slow_agent: ureq::Agent,
    authorization: Option<String>,
}

/// Methods the client sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// DELETE.
    Delete,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

impl Client {
    /// A client for the cluster of `config`.
    pub fn new(config: &ClusterConfig) -> Client {
        let tls = match &config.ca_certs {
            Some(certs) => ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::Specific(certs.0.clone()))
                .build(),
            None => ureq::tls::TlsConfig::default(),
        };
        let agent = |timeout: Duration| -> ureq::Agent {
            ureq::Agent::config_builder()
                .timeout_global(Some(timeout))
                .timeout_connect(Some(timeout.min(Duration::from_secs(3))))
                .http_status_as_error(false)
                .tls_config(tls.clone())
                .build()
                .into()
        };
        let mut nodes: Vec<String> = config
            .urls
            .iter()
            .map(|u| u.trim_end_matches('/').to_string())
            .collect();
        if nodes.is_empty() {
            // Only a hand-built config can have none; it then fails as a node that is down.
            nodes.push("http://no-url-configured.invalid".to_string());
        }
        Client {
            nodes: nodes.into(),
            preferred: Arc::new(AtomicUsize::new(0)),
            agent: agent(config.timeout),
            slow_agent: agent(config.timeout.max(Duration::from_secs(120))),
            authorization: authorization(config),
        }
    }

    /// The base URL of the node asked first (the one that answered last).
    pub fn url(&self) -> &str {
        &self.nodes[self.preferred.load(Ordering::Relaxed) % self.nodes.len()]
    }

    /// The base URLs of all the nodes, in the order configured.
    pub fn urls(&self) -> &[String] {
        &self.nodes
    }

    /// Sends a request with an optional JSON body; returns the status and the JSON answer
    /// (`null` for an empty body). Statuses are not errors here, except 502-504 (a proxy or
    /// a cluster not ready) from every node, which are [`Error::Unavailable`].
    pub fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Result<(u16, Value)> {
        let text = body.map(Value::to_string);
        self.send_text(method, path, text.as_deref(), "application/json", false)
    }

    /// [`Client::send`], an error for any status but 2xx.
    pub fn ok(&self, method: Method, path: &str, body: Option<&Value>) -> Result<Value> {
        let (status, value) = self.send(method, path, body)?;
        if (200..300).contains(&status) {
            Ok(value)
        } else {
            Err(refused(method, path, status, &value))
        }
    }

    /// Sends an NDJSON body (`_bulk`), with the long timeout.
    pub fn send_ndjson(&self, path: &str, body: &str) -> Result<(u16, Value)> {
        self.send_text(Method::Post, path, Some(body), "application/x-ndjson", true)
    }

    /// One request, to each node in turn from the preferred one until one answers.
    fn send_text(
        &self,
        method: Method,
        path: &str,
        body: Option<&str>,
        content_type: &str,
        slow: bool,
    ) -> Result<(u16, Value)> {
        let first = self.preferred.load(Ordering::Relaxed) % self.nodes.len();
        let mut failures = Vec::new();
        for step in 0..self.nodes.len() {
            let at = (first + step) % self.nodes.len();
            let base = &self.nodes[at];
            match self.send_to(base, method, path, body, content_type, slow) {
                Ok(answer) => {
                    if step > 0 {
                        tracing::warn!(node = %base, failed = %failures.join("; "), "OpenSearch node failed over");
                        self.preferred.store(at, Ordering::Relaxed);
                    }
                    return Ok(answer);
                }
                Err(Error::Unavailable { reason, .. }) => {
                    failures.push(format!("{base}: {reason}"))
                }
                Err(other) => return Err(other),
            }
        }
        let url = if self.nodes.len() == 1 {
            format!("{}{path}", self.nodes[0])
        } else {
            format!("{} (all {} nodes)", path, self.nodes.len())
        };
        let reason = if self.nodes.len() == 1 {
            failures
                .pop()
                .and_then(|f| f.split_once(": ").map(|(_, r)| r.to_string()))
                .unwrap_or_default()
        } else {
            failures.join("; ")
        };
        Err(Error::Unavailable { url, reason })
    }

    /// One request to the node at `base`.
    fn send_to(
        &self,
        base: &str,
        method: Method,
        path: &str,
        body: Option<&str>,
        content_type: &str,
        slow: bool,
    ) -> Result<(u16, Value)> {
        let url = format!("{base}{path}");
        let agent = if slow { &self.slow_agent } else { &self.agent };
        let unavailable = |reason: String| Error::Unavailable {
            url: url.clone(),
            reason,
        };
        let mut request = ureq::http::Request::builder()
            .method(method.as_str())
            .uri(&url)
            .header("Content-Type", content_type)
            .header("Accept", "application/json");
        if let Some(auth) = &self.authorization {
            request = request.header("Authorization", auth);
        }
        let response = match body {
            Some(text) => request
                .body(text.to_string())
                .map_err(|e| unavailable(e.to_string()))
                .and_then(|r| agent.run(r).map_err(|e| unavailable(e.to_string()))),
            None => request
                .body(())
                .map_err(|e| unavailable(e.to_string()))
                .and_then(|r| agent.run(r).map_err(|e| unavailable(e.to_string()))),
        }?;
        let status = response.status().as_u16();
        let text = response
            .into_body()
            .with_config()
            .limit(256 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| unavailable(format!("reading the answer: {e}")))?;
        if matches!(status, 502..=504) {
            return Err(unavailable(format!("HTTP {status}: {}", head(&text))));
        }
        let value = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).map_err(|e| Error::Unexpected {
                what: format!("{} {path}", method.as_str()),
                reason: format!("not JSON ({e}): {}", head(&text)),
            })?
        };
        Ok((status, value))
    }
}

/// The `Authorization` header of `config`: its API key, else basic auth of user and password.
fn authorization(config: &ClusterConfig) -> Option<String> {
    match (&config.api_key, &config.user) {
        (Some(key), _) => Some(format!("ApiKey {key}")),
        (None, Some(user)) => Some(format!(
            "Basic {}",
            base64(&format!(
                "{user}:{}",
                config.password.as_deref().unwrap_or_default()
            ))
        )),
        (None, None) => None,
    }
}

/// The error of a refused request, with the cluster's reason.
pub(crate) fn refused(method: Method, path: &str, status: u16, body: &Value) -> Error {
    let reason = body["error"]["root_cause"][0]["reason"]
        .as_str()
        .or_else(|| body["error"]["reason"].as_str())
        .map(str::to_string)
        .unwrap_or_else(|| head(&body.to_string()));
    Error::Refused {
        what: format!("{} {path}", method.as_str()),
        status,
        reason,
    }
}

fn head(text: &str) -> String {
    text.chars().take(300).collect()
}

/// Standard base64 with padding, for the basic auth header.
fn base64(s: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpListener;

    use super::*;
    use crate::config::{TEST_CERT_PEM, TEST_KEY_PEM};

    #[test]
    fn basic_auth_is_base64_of_user_and_password() {
        assert_eq!(base64("admin:admin"), "YWRtaW46YWRtaW4=");
        assert_eq!(base64("a"), "YQ==");
        assert_eq!(base64("ab"), "YWI=");
        assert_eq!(base64("abc"), "YWJj");
        let mut config = ClusterConfig::new("http://127.0.0.1:9200/");
        config.user = Some("admin".into());
        config.password = Some("admin".into());
        let client = Client::new(&config);
        assert_eq!(
            client.authorization.as_deref(),
            Some("Basic YWRtaW46YWRtaW4=")
        );
        assert_eq!(client.url(), "http://127.0.0.1:9200");
        config.api_key = Some("a2V5".into());
        assert_eq!(
            Client::new(&config).authorization.as_deref(),
            Some("ApiKey a2V5")
        );
    }

    /// Reads one request's head; returns it as text.
    fn read_head(stream: &mut impl Read) -> String {
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
        String::from_utf8_lossy(&seen).into_owned()
    }

    fn reply(status: u16, body: &str) -> String {
        format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    }

    /// A node that answers every request with `status` and `body`; returns its URL, the
    /// requests it had and the heads of those requests.
    fn fake_node(status: u16, body: &'static str) -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let heads = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = heads.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { break };
                let head = read_head(&mut stream);
                seen.lock().expect("lock").push(head);
                let _ = stream.write_all(reply(status, body).as_bytes());
            }
        });
        (url, heads)
    }

    /// A URL where nothing listens (a port just freed).
    fn dead_node() -> String {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}", listener.local_addr().expect("address"))
    }

    fn client_of(urls: &[&str]) -> Client {
        let mut config = ClusterConfig::from_urls(urls).expect("valid URLs");
        config.timeout = Duration::from_secs(2);
        Client::new(&config)
    }

    #[test]
    fn a_dead_node_is_skipped_and_the_next_answers() {
        let dead = dead_node();
        let (live, heads) = fake_node(200, r#"{"count":7}"#);
        let client = client_of(&[&dead, &live]);
        let (status, value) = client
            .send(Method::Get, "/paragraf/_count", None)
            .expect("live");
        assert_eq!((status, value), (200, serde_json::json!({"count": 7})));
        // The node that answered is asked first from now on.
        assert_eq!(client.url(), live);
        let (status, _) = client
            .send(Method::Get, "/paragraf/_count", None)
            .expect("live");
        assert_eq!(status, 200);
        let heads = heads.lock().expect("lock");
        assert_eq!(heads.len(), 2);
        assert!(
            heads[0].starts_with("GET /paragraf/_count HTTP/1.1"),
            "{}",
            heads[0]
        );
    }

    #[test]
    fn a_node_answering_503_is_skipped_but_a_404_is_an_answer() {
        let (busy, busy_heads) = fake_node(503, r#"{"error":"no master"}"#);
        let (live, _) = fake_node(200, r#"{"ok":true}"#);
        let client = client_of(&[&busy, &live]);
        let (status, value) = client.send(Method::Get, "/", None).expect("live");
        assert_eq!((status, value), (200, serde_json::json!({"ok": true})));
        assert_eq!(busy_heads.lock().expect("lock").len(), 1);

        let (missing, _) = fake_node(404, r#"{"error":"no such index"}"#);
        let (never, never_heads) = fake_node(200, r#"{"ok":true}"#);
        let client = client_of(&[&missing, &never]);
        let (status, _) = client.send(Method::Get, "/", None).expect("an answer");
        assert_eq!(status, 404);
        assert!(never_heads.lock().expect("lock").is_empty());
    }

    #[test]
    fn all_nodes_dead_is_unavailable_at_once_naming_each() {
        let (a, b) = (dead_node(), dead_node());
        let (busy, _) = fake_node(502, "bad gateway");
        let client = client_of(&[&a, &b, &busy]);
        let started = std::time::Instant::now();
        let err = client.send(Method::Get, "/", None).expect_err("all down");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        let Error::Unavailable { url, reason } = &err else {
            panic!("not unavailable: {err:?}");
        };
        assert_eq!(url, "/ (all 3 nodes)");
        assert!(reason.contains(&format!("{a}: ")), "{reason}");
        assert!(reason.contains(&format!("{b}: ")), "{reason}");
        assert!(
            reason.contains(&format!("{busy}: HTTP 502: bad gateway")),
            "{reason}"
        );
    }

    #[test]
    fn a_closed_port_is_unavailable_at_once() {
        let client = Client::new(&ClusterConfig::new("http://127.0.0.1:9"));
        let started = std::time::Instant::now();
        let err = client
            .send(Method::Get, "/", None)
            .expect_err("nothing listens");
        assert!(matches!(err, Error::Unavailable { .. }), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(4));
    }

    /// A TLS node with the test certificate, answering `{"tls":true}`.
    fn tls_node() -> String {
        use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
        let cert = ureq::tls::Certificate::from_pem(TEST_CERT_PEM.as_bytes()).expect("cert");
        let key = ureq::tls::PrivateKey::from_pem(TEST_KEY_PEM.as_bytes()).expect("key");
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(cert.der().to_vec())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.der().to_vec())),
            )
            .expect("server config");
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("https://{}", listener.local_addr().expect("address"));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { break };
                let Ok(conn) = rustls::ServerConnection::new(config.clone()) else {
                    continue;
                };
                let mut tls = rustls::StreamOwned::new(conn, stream);
                let head = read_head(&mut tls);
                if head.is_empty() {
                    continue; // the handshake failed
                }
                let auth = head
                    .lines()
                    .find_map(|l| {
                        l.strip_prefix("authorization: ")
                            .or_else(|| l.strip_prefix("Authorization: "))
                    })
                    .unwrap_or("none")
                    .to_string();
                let body = format!(r#"{{"tls":true,"authorization":"{auth}"}}"#);
                let _ = tls.write_all(reply(200, &body).as_bytes());
                let _ = tls.flush();
            }
        });
        url
    }

    #[test]
    fn a_tls_node_with_its_own_ca_answers_and_gets_the_login() {
        let url = tls_node();
        let mut config = ClusterConfig::from_urls(&[&url]).expect("URL");
        config.ca_certs =
            Some(CaCerts::from_pem(TEST_CERT_PEM.as_bytes(), "test").expect("the test CA"));
        config.user = Some("paragraf".into());
        config.password = Some("hemligt".into());
        let (status, value) = Client::new(&config)
            .send(Method::Get, "/", None)
            .expect("TLS answer");
        assert_eq!(status, 200);
        assert_eq!(
            value,
            serde_json::json!({"tls": true, "authorization": "Basic cGFyYWdyYWY6aGVtbGlndA=="})
        );
    }

    #[test]
    fn a_tls_node_with_an_unknown_ca_is_unavailable() {
        let url = tls_node();
        let config = ClusterConfig::from_urls(&[&url]).expect("URL");
        let err = Client::new(&config)
            .send(Method::Get, "/", None)
            .expect_err("the web's roots do not know the test CA");
        let Error::Unavailable { reason, .. } = &err else {
            panic!("not unavailable: {err:?}");
        };
        assert!(reason.to_lowercase().contains("certificate"), "{reason}");
    }
}
