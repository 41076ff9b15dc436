//! [`Engine::suggest`]: completions of what is being typed, from the index's names and words.

use paragraf_indexer::minutes::place::Gazetteer;
use tantivy::Searcher;

use super::audience::Audience;
use super::Engine;
use crate::access::Access;
use crate::error::{Error, Result};
use crate::limits::{MAX_LIMIT, MAX_QUERY_CHARS};
use crate::suggest::{SuggestResponse, Suggestion, SuggestionKind};

impl Engine {
    /// Reads the speakers, bodies and municipalities of the index: the aliases filters match
    /// and the vocabulary of suggestions of each audience, counted over the items it sees (a
    /// name only internal items hold is never suggested to the public, issue #20).
    pub(super) fn read_vocabulary(&mut self, searcher: &Searcher) -> Result<()> {
        let everyone = self.vocabulary_of(searcher, &self.everyone)?;
        // The aliases are everyone's: an alias only spells a filter value, and a filter on a
        // name the public cannot see matches nothing it sees.
        for s in &everyone {
            match s.kind {
                SuggestionKind::Speaker => self.aliases.add_speaker(&s.text),
                SuggestionKind::Body => self.aliases.add_body(&s.text),
                SuggestionKind::Municipality | SuggestionKind::Term => {}
            }
        }
        self.everyone.vocabulary = everyone;
        self.public.vocabulary = self.vocabulary_of(searcher, &self.public)?;
        Ok(())
    }

    /// The names an audience sees, with their numbers of items it sees.
    fn vocabulary_of(&self, searcher: &Searcher, audience: &Audience) -> Result<Vec<Suggestion>> {
        let f = self.index.fields;
        let all = |field| self.all_facet_values(searcher, field, audience);
        let speakers = all(f.speaker)?;
        let bodies = all(f.body)?;
        let municipalities = all(f.municipality)?;
        let gazetteer = Gazetteer::sweden();
        let mut vocabulary = Vec::new();
        for (name, count) in speakers {
            vocabulary.push(Suggestion {
                text: name.clone(),
                kind: SuggestionKind::Speaker,
                count,
                value: Some(name),
            });
        }
        for (body, count) in bodies {
            vocabulary.push(Suggestion {
                text: body.clone(),
                kind: SuggestionKind::Body,
                count,
                value: Some(body),
            });
        }
        for (code, count) in municipalities {
            if let Some(m) = gazetteer.by_code(&code) {
                vocabulary.push(Suggestion {
                    text: m.name.clone(),
                    kind: SuggestionKind::Municipality,
                    count,
                    value: Some(code),
                });
            }
        }
        Ok(vocabulary)
    }

    /// Suggestions for what is being typed: speakers, municipalities and bodies whose name
    /// has a word starting with the last word typed, then words of the texts starting with it.
    /// Only what `access` may see is suggested, counted over the items it sees.
    pub fn suggest(&self, q: &str, limit: usize, access: Access) -> Result<SuggestResponse> {
        let audience = self.audience(access);
        let chars = q.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(Error::QueryTooLong(chars));
        }
        if limit == 0 || limit > MAX_LIMIT {
            return Err(Error::InvalidLimit(limit));
        }
        let lower = q.to_lowercase();
        let (before, last) = match lower.trim_end().rsplit_once(char::is_whitespace) {
            Some((before, last)) => (format!("{} ", before.trim_end()), last.to_string()),
            None => (String::new(), lower.trim().to_string()),
        };
        let last: String = last
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '-')
            .collect();
        let mut suggestions = Vec::new();
        if last.chars().count() >= 2 {
            let mut named: Vec<&Suggestion> = audience
                .vocabulary
                .iter()
                .filter(|s| {
                    s.text
                        .to_lowercase()
                        .split(|c: char| c.is_whitespace() || c == '-')
                        .any(|w| w.starts_with(&last))
                })
                .collect();
            named.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));
            suggestions.extend(named.into_iter().take(limit.div_ceil(2)).cloned());
            let searcher = self.reader.searcher();
            for (term, count) in crate::suggest::terms_with_prefix(
                &searcher,
                self.index.fields.words,
                &last,
                limit,
                audience,
            )? {
                if suggestions.len() >= limit {
                    break;
                }
                suggestions.push(Suggestion {
                    text: format!("{before}{term}"),
                    kind: SuggestionKind::Term,
                    count,
                    value: None,
                });
            }
        }
        Ok(SuggestResponse {
            query: q.to_string(),
            suggestions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{concerning, engine, item, spoken_by};
    use super::*;

    #[test]
    fn names_and_places_first_then_words_of_the_texts() {
        let engine = engine(&[
            spoken_by(
                concerning(
                    item("KS/2024-03-12", 1, None, "Krokomsbanan byggs ut."),
                    &["Krokom"],
                ),
                &["Krister Berg"],
            ),
            item("KS/2024-03-12", 2, None, "Krokomsbanan och krokar."),
        ]);
        let found = engine
            .suggest("bygg kr", 4, Access::Public)
            .expect("suggest");
        let got: Vec<(&str, SuggestionKind, u64, Option<&str>)> = found
            .suggestions
            .iter()
            .map(|s| (s.text.as_str(), s.kind, s.count, s.value.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "Krister Berg",
                    SuggestionKind::Speaker,
                    1,
                    Some("Krister Berg")
                ),
                ("Krokom", SuggestionKind::Municipality, 1, Some("2309")),
                ("bygg krokomsbanan", SuggestionKind::Term, 2, None),
                ("bygg krister", SuggestionKind::Term, 1, None),
            ]
        );
        assert!(matches!(
            engine.suggest("kr", 0, Access::Public),
            Err(Error::InvalidLimit(0))
        ));
        assert_eq!(
            engine
                .suggest("k", 4, Access::Public)
                .expect("suggest")
                .suggestions,
            []
        );
    }
}
