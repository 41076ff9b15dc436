//! Snippets: the part of an item's text around the words a query looked for, HTML-escaped,
//! the words in `<mark>`.

use std::collections::BTreeMap;

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;

/// Length of a snippet, in characters.
const SNIPPET_CHARS: usize = 220;

/// The snippet maker of a search.
pub(crate) struct Snippets {
    generator: SnippetGenerator,
}

impl Snippets {
    /// The snippet maker for a query: it marks the forms of the text (the `words` field, whose
    /// analyzer is `names`) that the query looked for.
    pub(crate) fn new(query: &dyn Query, words: Field, names: TextAnalyzer) -> Snippets {
        let mut terms = BTreeMap::new();
        query.query_terms(&mut |term, _| {
            if term.field() == words {
                if let Some(text) = term.value().as_str() {
                    terms.insert(text.to_string(), 1.0);
                }
            }
        });
        let mut generator = SnippetGenerator::new(terms, names, words, SNIPPET_CHARS);
        generator.set_max_num_chars(SNIPPET_CHARS);
        Snippets { generator }
    }

    /// The snippet of a text: around the query's words, or its opening when it has none.
    pub(crate) fn make(&self, text: &str) -> String {
        let mut snippet = self.generator.snippet(text);
        if !snippet.highlighted().is_empty() {
            snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
            let range = snippet.fragment_range();
            let before = if range.start > 0 { "… " } else { "" };
            let after = if range.end < text.len() { " …" } else { "" };
            return format!("{before}{}{after}", snippet.to_html().trim());
        }
        // No word of the query is in the text (it matched the title or a name): the opening.
        let opening: String = text.chars().take(SNIPPET_CHARS).collect();
        let ellipsis = if opening.len() < text.len() {
            " …"
        } else {
            ""
        };
        format!("{}{ellipsis}", escape_html(opening.trim_end()))
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
