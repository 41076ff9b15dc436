//! Cleaning scraped minutes text before it is split into items.
//!
//! The region's meeting pages carry page chrome at both ends ("Hoppa över navigering", the
//! cookie notice), are full of non-breaking spaces and have lines that hold only white space
//! (docs/domain.md § 1). Cleaning removes the chrome, makes every odd space a plain space, trims line
//! ends and collapses runs of blank lines, while keeping each line's indentation: the splitter
//! needs it to tell agenda bullets from sub-bullets.

/// Lines that are page chrome, matched on the trimmed line's start (case-insensitive).
const CHROME_PREFIXES: &[&str] = &[
    "hoppa över navigering",
    "vi använder cookies",
    "till innehållet",
    "gå till innehåll",
    "dela sidan",
    "skriv ut sidan",
    "sidan uppdaterades",
    "senast uppdaterad",
];

/// Cleans minutes text: chrome lines dropped, U+00A0 and other space characters made a plain
/// space, zero-width characters removed, line ends trimmed, white-space-only lines made empty
/// and runs of empty lines collapsed to one. Leading indentation is kept.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = true; // suppress blank lines at the very start
    for raw in text.lines() {
        // Each line is normalised straight into `out` and taken back out when it is chrome or
        // blank: no allocation per line (issue #7).
        let start = out.len();
        push_normalized(&mut out, raw);
        let end = start + out[start..].trim_end().len();
        out.truncate(end);
        let line = &out[start..];
        if is_chrome(line) {
            out.truncate(start);
            continue;
        }
        if line.is_empty() {
            if !blank_run {
                out.push('\n');
                blank_run = true;
            }
            continue;
        }
        out.push('\n');
        blank_run = false;
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Whether a (trimmed-end) line is page chrome rather than minutes text.
pub fn is_chrome(line: &str) -> bool {
    let trimmed = line.trim_start();
    CHROME_PREFIXES
        .iter()
        .any(|p| lowercase_starts_with(trimmed, p))
}

/// Whether `s.to_lowercase()` starts with `prefix`, without allocating. `prefix` is lower case
/// and holds no sigma (the one letter whose lower case depends on its neighbours).
pub(crate) fn lowercase_starts_with(s: &str, prefix: &str) -> bool {
    let mut lower = s.chars().flat_map(char::to_lowercase);
    prefix.chars().all(|p| lower.next() == Some(p))
}

/// Whether `s.to_lowercase() == lower`, without allocating; `lower` as for
/// [`lowercase_starts_with`].
#[allow(dead_code)]
pub(crate) fn lowercase_eq(s: &str, lower: &str) -> bool {
    // A character's lower case is never shorter than one character.
    s.len() <= 4 * lower.len() && s.chars().flat_map(char::to_lowercase).eq(lower.chars())
}

/// What [`normalize_spaces`] makes of a character: `None` to keep it, `Some(None)` to drop it,
/// `Some(Some(' '))` to replace it.
fn space_replacement(c: char) -> Option<Option<char>> {
    match c {
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\t' => {
            Some(Some(' '))
        }
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\r' => Some(None),
        _ => None,
    }
}

/// Appends `s` to `out` as [`normalize_spaces`] gives it, copying unchanged runs whole.
fn push_normalized(out: &mut String, s: &str) {
    let mut run = 0;
    for (i, c) in s.char_indices() {
        if let Some(replacement) = space_replacement(c) {
            out.push_str(&s[run..i]);
            if let Some(r) = replacement {
                out.push(r);
            }
            run = i + c.len_utf8();
        }
    }
    out.push_str(&s[run..]);
}

/// Replaces non-breaking and other Unicode spaces by a plain space and drops zero-width
/// characters and the byte-order mark, so that word boundaries are where a reader sees them.
pub fn normalize_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_normalized(&mut out, s);
    out
}

/// Collapses runs of spaces inside a line into one and trims it (indentation is not kept).
pub fn squeeze(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Splits a paragraph into sentences: at line breaks, and after ".", "!" or "?" followed by a
/// space and a capital letter (so "bl.a. av" and "ev. beslut" stay whole).
pub fn sentences(paragraph: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in paragraph.lines() {
        let mut start = 0;
        // The marks and the space are ASCII, so bytes can be scanned without decoding
        // characters (issue #7).
        for (i, &b) in line.as_bytes().iter().enumerate() {
            if matches!(b, b'.' | b'!' | b'?')
                && line.as_bytes().get(i + 1) == Some(&b' ')
                && line
                    .get(i + 2..)
                    .and_then(|rest| rest.chars().next())
                    .is_some_and(|c| c.is_uppercase() || c == '"')
            {
                out.push(line[start..=i].trim());
                start = i + 1;
            }
        }
        let rest = line[start..].trim();
        if !rest.is_empty() {
            out.push(rest);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_page_chrome_at_both_ends() {
        let raw = "Hoppa över navigering\n • Mötet öppnas.\n\nVi använder cookies på denna webbplats för att förbättra din användarupplevelse.";
        assert_eq!(clean(raw), " • Mötet öppnas.\n");
    }

    #[test]
    fn non_breaking_spaces_become_spaces_and_blank_lines_collapse() {
        let raw = " • Ett\u{a0}ärende\n\n  \u{a0} \n\n\n  Mer\u{a0}text.\u{a0}\n";
        assert_eq!(clean(raw), " • Ett ärende\n\n  Mer text.\n");
    }

    #[test]
    fn keeps_indentation_of_sub_bullets() {
        let raw = " • Punkt\n  • Underpunkt\n";
        assert_eq!(clean(raw), " • Punkt\n  • Underpunkt\n");
    }

    #[test]
    fn zero_width_and_soft_hyphen_are_removed() {
        assert_eq!(
            normalize_spaces("be\u{ad}söks\u{200b}förbud\r"),
            "besöksförbud"
        );
    }

    #[test]
    fn squeeze_collapses_inner_runs() {
        assert_eq!(
            squeeze("  ·   TNE-ärendet  var upp "),
            "· TNE-ärendet var upp"
        );
    }

    #[test]
    fn abbreviations_do_not_split_sentences() {
        assert_eq!(
            sentences("Olika förstärkningar, bl.a. av ambulansen. Urban Tirén svarar."),
            vec![
                "Olika förstärkningar, bl.a. av ambulansen.",
                "Urban Tirén svarar."
            ]
        );
    }
}
