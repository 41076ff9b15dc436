//! One key per case number (Dnr, diarienummer), so that the items of one case are found
//! together across bodies and years (issue #19, "Ärendets gång").
//!
//! One municipality writes the same number in several ways: "KS 2013/123" in the heading,
//! "KS/2013:123" in the meeting system's export, "Dnr KS 2013/0123" with a zero-padded serial
//! in a list of reports. A [`CaseKey`] reads each of them into its parts (registry, year,
//! serial and, where a register adds one, a filing code) and writes them back in one form,
//! `KS 2013/123`, which is what the index stores and what a case-number filter looks up.
//!
//! ```
//! use paragraf_indexer::minutes::case_key::CaseKey;
//!
//! let keys: Vec<String> = ["KS 2013/123", "KS/2013:123", "Dnr KS 2013/0123", "ks-2013-123"]
//!     .iter()
//!     .filter_map(|s| CaseKey::parse(s))
//!     .map(|k| k.to_string())
//!     .collect();
//! assert_eq!(keys, ["KS 2013/123"; 4]);
//! ```

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

use crate::minutes::clean::squeeze;

/// A case number read into its parts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CaseKey {
    registry: Option<String>,
    year: u16,
    serial: u32,
    part: Option<u32>,
}

/// Registry, then year and serial: "KS 2013/123", "KS/2013:123", "KS KF/2022:7",
/// "BN-2023-001564", "SN-2020.45", "2021/00123", and with a filing code after the serial
/// "2015.25.214" (Mellerud).
static PREFIXED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?P<reg>[A-ZÅÄÖ]{1,6}(?:\s[A-ZÅÄÖ]{1,6})?)\s?[/-]?\s?)?(?P<year>(?:19|20)\d{2})\s?[/.:-]\s?(?P<serial>\d{1,6})(?:[./:-](?P<part>\d{1,6}))?$",
    )
    .expect("constant regex compiles")
});

/// The registry after the number: "2026.072 TEN".
static SUFFIXED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<year>(?:19|20)\d{2})\.(?P<serial>\d{1,6})(?:\.(?P<part>\d{1,6}))?\s(?P<reg>[A-ZÅÄÖ]{2,6})$",
    )
    .expect("constant regex compiles")
});

/// The serial before the year: "RS/1019/2025".
static SERIAL_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<reg>[A-ZÅÄÖ]{1,6})/(?P<serial>\d{1,6})/(?P<year>(?:19|20)\d{2})$")
        .expect("constant regex compiles")
});

/// "Dnr", "Dnr.", "Dnr:" in front of a number.
static DNR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^DNR\.?:?\s*").expect("constant regex compiles"));

impl CaseKey {
    /// Reads a case number in any of the forms above (any case, "Dnr" in front or not); `None`
    /// when `text` is no case number.
    pub fn parse(text: &str) -> Option<CaseKey> {
        let upper = squeeze(&text.trim().to_uppercase());
        let bare = DNR.replace(&upper, "");
        let bare = bare.trim();
        let caps = PREFIXED
            .captures(bare)
            .or_else(|| SUFFIXED.captures(bare))
            .or_else(|| SERIAL_FIRST.captures(bare))?;
        let number = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
        Some(CaseKey {
            registry: caps.name("reg").map(|m| m.as_str().to_string()),
            year: u16::try_from(number("year")?).ok()?,
            serial: number("serial")?,
            part: number("part"),
        })
    }

    /// The registry ("KS", "KS KF"), when the number names one.
    pub fn registry(&self) -> Option<&str> {
        self.registry.as_deref()
    }

    /// The year the case was registered.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The serial number within the year, without leading zeros.
    pub fn serial(&self) -> u32 {
        self.serial
    }

    /// The key without its registry, "2013/123": what a search for a bare number finds.
    pub fn without_registry(&self) -> String {
        match self.part {
            Some(part) => format!("{}/{}.{part}", self.year, self.serial),
            None => format!("{}/{}", self.year, self.serial),
        }
    }
}

impl fmt::Display for CaseKey {
    /// `KS 2013/123`, `2013/123` without a registry, `2015/25.214` with a filing code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(registry) = &self.registry {
            write!(f, "{registry} ")?;
        }
        f.write_str(&self.without_registry())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Option<String> {
        CaseKey::parse(s).map(|k| k.to_string())
    }

    #[test]
    fn one_municipality_s_spellings_are_one_key() {
        for written in [
            "KS 2013/123",
            "KS/2013:123",
            "Dnr KS 2013/0123",
            "dnr: ks-2013/123",
            "KS-2013-00123",
            "KS 2013.123",
            "Ks 2013 / 123",
        ] {
            assert_eq!(key(written).as_deref(), Some("KS 2013/123"), "{written}");
        }
    }

    #[test]
    fn the_formats_of_the_real_protokoll() {
        // tests/fixtures/real-protokoll: Jönköping, Lomma, Kungsbacka, Mellerud.
        assert_eq!(key("Bun/2015:608").as_deref(), Some("BUN 2015/608"));
        assert_eq!(key("KS KF/2022:7").as_deref(), Some("KS KF 2022/7"));
        assert_eq!(key("SBN/2025:74").as_deref(), Some("SBN 2025/74"));
        assert_eq!(key("BN-2023-001564").as_deref(), Some("BN 2023/1564"));
        assert_eq!(key("VN-2024-00037").as_deref(), Some("VN 2024/37"));
        assert_eq!(key("2015.25.214").as_deref(), Some("2015/25.214"));
        assert_eq!(key("2026.072 TEN").as_deref(), Some("TEN 2026/72"));
        assert_eq!(key("RS/1019/2025").as_deref(), Some("RS 2025/1019"));
        assert_eq!(key("2021/00123").as_deref(), Some("2021/123"));
    }

    #[test]
    fn parts_and_the_bare_number() {
        let k = CaseKey::parse("KS KF/2022:0007").expect("a case number");
        assert_eq!(
            (k.registry(), k.year(), k.serial()),
            (Some("KS KF"), 2022, 7)
        );
        assert_eq!(k.without_registry(), "2022/7");
    }

    #[test]
    fn what_is_no_case_number() {
        for text in ["budget", "2013", "KS 1850/12", "KS 2013/", ""] {
            assert_eq!(key(text), None, "{text}");
        }
    }
}
