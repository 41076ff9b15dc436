//! Calendar dates: the one [`Date`] type, its precision, and the calendar arithmetic and
//! written forms every other module uses (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`, RFC 3339).
//!
//! Dates written in minutes text ("den 2 december") are read by [`crate::minutes::dates`]; the
//! manifest's dates by [`parse_partial_date`].
//!
//! The calendar arithmetic is Howard Hinnant's (days from and to a civil date), kept by hand
//! rather than taken from a date crate: it is total over every `i32` year and every value of
//! [`Date`]'s public fields, where `time`'s and `jiff`'s dates stop at year 9999.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How precisely a meeting date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// The exact day is known.
    Day,
    /// Only year and month are known.
    Month,
    /// Only the year is known.
    Year,
}

/// A calendar date without time zone, enough for meeting dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, for example 2020.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of month, 1 to 31.
    pub day: u32,
}

impl Date {
    /// A date when the parts form a real calendar date, `None` otherwise.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let s = s.trim();
        let mut parts = s.splitn(3, '-');
        let year = parts.next()?;
        let month = parts.next()?;
        let day = parts.next()?;
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
        Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
    }

    /// Days since 1970-01-01 (negative before), for tantivy's date field.
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Seconds from 1970-01-01T00:00:00Z to midnight UTC starting this date, as tantivy's date
    /// field stores a meeting date.
    pub fn unix_seconds(self) -> i64 {
        self.days_since_epoch() * 86_400
    }

    /// The last day of the period of `precision` that starts on this date: the date itself for
    /// a day, the month's last day for a month, 31 December for a year (a date filter's upper
    /// bound "to 2022-10" means to 2022-10-31).
    pub fn end_of_period(self, precision: DatePrecision) -> Date {
        match precision {
            DatePrecision::Day => self,
            DatePrecision::Month => Date {
                day: days_in_month(self.year, self.month),
                ..self
            },
            DatePrecision::Year => Date {
                month: 12,
                day: 31,
                ..self
            },
        }
    }

    /// The date `days` after 1970-01-01 (before it when negative): the inverse of
    /// [`Date::days_since_epoch`].
    pub fn from_days_since_epoch(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u32::try_from(month).unwrap_or(1),
            day: u32::try_from(day).unwrap_or(1),
        }
    }

    /// Parses a date as [`Meeting`](crate::Meeting) writes it (`2020-12-04`, `2022-10`,
    /// `2022`) back to its first day; lenient about the width of the parts.
    pub fn parse_written_start(date: &str) -> Option<Date> {
        let mut parts = date.split('-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next().map_or(Some(1), |m| m.parse().ok())?;
        let day = parts.next().map_or(Some(1), |d| d.parse().ok())?;
        Date::new(year, month, day)
    }

    /// Writes the date to the given precision: `2020-12-04`, `2020-12` or `2020`.
    pub fn to_string_with(self, precision: DatePrecision) -> String {
        match precision {
            DatePrecision::Day => self.to_string(),
            DatePrecision::Month => format!("{:04}-{:02}", self.year, self.month),
            DatePrecision::Year => format!("{:04}", self.year),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Number of days in a month of a year (Gregorian).
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY` into a date (first day of the period) and its
/// precision.
pub fn parse_partial_date(s: &str) -> Option<(Date, DatePrecision)> {
    let parts: Vec<&str> = s.trim().split('-').collect();
    let num = |p: &str, len: usize| -> Option<u32> {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let year = i32::try_from(num(parts.first()?, 4)?).ok()?;
    match parts.as_slice() {
        [_] => Some((Date::new(year, 1, 1)?, DatePrecision::Year)),
        [_, m] => Some((Date::new(year, num(m, 2)?, 1)?, DatePrecision::Month)),
        [_, m, d] => Some((Date::new(year, num(m, 2)?, num(d, 2)?)?, DatePrecision::Day)),
        _ => None,
    }
}

/// Formats seconds since the epoch as RFC 3339 UTC ("2026-11-24T05:51:19Z").
pub fn rfc3339_utc(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let Date { year, month, day } = Date::from_days_since_epoch(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_validation_rejects_impossible_days() {
        assert_eq!(Date::new(2021, 2, 29), None);
        assert_eq!(
            Date::new(2020, 2, 29),
            Some(Date {
                year: 2020,
                month: 2,
                day: 29
            })
        );
        assert_eq!(Date::parse_iso("2020-13-01"), None);
        assert_eq!(Date::parse_iso("2020-1-01"), None);
    }

    #[test]
    fn days_since_epoch_matches_known_values() {
        assert_eq!(Date::new(1970, 1, 1).map(Date::days_since_epoch), Some(0));
        assert_eq!(
            Date::new(2020, 12, 4).map(Date::days_since_epoch),
            Some(18_600)
        );
        assert_eq!(
            Date::new(1969, 12, 31).map(Date::days_since_epoch),
            Some(-1)
        );
    }

    #[test]
    fn written_precision() {
        let d = Date::new(2022, 9, 3).expect("valid date");
        assert_eq!(d.to_string_with(DatePrecision::Day), "2022-09-03");
        assert_eq!(d.to_string_with(DatePrecision::Month), "2022-09");
        assert_eq!(d.to_string_with(DatePrecision::Year), "2022");
    }

    #[test]
    fn partial_dates() {
        assert_eq!(
            parse_partial_date("2022-10"),
            Some((Date::new(2022, 10, 1).expect("valid"), DatePrecision::Month))
        );
        assert_eq!(parse_partial_date("2022-13"), None);
        assert_eq!(parse_partial_date("22"), None);
    }

    #[test]
    fn rfc3339() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(1_795_499_479), "2026-11-24T05:51:19Z");
    }

    #[test]
    fn days_since_epoch_and_back_agree() {
        for days in (-800_000..800_000).step_by(97) {
            let date = Date::from_days_since_epoch(days);
            assert_eq!(Date::new(date.year, date.month, date.day), Some(date));
            assert_eq!(date.days_since_epoch(), days, "{date}");
        }
    }

    #[test]
    fn end_of_period() {
        let d = |y, m, d| Date::new(y, m, d).expect("valid date");
        assert_eq!(
            d(2024, 2, 1).end_of_period(DatePrecision::Month),
            d(2024, 2, 29)
        );
        assert_eq!(
            d(2023, 2, 1).end_of_period(DatePrecision::Month),
            d(2023, 2, 28)
        );
        assert_eq!(
            d(2022, 1, 1).end_of_period(DatePrecision::Year),
            d(2022, 12, 31)
        );
        assert_eq!(
            d(2022, 9, 3).end_of_period(DatePrecision::Day),
            d(2022, 9, 3)
        );
        assert_eq!(d(2020, 12, 4).unix_seconds(), 18_600 * 86_400);
    }
}
