#!/usr/bin/env python3
"""nDCG@10 of each system per phenomenon on the judged set.

Gains are the grades (2, 1); DCG@10 = sum gain/log2(rank+1); the ideal DCG is computed
from all judged grades of the query (not only the ones a system found); unjudged = 0.
usage: evaluate.py RUNS.json QRELS.tsv [--worst N]   (markdown table on stdout)
"""
import json, math, sys, collections

def dcg(gains):
    return sum(g / math.log2(r + 2) for r, g in enumerate(gains))

def ndcg(ranked, judged, k=10):
    ideal = dcg(sorted(judged.values(), reverse=True)[:k])
    return dcg([judged.get(i, 0) for i in ranked[:k]]) / ideal if ideal else 0.0

def main():
    runs = json.load(open(sys.argv[1], encoding="utf-8"))
    q = collections.defaultdict(dict)
    for line in open(sys.argv[2], encoding="utf-8"):
        if line.startswith("#"):
            continue
        n, _, _, i, g = line.rstrip("\n").split("\t")
        q[int(n)][i] = int(g)
    systems = ["paragraf", "postgres", "trigram", "snowball"]
    per = collections.defaultdict(lambda: collections.defaultdict(list))
    scores = []
    for n, e in enumerate(runs, 1):
        for s in systems:
            v = ndcg(e["runs"][s], q[n])
            per[e["phenomenon"]][s].append(v)
            per["ALL"][s].append(v)
            if s == "paragraf":
                scores.append((v, n, e))
    order = ["keyword", "inflection", "compound", "several", "diacritics", "typo", "phrase", "name", "false_friend", "ALL"]
    print("| phenomenon | queries | " + " | ".join(systems) + " |")
    print("|---|---:|" + "---:|" * len(systems))
    for ph in order:
        row = per[ph]
        label = "**all**" if ph == "ALL" else ph
        print(f"| {label} | {len(row['paragraf'])} | " + " | ".join(f"{sum(row[s]) / len(row[s]):.3f}" for s in systems) + " |")
    if "--worst" in sys.argv:
        k = int(sys.argv[sys.argv.index("--worst") + 1])
        print()
        for v, n, e in sorted(scores, key=lambda x: (x[0], x[1]))[:k]:
            top = e["runs"]["paragraf"][:10]
            rel = sorted((i for i, g in q[n].items() if g == 2))
            print(f"Q{n} [{e['phenomenon']}] {e['q']}: nDCG@10 {v:.3f}; paragraf top10 grades "
                  f"{[q[n].get(i, 0) for i in top]}; {len(rel)} grade-2 items; returned {len(e['runs']['paragraf'])} hits")

main()
