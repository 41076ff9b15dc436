//! Markdown exports of protokoll (converter output: YAML front matter, `<!-- sida N -->` page
//! markers, `#` headings, `**bold**`, `>` quotes, pipe tables with `<br>` in cells) read as the
//! plain text they stand for (issue 15, docs/domain.md § 2).
//!
//! The markup carries no words, so it is taken away line by line; a page marker becomes a form
//! feed (a page break, as in the `.txt` exports), table cells are separated by wide gaps as
//! columns of a layout text are, and `<br>` inside a cell becomes a line break. The front
//! matter's fields are kept apart: those that name a meeting field (`datum`/`date`,
//! `namnd`/`organ`/`body`, `kommun`) feed the meeting, the others are ignored.
//!
//! ```
//! use paragraf_indexer::minutes::markdown::strip;
//!
//! let md = "---\ndatum: \"2016-01-26\"\n---\n<!-- sida 2 -->\n## **§ 4**\n|§|2|Val||5|\n";
//! let doc = strip(md).expect("markdown");
//! assert_eq!(doc.front_matter, vec![("datum".to_string(), "2016-01-26".to_string())]);
//! assert_eq!(doc.text, "\u{c}\n§ 4\n §   2   Val      5\n");
//! ```

/// A Markdown text read as plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stripped {
    /// The text without markup.
    pub text: String,
    /// The front matter's `key: value` pairs, quotes removed, in order.
    pub front_matter: Vec<(String, String)>,
}

/// Whether a text is a converter's Markdown: front matter, page markers, `<br>` or bold
/// headings. Plain layout text has none of these.
pub fn is_markdown(text: &str) -> bool {
    text.starts_with("---\n")
        || text.starts_with("---\r\n")
        || text.contains("<!-- sida")
        || text.contains("<br>")
        || text.lines().take(400).any(|l| {
            let l = l.trim_start();
            l.starts_with("## ") || l.starts_with("# **") || l.starts_with("**")
        })
}

/// The plain text of a Markdown export, or `None` when the text is no Markdown.
pub fn strip(text: &str) -> Option<Stripped> {
    if !is_markdown(text) {
        return None;
    }
    let mut front_matter = Vec::new();
    let mut body = text;
    if let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    {
        if let Some(end) = rest.find("\n---") {
            for line in rest[..end].lines() {
                if let Some((k, v)) = line.split_once(':') {
                    let v = v.trim().trim_matches(['"', '\'']).trim();
                    if !k.starts_with(' ') && !v.is_empty() && v != "null" {
                        front_matter.push((k.trim().to_string(), v.to_string()));
                    }
                }
            }
            body = rest[end + 4..]
                .split_once('\n')
                .map_or("", |(_, after)| after);
        }
    }
    let mut out = String::with_capacity(body.len());
    for line in body.lines() {
        if strip_line(line, &mut out) {
            out.push('\n');
        }
    }
    Some(Stripped {
        text: out,
        front_matter,
    })
}

/// One line without markup, appended to `out` (a page marker becomes a form feed); false when
/// the line is dropped whole.
fn strip_line(line: &str, out: &mut String) -> bool {
    let trimmed = line.trim();
    if trimmed.starts_with("<!--") && trimmed.ends_with("-->") {
        if trimmed.contains("sida") {
            out.push('\u{c}');
            return true;
        }
        return false;
    }
    // A table's separator row.
    if trimmed.starts_with('|') && trimmed.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
        return false;
    }
    let mut s = trimmed;
    // Headings, quotes and the converter's list marker in front of a heading ("- § 1").
    s = s.trim_start_matches('#').trim_start();
    while let Some(rest) = s.strip_prefix('>') {
        s = rest.trim_start();
    }
    let is_table = s.starts_with('|');
    let mut cell = String::with_capacity(s.len());
    for c in s.replace("**", "").replace("<br/>", "<br>").split("<br>") {
        if !cell.is_empty() {
            cell.push('\n');
        }
        cell.push_str(c);
    }
    if is_table {
        // Cells become columns with wide gaps, as in a layout text; an empty cell stays a gap.
        let inner = cell.trim().trim_start_matches('|').trim_end_matches('|');
        let cells: Vec<&str> = inner.split('|').map(str::trim).collect();
        out.push(' ');
        out.push_str(&cells.join("   "));
    } else {
        out.push_str(&cell);
    }
    true
}

/// The front-matter value of the first key in `keys` that is present.
pub fn field<'a>(front_matter: &'a [(String, String)], keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|k| {
        front_matter
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_no_markdown() {
        assert_eq!(strip("SBN § 38   SBN/2025:74\nBeslut\n"), None);
    }

    #[test]
    fn markup_goes_words_stay() {
        let doc = strip("<!-- sida 1 -->\n> Beslutande Anna (S)\n## **BEHANDLING** **Beslut**\n- § 1\n|a<br>b|c|\n|---|---|\n").expect("md");
        assert_eq!(
            doc.text,
            "\u{c}\nBeslutande Anna (S)\nBEHANDLING Beslut\n- § 1\n a\nb   c\n"
        );
        assert!(doc.front_matter.is_empty());
    }
}
