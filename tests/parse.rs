//! `paragraf parse` end to end: the two seed minutes against our independent annotation,
//! stable ids over `index-data/`, bad input, missing paths, manifests and meeting dates.
//!
//! The seed tables are the annotation, not a copy of the binary's output: when they disagree,
//! the binary is what needs fixing. The table tests collect every disagreement before failing,
//! so one run lists them all.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use serde_json::{json, Value};

use crate::util::cli::{paragraf, parse_items};
use crate::util::index_data;

/// A speaker as annotated: the name, and the party and role where the annotation states them.
struct Speaker {
    name: &'static str,
    party: Option<&'static str>,
    role: Option<&'static str>,
}

/// A speaker known by name only.
const fn sp(name: &'static str) -> Speaker {
    Speaker {
        name,
        party: None,
        role: None,
    }
}

/// A speaker with a stated role.
const fn sp_role(name: &'static str, role: &'static str) -> Speaker {
    Speaker {
        name,
        party: None,
        role: Some(role),
    }
}

/// A speaker with a stated party and role.
const fn sp_party_role(name: &'static str, party: &'static str, role: &'static str) -> Speaker {
    Speaker {
        name,
        party: Some(party),
        role: Some(role),
    }
}

/// What the annotation says about an item's decisions.
enum Decisions {
    /// Nothing: the decisions are not checked.
    Unannotated,
    /// One decision per prefix, in order, each starting with its prefix.
    StartingWith(&'static [&'static str]),
    /// Exactly these decisions.
    Exactly(&'static [&'static str]),
}

/// The annotation of one item.
struct Expected {
    ordinal: u32,
    section: Option<&'static str>,
    title: Option<&'static str>,
    speakers: &'static [Speaker],
    /// (SCB code, name), in order of first appearance.
    municipalities: &'static [(&'static str, &'static str)],
    decisions: Decisions,
}

/// An item with no section, title or municipality; decisions as `decisions`.
const fn item(ordinal: u32, speakers: &'static [Speaker], decisions: Decisions) -> Expected {
    Expected {
        ordinal,
        section: None,
        title: None,
        speakers,
        municipalities: &[],
        decisions,
    }
}

impl Expected {
    const fn section(self, section: &'static str) -> Expected {
        Expected {
            section: Some(section),
            ..self
        }
    }

    const fn title(self, title: &'static str) -> Expected {
        Expected {
            title: Some(title),
            ..self
        }
    }

    const fn municipalities(
        self,
        municipalities: &'static [(&'static str, &'static str)],
    ) -> Expected {
        Expected {
            municipalities,
            ..self
        }
    }
}

const LISE: Speaker = sp("Lise Hjemgaard Svensson");
const LISE_CHAIR: Speaker = sp_party_role("Lise Hjemgaard Svensson", "M", "ordförande");

/// No decisions, as the 2020-12-04 annotation says of every item it gives none for.
const NONE: Decisions = Decisions::Exactly(&[]);

/// `index-data/svom-2020-12-04.txt`.
const SVOM_2020_12_04: &[Expected] = &[
    item(1, &[LISE_CHAIR], NONE),
    // "Ordföranden yrkar": the chair, named in item 1.
    item(2, &[LISE], NONE),
    item(3, &[], NONE)
        .section("§ 54")
        .title("Val av justerare och tid för justering"),
    item(4, &[LISE], NONE),
    // Anna Frisk is only mentioned: not a speaker.
    item(
        5,
        &[sp("Elin Ring"), sp("Jan Persson"), sp("Ingela Jönsson")],
        NONE,
    )
    .municipalities(&[("2309", "Krokom")]),
    item(6, &[sp("Ingela Jönsson")], NONE),
    item(7, &[sp("Ingela Jönsson")], NONE),
    item(8, &[sp_role("Thomas Andersson", "Folkhälsoenheten")], NONE),
    item(9, &[sp("Ingela Jönsson"), sp("Elin Ring")], NONE),
    item(10, &[sp("Anna Kråik Åström")], NONE),
    item(11, &[sp("Urban Tirén")], NONE),
    // "Regionen (Anna F)" is the meeting's one Anna F…: Anna Frisk.
    item(12, &[sp("Anna Frisk"), sp("Maria S")], NONE).municipalities(&[
        ("2380", "Östersund"),
        ("2305", "Bräcke"),
        ("2313", "Strömsund"),
        ("2303", "Ragunda"),
        ("2361", "Härjedalen"),
        ("2309", "Krokom"),
        ("2321", "Åre"),
    ]),
    item(
        13,
        &[LISE],
        Decisions::StartingWith(&["På Socsam 4 dec beslutades att rekommendera"]),
    ),
    // Henrik Walström is only mentioned; Skaraborg, VGR and Jämtlands län are no kommuner.
    item(
        14,
        &[LISE],
        Decisions::StartingWith(&["Socsam beslutade den 4 dec att rekommendera"]),
    ),
    // "1. Coronamöten på onsdagar" is a numbered sub-point, not a title.
    item(
        15,
        &[],
        Decisions::Exactly(&[
            "Ledamöterna beslutar att det blir ett corona-möte på onsdag i nästa vecka.",
        ]),
    )
    .municipalities(&[("2309", "Krokom")]),
    item(16, &[LISE], NONE),
];

/// `index-data/svom-2022-hosten.txt`; its annotation says nothing about decisions.
const SVOM_2022_HOSTEN: &[Expected] = &[
    item(1, &[LISE_CHAIR], Decisions::Unannotated),
    item(2, &[], Decisions::Unannotated)
        .section("§ 32")
        .title("Val av justerare"),
    item(3, &[], Decisions::Unannotated),
    item(4, &[LISE], Decisions::Unannotated),
    // Gotland is a region here, not the kommun.
    item(
        5,
        &[sp("Lena Danielsson"), sp("Anna Fremner"), LISE],
        Decisions::Unannotated,
    )
    .municipalities(&[("2303", "Ragunda"), ("2313", "Strömsund")]),
    item(6, &[sp("Maria Höög")], Decisions::Unannotated),
    item(
        7,
        &[sp("Elin Ring"), sp("Lisbet Gibson")],
        Decisions::Unannotated,
    ),
    item(8, &[sp("Elsy Bäckström")], Decisions::Unannotated).title("Utskrivningsklara"),
    item(
        9,
        &[
            sp("Elsy Bäckström"),
            sp("Lisbet Gibson"),
            sp("Robert Brandt"),
        ],
        Decisions::Unannotated,
    ),
    item(10, &[sp("Maria Höög")], Decisions::Unannotated),
    item(11, &[], Decisions::Unannotated)
        .section("§ 41")
        .title("Sammanträdestider SVOM 2023"),
    item(
        12,
        &[sp_role("Christian Åhrén", "sekreterare")],
        Decisions::Unannotated,
    )
    .title("Politisk referensgrupp för SVOM")
    .municipalities(&[("2380", "Östersund")]),
    item(13, &[LISE], Decisions::Unannotated),
];

/// The fields of an item as `paragraf parse` prints it.
const ITEM_FIELDS: &[&str] = &[
    "decisions",
    "id",
    "language",
    "meeting",
    "municipalities",
    "ordinal",
    "section",
    "speakers",
    "text",
    "title",
];

/// Records a disagreement when `got` is not `want`.
fn check(errors: &mut Vec<String>, at: &str, field: &str, got: &Value, want: &Value) {
    if got != want {
        errors.push(format!("{at}, {field}: expected {want}, got {got}"));
    }
}

/// The elements of a JSON array field, none when it is not an array.
fn array<'a>(value: &'a Value, field: &str) -> &'a [Value] {
    value[field].as_array().map_or(&[], Vec::as_slice)
}

/// Checks one meeting's items against the annotation: every item shares the meeting, whose
/// fields are as in `meeting`; the ids run `<meeting id>.01…`; each item as `expected` says.
fn check_items(items: &[Value], meeting: &Value, expected: &[Expected]) -> Vec<String> {
    let mut errors = Vec::new();
    let meeting_id = meeting["id"].as_str().expect("annotated meeting id");

    let ids: Vec<&Value> = items.iter().map(|item| &item["id"]).collect();
    let want_ids: Vec<String> = (1..=expected.len())
        .map(|n| format!("{meeting_id}.{n:02}"))
        .collect();
    check(&mut errors, "items", "ids", &json!(ids), &json!(want_ids));

    if let Some(first) = items.first() {
        for (field, want) in meeting.as_object().expect("meeting object") {
            check(
                &mut errors,
                "meeting",
                field,
                &first["meeting"][field],
                want,
            );
        }
        for item in items {
            if item["meeting"] != first["meeting"] {
                errors.push(format!(
                    "{}: meeting {} differs from the first item's {}",
                    item["id"], item["meeting"], first["meeting"]
                ));
            }
        }
    }

    for (item, want) in items.iter().zip(expected) {
        let at = format!("item {}", want.ordinal);
        let fields: Vec<&String> = item
            .as_object()
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        check(
            &mut errors,
            &at,
            "fields",
            &json!(fields),
            &json!(ITEM_FIELDS),
        );
        check(
            &mut errors,
            &at,
            "ordinal",
            &item["ordinal"],
            &json!(want.ordinal),
        );
        check(
            &mut errors,
            &at,
            "section",
            &item["section"],
            &json!(want.section),
        );
        check(
            &mut errors,
            &at,
            "title",
            &item["title"],
            &json!(want.title),
        );
        check(
            &mut errors,
            &at,
            "language",
            &item["language"],
            &json!("swe"),
        );

        let speakers = array(item, "speakers");
        let names: Vec<&Value> = speakers.iter().map(|s| &s["name"]).collect();
        let want_names: Vec<&str> = want.speakers.iter().map(|s| s.name).collect();
        check(
            &mut errors,
            &at,
            "speaker names",
            &json!(names),
            &json!(want_names),
        );
        for (got, want) in speakers.iter().zip(want.speakers) {
            if let Some(party) = want.party {
                let field = format!("party of {}", want.name);
                check(&mut errors, &at, &field, &got["party"], &json!(party));
            }
            if let Some(role) = want.role {
                let field = format!("role of {}", want.name);
                check(&mut errors, &at, &field, &got["role"], &json!(role));
            }
        }

        let municipalities: Vec<Value> = array(item, "municipalities")
            .iter()
            .map(|m| json!([m["code"], m["name"]]))
            .collect();
        check(
            &mut errors,
            &at,
            "municipalities (code, name)",
            &json!(municipalities),
            &json!(want.municipalities),
        );

        let decisions = &item["decisions"];
        match want.decisions {
            Decisions::Unannotated => {}
            Decisions::Exactly(want) => {
                check(&mut errors, &at, "decisions", decisions, &json!(want));
            }
            Decisions::StartingWith(prefixes) => {
                let got = array(item, "decisions");
                let starts = got.len() == prefixes.len()
                    && got
                        .iter()
                        .zip(prefixes)
                        .all(|(d, p)| d.as_str().is_some_and(|d| d.starts_with(p)));
                if !starts {
                    errors.push(format!(
                        "{at}, decisions: expected {} starting with {prefixes:?}, got {decisions}",
                        prefixes.len()
                    ));
                }
            }
        }
    }
    errors
}

/// Fails with every disagreement, one a line.
fn assert_no_disagreement(errors: &[String]) {
    assert!(
        errors.is_empty(),
        "{} disagreement(s) with the annotation:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

/// The item with the given id.
fn item_by_id<'a>(items: &'a [Value], id: &str) -> &'a Value {
    items
        .iter()
        .find(|item| item["id"] == id)
        .unwrap_or_else(|| panic!("no item {id}"))
}

#[test]
fn seed_2020_12_04_matches_annotation() {
    let (items, stderr, code) = parse_items(["index-data/svom-2020-12-04.txt"]);
    assert_eq!(code, 0, "stderr:\n{stderr}");
    let meeting = json!({
        "id": "svom-2020-12-04",
        "body": "SVOM",
        "date": "2020-12-04",
        "date_precision": "day",
        "date_source": "manifest",
    });
    assert_no_disagreement(&check_items(&items, &meeting, SVOM_2020_12_04));
}

#[test]
fn seed_2020_12_04_text_has_no_page_chrome() {
    let (items, stderr, code) = parse_items(["index-data/svom-2020-12-04.txt"]);
    assert_eq!(code, 0, "stderr:\n{stderr}");
    assert_eq!(items.len(), 16);
    for item in &items {
        let text = item["text"].as_str().expect("text is a string");
        for chrome in ["Hoppa över navigering", "cookies", "\u{a0}"] {
            assert!(
                !text.contains(chrome),
                "{} text contains {chrome:?}: {text:?}",
                item["id"]
            );
        }
    }
    let text = &item_by_id(&items, "svom-2020-12-04.14")["text"];
    assert!(
        text.as_str().is_some_and(|t| t.contains("Storsjögläntan")),
        "item 14 text lost its bullet points: {text}"
    );
}

#[test]
fn seed_2022_hosten_matches_annotation() {
    let (items, stderr, code) = parse_items(["index-data/svom-2022-hosten.txt"]);
    assert_eq!(code, 0, "stderr:\n{stderr}");
    let meeting = json!({
        "id": "svom-2022-hosten",
        "body": "SVOM",
        "date": "2022",
        "date_precision": "year",
        "date_source": "manifest",
    });
    assert_no_disagreement(&check_items(&items, &meeting, SVOM_2022_HOSTEN));
}

#[test]
fn seed_2022_hosten_keeps_sub_heading_in_text() {
    let (items, stderr, code) = parse_items(["index-data/svom-2022-hosten.txt"]);
    assert_eq!(code, 0, "stderr:\n{stderr}");
    let text = &item_by_id(&items, "svom-2022-hosten.12")["text"];
    assert!(
        text.as_str()
            .is_some_and(|t| t.contains("Väntetider utredning psykiatrin")),
        "item 12 text lost its sub-heading: {text}"
    );
}

#[test]
fn parsing_index_data_twice_gives_identical_output() {
    let run = || {
        paragraf()
            .arg("parse")
            .arg(index_data())
            .output()
            .expect("run paragraf parse")
    };
    let (first, second) = (run(), run());
    assert_eq!(first.status.code(), Some(0));
    assert_eq!(second.status.code(), Some(0));
    assert!(first.stdout.len() > 1000, "too little output to compare");
    assert!(
        first.stdout == second.stdout,
        "two runs over index-data/ printed different items"
    );
}

#[test]
fn index_data_dir_gives_every_meeting_with_stable_ids() {
    let (items, stderr, code) = parse_items([index_data()]);
    assert_eq!(code, 0, "stderr:\n{stderr}");

    let mut per_meeting: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for item in &items {
        let meeting = item["meeting"]["id"].as_str().expect("meeting id");
        per_meeting.entry(meeting).or_default().push(item);
    }
    let excerpts = [
        "hsn-2021-10-27",
        "hsn-2022-01-20",
        "hsn-2022-09-22",
        "samverkansradet-2022-05-30",
        "samverkansradet-2023-02-06",
        "samverkansradet-2023-12-11",
        "svom-2020-10-09",
        "svom-2020-11-06",
        "svom-2021-02-26",
        "svom-2021-10-08",
        "svom-2021-12-03",
        "svom-2022-02-25",
        "svom-2022-06-03",
        "svom-2022-12-02",
        "svom-2023-12-08",
        "svom-2024-06-03",
    ];
    let mut want: BTreeSet<String> = excerpts.iter().map(|e| format!("{e}-utdrag")).collect();
    want.insert("svom-2020-12-04".into());
    want.insert("svom-2022-hosten".into());
    for example in [
        "krokom-ks-2013-05-15",
        "krokom-sn-2023-09-20-utkast",
        "rutn-2023-03-09",
    ] {
        want.insert(example.into());
    }
    let got: BTreeSet<String> = per_meeting.keys().map(ToString::to_string).collect();
    assert_eq!(got, want, "meetings parsed from index-data/");

    assert_eq!(per_meeting["svom-2020-12-04"].len(), 16);
    assert_eq!(per_meeting["svom-2022-hosten"].len(), 13);

    // Ids are `<meeting id>.<ordinal, two digits>`, ordinals run from 1 in order.
    for (meeting, items) in &per_meeting {
        for (n, item) in (1..).zip(items) {
            assert_eq!(item["ordinal"], json!(n), "{meeting}");
            assert_eq!(item["id"], json!(format!("{meeting}.{n:02}")));
        }
    }
}

/// The stderr lines that mention `file` (by its name after a slash).
fn lines_naming<'a>(stderr: &'a str, file: &str) -> Vec<&'a str> {
    let needle = format!("/{file}");
    stderr.lines().filter(|l| l.contains(&needle)).collect()
}

/// The items of the meeting with the given id.
fn items_of<'a>(items: &'a [Value], meeting_id: &str) -> Vec<&'a Value> {
    items
        .iter()
        .filter(|item| item["meeting"]["id"] == meeting_id)
        .collect()
}

/// Writes `contents` to `name` in `dir`.
fn write(dir: &Path, name: &str, contents: &[u8]) {
    fs::write(dir.join(name), contents).expect("write test file");
}

#[test]
fn bad_input_is_skipped_or_repaired_and_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dir = dir.path();
    write(
        dir,
        "kommunstyrelsen-2013-05-15.txt",
        "• Ordföranden öppnar mötet.\n• Ärendet föredras av Elin Ring och Jan Persson.\n"
            .as_bytes(),
    );
    write(dir, "empty.txt", b"");
    write(dir, "binary.txt", b"\x00\x01\x02ELF\x00\x00\x00binary\x00");
    write(dir, "scan.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n");
    write(
        dir,
        "latin.txt",
        b"\x95 \xc4rendet f\xf6redras av Ingela J\xf6nsson.\n",
    );
    // Cut in the middle of the "ö" of "Strömsund".
    write(
        dir,
        "cut.txt",
        "• Ärendet föredras av Elin Ring.\n• Det gäller Str".as_bytes(),
    );
    fs::OpenOptions::new()
        .append(true)
        .open(dir.join("cut.txt"))
        .and_then(|mut f| std::io::Write::write_all(&mut f, b"\xc3"))
        .expect("append half a character");
    write(
        dir,
        "plain.txt",
        "Ordföranden hälsar alla välkomna. Mötet diskuterar budgeten för nästa år.\n".as_bytes(),
    );

    let (items, stderr, code) = parse_items([dir]);
    assert_eq!(code, 1, "some input was skipped; stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "stderr:\n{stderr}");

    for (file, reason) in [
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("scan.txt", "PDF"),
    ] {
        let lines = lines_naming(&stderr, file);
        assert!(
            lines
                .iter()
                .any(|l| l.contains("skipped") && l.contains(reason)),
            "stderr does not report {file} skipped as {reason}:\n{stderr}"
        );
    }

    let meetings: BTreeSet<&str> = items
        .iter()
        .filter_map(|item| item["meeting"]["id"].as_str())
        .collect();
    assert_eq!(
        meetings,
        BTreeSet::from(["cut", "kommunstyrelsen-2013-05-15", "latin", "plain"]),
        "skipped files must give no items"
    );

    let good = items_of(&items, "kommunstyrelsen-2013-05-15");
    assert_eq!(good.len(), 2);
    for (n, item) in (1..).zip(&good) {
        assert_eq!(
            item["id"],
            json!(format!("kommunstyrelsen-2013-05-15.{n:02}"))
        );
        assert_eq!(item["meeting"]["body"], "kommunstyrelsen");
        assert_eq!(item["meeting"]["date"], "2013-05-15");
        assert_eq!(item["meeting"]["date_precision"], "day");
        assert_eq!(item["meeting"]["date_source"], "file_name");
    }
    assert_eq!(
        good[1]["text"],
        "Ärendet föredras av Elin Ring och Jan Persson."
    );
    assert_eq!(
        good[1]["speakers"],
        json!([
            {"name": "Elin Ring", "party": null, "role": null},
            {"name": "Jan Persson", "party": null, "role": null},
        ])
    );

    let latin = items_of(&items, "latin");
    assert_eq!(latin.len(), 1);
    assert_eq!(latin[0]["text"], "Ärendet föredras av Ingela Jönsson.");
    assert_eq!(
        latin[0]["speakers"],
        json!([{"name": "Ingela Jönsson", "party": null, "role": null}])
    );
    assert!(
        lines_naming(&stderr, "latin.txt")
            .iter()
            .any(|l| l.contains("Windows-1252")),
        "stderr does not say latin.txt was read as Windows-1252:\n{stderr}"
    );

    // A truncated last character is dropped; the file is still UTF-8, not Windows-1252.
    let cut = items_of(&items, "cut");
    assert_eq!(cut.len(), 2);
    assert_eq!(cut[0]["text"], "Ärendet föredras av Elin Ring.");
    for item in &cut {
        let text = item["text"].as_str().expect("text");
        assert!(!text.contains(['\u{fffd}', 'Ã']), "garbled: {text:?}");
    }
    assert!(
        lines_naming(&stderr, "cut.txt")
            .iter()
            .all(|l| !l.contains("Windows-1252") && !l.contains("skipped")),
        "stderr:\n{stderr}"
    );

    let plain = items_of(&items, "plain");
    assert_eq!(plain.len(), 1, "a text without structure is one item");
    assert_eq!(plain[0]["id"], "plain.01");
    assert!(
        plain[0]["text"]
            .as_str()
            .is_some_and(|t| t.contains("Ordföranden hälsar alla välkomna.")
                && t.contains("Mötet diskuterar budgeten för nästa år.")),
        "{}",
        plain[0]["text"]
    );
    assert!(
        lines_naming(&stderr, "plain.txt")
            .iter()
            .any(|l| l.contains("WARN")),
        "no warning names plain.txt:\n{stderr}"
    );
}

#[test]
fn missing_path_is_fatal() {
    let (items, stderr, code) = parse_items(["/no/such/path"]);
    assert_eq!(code, 2, "stderr:\n{stderr}");
    assert_eq!(items, Vec::<serde_json::Value>::new(), "no items on stdout");
    assert!(
        stderr.contains("/no/such/path: no such file or directory"),
        "stderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "stderr:\n{stderr}");
}

#[test]
fn manifest_sets_body_and_partial_date_and_unlisted_file_uses_its_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dir = dir.path();
    write(
        dir,
        "manifest.toml",
        "[[meeting]]\nfile = \"a.txt\"\nbody = \"Socialnämnden\"\ndate = \"2021-03\"\nsource = \"https://example.se/a.pdf\"\n"
            .as_bytes(),
    );
    write(
        dir,
        "a.txt",
        "• Ärendet föredras av Elin Ring.\n".as_bytes(),
    );
    write(
        dir,
        "socialnamnden-2019-05-02.txt",
        "• Ärendet föredras av Jan Persson.\n".as_bytes(),
    );

    let (items, stderr, code) = parse_items([dir]);
    assert_eq!(code, 0, "stderr:\n{stderr}");
    assert_eq!(
        items.len(),
        2,
        "one item per file; the manifest is no minutes"
    );

    let listed = item_by_id(&items, "a.01");
    assert_eq!(
        listed["meeting"],
        json!({
            "id": "a",
            "body": "Socialnämnden",
            "date": "2021-03",
            "date_precision": "month",
            "date_source": "manifest",
            "source": "https://example.se/a.pdf",
        })
    );

    let unlisted = item_by_id(&items, "socialnamnden-2019-05-02.01");
    assert_eq!(
        unlisted["meeting"],
        json!({
            "id": "socialnamnden-2019-05-02",
            "body": "socialnamnden",
            "date": "2019-05-02",
            "date_precision": "day",
            "date_source": "file_name",
            "source": dir.join("socialnamnden-2019-05-02.txt").to_string_lossy(),
        })
    );
}

#[test]
fn date_is_inferred_from_opening_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("protokoll.txt");
    fs::write(
        &path,
        "Möte 2020-10-09\n\n• Ärendet föredras av Jan Persson.\n",
    )
    .expect("write test file");

    let (items, stderr, code) = parse_items([&path]);
    assert_eq!(code, 0, "stderr:\n{stderr}");
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0]["meeting"],
        json!({
            "id": "protokoll",
            "body": null,
            "date": "2020-10-09",
            "date_precision": "day",
            "date_source": "inferred",
            "source": path.to_string_lossy(),
        })
    );
}
