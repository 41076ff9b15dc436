//! The Swedish lexicon: every word's inflection paradigms, from the affix flags of the Hunspell
//! dictionary (Debian's `hunspell-sv`, `sv_SE.aff` + `sv_SE.dic`).
//!
//! Each `.dic` entry ("väg/ADGXY") names the affix classes of its `.aff` file that apply to it;
//! a class is a list of rules "strip these letters, add those, if the word ends (SFX) or
//! begins (PFX) like this condition". Applying an entry's classes gives its forms: väg, vägs,
//! vägen, vägens, vägar, vägarna, vägarnas, vägars. The forms of a query word are the members
//! of the paradigms it belongs to, so "dag" is never "dagligen" (its own entry) and "stat"
//! never "statlig", where Snowball strips "-lig".
//!
//! Not every class of sv_SE is inflection. Derivations make paradigms of their own:
//! the agent noun of a verb (class `T`: lära → lärare, läraren …; arbeta → arbetare), the
//! "-isk" adjective (also `T`), the inhabitant "-bo" (`e`, `d`) and the "-ande" participle and
//! verbal noun (the rules adding "nde"). Forms that may only begin a compound (continuation
//! flag `ONLYINCOMPOUND`, sv_SE `Z`: "bostads-", "landnings-", "ränte-") are no word; they are
//! compound heads ([`Lexicon::compound_heads`]). sv_SE uses one-character flags (no `FLAG`
//! line), suffixes only, no second-level affixes; prefix rules and cross products are read as
//! well, for another dictionary of the same shape.

use std::sync::OnceLock;
use std::time::Instant;

use rustc_hash::FxHashMap;

/// Where Debian's `hunspell-sv` installs the Swedish affix file.
pub const SYSTEM_AFFIXES: &str = "/usr/share/hunspell/sv_SE.aff";

/// One letter position of a rule's condition.
#[derive(Debug, Clone)]
enum Letter {
    Any,
    One(char),
    Set { chars: Vec<char>, negated: bool },
}

impl Letter {
    fn matches(&self, c: char) -> bool {
        match self {
            Letter::Any => true,
            Letter::One(one) => *one == c,
            Letter::Set { chars, negated } => chars.contains(&c) != *negated,
        }
    }
}

/// A rule's condition: letters the end (suffix) or the start (prefix) of the word must have.
#[derive(Debug, Clone)]
struct Condition(Vec<Letter>);

impl Condition {
    fn parse(text: &str) -> Condition {
        let mut letters = Vec::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            letters.push(match c {
                '.' => Letter::Any,
                '[' => {
                    let mut set = Vec::new();
                    let mut negated = false;
                    for c in chars.by_ref() {
                        match c {
                            ']' => break,
                            '^' if set.is_empty() && !negated => negated = true,
                            c => set.push(c),
                        }
                    }
                    Letter::Set {
                        chars: set,
                        negated,
                    }
                }
                c => Letter::One(c),
            });
        }
        Condition(letters)
    }

    fn matches_end(&self, word: &str) -> bool {
        let mut chars = word.chars().rev();
        self.0
            .iter()
            .rev()
            .all(|l| chars.next().is_some_and(|c| l.matches(c)))
    }

    fn matches_start(&self, word: &str) -> bool {
        let mut chars = word.chars();
        self.0
            .iter()
            .all(|l| chars.next().is_some_and(|c| l.matches(c)))
    }
}

/// Which paradigm the forms of a rule belong to: the entry's own inflection, a derivation with
/// a paradigm of its own, or a compound head only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Group {
    Inflection,
    /// The "-ande"/"-ende" participle and verbal noun.
    Participle,
    /// The agent noun "-are" of a verb (sv_SE `T`).
    Agent,
    /// The "-isk" adjective (sv_SE `T` on words not ending in "a").
    Isk,
    /// The inhabitant "-bo" (sv_SE `e`, `d`).
    Inhabitant,
    /// A form that only begins or continues a compound.
    CompoundHead,
}

#[derive(Debug, Clone)]
struct Rule {
    strip: String,
    add: String,
    condition: Condition,
    group: Group,
}

#[derive(Debug, Clone, Default)]
struct Class {
    prefix: bool,
    rules: Vec<Rule>,
}

/// One paradigm of a word: the forms of one lemma (or of one derivation of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paradigm {
    /// The lemma: the dictionary word, or the first form of a derivation ("arbetare").
    pub lemma: String,
    /// Whether the word looked up is the lemma itself.
    pub headword: bool,
    /// Every form, lower-cased, the lemma first.
    pub forms: Vec<String>,
}

/// The Swedish lexicon: dictionary entries and the affix rules that inflect them.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// Each entry (as written) with the flags of each of its lines.
    entries: FxHashMap<Box<str>, Vec<Box<str>>>,
    classes: FxHashMap<char, Class>,
    /// Flags of the affix file's special kinds.
    need_affix: Option<char>,
    forbidden: Option<char>,
    only_in_compound: Option<char>,
    compound_flags: Vec<char>,
    compound_end: Option<char>,
    /// Load time and an estimate of the memory held, for the report.
    loaded_in: std::time::Duration,
}

impl Lexicon {
    /// The system lexicon ([`SYSTEM_AFFIXES`], [`super::SYSTEM_DICTIONARY`]), read once when first
    /// asked for; `None` when `hunspell-sv` is not installed (query words then fall back to
    /// Snowball stemming).
    pub fn system() -> Option<&'static Lexicon> {
        static SYSTEM: OnceLock<Option<Lexicon>> = OnceLock::new();
        SYSTEM
            .get_or_init(|| {
                let aff = std::fs::read_to_string(SYSTEM_AFFIXES).ok()?;
                let dic = std::fs::read_to_string(super::SYSTEM_DICTIONARY).ok()?;
                let lexicon = Lexicon::from_files(&aff, &dic);
                // Debug, not info: `paragraf search` prints only what was asked on stderr.
                tracing::debug!(
                    entries = lexicon.entries.len(),
                    ms = lexicon.loaded_in.as_millis() as u64,
                    mib = lexicon.approx_bytes() / (1 << 20),
                    "Swedish lexicon loaded"
                );
                Some(lexicon)
            })
            .as_ref()
    }

    /// A lexicon from the text of an affix file and a dictionary file.
    pub fn from_files(aff: &str, dic: &str) -> Lexicon {
        let started = Instant::now();
        let mut lexicon = Lexicon::default();
        lexicon.read_affixes(aff);
        let body = dic.split_once('\n').map_or("", |(_, rest)| rest);
        lexicon.entries.reserve(body.len() / 14);
        for line in body.lines() {
            let line = line.split(['\t', ' ']).next().unwrap_or_default();
            let (word, flags) = line.split_once('/').unwrap_or((line, ""));
            if word.is_empty() {
                continue;
            }
            if lexicon.forbidden.is_some_and(|f| flags.contains(f)) {
                continue;
            }
            lexicon
                .entries
                .entry(word.into())
                .or_default()
                .push(flags.into());
        }
        lexicon.loaded_in = started.elapsed();
        lexicon
    }

    fn read_affixes(&mut self, aff: &str) {
        let flag = |s: Option<&str>| s.and_then(|s| s.chars().next());
        for line in aff.lines() {
            let mut cols = line.split_whitespace();
            match cols.next() {
                Some("NEEDAFFIX") => self.need_affix = flag(cols.next()),
                Some("FORBIDDENWORD") => self.forbidden = flag(cols.next()),
                Some("ONLYINCOMPOUND") => self.only_in_compound = flag(cols.next()),
                Some("COMPOUNDEND") => self.compound_end = flag(cols.next()),
                Some("COMPOUNDBEGIN" | "COMPOUNDMIDDLE") => {
                    self.compound_flags.extend(flag(cols.next()))
                }
                Some(kind @ ("SFX" | "PFX")) => {
                    let (Some(name), Some(second), Some(third)) =
                        (flag(cols.next()), cols.next(), cols.next())
                    else {
                        continue;
                    };
                    let class = self.classes.entry(name).or_default();
                    class.prefix = kind == "PFX";
                    // The header ("SFX A Y 1") has a cross-product flag and a count.
                    if matches!(second, "Y" | "N") && third.parse::<usize>().is_ok() {
                        continue;
                    }
                    let condition = cols.next().unwrap_or(".");
                    let (add, continuation) = third.split_once('/').unwrap_or((third, ""));
                    let zero = |s: &str| {
                        if s == "0" {
                            String::new()
                        } else {
                            s.to_string()
                        }
                    };
                    let (strip, add) = (zero(second), zero(add));
                    let group = self.group(name, &add, continuation);
                    self.classes.entry(name).or_default().rules.push(Rule {
                        strip,
                        add,
                        condition: Condition::parse(condition),
                        group,
                    });
                }
                _ => {}
            }
        }
    }

    /// The paradigm a rule's forms belong to (see the module docs).
    fn group(&self, class: char, add: &str, continuation: &str) -> Group {
        let compound_only = self
            .only_in_compound
            .is_some_and(|f| continuation.contains(f))
            || continuation.contains(self.compound_flags.as_slice())
            || add.ends_with('-');
        if compound_only {
            Group::CompoundHead
        } else if add.contains("nde") {
            Group::Participle
        } else if class == 'T' && add.starts_with("isk") {
            Group::Isk
        } else if class == 'T' {
            Group::Agent
        } else if matches!(class, 'e' | 'd') {
            Group::Inhabitant
        } else {
            Group::Inflection
        }
    }

    /// Number of dictionary entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the lexicon has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How long reading the files took.
    pub fn load_time(&self) -> std::time::Duration {
        self.loaded_in
    }

    /// An estimate of the heap memory the lexicon holds, in bytes.
    pub fn approx_bytes(&self) -> usize {
        let entries: usize = self
            .entries
            .iter()
            .map(|(k, v)| k.len() + 16 + 24 + v.iter().map(|f| f.len() + 16).sum::<usize>())
            .sum();
        // The hash table's slots: a key, a vector and a control byte each, at 7/8 load.
        entries + self.entries.capacity() * (16 + 24 + 1)
    }

    /// The entry spellings a lower-case word may have in the dictionary: as typed, and with a
    /// capital first letter (names: "göran" is "Göran").
    fn spellings(word: &str) -> impl Iterator<Item = String> + '_ {
        let mut chars = word.chars();
        let capital = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect::<String>());
        std::iter::once(word.to_string()).chain(capital.filter(|c| c != word))
    }

    /// The forms of one entry line in one group.
    fn forms_of(&self, word: &str, flags: &str, group: Group) -> Vec<String> {
        let mut forms = Vec::new();
        let is_word = !self.need_affix.is_some_and(|f| flags.contains(f))
            && !self.only_in_compound.is_some_and(|f| flags.contains(f));
        if group == Group::Inflection && is_word {
            forms.push(word.to_lowercase());
        }
        for flag in flags.chars() {
            let Some(class) = self.classes.get(&flag) else {
                continue;
            };
            for rule in class.rules.iter().filter(|r| r.group == group) {
                if let Some(form) = apply(rule, class.prefix, word) {
                    let form = form.to_lowercase();
                    if !forms.contains(&form) {
                        forms.push(form);
                    }
                }
            }
        }
        forms
    }

    /// Every paradigm a lower-case word belongs to: the inflections of the entry it is (its
    /// own paradigm first) and of the entries it is an affixed form of, and the derivations
    /// it is a form of. Empty when the dictionary does not know the word.
    pub fn paradigms(&self, word: &str) -> Vec<Paradigm> {
        let mut out: Vec<Paradigm> = Vec::new();
        let push = |out: &mut Vec<Paradigm>, forms: Vec<String>, headword: bool| {
            let Some(lemma) = forms.first().cloned() else {
                return;
            };
            if !forms.iter().any(|f| f == word) {
                return;
            }
            if let Some(same) = out.iter_mut().find(|p| p.forms == forms) {
                same.headword |= headword;
                return;
            }
            out.push(Paradigm {
                headword: headword && lemma == word,
                lemma,
                forms,
            });
        };
        for spelling in Lexicon::spellings(word) {
            if let Some(lines) = self.entries.get(spelling.as_str()) {
                for flags in lines {
                    let forms = self.forms_of(&spelling, flags, Group::Inflection);
                    push(&mut out, forms, true);
                }
            }
        }
        // The entries the word is an affixed form of: undo each rule whose addition it ends
        // (or begins) with, and look the base up.
        for (&flag, class) in &self.classes {
            for rule in &class.rules {
                if rule.group == Group::CompoundHead {
                    continue;
                }
                let Some(base) = unapply(rule, class.prefix, word) else {
                    continue;
                };
                for spelling in Lexicon::spellings(&base) {
                    let Some(lines) = self.entries.get(spelling.as_str()) else {
                        continue;
                    };
                    for flags in lines.iter().filter(|f| f.contains(flag)) {
                        if apply(rule, class.prefix, &spelling)
                            .is_some_and(|f| f.to_lowercase() == word)
                        {
                            let forms = self.forms_of(&spelling, flags, rule.group);
                            push(&mut out, forms, rule.group != Group::Inflection);
                        }
                    }
                }
            }
        }
        // The word's own paradigms (it is their lemma) first, then the others.
        out.sort_by_key(|p| !p.headword);
        out
    }

    /// Whether a lower-case word is an inflected form of an entry that may end a compound
    /// (sv_SE flag `Y`): "marknaden" of "marknad", "avgifter" of "avgift".
    pub fn ends_compound(&self, word: &str) -> bool {
        let Some(end) = self.compound_end else {
            return false;
        };
        if self
            .entries
            .get(word)
            .is_some_and(|lines| lines.iter().any(|f| f.contains(end)))
        {
            return true;
        }
        self.classes.iter().any(|(&flag, class)| {
            class.rules.iter().any(|rule| {
                rule.group == Group::Inflection
                    && unapply(rule, class.prefix, word).is_some_and(|base| {
                        self.entries.get(base.as_str()).is_some_and(|lines| {
                            lines.iter().any(|f| f.contains(flag) && f.contains(end))
                        }) && apply(rule, class.prefix, &base).is_some_and(|f| f == word)
                    })
            })
        })
    }

    /// The key a compound part is indexed under: the lemma whose plural gap it fills
    /// ([`Lexicon::gap_lemma`]: "avgifterna" → "avgift"), else the lemma of its first paradigm
    /// ("marknaden" → "marknad"); `None` when the dictionary does not know it.
    pub fn part_key(&self, word: &str) -> Option<String> {
        self.gap_lemma(word)
            .or_else(|| self.paradigms(word).into_iter().next().map(|p| p.lemma))
    }

    /// Whether `form` fills a gap in the paradigm of `word`. sv_SE lists many nouns without
    /// their plural: "avgift" has only avgift, avgifts, avgiften, avgiftens, and "avgifter" is
    /// there only as a form of the verb "avgifta"; umlaut plurals ("bostäder", "städer",
    /// "länder") are entries of their own that no flag links to the singular. A form fills
    /// the gap when the word's own paradigms hold no plural, the form is no lemma of a word of
    /// its own (it has no definite singular: "lager" has "lagret", so it is not a plural of
    /// "lag"), and the form is the word's lemma with a plural ending ([`PLURAL_ENDINGS`]), the stem's last vowel umlauted or not (a/ä, o/ö).
    /// The derivations Snowball conflates ("-lig", "-are", "-ig") are no plural endings, so they
    /// stay apart.
    pub fn fills_gap(&self, word: &str, form: &str) -> bool {
        if word == form
            || !self.lacks_plural(word)
            || self.is_singular_lemma(form)
            || !self.may_be_noun_plural(form)
        {
            return false;
        }
        let stems = self.lemma_stems(word);
        plural_splits(form).any(|(stem, _)| stems.iter().any(|s| same_or_umlaut(s, stem)))
    }

    /// The forms that fill the plural gap of `word`'s paradigm ([`Lexicon::fills_gap`]),
    /// spelled from its lemma: "avgift" → avgifter, avgifterna …; "bostad" → bostäder …. Not
    /// every one is a word: the caller keeps those its index holds.
    pub fn gap_forms(&self, word: &str) -> Vec<String> {
        if !self.lacks_plural(word) {
            return Vec::new();
        }
        let mut out: Vec<String> = Vec::new();
        for stem in self.lemma_stems(word) {
            for stem in [Some(stem.clone()), umlauted(&stem)].into_iter().flatten() {
                for ending in PLURAL_ENDINGS {
                    let form = format!("{stem}{ending}");
                    if !out.contains(&form)
                        && !self.is_singular_lemma(&form)
                        && self.may_be_noun_plural(&form)
                    {
                        out.push(form);
                    }
                }
            }
        }
        out
    }

    /// The lemma whose plural gap `word` fills ("avgifterna" → "avgift", "bostäder" →
    /// "bostad"), when the dictionary has one.
    pub fn gap_lemma(&self, word: &str) -> Option<String> {
        plural_splits(word)
            .flat_map(|(stem, _)| [Some(stem.to_string()), unumlauted(stem)])
            .flatten()
            .find(|lemma| self.entries.contains_key(lemma.as_str()) && self.fills_gap(lemma, word))
    }

    /// The stems a plural of the word's own lemmas is spelt from: the lemmas themselves. (Not
    /// the lemma without its final vowel: "arbet|ar" is the verb, not a plural of "arbete";
    /// sv_SE gives the nouns that drop a vowel, "pojke" → "pojkar", their plurals.)
    fn lemma_stems(&self, word: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .own_paradigms(word)
            .into_iter()
            .map(|p| p.lemma)
            .collect();
        out.retain(|s| s.chars().count() >= 3);
        out
    }

    /// Whether the word has own paradigms and none of them holds a plural.
    fn lacks_plural(&self, word: &str) -> bool {
        let own = self.own_paradigms(word);
        !own.is_empty()
            && own
                .iter()
                .all(|p| p.forms.iter().all(|f| plural_splits(f).next().is_none()))
    }

    /// Whether a plural-looking form may be a noun's plural: the dictionary does not know it,
    /// or knows it in a paradigm with its definite plural ("avgifter" beside "avgifterna" in
    /// sv_SE's "avgifta"), not only as a verb's form ("vårdar" of "vårda": "vård" has no
    /// plural).
    fn may_be_noun_plural(&self, form: &str) -> bool {
        let paradigms = self.paradigms(form);
        if paradigms.is_empty() {
            return true;
        }
        let indefinite = ["rnas", "rna", "rs"]
            .iter()
            .find_map(|e| form.strip_suffix(e).map(|s| format!("{s}r")))
            .unwrap_or_else(|| form.to_string());
        let definite = format!("{indefinite}na");
        paradigms.iter().any(|p| p.forms.contains(&definite))
    }

    /// Whether the word is the lemma of a paradigm with a definite singular ("lagret" of
    /// "lager"): a word of its own, not a plural form.
    fn is_singular_lemma(&self, word: &str) -> bool {
        self.paradigms(word).iter().any(|p| {
            p.headword
                && p.forms
                    .iter()
                    .any(|f| f != word && (f.ends_with("en") || f.ends_with("et")))
        })
    }

    /// Whether the dictionary knows the word (as any form of any paradigm).
    pub fn knows(&self, word: &str) -> bool {
        !self.paradigms(word).is_empty()
    }

    /// The paradigms a query word stands for: those it is the lemma of when there are any
    /// ("stöd" the noun, not the verb "stöda" whose imperative it also is), else all.
    pub fn own_paradigms(&self, word: &str) -> Vec<Paradigm> {
        let mut all = self.paradigms(word);
        if all.iter().any(|p| p.headword) {
            all.retain(|p| p.headword);
        }
        all
    }

    /// Whether two lower-case words are forms of one word: a form of the other's own
    /// paradigms when the dictionary knows both; when it knows only one (a gap: sv_SE lists
    /// "avgift" without its plural "avgifter"), when their Snowball stems agree.
    pub fn conflates(&self, a: &str, b: &str) -> bool {
        match (self.knows(a), self.knows(b)) {
            (true, true) => {
                self.own_paradigms(a)
                    .iter()
                    .any(|p| p.forms.iter().any(|f| f == b))
                    || self.fills_gap(a, b)
            }
            _ => {
                let stem = super::stem::WordStemmer::new();
                stem.stem(a) == stem.stem(b)
            }
        }
    }

    /// Every form that may begin or continue a compound: entries flagged for it and the forms
    /// of the rules that make compound heads ("bostads", "landnings", "ränte", "förar").
    pub fn compound_heads(&self) -> Vec<String> {
        let mut heads = Vec::new();
        for (word, lines) in &self.entries {
            if !word.chars().all(|c| c.is_alphabetic() && c.is_lowercase()) {
                continue;
            }
            for flags in lines {
                if flags.contains(self.compound_flags.as_slice()) {
                    heads.push(word.to_string());
                }
                heads.extend(self.forms_of(word, flags, Group::CompoundHead));
            }
        }
        heads
    }
}

/// The form a rule makes of a word, if its condition holds.
fn apply(rule: &Rule, prefix: bool, word: &str) -> Option<String> {
    if prefix {
        let rest = word.strip_prefix(rule.strip.as_str())?;
        rule.condition
            .matches_start(word)
            .then(|| format!("{}{rest}", rule.add))
    } else {
        let rest = word.strip_suffix(rule.strip.as_str())?;
        rule.condition
            .matches_end(word)
            .then(|| format!("{rest}{}", rule.add))
    }
}

/// The word a rule would have made a form of (without checking the condition).
fn unapply(rule: &Rule, prefix: bool, form: &str) -> Option<String> {
    if prefix {
        let rest = form.strip_prefix(rule.add.as_str())?;
        Some(format!("{}{rest}", rule.strip))
    } else {
        let rest = form.strip_suffix(rule.add.as_str())?;
        (!rest.is_empty() || !rule.strip.is_empty()).then(|| format!("{rest}{}", rule.strip))
    }
}

/// The plural endings of the plural-gap rule ([`Lexicon::fills_gap`]): the plurals of the
/// declensions that add -er, -ar, -or or -r, with their definite and genitive forms.
pub const PLURAL_ENDINGS: [&str; 16] = [
    "er", "ers", "erna", "ernas", "ar", "ars", "arna", "arnas", "or", "ors", "orna", "ornas", "r",
    "rs", "rna", "rnas",
];

/// Every split of a word into a stem of three or more letters and a plural ending.
fn plural_splits(word: &str) -> impl Iterator<Item = (&str, &str)> {
    PLURAL_ENDINGS.iter().filter_map(move |ending| {
        let stem = word.strip_suffix(ending)?;
        (stem.chars().count() >= 3).then_some((stem, *ending))
    })
}

/// The stem with its last vowel umlauted (bostad → bostäd, ledamot → ledamöt), if it is a or o.
fn umlauted(stem: &str) -> Option<String> {
    swap_last_vowel(stem, &[('a', 'ä'), ('o', 'ö')])
}

/// The stem with its last vowel's umlaut undone (bostäd → bostad).
fn unumlauted(stem: &str) -> Option<String> {
    swap_last_vowel(stem, &[('ä', 'a'), ('ö', 'o')])
}

fn swap_last_vowel(stem: &str, pairs: &[(char, char)]) -> Option<String> {
    let (at, c) = stem
        .char_indices()
        .rev()
        .find(|(_, c)| "aeiouyåäö".contains(*c))?;
    let (_, to) = pairs.iter().find(|(from, _)| *from == c)?;
    let mut out = String::with_capacity(stem.len() + 1);
    out.push_str(&stem[..at]);
    out.push(*to);
    out.push_str(&stem[at + c.len_utf8()..]);
    Some(out)
}

fn same_or_umlaut(a: &str, b: &str) -> bool {
    a == b || umlauted(a).as_deref() == Some(b) || unumlauted(a).as_deref() == Some(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AFF: &str = "SET UTF-8\nNEEDAFFIX ¤\nONLYINCOMPOUND Z\nCOMPOUNDBEGIN X\n\
        SFX A Y 1\nSFX A 0 s .\n\
        SFX D Y 3\nSFX D 0 en [^aeiouyåäö]\nSFX D 0 ens [^aeiouyåäö]\nSFX D 0 n [aeiouyåäö]\n\
        SFX G Y 4\nSFX G 0 ar [^ae]\nSFX G 0 arna [^ae]\nSFX G e ar e\nSFX G e arna e\n\
        SFX T Y 2\nSFX T 0 re a\nSFX T 0 ren a\n\
        SFX m Y 1\nSFX m 0 r .\n\
        SFX v N 2\nSFX v a s/WXZ a\nSFX v 0 s/WXZ [^a]\n";
    const DIC: &str = "5\nväg/ADGXY\nlära/ATm\ndag/ADG\ndagligen\nlandning/ADGv\n";

    #[test]
    fn paradigms_from_affix_rules() {
        let l = Lexicon::from_files(AFF, DIC);
        let p = l.paradigms("vägarna");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].lemma, "väg");
        assert!(!p[0].headword);
        assert_eq!(
            p[0].forms,
            ["väg", "vägs", "vägen", "vägens", "vägar", "vägarna"]
        );
        assert!(l.conflates("dag", "dagarna"));
        assert!(!l.conflates("dag", "dagligen"));
        // The agent noun is its own paradigm.
        assert!(l.conflates("lärare", "läraren"));
        assert!(!l.conflates("lärare", "lära"));
        assert!(l.conflates("lära", "läras"));
        assert_eq!(l.paradigms("lärare")[0].lemma, "lärare");
        // Compound heads come from the rules with compound flags.
        assert!(l.compound_heads().contains(&"landnings".to_string()));
        assert!(l.paradigms("okänd").is_empty());
    }

    /// Form precision over the system dictionary (scripts/setup installs it): word pairs that
    /// must be forms of one paradigm and pairs that must not (derivations, false friends),
    /// from `form_pairs.tsv`, every one asserted: the first word is the query, the second a
    /// word of the text.
    #[test]
    fn form_precision_over_the_system_dictionary() {
        let lexicon = Lexicon::system().expect("hunspell-sv is installed");
        eprintln!(
            "lexicon: {} entries, read in {:?}, about {} MiB",
            lexicon.len(),
            lexicon.load_time(),
            lexicon.approx_bytes() / (1 << 20)
        );
        let pairs: Vec<(&str, &str, bool)> = include_str!("form_pairs.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| {
                let cols: Vec<&str> = l.split('\t').collect();
                // A gap pair is asserted as the dictionary decides (see the file's header).
                let same = matches!(cols[2], "same" | "gap-different");
                (cols[0], cols[1], same)
            })
            .collect();
        let same = include_str!("form_pairs.tsv")
            .lines()
            .filter(|l| l.ends_with("\tsame") || l.ends_with("\tgap-same"))
            .count();
        assert!(pairs.len() >= 300 && same >= 150 && pairs.len() - same >= 150);
        let wrong: Vec<String> = pairs
            .iter()
            .filter(|(a, b, same)| lexicon.conflates(a, b) != *same)
            .map(|(a, b, same)| format!("{a}/{b} ({})", if *same { "same" } else { "different" }))
            .collect();
        assert!(
            wrong.is_empty(),
            "{} of {} pairs wrong: {wrong:?}",
            wrong.len(),
            pairs.len()
        );
    }

    /// sv_SE lists "avgift" without "avgifter" (a form of the verb "avgifta" there) and
    /// "bostäder" as an entry of its own; the plural-gap rule links both to their singular,
    /// in both directions, and keeps "lager" (a word with a singular of its own) from "lag"
    /// and the derivations Snowball conflates apart.
    #[test]
    fn plural_gaps_are_filled_from_the_lemma() {
        let Some(lexicon) = Lexicon::system() else {
            panic!("hunspell-sv is installed by scripts/setup");
        };
        assert!(lexicon.fills_gap("avgift", "avgifter"));
        assert!(lexicon.fills_gap("avgift", "avgifterna"));
        assert!(lexicon.fills_gap("bostad", "bostäder"));
        assert!(lexicon.fills_gap("stad", "städerna"));
        assert!(!lexicon.fills_gap("dag", "dagligen"));
        assert!(!lexicon.fills_gap("stat", "statlig"));
        assert!(!lexicon.fills_gap("avgift", "avgiftning"));
        let forms = lexicon.gap_forms("avgift");
        assert!(forms.iter().any(|f| f == "avgifter") && forms.iter().any(|f| f == "avgifterna"));
        assert!(
            lexicon.gap_forms("bygga").is_empty(),
            "bygga has its own forms"
        );
        // "vård" has no plural; "vårdar" is the verb "vårda".
        assert!(!lexicon.fills_gap("vård", "vårdar"));
        assert!(!lexicon.gap_forms("vård").iter().any(|f| f == "vårdar"));
        assert_eq!(lexicon.gap_lemma("avgifterna").as_deref(), Some("avgift"));
        assert_eq!(lexicon.gap_lemma("bostäder").as_deref(), Some("bostad"));
        assert_eq!(lexicon.gap_lemma("lagret"), None);
        assert_eq!(lexicon.part_key("avgifterna").as_deref(), Some("avgift"));
        assert_eq!(lexicon.part_key("marknaden").as_deref(), Some("marknad"));
    }
}
