//! The PostgreSQL peer: built-in `swedish` text search configuration, a GIN index,
//! `websearch_to_tsquery`, `ts_rank`, top 10 with `ts_headline` snippets, the same filters, and
//! facet counts over the matches (municipality, speaker, body, year), as Paragraf answers.
//!
//! The cluster is a throw-away one that `scripts/bench` starts; this module gets its
//! connection string.

use std::io::Write;
use std::time::{Duration, Instant};

use anyhow::Context;
use paragraf_indexer::Item;
use postgres::{Client, NoTls, Statement};

use crate::queries::BenchQuery;
use crate::threads::scoped_map;

const SCHEMA: &str = "
DROP TABLE IF EXISTS items;
CREATE TABLE items (
    id text PRIMARY KEY,
    body text,
    date date,
    year int,
    title text,
    speaker_names text,
    decisions text,
    text text NOT NULL,
    municipalities text[] NOT NULL,
    speakers text[] NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('swedish', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('swedish', coalesce(speaker_names, '')), 'A') ||
        setweight(to_tsvector('swedish', coalesce(decisions, '')), 'B') ||
        setweight(to_tsvector('swedish', text), 'D')
    ) STORED
);";

const INDEXES: &str = "
CREATE INDEX items_tsv ON items USING gin (tsv);
CREATE INDEX items_municipalities ON items USING gin (municipalities);
CREATE INDEX items_date ON items (date);
ANALYZE items;";

/// The search: one statement returning the hits, the total and the facet counts.
pub const SEARCH: &str = "
WITH m AS MATERIALIZED (
    SELECT i.id, i.body, i.year, i.municipalities, i.speakers,
           ts_rank(i.tsv, websearch_to_tsquery('swedish', $1::text)) AS r
    FROM items i
    WHERE i.tsv @@ websearch_to_tsquery('swedish', $1::text)
      AND ($2::text IS NULL OR i.municipalities @> ARRAY[$2::text])
      AND ($3::text IS NULL OR i.date >= $3::text::date)
      AND ($4::text IS NULL OR i.date <= $4::text::date)),
top AS (SELECT id, r FROM m ORDER BY r DESC, id LIMIT 10)
SELECT 'hit'::text AS kind, t.id AS value,
       ts_headline('swedish', i.text, websearch_to_tsquery('swedish', $1::text),
                   'MaxFragments=1, MaxWords=24, MinWords=12, StartSel=<mark>, StopSel=</mark>') AS snippet,
       t.r::float8 AS n
  FROM top t JOIN items i ON i.id = t.id
UNION ALL SELECT 'total', NULL, NULL, count(*)::float8 FROM m
UNION ALL (SELECT 'municipality', v, NULL, count(*)::float8 FROM m, unnest(m.municipalities) v GROUP BY v)
UNION ALL (SELECT 'speaker', v, NULL, count(*)::float8 FROM m, unnest(m.speakers) v GROUP BY v)
UNION ALL (SELECT 'body', body, NULL, count(*)::float8 FROM m GROUP BY body)
UNION ALL (SELECT 'year', year::text, NULL, count(*)::float8 FROM m GROUP BY year)";

/// Connects.
pub fn connect(conn: &str) -> anyhow::Result<Client> {
    Client::connect(conn, NoTls).with_context(|| format!("connecting to PostgreSQL ({conn})"))
}

/// `PostgreSQL 15.x`.
pub fn version(conn: &str) -> anyhow::Result<String> {
    let mut c = connect(conn)?;
    let v: String = c.query_one("SHOW server_version", &[])?.get(0);
    Ok(format!("PostgreSQL {v}"))
}

/// Loads the items with `threads` concurrent COPYs (the text search vector is computed
/// during COPY: that is PostgreSQL's analysis), then builds the indexes. Returns seconds
/// and the bytes of table, TOAST and indexes.
pub fn index(conn: &str, items: &[Item], threads: usize) -> anyhow::Result<(f64, u64)> {
    let threads = threads.max(1);
    let chunk = items.len().div_ceil(threads).max(1);
    let payloads: Vec<Vec<u8>> = items.chunks(chunk).map(copy_payload).collect();
    let mut clients: Vec<Client> = (0..payloads.len())
        .map(|_| connect(conn))
        .collect::<anyhow::Result<_>>()?;
    let mut admin = connect(conn)?;

    let started = Instant::now();
    admin.batch_execute(SCHEMA)?;
    let copies = scoped_map(
        clients.iter_mut().zip(&payloads),
        |(client, payload)| -> anyhow::Result<()> {
            let mut w = client.copy_in(
                "COPY items (id, body, date, year, title, speaker_names, decisions, text, municipalities, speakers) FROM STDIN",
            )?;
            w.write_all(payload)?;
            w.finish()?;
            Ok(())
        },
    );
    for copy in copies {
        copy.map_err(|_| anyhow::anyhow!("COPY thread panicked"))??;
    }
    admin.batch_execute(INDEXES)?;
    let seconds = started.elapsed().as_secs_f64();
    let bytes: i64 = admin
        .query_one("SELECT pg_total_relation_size('items')", &[])?
        .get(0);
    Ok((seconds, u64::try_from(bytes).unwrap_or(0)))
}

/// COPY text format rows.
fn copy_payload(items: &[Item]) -> Vec<u8> {
    let mut out = Vec::new();
    for item in items {
        let date = item.meeting.date.as_deref().filter(|d| d.len() == 10);
        let year = item.meeting.date.as_deref().and_then(|d| d.get(..4));
        let speakers: Vec<&str> = item.speakers.iter().map(|s| s.name.as_str()).collect();
        let codes: Vec<&str> = item
            .municipalities
            .iter()
            .map(|m| m.code.as_str())
            .collect();
        let fields = [
            Some(item.id.clone()),
            item.meeting.body.clone(),
            date.map(str::to_string),
            year.map(str::to_string),
            item.title.clone(),
            Some(speakers.join(", ")),
            Some(item.decisions.join("\n")),
            Some(item.text.clone()),
            Some(array_literal(&codes)),
            Some(array_literal(&speakers)),
        ];
        let row: Vec<String> = fields
            .iter()
            .map(|f| f.as_deref().map_or_else(|| "\\N".to_string(), copy_escape))
            .collect();
        out.extend_from_slice(row.join("\t").as_bytes());
        out.push(b'\n');
    }
    out
}

fn copy_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            '\t' => o.push_str("\\t"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            c => o.push(c),
        }
    }
    o
}

fn array_literal(values: &[&str]) -> String {
    let quoted: Vec<String> = values
        .iter()
        .map(|v| format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    format!("{{{}}}", quoted.join(","))
}

/// A connection with the search prepared.
pub struct Searcher {
    client: Client,
    statement: Statement,
}

impl Searcher {
    pub fn new(conn: &str) -> anyhow::Result<Searcher> {
        let mut client = connect(conn)?;
        let statement = client.prepare(SEARCH)?;
        Ok(Searcher { client, statement })
    }

    /// Runs one search; returns the total.
    pub fn search(&mut self, q: &BenchQuery) -> anyhow::Result<u64> {
        let rows = self
            .client
            .query(&self.statement, &[&q.q, &q.municipality, &q.from, &q.to])?;
        let total = rows
            .iter()
            .find(|r| r.get::<_, &str>(0) == "total")
            .map_or(0.0, |r| r.get::<_, f64>(3));
        Ok(total as u64)
    }
}

/// Sequential latency over one connection (client round trip on a unix socket included).
pub fn latency(
    conn: &str,
    queries: &[BenchQuery],
    budget: Duration,
    max_rounds: usize,
) -> anyhow::Result<crate::stats::Timed> {
    let mut s = Searcher::new(conn)?;
    crate::stats::sequential(queries, budget, max_rounds, |q| s.search(q), |n| *n)
}
