//! The tokenizer of the compound-parts field: each compound word of a text becomes its
//! stemmed parts.

use std::sync::{Arc, OnceLock, RwLock};

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::dictionary::{Dictionary, MIN_COMPOUND_CHARS};
use super::stem::WordStemmer;

/// Words longer than this (in bytes) are dropped: they are URLs or garbage, not words.
pub(super) const MAX_TOKEN_BYTES: usize = 60;

/// The tokenizer of [`parts`](super::parts): one pass over the text that looks only at words long enough to
/// be compounds, lower-cases those, and remembers each word's stemmed parts. (As a chain of
/// tantivy filters it lower-cased and copied every word of the text, which made this small
/// field cost as much to index as the whole text.)
#[derive(Clone)]
pub struct PartsTokenizer {
    /// The dictionary; unset until the first split when it is the system's (see
    /// [`system_parts`](super::system_parts)).
    dictionary: OnceLock<Option<Arc<Dictionary>>>,
    /// The splits every clone of this tokenizer has made (tantivy clones one per field of each
    /// segment it writes, and a fresh cache per segment split the same words again and again).
    shared: Arc<RwLock<SharedSplits>>,
    /// Each lower-case word seen: the index of its parts in `splits`, `None` when it is no
    /// compound.
    known: FxHashMap<String, Option<u32>>,
    /// Stemmed parts of the compounds seen.
    splits: Vec<Arc<[String]>>,
    /// One stemmer per tokenizer: building one per word was a third of the splitting time.
    stem: WordStemmer,
    /// The current word lower-cased, reused.
    lower: String,
}

/// Words remembered per indexing thread before the memory is cleared.
const SPLIT_CACHE_WORDS: usize = 200_000;

/// Words remembered by all threads together before the memory is cleared.
const SHARED_SPLIT_WORDS: usize = 1_000_000;

/// Stemmed parts of each lower-case word split so far, `None` for words that are no compound.
type SharedSplits = FxHashMap<String, Option<Arc<[String]>>>;

impl PartsTokenizer {
    /// The index in `splits` of the parts of a word, if it is a compound.
    fn split(&mut self, word: &str) -> Option<u32> {
        self.lower.clear();
        if word.is_ascii() {
            self.lower
                .extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            self.lower.extend(word.chars().flat_map(char::to_lowercase));
        }
        if let Some(known) = self.known.get(&self.lower) {
            return *known;
        }
        let dictionary = self.dictionary.get_or_init(Dictionary::system).as_deref()?;
        let shared = self
            .shared
            .read()
            .ok()
            .and_then(|shared| shared.get(&self.lower).cloned());
        let parts = match shared {
            Some(parts) => parts,
            None => {
                let parts: Option<Arc<[String]>> = dictionary
                    .split_with(&self.lower, &self.stem, 0)
                    .map(|parts| joined_parts(&parts, &self.stem).into());
                if let Ok(mut shared) = self.shared.write() {
                    if shared.len() > SHARED_SPLIT_WORDS {
                        shared.clear();
                    }
                    shared.insert(self.lower.clone(), parts.clone());
                }
                parts
            }
        };
        let index = parts.map(|parts| {
            self.splits.push(parts);
            (self.splits.len() - 1) as u32
        });
        self.known.insert(self.lower.clone(), index);
        index
    }
}

impl Tokenizer for PartsTokenizer {
    type TokenStream<'a> = PartsStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PartsStream<'a> {
        if self.known.len() > SPLIT_CACHE_WORDS {
            self.known.clear();
            self.splits.clear();
        }
        PartsStream {
            cursor: 0,
            text,
            tokenizer: self,
            split: 0,
            next_part: 0,
            parts: 0,
            position: 0,
            token: Token::default(),
        }
    }
}

/// The token stream of [`PartsTokenizer`]: the words of the text as tantivy's
/// `SimpleTokenizer` cuts them (runs of alphanumeric characters), each compound's parts in
/// turn.
pub struct PartsStream<'a> {
    /// Byte offset in `text` of the rest to cut into words.
    cursor: usize,
    text: &'a str,
    tokenizer: &'a mut PartsTokenizer,
    /// The compound being emitted: its index in `splits`, the next part and the count.
    split: usize,
    next_part: usize,
    parts: usize,
    position: usize,
    token: Token,
}

impl<'a> PartsStream<'a> {
    /// The next run of alphanumeric characters; ASCII bytes are judged without decoding.
    fn next_word(&mut self) -> Option<&'a str> {
        let text = self.text;
        let bytes = text.as_bytes();
        let alphanumeric_at = |i: usize| -> (bool, usize) {
            let b = bytes[i];
            if b.is_ascii() {
                (b.is_ascii_alphanumeric(), 1)
            } else {
                let c = text[i..].chars().next().unwrap_or(' ');
                (c.is_alphanumeric(), c.len_utf8())
            }
        };
        let mut i = self.cursor;
        while i < bytes.len() {
            let (alphanumeric, len) = alphanumeric_at(i);
            if alphanumeric {
                break;
            }
            i += len;
        }
        if i >= bytes.len() {
            self.cursor = i;
            return None;
        }
        let start = i;
        while i < bytes.len() {
            let (alphanumeric, len) = alphanumeric_at(i);
            if !alphanumeric {
                break;
            }
            i += len;
        }
        self.cursor = i;
        Some(&text[start..i])
    }
}

impl TokenStream for PartsStream<'_> {
    fn advance(&mut self) -> bool {
        while self.next_part >= self.parts {
            let word = loop {
                let Some(word) = self.next_word() else {
                    return false;
                };
                self.position += 1;
                // Bytes bound characters from above: most words go without counting.
                if word.len() >= MIN_COMPOUND_CHARS
                    && word.len() < MAX_TOKEN_BYTES
                    && word.chars().count() >= MIN_COMPOUND_CHARS
                {
                    break word;
                }
            };
            if let Some(split) = self.tokenizer.split(word) {
                self.split = split as usize;
                self.next_part = 0;
                self.parts = self.tokenizer.splits[self.split].len();
                let start = word.as_ptr() as usize - self.text.as_ptr() as usize;
                self.token.offset_from = start;
                self.token.offset_to = start + word.len();
                self.token.position = self.position - 1;
            }
        }
        self.token.text.clear();
        self.token
            .text
            .push_str(&self.tokenizer.splits[self.split][self.next_part]);
        self.next_part += 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The stemmed parts of a split compound, and of each run of two or more of its parts that is
/// not the whole word: "hög|kostnads|skyddet" gives hög, kostnad, skydd and also högkostnad
/// and kostnadsskydd, so a query for "högkostnad" (itself a compound) finds the modifier of
/// "högkostnadsskyddet".
pub(super) fn joined_parts(parts: &[String], stem: &WordStemmer) -> Vec<String> {
    let mut out: Vec<String> = parts.iter().map(|p| part_key(p, stem)).collect();
    for len in 2..parts.len() {
        for start in 0..=parts.len() - len {
            let joined = part_key(&parts[start..start + len].concat(), stem);
            if !out.contains(&joined) {
                out.push(joined);
            }
        }
    }
    out
}

/// The key a part is indexed under: its lemma when the lexicon knows it ("marknaden" →
/// "marknad", "bostads" → "bostad"), else its Snowball stem ("högkostnads" → "högkostnad").
/// The query looks a word up under the same keys ([`part_keys`]).
pub(super) fn part_key(part: &str, stem: &WordStemmer) -> String {
    // Looking a part up in the lexicon undoes every affix rule; parts recur across compounds
    // ("avgift" in hundreds), so each part's key is remembered for all threads. Without this
    // the lexicon keys made indexing 20k items ~19 % slower than Snowball keys (measured).
    static KEYS: OnceLock<RwLock<FxHashMap<Box<str>, Box<str>>>> = OnceLock::new();
    let keys = KEYS.get_or_init(RwLock::default);
    if let Some(key) = keys.read().ok().and_then(|k| k.get(part).cloned()) {
        return key.into();
    }
    let key = lexicon_or_stem_key(part, stem);
    if let Ok(mut keys) = keys.write() {
        if keys.len() > SHARED_SPLIT_WORDS {
            keys.clear();
        }
        keys.insert(part.into(), key.as_str().into());
    }
    key
}

fn lexicon_or_stem_key(part: &str, stem: &WordStemmer) -> String {
    super::Lexicon::system()
        .and_then(|l| l.part_key(part))
        .unwrap_or_else(|| {
            // A linking "-s" goes before stemming: Snowball stems "högkostnads" to
            // "högkostnad" but "högkostnad" to "högkostn", which is what a query has.
            match part.strip_suffix('s') {
                Some(bare) if bare.chars().count() >= 4 => stem.stem(bare),
                _ => stem.stem(part),
            }
        })
}

/// The keys a query word may be indexed under as a compound part: the lemmas of all its
/// paradigms, or its Snowball stem when the lexicon does not know it.
pub fn part_keys(word: &str) -> Vec<String> {
    // The lemma whose plural gap the word fills first: the index keys "avgifterna" under
    // "avgift" ([`super::Lexicon::part_key`]).
    let lemmas: Vec<String> = super::Lexicon::system()
        .map(|l| {
            l.gap_lemma(word)
                .into_iter()
                .chain(l.paradigms(word).into_iter().map(|p| p.lemma))
                .collect()
        })
        .unwrap_or_default();
    let mut out: Vec<String> = Vec::new();
    for lemma in lemmas {
        if !out.contains(&lemma) {
            out.push(lemma);
        }
    }
    // The Snowball stem too: parts the lexicon does not know are indexed under it ("skol" of
    // "skolavgifter", "avgift" of "avgifterna" where the dictionary lacks the plural).
    let stem = WordStemmer::new().stem(word);
    if !out.contains(&stem) {
        out.push(stem);
    }
    out
}

impl PartsTokenizer {
    /// A tokenizer over `dictionary` (unset: the system's, read at the first split).
    pub(super) fn new(dictionary: OnceLock<Option<Arc<Dictionary>>>) -> PartsTokenizer {
        PartsTokenizer {
            dictionary,
            shared: Arc::default(),
            known: FxHashMap::default(),
            splits: Vec::new(),
            stem: WordStemmer::new(),
            lower: String::new(),
        }
    }
}
