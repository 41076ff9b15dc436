//! [`ClusterConfig`]: where the cluster's nodes are, how to log in and whom to trust over TLS.
//!
//! A cluster is named by one URL or several (`--opensearch-url a,b,c`): the client sends each
//! request to the node that answered last and goes on to the next when a node cannot be
//! reached or answers 502/503/504 ([`crate::client`]).

use std::sync::Arc;
use std::time::Duration;

use crate::error::{Error, Result};

/// The default index (alias) name.
pub const DEFAULT_INDEX: &str = "paragraf";

/// Where the cluster is and how to log in.
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    /// Base URLs of the nodes (or load balancers) to send requests to, in order of preference:
    /// `http://127.0.0.1:9200` or `https://search.example.se:9200`. Never empty when built by
    /// [`ClusterConfig::new`] or [`ClusterConfig::from_urls`].
    pub urls: Vec<String>,
    /// Index name Paragraf searches: an alias over the concrete index (default `paragraf`).
    pub index: String,
    /// Basic auth user (with `password`).
    pub user: Option<String>,
    /// Basic auth password.
    pub password: Option<String>,
    /// An API key (`Authorization: ApiKey …`), instead of basic auth.
    pub api_key: Option<String>,
    /// Certificates to trust for `https://` instead of the web's root certificates (a
    /// cluster's own CA, as the security plugin's demo or a company CA).
    pub ca_certs: Option<CaCerts>,
    /// The longest a request to one node may take, connection included.
    pub timeout: Duration,
}

impl ClusterConfig {
    /// A cluster at `url` (one URL, used as given) with the default index name, no login and a
    /// 5 s timeout.
    pub fn new(url: impl Into<String>) -> ClusterConfig {
        ClusterConfig {
            urls: vec![url.into()],
            index: DEFAULT_INDEX.to_string(),
            user: None,
            password: None,
            api_key: None,
            ca_certs: None,
            timeout: Duration::from_secs(5),
        }
    }

    /// A cluster at the URLs of `urls`, each of which may itself be a comma-separated list
    /// (`PARAGRAF_OPENSEARCH_URL=http://a:9200,http://b:9200`). Fails, naming the value, on
    /// none at all or on one that is not `http://` or `https://` with a host.
    pub fn from_urls<S: AsRef<str>>(urls: &[S]) -> Result<ClusterConfig> {
        let mut parsed = Vec::new();
        for list in urls {
            for url in list.as_ref().split(',') {
                let url = url.trim();
                if url.is_empty() {
                    continue;
                }
                parsed.push(check_url(url)?);
            }
        }
        if parsed.is_empty() {
            return Err(Error::Config(
                "no OpenSearch URL given (--opensearch-url or PARAGRAF_OPENSEARCH_URL)".into(),
            ));
        }
        let mut config = ClusterConfig::new(String::new());
        config.urls = parsed;
        Ok(config)
    }

    /// The URLs as one string, for messages (`http://a:9200,http://b:9200`).
    pub fn url_list(&self) -> String {
        self.urls.join(",")
    }
}

/// `url` without a trailing slash, when it is `http://` or `https://` and names a host.
fn check_url(url: &str) -> Result<String> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or_else(|| {
            Error::Config(format!(
                "OpenSearch URL {url:?} must start with http:// or https://"
            ))
        })?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || host.starts_with(':') {
        return Err(Error::Config(format!(
            "OpenSearch URL {url:?} names no host"
        )));
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// Certificates to trust for a TLS cluster, read from PEM.
#[derive(Clone)]
pub struct CaCerts(pub(crate) Arc<Vec<ureq::tls::Certificate<'static>>>);

impl std::fmt::Debug for CaCerts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CaCerts({} certificates)", self.0.len())
    }
}

impl CaCerts {
    /// The certificates of a PEM text (one or more `BEGIN CERTIFICATE` blocks); `source`
    /// names it in the error when there is none or one is broken.
    pub fn from_pem(pem: &[u8], source: &str) -> Result<CaCerts> {
        let mut certs = Vec::new();
        for item in ureq::tls::parse_pem(pem) {
            match item {
                Ok(ureq::tls::PemItem::Certificate(cert)) => certs.push(cert),
                Ok(_) => {}
                Err(e) => {
                    return Err(Error::Config(format!(
                        "the CA file {source} is not readable PEM: {e}"
                    )))
                }
            }
        }
        if certs.is_empty() {
            return Err(Error::Config(format!(
                "the CA file {source} holds no certificate (BEGIN CERTIFICATE)"
            )));
        }
        Ok(CaCerts(Arc::new(certs)))
    }

    /// The certificates of the PEM file at `path`.
    pub fn from_file(path: &std::path::Path) -> Result<CaCerts> {
        let pem = std::fs::read(path).map_err(|e| {
            Error::Config(format!("cannot read the CA file {}: {e}", path.display()))
        })?;
        CaCerts::from_pem(&pem, &path.display().to_string())
    }

    /// How many certificates.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none (never, when built by [`CaCerts::from_pem`]).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A self-signed certificate for 127.0.0.1 and localhost, for the TLS tests only
/// (`openssl req -x509 -newkey ec -subj /CN=paragraf-test -addext subjectAltName=…`).
#[cfg(test)]
pub(crate) const TEST_CERT_PEM: &str = "-----BEGIN CERTIFICATE-----
MIIBoDCCAUagAwIBAgIUaaBgQBA2O+arUMgx49N7MBUoNogwCgYIKoZIzj0EAwIw
GDEWMBQGA1UEAwwNcGFyYWdyYWYtdGVzdDAgFw0yNjEyMDIwMDA5MzBaGA8yMTI2
MTEwODAwMDkzMFowGDEWMBQGA1UEAwwNcGFyYWdyYWYtdGVzdDBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABDZ7i4VBO9Nt8xGi2uO/MPGRbH11/qvUQ4eSbx9w2WSY
ZcvQ7NRRLPmMvuLHg6VuYwn3HJC6dsGgZvxa0UHnHlejbDBqMB0GA1UdDgQWBBT0
KUELNKub3RKpQBP5jv4R5Wd7NzAfBgNVHSMEGDAWgBT0KUELNKub3RKpQBP5jv4R
5Wd7NzAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwDAYDVR0TAQH/BAIwADAK
BggqhkjOPQQDAgNIADBFAiAIXglj3luKTvhDaMAuxckxOQrljiqmYUo7PPZhCMkT
hgIhALxCksq1qIZWV5bDWLn+8Th7F3J6DtFsb5tYLM1dhkdW
-----END CERTIFICATE-----
";

/// The private key of [`TEST_CERT_PEM`] (PKCS#8); it protects nothing.
#[cfg(test)]
pub(crate) const TEST_KEY_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgKK5aaWtSrz2YXNkd
btdLKdSZE4Vo90wABH+WQ1LP1W2hRANCAAQ2e4uFQTvTbfMRotrjvzDxkWx9df6r
1EOHkm8fcNlkmGXL0OzUUSz5jL7ix4OlbmMJ9xyQunbBoGb8WtFB5x5X
-----END PRIVATE KEY-----
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_split_on_commas_trimmed_and_checked() {
        let config = ClusterConfig::from_urls(&[
            "http://127.0.0.1:9201, http://127.0.0.1:9202/",
            "https://search.example.se:9200",
        ])
        .expect("valid URLs");
        assert_eq!(
            config.urls,
            [
                "http://127.0.0.1:9201",
                "http://127.0.0.1:9202",
                "https://search.example.se:9200"
            ]
        );
        assert_eq!(
            config.url_list(),
            "http://127.0.0.1:9201,http://127.0.0.1:9202,https://search.example.se:9200"
        );
        assert_eq!(config.index, DEFAULT_INDEX);
    }

    #[test]
    fn a_bad_url_is_named_in_the_error() {
        let err = ClusterConfig::from_urls(&["http://a:9200,search.example.se:9200"])
            .expect_err("no scheme");
        assert_eq!(
            err.to_string(),
            "OpenSearch URL \"search.example.se:9200\" must start with http:// or https://"
        );
        let err = ClusterConfig::from_urls(&["http://:9200"]).expect_err("no host");
        assert_eq!(
            err.to_string(),
            "OpenSearch URL \"http://:9200\" names no host"
        );
        let err = ClusterConfig::from_urls(&[" , "]).expect_err("nothing");
        assert_eq!(
            err.to_string(),
            "no OpenSearch URL given (--opensearch-url or PARAGRAF_OPENSEARCH_URL)"
        );
    }

    #[test]
    fn a_ca_file_gives_its_certificate() {
        let certs = CaCerts::from_pem(TEST_CERT_PEM.as_bytes(), "test.pem").expect("valid PEM");
        assert_eq!(certs.len(), 1);
        assert_eq!(format!("{certs:?}"), "CaCerts(1 certificates)");
    }

    #[test]
    fn a_ca_file_without_a_certificate_is_refused() {
        let err = CaCerts::from_pem(b"not a certificate\n", "ca.pem").expect_err("no PEM");
        assert_eq!(
            err.to_string(),
            "the CA file ca.pem holds no certificate (BEGIN CERTIFICATE)"
        );
    }
}
