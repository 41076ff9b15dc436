//! The words that decide whether a capitalised word in running text is a municipality: names
//! that are also ordinary words or surnames, place prepositions, first names, list
//! conjunctions (docs/domain.md §4).

/// Short names that are also ordinary Swedish words, common first names or surnames, or regions
/// and provinces (docs/domain.md §4). A bare capitalised occurrence of one of them is not enough.
pub(super) const AMBIGUOUS: &[&str] = &[
    "Ale",
    "Berg",
    "Bjuv",
    "Boden",
    "Dorotea",
    "Falkenberg",
    "Gotland",
    "Habo",
    "Hylte",
    "Härjedalen",
    "Kil",
    "Klippan",
    "Köping",
    "Lund",
    "Mark",
    "Mora",
    "Nacka",
    "Nora",
    "Norberg",
    "Sala",
    "Salem",
    "Skara",
    "Säter",
    "Tanum",
    "Trosa",
    "Vansbro",
    "Vara",
    "Vilhelmina",
    "Älvdalen",
];

/// Words (lower-cased) that, right before an ambiguous name, say it is a place: "i Vara",
/// "från Berg", "kommunerna Berg, Bräcke och Krokom".
pub(super) const PLACE_PREPOSITIONS: &[&str] = &[
    "i",
    "från",
    "till",
    "mot",
    "inom",
    "utanför",
    "kommunen",
    "kommunerna",
];

/// Capitalised words (lower-cased here) that may stand right before a municipality at the start
/// of a sentence without being a person's first name. Any other capitalised word right before a
/// name is taken as a first name, making the name a surname ("Anna Berg", "Per Krokom").
pub(super) const NOT_FIRST_NAMES: &[&str] = &[
    "av",
    "bland",
    "både",
    "därför",
    "då",
    "efter",
    "eller",
    "enligt",
    "för",
    "förutom",
    "från",
    "hela",
    "hos",
    "i",
    "inför",
    "inom",
    "kommunen",
    "kommunerna",
    "kring",
    "liksom",
    "med",
    "mellan",
    "men",
    "mot",
    "nu",
    "och",
    "om",
    "på",
    "runt",
    "samt",
    "som",
    "till",
    "under",
    "utanför",
    "utom",
    "via",
    "vid",
    "än",
    "även",
    "över",
];

/// Conjunctions that continue a list of municipalities: "i Bräcke och Berg".
pub(super) const LIST_CONJUNCTIONS: &[&str] = &["och", "samt", "eller"];
