//! `paragraf watch`: e-mail digests of saved searches (issue #19, "Bevaka").
//!
//! A round runs each saved search of the configuration ([`config`]) against the engine, takes
//! the items it matches that no accepted digest of that search listed ([`state`]), composes one
//! digest in Swedish ([`digest`]) and hands it to the SMTP relay ([`smtp`]). Only after the relay
//! accepted it are its items recorded, in a state file written atomically: a refused or failed
//! digest is sent again by the next round, and a new process reads what the last one sent.
//!
//! Delivery is at least once: were the process killed after the relay accepted a digest and
//! before the state file was renamed into place, the next round would send those items again.

pub mod command;
pub mod config;
pub mod digest;
pub mod smtp;
pub mod state;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use paragraf_query::{MatchMode, SearchEngine, SearchRequest, Sort, MAX_DEPTH, MAX_LIMIT};

use config::{SavedSearch, WatchConfig};
use digest::{compose, link, DigestItem};
use smtp::Relay;
use state::State;

/// What one round did for each saved search, in the configuration's order.
#[derive(Debug, Default)]
pub struct Round {
    /// Each saved search's name and outcome.
    pub outcomes: Vec<(String, Outcome)>,
}

/// What a round did for one saved search.
#[derive(Debug)]
pub enum Outcome {
    /// The relay accepted its digest, which listed this many items.
    Sent(usize),
    /// Nothing new.
    Unchanged,
    /// The digest could not be made or sent, and why; the next round tries again.
    Failed(anyhow::Error),
}

impl Round {
    /// How many saved searches had this outcome.
    pub fn count(&self, wanted: fn(&Outcome) -> bool) -> usize {
        self.outcomes.iter().filter(|(_, o)| wanted(o)).count()
    }
}

/// Everything a round needs besides the engine.
pub struct Watcher {
    config: WatchConfig,
    base_url: String,
    state_path: std::path::PathBuf,
    relay: Relay,
}

impl Watcher {
    /// A watcher for a checked configuration, linking to `base_url` and remembering what it sent
    /// in `state_path`. The state file is read now, so that a damaged one stops a start.
    pub fn new(
        config: WatchConfig,
        base_url: String,
        state_path: std::path::PathBuf,
    ) -> anyhow::Result<Watcher> {
        State::load(&state_path)?;
        let relay = Relay::new(&config.smtp)?;
        Ok(Watcher {
            config,
            base_url,
            state_path,
            relay,
        })
    }

    /// The state file.
    pub fn state_path(&self) -> &Path {
        &self.state_path
    }

    /// Runs every saved search once and sends the digests that have new items. An error of one
    /// search is reported in [`Round::failed`] and does not stop the others; a state file that
    /// cannot be read or written stops the round.
    pub fn round(&self, engine: &dyn SearchEngine) -> anyhow::Result<Round> {
        let mut state = State::load(&self.state_path)?;
        let mut round = Round::default();
        for search in &self.config.searches {
            match self.digest_of(engine, search, &state) {
                Ok(None) => {
                    tracing::info!(search = %search.name, "nothing new");
                    round
                        .outcomes
                        .push((search.name.clone(), Outcome::Unchanged));
                }
                Ok(Some(ids)) => {
                    state.record(&search.name, ids.iter().map(String::as_str), now());
                    state.save(&self.state_path)?;
                    tracing::info!(search = %search.name, items = ids.len(), recipients = search.recipients.len(), "digest sent");
                    round
                        .outcomes
                        .push((search.name.clone(), Outcome::Sent(ids.len())));
                }
                Err(e) => {
                    tracing::error!(search = %search.name, "digest not sent; it is tried again next round: {e:#}");
                    round
                        .outcomes
                        .push((search.name.clone(), Outcome::Failed(e)));
                }
            }
        }
        Ok(round)
    }

    /// Sends the digest of one search when it has new items; the ids it listed, once the relay
    /// accepted it.
    fn digest_of(
        &self,
        engine: &dyn SearchEngine,
        search: &SavedSearch,
        state: &State,
    ) -> anyhow::Result<Option<Vec<String>>> {
        let empty = BTreeSet::new();
        let sent = state.sent(&search.name).unwrap_or(&empty);
        let matching = matching_ids(engine, &search.request)
            .with_context(|| format!("searching for the saved search {:?}", search.name))?;
        let new: Vec<String> = matching
            .into_iter()
            .filter(|id| !sent.contains(id))
            .collect();
        if new.is_empty() {
            return Ok(None);
        }
        let listed = new.len().min(self.config.max_items);
        let mut items = Vec::with_capacity(listed);
        for id in &new[..listed] {
            // Digests see what the public sees (issue #20): a mailbox is no place for internal items.
            match engine.item(id, paragraf_query::Access::Public) {
                Ok(view) => items.push(DigestItem::from_item(&view.item, &self.base_url)),
                // Removed from the index since the search: not listed, not recorded.
                Err(paragraf_query::Error::ItemNotFound(_)) => {}
                Err(e) => return Err(e).with_context(|| format!("reading the item {id}")),
            }
        }
        if items.is_empty() {
            return Ok(None);
        }
        let pairs: Vec<(&str, &str)> = search
            .params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain([("sort", "date")])
            .collect();
        let digest = compose(
            &search.name,
            &items,
            new.len() - listed,
            &link(&self.base_url, &pairs),
        );
        self.relay.send(&search.recipients, &digest)?;
        Ok(Some(items.into_iter().map(|i| i.id).collect()))
    }
}

/// The ids of every item a saved search matches, newest meeting first, paging through the
/// engine as far as it lets a search page ([`MAX_DEPTH`] items). A query none of whose items
/// has every word matches nothing here, though the API falls back to any word: a digest
/// sends only items that match the search as written (an `OR` query matches any word).
pub fn matching_ids(
    engine: &dyn SearchEngine,
    request: &SearchRequest,
) -> paragraf_query::Result<Vec<String>> {
    let mut ids = Vec::new();
    let mut req = request.clone();
    req.sort = Some(Sort::Date);
    req.limit = MAX_LIMIT;
    req.offset = 0;
    loop {
        let found = engine.search(&req)?;
        if found.mode == MatchMode::Any && !request.q.contains(" OR ") {
            return Ok(Vec::new());
        }
        let page = found.hits.len();
        ids.extend(found.hits.into_iter().map(|h| h.id));
        req.offset += page;
        if page < req.limit || req.offset as u64 >= found.total {
            break;
        }
        if req.offset + req.limit > MAX_DEPTH {
            tracing::warn!(total = found.total, considered = ids.len(), "the saved search matches more items than a search can page through; only the newest are watched");
            break;
        }
    }
    Ok(ids)
}

/// Seconds since 1970.
fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Runs rounds until the process ends, `every` apart, on the engine `engine` gives for each
/// (the caller reopens it when the index changed on disk). A failed round is logged and the
/// next one tries again.
pub fn run_every(
    watcher: &Watcher,
    every: Duration,
    mut engine: impl FnMut() -> anyhow::Result<std::sync::Arc<dyn SearchEngine>>,
) {
    loop {
        match engine().and_then(|engine| watcher.round(engine.as_ref())) {
            Ok(round) => tracing::info!(
                sent = round.count(|o| matches!(o, Outcome::Sent(_))),
                unchanged = round.count(|o| matches!(o, Outcome::Unchanged)),
                failed = round.count(|o| matches!(o, Outcome::Failed(_))),
                next_in_s = every.as_secs(),
                "watch round done"
            ),
            Err(e) => tracing::error!("watch round failed; trying again next round: {e:#}"),
        }
        std::thread::sleep(every);
    }
}
