//! Typed facet filters and their parsing from request parameters.
//!
//! Repeated values of one filter are OR, different filters AND (as in Meilisearch's facet
//! filters). Municipalities are given by name ("Krokom"), municipality code ("2309") or
//! county code ("23"); a county code matches every municipality of the county through the
//! hierarchical facet `/23/2309`.

use paragraf_indexer::place::{is_county_code, is_municipality_code, Gazetteer};
use paragraf_indexer::Date;

use crate::error::{Error, Result};

/// Filters of a search, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Municipality (four digits) or county (two digits) codes.
    pub municipality: Vec<String>,
    /// Speaker names as given.
    pub speaker: Vec<String>,
    /// Body names as given.
    pub body: Vec<String>,
    /// Case numbers (Dnr, diarienummer), normalised: `KS 2013/123`, or `2013/123` for any
    /// register.
    pub case_number: Vec<String>,
    /// First meeting date included.
    pub from: Option<Date>,
    /// Last meeting date included.
    pub to: Option<Date>,
}

impl Filters {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        self.municipality.is_empty()
            && self.speaker.is_empty()
            && self.body.is_empty()
            && self.case_number.is_empty()
            && self.from.is_none()
            && self.to.is_none()
    }
}

/// A municipality filter value as an SCB code: a name is looked up, a code is checked for
/// its form ("2380", "23").
pub fn municipality_code(value: &str) -> Result<String> {
    let value = value.trim();
    if is_municipality_code(value) || is_county_code(value) {
        return Ok(value.to_string());
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::InvalidMunicipality(value.to_string()));
    }
    Gazetteer::sweden()
        .lookup(value)
        .map(|m| m.code.clone())
        .ok_or_else(|| Error::InvalidMunicipality(value.to_string()))
}

/// A case-number filter value normalised as the index stores it ("dnr ks-2013/123" →
/// `KS 2013/123`); a value with no number in it is refused.
pub fn case_number(value: &str) -> Result<String> {
    let value = value.trim();
    let stripped = value
        .strip_prefix("Dnr")
        .or_else(|| value.strip_prefix("dnr"))
        .or_else(|| value.strip_prefix("DNR"))
        .unwrap_or(value)
        .trim_start_matches([':', '.', ' ']);
    let normal = paragraf_indexer::protokoll::normalize_case_number(&stripped.replace('-', " "));
    if !normal.contains('/') || !normal.chars().any(|c| c.is_ascii_digit()) {
        return Err(Error::InvalidParameter {
            param: "case_number".into(),
            message: format!("{value:?} is not a case number; write it as KS 2013/123 or 2013/123"),
        });
    }
    Ok(normal)
}

/// Parses a date bound: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` meaning the first (`end = false`)
/// or last (`end = true`) day of that period.
pub fn parse_date(param: &'static str, value: &str, end: bool) -> Result<Date> {
    let bad = || Error::InvalidDate {
        param,
        value: value.to_string(),
    };
    let (start, precision) =
        paragraf_indexer::manifest::parse_partial_date(value).ok_or_else(bad)?;
    if !end {
        return Ok(start);
    }
    use paragraf_indexer::DatePrecision::*;
    let last = match precision {
        Day => start,
        Month => Date::new(
            start.year,
            start.month,
            paragraf_indexer::model::days_in_month(start.year, start.month),
        )
        .ok_or_else(bad)?,
        Year => Date::new(start.year, 12, 31).ok_or_else(bad)?,
    };
    Ok(last)
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
}
