//! The tantivy index: its schema and analyzers, the document of an item, the store of
//! generations on disk, the incremental update and the check.
//!
//! - [`schema`]: the only place that names tantivy fields ([`schema::Fields`]).
//! - [`analysis`]: the Swedish tokenizers every field uses.
//! - [`document`]: an [`Item`](crate::Item) as a tantivy document.
//! - [`store`]: generations, commit, open and the atomic swap of `current`.
//! - [`update`]: bringing an index up to date with its archive, or building it anew.
//! - [`check`]: `paragraf check`.

pub mod analysis;
pub mod check;
pub mod document;
pub mod schema;
pub mod store;
pub mod update;

/// Helpers the index tests share.
#[cfg(test)]
pub(crate) mod testing {
    use crate::model::Item;

    /// The items of one meeting per text, of body "SVOM".
    pub(crate) fn items(texts: &[&str]) -> Vec<Item> {
        texts
            .iter()
            .enumerate()
            .flat_map(|(n, text)| {
                let info = crate::minutes::parse::MeetingInfo {
                    id: format!("m{n}"),
                    body: Some("SVOM".into()),
                    date: None,
                    source: "test".into(),
                    municipality: None,
                };
                crate::minutes::parse::parse_minutes(text, info).items
            })
            .collect()
    }
}
