//! The rungs of the ladder a word's forms stand on ([`Tier`]) and their weights.

/// How a form of the index relates to the word typed; see the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// The word as typed (lower-cased).
    Exact,
    /// Another form with the same stem.
    Stemmed,
    /// A form with the stem of another inflection of the word.
    Inflection,
    /// A form whose stem equals the word's once diacritics are folded.
    Folded,
}

/// The weight of each tier in a query; `None` leaves the tier out.
#[derive(Debug, Clone, Copy)]
pub struct TierWeights {
    /// Weight of the exact spelling.
    pub exact: f32,
    /// Weight of other forms with the same stem.
    pub stemmed: f32,
    /// Weight of forms of other inflections, if looked for.
    pub inflection: Option<f32>,
    /// Weight of diacritic-folded forms, if looked for.
    pub folded: Option<f32>,
}

impl TierWeights {
    /// The weight of a tier, `None` when it is left out.
    pub fn of(&self, tier: Tier) -> Option<f32> {
        match tier {
            Tier::Exact => Some(self.exact),
            Tier::Stemmed => Some(self.stemmed),
            Tier::Inflection => self.inflection,
            Tier::Folded => self.folded,
        }
    }
}

/// A form of the index that a query word expands to.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// The term, as the `words` field holds it.
    pub word: String,
    /// Its tier.
    pub tier: Tier,
    /// The tier's weight.
    pub weight: f32,
}

/// Number of [`Tier`]s.
pub(super) const TIERS: usize = 4;
