//! Stemming one Swedish word: Snowball, then the definite "-n" it leaves ([`DefiniteN`]).

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

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

pub(super) fn strip_definite_n(word: &mut String) {
    let mut chars = word.chars().rev();
    let (Some('n'), Some(vowel)) = (chars.next(), chars.next()) else {
        return;
    };
    if matches!(vowel, 'i' | 'y' | 'o' | 'u' | 'å' | 'ö') && word.chars().count() >= 5 {
        word.pop();
    }
}

/// The stemming of [`SWEDISH`](super::SWEDISH) (Snowball, then [`DefiniteN`]) for one lower-case word at a
/// time, without a token stream and a new Snowball stemmer per word as a [`TextAnalyzer`](tantivy::tokenizer::TextAnalyzer)
/// makes them (the dictionary stems some 100,000 words before indexing can start).
#[derive(Clone, Copy)]
pub(super) struct WordStemmer(frostem::Stemmer);

impl WordStemmer {
    /// The Swedish stemmer.
    pub(super) fn new() -> WordStemmer {
        WordStemmer(frostem::Stemmer::new(frostem::Algorithm::Swedish))
    }

    /// The stem of a lower-case word.
    pub(super) fn stem(&self, word: &str) -> String {
        let mut stem = self.0.stem(word).into_owned();
        strip_definite_n(&mut stem);
        stem
    }
}
