//! Language of an item, detected with whatlang.
//!
//! Minutes are mostly Swedish but hold English summaries, Finnish and Sami names
//! (docs/domain.md § 6). Short items ("Val av justerare") are too short for a reliable guess and
//! whatlang confuses short Swedish with Norwegian and Danish, so an unreliable guess falls back
//! to the language of the whole meeting.

use std::sync::LazyLock;

use whatlang::{Detector, Info, Lang, Script};

/// Characters whatlang looks at: enough to tell the language, and it keeps detection from
/// dominating indexing time on long items (the benchmark's profile found 35–40 % of parsing
/// there).
const SAMPLE_CHARS: usize = 1_000;

/// The Latin-script languages an item can be detected as: Swedish, its neighbours that whatlang
/// confuses with it, the minority and summary languages of docs/domain.md § 6, and German. Scoring a
/// text against all 37 Latin languages whatlang knows was a quarter of parsing time (issue #7);
/// no language in index-data or the benchmark corpora changes. Other scripts keep all their
/// languages.
const LATIN_LANGS: &[Lang] = &[
    Lang::Swe,
    Lang::Eng,
    Lang::Fin,
    Lang::Nob,
    Lang::Dan,
    Lang::Deu,
];

static DETECTOR: LazyLock<Detector> = LazyLock::new(|| {
    let unlikely = Script::Latin
        .langs()
        .iter()
        .copied()
        .filter(|lang| !LATIN_LANGS.contains(lang))
        .collect();
    Detector::with_denylist(unlikely)
});

fn detect(text: &str) -> Option<Info> {
    DETECTOR.detect(text)
}

/// The first [`SAMPLE_CHARS`] characters of a text.
fn sample(text: &str) -> &str {
    match text.char_indices().nth(SAMPLE_CHARS) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// ISO 639-3 code of the text's language when it is clearly Swedish or whatlang is
/// confident, `None` otherwise.
pub fn detect_reliable(text: &str) -> Option<&'static str> {
    let sample = sample(text);
    if clearly_swedish(sample) {
        return Some(Lang::Swe.code());
    }
    let info = detect(sample)?;
    info.is_reliable().then(|| info.lang().code())
}

/// Words that are Swedish and neither Norwegian nor Danish ("og", "at", "er", "for", "ikke",
/// "til" there), English, Finnish or German.
const SWEDISH_MARKERS: &[&str] = &[
    "och", "att", "är", "för", "inte", "till", "eller", "också", "samt", "enligt", "ska",
];

/// Whether a text has at least three different [`SWEDISH_MARKERS`]: an archive's items are
/// mostly Swedish, and this settles them without whatlang, which was half of parsing time
/// (issue #7). Texts without them go to whatlang as before.
fn clearly_swedish(sample: &str) -> bool {
    let mut seen = 0u16;
    for word in sample.split(|c: char| !c.is_alphabetic()) {
        if word.len() < 2 || word.len() > 6 {
            continue;
        }
        if let Some(i) = SWEDISH_MARKERS.iter().position(|m| {
            m.eq_ignore_ascii_case(word) || (!word.is_ascii() && word.to_lowercase() == **m)
        }) {
            seen |= 1 << i;
            if seen.count_ones() >= 3 {
                return true;
            }
        }
    }
    false
}

/// The language of an item: its own when reliably detected, else the meeting's.
pub fn item_language(text: &str, meeting: Option<&'static str>) -> Option<String> {
    item_language_with(text, || meeting)
}

/// [`item_language`], asking for the meeting's language only when the item's own is not
/// reliable: most items are, and detection is the costliest step of parsing (issue #7).
pub fn item_language_with(
    text: &str,
    meeting: impl FnOnce() -> Option<&'static str>,
) -> Option<String> {
    detect_reliable(text)
        .or_else(meeting)
        .or_else(|| detect(sample(text)).map(|i| i.lang().code()))
        .map(str::to_string)
}

/// The language of a whole meeting text; Swedish neighbours with an unreliable guess count as
/// Swedish, since the archive is Swedish.
pub fn meeting_language(text: &str) -> Option<&'static str> {
    let info = detect(sample(text))?;
    if info.is_reliable() {
        return Some(info.lang().code());
    }
    match info.lang() {
        Lang::Swe | Lang::Nob | Lang::Dan => Some(Lang::Swe.code()),
        other => Some(other.code()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_paragraph_is_swedish() {
        let text = "Det finns en stor kunskapslucka om samisk kultur i det svenska samhället och även inom vården, en lucka som behöver fyllas.";
        assert_eq!(item_language(text, None).as_deref(), Some("swe"));
    }

    #[test]
    fn english_summary_is_english() {
        let text = "The board decided to extend the agreement with the region for another year and asked the office to report back in the spring.";
        assert_eq!(item_language(text, Some("swe")).as_deref(), Some("eng"));
    }

    #[test]
    fn norwegian_and_danish_are_not_taken_for_swedish() {
        let norwegian = "Styret vedtok at avtalen med regionen skal forlenges, og at kontoret ikke skal rapportere til rådet før våren.";
        assert!(!clearly_swedish(norwegian));
        let danish = "Bestyrelsen besluttede at aftalen med regionen forlænges, og at kontoret ikke skal rapportere til rådet.";
        assert!(!clearly_swedish(danish));
        let swedish = "Styrelsen beslutar att avtalet med regionen ska förlängas och att kontoret inte ska rapportera.";
        assert!(clearly_swedish(swedish));
        assert_eq!(item_language(swedish, None).as_deref(), Some("swe"));
    }

    #[test]
    fn short_item_takes_meeting_language() {
        assert_eq!(
            item_language("Val av justerare", Some("swe")).as_deref(),
            Some("swe")
        );
    }
}
