// Paragraf's search page: plain JavaScript, no build step, served from the binary.
//
// The whole page state lives in the URL (q, municipality, speaker, body, dnr, from, to, sort,
// page, item), so a search or an item can be bookmarked and mailed. Every string from the API is
// inserted as text; the one exception, the snippet (escaped text with <mark>), is split at its
// <mark>s and decoded as text, so only text and <mark> can reach the page.
"use strict";

(function () {
  const PAGE_SIZE = 10;
  const MAX_DEPTH = 1000; // offset + limit, as the API allows
  // Every filter the API takes, as the page writes it in its URL; `case_number` in a URL is
  // read as `dnr`, its alias in the API.
  const FILTERS = ["municipality", "speaker", "body", "dnr"];
  // The filters the API counts in its facets.
  const FACETS = ["municipality", "speaker", "body"];
  const NO_FILTERS = { municipality: [], speaker: [], body: [], dnr: [], from: "", to: "" };
  const FACET_LABELS = {
    municipality: "Kommun",
    speaker: "Föredragande",
    body: "Organ",
    dnr: "Dnr",
    year: "År",
  };
  // The sub-headings of a formal protokoll's item (docs/domain.md), shown as headings in the item.
  const SUB_HEADINGS =
    /^(Ärendebeskrivning|Ärendet|Sammanfattning|Bakgrund|Beslutsunderlag|Förslag till beslut|Yrkanden?|Propositionsordning|Beslutsgång|Omröstning|Beslut|Reservation(er)?|Protokollsanteckning(ar)?|Särskilt yttrande|Jäv|Expedieras till|Skickas till)$/;
  const SUGGEST_KINDS = {
    term: "ord",
    speaker: "föredragande",
    municipality: "kommun",
    body: "organ",
  };
  const ERRORS = {
    invalid_date:
      "Datumet känns inte igen. Skriv ÅÅÅÅ-MM-DD, ÅÅÅÅ-MM eller ÅÅÅÅ, med Från före Till.",
    invalid_municipality: "Kommunen känns inte igen. Välj en kommun i listan.",
    query_too_long: "Sökningen är för lång: högst 500 tecken.",
    offset_too_deep: "Så långt bak går det inte att bläddra. Förfina sökningen i stället.",
    invalid_parameter: "Sökadressen innehåller ett ogiltigt värde.",
    invalid_limit: "Sökadressen innehåller ett ogiltigt värde.",
    item_not_found: "Punkten finns inte i sökindexet. Den kan ha tagits bort.",
  };

  const $ = (id) => document.getElementById(id);
  const names = new Map(); // municipality code -> name, learned from facets and hits
  let searchSeq = 0;
  let searchAbort = null;
  let lastItemId = null;

  // ---- small DOM helpers -------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /**
   * The API's snippet (escaped text with <mark>) as nodes. It is not parsed as HTML: the
   * string is split at <mark> and </mark> and the rest decoded as text, so nothing but text and
   * <mark> can reach the page whatever the string holds.
   */
  function snippetNodes(html) {
    const out = [];
    let marked = false;
    for (const part of html.split(/(<\/?mark>)/)) {
      if (part === "<mark>") marked = true;
      else if (part === "</mark>") marked = false;
      else if (part) out.push(marked ? el("mark", null, decodeEntities(part)) : document.createTextNode(decodeEntities(part)));
    }
    return out;
  }

  const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

  function decodeEntities(text) {
    return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
      if (name[0] === "#") {
        const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    });
  }

  /** Folds case and diacritics, as search does: "Besöksförbud" → "besoksforbud". */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  /** The words of a query to mark in an item: not operators, not excluded words. */
  function queryWords(q) {
    return (q || "")
      .split(/\s+/)
      .filter((w) => w && !/^(OR|AND)$/.test(w) && !w.startsWith("-"))
      .map((w) => fold(w.replace(/["*()]/g, "")))
      .filter((w) => w.length >= 3);
  }

  /**
   * Text with the words that match the query marked. A word matches when it contains a query
   * word's stem (the word less a Swedish ending), so compounds and other forms are marked too:
   * "förbud" marks "besöksförbudet".
   */
  function markWords(text, words) {
    if (!words.length) return [text];
    const stems = words.map((w) => (w.length > 5 ? w.replace(/(arna|erna|orna|ande|ende|ar|er|or|en|et|na|a|e)$/, "") : w));
    const out = [];
    let last = 0;
    for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
      const folded = fold(m[0]);
      if (!stems.some((s) => folded.includes(s))) continue;
      if (m.index > last) out.push(text.slice(last, m.index));
      out.push(el("mark", null, m[0]));
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  }

  /**
   * The first sentence of a snippet that is the item's opening (no "… " before it), as a title:
   * its first line, cut at the end of its first sentence and to a readable length; "" when the
   * snippet starts inside the text.
   */
  function openingSentence(snippet) {
    if (!snippet || snippet.startsWith("…")) return "";
    const text = snippetNodes(snippet).map((n) => n.textContent).join("");
    let line = (text.split(/\n/).find((l) => l.trim()) || "").trim().replace(/^[•·–-]\s*/, "").replace(/\s+…$/, "");
    const end = /^(.{12,}?[.!?])(\s|$)/.exec(line);
    if (end) line = end[1];
    if (line.length > 90) line = line.slice(0, 90).replace(/\s+\S*$/, "") + " …";
    return line;
  }

  function plural(n, one, many) {
    return n === 1 ? one : many;
  }

  function formatCount(n) {
    return n.toLocaleString("sv-SE");
  }

  /** "3", read out as "3 träffar". */
  function countBadge(n) {
    return el("span", { class: "count" }, formatCount(n), el("span", { class: "visually-hidden" }, " " + plural(n, "träff", "träffar")));
  }

  // ---- state <-> URL ------------------------------------------------------------------------

  function readState() {
    const p = new URLSearchParams(location.search);
    const page = parseInt(p.get("page") || "1", 10);
    return {
      q: p.get("q") || "",
      municipality: p.getAll("municipality").filter(Boolean),
      speaker: p.getAll("speaker").filter(Boolean),
      body: p.getAll("body").filter(Boolean),
      dnr: p.getAll("dnr").concat(p.getAll("case_number")).filter(Boolean),
      from: p.get("from") || "",
      to: p.get("to") || "",
      sort: p.get("sort") || "",
      page: Number.isFinite(page) && page > 0 ? page : 1,
      item: p.get("item") || "",
      case: p.get("case") || "",
      meeting: p.get("meeting") || "",
    };
  }

  function toParams(state, { item = state.item, page = state.page } = {}) {
    const p = new URLSearchParams();
    if (item) p.set("item", item);
    else if (state.case) p.set("case", state.case);
    else if (state.meeting) p.set("meeting", state.meeting);
    if (state.q) p.set("q", state.q);
    for (const key of FILTERS) for (const v of state[key]) p.append(key, v);
    if (state.from) p.set("from", state.from);
    if (state.to) p.set("to", state.to);
    if (state.sort) p.set("sort", state.sort);
    if (page > 1) p.set("page", String(page));
    return p;
  }

  function urlFor(state, opts) {
    const s = toParams(state, opts).toString();
    return s ? "/?" + s : "/";
  }

  function searchUrl(state) {
    return urlFor({ ...state, case: "", meeting: "" }, { item: "" });
  }

  function hasFilters(state) {
    return FILTERS.some((k) => state[k].length > 0) || state.from || state.to;
  }

  /** Goes to a new state: a new history entry, then renders it. */
  function go(state, focus) {
    const now = readState();
    const fromList = !now.item && !now.case && !now.meeting;
    if (fromList) {
      // Remember where the list was scrolled, for the way back.
      history.replaceState({ scrollY: window.scrollY }, "");
    }
    // An item opened from the list knows it, so its "Tillbaka" can step back in history.
    history.pushState({ fromList: fromList && Boolean(state.item) }, "", urlFor(state));
    render(focus);
  }

  function withSearch(patch) {
    const state = { ...readState(), item: "", case: "", meeting: "", page: 1, ...patch };
    return state;
  }

  // ---- fetching -----------------------------------------------------------------------------

  async function api(path, signal) {
    let response;
    try {
      response = await fetch(path, { signal, headers: { Accept: "application/json" } });
    } catch (e) {
      if (e.name === "AbortError") throw e;
      throw { code: "network", message: String(e) };
    }
    let body = null;
    try {
      body = await response.json();
    } catch (_) {
      body = null;
    }
    if (!response.ok) {
      throw {
        code: (body && body.code) || "http_" + response.status,
        message: (body && body.message) || response.statusText,
        status: response.status,
      };
    }
    return body;
  }

  function errorText(err) {
    if (err.code === "network") return "Sökningen svarar inte. Försök igen om en stund.";
    return ERRORS[err.code] || "Något gick fel (" + err.message + ").";
  }

  // ---- rendering ----------------------------------------------------------------------------

  function render(focus) {
    const state = readState();
    if (state.item) return renderItem(state, focus);
    if (state.case) return renderCase(state, focus);
    if (state.meeting) return renderMeeting(state, focus);
    return renderSearch(state, focus);
  }

  function citation(meeting, section, ordinal) {
    const who = meeting.body || meeting.id;
    const when = meeting.date ? " " + meeting.date : "";
    const where = section ? " " + section : ordinal ? ", punkt " + ordinal : "";
    return who + when + where;
  }

  function ordinalOf(id) {
    const m = /\.(\d+)$/.exec(id);
    return m ? parseInt(m[1], 10) : null;
  }

  function municipalityName(code) {
    return names.get(code) || code;
  }

  function filterLabel(key, value) {
    return key === "municipality" ? municipalityName(value) : value;
  }

  async function renderSearch(state, focus) {
    $("item-view").hidden = true;
    $("search-view").hidden = false;
    $("q").value = state.q;
    document.title = (state.q ? state.q + " – " : "") + "Paragraf – sök i protokoll";
    $("from").value = state.from;
    $("to").value = state.to;
    const sort = $("sort");
    sort.value = state.q ? state.sort || "relevance" : "date";
    sort.disabled = !state.q;

    const seq = ++searchSeq;
    if (searchAbort) searchAbort.abort();
    searchAbort = new AbortController();
    const params = toParams(state, { item: "", page: 1 });
    params.delete("page");
    params.set("limit", String(PAGE_SIZE));
    params.set("offset", String((state.page - 1) * PAGE_SIZE));
    $("main").setAttribute("aria-busy", "true");
    let data;
    try {
      data = await api("/api/search?" + params.toString(), searchAbort.signal);
    } catch (err) {
      if (err.name === "AbortError" || seq !== searchSeq) return;
      $("main").removeAttribute("aria-busy");
      showError(errorText(err));
      renderActiveFilters(state);
      return;
    }
    if (seq !== searchSeq) return;
    $("main").removeAttribute("aria-busy");
    $("error").hidden = true;

    rememberForms(state.q, data.hits);
    renderWatch(state);
    for (const f of data.facets.municipality) if (f.name) names.set(f.value, f.name);
    for (const h of data.hits) for (const m of h.municipalities) names.set(m.code, m.name);

    renderSummary(state, data);
    renderActiveFilters(state);
    renderFacets(state, data.facets);
    renderHits(state, data);
    renderPager(state, data);
    renderEmpty(state, data);

    const restore = focus || {};
    if (restore.filter) {
      if (narrow()) {
        $("filters").open = false;
        restore.summary = true;
        $("summary").scrollIntoView({ block: "start" });
      } else {
        restore.id = restore.filter;
      }
    }
    if (restore.scrollY !== undefined) window.scrollTo(0, restore.scrollY);
    if (restore.id && $(restore.id)) $(restore.id).focus({ preventScroll: restore.scrollY !== undefined });
    else if (restore.summary) $("summary").focus();
  }

  function showError(text) {
    const box = $("error");
    box.replaceChildren(text);
    box.hidden = false;
    $("hits").replaceChildren();
    $("empty").hidden = true;
    $("pager").hidden = true;
    $("summary").replaceChildren();
  }

  function renderSummary(state, data) {
    const n = data.total;
    const parts = [];
    if (state.q) {
      parts.push(
        el("strong", null, formatCount(n)),
        " " + plural(n, "träff", "träffar") + " för ",
        el("q", null, state.q),
      );
    } else {
      parts.push(el("strong", null, formatCount(n)), " " + plural(n, "punkt", "punkter") + ", nyast först");
    }
    if (data.mode === "any" && n > 0 && !/\bOR\b/.test(state.q)) {
      parts.push(
        el("span", { class: "notice" }, "Ingen punkt innehöll alla orden, så här visas punkter med något av dem."),
      );
    }
    if (data.did_you_mean && data.did_you_mean !== state.q) {
      parts.push(el("span", { class: "notice" }, "Menade du ", suggestionLink(data.did_you_mean), "?"));
    }
    $("summary").replaceChildren(...parts);
    $("summary").setAttribute("tabindex", "-1");
  }

  /** A link that searches for `q` with the same filters ("Menade du …?"). */
  function suggestionLink(q) {
    const state = withSearch({ q, sort: "" });
    return el(
      "a",
      {
        href: searchUrl(state),
        class: "did-you-mean",
        onclick: (e) => {
          if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          go(state, { summary: true });
        },
      },
      q,
    );
  }

  function removeFilterButton(label, patch) {
    return el(
      "li",
      null,
      el(
        "button",
        {
          type: "button",
          class: "chip",
          "aria-label": "Ta bort filtret " + label,
          onclick: () => go(withSearch(patch), { summary: true }),
        },
        label,
        el("span", { "aria-hidden": "true", class: "chip-x" }, "×"),
      ),
    );
  }

  function renderActiveFilters(state) {
    const items = [];
    for (const key of FILTERS) {
      for (const value of state[key]) {
        items.push(
          removeFilterButton(FACET_LABELS[key] + ": " + filterLabel(key, value), {
            [key]: state[key].filter((v) => v !== value),
          }),
        );
      }
    }
    if (state.from) items.push(removeFilterButton("Från " + state.from, { from: "" }));
    if (state.to) items.push(removeFilterButton("Till " + state.to, { to: "" }));
    const box = $("active-filters");
    if (items.length === 0) {
      box.replaceChildren();
      return;
    }
    if (items.length > 1) {
      items.push(
        el(
          "li",
          null,
          el(
            "button",
            {
              type: "button",
              class: "link-button",
              onclick: () => go(withSearch({ ...NO_FILTERS }), { summary: true }),
            },
            "Rensa alla filter",
          ),
        ),
      );
    }
    box.replaceChildren(el("span", { class: "visually-hidden" }, "Valda filter:"), el("ul", null, items));
  }

  function slug(value) {
    return value.toLowerCase().replace(/[^a-z0-9åäö]+/g, "-");
  }

  function renderFacets(state, facets) {
    for (const key of FACETS) {
      const values = facets[key].slice();
      for (const selected of state[key]) {
        if (!values.some((f) => f.value === selected)) values.unshift({ value: selected, count: 0 });
      }
      const list = document.querySelector("#facet-" + key + " .facet-list");
      list.replaceChildren(
        ...values.map((f) => {
          const id = "f-" + key + "-" + slug(f.value);
          const checked = state[key].includes(f.value);
          return el(
            "li",
            null,
            el("input", {
              type: "checkbox",
              id,
              checked,
              onchange: (e) => {
                const next = e.target.checked
                  ? state[key].concat([f.value])
                  : state[key].filter((v) => v !== f.value);
                go(withSearch({ [key]: next }), { filter: id });
              },
            }),
            el(
              "label",
              { for: id },
              el("span", { class: "facet-name" }, key === "municipality" ? f.name || municipalityName(f.value) : f.value),
              countBadge(f.count),
            ),
          );
        }),
      );
      if (values.length === 0) list.replaceChildren(el("li", { class: "hint" }, "Inga värden"));
    }
    // År: one year at a time, as the date range from = to = YYYY.
    const year = state.from && state.from === state.to && /^\d{4}$/.test(state.from) ? state.from : "";
    const years = facets.year.slice();
    if (year && !years.some((f) => f.value === year)) years.unshift({ value: year, count: 0 });
    const radio = (value, label, count) => {
      const id = "f-year-" + (value || "alla");
      return el(
        "li",
        null,
        el("input", {
          type: "radio",
          name: "year",
          id,
          checked: value === year && (value !== "" || !state.from && !state.to),
          onchange: () => go(withSearch({ from: value, to: value }), { filter: id }),
        }),
        el(
          "label",
          { for: id },
          el("span", { class: "facet-name" }, label),
          count === null ? null : countBadge(count),
        ),
      );
    };
    document
      .querySelector("#facet-year .facet-list")
      .replaceChildren(radio("", "Alla år", null), ...years.map((f) => radio(f.value, f.value, f.count)));
  }

  function filterButton(key, value, label) {
    const selected = readState()[key].includes(value);
    return el(
      "button",
      {
        type: "button",
        class: "tag",
        "aria-pressed": selected ? "true" : "false",
        title: selected ? "Filtret används redan" : "Visa bara " + label,
        onclick: () => {
          const state = readState();
          if (!state[key].includes(value)) go(withSearch({ [key]: state[key].concat([value]) }), { summary: true });
        },
      },
      label,
    );
  }

  function renderHits(state, data) {
    const list = $("hits");
    list.setAttribute("start", String(data.offset + 1));
    list.replaceChildren(
      ...data.hits.map((hit) => {
        const ordinal = ordinalOf(hit.id);
        const cite = citation(hit.meeting, hit.section, ordinal);
        // Without a heading, the first sentence when the snippet is the item's opening, so the
        // list reads as more than "SVOM 2020-12-04, punkt N" (issue #18); marked as taken from
        // the text, since the protokoll gave it no heading.
        const derived = hit.title ? "" : openingSentence(hit.snippet);
        const heading = hit.title || derived;
        const link = el(
          "a",
          {
            href: urlFor(state, { item: hit.id }),
            id: "hit-" + hit.id,
            class: "hit-link",
            onclick: (e) => {
              if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
              e.preventDefault();
              go({ ...state, item: hit.id }, { heading: true });
            },
          },
          heading || cite,
        );
        const tags = [];
        if (hit.speakers.length) {
          tags.push(
            el(
              "div",
              { class: "tags" },
              el("span", { class: "tags-label" }, "Föredragande:"),
              hit.speakers.map((s) =>
                filterButton("speaker", s.name, s.name + (s.party ? " (" + s.party + ")" : "")),
              ),
            ),
          );
        }
        if (hit.municipalities.length) {
          tags.push(
            el(
              "div",
              { class: "tags" },
              el("span", { class: "tags-label" }, plural(hit.municipalities.length, "Kommun:", "Kommuner:")),
              hit.municipalities.map((m) => filterButton("municipality", m.code, m.name)),
            ),
          );
        }
        return el(
          "li",
          { class: "hit", "data-id": hit.id },
          el(
            "h2",
            { class: "hit-title" + (derived ? " derived" : "") },
            link,
            derived ? el("span", { class: "derived-note" }, " (ur texten)") : null,
          ),
          el(
            "p",
            { class: "hit-meta" },
            heading ? el("span", { class: "cite" }, cite) : null,
            hit.meeting.body ? el("span", null, el("span", { class: "visually-hidden" }, "Organ: "), hit.meeting.body) : null,
            hit.meeting.date ? el("span", null, "Datum: ", el("time", { datetime: hit.meeting.date }, hit.meeting.date)) : null,
            // Only officials (a token or the intranet's login) are shown internal items (issue #20).
            hit.meeting.visibility === "internal" ? el("span", { class: "internal" }, "Intern") : null,
          ),
          el("p", { class: "snippet" }, snippetNodes(hit.snippet)),
          tags,
          hitLinks(state, hit),
        );
      }),
    );
  }

  function renderPager(state, data) {
    const pager = $("pager");
    const reachable = Math.min(data.total, MAX_DEPTH);
    const pages = Math.max(1, Math.ceil(reachable / PAGE_SIZE));
    if (pages <= 1) {
      pager.hidden = true;
      pager.replaceChildren();
      return;
    }
    const link = (page, label, rel) =>
      el(
        "a",
        {
          href: urlFor(state, { item: "", page }),
          rel,
          onclick: (e) => {
            if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
            e.preventDefault();
            go({ ...state, page }, { summary: true });
          },
        },
        label,
      );
    pager.replaceChildren(
      state.page > 1 ? link(state.page - 1, "← Föregående", "prev") : el("span", { class: "pager-off" }, ""),
      el("span", { "aria-current": "page" }, "Sida " + state.page + " av " + pages),
      state.page < pages ? link(state.page + 1, "Nästa →", "next") : el("span", { class: "pager-off" }, ""),
    );
    pager.hidden = false;
  }

  function renderEmpty(state, data) {
    const box = $("empty");
    if (data.total > 0) {
      box.hidden = true;
      box.replaceChildren();
      return;
    }
    const tips = [];
    tips.push(el("li", null, "Kontrollera stavningen."));
    const words = state.q.split(/\s+/).filter((w) => w && !/^(OR|AND)$/.test(w));
    if (words.length > 1) {
      tips.push(
        el(
          "li",
          null,
          "Använd färre ord, eller ",
          el("a", { href: searchUrl(withSearch({ q: words.join(" OR ") })) }, "sök på något av orden"),
          ".",
        ),
      );
    }
    const last = words.length ? words[words.length - 1].replace(/[*"]/g, "") : "";
    if (last.length >= 4) {
      const stem = last.slice(0, Math.max(3, last.length - 2)) + "*";
      tips.push(
        el("li", null, "Sök på ordets början: ", el("a", { href: searchUrl(withSearch({ q: words.slice(0, -1).concat([stem]).join(" ") })) }, stem), "."),
      );
    }
    if (hasFilters(state)) {
      tips.push(
        el(
          "li",
          null,
          el(
            "a",
            { href: searchUrl(withSearch({ ...NO_FILTERS })) },
            "Ta bort alla filter",
          ),
          " eller vidga datumintervallet.",
        ),
      );
    }
    tips.push(el("li", null, "Pröva ett närliggande ord, t.ex. ett synonymt eller mer allmänt."));
    box.replaceChildren(
      el("h2", null, state.q ? "Inga träffar för " : "Inga punkter", state.q ? el("q", null, state.q) : null),
      el("p", null, "Det här kan hjälpa:"),
      el("ul", null, tips),
    );
    for (const a of box.querySelectorAll("a")) {
      a.addEventListener("click", (e) => {
        e.preventDefault();
        history.replaceState({ scrollY: window.scrollY }, "");
        history.pushState({}, "", a.getAttribute("href"));
        render({ summary: true });
      });
    }
    box.hidden = false;
  }

  // ---- item view ----------------------------------------------------------------------------

  async function renderItem(state, focus) {
    const seq = ++searchSeq;
    if (searchAbort) searchAbort.abort();
    searchAbort = new AbortController();
    lastItemId = state.item;
    const view = $("item-view");
    let item;
    try {
      item = await api("/api/items/" + encodeURIComponent(state.item), searchAbort.signal);
    } catch (err) {
      if (err.name === "AbortError" || seq !== searchSeq) return;
      $("search-view").hidden = true;
      view.replaceChildren(
        backLink(state),
        el("h1", { id: "item-title", tabindex: "-1" }, "Punkten kunde inte visas"),
        el("p", { class: "error", role: "alert" }, errorText(err)),
      );
      view.hidden = false;
      $("item-title").focus();
      return;
    }
    if (seq !== searchSeq) return;
    for (const m of item.municipalities) names.set(m.code, m.name);
    const cite = citation(item.meeting, item.section, item.ordinal);
    document.title = cite + " – Paragraf";

    const meta = el("dl", { class: "item-meta" });
    const row = (term, ...value) => meta.append(el("dt", null, term), el("dd", null, ...value));
    if (item.meeting.body) row("Organ", item.meeting.body);
    if (item.meeting.visibility === "internal") row("Synlighet", el("span", { class: "internal" }, "Intern"));
    if (item.meeting.date) {
      const note =
        item.meeting.date_source === "inferred"
          ? " (läst ur texten, kan vara fel)"
          : item.meeting.date_precision === "month"
            ? " (bara månaden är känd)"
            : item.meeting.date_precision === "year"
              ? " (bara året är känt)"
              : "";
      row("Datum", el("time", { datetime: item.meeting.date }, item.meeting.date), note);
    }
    row("Plats i mötet", (item.section ? item.section + ", " : "") + "punkt " + item.ordinal);
    if (item.case_number) row("Diarienummer", filterLink({ dnr: [item.case_number] }, item.case_number));
    if (item.speakers.length) {
      row(
        "Föredragande",
        el(
          "ul",
          { class: "inline" },
          item.speakers.map((s) =>
            el(
              "li",
              null,
              filterLink({ speaker: [s.name] }, s.name),
              [s.party, s.role].filter(Boolean).length ? " (" + [s.party, s.role].filter(Boolean).join(", ") + ")" : "",
            ),
          ),
        ),
      );
    }
    if (item.municipalities.length) {
      row(
        plural(item.municipalities.length, "Kommun", "Kommuner"),
        el(
          "ul",
          { class: "inline" },
          item.municipalities.map((m) => el("li", null, filterLink({ municipality: [m.code] }, m.name))),
        ),
      );
    }
    const attendees = item.meeting.attendees || [];
    if (attendees.length) {
      row(
        "Beslutande",
        el(
          "ul",
          { class: "inline" },
          attendees.map((a) => el("li", null, a.name, [a.party, a.role].filter(Boolean).length ? " (" + [a.party, a.role].filter(Boolean).join(", ") + ")" : "")),
        ),
      );
    }
    const justerare = item.meeting.justerare || [];
    if (justerare.length) row("Justerare", el("ul", { class: "inline" }, justerare.map((name) => el("li", null, name))));
    // The source names the protokoll as an official would (body and date); the manifest's
    // `source` is a link only when it is one, never an internal file path (issue #18).
    const source = item.meeting.source || "";
    const original = /^https?:\/\//i.test(source)
      ? el("a", { href: source, rel: "noopener noreferrer", class: "source" }, "Visa originalet")
      : null;
    const which = [item.meeting.body, item.meeting.date].filter(Boolean).join(" ");
    row("Källa", which ? "Protokoll, " + which : "Protokollet", original ? [" · ", original] : null);
    row("Arkivet", sourceLink(item), " · ", stateLink({ meeting: item.meeting.id }, "Hela mötet", "meeting-link"));

    const status = el("span", { class: "copy-status", role: "status", "aria-live": "polite" });
    // The citation with its § or punkt, the case number when there is one, and a permanent
    // link to the item: what an official pastes into a memo.
    const permalink = location.origin + "/?item=" + encodeURIComponent(item.id);
    const fullCite = cite + (item.case_number ? " (Dnr " + item.case_number + ")" : "") + ", " + permalink;
    const copy = el(
      "button",
      { type: "button", class: "secondary", id: "copy-citation", onclick: () => copyText(fullCite, status) },
      "Kopiera hänvisning",
    );

    const words = queryWords(state.q).concat(formsOf(state.q, item.id));
    const text = el(
      "div",
      { class: "item-text" },
      item.text
        .split(/\n\s*\n/)
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => (SUB_HEADINGS.test(p.replace(/:$/, "")) ? el("h3", null, p) : el("p", null, markWords(p, words)))),
    );

    const meetingNav = el("nav", { class: "meeting-nav", "aria-label": "Mötets punkter" });
    const neighbour = (n, rel, label) =>
      n
        ? el(
            "a",
            {
              href: urlFor(state, { item: n.id, page: state.page }),
              rel,
              class: "neighbour " + rel,
              onclick: (e) => {
                if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
                e.preventDefault();
                go({ ...state, item: n.id }, { heading: true });
              },
            },
            el("span", { class: "neighbour-label" }, label),
            " " + (n.section ? n.section + " " : "") + (n.title || "punkt " + n.ordinal),
          )
        : el("span", { class: "neighbour none" }, label + ": ingen");
    meetingNav.append(neighbour(item.previous, "prev", "Föregående"), neighbour(item.next, "next", "Nästa"));
    if (item.meeting.body && item.meeting.date_precision === "day") {
      meetingNav.append(
        filterLink(
          { q: "", body: [item.meeting.body], municipality: [], speaker: [], from: item.meeting.date, to: item.meeting.date, sort: "" },
          "Alla punkter från mötet",
          "all",
        ),
      );
    }

    $("search-view").hidden = true;
    // replaceChildren prints null as "null": only nodes go in.
    const parts = [
      backLink(state),
      el("h1", { id: "item-title", tabindex: "-1" }, item.title || cite),
      // Without a heading the h1 already is the citation: the line keeps only the button.
      el("p", { class: "citation" }, item.title ? [el("span", { class: "cite", id: "citation" }, cite), " "] : null, copy, " ", status),
      meta,
      item.decisions.length
        ? el("section", { class: "decisions", "aria-labelledby": "decisions-h" }, el("h2", { id: "decisions-h" }, "Beslut"), el("ul", null, item.decisions.map((d) => el("li", null, d))))
        : null,
      el("section", { "aria-labelledby": "text-h" }, el("h2", { id: "text-h" }, "Text"), text),
      item.links && item.links.case ? caseTimeline(item) : null,
      meetingNav,
    ];
    view.replaceChildren(...parts.filter(Boolean));
    view.hidden = false;
    window.scrollTo(0, 0);
    if (focus && focus.heading) $("item-title").focus();
  }

  // ---- issue #19: cases, meetings, the feed, exports, the source -----------------------------

  /** Marked forms of the last search's snippets: by item, and all of them, for its query. */
  const forms = { q: "", byItem: new Map(), all: new Set() };

  function marksOf(snippet) {
    return Array.from(snippet.matchAll(/<mark>([^<]*)<\/mark>/g), (m) => fold(decodeEntities(m[1]))).filter((w) => w.length >= 3);
  }

  function rememberForms(q, hits) {
    if (forms.q !== q) {
      forms.q = q;
      forms.byItem = new Map();
      forms.all = new Set();
    }
    for (const hit of hits) {
      const marks = marksOf(hit.snippet);
      forms.byItem.set(hit.id, marks);
      for (const m of marks) forms.all.add(m);
    }
  }

  /** The forms the search matched (as the snippets marked them), beyond the typed words. */
  function formsOf(q, id) {
    if (!q || forms.q !== q) return [];
    return (forms.byItem.get(id) || []).concat(Array.from(forms.all));
  }

  /** A link to a page state of its own (a case, a meeting), kept in the URL. */
  function stateLink(patch, label, cls) {
    const state = { ...readState(), item: "", case: "", meeting: "", ...patch };
    return el(
      "a",
      {
        href: urlFor(state),
        class: cls,
        onclick: (e) => {
          if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          go(state, { heading: true });
        },
      },
      label,
    );
  }

  function itemLink(state, id, label) {
    return el(
      "a",
      {
        href: urlFor({ ...state, case: "", meeting: "" }, { item: id }),
        onclick: (e) => {
          if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          go({ ...state, item: id, case: "", meeting: "" }, { heading: true });
        },
      },
      label,
    );
  }

  function hitLinks(state, hit) {
    const links = [stateLink({ meeting: hit.meeting.id }, "Hela mötet", "meeting-link")];
    if (hit.case_number) links.push(" · ", stateLink({ case: hit.case_number }, "Ärendets gång (Dnr " + hit.case_number + ")", "case-link"));
    return el("p", { class: "hit-links" }, links);
  }

  function sourceLink(item) {
    const page = /#page=(\d+)$/.exec(item.links.source);
    return el(
      "a",
      { href: item.links.source, class: "source-link", target: "_blank", rel: "noopener" },
      page ? "Öppna originalet på sidan " + page[1] : "Öppna originalet",
    );
  }

  /** The API path of a case: its `/` kept, the rest encoded. */
  function casePath(number) {
    return "/api/cases/" + number.split("/").map(encodeURIComponent).join("/");
  }

  function stepLabel(step) {
    return [step.meeting.body, step.meeting.date, step.section].filter(Boolean).join(" ");
  }

  /** The case of an item as a timeline in the item view, the item itself marked. */
  function caseTimeline(item) {
    const section = el("section", { class: "case-timeline", "aria-labelledby": "case-h", id: "case-timeline" });
    const number = decodeURIComponent(item.links.case.replace(/^\/api\/cases\//, ""));
    section.append(el("h2", { id: "case-h" }, "Ärendets gång"), el("p", { class: "hint" }, "Laddar …"));
    api(item.links.case)
      .then((found) => {
        const state = readState();
        const list = el(
          "ol",
          { class: "timeline" },
          found.items.map((step) =>
            el(
              "li",
              { class: step.id === item.id ? "current" : null, "aria-current": step.id === item.id ? "step" : null },
              el("span", { class: "step-when" }, stepLabel(step)),
              " ",
              step.id === item.id ? el("strong", null, step.title || "denna punkt") : itemLink(state, step.id, step.title || step.id),
              step.decisions.length ? el("span", { class: "step-decision" }, " – " + step.decisions[0]) : null,
            ),
          ),
        );
        section.replaceChildren(
          el("h2", { id: "case-h" }, "Ärendets gång"),
          el("p", null, "Dnr " + found.case_number + " · ", stateLink({ case: number }, "Hela ärendet", "case-link")),
          list,
        );
      })
      .catch((err) => section.replaceChildren(el("h2", { id: "case-h" }, "Ärendets gång"), el("p", { class: "error" }, errorText(err))));
    return section;
  }

  async function showView(state, focus, path, draw) {
    const seq = ++searchSeq;
    if (searchAbort) searchAbort.abort();
    searchAbort = new AbortController();
    const view = $("item-view");
    let data;
    try {
      data = await api(path, searchAbort.signal);
    } catch (err) {
      if (err.name === "AbortError" || seq !== searchSeq) return;
      data = null;
      view.replaceChildren(backLink(state), el("h1", { id: "item-title", tabindex: "-1" }, "Sidan kunde inte visas"), el("p", { class: "error", role: "alert" }, errorText(err)));
    }
    if (seq !== searchSeq) return;
    if (data) view.replaceChildren(backLink(state), ...draw(data).filter(Boolean));
    $("search-view").hidden = true;
    view.hidden = false;
    window.scrollTo(0, 0);
    if (focus && focus.heading) $("item-title").focus();
  }

  function renderCase(state, focus) {
    return showView(state, focus, casePath(state.case), (found) => {
      document.title = "Dnr " + found.case_number + " – Paragraf";
      return [
        el("h1", { id: "item-title", tabindex: "-1" }, "Ärendets gång: Dnr " + found.case_number),
        el("p", { class: "hint" }, plural(found.items.length, "punkt", "punkter").replace(/^/, found.items.length + " ") + ", äldst först."),
        el(
          "ol",
          { class: "timeline", id: "case-steps" },
          found.items.map((step) =>
            el(
              "li",
              { "data-id": step.id },
              el("span", { class: "step-when" }, stepLabel(step)),
              " ",
              itemLink(state, step.id, step.title || step.section || step.id),
              step.linked_by.kind === "citation" ? el("span", { class: "step-note" }, " (hänvisar till " + step.linked_by.cites + ")") : null,
              step.decisions.length ? el("p", { class: "step-decision" }, step.decisions.join(" ")) : null,
            ),
          ),
        ),
      ];
    });
  }

  function renderMeeting(state, focus) {
    return showView(state, focus, "/api/meetings/" + encodeURIComponent(state.meeting), (found) => {
      const m = found.meeting;
      const title = [m.body, m.date].filter(Boolean).join(" ") || m.id;
      document.title = title + " – Paragraf";
      const meta = el("dl", { class: "item-meta" });
      const row = (term, ...value) => meta.append(el("dt", null, term), el("dd", null, ...value));
      const attendees = m.attendees || [];
      if (attendees.length) row("Beslutande", el("ul", { class: "inline" }, attendees.map((a) => el("li", null, a.name, a.party ? " (" + a.party + ")" : ""))));
      if ((m.justerare || []).length) row("Justerare", el("ul", { class: "inline" }, m.justerare.map((n) => el("li", null, n))));
      if (m.chair) row("Ordförande", m.chair);
      return [
        el("h1", { id: "item-title", tabindex: "-1" }, "Mötet: " + title),
        meta,
        el(
          "ol",
          { class: "meeting-items", id: "meeting-items" },
          found.items.map((i) =>
            el(
              "li",
              { "data-id": i.id },
              itemLink(state, i.id, [i.section, i.title].filter(Boolean).join(" ") || "punkt " + i.ordinal),
              i.case_number ? [" · ", stateLink({ case: i.case_number }, "Dnr " + i.case_number, "case-link")] : null,
            ),
          ),
        ),
      ];
    });
  }

  /** The search's feed and exports, for the toolbar: the same parameters, no paging. */
  function renderWatch(state) {
    const params = toParams({ ...state, case: "", meeting: "" }, { item: "", page: 1 });
    params.delete("page");
    const query = params.toString();
    const suffix = query ? "?" + query : "";
    $("export-csv").href = "/api/search.csv" + suffix;
    $("export-jsonl").href = "/api/search.jsonl" + suffix;
    $("feed-link").href = "/api/search.atom" + suffix;
  }

  async function copyFeed() {
    const status = $("watch-status");
    const url = location.origin + $("feed-link").getAttribute("href");
    let ok = false;
    try {
      await navigator.clipboard.writeText(url);
      ok = true;
    } catch (_) {
      ok = false;
    }
    status.textContent = ok ? "Flödesadressen är kopierad: " + url : "Kopiera adressen själv: " + url;
  }

  function filterLink(patch, label, cls) {
    const state = withSearch({ q: "", ...NO_FILTERS, sort: "", ...patch });
    return el(
      "a",
      {
        href: searchUrl(state),
        class: cls,
        onclick: (e) => {
          if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          go(state, { summary: true });
        },
      },
      label,
    );
  }

  function backLink(state) {
    const hasSearch = state.q || hasFilters(state);
    return el(
      "a",
      {
        href: searchUrl(state),
        class: "back",
        onclick: (e) => {
          if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          // Came from the list: step back so the browser's history stays as the user made it.
          if (history.state && history.state.fromList) history.back();
          else go({ ...state, item: "" }, { summary: true });
        },
      },
      hasSearch ? "← Tillbaka till träffarna" : "← Till sökningen",
    );
  }

  async function copyText(text, status) {
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch (_) {
      // Plain http on an intranet is no secure context: fall back to a selection.
      const area = el("textarea", { readonly: true, class: "offscreen", "aria-hidden": "true" });
      area.value = text;
      document.body.append(area);
      area.select();
      try {
        ok = document.execCommand("copy");
      } catch (_) {
        ok = false;
      }
      area.remove();
      $("copy-citation").focus();
    }
    status.textContent = ok ? "Kopierad: " + text : "Kunde inte kopiera; markera hänvisningen och kopiera själv.";
  }

  // ---- suggestions (combobox) ---------------------------------------------------------------

  const suggest = {
    available: true, // false after the server says it has no /api/suggest
    timer: 0,
    abort: null,
    items: [],
    active: -1,
  };

  function lastWord(value) {
    const m = /(\S+)$/.exec(value);
    return m ? m[1] : "";
  }

  function closeSuggestions() {
    suggest.items = [];
    suggest.active = -1;
    $("suggestions").hidden = true;
    $("suggestions").replaceChildren();
    $("q").setAttribute("aria-expanded", "false");
    $("q").removeAttribute("aria-activedescendant");
  }

  function requestSuggestions() {
    clearTimeout(suggest.timer);
    const word = lastWord($("q").value).replace(/^[-"]+/, "");
    if (!suggest.available || word.length < 2 || /\s$/.test($("q").value)) {
      closeSuggestions();
      return;
    }
    suggest.timer = setTimeout(async () => {
      if (suggest.abort) suggest.abort.abort();
      suggest.abort = new AbortController();
      try {
        const data = await api("/api/suggest?" + new URLSearchParams({ q: word, limit: "8" }), suggest.abort.signal);
        if (lastWord($("q").value).replace(/^[-"]+/, "") !== word) return;
        showSuggestions(Array.isArray(data && data.suggestions) ? data.suggestions : []);
      } catch (err) {
        if (err.name === "AbortError") return;
        // No endpoint (an older server): stop asking. Anything else: just no suggestions.
        if (err.status === 404 || err.status === 405) suggest.available = false;
        closeSuggestions();
      }
    }, 150);
  }

  function showSuggestions(items) {
    suggest.items = items.filter((s) => s && typeof s.text === "string").slice(0, 8);
    suggest.active = -1;
    const list = $("suggestions");
    if (suggest.items.length === 0) {
      closeSuggestions();
      return;
    }
    list.replaceChildren(
      ...suggest.items.map((s, i) =>
        el(
          "li",
          {
            role: "option",
            id: "suggestion-" + i,
            "aria-selected": "false",
            onmousedown: (e) => e.preventDefault(),
            onclick: () => chooseSuggestion(i),
          },
          el("span", { class: "s-text" }, s.text),
          s.kind && s.kind !== "term" ? el("span", { class: "s-kind" }, SUGGEST_KINDS[s.kind] || s.kind) : null,
          typeof s.count === "number" ? countBadge(s.count) : null,
        ),
      ),
    );
    list.hidden = false;
    $("q").setAttribute("aria-expanded", "true");
  }

  function highlightSuggestion(i) {
    const options = $("suggestions").querySelectorAll("[role=option]");
    suggest.active = i;
    options.forEach((o, j) => o.setAttribute("aria-selected", j === i ? "true" : "false"));
    if (i >= 0) {
      $("q").setAttribute("aria-activedescendant", options[i].id);
      options[i].scrollIntoView({ block: "nearest" });
    } else {
      $("q").removeAttribute("aria-activedescendant");
    }
  }

  function chooseSuggestion(i) {
    const s = suggest.items[i];
    if (!s) return;
    const input = $("q");
    const before = input.value.replace(/(\S+)$/, "");
    closeSuggestions();
    const state = readState();
    if (!s.kind || s.kind === "term") {
      const prefix = /^-/.test(lastWord(input.value)) ? "-" : "";
      go(withSearch({ q: (before + prefix + s.text).trim() }), { id: "q" });
    } else if (FACETS.includes(s.kind)) {
      const value = s.value || s.text;
      const current = state.item ? [] : state[s.kind];
      go(withSearch({ q: before.trim(), [s.kind]: current.includes(value) ? current : current.concat([value]) }), { id: "q" });
    }
  }

  function onSearchKey(e) {
    const open = !$("suggestions").hidden && suggest.items.length > 0;
    if (e.key === "ArrowDown" && open) {
      e.preventDefault();
      highlightSuggestion((suggest.active + 1) % suggest.items.length);
    } else if (e.key === "ArrowUp" && open) {
      e.preventDefault();
      highlightSuggestion(suggest.active <= 0 ? suggest.items.length - 1 : suggest.active - 1);
    } else if (e.key === "Enter" && open && suggest.active >= 0) {
      e.preventDefault();
      chooseSuggestion(suggest.active);
    } else if (e.key === "Escape" && open) {
      e.preventDefault();
      closeSuggestions();
    }
  }

  /** YYYY, YYYY-MM or YYYY-MM-DD naming a real day, as the API accepts. */
  function validDate(value) {
    const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
    if (!m) return false;
    const month = m[2] ? parseInt(m[2], 10) : 1;
    const day = m[3] ? parseInt(m[3], 10) : 1;
    if (month < 1 || month > 12 || day < 1) return false;
    return day <= new Date(Date.UTC(parseInt(m[1], 10), month, 0)).getUTCDate();
  }

  function showDateError(id, text) {
    const box = $("date-error");
    box.textContent = text;
    box.hidden = false;
    $(id).setAttribute("aria-invalid", "true");
    $(id).focus();
  }

  /** On a phone the filters cover the list: a chosen filter folds them away. */
  function narrow() {
    return !window.matchMedia("(min-width: 60em)").matches;
  }

  // ---- wiring -------------------------------------------------------------------------------

  function init() {
    const q = $("q");
    q.addEventListener("input", requestSuggestions);
    q.addEventListener("keydown", onSearchKey);
    q.addEventListener("blur", () => setTimeout(closeSuggestions, 100));

    $("search-form").addEventListener("submit", (e) => {
      e.preventDefault();
      closeSuggestions();
      go(withSearch({ q: q.value.trim() }), { id: "q" });
    });

    $("filter-form").addEventListener("submit", (e) => {
      e.preventDefault();
      // A wrong date is caught here, naming the field, so the list and its count stay as they
      // were instead of giving way to the API's error (issue #18).
      const from = $("from").value.trim();
      const to = $("to").value.trim();
      const wrong = [["from", "Från", from], ["to", "Till", to]].find(([, , v]) => v && !validDate(v));
      for (const id of ["from", "to"]) $(id).removeAttribute("aria-invalid");
      if (wrong) {
        const [id, label, value] = wrong;
        showDateError(id, label + ": ”" + value + "” är inget datum. Skriv ÅÅÅÅ-MM-DD, ÅÅÅÅ-MM eller ÅÅÅÅ.");
        return;
      }
      if (from && to && from > to.padEnd(from.length, "9")) {
        showDateError("from", "Från (" + from + ") ligger efter Till (" + to + ").");
        return;
      }
      $("date-error").hidden = true;
      go(withSearch({ from, to }), { filter: "from" });
    });

    $("watch").addEventListener("click", copyFeed);
    $("sort").addEventListener("change", (e) => {
      go(withSearch({ sort: e.target.value === "relevance" ? "" : e.target.value }), { id: "sort" });
    });

    $("home").addEventListener("click", (e) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      go(withSearch({ q: "", ...NO_FILTERS, sort: "" }), { id: "q" });
    });

    // Filters fold away on a phone and stay open on a wide screen.
    const wide = window.matchMedia("(min-width: 60em)");
    const fit = () => {
      $("filters").open = wide.matches;
    };
    fit();
    wide.addEventListener("change", fit);

    window.addEventListener("popstate", (e) => {
      const state = readState();
      if (state.item) {
        render({ heading: true });
      } else {
        const scrollY = e.state && typeof e.state.scrollY === "number" ? e.state.scrollY : undefined;
        // Back from an item: focus its link in the list again, where the user left it.
        render({ scrollY, id: lastItemId ? "hit-" + lastItemId : undefined });
      }
    });

    render(readState().item ? { heading: true } : { id: document.activeElement === q ? "q" : undefined });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
