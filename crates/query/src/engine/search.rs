//! [`Engine::search`]: one pass over the matches counts them, keeps the page of hits and counts
//! the unfiltered facets; the hits get their snippets.

use std::time::Instant;

use paragraf_indexer::schema::Fields;
use paragraf_indexer::Item;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::Query;
use tantivy::{DocAddress, Order, Searcher};
use tracing::instrument;

use super::Engine;
use crate::error::Result;
use crate::facet::SharedFacets;
use crate::query::UserQuery;
use crate::request::{Analysis, SearchRequest, Sort};
use crate::response::{Hit, HitMeeting, HitMunicipality, MatchMode, SearchResponse};
use crate::snippet::Snippets;
use crate::suggest::NearWords;

impl Engine {
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
            self.planner
                .text_query(&searcher, &near, &user, mode == MatchMode::Any, analysis);
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
            text_query = self
                .planner
                .text_query(&searcher, &near, &user, true, analysis);
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
        let query = self
            .planner
            .text_query(&searcher, &near, &user, user.any, analysis);
        (searcher, query)
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

    /// The snippet maker for a query: it marks the forms of the text the query looked for.
    fn snippet_generators(&self, query: &dyn Query) -> Snippets {
        Snippets::new(query, self.index.fields.words, self.planner.names().clone())
    }
}

/// What the one pass of a search over its matches collected.
struct Collected {
    total: u64,
    /// The page of hits, with their scores when ranked by relevance.
    addresses: Vec<(Option<f32>, DocAddress)>,
    /// The facet dimensions without a filter of their own and their counts.
    shared_facets: Option<SharedFacets>,
}
