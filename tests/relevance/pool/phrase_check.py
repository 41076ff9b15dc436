#!/usr/bin/env python3
"""Reading aid for phrase queries: for each pooled item, does the exact phrase occur
(case-insensitive, whitespace-normalised), and the sentence around it.
usage: phrase_check.py ITEMS.jsonl RUNS.json FIRST LAST"""
import json, re, sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import systems
from show_pool import pool
items = systems.load_items(sys.argv[1])
runs = json.load(open(sys.argv[2], encoding="utf-8"))
for n, e in enumerate(runs[int(sys.argv[3]) - 1:int(sys.argv[4])], int(sys.argv[3])):
    ph = e["q"].strip('"').lower()
    print(f"=== Q{n} {e['q']}")
    for k, i in enumerate(pool(e), 1):
        t = re.sub(r"\s+", " ", items[i])
        m = re.search(re.escape(ph), t.lower())
        if m:
            print(f"{k}. EXACT | {t[max(0, m.start() - 70):m.end() + 70]}")
        else:
            w = ph.split()
            m2 = re.search(re.escape(w[0][:5]) + r"\w*\s+" + re.escape(w[-1][:4]), t.lower())
            ctx = t[max(0, m2.start() - 60):m2.end() + 60] if m2 else t[:130]
            print(f"{k}. {'VARIANT' if m2 else 'none'} | {ctx}")
