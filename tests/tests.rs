//! End-to-end tests of the `paragraf` binary over `index-data/` and small inline archives.
//!
//! One test binary with one module per topic, as ripgrep does.

// Shared helpers, one place each: index-data and its index built once (`util::index`), running
// the binary (`util::cli`), HTTP through the router or to a served index (`util::http`).
mod util;

// Archives as published: HTML, PDF and DOCX minutes beside plain text (issue #8).
mod ingest;

// `paragraf parse`: the seed annotations, stable ids, bad input, manifests and dates.
mod parse;

// The HTTP API through the real router (tower oneshot): whole JSON bodies, errors, CORS.
mod http;

// What officials do with a hit (issue #19): cases across meetings, a meeting, the Atom
// feed, CSV and JSON Lines exports, the archived original.
mod workflow;

// Search over `index-data/`: keywords, inflection, folding, filters, facets, the query language.
mod search;

// `paragraf search` in a terminal: whole tables, a listing without words, `--help` (issue #18).
mod terminal;

// Bugs that were fixed: a test per fix, with what broke and the commit that fixed it.
mod regression;

// Relevance over judged queries: recall@10, MRR, nDCG@10 thresholds per phenomenon.
mod relevance;

// Incremental indexing, kill -9 mid-run, reload in a running server, SIGTERM, old schemas,
// hostile HTTP requests (issue #9).
mod reliability;

// A bounded load test of `paragraf serve` on 127.0.0.1 while index runs commit (issue #9).
mod load;

// Hardening from a red-team run (issue #17): slow and idle connections, the descriptor limit,
// hyper's own errors, CORS origins and a damaged index, against the real binary.
mod hardening;
// Who may see what (issue #20): the leak test of every route, tokens, the trusted proxy.
mod access;
// Hardening from the red-team run (issue #17), files and the index: nested files, spellings of
// an archive, deleted words and typos.
mod hardening_files;

// `paragraf watch`: e-mail digests of saved searches sent to an SMTP sink the tests start,
// across restarts and a refusing relay (issue #19).
mod watch;
