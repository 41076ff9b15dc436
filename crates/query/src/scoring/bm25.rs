//! BM25 as the forms and phrase scorers share it: one idf for several terms (a word's forms,
//! a phrase's words) and the field's average length; and helpers over a word's postings.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::SegmentPostings;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{DocId, DocSet, Score, Term, TERMINATED};

/// BM25 with one idf for all forms and the field's average length.
#[derive(Clone)]
pub(crate) struct Bm25 {
    /// idf × (k1 + 1).
    weight: Score,
    /// k1 × (1 − b + b × length / average length), per field norm id.
    norms: Box<[Score; 256]>,
}

const K1: Score = 1.2;
const B: Score = 0.75;

impl Bm25 {
    /// BM25 in `field` for these terms taken as one ([`idf`]).
    /// The statistics are the request's (the engine counts them over what the request may
    /// see, issue #20), not necessarily the whole index's.
    pub(crate) fn new<'a>(
        stats: &dyn Bm25StatisticsProvider,
        field: Field,
        terms: impl IntoIterator<Item = &'a Term>,
    ) -> tantivy::Result<Bm25> {
        let idf = idf(stats, terms)?;
        Bm25::with_idf(stats, field, idf)
    }

    /// BM25 in `field` with this idf (for a phrase: the sum of its words').
    pub(crate) fn with_idf(
        stats: &dyn Bm25StatisticsProvider,
        field: Field,
        idf: Score,
    ) -> tantivy::Result<Bm25> {
        let docs = stats.total_num_docs()?;
        let tokens = stats.total_num_tokens(field)?;
        let average = if docs == 0 {
            1.0
        } else {
            (tokens as Score / docs as Score).max(1.0)
        };
        let mut norms = Box::new([0.0; 256]);
        for (id, norm) in (0..=255u8).zip(norms.iter_mut()) {
            let length = FieldNormReader::id_to_fieldnorm(id) as Score;
            *norm = K1 * (1.0 - B + B * length / average);
        }
        Ok(Bm25 {
            weight: idf * (1.0 + K1),
            norms,
        })
    }

    /// BM25 of a frequency in an item of this field norm.
    #[inline]
    pub(crate) fn of(&self, norm_id: u8, tf: Score) -> Score {
        let norm = self.norms[usize::from(norm_id)];
        self.weight * tf / (tf + norm)
    }

    /// The best rung: each tier's weight times BM25 of the frequency up to that tier. A tier
    /// the item has no form of is skipped: its rung has the frequency of the one above and a
    /// weight no larger.
    pub(crate) fn score<const TIERS: usize>(
        &self,
        norm_id: u8,
        tfs: &[Score; TIERS],
        weights: &[Score; TIERS],
    ) -> Score {
        let norm = self.norms[usize::from(norm_id)];
        let mut tf = 0.0;
        let mut best: Score = 0.0;
        for (tier_tf, weight) in tfs.iter().zip(weights) {
            if *tier_tf == 0.0 {
                continue;
            }
            tf += tier_tf;
            best = best.max(weight * tf / (tf + norm));
        }
        best * self.weight
    }
}

/// The idf of one word in any of these forms: the items holding any of them (their sum, an
/// upper bound, is close enough) taken as one term's.
pub(crate) fn idf<'a>(
    stats: &dyn Bm25StatisticsProvider,
    forms: impl IntoIterator<Item = &'a Term>,
) -> tantivy::Result<Score> {
    let docs = stats.total_num_docs()?;
    let mut holding = 0u64;
    for term in forms {
        holding += stats.doc_freq(term)?;
    }
    let n = holding.min(docs) as Score;
    Ok((1.0 + (docs as Score - n + 0.5) / (n + 0.5)).ln())
}

/// The smallest current document of some postings (of a word's forms, each with a tag);
/// `TERMINATED` when they are spent.
pub(crate) fn min_doc<T>(postings: &[(SegmentPostings, T)]) -> DocId {
    postings
        .iter()
        .map(|(p, _)| p.doc())
        .min()
        .unwrap_or(TERMINATED)
}

/// How many documents some postings hold together, at most.
pub(crate) fn size_hint<T>(postings: &[(SegmentPostings, T)]) -> u32 {
    postings
        .iter()
        .map(|(p, _)| p.size_hint())
        .fold(0u32, u32::saturating_add)
}
