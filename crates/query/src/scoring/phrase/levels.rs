//! The levels of a phrase ([`Levels`]: the phrase in stemmed forms, as typed, in any forms)
//! and how an item's counts at each become its score.

use tantivy::Score;

use crate::scoring::bm25::Bm25;

/// A form counts for the phrase as typed.
pub const TYPED: u8 = 1;
/// A form counts for the phrase of exact and stemmed forms.
pub const STEMMED: u8 = 2;
/// Every form counts for the phrase in any form, folded spellings included.
pub const ANY: u8 = 4;

/// The score of an item matching at two levels: the better one and a tenth of the other, as
/// a disjunction-max with a tie-breaker of 0.1 would give (the phrase levels were three
/// disjuncts of the clause's disjunction-max).
const TIE_BREAKER: Score = 0.1;
/// Each level's weight and BM25.
#[derive(Clone)]
pub(super) struct Levels {
    pub(super) stemmed: (Score, Bm25),
    pub(super) typed: Option<(Score, Bm25)>,
    pub(super) folded: Option<(Score, Bm25)>,
}

impl Levels {
    pub(super) fn score(&self, norm_id: u8, counts: Counts) -> Score {
        let level = |level: &(Score, Bm25), count: u32| {
            if count == 0 {
                0.0
            } else {
                level.0 * level.1.of(norm_id, count as Score)
            }
        };
        let mut stemmed = level(&self.stemmed, counts.stemmed);
        if let Some(typed) = &self.typed {
            stemmed += level(typed, counts.typed);
        }
        let folded = self.folded.as_ref().map_or(0.0, |f| level(f, counts.any));
        stemmed.max(folded) + TIE_BREAKER * stemmed.min(folded)
    }
}

/// The phrase's frequency in the current item at each level.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Counts {
    pub(super) typed: u32,
    pub(super) stemmed: u32,
    pub(super) any: u32,
}
