//! Index damage met while serving (issue #17): a search that finds a file of the index missing
//! or corrupt is answered 503 `index_damaged` ([`crate::ErrorCode::IndexDamaged`]), and
//! `/health` says `degraded` with 503 until another index state is served (a rebuild, which
//! the server picks up by itself). `serve` verifies every segment when it opens an index
//! (`paragraf_query::Engine::verify`), so this is damage that came later.

use std::sync::Mutex;

use crate::AppState;

/// Which served index state, if any, was found damaged.
#[derive(Debug, Default)]
pub struct Damage {
    /// The address of the engine found damaged (compared, never dereferenced).
    engine: Mutex<Option<usize>>,
}

impl Damage {
    /// Notes that the engine at `engine` is damaged.
    pub fn record(&self, engine: usize) {
        match self.engine.lock() {
            Ok(mut e) => *e = Some(engine),
            Err(poisoned) => *poisoned.into_inner() = Some(engine),
        }
    }

    /// Whether the engine at `engine` was found damaged.
    pub fn is_damaged(&self, engine: usize) -> bool {
        let found = match self.engine.lock() {
            Ok(e) => *e,
            Err(poisoned) => *poisoned.into_inner(),
        };
        found == Some(engine)
    }
}

/// The address identifying an engine (or any value behind an `Arc`) for [`Damage`].
pub fn address_of<T: ?Sized>(engine: &std::sync::Arc<T>) -> usize {
    std::sync::Arc::as_ptr(engine).cast::<()>() as usize
}

/// After a search panicked: whether the index being served is damaged. tantivy panics, rather
/// than failing, on corrupt data in a file it has mapped (issue #17's red team overwrote
/// `.store`, `.idx`, `.term`, `.pos` and `.fast` files of a served index); reading every file
/// against its checksum tells that from a bug. Recorded, so the check runs once per index
/// state.
pub(crate) async fn panicked_on_damage(state: &AppState) -> bool {
    let engine = state.engine();
    let address = address_of(&engine);
    if state.damage.is_damaged(address) {
        return true;
    }
    let checked = tokio::task::spawn_blocking(move || engine.validate_checksums()).await;
    match checked {
        Ok(Err(e)) => {
            tracing::error!(error = %e, "the index is damaged; run `paragraf check`, then `paragraf index --rebuild`");
            state.damage.record(address);
            true
        }
        _ => false,
    }
}
