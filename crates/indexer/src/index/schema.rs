//! The index schema: the only place that names tantivy fields.
//!
//! The query crate reaches fields through [`Fields`], never by string, so the writer and the
//! reader cannot disagree (STYLE.md § 9). Facets are hierarchical where the domain is:
//! municipality as `/county/municipality` (`/23/2380`), so a county filter comes free.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Facet, FacetOptions, Field, IndexRecordOption, NumericOptions,
    Schema, TextFieldIndexing, TextOptions, STORED, STRING,
};

use crate::hash::fnv1a;
use crate::index::analysis;
use crate::model::Municipality;

/// Version of the schema and analysis; an index with another version is rebuilt, not misread.
pub const SCHEMA_VERSION: u32 = 9;

/// Handles to every field of a Paragraf index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Item id, untokenized: `svom-2020-12-04.03`.
    pub id: Field,
    /// Meeting id, untokenized, for the items of one meeting.
    pub meeting_id: Field,
    /// Key of the file the item came from (its absolute path), untokenized: an update deletes
    /// a changed or removed file's items by this term.
    pub file: Field,
    /// `<file key>` U+001F `<fingerprint>`: which version of each file the index holds.
    pub file_version: Field,
    /// Case number ("Dnr", diarienummer), untokenized for exact match and filtering; each item
    /// holds the terms of [`crate::minutes::protokoll::case_number_terms`] (`KS 2013/123` and
    /// `2013/123`), so a query normalises its value with
    /// [`crate::minutes::protokoll::normalize_case_number`] and looks up that one term.
    pub case_number: Field,
    /// Item title, Swedish analysis.
    pub title: Field,
    /// Decision sentences, Swedish analysis.
    pub decisions: Field,
    /// Speakers' names as words.
    pub speaker_names: Field,
    /// Title, text (which holds the decisions) and speakers' names as written, lower-cased,
    /// with positions: the only copy of the item text in the index. Stemming and diacritic
    /// folding happen at query time, by expanding a query word to the forms this field holds
    /// (the query crate's `forms` module); suggestions and "did you mean" read their words here.
    pub words: Field,
    /// Stemmed parts of the compound words of title, text and decisions.
    pub parts: Field,
    /// Municipality facet `/county code/municipality code`.
    pub municipality: Field,
    /// Speaker facet `/Full Name`.
    pub speaker: Field,
    /// Body facet `/SVOM`.
    pub body: Field,
    /// Year facet `/2020`.
    pub year: Field,
    /// Meeting date (start of the period for coarse dates), for ranges.
    pub date: Field,
    /// Sort key: meeting date, then position in the meeting (see [`sort_key`]).
    pub sort_key: Field,
    /// Position of the item in its meeting.
    pub ordinal: Field,
    /// The whole item as JSON, for display.
    pub item_json: Field,
    /// Who may see the item, untokenized: `public` or `internal`
    /// ([`crate::model::Visibility::as_str`]). Every query of a public request has the term
    /// `public` as a mandatory clause (issue #20).
    pub visibility: Field,
}

impl Fields {
    /// Builds the schema and the field handles.
    pub fn build() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let analysed = |tokenizer: &str, stored: bool| {
            let options = TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            );
            if stored {
                options.set_stored()
            } else {
                options
            }
        };
        let fields = Fields {
            id: b.add_text_field("id", STRING | STORED),
            meeting_id: b.add_text_field("meeting_id", STRING | STORED),
            file: b.add_text_field("file", STRING),
            file_version: b.add_text_field("file_version", STRING),
            case_number: b.add_text_field("case_number", STRING),
            title: b.add_text_field("title", analysed(analysis::SWEDISH, false)),
            // Most items record no decision, so the field's average length is tiny and BM25
            // would punish a long decision sentence; without length norms every decision
            // weighs alike.
            decisions: b.add_text_field(
                "decisions",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(analysis::SWEDISH)
                        .set_fieldnorms(false)
                        .set_index_option(IndexRecordOption::WithFreqsAndPositions),
                ),
            ),
            speaker_names: b.add_text_field("speaker_names", analysed(analysis::NAME, false)),
            words: b.add_text_field("words", analysed(analysis::NAME, false)),
            // Parts are only ever looked up one at a time: no positions to write.
            parts: b.add_text_field(
                "parts",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(analysis::PARTS)
                        .set_index_option(IndexRecordOption::WithFreqs),
                ),
            ),
            municipality: b.add_facet_field("municipality", FacetOptions::default()),
            speaker: b.add_facet_field("speaker", FacetOptions::default()),
            body: b.add_facet_field("body", FacetOptions::default()),
            year: b.add_facet_field("year", FacetOptions::default()),
            date: b.add_date_field(
                "date",
                DateOptions::default()
                    .set_indexed()
                    .set_fast()
                    .set_precision(DateTimePrecision::Seconds),
            ),
            sort_key: b.add_u64_field("sort_key", NumericOptions::default().set_fast()),
            ordinal: b.add_u64_field("ordinal", NumericOptions::default().set_indexed()),
            item_json: b.add_text_field("item_json", STORED),
            visibility: b.add_text_field("visibility", STRING),
        };
        (b.build(), fields)
    }

    /// Field handles for an existing index's schema; `None` when a field is missing.
    pub fn from_schema(schema: &Schema) -> Option<Fields> {
        let f = |name: &str| schema.get_field(name).ok();
        Some(Fields {
            id: f("id")?,
            meeting_id: f("meeting_id")?,
            file: f("file")?,
            file_version: f("file_version")?,
            case_number: f("case_number")?,
            title: f("title")?,
            decisions: f("decisions")?,
            speaker_names: f("speaker_names")?,
            words: f("words")?,
            parts: f("parts")?,
            municipality: f("municipality")?,
            speaker: f("speaker")?,
            body: f("body")?,
            year: f("year")?,
            date: f("date")?,
            sort_key: f("sort_key")?,
            ordinal: f("ordinal")?,
            item_json: f("item_json")?,
            visibility: f("visibility")?,
        })
    }

    /// Name of the fast field that holds the sort key.
    pub fn sort_key_name() -> &'static str {
        "sort_key"
    }

    /// Names of the facet fields a search counts, in the order of the response's facets:
    /// municipality, speaker, body, year.
    pub fn facet_names() -> [&'static str; 4] {
        ["municipality", "speaker", "body", "year"]
    }
}

/// The municipality facet of a municipality: `/23/2380`.
pub fn municipality_facet(m: &Municipality) -> Facet {
    Facet::from_path([m.county_code.as_str(), m.code.as_str()])
}

/// The facet for a municipality or county code: `2380` → `/23/2380`, `23` → `/23`.
pub fn municipality_code_facet(code: &str) -> Facet {
    if code.len() == 4 {
        Facet::from_path([&code[..2], code])
    } else {
        Facet::from_path([code])
    }
}

/// A one-level facet for a value (speaker, body, year): `/Elin Ring`.
pub fn value_facet(value: &str) -> Facet {
    Facet::from_path([value])
}

/// Separates the file key from the fingerprint in [`Fields::file_version`].
pub const FILE_VERSION_SEPARATOR: char = '\u{1f}';

/// Sort key: newest meeting first, then by position in the meeting, then by a fixed hash of
/// the item id. Items with no date sort last. `days` counts from 1970-01-01.
///
/// The key is unique per item (up to a 28-bit hash among items of one day and position), so
/// equal scores and equal dates order the same way whatever the index's segments look like:
/// a tie broken by document address would change with every merge.
///
/// Layout, high to low: 20 bits day (offset by 200,000 days, about 550 years back), 16 bits
/// `0xFFFF - ordinal`, 28 bits FNV-1a hash of the id.
pub fn sort_key(days: Option<i64>, ordinal: u32, id: &str) -> u64 {
    const DAY_BITS: u32 = 20;
    let days = days.map_or(0, |d| {
        u64::try_from(d.saturating_add(DAY_OFFSET))
            .unwrap_or(0)
            .min((1 << DAY_BITS) - 1)
    });
    let position = u64::from(0xFFFF - ordinal.min(0xFFFF));
    (days << DAY_SHIFT) | (position << HASH_BITS) | (fnv1a(id.as_bytes()) & ((1 << HASH_BITS) - 1))
}

const DAY_OFFSET: i64 = 200_000;
const HASH_BITS: u32 = 28;
const DAY_SHIFT: u32 = 16 + HASH_BITS;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facet_names_are_the_schema_facet_fields() {
        let (schema, fields) = Fields::build();
        let by_name: Vec<Field> = Fields::facet_names()
            .iter()
            .map(|name| schema.get_field(name).expect("a field of the schema"))
            .collect();
        assert_eq!(
            by_name,
            [
                fields.municipality,
                fields.speaker,
                fields.body,
                fields.year
            ]
        );
    }

    #[test]
    fn schema_round_trips_through_from_schema() {
        let (schema, fields) = Fields::build();
        let again = Fields::from_schema(&schema).expect("all fields present");
        assert_eq!(again.item_json, fields.item_json);
        assert_eq!(again.sort_key, fields.sort_key);
        assert_eq!(again.case_number, fields.case_number);
    }

    #[test]
    fn facets() {
        let m = Municipality {
            name: "Östersund".into(),
            code: "2380".into(),
            county: "Jämtlands län".into(),
            county_code: "23".into(),
        };
        assert_eq!(municipality_facet(&m).to_string(), "/23/2380");
        assert_eq!(municipality_code_facet("2380").to_string(), "/23/2380");
        assert_eq!(municipality_code_facet("23").to_string(), "/23");
        assert_eq!(value_facet("Elin Ring").to_string(), "/Elin Ring");
    }

    #[test]
    fn sort_key_orders_by_date_then_ordinal_then_id() {
        assert!(sort_key(Some(18_600), 1, "a") > sort_key(Some(18_599), 1, "a"));
        assert!(sort_key(Some(18_600), 1, "a") > sort_key(Some(18_600), 2, "a"));
        // The id only separates items of one day and position, never outranks them.
        assert!(sort_key(Some(18_600), 0xFFFF, "a") > sort_key(Some(18_599), 0, "b"));
        assert!(sort_key(Some(18_600), 1, "z") > sort_key(Some(18_600), 2, "a"));
        assert_ne!(
            sort_key(Some(18_600), 1, "a.1"),
            sort_key(Some(18_600), 1, "b.1")
        );
        assert_eq!(
            sort_key(Some(18_600), 1, "a.1"),
            sort_key(Some(18_600), 1, "a.1")
        );
        assert!(sort_key(Some(0), 1, "a") > sort_key(None, 1, "a"));
        assert!(sort_key(Some(-3_000), 1, "a") > sort_key(None, 1, "a"));
        assert_eq!(sort_key(Some(18_600), 7, "a") >> DAY_SHIFT, 218_600);
        // Far future dates stay in their bits instead of spilling into the sign.
        assert!(sort_key(Some(10_000_000), 1, "a") >= sort_key(Some(800_000), 1, "a"));
    }
}
