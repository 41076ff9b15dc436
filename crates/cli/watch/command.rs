//! `paragraf watch` and `paragraf serve --watch`: the configuration, the state file, the base
//! URL and the engine put together, and what each prints and exits with.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use paragraf_query::{Engine, SearchEngine};

use super::config::{check_base_url, Secret, WatchConfig};
use super::state::State;
use super::{run_every, Outcome, Watcher};
use crate::args::{DigestArgs, EngineArgs};

/// Reads and checks everything a watcher needs; any error here stops the start (exit code 2).
/// `fallback_base_url` is used when neither `--base-url` nor the configuration gives one.
pub fn watcher(
    config_path: &Path,
    args: &DigestArgs,
    fallback_base_url: Option<String>,
) -> anyhow::Result<Watcher> {
    let mut config = WatchConfig::read(config_path)?;
    if let Some(password) = &args.smtp_password {
        config.smtp.password = Some(Secret::new(password.clone()));
    }
    let base_url = match (&args.base_url, &config.base_url, fallback_base_url) {
        (Some(flag), _, _) => check_base_url(flag).map_err(|m| anyhow::anyhow!("--base-url: {m}"))?,
        (None, Some(url), _) => url.clone(),
        (None, None, Some(url)) => url,
        (None, None, None) => anyhow::bail!(
            "the digests need the server's address for their links: give --base-url https://… (or PARAGRAF_BASE_URL, or base_url in {})",
            config_path.display()
        ),
    };
    let state = args
        .state
        .clone()
        .unwrap_or_else(|| State::beside(config_path));
    Watcher::new(config, base_url, state)
}

/// `paragraf watch CONFIG (--once | --every INTERVAL)`.
pub fn watch(
    config_path: &Path,
    index: &Path,
    every: Option<Duration>,
    args: &DigestArgs,
    choice: &EngineArgs,
) -> anyhow::Result<ExitCode> {
    let watcher = watcher(config_path, args, None)?;
    let mut engines = Engines::new(index, choice)?;
    match every {
        Some(every) => {
            run_every(&watcher, every, || engines.current());
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let engine = engines.current()?;
            let round = watcher.round(engine.as_ref())?;
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            for (name, outcome) in &round.outcomes {
                match outcome {
                    Outcome::Sent(1) => writeln!(out, "sent {name:?}: 1 item")?,
                    Outcome::Sent(n) => writeln!(out, "sent {name:?}: {n} items")?,
                    Outcome::Unchanged => writeln!(out, "nothing new for {name:?}")?,
                    Outcome::Failed(error) => {
                        writeln!(out, "not sent {name:?} (tried again next run): {error:#}")?;
                    }
                }
            }
            Ok(if round.count(|o| matches!(o, Outcome::Failed(_))) == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

/// Runs the digests in a thread of the server, a round at start and then every `every`, on the
/// engine it serves (which follows the index on disk).
pub fn spawn_in_server(
    watcher: Watcher,
    every: Duration,
    engine: impl Fn() -> Arc<dyn SearchEngine> + Send + 'static,
) -> anyhow::Result<()> {
    tracing::info!(state = %watcher.state_path().display(), every_s = every.as_secs(), "sending e-mail digests");
    std::thread::Builder::new()
        .name("paragraf-watch".into())
        .spawn(move || run_every(&watcher, every, || Ok(engine())))
        .context("starting the digest thread")?;
    Ok(())
}

/// The engine of `paragraf watch`, opened again when the index changed on disk since.
struct Engines {
    index: PathBuf,
    engine: Arc<dyn SearchEngine>,
    reopen: bool,
}

impl Engines {
    fn new(index: &Path, choice: &EngineArgs) -> anyhow::Result<Engines> {
        let cluster = choice.cluster().map_err(anyhow::Error::msg)?;
        let (engine, reopen): (Arc<dyn SearchEngine>, bool) = match cluster {
            Some(config) => (
                Arc::new(paragraf_opensearch::OpenSearchEngine::new(&config)),
                false,
            ),
            None => (Arc::new(open(index)?), true),
        };
        Ok(Engines {
            index: index.to_path_buf(),
            engine,
            reopen,
        })
    }

    fn current(&mut self) -> anyhow::Result<Arc<dyn SearchEngine>> {
        if self.reopen && self.engine.is_stale(&self.index) {
            self.engine = Arc::new(open(&self.index)?);
        }
        Ok(self.engine.clone())
    }
}

fn open(index: &Path) -> anyhow::Result<Engine> {
    Engine::open(index).with_context(|| format!("opening the index {}", index.display()))
}
