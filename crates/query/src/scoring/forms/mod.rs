//! Query-time stemming and diacritic folding over the forms the index holds.
//!
//! The index keeps the item text once, as written and lower-cased (the `words` field): no
//! stemmed and no folded copy, which would each cost as much again to write. A query word is
//! instead expanded against the terms of `words`: [`expand`] walks the term dictionary of each
//! segment with [`FoldedPrefix`], an automaton that accepts the terms starting like the word's
//! stem with å/ä/ö and other Latin diacritics ignored and at most a suffix longer, stems each,
//! and keeps it on one of four [`Tier`]s: the word as typed, the same stem, the stem of another
//! inflection ("utskrivningsklar" / "utskrivningsklara", which Snowball keeps apart), or the
//! same stem once folded ("ostersund" typed for "Östersund").
//!
//! [`FormsQuery`] scores the kept forms as one word with one idf, so a rare inflection brings
//! no rare-word idf with it. The tiers are a ladder, as a disjunction-max would make it: an
//! item's frequency is counted on each rung, the exact spelling alone, then with the other
//! forms of the stem, then with other inflections, then with folded spellings, and the best
//! rung's BM25 times its weight is the score. An item with the exact spelling thus outranks
//! one with another inflection, and one with only a folded spelling ranks below both.
//!
//! Snowball's Swedish stemmer only removes endings, so a stem is always a prefix of its word:
//! looking at the terms that start with the stem finds every form of it.

mod automaton;
mod query;
mod scorer;
mod tier;
mod walk;

pub use automaton::{fold, FoldedPrefix, PrefixState};
pub use query::{FoldedPrefixQuery, FormsQuery};
pub use tier::{Form, Tier, TierWeights};
pub use walk::{expand, expand_paradigms, respellings};
