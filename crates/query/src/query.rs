//! The query language for people who type plain words.
//!
//! - words: all must match (the search falls back to any word when all find nothing);
//! - `"exact phrases"`; an unbalanced quote runs to the end of the query;
//! - `-word` or `NOT word` excludes;
//! - `prefix*` matches words that start with the prefix (at least two letters);
//! - `OR` between words makes the whole query match any word; `AND` is accepted and ignored.
//!
//! Parsing never fails: whatever is typed becomes some query (possibly an empty one).

/// What one clause looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A word, analysed like the text.
    Word(String),
    /// Words in this order.
    Phrase(Vec<String>),
    /// Words starting with this prefix.
    Prefix(String),
}

/// One clause of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// What it looks for.
    pub term: Term,
    /// Whether matching items are excluded.
    pub negated: bool,
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserQuery {
    /// The clauses in order.
    pub clauses: Vec<Clause>,
    /// Whether the user wrote OR: any positive clause may match.
    pub any: bool,
}

/// At most this many clauses are kept; a longer query is cut (and the response says so via
/// the echoed query).
pub const MAX_CLAUSES: usize = 32;

impl UserQuery {
    /// Parses what the user typed.
    pub fn parse(input: &str) -> UserQuery {
        let mut query = UserQuery::default();
        let mut chars = input.chars().peekable();
        let mut negate_next = false;
        while let Some(&c) = chars.peek() {
            if query.clauses.len() >= MAX_CLAUSES {
                break;
            }
            if c.is_whitespace() {
                chars.next();
                continue;
            }
            let mut negated = std::mem::take(&mut negate_next);
            if c == '-' || c == '+' {
                chars.next();
                negated |= c == '-';
                if chars.peek().is_none_or(|c| c.is_whitespace()) {
                    continue;
                }
            }
            if chars.peek() == Some(&'"') {
                chars.next();
                let phrase: String = chars.by_ref().take_while(|&c| c != '"').collect();
                let words: Vec<String> = phrase.split_whitespace().map(str::to_string).collect();
                match words.len() {
                    0 => {}
                    1 => query.push(Term::Word(words[0].clone()), negated),
                    _ => query.push(Term::Phrase(words), negated),
                }
                continue;
            }
            let word: String =
                std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace() && *c != '"')).collect();
            match word.as_str() {
                "AND" | "&&" => continue,
                "OR" | "||" => {
                    query.any = true;
                    continue;
                }
                "NOT" => {
                    negate_next = true;
                    continue;
                }
                _ => {}
            }
            if let Some(prefix) = word.strip_suffix('*') {
                let prefix = prefix.trim_end_matches('*');
                if prefix.chars().filter(|c| c.is_alphanumeric()).count() >= 2 {
                    query.push(Term::Prefix(prefix.to_string()), negated);
                    continue;
                }
            }
            let word = word.trim_matches('*');
            if word.chars().any(char::is_alphanumeric) {
                query.push(Term::Word(word.to_string()), negated);
            }
        }
        query
    }

    fn push(&mut self, term: Term, negated: bool) {
        self.clauses.push(Clause { term, negated });
    }

    /// Clauses that must (or may) match.
    pub fn positive(&self) -> impl Iterator<Item = &Clause> {
        self.clauses.iter().filter(|c| !c.negated)
    }

    /// Whether nothing positive was asked for.
    pub fn is_empty(&self) -> bool {
        self.positive().next().is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Clause {
        Clause {
            term: Term::Word(w.into()),
            negated: false,
        }
    }

    #[test]
    fn plain_words() {
        assert_eq!(
            UserQuery::parse("munskydd  Krokom").clauses,
            vec![word("munskydd"), word("Krokom")]
        );
    }

    #[test]
    fn phrase_exclusion_prefix() {
        let q = UserQuery::parse("\"god och nära vård\" -corona besö*");
        assert_eq!(
            q.clauses,
            vec![
                Clause {
                    term: Term::Phrase(vec![
                        "god".into(),
                        "och".into(),
                        "nära".into(),
                        "vård".into()
                    ]),
                    negated: false
                },
                Clause {
                    term: Term::Word("corona".into()),
                    negated: true
                },
                Clause {
                    term: Term::Prefix("besö".into()),
                    negated: false
                },
            ]
        );
    }

    #[test]
    fn unbalanced_quote_runs_to_end() {
        assert_eq!(
            UserQuery::parse("\"nära vård").clauses,
            vec![Clause {
                term: Term::Phrase(vec!["nära".into(), "vård".into()]),
                negated: false
            }]
        );
    }

    #[test]
    fn operators() {
        assert_eq!(UserQuery::parse("AND"), UserQuery::default());
        let q = UserQuery::parse("munskydd OR handskar NOT corona");
        assert!(q.any);
        assert_eq!(q.clauses.len(), 3);
        assert!(q.clauses[2].negated);
    }

    #[test]
    fn junk_gives_an_empty_query() {
        for junk in [
            "", "   ", "\"", "\"\"", "-", "*", "**", "((", "- - -", "\"  \" -",
        ] {
            assert_eq!(
                UserQuery::parse(junk).clauses,
                Vec::<Clause>::new(),
                "{junk:?}"
            );
        }
        // A one-letter prefix is too short to expand; it is kept as the word.
        assert_eq!(UserQuery::parse("a*").clauses, vec![word("a")]);
    }
}
