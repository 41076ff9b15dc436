#!/usr/bin/env python3
"""Run every query through the four systems and write the runs (top 20 each).

usage: run_pool.py ITEMS.jsonl QUERIES.tsv PARAGRAF_INDEX PG_SOCKET_DIR OUT.json
QUERIES.tsv: phenomenon<TAB>query[<TAB>intended spelling], one a line (the queries of riksdagen.toml).
OUT.json: [{"q", "phenomenon", "runs": {system: [ids]}, "aid": {system: [ids]} (pooling only)}]
"""
import json, sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import systems

items_path, queries_path, index, pgsock, out = sys.argv[1:6]
items = systems.load_items(items_path)
pg = systems.Postgres(pgsock)
if os.environ.get("RELOAD_PG", "1") == "1":
    pg.load(items)
tri = systems.Trigram(items)
sb = systems.SnowballBM25(items)
res = []
for line in open(queries_path, encoding="utf-8"):
    if not line.strip() or line.startswith("#"):
        continue
    ph, q, *rest = line.rstrip("\n").split("\t")
    e = {"q": q, "phenomenon": ph, "runs": {
        "paragraf": systems.paragraf(q, index),
        "postgres": pg.search(q),
        "trigram": tri.search(q),
        "snowball": sb.search(q),
    }}
    if rest and rest[0]:
        # pooling aid for diacritics/typo: the intended spelling through the three
        # baselines (these runs widen the pool; they are not scored)
        i = rest[0]
        e["intended"] = i
        e["aid"] = {"postgres": pg.search(i), "trigram": tri.search(i), "snowball": sb.search(i)}
    res.append(e)
json.dump(res, open(out, "w", encoding="utf-8"), ensure_ascii=False, indent=0)
print(f"{len(res)} queries -> {out}")
