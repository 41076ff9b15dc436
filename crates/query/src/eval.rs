//! Relevance evaluation: a set of judged queries run against an index, scored with
//! recall@10, MRR@10 and nDCG@10, per phenomenon (compounds, inflection, diacritics, typos …)
//! and in total.
//!
//! The judgments live in `tests/relevance/queries.toml` (items judged by reading the texts) and
//! `tests/relevance/riksdagen.toml` (graded: `relevant` is grade 2, `partial` grade 1);
//! `paragraf eval` prints the table and the tests hold the figures above thresholds, so a
//! regression in analysis or ranking fails CI.
//!
//! nDCG@10 uses graded gains (2 for `relevant`, 1 for `partial`; the ideal ranking is every
//! judged item by grade), recall@10 and MRR count an item of either grade as found. A set
//! without `partial` scores exactly as with binary gains.

mod precision;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::backend::SearchEngine;
use crate::error::{Error, Result};
use crate::request::{Analysis, SearchRequest};

pub use precision::{form_precision, FormPrecision, PRECISION_PHENOMENA};

/// Cut-off of every measure.
pub const CUTOFF: usize = 10;

/// One judged query.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Judgment {
    /// The query as typed.
    pub q: String,
    /// What it tests: keyword, inflection, compound, diacritics, typo, acronym, name, phrase.
    pub phenomenon: String,
    /// Item ids a good search returns (grade 2).
    pub relevant: Vec<String>,
    /// Item ids that touch the query only partly (grade 1).
    #[serde(default)]
    pub partial: Vec<String>,
    /// Why, in words.
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
struct JudgmentFile {
    query: Vec<Judgment>,
}

/// Reads judgments from TOML text (`[[query]]` tables).
pub fn parse_judgments(text: &str) -> Result<Vec<Judgment>> {
    let file: JudgmentFile = toml::from_str(text).map_err(|e| Error::InvalidParameter {
        param: "judgments".into(),
        message: e.to_string(),
    })?;
    Ok(file.query)
}

/// Measures of one query or the mean of several.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Scores {
    /// Share of the relevant items found in the first ten hits.
    pub recall: f64,
    /// Reciprocal rank of the first relevant hit (0 beyond ten).
    pub mrr: f64,
    /// Normalised discounted cumulative gain over the first ten hits.
    pub ndcg: f64,
}

/// Scores a ranked list of ids against the relevant ones (all of grade 2).
pub fn score(ranked: &[String], relevant: &[String]) -> Scores {
    score_graded(ranked, relevant, &[])
}

/// Scores a ranked list of ids against graded judgments: `relevant` gain 2, `partial` gain 1
/// in nDCG@10; recall@10 and MRR count both as relevant.
pub fn score_graded(ranked: &[String], relevant: &[String], partial: &[String]) -> Scores {
    let top = &ranked[..ranked.len().min(CUTOFF)];
    let gain = |id: &String| -> f64 {
        if relevant.contains(id) {
            2.0
        } else if partial.contains(id) {
            1.0
        } else {
            0.0
        }
    };
    let judged = relevant.len() + partial.iter().filter(|p| !relevant.contains(p)).count();
    let found = top.iter().filter(|id| gain(id) > 0.0).count();
    let recall = if judged == 0 {
        1.0
    } else {
        found as f64 / judged as f64
    };
    let mrr = top
        .iter()
        .position(|id| gain(id) > 0.0)
        .map_or(0.0, |p| 1.0 / (p as f64 + 1.0));
    let discount = |i: usize| 1.0 / (i as f64 + 2.0).log2();
    let dcg: f64 = top
        .iter()
        .enumerate()
        .map(|(i, id)| gain(id) * discount(i))
        .sum();
    let mut gains: Vec<f64> = std::iter::repeat_n(2.0, relevant.len())
        .chain(std::iter::repeat_n(1.0, judged - relevant.len()))
        .collect();
    gains.truncate(CUTOFF);
    let ideal: f64 = gains.iter().enumerate().map(|(i, g)| g * discount(i)).sum();
    let ndcg = if ideal > 0.0 { dcg / ideal } else { 1.0 };
    Scores { recall, mrr, ndcg }
}

fn mean(scores: &[Scores]) -> Scores {
    if scores.is_empty() {
        return Scores::default();
    }
    let n = scores.len() as f64;
    Scores {
        recall: scores.iter().map(|s| s.recall).sum::<f64>() / n,
        mrr: scores.iter().map(|s| s.mrr).sum::<f64>() / n,
        ndcg: scores.iter().map(|s| s.ndcg).sum::<f64>() / n,
    }
}

/// The result of running a judgment set with one analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The analysis used.
    pub analysis: Analysis,
    /// Mean scores per phenomenon, with the number of queries.
    pub by_phenomenon: BTreeMap<String, (usize, Scores)>,
    /// Mean scores over all queries.
    pub total: Scores,
    /// Per query: the query and its scores, in the order of the set.
    pub queries: Vec<(String, Scores)>,
}

/// Runs every judged query with the given analysis.
pub fn evaluate(
    engine: &(impl SearchEngine + ?Sized),
    judgments: &[Judgment],
    analysis: Analysis,
) -> Result<Report> {
    let mut per_query = Vec::with_capacity(judgments.len());
    let mut groups: BTreeMap<String, Vec<Scores>> = BTreeMap::new();
    for judgment in judgments {
        let req = SearchRequest {
            q: judgment.q.clone(),
            limit: CUTOFF,
            analysis,
            ..SearchRequest::default()
        };
        let ranked: Vec<String> = engine
            .search(&req)?
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect();
        let scores = score_graded(&ranked, &judgment.relevant, &judgment.partial);
        groups
            .entry(judgment.phenomenon.clone())
            .or_default()
            .push(scores);
        per_query.push((judgment.q.clone(), scores));
    }
    let all: Vec<Scores> = per_query.iter().map(|(_, s)| *s).collect();
    Ok(Report {
        analysis,
        by_phenomenon: groups
            .into_iter()
            .map(|(k, v)| (k, (v.len(), mean(&v))))
            .collect(),
        total: mean(&all),
        queries: per_query,
    })
}

/// A Markdown table of several reports side by side: one row per phenomenon and a total,
/// recall@10 / MRR / nDCG@10 for each analysis.
pub fn table(reports: &[Report]) -> String {
    let mut out = String::new();
    let _ = write!(out, "| phenomenon | queries |");
    for r in reports {
        let name = analysis_name(r.analysis);
        let _ = write!(out, " {name} R@10 | {name} MRR | {name} nDCG@10 |");
    }
    out.push('\n');
    out.push_str("|---|---:|");
    for _ in reports {
        out.push_str("---:|---:|---:|");
    }
    out.push('\n');
    let Some(first) = reports.first() else {
        return out;
    };
    let mut rows: Vec<(String, usize)> = first
        .by_phenomenon
        .iter()
        .map(|(k, (n, _))| (k.clone(), *n))
        .collect();
    rows.push(("**total**".to_string(), first.queries.len()));
    for (phenomenon, n) in rows {
        let _ = write!(out, "| {phenomenon} | {n} |");
        for r in reports {
            let s = if phenomenon == "**total**" {
                r.total
            } else {
                r.by_phenomenon
                    .get(&phenomenon)
                    .map(|(_, s)| *s)
                    .unwrap_or_default()
            };
            let _ = write!(out, " {:.3} | {:.3} | {:.3} |", s.recall, s.mrr, s.ndcg);
        }
        out.push('\n');
    }
    out
}

fn analysis_name(a: Analysis) -> &'static str {
    match a {
        Analysis::Plain => "plain",
        Analysis::Stemmed => "stemmed",
        Analysis::Full => "full",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn perfect_ranking_scores_one() {
        let s = score(&ids(&["a", "b", "x"]), &ids(&["a", "b"]));
        assert_eq!(
            s,
            Scores {
                recall: 1.0,
                mrr: 1.0,
                ndcg: 1.0
            }
        );
    }

    #[test]
    fn late_and_missing_hits_cost() {
        let s = score(&ids(&["x", "a"]), &ids(&["a", "b"]));
        assert_eq!(s.recall, 0.5);
        assert_eq!(s.mrr, 0.5);
        let expected = (1.0 / 3f64.log2()) / (1.0 + 1.0 / 3f64.log2());
        assert!((s.ndcg - expected).abs() < 1e-12, "{}", s.ndcg);
        assert_eq!(score(&[], &ids(&["a"])), Scores::default());
    }

    #[test]
    fn judgments_parse() {
        let j = parse_judgments(
            "[[query]]\nq = \"förbud\"\nphenomenon = \"compound\"\nrelevant = [\"a.01\"]\n",
        )
        .expect("parses");
        assert_eq!(j[0].relevant, vec!["a.01"]);
        assert_eq!(j[0].phenomenon, "compound");
        assert!(j[0].partial.is_empty());
    }

    #[test]
    fn partial_items_gain_half() {
        // Ideal: 2 then 1. Ranked: the partial one first, then the relevant one.
        let s = score_graded(&ids(&["p", "r"]), &ids(&["r"]), &ids(&["p"]));
        let ideal = 2.0 + 1.0 / 3f64.log2();
        let dcg = 1.0 + 2.0 / 3f64.log2();
        assert!((s.ndcg - dcg / ideal).abs() < 1e-12, "{}", s.ndcg);
        assert_eq!((s.recall, s.mrr), (1.0, 1.0));
        assert_eq!(
            score_graded(&ids(&["r", "p"]), &ids(&["r"]), &ids(&["p"])).ndcg,
            1.0
        );
    }
}
