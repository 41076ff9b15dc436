//! Origins allowed to call the API from a browser (`--cors-origin`), checked and normalised
//! once at start (issue #17: `*` panicked inside tower-http, and `https://intranet.se/` with
//! its trailing slash was silently never matched, since a browser's `Origin` has none).
//!
//! An origin is `scheme://host[:port]` as a browser sends it: scheme and host in lower case,
//! no path (a trailing `/` is dropped), no default port (`:443` for https, `:80` for http).
//! `*` allows every origin; no credentials are ever allowed (`Access-Control-Allow-Credentials`
//! is never sent), so `*` is safe to send. Origins named one by one may also send an
//! `Authorization` header (an intranet page with a token, issue #20); `*` may not: a token
//! is never to be usable from any site.
//!
//! ```
//! use paragraf_server::cors::{parse_origins, Origins};
//!
//! let origins = parse_origins(&["HTTPS://Intranat.Krokom.se/".to_string()]).unwrap();
//! assert_eq!(origins, Origins::List(vec!["https://intranat.krokom.se".to_string()]));
//! assert_eq!(parse_origins(&["*".to_string()]).unwrap(), Origins::Any);
//! ```

use std::fmt;

use axum::http::{header, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The origins allowed, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origins {
    /// No origin: no CORS headers are sent.
    None,
    /// `*`: any origin (without credentials).
    Any,
    /// These origins, normalised.
    List(Vec<String>),
}

/// An origin given that is not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidOrigin {
    /// What was given.
    pub value: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl fmt::Display for InvalidOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "--cors-origin {:?} is not an origin: {}; write scheme://host[:port], e.g. https://intranet.example.se, or * for any origin",
            self.value, self.reason
        )
    }
}

impl std::error::Error for InvalidOrigin {}

/// Checks and normalises origins; `*` among them allows any.
pub fn parse_origins(values: &[String]) -> Result<Origins, InvalidOrigin> {
    let mut list = Vec::new();
    let mut any = false;
    for value in values {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            continue;
        }
        if trimmed == "*" {
            any = true;
            continue;
        }
        let origin = normalize_origin(trimmed).map_err(|reason| InvalidOrigin {
            value: value.clone(),
            reason,
        })?;
        if !list.contains(&origin) {
            list.push(origin);
        }
    }
    Ok(if any {
        Origins::Any
    } else if list.is_empty() {
        Origins::None
    } else {
        Origins::List(list)
    })
}

/// `scheme://host[:port]` in the form a browser's `Origin` header has.
fn normalize_origin(value: &str) -> Result<String, &'static str> {
    let (scheme, rest) = value
        .split_once("://")
        .ok_or("it has no scheme (http:// or https://)")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => "443",
        "http" => "80",
        _ => return Err("the scheme is neither http nor https"),
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.contains(['/', '?', '#']) {
        return Err("an origin has no path, query or fragment");
    }
    if authority.contains('@') {
        return Err("an origin has no user name or password");
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => (host, Some(port)),
        _ => (authority, None),
    };
    let host = host.to_ascii_lowercase();
    let bracketed = host.starts_with('[') && host.ends_with(']') && host.len() > 2;
    let named = !host.is_empty()
        && !host.starts_with(['.', '-'])
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    let ipv6 = bracketed
        && host[1..host.len() - 1]
            .chars()
            .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
    if !named && !ipv6 {
        return Err("the host is not a host name or address");
    }
    let port = match port {
        None => None,
        Some(p) if p.parse::<u16>().is_ok_and(|n| n > 0) && !p.starts_with('0') => {
            (p != default_port).then_some(p)
        }
        Some(_) => return Err("the port is not a number from 1 to 65535"),
    };
    let origin = match port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    };
    // Every character checked above is allowed in a header.
    HeaderValue::from_str(&origin).map_err(|_| "it cannot be a header value")?;
    Ok(origin)
}

/// The CORS layer for these origins: `GET` only, no credentials; `Authorization` for origins
/// named one by one; `None` for no origin.
pub fn layer(origins: &Origins) -> Option<CorsLayer> {
    let (allow, headers) = match origins {
        Origins::None => return None,
        Origins::Any => (AllowOrigin::any(), Vec::new()),
        Origins::List(list) => (
            AllowOrigin::list(list.iter().filter_map(|o| HeaderValue::from_str(o).ok())),
            vec![header::AUTHORIZATION],
        ),
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET])
            .allow_headers(headers)
            .allow_credentials(false),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(values: &[&str]) -> Result<Origins, String> {
        let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        parse_origins(&values).map_err(|e| e.to_string())
    }

    #[test]
    fn origins_are_normalised_as_browsers_send_them() {
        assert_eq!(
            parse(&[
                "https://intranat.krokom.se/",
                "HTTPS://INTRANAT.krokom.SE",
                " http://localhost:8080 ",
                "https://a.se:443",
                "http://b.se:80/",
                "http://[::1]:3000",
                "http://10.0.0.5",
            ]),
            Ok(Origins::List(vec![
                "https://intranat.krokom.se".to_string(),
                "http://localhost:8080".to_string(),
                "https://a.se".to_string(),
                "http://b.se".to_string(),
                "http://[::1]:3000".to_string(),
                "http://10.0.0.5".to_string(),
            ]))
        );
        assert_eq!(parse(&["*"]), Ok(Origins::Any));
        assert_eq!(parse(&["https://a.se", "*"]), Ok(Origins::Any));
        assert_eq!(parse(&[]), Ok(Origins::None));
        assert_eq!(parse(&[""]), Ok(Origins::None));
    }

    #[test]
    fn an_invalid_origin_is_refused_naming_it() {
        let hint =
            "; write scheme://host[:port], e.g. https://intranet.example.se, or * for any origin";
        for (value, reason) in [
            (
                "intranat.krokom.se",
                "it has no scheme (http:// or https://)",
            ),
            ("ftp://a.se", "the scheme is neither http nor https"),
            (
                "https://a.se/sok",
                "an origin has no path, query or fragment",
            ),
            (
                "https://a.se?x=1",
                "an origin has no path, query or fragment",
            ),
            (
                "https://user@a.se",
                "an origin has no user name or password",
            ),
            ("https://", "the host is not a host name or address"),
            ("https://a b.se", "the host is not a host name or address"),
            (
                "https://*.krokom.se",
                "the host is not a host name or address",
            ),
            (
                "https://a.se:99999",
                "the port is not a number from 1 to 65535",
            ),
            ("https://a.se:", "the port is not a number from 1 to 65535"),
        ] {
            assert_eq!(
                parse(&["https://ok.se", value]),
                Err(format!(
                    "--cors-origin {value:?} is not an origin: {reason}{hint}"
                )),
                "{value}"
            );
        }
    }
}
