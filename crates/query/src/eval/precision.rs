//! Form precision of single-word queries (issue #16): of the top ten hits of a one-word
//! query, how many hold no form of the word, neither a member of one of its paradigms nor a
//! compound with such a member as a part. A false friend that the letters share ("dagligen"
//! for "dag", "statlig" for "stat") is such a hit.
//!
//! The judge is the Hunspell lexicon and the compound dictionary, not the engine's ranking:
//! a hit's words are read from its item (title, text, decisions) and compared with the word's
//! paradigms. A word the lexicon does not know counts its Snowball stem-mates as forms, as the
//! engine does. The measure needs the system dictionary (`scripts/setup` installs it); without
//! it every word is judged by Snowball alone.

use std::collections::BTreeSet;

use paragraf_indexer::index::analysis::{self, tokens, Dictionary, Lexicon};

use super::{Judgment, CUTOFF};
use crate::backend::SearchEngine;
use crate::error::Result;
use crate::request::{Analysis, SearchRequest};

/// The phenomena whose queries are typed as meant, so that the word is the word to find
/// (diacritics and typos are queries for another spelling; names and acronyms are not words
/// with forms).
pub const PRECISION_PHENOMENA: [&str; 4] = ["keyword", "inflection", "false_friend", "compound"];

/// The share of single-word queries' top hits that hold no form of the word.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormPrecision {
    /// Single-word queries measured.
    pub queries: usize,
    /// Their hits in the top ten.
    pub hits: usize,
    /// The hits without a form of the word: (query, item id).
    pub without_form: Vec<(String, String)>,
}

impl FormPrecision {
    /// The share of hits without a form (0 when there were no hits).
    pub fn share_without_form(&self) -> f64 {
        if self.hits == 0 {
            0.0
        } else {
            self.without_form.len() as f64 / self.hits as f64
        }
    }
}

/// Runs the single-word queries of `judgments` in the given phenomena with the full analysis
/// and judges each top-ten hit by its words.
pub fn form_precision(
    engine: &(impl SearchEngine + ?Sized),
    judgments: &[Judgment],
    phenomena: &[&str],
) -> Result<FormPrecision> {
    let lexicon = Lexicon::system();
    let dictionary = Dictionary::system();
    let mut names = analysis::name();
    // One analyzer for the query words and the hits' words (a RefCell: the word test is
    // called from inside the compound test).
    let swedish = std::cell::RefCell::new(analysis::swedish());
    let mut out = FormPrecision::default();
    for judgment in judgments {
        if !phenomena.contains(&judgment.phenomenon.as_str()) {
            continue;
        }
        let typed = tokens(&mut names, &judgment.q);
        let [word] = typed.as_slice() else {
            continue;
        };
        out.queries += 1;
        let forms: BTreeSet<String> = lexicon
            .map(|l| {
                l.paradigms(word)
                    .into_iter()
                    .flat_map(|p| p.forms)
                    .collect()
            })
            .unwrap_or_default();
        let stem = tokens(&mut swedish.borrow_mut(), word);
        let req = SearchRequest {
            q: judgment.q.clone(),
            limit: CUTOFF,
            analysis: Analysis::Full,
            ..SearchRequest::default()
        };
        for hit in engine.search(&req)?.hits {
            out.hits += 1;
            let item = engine.item(&hit.id, req.access)?.item;
            let mut text = item.title.clone().unwrap_or_default();
            for part in std::iter::once(&item.text).chain(&item.decisions) {
                text.push('\n');
                text.push_str(part);
            }
            let is_form = |t: &str| {
                t == word
                    || forms.contains(t)
                    || (forms.is_empty() && tokens(&mut swedish.borrow_mut(), t) == stem)
            };
            let holds = tokens(&mut names, &text).iter().any(|t| {
                is_form(t)
                    || dictionary
                        .as_ref()
                        .and_then(|d| d.split(t))
                        .is_some_and(|parts| {
                            parts
                                .iter()
                                .any(|p| is_form(p) || p.strip_suffix('s').is_some_and(is_form))
                        })
            });
            if !holds {
                out.without_form.push((judgment.q.clone(), hit.id));
            }
        }
    }
    Ok(out)
}
