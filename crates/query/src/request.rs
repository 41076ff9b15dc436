//! What a search asks for: [`SearchRequest`], checked, and the choices it carries
//! ([`Analysis`], [`Sort`]).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::filter::{parse_date, Area, CaseNumber, DateRange, Filters};
use crate::limits::{DEFAULT_LIMIT, MAX_DEPTH, MAX_LIMIT, MAX_QUERY_CHARS};

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

/// The parameters of a search as a URL carries them (`q`, repeatable `municipality`,
/// `speaker`, `body`, `case_number` or `dnr`, `from`, `to`, `sort`, `limit`, `offset`), not yet
/// checked: [`SearchRequest::from_params`] checks them. Blank values count as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Case numbers (Dnr).
    pub case_number: Vec<String>,
    /// Case numbers given as `dnr`, the same filter as `case_number`.
    pub dnr: Vec<String>,
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
    /// place of the one before; unknown keys are ignored. The value is checked on its own
    /// now, so that of several bad pairs the first in the URL is the one reported.
    pub fn push(&mut self, key: &str, value: &str) -> Result<()> {
        let blank = value.trim().is_empty();
        match key {
            "q" => self.q = value.to_string(),
            "municipality" if !blank => {
                Area::parse(value)?;
                self.municipality.push(value.to_string());
            }
            "speaker" if !blank => self.speaker.push(value.to_string()),
            "body" if !blank => self.body.push(value.to_string()),
            // One list for both names keeps the filter's values in the URL's order.
            "case_number" | "dnr" if !blank => {
                CaseNumber::parse(value)?;
                self.case_number.push(value.to_string());
            }
            "from" if !blank => {
                parse_date("from", value, false)?;
                self.from = Some(value.to_string());
            }
            "to" if !blank => {
                parse_date("to", value, true)?;
                self.to = Some(value.to_string());
            }
            "sort" if !value.is_empty() => {
                parse_sort(value)?;
                self.sort = Some(value.to_string());
            }
            "limit" if !value.is_empty() => {
                parse_count("limit", value)?;
                self.limit = Some(value.to_string());
            }
            "offset" if !value.is_empty() => {
                parse_count("offset", value)?;
                self.offset = Some(value.to_string());
            }
            _ => {}
        }
        Ok(())
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
        for value in params
            .case_number
            .iter()
            .chain(&params.dnr)
            .filter(|v| given(v))
        {
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
        if self.offset.saturating_add(self.limit) > MAX_DEPTH {
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
