// Paragraf's intranet widget: <paragraf-search>, a custom element with a closed-off Shadow DOM.
//
//   <script src="https://paragraf.example.se/widget.js" defer></script>
//   <paragraf-search municipality="2309" body="SVOM" limit="5"></paragraf-search>
//
// Attributes (all optional):
//   api           Paragraf's address; default: where this script was loaded from
//   municipality  preset municipality filter: SCB codes or names, comma-separated ("2309,2380")
//   speaker       preset speakers, comma-separated
//   body          preset bodies, comma-separated ("SVOM")
//   from, to      preset date range (YYYY-MM-DD, YYYY-MM or YYYY)
//   limit         hits shown, 1–20 (default 5)
//   label         the search box's label (default "Sök i protokollen")
//   q             a search to run at once; without it the widget lists the newest items of
//                 its presets
//
// Why a custom element and not an iframe: it sizes itself to its results (an iframe needs a
// fixed height or postMessage plumbing), it is part of the host page's document for screen
// readers, keyboard order and the page's own search, and the host can theme it through
// --paragraf-* custom properties. Shadow DOM keeps the styles apart both ways: the element's
// rules cannot reach the host page, and `:host { all: initial }` plus explicit values on every
// inner element stop the host page's rules and inherited fonts from reaching in. It calls the
// API across origins, so Paragraf must be started with `--cors-origin <the intranet's origin>`.
//
// Plain JavaScript, no build step: Paragraf serves this file from its binary at /widget.js.
"use strict";

(function () {
  if (!window.customElements || customElements.get("paragraf-search")) return;

  const SCRIPT_ORIGIN = (function () {
    try {
      return new URL(document.currentScript.src).origin;
    } catch (_) {
      return location.origin;
    }
  })();

  const STYLE = `
    :host { all: initial; display: block; contain: content; }
    :host([hidden]) { display: none; }
    :where(.root, .root *) {
      box-sizing: border-box;
      font-family: var(--paragraf-font, system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif);
      font-size: 1rem; font-style: normal; font-weight: 400; line-height: 1.5;
      letter-spacing: normal; word-spacing: normal; text-transform: none; text-align: left;
      text-decoration: none; text-indent: 0; text-shadow: none; white-space: normal;
      color: #1b1f24; visibility: visible; opacity: 1; float: none; transform: none;
      margin: 0; padding: 0; border: 0; background: transparent; box-shadow: none;
      min-width: 0; max-width: none; width: auto; height: auto; position: static;
    }
    .root {
      display: block; background: var(--paragraf-background, #ffffff);
      border: 1px solid #c3cad3; border-radius: 8px; padding: 1rem;
    }
    form { display: block; }
    label { display: block; font-weight: 600; margin-bottom: 0.3rem; }
    .row { display: flex; gap: 0.5rem; }
    input {
      display: block; flex: 1; font-size: 1rem; padding: 0.45rem 0.65rem;
      border: 1px solid #767f8c; border-radius: 6px; background: #ffffff; color: #1b1f24;
      -webkit-appearance: none; appearance: none;
    }
    button {
      display: inline-block; flex: none; cursor: pointer; font-weight: 600;
      padding: 0.45rem 1rem; border-radius: 6px;
      background: var(--paragraf-accent, #0a58a8); color: #ffffff;
      border: 2px solid var(--paragraf-accent, #0a58a8);
    }
    button:hover { filter: brightness(0.9); }
    :focus-visible { outline: 3px solid var(--paragraf-accent, #0a58a8); outline-offset: 2px; }
    .scope { display: block; margin-top: 0.35rem; font-size: 0.875rem; color: #4a5260; }
    .status { display: block; margin-top: 0.75rem; font-size: 0.9rem; color: #4a5260; }
    .status:empty { display: none; }
    .error { color: #a4161a; }
    ol { display: block; list-style: none; margin-top: 0.25rem; }
    li { display: block; padding: 0.6rem 0; border-bottom: 1px solid #d5dae1; }
    li:last-child { border-bottom: 0; }
    a { color: var(--paragraf-accent, #0a58a8); text-decoration: underline; text-underline-offset: 0.15em; cursor: pointer; }
    a.title { display: inline; font-weight: 600; font-size: 1.05rem; }
    .meta { display: block; font-size: 0.85rem; color: #4a5260; }
    .snippet { display: block; margin-top: 0.2rem; font-size: 0.95rem; overflow-wrap: anywhere; }
    mark { display: inline; background: #ffe38a; color: #1b1f24; padding: 0 0.1em; border-radius: 2px; font-size: inherit; }
    .more { display: inline-block; margin-top: 0.6rem; font-weight: 600; }
    .feed { display: inline-block; margin: 0.6rem 0 0 1rem; }
    .feed[hidden] { display: none; }
    a.case { display: block; font-size: 0.9em; margin-top: 0.2rem; }
    .more[hidden], ol[hidden], .hint[hidden] { display: none; }
    .hint { display: block; margin-top: 0.35rem; font-size: 0.9rem; color: #4a5260; }
    button.suggestion {
      display: inline; padding: 0; border: 0; border-radius: 0; background: transparent;
      color: var(--paragraf-accent, #0a58a8); font-size: 0.9rem; font-weight: 600;
      text-decoration: underline; text-underline-offset: 0.15em;
    }
    .visually-hidden {
      position: absolute; width: 1px; height: 1px; overflow: hidden;
      clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap;
    }
  `;

  function list(value) {
    return (value || "")
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean);
  }

  function node(tag, attrs, ...children) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) n.setAttribute(k, v);
    for (const c of children.flat()) if (c !== null && c !== undefined) n.append(c instanceof Node ? c : String(c));
    return n;
  }

  // The API's snippet is escaped text with <mark>. It is not parsed as HTML: split at <mark>
  // and </mark>, the rest decoded as text, so nothing but text and <mark> can reach the host page.
  const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

  function decode(text) {
    return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
      if (name[0] === "#") {
        const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    });
  }

  function snippet(html) {
    const out = [];
    let marked = false;
    for (const part of html.split(/(<\/?mark>)/)) {
      if (part === "<mark>") marked = true;
      else if (part === "</mark>") marked = false;
      else if (part) out.push(marked ? node("mark", null, decode(part)) : document.createTextNode(decode(part)));
    }
    return out;
  }

  class ParagrafSearch extends HTMLElement {
    static get observedAttributes() {
      return ["api", "municipality", "speaker", "body", "from", "to", "limit", "label"];
    }

    constructor() {
      super();
      const root = this.attachShadow({ mode: "open" });
      const style = document.createElement("style");
      style.textContent = STYLE;
      this.input = node("input", { type: "search", id: "q", autocomplete: "off", part: "input", list: "suggestions" });
      // Suggestions from /api/suggest as the input's list (carried over from issue #18).
      this.suggestions = node("datalist", { id: "suggestions" });
      this.suggestTimer = 0;
      this.input.addEventListener("input", () => {
        clearTimeout(this.suggestTimer);
        this.suggestTimer = setTimeout(() => this.suggest(this.input.value), 150);
      });
      this.labelEl = node("label", { for: "q" });
      this.scope = node("span", { class: "scope", id: "scope" });
      this.input.setAttribute("aria-describedby", "scope");
      this.status = node("p", { class: "status", role: "status", "aria-live": "polite" });
      // "Menade du …?": the search's did_you_mean, one click to search for it.
      this.hint = node("p", { class: "hint", hidden: "" });
      this.hits = node("ol", { class: "hits", hidden: "" });
      this.more = node("a", { class: "more", hidden: "" });
      this.form = node(
        "form",
        { role: "search" },
        this.labelEl,
        node("div", { class: "row" }, this.input, this.suggestions, node("button", { type: "submit" }, "Sök")),
        this.scope,
      );
      this.form.addEventListener("submit", (e) => {
        e.preventDefault();
        this.search(this.input.value.trim());
      });
      // "Bevaka": the search as an Atom feed for a feed reader or the intranet's portal.
      this.feed = node("a", { class: "feed", hidden: "", type: "application/atom+xml" }, "Bevaka sökningen (Atom-flöde)");
      root.append(style, node("div", { class: "root", part: "root" }, this.form, this.status, this.hint, this.hits, this.more, this.feed));
      this.names = new Map();
      this.seq = 0;
    }

    connectedCallback() {
      this.describe();
      if (this.started) return;
      this.started = true;
      // Without a query the newest items of the presets, so the widget shows something (and
      // learns the names of its preset municipalities) before anyone types.
      const q = (this.getAttribute("q") || "").trim();
      this.input.value = q;
      this.search(q);
    }

    attributeChangedCallback() {
      this.describe();
    }

    get api() {
      return (this.getAttribute("api") || SCRIPT_ORIGIN).replace(/\/+$/, "");
    }

    get limit() {
      const n = parseInt(this.getAttribute("limit") || "5", 10);
      return Number.isFinite(n) ? Math.min(20, Math.max(1, n)) : 5;
    }

    /** The preset filters as URL parameters, shared by the API call and the full-page link. */
    presets() {
      const p = new URLSearchParams();
      for (const key of ["municipality", "speaker", "body"]) for (const v of list(this.getAttribute(key))) p.append(key, v);
      for (const key of ["from", "to"]) if (this.getAttribute(key)) p.set(key, this.getAttribute(key).trim());
      return p;
    }

    describe() {
      this.labelEl.textContent = this.getAttribute("label") || "Sök i protokollen";
      const parts = [];
      const towns = list(this.getAttribute("municipality")).map((m) => this.names.get(m) || m);
      if (towns.length) parts.push((towns.length > 1 ? "kommunerna " : "") + towns.join(", "));
      const bodies = list(this.getAttribute("body"));
      if (bodies.length) parts.push(bodies.join(", "));
      const speakers = list(this.getAttribute("speaker"));
      if (speakers.length) parts.push("föredragande " + speakers.join(", "));
      const from = this.getAttribute("from");
      const to = this.getAttribute("to");
      if (from || to) parts.push((from ? "från " + from : "") + (from && to ? " " : "") + (to ? "till " + to : ""));
      this.scope.textContent = parts.length ? "Söker bara i: " + parts.join(" · ") : "Söker i alla protokoll";
    }

    /** Fills the input's list with what /api/suggest offers for the last word typed. */
    async suggest(value) {
      const word = (/(\S+)$/.exec(value) || [])[1] || "";
      if (word.length < 2) {
        this.suggestions.replaceChildren();
        return;
      }
      try {
        const response = await fetch(this.api + "/api/suggest?" + new URLSearchParams({ q: value, limit: "8" }), { headers: { Accept: "application/json" } });
        if (!response.ok) return;
        const data = await response.json();
        if (this.input.value !== value) return;
        const head = value.slice(0, value.length - word.length);
        this.suggestions.replaceChildren(...data.suggestions.map((s) => node("option", { value: head + s.text })));
      } catch (_) {
        // Suggestions are a help, not the search: without them the box still searches.
      }
    }

    pageUrl(params) {
      return this.api + "/?" + params.toString();
    }

    async search(q) {
      const seq = ++this.seq;
      const params = this.presets();
      if (q) params.set("q", q);
      const query = new URLSearchParams(params);
      query.set("limit", String(this.limit));
      this.status.classList.remove("error");
      this.status.textContent = "Söker …";
      let data;
      try {
        const response = await fetch(this.api + "/api/search?" + query.toString(), { headers: { Accept: "application/json" } });
        data = await response.json();
        if (!response.ok) throw new Error(data && data.message ? data.message : String(response.status));
      } catch (err) {
        if (seq !== this.seq) return;
        this.status.classList.add("error");
        this.status.textContent = "Sökningen är inte tillgänglig just nu.";
        this.hint.hidden = true;
        this.hits.hidden = true;
        this.more.hidden = true;
        this.feed.hidden = true;
        console.warn(
          "paragraf-search: " + this.api + "/api/search failed (" + err.message + "). " +
            "Is Paragraf running with --cors-origin " + location.origin + "?",
        );
        return;
      }
      if (seq !== this.seq) return;
      for (const f of data.facets.municipality) if (f.name) this.names.set(f.value, f.name);
      for (const h of data.hits) for (const m of h.municipalities) this.names.set(m.code, m.name);
      this.describe();
      this.render(q, data, params);
    }

    render(q, data, params) {
      const n = data.total;
      const shown = data.hits.length;
      if (!q) {
        this.status.textContent =
          n === 0
            ? "Inga punkter ännu."
            : n + (n === 1 ? " punkt" : " punkter") + (n > shown ? ", de " + shown + " senaste visas" : ", nyast först") + ".";
      } else {
        this.status.textContent =
          n === 0
            ? "Inga träffar för ”" + q + "”. Pröva andra eller färre ord."
            : n + (n === 1 ? " träff" : " träffar") + " för ”" + q + "”" + (n > shown ? ", de " + shown + " bästa visas" : "") + ".";
      }
      const meant = data.did_you_mean;
      if (meant && meant !== q) {
        const again = node("button", { type: "button", class: "suggestion" }, meant);
        again.addEventListener("click", () => {
          this.input.value = meant;
          this.search(meant);
        });
        this.hint.replaceChildren("Menade du ", again, "?");
        this.hint.hidden = false;
      } else {
        this.hint.replaceChildren();
        this.hint.hidden = true;
      }
      this.hits.replaceChildren(
        ...data.hits.map((hit) => {
          const m = /\.(\d+)$/.exec(hit.id);
          const cite =
            (hit.meeting.body || hit.meeting.id) +
            (hit.meeting.date ? " " + hit.meeting.date : "") +
            (hit.section ? " " + hit.section : m ? ", punkt " + parseInt(m[1], 10) : "");
          const item = new URLSearchParams(params);
          item.set("item", hit.id);
          const names = [hit.speakers.map((s) => s.name).join(", "), hit.municipalities.map((x) => x.name).join(", ")].filter(Boolean);
          return node(
            "li",
            { "data-id": hit.id },
            node("a", { class: "title", href: this.pageUrl(item) }, hit.title || cite),
            node("span", { class: "meta" }, [hit.title ? cite : "", ...names].filter(Boolean).join(" · ")),
            node("span", { class: "snippet" }, snippet(hit.snippet)),
            hit.case_number
              ? node("a", { class: "case", href: this.pageUrl(new URLSearchParams({ case: hit.case_number })) }, "Ärendets gång (Dnr " + hit.case_number + ")")
              : null,
          );
        }),
      );
      this.hits.hidden = data.hits.length === 0;
      this.more.href = this.pageUrl(params);
      this.more.textContent =
        n > data.hits.length ? "Visa alla " + n + (q ? " träffar" : " punkter") + " i Paragraf →" : "Öppna Paragraf →";
      this.more.hidden = false;
      this.feed.href = this.api + "/api/search.atom?" + params.toString();
      this.feed.hidden = false;
    }
  }

  customElements.define("paragraf-search", ParagrafSearch);
})();
