//! [`PhraseFormsScorer`]: the intersection of a phrase's words, each candidate's positions
//! checked once for all levels.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::query::Scorer;
use tantivy::{DocId, DocSet, Score, TERMINATED};

use super::levels::{Counts, Levels, STEMMED, TYPED};
use super::slot::{Bits, Slot};

/// Intersects the words' unions (the rarest word leading) and checks each candidate's
/// positions once for all levels.
pub(super) struct PhraseFormsScorer {
    slots: Vec<Slot>,
    /// Slot indexes, the rarest first.
    order: Vec<usize>,
    doc: DocId,
    pub(super) counts: Counts,
    /// The candidate's positions of the words intersected so far, shifted so that a phrase's
    /// words share one value (the position of its last word), with the level bits of the
    /// forms there; and those of the next word.
    left: Vec<u32>,
    left_bits: Bits,
    right: Vec<u32>,
    right_bits: Bits,
    /// For merging the positions of several forms of a word.
    mixed: Vec<(u32, u8)>,
    /// (frequency in the candidate, slot), for the order of the intersection.
    by_freq: Vec<(u32, usize)>,
    scoring: Option<(Levels, FieldNormReader)>,
    boost: Score,
}

impl PhraseFormsScorer {
    pub(super) fn new(
        slots: Vec<Slot>,
        scoring: Option<(Levels, FieldNormReader)>,
        boost: Score,
    ) -> PhraseFormsScorer {
        let mut order: Vec<usize> = (0..slots.len()).collect();
        order.sort_by_key(|&i| slots[i].size_hint());
        let n = slots.len();
        let mut scorer = PhraseFormsScorer {
            slots,
            order,
            doc: 0,
            counts: Counts::default(),
            left: Vec::new(),
            left_bits: Bits::Uniform(0),
            right: Vec::new(),
            right_bits: Bits::Uniform(0),
            mixed: Vec::new(),
            by_freq: Vec::with_capacity(n),
            scoring,
            boost,
        };
        scorer.doc = scorer.find(0);
        scorer
    }

    /// The first item from `target` on where the phrase occurs.
    fn find(&mut self, mut target: DocId) -> DocId {
        loop {
            let doc = self.align(target);
            if doc == TERMINATED || self.phrase_match(doc) {
                return doc;
            }
            target = doc + 1;
        }
    }

    /// The first item from `target` on holding a form of every word.
    fn align(&mut self, mut target: DocId) -> DocId {
        'candidates: loop {
            let doc = self.slots[self.order[0]].seek(target);
            if doc == TERMINATED {
                return TERMINATED;
            }
            for &i in &self.order[1..] {
                let other = self.slots[i].seek(doc);
                if other != doc {
                    if other == TERMINATED {
                        return TERMINATED;
                    }
                    target = other;
                    continue 'candidates;
                }
            }
            return doc;
        }
    }

    /// Reads the positions of `doc` (on which every slot stands) and counts the phrase at
    /// each level; whether it occurs at all. The words are intersected rarest first (in this
    /// item), so an item without the phrase is usually told before the positions of its
    /// commonest word are read.
    fn phrase_match(&mut self, doc: DocId) -> bool {
        debug_assert!(self.slots.iter().all(|s| s.doc == doc));
        let n = self.slots.len();
        self.by_freq.clear();
        self.by_freq.extend(
            self.slots
                .iter()
                .enumerate()
                .map(|(i, s)| (s.term_freq(), i)),
        );
        self.by_freq.sort_unstable();
        self.counts = Counts::default();
        for k in 0..n {
            let i = self.by_freq[k].1;
            let offset = (n - 1 - i) as u32;
            if k == 0 {
                self.slots[i].positions(
                    offset,
                    &mut self.left,
                    &mut self.left_bits,
                    &mut self.mixed,
                );
            } else {
                self.slots[i].positions(
                    offset,
                    &mut self.right,
                    &mut self.right_bits,
                    &mut self.mixed,
                );
                intersect(
                    &mut self.left,
                    &mut self.left_bits,
                    &self.right,
                    &self.right_bits,
                );
            }
            if self.left.is_empty() {
                return false;
            }
        }
        let mut count = |bits: u8| {
            self.counts.any += 1;
            self.counts.stemmed += u32::from(bits & STEMMED != 0);
            self.counts.typed += u32::from(bits & TYPED != 0);
        };
        match &self.left_bits {
            Bits::Uniform(bits) => {
                let len = self.left.len() as u32;
                self.counts = Counts {
                    any: len,
                    stemmed: if bits & STEMMED != 0 { len } else { 0 },
                    typed: if bits & TYPED != 0 { len } else { 0 },
                };
            }
            Bits::PerPosition(per) => per.iter().for_each(|&b| count(b)),
        }
        true
    }
}
/// Keeps the positions of `left` that `right` has too, with the bits both have.
fn intersect(left: &mut Vec<u32>, left_bits: &mut Bits, right: &[u32], right_bits: &Bits) {
    if let (Bits::Uniform(l), Bits::Uniform(r)) = (&mut *left_bits, right_bits) {
        *l &= r;
        keep_common(left, right, |_, _, _| {});
        return;
    }
    let mut per = match std::mem::replace(left_bits, Bits::Uniform(0)) {
        Bits::Uniform(b) => vec![b; left.len()],
        Bits::PerPosition(per) => per,
    };
    let bits_of_right = |j: usize| match right_bits {
        Bits::Uniform(b) => *b,
        Bits::PerPosition(per) => per.get(j).copied().unwrap_or(0),
    };
    keep_common(left, right, |kept, i, j| {
        per[kept] = per[i] & bits_of_right(j)
    });
    per.truncate(left.len());
    *left_bits = Bits::PerPosition(per);
}

/// Keeps the values of the sorted `left` that the sorted `right` has too, in place; for each,
/// `kept(into, from_left, from_right)` with its new index in `left` and its indexes before.
fn keep_common(left: &mut Vec<u32>, right: &[u32], mut kept: impl FnMut(usize, usize, usize)) {
    let (mut i, mut j, mut into) = (0, 0, 0);
    while i < left.len() && j < right.len() {
        match left[i].cmp(&right[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                left[into] = left[i];
                kept(into, i, j);
                into += 1;
                i += 1;
                j += 1;
            }
        }
    }
    left.truncate(into);
}

impl DocSet for PhraseFormsScorer {
    fn advance(&mut self) -> DocId {
        if self.doc != TERMINATED {
            self.doc = self.find(self.doc + 1);
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc < target {
            self.doc = self.find(target);
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.order.first().map_or(0, |&i| self.slots[i].size_hint())
    }
}

impl Scorer for PhraseFormsScorer {
    fn score(&mut self) -> Score {
        match &self.scoring {
            Some((levels, norms)) if self.doc != TERMINATED => {
                self.boost * levels.score(norms.fieldnorm_id(self.doc), self.counts)
            }
            _ => self.boost,
        }
    }
}
