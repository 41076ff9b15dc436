//! Decisions recorded in an item: what officials search for most (DOMAIN.md § 2).
//!
//! A decision is a sentence where a body decides ("Kommunstyrelsen beslutar att …",
//! "Ledamöterna beslutar att …", "Socsam beslutade den 4 dec att rekommendera …", "På Socsam
//! beslutades att …", "presidiet har beslutat att …"), or the paragraph after a "Beslut" heading
//! or a "Beslut:" label. Questions ("Har något beslutats?") and relative clauses ("parter som
//! har beslutat att delta") record nothing and are left out.

use std::sync::LazyLock;

use regex::Regex;

use crate::minutes::clean::{lowercase_eq, sentences};

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
];

/// Headings that end a proposal section.
const OTHER_HEADINGS: &[&str] = &[
    "beslut",
    "propositionsordning",
    "omröstning",
    "reservation",
    "reservationer",
    "protokollsanteckning",
    "ärendebeskrivning",
    "beslutsunderlag",
    "bakgrund",
    "expedieras till",
    "beslutet skickas till",
];

/// The decisions recorded in an item's paragraphs, in order, each a sentence or paragraph.
pub fn decisions(paragraphs: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut after_heading = false;
    let mut in_proposal = false;
    for paragraph in paragraphs {
        let trimmed = paragraph.trim();
        let is_heading = |headings: &[&str]| headings.iter().any(|h| lowercase_eq(trimmed, h));
        if is_heading(PROPOSAL_HEADINGS) {
            in_proposal = true;
            continue;
        }
        if is_heading(OTHER_HEADINGS) {
            in_proposal = false;
        }
        if in_proposal {
            continue;
        }
        if after_heading {
            out.push(trimmed.to_string());
            after_heading = false;
            continue;
        }
        if trimmed.eq_ignore_ascii_case("beslut") {
            after_heading = true;
            continue;
        }
        if let Some(caps) = LABEL.captures(trimmed) {
            // "Förslag till beslut:" proposes; only "Beslut:" records.
            if !caps[1].to_lowercase().starts_with("förslag") {
                out.push(caps[2].trim().to_string());
            }
            continue;
        }
        for sentence in sentences(trimmed) {
            if is_decision(sentence) {
                out.push(sentence.to_string());
            }
        }
    }
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
