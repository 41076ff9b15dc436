//! [`OpenSearchEngine`]: Paragraf's [`SearchEngine`] over a cluster. One search is one
//! request (two when a word needs its typos or did-you-mean looked up first, three when no
//! item has every word): `dfs_query_then_fetch`, so that BM25 counts words over all shards as
//! the tantivy engine counts them over the whole index; filters in `post_filter` and each
//! facet a `filter` aggregation of the other filters, so that a filter does not narrow its own
//! facet.

use std::collections::BTreeSet;
use std::time::Instant;

use paragraf_indexer::minutes::place::Gazetteer;
use paragraf_indexer::minutes::speaker::name_key;
use paragraf_indexer::Item;
use paragraf_query::query::UserQuery;
use paragraf_query::snippet::Snippets;
use paragraf_query::suggest::{SuggestResponse, Suggestion, SuggestionKind};
use paragraf_query::{Access, Area, Filters, ItemLinks, SearchEngine, MAX_LIMIT, MAX_QUERY_CHARS};
use paragraf_query::{
    Analysis, FacetCount, Facets, Health, Hit, ItemView, MatchMode, Neighbour, SearchRequest,
    SearchResponse, Sort,
};
use serde_json::{json, Value};
use tracing::instrument;

use crate::client::{refused, Client, ClusterConfig, Method};
use crate::document::Analyzers;
use crate::error::{Error, Result};
use crate::query::{self, Probe};

/// Values returned per facet, as the tantivy engine.
const FACET_VALUES: usize = 30;
/// Buckets asked of each shard per facet: every municipality (290) and more, so that counts are
/// exact (a shard returning all its values leaves nothing uncounted).
const MUNICIPALITY_BUCKETS: usize = 400;
const NAME_BUCKETS: usize = 2000;
/// Tries of a search some shards failed.
const SEARCH_TRIES: u32 = 3;

/// The facet dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dimension {
    Municipality,
    Speaker,
    Body,
    Year,
}

const DIMENSIONS: [(Dimension, &str, usize); 4] = [
    (
        Dimension::Municipality,
        "municipality",
        MUNICIPALITY_BUCKETS,
    ),
    (Dimension::Speaker, "speaker", NAME_BUCKETS),
    (Dimension::Body, "body", NAME_BUCKETS),
    (Dimension::Year, "year", 500),
];

/// Paragraf's engine over an OpenSearch index (an alias, `paragraf` by default).
#[derive(Debug, Clone)]
pub struct OpenSearchEngine {
    client: Client,
    index: String,
}

impl OpenSearchEngine {
    /// An engine over the cluster and index of `config`. Nothing is asked of the cluster yet:
    /// a server starts while the cluster is down and answers 503 until it is up.
    pub fn new(config: &ClusterConfig) -> OpenSearchEngine {
        OpenSearchEngine {
            client: Client::new(config),
            index: config.index.clone(),
        }
    }

    /// The HTTP client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Runs a search body. A search that some shards failed (a node just left, its replicas
    /// not yet promoted) is sent once more after a pause; failed again, it is
    /// [`Error::Unavailable`], never a silently partial answer.
    fn search_body(&self, body: &Value) -> Result<Value> {
        let path = format!("/{}/_search?search_type=dfs_query_then_fetch", self.index);
        let mut tries = 0;
        loop {
            tries += 1;
            let (status, value) = self.client.send(Method::Post, &path, Some(body))?;
            let failed = value["_shards"]["failed"].as_u64().unwrap_or(0);
            match status {
                200..=299 if failed == 0 => return Ok(value),
                200..=299 if tries < SEARCH_TRIES => {
                    std::thread::sleep(std::time::Duration::from_millis(300));
                }
                200..=299 => {
                    return Err(Error::Unavailable {
                        url: format!("{}{path}", self.client.url()),
                        reason: format!(
                            "{failed} of {} shards failed",
                            value["_shards"]["total"].as_u64().unwrap_or(0)
                        ),
                    })
                }
                404 => return Err(Error::NoIndex(self.index.clone())),
                _ => return Err(refused(Method::Post, &path, status, &value)),
            }
        }
    }

    /// Item counts of the words as written and the words of the index a typo or two away.
    ///
    /// The counts are of the items `access` sees; the term suggester reads the whole index's
    /// words, so each word it offers is counted again among those items and dropped when
    /// none holds it (issue #20: a word of internal items is no typo correction for the
    /// public).
    fn probe(&self, words: &BTreeSet<String>, access: Access) -> Result<Probe> {
        let mut probe = Probe::default();
        if words.is_empty() {
            return Ok(probe);
        }
        let words: Vec<&String> = words.iter().collect();
        let mut aggs = serde_json::Map::new();
        let mut suggest = serde_json::Map::new();
        for (i, word) in words.iter().enumerate() {
            aggs.insert(
                format!("w{i}"),
                json!({"filter": {"term": {"words": word}}}),
            );
            suggest.insert(
                format!("w{i}"),
                json!({"text": word, "term": {
                    "field": "words", "suggest_mode": "always", "size": 50,
                    "max_edits": query::max_distance(word), "prefix_length": 1,
                    "min_word_length": 4, "accuracy": 0.1, "max_inspections": 20,
                    "string_distance": "damerau_levenshtein"
                }}),
            );
        }
        let body = json!({"size": 0, "track_total_hits": false, "aggs": aggs, "suggest": suggest,
            "query": restrict(json!({"match_all": {}}), access)});
        let value = self.search_body(&body)?;
        for (i, word) in words.iter().enumerate() {
            let key = format!("w{i}");
            let df = value["aggregations"][&key]["doc_count"]
                .as_u64()
                .unwrap_or(0);
            probe.doc_freq.insert(word.to_string(), df);
            let max = usize::from(query::max_distance(word));
            let first = word.chars().next();
            let mut near: Vec<(String, u8, u64)> = Vec::new();
            for entry in value["suggest"][&key].as_array().into_iter().flatten() {
                for option in entry["options"].as_array().into_iter().flatten() {
                    let Some(text) = option["text"].as_str() else {
                        continue;
                    };
                    let d = query::distance(word, text);
                    if d == 0 || d > max || text.chars().next() != first {
                        continue;
                    }
                    if near.iter().all(|(w, _, _)| w != text) {
                        let freq = option["freq"].as_u64().unwrap_or(0);
                        near.push((text.to_string(), d as u8, freq));
                    }
                }
            }
            probe.near.insert(word.to_string(), near);
        }
        if !access.sees_internal() {
            self.recount_near(&mut probe, access)?;
        }
        Ok(probe)
    }

    /// Counts the near words of a probe among the items `access` sees, dropping those none
    /// of them holds.
    fn recount_near(&self, probe: &mut Probe, access: Access) -> Result<()> {
        let candidates: BTreeSet<String> = probe
            .near
            .values()
            .flatten()
            .map(|(w, _, _)| w.clone())
            .collect();
        if candidates.is_empty() {
            return Ok(());
        }
        let candidates: Vec<String> = candidates.into_iter().collect();
        let mut aggs = serde_json::Map::new();
        for (i, word) in candidates.iter().enumerate() {
            aggs.insert(
                format!("n{i}"),
                json!({"filter": {"term": {"words": word}}}),
            );
        }
        let body = json!({"size": 0, "track_total_hits": false, "aggs": aggs,
            "query": restrict(json!({"match_all": {}}), access)});
        let value = self.search_body(&body)?;
        let counts: std::collections::HashMap<&str, u64> = candidates
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let n = value["aggregations"][format!("n{i}")]["doc_count"]
                    .as_u64()
                    .unwrap_or(0);
                (w.as_str(), n)
            })
            .collect();
        for near in probe.near.values_mut() {
            near.retain_mut(|(w, _, freq)| {
                *freq = counts.get(w.as_str()).copied().unwrap_or(0);
                *freq > 0
            });
        }
        Ok(())
    }

    fn run_search(&self, req: &SearchRequest) -> Result<SearchResponse> {
        let started = Instant::now();
        let user = UserQuery::parse(&req.q);
        let sort = match req.sort {
            _ if user.is_empty() => Sort::Date,
            Some(sort) => sort,
            None => Sort::Relevance,
        };
        let mut mode = if user.is_empty() {
            MatchMode::None
        } else if user.any {
            MatchMode::Any
        } else {
            MatchMode::All
        };
        let mut analyzers = Analyzers::default();
        let probe = if req.analysis == Analysis::Full {
            self.probe(&query::probe_words(&user, &mut analyzers), req.access)?
        } else {
            Probe::default()
        };
        let mut planned = query::text_query(
            &user,
            mode == MatchMode::Any,
            req.analysis,
            &probe,
            &mut analyzers,
        );
        let mut found = self.search_body(&self.body(req, sort, &planned.query))?;
        if total(&found) == 0 && mode == MatchMode::All && user.positive().count() > 1 {
            mode = MatchMode::Any;
            planned = query::text_query(&user, true, req.analysis, &probe, &mut analyzers);
            found = self.search_body(&self.body(req, sort, &planned.query))?;
        }
        let mut hits = Vec::new();
        // As the tantivy engine: a prefix (`psykiatri*`) is no word to look for inside others.
        let typed = req
            .q
            .split_whitespace()
            .filter(|w| !w.ends_with('*'))
            .flat_map(|w| w.split(|c: char| !c.is_alphanumeric()))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>();
        for h in found["hits"]["hits"].as_array().into_iter().flatten() {
            let item: Item = serde_json::from_value(h["_source"]["item"].clone()).map_err(|e| {
                Error::Unexpected {
                    what: "a search".into(),
                    reason: format!("hit {} has no readable item: {e}", h["_id"]),
                }
            })?;
            let score = match sort {
                Sort::Relevance => h["_score"].as_f64().map(|s| s as f32),
                Sort::Date => None,
            };
            let source = Hit::snippet_source(&item);
            let marked = planned.marks.words_of(source, &mut analyzers);
            let snippet = Snippets::of_words(marked, typed.iter().cloned())
                .make(source)
                .to_html();
            hits.push(Hit::from_item(item, score, snippet));
        }
        let did_you_mean = if req.analysis == Analysis::Full {
            query::did_you_mean(&user, &req.q, &probe)
        } else {
            None
        };
        Ok(SearchResponse {
            query: req.q.clone(),
            total: total(&found),
            took_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            mode,
            did_you_mean,
            sort,
            offset: req.offset,
            limit: req.limit,
            hits,
            facets: facets(&found["aggregations"]),
        })
    }

    /// The search body: the text query, the filters after it, the facets of the other
    /// filters, the order and the page.
    fn body(&self, req: &SearchRequest, sort: Sort, text: &Value) -> Value {
        let mut aggs = serde_json::Map::new();
        for (dimension, field, size) in DIMENSIONS {
            aggs.insert(
                field.to_string(),
                json!({
                    "filter": {"bool": {"filter": filters(&req.filters, Some(dimension))}},
                    "aggs": {"values": {"terms": {
                        "field": field, "size": size, "shard_size": size,
                        "order": [{"_count": "desc"}, {"_key": "asc"}]
                    }}}
                }),
            );
        }
        // Equal scores: the newer meeting first, then agenda order, then a fixed hash of the
        // id (the tantivy engine's sort key).
        let order = match sort {
            Sort::Relevance => json!([{"_score": "desc"}, {"sort_key": "desc"}]),
            Sort::Date => json!([{"sort_key": "desc"}]),
        };
        json!({
            "from": req.offset,
            "size": req.limit,
            "track_total_hits": true,
            "query": restrict(text.clone(), req.access),
            "post_filter": {"bool": {"filter": filters(&req.filters, None)}},
            "sort": order,
            "_source": ["item"],
            "aggs": aggs,
        })
    }

    fn get_item(&self, id: &str, access: Access) -> Result<Option<Item>> {
        let query = restrict(json!({"term": {"id": id}}), access);
        let body = json!({"size": 1, "query": query, "_source": ["item"]});
        let found = self.search_body(&body)?;
        item_of(&found["hits"]["hits"][0])
    }

    fn run_item(&self, id: &str, access: Access) -> Result<Option<ItemView>> {
        let Some(item) = self.get_item(id, access)? else {
            return Ok(None);
        };
        let ordinals: Vec<u32> = [
            item.ordinal.saturating_sub(1),
            item.ordinal.saturating_add(1),
        ]
        .into_iter()
        .filter(|o| *o > 0 && *o != item.ordinal)
        .collect();
        let body = json!({
            "size": 2,
            "query": restrict(json!({"bool": {"filter": [
                {"term": {"meeting_id": item.meeting.id}},
                {"terms": {"ordinal": ordinals}}
            ]}}), access),
            "_source": ["item"],
        });
        let found = self.search_body(&body)?;
        let mut previous = None;
        let mut next = None;
        for h in found["hits"]["hits"].as_array().into_iter().flatten() {
            if let Some(n) = item_of(h)? {
                let neighbour = Neighbour {
                    id: n.id,
                    ordinal: n.ordinal,
                    section: n.section,
                    title: n.title,
                };
                if neighbour.ordinal < item.ordinal {
                    previous = Some(neighbour);
                } else {
                    next = Some(neighbour);
                }
            }
        }
        Ok(Some(ItemView {
            links: ItemLinks::of(&item),
            item,
            previous,
            next,
        }))
    }

    fn run_health(&self, access: Access) -> Result<Health> {
        let body = json!({"size": 0, "track_total_hits": true,
            "query": restrict(json!({"match_all": {}}), access), "aggs": {
            "meetings": {"cardinality": {"field": "meeting_id", "precision_threshold": 40000}}
        }});
        let found = self.search_body(&body)?;
        let path = format!("/{}/_mapping", self.index);
        let mapping = self.client.ok(Method::Get, &path, None)?;
        let meta = mapping
            .as_object()
            .and_then(|m| m.values().next())
            .map(|m| m["mappings"]["_meta"].clone())
            .unwrap_or(Value::Null);
        Ok(Health {
            status: "ok".to_string(),
            items: total(&found),
            meetings: found["aggregations"]["meetings"]["value"]
                .as_u64()
                .unwrap_or(0),
            built_at: meta["built_at"].as_str().unwrap_or_default().to_string(),
            schema_version: meta["schema_version"]
                .as_u64()
                .and_then(|v| u32::try_from(v).ok())
                .unwrap_or(0),
            decompounding: meta["decompounding"].as_bool().unwrap_or(false),
        })
    }

    fn run_suggest(&self, q: &str, limit: usize, access: Access) -> Result<SuggestResponse> {
        let lower = q.to_lowercase();
        let (before, last) = match lower.trim_end().rsplit_once(char::is_whitespace) {
            Some((before, last)) => (format!("{} ", before.trim_end()), last.to_string()),
            None => (String::new(), lower.trim().to_string()),
        };
        let last: String = last
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '-')
            .collect();
        let mut suggestions = Vec::new();
        if last.chars().count() < 2 {
            return Ok(SuggestResponse {
                query: q.to_string(),
                suggestions,
            });
        }
        let pattern: String = last
            .chars()
            .map(|c| {
                if c.is_alphanumeric() {
                    c.to_string()
                } else {
                    format!("\\{c}")
                }
            })
            .collect::<String>()
            + ".*";
        let terms = |field: &str, size: usize| {
            json!({"terms": {"field": field, "size": size, "shard_size": size,
                "order": [{"_count": "desc"}, {"_key": "asc"}]}})
        };
        let mut words = terms("vocabulary", limit);
        words["terms"]["include"] = json!(pattern);
        // Every shard's words with the prefix, so that the counts are whole (a shard's top few
        // alone would undercount a word that is not among them).
        words["terms"]["shard_size"] = json!(10_000);
        let body = json!({"size": 0, "track_total_hits": false,
            "query": restrict(json!({"match_all": {}}), access), "aggs": {
            "speaker": terms("speaker", 100_000),
            "body": terms("body", 10_000),
            "municipality": terms("municipality", MUNICIPALITY_BUCKETS),
            "words": words,
        }});
        let found = self.search_body(&body)?;
        let buckets = |name: &str| -> Vec<(String, u64)> {
            found["aggregations"][name]["buckets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|b| Some((b["key"].as_str()?.to_string(), b["doc_count"].as_u64()?)))
                .collect()
        };
        let gazetteer = Gazetteer::sweden();
        let mut vocabulary = Vec::new();
        for (name, count) in buckets("speaker") {
            vocabulary.push(Suggestion {
                text: name.clone(),
                kind: SuggestionKind::Speaker,
                count,
                value: Some(name),
            });
        }
        for (body, count) in buckets("body") {
            vocabulary.push(Suggestion {
                text: body.clone(),
                kind: SuggestionKind::Body,
                count,
                value: Some(body),
            });
        }
        for (code, count) in buckets("municipality") {
            if let Some(m) = gazetteer.by_code(&code) {
                vocabulary.push(Suggestion {
                    text: m.name.clone(),
                    kind: SuggestionKind::Municipality,
                    count,
                    value: Some(code),
                });
            }
        }
        let mut named: Vec<Suggestion> = vocabulary
            .into_iter()
            .filter(|s| {
                s.text
                    .to_lowercase()
                    .split(|c: char| c.is_whitespace() || c == '-')
                    .any(|w| w.starts_with(&last))
            })
            .collect();
        named.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));
        suggestions.extend(named.into_iter().take(limit.div_ceil(2)));
        for (term, count) in buckets("words") {
            if suggestions.len() >= limit {
                break;
            }
            suggestions.push(Suggestion {
                text: format!("{before}{term}"),
                kind: SuggestionKind::Term,
                count,
                value: None,
            });
        }
        Ok(SuggestResponse {
            query: q.to_string(),
            suggestions,
        })
    }
}

impl SearchEngine for OpenSearchEngine {
    #[instrument(skip_all, fields(q = %req.q))]
    fn search(&self, req: &SearchRequest) -> paragraf_query::Result<SearchResponse> {
        req.check()?;
        Ok(self.run_search(req)?)
    }

    fn item(&self, id: &str, access: Access) -> paragraf_query::Result<ItemView> {
        self.run_item(id, access)?
            .ok_or_else(|| paragraf_query::Error::ItemNotFound(id.to_string()))
    }

    fn suggest(
        &self,
        q: &str,
        limit: usize,
        access: Access,
    ) -> paragraf_query::Result<SuggestResponse> {
        let chars = q.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(paragraf_query::Error::QueryTooLong(chars));
        }
        if limit == 0 || limit > MAX_LIMIT {
            return Err(paragraf_query::Error::InvalidLimit(limit));
        }
        Ok(self.run_suggest(q, limit, access)?)
    }

    fn health(&self, access: Access) -> paragraf_query::Result<Health> {
        Ok(self.run_health(access)?)
    }
}

/// A query restricted to what `access` sees: for the public, a filter on `visibility` around
/// it, so that the hits, `total` and every aggregation (facets, counts, vocabulary) count
/// public items only (issue #20).
fn restrict(query: Value, access: Access) -> Value {
    if access.sees_internal() {
        query
    } else {
        json!({"bool": {"must": [query], "filter": [{"term": {"visibility": "public"}}]}})
    }
}

fn total(found: &Value) -> u64 {
    found["hits"]["total"]["value"].as_u64().unwrap_or(0)
}

fn item_of(hit: &Value) -> Result<Option<Item>> {
    if hit.is_null() {
        return Ok(None);
    }
    serde_json::from_value(hit["_source"]["item"].clone())
        .map(Some)
        .map_err(|e| Error::Unexpected {
            what: "an item".into(),
            reason: format!("document {} has no readable item: {e}", hit["_id"]),
        })
}

/// The filter clauses of a request, but for those of `skip` (a facet's own; the year facet
/// skips the date range).
fn filters(f: &Filters, skip: Option<Dimension>) -> Vec<Value> {
    let mut out = Vec::new();
    if !f.municipality.is_empty() && skip != Some(Dimension::Municipality) {
        let should: Vec<Value> = f
            .municipality
            .iter()
            .map(|a| match a {
                Area::Municipality(code) => json!({"term": {"municipality": code}}),
                Area::County(code) => json!({"term": {"county": code}}),
            })
            .collect();
        out.push(json!({"bool": {"should": should, "minimum_should_match": 1}}));
    }
    if !f.speaker.is_empty() && skip != Some(Dimension::Speaker) {
        let keys: Vec<String> = f.speaker.iter().map(|s| name_key(s)).collect();
        out.push(json!({"terms": {"speaker_key": keys}}));
    }
    if !f.body.is_empty() && skip != Some(Dimension::Body) {
        let keys: Vec<String> = f.body.iter().map(|b| b.to_lowercase()).collect();
        out.push(json!({"terms": {"body_key": keys}}));
    }
    if !f.case_number.is_empty() {
        let values: Vec<&str> = f.case_number.iter().map(|c| c.as_str()).collect();
        out.push(json!({"terms": {"case_number": values}}));
    }
    if !f.meeting.is_empty() {
        out.push(json!({"terms": {"meeting_id": f.meeting}}));
    }
    if !f.dates.is_unbounded() && skip != Some(Dimension::Year) {
        let mut range = serde_json::Map::new();
        if let Some(from) = f.dates.from {
            range.insert("gte".into(), json!(from.to_string()));
        }
        if let Some(to) = f.dates.to {
            range.insert("lte".into(), json!(to.to_string()));
        }
        out.push(json!({"range": {"date": range}}));
    }
    out
}

/// The response's facets from the aggregations: the most frequent values first (by value
/// among equals), at most [`FACET_VALUES`] each, years newest first, as the tantivy engine.
fn facets(aggs: &Value) -> Facets {
    let values = |name: &str| -> Vec<(String, u64)> {
        let mut v: Vec<(String, u64)> = aggs[name]["values"]["buckets"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|b| Some((b["key"].as_str()?.to_string(), b["doc_count"].as_u64()?)))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    };
    let plain = |v: Vec<(String, u64)>| -> Vec<FacetCount> {
        v.into_iter()
            .take(FACET_VALUES)
            .map(|(value, count)| FacetCount {
                value,
                name: None,
                count,
            })
            .collect()
    };
    let gazetteer = Gazetteer::sweden();
    let municipality = values("municipality")
        .into_iter()
        .filter_map(|(code, count)| {
            let name = gazetteer.by_code(&code)?.name.clone();
            Some(FacetCount {
                value: code,
                name: Some(name),
                count,
            })
        })
        .take(FACET_VALUES)
        .collect();
    let mut year = plain(values("year"));
    year.sort_by(|a, b| b.value.cmp(&a.value));
    Facets {
        municipality,
        speaker: plain(values("speaker")),
        body: plain(values("body")),
        year,
    }
}
