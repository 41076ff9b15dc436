#!/usr/bin/env python3
"""The four systems pooled for tests/relevance/riksdagen.toml.

Each system takes the items of `paragraf parse` (JSON Lines; the searchable text of
an item is its title + "\\n" + text) and a query, and returns ranked item ids.

  paragraf  /work/bin-main/paragraf search Q --index IDX --limit 20 --json
  postgres  ts_rank(to_tsvector('swedish', doc), websearch_to_tsquery('swedish', Q));
            when AND finds nothing: the same lexemes joined by | (OR-fallback)
  trigram   SQLite FTS5 tokenize='trigram' (case-insensitive, no diacritic folding),
            every query word (>= 3 chars) or "quoted phrase" as a quoted string, AND;
            OR of them when AND finds nothing; ranked by bm25()
  snowball  snowballstemmer('swedish') on text and query, BM25 (k1 1.2, b 0.75),
            OR over the query stems (a document needs one stem), sum of term scores
Python 3 stdlib + snowballstemmer + psql on PATH.
"""
import json, math, os, re, sqlite3, subprocess, collections

WORD = re.compile(r"\w+", re.UNICODE)

def load_items(path):
    items = {}
    for line in open(path, encoding="utf-8"):
        d = json.loads(line)
        items[d["id"]] = (d.get("title") or "") + "\n" + d["text"]
    return items

# ---------------------------------------------------------------- paragraf
def paragraf(q, index, binary="/work/bin-main/paragraf", k=20):
    out = subprocess.run([binary, "search", q, "--index", index, "--limit", str(k), "--json"],
                         capture_output=True, text=True)
    return [json.loads(l)["id"] for l in out.stdout.splitlines() if l.strip()]

# ---------------------------------------------------------------- postgres
class Postgres:
    def __init__(self, host, db="reldev", user="postgres"):
        self.base = ["psql", "-h", host, "-U", user, "-d", db, "-At", "-v", "ON_ERROR_STOP=1"]
    def psql(self, sql, stdin=None):
        r = subprocess.run(self.base + ["-c", sql] if stdin is None else self.base,
                           input=stdin, capture_output=True, text=True)
        if r.returncode:
            raise RuntimeError(r.stderr)
        return r.stdout
    def load(self, items):
        self.psql("DROP TABLE IF EXISTS items")
        self.psql("CREATE TABLE items (id text primary key, doc text, tsv tsvector)")
        rows = "\n".join(i.replace("\\", "\\\\").replace("\t", " ") + "\t" +
                         t.replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n").replace("\r", " ")
                         for i, t in items.items())
        subprocess.run(self.base + ["-c", "COPY items (id, doc) FROM STDIN"], input=rows + "\n",
                       text=True, check=True, capture_output=True)
        self.psql("UPDATE items SET tsv = to_tsvector('swedish', doc)")
        self.psql("CREATE INDEX ON items USING gin (tsv)")
    def search(self, q, k=20):
        lit = "'" + q.replace("'", "''") + "'"
        sql = (f"SELECT id FROM items, websearch_to_tsquery('swedish', {lit}) q "
               f"WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC, id LIMIT {k}")
        ids = self.psql(sql).split()
        if not ids:
            orq = (f"(SELECT replace(replace(plainto_tsquery('swedish', {lit})::text, '&', '|'), '<->', '|'))")
            sql = (f"SELECT id FROM items, to_tsquery('swedish', {orq}) q "
                   f"WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC, id LIMIT {k}")
            try:
                ids = self.psql(sql).split()
            except RuntimeError:
                ids = []
        return ids

# ---------------------------------------------------------------- trigram
class Trigram:
    def __init__(self, items):
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, doc, tokenize='trigram')")
        self.db.executemany("INSERT INTO t VALUES (?, ?)", items.items())
    @staticmethod
    def terms(q):
        out = []
        for m in re.finditer(r'"([^"]+)"|(\S+)', q):
            s = (m.group(1) or m.group(2)).strip('"').strip()
            s = s.strip(".,;:!?()")
            if len(s) >= 3:
                out.append('"' + s.replace('"', '') + '"')
        return out
    def search(self, q, k=20):
        ts = self.terms(q)
        if not ts:
            return []
        for op in (" AND ", " OR "):
            rows = self.db.execute("SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t), id LIMIT ?",
                                   (op.join(ts), k)).fetchall()
            if rows:
                return [r[0] for r in rows]
        return []

# ---------------------------------------------------------------- snowball BM25
class SnowballBM25:
    def __init__(self, items, k1=1.2, b=0.75):
        import snowballstemmer
        self.st = snowballstemmer.stemmer("swedish")
        self.k1, self.b = k1, b
        self.tf, self.len = {}, {}
        self.df = collections.Counter()
        for i, t in items.items():
            stems = self.stems(t)
            c = collections.Counter(stems)
            self.tf[i], self.len[i] = c, len(stems)
            self.df.update(c.keys())
        self.N = len(items)
        self.avg = sum(self.len.values()) / self.N
        self.post = collections.defaultdict(list)
        for i, c in self.tf.items():
            for s in c:
                self.post[s].append(i)
    def stems(self, text):
        return self.st.stemWords([w.lower() for w in WORD.findall(text)])
    def search(self, q, k=20):
        score = collections.Counter()
        for s in set(self.stems(q)):
            df = self.df.get(s, 0)
            if not df:
                continue
            idf = math.log(1 + (self.N - df + 0.5) / (df + 0.5))
            for i in self.post[s]:
                f = self.tf[i][s]
                score[i] += idf * f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * self.len[i] / self.avg))
        return [i for i, _ in sorted(score.items(), key=lambda x: (-x[1], x[0]))[:k]]
