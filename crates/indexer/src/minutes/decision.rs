//! Decisions recorded in an item: what officials search for most (docs/domain.md § 2).
//!
//! A decision is a sentence where a body decides ("Kommunstyrelsen beslutar att …",
//! "Ledamöterna beslutar att …", "Socsam beslutade den 4 dec att rekommendera …", "På Socsam
//! beslutades att …", "presidiet har beslutat att …"), or the paragraph after a "Beslut" heading
//! or a "Beslut:" label. Questions ("Har något beslutats?") and relative clauses ("parter som
//! har beslutat att delta") record nothing and are left out.

use std::sync::LazyLock;

use regex::Regex;

use crate::minutes::clean::sentences;

static DECIDES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(beslutar|beslutade|beslutades|beslöt|beslöts|har beslutat|hade beslutat)\b((?:\s+\S+){0,6}?)\s+att\b")
        .expect("constant regex compiles")
});
static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(som|vilka|vilket|om)\s+(har\s+|hade\s+)?$")
        .expect("constant regex compiles")
});
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i)(beslut|förslag till beslut|beslutet)\s*:\s*(.+)$")
        .expect("constant regex compiles")
});

/// Headings of a protokoll under which "… beslutar att …" is a proposal, not a decision.
const PROPOSAL_HEADINGS: &[&str] = &[
    "förslag till beslut",
    "yrkanden",
    "yrkande",
    "arbetsutskottets förslag",
    "förvaltningens förslag",
    "förslag",
];

/// What a line of a protokoll's item is, for the decision reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Heading {
    /// "Beslut", "Beslut:", "Nämndens beslut", "Barn- och utbildningsnämndens beslut",
    /// "BARN- OCH UTBILDNINGSNÄMNDENS BEHANDLING Barn- och utbildningsnämndens beslut".
    Decision,
    /// "Förslag till beslut (på sammanträdet)", "Yrkanden", "Utbildningsförvaltningens förslag".
    Proposal,
    /// Any other sub-heading: the decision block ends there.
    Other,
}

/// Sub-headings that end a decision block (besides proposals and decisions).
const ENDING_HEADINGS: &[&str] = &[
    "ärendebeskrivning",
    "sammanfattning",
    "sammanfattning av ärendet",
    "beslutsunderlag",
    "propositionsordning",
    "beslutsgång",
    "reservation",
    "reservationer",
    "protokollsanteckning",
    "protokollsanteckningar",
    "jäv",
    "expediering",
    "beslutet skickas till",
    "beslutet expedieras till",
    "beslutet expedieras",
    "expedieras till",
    "skickas till",
    "bakgrund",
    "omröstning",
    "omröstningsresultat",
    "motivering",
    "ärendet",
    "information",
];

fn heading_kind(line: &str) -> Option<(Heading, &str)> {
    let t = line.trim().trim_start_matches(['•', ' ']);
    // Headings are short; a long line can only open with an inline "X:s beslut: …".
    if t.len() > 160 {
        let head_end = t
            .char_indices()
            .take(80)
            .find(|(_, c)| matches!(c, ':' | '−'))
            .map(|(i, _)| i)?;
        let h = t[..head_end].trim().to_lowercase();
        let rest = t[head_end..].trim_start_matches([':', '−']).trim();
        return ((h == "beslut" || (h.ends_with("s beslut") && h.split_whitespace().count() <= 8))
            && !rest.is_empty())
        .then_some((Heading::Decision, rest));
    }
    let bare = t.trim_end_matches(':').trim();
    let lower = bare.to_lowercase();
    let words = bare.split_whitespace().count();
    if lower == "beslut" || lower == "beslutet" {
        return Some((Heading::Decision, ""));
    }
    if lower.starts_with("förslag till beslut") && words <= 6 && !bare.ends_with('.') {
        return Some((Heading::Proposal, ""));
    }
    if PROPOSAL_HEADINGS.iter().any(|h| lower == *h)
        || (words <= 6 && lower.ends_with("s förslag") && !bare.ends_with('.'))
    {
        return Some((Heading::Proposal, ""));
    }
    if words <= 12 && lower.ends_with("s beslut") {
        return Some((Heading::Decision, ""));
    }
    // "Beslut: Kommunstyrelsen godkänner …", "Nämndens beslut − Nämnden beslutar …"
    if let Some((head, rest)) = t.split_once([':', '−']) {
        let h = head.trim().to_lowercase();
        if (h == "beslut" || (h.ends_with("s beslut") && h.split_whitespace().count() <= 8))
            && !rest.trim().is_empty()
        {
            return Some((Heading::Decision, rest.trim()));
        }
    }
    if ENDING_HEADINGS.iter().any(|h| lower == *h)
        || lower.ends_with(" behandling")
        || [
            "expedieras till",
            "beslutet expedieras",
            "beslutet skickas",
            "skickas till",
        ]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return Some((Heading::Other, ""));
    }
    None
}

/// The decisions recorded in an item's paragraphs, in order. In a protokoll, the text under a
/// decision heading ("Beslut", "Nämndens beslut") up to the next sub-heading, one entry per
/// paragraph; the blocks under "Förslag till beslut", "Yrkanden" and "X:s förslag" propose and
/// are never decisions. An item without a decision heading gives its decision sentences
/// ("Ledamöterna beslutar att …").
pub fn decisions(paragraphs: &[String]) -> Vec<String> {
    let mut blocks: Vec<String> = Vec::new();
    let mut sentences_found: Vec<String> = Vec::new();
    let mut state: Option<Heading> = None;
    let mut current: Vec<&str> = Vec::new();
    let flush = |current: &mut Vec<&str>, blocks: &mut Vec<String>| {
        if !current.is_empty() {
            blocks.push(current.join(" "));
            current.clear();
        }
    };
    for paragraph in paragraphs {
        for line in paragraph.lines() {
            let trimmed = line.trim();
            if trimmed.starts_with("___") {
                flush(&mut current, &mut blocks);
                state = None;
                continue;
            }
            if let Some((kind, rest)) = heading_kind(trimmed) {
                flush(&mut current, &mut blocks);
                state = Some(kind);
                if kind == Heading::Decision && !rest.is_empty() {
                    current.push(rest);
                }
                continue;
            }
            match state {
                Some(Heading::Decision) => current.push(trimmed),
                Some(Heading::Proposal) => {}
                _ => {
                    if let Some(caps) = LABEL.captures(trimmed) {
                        if !caps[1].to_lowercase().starts_with("förslag") {
                            sentences_found.push(caps[2].trim().to_string());
                        }
                        continue;
                    }
                    for sentence in sentences(trimmed) {
                        if is_decision(sentence) {
                            sentences_found.push(sentence.to_string());
                        }
                    }
                }
            }
        }
        if state == Some(Heading::Decision) {
            flush(&mut current, &mut blocks);
        }
    }
    flush(&mut current, &mut blocks);
    let mut out = if blocks.is_empty() {
        sentences_found
    } else {
        blocks
    };
    out.dedup();
    out
}

fn is_decision(sentence: &str) -> bool {
    if sentence.trim_end().ends_with('?') {
        return false;
    }
    DECIDES.find_iter(sentence).any(|m| {
        let before = &sentence[..m.start()];
        !RELATIVE.is_match(before)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Vec<String> {
        decisions(&text.split("\n\n").map(str::to_string).collect::<Vec<_>>())
    }

    #[test]
    fn beslutar_att_is_a_decision() {
        assert_eq!(
            of("Ledamöterna beslutar att det blir ett corona-möte på onsdag. Både munskydd och handskar diskuteras."),
            vec!["Ledamöterna beslutar att det blir ett corona-möte på onsdag."]
        );
    }

    #[test]
    fn beslutade_with_words_between() {
        assert_eq!(
            of("Avtalet ska sägas upp. Socsam beslutade den 4 dec att rekommendera kommunerna att säga upp avtalet."),
            vec!["Socsam beslutade den 4 dec att rekommendera kommunerna att säga upp avtalet."]
        );
    }

    #[test]
    fn passive_beslutades() {
        assert_eq!(
            of("På Socsam 4 dec beslutades att rekommendera kommunerna att avslå ansökan."),
            vec!["På Socsam 4 dec beslutades att rekommendera kommunerna att avslå ansökan."]
        );
    }

    #[test]
    fn questions_and_relative_clauses_are_not_decisions() {
        assert_eq!(
            of("Fråga ställs om något har beslutats i frågan?"),
            Vec::<String>::new()
        );
        assert_eq!(
            of("Lena föredrar vilka parter som har beslutat att delta eller inte."),
            Vec::<String>::new()
        );
        assert_eq!(
            of("SVOM tog ju ett beslut vid förra sammanträdet."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn beslut_label_and_heading() {
        assert_eq!(
            of("Beslut: Kommunstyrelsen godkänner rapporten."),
            vec!["Kommunstyrelsen godkänner rapporten."]
        );
        assert_eq!(
            of("Beslut\n\nKommunstyrelsen godkänner rapporten.\n\nExpedieras till ekonomi."),
            vec!["Kommunstyrelsen godkänner rapporten."]
        );
        assert_eq!(
            of("Förslag till beslut: att godkänna."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn proposals_and_motions_are_not_decisions() {
        assert_eq!(
            of("Förslag till beslut\n\nKommunstyrelsen beslutar att godkänna förslaget.\n\nYrkanden\n\nRolf Lilja (S) yrkar avslag.\n\nBeslut\n\nKommunstyrelsen beslutar att anta rambudgeten."),
            vec!["Kommunstyrelsen beslutar att anta rambudgeten."]
        );
    }

    #[test]
    fn kommunstyrelsen_beslutar() {
        assert_eq!(
            of("Kommunstyrelsen beslutar att anta budgeten för 2014."),
            vec!["Kommunstyrelsen beslutar att anta budgeten för 2014."]
        );
    }
}
