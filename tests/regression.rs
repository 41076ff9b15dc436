//! Regressions: each test here came with the fix of a bug it names, and keeps it fixed. The
//! comment above each says what broke and the commit that fixed it.

use paragraf_query::SearchResponse;

use crate::util::index::{hit_ids, ids_of, search};
use crate::util::index_data;

// Ties between equal scores were broken by document address, which differs between builds,
// updates and merges, so the same search listed tied items in another order after an update
// (289c175: order by newer meeting, agenda order, id hash instead; schema 7).
#[test]
fn equal_scores_order_the_same_whatever_the_segments() {
    // The same items written in reverse order, over several threads: other document
    // addresses, other segments, as an update or a merge makes them. Ties broken by address
    // would list the items of one meeting backwards here.
    let archive =
        paragraf_indexer::archive::parse_paths(&[index_data()]).expect("parse index-data");
    let mut items = archive.items.clone();
    items.reverse();
    let dir = tempfile::tempdir().expect("temp dir");
    paragraf_indexer::build(&items, dir.path(), 2).expect("build the reversed index");
    let reversed = paragraf_query::Engine::open(dir.path()).expect("open the reversed index");

    for pairs in [
        vec![("q", "region"), ("municipality", "2309"), ("body", "SVOM")],
        vec![
            ("q", "region"),
            ("municipality", "2309"),
            ("body", "SVOM"),
            ("limit", "2"),
        ],
        vec![("q", "region"), ("limit", "20")],
        vec![("q", "covid"), ("limit", "20")],
        vec![("q", "kommun"), ("limit", "20"), ("offset", "3")],
        vec![("q", "välkommen"), ("limit", "8")],
        vec![("q", "dagordning"), ("limit", "20")],
        vec![("q", "olika"), ("limit", "20")],
        vec![("q", "region"), ("sort", "date"), ("limit", "20")],
        vec![("limit", "20")],
    ] {
        assert_eq!(ids_of(&reversed, &pairs), hit_ids(&pairs), "{pairs:?}");
    }

    // Items that say a word alike tie: the newer meeting first, then agenda order.
    assert_eq!(
        hit_ids(&[("q", "olika"), ("from", "2024-06-03"), ("to", "2024-06-03")]),
        ["svom-2024-06-03-utdrag.05", "svom-2024-06-03-utdrag.06"]
    );
    let welcome = search(&[("q", "välkommen"), ("limit", "20")]);
    let tied: Vec<(&str, Option<f32>)> = welcome
        .hits
        .iter()
        .map(|h| (h.id.as_str(), h.score))
        .take(6)
        .collect();
    assert!(
        tied.iter().all(|(_, score)| *score == tied[0].1),
        "six openings say it alike: {tied:?}"
    );
    let ids: Vec<&str> = tied.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        ids,
        [
            "samverkansradet-2023-02-06-utdrag.01",
            "svom-2022-12-02-utdrag.01",
            "svom-2022-06-03-utdrag.01",
            "svom-2022-02-25-utdrag.01",
            "svom-2021-10-08-utdrag.01",
            "svom-2021-02-26-utdrag.01",
        ]
    );
}

// A quoted phrase typed without diacritics ("okad smitta") matched nothing when a word had
// only folded forms in the index; it now finds the Swedish spelling at the folded weight
// (ac346ce).
#[test]
fn phrase_typed_without_diacritics_finds_the_swedish_spelling() {
    // "Ökad smitta" once in the archive; "okad" is no word of it, only a folded spelling.
    let typed = search(&[("q", "\"ökad smitta\"")]);
    let folded = search(&[("q", "\"okad smitta\"")]);
    let ids = |r: &SearchResponse| r.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&typed), ["svom-2020-12-04.12"]);
    assert_eq!(ids(&folded), ids(&typed));
    let (Some(typed), Some(folded)) = (typed.hits[0].score, folded.hits[0].score) else {
        panic!("relevance hits carry scores");
    };
    assert!(folded < typed, "folded {folded} ranks below typed {typed}");
    // The words apart are no phrase, folded or not.
    assert!(search(&[("q", "\"smitta okad\"")]).hits.is_empty());
}
