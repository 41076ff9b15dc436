#!/usr/bin/env python3
"""Turn the judge's grade sheet into qrels.

grades.txt: one line per query, "Q<n> 2:<numbers> 1:<numbers>", where the numbers are
the positions in that query's pool as printed by show_pool.py (the pool sorted by id).
Every pooled item not listed is judged 0. Output: riksdagen-qrels.tsv with
query number, query, phenomenon, item id, grade (every pooled item, 0s included).

adjust.tsv (beside grades.txt, optional): query_no, item_id, grade, reason: a second reading
pass that overrides single grades.

usage: qrels.py RUNS.json grades.txt OUT.tsv
"""
import json, re, sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from show_pool import pool

def parse_ranges(s):
    out = set()
    for part in s.split(","):
        if "-" in part:
            a, b = part.split("-")
            out.update(range(int(a), int(b) + 1))
        elif part:
            out.add(int(part))
    return out

def load_grades(path):
    g = {}
    for line in open(path, encoding="utf-8"):
        f = line.split()
        if not f:
            continue
        n = int(f[0][1:])
        d = {}
        for tok in f[1:]:
            grade, nums = tok.split(":")
            for k in parse_ranges(nums):
                assert k not in d, (n, k)
                d[k] = int(grade)
        g[n] = d
    return g

def load_adjust(path):
    adj = {}
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            if line.startswith("#") or not line.strip():
                continue
            n, i, g, _ = line.rstrip("\n").split("\t", 3)
            adj[(int(n), i)] = int(g)
    return adj

def qrels(runs, grades, adjust=None):
    adjust = adjust or {}
    rows = []
    for n, e in enumerate(runs, 1):
        p = pool(e)
        d = grades[n]
        assert max(d, default=0) <= len(p), (n, e["q"], max(d), len(p))
        for k, i in enumerate(p, 1):
            rows.append((n, e["q"], e["phenomenon"], i, adjust.pop((n, i), d.get(k, 0))))
    assert not adjust, adjust
    return rows

if __name__ == "__main__":
    runs = json.load(open(sys.argv[1], encoding="utf-8"))
    adj = load_adjust(os.path.join(os.path.dirname(os.path.abspath(sys.argv[2])), "adjust.tsv"))
    rows = qrels(runs, load_grades(sys.argv[2]), adj)
    with open(sys.argv[3], "w", encoding="utf-8") as f:
        f.write("# query_no\tquery\tphenomenon\titem_id\tgrade (2 about it, 1 touches it, 0 not; every pooled item)\n")
        for r in rows:
            f.write("\t".join(map(str, r)) + "\n")
    print(len(rows), "judgments")
