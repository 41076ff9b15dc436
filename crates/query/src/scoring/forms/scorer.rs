//! [`FormsScorer`]: the union of a word's forms' postings, a window of documents at a time.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::Scorer;
use tantivy::{DocId, DocSet, Score, TERMINATED};

use super::tier::TIERS;
use crate::scoring::bm25::{min_doc, size_hint, Bm25};

/// Documents per window of [`FormsScorer`].
const WINDOW: u32 = 4096;
const WINDOW_WORDS: usize = WINDOW as usize / 64;

/// The union of the forms' postings, scored by [`Bm25`].
///
/// Like tantivy's buffered union, it reads the postings a window of documents at a time into a
/// bitset and a table of weighted frequencies, so each posting is touched once however many
/// forms a word has.
pub(super) struct FormsScorer {
    /// Postings not yet exhausted, with their tiers.
    postings: Vec<(SegmentPostings, usize)>,
    /// Frequency per tier of each document of the window.
    tfs: Vec<[Score; TIERS]>,
    /// Documents of the window not yet visited.
    bits: Vec<u64>,
    /// First document of the window.
    window: DocId,
    /// Index in `bits` of the next word to look at.
    word: usize,
    /// Whether the scorer has left windows for reading the postings directly: after a seek
    /// beyond the window (an intersection leading), reading whole windows would read what the
    /// seeks skip.
    direct: bool,
    doc: DocId,
    bm25: Option<Bm25>,
    weights: [Score; TIERS],
    norms: Option<FieldNormReader>,
    boost: Score,
}

impl FormsScorer {
    pub(super) fn new(
        postings: Vec<(SegmentPostings, usize)>,
        bm25: Option<Bm25>,
        weights: [Score; TIERS],
        norms: Option<FieldNormReader>,
        boost: Score,
    ) -> FormsScorer {
        let mut scorer = FormsScorer {
            postings,
            tfs: vec![[0.0; TIERS]; WINDOW as usize],
            bits: vec![0; WINDOW_WORDS],
            window: 0,
            word: WINDOW_WORDS,
            direct: false,
            doc: 0,
            bm25,
            weights,
            norms,
            boost,
        };
        scorer.doc = scorer.next_in_window();
        scorer
    }

    /// Reads the next window: the documents from the smallest current posting on.
    fn refill(&mut self) -> bool {
        self.postings.retain(|(p, _)| p.doc() != TERMINATED);
        let start = self.min_doc();
        if start == TERMINATED {
            return false;
        }
        self.window = start;
        self.word = 0;
        let end = start.saturating_add(WINDOW);
        for (p, tier) in &mut self.postings {
            let mut doc = p.doc();
            while doc < end {
                let delta = (doc - start) as usize;
                self.bits[delta / 64] |= 1 << (delta % 64);
                self.tfs[delta][*tier] += p.term_freq() as Score;
                doc = p.advance();
            }
        }
        true
    }

    /// The next document of the window, refilling it when it is spent.
    fn next_in_window(&mut self) -> DocId {
        loop {
            while self.word < WINDOW_WORDS {
                let bits = self.bits[self.word];
                if bits != 0 {
                    self.bits[self.word] = bits & (bits - 1);
                    return self.window + (self.word as u32) * 64 + bits.trailing_zeros();
                }
                self.word += 1;
            }
            if !self.refill() {
                return TERMINATED;
            }
        }
    }

    /// The current document's frequency per tier.
    pub(super) fn tfs(&self) -> [Score; TIERS] {
        if self.doc == TERMINATED {
            return [0.0; TIERS];
        }
        if !self.direct {
            return self.tfs[(self.doc - self.window) as usize];
        }
        let mut tfs = [0.0; TIERS];
        for (p, tier) in &self.postings {
            if p.doc() == self.doc {
                tfs[*tier] += p.term_freq() as Score;
            }
        }
        tfs
    }

    /// The smallest current document of the postings.
    fn min_doc(&self) -> DocId {
        min_doc(&self.postings)
    }

    /// Leaves windows for good: forgets what is left of the current one.
    fn go_direct(&mut self) {
        for (word, bits) in self.bits.iter_mut().enumerate() {
            while *bits != 0 {
                let delta = word * 64 + bits.trailing_zeros() as usize;
                self.tfs[delta] = [0.0; TIERS];
                *bits &= *bits - 1;
            }
        }
        if self.doc != TERMINATED {
            self.tfs[(self.doc - self.window) as usize] = [0.0; TIERS];
        }
        self.direct = true;
    }
}

impl DocSet for FormsScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        if self.direct {
            let doc = self.doc;
            for (p, _) in &mut self.postings {
                if p.doc() == doc {
                    p.advance();
                }
            }
            self.doc = self.min_doc();
            return self.doc;
        }
        self.tfs[(self.doc - self.window) as usize] = [0.0; TIERS];
        self.doc = self.next_in_window();
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        if !self.direct && target < self.window.saturating_add(WINDOW) {
            while self.doc < target {
                self.advance();
            }
            return self.doc;
        }
        if !self.direct {
            self.go_direct();
        }
        for (p, _) in &mut self.postings {
            if p.doc() < target {
                p.seek(target);
            }
        }
        self.doc = self.min_doc();
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        size_hint(&self.postings)
    }
}

impl Scorer for FormsScorer {
    fn score(&mut self) -> Score {
        let (Some(bm25), Some(norms)) = (&self.bm25, &self.norms) else {
            return self.boost;
        };
        let norm_id = norms.fieldnorm_id(self.doc);
        self.boost * bm25.score(norm_id, &self.tfs(), &self.weights)
    }
}
