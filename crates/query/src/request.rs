//! What a search asks for: [`SearchRequest`], checked, and the choices it carries
//! ([`Analysis`], [`Sort`]).

use serde::{Deserialize, Serialize};

use crate::access::Access;
use crate::error::{Error, Result};
use crate::filter::{parse_date, Area, CaseNumber, DateRange, Filters};
use crate::limits::{DEFAULT_LIMIT, EXPORT_ROWS, MAX_DEPTH, MAX_LIMIT, MAX_QUERY_CHARS};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first.
    Relevance,
    /// Newest meeting first, then agenda order.
    Date,
}

/// A checked search request. Build one from URL parameters ([`SearchRequest::from_params`],
/// [`SearchRequest::from_pairs`]) or directly from typed values, then [`SearchRequest::check`]
/// it (the engine checks it again):
///
/// ```
/// use paragraf_query::{Area, SearchRequest, Sort};
///
/// let mut req = SearchRequest::new("munskydd");
/// req.filters.municipality.push(Area::parse("Krokom")?);
/// req.sort = Some(Sort::Date);
/// req.check()?;
/// assert_eq!(req.filters.municipality, [Area::Municipality("2309".into())]);
/// # Ok::<(), paragraf_query::Error>(())
/// ```
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
    /// The deepest `offset + limit` allowed: [`MAX_DEPTH`], or up to [`EXPORT_ROWS`] for an
    /// export that pages through a whole result.
    pub max_depth: usize,
    /// Who asks: what the engine lets the search see (public items only by default).
    pub access: Access,
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
            max_depth: MAX_DEPTH,
            access: Access::Public,
        }
    }
}

/// The parameters of a search as a URL carries them (`q`, repeatable `municipality`,
/// `speaker`, `body`, `case_number` or `dnr`, `from`, `to`, `sort`, `limit`, `offset`), not yet
/// checked: [`SearchRequest::from_params`] checks them. Blank values count as absent.
///
/// It deserializes from URL query pairs with repeated keys (`serde_urlencoded`, axum's
/// `Query`), a repeated key adding a value, and from JSON with lists:
///
/// ```
/// use paragraf_query::{SearchParams, SearchRequest};
///
/// let params: SearchParams =
///     serde_urlencoded::from_str("q=munskydd&municipality=2309&municipality=23").unwrap();
/// assert_eq!(params.municipality, ["2309", "23"]);
/// let req = SearchRequest::from_params(params)?;
/// assert_eq!(req.filters.municipality.len(), 2);
/// # Ok::<(), paragraf_query::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
// Every parameter may be left out (`serde(default)` tells the OpenAPI document so).
#[serde(default)]
pub struct SearchParams {
    /// What the user typed.
    pub q: String,
    /// Municipality names, municipality codes or county codes.
    pub municipality: Vec<String>,
    /// Speaker names.
    pub speaker: Vec<String>,
    /// Body names.
    pub body: Vec<String>,
    /// Case numbers (Dnr); given as `case_number` or `dnr`.
    pub case_number: Vec<String>,
    /// First date: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub from: Option<String>,
    /// Last date, the end of the month or year when coarser than a day.
    pub to: Option<String>,
    /// `relevance` or `date`.
    pub sort: Option<String>,
    /// Number of hits.
    pub limit: Option<String>,
    /// Hits to skip.
    pub offset: Option<String>,
}

impl SearchParams {
    /// Adds one URL pair: a repeatable key gets one more value, another key the value in
    /// place of the one before; blank filter values are ignored and an unknown key is an
    /// [`Error::UnknownParameter`] (a misspelt filter must not return unfiltered results). The value
    /// is checked on its own now, so that of several bad pairs the first in the URL is the
    /// one reported.
    pub fn push(&mut self, key: &str, value: &str) -> Result<()> {
        let blank = value.trim().is_empty();
        match key {
            "municipality" if !blank => {
                Area::parse(value)?;
            }
            "case_number" | "dnr" if !blank => {
                CaseNumber::parse(value)?;
            }
            "from" if !blank => {
                parse_date("from", value, false)?;
            }
            "to" if !blank => {
                parse_date("to", value, true)?;
            }
            "sort" if !value.is_empty() => {
                parse_sort(value)?;
            }
            "limit" | "offset" if !value.is_empty() => {
                parse_count(key, value)?;
            }
            "q" | "municipality" | "speaker" | "body" | "case_number" | "dnr" | "from" | "to"
            | "sort" | "limit" | "offset" => {}
            _ => return Err(Error::UnknownParameter(key.to_string())),
        }
        self.insert(key, value);
        Ok(())
    }

    /// Adds one pair without checking it (see [`SearchParams::push`]).
    fn insert(&mut self, key: &str, value: &str) {
        let blank = value.trim().is_empty();
        let value = value.to_string();
        match key {
            "q" => self.q = value,
            "municipality" if !blank => self.municipality.push(value),
            "speaker" if !blank => self.speaker.push(value),
            "body" if !blank => self.body.push(value),
            // One list for both names keeps the filter's values in the URL's order.
            "case_number" | "dnr" if !blank => self.case_number.push(value),
            "from" if !blank => self.from = Some(value),
            "to" if !blank => self.to = Some(value),
            "sort" if !value.is_empty() => self.sort = Some(value),
            "limit" if !value.is_empty() => self.limit = Some(value),
            "offset" if !value.is_empty() => self.offset = Some(value),
            _ => {}
        }
    }
}

impl<'de> Deserialize<'de> for SearchParams {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        /// A value: one string (a URL pair), several (a JSON list) or none (JSON `null`).
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Values {
            One(String),
            Many(Vec<String>),
            Absent,
        }

        struct Pairs;

        impl<'de> serde::de::Visitor<'de> for Pairs {
            type Value = SearchParams;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("search parameters")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<SearchParams, A::Error> {
                let mut params = SearchParams::default();
                while let Some((key, values)) = map.next_entry::<String, Values>()? {
                    match values {
                        Values::One(value) => params.insert(&key, &value),
                        Values::Many(values) => {
                            for value in values {
                                params.insert(&key, &value);
                            }
                        }
                        Values::Absent => {}
                    }
                }
                Ok(params)
            }
        }

        deserializer.deserialize_map(Pairs)
    }
}

impl SearchRequest {
    /// A request for these words with the defaults: no filters, the default order and
    /// [`DEFAULT_LIMIT`] hits.
    pub fn new(q: impl Into<String>) -> SearchRequest {
        SearchRequest {
            q: q.into(),
            ..SearchRequest::default()
        }
    }

    /// Builds and checks a request from URL query pairs; repeated keys are kept
    /// (`municipality=2309&municipality=2380`). Unknown keys are ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self> {
        let mut params = SearchParams::default();
        for (key, value) in pairs {
            params.push(key, value)?;
        }
        SearchRequest::from_params(params)
    }

    /// Checks raw parameters and parses each value once: municipalities to [`Area`]s, case
    /// numbers normalised, dates to a [`DateRange`]. Blank values count as absent.
    pub fn from_params(params: SearchParams) -> Result<Self> {
        let given = |v: &String| !v.trim().is_empty();
        let mut req = SearchRequest {
            q: params.q,
            ..SearchRequest::default()
        };
        for value in params.municipality.iter().filter(|v| given(v)) {
            req.filters.municipality.push(Area::parse(value)?);
        }
        req.filters.speaker = trimmed(&params.speaker);
        req.filters.body = trimmed(&params.body);
        for value in params.case_number.iter().filter(|v| given(v)) {
            req.filters.case_number.push(CaseNumber::parse(value)?);
        }
        let from = params.from.filter(given);
        let to = params.to.filter(given);
        req.filters.dates = DateRange {
            from: from.map(|v| parse_date("from", &v, false)).transpose()?,
            to: to.map(|v| parse_date("to", &v, true)).transpose()?,
        };
        if let Some(sort) = params.sort.filter(|v| !v.is_empty()) {
            req.sort = Some(parse_sort(&sort)?);
        }
        if let Some(limit) = params.limit.filter(|v| !v.is_empty()) {
            req.limit = parse_count("limit", &limit)?;
        }
        if let Some(offset) = params.offset.filter(|v| !v.is_empty()) {
            req.offset = parse_count("offset", &offset)?;
        }
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
        if self.offset.saturating_add(self.limit) > self.max_depth.min(EXPORT_ROWS) {
            return Err(Error::OffsetTooDeep(self.offset));
        }
        self.filters.dates.check()
    }
}

/// The non-blank values, trimmed.
fn trimmed(values: &[String]) -> Vec<String> {
    values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

fn parse_sort(value: &str) -> Result<Sort> {
    match value {
        "relevance" => Ok(Sort::Relevance),
        "date" => Ok(Sort::Date),
        other => Err(Error::InvalidParameter {
            param: "sort".into(),
            message: format!("{other:?} is not an order; use relevance or date"),
        }),
    }
}

fn parse_count(param: &str, value: &str) -> Result<usize> {
    value.trim().parse().map_err(|_| Error::InvalidParameter {
        param: param.to_string(),
        message: format!("{value:?} is not a whole number"),
    })
}

#[cfg(test)]
mod tests {
    use paragraf_indexer::Date;

    use super::*;

    fn message(pairs: &[(&str, &str)]) -> String {
        match SearchRequest::from_pairs(pairs.iter().copied()) {
            Ok(req) => panic!("{pairs:?} gave {req:?}"),
            Err(e) => e.to_string(),
        }
    }

    /// Unknown keys were ignored, so a misspelt filter returned unfiltered results (issue 18).
    #[test]
    fn an_unknown_parameter_is_refused_by_name() {
        assert_eq!(
            message(&[("q", "munskydd"), ("speker", "Elin Ring")]),
            "speker: no such parameter; /api/search takes q, municipality, speaker, body, case_number (or dnr), from, to, sort, limit and offset"
        );
    }

    #[test]
    fn values_are_parsed_once_into_typed_filters() {
        let req = SearchRequest::from_pairs([
            ("q", "munskydd"),
            ("municipality", "Krokom"),
            ("municipality", " 23 "),
            ("municipality", " "),
            ("speaker", " Elin Ring "),
            ("body", "KS"),
            ("dnr", "dnr ks-2013/123"),
            ("case_number", "2014/7"),
            ("from", "2022"),
            ("to", "2024-02"),
            ("sort", "date"),
            ("limit", " 20"),
            ("offset", "40"),
        ])
        .expect("good");
        assert_eq!(req.q, "munskydd");
        assert_eq!(
            req.filters.municipality,
            [Area::Municipality("2309".into()), Area::County("23".into())]
        );
        assert_eq!(req.filters.speaker, ["Elin Ring"]);
        assert_eq!(req.filters.body, ["KS"]);
        let cases: Vec<&str> = req.filters.case_number.iter().map(|c| c.as_str()).collect();
        assert_eq!(cases, ["KS 2013/123", "2014/7"]);
        assert_eq!(
            req.filters.dates,
            DateRange {
                from: Date::new(2022, 1, 1),
                to: Date::new(2024, 2, 29)
            }
        );
        assert_eq!(
            (req.sort, req.limit, req.offset),
            (Some(Sort::Date), 20, 40)
        );
    }

    #[test]
    fn params_from_a_url_or_json_give_the_same_request() {
        let url = "q=vård&municipality=2309&municipality=2380&dnr=KS+2013%2F123&limit=5&sort=";
        let from_url: SearchParams = serde_urlencoded::from_str(url).expect("url");
        let from_json: SearchParams = serde_json::from_str(
            r#"{"q": "vård", "municipality": ["2309", "2380"], "case_number": "KS 2013/123",
                "limit": "5", "sort": null}"#,
        )
        .expect("json");
        assert_eq!(from_url, from_json);
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(url).expect("pairs");
        let from_pairs =
            SearchRequest::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(
            SearchRequest::from_params(from_url).expect("good"),
            from_pairs.expect("good")
        );
    }

    #[test]
    fn the_same_messages_as_before() {
        assert_eq!(
            message(&[("municipality", "Atlantis")]),
            "municipality: \"Atlantis\" is not a municipality name, a four-digit municipality code (2380) or a two-digit county code (23)"
        );
        assert_eq!(
            message(&[("from", "2024"), ("to", "2023")]),
            "from (2024-01-01) is after to (2023-12-31)"
        );
        assert_eq!(
            message(&[("sort", "newest")]),
            "sort: \"newest\" is not an order; use relevance or date"
        );
        assert_eq!(
            message(&[("limit", "0")]),
            "limit: 0 is out of range; use 1 to 100"
        );
        assert_eq!(
            message(&[("offset", "ten")]),
            "offset: \"ten\" is not a whole number"
        );
        // Of several bad pairs, the first in the URL is reported, also when its key is
        // repeated later with a good value.
        assert_eq!(
            message(&[("limit", "x"), ("municipality", "Atlantis"), ("limit", "5")]),
            "limit: \"x\" is not a whole number"
        );
        assert_eq!(
            message(&[("to", "igår"), ("from", "2022")]),
            "to: \"igår\" is not a date; write YYYY-MM-DD (or YYYY-MM, YYYY)"
        );
    }

    #[test]
    fn a_request_built_without_strings_is_checked() {
        let mut req = SearchRequest::new("budget");
        req.filters.dates = DateRange {
            from: Date::new(2024, 1, 1),
            to: Date::new(2023, 1, 1),
        };
        assert!(matches!(req.check(), Err(Error::InvertedDateRange { .. })));
        req.filters.dates = DateRange::default();
        req.limit = MAX_LIMIT;
        req.offset = MAX_DEPTH - MAX_LIMIT;
        assert!(req.check().is_ok());
        req.offset += 1;
        assert!(matches!(req.check(), Err(Error::OffsetTooDeep(901))));
    }
}
