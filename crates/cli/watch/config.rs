//! The configuration of `paragraf watch` (issue #19, "Bevaka"): the SMTP relay and the saved
//! searches, read from one TOML file (README "E-mail digests").
//!
//! A saved search takes the parameters of `GET /api/search` as TOML keys, one value or a list
//! (`municipality = ["Krokom", "23"]`). Each value is checked by the query crate's own
//! [`SearchParams::push`], so a digest accepts and refuses what the API does, with the API's
//! words; an unknown key is refused as the API refuses a misspelt filter. Every error names the
//! file, the line and the field.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use lettre::message::Mailbox;
use paragraf_query::{SearchParams, SearchRequest};
use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

/// Items one digest lists at most unless `max_items` says otherwise; the rest wait for the
/// next digest.
pub const DEFAULT_MAX_ITEMS: usize = 50;
/// The most `max_items` may be.
pub const MAX_ITEMS: usize = 500;

/// How the connection to the relay is secured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain SMTP upgraded with STARTTLS, which must succeed (port 587 by default).
    #[default]
    Starttls,
    /// TLS from the first byte, "SMTPS" (port 465 by default).
    Tls,
    /// No encryption (port 25 by default): for a relay on this machine.
    None,
}

impl Security {
    /// The port a relay usually listens on for this security.
    pub fn default_port(self) -> u16 {
        match self {
            Security::Starttls => 587,
            Security::Tls => 465,
            Security::None => 25,
        }
    }
}

/// A password: its `Debug` shows no characters of it, so it never reaches a log.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a password.
    pub fn new(password: String) -> Secret {
        Secret(password)
    }

    /// The password itself, for the relay only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// The SMTP relay digests are handed to.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    /// Host name of the relay (also the name its TLS certificate must carry).
    pub host: String,
    /// Port; the security's usual port when not given.
    pub port: u16,
    /// How the connection is secured.
    pub security: Security,
    /// User name for AUTH, when the relay wants one.
    pub user: Option<String>,
    /// Password for AUTH (from the file or `PARAGRAF_SMTP_PASSWORD`).
    pub password: Option<Secret>,
    /// The sender of every digest.
    pub from: Mailbox,
    /// Extra root certificates (PEM) the relay's certificate may be signed by, for a relay
    /// with a certificate of the organisation's own CA; the public roots are trusted anyway.
    pub ca_file: Option<PathBuf>,
}

/// One saved search: who gets its digest and what it searches for.
#[derive(Debug, Clone)]
pub struct SavedSearch {
    /// Its name, unique in the file: the digest's subject and the key of its state.
    pub name: String,
    /// Who gets the digest.
    pub recipients: Vec<Mailbox>,
    /// The search parameters as written, `q` first and then by name (a list's values in its
    /// order), for the link to the whole result.
    pub params: Vec<(String, String)>,
    /// The checked request, as `/api/search` builds it from the same parameters.
    pub request: SearchRequest,
}

/// The whole configuration file, checked.
#[derive(Debug, Clone)]
pub struct WatchConfig {
    /// The server's address for links, when the file gives one (`--base-url` wins).
    pub base_url: Option<String>,
    /// Items one digest lists at most.
    pub max_items: usize,
    /// The relay.
    pub smtp: SmtpConfig,
    /// The saved searches, in the file's order.
    pub searches: Vec<SavedSearch>,
}

impl WatchConfig {
    /// Reads and checks the configuration file.
    pub fn read(path: &Path) -> anyhow::Result<WatchConfig> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            anyhow::anyhow!("reading the watch configuration {}: {e}", path.display())
        })?;
        WatchConfig::parse(path, &text)
    }

    /// Checks the configuration `text` read from `path` (named in errors).
    pub fn parse(path: &Path, text: &str) -> anyhow::Result<WatchConfig> {
        let fail = |span: Option<Range<usize>>, message: &str| -> anyhow::Error {
            anyhow::anyhow!("{}", located(path, text, span, message))
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| fail(e.span(), e.message()))?;
        let max_items = *raw.max_items.get_ref();
        if !(1..=MAX_ITEMS).contains(&max_items) {
            return Err(fail(
                Some(raw.max_items.span()),
                &format!("{max_items} is out of range; use 1 to {MAX_ITEMS}"),
            ));
        }
        let base_url = match raw.base_url {
            Some(url) => {
                Some(check_base_url(url.get_ref()).map_err(|m| fail(Some(url.span()), &m))?)
            }
            None => None,
        };
        let smtp = raw.smtp;
        let host = smtp.host.get_ref().trim().to_string();
        if host.is_empty() {
            return Err(fail(
                Some(smtp.host.span()),
                "the relay's host name is empty",
            ));
        }
        let security = *smtp.security.get_ref();
        if security == Security::None && smtp.user.is_some() && !is_local(&host) {
            return Err(fail(
                Some(smtp.security.span()),
                &format!(
                    "security = \"none\" would send the password unencrypted to {host}; use \"starttls\" or \"tls\" (\"none\" with a user is for a relay on this machine)"
                ),
            ));
        }
        if raw.searches.is_empty() {
            return Err(fail(
                None,
                "no saved searches; add a [[search]] table with name, recipients and q or filters",
            ));
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut searches = Vec::with_capacity(raw.searches.len());
        for search in raw.searches {
            let span = search.span();
            let search = search.into_inner();
            let name = search.name.get_ref().trim().to_string();
            if name.is_empty() {
                return Err(fail(Some(search.name.span()), "the name is empty"));
            }
            if let Some(first) = seen.insert(name.clone(), search.name.span().start) {
                return Err(fail(
                    Some(search.name.span()),
                    &format!(
                        "a second search named {name:?} (the first is on line {}); names must be unique, they key what was sent",
                        line_of(text, first)
                    ),
                ));
            }
            let recipients = search.recipients;
            if recipients.is_empty() {
                return Err(fail(Some(span), "the search has no recipients"));
            }
            searches.push(SavedSearch {
                name,
                recipients,
                params: search.params,
                request: search.request,
            });
        }
        Ok(WatchConfig {
            base_url,
            max_items,
            smtp: SmtpConfig {
                port: smtp.port.unwrap_or(security.default_port()),
                host,
                security,
                user: smtp.user,
                password: smtp.password,
                from: smtp.from.0,
                // Relative to the configuration file, wherever the command runs.
                ca_file: smtp
                    .ca_file
                    .map(|ca| path.parent().unwrap_or(Path::new("")).join(ca)),
            },
            searches,
        })
    }
}

/// A base URL for links: `http://` or `https://` and a host, without a query; a trailing `/` is
/// dropped.
pub fn check_base_url(url: &str) -> Result<String, String> {
    let trimmed = url.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') && !rest.contains(['?', '#', ' ']) => {
            Ok(trimmed.to_string())
        }
        _ => Err(format!(
            "{url:?} is not a base URL for links; write http:// or https:// and the server's address, e.g. https://paragraf.example.se"
        )),
    }
}

/// Whether the relay runs on this machine, where an unencrypted connection stays local.
fn is_local(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "::1" | "[::1]")
}

/// `FILE, line L, field F: MESSAGE`; the field is the key on the span's line, when it has one.
fn located(path: &Path, text: &str, span: Option<Range<usize>>, message: &str) -> String {
    let Some(span) = span else {
        return format!("{}: {message}", path.display());
    };
    let start = span.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = &text[line_start..line_end];
    let column = text[line_start..start].chars().count() + 1;
    let place = match line.split_once('=') {
        Some((key, _)) if !key.trim().is_empty() && !key.contains(['[', '"']) => {
            format!("field {}", key.trim())
        }
        _ => format!("at `{}`", line.trim()),
    };
    format!(
        "{}: line {}, column {column}, {place}: {message}",
        path.display(),
        line_of(text, start)
    )
}

/// The line (from 1) of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn default_max_items() -> Spanned<usize> {
    Spanned::new(0..0, DEFAULT_MAX_ITEMS)
}

fn default_security() -> Spanned<Security> {
    Spanned::new(0..0, Security::default())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    base_url: Option<Spanned<String>>,
    #[serde(default = "default_max_items")]
    max_items: Spanned<usize>,
    smtp: RawSmtp,
    #[serde(default, rename = "search")]
    searches: Vec<Spanned<RawSearch>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSmtp {
    host: Spanned<String>,
    port: Option<u16>,
    #[serde(default = "default_security")]
    security: Spanned<Security>,
    user: Option<String>,
    password: Option<Secret>,
    from: Address,
    ca_file: Option<PathBuf>,
}

/// An e-mail address, checked as it is read so that a bad one is reported at its line.
struct Address(Mailbox);

impl<'de> Deserialize<'de> for Address {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_address(&text).map(Address).map_err(de::Error::custom)
    }
}

/// One string or a list of strings, as a URL repeats a key.
struct Strings(Vec<String>);

impl<'de> Deserialize<'de> for Strings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Either;

        impl<'de> Visitor<'de> for Either {
            type Value = Strings;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Strings, E> {
                Ok(Strings(vec![value.to_string()]))
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Strings, A::Error> {
                let mut values = Vec::new();
                while let Some(value) = seq.next_element::<String>()? {
                    values.push(value);
                }
                Ok(Strings(values))
            }
        }

        deserializer.deserialize_any(Either)
    }
}

/// The recipients, one address or a list, each checked as it is read.
struct Recipients;

impl<'de> DeserializeSeed<'de> for Recipients {
    type Value = Vec<Mailbox>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<Mailbox>, D::Error> {
        Strings::deserialize(deserializer)?
            .0
            .iter()
            .map(|text| parse_address(text).map_err(de::Error::custom))
            .collect()
    }
}

/// An e-mail address, with or without a display name.
fn parse_address(text: &str) -> Result<Mailbox, String> {
    text.trim().parse().map_err(|_| {
        format!("{text:?} is not an e-mail address; write name@example.se or \"Name <name@example.se>\"")
    })
}

/// A `[[search]]` table: `name`, `recipients`, and the search parameters of the API.
struct RawSearch {
    name: Spanned<String>,
    recipients: Vec<Mailbox>,
    params: Vec<(String, String)>,
    request: SearchRequest,
}

impl<'de> Deserialize<'de> for RawSearch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(SearchTable)
    }
}

struct SearchTable;

impl<'de> Visitor<'de> for SearchTable {
    type Value = RawSearch;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a saved search: name, recipients and the parameters of /api/search")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawSearch, A::Error> {
        let mut name = None;
        let mut recipients = None;
        let mut params = SearchParams::default();
        let mut pairs = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "name" => name = Some(map.next_value::<Spanned<String>>()?),
                "recipients" => recipients = Some(map.next_value_seed(Recipients)?),
                _ => map.next_value_seed(Param {
                    key: &key,
                    params: &mut params,
                    pairs: &mut pairs,
                })?,
            }
        }
        let name = name.ok_or_else(|| de::Error::missing_field("name"))?;
        let recipients = recipients.ok_or_else(|| de::Error::missing_field("recipients"))?;
        // Checks across parameters (`from` after `to`), in the API's words.
        let request = SearchRequest::from_params(params).map_err(de::Error::custom)?;
        // TOML tables come sorted by key; the words first reads best in a link.
        pairs.sort_by_key(|(key, _)| key != "q");
        Ok(RawSearch {
            name,
            recipients,
            params: pairs,
            request,
        })
    }
}

/// Reads the value of one search parameter and checks it as `/api/search` checks it; an
/// error raised here is reported at the value's line.
struct Param<'a> {
    key: &'a str,
    params: &'a mut SearchParams,
    pairs: &'a mut Vec<(String, String)>,
}

impl<'de> DeserializeSeed<'de> for Param<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let key = self.key;
        let values = Strings::deserialize(deserializer)?.0;
        match key {
            // A digest pages through every new item itself, newest first.
            "sort" | "limit" | "offset" => {
                return Err(de::Error::custom(format!(
                    "{key}: a digest takes no {key}; it sends every new item, newest meeting first (max_items at a time)"
                )))
            }
            "q" | "from" | "to" if values.len() > 1 => {
                return Err(de::Error::custom(format!("{key}: takes one value, not a list")))
            }
            _ => {}
        }
        for value in values {
            self.params.push(key, &value).map_err(de::Error::custom)?;
            self.pairs.push((key.to_string(), value));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMTP: &str =
        "[smtp]\nhost = \"smtp.krokom.se\"\nfrom = \"Paragraf <paragraf@krokom.se>\"\n";

    fn parse(text: &str) -> anyhow::Result<WatchConfig> {
        WatchConfig::parse(Path::new("watch.toml"), text)
    }

    fn error(text: &str) -> String {
        match parse(text) {
            Ok(config) => panic!("{text} gave {config:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_saved_search_means_what_the_api_means() {
        let config = parse(&format!(
            "base_url = \"https://paragraf.krokom.se/\"\n{SMTP}user = \"paragraf\"\npassword = \"hemligt\"\n\n\
             [[search]]\nname = \"Munskydd i Krokom\"\nrecipients = [\"anna.berg@krokom.se\", \"Jan Ek <jan.ek@krokom.se>\"]\n\
             q = \"munskydd\"\nmunicipality = [\"Krokom\", \"23\"]\ndnr = \"ks 2013/123\"\nfrom = \"2020\"\n"
        ))
        .expect("a good configuration");
        assert_eq!(
            config.base_url.as_deref(),
            Some("https://paragraf.krokom.se")
        );
        assert_eq!(config.max_items, DEFAULT_MAX_ITEMS);
        assert_eq!(
            (config.smtp.port, config.smtp.security),
            (587, Security::Starttls)
        );
        assert_eq!(config.smtp.from.email.to_string(), "paragraf@krokom.se");
        assert_eq!(format!("{:?}", config.smtp.password), "Some(Secret(…))");
        let search = &config.searches[0];
        assert_eq!(search.name, "Munskydd i Krokom");
        let to: Vec<String> = search
            .recipients
            .iter()
            .map(|m| m.email.to_string())
            .collect();
        assert_eq!(to, ["anna.berg@krokom.se", "jan.ek@krokom.se"]);
        let api = SearchRequest::from_pairs([
            ("q", "munskydd"),
            ("municipality", "Krokom"),
            ("municipality", "23"),
            ("dnr", "ks 2013/123"),
            ("from", "2020"),
        ])
        .expect("the same as a URL");
        assert_eq!(search.request, api);
        let pairs: Vec<String> = search
            .params
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        assert_eq!(
            pairs,
            [
                "q=munskydd",
                "dnr=ks 2013/123",
                "from=2020",
                "municipality=Krokom",
                "municipality=23"
            ]
        );
    }

    #[test]
    fn an_unknown_filter_is_refused_as_the_api_refuses_it() {
        assert_eq!(
            error(&format!("{SMTP}\n[[search]]\nname = \"x\"\nrecipients = \"a@b.se\"\nspeker = \"Elin Ring\"\n")),
            "watch.toml: line 8, column 10, field speker: speker: no such parameter; /api/search takes q, municipality, speaker, body, case_number (or dnr), from, to, sort, limit and offset"
        );
    }

    #[test]
    fn bad_values_name_the_line_and_field() {
        let search = "\n[[search]]\nname = \"x\"\nrecipients = \"a@b.se\"\n";
        assert_eq!(
            error(&format!("{SMTP}{search}municipality = \"Atlantis\"\n")),
            "watch.toml: line 8, column 16, field municipality: municipality: \"Atlantis\" is not a municipality name, a four-digit municipality code (2380) or a two-digit county code (23)"
        );
        assert_eq!(
            error(&format!("{SMTP}{search}limit = \"5\"\n")),
            "watch.toml: line 8, column 9, field limit: limit: a digest takes no limit; it sends every new item, newest meeting first (max_items at a time)"
        );
        assert_eq!(
            error(&format!("{SMTP}\n[[search]]\nname = \"x\"\nrecipients = [\"inte en adress\"]\n")),
            "watch.toml: line 7, column 14, field recipients: \"inte en adress\" is not an e-mail address; write name@example.se or \"Name <name@example.se>\""
        );
        assert_eq!(
            error("[smtp]\nhost = \"smtp.krokom.se\"\nport = \"587\"\nfrom = \"a@b.se\"\n"),
            "watch.toml: line 3, column 8, field port: invalid type: string \"587\", expected u16"
        );
        assert_eq!(
            error("[smtp]\nhost = \"h\"\nsecurity = \"ssl\"\nfrom = \"a@b.se\"\n"),
            "watch.toml: line 3, column 12, field security: unknown variant `ssl`, expected one of `starttls`, `tls`, `none`"
        );
        assert!(error("[smtp]\nfrom = \"a@b.se\"\n")
            .starts_with("watch.toml: line 1, column 1, at `[smtp]`: missing field `host`"),);
        assert_eq!(
            error(&format!("{SMTP}{search}from = \"2024\"\nto = \"2023\"\n")),
            "watch.toml: line 5, column 1, at `[[search]]`: from (2024-01-01) is after to (2023-12-31)"
        );
    }

    #[test]
    fn names_are_unique_and_passwords_stay_encrypted() {
        let search =
            "\n[[search]]\nname = \"Cykelplan\"\nrecipients = \"a@b.se\"\nq = \"cykelplan\"\n";
        assert_eq!(
            error(&format!("{SMTP}{search}{search}")),
            "watch.toml: line 11, column 8, field name: a second search named \"Cykelplan\" (the first is on line 6); names must be unique, they key what was sent"
        );
        assert_eq!(
            error(&format!("{SMTP}security = \"none\"\nuser = \"u\"\n{search}")),
            "watch.toml: line 4, column 12, field security: security = \"none\" would send the password unencrypted to smtp.krokom.se; use \"starttls\" or \"tls\" (\"none\" with a user is for a relay on this machine)"
        );
        assert_eq!(
            error(SMTP),
            "watch.toml: no saved searches; add a [[search]] table with name, recipients and q or filters"
        );
        assert_eq!(
            error(&format!("base_url = \"paragraf.krokom.se\"\n{SMTP}{search}")),
            "watch.toml: line 1, column 12, field base_url: \"paragraf.krokom.se\" is not a base URL for links; write http:// or https:// and the server's address, e.g. https://paragraf.example.se"
        );
    }
}
