//! The words speaker finding knows: speaking verbs, passive forms, capitalised words that
//! are never names, name particles, party letters, the chair's words and official titles.

/// Verbs that make the subject of a sentence a speaker (present and past tense).
pub(super) const SPEAKING_VERBS: &[&str] = &[
    "avslutar",
    "avslutade",
    "berättar",
    "berättade",
    "besvarar",
    "besvarade",
    "beskriver",
    "beskrev",
    "betonar",
    "delger",
    "förklarar",
    "förklarade",
    "föreslår",
    "föreslog",
    "föredrar",
    "föredrog",
    "förtydligar",
    "förtydligade",
    "frågar",
    "frågade",
    "framför",
    "framförde",
    "hälsar",
    "hälsade",
    "informerar",
    "informerade",
    "inleder",
    "inledde",
    "instämmer",
    "klargör",
    "kommenterar",
    "kommenterade",
    "kompletterar",
    "kompletterade",
    "konstaterar",
    "meddelar",
    "meddelade",
    "öppnar",
    "öppnade",
    "påminner",
    "poängterar",
    "presenterar",
    "presenterade",
    "rapporterar",
    "rapporterade",
    "redogör",
    "redogjorde",
    "redovisar",
    "redovisade",
    "replikerar",
    "replikerade",
    "riktar",
    "sammanfattar",
    "sammanfattade",
    "summerar",
    "svarar",
    "svarade",
    "tackar",
    "tackade",
    "tillägger",
    "understryker",
    "återkopplar",
    "uppdaterar",
    "uppmanar",
    "välkomnar",
    "yrkar",
    "yrkade",
];

/// The verbs that make a presenter in a formal protokoll (issue 15, the annotation's
/// convention): who presents, informs, reports or answers. Not who proposes ("yrkar",
/// "föreslår"), puts the question ("prövar", "konstaterar"), asks ("frågar"), greets or
/// thanks: in a protokoll those are the proceedings, not the item's presenters.
pub(super) const PRESENTING_VERBS: &[&str] = &[
    "berättar",
    "berättade",
    "besvarar",
    "besvarade",
    "beskriver",
    "beskrev",
    "delger",
    "förklarar",
    "förklarade",
    "föredrar",
    "föredrog",
    "förtydligar",
    "förtydligade",
    "informerar",
    "informerade",
    "kompletterar",
    "kompletterade",
    "meddelar",
    "meddelade",
    "presenterar",
    "presenterade",
    "rapporterar",
    "rapporterade",
    "redogör",
    "redogjorde",
    "redovisar",
    "redovisade",
    "sammanfattar",
    "sammanfattade",
    "summerar",
    "svarar",
    "svarade",
    "återkopplar",
    "uppdaterar",
];

/// Passive forms after which "av X" names the speaker: "Ärendet föredras av X".
pub(super) const PASSIVE_VERBS: &[&str] = &[
    "föredras",
    "föredrogs",
    "presenteras",
    "presenterades",
    "redovisas",
    "redovisades",
    "kompletteras",
    "kompletterades",
    "besvaras",
    "besvarades",
    "redogörs",
    "informeras",
    // "Information lämnas av X och Y", "Anförande hålls av A, B och C" (issue 15).
    "lämnas",
    "lämnades",
    "hålls",
    "hölls",
];

/// Capitalised words that start sentences but are never part of a person's name.
pub(super) const NOT_NAMES: &[&str] = &[
    "Alla",
    "Andra",
    "Angående",
    "Arbetsgruppen",
    "Avtalet",
    "Bakgrund",
    "Beslut",
    "Bilaga",
    "Bilagor",
    "Både",
    "De",
    "Dock",
    "Den",
    "Denna",
    "Deras",
    "Det",
    "Detta",
    "Dessa",
    "Dessutom",
    "Diskussion",
    "Diskussionen",
    "Där",
    "Därefter",
    "Efter",
    "Eftersom",
    "En",
    "Enligt",
    "Ett",
    "Frågan",
    "Från",
    "Förvaltningen",
    "Han",
    "Hon",
    "Här",
    "I",
    "Inga",
    "Ingen",
    "Inget",
    "Inför",
    "Inledningsvis",
    "Jag",
    "Kommunen",
    "Kommunerna",
    "Ledamot",
    "Ledamoten",
    "Ledamöter",
    "Ledamöterna",
    "Man",
    "Med",
    "Men",
    "Mötet",
    "Nu",
    "När",
    "Nämnden",
    "Och",
    "Om",
    "Ordförande",
    "Ordföranden",
    "Presidiet",
    "Punkten",
    "På",
    "Region",
    "Regionen",
    "Sedan",
    "Sekreterare",
    "Sekreteraren",
    "Som",
    "Status",
    "Styrelsen",
    "Svar",
    "Så",
    "Till",
    "Under",
    "Utifrån",
    "Vi",
    "Vid",
    "Vidare",
    "Även",
    "Ärendet",
    "Övriga",
];

/// Name particles that may stand between capitalised parts ("Munck af Rosenschöld").
pub(super) const PARTICLES: &[&str] = &["af", "von", "van", "de", "der", "la", "di"];

/// Party letters as written in Swedish minutes (docs/domain.md § 3), plus common local parties.
pub(super) const PARTIES: &[&str] = &[
    "S", "M", "SD", "C", "V", "KD", "L", "MP", "FP", "JP", "SPI", "KP", "BP", "ÖP",
];

/// The words that name the chair of the meeting.
pub(super) const CHAIR_WORDS: &[&str] = &["Ordföranden", "Ordförande"];

/// Official titles written before a name in formal protokoll ("Socialchef Eva Holm föredrar",
/// "Kommunchefen Ola Skyllbäck informerar"): a role, not part of the name.
pub(super) fn is_title_word(w: &str) -> bool {
    const TITLE_ENDINGS: &[&str] = &[
        "chef",
        "chefen",
        "sekreterare",
        "sekreteraren",
        "handläggare",
        "handläggaren",
        "strateg",
        "strategen",
        "direktör",
        "direktören",
        "samordnare",
        "samordnaren",
    ];
    // The lower case of the word's last characters, enough for the longest ending, built once
    // for all endings (issue #7); reversed.
    const LONGEST: usize = 12;
    // Most words end in a letter no ending ends in.
    if w.chars().next_back().is_some_and(|c| {
        c.is_ascii() && !matches!(c.to_ascii_lowercase(), 'f' | 'n' | 'e' | 'g' | 'r')
    }) {
        return false;
    }
    let mut tail = ['\0'; LONGEST];
    let mut len = 0;
    for c in w.chars().rev() {
        if c.is_ascii() {
            tail[len] = c.to_ascii_lowercase();
            len += 1;
        } else {
            for l in c.to_lowercase().rev() {
                if len < LONGEST {
                    tail[len] = l;
                    len += 1;
                }
            }
        }
        if len == LONGEST {
            break;
        }
    }
    let tail = &tail[..len];
    TITLE_ENDINGS.iter().any(|e| {
        debug_assert!(e.chars().count() <= LONGEST);
        let mut reversed = tail.iter();
        e.chars().rev().all(|c| reversed.next() == Some(&c))
    })
}

/// A title as a role, in its indefinite form: "Kommunchefen" gives "kommunchef".
pub(super) fn indefinite_title(title: &str) -> String {
    let lower = title.to_lowercase();
    if let Some(stem) = lower
        .strip_suffix("en")
        .filter(|s| s.ends_with("chef") || s.ends_with("strateg") || s.ends_with("direktör"))
    {
        return stem.to_string();
    }
    if let Some(stem) = lower.strip_suffix('n').filter(|s| s.ends_with("are")) {
        return stem.to_string();
    }
    lower
}
