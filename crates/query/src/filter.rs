//! Typed facet filters and their parsing from request parameters.
//!
//! Repeated values of one filter are OR, different filters AND (as in Meilisearch's facet
//! filters). Municipalities are given by name ("Krokom"), municipality code ("2309") or
//! county code ("23"); a county code matches every municipality of the county through the
//! hierarchical facet `/23/2309`.

use std::collections::HashMap;
use std::fmt;
use std::ops::Bound;

use paragraf_indexer::index::schema::{municipality_code_facet, value_facet, Fields};
use paragraf_indexer::minutes::place::{is_county_code, is_municipality_code, Gazetteer};
use paragraf_indexer::minutes::speaker::name_key;
use paragraf_indexer::Date;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{DateTime, Term};

use crate::error::{Error, Result};

/// Filters of a search, checked: each value is parsed once, when the request is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Municipalities or counties.
    pub municipality: Vec<Area>,
    /// Speaker names as given (any spelling variant or case of a name in the index).
    pub speaker: Vec<String>,
    /// Body names as given (any case).
    pub body: Vec<String>,
    /// Case numbers (Dnr, diarienummer).
    pub case_number: Vec<CaseNumber>,
    /// Meeting dates.
    pub dates: DateRange,
    /// Meeting ids: the items of these meetings (the meeting view; no URL parameter).
    pub meeting: Vec<String>,
}

impl Filters {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        self.municipality.is_empty()
            && self.speaker.is_empty()
            && self.body.is_empty()
            && self.case_number.is_empty()
            && self.dates.is_unbounded()
            && self.meeting.is_empty()
    }
}

/// What a municipality filter stands for: an SCB code, of one municipality or of a county
/// (which matches every municipality of the county through the facet `/23/2309`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Area {
    /// A municipality by its four-digit code ("2380").
    Municipality(String),
    /// A county by its two-digit code ("23").
    County(String),
}

impl Area {
    /// A municipality filter value: a name ("Krokom", looked up), a municipality code
    /// ("2309") or a county code ("23").
    pub fn parse(value: &str) -> Result<Area> {
        let code = municipality_code(value)?;
        Ok(if is_county_code(&code) {
            Area::County(code)
        } else {
            Area::Municipality(code)
        })
    }

    /// The SCB code.
    pub fn code(&self) -> &str {
        match self {
            Area::Municipality(code) | Area::County(code) => code,
        }
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A case number (Dnr, diarienummer) normalised as the index stores it: `KS 2013/123`, or
/// `2013/123` for any register.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CaseNumber(String);

impl CaseNumber {
    /// A case-number filter value ("dnr ks-2013/123"); see [`case_number`].
    pub fn parse(value: &str) -> Result<CaseNumber> {
        case_number(value).map(CaseNumber)
    }

    /// The normalised case number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Meeting dates from `from` to `to`, both included; an absent end is open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateRange {
    /// First meeting date included.
    pub from: Option<Date>,
    /// Last meeting date included.
    pub to: Option<Date>,
}

impl DateRange {
    /// Whether neither end is set.
    pub fn is_unbounded(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }

    /// Refuses a range whose start is after its end.
    pub fn check(&self) -> Result<()> {
        if let (Some(from), Some(to)) = (self.from, self.to) {
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

/// A municipality filter value as an SCB code: a name is looked up, a code is checked for
/// its form ("2380", "23").
pub fn municipality_code(value: &str) -> Result<String> {
    let value = value.trim();
    let sweden = Gazetteer::sweden();
    // A well-formed code of no municipality or county ("9999") is refused as an unknown name
    // is, rather than finding nothing.
    if is_municipality_code(value) && sweden.by_code(value).is_some()
        || is_county_code(value) && sweden.iter().any(|m| m.county_code == value)
    {
        return Ok(value.to_string());
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::InvalidMunicipality(value.to_string()));
    }
    sweden
        .lookup(value)
        .map(|m| m.code.clone())
        .ok_or_else(|| Error::InvalidMunicipality(value.to_string()))
}

/// A case-number filter value normalised as the index stores it ("dnr ks-2013/123" →
/// `KS 2013/123`); a value with no number in it is refused.
pub fn case_number(value: &str) -> Result<String> {
    let value = value.trim();
    // Any form one municipality writes: "KS/2013:123", "Dnr KS 2013/0123", "ks-2013-123".
    let normal = paragraf_indexer::minutes::protokoll::normalize_case_number(value);
    if !normal.contains('/') || !normal.chars().any(|c| c.is_ascii_digit()) {
        return Err(Error::InvalidParameter {
            param: "case_number".into(),
            message: format!("{value:?} is not a case number; write it as KS 2013/123 or 2013/123"),
        });
    }
    Ok(normal)
}

/// The first meeting date the index can hold: dates are stored as nanoseconds since 1970 in
/// an `i64` (tantivy's `DateTime`), which reach back to 1677-09-21 00:12:43.
pub const FIRST_DATE: Date = Date {
    year: 1677,
    month: 9,
    day: 22,
};
/// The last meeting date the index can hold: the `i64` nanoseconds end at 2262-04-11
/// 23:47:16, and a later bound wrapped around (issue #17: `from=3000` listed everything).
pub const LAST_DATE: Date = Date {
    year: 2262,
    month: 4,
    day: 11,
};

/// Parses a date bound: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` meaning the first (`end = false`)
/// or last (`end = true`) day of that period; from [`FIRST_DATE`] to [`LAST_DATE`].
pub fn parse_date(param: &'static str, value: &str, end: bool) -> Result<Date> {
    let date = parse_any_date(param, value, end)?;
    if !(FIRST_DATE..=LAST_DATE).contains(&date) {
        return Err(Error::DateOutOfRange {
            param,
            value: value.to_string(),
        });
    }
    Ok(date)
}

fn parse_any_date(param: &'static str, value: &str, end: bool) -> Result<Date> {
    let bad = || Error::InvalidDate {
        param,
        value: value.to_string(),
    };
    let (start, precision) = paragraf_indexer::date::parse_partial_date(value).ok_or_else(bad)?;
    if !end {
        return Ok(start);
    }
    use paragraf_indexer::DatePrecision::*;
    let last = match precision {
        Day => start,
        Month => Date::new(
            start.year,
            start.month,
            paragraf_indexer::date::days_in_month(start.year, start.month),
        )
        .ok_or_else(bad)?,
        Year => Date::new(start.year, 12, 31).ok_or_else(bad)?,
    };
    Ok(last)
}

/// The names the index holds for speakers and bodies, by the keys filter values are compared
/// on, so a filter matches any spelling variant or case.
#[derive(Debug, Clone, Default)]
pub(crate) struct Aliases {
    /// Speaker names by [`name_key`].
    speakers: HashMap<String, String>,
    /// Body names by lower case.
    bodies: HashMap<String, String>,
}

impl Aliases {
    /// Adds a speaker name of the index.
    pub(crate) fn add_speaker(&mut self, name: &str) {
        self.speakers.insert(name_key(name), name.to_string());
    }

    /// Adds a body name of the index.
    pub(crate) fn add_body(&mut self, body: &str) {
        self.bodies.insert(body.to_lowercase(), body.to_string());
    }

    fn speaker<'a>(&'a self, given: &'a str) -> &'a str {
        self.speakers
            .get(&name_key(given))
            .map_or(given, String::as_str)
    }

    fn body<'a>(&'a self, given: &'a str) -> &'a str {
        self.bodies
            .get(&given.to_lowercase())
            .map_or(given, String::as_str)
    }
}

/// Facet dimensions, to leave one's own filter out of its counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Dimension {
    Municipality,
    Speaker,
    Body,
    Year,
}

/// Whether the request filters on a dimension (dates filter the years).
pub(crate) fn has_filter(filters: &Filters, d: Dimension) -> bool {
    match d {
        Dimension::Municipality => !filters.municipality.is_empty(),
        Dimension::Speaker => !filters.speaker.is_empty(),
        Dimension::Body => !filters.body.is_empty(),
        Dimension::Year => !filters.dates.is_unbounded(),
    }
}

/// The text query ANDed with every filter except `skip`.
pub(crate) fn with_filters(
    text: Box<dyn Query>,
    filters: &Filters,
    skip: Option<Dimension>,
    f: &Fields,
    aliases: &Aliases,
) -> Box<dyn Query> {
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
            .map(|a| municipality_code_facet(a.code()))
            .collect(),
    );
    any_of(
        Dimension::Speaker,
        f.speaker,
        filters
            .speaker
            .iter()
            .map(|s| value_facet(aliases.speaker(s)))
            .collect(),
    );
    any_of(
        Dimension::Body,
        f.body,
        filters
            .body
            .iter()
            .map(|b| value_facet(aliases.body(b)))
            .collect(),
    );
    if !filters.case_number.is_empty() {
        // Case numbers are exact terms; no facet counts them, so no dimension skips them.
        let should: Vec<(Occur, Box<dyn Query>)> = filters
            .case_number
            .iter()
            .map(|c| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(f.case_number, c.as_str()),
                    IndexRecordOption::Basic,
                ));
                (Occur::Should, q)
            })
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(should))));
    }
    if !filters.meeting.is_empty() {
        let should: Vec<(Occur, Box<dyn Query>)> = filters
            .meeting
            .iter()
            .map(|id| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(f.meeting_id, id),
                    IndexRecordOption::Basic,
                ));
                (Occur::Should, q)
            })
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(should))));
    }
    if !filters.dates.is_unbounded() && skip != Some(Dimension::Year) {
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
            Box::new(RangeQuery::new(
                bound(filters.dates.from),
                bound(filters.dates.to),
            )),
        ));
    }
    if clauses.len() == 1 {
        if let Some((_, only)) = clauses.pop() {
            return only;
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn municipality_by_name_or_code() {
        assert_eq!(municipality_code("Krokom").ok(), Some("2309".to_string()));
        assert_eq!(
            municipality_code("östersund").ok(),
            Some("2380".to_string())
        );
        assert_eq!(municipality_code("2380").ok(), Some("2380".to_string()));
        assert_eq!(municipality_code("23").ok(), Some("23".to_string()));
        assert_eq!(
            municipality_code("238").map_err(|e| e.to_string()),
            Err("municipality: \"238\" is not a municipality name, a four-digit municipality code (2380) or a two-digit county code (23)".to_string())
        );
        assert_eq!(
            municipality_code("Atlantis").map_err(|e| e.to_string()),
            Err("municipality: \"Atlantis\" is not a municipality name, a four-digit municipality code (2380) or a two-digit county code (23)".to_string())
        );
    }

    #[test]
    fn case_numbers_are_normalised() {
        assert_eq!(
            case_number("KS 2013/123").ok(),
            Some("KS 2013/123".to_string())
        );
        assert_eq!(
            case_number("Dnr ks-2013/123").ok(),
            Some("KS 2013/123".to_string())
        );
        assert_eq!(
            case_number("ks-2013-0123").ok(),
            Some("KS 2013/123".to_string())
        );
        assert_eq!(case_number(" 2013/123 ").ok(), Some("2013/123".to_string()));
        assert_eq!(
            case_number("budget").map_err(|e| e.to_string()),
            Err(
                "case_number: \"budget\" is not a case number; write it as KS 2013/123 or 2013/123"
                    .to_string()
            )
        );
    }

    #[test]
    fn date_bounds() {
        assert_eq!(
            parse_date("from", "2022", false).ok(),
            Date::new(2022, 1, 1)
        );
        assert_eq!(parse_date("to", "2022", true).ok(), Date::new(2022, 12, 31));
        assert_eq!(
            parse_date("to", "2024-02", true).ok(),
            Date::new(2024, 2, 29)
        );
        assert_eq!(
            parse_date("from", "igår", false).map_err(|e| e.to_string()),
            Err("from: \"igår\" is not a date; write YYYY-MM-DD (or YYYY-MM, YYYY)".to_string())
        );
    }

    #[test]
    fn dates_the_index_cannot_hold_are_refused() {
        let out_of_range = |param, value: &str| {
            Err(format!(
                "{param}: {value:?} is outside the dates the index can hold, 1677-09-22 to 2262-04-11"
            ))
        };
        for (param, value, end) in [
            ("from", "3000", false),
            ("to", "9999-12-31", true),
            ("to", "2262", true),
            ("from", "2262-04-12", false),
            ("from", "0001-01-01", false),
            ("to", "1677-09-21", true),
        ] {
            assert_eq!(
                parse_date(param, value, end).map_err(|e| e.to_string()),
                out_of_range(param, value),
                "{value}"
            );
        }
        assert_eq!(parse_date("to", "2262-04-11", true).ok(), Some(LAST_DATE));
        assert_eq!(
            parse_date("from", "1677-09-22", false).ok(),
            Some(FIRST_DATE)
        );
        // April 2262 as an end is its 30th, past the last day.
        assert!(parse_date("to", "2262-04", true).is_err());
    }

    #[test]
    fn areas_and_ranges_are_typed() {
        assert_eq!(
            Area::parse(" Krokom ").ok(),
            Some(Area::Municipality("2309".into()))
        );
        assert_eq!(Area::parse("23").ok(), Some(Area::County("23".into())));
        assert_eq!(Area::County("23".into()).to_string(), "23");
        assert_eq!(
            CaseNumber::parse("Dnr ks-2013/123")
                .map(|c| c.to_string())
                .ok(),
            Some("KS 2013/123".to_string())
        );
        let range = DateRange {
            from: Date::new(2024, 1, 1),
            to: Date::new(2023, 12, 31),
        };
        assert_eq!(
            range.check().map_err(|e| e.to_string()),
            Err("from (2024-01-01) is after to (2023-12-31)".to_string())
        );
        assert!(DateRange::default().is_unbounded());
        let filters = Filters {
            dates: DateRange {
                from: None,
                to: Date::new(2023, 12, 31),
            },
            ..Filters::default()
        };
        assert!(!filters.is_empty());
        assert!(has_filter(&filters, Dimension::Year));
        assert!(!has_filter(&filters, Dimension::Municipality));
    }
}
