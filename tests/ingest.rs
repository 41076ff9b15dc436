//! Archives as they are published (issue #8): HTML pages, PDF protokoll and DOCX drafts next
//! to plain text, each told apart by content; the fixtures are written here (PDF and DOCX with
//! `paragraf_indexer::format::sample`), plus the examples of each format in `index-data/formats/`.

use std::fs;
use std::path::Path;

use paragraf_indexer::format::sample;
use paragraf_indexer::format::Block;
use serde_json::{json, Value};

use crate::util::cli::{paragraf, parse_items};
use crate::util::index_data;

/// (section, title, case number, speaker names, decisions) of each item of a meeting.
type Summary = (
    Option<String>,
    Option<String>,
    Option<String>,
    Vec<String>,
    Vec<String>,
);

fn summary(items: &[Value], meeting: &str) -> Vec<Summary> {
    let string = |v: &Value| v.as_str().map(str::to_string);
    items
        .iter()
        .filter(|i| i["meeting"]["id"] == meeting)
        .map(|i| {
            (
                string(&i["section"]),
                string(&i["title"]),
                string(&i["case_number"]),
                i["speakers"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|s| string(&s["name"]))
                    .collect(),
                i["decisions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(string)
                    .collect(),
            )
        })
        .collect()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| (*x).to_string()).collect()
}

/// A two-page protokoll in the shape of PDF minutes from a meeting system.
fn protokoll_pdf() -> Vec<u8> {
    let pages = [
        "ÅRE KOMMUN SAMMANTRÄDESPROTOKOLL 1(2)\nKommunstyrelsen Sammanträdesdatum 2015-03-24\n\nPlats och tid Kommunhuset i Järpen, kl 09.00-12.00 Beslutande Peter Bergman, S, ordförande Leif Nord, M Daniel Danielsson, C, tjg ers för Monica Henriksson, C Övriga närvarande Nina Edenvik, kanslichef Utses att justera Leif Nord och Daniel Danielsson\n\nKs § 41 Dnr KS 2015/77\nÅrsredovisning 2014\nEkonomichefen redovisar årets resultat för kommun-\nstyrelsens verksamheter.\nBeslut\nKommunstyrelsen beslutar att godkänna årsredovisningen.\n\nJusterandes sign Utdragsbestyrkande",
        "ÅRE KOMMUN SAMMANTRÄDESPROTOKOLL 2(2)\nKommunstyrelsen Sammanträdesdatum 2015-03-24\n\nKs § 42 Dnr KS 2015/12\nInvestering i räddningstjänsten\nFörslag till beslut\nKommunstyrelsen beslutar att avslå begäran.\nYrkanden\nLeif Nord (M) yrkar bifall till begäran.\nBeslut\nKommunstyrelsen beslutar att bevilja 1,2 miljoner kronor till ett nytt höjdfordon.\nReservation\nPeter Bergman (S) reserverar sig mot beslutet.\n\nJusterandes sign Utdragsbestyrkande",
    ];
    sample::pdf(&pages).expect("write the PDF fixture")
}

fn draft_docx() -> Vec<u8> {
    let h = |level, text: &str| Block::Heading {
        level,
        text: text.into(),
    };
    let p = |text: &str| Block::Paragraph {
        depth: 0,
        text: text.into(),
    };
    let li = |text: &str| Block::ListItem {
        depth: 1,
        text: text.into(),
    };
    sample::docx(&[
        h(1, "Barn- och utbildningsnämnden"),
        p("Sammanträdesdatum 2024-02-14"),
        h(2, "§ 7 Dnr BUN 2024/3"),
        h(3, "Skolskjuts i Bräcke"),
        p("Lena Holm föredrar ärendet."),
        li("Kälarne"),
        li("Gällö"),
        h(3, "Beslut"),
        p("Nämnden beslutar att skolskjutsen ska gå som i dag."),
    ])
    .expect("write the DOCX fixture")
}

const PAGE: &str = r#"<!DOCTYPE html><html><head><script>var s = "• ingen punkt";</script></head><body>
<header><nav><ul><li>Start</li><li>Politik</li></ul></nav></header>
<div id="cookieConsent">Vi använder cookies för att förbättra webbplatsen.</div>
<main><h1>Möte 2021-05-28</h1><ul>
<li><p>Elin Ring föredrar läget i Ragunda.</p></li>
<li><h2>§ 9</h2><p>Val av justerare</p></li>
</ul></main><footer>Region Jämtland Härjedalen</footer></body></html>"#;

#[test]
fn a_mixed_archive_gives_items_of_every_format_and_reports_the_scan() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dir = dir.path();
    let write = |name: &str, bytes: &[u8]| fs::write(dir.join(name), bytes).expect("write");
    write(
        "svom-2021-04-30.txt",
        " • Ingela Jönsson föredrar ärendet.\n".as_bytes(),
    );
    write("sida.html", PAGE.as_bytes());
    write("are-ks.pdf", &protokoll_pdf());
    write("utkast.docx", &draft_docx());
    write("skannad.pdf", &sample::pdf_without_text(2).expect("scan"));
    // Named as text, but a PDF: the content decides.
    write("fel-namn.txt", &protokoll_pdf());

    let (items, stderr, code) = parse_items([dir]);
    assert_eq!(code, 1, "the scan is skipped; stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "stderr:\n{stderr}");
    assert!(
        stderr.lines().any(|l| l.contains("skannad.pdf")
            && l.contains("skipped")
            && l.contains("no text layer")),
        "stderr does not report the scan:\n{stderr}"
    );
    assert!(
        stderr.lines().any(|l| l.contains("fel-namn.txt")
            && l.contains("file name says plain text but the content is PDF")),
        "stderr:\n{stderr}"
    );

    assert_eq!(
        summary(&items, "svom-2021-04-30"),
        vec![(None, None, None, strings(&["Ingela Jönsson"]), vec![])]
    );
    assert_eq!(
        summary(&items, "sida"),
        vec![
            (None, None, None, strings(&["Elin Ring"]), vec![]),
            (s("§ 9"), s("Val av justerare"), None, vec![], vec![]),
        ]
    );
    let sida: Vec<&Value> = items
        .iter()
        .filter(|i| i["meeting"]["id"] == "sida")
        .collect();
    assert_eq!(sida[0]["text"], "Elin Ring föredrar läget i Ragunda.");
    assert_eq!(sida[0]["municipalities"][0]["name"], "Ragunda");
    assert_eq!(sida[0]["meeting"]["date"], "2021-05-28");

    let are = vec![
        (
            s("§ 41"),
            s("Årsredovisning 2014"),
            s("KS 2015/77"),
            vec![],
            strings(&["Kommunstyrelsen beslutar att godkänna årsredovisningen."]),
        ),
        (
            s("§ 42"),
            s("Investering i räddningstjänsten"),
            s("KS 2015/12"),
            // "Leif Nord (M) yrkar bifall": a proposer, not a presenter (issue 15).
            vec![],
            strings(&[
                "Kommunstyrelsen beslutar att bevilja 1,2 miljoner kronor till ett nytt höjdfordon.",
            ]),
        ),
    ];
    assert_eq!(summary(&items, "are-ks"), are);
    assert_eq!(summary(&items, "fel-namn"), are);
    let first = items
        .iter()
        .find(|i| i["id"] == "are-ks.01")
        .expect("first PDF item");
    assert_eq!(
        first["text"],
        "Ekonomichefen redovisar årets resultat för kommunstyrelsens verksamheter.\n\nBeslut\n\nKommunstyrelsen beslutar att godkänna årsredovisningen."
    );
    assert_eq!(
        first["meeting"],
        json!({
            "id": "are-ks",
            "body": "Kommunstyrelsen",
            "date": "2015-03-24",
            "date_precision": "day",
            "date_source": "inferred",
            "source": dir.join("are-ks.pdf").to_string_lossy(),
            "attendees": [
                {"name": "Peter Bergman", "party": "S", "role": "ordförande"},
                {"name": "Leif Nord", "party": "M", "role": null},
                {"name": "Daniel Danielsson", "party": "C", "role": "tjg ers"},
            ],
            // The others present ("Övriga närvarande"), with their role (issue 15).
            "others": [{"name": "Nina Edenvik", "party": null, "role": "kanslichef"}],
            "justerare": ["Leif Nord", "Daniel Danielsson"],
            // Issue 15: the chair from Beslutande, the body's own municipality from the cover.
            "chair": "Peter Bergman",
            "municipality": {"name": "Åre", "code": "2321", "county": "Jämtlands län", "county_code": "23"},
        })
    );

    assert_eq!(
        summary(&items, "utkast"),
        vec![(
            s("§ 7"),
            s("Skolskjuts i Bräcke"),
            s("BUN 2024/3"),
            strings(&["Lena Holm"]),
            strings(&["Nämnden beslutar att skolskjutsen ska gå som i dag."]),
        )]
    );
    let draft = items
        .iter()
        .find(|i| i["id"] == "utkast.01")
        .expect("DOCX item");
    assert_eq!(
        draft["text"],
        "Lena Holm föredrar ärendet.\n\n• Kälarne\n• Gällö\n\nBeslut\n\nNämnden beslutar att skolskjutsen ska gå som i dag."
    );
    assert_eq!(draft["meeting"]["body"], "Barn- och utbildningsnämnden");
    assert_eq!(draft["meeting"]["date"], "2024-02-14");
}

#[test]
fn paragraf_index_takes_a_mixed_archive_and_case_numbers_match_exactly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("arkiv");
    fs::create_dir(&archive).expect("archive dir");
    fs::write(archive.join("sida.html"), PAGE).expect("write");
    fs::write(archive.join("are-ks.pdf"), protokoll_pdf()).expect("write");
    fs::write(archive.join("utkast.docx"), draft_docx()).expect("write");
    fs::write(archive.join("svom.txt"), " • Ett ärende.\n").expect("write");
    let index = dir.path().join("index");
    let output = paragraf()
        .arg("index")
        .arg(&archive)
        .arg("--index")
        .arg(&index)
        .output()
        .expect("run paragraf index");
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let opened = paragraf_indexer::open(&index).expect("open the index");
    assert_eq!((opened.info.items, opened.info.meetings), (6, 4));
    let searcher = opened.index.reader().expect("reader").searcher();
    let ids = |case_number: &str| -> Vec<String> {
        let term = tantivy::Term::from_field_text(
            opened.fields.case_number,
            &paragraf_indexer::minutes::protokoll::normalize_case_number(case_number),
        );
        let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
        let top = searcher
            .search(
                &query,
                &tantivy::collector::TopDocs::with_limit(10).order_by_score(),
            )
            .expect("search");
        top.into_iter()
            .map(|(_, address)| {
                let doc: tantivy::TantivyDocument = searcher.doc(address).expect("doc");
                let json = doc
                    .get_first(opened.fields.item_json)
                    .and_then(|v| tantivy::schema::Value::as_str(&v))
                    .unwrap_or_default()
                    .to_string();
                let item: Value = serde_json::from_str(&json).expect("item JSON");
                item["id"].as_str().unwrap_or_default().to_string()
            })
            .collect()
    };
    assert_eq!(ids("ks 2015/12"), vec!["are-ks.02"]);
    assert_eq!(ids("2015/77"), vec!["are-ks.01"]);
    assert_eq!(ids("Dnr BUN 2024/3"), vec!["utkast.01"]);
    assert_eq!(ids("KS 2015/1"), Vec::<String>::new());
}

#[test]
fn index_data_has_an_example_of_each_format() {
    let formats = index_data().join("formats");
    let (items, stderr, code) = parse_items([&formats]);
    assert_eq!(code, 0, "stderr:\n{stderr}");

    assert_eq!(
        summary(&items, "rutn-2023-03-09"),
        vec![
            (None, None, None, strings(&["Pernilla Larsson"]), vec![]),
            (
                s("§ 12"),
                s("Val av justerare och tid för justering"),
                None,
                vec![],
                vec![]
            ),
            (None, None, None, strings(&["Anders Nyberg"]), vec![]),
            (
                None,
                s("Stöd till kollektivtrafik"),
                None,
                strings(&["Maria Ek"]),
                strings(&["Nämnden beslutar att förlänga stödet till och med december 2024."]),
            ),
        ]
    );

    assert_eq!(
        summary(&items, "krokom-ks-2013-05-15"),
        vec![
            (
                s("§ 84"),
                s("Informationer"),
                s("KS 2013/123"),
                strings(&["Ola Skyllbäck"]),
                strings(&["Kommunstyrelsen beslutar att lägga informationen till handlingarna."]),
            ),
            (
                s("§ 85"),
                s("Rambudget 2014 med plan för 2015-2016"),
                s("KS 2013/87"),
                // They propose ("yrkar"): in a formal protokoll not presenters (issue 15).
                vec![],
                strings(&["Kommunstyrelsen beslutar att föreslå kommunfullmäktige att anta rambudget 2014 med plan för 2015-2016."]),
            ),
            (
                s("§ 86"),
                s("Bemyndigande att besluta om försäljning av brandstationer"),
                s("KS 2013/140"),
                vec![],
                strings(&["Kommunstyrelsen beslutar att ge kommunchefen rätt att sälja brandstationerna i Föllinge och Hotagen."]),
            ),
        ]
    );
    let ks = items
        .iter()
        .find(|i| i["id"] == "krokom-ks-2013-05-15.01")
        .expect("PDF item");
    assert_eq!(
        ks["meeting"]["attendees"],
        json!([
            {"name": "Maria Söderberg", "party": "C", "role": "ordf"},
            {"name": "Lisa Sallin", "party": "M", "role": "1:e vice ordf"},
            {"name": "Rolf Lilja", "party": "S", "role": "2:e vice ordf"},
            {"name": "Leif Olsson", "party": "C", "role": "tjg ers"},
            {"name": "Cristine Persson", "party": "C", "role": "tjg ers"},
            {"name": "Kjell Sundholm", "party": "KD", "role": null},
            {"name": "Maria Jacobsson", "party": "S", "role": null},
            {"name": "Jörgen Blom", "party": "V", "role": null},
        ])
    );
    assert_eq!(
        ks["meeting"]["justerare"],
        json!(["Cristine Persson", "Jörgen Blom"])
    );
    assert_eq!(
        ks["speakers"],
        json!([{"name": "Ola Skyllbäck", "party": null, "role": "kommunchef"}])
    );
    assert!(
        ks["text"]
            .as_str()
            .is_some_and(|t| t.contains("sjukfrånvaron") && !t.contains("Utdragsbestyrkande")),
        "{}",
        ks["text"]
    );

    assert_eq!(
        summary(&items, "krokom-sn-2023-09-20-utkast"),
        vec![
            (
                s("§ 41"),
                s("Ny organisation för hemtjänsten"),
                s("SN 2023/112"),
                strings(&["Eva Holm"]),
                strings(&["Socialnämnden beslutar att hemtjänsten från den 1 januari 2024 delas in i tre områden."]),
            ),
            (
                s("§ 42"),
                s("Riktlinjer för försörjningsstöd"),
                s("SN 2023/98"),
                // "Erik Nilsson (C) yrkar": a proposer, not a presenter (issue 15).
                vec![],
                strings(&["Socialnämnden beslutar att återremittera ärendet till förvaltningen."]),
            ),
        ]
    );
}

#[test]
fn index_data_binaries_are_what_their_generator_writes() {
    // The generator is an example of the indexer crate; this only checks the files are there
    // and of the format their names say, so a stale or hand-edited binary shows in review.
    for (name, format) in [
        (
            "krokom-ks-2013-05-15.pdf",
            paragraf_indexer::format::Format::Pdf,
        ),
        (
            "krokom-sn-2023-09-20-utkast.docx",
            paragraf_indexer::format::Format::Docx,
        ),
        (
            "rutn-2023-03-09.html",
            paragraf_indexer::format::Format::Html,
        ),
    ] {
        let bytes = fs::read(index_data().join("formats").join(name)).expect("example file");
        assert_eq!(paragraf_indexer::format::detect(&bytes), format, "{name}");
        assert!(bytes.len() < 20_000, "{name} is {} bytes", bytes.len());
    }
    assert!(Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/indexer/examples/write_format_samples.rs")
        .is_file());
}
