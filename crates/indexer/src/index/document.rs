//! An [`Item`] as a tantivy document: which of its parts go to which field, as words, terms or
//! facets.

use tantivy::{DateTime, TantivyDocument};

use crate::index::schema::{
    municipality_facet, sort_key, value_facet, Fields, FILE_VERSION_SEPARATOR,
};
use crate::minutes::protokoll::case_number_terms;
use crate::model::Item;

/// The tantivy document of an item.
pub fn to_document(item: &Item, f: &Fields) -> TantivyDocument {
    to_document_from(item, f, None)
}

/// The tantivy document of an item of a known file (key, fingerprint).
pub(crate) fn to_document_from(
    item: &Item,
    f: &Fields,
    file: Option<(&str, &str)>,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &item.id);
    if let Some((key, fingerprint)) = file {
        doc.add_text(f.file, key);
        doc.add_text(
            f.file_version,
            format!("{key}{FILE_VERSION_SEPARATOR}{fingerprint}"),
        );
    }
    doc.add_text(f.meeting_id, &item.meeting.id);
    doc.add_text(f.visibility, item.meeting.visibility.as_str());
    if let Some(case_number) = &item.case_number {
        for term in case_number_terms(case_number) {
            doc.add_text(f.case_number, &term);
        }
    }
    let mut all_text = String::new();
    if let Some(title) = &item.title {
        doc.add_text(f.title, title);
        all_text.push_str(title);
        all_text.push('\n');
    }
    all_text.push_str(&item.text);
    for decision in &item.decisions {
        doc.add_text(f.decisions, decision);
    }
    for speaker in &item.speakers {
        doc.add_text(f.speaker_names, &speaker.name);
        doc.add_facet(f.speaker, value_facet(&speaker.name));
        all_text.push('\n');
        all_text.push_str(&speaker.name);
    }
    // Title, text (which holds the decisions) and names: as written, and as compound parts.
    doc.add_text(f.words, &all_text);
    doc.add_text(f.parts, &all_text);
    // What the item speaks of and the meeting's own municipality (issue 15).
    for m in item.filter_municipalities() {
        doc.add_facet(f.municipality, municipality_facet(m));
    }
    if let Some(body) = &item.meeting.body {
        doc.add_facet(f.body, value_facet(body));
    }
    let start = item.meeting.start_date();
    if let Some(date) = start {
        doc.add_facet(f.year, value_facet(&date.year.to_string()));
        doc.add_date(f.date, DateTime::from_timestamp_secs(date.unix_seconds()));
    }
    doc.add_u64(
        f.sort_key,
        sort_key(start.map(|d| d.days_since_epoch()), item.ordinal, &item.id),
    );
    doc.add_u64(f.ordinal, u64::from(item.ordinal));
    // Serialising plain data cannot fail; an empty object would only hide the item's display.
    doc.add_text(
        f.item_json,
        serde_json::to_string(item).unwrap_or_else(|_| "{}".to_string()),
    );
    doc
}

#[cfg(test)]
mod tests {
    use crate::index::store::{build, open};
    use crate::index::testing::items;

    #[test]
    fn case_number_is_an_exact_term_with_and_without_its_prefix() {
        use tantivy::collector::Count;
        use tantivy::query::TermQuery;
        use tantivy::schema::IndexRecordOption;
        use tantivy::Term;

        let dir = tempfile::tempdir().expect("tempdir");
        let text = "§ 84 Dnr KS 2013/123\nInformationer\n\nKommunchefen informerar.\n§ 85 Dnr KS 2013/200\nBudget\n";
        build(&items(&[text]), dir.path(), 1).expect("build");
        let opened = open(dir.path()).expect("opens");
        let searcher = opened.index.reader().expect("reader").searcher();
        let count = |term: &str| {
            let query = TermQuery::new(
                Term::from_field_text(opened.fields.case_number, term),
                IndexRecordOption::Basic,
            );
            searcher.search(&query, &Count).expect("search")
        };
        assert_eq!(
            (count("KS 2013/123"), count("2013/123"), count("2013")),
            (1, 1, 0)
        );
    }
}
