//! Writes the PDF and DOCX examples of `index-data/formats/` from the text below, so the
//! binaries in the repository can be made again and checked (`git diff` shows no change when
//! they are up to date).
//!
//! ```sh
//! cargo run -p paragraf-indexer --example write_format_samples
//! ```
//!
//! The PDF is a Krokom kommunstyrelsen protokoll in the shape that meeting systems publish and
//! `shared/corpus/municipal-minutes-excerpts/` shows after extraction: a running header with
//! the page number "1(3)", a front page whose columns run together on long lines ("Beslutande
//! Ledamöter Maria Söderberg, C, ordf …"), "Ks § 84 Dnr KS 2013/123" item headings, labels
//! such as "Beslut" and "Yrkanden", a hyphenated line break and the footer "Justerandes sign".
//! The DOCX is a draft protokoll of the same municipality's socialnämnd with Word headings,
//! bullet lists and a table. The names of the PDF's members are those of the public excerpt;
//! the items are written for the example.

use std::path::Path;

use paragraf_indexer::format::sample;
use paragraf_indexer::format::Block;

const HEADER: &str = "KROKOMS KOMMUN SAMMANTRÄDESPROTOKOLL";
const FOOTER: &str = "Justerandes sign Utdragsbestyrkande";

fn pdf_pages() -> Vec<String> {
    let page = |n: usize, body: &str| {
        format!(
            "{HEADER} {n}(3)\nKommunstyrelsen Sammanträdesdatum 2013-05-15\n\n{body}\n\n{FOOTER}"
        )
    };
    vec![
        page(1, "Plats och tid Almdalen, Apotekshuset, onsdagen den 15 maj 2013, kl 08.30-15.00 Beslutande Ledamöter Maria Söderberg, C, ordf Lisa Sallin, M, 1:e vice ordf Rolf Lilja, S, 2:e vice ordf Leif Olsson, C, tjg ers för Ulf Jonasson, C Cristine Persson, C, tjg ers för Mikaela Munck af Rosenschöld, C Kjell Sundholm, KD Maria Jacobsson, S Jörgen Blom, V Övriga närvarande Ola Skyllbäck, kommunchef Anette Lihuvudh, kommunsekreterare Justerare Cristine Persson och Jörgen Blom Justeringens plats och tid Kommunhuset, Krokom, kansliavdelningen, den 16 maj 2013 Paragrafer 84-86"),
        page(2, "Ks § 84 Dnr KS 2013/123\nInformationer\nOla Skyllbäck, kommunchef, informerar om sjukfrån-\nvaron i förvaltningen och om arbetet med den nya översiktsplanen.\nBeslut\nKommunstyrelsen beslutar att lägga informationen till handlingarna.\n\nKs § 85 Dnr KS 2013/87\nRambudget 2014 med plan för 2015-2016\nÄrendebeskrivning\nEkonomichefen har tagit fram ett förslag till rambudget för 2014. Förslaget bygger på oförändrad skattesats och en befolkning på 14 600 invånare.\nFörslag till beslut\nKommunstyrelsen beslutar att föreslå kommunfullmäktige att anta förslaget.\nYrkanden\nRolf Lilja (S) yrkar att ramen för barn och utbildning ökas med 2 miljoner kronor.\nMaria Söderberg (C) yrkar bifall till förslaget."),
        page(3, "Propositionsordning\nOrdföranden ställer förslagen mot varandra och finner att kommunstyrelsen bifaller det egna förslaget.\nBeslut\nKommunstyrelsen beslutar att föreslå kommunfullmäktige att anta rambudget 2014 med plan för 2015-2016.\nReservation\nRolf Lilja (S) reserverar sig mot beslutet.\nExpedieras till\nKommunfullmäktige\n\nKs § 86 Dnr KS 2013/140\nBemyndigande att besluta om försäljning av brandstationer\nBeslut\nKommunstyrelsen beslutar att ge kommunchefen rätt att sälja brandstationerna i Föllinge och Hotagen."),
    ]
}

fn docx_blocks() -> Vec<Block> {
    let h = |level: u8, text: &str| Block::Heading {
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
    vec![
        h(1, "Socialnämnden"),
        p("UTKAST TILL PROTOKOLL"),
        p("Sammanträdesdatum 2023-09-20"),
        p("Beslutande Ledamöter Anna Persson, S, ordf Erik Nilsson, C, vice ordf Karin Berg, M Johan Ek, V, tjg ers för Sara Lind, V"),
        p("Justerare Karin Berg"),
        h(2, "§ 41 Dnr SN 2023/112"),
        h(3, "Ny organisation för hemtjänsten"),
        p("Socialchef Eva Holm föredrar ärendet. Förvaltningen föreslår att hemtjänsten delas in i tre områden:"),
        li("Krokom och Nälden"),
        li("Föllinge och Hotagen"),
        li("Ås och Trångsviken"),
        h(3, "Beslut"),
        p("Socialnämnden beslutar att hemtjänsten från den 1 januari 2024 delas in i tre områden."),
        h(2, "§ 42 Dnr SN 2023/98"),
        h(3, "Riktlinjer för försörjningsstöd"),
        p("Erik Nilsson (C) yrkar att riktlinjerna återremitteras."),
        h(3, "Beslut"),
        p("Socialnämnden beslutar att återremittera ärendet till förvaltningen."),
    ]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../index-data/formats");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let pages = pdf_pages();
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    let files = [
        ("krokom-ks-2013-05-15.pdf", sample::pdf(&pages)?),
        (
            "krokom-sn-2023-09-20-utkast.docx",
            sample::docx(&docx_blocks())?,
        ),
    ];
    for (name, bytes) in files {
        let path = dir.join(name);
        std::fs::write(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("wrote {} ({} bytes)", path.display(), bytes.len());
    }
    Ok(())
}
