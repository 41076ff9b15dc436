//! `paragraf search` as a person reads it in a terminal (issue #18): the whole table printed
//! for known queries over `index-data/`, a listing without words, did-you-mean, `--help`.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::util::cli::paragraf;

/// `index-data/` indexed once by `paragraf index` for these tests.
fn index() -> PathBuf {
    static INDEX: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, idx) = INDEX.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("temp dir");
        let (_, idx) = crate::util::index::indexed_copy_of_index_data(tmp.path());
        (tmp, idx)
    });
    idx.clone()
}

/// `paragraf search ARGS… --index <index-data's index>`: stdout and exit code.
fn search(args: &[&str]) -> (String, i32) {
    let output = paragraf()
        .arg("search")
        .args(args)
        .arg("--index")
        .arg(index())
        .output()
        .expect("run paragraf search");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        output.status.code().expect("exit code"),
    )
}

#[test]
fn table_has_headings_and_shows_the_passage_that_matched() {
    let (out, code) = search(&["munskydd"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "\
3 träffar för \"munskydd\"

Datum       Organ  §  Rubrik eller utdrag
2020-12-04  SVOM   -  …på onsdag och munskydd, ska läggas till under övriga frågor …
                      föredragande: Lise Hjemgaard Svensson
                      svom-2020-12-04.02
2020-12-04  SVOM   -  …i nästa vecka. Både munskydd och skyddshandskar är frågor som bör di…
                      svom-2020-12-04.15
2020-12-04  SVOM   -  …personalen finns även hos oss oro inför julen. Munskydd används …
                      föredragande: Anna Frisk, Maria S
                      svom-2020-12-04.12
"
    );
}

#[test]
fn one_hit_is_one_traff_and_the_body_is_not_cut() {
    let (out, code) = search(&["bemyndigande"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "\
1 träff för \"bemyndigande\"

Datum       Organ            §     Rubrik eller utdrag
2013-05-15  Kommunstyrelsen  § 86  Bemyndigande att besluta om försäljning av brandstationer
                                   krokom-ks-2013-05-15.03
"
    );
}

#[test]
fn search_without_words_lists_newest_first_with_the_filters() {
    // Seven: four items name Krokom, three are Krokom's own kommunstyrelse's (issue 15).
    let (out, code) = search(&["--municipality", "Krokom", "--limit", "3"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "\
7 punkter, nyast först

Datum       Organ          §     Rubrik eller utdrag
2023-09-20  Socialnämnden  § 41  Ny organisation för hemtjänsten
                                 föredragande: Eva Holm
                                 krokom-sn-2023-09-20-utkast.01
2020-12-04  SVOM           -     Ärendet föredras av Elin Ring och Jan Persson. Enkäter har skickats u…
                                 föredragande: Elin Ring, Jan Persson, Ingela Jönsson
                                 svom-2020-12-04.05
2020-12-04  SVOM           -     Östersund: Det finns smitta på några boenden, men inget allvarligare …
                                 föredragande: Anna Frisk, Maria S
                                 svom-2020-12-04.12
"
    );
}

#[test]
fn did_you_mean_is_printed_as_the_api_gives_it() {
    let api = crate::util::index::search(&[("q", "munskyd"), ("limit", "1")]);
    assert_eq!(api.did_you_mean.as_deref(), Some("munskydd"));
    let (out, code) = search(&["munskyd", "--limit", "1"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "\
3 träffar för \"munskyd\"
Menade du \"munskydd\"?

Datum       Organ  §  Rubrik eller utdrag
2020-12-04  SVOM   -  …på onsdag och munskydd, ska läggas till under övriga frågor …
                      föredragande: Lise Hjemgaard Svensson
                      svom-2020-12-04.02
"
    );
}

#[test]
fn no_hits_is_said_in_words_with_exit_code_1() {
    let (out, code) = search(&["lindormsbron"]);
    assert_eq!(code, 1);
    assert_eq!(out, "0 träffar för \"lindormsbron\"\n");
}

#[test]
fn help_states_every_accepted_date_form() {
    let output = paragraf()
        .args(["search", "--help"])
        .output()
        .expect("run paragraf search --help");
    let help = String::from_utf8(output.stdout).expect("UTF-8");
    for line in [
        "Only meetings on or after this date: YYYY-MM-DD, YYYY-MM (its first day) or YYYY",
        "Only meetings on or before this date: YYYY-MM-DD, YYYY-MM (its last day) or YYYY",
        "Leave it out to list items by date",
    ] {
        assert!(help.contains(line), "--help lacks {line:?}:\n{help}");
    }
}
