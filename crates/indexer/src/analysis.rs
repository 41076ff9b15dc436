//! Text analysis for Swedish minutes: the tokenizers every field of the index uses.
//!
//! - [`SWEDISH`]: words lower-cased and stemmed with tantivy's Swedish (Snowball) stemmer, so
//!   "psykiatrin" meets "psykiatri" and "utskrivningsklara" meets "utskrivningsklar"
//!   (DOMAIN.md § 6). Snowball leaves the definite "-n" of words ending in a vowel
//!   ("psykiatrin", "Storsjön"), so [`DefiniteN`] removes it after stemming.
//! - [`FOLDED`]: the same, then å/ä → a and ö → o, so "ostersund" typed on a foreign keyboard
//!   finds "Östersund". It feeds a second field that ranks below the exact one.
//! - [`NAME`]: lower-cased words without stemming, for speakers' names ("Ring" must not be
//!   stemmed to "ring" of another word's family).
//!
//! Every tokenizer is registered by [`register`] on each index the crate opens or creates: a
//! field analysed with a tokenizer the index does not know would silently match nothing.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

/// Name of the Swedish stemming analyzer.
pub const SWEDISH: &str = "paragraf_sv";
/// Name of the Swedish stemming analyzer with diacritics folded.
pub const FOLDED: &str = "paragraf_sv_folded";
/// Name of the analyzer for people's names.
pub const NAME: &str = "paragraf_name";

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

/// The Swedish stemming analyzer followed by diacritic folding.
pub fn folded() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::Swedish))
        .filter(DefiniteN)
        .filter(AsciiFoldingFilter)
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

/// Registers Paragraf's analyzers on a tokenizer manager (an index's `tokenizers()`).
pub fn register(manager: &TokenizerManager) {
    manager.register(SWEDISH, swedish());
    manager.register(FOLDED, folded());
    manager.register(NAME, name());
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
    fn folding_meets_foreign_keyboards() {
        let mut a = folded();
        assert_eq!(tokens(&mut a, "Östersund"), vec!["ostersund"]);
        assert_eq!(
            tokens(&mut a, "besöksförbud"),
            tokens(&mut a, "besoksforbud")
        );
    }

    #[test]
    fn hyphens_and_acronyms_split() {
        let mut a = swedish();
        assert_eq!(tokens(&mut a, "LOSUS-avtalet"), vec!["losus", "avtal"]);
        assert_eq!(tokens(&mut a, "PCR-testning"), vec!["pcr", "testning"]);
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
