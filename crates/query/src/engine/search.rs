//! [`Engine::search`]: one pass over the matches counts them, keeps the page of hits and counts
//! the unfiltered facets; the hits get their snippets.

use std::time::Instant;

use paragraf_indexer::index::schema::Fields;
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
use crate::response::{Hit, MatchMode, SearchResponse};
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
        let audience = self.audience(req.access);
        let near = NearWords::new(&searcher, self.index.fields.words, audience);
        let mut text_query =
            self.planner
                .text_query(&searcher, &near, &user, mode == MatchMode::Any, analysis);
        let mut full = self.with_filters(text_query.box_clone(), &req.filters, None, audience);
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
                        audience,
                    )?;
                    let top = top.into_iter().map(|((s, _), a)| (Some(s), a)).collect();
                    (total, top, fruit)
                }
                Sort::Date => {
                    let by_date = top().order_by_u64_field(Fields::sort_key_name(), Order::Desc);
                    let (total, top, fruit) =
                        self.pass(&searcher, query, &(Count, by_date, counter), audience)?;
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
            full = self.with_filters(text_query.box_clone(), &req.filters, None, audience);
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

        let facets = self.facets(
            &searcher,
            &*text_query,
            &req.filters,
            shared_facets,
            audience,
        )?;
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
        let near = NearWords::new(&searcher, self.index.fields.words, &self.everyone);
        let query = self
            .planner
            .text_query(&searcher, &near, &user, user.any, analysis);
        (searcher, query)
    }

    fn hit(&self, item: Item, score: Option<f32>, snippets: &Snippets) -> Hit {
        let snippet = snippets.make(Hit::snippet_source(&item)).to_html();
        Hit::from_item(item, score, snippet)
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

#[cfg(test)]
mod tests {
    use super::super::fixture::{concerning, engine, item, spoken_by};
    use super::*;
    use crate::response::FacetCount;

    fn ids(response: &SearchResponse) -> Vec<&str> {
        response.hits.iter().map(|h| h.id.as_str()).collect()
    }

    fn search(engine: &Engine, pairs: &[(&str, &str)]) -> SearchResponse {
        let req = SearchRequest::from_pairs(pairs.iter().copied()).expect("a good request");
        engine.search(&req).expect("search")
    }

    fn count(value: &str, name: Option<&str>, count: u64) -> FacetCount {
        FacetCount {
            value: value.to_string(),
            name: name.map(str::to_string),
            count,
        }
    }

    /// Four items on "förbud" in each way a word can match, one with a word a typo away, and
    /// items on other things so that the words are rare, as in a real archive.
    fn ladder() -> Engine {
        let mut items = vec![
            item("KS/2024-01-10", 1, None, "Ett förbud gäller nu."),
            item("KS/2024-01-10", 2, None, "Ett förbudet gäller nu."),
            item("KS/2024-01-10", 3, None, "Ett besöksförbudet gäller nu."),
            item("KS/2024-01-10", 4, None, "Ett forbud gäller nu."),
            item("KS/2024-01-10", 5, None, "Ett förbuls gäller nu."),
        ];
        for ordinal in 6..100 {
            // Compounds in every item, as in real minutes: the parts field's average length
            // is then a real one.
            items.push(item(
                "KS/2023-06-01",
                ordinal,
                None,
                "Skyddshandskar delas ut.",
            ));
        }
        engine(&items)
    }

    #[test]
    fn ranking_ladder_exact_then_stemmed_then_part_then_folded() {
        let engine = ladder();
        let found = search(&engine, &[("q", "förbud")]);
        assert_eq!(
            ids(&found),
            [
                "ks-2024-01-10.01",
                "ks-2024-01-10.02",
                "ks-2024-01-10.03",
                "ks-2024-01-10.04"
            ]
        );
        assert_eq!(found.mode, MatchMode::All);
        assert_eq!(found.did_you_mean, None);
        let scores: Vec<f32> = found.hits.iter().filter_map(|h| h.score).collect();
        assert!(scores.windows(2).all(|w| w[0] > w[1]), "{scores:?}");
    }

    #[test]
    fn typos_rank_last_and_only_for_words_no_item_holds() {
        let engine = ladder();
        // "förbuds" is in no item, but it is a form of "förbud" (the lexicon's paradigm) and
        // items hold other forms of it: those, the compound part and the folded spelling are
        // what the user meant, and no word a typo away ("förbuls") is looked for.
        let found = search(&engine, &[("q", "förbuds")]);
        assert_eq!(
            ids(&found),
            [
                "ks-2024-01-10.01",
                "ks-2024-01-10.02",
                "ks-2024-01-10.03",
                "ks-2024-01-10.04"
            ]
        );
        assert_eq!(found.did_you_mean.as_deref(), Some("förbud"));
        // A word that exists is what the user meant: no typo matches.
        assert_eq!(
            ids(&search(&engine, &[("q", "förbuls")])),
            ["ks-2024-01-10.05"]
        );
        // Plain analysis: lower-cased words only.
        let mut plain = SearchRequest::new("förbud");
        plain.analysis = Analysis::Plain;
        let found = engine.search(&plain).expect("search");
        assert_eq!(ids(&found), ["ks-2024-01-10.01"]);
        assert_eq!(found.did_you_mean, None);
    }

    fn council() -> Engine {
        engine(&[
            spoken_by(
                concerning(
                    item(
                        "KS/2024-03-12",
                        1,
                        Some("Budget 2025"),
                        "Budgeten för Krokom antas.",
                    ),
                    &["Krokom"],
                ),
                &["Elin Ring"],
            ),
            spoken_by(
                concerning(
                    item(
                        "KS/2024-03-12",
                        2,
                        None,
                        "Budgeten för Östersund & <Åre> bordläggs.",
                    ),
                    &["Östersund", "Åre"],
                ),
                &["Jan Persson"],
            ),
            concerning(
                item("BUN/2022-05-04", 1, None, "Skolans budget följs upp."),
                &["Krokom"],
            ),
            item("BUN/2022-05-04", 2, None, "Lokalerna för skolan ses över."),
        ])
    }

    #[test]
    fn filters_and_the_facets_of_the_other_filters() {
        let engine = council();
        let all = search(&engine, &[("q", "budget")]);
        // The title weighs most, then the exact spelling, then other forms ("Budgeten").
        assert_eq!(
            ids(&all),
            ["ks-2024-03-12.01", "bun-2022-05-04.01", "ks-2024-03-12.02"]
        );
        assert_eq!(all.total, 3);
        assert_eq!(
            all.facets.municipality,
            [
                count("2309", Some("Krokom"), 2),
                count("2321", Some("Åre"), 1),
                count("2380", Some("Östersund"), 1)
            ]
        );
        assert_eq!(
            all.facets.speaker,
            [count("Elin Ring", None, 1), count("Jan Persson", None, 1)]
        );
        assert_eq!(
            all.facets.body,
            [count("KS", None, 2), count("BUN", None, 1)]
        );
        assert_eq!(
            all.facets.year,
            [count("2024", None, 2), count("2022", None, 1)]
        );

        // A municipality filter by name; its own facet still counts the other municipalities.
        let krokom = search(&engine, &[("q", "budget"), ("municipality", "Krokom")]);
        assert_eq!(ids(&krokom), ["ks-2024-03-12.01", "bun-2022-05-04.01"]);
        assert_eq!(krokom.facets.municipality, all.facets.municipality);
        assert_eq!(
            krokom.facets.body,
            [count("BUN", None, 1), count("KS", None, 1)]
        );

        // A county code matches its municipalities; filters of one kind are OR, kinds AND.
        let county = search(&engine, &[("municipality", "23"), ("body", "ks")]);
        assert_eq!(ids(&county), ["ks-2024-03-12.01", "ks-2024-03-12.02"]);
        assert_eq!(county.mode, MatchMode::None);
        assert_eq!(county.sort, Sort::Date);

        // Speakers in any case; dates by year, inclusive.
        let spoken = search(&engine, &[("q", "budget"), ("speaker", "elin ring")]);
        assert_eq!(ids(&spoken), ["ks-2024-03-12.01"]);
        let old = search(
            &engine,
            &[("q", "budget"), ("from", "2020"), ("to", "2022")],
        );
        assert_eq!(ids(&old), ["bun-2022-05-04.01"]);
        assert_eq!(old.facets.year, all.facets.year);
        let listing = search(&engine, &[("from", "2022-05-04"), ("to", "2022-05-04")]);
        assert_eq!(ids(&listing), ["bun-2022-05-04.01", "bun-2022-05-04.02"]);
    }

    #[test]
    fn all_words_then_any_word() {
        let engine = council();
        let both = search(&engine, &[("q", "budget skolan")]);
        assert_eq!(ids(&both), ["bun-2022-05-04.01"]);
        assert_eq!(both.mode, MatchMode::All);
        // No item has both: any word, and the mode says so.
        let either = search(&engine, &[("q", "lokalerna krokom")]);
        assert_eq!(either.mode, MatchMode::Any);
        assert_eq!(ids(&either), ["bun-2022-05-04.02", "ks-2024-03-12.01"]);
    }

    #[test]
    fn snippets_mark_the_words_and_escape_the_text() {
        let engine = council();
        let found = search(&engine, &[("q", "budgeten"), ("municipality", "2380")]);
        assert_eq!(
            found.hits[0].snippet,
            "<mark>Budgeten</mark> för Östersund &amp; &lt;Åre&gt; bordläggs …"
        );
        // Matched in the title only: the opening of the text, escaped.
        let found = search(&engine, &[("q", "2025")]);
        assert_eq!(ids(&found), ["ks-2024-03-12.01"]);
        assert_eq!(found.hits[0].snippet, "Budgeten för Krokom antas.");
        assert_eq!(found.hits[0].title.as_deref(), Some("Budget 2025"));
        assert_eq!(
            found.hits[0].municipalities,
            [crate::response::HitMunicipality {
                name: "Krokom".into(),
                code: "2309".into(),
                county: "Jämtlands län".into()
            }]
        );
    }

    #[test]
    fn paging_by_date() {
        let engine = council();
        let page = search(
            &engine,
            &[("sort", "date"), ("limit", "2"), ("offset", "1")],
        );
        assert_eq!(page.total, 4);
        // Newest meeting first, then agenda order.
        assert_eq!(ids(&page), ["ks-2024-03-12.02", "bun-2022-05-04.01"]);
        assert!(page.hits.iter().all(|h| h.score.is_none()));
    }
}
