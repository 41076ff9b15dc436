//! Search: a [`SearchRequest`] becomes a tantivy query; the hits, snippets and facet counts
//! come back as a [`SearchResponse`]. No HTTP types here: the CLI and the HTTP API share it.
//!
//! Ranking (README "Search and ranking"): each word is looked for in several ways and the
//! best one counts (`DisjunctionMaxQuery`), on a ladder where exact spelling ranks above
//! stemmed, stemmed above compound parts, parts above diacritic-folded and folded above
//! typo-corrected: names and the stemmed title 3, stemmed decisions 2; in the text, whose
//! forms [`crate::forms`] finds at query time, the exact spelling 1.5, other forms of the stem
//! 1, other inflections 0.8 and folded spellings 0.3; compound parts 0.5 and a word within one
//! or two typos (not in the first letter, `suggest::NearWords`) 0.1. Among equal
//! scores the newer meeting comes first, then agenda order.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::sync::Arc;
use std::time::Instant;

use paragraf_indexer::analysis::{self, tokens};
use paragraf_indexer::place::Gazetteer;
use paragraf_indexer::schema::{municipality_code_facet, value_facet, Fields};
use paragraf_indexer::speaker::name_key;
use paragraf_indexer::{Item, OpenIndex, Speaker};
use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::EnableScoring;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery,
    Occur, PhraseQuery, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DateTime, DocAddress, Executor, IndexReader, Order, ReloadPolicy, Searcher, TantivyDocument,
    Term,
};
use tracing::instrument;

use crate::suggest::NearWords;

use crate::error::{Error, Result};
use crate::facet::{Columns, FacetCounts};
use crate::filter::{municipality_code, parse_date, Filters};
use crate::forms::{fold, FoldedPrefixQuery, FormsQuery, Tier, TierWeights};
use crate::phrase::{PhraseFormsQuery, PhraseWeights, ANY, STEMMED, TYPED};
use crate::query::{Term as QTerm, UserQuery};
use crate::suggest::{SuggestResponse, Suggestion, SuggestionKind};

/// Largest `limit` a request may ask for.
pub const MAX_LIMIT: usize = 100;
/// Deepest result a request may reach (`offset + limit`).
pub const MAX_DEPTH: usize = 1000;
/// Longest query text, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// Default number of hits.
pub const DEFAULT_LIMIT: usize = 10;
/// Number of values returned per facet.
const FACET_VALUES: usize = 30;
/// Length of a snippet, in characters.
const SNIPPET_CHARS: usize = 220;

const TITLE_BOOST: f32 = 3.0;
const NAME_BOOST: f32 = 3.0;
const DECISION_BOOST: f32 = 2.0;
const EXACT_BOOST: f32 = 1.5;
const TEXT_BOOST: f32 = 1.0;
const INFLECTION_BOOST: f32 = 0.8;
const PARTS_BOOST: f32 = 0.5;
const FOLDED_BOOST: f32 = 0.3;
const TYPO_BOOST: f32 = 0.1;

/// Which analysis a search uses. Only `Full` is served; the others exist to measure what each
/// step gains (the relevance evaluation, README "Relevance").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Analysis {
    /// Lower-cased words only: no stemming, compounds, folding or typos.
    Plain,
    /// Swedish stemming with field weights (title, decisions, names): the text's forms of each
    /// word's stem, all weighing alike.
    Stemmed,
    /// Everything: exact spelling, stemming, other inflections, compound parts, folding, typos.
    #[default]
    Full,
}

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first.
    Relevance,
    /// Newest meeting first, then agenda order.
    Date,
}

/// How the words of the query had to match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchMode {
    /// Every word matched.
    All,
    /// Any word; either asked for with OR, or the fallback when all words found nothing.
    Any,
    /// No words were given: items are listed.
    None,
}

/// A checked search request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    /// What the user typed.
    pub q: String,
    /// Facet and date filters.
    pub filters: Filters,
    /// Requested order; relevance for a query, date for a listing when absent.
    pub sort: Option<Sort>,
    /// Number of hits, 1 to [`MAX_LIMIT`].
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// The analysis to search with (always `Full` over HTTP).
    pub analysis: Analysis,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            filters: Filters::default(),
            sort: None,
            limit: DEFAULT_LIMIT,
            offset: 0,
            analysis: Analysis::Full,
        }
    }
}

impl SearchRequest {
    /// Builds and checks a request from URL query pairs; repeated keys are kept
    /// (`municipality=2309&municipality=2380`). Unknown keys are ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self> {
        let mut req = SearchRequest::default();
        let mut from = None;
        let mut to = None;
        for (key, value) in pairs {
            match key {
                "q" => req.q = value.to_string(),
                "municipality" if !value.trim().is_empty() => {
                    req.filters.municipality.push(municipality_code(value)?);
                }
                "speaker" if !value.trim().is_empty() => {
                    req.filters.speaker.push(value.trim().to_string())
                }
                "body" if !value.trim().is_empty() => {
                    req.filters.body.push(value.trim().to_string())
                }
                "case_number" | "dnr" if !value.trim().is_empty() => {
                    req.filters
                        .case_number
                        .push(crate::filter::case_number(value)?);
                }
                "from" if !value.trim().is_empty() => {
                    from = Some(parse_date("from", value, false)?)
                }
                "to" if !value.trim().is_empty() => to = Some(parse_date("to", value, true)?),
                "sort" if !value.is_empty() => {
                    req.sort = Some(match value {
                        "relevance" => Sort::Relevance,
                        "date" => Sort::Date,
                        other => {
                            return Err(Error::InvalidParameter {
                                param: "sort".into(),
                                message: format!(
                                    "{other:?} is not an order; use relevance or date"
                                ),
                            })
                        }
                    });
                }
                "limit" if !value.is_empty() => req.limit = parse_count("limit", value)?,
                "offset" if !value.is_empty() => req.offset = parse_count("offset", value)?,
                _ => {}
            }
        }
        req.filters.from = from;
        req.filters.to = to;
        req.check()?;
        Ok(req)
    }

    /// Checks limits and ranges.
    pub fn check(&self) -> Result<()> {
        let chars = self.q.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(Error::QueryTooLong(chars));
        }
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return Err(Error::InvalidLimit(self.limit));
        }
        if self.offset.saturating_add(self.limit) > MAX_DEPTH {
            return Err(Error::OffsetTooDeep(self.offset));
        }
        if let (Some(from), Some(to)) = (self.filters.from, self.filters.to) {
            if from > to {
                return Err(Error::InvertedDateRange {
                    from: from.to_string(),
                    to: to.to_string(),
                });
            }
        }
        Ok(())
    }
}

fn parse_count(param: &str, value: &str) -> Result<usize> {
    value.trim().parse().map_err(|_| Error::InvalidParameter {
        param: param.to_string(),
        message: format!("{value:?} is not a whole number"),
    })
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResponse {
    /// The query as typed.
    pub query: String,
    /// Number of matching items.
    pub total: u64,
    /// Time spent searching, in milliseconds.
    pub took_ms: u64,
    /// How the words had to match.
    pub mode: MatchMode,
    /// A corrected query when some word is in no item but a close word is ("munskyd" →
    /// "munskydd"); `null` otherwise.
    pub did_you_mean: Option<String>,
    /// The order of the hits.
    pub sort: Sort,
    /// Hits skipped.
    pub offset: usize,
    /// Hits asked for.
    pub limit: usize,
    /// The hits.
    pub hits: Vec<Hit>,
    /// Counts per facet value, for the query and the other filters.
    pub facets: Facets,
}

/// One matching item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Item id.
    pub id: String,
    /// Relevance score; `null` when sorted by date.
    pub score: Option<f32>,
    /// The meeting.
    pub meeting: HitMeeting,
    /// "§ 54", when known.
    pub section: Option<String>,
    /// The item heading, when known.
    pub title: Option<String>,
    /// Case number (Dnr), when the item has one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub case_number: Option<String>,
    /// HTML-escaped text with the matched words in `<mark>`.
    pub snippet: String,
    /// Who presented or spoke.
    pub speakers: Vec<Speaker>,
    /// Municipalities the item concerns.
    pub municipalities: Vec<HitMunicipality>,
}

/// The meeting of a hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HitMeeting {
    /// Meeting id.
    pub id: String,
    /// Body.
    pub body: Option<String>,
    /// Date to its precision.
    pub date: Option<String>,
}

/// A municipality of a hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HitMunicipality {
    /// Short name.
    pub name: String,
    /// SCB code.
    pub code: String,
    /// County name.
    pub county: String,
}

/// Facet counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    /// Municipalities by SCB code, with their names.
    pub municipality: Vec<FacetCount>,
    /// Speakers by name.
    pub speaker: Vec<FacetCount>,
    /// Bodies.
    pub body: Vec<FacetCount>,
    /// Meeting years, newest first.
    pub year: Vec<FacetCount>,
}

/// One facet value and how many matching items have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    /// The value to filter on.
    pub value: String,
    /// A display name where the value is a code.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name: Option<String>,
    /// Matching items with this value.
    pub count: u64,
}

/// An item with its neighbours in the meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    /// The item.
    #[serde(flatten)]
    pub item: Item,
    /// The item before it in the meeting.
    pub previous: Option<Neighbour>,
    /// The item after it in the meeting.
    pub next: Option<Neighbour>,
}

/// A neighbouring item, enough to link to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Neighbour {
    /// Item id.
    pub id: String,
    /// Position in the meeting.
    pub ordinal: u32,
    /// "§ 54", when known.
    pub section: Option<String>,
    /// Heading, when known.
    pub title: Option<String>,
}

/// Index statistics for `/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// "ok".
    pub status: String,
    /// Items in the index.
    pub items: u64,
    /// Meetings in the index.
    pub meetings: u64,
    /// When the index was built (RFC 3339).
    pub built_at: String,
    /// Schema version of the index.
    pub schema_version: u32,
    /// Whether compound words were split when the index was built.
    pub decompounding: bool,
}

/// A searchable index: the reader and searchers are reused across requests.
pub struct Engine {
    index: OpenIndex,
    reader: IndexReader,
    /// Speaker names by [`name_key`], to accept any spelling variant or case in filters.
    speakers: HashMap<String, String>,
    /// Body names by lower case.
    bodies: HashMap<String, String>,
    /// Every speaker, body and municipality of the index with its number of items, for
    /// suggestions.
    vocabulary: Vec<Suggestion>,
    /// Each segment's facet values and sort keys, read once (shared with the tie-break of
    /// every search).
    columns: Arc<Columns>,
    swedish: TextAnalyzer,
    names: TextAnalyzer,
    /// A thread per core for the passes over an index of several segments (see [`Engine::pass`]);
    /// `None` on one core.
    executor: Option<Executor>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// Opens the index in a directory.
    pub fn open(dir: &std::path::Path) -> Result<Engine> {
        Engine::from_index(paragraf_indexer::open(dir)?)
    }

    /// Wraps an opened index.
    pub fn from_index(index: OpenIndex) -> Result<Engine> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let executor = if cores > 1 {
            Some(Executor::multi_thread(cores, "paragraf-search-")?)
        } else {
            None
        };
        let reader = index
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let mut engine = Engine {
            swedish: analysis::swedish(),
            names: analysis::name(),
            index,
            reader,
            speakers: HashMap::new(),
            bodies: HashMap::new(),
            vocabulary: Vec::new(),
            columns: Arc::default(),
            executor,
        };
        let searcher = engine.reader.searcher();
        let f = engine.index.fields;
        engine.columns = Arc::new(Columns::load(
            &searcher,
            &["municipality", "speaker", "body", "year"],
            Fields::sort_key_name(),
        )?);
        let all = |field| engine.all_facet_values(&searcher, field);
        let speakers = all(f.speaker)?;
        let bodies = all(f.body)?;
        let municipalities = all(f.municipality)?;
        let gazetteer = Gazetteer::sweden();
        let mut vocabulary = Vec::new();
        for (name, count) in speakers {
            engine.speakers.insert(name_key(&name), name.clone());
            vocabulary.push(Suggestion {
                text: name.clone(),
                kind: SuggestionKind::Speaker,
                count,
                value: Some(name),
            });
        }
        for (body, count) in bodies {
            engine.bodies.insert(body.to_lowercase(), body.clone());
            vocabulary.push(Suggestion {
                text: body.clone(),
                kind: SuggestionKind::Body,
                count,
                value: Some(body),
            });
        }
        for (code, count) in municipalities {
            if let Some(m) = gazetteer.by_code(&code) {
                vocabulary.push(Suggestion {
                    text: m.name.clone(),
                    kind: SuggestionKind::Municipality,
                    count,
                    value: Some(code),
                });
            }
        }
        engine.vocabulary = vocabulary;
        Ok(engine)
    }

    /// Suggestions for what is being typed: speakers, municipalities and bodies whose name
    /// has a word starting with the last word typed, then words of the texts starting with it.
    pub fn suggest(&self, q: &str, limit: usize) -> Result<SuggestResponse> {
        let chars = q.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(Error::QueryTooLong(chars));
        }
        if limit == 0 || limit > MAX_LIMIT {
            return Err(Error::InvalidLimit(limit));
        }
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
        if last.chars().count() >= 2 {
            let mut named: Vec<&Suggestion> = self
                .vocabulary
                .iter()
                .filter(|s| {
                    s.text
                        .to_lowercase()
                        .split(|c: char| c.is_whitespace() || c == '-')
                        .any(|w| w.starts_with(&last))
                })
                .collect();
            named.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));
            suggestions.extend(named.into_iter().take(limit.div_ceil(2)).cloned());
            let searcher = self.reader.searcher();
            for (term, count) in
                crate::suggest::terms_with_prefix(&searcher, self.index.fields.words, &last, limit)?
            {
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
        }
        Ok(SuggestResponse {
            query: q.to_string(),
            suggestions,
        })
    }

    /// Whether the index in `dir` has changed since this engine opened it (a new commit or a
    /// new generation).
    pub fn is_stale(&self, dir: &std::path::Path) -> bool {
        match paragraf_indexer::write::current_generation(dir) {
            Ok(generation) => {
                generation != self.index.path
                    || paragraf_indexer::write::committed_opstamp(&generation)
                        .is_some_and(|o| o != self.index.opstamp)
            }
            Err(_) => false,
        }
    }

    /// Bytes the index's files take on disk.
    pub fn size_on_disk(&self) -> u64 {
        std::fs::read_dir(&self.index.path)
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| e.metadata().ok())
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    }

    /// When the index's last commit was made (seconds since 1970).
    pub fn committed_at(&self) -> u64 {
        self.index.info.committed_at
    }

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

    /// Runs a search.
    #[instrument(skip_all, fields(q = %req.q))]
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse> {
        req.check()?;
        let started = Instant::now();
        let searcher = self.reader.searcher();
        let user = UserQuery::parse(&req.q);
        // A listing has no relevance to order by: it is always newest first.
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
        let analysis = req.analysis;
        let near = NearWords::new(&searcher, self.index.fields.words);
        let mut text_query =
            self.text_query(&searcher, &near, &user, mode == MatchMode::Any, analysis);
        let mut full = self.with_filters(text_query.box_clone(), &req.filters, None);
        // One pass over the matches counts them, keeps the best and counts the facets that
        // have no filter of their own (three passes, each building the query's weights anew,
        // cost a common word three times the work).
        let top = || TopDocs::with_limit(req.limit).and_offset(req.offset);
        let run = |query: &dyn Query| -> Result<Collected> {
            let shared = self.shared_facets(&req.filters);
            let (group, counter) = match shared {
                Some((group, counter)) => (Some(group), Some(counter)),
                None => (None, None),
            };
            let (total, addresses, fruit) = match sort {
                Sort::Relevance => {
                    // Equal scores rank by the sort key: the newer meeting first, then agenda
                    // order, then a fixed hash of the id. Never by document address, which a
                    // merge changes: the same search must list the same items in the same
                    // order before and after.
                    let columns = self.columns.clone();
                    let tie_break = move |segment: &tantivy::SegmentReader| {
                        let keys = columns.sort_keys(segment);
                        move |doc, score| (score, keys.get(doc))
                    };
                    let (total, top, fruit) = self.pass(
                        &searcher,
                        query,
                        &(Count, top().tweak_score(tie_break), counter),
                    )?;
                    let top = top.into_iter().map(|((s, _), a)| (Some(s), a)).collect();
                    (total, top, fruit)
                }
                Sort::Date => {
                    let by_date = top().order_by_u64_field(Fields::sort_key_name(), Order::Desc);
                    let (total, top, fruit) =
                        self.pass(&searcher, query, &(Count, by_date, counter))?;
                    (
                        total,
                        top.into_iter().map(|(_, a)| (None, a)).collect(),
                        fruit,
                    )
                }
            };
            Ok(Collected {
                total: total as u64,
                addresses,
                shared_facets: group.zip(fruit),
            })
        };
        let mut collected = run(&*full)?;
        if collected.total == 0 && mode == MatchMode::All && user.positive().count() > 1 {
            mode = MatchMode::Any;
            text_query = self.text_query(&searcher, &near, &user, true, analysis);
            full = self.with_filters(text_query.box_clone(), &req.filters, None);
            collected = run(&*full)?;
        }
        let Collected {
            total,
            addresses,
            shared_facets,
        } = collected;

        let snippets = self.snippet_generators(&*text_query);
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, address) in addresses {
            let item = self.stored_item(&searcher, address)?;
            hits.push(self.hit(item, score, &snippets));
        }

        let facets = self.facets(&searcher, &*text_query, &req.filters, shared_facets)?;
        let did_you_mean = if analysis == Analysis::Full {
            crate::suggest::did_you_mean(&near, &user, &req.q)?
        } else {
            None
        };
        Ok(SearchResponse {
            query: req.q.clone(),
            total,
            took_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            mode,
            did_you_mean,
            sort,
            offset: req.offset,
            limit: req.limit,
            hits,
            facets,
        })
    }

    /// The tantivy query for what a user typed with an analysis, without filters, the any-word
    /// fallback or the recency tie-break, and a searcher to run it: for measuring what each
    /// analysis costs (`paragraf-bench analysis`).
    pub fn matching_query(&self, q: &str, analysis: Analysis) -> (Searcher, Box<dyn Query>) {
        let searcher = self.reader.searcher();
        let user = UserQuery::parse(q);
        let near = NearWords::new(&searcher, self.index.fields.words);
        let query = self.text_query(&searcher, &near, &user, user.any, analysis);
        (searcher, query)
    }

    /// One pass of a search over the matches. An index of several segments (a large archive,
    /// or one updated since its build) is searched a segment per core, so one search gets the
    /// idle cores (under load the pool keeps the work at a thread per core); an index of one
    /// segment is searched on the calling thread, as handing one segment to the pool costs more
    /// than a small search.
    fn pass<C: Collector>(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        collector: &C,
    ) -> tantivy::Result<C::Fruit> {
        match &self.executor {
            Some(executor) if searcher.segment_readers().len() > 1 => {
                let scoring = if collector.requires_scoring() {
                    EnableScoring::enabled_from_searcher(searcher)
                } else {
                    EnableScoring::disabled_from_searcher(searcher)
                };
                searcher.search_with_executor(query, collector, executor, scoring)
            }
            _ => searcher.search(query, collector),
        }
    }

    /// The item with this id and its neighbours.
    pub fn item(&self, id: &str) -> Result<ItemView> {
        let searcher = self.reader.searcher();
        let f = self.index.fields;
        let item = self
            .find_one(
                &searcher,
                &TermQuery::new(Term::from_field_text(f.id, id), IndexRecordOption::Basic),
            )?
            .ok_or_else(|| Error::ItemNotFound(id.to_string()))?;
        let neighbour = |ordinal: u32| -> Result<Option<Neighbour>> {
            if ordinal == 0 {
                return Ok(None);
            }
            let query = BooleanQuery::new(vec![
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
            ]);
            Ok(self.find_one(&searcher, &query)?.map(|n| Neighbour {
                id: n.id,
                ordinal: n.ordinal,
                section: n.section,
                title: n.title,
            }))
        };
        let previous = neighbour(item.ordinal.saturating_sub(1))?;
        let next = neighbour(item.ordinal.saturating_add(1))?;
        Ok(ItemView {
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

    fn stored_item(&self, searcher: &Searcher, address: DocAddress) -> Result<Item> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let json = doc
            .get_first(self.index.fields.item_json)
            .and_then(|v| v.as_str())
            .ok_or_else(|| Error::Internal(format!("document {address:?} has no stored item")))?;
        serde_json::from_str(json).map_err(|e| {
            Error::Internal(format!("document {address:?}: stored item unreadable: {e}"))
        })
    }

    fn hit(&self, item: Item, score: Option<f32>, snippets: &Snippets) -> Hit {
        let source = if item.text.is_empty() {
            item.title.as_deref().unwrap_or_default()
        } else {
            item.text.as_str()
        };
        Hit {
            snippet: snippets.make(source),
            id: item.id,
            score,
            meeting: HitMeeting {
                id: item.meeting.id,
                body: item.meeting.body,
                date: item.meeting.date,
            },
            section: item.section,
            title: item.title,
            case_number: item.case_number,
            speakers: item.speakers,
            municipalities: item
                .municipalities
                .into_iter()
                .map(|m| HitMunicipality {
                    name: m.name,
                    code: m.code,
                    county: m.county,
                })
                .collect(),
        }
    }

    /// The query for the words of the request; `AllQuery` when there are none.
    fn text_query(
        &self,
        searcher: &Searcher,
        near: &NearWords<'_>,
        user: &UserQuery,
        any: bool,
        analysis: Analysis,
    ) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for clause in &user.clauses {
            let Some(query) = self.clause_query(searcher, near, &clause.term, analysis) else {
                continue;
            };
            let occur = if clause.negated {
                Occur::MustNot
            } else if any {
                Occur::Should
            } else {
                Occur::Must
            };
            clauses.push((occur, query));
        }
        let has_positive = clauses.iter().any(|(o, _)| *o != Occur::MustNot);
        if !has_positive {
            if user.is_empty() {
                clauses.push((Occur::Must, Box::new(AllQuery)));
            } else {
                // Words that analyse to nothing ("!!!") match nothing rather than everything.
                return Box::new(BooleanQuery::new(Vec::new()));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    fn clause_query(
        &self,
        searcher: &Searcher,
        near: &NearWords<'_>,
        term: &QTerm,
        analysis: Analysis,
    ) -> Option<Box<dyn Query>> {
        let f = self.index.fields;
        let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
        let (text, is_word) = match term {
            QTerm::Word(w) => (w.clone(), true),
            QTerm::Phrase(words) => (words.join(" "), false),
            QTerm::Prefix(p) => return self.prefix_query(p, analysis),
        };
        let surface = tokens(&mut self.names.clone(), &text);
        push_field(&mut disjuncts, f.speaker_names, &surface, NAME_BOOST);
        if analysis == Analysis::Plain {
            push_field(&mut disjuncts, f.words, &surface, TEXT_BOOST);
            return dismax(disjuncts);
        }
        let sv = tokens(&mut self.swedish.clone(), &text);
        push_field(&mut disjuncts, f.title, &sv, TITLE_BOOST);
        push_field(&mut disjuncts, f.decisions, &sv, DECISION_BOOST);
        let full = analysis == Analysis::Full;
        let weights = if full {
            TierWeights {
                exact: EXACT_BOOST,
                stemmed: TEXT_BOOST,
                inflection: Some(INFLECTION_BOOST),
                folded: Some(FOLDED_BOOST),
            }
        } else {
            TierWeights {
                exact: TEXT_BOOST,
                stemmed: TEXT_BOOST,
                inflection: None,
                folded: None,
            }
        };
        let ([word], [stem]) = (surface.as_slice(), sv.as_slice()) else {
            // Several words: a phrase, as typed above the same phrase in other forms.
            disjuncts.extend(self.phrase_of_forms(searcher, &surface, &sv, full));
            return dismax(disjuncts);
        };
        let others = if full && is_word {
            self.other_inflections(word, &sv)
        } else {
            Vec::new()
        };
        let forms = crate::forms::expand(
            searcher,
            f.words,
            word,
            stem,
            &others,
            weights,
            &mut self.swedish.clone(),
        )
        .unwrap_or_default();
        if let Some(query) = FormsQuery::new(f.words, &forms) {
            disjuncts.push(Box::new(query));
        }
        if !full || !is_word {
            return dismax(disjuncts);
        }
        for other in others {
            push_field(&mut disjuncts, f.title, &[other], INFLECTION_BOOST);
        }
        // A part is one word: "covid-19" analyses to two and has no part to match.
        push_field(
            &mut disjuncts,
            f.parts,
            std::slice::from_ref(stem),
            PARTS_BOOST,
        );
        // Meilisearch's rule: one typo from five letters, two from nine (`max_distance`).
        // Typos are looked for only when no item has the word as typed: a word that exists is
        // what the user meant, and the walk for near words is the costliest part of a query.
        // The near words are found once and matched as a set, at one constant score.
        let typed = Term::from_field_text(f.words, word);
        if word.chars().count() >= 5 && searcher.doc_freq(&typed).unwrap_or(0) == 0 {
            match near.of(word) {
                Ok(words) if !words.is_empty() => {
                    let set = words
                        .iter()
                        .map(|n| Term::from_field_text(f.words, &n.word));
                    disjuncts.push(Box::new(ConstScoreQuery::new(
                        Box::new(TermSetQuery::new(set)),
                        TYPO_BOOST,
                    )));
                }
                Ok(_) => {}
                Err(e) => tracing::warn!("no typo matches for {word:?}: {e}"),
            }
        }
        dismax(disjuncts)
    }

    /// A phrase of several words in any of their forms ([`PhraseFormsQuery`]): exact and
    /// stemmed forms at the text weight; with the full analysis also the phrase as typed, a
    /// bonus up to the exact weight, and diacritic-folded forms at the folded weight, all
    /// counted in one pass over the positions.
    fn phrase_of_forms(
        &self,
        searcher: &Searcher,
        surface: &[String],
        stems: &[String],
        full: bool,
    ) -> Vec<Box<dyn Query>> {
        let weights = TierWeights {
            exact: TEXT_BOOST,
            stemmed: TEXT_BOOST,
            inflection: None,
            folded: full.then_some(FOLDED_BOOST),
        };
        let field = self.index.fields.words;
        let mut words = Vec::with_capacity(surface.len());
        let mut folded = false;
        for (word, stem) in surface.iter().zip(stems) {
            let forms = crate::forms::expand(
                searcher,
                field,
                word,
                stem,
                &[],
                weights,
                &mut self.swedish.clone(),
            )
            .unwrap_or_default();
            let mut tagged = Vec::with_capacity(forms.len());
            for form in forms {
                let mut bits = match form.tier {
                    Tier::Exact | Tier::Stemmed => STEMMED,
                    Tier::Folded if full => {
                        folded = true;
                        ANY
                    }
                    _ => continue,
                };
                if full && form.word == *word {
                    bits |= TYPED;
                }
                tagged.push((form.word, bits));
            }
            if tagged.is_empty() {
                // A word is in no item: no phrase of forms can match. (A word typed without
                // its diacritics has folded forms, and the phrase matches at the folded
                // weight.)
                return if full {
                    words_query(field, surface, EXACT_BOOST)
                        .into_iter()
                        .collect()
                } else {
                    Vec::new()
                };
            }
            words.push(tagged);
        }
        if full
            && words
                .iter()
                .all(|forms| matches!(forms.as_slice(), [(_, bits)] if bits & TYPED != 0))
        {
            // Words with no other forms in the index: tantivy's phrase scorer, faster on one
            // form a word (the same score: every level counts the same occurrences).
            return words_query(field, surface, EXACT_BOOST)
                .into_iter()
                .collect();
        }
        let weights = PhraseWeights {
            stemmed: TEXT_BOOST,
            typed: full.then_some(EXACT_BOOST - TEXT_BOOST),
            folded: (full && folded).then_some(FOLDED_BOOST),
        };
        vec![Box::new(PhraseFormsQuery::new(field, &words, weights))]
    }

    /// Stems of other inflections of a word that the Snowball stemmer does not bring together
    /// ("utskrivningsklar" / "utskrivningsklara", "Storsjöglänta" / "Storsjögläntan").
    fn other_inflections(&self, word: &str, stems: &[String]) -> Vec<String> {
        const ADD: &[&str] = &["a", "n", "en", "et", "na", "ar", "er", "or"];
        const STRIP: &[&str] = &["n", "en", "et", "na", "a"];
        let mut out: Vec<String> = Vec::new();
        let mut analyzer = self.swedish.clone();
        let candidates =
            ADD.iter()
                .map(|suffix| format!("{word}{suffix}"))
                .chain(STRIP.iter().filter_map(|suffix| {
                    word.strip_suffix(suffix)
                        .filter(|stem| stem.chars().count() >= 4)
                        .map(str::to_string)
                }));
        for candidate in candidates {
            if let [stem] = tokens(&mut analyzer, &candidate).as_slice() {
                if !stems.contains(stem) && !out.contains(stem) {
                    out.push(stem.clone());
                }
            }
        }
        out
    }

    fn prefix_query(&self, prefix: &str, analysis: Analysis) -> Option<Box<dyn Query>> {
        let f = self.index.fields;
        let lower: String = prefix
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        if lower.is_empty() {
            return None;
        }
        let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
        let mut fields = vec![
            (f.words, TEXT_BOOST, &lower),
            (f.speaker_names, NAME_BOOST, &lower),
        ];
        if analysis != Analysis::Plain {
            fields.extend([
                (f.title, TITLE_BOOST, &lower),
                (f.decisions, DECISION_BOOST, &lower),
            ]);
        }
        for (field, boost, text) in fields {
            let query = FuzzyTermQuery::new_prefix(Term::from_field_text(field, text), 0, true);
            disjuncts.push(Box::new(BoostQuery::new(Box::new(query), boost)));
        }
        if analysis == Analysis::Full {
            let query = FoldedPrefixQuery::new(f.words, &fold(&lower));
            disjuncts.push(Box::new(BoostQuery::new(Box::new(query), FOLDED_BOOST)));
        }
        dismax(disjuncts)
    }

    /// The text query ANDed with every filter except `skip`.
    fn with_filters(
        &self,
        text: Box<dyn Query>,
        filters: &Filters,
        skip: Option<Dimension>,
    ) -> Box<dyn Query> {
        let f = self.index.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
        let mut any_of = |dimension: Dimension, field: Field, facets: Vec<Facet>| {
            if facets.is_empty() || skip == Some(dimension) {
                return;
            }
            let should: Vec<(Occur, Box<dyn Query>)> = facets
                .iter()
                .map(|facet| {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(
                        Term::from_facet(field, facet),
                        IndexRecordOption::Basic,
                    ));
                    (Occur::Should, q)
                })
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(should))));
        };
        any_of(
            Dimension::Municipality,
            f.municipality,
            filters
                .municipality
                .iter()
                .map(|c| municipality_code_facet(c))
                .collect(),
        );
        any_of(
            Dimension::Speaker,
            f.speaker,
            filters
                .speaker
                .iter()
                .map(|s| {
                    value_facet(
                        self.speakers
                            .get(&name_key(s))
                            .map_or(s.as_str(), String::as_str),
                    )
                })
                .collect(),
        );
        any_of(
            Dimension::Body,
            f.body,
            filters
                .body
                .iter()
                .map(|b| {
                    value_facet(
                        self.bodies
                            .get(&b.to_lowercase())
                            .map_or(b.as_str(), String::as_str),
                    )
                })
                .collect(),
        );
        if !filters.case_number.is_empty() {
            // Case numbers are exact terms; no facet counts them, so no dimension skips them.
            let should: Vec<(Occur, Box<dyn Query>)> = filters
                .case_number
                .iter()
                .map(|c| {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(
                        Term::from_field_text(f.case_number, c),
                        IndexRecordOption::Basic,
                    ));
                    (Occur::Should, q)
                })
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(should))));
        }
        if (filters.from.is_some() || filters.to.is_some()) && skip != Some(Dimension::Year) {
            // Meeting dates are whole days, so both bounds are inclusive days.
            let bound = |d: Option<paragraf_indexer::Date>| match d {
                None => Bound::Unbounded,
                Some(d) => Bound::Included(Term::from_field_date_for_search(
                    f.date,
                    DateTime::from_timestamp_secs(d.days_since_epoch() * 86_400),
                )),
            };
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(filters.from), bound(filters.to))),
            ));
        }
        if clauses.len() == 1 {
            if let Some((_, only)) = clauses.pop() {
                return only;
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Every value of a facet field (its last path segment: a municipality's code, not its
    /// county's) with its number of items, not truncated, in the order of the values.
    fn all_facet_values(&self, searcher: &Searcher, field: Field) -> Result<Vec<(String, u64)>> {
        let name = self.index.index.schema().get_field_name(field).to_string();
        let counts = searcher.search(&AllQuery, &self.columns.counts(vec![name]))?;
        let mut values: Vec<(String, u64)> = counts
            .into_iter()
            .flatten()
            .map(|(value, count)| (value.to_string(), count))
            .collect();
        values.sort_unstable();
        Ok(values)
    }

    /// The facet dimensions counted in the search's own pass over its matches (those without a
    /// filter of their own), and the collector that counts them; `None` when every dimension
    /// is filtered.
    fn shared_facets(&self, filters: &Filters) -> Option<(FacetGroup, FacetCounts<'_>)> {
        let group: FacetGroup = self
            .facet_dimensions()
            .into_iter()
            .filter(|(d, _)| !has_filter(filters, *d))
            .collect();
        if group.is_empty() {
            return None;
        }
        let counts = self.facet_counts(&group);
        Some((group, counts))
    }

    fn facet_dimensions(&self) -> [(Dimension, Field); 4] {
        let f = self.index.fields;
        [
            (Dimension::Municipality, f.municipality),
            (Dimension::Speaker, f.speaker),
            (Dimension::Body, f.body),
            (Dimension::Year, f.year),
        ]
    }

    fn facet_counts(&self, group: &FacetGroup) -> FacetCounts<'_> {
        let schema = self.index.index.schema();
        let names = group
            .iter()
            .map(|(_, field)| schema.get_field_name(*field).to_string())
            .collect();
        self.columns.counts(names)
    }

    /// The facet counts of a search: `shared` holds the dimensions its own pass counted (see
    /// [`Engine::shared_facets`]); each filtered dimension is counted here in a pass without
    /// its own filter, so choosing one municipality still shows how many items the others
    /// have.
    fn facets(
        &self,
        searcher: &Searcher,
        text: &dyn Query,
        filters: &Filters,
        shared: Option<SharedFacets>,
    ) -> Result<Facets> {
        let mut counts: HashMap<Dimension, HashMap<Arc<str>, u64>> = HashMap::new();
        if let Some((group, fruit)) = shared {
            for ((d, _), values) in group.into_iter().zip(fruit) {
                counts.insert(d, values);
            }
        }
        for (d, field) in self.facet_dimensions() {
            if !has_filter(filters, d) {
                continue;
            }
            let group = vec![(d, field)];
            let query = self.with_filters(text.box_clone(), filters, Some(d));
            let fruit = self.pass(searcher, &*query, &self.facet_counts(&group))?;
            for ((d, _), values) in group.into_iter().zip(fruit) {
                counts.insert(d, values);
            }
        }
        let mut take = |d: Dimension| -> Vec<(String, u64)> {
            let mut values: Vec<(String, u64)> = counts
                .remove(&d)
                .unwrap_or_default()
                .into_iter()
                .map(|(v, c)| (v.to_string(), c))
                .collect();
            values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            values
        };
        let gazetteer = Gazetteer::sweden();
        let municipality = take(Dimension::Municipality)
            .into_iter()
            .filter_map(|(code, count)| {
                // Only municipalities (four digits), not county ancestors.
                let name = gazetteer.by_code(&code)?.name.clone();
                Some(FacetCount {
                    value: code,
                    name: Some(name),
                    count,
                })
            })
            .take(FACET_VALUES)
            .collect();
        let plain = |values: Vec<(String, u64)>| -> Vec<FacetCount> {
            values
                .into_iter()
                .take(FACET_VALUES)
                .map(|(value, count)| FacetCount {
                    value,
                    name: None,
                    count,
                })
                .collect()
        };
        let speaker = plain(take(Dimension::Speaker));
        let body = plain(take(Dimension::Body));
        let mut year = plain(take(Dimension::Year));
        year.sort_by(|a, b| b.value.cmp(&a.value));
        Ok(Facets {
            municipality,
            speaker,
            body,
            year,
        })
    }

    /// The snippet maker for a query: it marks the forms of the text the query looked for.
    fn snippet_generators(&self, query: &dyn Query) -> Snippets {
        let words = self.index.fields.words;
        let mut terms = BTreeMap::new();
        query.query_terms(&mut |term, _| {
            if term.field() == words {
                if let Some(text) = term.value().as_str() {
                    terms.insert(text.to_string(), 1.0);
                }
            }
        });
        let mut generator = SnippetGenerator::new(terms, self.names.clone(), words, SNIPPET_CHARS);
        generator.set_max_num_chars(SNIPPET_CHARS);
        Snippets { generator }
    }
}

/// The snippet maker of a search.
struct Snippets {
    generator: SnippetGenerator,
}

impl Snippets {
    fn make(&self, text: &str) -> String {
        let mut snippet = self.generator.snippet(text);
        if !snippet.highlighted().is_empty() {
            snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
            let range = snippet.fragment_range();
            let before = if range.start > 0 { "… " } else { "" };
            let after = if range.end < text.len() { " …" } else { "" };
            return format!("{before}{}{after}", snippet.to_html().trim());
        }
        // No word of the query is in the text (it matched the title or a name): the opening.
        let opening: String = text.chars().take(SNIPPET_CHARS).collect();
        let ellipsis = if opening.len() < text.len() {
            " …"
        } else {
            ""
        };
        format!("{}{ellipsis}", escape_html(opening.trim_end()))
    }
}

/// Facet dimensions with their fields.
type FacetGroup = Vec<(Dimension, Field)>;

/// Facet dimensions and their counts by value, in the same order.
type SharedFacets = (FacetGroup, Vec<HashMap<Arc<str>, u64>>);

/// What the one pass of a search over its matches collected.
struct Collected {
    total: u64,
    /// The page of hits, with their scores when ranked by relevance.
    addresses: Vec<(Option<f32>, DocAddress)>,
    /// The facet dimensions without a filter of their own and their counts.
    shared_facets: Option<SharedFacets>,
}

/// Facet dimensions, to leave one's own filter out of its counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Dimension {
    Municipality,
    Speaker,
    Body,
    Year,
}

/// Whether the request filters on a dimension (dates filter the years).
fn has_filter(filters: &Filters, d: Dimension) -> bool {
    match d {
        Dimension::Municipality => !filters.municipality.is_empty(),
        Dimension::Speaker => !filters.speaker.is_empty(),
        Dimension::Body => !filters.body.is_empty(),
        Dimension::Year => filters.from.is_some() || filters.to.is_some(),
    }
}

/// The facets of every county (`/23`), under which municipalities are counted.
fn dismax(disjuncts: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    if disjuncts.is_empty() {
        return None;
    }
    Some(Box::new(DisjunctionMaxQuery::with_tie_breaker(
        disjuncts, 0.1,
    )))
}

fn push_field(out: &mut Vec<Box<dyn Query>>, field: Field, words: &[String], boost: f32) {
    out.extend(words_query(field, words, boost));
}

/// The analysed words of a query in one field, boosted: one word a term, several a phrase,
/// none nothing. (Also the stemming-only baseline of `paragraf-bench analysis`.)
pub fn words_query(field: Field, words: &[String], boost: f32) -> Option<Box<dyn Query>> {
    let query: Box<dyn Query> = match words {
        [] => return None,
        [one] => Box::new(TermQuery::new(
            Term::from_field_text(field, one),
            IndexRecordOption::WithFreqsAndPositions,
        )),
        many => Box::new(PhraseQuery::new(
            many.iter()
                .map(|w| Term::from_field_text(field, w))
                .collect(),
        )),
    };
    Some(Box::new(BoostQuery::new(query, boost)))
}

/// Escapes text for HTML.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
