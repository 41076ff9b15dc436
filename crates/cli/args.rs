//! Command-line arguments: clap types live here and nowhere else (STYLE.md § 8). Each is
//! checked and turned into the plain configuration the libraries take.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};
use paragraf_indexer::Date;
use paragraf_query::{filter, Area, CaseNumber};

/// Paragraf: search Swedish meeting minutes by agenda item, speaker, municipality and date.
#[derive(Debug, Parser)]
#[command(name = "paragraf", version, about, long_about = None)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Split minutes into agenda items and print them as JSON Lines (one object per item).
    Parse {
        /// Minutes files or directories; a manifest.toml beside them is picked up.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Build (or rebuild) the search index from an archive of minutes.
    Index {
        /// Minutes files or directories.
        #[arg(default_value = "index-data")]
        paths: Vec<PathBuf>,
        /// Index directory.
        #[arg(long, env = "PARAGRAF_INDEX", default_value = "index")]
        index: PathBuf,
        /// Indexing threads (default: all cores; a build of a small archive uses one per 8 MB
        /// of text).
        #[arg(long, env = "PARAGRAF_THREADS")]
        threads: Option<usize>,
        /// Index every file anew into a new generation, even when the index is up to date.
        #[arg(long)]
        rebuild: bool,
        /// The engine to index into.
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Verify an index (every file's checksum, every segment, the item count) and compare it
    /// with the archive; exit code 1 when something needs attention.
    Check {
        /// Minutes files or directories to compare the index with.
        #[arg(default_value = "index-data")]
        paths: Vec<PathBuf>,
        /// Index directory.
        #[arg(long, env = "PARAGRAF_INDEX", default_value = "index")]
        index: PathBuf,
    },
    /// Serve the search API and page; builds the index from --archive first when it is missing
    /// or was built by another version of Paragraf.
    Serve {
        /// Index directory.
        #[arg(long, env = "PARAGRAF_INDEX", default_value = "index")]
        index: PathBuf,
        /// Address to listen on; 127.0.0.1 unless told otherwise.
        #[arg(long, env = "PARAGRAF_LISTEN", default_value = "127.0.0.1:7700")]
        listen: SocketAddr,
        /// Archive to index when the index is missing or outdated.
        #[arg(long, env = "PARAGRAF_ARCHIVE", default_value = "index-data")]
        archive: Vec<PathBuf>,
        /// Origin allowed to call the API from a browser (repeatable), e.g. https://intranet.example.se.
        #[arg(
            long = "cors-origin",
            env = "PARAGRAF_CORS_ORIGINS",
            value_delimiter = ','
        )]
        cors_origins: Vec<String>,
        /// Time a client has to send a request's line and headers, from connecting or from the
        /// first byte of its next request; then the connection is closed (e.g. 10s, 500ms).
        #[arg(
            long,
            env = "PARAGRAF_HEADER_READ_TIMEOUT",
            default_value = "10s",
            value_parser = parse_duration
        )]
        header_read_timeout: Duration,
        /// Time a keep-alive connection may stay idle between requests before it is closed.
        #[arg(
            long,
            env = "PARAGRAF_IDLE_TIMEOUT",
            default_value = "30s",
            value_parser = parse_duration
        )]
        idle_timeout: Duration,
        /// Connections open at once (default 1024, at most the open-file limit less 64). At
        /// the limit the longest idle connection is closed to answer a new client.
        #[arg(long, env = "PARAGRAF_MAX_CONNECTIONS", value_parser = clap::value_parser!(u32).range(1..))]
        max_connections: Option<u32>,
        /// The engine to serve.
        #[command(flatten)]
        engine: EngineArgs,
        /// Also send the e-mail digests of this watch configuration (TOML, see `paragraf
        /// watch`), a round at start and then every --watch-every. No environment variable:
        /// PARAGRAF_WATCH_CONFIG set for `paragraf watch` must not start a second sender.
        #[arg(long = "watch")]
        watch: Option<PathBuf>,
        /// Time between two rounds of digests in the server: 1h, 30m, 90s.
        #[arg(long, env = "PARAGRAF_WATCH_EVERY", default_value = "1h", value_parser = parse_interval)]
        watch_every: Duration,
        /// Where digests remember what they sent, and how they link and log in.
        #[command(flatten)]
        digest: DigestArgs,
        /// Who may see internal items, and where the operators' address is.
        #[command(flatten)]
        access: AccessArgs,
    },
    /// Send the e-mail digests of saved searches: to each search's recipients, the items it
    /// matches that no earlier digest listed, through an SMTP relay; exit code 1 when a digest
    /// could not be sent (the next round sends it).
    #[command(group(clap::ArgGroup::new("schedule").required(true).args(["once", "every"])))]
    Watch {
        /// The configuration (TOML): the relay and the saved searches (README "E-mail digests").
        #[arg(env = "PARAGRAF_WATCH_CONFIG")]
        config: PathBuf,
        /// Index directory.
        #[arg(long, env = "PARAGRAF_INDEX", default_value = "index")]
        index: PathBuf,
        /// Run one round and exit.
        #[arg(long)]
        once: bool,
        /// Run a round now and then one every interval until stopped: 1h, 30m, 90s.
        #[arg(long, value_parser = parse_interval)]
        every: Option<Duration>,
        /// Where digests remember what they sent, and how they link and log in.
        #[command(flatten)]
        digest: DigestArgs,
        /// The engine to search.
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Bearer tokens that give officials internal access, or operators admin access; kept
    /// (as hashes) in tokens.json in the index directory.
    Token {
        /// What to do with tokens.
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Search the index from the terminal; without a query, list the items the filters select,
    /// newest first.
    Search {
        /// The query: words (all must match), "exact phrases", -exclusion, prefix*. Leave it out
        /// to list items by date.
        query: Option<String>,
        /// Index directory.
        #[arg(long, env = "PARAGRAF_INDEX", default_value = "index")]
        index: PathBuf,
        /// Only items concerning this municipality (name or SCB code; county code for a county). Repeatable.
        #[arg(long, value_parser = area)]
        municipality: Vec<Area>,
        /// Only items this person presented or spoke in. Repeatable.
        #[arg(long)]
        speaker: Vec<String>,
        /// Only items of this body. Repeatable.
        #[arg(long)]
        body: Vec<String>,
        /// Only items with this case number (Dnr): "KS 2013/123", or "2013/123". Repeatable.
        #[arg(long = "case-number", visible_alias = "dnr", value_parser = case_number)]
        case_number: Vec<CaseNumber>,
        /// Only meetings on or after this date: YYYY-MM-DD, YYYY-MM (its first day) or YYYY.
        #[arg(long, value_parser = from_date)]
        from: Option<Date>,
        /// Only meetings on or before this date: YYYY-MM-DD, YYYY-MM (its last day) or YYYY.
        #[arg(long, value_parser = to_date)]
        to: Option<Date>,
        /// Order of the results (default: relevance for words, date for a listing).
        #[arg(long, value_enum)]
        sort: Option<SortArg>,
        /// Number of results.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print JSON Lines instead of a table.
        #[arg(long)]
        json: bool,
        /// Search as the public sees the index: without internal items. By default the
        /// terminal, which reads the index's files, sees every item.
        #[arg(long)]
        public: bool,
        /// The engine to search.
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Measure relevance: run judged queries and print recall@10, MRR and nDCG@10 per
    /// phenomenon for plain words, stemming only and the full analysis.
    Eval {
        /// The judged queries (TOML, see tests/relevance/queries.toml).
        #[arg(long, default_value = "tests/relevance/queries.toml")]
        set: PathBuf,
        /// Index to evaluate; when absent one is built from --archive in a temporary directory.
        #[arg(long)]
        index: Option<PathBuf>,
        /// Archive to build the index from.
        #[arg(long, default_value = "index-data")]
        archive: Vec<PathBuf>,
        /// Also print each query's scores with the full analysis.
        #[arg(long)]
        verbose: bool,
        /// The engine to evaluate (OpenSearch: an index built by `paragraf index --engine
        /// opensearch`).
        #[command(flatten)]
        engine: EngineArgs,
    },
}

/// Flags of `paragraf serve` about who asks (issue #20).
#[derive(Debug, Clone, ClapArgs)]
pub struct AccessArgs {
    /// Address of the intranet's login proxy whose user header is believed (repeatable; an IP
    /// address or a CIDR block such as 10.0.0.0/8). Requests with the header from any other
    /// address are public.
    #[arg(
        long = "trusted-proxy",
        env = "PARAGRAF_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_parser = ip_net
    )]
    pub trusted_proxies: Vec<paragraf_server::auth::IpNet>,
    /// The header in which a trusted proxy names the signed-in user.
    #[arg(
        long,
        env = "PARAGRAF_USER_HEADER",
        default_value = paragraf_server::auth::DEFAULT_USER_HEADER,
        value_parser = header_name
    )]
    pub user_header: axum::http::HeaderName,
    /// A second address for the operators: /metrics and /health with every item counted,
    /// without credentials. Bind it where the public cannot reach it (127.0.0.1:7701).
    #[arg(long, env = "PARAGRAF_ADMIN_LISTEN")]
    pub admin_listen: Option<SocketAddr>,
}

/// `paragraf token …`.
#[derive(Debug, Subcommand)]
pub enum TokenAction {
    /// Create a token and print it, once; only its hash is kept.
    Create {
        /// A name to list and revoke it by (`intranet`).
        #[arg(long)]
        name: String,
        /// What it gives: internal items, or admin (internal items and /metrics).
        #[arg(long, value_enum, default_value = "internal")]
        scope: ScopeArg,
        /// Index directory (the tokens live in its tokens.json).
        #[arg(long, env = "PARAGRAF_INDEX", default_value = "index")]
        index: PathBuf,
    },
    /// List the tokens: name, scope, created, revoked.
    List {
        /// Index directory.
        #[arg(long, env = "PARAGRAF_INDEX", default_value = "index")]
        index: PathBuf,
    },
    /// Revoke a token by name; a running server refuses it from the next request on.
    Revoke {
        /// The token's name.
        name: String,
        /// Index directory.
        #[arg(long, env = "PARAGRAF_INDEX", default_value = "index")]
        index: PathBuf,
    },
}

/// A token's scope.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ScopeArg {
    /// Public and internal items.
    Internal,
    /// Internal items and the operational routes (/metrics).
    Admin,
}

impl From<ScopeArg> for paragraf_query::Access {
    fn from(scope: ScopeArg) -> Self {
        match scope {
            ScopeArg::Internal => paragraf_query::Access::Internal,
            ScopeArg::Admin => paragraf_query::Access::Admin,
        }
    }
}

fn ip_net(value: &str) -> Result<paragraf_server::auth::IpNet, String> {
    value.parse()
}

fn header_name(value: &str) -> Result<axum::http::HeaderName, String> {
    axum::http::HeaderName::from_bytes(value.trim().as_bytes())
        .map_err(|_| format!("{value:?} is not a header name"))
}

/// Result order.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    /// Best match first.
    Relevance,
    /// Newest meeting first.
    Date,
}

// Filter values are checked by the query crate's own parsers, so the terminal and the API
// accept and refuse the same values with the same words.

fn area(value: &str) -> Result<Area, String> {
    Area::parse(value).map_err(|e| e.to_string())
}

fn case_number(value: &str) -> Result<CaseNumber, String> {
    CaseNumber::parse(value).map_err(|e| e.to_string())
}

fn from_date(value: &str) -> Result<Date, String> {
    filter::parse_date("from", value, false).map_err(|e| e.to_string())
}

fn to_date(value: &str) -> Result<Date, String> {
    filter::parse_date("to", value, true).map_err(|e| e.to_string())
}

impl From<SortArg> for paragraf_query::Sort {
    fn from(sort: SortArg) -> Self {
        match sort {
            SortArg::Relevance => paragraf_query::Sort::Relevance,
            SortArg::Date => paragraf_query::Sort::Date,
        }
    }
}

/// What the e-mail digests need beside their configuration file, for `watch` and `serve
/// --watch`.
#[derive(Debug, Clone, ClapArgs)]
pub struct DigestArgs {
    /// The digests' state file: what was sent (default: beside the configuration,
    /// `watch.toml` → `watch.state.json`).
    #[arg(long = "watch-state", env = "PARAGRAF_WATCH_STATE")]
    pub state: Option<PathBuf>,
    /// Address of the server for links in the digests, e.g. https://paragraf.example.se
    /// (default: `base_url` in the configuration).
    #[arg(long, env = "PARAGRAF_BASE_URL")]
    pub base_url: Option<String>,
    /// Password for the relay's AUTH, instead of `password` in the configuration.
    #[arg(
        long = "smtp-password",
        env = "PARAGRAF_SMTP_PASSWORD",
        hide_env_values = true
    )]
    pub smtp_password: Option<String>,
}

/// An interval between rounds of digests: a duration (see [`parse_duration`]) or whole hours
/// (`1h`).
pub fn parse_interval(value: &str) -> Result<Duration, String> {
    match value.trim().strip_suffix('h') {
        Some(hours) => match hours.trim().parse::<u64>() {
            Ok(0) => Err(format!("{value:?}: the interval must be more than zero")),
            Ok(hours) => Ok(Duration::from_secs(hours.saturating_mul(3600))),
            Err(_) => Err(format!(
                "{value:?} is not an interval; write e.g. 1h, 30m or 90s"
            )),
        },
        None => parse_duration(value)
            .map_err(|_| format!("{value:?} is not an interval; write e.g. 1h, 30m or 90s")),
    }
}

/// A duration: a whole number with a unit, `ms`, `s` or `m` (`10s`, `500ms`, `2m`); a bare
/// number is seconds. Zero is refused.
pub fn parse_duration(value: &str) -> Result<Duration, String> {
    let value = value.trim();
    let split = value
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let bad = || format!("{value:?} is not a duration; write e.g. 10s, 500ms or 2m");
    let number: u64 = number.parse().map_err(|_| bad())?;
    let duration = match unit.trim() {
        "ms" => Duration::from_millis(number),
        "" | "s" => Duration::from_secs(number),
        "m" => Duration::from_secs(number.saturating_mul(60)),
        _ => return Err(bad()),
    };
    if duration.is_zero() {
        return Err(format!("{value:?}: the duration must be more than zero"));
    }
    Ok(duration)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine_of(args: &[&str]) -> EngineArgs {
        let args = Args::try_parse_from(args).expect("valid arguments");
        match args.command {
            Command::Serve { engine, .. } => engine,
            other => panic!("not serve: {other:?}"),
        }
    }

    #[test]
    fn opensearch_urls_repeat_and_split_on_commas() {
        let engine = engine_of(&[
            "paragraf",
            "serve",
            "--engine",
            "opensearch",
            "--opensearch-url",
            "http://127.0.0.1:9201,http://127.0.0.1:9202",
            "--opensearch-url",
            "https://search.example.se:9200/",
        ]);
        let config = engine.cluster().expect("valid").expect("OpenSearch");
        assert_eq!(
            config.urls,
            [
                "http://127.0.0.1:9201",
                "http://127.0.0.1:9202",
                "https://search.example.se:9200"
            ]
        );
    }

    #[test]
    fn a_bad_opensearch_url_or_ca_file_is_named() {
        let engine = engine_of(&[
            "paragraf",
            "serve",
            "--engine",
            "opensearch",
            "--opensearch-url",
            "127.0.0.1:9201",
        ]);
        assert_eq!(
            engine.cluster().expect_err("no scheme"),
            "OpenSearch URL \"127.0.0.1:9201\" must start with http:// or https://"
        );
        let engine = engine_of(&[
            "paragraf",
            "serve",
            "--engine",
            "opensearch",
            "--opensearch-url",
            "https://127.0.0.1:9201",
            "--opensearch-ca-cert",
            "/nonexistent/ca.pem",
        ]);
        let err = engine.cluster().expect_err("no such file");
        assert!(
            err.starts_with("cannot read the CA file /nonexistent/ca.pem: "),
            "{err}"
        );
    }

    #[test]
    fn durations_take_ms_s_and_m() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(
            parse_duration("0s"),
            Err("\"0s\": the duration must be more than zero".to_string())
        );
        assert_eq!(
            parse_duration("ten"),
            Err("\"ten\" is not a duration; write e.g. 10s, 500ms or 2m".to_string())
        );
        assert_eq!(
            parse_duration("1h"),
            Err("\"1h\" is not a duration; write e.g. 10s, 500ms or 2m".to_string())
        );
    }

    #[test]
    fn intervals_also_take_hours() {
        assert_eq!(parse_interval("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_interval("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_interval("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(
            parse_interval("0h"),
            Err("\"0h\": the interval must be more than zero".to_string())
        );
        assert_eq!(
            parse_interval("dagligen"),
            Err("\"dagligen\" is not an interval; write e.g. 1h, 30m or 90s".to_string())
        );
    }
}

/// Which engine answers, and where the OpenSearch cluster is (issue #21).
#[derive(Debug, Clone, ClapArgs)]
pub struct EngineArgs {
    /// Search engine: Paragraf's own index in a directory, or an OpenSearch cluster.
    #[arg(long = "engine", env = "PARAGRAF_ENGINE", value_enum, default_value_t = EngineKind::Tantivy)]
    pub kind: EngineKind,
    /// URL of the OpenSearch cluster (http:// or https://), for --engine opensearch. Several
    /// nodes: repeat the flag or separate them by commas; a request goes on to the next node
    /// when one cannot be reached or answers 502/503/504.
    #[arg(long, env = "PARAGRAF_OPENSEARCH_URL", value_delimiter = ',')]
    pub opensearch_url: Vec<String>,
    /// PEM file of the CA certificates to trust for an https:// cluster (default: the web's
    /// root certificates).
    #[arg(long, env = "PARAGRAF_OPENSEARCH_CA_CERT")]
    pub opensearch_ca_cert: Option<std::path::PathBuf>,
    /// Index name in the cluster: an alias over the concrete index.
    #[arg(long, env = "PARAGRAF_OPENSEARCH_INDEX", default_value = "paragraf")]
    pub opensearch_index: String,
    /// User for basic auth.
    #[arg(long, env = "PARAGRAF_OPENSEARCH_USER")]
    pub opensearch_user: Option<String>,
    /// Password for basic auth.
    #[arg(long, env = "PARAGRAF_OPENSEARCH_PASSWORD", hide_env_values = true)]
    pub opensearch_password: Option<String>,
    /// API key, sent as `Authorization: ApiKey …` (instead of basic auth).
    #[arg(long, env = "PARAGRAF_OPENSEARCH_API_KEY", hide_env_values = true)]
    pub opensearch_api_key: Option<String>,
    /// Seconds a request to the cluster may take before it counts as unavailable.
    #[arg(long, env = "PARAGRAF_OPENSEARCH_TIMEOUT", default_value_t = 5)]
    pub opensearch_timeout: u64,
    /// Primary shards of a new index.
    #[arg(long, env = "PARAGRAF_OPENSEARCH_SHARDS", default_value_t = 3)]
    pub opensearch_shards: u32,
    /// Replicas of a new index's shards.
    #[arg(long, env = "PARAGRAF_OPENSEARCH_REPLICAS", default_value_t = 1)]
    pub opensearch_replicas: u32,
}

/// The search engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineKind {
    /// Paragraf's own index (tantivy) in --index.
    Tantivy,
    /// An OpenSearch cluster at --opensearch-url.
    Opensearch,
}

impl EngineArgs {
    /// The cluster configuration; `None` for the tantivy engine. Fails when OpenSearch is
    /// chosen without a URL.
    pub fn cluster(&self) -> Result<Option<paragraf_opensearch::ClusterConfig>, String> {
        if self.kind == EngineKind::Tantivy {
            return Ok(None);
        }
        if self.opensearch_url.iter().all(|u| u.trim().is_empty()) {
            return Err(
                "--engine opensearch needs --opensearch-url (or PARAGRAF_OPENSEARCH_URL)"
                    .to_string(),
            );
        }
        let mut config = paragraf_opensearch::ClusterConfig::from_urls(&self.opensearch_url)
            .map_err(|e| e.to_string())?;
        if let Some(path) = &self.opensearch_ca_cert {
            config.ca_certs =
                Some(paragraf_opensearch::CaCerts::from_file(path).map_err(|e| e.to_string())?);
        }
        config.index.clone_from(&self.opensearch_index);
        config.user.clone_from(&self.opensearch_user);
        config.password.clone_from(&self.opensearch_password);
        config.api_key.clone_from(&self.opensearch_api_key);
        config.timeout = std::time::Duration::from_secs(self.opensearch_timeout.max(1));
        Ok(Some(config))
    }

    /// Shards and replicas of a new index.
    pub fn settings(&self) -> paragraf_opensearch::IndexSettings {
        paragraf_opensearch::IndexSettings {
            shards: self.opensearch_shards.max(1),
            replicas: self.opensearch_replicas,
        }
    }
}
