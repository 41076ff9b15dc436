//! [`Engine::health`]: what the index holds.

use super::Engine;
use crate::response::Health;

impl Engine {
    /// Index statistics.
    pub fn health(&self) -> Health {
        let info = &self.index.info;
        Health {
            status: "ok".to_string(),
            items: self.reader.searcher().num_docs(),
            meetings: info.meetings,
            built_at: info.built_at.clone(),
            schema_version: info.schema_version,
            decompounding: info.decompounding,
        }
    }
}
