//! The mixed query set, the same for every engine.
//!
//! Words are taken from the vocabulary of `gen_corpus.py` (synthetic minutes); the realistic
//! run on parliament speeches uses the same set, where many of them are rare.

/// One search of the set.
#[derive(Debug, Clone, Copy)]
pub struct BenchQuery {
    /// Kind of search: `word`, `words`, `phrase`, `compound`, `filtered`.
    pub class: &'static str,
    /// What a user types (Paragraf syntax = websearch syntax: words, "phrases").
    pub q: &'static str,
    /// SCB municipality code filter.
    pub municipality: Option<&'static str>,
    /// Date range filter, inclusive, `YYYY-MM-DD`.
    pub from: Option<&'static str>,
    pub to: Option<&'static str>,
}

const fn q(class: &'static str, q: &'static str) -> BenchQuery {
    BenchQuery {
        class,
        q,
        municipality: None,
        from: None,
        to: None,
    }
}

const fn f(
    q: &'static str,
    municipality: Option<&'static str>,
    from: Option<&'static str>,
    to: Option<&'static str>,
) -> BenchQuery {
    BenchQuery {
        class: "filtered",
        q,
        municipality,
        from,
        to,
    }
}

/// The set: common and rare single words, several words, phrases, compounds, filters.
pub const QUERIES: &[BenchQuery] = &[
    q("word", "kommun"),
    q("word", "munskydd"),
    q("word", "vaccination"),
    q("word", "hemtjänst"),
    q("word", "psykiatri"),
    q("word", "upphandling"),
    q("word", "bredband"),
    q("word", "rennäring"),
    q("words", "vaccination personal"),
    q("words", "budget kostnader uppföljning"),
    q("words", "psykiatri missbruk samverkan"),
    q("words", "skola elever lärare"),
    q("words", "kollektivtrafik vägar"),
    q("phrase", "\"ökad press\""),
    q("phrase", "\"särskilt fokus\""),
    q("phrase", "\"i samverkan med\""),
    q("phrase", "\"utredas vidare\""),
    q("compound", "smittspridning"),
    q("compound", "besöksförbud"),
    q("compound", "vårdplanering"),
    q("compound", "samverkansavtal"),
    q("compound", "hemsjukvårdsrutiner"),
    f("smitta", Some("2309"), Some("2020-01-01"), None),
    f("budget", Some("2380"), None, None),
    f("hemtjänst", None, Some("2022-01-01"), Some("2022-12-31")),
    f(
        "vaccination personal",
        Some("2321"),
        Some("2021-01-01"),
        None,
    ),
    f(
        "kommun",
        Some("2309"),
        Some("2019-01-01"),
        Some("2019-12-31"),
    ),
    f("\"ökad press\"", Some("2380"), Some("2020-01-01"), None),
];

impl BenchQuery {
    /// The request as URL query pairs, as the HTTP API and `SearchRequest::from_pairs` take it.
    pub fn pairs(&self) -> Vec<(&'static str, &'static str)> {
        let mut pairs = vec![("q", self.q)];
        pairs.extend(self.municipality.map(|m| ("municipality", m)));
        pairs.extend(self.from.map(|d| ("from", d)));
        pairs.extend(self.to.map(|d| ("to", d)));
        pairs
    }

    /// The FTS5 query: each word quoted (implicit AND), phrases kept.
    pub fn fts5(&self) -> String {
        let mut out = Vec::new();
        let mut rest = self.q;
        while !rest.is_empty() {
            rest = rest.trim_start();
            if let Some(after) = rest.strip_prefix('"') {
                let end = after.find('"').unwrap_or(after.len());
                out.push(format!("\"{}\"", &after[..end]));
                rest = after.get(end + 1..).unwrap_or("");
            } else {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                if end > 0 {
                    out.push(format!("\"{}\"", &rest[..end].replace('"', "")));
                }
                rest = &rest[end..];
            }
        }
        out.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts5_quotes_words_and_keeps_phrases() {
        let b = f("\"ökad press\" vård", None, None, None);
        assert_eq!(b.fts5(), "\"ökad press\" \"vård\"");
        assert_eq!(q("words", "a b").fts5(), "\"a\" \"b\"");
    }
}
