//! Handing a digest to the SMTP relay with `lettre`: STARTTLS, TLS or a plain connection, AUTH
//! when a user is configured, one connection per digest. A digest counts as sent when the relay
//! answered 250 to its DATA; anything else is an error that names the relay and what it said.

use std::time::Duration;

use anyhow::Context;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

use super::config::{Security, SmtpConfig};
use super::digest::Digest;

/// How long the relay may take to answer one command before the digest counts as not sent.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The relay, ready to send.
pub struct Relay {
    transport: SmtpTransport,
    from: Mailbox,
    address: String,
}

impl Relay {
    /// The transport for a configured relay; nothing is sent and no connection made yet.
    pub fn new(config: &SmtpConfig) -> anyhow::Result<Relay> {
        let tls = || -> anyhow::Result<TlsParameters> {
            let mut params = TlsParameters::builder(config.host.clone());
            if let Some(ca) = &config.ca_file {
                let pem = std::fs::read(ca)
                    .with_context(|| format!("reading the relay's ca_file {}", ca.display()))?;
                let certificate = Certificate::from_pem(&pem)
                    .ok()
                    .filter(|_| pem.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----"))
                    .ok_or_else(|| {
                        anyhow::anyhow!(
                            "the relay's ca_file {} holds no PEM certificates (-----BEGIN CERTIFICATE-----)",
                            ca.display()
                        )
                    })?;
                params = params.add_root_certificate(certificate);
            }
            params
                .build()
                .map_err(|e| anyhow::anyhow!("setting up TLS for the relay {}: {e}", config.host))
        };
        let tls = match config.security {
            Security::Starttls => Tls::Required(tls()?),
            Security::Tls => Tls::Wrapper(tls()?),
            Security::None => Tls::None,
        };
        let mut builder = SmtpTransport::builder_dangerous(config.host.as_str())
            .port(config.port)
            .tls(tls)
            .timeout(Some(TIMEOUT));
        if let Some(user) = &config.user {
            let password = config
                .password
                .as_ref()
                .map(|p| p.expose().to_string())
                .unwrap_or_default();
            builder = builder.credentials(Credentials::new(user.clone(), password));
        }
        Ok(Relay {
            transport: builder.build(),
            from: config.from.clone(),
            address: format!("{}:{}", config.host, config.port),
        })
    }

    /// Sends one digest to its recipients; `Ok` once the relay accepted it.
    pub fn send(&self, recipients: &[Mailbox], digest: &Digest) -> anyhow::Result<()> {
        let mut message = Message::builder()
            .from(self.from.clone())
            .subject(digest.subject.clone())
            .header(AutoSubmitted);
        for recipient in recipients {
            message = message.to(recipient.clone());
        }
        let message = message
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(digest.text.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(digest.html.clone()),
                    ),
            )
            .map_err(|e| anyhow::anyhow!("composing the digest: {e}"))?;
        self.transport.send(&message).map(|_| ()).map_err(|e| {
            let what = if e.is_permanent() {
                "the relay refused the digest"
            } else if e.is_transient() {
                "the relay refused the digest for now"
            } else {
                "the digest could not be handed to the relay"
            };
            anyhow::anyhow!("{what} ({}): {}", self.address, chain(&e))
        })
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834), so that out-of-office replies and other
/// automatic answers are not sent back for every digest.
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_string())
    }
}

/// An error with its sources, "a: b: c", so that "connection refused" is not lost.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
