//! Search over `index-data/` end to end: keywords, inflection, diacritic-free spelling,
//! ranking, filters, facets, the query language, snippets and paging.
//!
//! Every expectation comes from reading the texts (which items say "munskydd", who presents
//! which item, which municipality an item is about), not from the engine's output: when they
//! disagree, the engine is what needs fixing. `svom-2022-hosten` is dated "2022" (year
//! precision) and so counts as 2022-01-01 for ranges and the date order.

use std::collections::BTreeSet;

use paragraf_query::{FacetCount, MatchMode, SearchRequest, Sort};

use crate::util::index::{engine, hit_ids, ids_of, search};
use crate::util::{copy_dir, index_data, without_marks};

/// Ids of the hits in any order, for results whose order carries no meaning.
fn id_set(pairs: &[(&str, &str)]) -> BTreeSet<String> {
    hit_ids(pairs).into_iter().collect()
}

/// A set of item ids.
fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

/// The ids of items 1..=n of a meeting, in agenda order.
fn items(meeting: &str, n: u32) -> Vec<String> {
    (1..=n).map(|i| format!("{meeting}.{i:02}")).collect()
}

/// Facet values and counts, in the order given.
fn counts(facet: &[FacetCount]) -> Vec<(String, u64)> {
    facet.iter().map(|f| (f.value.clone(), f.count)).collect()
}

/// Expected facet values and counts.
fn expect(pairs: &[(&str, u64)]) -> Vec<(String, u64)> {
    pairs.iter().map(|(v, c)| (v.to_string(), *c)).collect()
}

/// Every meeting with its number of items, newest first (year-only dates count as 1 January).
const MEETINGS_NEWEST_FIRST: &[(&str, u32)] = &[
    ("svom-2024-06-03-utdrag", 7),
    ("samverkansradet-2023-12-11-utdrag", 8),
    ("svom-2023-12-08-utdrag", 7),
    ("krokom-sn-2023-09-20-utkast", 2),
    ("rutn-2023-03-09", 4),
    ("samverkansradet-2023-02-06-utdrag", 9),
    ("svom-2022-12-02-utdrag", 8),
    ("hsn-2022-09-22-utdrag", 3),
    ("svom-2022-06-03-utdrag", 8),
    ("samverkansradet-2022-05-30-utdrag", 5),
    ("svom-2022-02-25-utdrag", 7),
    ("hsn-2022-01-20-utdrag", 3),
    ("svom-2022-hosten", 13),
    ("svom-2021-12-03-utdrag", 7),
    ("hsn-2021-10-27-utdrag", 3),
    ("svom-2021-10-08-utdrag", 5),
    ("svom-2021-02-26-utdrag", 5),
    ("svom-2020-12-04", 16),
    ("svom-2020-11-06-utdrag", 6),
    ("svom-2020-10-09-utdrag", 7),
    ("krokom-ks-2013-05-15", 3),
];

/// Items that say "munskydd": the chair's request to add it to the agenda, the municipalities'
/// round (Härjedalen and Krokom), and the "övriga frågor" item on the Wednesday meetings.
const MUNSKYDD: &[&str] = &[
    "svom-2020-12-04.02",
    "svom-2020-12-04.12",
    "svom-2020-12-04.15",
];

/// Items that name Östersund ("Östersund", "Östersunds kommun"; the regional development
/// board's bus line "mellan Strömsund och Östersund").
const OSTERSUND: &[&str] = &[
    "hsn-2022-01-20-utdrag.03",
    "rutn-2023-03-09.04",
    "samverkansradet-2023-12-11-utdrag.08",
    "svom-2020-12-04.12",
    "svom-2022-hosten.12",
    "svom-2024-06-03-utdrag.06",
];

/// Items where Ingela Jönsson presents or informs.
const INGELA_JONSSON_NEWEST_FIRST: &[&str] = &[
    "svom-2020-12-04.05",
    "svom-2020-12-04.06",
    "svom-2020-12-04.07",
    "svom-2020-12-04.09",
    "svom-2020-11-06-utdrag.05",
    "svom-2020-11-06-utdrag.06",
    "svom-2020-10-09-utdrag.07",
];

/// Items with "God och nära vård" in the text.
const GOD_OCH_NARA_VARD: &[&str] = &[
    "svom-2020-12-04.06",
    "svom-2021-10-08-utdrag.05",
    "svom-2021-12-03-utdrag.05",
    "svom-2022-02-25-utdrag.07",
    "svom-2022-06-03-utdrag.05",
    "svom-2022-06-03-utdrag.06",
];

/// Municipality counts over all items: Östersund 6 (with the regional development board's
/// bus line), Ragunda 4 (the 2020-11-06 glesbygd pilots, the 2020-12-04 round, the 2022-02-25
/// model area, the Mini-Maria decision), Krokom 4 (with the socialnämnd draft's home-care area
/// "Krokom och Nälden"), Bräcke 3, Strömsund 3 (with the bus line), Åre 3 (with "besöksnäringen
/// i Åre och Berg"), Berg 1 (the same item), Härjedalen 1 (its own report on 2020-12-04;
/// "Jämtland Härjedalen" is the region). The Krokom kommunstyrelse protokoll of 2013 names no
/// municipality in its items (Föllinge and Hotagen are villages). Ties by code.
/// The municipality facet over all items: what the items name, and for Krokom also the three
/// items of its own kommunstyrelse (`Meeting::municipality`, issue 15).
const ALL_MUNICIPALITIES: &[(&str, u64)] = &[
    ("2309", 7),
    ("2380", 6),
    ("2303", 4),
    ("2305", 3),
    ("2313", 3),
    ("2321", 3),
    ("2326", 1),
    ("2361", 1),
];

// Keywords.

#[test]
fn munskydd_finds_the_items_that_mention_it() {
    let res = search(&[("q", "munskydd")]);
    assert_eq!(res.total, 3);
    assert_eq!(res.mode, MatchMode::All);
    assert_eq!(res.sort, Sort::Relevance);
    assert_eq!(id_set(&[("q", "munskydd")]), set(MUNSKYDD));
    // Capitals do not matter.
    assert_eq!(id_set(&[("q", "MUNSKYDD")]), set(MUNSKYDD));
}

#[test]
fn storsjoglantan_is_discussed_in_one_item() {
    // Only the 2020-12-04 information item (Socsam's decision, MINT patients) names it; no
    // other meeting of the archive does.
    assert_eq!(hit_ids(&[("q", "Storsjögläntan")]), ["svom-2020-12-04.14"]);
    assert_eq!(
        hit_ids(&[("q", "storsjögläntan"), ("sort", "date")]),
        ["svom-2020-12-04.14"]
    );
}

#[test]
fn brottsofferjouren_and_losus_find_their_items() {
    assert_eq!(
        hit_ids(&[("q", "Brottsofferjouren")]),
        ["svom-2020-12-04.13"]
    );
    // "LOSUS-avtalet" is two words.
    assert_eq!(hit_ids(&[("q", "LOSUS")]), ["svom-2020-12-04.07"]);
    assert_eq!(hit_ids(&[("q", "losus")]), ["svom-2020-12-04.07"]);
}

#[test]
fn hits_carry_their_meeting_and_municipalities() {
    let res = search(&[("q", "psykiatrin")]);
    let hit = &res.hits[0];
    assert_eq!(hit.id, "svom-2022-hosten.12");
    assert_eq!(hit.meeting.id, "svom-2022-hosten");
    assert_eq!(hit.meeting.body.as_deref(), Some("SVOM"));
    assert_eq!(hit.meeting.date.as_deref(), Some("2022"));
    assert_eq!(
        hit.title.as_deref(),
        Some("Politisk referensgrupp för SVOM")
    );
    let municipalities: Vec<(&str, &str, &str)> = hit
        .municipalities
        .iter()
        .map(|m| (m.name.as_str(), m.code.as_str(), m.county.as_str()))
        .collect();
    assert_eq!(municipalities, [("Östersund", "2380", "Jämtlands län")]);
    assert!(hit.score.is_some_and(|s| s > 0.0));
}

// Inflection.

#[test]
fn inflected_forms_find_the_same_items() {
    for (a, b, expected) in [
        ("psykiatrin", "psykiatri", &["svom-2022-hosten.12"]),
        ("besöksförbud", "besöksförbudet", &["svom-2020-12-04.12"]),
        (
            "Brottsofferjouren",
            "brottsofferjour",
            &["svom-2020-12-04.13"],
        ),
    ] {
        assert_eq!(hit_ids(&[("q", a)]), expected, "{a}");
        assert_eq!(hit_ids(&[("q", b)]), expected, "{b}");
    }
}

#[test]
fn utskrivningsklar_meets_utskrivningsklara() {
    // docs/domain.md § 6 names this pair; "utskrivningsklara" is in three items and the base form
    // "utskrivningsklar" in one of them (svom-2022-hosten.08).
    let expected = set(&[
        "svom-2022-hosten.08",
        "svom-2022-hosten.09",
        "svom-2024-06-03-utdrag.06",
    ]);
    assert_eq!(id_set(&[("q", "utskrivningsklara")]), expected);
    assert_eq!(id_set(&[("q", "utskrivningsklar")]), expected);
}

// Diacritic-free spelling.

#[test]
fn spelling_without_diacritics_finds_the_swedish_spelling() {
    assert_eq!(id_set(&[("q", "ostersund")]), set(OSTERSUND));
    assert_eq!(id_set(&[("q", "Östersund")]), set(OSTERSUND));
    assert_eq!(hit_ids(&[("q", "besoksforbud")]), ["svom-2020-12-04.12"]);
    assert_eq!(hit_ids(&[("q", "storsjoglantan")]), ["svom-2020-12-04.14"]);
}

#[test]
fn exact_spelling_ranks_above_a_folded_match() {
    // "Karin Jonsson" is named in one item, "Ingela Jönsson" in seven.
    let jonsson = hit_ids(&[("q", "Jonsson")]);
    let jonsson_exact = "samverkansradet-2023-02-06-utdrag.08";
    assert_eq!(jonsson.len(), 8, "{jonsson:?}");
    assert_eq!(jonsson[0], jonsson_exact, "{jonsson:?}");
    assert_eq!(
        jonsson[1..].iter().cloned().collect::<BTreeSet<_>>(),
        set(INGELA_JONSSON_NEWEST_FIRST)
    );

    let joensson = hit_ids(&[("q", "Jönsson")]);
    assert_eq!(joensson.len(), 8, "{joensson:?}");
    assert_eq!(joensson[7], jonsson_exact, "{joensson:?}");
    assert_eq!(
        joensson[..7].iter().cloned().collect::<BTreeSet<_>>(),
        set(INGELA_JONSSON_NEWEST_FIRST)
    );
}

// Typos.

#[test]
fn typos_find_the_word_meant_but_never_change_the_first_letter() {
    // One typo in a word of five to eight letters, two in a longer one; a swap counts one.
    assert_eq!(id_set(&[("q", "munskyd")]), set(MUNSKYDD));
    assert_eq!(id_set(&[("q", "munksydd")]), set(MUNSKYDD));
    assert_eq!(
        id_set(&[("q", "storsjöglänten")]),
        id_set(&[("q", "storsjögläntan")])
    );
    assert_eq!(
        id_set(&[("q", "stosjöglänten")]),
        id_set(&[("q", "storsjögläntan")])
    );
    // Not three, and not in the first letter: "nunskydd" is another word.
    assert_eq!(id_set(&[("q", "stosjögläten")]), set(&[]));
    let res = search(&[("q", "nunskydd")]);
    assert_eq!((res.total, res.did_you_mean), (0, None));
    // Four letters or fewer: no typos ("vård" is no typo of "vårt").
    assert_eq!(id_set(&[("q", "vårx")]), set(&[]));
}

// Ranking.

#[test]
fn title_match_ranks_above_text_matches() {
    // "Utskrivningsklara" is the heading of svom-2022-hosten.08 and a word in two other texts.
    let hits = hit_ids(&[("q", "utskrivningsklara")]);
    assert_eq!(hits.len(), 3, "{hits:?}");
    assert_eq!(hits[0], "svom-2022-hosten.08", "{hits:?}");

    // "Politisk referensgrupp för SVOM" heads svom-2022-hosten.12; two texts mention one.
    let hits = hit_ids(&[("q", "referensgrupp")]);
    assert_eq!(
        hits.iter().cloned().collect::<BTreeSet<_>>(),
        set(&[
            "svom-2022-hosten.12",
            "svom-2022-hosten.07",
            "svom-2022-12-02-utdrag.05"
        ])
    );
    assert_eq!(hits[0], "svom-2022-hosten.12", "{hits:?}");
}

#[test]
fn decision_match_ranks_above_text_matches() {
    // Socsam recommends to "avslå ansökan" (decision); 2020-12-04.05 mentions "en ansökan".
    assert_eq!(
        hit_ids(&[("q", "ansökan")]),
        ["svom-2020-12-04.13", "svom-2020-12-04.05"]
    );
    // "ett corona-möte på onsdag" is decided in .15; the opening only adds the point.
    assert_eq!(
        hit_ids(&[("q", "onsdag")]),
        ["svom-2020-12-04.15", "svom-2020-12-04.02"]
    );
}

#[test]
fn quoted_decisions_rank_above_mentions() {
    // Socsam's decisions are quoted in .13 ("På Socsam 4 dec beslutades") and .14 ("Socsam
    // beslutade den 4 dec"); three other items only mention SocSam.
    let hits = hit_ids(&[("q", "socsam")]);
    assert_eq!(hits.len(), 5, "{hits:?}");
    assert_eq!(
        hits[..2].iter().cloned().collect::<BTreeSet<_>>(),
        set(&["svom-2020-12-04.13", "svom-2020-12-04.14"]),
        "{hits:?}"
    );
    assert_eq!(
        hits[2..].iter().cloned().collect::<BTreeSet<_>>(),
        set(&[
            "samverkansradet-2023-12-11-utdrag.08",
            "svom-2022-hosten.05",
            "svom-2022-hosten.12"
        ]),
        "{hits:?}"
    );
}

// Filters.

#[test]
fn municipality_by_name_or_code() {
    // The socialnämnd draft of 2023-09-20 ("Krokom och Nälden") first, then 2020-12-04, then
    // the three items of Krokom's own kommunstyrelse of 2013-05-15, which name no municipality
    // (the body's own municipality counts, issue 15).
    let krokom = [
        "krokom-sn-2023-09-20-utkast.01",
        "svom-2020-12-04.05",
        "svom-2020-12-04.12",
        "svom-2020-12-04.15",
        "krokom-ks-2013-05-15.01",
        "krokom-ks-2013-05-15.02",
        "krokom-ks-2013-05-15.03",
    ];
    assert_eq!(hit_ids(&[("municipality", "Krokom")]), krokom);
    assert_eq!(hit_ids(&[("municipality", "2309")]), krokom);
    assert_eq!(hit_ids(&[("municipality", "krokom")]), krokom);
    // The hits say which is which: Krokom is the meeting's own municipality of the
    // kommunstyrelse's items, and one the SVOM items speak of.
    let res = search(&[("municipality", "Krokom")]);
    let own = |id: &str| {
        let hit = res.hits.iter().find(|h| h.id == id).expect("hit");
        (
            hit.meeting.municipality.as_ref().map(|m| m.name.as_str()),
            hit.municipalities
                .iter()
                .map(|m| m.name.as_str())
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(own("krokom-ks-2013-05-15.03"), (Some("Krokom"), vec![]));
    assert_eq!(own("svom-2020-12-04.15"), (None, vec!["Krokom"]));
    assert_eq!(
        hit_ids(&[("q", "munskydd"), ("municipality", "Krokom")])
            .into_iter()
            .collect::<BTreeSet<_>>(),
        set(&["svom-2020-12-04.12", "svom-2020-12-04.15"])
    );
}

#[test]
fn county_code_matches_every_municipality_of_the_county() {
    let res = search(&[("municipality", "23"), ("limit", "20")]);
    // Thirteen items name a municipality of the county; three more are Krokom's own (issue 15).
    assert_eq!(res.total, 16);
    let ids: Vec<&str> = res.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "svom-2024-06-03-utdrag.06",
            "samverkansradet-2023-12-11-utdrag.08",
            "krokom-sn-2023-09-20-utkast.01",
            "rutn-2023-03-09.03",
            "rutn-2023-03-09.04",
            "svom-2022-02-25-utdrag.07",
            "hsn-2022-01-20-utdrag.03",
            "svom-2022-hosten.05",
            "svom-2022-hosten.12",
            "svom-2020-12-04.05",
            "svom-2020-12-04.12",
            "svom-2020-12-04.15",
            "svom-2020-11-06-utdrag.05",
            "krokom-ks-2013-05-15.01",
            "krokom-ks-2013-05-15.02",
            "krokom-ks-2013-05-15.03",
        ]
    );
    // The union of the county's municipalities, one by one.
    let mut union = BTreeSet::new();
    for name in [
        "Berg",
        "Bräcke",
        "Härjedalen",
        "Krokom",
        "Ragunda",
        "Strömsund",
        "Åre",
        "Östersund",
    ] {
        union.extend(hit_ids(&[("municipality", name), ("limit", "20")]));
    }
    assert_eq!(
        union,
        ids.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>()
    );
    // "besöksnäringen i Åre och Berg" is the only item naming Berg.
    assert_eq!(hit_ids(&[("municipality", "Berg")]), ["rutn-2023-03-09.03"]);
}

#[test]
fn repeated_municipalities_are_or() {
    assert_eq!(
        hit_ids(&[("municipality", "Krokom"), ("municipality", "Strömsund")]),
        [
            "krokom-sn-2023-09-20-utkast.01",
            "rutn-2023-03-09.04",
            "svom-2022-hosten.05",
            "svom-2020-12-04.05",
            "svom-2020-12-04.12",
            "svom-2020-12-04.15",
            "krokom-ks-2013-05-15.01",
            "krokom-ks-2013-05-15.02",
            "krokom-ks-2013-05-15.03",
        ]
    );
    assert_eq!(
        hit_ids(&[("municipality", "2313"), ("municipality", "2361")]),
        [
            "rutn-2023-03-09.04",
            "svom-2022-hosten.05",
            "svom-2020-12-04.12"
        ]
    );
}

#[test]
fn speaker_filter_lists_exactly_their_items_in_any_case() {
    for name in ["Ingela Jönsson", "ingela jönsson", " INGELA JÖNSSON "] {
        let res = search(&[("speaker", name)]);
        assert_eq!(res.total, 7, "{name:?}");
        let ids: Vec<&str> = res.hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, INGELA_JONSSON_NEWEST_FIRST, "{name:?}");
    }
    assert_eq!(
        hit_ids(&[("speaker", "Ingela Jönsson"), ("q", "LOSUS")]),
        ["svom-2020-12-04.07"]
    );
}

#[test]
fn body_filter() {
    let mut hsn = items("hsn-2022-09-22-utdrag", 3);
    hsn.extend(items("hsn-2022-01-20-utdrag", 3));
    hsn.extend(items("hsn-2021-10-27-utdrag", 3));
    assert_eq!(hit_ids(&[("body", "Hälso- och sjukvårdsnämnden")]), hsn);
    assert_eq!(search(&[("body", "svom")]).total, 96);
    assert_eq!(search(&[("body", "Regionens samverkansråd")]).total, 22);
    assert_eq!(
        search(&[("body", "SVOM"), ("body", "Regionens samverkansråd")]).total,
        118
    );
}

#[test]
fn date_ranges_include_both_ends() {
    let year_2022: Vec<String> = MEETINGS_NEWEST_FIRST
        .iter()
        .filter(|(id, _)| id.contains("-2022-"))
        .flat_map(|(id, n)| items(id, *n))
        .collect();
    assert_eq!(year_2022.len(), 47);
    for (from, to) in [("2022-01-01", "2022-12-31"), ("2022", "2022")] {
        let res = search(&[("from", from), ("to", to), ("limit", "100")]);
        assert_eq!(res.total, 47, "{from}..{to}");
        let ids: Vec<String> = res.hits.into_iter().map(|h| h.id).collect();
        assert_eq!(ids, year_2022, "{from}..{to}");
    }
    // A month, and open-ended ranges.
    assert_eq!(
        hit_ids(&[("from", "2022-06"), ("to", "2022-06")]),
        items("svom-2022-06-03-utdrag", 8)
    );
    // Up to 2020 includes the 2013 Krokom kommunstyrelse protokoll (3 items).
    assert_eq!(search(&[("to", "2020")]).total, 32);
    assert_eq!(search(&[("to", "2021-12-31")]).total, 52);
    assert_eq!(search(&[("from", "2023-12")]).total, 22);
    // Single days at both ends of a meeting's date.
    assert_eq!(
        hit_ids(&[
            ("from", "2020-12-04"),
            ("to", "2020-12-04"),
            ("limit", "20")
        ]),
        items("svom-2020-12-04", 16)
    );
    assert_eq!(
        id_set(&[("q", "munskydd"), ("from", "2020-12-05")]),
        BTreeSet::new()
    );
}

#[test]
fn different_filters_are_and() {
    assert_eq!(
        hit_ids(&[("speaker", "Ingela Jönsson"), ("municipality", "Krokom")]),
        ["svom-2020-12-04.05"]
    );
    assert_eq!(
        hit_ids(&[
            ("municipality", "Östersund"),
            ("from", "2022"),
            ("to", "2022")
        ]),
        ["hsn-2022-01-20-utdrag.03", "svom-2022-hosten.12"]
    );
    assert_eq!(
        hit_ids(&[
            ("municipality", "Östersund"),
            ("from", "2022"),
            ("to", "2022"),
            ("body", "SVOM"),
        ]),
        ["svom-2022-hosten.12"]
    );
}

#[test]
fn empty_query_lists_every_item_newest_first() {
    let all: Vec<String> = MEETINGS_NEWEST_FIRST
        .iter()
        .flat_map(|(id, n)| items(id, *n))
        .collect();
    assert_eq!(all.len(), 136);
    let first = search(&[("q", ""), ("limit", "100")]);
    let rest = search(&[("q", ""), ("limit", "100"), ("offset", "100")]);
    assert_eq!((first.total, rest.total), (136, 136));
    assert_eq!(first.mode, MatchMode::None);
    assert_eq!(first.sort, Sort::Date);
    assert!(first.hits.iter().all(|h| h.score.is_none()));
    let ids: Vec<String> = first
        .hits
        .into_iter()
        .chain(rest.hits)
        .map(|h| h.id)
        .collect();
    assert_eq!(ids, all);

    // With a filter, and even when relevance is asked for: there is no relevance to sort by.
    let res = search(&[("municipality", "Krokom"), ("sort", "relevance")]);
    assert_eq!(res.mode, MatchMode::None);
    assert_eq!(res.sort, Sort::Date);
}

// Facets.

#[test]
fn facets_count_the_hits() {
    let res = search(&[("q", "munskydd")]);
    // Krokom in .12 and .15; the other six municipalities reported in .12.
    assert_eq!(
        counts(&res.facets.municipality),
        expect(&[
            ("2309", 2),
            ("2303", 1),
            ("2305", 1),
            ("2313", 1),
            ("2321", 1),
            ("2361", 1),
            ("2380", 1),
        ])
    );
    let names: Vec<Option<&str>> = res
        .facets
        .municipality
        .iter()
        .map(|f| f.name.as_deref())
        .collect();
    assert_eq!(
        names,
        [
            Some("Krokom"),
            Some("Ragunda"),
            Some("Bräcke"),
            Some("Strömsund"),
            Some("Åre"),
            Some("Härjedalen"),
            Some("Östersund"),
        ]
    );
    assert_eq!(counts(&res.facets.year), expect(&[("2020", 3)]));
    assert_eq!(counts(&res.facets.body), expect(&[("SVOM", 3)]));

    let all = search(&[("q", "")]);
    assert_eq!(counts(&all.facets.municipality), expect(ALL_MUNICIPALITIES));
    assert_eq!(
        counts(&all.facets.year),
        expect(&[
            ("2024", 7),
            ("2023", 30),
            ("2022", 47),
            ("2021", 20),
            ("2020", 29),
            ("2013", 3),
        ])
    );
    assert_eq!(
        counts(&all.facets.body),
        expect(&[
            ("SVOM", 96),
            ("Regionens samverkansråd", 22),
            ("Hälso- och sjukvårdsnämnden", 9),
            ("Regionala utvecklingsnämnden", 4),
            ("Kommunstyrelsen", 3),
            ("Socialnämnden", 2),
        ])
    );
}

#[test]
fn facet_ignores_its_own_filter_but_not_the_others() {
    // Filtering on Krokom still shows every municipality with its count under the text query
    // alone, while the other facets count only Krokom's seven items (three SVOM items of
    // 2020-12-04, the socialnämnd draft of 2023-09-20 and the three items of Krokom's own
    // kommunstyrelse of 2013-05-15, issue 15).
    let res = search(&[("q", ""), ("municipality", "Krokom")]);
    assert_eq!(res.total, 7);
    assert_eq!(counts(&res.facets.municipality), expect(ALL_MUNICIPALITIES));
    assert_eq!(
        counts(&res.facets.year),
        expect(&[("2023", 1), ("2020", 3), ("2013", 3)])
    );
    assert_eq!(
        counts(&res.facets.body),
        expect(&[("Kommunstyrelsen", 3), ("SVOM", 3), ("Socialnämnden", 1)])
    );

    // With a text query too.
    let res = search(&[("q", "munskydd"), ("municipality", "Krokom")]);
    assert_eq!(res.total, 2);
    assert_eq!(
        counts(&res.facets.municipality),
        counts(&search(&[("q", "munskydd")]).facets.municipality)
    );

    // After 2020 Krokom is named only in the socialnämnd draft of 2023-09-20. Municipalities
    // from 2021 on: Östersund 5, Ragunda 2, Strömsund 2, Bräcke 1, Krokom 1, Åre 1, Berg 1;
    // years of Krokom's items: 2023, 2020 and 2013.
    let res = search(&[("municipality", "Krokom"), ("from", "2021-01-01")]);
    assert_eq!(res.total, 1);
    assert_eq!(
        counts(&res.facets.municipality),
        expect(&[
            ("2380", 5),
            ("2303", 2),
            ("2313", 2),
            ("2305", 1),
            ("2309", 1),
            ("2321", 1),
            ("2326", 1),
        ])
    );
    assert_eq!(
        counts(&res.facets.year),
        expect(&[("2023", 1), ("2020", 3), ("2013", 3)])
    );
    assert_eq!(counts(&res.facets.body), expect(&[("Socialnämnden", 1)]));

    // Krokom is never named after that draft: no hits, yet each facet shows what dropping its
    // own filter would give. Municipalities from 2023-10-01 on: Östersund 2 (2023-12-11 and
    // 2024-06-03).
    let res = search(&[("municipality", "Krokom"), ("from", "2023-10-01")]);
    assert_eq!(res.total, 0);
    assert_eq!(counts(&res.facets.municipality), expect(&[("2380", 2)]));
    assert_eq!(
        counts(&res.facets.year),
        expect(&[("2023", 1), ("2020", 3), ("2013", 3)])
    );
    assert_eq!(counts(&res.facets.body), Vec::new());

    // The speaker facet keeps Ingela Jönsson's full count while filtering on her, within
    // Krokom's items.
    let res = search(&[("speaker", "Ingela Jönsson"), ("municipality", "Krokom")]);
    let speakers = counts(&res.facets.speaker);
    for name in ["Ingela Jönsson", "Elin Ring", "Jan Persson"] {
        assert!(
            speakers.contains(&(name.to_string(), 1)),
            "{name} in {speakers:?}"
        );
    }
    let res = search(&[("speaker", "Ingela Jönsson")]);
    assert!(
        counts(&res.facets.speaker).contains(&("Ingela Jönsson".to_string(), 7)),
        "{:?}",
        res.facets.speaker
    );
}

// The query language.

#[test]
fn phrase_needs_the_words_together() {
    let phrase = search(&[("q", "\"god och nära vård\""), ("limit", "20")]);
    assert_eq!(phrase.total, 6);
    assert_eq!(
        id_set(&[("q", "\"god och nära vård\"")]),
        set(GOD_OCH_NARA_VARD)
    );
    // No item has the four words apart without the phrase.
    assert_eq!(
        id_set(&[("q", "god och nära vård")]),
        set(GOD_OCH_NARA_VARD)
    );
    // "SOU 2020:19 Nära vård" without "God och".
    let mut nara_vard = set(GOD_OCH_NARA_VARD);
    nara_vard.insert("svom-2020-11-06-utdrag.05".to_string());
    assert_eq!(id_set(&[("q", "\"nära vård\"")]), nara_vard);

    // "kommun och region" together, inflected: four items; the words apart: many more.
    let together = set(&[
        "samverkansradet-2023-12-11-utdrag.08",
        "svom-2020-12-04.06",
        "svom-2022-hosten.06",
        "svom-2023-12-08-utdrag.05",
    ]);
    assert_eq!(id_set(&[("q", "\"kommun och region\"")]), together);
    let apart = id_set(&[("q", "kommun och region"), ("limit", "100")]);
    assert!(apart.is_superset(&together), "{apart:?}");
    // "Enkäter har skickats ut till kommunerna … Region JH har nyligen blivit beviljad".
    assert!(apart.contains("svom-2020-12-04.05"), "{apart:?}");
}

#[test]
fn minus_excludes() {
    // .12 and .15 both name Krokom.
    assert_eq!(
        hit_ids(&[("q", "munskydd -krokom")]),
        ["svom-2020-12-04.02"]
    );
    assert_eq!(
        hit_ids(&[("q", "munskydd NOT Krokom")]),
        ["svom-2020-12-04.02"]
    );
    // Exclusion alone lists the rest.
    let res = search(&[("q", "-krokom")]);
    // .05, .12, .15 and the socialnämnd draft's "Krokom och Nälden" name Krokom.
    assert_eq!(res.total, 132);
    assert_eq!(res.mode, MatchMode::None);
}

#[test]
fn star_matches_a_prefix() {
    // "besök" (2020-12-04.05), "besöksrestriktioner", "besöksförbud", "besökare" (.12),
    // "besöken" (hsn 2022-09-22), "besöksnäringen" (rutn 2023-03-09).
    assert_eq!(
        id_set(&[("q", "besö*")]),
        set(&[
            "hsn-2022-09-22-utdrag.03",
            "rutn-2023-03-09.03",
            "svom-2020-12-04.05",
            "svom-2020-12-04.12",
        ])
    );
    // "munsk" also starts "Munskänkarna" (2020-12-04.08).
    let mut munsk = set(MUNSKYDD);
    munsk.insert("svom-2020-12-04.08".to_string());
    assert_eq!(id_set(&[("q", "munsk*")]), munsk);
}

#[test]
fn all_words_fall_back_to_any_word() {
    let res = search(&[("q", "munskydd zzzqqq")]);
    assert_eq!(res.mode, MatchMode::Any);
    assert_eq!(res.total, 3);
    assert_eq!(id_set(&[("q", "munskydd zzzqqq")]), set(MUNSKYDD));

    let res = search(&[("q", "munskydd OR Storsjögläntan")]);
    assert_eq!(res.mode, MatchMode::Any);
    let mut expected = set(MUNSKYDD);
    expected.insert("svom-2020-12-04.14".to_string());
    assert_eq!(id_set(&[("q", "munskydd OR Storsjögläntan")]), expected);

    // One word that is nowhere finds nothing; there is nothing to fall back to.
    let res = search(&[("q", "zzzqqq")]);
    assert_eq!((res.total, res.mode), (0, MatchMode::All));
}

#[test]
fn odd_queries_never_fail() {
    for q in [
        "AND", "OR", "NOT", "-", "*", "\"", "\"\"", "- -", "((", "**",
    ] {
        let req = SearchRequest::from_pairs([("q", q)])
            .unwrap_or_else(|e| panic!("{q:?} is a valid request: {e}"));
        let res = engine()
            .search(&req)
            .unwrap_or_else(|e| panic!("{q:?} searches: {e}"));
        assert_eq!(res.mode, MatchMode::None, "{q:?}");
        assert_eq!(res.total, 136, "{q:?}");
    }
    // An unbalanced quote runs to the end.
    assert_eq!(
        id_set(&[("q", "\"nära vård")]),
        id_set(&[("q", "\"nära vård\"")])
    );
    assert_eq!(id_set(&[("q", "munskydd \"")]), set(MUNSKYDD));
}

// Snippets.

#[test]
fn snippets_mark_the_words_as_written() {
    let res = search(&[("q", "munskydd")]);
    assert_eq!(res.hits.len(), 3);
    for hit in &res.hits {
        let written = match hit.id.as_str() {
            // Härjedalen's report: "Munskydd används på enheter …".
            "svom-2020-12-04.12" => "<mark>Munskydd</mark>",
            _ => "<mark>munskydd</mark>",
        };
        assert!(hit.snippet.contains(written), "{}: {}", hit.id, hit.snippet);
        let plain = without_marks(&hit.snippet);
        assert!(!plain.contains(['<', '>']), "{}: {}", hit.id, hit.snippet);
    }

    // A diacritic-free query marks the word as the text spells it.
    let res = search(&[("q", "ostersund")]);
    assert_eq!(res.hits.len(), 6);
    for hit in &res.hits {
        assert!(
            hit.snippet.contains("<mark>Östersund</mark>")
                || hit.snippet.contains("<mark>Östersunds</mark>"),
            "{}: {}",
            hit.id,
            hit.snippet
        );
        assert!(
            !without_marks(&hit.snippet).contains(['<', '>']),
            "{}",
            hit.snippet
        );
    }

    // The text around a quoted word ("En \"trailer\" förevisas") is escaped, not raw.
    let res = search(&[("q", "trailer")]);
    assert_eq!(res.hits.len(), 1);
    let snippet = &res.hits[0].snippet;
    assert!(snippet.contains("<mark>trailer</mark>"), "{snippet}");
    assert!(!without_marks(snippet).contains(['<', '>']), "{snippet}");
}

// Order and paging.

#[test]
fn sort_by_date_is_newest_meeting_then_agenda_order() {
    let res = search(&[("q", "munskydd"), ("sort", "date")]);
    assert_eq!(res.sort, Sort::Date);
    assert_eq!(res.mode, MatchMode::All);
    assert!(res.hits.iter().all(|h| h.score.is_none()));
    let ids: Vec<&str> = res.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, MUNSKYDD);

    assert_eq!(
        hit_ids(&[("q", "ostersund"), ("sort", "date")]),
        [
            "svom-2024-06-03-utdrag.06",
            "samverkansradet-2023-12-11-utdrag.08",
            "rutn-2023-03-09.04",
            "hsn-2022-01-20-utdrag.03",
            "svom-2022-hosten.12",
            "svom-2020-12-04.12",
        ]
    );
}

#[test]
fn limit_and_offset_page_through_the_hits() {
    for pairs in [
        vec![("q", "Jönsson")],
        vec![("q", "ostersund")],
        vec![("q", "god och nära vård")],
        vec![("body", "Hälso- och sjukvårdsnämnden")],
    ] {
        let all = hit_ids(&pairs);
        assert!(all.len() >= 4, "{pairs:?}: {all:?}");
        let mut page = pairs.clone();
        page.extend([("limit", "2"), ("offset", "2")]);
        let res = search(&page);
        assert_eq!(res.total as usize, all.len(), "{pairs:?}");
        assert_eq!((res.limit, res.offset), (2, 2));
        let ids: Vec<String> = res.hits.into_iter().map(|h| h.id).collect();
        assert_eq!(ids, all[2..4], "{pairs:?}");
    }
    assert_eq!(
        hit_ids(&[
            ("body", "Hälso- och sjukvårdsnämnden"),
            ("limit", "2"),
            ("offset", "2")
        ]),
        ["hsn-2022-09-22-utdrag.03", "hsn-2022-01-20-utdrag.01"]
    );
    // Past the end: no hits, the same total.
    let res = search(&[("q", "munskydd"), ("offset", "3")]);
    assert_eq!((res.total, res.hits.len()), (3, 0));
}

#[test]
fn a_search_over_several_segments_answers_as_over_one() {
    // index-data indexed in two steps, the excerpts added by an update: several segments,
    // searched in parallel, against the shared index of one segment.
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    copy_dir(&index_data(), &archive);
    let excerpts = dir.path().join("excerpts");
    std::fs::rename(archive.join("excerpts"), &excerpts).expect("move excerpts aside");
    let index = dir.path().join("index");
    let update = |expected_items: u64| {
        let roots = vec![archive.clone()];
        let plan = paragraf_indexer::archive::plan(&roots).expect("plan");
        let report = paragraf_indexer::index::update::update(&plan, &roots, &index, 2, &|_, _| {})
            .expect("update");
        assert_eq!(report.info.items, expected_items);
    };
    update(38);
    std::fs::rename(&excerpts, archive.join("excerpts")).expect("move excerpts back");
    update(136);
    let opened = paragraf_indexer::open(&index).expect("open");
    let segments = opened.index.searchable_segment_ids().expect("segments");
    assert!(segments.len() > 1, "{} segments", segments.len());
    let several = paragraf_query::Engine::from_index(opened).expect("engine");

    for pairs in [
        vec![("q", "munskydd")],
        vec![("q", "region"), ("limit", "20")],
        vec![("q", "välkommen"), ("limit", "20")],
        vec![("q", "\"god och nära vård\"")],
        vec![("q", "förbud"), ("municipality", "2309")],
        vec![("q", "munskyd")],
        vec![
            ("q", "kommun"),
            ("sort", "date"),
            ("limit", "7"),
            ("offset", "3"),
        ],
        vec![("speaker", "Ingela Jönsson")],
        vec![("limit", "20")],
    ] {
        let req = SearchRequest::from_pairs(pairs.iter().copied()).expect("valid request");
        let one = engine().search(&req).expect("search one segment");
        let many = several.search(&req).expect("search several segments");
        assert_eq!(many.total, one.total, "{pairs:?}");
        assert_eq!(many.hits, one.hits, "{pairs:?}");
        assert_eq!(many.facets, one.facets, "{pairs:?}");
        assert_eq!(
            (many.mode, &many.did_you_mean),
            (one.mode, &one.did_you_mean),
            "{pairs:?}"
        );
    }
}

// A phrase in other forms.

#[test]
fn a_phrase_as_typed_ranks_above_the_phrase_in_other_forms() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let archive = tmp.path().join("archive");
    std::fs::create_dir(&archive).expect("archive dir");
    std::fs::write(
        archive.join("namnd-2024-03-01.txt"),
        "• § 1\n\n  Lägesbild\n\n  Nämnden diskuterar vården och omsorgen i länet.\n\n\
         • § 2\n\n  Budget\n\n  Nämnden diskuterar vård och omsorg i länet.\n\n\
         • § 3\n\n  Övrigt\n\n  Omsorg om personalen och god vård.\n",
    )
    .expect("write minutes");
    let idx = tmp.path().join("index");
    let parsed = paragraf_indexer::archive::parse_paths(&[archive]).expect("parse");
    paragraf_indexer::build(&parsed.items, &idx, 1).expect("build");
    let engine = paragraf_query::Engine::open(&idx).expect("open");
    let ids = ids_of(&engine, &[("q", "\"vård och omsorg\"")]);
    // The words apart do not make the phrase; the phrase as typed comes before its other forms.
    assert_eq!(
        ids,
        ["namnd-2024-03-01.02", "namnd-2024-03-01.01"],
        "{ids:?}"
    );
}

// The terminal builds its request from typed flags (issue 14): the same filters as the API,
// checked by the same parsers with the same words.

#[test]
fn terminal_search_filters_and_refuses_as_the_api_does() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (_, idx) = crate::util::index::indexed_copy_of_index_data(tmp.path());
    let run = |args: &[&str]| {
        crate::util::cli::paragraf()
            .arg("search")
            .args(args)
            .arg("--index")
            .arg(&idx)
            .output()
            .expect("run paragraf search")
    };

    let found = run(&[
        "munskydd",
        "--municipality",
        "Krokom",
        "--from",
        "2020",
        "--json",
    ]);
    assert_eq!(found.status.code(), Some(0));
    let ids: Vec<String> = String::from_utf8_lossy(&found.stdout)
        .lines()
        .map(|line| {
            let hit: serde_json::Value = serde_json::from_str(line).expect("a JSON hit");
            hit["id"].as_str().expect("an id").to_string()
        })
        .collect();
    let api = hit_ids(&[
        ("q", "munskydd"),
        ("municipality", "Krokom"),
        ("from", "2020"),
    ]);
    // Krokom's two munskydd items, as the README's example says.
    assert_eq!(api, ["svom-2020-12-04.15", "svom-2020-12-04.12"]);
    assert_eq!(ids, api);

    let refused = run(&["munskydd", "--municipality", "Atlantis"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("municipality: \"Atlantis\" is not a municipality name"),
        "{stderr}"
    );

    let refused = run(&["munskydd", "--from", "2020-13-01"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("from: \"2020-13-01\" is not a date"),
        "{stderr}"
    );
}

#[test]
fn a_misspelt_name_is_one_speaker_in_the_facet() {
    // index-data/excerpts/svom-2021-12-03.txt writes "Lise Hjeemgard Svensson"; the other
    // meetings "Lise Hjemgaard Svensson" (issue 18): one person, the spelling written most often.
    let all = search(&[("q", ""), ("speaker", "Lise Hjeemgard Svensson")]);
    let lise: Vec<(String, u64)> = counts(&all.facets.speaker)
        .into_iter()
        .filter(|(name, _)| name.starts_with("Lise"))
        .collect();
    assert_eq!(lise.len(), 1, "{lise:?}");
    assert_eq!(lise[0].0, "Lise Hjemgaard Svensson");
    assert!(
        hit_ids(&[("speaker", "Lise Hjemgaard Svensson"), ("limit", "100")])
            .iter()
            .any(|id| id.starts_with("svom-2021-12-03")),
        "the misspelt meeting's items count for her"
    );
}
