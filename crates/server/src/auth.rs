//! Who asks (issue #20): every request is given a [`Caller`] before a handler sees it.
//!
//! - No credentials: [`Access::Public`].
//! - `Authorization: Bearer paragraf_…`: the token's scope ([`crate::tokens`]); a malformed,
//!   unknown or revoked token is a 401 with its code and a `WWW-Authenticate` challenge, never
//!   a quiet downgrade to public (a client should learn its token no longer works).
//! - A user header (`X-Forwarded-User`, [`AuthConfig::user_header`]) from a trusted proxy
//!   (`--trusted-proxy`, an address or a CIDR block compared with the connection's peer
//!   address): [`Access::Internal`], as the intranet's login vouched for the user. From any
//!   other peer the header is ignored, as anyone can send it.
//!
//! Every response says what it varied by (`Vary: Origin, Authorization`, and the user header
//! when proxies are trusted), and one that credentials decided is `Cache-Control: private`, so
//! that no shared cache hands an official's answer to the public.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use paragraf_query::Access;

use crate::tokens::{Refusal, TokenStore};
use crate::{ApiError, ErrorCode};

/// The default user header of a trusted proxy.
pub const DEFAULT_USER_HEADER: &str = "x-forwarded-user";

/// How the server learns who asks.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// The tokens to check bearer tokens against; `None`: every bearer token is invalid.
    pub tokens: Option<Arc<TokenStore>>,
    /// Peers whose user header is believed.
    pub trusted_proxies: Vec<IpNet>,
    /// The header a trusted proxy names the signed-in user in.
    pub user_header: HeaderName,
}

impl Default for AuthConfig {
    fn default() -> AuthConfig {
        AuthConfig {
            tokens: None,
            trusted_proxies: Vec::new(),
            user_header: HeaderName::from_static(DEFAULT_USER_HEADER),
        }
    }
}

/// Who asks, as [`authenticate`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Caller {
    /// What the request may see.
    pub access: Access,
    /// Whether credentials (a token, a proxy's user) decided it.
    pub credentialed: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = std::convert::Infallible;

    /// The caller [`authenticate`] put in the request; public when it did not run.
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Caller, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Caller>()
            .copied()
            .unwrap_or_default())
    }
}

/// An IP address or a CIDR block (`10.0.0.0/8`, `::1`), for `--trusted-proxy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    /// Whether an address lies in the block. An IPv4 peer seen as IPv6 (`::ffff:10.0.0.1`)
    /// is compared as IPv4.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl std::str::FromStr for IpNet {
    type Err = String;

    fn from_str(s: &str) -> Result<IpNet, String> {
        let bad = || format!("{s:?} is neither an IP address nor a CIDR block (10.0.0.0/8)");
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (s.trim(), None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| bad())?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?,
        };
        Ok(IpNet { addr, prefix })
    }
}

/// Who asks: from the bearer token, else a trusted proxy's user header, else the public.
pub fn caller(
    config: &AuthConfig,
    headers: &HeaderMap,
    peer: Option<IpAddr>,
) -> Result<Caller, ApiError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let malformed = || {
            ApiError::new(
                ErrorCode::MalformedToken,
                "Authorization must be \"Bearer <token>\" with a token from `paragraf token create`",
            )
        };
        let value = value.to_str().map_err(|_| malformed())?;
        let (scheme, token) = value.trim().split_once(' ').ok_or_else(malformed)?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(malformed());
        }
        let token = token.trim();
        let checked = match &config.tokens {
            Some(store) => store.check(token),
            None if !crate::tokens::is_well_formed(token) => Err(Refusal::Malformed),
            None => Err(Refusal::Invalid),
        };
        return match checked {
            Ok(access) => Ok(Caller {
                access,
                credentialed: true,
            }),
            Err(Refusal::Malformed) => Err(malformed()),
            Err(Refusal::Invalid) => Err(ApiError::new(
                ErrorCode::InvalidToken,
                "the token is not valid here",
            )),
            Err(Refusal::Revoked) => Err(ApiError::new(
                ErrorCode::TokenRevoked,
                "the token has been revoked",
            )),
        };
    }
    let user = headers
        .get(&config.user_header)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|u| !u.is_empty());
    if let Some(user) = user {
        let trusted = peer.is_some_and(|ip| config.trusted_proxies.iter().any(|n| n.contains(ip)));
        if trusted {
            tracing::debug!(user, "signed in at the trusted proxy");
            return Ok(Caller {
                access: Access::Internal,
                credentialed: true,
            });
        }
        tracing::debug!(peer = ?peer, "user header from an untrusted peer ignored");
    }
    Ok(Caller::default())
}

/// The middleware: finds the [`Caller`] of each request, refuses bad tokens, and sets `Vary`
/// and `Cache-Control` on the response.
pub async fn authenticate(
    State(config): State<Arc<AuthConfig>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let found = caller(&config, request.headers(), peer);
    let (mut response, credentialed) = match found {
        Ok(caller) => {
            request.extensions_mut().insert(caller);
            (next.run(request).await, caller.credentialed)
        }
        Err(e) => (e.into_response(), true),
    };
    let headers = response.headers_mut();
    let mut vary = String::from("Origin, Authorization");
    if !config.trusted_proxies.is_empty() {
        vary.push_str(", ");
        vary.push_str(config.user_header.as_str());
    }
    if let Ok(value) = HeaderValue::from_str(&vary) {
        headers.append(header::VARY, value);
    }
    if credentialed {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_blocks() {
        let net = |s: &str| s.parse::<IpNet>().expect("parses");
        let ip = |s: &str| s.parse::<IpAddr>().expect("an address");
        assert!(net("10.0.0.0/8").contains(ip("10.200.3.4")));
        assert!(!net("10.0.0.0/8").contains(ip("11.0.0.1")));
        assert!(net("127.0.0.1").contains(ip("127.0.0.1")));
        assert!(!net("127.0.0.1").contains(ip("127.0.0.2")));
        assert!(net("127.0.0.1").contains(ip("::ffff:127.0.0.1")));
        assert!(net("0.0.0.0/0").contains(ip("8.8.8.8")));
        assert!(net("fd00::/8").contains(ip("fd12::1")));
        assert!(!net("fd00::/8").contains(ip("127.0.0.1")));
        assert_eq!(
            "10.0.0.0/33".parse::<IpNet>(),
            Err("\"10.0.0.0/33\" is neither an IP address nor a CIDR block (10.0.0.0/8)".into())
        );
        assert!("intranet".parse::<IpNet>().is_err());
    }

    #[test]
    fn the_user_header_counts_from_a_trusted_peer_only() {
        let config = AuthConfig {
            trusted_proxies: vec!["10.0.0.0/8".parse().expect("block")],
            ..AuthConfig::default()
        };
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-user", HeaderValue::from_static("anna"));
        let from = |ip: &str| {
            caller(&config, &headers, Some(ip.parse().expect("ip")))
                .map(|c| c.access)
                .map_err(|e| e.code())
        };
        assert_eq!(from("10.1.2.3"), Ok(Access::Internal));
        assert_eq!(from("192.168.1.1"), Ok(Access::Public));
        assert_eq!(
            caller(&config, &headers, None)
                .map(|c| c.access)
                .map_err(|e| e.code()),
            Ok(Access::Public)
        );
    }

    #[test]
    fn a_bad_authorization_is_refused_with_its_code() {
        let config = AuthConfig::default();
        for (value, code) in [
            ("Basic YWxhZGRpbjpvcGVuc2VzYW1l", ErrorCode::MalformedToken),
            ("Bearer", ErrorCode::MalformedToken),
            ("Bearer nonsense", ErrorCode::MalformedToken),
            (
                "Bearer paragraf_0123456789abcdef_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                ErrorCode::InvalidToken,
            ),
        ] {
            let mut headers = HeaderMap::new();
            headers.insert(header::AUTHORIZATION, HeaderValue::from_static(value));
            let got = caller(&config, &headers, None).map_err(|e| e.code());
            assert_eq!(got, Err(code), "{value}");
        }
    }
}
