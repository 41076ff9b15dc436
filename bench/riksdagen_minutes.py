#!/usr/bin/env python3
"""Turn ../shared/corpus/riksdagen-records-sample/speeches.jsonl into minutes files.

Usage: riksdagen_minutes.py SPEECHES.jsonl OUT

One file per protocol (OUT/minutes/<protocol>-<date>.txt), one "§ N" item per speech, so
Paragraf's parser splits them as it splits synthetic minutes. Real Swedish prose for the
realistic run of the benchmark (bench/README.md). Stdlib only; deterministic.
"""
import json
import os
import re
import sys


def main():
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(os.path.join(out, "minutes"), exist_ok=True)
    protocols = {}
    with open(src, encoding="utf-8") as f:
        for line in f:
            s = json.loads(line)
            protocols.setdefault((s["protocol"], s["date"]), []).append(s)
    n_items = 0
    for (prot, date), speeches in sorted(protocols.items()):
        slug = re.sub(r"[^a-z0-9]+", "-", prot.lower()).strip("-")
        lines = ["Protokoll", "Riksdagen", f"Datum: {date}", ""]
        for k, s in enumerate(sorted(speeches, key=lambda s: s["utterance_index"]), 1):
            lines += [f"§ {k} Anförande av {s['speaker_name']}", ""]
            lines += [s["speaker_note"] or "", ""]
            for para in s["text"].split("\n"):
                if para.strip():
                    lines += [para.strip(), ""]
            n_items += 1
        path = os.path.join(out, "minutes", f"{slug}-{date}.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
    print(json.dumps({"items": n_items, "meetings": len(protocols)}))


if __name__ == "__main__":
    main()
