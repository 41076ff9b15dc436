//! The SQLite peer: FTS5 with the `unicode61` tokenizer (SQLite has no Swedish stemmer, so it
//! matches exact word forms only: less work, fewer hits), bm25 with the same field weights,
//! `snippet()`, the same filters and the same facet counts.

use std::path::Path;
use std::time::{Duration, Instant};

use paragraf_indexer::Item;
use rusqlite::{params, Connection, OpenFlags};

use crate::queries::BenchQuery;

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE items (rid INTEGER PRIMARY KEY, id TEXT NOT NULL, body TEXT, date TEXT,
                    year INTEGER, title TEXT, speakers TEXT, decisions TEXT, text TEXT NOT NULL);
CREATE TABLE item_municipality (rid INTEGER NOT NULL, code TEXT NOT NULL);
CREATE TABLE item_speaker (rid INTEGER NOT NULL, name TEXT NOT NULL);
CREATE VIRTUAL TABLE fts USING fts5(title, speakers, decisions, text,
    content = 'items', content_rowid = 'rid', tokenize = 'unicode61');";

const INDEXES: &str = "
INSERT INTO fts (fts) VALUES ('rebuild');
CREATE UNIQUE INDEX items_id ON items (id);
CREATE INDEX items_date ON items (date);
CREATE INDEX item_municipality_code ON item_municipality (code, rid);
CREATE INDEX item_municipality_rid ON item_municipality (rid);
CREATE INDEX item_speaker_rid ON item_speaker (rid);
ANALYZE;
PRAGMA wal_checkpoint(TRUNCATE);";

const FILTERS: &str = "
      AND (?2 IS NULL OR i.rid IN (SELECT rid FROM item_municipality WHERE code = ?2))
      AND (?3 IS NULL OR i.date >= ?3)
      AND (?4 IS NULL OR i.date <= ?4)";

fn top_sql() -> String {
    format!(
        "SELECT i.id, snippet(fts, 3, '<mark>', '</mark>', '…', 16), bm25(fts, 3.0, 3.0, 2.0, 1.0) AS r
         FROM fts JOIN items i ON i.rid = fts.rowid
         WHERE fts MATCH ?1 {FILTERS}
         ORDER BY r LIMIT 10"
    )
}

fn facets_sql() -> String {
    format!(
        "WITH m AS MATERIALIZED (
            SELECT i.rid, i.body, i.year FROM fts JOIN items i ON i.rid = fts.rowid
            WHERE fts MATCH ?1 {FILTERS})
         SELECT 'total', NULL, count(*) FROM m
         UNION ALL SELECT 'municipality', x.code, count(*) FROM m JOIN item_municipality x ON x.rid = m.rid GROUP BY x.code
         UNION ALL SELECT 'speaker', s.name, count(*) FROM m JOIN item_speaker s ON s.rid = m.rid GROUP BY s.name
         UNION ALL SELECT 'body', body, count(*) FROM m GROUP BY body
         UNION ALL SELECT 'year', year, count(*) FROM m GROUP BY year"
    )
}

/// Builds the database file from scratch: one transaction of inserts, then the FTS5 index
/// and the filter indexes. Single-threaded: SQLite has one writer. Returns seconds and the
/// file's bytes.
pub fn index(path: &Path, items: &[Item]) -> anyhow::Result<(f64, u64)> {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let started = Instant::now();
    let mut db = Connection::open(path)?;
    db.execute_batch(SCHEMA)?;
    let tx = db.transaction()?;
    {
        let mut item_stmt = tx.prepare(
            "INSERT INTO items (rid, id, body, date, year, title, speakers, decisions, text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        let mut muni_stmt =
            tx.prepare("INSERT INTO item_municipality (rid, code) VALUES (?1, ?2)")?;
        let mut speaker_stmt =
            tx.prepare("INSERT INTO item_speaker (rid, name) VALUES (?1, ?2)")?;
        for (rid, item) in items.iter().enumerate() {
            let rid = rid as i64 + 1;
            let date = item.meeting.date.as_deref().filter(|d| d.len() == 10);
            let year: Option<i64> = item
                .meeting
                .date
                .as_deref()
                .and_then(|d| d.get(..4))
                .and_then(|y| y.parse().ok());
            let speakers: Vec<&str> = item.speakers.iter().map(|s| s.name.as_str()).collect();
            item_stmt.execute(params![
                rid,
                item.id,
                item.meeting.body,
                date,
                year,
                item.title,
                speakers.join(", "),
                item.decisions.join("\n"),
                item.text
            ])?;
            for m in &item.municipalities {
                muni_stmt.execute(params![rid, m.code])?;
            }
            for s in &speakers {
                speaker_stmt.execute(params![rid, s])?;
            }
        }
    }
    tx.commit()?;
    db.execute_batch(INDEXES)?;
    drop(db);
    let seconds = started.elapsed().as_secs_f64();
    Ok((
        seconds,
        std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
    ))
}

/// A read-only connection.
pub fn open(path: &Path) -> anyhow::Result<Connection> {
    let db = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    db.set_prepared_statement_cache_capacity(8);
    Ok(db)
}

/// Runs one search: the top 10 with snippets, then the total and facets. Returns the total.
pub fn search(db: &Connection, q: &BenchQuery) -> anyhow::Result<u64> {
    let fts = q.fts5();
    let p = params![fts, q.municipality, q.from, q.to];
    let mut top = db.prepare_cached(&top_sql())?;
    let hits = top
        .query_map(p, |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, f64>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    std::hint::black_box(hits);
    let mut facets = db.prepare_cached(&facets_sql())?;
    let mut total = 0u64;
    let mut rows = facets.query(p)?;
    while let Some(row) = rows.next()? {
        if row.get::<_, String>(0)? == "total" {
            total = row.get::<_, i64>(2)?.try_into().unwrap_or(0);
        }
    }
    Ok(total)
}

/// Sequential in-process latency.
pub fn latency(
    path: &Path,
    queries: &[BenchQuery],
    budget: Duration,
    max_rounds: usize,
) -> anyhow::Result<crate::stats::Timed> {
    let db = open(path)?;
    crate::stats::sequential(queries, budget, max_rounds, |q| search(&db, q), |n| *n)
}
