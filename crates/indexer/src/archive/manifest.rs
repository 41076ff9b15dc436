//! The archive manifest: what is known about each file that its text does not say.
//!
//! Scraped meeting pages state neither their date nor their body (docs/domain.md § 1), so an archive
//! may carry a `manifest.toml` beside its files:
//!
//! ```toml
//! [[meeting]]
//! file = "svom-2020-12-04.txt"        # path relative to the manifest
//! id = "svom-2020-12-04"              # optional; default: the file stem
//! body = "SVOM"
//! date = "2020-12-04"                 # YYYY-MM-DD, YYYY-MM or YYYY: the precision follows
//! date_evidence = "region page mote-2020-12-04"   # where the date came from
//! source = "000_9ab99b2f6feb9d46.txt" # source URL or original file name
//! excerpt = false                     # true when the file holds only part of the minutes
//! municipality = "Lomma"              # optional: the municipality whose body met (name or code)
//! ```
//!
//! Files the manifest does not list are still indexed (see [`crate::archive`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::date::{parse_partial_date, Date, DatePrecision};
use crate::error::{Error, Result};

/// The manifest's file name, looked up in each archive directory and its parents.
pub const MANIFEST_FILE: &str = "manifest.toml";

/// One file's entry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Path of the file relative to the manifest.
    pub file: PathBuf,
    /// Meeting id; the file stem when absent.
    pub id: Option<String>,
    /// The body that met.
    pub body: Option<String>,
    /// Meeting date as `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub date: Option<String>,
    /// Where the date came from, in words.
    pub date_evidence: Option<String>,
    /// Source URL or original file name.
    pub source: Option<String>,
    /// Whether the file holds only part of the minutes.
    #[serde(default)]
    pub excerpt: bool,
    /// The municipality whose body met, by SCB name or code ("Lomma", "1262").
    pub municipality: Option<String>,
}

impl Entry {
    /// The date and its precision, from the form of `date`.
    pub fn parsed_date(&self) -> Option<(Date, DatePrecision)> {
        parse_partial_date(self.date.as_deref()?)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    #[serde(default)]
    meeting: Vec<Entry>,
}

/// A loaded manifest: entries by the file's path.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    dir: PathBuf,
    entries: HashMap<PathBuf, Entry>,
}

impl Manifest {
    /// Loads `manifest.toml` at `path`, checking every date.
    pub fn load(path: &Path) -> Result<Manifest> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Manifest::parse(&text, path)
    }

    /// Parses manifest text; `path` names the manifest in errors and anchors relative paths.
    pub fn parse(text: &str, path: &Path) -> Result<Manifest> {
        let bad = |message: String| Error::Manifest {
            path: path.to_path_buf(),
            message,
        };
        let raw: RawManifest = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let mut entries = HashMap::new();
        for entry in raw.meeting {
            if let Some(date) = entry.date.as_deref() {
                if parse_partial_date(date).is_none() {
                    return Err(bad(format!(
                        "{}: date {date:?} is not YYYY-MM-DD, YYYY-MM or YYYY",
                        entry.file.display()
                    )));
                }
            }
            let key = normalize(&dir.join(&entry.file));
            if entries.insert(key, entry.clone()).is_some() {
                return Err(bad(format!("{} is listed twice", entry.file.display())));
            }
        }
        Ok(Manifest { dir, entries })
    }

    /// The directory the manifest lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry for a file, if listed.
    pub fn get(&self, file: &Path) -> Option<&Entry> {
        self.entries.get(&normalize(file))
    }

    /// All entries.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }
}

/// Makes paths comparable without touching the file system: `a/./b` and `a/b` are one path.
fn normalize(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"
[[meeting]]
file = "svom-2020-12-04.txt"
body = "SVOM"
date = "2020-12-04"
source = "000_9ab99b2f6feb9d46.txt"

[[meeting]]
file = "./svom-2022-hosten.txt"
id = "svom-2022-hosten"
body = "SVOM"
date = "2022"
"#;

    #[test]
    fn entries_are_found_by_path() {
        let m = Manifest::parse(TEXT, Path::new("archive/manifest.toml")).expect("parses");
        let e = m
            .get(Path::new("archive/svom-2020-12-04.txt"))
            .expect("listed");
        assert_eq!(e.body.as_deref(), Some("SVOM"));
        assert_eq!(
            e.parsed_date(),
            Some((Date::new(2020, 12, 4).expect("valid"), DatePrecision::Day))
        );
        let e = m
            .get(Path::new("archive/svom-2022-hosten.txt"))
            .expect("listed");
        assert_eq!(e.parsed_date().map(|d| d.1), Some(DatePrecision::Year));
        assert_eq!(m.get(Path::new("archive/other.txt")), None);
    }

    #[test]
    fn bad_date_is_named() {
        let text = "[[meeting]]\nfile = \"a.txt\"\ndate = \"4 dec 2020\"\n";
        let err = Manifest::parse(text, Path::new("m/manifest.toml")).expect_err("bad date");
        assert_eq!(
            err.to_string(),
            "manifest m/manifest.toml: a.txt: date \"4 dec 2020\" is not YYYY-MM-DD, YYYY-MM or YYYY"
        );
    }

    #[test]
    fn unknown_field_is_an_error() {
        let text = "[[meeting]]\nfile = \"a.txt\"\ndatum = \"2020\"\n";
        let err = Manifest::parse(text, Path::new("manifest.toml")).expect_err("unknown field");
        assert!(err.to_string().contains("unknown field `datum`"), "{err}");
    }
}
