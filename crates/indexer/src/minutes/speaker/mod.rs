//! Who speaks in an item: the people who present, inform, answer or comment, not the people
//! who are merely named.
//!
//! The patterns are those of docs/domain.md § 3:
//! - a subject list at the start of a sentence followed by a speaking verb: "Ingela Jönsson
//!   föredrar ärendet", "Elin Ring och Lisbet Gibson föredrar punkten", "Elsy Bäckström gör en
//!   genomgång", "Lena Danielsson replikerar";
//! - apposition with party and role: "Lise Hjemgaard-Svensson (M), ordförande, öppnar mötet",
//!   "Thomas Andersson, Folkhälsoenheten, informerar", "Ordföranden, Elise Ryder Wikén (M),
//!   hälsar välkommen";
//! - the passive "Ärendet föredras av Elin Ring och Jan Persson";
//! - roll-call labels with initials: "Regionen (Anna F): …", "Maria S: …".
//!
//! "Ordföranden" resolves to the chair of that meeting; a lone first name ("Anna förtydligar")
//! resolves to the full name met in the same item, else earlier in the meeting; an initial
//! ("Anna F") resolves to the one full name of the meeting it fits. Spelling variants
//! ("Hjemgaard-Svensson", "Hjemgaard Svensson") share one [`name_key`]. A sentence such as
//! "Anna Frisk är utsett till samordnare" has no speaking verb, so Anna Frisk is not a speaker.
//!
//! In a formal protokoll ([`Context::formal`], issue 15) a speaker is a presenter: who
//! presents, informs, reports or answers ("redogör för", "informerar", "Information lämnas av X
//! och Y", "Anförande hålls av A, B och C"), not who proposes ("yrkar", "föreslår"), puts the
//! question or asks. There the front page's people ([`Context::people`]) give the spelling of
//! a name, the chair for "Ordföranden", initials after a topic ("Översiktsplan FC") and a title
//! as subject ("Förvaltningschefen informerar") when exactly one person fits.

mod lexicon;
mod name;
mod patterns;
mod resolve;
pub mod spelling;

pub use resolve::{meeting_speakers, meeting_speakers_with, Context};
pub use spelling::name_key;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Speaker;

    fn names_of(text: &str) -> Vec<String> {
        let paragraphs: Vec<String> = text.split("\n\n").map(str::to_string).collect();
        meeting_speakers(&[paragraphs])
            .remove(0)
            .into_iter()
            .map(|s| s.name)
            .collect()
    }

    fn speakers(items: &[&str]) -> Vec<Vec<Speaker>> {
        let items: Vec<Vec<String>> = items
            .iter()
            .map(|t| t.split("\n\n").map(str::to_string).collect())
            .collect();
        meeting_speakers(&items)
    }

    fn sp(name: &str, party: Option<&str>, role: Option<&str>) -> Speaker {
        Speaker {
            name: name.into(),
            party: party.map(Into::into),
            role: role.map(Into::into),
        }
    }

    #[test]
    fn passive_with_two_presenters() {
        assert_eq!(
            names_of("Ärendet föredras av Elin Ring och Jan Persson."),
            vec!["Elin Ring", "Jan Persson"]
        );
    }

    #[test]
    fn presenter_verbs() {
        for (sentence, name) in [
            ("Ingela Jönsson föredrar ärendet.", "Ingela Jönsson"),
            (
                "Thomas Andersson informerar om projektet.",
                "Thomas Andersson",
            ),
            (
                "Elsy Bäckström gör en genomgång av statistiken.",
                "Elsy Bäckström",
            ),
            ("Elsy Bäckström går igenom ändringarna.", "Elsy Bäckström"),
            ("Elin Ring kompletterar med att enkät kommer.", "Elin Ring"),
            (
                "Anna Fremner svarar om ansvarsfördelningen.",
                "Anna Fremner",
            ),
            ("Lena Danielsson förtydligar syftet.", "Lena Danielsson"),
            (
                "Lena Danielsson replikerar att gruppen behöver ett uppdrag.",
                "Lena Danielsson",
            ),
            ("Maria Höög redogör för status.", "Maria Höög"),
            (
                "Jessica Isaksson sammanfattar resultaten.",
                "Jessica Isaksson",
            ),
            ("Urban Tirén presenterar rapporten.", "Urban Tirén"),
            ("Robert Brandt berättar om arbetet.", "Robert Brandt"),
        ] {
            assert_eq!(names_of(sentence), vec![name], "{sentence}");
        }
    }

    #[test]
    fn a_title_before_the_name_is_not_part_of_it() {
        assert_eq!(
            names_of("Socialchef Eva Holm föredrar ärendet."),
            vec!["Eva Holm"]
        );
        assert_eq!(
            speakers(&["Kommunchefen Ola Skyllbäck informerar om budgeten."]),
            vec![vec![Speaker {
                name: "Ola Skyllbäck".into(),
                party: None,
                role: Some("kommunchef".into())
            }]]
        );
    }

    #[test]
    fn subject_list_with_och() {
        assert_eq!(
            names_of("Lisbet Gibson och Robert Brandt kompletterar informationen."),
            vec!["Lisbet Gibson", "Robert Brandt"]
        );
    }

    #[test]
    fn apposition_with_party_and_role() {
        assert_eq!(
            speakers(&[
                "Lise Hjemgaard-Svensson (M), ordförande, öppnar mötet och hälsar välkommen."
            ]),
            vec![vec![sp(
                "Lise Hjemgaard-Svensson",
                Some("M"),
                Some("ordförande")
            )]]
        );
        assert_eq!(
            speakers(&["Thomas Andersson, Folkhälsoenheten, informerar om projektet."]),
            vec![vec![sp("Thomas Andersson", None, Some("Folkhälsoenheten"))]]
        );
        assert_eq!(
            speakers(&["Christian Åhrén, sekreterare, informerar om att presidiet har beslutat."]),
            vec![vec![sp("Christian Åhrén", None, Some("sekreterare"))]]
        );
    }

    #[test]
    fn chair_named_in_apposition_after_ordforanden() {
        assert_eq!(
            speakers(&[
                "Ordföranden, Elise Ryder Wikén (M), hälsar välkommen och öppnar mötet.",
                "Ordföranden går igenom föregående protokoll."
            ]),
            vec![
                vec![sp("Elise Ryder Wikén", Some("M"), Some("ordförande"))],
                vec![sp("Elise Ryder Wikén", Some("M"), Some("ordförande"))]
            ]
        );
    }

    #[test]
    fn ordforanden_resolves_to_chair() {
        let got = speakers(&[
            "Lise Hjemgaard Svensson (M), ordförande, hälsar välkommen.",
            "Ordföranden föredrar föregående protokoll.",
        ]);
        assert_eq!(
            got[1],
            vec![sp("Lise Hjemgaard Svensson", Some("M"), Some("ordförande"))]
        );
    }

    #[test]
    fn ordforanden_without_known_chair_is_nobody() {
        assert_eq!(
            names_of("Ordföranden tackar deltagarna."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn lone_first_name_resolves_within_item() {
        assert_eq!(
            names_of("Anna Kråik Åström föredrar ärendet. Anna förtydligar bakgrunden."),
            vec!["Anna Kråik Åström"]
        );
        assert_eq!(
            names_of("Veronica Molander och Maria Höög föredrar punkten.\n\nVeronica och Maria går igenom bakgrunden."),
            vec!["Veronica Molander", "Maria Höög"]
        );
    }

    #[test]
    fn lone_first_name_resolves_to_earlier_item() {
        let got = speakers(&[
            "Ingela Jönsson föredrar ärendet.",
            "Ingela går igenom listan.",
        ]);
        assert_eq!(got[1], vec![sp("Ingela Jönsson", None, None)]);
    }

    #[test]
    fn unknown_lone_word_is_not_a_speaker() {
        assert_eq!(
            names_of("Regionen klargör att det finns ett system."),
            Vec::<String>::new()
        );
        assert_eq!(
            names_of("Ledamöter lyfter att det går långsamt."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn mentioned_name_is_not_speaker() {
        assert_eq!(
            names_of("Anna Frisk är utsett till samordnare. Henrik Walström har ett uppdrag."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn initials_in_roll_call() {
        assert_eq!(
            names_of("Maria S: Det är ett ansträngt läge."),
            vec!["Maria S"]
        );
        // The initial fits exactly one full name of the meeting.
        let got = speakers(&[
            "Ingela Jönsson informerar. Anna Frisk är utsett till samordnare.",
            "Östersund: Det finns smitta.\n\nRegionen (Anna F): Vi har bytt lab.",
        ]);
        assert_eq!(got[1], vec![sp("Anna Frisk", None, None)]);
    }

    #[test]
    fn municipality_roll_call_is_not_a_person() {
        assert_eq!(
            names_of("Krokom: Vi har haft tre tuffa veckor."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn spelling_variants_are_one_person() {
        assert_eq!(
            name_key("Lise Hjemgaard-Svensson"),
            name_key("Lise Hjemgaard Svensson")
        );
        assert_eq!(
            names_of("Lise Hjemgaard-Svensson föredrar. Lise Hjemgaard Svensson kompletterar."),
            vec!["Lise Hjemgaard-Svensson"]
        );
    }

    #[test]
    fn affiliation_in_parentheses_is_a_role() {
        assert_eq!(
            speakers(&["Göran Hallman (Region JH) och Catrin Skoglund (Länsstyrelsen) föredrar."]),
            vec![vec![
                sp("Göran Hallman", None, Some("Region JH")),
                sp("Catrin Skoglund", None, Some("Länsstyrelsen"))
            ]]
        );
    }

    #[test]
    fn list_of_four_is_not_an_apposition() {
        assert_eq!(
            names_of("Veronica Molander, Maria Höög, Elin Ring och Jessica Isaksson presenterar workshopen."),
            vec!["Veronica Molander", "Maria Höög", "Elin Ring", "Jessica Isaksson"]
        );
    }

    #[test]
    fn names_that_are_words() {
        assert_eq!(
            names_of("Elin Ring och Lisbet Gibson föredrar punkten."),
            vec!["Elin Ring", "Lisbet Gibson"]
        );
    }

    fn person(name: &str, party: Option<&str>, role: Option<&str>) -> crate::model::Attendee {
        crate::model::Attendee {
            name: name.into(),
            party: party.map(Into::into),
            role: role.map(Into::into),
        }
    }

    /// The speakers' names of one formal-protokoll item, with the front page's people.
    fn formal(text: &str, people: &[crate::model::Attendee], chair: Option<&str>) -> Vec<String> {
        let paragraphs: Vec<String> = text.split("\n\n").map(str::to_string).collect();
        let context = Context {
            formal: true,
            chair,
            people,
        };
        meeting_speakers_with(&[paragraphs], &context)
            .remove(0)
            .into_iter()
            .map(|s| s.name)
            .collect()
    }

    #[test]
    fn formal_protokoll_proposers_and_askers_are_not_presenters() {
        let text = "Anna Carlson (S) föreslår att Agneta Fransson (MP) utses.\n\nBo Högberg (S) ställer frågan kring lokalerna.\n\nOrdförande Jan Byvik (S) konstaterar att det finns ett förslag.\n\nRolf Lilja (S) yrkar bifall.\n\nMaria Ek (C) informerar om läget.";
        assert_eq!(formal(text, &[], None), vec!["Maria Ek"]);
        // The same text outside a protokoll: everyone who speaks.
        assert_eq!(
            names_of(text),
            vec![
                "Anna Carlson",
                "Bo Högberg",
                "Jan Byvik",
                "Rolf Lilja",
                "Maria Ek"
            ]
        );
    }

    #[test]
    fn chair_title_before_the_name() {
        assert_eq!(
            speakers(&["Ordförande AnneMarie Grennhag (M) meddelar att ärende 8 behandlas sist."]),
            vec![vec![sp(
                "AnneMarie Grennhag",
                Some("M"),
                Some("ordförande")
            )]]
        );
    }

    #[test]
    fn list_with_samt_and_titles_without_commas() {
        assert_eq!(
            formal(
                "David Norrfjärd, chef grundskola samt Peter Lindström chef förskola besvarar kortfattat frågorna.",
                &[],
                None
            ),
            vec!["David Norrfjärd", "Peter Lindström"]
        );
    }

    #[test]
    fn information_given_by_and_speech_held_by() {
        assert_eq!(
            formal(
                "Information lämnas av Katarina Öryd och Hanna Ståhl.\n\nAnförande hålls av Lisa Andersson, Fredrik Hansson och Maria Losman.",
                &[],
                None
            ),
            vec!["Katarina Öryd", "Hanna Ståhl", "Lisa Andersson", "Fredrik Hansson", "Maria Losman"]
        );
    }

    #[test]
    fn front_page_people_give_spelling_initials_roles_and_chair() {
        let people = [
            person("AnneMarie Grennhag", Some("M"), Some("ordförande")),
            person("Filip Björndahl", None, Some("bygglovhandläggare")),
            person("Freddie Carlson", None, Some("bygglovhandläggare")),
            person("Katarina Öryd", None, Some("förvaltningschef")),
        ];
        assert_eq!(
            formal(
                "Markus Redman (S) och Anne Marie Grennhag (M) rapporterar från besöket.",
                &people,
                None
            ),
            vec!["Markus Redman", "AnneMarie Grennhag"]
        );
        assert_eq!(
            formal(
                "Sammanfattning av informationsärenden\nPreliminärt resultat 2019 FB\nÖversiktsplan nu – 2030 FC",
                &people,
                None
            ),
            vec!["Filip Björndahl", "Freddie Carlson"]
        );
        assert_eq!(
            formal("Förvaltningschefen informerar om budgeten.", &people, None),
            vec!["Katarina Öryd"]
        );
        // Two people with the role: nobody is guessed.
        assert_eq!(
            formal("Bygglovhandläggaren redogör för ärendet.", &people, None),
            Vec::<String>::new()
        );
        assert_eq!(
            formal(
                "Ordföranden informerar om arbetet.",
                &people,
                Some("AnneMarie Grennhag")
            ),
            vec!["AnneMarie Grennhag"]
        );
    }

    #[test]
    fn particles_in_surnames() {
        assert_eq!(
            names_of("Mikaela Munck af Rosenschöld informerar."),
            vec!["Mikaela Munck af Rosenschöld"]
        );
    }
}
