//! A tiny SMTP relay for the digest tests: a TcpListener on 127.0.0.1 speaking enough SMTP
//! (EHLO, STARTTLS or TLS from the start with rustls, AUTH PLAIN, MAIL, RCPT, DATA, RSET,
//! QUIT) to capture what `paragraf watch` sends, or to refuse it with a 5xx as a relay does. And enough MIME reading (RFC 2047 subjects,
//! quoted-printable and base64 parts) to assert what a captured message says.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};

/// How the sink secures its connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain SMTP; no STARTTLS offered.
    Plain,
    /// Plain SMTP offering STARTTLS.
    Starttls,
    /// TLS from the first byte.
    Tls,
}

/// A message the sink accepted: the envelope, the AUTH it was sent with and its text.
#[derive(Debug, Clone)]
pub struct Captured {
    /// `MAIL FROM` address.
    pub from: String,
    /// `RCPT TO` addresses, in order.
    pub recipients: Vec<String>,
    /// The decoded `AUTH PLAIN` response (`\0user\0password`), when one was given.
    pub auth: Option<String>,
    /// Whether the message came over TLS.
    pub tls: bool,
    /// The message as sent (dot-stuffing undone).
    pub data: String,
}

#[derive(Default)]
struct Shared {
    refuse: bool,
    accepted: Vec<Captured>,
    refused: usize,
}

/// The sink; it listens until the test binary ends.
pub struct Sink {
    addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
}

impl Sink {
    /// Starts a plain sink on a free port of 127.0.0.1.
    pub fn start() -> Sink {
        Sink::with(Security::Plain)
    }

    /// Starts a sink securing its connections so, with `tests/fixtures/smtp-tls/localhost.pem`.
    pub fn with(security: Security) -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the SMTP sink");
        let addr = listener.local_addr().expect("sink address");
        let shared = Arc::new(Mutex::new(Shared::default()));
        let for_thread = shared.clone();
        let tls = (security != Security::Plain).then(server_config);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = for_thread.clone();
                let tls = tls.clone();
                std::thread::spawn(move || {
                    let _ = connection(stream, security, tls, &shared);
                });
            }
        });
        Sink { addr, shared }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Whether to answer the end of DATA with `554` (refused) instead of `250`.
    pub fn refuse(&self, refuse: bool) {
        self.shared.lock().expect("sink lock").refuse = refuse;
    }

    /// The messages accepted so far.
    pub fn accepted(&self) -> Vec<Captured> {
        self.shared.lock().expect("sink lock").accepted.clone()
    }

    /// How many messages were refused.
    pub fn refused(&self) -> usize {
        self.shared.lock().expect("sink lock").refused
    }

    /// Waits until `n` messages were accepted (at most 60 s) and returns them.
    pub fn wait_for(&self, n: usize) -> Vec<Captured> {
        let start = Instant::now();
        loop {
            let accepted = self.accepted();
            if accepted.len() >= n {
                return accepted;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "waited 60 s for {n} messages, got {}",
                accepted.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The fixture directory of the TLS certificates.
pub fn tls_fixtures() -> std::path::PathBuf {
    crate::util::repo_root().join("tests/fixtures/smtp-tls")
}

/// The sink's TLS configuration: the `localhost` certificate, ring as the crypto provider.
fn server_config() -> Arc<ServerConfig> {
    let dir = tls_fixtures();
    let certs = CertificateDer::pem_file_iter(dir.join("localhost.pem"))
        .expect("read localhost.pem")
        .collect::<Result<Vec<_>, _>>()
        .expect("PEM certificates");
    let key = PrivateKeyDer::from_pem_file(dir.join("localhost.key")).expect("read localhost.key");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("the sink's certificate");
    Arc::new(config)
}

/// One connection: TLS from the start, or plain and perhaps upgraded by STARTTLS.
fn connection(
    stream: TcpStream,
    security: Security,
    tls: Option<Arc<ServerConfig>>,
    shared: &Mutex<Shared>,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let wrap = |stream: TcpStream| -> std::io::Result<_> {
        let config = tls.clone().expect("a TLS configuration");
        let conn = ServerConnection::new(config).map_err(std::io::Error::other)?;
        Ok(BufReader::new(StreamOwned::new(conn, stream)))
    };
    if security == Security::Tls {
        let mut io = wrap(stream)?;
        reply(&mut io, "220 sink.test ESMTP")?;
        session(&mut io, shared, false, true)?;
        return Ok(());
    }
    let mut io = BufReader::new(stream);
    reply(&mut io, "220 sink.test ESMTP")?;
    if session(&mut io, shared, security == Security::Starttls, false)? {
        let mut io = wrap(io.into_inner())?;
        session(&mut io, shared, false, true)?;
    }
    Ok(())
}

fn reply<S: Read + Write>(io: &mut BufReader<S>, line: &str) -> std::io::Result<()> {
    let out = io.get_mut();
    out.write_all(line.as_bytes())?;
    out.write_all(b"\r\n")?;
    out.flush()
}

/// One SMTP session; `Ok(true)` when the client asked for STARTTLS and the connection is to be
/// upgraded.
fn session<S: Read + Write>(
    io: &mut BufReader<S>,
    shared: &Mutex<Shared>,
    offer_starttls: bool,
    tls: bool,
) -> std::io::Result<bool> {
    let (mut from, mut recipients, mut auth) = (String::new(), Vec::new(), None);
    let mut line = String::new();
    loop {
        line.clear();
        if io.read_line(&mut line)? == 0 {
            return Ok(false);
        }
        let command = line.trim_end().to_string();
        let upper = command.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            if offer_starttls {
                reply(io, "250-sink.test\r\n250-STARTTLS\r\n250 8BITMIME")?;
            } else {
                reply(io, "250-sink.test\r\n250-AUTH PLAIN\r\n250 8BITMIME")?;
            }
        } else if upper == "STARTTLS" && offer_starttls {
            reply(io, "220 2.0.0 ready to start TLS")?;
            return Ok(true);
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            reply(io, "250 ok")?;
        } else if upper.starts_with("AUTH PLAIN") {
            let mut response = command["AUTH PLAIN".len()..].trim().to_string();
            if response.is_empty() {
                reply(io, "334 ")?;
                line.clear();
                io.read_line(&mut line)?;
                response = line.trim().to_string();
            }
            auth = Some(String::from_utf8_lossy(&base64(&response)).into_owned());
            reply(io, "235 2.7.0 authenticated")?;
        } else if upper.starts_with("MAIL FROM:") {
            from = address(&command["MAIL FROM:".len()..]);
            recipients.clear();
            reply(io, "250 2.1.0 ok")?;
        } else if upper.starts_with("RCPT TO:") {
            recipients.push(address(&command["RCPT TO:".len()..]));
            reply(io, "250 2.1.5 ok")?;
        } else if upper == "DATA" {
            reply(io, "354 end with <CRLF>.<CRLF>")?;
            let mut data = String::new();
            loop {
                line.clear();
                if io.read_line(&mut line)? == 0 {
                    return Ok(false);
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            let refused = {
                let mut shared = shared.lock().expect("sink lock");
                if shared.refuse {
                    shared.refused += 1;
                } else {
                    shared.accepted.push(Captured {
                        from: from.clone(),
                        recipients: recipients.clone(),
                        auth: auth.clone(),
                        tls,
                        data,
                    });
                }
                shared.refuse
            };
            if refused {
                reply(io, "554 5.7.1 message refused by policy")?;
            } else {
                reply(io, "250 2.0.0 queued")?;
            }
        } else if upper == "RSET" {
            recipients.clear();
            reply(io, "250 ok")?;
        } else if upper == "QUIT" {
            reply(io, "221 bye")?;
            return Ok(false);
        } else {
            reply(io, "502 5.5.2 not implemented")?;
        }
    }
}

/// `<a@b.se> SIZE=123` → `a@b.se`.
fn address(arg: &str) -> String {
    let arg = arg.trim();
    match (arg.find('<'), arg.find('>')) {
        (Some(open), Some(close)) if open < close => arg[open + 1..close].to_string(),
        _ => arg
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string(),
    }
}

/// A captured message read as a mail client reads it.
#[derive(Debug)]
pub struct Mail {
    /// The decoded subject.
    pub subject: String,
    /// The `To` header as sent.
    pub to: String,
    /// The decoded `text/plain` part.
    pub text: String,
    /// The decoded `text/html` part.
    pub html: String,
}

impl Mail {
    /// Reads a `multipart/alternative` message with a plain and an HTML part.
    pub fn read(data: &str) -> Mail {
        let data = data.replace("\r\n", "\n");
        let (head, body) = data.split_once("\n\n").expect("headers and a body");
        let headers = parse_headers(head);
        let content_type = header(&headers, "content-type");
        assert!(
            content_type.starts_with("multipart/alternative"),
            "{content_type}"
        );
        let boundary = content_type
            .split("boundary=")
            .nth(1)
            .expect("a boundary")
            .trim_matches('"')
            .to_string();
        let (mut text, mut html) = (None, None);
        for part in body.split(&format!("--{boundary}")).skip(1) {
            let Some((head, body)) = part.trim_start_matches('\n').split_once("\n\n") else {
                continue;
            };
            let headers = parse_headers(head);
            let decoded = match header(&headers, "content-transfer-encoding").as_str() {
                "quoted-printable" => quoted_printable(body),
                "base64" => String::from_utf8(base64(body)).expect("UTF-8 part"),
                _ => body.to_string(),
            };
            let kind = header(&headers, "content-type");
            if kind.starts_with("text/plain") {
                text = Some(decoded);
            } else if kind.starts_with("text/html") {
                html = Some(decoded);
            }
        }
        Mail {
            subject: encoded_words(&header(&headers, "subject")),
            to: header(&headers, "to"),
            text: text.expect("a text/plain part").trim_end().to_string(),
            html: html.expect("a text/html part"),
        }
    }
}

/// Unfolded headers, names in lower case.
fn parse_headers(head: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push_str(line);
            }
        } else if let Some((name, value)) = line.split_once(':') {
            out.push((name.to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    out
}

fn header(headers: &[(String, String)], name: &str) -> String {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// RFC 2047: `=?utf-8?b?…?=` and `=?utf-8?q?…?=` words decoded; space between two words dropped.
fn encoded_words(value: &str) -> String {
    let mut bytes = Vec::new();
    let mut rest = value;
    let mut after_word = false;
    while !rest.is_empty() {
        match rest.find("=?") {
            Some(start) => {
                let between = &rest[..start];
                if !(after_word && between.trim().is_empty()) {
                    bytes.extend_from_slice(between.as_bytes());
                }
                let word = &rest[start + 2..];
                let parts: Vec<&str> = word.splitn(3, '?').collect();
                let (encoding, tail) = (parts[1], parts[2]);
                let end = tail.find("?=").expect("end of an encoded word");
                let text = &tail[..end];
                if encoding.eq_ignore_ascii_case("b") {
                    bytes.extend(base64(text));
                } else {
                    bytes.extend(quoted_printable(&text.replace('_', " ")).into_bytes());
                }
                rest = &tail[end + 2..];
                after_word = true;
            }
            None => {
                bytes.extend_from_slice(rest.as_bytes());
                rest = "";
            }
        }
    }
    String::from_utf8(bytes).expect("UTF-8 header")
}

fn quoted_printable(text: &str) -> String {
    let bytes = text.replace("=\n", "").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = String::from_utf8_lossy(&bytes[i + 1..i + 3]).into_owned();
            if let Ok(byte) = u8::from_str_radix(&hex, 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("UTF-8 text")
}

fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for byte in text.bytes() {
        let Some(value) = ALPHABET.iter().position(|&c| c == byte) else {
            continue;
        };
        buffer = (buffer << 6) | value as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}
