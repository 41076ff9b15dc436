//! Text analysis for Swedish minutes: the tokenizers every field of the index uses.
//!
//! - [`NAME`]: lower-cased words without stemming. The `words` field, the only copy of the item
//!   text, keeps every word as written, so exact spellings can rank highest; stemming and
//!   diacritic folding happen at query time by expanding a query word to the forms the index
//!   holds (the query crate's `forms` module). Speakers' names use it too ("Ring" must not be
//!   stemmed to "ring" of another word's family).
//! - [`SWEDISH`]: words lower-cased and stemmed with tantivy's Swedish (Snowball) stemmer, so
//!   "psykiatrin" meets "psykiatri" and "utskrivningsklara" meets "utskrivningsklar"
//!   (DOMAIN.md § 6). Snowball leaves the definite "-n" of words ending in a vowel
//!   ("psykiatrin", "Storsjön"), so [`DefiniteN`] removes it after stemming. The short title and
//!   decision fields are indexed stemmed; for the text it defines which forms a query word
//!   expands to.
//! - [`PARTS`]: only the parts of compound words, stemmed: "besöksförbudet" gives "besök" and
//!   "förbud", so "förbud" finds it (DOMAIN.md § 6). The parts go to a field of their own, so
//!   the whole word stays whole in the text and whole-word matches rank above parts (tantivy's
//!   `SplitCompoundWords` would drop the whole word instead). Splitting uses the Swedish
//!   Hunspell dictionary of Debian's `hunspell-sv` ([`Dictionary`]).
//!
//! Every tokenizer is registered by [`register`] on each index the crate opens or creates: a
//! field analysed with a tokenizer the index does not know would silently match nothing.

use std::sync::{Arc, OnceLock, RwLock};

use rustc_hash::{FxHashMap, FxHashSet};

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

/// Name of the Swedish stemming analyzer.
pub const SWEDISH: &str = "paragraf_sv";
/// Name of the analyzer for people's names and exact spellings.
pub const NAME: &str = "paragraf_name";
/// Name of the analyzer that keeps only the stemmed parts of compound words.
pub const PARTS: &str = "paragraf_parts";

/// Words longer than this (in bytes) are dropped: they are URLs or garbage, not words.
const MAX_TOKEN_BYTES: usize = 60;

/// The Swedish stemming analyzer.
pub fn swedish() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::Swedish))
        .filter(DefiniteN)
        .build()
}

/// The analyzer for names: lower-cased words, no stemming.
pub fn name() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .build()
}

/// Removes the definite "-n" after a vowel that the Snowball Swedish stemmer keeps:
/// "psykiatrin" → "psykiatri", "storsjön" → "storsjö". Applied to index and query alike, so a
/// stem it shortens too far ("station" → "statio") still meets its own forms.
#[derive(Clone, Copy, Debug, Default)]
pub struct DefiniteN;

impl TokenFilter for DefiniteN {
    type Tokenizer<T: Tokenizer> = DefiniteNFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> DefiniteNFilter<T> {
        DefiniteNFilter(tokenizer)
    }
}

/// The tokenizer [`DefiniteN`] makes.
#[derive(Clone)]
pub struct DefiniteNFilter<T>(T);

impl<T: Tokenizer> Tokenizer for DefiniteNFilter<T> {
    type TokenStream<'a> = DefiniteNStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        DefiniteNStream(self.0.token_stream(text))
    }
}

/// The token stream of [`DefiniteNFilter`].
pub struct DefiniteNStream<S>(S);

impl<S: TokenStream> TokenStream for DefiniteNStream<S> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        let text = &mut self.0.token_mut().text;
        strip_definite_n(text);
        true
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

fn strip_definite_n(word: &mut String) {
    let mut chars = word.chars().rev();
    let (Some('n'), Some(vowel)) = (chars.next(), chars.next()) else {
        return;
    };
    if matches!(vowel, 'i' | 'y' | 'o' | 'u' | 'å' | 'ö') && word.chars().count() >= 5 {
        word.pop();
    }
}

/// The analyzer for the compound-parts field: each compound word becomes its stemmed parts,
/// other words nothing. Without a dictionary it produces no tokens.
pub fn parts(dictionary: Option<Arc<Dictionary>>) -> TextAnalyzer {
    parts_from(OnceLock::from(dictionary))
}

/// [`parts`] over the system dictionary, read when the first compound is split rather than
/// when the analyzer is made: a search never splits (it looks a query word's stem up in the
/// parts field), so opening an index to search does not read the dictionary.
pub fn system_parts() -> TextAnalyzer {
    parts_from(OnceLock::new())
}

fn parts_from(dictionary: OnceLock<Option<Arc<Dictionary>>>) -> TextAnalyzer {
    TextAnalyzer::from(PartsTokenizer {
        dictionary,
        shared: Arc::default(),
        known: FxHashMap::default(),
        splits: Vec::new(),
        stem: WordStemmer::new(),
        lower: String::new(),
    })
}

/// Registers Paragraf's analyzers on a tokenizer manager (an index's `tokenizers()`), with
/// the system's Swedish dictionary for compounds when it is installed.
pub fn register(manager: &TokenizerManager) {
    manager.register(SWEDISH, swedish());
    manager.register(NAME, name());
    manager.register(PARTS, system_parts());
}

/// Where Debian's `hunspell-sv` installs the Swedish dictionary.
pub const SYSTEM_DICTIONARY: &str = "/usr/share/hunspell/sv_SE.dic";

/// A Swedish word list for splitting compounds, read from a Hunspell `.dic` file.
///
/// Hunspell marks which words may begin a compound (flags `X`, `U`) and which may end one
/// (`Y`). Heads are those words, plus nouns with the linking `-s-` ("besöks") and nouns that
/// drop their final vowel ("smitt-" of "smitta"); tails are the stems of words that may end a
/// compound, so inflected tails ("handskar", "psykiatrin") are found by their stem.
#[derive(Debug, Default)]
pub struct Dictionary {
    heads: FxHashSet<String>,
    tails: FxHashSet<String>,
}

impl Dictionary {
    /// The system dictionary ([`SYSTEM_DICTIONARY`]), read once; `None` (with a warning) when
    /// `hunspell-sv` is not installed, in which case compounds are not split.
    pub fn system() -> Option<Arc<Dictionary>> {
        static SYSTEM: OnceLock<Option<Arc<Dictionary>>> = OnceLock::new();
        SYSTEM
            .get_or_init(|| match std::fs::read_to_string(SYSTEM_DICTIONARY) {
                Ok(text) => Some(Arc::new(Dictionary::from_dic(&text))),
                Err(e) => {
                    tracing::warn!(
                        path = SYSTEM_DICTIONARY,
                        error = %e,
                        "Swedish dictionary missing: compound words will not be split; install Debian's hunspell-sv (scripts/setup does)"
                    );
                    None
                }
            })
            .clone()
    }

    /// Reads the text of a Hunspell `.dic` file (first line: the word count), its lines shared
    /// out over the cores: it is read while the indexing threads wait for it.
    pub fn from_dic(text: &str) -> Dictionary {
        let body = text.split_once('\n').map_or("", |(_, rest)| rest);
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut chunks = Vec::with_capacity(threads);
        let mut rest = body;
        for left in (1..=threads).rev() {
            // Cut at a line end near an equal share of what is left.
            let at = rest.len() / left;
            let at = rest[at..].find('\n').map_or(rest.len(), |i| at + i + 1);
            let (chunk, tail) = rest.split_at(at);
            chunks.push(chunk);
            rest = tail;
        }
        let mut parts = std::thread::scope(|s| {
            let handles: Vec<_> = chunks
                .into_iter()
                .map(|chunk| s.spawn(move || Dictionary::from_lines(chunk)))
                .collect();
            handles
                .into_iter()
                .map(|h| match h.join() {
                    Ok(part) => part,
                    Err(panic) => std::panic::resume_unwind(panic),
                })
                .collect::<Vec<_>>()
        })
        .into_iter();
        let mut dictionary = parts.next().unwrap_or_default();
        for part in parts {
            dictionary.heads.reserve(part.heads.len());
            dictionary.heads.extend(part.heads);
            dictionary.tails.reserve(part.tails.len());
            dictionary.tails.extend(part.tails);
        }
        dictionary
    }

    /// The words of some lines of a `.dic` file.
    fn from_lines(lines: &str) -> Dictionary {
        let stemmer = WordStemmer::new();
        // About one head and half a tail per line (sv_SE: 15 bytes a line).
        let lines_about = lines.len() / 15;
        let mut dictionary = Dictionary {
            heads: FxHashSet::with_capacity_and_hasher(lines_about, Default::default()),
            tails: FxHashSet::with_capacity_and_hasher(lines_about / 2, Default::default()),
        };
        for line in lines.lines() {
            let (word, flags) = line.split_once('/').unwrap_or((line, ""));
            let word = word.trim();
            let lower_letters = |c: char| c.is_alphabetic() && c.is_lowercase();
            if word.chars().nth(2).is_none() || !word.chars().all(lower_letters) {
                continue;
            }
            let flags = flags.split_whitespace().next().unwrap_or_default();
            if flags.contains(['X', 'U']) {
                dictionary.heads.insert(word.to_string());
            }
            if flags.contains('Y') {
                dictionary.heads.insert(format!("{word}s"));
                if word.ends_with(['a', 'e']) && word.chars().nth(4).is_some() {
                    let mut truncated = word.to_string();
                    truncated.pop();
                    dictionary.heads.insert(truncated);
                }
                dictionary.tails.insert(stemmer.stem(word));
            }
        }
        dictionary
    }

    /// The parts of a lower-case compound word, or `None` when it is not a compound the
    /// dictionary knows: "besöksförbudet" → `["besöks", "förbudet"]`.
    pub fn split(&self, word: &str) -> Option<Vec<String>> {
        self.split_with(word, &WordStemmer::new(), 0)
    }

    fn split_with(&self, word: &str, stem: &WordStemmer, depth: usize) -> Option<Vec<String>> {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        if chars.len() < MIN_COMPOUND_CHARS || depth > 2 {
            return None;
        }
        // Longest head first: "brottsoffer|jouren" rather than "brotts|offerjouren".
        for split_at in (4..=chars.len() - 3).rev() {
            let byte = chars[split_at].0;
            let (head, tail) = word.split_at(byte);
            if !self.heads.contains(head) {
                continue;
            }
            if tail.chars().count() < 4 || SUFFIX_LIKE_TAILS.contains(&tail) {
                continue;
            }
            let tail_stem = stem.stem(tail);
            if tail_stem.chars().count() >= 3 && self.tails.contains(&tail_stem) {
                return Some(vec![head.to_string(), tail.to_string()]);
            }
            if let Some(mut rest) = self.split_with(tail, stem, depth + 1) {
                rest.insert(0, head.to_string());
                return Some(rest);
            }
        }
        None
    }
}

/// Tails that are words in the dictionary but, at the end of a longer word, are inflection or
/// derivation ("fastställ-ande", "polis-ens"), not the last part of a compound.
const SUFFIX_LIKE_TAILS: &[&str] = &[
    "ande", "andes", "ende", "endes", "arna", "erna", "orna", "arnas", "ernas", "ornas", "heten",
    "else", "elsen", "ning", "ningen", "aren", "eren", "ares", "ens",
];

/// The stemming of [`SWEDISH`] (Snowball, then [`DefiniteN`]) for one lower-case word at a
/// time, without a token stream and a new Snowball stemmer per word as a [`TextAnalyzer`]
/// makes them (the dictionary stems some 100,000 words before indexing can start).
#[derive(Clone, Copy)]
pub(crate) struct WordStemmer(frostem::Stemmer);

impl WordStemmer {
    /// The Swedish stemmer.
    pub(crate) fn new() -> WordStemmer {
        WordStemmer(frostem::Stemmer::new(frostem::Algorithm::Swedish))
    }

    /// The stem of a lower-case word.
    pub(crate) fn stem(&self, word: &str) -> String {
        let mut stem = self.0.stem(word).into_owned();
        strip_definite_n(&mut stem);
        stem
    }
}

/// The tokenizer of [`parts`]: one pass over the text that looks only at words long enough to
/// be compounds, lower-cases those, and remembers each word's stemmed parts. (As a chain of
/// tantivy filters it lower-cased and copied every word of the text, which made this small
/// field cost as much to index as the whole text.)
#[derive(Clone)]
pub struct PartsTokenizer {
    /// The dictionary; unset until the first split when it is the system's (see
    /// [`system_parts`]).
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

/// Shorter words are never split.
const MIN_COMPOUND_CHARS: usize = 7;

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
                    .map(|parts| parts.iter().map(|part| self.stem.stem(part)).collect());
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

/// The tokens an analyzer makes of a text, in order.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflected_forms_meet() {
        let mut a = swedish();
        assert_eq!(tokens(&mut a, "psykiatrin"), tokens(&mut a, "psykiatri"));
        assert_eq!(
            tokens(&mut a, "besöksförbudet"),
            tokens(&mut a, "besöksförbud")
        );
        assert_eq!(
            tokens(&mut a, "Brottsofferjouren"),
            tokens(&mut a, "brottsofferjour")
        );
    }

    #[test]
    fn definite_n_after_vowel() {
        let mut a = swedish();
        assert_eq!(tokens(&mut a, "Storsjön"), tokens(&mut a, "Storsjö"));
        assert_eq!(
            tokens(&mut a, "specialistpsykiatrin"),
            vec!["specialistpsykiatri"]
        );
        // Short words keep their n: "kan", "man", "son".
        assert_eq!(tokens(&mut a, "kan"), vec!["kan"]);
    }

    #[test]
    fn hyphens_and_acronyms_split() {
        let mut a = swedish();
        assert_eq!(tokens(&mut a, "LOSUS-avtalet"), vec!["losus", "avtal"]);
        assert_eq!(tokens(&mut a, "PCR-testning"), vec!["pcr", "testning"]);
    }

    /// A few lines in the shape of Debian's sv_SE.dic.
    const DIC: &str = "12\nbesök/BDRY\nförbud/ABDfvY\nskydd/ABDOY\nhandske/AEGY\nspecialist/ADHXY\npsykiatri/AEUXY\nbrottsoffer/ACFXY\njour/ADfHsY\nsamman/b\nträd/ADY\nkom/A\nsmitta/ADEGmNPY\nspridning/ADGvY\ntest/>ABDHXY\nkapacitet/ADHY\n";

    #[test]
    fn compounds_split_with_linking_letters() {
        let d = Dictionary::from_dic(DIC);
        assert_eq!(
            d.split("besöksförbud"),
            Some(vec!["besöks".into(), "förbud".into()])
        );
        assert_eq!(
            d.split("skyddshandskar"),
            Some(vec!["skydds".into(), "handskar".into()])
        );
        assert_eq!(
            d.split("specialistpsykiatrin"),
            Some(vec!["specialist".into(), "psykiatrin".into()])
        );
        assert_eq!(
            d.split("brottsofferjouren"),
            Some(vec!["brottsoffer".into(), "jouren".into()])
        );
        assert_eq!(
            d.split("smittspridning"),
            Some(vec!["smitt".into(), "spridning".into()])
        );
        assert_eq!(
            d.split("testkapacitet"),
            Some(vec!["test".into(), "kapacitet".into()])
        );
    }

    #[test]
    fn words_that_only_look_like_compounds_stay_whole() {
        let d = Dictionary::from_dic(DIC);
        // "samman" and "kom" may not begin a compound in Hunspell's flags.
        assert_eq!(d.split("sammanträdet"), None);
        assert_eq!(d.split("kommunen"), None);
        assert_eq!(d.split("förbud"), None);
        // Inflection is not a compound part: "-ande", "-ens".
        let d = Dictionary::from_dic("3\nfastställ/X\nande/ADY\npolis/ADXY\n");
        assert_eq!(d.split("fastställande"), None);
        assert_eq!(d.split("polisens"), None);
    }

    #[test]
    fn parts_field_gets_stemmed_parts_only() {
        let mut a = parts(Some(Arc::new(Dictionary::from_dic(DIC))));
        assert_eq!(
            tokens(&mut a, "Besöksförbudet gäller. Skyddshandskar finns."),
            vec!["besök", "förbud", "skydd", "handsk"]
        );
        assert_eq!(
            tokens(&mut a, "specialistpsykiatrin"),
            tokens(&mut swedish(), "specialist psykiatri")
        );
        assert_eq!(
            tokens(&mut parts(None), "besöksförbud"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn system_parts_reads_the_system_dictionary_when_it_first_splits() {
        // scripts/setup installs hunspell-sv; the index is built with it.
        assert!(
            Dictionary::system().is_some(),
            "{SYSTEM_DICTIONARY} is installed"
        );
        let mut a = system_parts();
        assert_eq!(
            tokens(&mut a, "Besöksförbudet gäller. Skyddshandskar finns."),
            vec!["besök", "förbud", "skydd", "handsk"]
        );
    }

    #[test]
    fn parts_stream_cuts_words_like_the_text_analyzers() {
        let mut a = parts(Some(Arc::new(Dictionary::from_dic(DIC))));
        // Upper case with Swedish letters, punctuation and digits around the words.
        assert_eq!(
            tokens(&mut a, "(BESÖKSFÖRBUD),2020:skyddshandskar!"),
            vec!["besök", "förbud", "skydd", "handsk"]
        );
        let mut stream = a.token_stream("Om besöksförbudet");
        assert!(stream.advance());
        let token = stream.token();
        assert_eq!(
            (token.offset_from, token.offset_to, token.position),
            (3, 19, 1)
        );
        drop(stream);
        // Clones share what was split: tantivy clones the analyzer for every segment.
        let mut clone = a.clone();
        assert_eq!(tokens(&mut clone, "besöksförbud"), vec!["besök", "förbud"]);
        assert_eq!(tokens(&mut a, "kort ord"), Vec::<String>::new());
    }

    #[test]
    fn names_are_not_stemmed() {
        let mut a = name();
        assert_eq!(tokens(&mut a, "Elin Ring"), vec!["elin", "ring"]);
        assert_eq!(
            tokens(&mut a, "Anna Kråik Åström"),
            vec!["anna", "kråik", "åström"]
        );
    }
}
