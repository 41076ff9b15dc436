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

use std::fmt;
use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    AutomatonWeight, Bm25StatisticsProvider, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, Term, TERMINATED};
use tantivy_fst::Automaton;

use paragraf_indexer::analysis::tokens;

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

/// Bytes a form may have beyond its stem: Snowball's longest Swedish ending ("-heterna", 7)
/// plus its later steps ("-lig" 3, one of a doubled consonant 1) and the definite "-n" (1).
const MAX_ENDING_BYTES: usize = 12;

/// What Snowball's Swedish stemmer removes, step by step (frostem's `swedish_stemmer`): the
/// endings of step 1, the last letter of a doubled consonant of step 2 ("-dd", "-gd", "-nn",
/// "-dt", "-gt", "-kt", "-tt"), the endings of step 3 ("-ig", "-lig", "-els", the "t" of
/// "-öst" and "-fullt"); Paragraf's [`paragraf_indexer::analysis::DefiniteN`] then takes a
/// definite "-n". A form is its stem followed by these in reverse order.
const STEP1_ENDINGS: &[&str] = &[
    "a", "arna", "erna", "heterna", "orna", "ad", "e", "ade", "ande", "arne", "are", "aste", "en",
    "anden", "aren", "heten", "ern", "ar", "er", "heter", "or", "s", "as", "arnas", "ernas",
    "ornas", "es", "ades", "andes", "ens", "arens", "hetens", "erns", "at", "et", "andet", "het",
    "ast",
];
const STEP2_LETTERS: &[&str] = &["d", "n", "t"];
const STEP3_ENDINGS: &[&str] = &["ig", "lig", "els", "t"];
const DEFINITE_N: &[&str] = &["n"];

/// Every ending a form may have beyond its stem, as a trie over bytes: the state of
/// [`FoldedPrefix`] after the stem. Node 0 is the root; each node has a transition per ASCII
/// lower-case letter (0: none) and says whether an ending stops there.
struct Endings {
    next: Vec<[u16; 26]>,
    end: Vec<bool>,
}

impl Endings {
    fn get() -> &'static Endings {
        static ENDINGS: std::sync::OnceLock<Endings> = std::sync::OnceLock::new();
        ENDINGS.get_or_init(|| {
            let mut trie = Endings {
                next: vec![[0; 26]],
                end: vec![false],
            };
            let optional = |list: &[&'static str]| {
                std::iter::once("")
                    .chain(list.iter().copied())
                    .collect::<Vec<_>>()
            };
            for n in optional(DEFINITE_N) {
                for step3 in optional(STEP3_ENDINGS) {
                    for step2 in optional(STEP2_LETTERS) {
                        for step1 in optional(STEP1_ENDINGS) {
                            trie.insert(&format!("{n}{step3}{step2}{step1}"));
                        }
                    }
                }
            }
            trie
        })
    }

    fn insert(&mut self, ending: &str) {
        let mut node = 0usize;
        for byte in ending.bytes() {
            let slot = usize::from(byte - b'a');
            if self.next[node][slot] == 0 {
                self.next.push([0; 26]);
                self.end.push(false);
                self.next[node][slot] = (self.next.len() - 1) as u16;
            }
            node = usize::from(self.next[node][slot]);
        }
        self.end[node] = true;
    }

    /// The node after a byte, if any ending goes on with it.
    fn step(&self, node: u16, byte: u8) -> Option<u16> {
        if !byte.is_ascii_lowercase() {
            return None;
        }
        match self.next[usize::from(node)][usize::from(byte - b'a')] {
            0 => None,
            next => Some(next),
        }
    }
}

/// The letters of Snowball's Swedish endings ("-arna", "-heten", "-ande", "-lig", "-els", a
/// doubled "-dd"/"-gd"/"-kt"…): what follows a stem in any of its forms. A walk of the term
/// dictionary stops at any other letter, which cuts off most compounds early
/// ("kommun|styrelsen" at the "y").
const ENDING_LETTERS: &[u8] = b"adeghiklnorst";

/// Terms looked at per query word at most, over all segments: a one-letter stem would
/// otherwise walk a large part of the dictionary.
const MAX_CANDIDATES: usize = 20_000;

/// The forms of the `words` field that a query word expands to, sorted by tier then word.
///
/// `typed` is the lower-cased word, `stem` its stem and `others` the stems of its other
/// inflections; `stemmer` is the Swedish analyzer that made them.
pub fn expand(
    searcher: &Searcher,
    field: Field,
    typed: &str,
    stem: &str,
    others: &[String],
    weights: TierWeights,
    stemmer: &mut TextAnalyzer,
) -> tantivy::Result<Vec<Form>> {
    let stems: Vec<&str> = std::iter::once(stem)
        .chain(others.iter().map(String::as_str))
        .collect();
    let folded_stems: Vec<String> = stems.iter().map(|s| fold(s)).collect();
    // One walk finds the forms of every stem: they share the prefix of the shortest.
    let prefix = common_prefix(&stems);
    let longest = stems.iter().map(|s| s.len()).max().unwrap_or(0);
    // Forms of one stem are the stem and a Swedish ending; when other inflections have
    // shorter stems, the letters after the shortest are free and any ending letters follow.
    let automaton = if longest == prefix.len() {
        FoldedPrefix::new(&fold(prefix), 0).with_swedish_endings()
    } else {
        FoldedPrefix::new(&fold(prefix), longest - prefix.len()).with_ending(MAX_ENDING_BYTES)
    };
    let mut candidates = std::collections::BTreeSet::new();
    'segments: for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().search(&automaton).into_stream()?;
        while stream.advance() {
            if let Ok(word) = std::str::from_utf8(stream.key()) {
                candidates.insert(word.to_string());
                if candidates.len() >= MAX_CANDIDATES {
                    break 'segments;
                }
            }
        }
    }
    let mut forms = Vec::new();
    for word in candidates {
        let tier = if word == typed {
            Tier::Exact
        } else {
            let Some(form_stem) = tokens(stemmer, &word).pop() else {
                continue;
            };
            if form_stem == stem {
                Tier::Stemmed
            } else if others.contains(&form_stem) {
                Tier::Inflection
            } else if folded_stems.contains(&fold(&form_stem)) {
                Tier::Folded
            } else {
                continue;
            }
        };
        if let Some(weight) = weights.of(tier) {
            forms.push(Form { word, tier, weight });
        }
    }
    forms.sort_by(|a, b| a.tier.cmp(&b.tier).then_with(|| a.word.cmp(&b.word)));
    Ok(forms)
}

/// The longest prefix all strings share, cut at a character boundary.
fn common_prefix<'a>(words: &[&'a str]) -> &'a str {
    let Some(first) = words.first() else {
        return "";
    };
    let mut end = first.len();
    for word in &words[1..] {
        end = first
            .char_indices()
            .zip(word.chars())
            .find(|((_, a), b)| a != b)
            .map_or(end.min(word.len()), |((i, _), _)| i)
            .min(end);
    }
    &first[..end]
}

/// Latin letters with diacritics that [`fold`] maps to a plain letter: the variants a folded
/// query letter stands for.
const DIACRITIC_LETTERS: &str = "àáâãäåçèéêëìíîïñòóôõöøùúûüýÿ";

/// å/ä → a, ö → o and the other letters of `DIACRITIC_LETTERS` to their plain letter;
/// everything else unchanged.
pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

fn fold_char(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        other => other,
    }
}

/// An automaton over UTF-8 bytes accepting the terms that start with a folded prefix, any
/// letter of which may carry a diacritic (`ostersund` accepts "östersund"), followed by at
/// most `free` bytes of any kind and then, if asked for ([`FoldedPrefix::with_ending`]), by an
/// ending of at most so many bytes made of the letters of Swedish endings.
#[derive(Debug, Clone)]
pub struct FoldedPrefix {
    /// For each letter of the prefix, the UTF-8 encodings that may stand there.
    letters: Vec<Vec<Vec<u8>>>,
    free: usize,
    ending: usize,
    /// Only Swedish endings after the prefix ([`FoldedPrefix::with_swedish_endings`]).
    swedish: bool,
}

/// A state of [`FoldedPrefix`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrefixState {
    /// Within the prefix: at letter `at`, `offset` bytes into the encodings still in `alive`
    /// (a bit per encoding).
    Prefix {
        /// Index of the letter.
        at: usize,
        /// Bytes of the letter read so far.
        offset: usize,
        /// Encodings of the letter that the bytes read so far agree with.
        alive: u32,
    },
    /// After the prefix, with this many bytes read.
    Tail(usize),
    /// After the prefix, at this node of the trie of Swedish endings.
    Ending(u16),
    /// No term through here can match.
    Dead,
}

impl FoldedPrefix {
    /// The automaton for a folded prefix followed by at most `free` bytes.
    pub fn new(folded_prefix: &str, free: usize) -> FoldedPrefix {
        let letters = folded_prefix
            .chars()
            .map(|plain| {
                let mut encodings = vec![plain.to_string().into_bytes()];
                encodings.extend(
                    DIACRITIC_LETTERS
                        .chars()
                        .filter(|&c| fold_char(c) == plain)
                        .map(|c| c.to_string().into_bytes()),
                );
                encodings
            })
            .collect();
        FoldedPrefix {
            letters,
            free,
            ending: 0,
            swedish: false,
        }
    }

    /// Accepts after the prefix exactly the endings Swedish stemming removes (the prefix being
    /// a stem, and no free bytes).
    pub fn with_swedish_endings(self) -> FoldedPrefix {
        FoldedPrefix {
            swedish: true,
            free: 0,
            ..self
        }
    }

    /// Also accepts, after the free bytes, an ending of at most `bytes` letters of Swedish
    /// endings (the ASCII letters of `ENDING_LETTERS`).
    pub fn with_ending(self, bytes: usize) -> FoldedPrefix {
        FoldedPrefix {
            ending: bytes,
            ..self
        }
    }

    fn at_letter(&self, at: usize) -> PrefixState {
        match self.letters.get(at) {
            Some(encodings) => PrefixState::Prefix {
                at,
                offset: 0,
                alive: (1u32 << encodings.len()) - 1,
            },
            None if self.swedish => PrefixState::Ending(0),
            None => PrefixState::Tail(0),
        }
    }
}

impl Automaton for FoldedPrefix {
    type State = PrefixState;

    fn start(&self) -> PrefixState {
        self.at_letter(0)
    }

    fn is_match(&self, state: &PrefixState) -> bool {
        match *state {
            PrefixState::Tail(_) => true,
            PrefixState::Ending(node) => Endings::get().end[usize::from(node)],
            _ => false,
        }
    }

    fn can_match(&self, state: &PrefixState) -> bool {
        *state != PrefixState::Dead
    }

    fn accept(&self, state: &PrefixState, byte: u8) -> PrefixState {
        match *state {
            PrefixState::Dead => PrefixState::Dead,
            PrefixState::Ending(node) => Endings::get()
                .step(node, byte)
                .map_or(PrefixState::Dead, PrefixState::Ending),
            PrefixState::Tail(n) if n < self.free => PrefixState::Tail(n + 1),
            PrefixState::Tail(n)
                if n - self.free < self.ending && ENDING_LETTERS.contains(&byte) =>
            {
                PrefixState::Tail(n + 1)
            }
            PrefixState::Tail(_) => PrefixState::Dead,
            PrefixState::Prefix { at, offset, alive } => {
                let mut still = 0u32;
                for (i, encoding) in self.letters[at].iter().enumerate() {
                    if alive & (1 << i) == 0 || encoding.get(offset) != Some(&byte) {
                        continue;
                    }
                    // UTF-8 is prefix-free: an encoding that ends here is the only one left.
                    if offset + 1 == encoding.len() {
                        return self.at_letter(at + 1);
                    }
                    still |= 1 << i;
                }
                if still == 0 {
                    PrefixState::Dead
                } else {
                    PrefixState::Prefix {
                        at,
                        offset: offset + 1,
                        alive: still,
                    }
                }
            }
        }
    }
}

/// The terms of a field starting with a prefix, diacritics ignored ([`FoldedPrefix`] with no
/// bound on the rest), each scoring the same: `besoksf*` finds "besöksförbudet".
#[derive(Debug, Clone)]
pub struct FoldedPrefixQuery {
    field: Field,
    automaton: Arc<FoldedPrefix>,
}

impl FoldedPrefixQuery {
    /// The query for a folded prefix ([`fold`]) of a field.
    pub fn new(field: Field, folded_prefix: &str) -> FoldedPrefixQuery {
        FoldedPrefixQuery {
            field,
            automaton: Arc::new(FoldedPrefix::new(folded_prefix, usize::MAX)),
        }
    }
}

impl Query for FoldedPrefixQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(AutomatonWeight::<FoldedPrefix>::new(
            self.field,
            self.automaton.clone(),
        )))
    }
}

/// All forms of a query word scored as one term: BM25 over the tier-weighted sum of the
/// forms' frequencies, with the idf of the forms together (see the module docs).
#[derive(Clone)]
pub struct FormsQuery {
    field: Field,
    terms: Vec<(Term, Tier)>,
    /// Weight of each rung, by [`Tier`] in order.
    weights: [Score; TIERS],
}

/// Number of [`Tier`]s.
const TIERS: usize = 4;

impl fmt::Debug for FormsQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let forms: Vec<String> = self
            .terms
            .iter()
            .map(|(t, tier)| format!("{}:{tier:?}", t.value().as_str().unwrap_or("?")))
            .collect();
        write!(f, "FormsQuery({})", forms.join(" "))
    }
}

impl FormsQuery {
    /// A query for these forms of `field`; `None` when there are none.
    pub fn new(field: Field, forms: &[Form]) -> Option<FormsQuery> {
        if forms.is_empty() {
            return None;
        }
        let terms = forms
            .iter()
            .map(|f| (Term::from_field_text(field, &f.word), f.tier))
            .collect();
        let mut weights = [0.0; TIERS];
        for form in forms {
            weights[form.tier as usize] = form.weight;
        }
        Some(FormsQuery {
            field,
            terms,
            weights,
        })
    }
}

impl Query for FormsQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = match enable_scoring.searcher() {
            Some(searcher) if enable_scoring.is_scoring_enabled() => {
                Some(Bm25::new(searcher, self.field, &self.terms)?)
            }
            _ => None,
        };
        Ok(Box::new(FormsWeight {
            field: self.field,
            terms: self.terms.clone(),
            weights: self.weights,
            bm25,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (term, _) in &self.terms {
            visitor(term, false);
        }
    }
}

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
    fn new(searcher: &Searcher, field: Field, terms: &[(Term, Tier)]) -> tantivy::Result<Bm25> {
        let idf = idf(searcher, terms.iter().map(|(t, _)| t))?;
        Bm25::with_idf(searcher, field, idf)
    }

    /// BM25 in `field` with this idf (for a phrase: the sum of its words').
    pub(crate) fn with_idf(searcher: &Searcher, field: Field, idf: Score) -> tantivy::Result<Bm25> {
        let docs = searcher.total_num_docs()?;
        let tokens = searcher.total_num_tokens(field)?;
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
    fn score(&self, norm_id: u8, tfs: &[Score; TIERS], weights: &[Score; TIERS]) -> Score {
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

struct FormsWeight {
    field: Field,
    terms: Vec<(Term, Tier)>,
    weights: [Score; TIERS],
    bm25: Option<Bm25>,
}

impl FormsWeight {
    fn forms_scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<FormsScorer> {
        let inverted = reader.inverted_index(self.field)?;
        let mut postings = Vec::new();
        for (term, tier) in &self.terms {
            if let Some(p) = inverted.read_postings(term, IndexRecordOption::WithFreqs)? {
                postings.push((p, *tier as usize));
            }
        }
        let norms = match &self.bm25 {
            Some(_) => Some(reader.get_fieldnorms_reader(self.field)?),
            None => None,
        };
        Ok(FormsScorer::new(
            postings,
            self.bm25.clone(),
            self.weights,
            norms,
            boost,
        ))
    }
}

impl Weight for FormsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(self.forms_scorer(reader, boost)?))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.forms_scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let mut explanation = Explanation::new("forms of a word, BM25", scorer.score());
        let names = ["exact", "stemmed", "other inflections", "folded"];
        for (name, tf) in names.iter().zip(scorer.tfs()) {
            explanation.add_const(name, tf);
        }
        Ok(explanation)
    }
}

/// The idf of one word in any of these forms: the items holding any of them (their sum, an
/// upper bound, is close enough) taken as one term's.
pub(crate) fn idf<'a>(
    searcher: &Searcher,
    forms: impl IntoIterator<Item = &'a Term>,
) -> tantivy::Result<Score> {
    let docs = searcher.total_num_docs()?;
    let mut holding = 0u64;
    for term in forms {
        holding += searcher.doc_freq(term)?;
    }
    let n = holding.min(docs) as Score;
    Ok((1.0 + (docs as Score - n + 0.5) / (n + 0.5)).ln())
}

/// Documents per window of [`FormsScorer`].
const WINDOW: u32 = 4096;
const WINDOW_WORDS: usize = WINDOW as usize / 64;

/// The union of the forms' postings, scored by [`Bm25`].
///
/// Like tantivy's buffered union, it reads the postings a window of documents at a time into a
/// bitset and a table of weighted frequencies, so each posting is touched once however many
/// forms a word has.
struct FormsScorer {
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
    fn new(
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
    fn tfs(&self) -> [Score; TIERS] {
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

impl Scorer for FormsScorer {
    fn score(&mut self) -> Score {
        let (Some(bm25), Some(norms)) = (&self.bm25, &self.norms) else {
            return self.boost;
        };
        let norm_id = norms.fieldnorm_id(self.doc);
        self.boost * bm25.score(norm_id, &self.tfs(), &self.weights)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy_fst::Automaton;

    fn accepts(automaton: &FoldedPrefix, word: &str) -> bool {
        let mut state = automaton.start();
        for &byte in word.as_bytes() {
            state = automaton.accept(&state, byte);
            if !automaton.can_match(&state) {
                return false;
            }
        }
        automaton.is_match(&state)
    }

    #[test]
    fn folded_prefix_ignores_diacritics_and_bounds_the_ending() {
        let a = FoldedPrefix::new("ostersund", 0).with_ending(4);
        assert!(accepts(&a, "östersund"));
        assert!(accepts(&a, "ostersund"));
        assert!(accepts(&a, "östersunds"));
        assert!(accepts(&a, "östersundarna"));
        assert!(!accepts(&a, "östersundarnas"));
        assert!(!accepts(&a, "östersun"));
        assert!(!accepts(&a, "åstersund"));
        // Compounds stop at a letter no ending has.
        assert!(!accepts(&a, "östersundsbo"));
        let a = FoldedPrefix::new("besoksforbud", 0).with_ending(3);
        assert!(accepts(&a, "besöksförbudet"));
        assert!(!accepts(&a, "besöksförbudsbeslut"));
        let a = FoldedPrefix::new("kommun", 0).with_swedish_endings();
        for form in [
            "kommun",
            "kommunen",
            "kommuner",
            "kommunerna",
            "kommunernas",
            "kommuns",
        ] {
            assert!(accepts(&a, form), "{form}");
        }
        for compound in ["kommundialog", "kommunenhet", "kommunstyrelsen", "kommunx"] {
            assert!(!accepts(&a, compound), "{compound}");
        }
        let a = FoldedPrefix::new("los", 0).with_swedish_endings();
        assert!(accepts(&a, "löst"));
        // Free bytes take anything, then the ending.
        let a = FoldedPrefix::new("", 2).with_ending(1);
        assert!(accepts(&a, "xy"));
        assert!(accepts(&a, "xya"));
        assert!(!accepts(&a, "xyz"));
        assert!(!accepts(&a, "xyaa"));
    }

    /// 10,000 one-word items: "kommun" (every third), "kommunen" (every third from the
    /// second), "annat"; "sällsynt" is added to items 7 and 5007 only.
    fn index() -> (tantivy::Index, Field) {
        let mut schema = tantivy::schema::Schema::builder();
        let field = schema.add_text_field(
            "words",
            tantivy::schema::TextOptions::default().set_indexing_options(
                tantivy::schema::TextFieldIndexing::default()
                    .set_tokenizer(paragraf_indexer::analysis::NAME)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        );
        let index = tantivy::Index::create_in_ram(schema.build());
        paragraf_indexer::analysis::register(index.tokenizers());
        let mut writer = index
            .writer_with_num_threads(1, 20_000_000)
            .expect("writer");
        for i in 0..10_000 {
            let word = ["kommun", "kommunen", "annat"][i % 3];
            let rare = if i % 5000 == 7 { " sällsynt" } else { "" };
            let mut doc = tantivy::TantivyDocument::default();
            doc.add_text(field, format!("{word}{rare}"));
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        (index, field)
    }

    fn forms(field: Field) -> FormsQuery {
        let form = |word: &str, tier, weight| Form {
            word: word.to_string(),
            tier,
            weight,
        };
        FormsQuery::new(
            field,
            &[
                form("kommun", Tier::Exact, 1.5),
                form("kommunen", Tier::Stemmed, 1.0),
            ],
        )
        .expect("forms")
    }

    #[test]
    fn forms_match_as_one_word_with_the_exact_spelling_first() {
        use tantivy::collector::{Count, TopDocs};
        let (index, field) = index();
        let searcher = index.reader().expect("reader").searcher();
        let query = forms(field);
        let (top, count) = searcher
            .search(&query, &(TopDocs::with_limit(3).order_by_score(), Count))
            .expect("search");
        assert_eq!(count, 6667);
        // Every third item from the first holds the exact spelling.
        for (_, address) in &top {
            assert_eq!(address.doc_id % 3, 0, "{top:?}");
        }
        // Led by a rare word, the intersection seeks past whole windows: the same items, and
        // the exact spelling still first.
        let rare = tantivy::query::TermQuery::new(
            Term::from_field_text(field, "sällsynt"),
            IndexRecordOption::WithFreqs,
        );
        let both = tantivy::query::BooleanQuery::intersection(vec![
            Box::new(query) as Box<dyn Query>,
            Box::new(rare),
        ]);
        let top = searcher
            .search(&both, &TopDocs::with_limit(10).order_by_score())
            .expect("search");
        let docs: Vec<u32> = top.iter().map(|(_, a)| a.doc_id).collect();
        assert_eq!(docs, vec![5007, 7]);
        assert!(top[0].0 > top[1].0);
    }

    #[test]
    fn fold_maps_swedish_letters() {
        assert_eq!(fold("östersund"), "ostersund");
        assert_eq!(fold("åre älv"), "are alv");
        assert_eq!(fold("café"), "cafe");
    }

    #[test]
    fn common_prefix_of_stems() {
        assert_eq!(
            common_prefix(&["utskrivningsklar", "utskrivningskl"]),
            "utskrivningskl"
        );
        assert_eq!(common_prefix(&["östersund"]), "östersund");
        assert_eq!(common_prefix(&["åre", "ärr"]), "");
    }
}
