#!/usr/bin/env python3
"""Print the pool of each query (union of the top 10 of every system) with the passage
to read: the speaker line and windows of the text around the query's word stems.
The judge reads these and writes grades; the system that found an item is not shown.

usage: show_pool.py ITEMS.jsonl RUNS.json [FIRST [LAST]]   (query numbers, 1-based)
"""
import json, re, sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import systems

DEPTH = 10
FOLD = str.maketrans("åäöéü", "aaoeu")

def pool(entry, depth=DEPTH):
    seen = []
    for ids in list(entry["runs"].values()) + list(entry.get("aid", {}).values()):
        for i in ids[:depth]:
            if i not in seen:
                seen.append(i)
    return sorted(seen)

def keys(q):
    words = [w for w in re.findall(r"\w+", q.lower().translate(FOLD)) if len(w) >= 2]
    return [w[:max(3, min(len(w) - 1, 5))] if len(w) > 3 else w for w in words]

def forms(text, q):
    """The words of the text that begin like a query word (folded), to see at a glance."""
    ks = [w[:4] if len(w) > 5 else w[:3] for w in re.findall(r"\w+", q.lower().translate(FOLD)) if len(w) >= 2]
    out = []
    for w in re.findall(r"\w+", text):
        f = w.lower().translate(FOLD)
        if any(k in f for k in ks) and w.lower() not in out:
            out.append(w.lower())
    return out[:10]

def passage(text, q, width=60, maxwin=2):
    f = text.lower().translate(FOLD)
    words = [w for w in re.findall(r"\w+", q.lower().translate(FOLD)) if len(w) >= 2]
    hits = []
    for w in words:
        key = w[:max(3, min(len(w) - 1, 5))] if len(w) > 3 else w
        for m in re.finditer(re.escape(key), f):
            hits.append(m.start())
            if len(hits) > 6:
                break
    hits.sort()
    if not hits:
        return text[:2 * width].replace("\n", " ")
    wins, last = [], -10**9
    for h in hits:
        if h > last + 2 * width and len(wins) < maxwin:
            a, b = max(0, h - width), min(len(text), h + width)
            wins.append(text[a:b].replace("\n", " "))
            last = h
    return " … ".join(wins)

if __name__ == "__main__":
    items = systems.load_items(sys.argv[1])
    runs = json.load(open(sys.argv[2], encoding="utf-8"))
    first = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    last = int(sys.argv[4]) if len(sys.argv) > 4 else len(runs)
    for n, e in enumerate(runs[first - 1:last], first):
        p = pool(e)
        print(f"=== Q{n} [{e['phenomenon']}] {e['q']}  (pool {len(p)})")
        for k, i in enumerate(p, 1):
            t = items[i]
            title, body = t.split("\n", 1)
            print(f"{k}. {title[13:]} [{','.join(forms(body, e.get('intended', e['q'])))}] {passage(body, e.get('intended', e['q']))}")
