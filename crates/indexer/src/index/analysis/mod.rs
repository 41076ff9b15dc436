//! Text analysis for Swedish minutes: the tokenizers every field of the index uses.
//!
//! - [`NAME`]: lower-cased words without stemming. The `words` field, the only copy of the item
//!   text, keeps every word as written, so exact spellings can rank highest; stemming and
//!   diacritic folding happen at query time by expanding a query word to the forms the index
//!   holds (the query crate's `forms` module). Speakers' names use it too ("Ring" must not be
//!   stemmed to "ring" of another word's family).
//! - [`SWEDISH`]: words lower-cased and stemmed with tantivy's Swedish (Snowball) stemmer, so
//!   "psykiatrin" meets "psykiatri" and "utskrivningsklara" meets "utskrivningsklar"
//!   (docs/domain.md § 6). Snowball leaves the definite "-n" of words ending in a vowel
//!   ("psykiatrin", "Storsjön"), so [`DefiniteN`] removes it after stemming. The short title and
//!   decision fields are indexed stemmed; for the text it defines which forms a query word
//!   expands to.
//! - [`PARTS`]: only the parts of compound words, stemmed: "besöksförbudet" gives "besök" and
//!   "förbud", so "förbud" finds it (docs/domain.md § 6). The parts go to a field of their own, so
//!   the whole word stays whole in the text and whole-word matches rank above parts (tantivy's
//!   `SplitCompoundWords` would drop the whole word instead). Splitting uses the Swedish
//!   Hunspell dictionary of Debian's `hunspell-sv` ([`Dictionary`]).
//!
//! Every tokenizer is registered by [`register`] on each index the crate opens or creates: a
//! field analysed with a tokenizer the index does not know would silently match nothing.

mod dictionary;
mod lexicon;
mod parts;
mod stem;

use std::sync::{Arc, OnceLock};

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    TokenizerManager,
};

pub use dictionary::{Dictionary, SYSTEM_DICTIONARY};
pub use lexicon::{Lexicon, Paradigm, SYSTEM_AFFIXES};
pub use parts::{part_keys, PartsStream, PartsTokenizer};
pub use stem::{DefiniteN, DefiniteNFilter, DefiniteNStream};

use parts::MAX_TOKEN_BYTES;

/// Name of the Swedish stemming analyzer.
pub const SWEDISH: &str = "paragraf_sv";
/// Name of the analyzer for people's names and exact spellings.
pub const NAME: &str = "paragraf_name";
/// Name of the analyzer that keeps only the stemmed parts of compound words.
pub const PARTS: &str = "paragraf_parts";

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
    TextAnalyzer::from(PartsTokenizer::new(dictionary))
}

/// Registers Paragraf's analyzers on a tokenizer manager (an index's `tokenizers()`), with
/// the system's Swedish dictionary for compounds when it is installed.
pub fn register(manager: &TokenizerManager) {
    manager.register(SWEDISH, swedish());
    manager.register(NAME, name());
    manager.register(PARTS, system_parts());
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
            vec!["besöka", "förbud", "skydd", "handske"]
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
            vec!["besöka", "förbud", "skydd", "handske"]
        );
    }

    #[test]
    fn parts_stream_cuts_words_like_the_text_analyzers() {
        let mut a = parts(Some(Arc::new(Dictionary::from_dic(DIC))));
        // Upper case with Swedish letters, punctuation and digits around the words.
        assert_eq!(
            tokens(&mut a, "(BESÖKSFÖRBUD),2020:skyddshandskar!"),
            vec!["besöka", "förbud", "skydd", "handske"]
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
        assert_eq!(tokens(&mut clone, "besöksförbud"), vec!["besöka", "förbud"]);
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
