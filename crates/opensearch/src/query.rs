//! What a user typed becomes an OpenSearch query on the ranking ladder of
//! `paragraf_query::plan`, with the same boosts: each clause is a `dis_max` (tie breaker 0.1)
//! over the ways its word can match, names and the stemmed title 3, stemmed decisions 2, the
//! exact spelling 1.5, other forms of the stem 1, other inflections 0.8, compound parts 0.5,
//! folded spellings 0.3 and words a typo away 0.1 (only for a word no item holds).
//!
//! The plan also keeps what each clause looks for ([`Marks`]), so that snippets mark the same
//! words the tantivy engine marks.

use std::collections::{BTreeSet, HashMap};

use paragraf_query::query::{Term as QTerm, UserQuery};
use paragraf_query::scoring::forms::fold;
use paragraf_query::Analysis;
use serde_json::{json, Value};

use crate::document::Analyzers;

use paragraf_query::plan::{
    DECISION_BOOST, EXACT_BOOST, FOLDED_BOOST, INFLECTION_BOOST, NAME_BOOST, PARTS_BOOST,
    TEXT_BOOST, TITLE_BOOST, TYPO_BOOST,
};

/// What the cluster said about the query's words before the search: how many items hold each
/// as written, and the words of the index within one or two typos.
#[derive(Debug, Default)]
pub struct Probe {
    /// Items holding each word (the `words` field).
    pub doc_freq: HashMap<String, u64>,
    /// Words a typo or two away (same first letter), with their item counts.
    pub near: HashMap<String, Vec<(String, u8, u64)>>,
}

impl Probe {
    fn df(&self, word: &str) -> u64 {
        self.doc_freq.get(word).copied().unwrap_or(0)
    }
}

/// The words of a query worth probing: single words of five letters or more (typos) and
/// alphabetic words of four or more (did-you-mean).
pub fn probe_words(user: &UserQuery, analyzers: &mut Analyzers) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for clause in user.positive() {
        if let QTerm::Word(w) = &clause.term {
            let lower = w.to_lowercase();
            if lower.chars().count() >= 4 {
                out.insert(lower);
            }
            if let [word] = analyzers.words(w).as_slice() {
                if word.chars().count() >= 4 {
                    out.insert(word.clone());
                }
            }
        }
    }
    out
}

/// The largest number of typos allowed in a word (Meilisearch's rule, as the tantivy engine).
pub fn max_distance(word: &str) -> u8 {
    if word.chars().count() >= 9 {
        2
    } else {
        1
    }
}

/// Which words of a text a search looked for, to mark them in the snippet.
#[derive(Debug, Default, Clone)]
pub struct Marks {
    /// Words matched as written.
    exact: BTreeSet<String>,
    /// Stems whose forms match.
    stems: BTreeSet<String>,
    /// Folded stems whose forms match.
    folded: BTreeSet<String>,
}

impl Marks {
    /// The words of `text` to mark.
    pub fn words_of(&self, text: &str, analyzers: &mut Analyzers) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for word in analyzers.words(text) {
            if out.contains(&word) {
                continue;
            }
            let hit = self.exact.contains(&word) || {
                let stem = analyzers.stem(&word);
                self.stems.contains(&stem)
                    || (!self.folded.is_empty() && self.folded.contains(&fold(&stem)))
            };
            if hit {
                out.insert(word);
            }
        }
        out
    }
}

/// The planned text query.
pub struct Planned {
    /// The query clause of the search body.
    pub query: Value,
    /// What to mark in snippets.
    pub marks: Marks,
}

/// Plans the text query of `user`, all words (`any` false) or any.
pub fn text_query(
    user: &UserQuery,
    any: bool,
    analysis: Analysis,
    probe: &Probe,
    analyzers: &mut Analyzers,
) -> Planned {
    let mut marks = Marks::default();
    let mut must = Vec::new();
    let mut should = Vec::new();
    let mut must_not = Vec::new();
    for clause in &user.clauses {
        let Some(query) = clause_query(&clause.term, analysis, probe, analyzers, &mut marks) else {
            continue;
        };
        if clause.negated {
            must_not.push(query);
        } else if any {
            should.push(query);
        } else {
            must.push(query);
        }
    }
    let query = if must.is_empty() && should.is_empty() {
        if user.is_empty() {
            json!({"match_all": {}})
        } else {
            // Words that analyse to nothing ("!!!") match nothing rather than everything.
            json!({"match_none": {}})
        }
    } else {
        let mut b = json!({"must": must, "must_not": must_not});
        if !should.is_empty() {
            b["should"] = Value::Array(should);
            b["minimum_should_match"] = json!(1);
        }
        json!({ "bool": b })
    };
    Planned { query, marks }
}

fn term(field: &str, value: &str, boost: f32) -> Value {
    json!({"term": {field: {"value": value, "boost": boost}}})
}

/// One word a term, several a phrase, none nothing.
fn words_query(field: &str, words: &[String], boost: f32) -> Option<Value> {
    match words {
        [] => None,
        [one] => Some(term(field, one, boost)),
        many => Some(json!({"match_phrase": {field: {"query": many.join(" "), "boost": boost}}})),
    }
}

fn dismax(disjuncts: Vec<Value>) -> Option<Value> {
    if disjuncts.is_empty() {
        return None;
    }
    Some(json!({"dis_max": {"queries": disjuncts, "tie_breaker": 0.1}}))
}

fn clause_query(
    qterm: &QTerm,
    analysis: Analysis,
    probe: &Probe,
    analyzers: &mut Analyzers,
    marks: &mut Marks,
) -> Option<Value> {
    let (text, is_word) = match qterm {
        QTerm::Word(w) => (w.clone(), true),
        QTerm::Phrase(words) => (words.join(" "), false),
        QTerm::Prefix(p) => return prefix_query(p, analysis),
    };
    let mut disjuncts = Vec::new();
    let surface = analyzers.words(&text);
    disjuncts.extend(words_query("speaker_names", &surface, NAME_BOOST));
    if analysis == Analysis::Plain {
        disjuncts.extend(words_query("words", &surface, TEXT_BOOST));
        marks.exact.extend(surface);
        return dismax(disjuncts);
    }
    let full = analysis == Analysis::Full;
    let sv = analyzers.stems(&text);
    disjuncts.extend(words_query("title", &sv, TITLE_BOOST));
    disjuncts.extend(words_query("decisions", &sv, DECISION_BOOST));
    marks.stems.extend(sv.iter().cloned());
    if full {
        marks.exact.extend(surface.iter().cloned());
        marks.folded.extend(sv.iter().map(|s| fold(s)));
    }
    let ([word], [stem]) = (surface.as_slice(), sv.as_slice()) else {
        // Several words: the phrase as typed above the same phrase in other forms.
        if full {
            disjuncts.extend(words_query("words", &surface, EXACT_BOOST));
            let folded: Vec<String> = sv.iter().map(|s| fold(s)).collect();
            disjuncts.extend(words_query("folded", &folded, FOLDED_BOOST));
        }
        disjuncts.extend(words_query("stems", &sv, TEXT_BOOST));
        return dismax(disjuncts);
    };
    if !full {
        disjuncts.push(term("stems", stem, TEXT_BOOST));
        return dismax(disjuncts);
    }
    disjuncts.push(term("words", word, EXACT_BOOST));
    disjuncts.push(term("stems", stem, TEXT_BOOST));
    let others = if is_word {
        paragraf_query::plan::other_inflections(word, &sv, |candidate| analyzers.stems(candidate))
    } else {
        Vec::new()
    };
    for other in &others {
        disjuncts.push(term("stems", other, INFLECTION_BOOST));
    }
    let mut folded: Vec<String> = std::iter::once(stem)
        .chain(&others)
        .map(|s| fold(s))
        .collect();
    folded.dedup();
    for f in &folded {
        disjuncts.push(term("folded", f, FOLDED_BOOST));
    }
    marks.stems.extend(others.iter().cloned());
    marks.folded.extend(folded);
    if !is_word {
        return dismax(disjuncts);
    }
    for other in &others {
        disjuncts.push(term("title", other, INFLECTION_BOOST));
    }
    disjuncts.push(term("parts", stem, PARTS_BOOST));
    // Typos only for a word no item holds, as in the tantivy engine: a word that exists is
    // what the user meant.
    if word.chars().count() >= 5 && probe.df(word) == 0 {
        if let Some(near) = probe.near.get(word.as_str()) {
            let words: Vec<&str> = near.iter().map(|(w, _, _)| w.as_str()).collect();
            if !words.is_empty() {
                marks.exact.extend(words.iter().map(|w| w.to_string()));
                disjuncts.push(json!({"constant_score": {
                    "filter": {"terms": {"words": words}},
                    "boost": TYPO_BOOST
                }}));
            }
        }
    }
    dismax(disjuncts)
}

fn prefix_query(prefix: &str, analysis: Analysis) -> Option<Value> {
    let lower: String = prefix
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    if lower.is_empty() {
        return None;
    }
    let prefix = |field: &str, value: &str, boost: f32| json!({"prefix": {field: {"value": value, "boost": boost}}});
    let mut disjuncts = vec![
        prefix("words", &lower, TEXT_BOOST),
        prefix("speaker_names", &lower, NAME_BOOST),
    ];
    if analysis != Analysis::Plain {
        disjuncts.push(prefix("title", &lower, TITLE_BOOST));
        disjuncts.push(prefix("decisions", &lower, DECISION_BOOST));
    }
    if analysis == Analysis::Full {
        disjuncts.push(prefix("words_folded", &fold(&lower), FOLDED_BOOST));
    }
    dismax(disjuncts)
}

/// The optimal-string-alignment distance (a transposition is one edit), as the tantivy
/// engine's Levenshtein automata count.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// "Did you mean": each word of four letters or more that no item holds, replaced by the
/// nearest word of the index (fewest typos, then most items, then alphabetical).
pub fn did_you_mean(user: &UserQuery, typed: &str, probe: &Probe) -> Option<String> {
    let mut corrected = typed.to_string();
    let mut changed = false;
    for clause in user.positive() {
        let QTerm::Word(word) = &clause.term else {
            continue;
        };
        let lower = word.to_lowercase();
        if lower.chars().count() < 4 || !lower.chars().all(char::is_alphabetic) {
            continue;
        }
        if probe.df(&lower) > 0 {
            continue;
        }
        let best = probe
            .near
            .get(&lower)
            .into_iter()
            .flatten()
            .min_by(|a, b| {
                a.1.cmp(&b.1)
                    .then_with(|| b.2.cmp(&a.2))
                    .then_with(|| a.0.cmp(&b.0))
            })
            .map(|n| n.0.clone());
        if let Some(best) = best {
            corrected = corrected.replacen(word.as_str(), &best, 1);
            changed = true;
        }
    }
    changed.then_some(corrected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_a_transposition_as_one() {
        assert_eq!(distance("munskyd", "munskydd"), 1);
        assert_eq!(distance("munksydd", "munskydd"), 1);
        assert_eq!(distance("vård", "vård"), 0);
        assert_eq!(distance("", "abc"), 3);
    }

    #[test]
    fn one_word_is_a_dis_max_on_the_ladder() {
        let mut analyzers = Analyzers::default();
        let user = UserQuery::parse("förbudet");
        let planned = text_query(
            &user,
            false,
            Analysis::Full,
            &Probe::default(),
            &mut analyzers,
        );
        let clause = &planned.query["bool"]["must"][0]["dis_max"];
        assert_eq!(clause["tie_breaker"], json!(0.1));
        let fields: Vec<String> = clause["queries"]
            .as_array()
            .expect("queries")
            .iter()
            .filter_map(|q| q["term"].as_object())
            .flat_map(|t| {
                t.iter().map(|(f, v)| {
                    format!("{f}:{}^{}", v["value"].as_str().unwrap_or(""), v["boost"])
                })
            })
            .collect();
        assert_eq!(
            fields[..6],
            [
                "speaker_names:förbudet^3.0",
                "title:förbud^3.0",
                "decisions:förbud^2.0",
                "words:förbudet^1.5",
                "stems:förbud^1.0",
                "stems:förbudet^0.800000011920929",
            ]
        );
        let marks = planned
            .marks
            .words_of("Ett förbud, ett forbud och förbudet.", &mut analyzers);
        assert_eq!(
            marks.into_iter().collect::<Vec<_>>(),
            ["forbud", "förbud", "förbudet"]
        );
    }
}
