#!/usr/bin/env python3
"""Turns the real-protokoll text exports into HTML that LibreOffice renders as a protokoll PDF.

Called by scripts/render-real-pdfs (which runs soffice); python3 standard library only.

One source page (form feed, `<!-- sida N -->`, or the Jönköping running header) becomes one
PDF page. Per page:
  * page 1 is the cover: from the first "Plats…"/"Tid…" label to the page footer, the lines
    become a bordered table, label column | value column(s) (a value line that the layout text
    splits with a wide gap gets a second value column, as in Kungsbacka's Ledamöter /
    Tjänstgörande ersättare);
  * layout lines (.txt, Kungsbacka .md) are kept one PDF line per source line; a line with a
    wide gap (running header left/right, "SBN § 38      SBN/2025:74") becomes a borderless
    two-column table row;
  * Markdown pipe tables become real tables, `#` headings and `**x**` bold; "§ N" headings
    and the protokoll's sub-headings are bold in the layout files.
For each document a JSON sidecar `<name>.pdf.cover.json` lists the cover table's rows (label,
value columns) so that scripts/compare-pdf-extractors can check them.
"""
import html
import json
import os
import re
import sys

GAP = re.compile(r"\S(\s{3,})\S")

# Cover labels, longest first (a label must be followed by ":", white space or the line end).
LABELS = sorted(
    [
        "Plats och tid för sammanträde", "Plats och tid för justering", "Plats och tid för",
        "Plats och tid", "Tid och plats", "Plats", "Tid",
        "Beslutande ledamöter", "Beslutandeledamöter", "Beslutande organ", "Beslutande",
        "Tjänstgörande ersättare", "Icke tjänstgörande ersättare", "Närvarande ersättare",
        "Ordinarie ledamöter", "Övriga närvarande", "Övriga deltagare", "Utses att justera",
        "Utses att Justera", "Justeringens plats och tid", "Justeringens plats och datum",
        "Justering", "Justerade paragrafer", "Paragrafer", "Paragraf", "Underskrifter",
        "Underskrift", "Sekreterare", "Ordförande", "Justerande", "Protokolljusterare",
        "Protokollet har justerats digitalt av", "Protokollet har justerats av",
        "ANSLAG/BEVIS", "**ANSLAG/BEVIS**", "Organ", "Sammanträdesdatum",
        "Datum för anslags uppsättande", "Datum för anslags nedtagande",
        "Datum då anslaget sätts upp", "Datum då anslaget tas ned", "Anslaget sätts upp",
        "Anslaget tas ned", "Förvaringsplats för protokollet", "Protokollets förvaringsplats",
        "Ledamöter", "Ersättare", "Tjänstepersoner", "Tjänstemän", "Justerare",
    ],
    key=len,
    reverse=True,
)
START_LABELS = ("Plats", "Tid")
LABEL_RE = re.compile(
    r"^(" + "|".join(re.escape(l) for l in LABELS) + r")(:?)(?=\s|$)(.*)$"
)
ANY_LABEL_RE = re.compile(
    r"(?<![\w/])(" + "|".join(re.escape(l) for l in LABELS) + r")(?=[\s:]|$)"
)
FOOTER = re.compile(
    r"^(Justerande(s sign\w*)?(\s+Utdragsbestyrkande)?|Protokollet har justerats digitalt|"
    r"Justerandes sign\w*|Utdragsbestyrkande|Det här dokumentet är digitalt signerat|"
    r"Transaktionsidentitet:.*|Justerare\s+Expedierat/bestyrkt)$"
)
SUBHEADINGS = {
    "Ärendebeskrivning", "Ärendet", "Bakgrund", "Sammanfattning", "Sammanfattning av ärendet",
    "Beslutsunderlag", "Beslut", "Beslut:", "Beslutsgång", "Jäv", "Yrkanden", "Yrkande",
    "Reservation", "Reservationer", "Beslutet skickas till", "Beslutet expedieras till:",
    "Beslutet expedieras till", "Byggnadsnämndens beslut", "Innehåll", "Innehållsförteckning",
    "Ärendelista", "ANSLAG/BEVIS", "Förslag till beslut på sammanträdet",
}
SECTION = re.compile(r"^(?:[A-ZÅÄÖ]{2,6} )?§ ?\d+")


def esc(s):
    return html.escape(s, quote=False)


def inline_md(s):
    """Markdown inline markup to HTML (text already escaped)."""
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", s)
    s = re.sub(r"(?<![\w*])\*(\S[^*]*?)\*(?![\w*])", r"<i>\1</i>", s)
    s = re.sub(r"(?<!\w)_(\S[^_]*?)_(?!\w)", r"<i>\1</i>", s)
    s = s.replace("&lt;br&gt;", "<br>")
    return s


def strip_md(s):
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)
    return s.replace("**", "")


def split_pages(path, text):
    if path.endswith(".md"):
        if text.startswith("---\n"):
            end = text.index("\n---\n", 4)
            text = text[end + 5:]
        if "<!-- sida " in text:
            parts = re.split(r"^<!-- sida \d+ -->\s*$", text, flags=re.M)
            return [p.strip("\n").split("\n") for p in parts[1:]]
        pages, cur = [], None
        for line in text.split("\n"):
            if line.startswith("JÖNKÖPINGS KOMMUN") or (
                    cur is not None and line.startswith("**==> picture") and "elektroniskt signerat" in text[text.find(line):text.find(line) + 400]):
                cur = []
                pages.append(cur)
            if cur is None:
                if not line.strip():
                    continue
                cur = []
                pages.append(cur)
            cur.append(line)
        return [[l.rstrip() for l in p] for p in pages]
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [p.rstrip("\n").split("\n") for p in pages]


def fields(line):
    """A layout line split at wide gaps; a line indented by 20+ columns gets an empty first field."""
    stripped = line.strip()
    parts = re.split(r"\s{3,}", stripped)
    if len(line) - len(line.lstrip()) >= 20:
        parts = [""] + parts
    return parts


def is_gap_line(line):
    return bool(GAP.search(line.strip())) or (len(line) - len(line.lstrip()) >= 20 and line.strip())


def md_table(lines):
    rows = []
    for l in lines:
        cells = [c.strip() for c in l.strip()[1:-1].split("|")]
        if all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c):
            continue
        rows.append(cells)
    out = ['<table border="1" cellspacing="0" cellpadding="2" width="100%">']
    for i, r in enumerate(rows):
        tag = "td"
        out.append("<tr>" + "".join(f"<{tag} valign=\"top\">{inline_md(esc(c)) or '&nbsp;'}</{tag}>" for c in r) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def para(text, bold=False, size=None):
    body = text if text else "&nbsp;"
    if bold:
        body = f"<b>{body}</b>"
    style = ' style="margin-top:0;margin-bottom:0"'
    return f"<p{style}>{body}</p>"


def layout_line_html(line, md):
    s = line.strip()
    h = inline_md(esc(s)) if md else esc(s)
    bold = bool(SECTION.match(s)) or strip_md(s).strip() in SUBHEADINGS
    return para(h, bold=bold)


def grid_table(rows):
    """Borderless table for gap lines (running header, heading with Dnr at the right)."""
    n = max(len(r) for r in rows)
    out = ['<table border="0" cellspacing="0" cellpadding="0" width="100%">']
    for r in rows:
        r = r + [""] * (n - len(r))
        if n == 2:
            widths = ["55%", "45%"]
        else:
            widths = [f"{100 // n}%"] * n
        out.append("<tr>" + "".join(
            f'<td width="{w}" valign="top">{esc(c) or "&nbsp;"}</td>'
            for c, w in zip(r, widths)) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def body_html(lines, md, layout):
    """Lines of a page (outside the cover table) to HTML. Runs of layout lines become one
    paragraph with a line break per source line (no paragraph spacing, so a page fits)."""
    out = []
    buf = []

    def flush():
        while buf and buf[-1] == "&nbsp;":
            buf.pop()
        if buf:
            out.append(P + "<br>".join(buf) + "</p>")
        buf.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        s = line.strip()
        if md and s.startswith("|"):
            flush()
            j = i
            while j < len(lines) and lines[j].strip().startswith("|"):
                j += 1
            out.append(md_table(lines[i:j]))
            i = j
            continue
        if md and re.match(r"^#{1,6} ", s):
            flush()
            out.append(P + "<b>" + inline_md(esc(re.sub(r"^#{1,6} ", "", s))) + "</b></p>")
            i += 1
            continue
        if layout and is_gap_line(line):
            flush()
            j, rows = i, []
            while j < len(lines) and (is_gap_line(lines[j]) or (not lines[j].strip() and j + 1 < len(lines) and is_gap_line(lines[j + 1]))):
                rows.append(fields(lines[j]) if lines[j].strip() else [""])
                j += 1
            out.append(grid_table(rows))
            i = j
            continue
        if not s:
            if layout and buf:
                buf.append("&nbsp;")
            i += 1
            continue
        if layout:
            h = inline_md(esc(s)) if md else esc(s)
            if SECTION.match(s) or strip_md(s).strip() in SUBHEADINGS:
                h = f"<b>{h}</b>"
            buf.append(h)
        else:
            t = s[2:] if s.startswith("> ") else s
            b = bool(SECTION.match(strip_md(t))) or strip_md(t).strip() in SUBHEADINGS
            out.append(f'<p style="margin-top:0;margin-bottom:3pt">{"<b>" if b else ""}{inline_md(esc(t))}{"</b>" if b else ""}</p>')
        i += 1
    flush()
    return "\n".join(out)


P = '<p style="margin-top:0;margin-bottom:0">'


def split_label(text):
    """'Label: rest' -> (label, rest) or None."""
    m = LABEL_RE.match(text)
    if not m:
        return None
    return m.group(1).replace("**", "") + m.group(2), m.group(3).strip()


def cover_rows(lines, md):
    """Cover lines to rows: {"label": str, "cols": [[line, …], …]}."""
    rows = []

    def new_row(label):
        rows.append({"label": label, "lines": []})

    def add_value(parts):
        if not rows:
            new_row("")
        rows[-1]["lines"].append([p for p in parts])

    for line in lines:
        s = line.strip()
        if not s:
            continue
        if md:
            s = strip_md(s)
        if s.startswith("> "):
            # Jönköping 2016: fields run together on one line; split at every label.
            s = s[2:].strip()
            pos = [m.start() for m in ANY_LABEL_RE.finditer(s)]
            if not pos or pos[0] != 0:
                pos = [0] + pos
            for a, b in zip(pos, pos[1:] + [len(s)]):
                piece = s[a:b].strip()
                sl = split_label(piece)
                if sl:
                    new_row(sl[0])
                    if sl[1]:
                        add_value([sl[1]])
                else:
                    add_value([piece])
            continue
        if rows and s == "sammanträde" and rows[-1]["label"].endswith("för"):
            rows[-1]["label"] += " sammanträde"
            continue
        parts = fields(line) if GAP.search(s) else [s]
        if parts and parts[0] == "":
            parts = parts[1:]
        first = split_label(parts[0])
        if first:
            label, rest = first
            # "Underskrifter Sekreterare ……": a label right after a label is a row of its own.
            while rest and len(parts) == 1:
                nested = split_label(rest)
                if not nested:
                    break
                new_row(label)
                label, rest = nested
            new_row(label)
            vals = ([rest] if rest else []) + parts[1:]
            # A later column that starts with a label and has a value ("Paragrafer §§ 179-180")
            # is a row of its own.
            cur = []
            for v in vals:
                sl = split_label(v)
                if sl and sl[1] and cur:
                    add_value(cur)
                    new_row(sl[0])
                    cur = [sl[1]]
                else:
                    cur.append(v)
            if cur:
                add_value(cur if len(cur) <= 2 else [cur[0], " ".join(cur[1:])])
        else:
            add_value(parts if len(parts) <= 2 else [parts[0], " ".join(parts[1:])])
    out = []
    for r in rows:
        ncols = max([len(l) for l in r["lines"]] + [1])
        cols = [[(l[k] if k < len(l) else "") for l in r["lines"]] for k in range(ncols)]
        out.append({"label": r["label"], "cols": cols})
    return out


def jonkoping_2023_cover(lines):
    """The 2023 converter put all labels in one cell and all values in the other; realign them
    into label | value rows (the original's layout). Text is unchanged except the lone " "."""
    cells = []
    for l in lines:
        if l.startswith("|") and not re.match(r"^\|[-|]+\|$", l):
            cells.append([c.split("<br>") for c in l.strip()[1:-1].split("|")])
    labels, values = cells[0]
    values = [v.strip() for v in values if v.strip()]
    take = {"Plats och tid": 1, "Beslutande": 15, "Närvarande ersättare": 10,
            "Utses att justera": 1, "Justeringens plats och tid": 1, "Underskrifter": 1,
            "Sekreterare": 1, "Ordförande": 1}
    rows, k = [], 0
    for lab in labels:
        n = take.get(lab, 0)
        if lab == "Justerande":
            vals = [v for v in cells[1][1] if v.strip()]
        else:
            vals, k = values[k:k + n], k + n
        rows.append({"label": lab, "cols": [vals]})
    # Row 3: ANSLAG/BEVIS block.
    l3, v3 = cells[2]
    v3 = [strip_md(v).strip() for v in v3]
    l3 = [x.strip() for x in l3]
    rows.append({"label": "", "cols": [[v3[0]]]})                      # Utdragsbestyrkande
    rows.append({"label": v3[1], "cols": [[v3[2]]]})                   # ANSLAG/BEVIS
    rows.append({"label": l3[0], "cols": [[v3[3]]]})           # Organ
    rows.append({"label": l3[1], "cols": [[v3[4]]]})           # Sammanträdesdatum
    rows.append({"label": l3[2], "cols": [[v3[5]]]})           # uppsättande
    rows.append({"label": v3[6].strip(), "cols": [[v3[7]]]})           # nedtagande
    rows.append({"label": l3[3], "cols": [[v3[8]]]})           # Förvaringsplats
    rows.append({"label": l3[4], "cols": [[""]]})              # Underskrift
    rows.append({"label": cells[3][0][0].strip(), "cols": [[""]]})        # Justerandes sign
    return rows


def cover_html(rows):
    ncols = max(len(r["cols"]) for r in rows)
    out = ['<table border="1" cellspacing="0" cellpadding="1" width="100%">']
    for r in rows:
        cols = r["cols"] + [[]] * (ncols - len(r["cols"]))
        cells = [f'<td width="28%" valign="top"><b>{esc(r["label"]) or "&nbsp;"}</b></td>']
        w = 72 // ncols
        for k, c in enumerate(cols):
            if k == len(r["cols"]) - 1 and len(r["cols"]) < ncols:
                span = ncols - k
                attr = f' colspan="{span}" width="{w * span}%"'
            elif k >= len(r["cols"]):
                continue
            else:
                attr = f' width="{w}%"'
            while c and not c[-1]:
                c = c[:-1]
            txt = "<br>".join(esc(x) if x else "&nbsp;" for x in c) or "&nbsp;"
            cells.append(f'<td{attr} valign="top">{txt}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def render(src_root, rel, out_html, out_cover, font_pt):
    path = os.path.join(src_root, rel)
    text = open(path, encoding="utf-8").read()
    md = rel.endswith(".md")
    layout = not rel.startswith("jonkoping/")
    pages = split_pages(rel, text)
    parts = []
    cover = []
    for n, lines in enumerate(pages):
        pb = ' style="page-break-before: always; margin-top:0; margin-bottom:0"' if n else ' style="margin-top:0;margin-bottom:0"'
        parts.append(f'<p{pb}><span style="font-size:1pt">&#8203;</span></p>')
        if n == 0:
            if rel.endswith("2023-01-02.md"):
                first = next(i for i, l in enumerate(lines) if l.startswith("|Plats och tid"))
                start = first
                end = max(i for i, l in enumerate(lines) if l.startswith("|")) + 1
                cover = jonkoping_2023_cover(lines[start:end])
            else:
                start = next(i for i, l in enumerate(lines)
                             if re.match(r"^(> |\|)?(Plats|Tid)\b", l.strip()))
                end = len(lines)
                while end > start and (not lines[end - 1].strip() or FOOTER.match(lines[end - 1].strip())):
                    end -= 1
                if rel.endswith("2019-01-08.md"):
                    cover = []  # the export lost the cover values: its pipe table is kept as is
                else:
                    cover = cover_rows(lines[start:end], md)
            parts.append(body_html(lines[:start], md, layout))
            if cover:
                parts.append(cover_html(cover))
            else:
                parts.append(body_html(lines[start:end], md, layout))
            parts.append(body_html(lines[end:], md, layout))
        else:
            parts.append(body_html(lines, md, layout))
    doc = f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{esc(rel)}</title>
<style>
body {{ font-family: 'DejaVu Sans', sans-serif; font-size: {font_pt}pt; }}
p {{ font-family: 'DejaVu Sans', sans-serif; font-size: {font_pt}pt; margin-top: 0; margin-bottom: 0; }}
td {{ font-family: 'DejaVu Sans', sans-serif; font-size: {font_pt}pt; }}
</style></head>
<body lang="sv">
{chr(10).join(parts)}
</body></html>
"""
    with open(out_html, "w", encoding="utf-8") as f:
        f.write(doc)
    with open(out_cover, "w", encoding="utf-8") as f:
        json.dump({"source": rel, "pages": len(pages), "rows": cover}, f, ensure_ascii=False, indent=1)
    return len(pages)


if __name__ == "__main__":
    src_root, rel, out_html, out_cover, font_pt = sys.argv[1:6]
    print(render(src_root, rel, out_html, out_cover, float(font_pt)))
