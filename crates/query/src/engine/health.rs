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

#[cfg(test)]
mod tests {
    use super::super::fixture::{engine, item};

    #[test]
    fn health_counts_the_items() {
        let engine = engine(&[
            item("KS/2024-03-12", 1, None, "Budgeten antas."),
            item("KS/2024-03-12", 2, None, "Mötet avslutas."),
        ]);
        let health = engine.health();
        assert_eq!(health.status, "ok");
        assert_eq!(health.items, 2);
        assert!(!engine.is_stale(std::path::Path::new("/nonexistent")));
        assert_eq!(engine.size_on_disk(), 0);
    }
}
