//! Prints how the system's Swedish dictionary splits the words of the given files:
//! `cargo run -p paragraf-indexer --example decompound -- index-data/*.txt`.
//!
//! A tool for checking the compound splitter on real text; it changes nothing.

use std::collections::BTreeSet;

use paragraf_indexer::index::analysis::Dictionary;

fn main() {
    let Some(dictionary) = Dictionary::system() else {
        eprintln!("no Swedish dictionary; install Debian's hunspell-sv");
        std::process::exit(2);
    };
    let mut words = BTreeSet::new();
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            words.insert(word.to_lowercase());
        }
    }
    let mut split = 0;
    for word in &words {
        if let Some(parts) = dictionary.split(word) {
            split += 1;
            eprintln!("{word} -> {}", parts.join(" + "));
        }
    }
    eprintln!("{split} of {} words split", words.len());
}
