//! What the full Swedish analysis costs at indexing time, against stemming only (issue:
//! "indexing speed may not fall by more than a third against stemming only").
//!
//! `cargo run --release -p paragraf-indexer --example analysis_cost -- DIR [RUNS]` parses the
//! minutes under DIR once, then indexes the items RUNS times (default 3) into a temporary
//! directory two ways and prints min / median / max seconds and items per second:
//!
//! - *stemmed*: the documents without the exact-spelling, compound-parts and folded fields;
//! - *full*: the documents as `paragraf index` writes them.
//!
//! Parsing is left out of both, since it is the same work either way.

#![allow(clippy::print_stdout)] // a measuring tool: its output is the point

use std::time::Instant;

use paragraf_indexer::archive::parse_paths;
use paragraf_indexer::schema::Fields;
use paragraf_indexer::write::to_document;
use tantivy::schema::OwnedValue;
use tantivy::{Index, TantivyDocument};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: analysis_cost DIR [RUNS]")?;
    let runs: usize = args.next().map_or(Ok(3), |r| r.parse())?;
    let archive = parse_paths(&[dir.into()])?;
    let items = archive.items;
    let bytes: usize = items.iter().map(|i| i.text.len()).sum();
    println!(
        "{} items, {:.1} MB of text, {} indexing threads, {runs} runs each",
        items.len(),
        bytes as f64 / 1e6,
        threads()
    );
    for (name, full) in [("stemmed", false), ("full", true)] {
        let mut times = Vec::new();
        for _ in 0..runs {
            let dir = tempfile::tempdir()?;
            let (schema, fields) = Fields::build();
            let index = Index::create_in_dir(dir.path(), schema)?;
            paragraf_indexer::analysis::register(index.tokenizers());
            let mut writer = index
                .writer_with_num_threads::<TantivyDocument>(threads(), threads() * 64_000_000)?;
            let started = Instant::now();
            for item in &items {
                let doc = to_document(item, &fields);
                writer.add_document(if full {
                    doc
                } else {
                    stemmed_only(doc, &fields)
                })?;
            }
            writer.commit()?;
            writer.wait_merging_threads()?;
            times.push(started.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        println!(
            "{name:8} min {:.2} s  median {median:.2} s  max {:.2} s  ({:.0} items/s, {:.2} MB/s)",
            times[0],
            times[times.len() - 1],
            items.len() as f64 / median,
            bytes as f64 / 1e6 / median
        );
    }
    Ok(())
}

/// The document without the fields only the full analysis adds.
fn stemmed_only(doc: TantivyDocument, f: &Fields) -> TantivyDocument {
    let mut out = TantivyDocument::default();
    for (field, value) in doc.field_values() {
        if [f.words, f.parts, f.folded].contains(&field) {
            continue;
        }
        out.add_field_value(field, &OwnedValue::from(value));
    }
    out
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
