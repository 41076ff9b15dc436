//! [`Slot`]: the union of one word's forms in a phrase, and the level bits of its positions.

use tantivy::postings::{Postings, SegmentPostings};
use tantivy::{DocId, DocSet, TERMINATED};

use crate::scoring::bm25::{min_doc, size_hint};

/// The postings of one word's forms: their union, walked by seeking.
pub(super) struct Slot {
    postings: Vec<(SegmentPostings, u8)>,
    pub(super) doc: DocId,
}

impl Slot {
    pub(super) fn new(postings: Vec<(SegmentPostings, u8)>) -> Slot {
        let mut slot = Slot {
            postings,
            doc: TERMINATED,
        };
        slot.doc = slot.min_doc();
        slot
    }

    pub(super) fn min_doc(&self) -> DocId {
        min_doc(&self.postings)
    }

    /// The first document from `target` on holding any of the forms.
    pub(super) fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        if let [(p, _)] = self.postings.as_mut_slice() {
            self.doc = if target == self.doc + 1 {
                p.advance()
            } else {
                p.seek(target)
            };
            return self.doc;
        }
        let mut min = TERMINATED;
        let mut spent = false;
        for (p, _) in &mut self.postings {
            let doc = if p.doc() < target {
                p.seek(target)
            } else {
                p.doc()
            };
            spent |= doc == TERMINATED;
            min = min.min(doc);
        }
        if spent {
            self.postings.retain(|(p, _)| p.doc() != TERMINATED);
        }
        self.doc = min;
        self.doc
    }

    /// The frequency of the forms in the current document.
    pub(super) fn term_freq(&self) -> u32 {
        self.postings
            .iter()
            .filter(|(p, _)| p.doc() == self.doc)
            .map(|(p, _)| p.term_freq())
            .sum()
    }

    /// Reads the positions of the forms in the current document into `out` in order, each
    /// plus `offset`, and their level bits into `bits` (of the forms at one position
    /// together). One form in the document, the usual case, is read straight into `out`;
    /// several are merged through `mixed`.
    pub(super) fn positions(
        &mut self,
        offset: u32,
        out: &mut Vec<u32>,
        bits: &mut Bits,
        mixed: &mut Vec<(u32, u8)>,
    ) {
        out.clear();
        let doc = self.doc;
        let mut here = self.postings.iter_mut().filter(|(p, _)| p.doc() == doc);
        if let (Some((first, first_bits)), None) = (here.next(), here.next()) {
            first.append_positions_with_offset(offset, out);
            *bits = Bits::Uniform(*first_bits);
            return;
        }
        mixed.clear();
        for (p, form_bits) in &mut self.postings {
            if p.doc() != self.doc {
                continue;
            }
            out.clear();
            p.append_positions_with_offset(offset, out);
            mixed.extend(out.iter().map(|&q| (q, *form_bits)));
        }
        mixed.sort_unstable_by_key(|&(q, _)| q);
        mixed.dedup_by(|next, kept| {
            if next.0 == kept.0 {
                kept.1 |= next.1;
                true
            } else {
                false
            }
        });
        out.clear();
        out.extend(mixed.iter().map(|&(q, _)| q));
        let mut per = match std::mem::replace(bits, Bits::Uniform(0)) {
            Bits::PerPosition(mut per) => {
                per.clear();
                per
            }
            Bits::Uniform(_) => Vec::new(),
        };
        per.extend(mixed.iter().map(|&(_, b)| b));
        *bits = Bits::PerPosition(per);
    }

    pub(super) fn size_hint(&self) -> u32 {
        size_hint(&self.postings)
    }
}

/// The level bits of a list of positions: one for all, or one per position.
#[derive(Debug, Clone)]
pub(super) enum Bits {
    Uniform(u8),
    PerPosition(Vec<u8>),
}
