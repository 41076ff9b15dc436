//! The Swedish word list compounds are split with (Debian's `hunspell-sv`).

use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashSet;

use super::stem::WordStemmer;

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
    /// Three-letter words flagged to begin a compound ("hög" of "högkostnadsskydd").
    short_heads: FxHashSet<String>,
    /// The lexicon, when read: inflected tails are looked up in it, where Snowball stems a
    /// word and its inflections apart ("marknad" → "markn", "marknaden" → "marknad").
    lexicon: Option<&'static super::Lexicon>,
}

impl Dictionary {
    /// The system dictionary ([`SYSTEM_DICTIONARY`]), read once; `None` (with a warning) when
    /// `hunspell-sv` is not installed, in which case compounds are not split.
    pub fn system() -> Option<Arc<Dictionary>> {
        static SYSTEM: OnceLock<Option<Arc<Dictionary>>> = OnceLock::new();
        SYSTEM
            .get_or_init(|| match std::fs::read_to_string(SYSTEM_DICTIONARY) {
                Ok(text) => {
                    let mut dictionary = Dictionary::from_dic(&text);
                    if let Some(lexicon) = super::Lexicon::system() {
                        dictionary.add_heads(lexicon.compound_heads());
                        dictionary.lexicon = Some(lexicon);
                    }
                    Some(Arc::new(dictionary))
                }
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
            dictionary.short_heads.extend(part.short_heads);
        }
        dictionary
    }

    /// More words that may begin a compound: the forms the affix file makes for it
    /// ([`super::Lexicon::compound_heads`]: "landnings" of "landning", "ränte" of "ränta").
    pub fn add_heads(&mut self, heads: impl IntoIterator<Item = String>) {
        self.heads.extend(
            heads
                .into_iter()
                .filter(|h| h.chars().nth(2).is_some() && h.chars().all(char::is_alphabetic)),
        );
    }

    /// The words of some lines of a `.dic` file.
    fn from_lines(lines: &str) -> Dictionary {
        let stemmer = WordStemmer::new();
        // About one head and half a tail per line (sv_SE: 15 bytes a line).
        let lines_about = lines.len() / 15;
        let mut dictionary = Dictionary {
            heads: FxHashSet::with_capacity_and_hasher(lines_about, Default::default()),
            tails: FxHashSet::with_capacity_and_hasher(lines_about / 2, Default::default()),
            ..Dictionary::default()
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
                if word.chars().nth(3).is_none() {
                    dictionary.short_heads.insert(word.to_string());
                }
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

    pub(super) fn split_with(
        &self,
        word: &str,
        stem: &WordStemmer,
        depth: usize,
    ) -> Option<Vec<String>> {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        if chars.len() < MIN_COMPOUND_CHARS || depth > 2 {
            return None;
        }
        // Longest head first: "brottsoffer|jouren" rather than "brotts|offerjouren".
        for split_at in (3..=chars.len() - 3).rev() {
            let byte = chars[split_at].0;
            let (head, tail) = word.split_at(byte);
            let known = if split_at == 3 {
                self.short_heads.contains(head)
            } else {
                self.heads.contains(head)
            };
            if !known {
                continue;
            }
            if tail.chars().count() < 4 || SUFFIX_LIKE_TAILS.contains(&tail) {
                continue;
            }
            let tail_stem = stem.stem(tail);
            let is_tail = tail_stem.chars().count() >= 3 && self.tails.contains(&tail_stem)
                || self.lexicon.is_some_and(|l| l.ends_compound(tail));
            if is_tail {
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

/// Shorter words are never split.
pub(super) const MIN_COMPOUND_CHARS: usize = 7;
