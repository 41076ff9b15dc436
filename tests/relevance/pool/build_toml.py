#!/usr/bin/env python3
"""Write tests/relevance/riksdagen.toml from the runs, the qrels and notes.tsv.
usage: build_toml.py RUNS.json QRELS.tsv notes.tsv OUT.toml"""
import json, sys, collections

HEADER = """\
# Development relevance set over real parliament text (issue 16): {n} queries over the
# 4,321 speeches of /work/shared/corpus/riksdagen-records-sample/speeches.jsonl, converted by
# bench/riksdagen_minutes.py into one minutes file per protocol and one "§ N" item per speech.
# Item ids are those of `paragraf parse`: <file stem>.<ordinal> (e.g. prot-199192-127-1992-06-09.2518;
# the ordinal is the item's position in the file, two digits at least).
# phenomenon: keyword | inflection | compound | several | diacritics | typo | phrase | name | false_friend
# relevant: grade 2 (about the query's subject: what a user typing it wants);
# partial: grade 1 (touches it, or only partly: a passing mention, a compound only, another
# inflection of a quoted phrase). Items not listed are 0, judged or not.
# Judging method: the top 10 of four systems (Paragraf main, PostgreSQL 'swedish' full-text
# search, SQLite FTS5 trigram, Snowball-stemmed BM25; for diacritics and typo queries also the
# three baselines run on the intended spelling, for pooling only) were pooled per query; every
# pooled item ({j} in all) was judged 2/1/0 by reading its text (speaker line and the passages
# around the query words), without knowing which system had found it. For false_friend queries
# an item is relevant when it contains a real form of the word (see each note). Full method,
# per-system nDCG@10 and the scripts: JUDGING.md and pool/ beside this file; every judgment,
# zeros included: riksdagen-qrels.tsv.
"""

def tstr(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

def tlist(xs):
    return "[" + ", ".join(tstr(x) for x in xs) + "]"

runs = json.load(open(sys.argv[1], encoding="utf-8"))
g = collections.defaultdict(dict)
for line in open(sys.argv[2], encoding="utf-8"):
    if line.startswith("#"):
        continue
    n, _, _, i, grade = line.rstrip("\n").split("\t")
    g[int(n)][i] = int(grade)
notes = {}
for line in open(sys.argv[3], encoding="utf-8"):
    n, note = line.rstrip("\n").split("\t", 1)
    notes[int(n)] = note
out = [HEADER.format(n=len(runs), j=sum(len(v) for v in g.values()))]
for n, e in enumerate(runs, 1):
    rel = sorted(i for i, v in g[n].items() if v == 2)
    par = sorted(i for i, v in g[n].items() if v == 1)
    assert rel, (n, e["q"])
    out.append("[[query]]")
    out.append(f"q = {tstr(e['q'])}")
    out.append(f"phenomenon = {tstr(e['phenomenon'])}")
    out.append(f"relevant = {tlist(rel)}")
    if par:
        out.append(f"partial = {tlist(par)}")
    note = notes[n]
    if e.get("intended"):
        note = f"intended: {e['intended']}; " + note
    out.append(f"note = {tstr(note)}")
    out.append("")
open(sys.argv[4], "w", encoding="utf-8").write("\n".join(out))
print(len(runs), "queries ->", sys.argv[4])
