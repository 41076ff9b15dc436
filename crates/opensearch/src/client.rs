//! A small synchronous client of the OpenSearch REST API: JSON in and out, basic auth or an
//! API key, TLS through rustls, and a timeout on every request so that a cluster that hangs
//! gives [`Error::Unavailable`] rather than a hung search.

use std::time::Duration;

use serde_json::Value;

use crate::error::{Error, Result};

/// Where the cluster is and how to log in.
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    /// Base URL, `http://127.0.0.1:9200` or `https://search.example.se:9200`.
    pub url: String,
    /// Index name Paragraf searches: an alias over the concrete index (default `paragraf`).
    pub index: String,
    /// Basic auth user (with `password`).
    pub user: Option<String>,
    /// Basic auth password.
    pub password: Option<String>,
    /// An API key (`Authorization: ApiKey …`), instead of basic auth.
    pub api_key: Option<String>,
    /// The longest a request may take, connection included.
    pub timeout: Duration,
}

impl ClusterConfig {
    /// A cluster at `url` with the default index name, no login and a 5 s timeout.
    pub fn new(url: impl Into<String>) -> ClusterConfig {
        ClusterConfig {
            url: url.into(),
            index: DEFAULT_INDEX.to_string(),
            user: None,
            password: None,
            api_key: None,
            timeout: Duration::from_secs(5),
        }
    }
}

/// The default index (alias) name.
pub const DEFAULT_INDEX: &str = "paragraf";

/// The HTTP client.
#[derive(Debug, Clone)]
pub struct Client {
    base: String,
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
        let agent = |timeout: Duration| -> ureq::Agent {
            ureq::Agent::config_builder()
                .timeout_global(Some(timeout))
                .timeout_connect(Some(timeout.min(Duration::from_secs(3))))
                .http_status_as_error(false)
                .build()
                .into()
        };
        let authorization = match (&config.api_key, &config.user) {
            (Some(key), _) => Some(format!("ApiKey {key}")),
            (None, Some(user)) => Some(format!(
                "Basic {}",
                base64(&format!(
                    "{user}:{}",
                    config.password.as_deref().unwrap_or_default()
                ))
            )),
            (None, None) => None,
        };
        Client {
            base: config.url.trim_end_matches('/').to_string(),
            agent: agent(config.timeout),
            slow_agent: agent(config.timeout.max(Duration::from_secs(120))),
            authorization,
        }
    }

    /// The cluster's base URL.
    pub fn url(&self) -> &str {
        &self.base
    }

    /// Sends a request with an optional JSON body; returns the status and the JSON answer
    /// (`null` for an empty body). Statuses are not errors here, except 502-504 (a proxy or
    /// a cluster not ready), which are [`Error::Unavailable`].
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

    fn send_text(
        &self,
        method: Method,
        path: &str,
        body: Option<&str>,
        content_type: &str,
        slow: bool,
    ) -> Result<(u16, Value)> {
        let url = format!("{}{path}", self.base);
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
    use super::*;

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
}
