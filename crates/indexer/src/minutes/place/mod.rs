//! Municipalities (kommuner): the gazetteer of all 290 Swedish municipalities and the rules that
//! decide whether a text speaks of or for one of them.
//!
//! The gazetteer is SCB's list of municipality and county codes, embedded from
//! `data/municipality_county.csv` (CC0). [`Gazetteer::find_in`] implements the rules of
//! docs/domain.md §4 ("Municipalities and regions"):
//! - only whole, capitalised words count, so the ordinary words "vara", "mark" or "berg" never do;
//! - accepted forms are the short name ("Östersund"), its genitive ("Krokoms", no extra s after
//!   s/x/z), and "X kommun" / "Xs kommun" (which covers every official name);
//! - regions and counties are not municipalities: "Region Gotland", "Jämtlands län",
//!   "Jämtland Härjedalen" (the region, not the municipality Härjedalen);
//! - names that are also ordinary words, surnames or regions ("Berg", "Vara", "Gotland", ...) need
//!   more evidence: "kommun" after them, a roll-call label ("Berg: Vi har ...", docs/domain.md §3) or a
//!   place preposition right before them ("i Vara", "från Berg");
//! - a name right after a capitalised first name is a surname ("Anna Berg", "Elin Ring").

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

mod words;

use words::{AMBIGUOUS, LIST_CONJUNCTIONS, NOT_FIRST_NAMES, PLACE_PREPOSITIONS};

use crate::model::Municipality;

/// SCB's municipality list: code, official name, short name, county code and names.
const MUNICIPALITY_CSV: &str = include_str!("../../../data/municipality_county.csv");

/// Longest municipality name in words ("Upplands Väsby", "Östra Göinge", "Lilla Edet").
const MAX_NAME_WORDS: usize = 3;

/// Whether a string is a well-formed municipality code: exactly four ASCII digits ("2380").
pub fn is_municipality_code(s: &str) -> bool {
    s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a string is a well-formed county code: exactly two ASCII digits ("23").
pub fn is_county_code(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit())
}

/// How a name was written where it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// The short name itself ("Krokom"); only this form can be a roll-call label.
    Bare,
    /// The genitive ("Krokoms"), as in "Krokoms kommun" or "Krokoms representant".
    Genitive,
}

/// The municipality gazetteer: all municipalities with lookup by code and name, and the surface
/// forms used to find them in running text.
#[derive(Debug)]
pub struct Gazetteer {
    municipalities: Vec<Municipality>,
    /// Whether the municipality at the same index needs extra evidence in running text.
    ambiguous: Vec<bool>,
    by_code: HashMap<String, usize>,
    /// Lower-cased short and official names.
    by_name: HashMap<String, usize>,
    /// Surface forms (words joined by one space) as they are written in text.
    forms: HashMap<String, (usize, Form)>,
    /// The first word of every form: most words of a text start none, and checking this first
    /// spares joining and hashing up to [`MAX_NAME_WORDS`] words at every word (issue #7).
    first_words: HashSet<String>,
}

impl Gazetteer {
    /// All 290 municipalities (built once).
    pub fn sweden() -> &'static Gazetteer {
        static SWEDEN: OnceLock<Gazetteer> = OnceLock::new();
        SWEDEN.get_or_init(|| {
            let rows = parse_csv(MUNICIPALITY_CSV)
                .expect("the embedded municipality CSV has six plain fields per row");
            Gazetteer::new(rows)
        })
    }

    /// Builds a gazetteer from (municipality, official name) rows.
    fn new(rows: Vec<(Municipality, String)>) -> Gazetteer {
        let (municipalities, official): (Vec<_>, Vec<_>) = rows.into_iter().unzip();
        let mut by_code = HashMap::new();
        let mut by_name = HashMap::new();
        let mut forms = HashMap::new();
        let mut ambiguous = Vec::with_capacity(municipalities.len());
        for (idx, m) in municipalities.iter().enumerate() {
            by_code.insert(m.code.clone(), idx);
            by_name.insert(m.name.to_lowercase(), idx);
            if let Some(name) = official.get(idx) {
                by_name.insert(name.to_lowercase(), idx);
            }
            // First insertion wins, so no genitive can shadow another municipality's name.
            forms.entry(m.name.clone()).or_insert((idx, Form::Bare));
            ambiguous.push(AMBIGUOUS.contains(&m.name.as_str()));
        }
        for (idx, m) in municipalities.iter().enumerate() {
            if let Some(genitive) = genitive(&m.name) {
                forms.entry(genitive).or_insert((idx, Form::Genitive));
            }
        }
        let first_words = forms
            .keys()
            .filter_map(|form| form.split(' ').next())
            .map(str::to_string)
            .collect();
        Gazetteer {
            municipalities,
            ambiguous,
            by_code,
            by_name,
            forms,
            first_words,
        }
    }

    /// The municipality with this four-digit SCB code.
    pub fn by_code(&self, code: &str) -> Option<&Municipality> {
        self.by_code
            .get(code.trim())
            .and_then(|&idx| self.municipalities.get(idx))
    }

    /// Case-insensitive lookup by short name ("Östersund", "östersund"), official name
    /// ("Östersunds kommun") or code ("2380").
    pub fn lookup(&self, name_or_code: &str) -> Option<&Municipality> {
        let key = name_or_code.trim();
        if is_municipality_code(key) {
            return self.by_code(key);
        }
        // Non-breaking and repeated spaces are common in scraped text.
        let key = key.split_whitespace().collect::<Vec<_>>().join(" ");
        self.by_name
            .get(&key.to_lowercase())
            .and_then(|&idx| self.municipalities.get(idx))
    }

    /// Iterator over all municipalities, in SCB code order.
    pub fn iter(&self) -> impl Iterator<Item = &Municipality> {
        self.municipalities.iter()
    }

    /// Municipalities this text speaks of or for, deduplicated, in order of first appearance.
    ///
    /// The text is an agenda item's cleaned text; see the module documentation for the rules.
    pub fn find_in(&self, text: &str) -> Vec<Municipality> {
        let tokens = tokenize(text);
        let mut found: Vec<Municipality> = Vec::new();
        let mut seen: HashSet<usize> = HashSet::new();
        // Index of the last token of the last accepted mention, for lists ("i Bräcke och Berg").
        let mut last_accepted: Option<usize> = None;
        let mut i = 0;
        while i < tokens.len() {
            let Some((idx, form, words)) = self.match_at(text, &tokens, i) else {
                i += 1;
                continue;
            };
            let name_end = i + words; // first token after the name
            let has_kommun = inline_gap(text, &tokens, name_end)
                && tokens
                    .get(name_end)
                    .is_some_and(|t| matches!(t.text, "kommun" | "kommuns"));
            let consumed_end = if has_kommun { name_end + 1 } else { name_end };
            let candidate = Candidate {
                start: i,
                name_end,
                idx,
                form,
                has_kommun,
            };
            if self.accept(text, &tokens, &candidate, last_accepted) {
                if seen.insert(idx) {
                    if let Some(m) = self.municipalities.get(idx) {
                        found.push(m.clone());
                    }
                }
                last_accepted = Some(consumed_end - 1);
            }
            i = consumed_end;
        }
        found
    }

    /// The longest municipality form starting at token `i`: (index, form, number of words).
    fn match_at(&self, text: &str, tokens: &[Token<'_>], i: usize) -> Option<(usize, Form, usize)> {
        if !self.first_words.contains(tokens.get(i)?.text) {
            return None;
        }
        let max = MAX_NAME_WORDS.min(tokens.len() - i);
        (1..=max).rev().find_map(|words| {
            // Words of one name are separated by plain spaces only, never by punctuation.
            if (i + 1..i + words).any(|j| !inline_gap(text, tokens, j)) {
                return None;
            }
            let key = tokens[i..i + words]
                .iter()
                .map(|t| t.text)
                .collect::<Vec<_>>()
                .join(" ");
            self.forms.get(&key).map(|&(idx, form)| (idx, form, words))
        })
    }

    /// Whether a name found in the text is the municipality it names.
    fn accept(
        &self,
        text: &str,
        tokens: &[Token<'_>],
        candidate: &Candidate,
        last_accepted: Option<usize>,
    ) -> bool {
        let &Candidate {
            start,
            name_end,
            idx,
            form,
            has_kommun,
        } = candidate;
        let prev = (start > 0 && inline_gap(text, tokens, start)).then(|| tokens[start - 1].text);
        let next = tokens
            .get(name_end)
            .filter(|_| inline_gap(text, tokens, name_end))
            .map(|t| t.text);
        let name = self.municipalities.get(idx).map_or("", |m| m.name.as_str());

        // Regions and counties, not municipalities (docs/domain.md §4).
        if matches!(prev, Some("Region" | "region")) || matches!(next, Some("län" | "läns")) {
            return false;
        }
        // A newspaper ("Melleruds Nyheter") or a coalition ("samverkan för Jönköping") carries
        // a town's name without speaking of the municipality (issue 15).
        if matches!(
            next,
            Some("Nyheter" | "Tidning" | "Tidningen" | "Allehanda" | "Kuriren" | "Posten")
        ) {
            return false;
        }
        if prev == Some("för")
            && start >= 2
            && inline_gap(text, tokens, start - 1)
            && matches!(tokens[start - 2].text, "samverkan" | "Samverkan")
        {
            return false;
        }
        if name == "Härjedalen" && matches!(prev, Some("Jämtland" | "Jämtlands")) {
            return false;
        }

        if has_kommun || (form == Form::Bare && is_roll_call_label(text, tokens, start, name_end)) {
            return true;
        }
        if prev.is_some_and(is_first_name_like) {
            return false;
        }
        if !self.ambiguous.get(idx).copied().unwrap_or(false) {
            return true;
        }
        // Ambiguous names: a place preposition or the continuation of a list of municipalities.
        if prev.is_some_and(|p| PLACE_PREPOSITIONS.contains(&p.to_lowercase().as_str())) {
            return true;
        }
        continues_list(text, tokens, start, last_accepted)
    }
}

/// A municipality form found in the text, before the rules decide whether it counts.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    /// Index of the first token of the name.
    start: usize,
    /// Index of the first token after the name (before any "kommun").
    name_end: usize,
    /// Index of the municipality in the gazetteer.
    idx: usize,
    /// How the name was written.
    form: Form,
    /// Whether "kommun" or "kommuns" follows the name.
    has_kommun: bool,
}

/// A word of the text with its byte range.
#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

/// Splits text into words: runs of letters and digits, with inner hyphens kept so that
/// "Upplands-Bro" and "Malung-Sälen" stay one word.
fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((pos, c)) = chars.next() {
        let in_word = c.is_alphanumeric()
            || (c == '-'
                && start.is_some()
                && chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric()));
        match (in_word, start) {
            (true, None) => start = Some(pos),
            (false, Some(s)) => {
                tokens.push(Token {
                    text: &text[s..pos],
                    start: s,
                    end: pos,
                });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        tokens.push(Token {
            text: &text[s..],
            start: s,
            end: text.len(),
        });
    }
    tokens
}

/// Whether token `j` follows token `j - 1` on the same line with only spaces between them.
fn inline_gap(text: &str, tokens: &[Token<'_>], j: usize) -> bool {
    let (Some(prev), Some(cur)) = (j.checked_sub(1).and_then(|p| tokens.get(p)), tokens.get(j))
    else {
        return false;
    };
    text.get(prev.end..cur.start).is_some_and(|gap| {
        gap.chars()
            .all(|c| c.is_whitespace() && c != '\n' && c != '\r')
    })
}

/// Whether the name at tokens `start..name_end` is a roll-call label: alone at the start of a line
/// (after a bullet or a number like "2.") and followed by ':' ("Östersund: Det finns smitta ...").
fn is_roll_call_label(text: &str, tokens: &[Token<'_>], start: usize, name_end: usize) -> bool {
    let (Some(first), Some(last)) = (tokens.get(start), tokens.get(name_end - 1)) else {
        return false;
    };
    let line_start = text[..first.start].rfind('\n').map_or(0, |p| p + 1);
    let prefix = &text[line_start..first.start];
    let prefix = prefix.trim_start_matches(|c: char| c.is_whitespace() || "•·*-–—".contains(c));
    let unnumbered = prefix.trim_start_matches(|c: char| c.is_ascii_digit());
    let prefix = if unnumbered.len() < prefix.len() {
        match unnumbered.strip_prefix(['.', ')']) {
            Some(rest) => rest,
            None => return false,
        }
    } else {
        prefix
    };
    if !prefix.trim().is_empty() {
        return false;
    }
    let after = text[last.end..].trim_start_matches([' ', '\u{a0}']);
    after.starts_with(':')
}

/// Whether a word looks like a first name: capitalised, the rest lower case ("Anna",
/// "Anna-Karin"), and not a function word that is capitalised only at the start of a sentence.
fn is_first_name_like(word: &str) -> bool {
    let shaped = word.split('-').all(|part| {
        let mut chars = part.chars();
        chars.next().is_some_and(char::is_uppercase)
            && part.chars().count() >= 2
            && chars.all(char::is_lowercase)
    });
    shaped && !NOT_FIRST_NAMES.contains(&word.to_lowercase().as_str())
}

/// Whether the name starting at token `start` continues a list whose previous member was accepted:
/// "i Bräcke, Berg och Vara".
fn continues_list(
    text: &str,
    tokens: &[Token<'_>],
    start: usize,
    last_accepted: Option<usize>,
) -> bool {
    let Some(last) = last_accepted else {
        return false;
    };
    // Number of commas between token `j - 1` and token `j`, when nothing else but inline spaces.
    let commas_before = |j: usize| -> Option<usize> {
        let prev = tokens.get(j.checked_sub(1)?)?;
        let gap = text.get(prev.end..tokens.get(j)?.start)?;
        gap.chars()
            .all(|c| c == ',' || (c.is_whitespace() && c != '\n' && c != '\r'))
            .then(|| gap.matches(',').count())
    };
    // "Bräcke, Berg"
    if start == last + 1 {
        return commas_before(start) == Some(1);
    }
    // "Bräcke och Berg", "Bräcke, Vara och Berg"
    start == last + 2
        && LIST_CONJUNCTIONS.contains(&tokens[start - 1].text)
        && commas_before(start) == Some(0)
        && matches!(commas_before(start - 1), Some(0 | 1))
}

/// The genitive of a short name, or `None` when it takes no extra s (ends in s, x or z):
/// "Krokoms", "Åres". Official names of vowel-final municipalities have none ("Åre kommun"),
/// but running text may ("Åres skidområde"), and the official names are indexed separately.
fn genitive(short: &str) -> Option<String> {
    if short.ends_with(['s', 'x', 'z']) {
        None
    } else {
        Some(format!("{short}s"))
    }
}

/// Parses the embedded SCB CSV (no quoted fields) into (municipality, official name) rows.
/// `None` when a row does not have six fields.
fn parse_csv(csv: &str) -> Option<Vec<(Municipality, String)>> {
    csv.lines()
        .skip(1)
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            let [code, official, short, county_code, county, _county_short] = fields[..] else {
                return None;
            };
            let municipality = Municipality {
                name: short.to_string(),
                code: code.to_string(),
                county: county.to_string(),
                county_code: county_code.to_string(),
            };
            Some((municipality, official.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<String> {
        Gazetteer::sweden()
            .find_in(text)
            .into_iter()
            .map(|m| format!("{} {}", m.name, m.code))
            .collect()
    }

    /// The roll-call item of seeds/000_9ab99b2f6feb9d46.txt, non-breaking spaces kept.
    const ROLL_CALL: &str = "Östersund: Det finns smitta på några boenden, men inget allvarligare utbrott ännu. Inga särskilda besöksrestriktioner på SÄBO planeras.\n\n\u{a0}\n\nBräcke: Hårt drabbat\u{a0} i våras, en av de 40 kommuner som drabbades värst. Det finns en trötthet i organisation.\n\nInga särskilda besöksförbud nu. Dock finns\u{a0} smitta på vissa ställen, men inget större utbrott.\n\nStrömsund: Ökad smitta sedan några veckor på SÄBO. Besöksförbud på SÄBO har införts sedan i går.\n\nRagunda: Vi har varit förskonad från större utbrott. Vi har varit restriktiva med besök sedan tidigare och besöksförbud infördes\u{a0} i går.\n\nHärjedalen: Vi har varit förskonade från större utbrott, men den senaste veckan har det kommit smitta på vissa ställen.\n\nRegionen (Anna F): Vi har bytt Lab för tre veckor sedan.\n\nKrokom: Vi har haft tre tuffa veckor. Ännu\u{a0} inte smitta på SÄBO, men bland personal på många ställen.\n\nÅre: Det är en del frågor om testkapacitet för besökare vid jul/nyår. Vi känner som Krokom att det är\u{a0} många som är hemma.\n\nMaria S: Det är ett ansträngt läge på sjukhuset.";

    #[test]
    fn embedded_list_has_all_municipalities() {
        let g = Gazetteer::sweden();
        assert_eq!(g.iter().count(), 290);
        let m = g.by_code("2380").cloned();
        assert_eq!(
            m,
            Some(Municipality {
                name: "Östersund".into(),
                code: "2380".into(),
                county: "Jämtlands län".into(),
                county_code: "23".into(),
            })
        );
        assert!(g.iter().all(|m| m.code.starts_with(&m.county_code)));
        assert_eq!(g.by_code("9999"), None);
    }

    #[test]
    fn no_form_is_shared_by_two_municipalities() {
        // A genitive equal to another municipality's short name would be silently dropped.
        let g = Gazetteer::sweden();
        let genitives = g.iter().filter(|m| genitive(&m.name).is_some()).count();
        assert_eq!(g.forms.len(), 290 + genitives);
    }

    #[test]
    fn lookup_by_name_official_name_and_code() {
        let g = Gazetteer::sweden();
        for key in [
            "östersund",
            "Östersund",
            "2380",
            "Östersunds kommun",
            "ÖSTERSUNDS KOMMUN",
        ] {
            assert_eq!(
                g.lookup(key).map(|m| m.code.as_str()),
                Some("2380"),
                "{key}"
            );
        }
        assert_eq!(
            g.lookup("Åre kommun").map(|m| m.code.as_str()),
            Some("2321")
        );
        assert_eq!(
            g.lookup("upplands väsby").map(|m| m.code.as_str()),
            Some("0114")
        );
        assert_eq!(g.lookup("Jämtland"), None);
        assert_eq!(g.lookup("9999"), None);
    }

    #[test]
    fn code_shapes() {
        assert!(is_municipality_code("2380"));
        assert!(!is_municipality_code("238"));
        assert!(!is_municipality_code("23a0"));
        assert!(is_county_code("23"));
        assert!(!is_county_code("2380"));
        assert!(!is_county_code("２３"));
    }

    #[test]
    fn seed_roll_call_in_order() {
        assert_eq!(
            codes(ROLL_CALL),
            [
                "Östersund 2380",
                "Bräcke 2305",
                "Strömsund 2313",
                "Ragunda 2303",
                "Härjedalen 2361",
                "Krokom 2309",
                "Åre 2321"
            ]
        );
    }

    #[test]
    fn numbered_and_bulleted_roll_call_labels() {
        assert_eq!(
            codes("2. Krokom: I media ska ha figurerat att ett förslag kommer."),
            ["Krokom 2309"]
        );
        assert_eq!(codes(" • Berg: Vi har inga fall."), ["Berg 2326"]);
        assert_eq!(codes("Berg: Vi har inga fall."), ["Berg 2326"]);
        // A colon later on the line is no label.
        assert_eq!(codes("Det gäller Berg: inga fall."), Vec::<String>::new());
    }

    #[test]
    fn genitive_and_official_forms() {
        assert_eq!(
            codes("13 ansökningar kom in, men ett misstag skedde kring en ansökan från Krokom."),
            ["Krokom 2309"]
        );
        assert_eq!(
            codes("Östersunds kommun och Åre kommun"),
            ["Östersund 2380", "Åre 2321"]
        );
        assert_eq!(codes("Krokoms kommun"), ["Krokom 2309"]);
        assert_eq!(codes("Krokoms representant svarar."), ["Krokom 2309"]);
        assert_eq!(codes("Upplands Väsby kommun"), ["Upplands Väsby 0114"]);
        assert_eq!(
            codes("Ett möte i Upplands-Bro och Malung-Sälen, sedan Lilla Edets kommun."),
            ["Upplands-Bro 0139", "Malung-Sälen 2023", "Lilla Edet 1462"]
        );
        assert_eq!(codes("Krokomsvikens camping"), Vec::<String>::new());
    }

    #[test]
    fn regions_and_counties_are_not_municipalities() {
        let none = Vec::<String>::new();
        assert_eq!(
            codes("MiNT i Jämtlands län fungerar lika som i Skaraborg"),
            none
        );
        assert_eq!(
            codes("Det är endast Gotland och Region JH av regionerna som har BUP"),
            none
        );
        assert_eq!(codes("Vi måste gå i takt i Jämtland Härjedalen."), none);
        assert_eq!(codes("Region Gotland"), none);
        assert_eq!(codes("Stockholms län och Kalmar län"), none);
        assert_eq!(codes("Gotlands kommun"), ["Gotland 0980"]);
    }

    #[test]
    fn ambiguous_names_need_evidence() {
        let none = Vec::<String>::new();
        assert_eq!(codes("Vara kan man ju alltid."), none);
        assert_eq!(codes("Det finns ett berg av papper"), none);
        assert_eq!(codes("Berg har inga fall."), none);
        assert_eq!(codes("Mötet hölls i Vara kommun"), ["Vara 1470"]);
        assert_eq!(codes("En ansökan från Berg."), ["Berg 2326"]);
        assert_eq!(codes("I Mark finns det"), ["Mark 1463"]);
        assert_eq!(
            codes("kommunerna Bräcke, Berg och Vara"),
            ["Bräcke 2305", "Berg 2326", "Vara 1470"]
        );
        // The list ends at a sentence boundary.
        assert_eq!(codes("i Bräcke. Berg har svarat."), ["Bräcke 2305"]);
    }

    #[test]
    fn surnames_are_not_municipalities() {
        let none = Vec::<String>::new();
        assert_eq!(codes("Anna Berg föredrar"), none);
        assert_eq!(
            codes("Ärendet föredras av Elin Ring och Jan Persson."),
            none
        );
        assert_eq!(codes("Ordföranden Per Krokom öppnar mötet."), none);
        // A capitalised preposition at the start of a sentence is no first name.
        assert_eq!(codes("Från Krokom kom en ansökan."), ["Krokom 2309"]);
        assert_eq!(codes("Clarion Hotel i Östersund"), ["Östersund 2380"]);
    }
}
