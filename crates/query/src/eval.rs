//! Relevance evaluation: a set of judged queries run against an index, scored with
//! recall@10, MRR@10 and nDCG@10, per phenomenon (compounds, inflection, diacritics, typos …)
//! and in total.
//!
//! The judgments live in `tests/relevance/queries.toml` (items judged by reading the texts);
//! `paragraf eval` prints the table and the tests hold the figures above thresholds, so a
//! regression in analysis or ranking fails CI.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::backend::SearchEngine;
use crate::error::{Error, Result};
use crate::request::{Analysis, SearchRequest};

/// Cut-off of every measure.
pub const CUTOFF: usize = 10;

/// One judged query.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Judgment {
    /// The query as typed.
    pub q: String,
    /// What it tests: keyword, inflection, compound, diacritics, typo, acronym, name, phrase.
    pub phenomenon: String,
    /// Item ids a good search returns.
    pub relevant: Vec<String>,
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

/// Scores a ranked list of ids against the relevant ones.
pub fn score(ranked: &[String], relevant: &[String]) -> Scores {
    let top = &ranked[..ranked.len().min(CUTOFF)];
    let is_relevant = |id: &String| relevant.contains(id);
    let found = top.iter().filter(|id| is_relevant(id)).count();
    let recall = if relevant.is_empty() {
        1.0
    } else {
        found as f64 / relevant.len() as f64
    };
    let mrr = top
        .iter()
        .position(is_relevant)
        .map_or(0.0, |p| 1.0 / (p as f64 + 1.0));
    let dcg: f64 = top
        .iter()
        .enumerate()
        .filter(|(_, id)| is_relevant(id))
        .map(|(i, _)| 1.0 / (i as f64 + 2.0).log2())
        .sum();
    let ideal: f64 = (0..relevant.len().min(CUTOFF))
        .map(|i| 1.0 / (i as f64 + 2.0).log2())
        .sum();
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
        let scores = score(&ranked, &judgment.relevant);
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
    }
}
