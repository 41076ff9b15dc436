//! Snippets: the part of an item's text around the words a query looked for, kept as text and
//! the ranges of the words ([`Snippet`]); one function, [`Snippet::to_html`], escapes it and
//! puts the words in `<mark>` for the response.

use std::collections::BTreeMap;
use std::ops::Range;

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::{collapse_overlapped_ranges, SnippetGenerator};
use tantivy::tokenizer::TextAnalyzer;

/// Length of a snippet, in characters.
const SNIPPET_CHARS: usize = 220;

/// The snippet maker of a search.
pub struct Snippets {
    generator: SnippetGenerator,
    /// The words and stems the query looks for in any field, for [`within_words`].
    terms: Vec<String>,
}

impl Snippets {
    /// The snippet maker for a query: it marks the forms of the text (the `words` field, whose
    /// analyzer is `names`) that the query looked for.
    pub(crate) fn new(query: &dyn Query, words: Field, names: TextAnalyzer) -> Snippets {
        let mut terms = BTreeMap::new();
        let mut words_of_query = Vec::new();
        query.query_terms(&mut |term, _| {
            if let Some(text) = term.value().as_str() {
                if term.field() == words {
                    terms.insert(text.to_string(), 1.0);
                }
                words_of_query.push(text.to_lowercase());
            }
        });
        words_of_query.sort_unstable();
        words_of_query.dedup();
        let mut generator = SnippetGenerator::new(terms, names, words, SNIPPET_CHARS);
        generator.set_max_num_chars(SNIPPET_CHARS);
        Snippets {
            generator,
            terms: words_of_query,
        }
    }

    /// The snippet maker that marks these lower-cased words of the text (as the `words`
    /// field holds them): for an engine that finds a query's forms by other means
    /// (`paragraf-opensearch`), so that its snippets are the same as this engine's.
    /// `typed` are the query's words as typed, looked for inside longer words of the text when
    /// no word is marked (a match inside a compound), as this engine does.
    pub fn of_words(
        words: impl IntoIterator<Item = String>,
        typed: impl IntoIterator<Item = String>,
    ) -> Snippets {
        let marked: Vec<String> = words.into_iter().collect();
        let terms = marked.iter().map(|w| (w.clone(), 1.0)).collect();
        let mut words_of_query: Vec<String> = marked
            .into_iter()
            .chain(typed.into_iter().map(|w| w.to_lowercase()))
            .collect();
        words_of_query.sort_unstable();
        words_of_query.dedup();
        let field = paragraf_indexer::index::schema::Fields::build().1.words;
        let mut generator = SnippetGenerator::new(
            terms,
            paragraf_indexer::index::analysis::name(),
            field,
            SNIPPET_CHARS,
        );
        generator.set_max_num_chars(SNIPPET_CHARS);
        Snippets {
            generator,
            terms: words_of_query,
        }
    }

    /// The snippet of a text: around the query's words, or its opening when it has none.
    pub fn make(&self, text: &str) -> Snippet {
        let snippet = self.generator.snippet(text);
        if !snippet.highlighted().is_empty() {
            let range = snippet.fragment_range();
            let fragment = snippet.fragment();
            let highlights = collapse_overlapped_ranges(snippet.highlighted());
            // The fragment is trimmed, as far as the marked words.
            let first = highlights.first().map_or(0, |h| h.start);
            let last = highlights.last().map_or(fragment.len(), |h| h.end);
            let lead = (fragment.len() - fragment.trim_start().len()).min(first);
            let trail = (fragment.len() - fragment.trim_end().len()).min(fragment.len() - last);
            return Snippet {
                text: fragment[lead..fragment.len() - trail].to_string(),
                highlights: highlights
                    .into_iter()
                    .map(|h| h.start - lead..h.end - lead)
                    .collect(),
                cut_before: range.start > 0,
                cut_after: range.end < text.len(),
            };
        }
        // The item matched through a compound part ("förbud" in "besöksförbudet"): the passage
        // around the words that hold a query word, marked (issue #18).
        if let Some(snippet) = within_words(text, &self.terms) {
            return snippet;
        }
        // No word of the query is in the text (it matched the title or a name): the opening.
        let opening: String = text.chars().take(SNIPPET_CHARS).collect();
        Snippet {
            cut_before: false,
            cut_after: opening.len() < text.len(),
            text: opening.trim_end().to_string(),
            highlights: Vec::new(),
        }
    }
}

/// Shortest query word looked for inside longer words: shorter ones would mark at random.
const MIN_PART_CHARS: usize = 4;

/// Characters shown before the first marked word of a [`within_words`] snippet.
const LEAD_CHARS: usize = 60;

/// The passage around the first word of `text` that holds one of `terms` inside it, with every
/// such word of the passage marked whole; `None` when no word does.
fn within_words(text: &str, terms: &[String]) -> Option<Snippet> {
    let terms: Vec<&str> = terms
        .iter()
        .map(String::as_str)
        .filter(|t| t.chars().count() >= MIN_PART_CHARS)
        .collect();
    if terms.is_empty() {
        return None;
    }
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(from)) => {
                let lower = text[from..i].to_lowercase();
                if terms.iter().any(|t| lower.contains(t)) {
                    words.push(from..i);
                }
                start = None;
            }
            _ => {}
        }
    }
    let first = words.first()?.start;
    // Back up to LEAD_CHARS characters, to the start of a word.
    let mut from = text[..first]
        .char_indices()
        .rev()
        .nth(LEAD_CHARS.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    if from > 0 {
        from = text[from..first]
            .find(char::is_whitespace)
            .map_or(first, |i| from + i);
    }
    let to = text[from..]
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(text.len(), |(i, _)| from + i);
    let shown = &text[from..to];
    let lead = shown.len() - shown.trim_start().len();
    let text_shown = shown.trim();
    let offset = from + lead;
    let highlights = words
        .into_iter()
        .filter(|w| w.start >= offset && w.end <= offset + text_shown.len())
        .map(|w| w.start - offset..w.end - offset)
        .collect();
    Some(Snippet {
        text: text_shown.to_string(),
        highlights,
        cut_before: offset > 0,
        cut_after: offset + text_shown.len() < text.len(),
    })
}

/// A snippet as plain text: a part of an item's text, the byte ranges of the words to mark in
/// it, and whether text was left out before and after it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    /// The part of the text shown.
    pub text: String,
    /// Byte ranges of `text` to mark, in order, neither overlapping nor adjacent.
    pub highlights: Vec<Range<usize>>,
    /// Whether the text goes on before the part shown.
    pub cut_before: bool,
    /// Whether the text goes on after the part shown.
    pub cut_after: bool,
}

impl Snippet {
    /// The snippet as the response carries it: HTML-escaped, the marked words in `<mark>`, an
    /// ellipsis ("… ", " …") where text was left out.
    pub fn to_html(&self) -> String {
        // A snippet with marks escapes an apostrophe as tantivy's snippets did (`&#x27;`), an
        // opening without marks as `escape_html` does (`&#39;`): both as they were before
        // snippets were kept as text (issue 14 changes no output).
        let escape = |s: &str| {
            if self.highlights.is_empty() {
                escape_html(s)
            } else {
                escape_html(s).replace("&#39;", "&#x27;")
            }
        };
        let mut html = String::with_capacity(self.text.len() + 16);
        if self.cut_before {
            html.push_str("… ");
        }
        let mut from = 0;
        for range in &self.highlights {
            let (Some(before), Some(marked)) = (
                self.text.get(from..range.start),
                self.text.get(range.clone()),
            ) else {
                continue;
            };
            html.push_str(&escape(before));
            html.push_str("<mark>");
            html.push_str(&escape(marked));
            html.push_str("</mark>");
            from = range.end;
        }
        html.push_str(&escape(self.text.get(from..).unwrap_or_default()));
        if self.cut_after {
            html.push_str(" …");
        }
        html
    }
}

/// Escapes text for HTML.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
    use tantivy::Term;

    use super::*;

    /// The snippet as `Snippets::make` wrote it before snippets were kept as text.
    fn before_issue_14(generator: &SnippetGenerator, text: &str) -> String {
        let mut snippet = generator.snippet(text);
        if !snippet.highlighted().is_empty() {
            snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
            let range = snippet.fragment_range();
            let before = if range.start > 0 { "… " } else { "" };
            let after = if range.end < text.len() { " …" } else { "" };
            return format!("{before}{}{after}", snippet.to_html().trim());
        }
        let opening: String = text.chars().take(SNIPPET_CHARS).collect();
        let ellipsis = if opening.len() < text.len() {
            " …"
        } else {
            ""
        };
        format!("{}{ellipsis}", escape_html(opening.trim_end()))
    }

    #[test]
    fn html_is_as_before_snippets_were_text() {
        let mut schema = Schema::builder();
        let words = schema.add_text_field(
            "words",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(paragraf_indexer::index::analysis::NAME)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        );
        let long = "Kommunen har beslutat. ".repeat(30);
        let texts = [
            "Budgeten för Östersund & <Åre> bordläggs.".to_string(),
            "  Budgeten 'Kalle's' \"plan\" budgeten  ".to_string(),
            format!("{long}Budgeten antas. {long}"),
            format!("budgeten {long}"),
            format!("{long} budgeten"),
            "Ingen träff här, 'alls' & <inte>.  ".to_string(),
            long.clone(),
            String::new(),
        ];
        for word in ["budgeten", "saknas"] {
            let query =
                TermQuery::new(Term::from_field_text(words, word), IndexRecordOption::Basic);
            let snippets = Snippets::new(&query, words, paragraf_indexer::index::analysis::name());
            for text in &texts {
                let made = snippets.make(text);
                assert_eq!(
                    made.to_html(),
                    before_issue_14(&snippets.generator, text),
                    "{word:?} in {text:?}"
                );
            }
        }
        let marked = snippets_of("budgeten", words).make("Budgeten för Östersund & <Åre>.");
        assert_eq!(
            marked,
            Snippet {
                // The fragment ends with its last word.
                text: "Budgeten för Östersund & <Åre".into(),
                highlights: std::iter::once(0..8).collect(),
                cut_before: false,
                cut_after: true,
            }
        );
    }

    #[test]
    fn a_word_found_inside_a_compound_is_marked_in_its_passage() {
        let mut schema = Schema::builder();
        let words = schema.add_text_field("words", TextOptions::default());
        let opening = "Östersund: Det finns smitta på några boenden. ".repeat(3);
        let text = format!("{opening}Besöksförbud gäller i Krokom, och besöksförbudet ses över.");
        let made = snippets_of("förbud", words).make(&text);
        assert_eq!(
            made.to_html(),
            "… boenden. Östersund: Det finns smitta på några boenden. \
             <mark>Besöksförbud</mark> gäller i Krokom, och <mark>besöksförbudet</mark> ses över."
        );
        // Too short a word is not looked for inside others: the opening, unmarked.
        let made = snippets_of("bud", words).make(&text);
        assert!(made.highlights.is_empty() && !made.cut_before, "{made:?}");
    }

    fn snippets_of(word: &str, words: tantivy::schema::Field) -> Snippets {
        let query = TermQuery::new(Term::from_field_text(words, word), IndexRecordOption::Basic);
        Snippets::new(&query, words, paragraf_indexer::index::analysis::name())
    }
}
