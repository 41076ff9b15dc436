//! [`Engine::health`]: what the index holds; [`Engine::verify`]: whether all of it can be read.

use super::Engine;
use crate::access::Access;
use crate::error::{InternalError, Result};
use crate::response::Health;

impl Engine {
    /// Opens every part of every segment a search or an item view may read: each indexed
    /// field's terms, postings and positions, its field norms, and the stored items. tantivy
    /// opens these lazily, so a segment with a `.pos` file deleted opened fine and failed
    /// every search after (issue #17); [`Engine::from_index`] calls this, so a damaged index
    /// is refused when it is opened. Reads no more than each file's footer.
    pub fn verify(&self) -> Result<()> {
        let searcher = self.reader.searcher();
        let schema = self.index.index.schema();
        for segment in searcher.segment_readers() {
            let damaged = |source: tantivy::TantivyError| InternalError::Damaged {
                segment: segment.segment_id().uuid_string(),
                source,
            };
            for (field, entry) in schema.fields() {
                if !entry.is_indexed() {
                    continue;
                }
                segment.inverted_index(field).map_err(damaged)?;
                if entry.has_fieldnorms() {
                    segment.get_fieldnorms_reader(field).map_err(damaged)?;
                }
            }
            segment.get_store_reader(0).map_err(|e| damaged(e.into()))?;
        }
        Ok(())
    }

    /// Reads every file of the index and compares it with its checksum (tantivy's
    /// `validate_checksum`): slow, for telling damage from a bug after a search failed in a
    /// way [`Engine::verify`] cannot foresee (tantivy panics on corrupt data in a mapped file).
    pub fn validate_checksums(&self) -> Result<()> {
        let mut corrupt: Vec<_> = self.index.index.validate_checksum()?.into_iter().collect();
        if corrupt.is_empty() {
            return Ok(());
        }
        corrupt.sort();
        Err(InternalError::CorruptFiles(corrupt).into())
    }

    /// Index statistics, counting the items `access` may see (the public is not told how many
    /// internal items there are, issue #20).
    pub fn health(&self, access: Access) -> Health {
        let info = &self.index.info;
        Health {
            status: "ok".to_string(),
            items: self.audience(access).num_docs(),
            meetings: self.audience(access).meetings().unwrap_or(info.meetings),
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
        let health = engine.health(crate::access::Access::Public);
        assert_eq!(health.status, "ok");
        assert_eq!(health.items, 2);
        assert!(!engine.is_stale(std::path::Path::new("/nonexistent")));
        assert_eq!(engine.size_on_disk(), 0);
    }
}
