//! [`Engine::item`]: one item by id, with its neighbours in the meeting.

use paragraf_indexer::Item;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::Engine;
use crate::access::Access;
use crate::error::{Error, InternalError, Result};
use crate::response::{ItemLinks, ItemView, Neighbour};

impl Engine {
    /// The item with this id and its neighbours, as far as `access` may see them: an item
    /// it may not see is not found, as a missing one (issue #20: existence does not leak).
    pub fn item(&self, id: &str, access: Access) -> Result<ItemView> {
        let searcher = self.reader.searcher();
        let f = self.index.fields;
        let audience = self.audience(access);
        let item = self
            .find_one(
                &searcher,
                &*audience.restrict(Box::new(TermQuery::new(
                    Term::from_field_text(f.id, id),
                    IndexRecordOption::Basic,
                ))),
            )?
            .ok_or_else(|| Error::ItemNotFound(id.to_string()))?;
        let neighbour = |ordinal: u32| -> Result<Option<Neighbour>> {
            if ordinal == 0 {
                return Ok(None);
            }
            let query = audience.restrict(Box::new(BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.meeting_id, &item.meeting.id),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>,
                ),
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_u64(f.ordinal, u64::from(ordinal)),
                        IndexRecordOption::Basic,
                    )),
                ),
            ])));
            Ok(self.find_one(&searcher, &*query)?.map(|n| Neighbour {
                id: n.id,
                ordinal: n.ordinal,
                section: n.section,
                title: n.title,
            }))
        };
        let previous = neighbour(item.ordinal.saturating_sub(1))?;
        let next = neighbour(item.ordinal.saturating_add(1))?;
        Ok(ItemView {
            links: ItemLinks::of(&item),
            item,
            previous,
            next,
        })
    }

    fn find_one(&self, searcher: &Searcher, query: &dyn Query) -> Result<Option<Item>> {
        let top = searcher.search(query, &TopDocs::with_limit(1).order_by_score())?;
        match top.first() {
            Some((_, address)) => Ok(Some(self.stored_item(searcher, *address)?)),
            None => Ok(None),
        }
    }

    pub(super) fn stored_item(&self, searcher: &Searcher, address: DocAddress) -> Result<Item> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let json = doc
            .get_first(self.index.fields.item_json)
            .and_then(|v| v.as_str())
            .ok_or_else(|| InternalError::NoStoredItem(format!("{address:?}")))?;
        serde_json::from_str(json).map_err(|source| {
            Error::from(InternalError::UnreadableItem {
                address: format!("{address:?}"),
                source,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{engine, item};
    use super::*;

    #[test]
    fn an_item_with_its_neighbours_in_the_meeting() {
        let engine = engine(&[
            item("KS/2024-03-12", 1, Some("Upprop"), "Närvarande antecknas."),
            item("KS/2024-03-12", 2, None, "Budgeten antas."),
            item("KS/2024-03-12", 3, Some("Avslutning"), "Mötet avslutas."),
            item("BUN/2024-03-12", 1, None, "Annat möte."),
        ]);
        let view = engine
            .item("ks-2024-03-12.02", Access::Public)
            .expect("found");
        assert_eq!(view.item.text, "Budgeten antas.");
        assert_eq!(
            view.previous,
            Some(Neighbour {
                id: "ks-2024-03-12.01".into(),
                ordinal: 1,
                section: Some("§ 1".into()),
                title: Some("Upprop".into())
            })
        );
        assert_eq!(
            view.next.map(|n| (n.id, n.title)),
            Some(("ks-2024-03-12.03".into(), Some("Avslutning".into())))
        );
        let first = engine
            .item("ks-2024-03-12.01", Access::Public)
            .expect("found");
        assert_eq!(first.previous, None);
        assert_eq!(first.next.map(|n| n.ordinal), Some(2));
        let last = engine
            .item("ks-2024-03-12.03", Access::Public)
            .expect("found");
        assert_eq!(last.next, None);
    }

    #[test]
    fn an_unknown_id_is_not_found() {
        let engine = engine(&[item("KS/2024-03-12", 1, None, "Budgeten antas.")]);
        let err = engine
            .item("ks-2024-03-12.09", Access::Public)
            .expect_err("no such item");
        assert!(matches!(err, Error::ItemNotFound(_)), "{err:?}");
        assert_eq!(err.to_string(), "no item with id \"ks-2024-03-12.09\"");
    }
}
