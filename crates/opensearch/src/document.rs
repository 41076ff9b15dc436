//! The index: its settings and mapping, and the document of an item.
//!
//! **Analysis: forms computed by Paragraf, sent pre-split.** Each text field holds the tokens
//! Paragraf's own analyzers make (`paragraf_indexer::index::analysis`), joined by spaces, and the
//! cluster only splits them on whitespace. So both engines see the same words, stems,
//! compound parts and folded spellings, from the same Snowball stemmer, definite-n rule and
//! Hunspell compound dictionary; the cluster needs no plugin or dictionary for it.
//! (The alternative, OpenSearch's own hunspell + dictionary_decompounder + stemmer chain,
//! was measured against this in the README's "OpenSearch" section.)
//!
//! | field | tokens | for |
//! |---|---|---|
//! | `words` | the text's words as written, lower-cased (title, text, speakers) | exact spelling 1.5, phrases, typos, did-you-mean |
//! | `stems` | each word's Swedish stem, at the word's position | stemmed 1.0, other inflections 0.8, phrases of forms |
//! | `folded` | each stem without diacritics | folded 0.3 |
//! | `words_folded` | each word without diacritics | prefix queries typed without diacritics |
//! | `parts` | stemmed parts of compound words | parts 0.5 |
//! | `title`, `decisions` | stems | title 3, decisions 2 |
//! | `speaker_names` | names, lower-cased | names 3 |

use std::collections::BTreeSet;

use paragraf_indexer::index::analysis::{self, tokens};
use paragraf_indexer::minutes::protokoll::case_number_terms;
use paragraf_indexer::minutes::speaker::name_key;
use paragraf_indexer::Item;
use paragraf_query::scoring::forms::fold;
use serde_json::{json, Value};
use tantivy::tokenizer::TextAnalyzer;

/// Version of this mapping and analysis: an index with another is rebuilt by the next
/// `paragraf index`, not misread.
pub const MAPPING_VERSION: u32 = 2;

/// Shards and replicas of a new index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexSettings {
    /// Primary shards.
    pub shards: u32,
    /// Replicas of each shard.
    pub replicas: u32,
}

impl Default for IndexSettings {
    fn default() -> Self {
        IndexSettings {
            shards: 3,
            replicas: 1,
        }
    }
}

/// The body of `PUT /<index>`: settings, the whitespace analyzer and the mapping, with
/// Paragraf's figures in `_meta`.
pub fn index_body(settings: IndexSettings, built_at: &str, decompounding: bool) -> Value {
    let pre = |norms: bool| json!({"type": "text", "analyzer": "paragraf_pre", "norms": norms});
    let keyword = json!({"type": "keyword"});
    json!({
        "settings": {
            "number_of_shards": settings.shards,
            "number_of_replicas": settings.replicas,
            // Bulk loads refresh at the end; searches see a whole update or none of it.
            "refresh_interval": "30s",
            "analysis": {
                "analyzer": {
                    "paragraf_pre": {"type": "custom", "tokenizer": "whitespace"}
                }
            }
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": meta(built_at, decompounding),
            "properties": {
                "id": keyword,
                "meeting_id": keyword,
                // `public` or `internal` (issue #20): every query of a public request filters
                // on it.
                "visibility": keyword,
                "file": keyword,
                "file_version": keyword,
                "case_number": keyword,
                "title": pre(true),
                // As in the tantivy schema: without norms every decision weighs alike.
                "decisions": pre(false),
                "speaker_names": pre(true),
                "words": pre(true),
                "stems": pre(true),
                "folded": pre(true),
                "words_folded": {"type": "text", "analyzer": "paragraf_pre", "norms": false, "index_options": "docs"},
                "parts": {"type": "text", "analyzer": "paragraf_pre", "index_options": "freqs"},
                "vocabulary": {"type": "keyword", "index": false},
                "municipality": keyword,
                "county": keyword,
                "speaker": keyword,
                "speaker_key": keyword,
                "body": keyword,
                "body_key": keyword,
                "year": keyword,
                "date": {"type": "date", "format": "strict_date"},
                "sort_key": {"type": "unsigned_long"},
                "ordinal": {"type": "integer"},
                "item": {"type": "object", "enabled": false}
            }
        }
    })
}

/// The index's `_meta`: what `/health` reports.
pub fn meta(built_at: &str, decompounding: bool) -> Value {
    json!({
        "paragraf_mapping_version": MAPPING_VERSION,
        "schema_version": paragraf_indexer::index::schema::SCHEMA_VERSION,
        "built_at": built_at,
        "decompounding": decompounding,
    })
}

/// Paragraf's analyzers, made once per indexing run or engine.
pub struct Analyzers {
    names: TextAnalyzer,
    swedish: TextAnalyzer,
    parts: TextAnalyzer,
}

impl Default for Analyzers {
    fn default() -> Self {
        Analyzers {
            names: analysis::name(),
            swedish: analysis::swedish(),
            parts: analysis::system_parts(),
        }
    }
}

impl Analyzers {
    /// Lower-cased words as written.
    pub fn words(&mut self, text: &str) -> Vec<String> {
        tokens(&mut self.names, text)
    }

    /// Swedish stems.
    pub fn stems(&mut self, text: &str) -> Vec<String> {
        tokens(&mut self.swedish, text)
    }

    /// The stem of one word as written (lower-cased).
    pub fn stem(&mut self, word: &str) -> String {
        tokens(&mut self.swedish, word)
            .pop()
            .unwrap_or_else(|| word.to_string())
    }

    /// The document of an item from the file with this key and fingerprint.
    pub fn document(&mut self, item: &Item, file: Option<(&str, &str)>) -> Value {
        let mut all_text = String::new();
        if let Some(title) = &item.title {
            all_text.push_str(title);
            all_text.push('\n');
        }
        all_text.push_str(&item.text);
        for speaker in &item.speakers {
            all_text.push('\n');
            all_text.push_str(&speaker.name);
        }
        let words = self.words(&all_text);
        let stems: Vec<String> = words.iter().map(|w| self.stem(w)).collect();
        let folded: Vec<String> = stems.iter().map(|s| fold(s)).collect();
        let words_folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
        let vocabulary: BTreeSet<&str> = words.iter().map(String::as_str).collect();
        let parts = tokens(&mut self.parts, &all_text);
        let title = item.title.as_deref().map(|t| self.stems(t).join(" "));
        let decisions: Vec<String> = item
            .decisions
            .iter()
            .map(|d| self.stems(d).join(" "))
            .collect();
        let speaker_names: Vec<String> = item
            .speakers
            .iter()
            .map(|s| self.words(&s.name).join(" "))
            .collect();
        let start = item.meeting.start_date();
        let days = start.map(|d| d.days_since_epoch());
        // What the item speaks of and the meeting's own municipality, as the tantivy index
        // counts them (issue 15).
        let municipalities = item.filter_municipalities();
        let mut counties: Vec<&str> = municipalities
            .iter()
            .map(|m| m.county_code.as_str())
            .collect();
        counties.sort_unstable();
        counties.dedup();
        let (file_key, file_version) = match file {
            Some((key, fingerprint)) => (
                Some(key.to_string()),
                Some(format!("{key}\u{1f}{fingerprint}")),
            ),
            None => (None, None),
        };
        json!({
            "id": item.id,
            "meeting_id": item.meeting.id,
            "visibility": item.meeting.visibility.as_str(),
            "file": file_key,
            "file_version": file_version,
            "case_number": item.case_number.as_deref().map(case_number_terms).unwrap_or_default(),
            "title": title,
            "decisions": decisions,
            "speaker_names": speaker_names,
            "words": words.join(" "),
            "stems": stems.join(" "),
            "folded": folded.join(" "),
            "words_folded": words_folded.join(" "),
            "parts": parts.join(" "),
            "vocabulary": vocabulary,
            "municipality": municipalities.iter().map(|m| m.code.as_str()).collect::<Vec<_>>(),
            "county": counties,
            "speaker": item.speakers.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            "speaker_key": item.speakers.iter().map(|s| name_key(&s.name)).collect::<Vec<_>>(),
            "body": item.meeting.body,
            "body_key": item.meeting.body.as_deref().map(str::to_lowercase),
            "year": start.map(|d| d.year.to_string()),
            "date": start.map(|d| d.to_string()),
            "sort_key": paragraf_indexer::index::schema::sort_key(days, item.ordinal, &item.id),
            "ordinal": item.ordinal,
            "item": item,
        })
    }
}
