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
//! visibility = "internal"             # optional: `public` or `internal` (issue #20)
//!
//! [[folder]]                          # every file under a folder (relative to the manifest)
//! path = "arbetsutskott"
//! visibility = "internal"
//! ```
//!
//! Who may see a file's items is decided by the most specific rule of every manifest in its
//! directory and above (not only the nearest, so that a manifest added deeper for dates cannot
//! make an internal folder public): a file's own entry, then the deepest `[[folder]]`. A file
//! no rule names is public, unless its content is a DOCX (see [`crate::archive`]).
//!
//! Files the manifest does not list are still indexed (see [`crate::archive`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::date::{parse_partial_date, Date, DatePrecision};
use crate::error::{Error, Result};
use crate::model::Visibility;

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
    /// Who may see the file's items; when absent, the folder rules and the format decide.
    #[serde(default)]
    pub visibility: Option<Visibility>,
}

/// A rule for every file under a folder.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FolderRule {
    /// The folder, relative to the manifest (`.` for the manifest's own).
    pub path: PathBuf,
    /// Who may see the items of its files.
    pub visibility: Visibility,
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
    #[serde(default)]
    folder: Vec<FolderRule>,
}

/// A loaded manifest: entries by the file's path.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    dir: PathBuf,
    entries: HashMap<PathBuf, Entry>,
    /// Folder rules by the folder's path (normalised, joined to `dir`).
    folders: Vec<(PathBuf, Visibility)>,
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
        let mut folders: Vec<(PathBuf, Visibility)> = Vec::new();
        for rule in raw.folder {
            let key = normalize(&dir.join(&rule.path));
            if folders.iter().any(|(k, _)| *k == key) {
                return Err(bad(format!(
                    "folder {} is listed twice",
                    rule.path.display()
                )));
            }
            folders.push((key, rule.visibility));
        }
        Ok(Manifest {
            dir,
            entries,
            folders,
        })
    }

    /// The most specific visibility rule this manifest has for a file, with its depth (the
    /// number of path components it names: the file's own entry is deepest), to weigh it
    /// against the rules of other manifests.
    pub fn visibility_rule(&self, file: &Path) -> Option<(usize, Visibility)> {
        let file = normalize(file);
        if let Some(v) = self.entries.get(&file).and_then(|e| e.visibility) {
            return Some((file.components().count(), v));
        }
        self.folders
            .iter()
            .filter(|(folder, _)| file.starts_with(folder))
            .map(|(folder, v)| (folder.components().count(), *v))
            .max_by_key(|(depth, _)| *depth)
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
    fn visibility_by_file_then_deepest_folder() {
        let text = r#"
[[meeting]]
file = "au/open.txt"
visibility = "public"

[[folder]]
path = "au"
visibility = "internal"

[[folder]]
path = "au/arkiv"
visibility = "public"
"#;
        let m = Manifest::parse(text, Path::new("a/manifest.toml")).expect("parses");
        let rule = |f: &str| m.visibility_rule(Path::new(f));
        assert_eq!(rule("a/au/open.txt"), Some((3, Visibility::Public)));
        assert_eq!(rule("a/au/x.txt"), Some((2, Visibility::Internal)));
        assert_eq!(rule("a/au/arkiv/x.txt"), Some((3, Visibility::Public)));
        assert_eq!(rule("a/aux.txt"), None);
        assert_eq!(rule("a/ks.txt"), None);
        let bad = "[[folder]]\npath = \".\"\nvisibility = \"secret\"\n";
        let err = Manifest::parse(bad, Path::new("manifest.toml")).expect_err("bad value");
        assert!(
            err.to_string().contains("unknown variant `secret`"),
            "{err}"
        );
    }

    #[test]
    fn unknown_field_is_an_error() {
        let text = "[[meeting]]\nfile = \"a.txt\"\ndatum = \"2020\"\n";
        let err = Manifest::parse(text, Path::new("manifest.toml")).expect_err("unknown field");
        assert!(err.to_string().contains("unknown field `datum`"), "{err}");
    }
}
