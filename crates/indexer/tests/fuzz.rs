//! Property-based fuzzing of the parser (issue #9, "Hostile and broken input"): arbitrary bytes
//! through [`decode`] and [`parse_minutes`], and real minutes mutated line by line and
//! character by character. Every input must parse without a panic, within a time bound, into
//! items with unique ids and ordinals 1..n, and into output no larger than a small multiple of
//! the input (memory stays bounded).
//!
//! Nesting (issue #17): HTML and DOCX nested from a few levels to tens of thousands, which
//! must be read when within the depth limit and refused, quickly and with a reason, beyond it;
//! and the real minutes as UTF-16, with and without a byte-order mark, which must read as
//! they do in UTF-8.
//!
//! Cases per test: 250 by default (the parser runs at about 10 ms per KiB in a debug build); `PROPTEST_CASES=20000 cargo test -p paragraf-indexer --test
//! fuzz --release -- --nocapture` runs a longer campaign. Each test prints how many inputs it
//! tried and how long it took.

use std::time::{Duration, Instant};

use paragraf_indexer::archive::read::{decode, to_minutes_text};
use paragraf_indexer::format::{sample, MAX_DEPTH};
use paragraf_indexer::minutes::{parse_minutes, MeetingInfo, Parsed};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// The slowest a single input may take in a debug build.
const MAX_PER_INPUT: Duration = Duration::from_secs(2);

/// Real minutes to mutate: both seeds and three excerpts of other meeting pages.
const SEEDS: [&str; 5] = [
    include_str!("../../../index-data/svom-2020-12-04.txt"),
    include_str!("../../../index-data/svom-2022-hosten.txt"),
    include_str!("../../../index-data/excerpts/hsn-2022-01-20.txt"),
    include_str!("../../../index-data/excerpts/samverkansradet-2023-02-06.txt"),
    include_str!("../../../index-data/excerpts/svom-2021-10-08.txt"),
];

/// Characters and lines the splitter, speaker and place readers react to.
const TRICKY: [&str; 24] = [
    "•",
    " • ",
    "§",
    "§ 12",
    "(",
    ")",
    ":",
    "\u{a0}",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "–",
    "1.",
    "a)",
    "Dnr KS 2013/123",
    "Ärendet föredras av ",
    "Krokom:",
    " (S), ordförande, ",
    "Ordföranden",
    "beslutar att",
    "Sammanträdesdatum 2013-05-15",
    "\u{feff}",
    "Hoppa över navigering",
];

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(250)
}

fn info() -> MeetingInfo {
    MeetingInfo {
        id: "fuzz".into(),
        body: None,
        date: None,
        source: "fuzz.txt".into(),
        municipality: None,
    }
}

/// Parses `text` and checks what must hold for any input.
fn check(text: &str) -> Result<(), TestCaseError> {
    let started = Instant::now();
    let Parsed { items, .. } = parse_minutes(text, info());
    let took = started.elapsed();
    prop_assert!(
        took <= MAX_PER_INPUT,
        "parsing {} bytes took {took:?}",
        text.len()
    );
    let mut ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    prop_assert_eq!(ids.len(), items.len(), "item ids are unique");
    for (n, item) in items.iter().enumerate() {
        let ordinal = u32::try_from(n + 1).unwrap_or(u32::MAX);
        prop_assert_eq!(item.ordinal, ordinal);
        prop_assert_eq!(&item.id, &format!("fuzz.{ordinal:02}"));
    }
    // Bounded memory: the items' own text is a cleaned copy of the input, not a blow-up.
    let out: usize = items
        .iter()
        .map(|i| {
            i.text.len()
                + i.title.as_ref().map_or(0, String::len)
                + i.decisions.iter().map(String::len).sum::<usize>()
        })
        .sum();
    prop_assert!(
        out <= 3 * text.len() + 1024,
        "{} bytes in gave {out} bytes of item text",
        text.len()
    );
    Ok(())
}

/// Runs `test` over `strategy` for [`cases`] inputs and prints how many were tried.
#[allow(
    clippy::print_stdout,
    reason = "the number of inputs tried is this test's report"
)]
fn run<S: Strategy>(name: &str, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>) {
    let config = Config {
        cases: cases(),
        // Inputs are large; a failure is shrunk for a while, not forever.
        max_shrink_time: 60_000,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let tried = std::sync::atomic::AtomicU64::new(0);
    let started = Instant::now();
    let result = runner.run(&strategy, |value| {
        tried.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        test(value)
    });
    println!(
        "{name}: {} inputs tried in {:.1} s",
        tried.into_inner(),
        started.elapsed().as_secs_f64()
    );
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

/// Bytes that are mostly text: runs of Swedish letters, separators and tricky characters,
/// with some raw bytes (Windows-1252, control bytes, cut-off UTF-8) mixed in.
fn texty_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => "[a-zåäöA-ZÅÄÖ ]{1,12}".prop_map(String::into_bytes),
        2 => proptest::sample::select(TRICKY.to_vec()).prop_map(|s| s.as_bytes().to_vec()),
        1 => proptest::collection::vec(any::<u8>(), 1..4),
    ];
    proptest::collection::vec(piece, 0..1024).prop_map(|pieces| pieces.concat())
}

#[test]
fn arbitrary_bytes_never_panic_or_hang() {
    let bytes = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..64 * 1024),
        texty_bytes(),
    ];
    run("arbitrary bytes", bytes, |bytes| {
        match decode(&bytes) {
            Ok(decoded) => check(&decoded.text),
            // Refused as empty or binary: a reason, not a panic.
            Err(reason) => {
                prop_assert!(!reason.to_string().is_empty());
                Ok(())
            }
        }
    });
}

/// One edit of a minutes text.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    InsertLine(usize, &'static str),
    InsertAt(usize, &'static str),
    DeleteChars(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let tricky = || proptest::sample::select(TRICKY.to_vec());
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (any::<usize>(), tricky()).prop_map(|(at, s)| Mutation::InsertLine(at, s)),
        (any::<usize>(), tricky()).prop_map(|(at, s)| Mutation::InsertAt(at, s)),
        (any::<usize>(), 1usize..40).prop_map(|(at, n)| Mutation::DeleteChars(at, n)),
    ]
}

fn apply(seed: &str, mutations: &[Mutation]) -> String {
    let mut lines: Vec<String> = seed.lines().map(str::to_string).collect();
    for m in mutations {
        let n = lines.len().max(1);
        match *m {
            Mutation::DeleteLine(at) if !lines.is_empty() => {
                lines.remove(at % n);
            }
            Mutation::DuplicateLine(at) if !lines.is_empty() => {
                let line = lines[at % n].clone();
                lines.insert(at % n, line);
            }
            Mutation::SwapLines(a, b) if !lines.is_empty() => lines.swap(a % n, b % n),
            Mutation::InsertLine(at, s) => lines.insert(at % (lines.len() + 1), s.to_string()),
            Mutation::InsertAt(at, s) if !lines.is_empty() => {
                let line = &mut lines[at % n];
                let chars: Vec<char> = line.chars().collect();
                let pos = (at / n) % (chars.len() + 1);
                *line = chars[..pos].iter().collect::<String>()
                    + s
                    + &chars[pos..].iter().collect::<String>();
            }
            Mutation::DeleteChars(at, len) if !lines.is_empty() => {
                let line = &mut lines[at % n];
                let chars: Vec<char> = line.chars().collect();
                let pos = (at / n) % (chars.len() + 1);
                let end = (pos + len).min(chars.len());
                *line = chars[..pos].iter().chain(&chars[end..]).collect();
            }
            _ => {}
        }
    }
    lines.join("\n")
}

#[test]
fn mutated_real_minutes_never_panic_or_hang() {
    let strategy = (0..SEEDS.len(), proptest::collection::vec(mutation(), 0..40));
    run("mutated minutes", strategy, |(seed, mutations)| {
        check(&apply(SEEDS[seed], &mutations))
    });
}

#[test]
fn the_unmutated_seeds_pass_the_checks() {
    for seed in SEEDS {
        check(seed).expect("a seed passes");
        assert!(parse_minutes(seed, info()).items.len() > 1);
    }
}

/// HTML tags that nest, each with what it takes to open and close one level, and how many
/// levels of the tree one opening adds.
const NESTING: [(&str, &str, usize); 6] = [
    ("<div>", "</div>", 1),
    ("<span>", "</span>", 1),
    ("<b>", "</b>", 1),
    ("<ul><li>", "</li></ul>", 2),
    ("<table><tr><td>", "</td></tr></table>", 3),
    ("<section><article>", "</article></section>", 2),
];

fn depth() -> impl Strategy<Value = usize> {
    prop_oneof![
        4 => 0usize..600,
        1 => 600usize..25_000,
    ]
}

#[test]
fn nested_html_is_read_within_the_limit_and_refused_beyond() {
    let strategy = (0..NESTING.len(), depth(), any::<bool>());
    run("nested HTML", strategy, |(tag, depth, closed)| {
        let (open, close, levels) = NESTING[tag];
        let page = format!(
            "<html><body>{}Elin Ring föredrar.{}</body></html>",
            open.repeat(depth),
            if closed {
                close.repeat(depth)
            } else {
                String::new()
            }
        );
        let started = Instant::now();
        let read = to_minutes_text(page.as_bytes(), None);
        prop_assert!(
            started.elapsed() <= MAX_PER_INPUT,
            "{depth} deep took {:?}",
            started.elapsed()
        );
        // html, body, the levels, the text (tables add a tbody). Unclosed, a level can be
        // closed by the next (a <p> by a <blockquote>): then this is an upper bound.
        let tree_depth = 3 + depth * (levels + usize::from(tag == 4));
        let too_deep =
            format!("HTML nests elements more than {MAX_DEPTH} deep; no minutes page does");
        match read {
            Ok(decoded) => {
                prop_assert!(
                    tree_depth <= MAX_DEPTH + 1 || !closed,
                    "{tree_depth} deep was read"
                );
                prop_assert!(
                    decoded.text.contains("Elin Ring föredrar."),
                    "{:?}",
                    decoded.text
                );
                check(&decoded.text)
            }
            Err(reason) => {
                prop_assert!(
                    tree_depth > MAX_DEPTH - 8,
                    "{tree_depth} deep refused: {reason}"
                );
                prop_assert_eq!(reason.to_string(), too_deep);
                Ok(())
            }
        }
    });
}

#[test]
fn nested_docx_is_read_within_the_limit_and_refused_beyond() {
    run("nested DOCX", depth(), |depth| {
        let docx = sample::docx_nested(depth, "Elin Ring föredrar.").expect("a DOCX");
        let started = Instant::now();
        let read = to_minutes_text(&docx, None);
        prop_assert!(
            started.elapsed() <= MAX_PER_INPUT,
            "{depth} deep took {:?}",
            started.elapsed()
        );
        // The document, body, two levels per control, paragraph, run, text and its text node.
        if 2 * depth + 6 <= MAX_DEPTH {
            let decoded = read.map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(decoded.text, "Elin Ring föredrar.\n");
        } else {
            prop_assert_eq!(
                read.map(|d| d.text).map_err(|e| e.to_string()),
                Err(format!("DOCX word/document.xml nests elements more than {MAX_DEPTH} deep; no minutes draft does"))
            );
        }
        Ok(())
    });
}

#[test]
fn utf16_minutes_read_as_their_utf8() {
    let strategy = (0..SEEDS.len(), any::<usize>(), any::<bool>(), any::<bool>());
    run(
        "UTF-16 minutes",
        strategy,
        |(seed, start, big_endian, bom)| {
            // A part of a real minutes text, from a random line on.
            let lines: Vec<&str> = SEEDS[seed].lines().collect();
            let text = lines[start % lines.len()..].join("\n");
            prop_assume!(!text.trim().is_empty());
            let mut units: Vec<u16> = Vec::new();
            if bom {
                units.push(0xfeff);
            }
            units.extend(text.encode_utf16());
            let bytes: Vec<u8> = units
                .iter()
                .flat_map(|u| {
                    if big_endian {
                        u.to_be_bytes()
                    } else {
                        u.to_le_bytes()
                    }
                })
                .collect();
            let decoded = decode(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&decoded.text, &text);
            check(&decoded.text)
        },
    );
}
