//! A file's fingerprint: what decides whether an indexed file must be parsed again.
//!
//! It covers the file's bytes (or, for a file over [`MAX_FILE_BYTES`], only its size), its
//! manifest entry, the meeting metadata the plan derived for it and [`PARSER_VERSION`], hashed
//! with FNV-1a (the `fnv` crate). The metadata is written out field by field by
//! `metadata` in the layout earlier Paragrafs produced (it was their `Debug` output), so
//! the indexes they built keep their fingerprints and are not parsed again; a field added to
//! [`Entry`] or [`MeetingInfo`] changes nothing here until it is written here on purpose.

use std::fmt::Write as _;
use std::hash::Hasher;
use std::path::Path;

use super::manifest::Entry;
use super::read::MAX_FILE_BYTES;
use crate::date::DatePrecision;
use crate::minutes::MeetingInfo;
use crate::model::DateSource;

/// Version of the parser's output. It is part of every file's fingerprint, so raising it
/// makes the next `paragraf index` parse every file again.
pub const PARSER_VERSION: u32 = 4;

/// The metadata part of a fingerprint: the manifest entry, then the meeting metadata.
pub(crate) fn metadata(entry: Option<&Entry>, info: &MeetingInfo) -> String {
    let mut out = String::new();
    match entry {
        None => out.push_str("None"),
        Some(e) => {
            let _ = write!(
                out,
                "Some(Entry {{ file: {:?}, id: {}, body: {}, date: {}, date_evidence: {}, source: {}, excerpt: {} }})",
                e.file,
                text(e.id.as_deref()),
                text(e.body.as_deref()),
                text(e.date.as_deref()),
                text(e.date_evidence.as_deref()),
                text(e.source.as_deref()),
                e.excerpt
            );
        }
    }
    let date = match &info.date {
        None => "None".to_string(),
        Some((d, precision, source)) => format!(
            "Some((Date {{ year: {}, month: {}, day: {} }}, {}, {}))",
            d.year,
            d.month,
            d.day,
            match precision {
                DatePrecision::Day => "Day",
                DatePrecision::Month => "Month",
                DatePrecision::Year => "Year",
            },
            match source {
                DateSource::Manifest => "Manifest",
                DateSource::FileName => "FileName",
                DateSource::Inferred => "Inferred",
            }
        ),
    };
    let _ = write!(
        out,
        "|MeetingInfo {{ id: {:?}, body: {}, date: {date}, source: {:?} }}",
        info.id,
        text(info.body.as_deref()),
        info.source
    );
    // Written only when present, so that fingerprints of files without it stay as they were.
    if let Some(m) = &info.municipality {
        let _ = write!(out, "|municipality: {m:?}");
    }
    out
}

/// An optional text as the layout writes it: `None` or `Some("…")`, quoted and escaped.
fn text(value: Option<&str>) -> String {
    value.map_or_else(|| "None".to_string(), |v| format!("Some({v:?})"))
}

/// FNV-1a (64 bit) over the file's bytes, its [`metadata`] and the parser version, in hex.
pub(crate) fn of_file(path: &Path, metadata: &str) -> String {
    let mut hasher = crate::hash::hasher();
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() > MAX_FILE_BYTES => hasher.write(&meta.len().to_le_bytes()),
        _ => hasher.write(&std::fs::read(path).unwrap_or_default()),
    }
    hasher.write(metadata.as_bytes());
    hasher.write(&PARSER_VERSION.to_le_bytes());
    format!("{:016x}", hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;

    fn entry() -> Entry {
        Entry {
            file: "svom \"2020\".txt".into(),
            id: Some("svom-2020-12-04".into()),
            body: Some("SVOM".into()),
            date: Some("2020-12-04".into()),
            date_evidence: Some("region page mote-2020-12-04".into()),
            source: None,
            excerpt: true,
            municipality: None,
        }
    }

    fn info(date: Option<(Date, DatePrecision, DateSource)>) -> MeetingInfo {
        MeetingInfo {
            id: "svom-2020-12-04".into(),
            body: None,
            date,
            source: "000_9ab99b2f6feb9d46.txt".into(),
            municipality: None,
        }
    }

    #[test]
    fn metadata_keeps_the_layout_of_earlier_fingerprints() {
        let day = Date::new(2020, 12, 4).map(|d| (d, DatePrecision::Day, DateSource::Manifest));
        let year = Date::new(2022, 1, 1).map(|d| (d, DatePrecision::Year, DateSource::Inferred));
        for (entry, info) in [
            (Some(entry()), info(day)),
            (None, info(year)),
            (None, info(None)),
        ] {
            // What the fingerprint was made of before it was written out field by field.
            assert_eq!(
                metadata(entry.as_ref(), &info),
                // The municipality (issue 15) is written only when present.
                format!("{entry:?}|{info:?}").replace(", municipality: None", "")
            );
        }
    }

    #[test]
    fn fingerprint_value_is_unchanged() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("a.txt");
        std::fs::write(&file, " • Ett.\n").expect("write");
        let meta = metadata(None, &info(None));
        let mut bytes = b" \xe2\x80\xa2 Ett.\n".to_vec();
        bytes.extend_from_slice(meta.as_bytes());
        bytes.extend_from_slice(&PARSER_VERSION.to_le_bytes());
        assert_eq!(
            of_file(&file, &meta),
            format!("{:016x}", crate::hash::fnv1a(&bytes))
        );
    }
}
