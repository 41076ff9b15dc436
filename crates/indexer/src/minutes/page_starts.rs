//! The page of a PDF on which each item starts (issue #19: open the signed protokoll at the
//! item's page, `#page=N`).
//!
//! The items are cut from the text of all pages joined, reflowed and cleaned, so a position
//! in an item's text is no position on a page. An item is found again on the pages by its
//! first words instead: letters and digits only (a word hyphenated across lines, a line break
//! or a run of spaces on the page is not in the item's text), searched from where the item
//! before it was found, so that a table of contents, which names the items' titles before
//! their pages do, is passed once the first item's own words are found after it.
//!
//! ```
//! use paragraf_indexer::minutes::page_starts::start_pages;
//!
//! let pages = ["Innehåll\n§ 1 Upprop".to_string(), "§ 1 Upprop\nOla Berg hälsar väl-\nkomna.".to_string(), "§ 2 Budget\nBudgeten antas.".to_string()];
//! let anchors = ["Ola Berg hälsar välkomna.", "Budgeten antas."];
//! assert_eq!(start_pages(&pages, &anchors), [Some(2), Some(3)]);
//! ```

use crate::model::Item;

/// How many letters and digits of an item's text find it: enough to be unlike any other
/// item's start, few enough to lie on one page most of the time.
const ANCHOR_CHARS: usize = 48;

/// The page (from 1) on which each anchor text first occurs, in order, each searched after
/// the one before; `None` where it is not found.
pub fn start_pages(pages: &[String], anchors: &[&str]) -> Vec<Option<u32>> {
    let mut joined = String::new();
    let mut starts = Vec::with_capacity(pages.len());
    for page in pages {
        starts.push(joined.len());
        joined.push_str(&letters(page));
    }
    let mut cursor = 0;
    anchors
        .iter()
        .map(|anchor| {
            let key: String = letters(anchor).chars().take(ANCHOR_CHARS).collect();
            if key.chars().count() < 8 {
                return None;
            }
            let at = cursor + joined.get(cursor..)?.find(&key)?;
            cursor = at;
            let page = starts.partition_point(|&s| s <= at);
            u32::try_from(page).ok()
        })
        .collect()
}

/// Sets each item's [`Item::page`] from the pages of its PDF: found by its text, or by its
/// title when it has no text.
pub fn locate(pages: &[String], items: &mut [Item]) {
    if pages.len() < 2 {
        return;
    }
    let anchors: Vec<&str> = items
        .iter()
        .map(|item| {
            if item.text.trim().is_empty() {
                item.title.as_deref().unwrap_or_default()
            } else {
                item.text.as_str()
            }
        })
        .collect();
    let found = start_pages(pages, &anchors);
    for (item, page) in items.iter_mut().zip(found) {
        item.page = page;
    }
}

/// The letters and digits of `text`, lower-cased.
fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_of_contents_is_passed() {
        let pages = [
            "Kommunstyrelsen\nInnehåll\n§ 84 Informationer 2\n§ 85 Rambudget 3".to_string(),
            "§ 84 Informationer\nOla Berg informerar om sjuk-\nfrånvaron i förvaltningen."
                .to_string(),
            "§ 85 Dnr KS 2013/87\nRambudget\nKommunstyrelsen föreslår att\nrambudgeten antas."
                .to_string(),
            "§ 86 Övrigt\nInga övriga frågor.".to_string(),
        ];
        let anchors = [
            "Ola Berg informerar om sjukfrånvaron i förvaltningen.",
            "Kommunstyrelsen föreslår att rambudgeten antas.",
            "Nothing like it anywhere on the pages.",
            "Inga övriga frågor.",
        ];
        assert_eq!(
            start_pages(&pages, &anchors),
            [Some(2), Some(3), None, Some(4)]
        );
    }

    #[test]
    fn an_anchor_across_a_page_break_is_on_the_page_it_starts() {
        let pages = [
            "§ 1 Upprop\nOla Berg hälsar".to_string(),
            "alla välkomna till mötet.".to_string(),
        ];
        assert_eq!(
            start_pages(&pages, &["Ola Berg hälsar alla välkomna till mötet."]),
            [Some(1)]
        );
        // Too short to tell one place from another.
        assert_eq!(start_pages(&pages, &["Ola"]), [None]);
    }
}
