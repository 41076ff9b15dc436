// The <paragraf-search> widget on host pages of another origin, against a real `paragraf serve`.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { apiSearch, closeBrowser, newPage, screenshot, startHost, startParagraf } from "./harness.mjs";

let paragraf;
let host; // an allowed origin (--cors-origin)
let stranger; // an origin Paragraf was not told about

// An intranet page as a municipality might have it, with the README's snippet pasted in.
const intranet = () => `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Intranätet – Krokoms kommun</title>
<style>
  body { margin: 0; font-family: Georgia, serif; background: #f4f1ea; color: #2d2a26; }
  header { background: #5b2a86; color: #fff; padding: 1rem 2rem; font-size: 1.4rem; }
  main { display: grid; grid-template-columns: 1fr 26rem; gap: 2rem; padding: 2rem; }
  article h1 { margin-top: 0; }
  aside h2 { font-size: 1.1rem; margin: 0 0 .5rem; }
</style></head>
<body><header>Krokoms kommun · Intranätet</header>
<main><article><h1>Nyheter</h1><p>Välkommen till intranätet. Här finns nyheter, rutiner och
protokoll från nämnderna.</p><p>Sök i protokollen från Samverkansrådet (SVOM) för Krokom i
rutan till höger.</p></article>
<aside><h2>Protokoll</h2>
<script src="${paragraf.url}/widget.js" defer></script>
<paragraf-search municipality="2309" body="SVOM" limit="5"></paragraf-search>
</aside></main></body></html>`;

// A host page whose styles would wreck anything they could reach.
const hostile = () => `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Fientlig sida</title>
<style>
  body { font: italic 30px/3 "Comic Sans MS", cursive; color: rgb(255, 0, 0); text-transform: uppercase; letter-spacing: 6px; }
  input, button { display: none !important; }
  mark { background: rgb(0, 0, 0); color: rgb(0, 0, 0); }
  a { color: rgb(0, 255, 0); font-size: 50px; }
  ol, li { list-style: square; margin: 40px; padding: 40px; border: 5px dashed rgb(0, 0, 255); }
  .root, .hits, .snippet { display: none; }
</style></head>
<body><p>Värdsidans text med <mark id="host-mark">markering</mark> och <a id="host-link" href="#">länk</a>.</p>
<script src="${paragraf.url}/widget.js"></script>
<paragraf-search id="w" api="${paragraf.url}"></paragraf-search>
<p><input id="host-input" value="värdsidans fält"></p>
</body></html>`;

before(async () => {
  // The host servers first: Paragraf needs to know the allowed origin when it starts.
  const pages = { "/intranet": () => intranet(), "/hostile": () => hostile() };
  host = await startHost(pages);
  stranger = await startHost(pages);
  paragraf = await startParagraf({ corsOrigins: [host.url] });
});

after(async () => {
  await closeBrowser();
  if (paragraf) await paragraf.stop();
  if (host) await host.stop();
  if (stranger) await stranger.stop();
});

const T = { timeout: 60000 };

test("a host page on another origin embeds the widget and shows results", T, async () => {
  const { context, page, errors } = await newPage({ viewport: { width: 1200, height: 820 } });
  try {
    const api = await apiSearch(paragraf.url, [["municipality", "2309"], ["body", "SVOM"], ["q", "munskydd"], ["limit", "5"]]);
    const ids = api.hits.map((h) => h.id);
    assert.ok(ids.includes("svom-2020-12-04.15"));
    const apiAll = await apiSearch(paragraf.url, [["municipality", "2309"], ["body", "SVOM"], ["q", "region"], ["limit", "2"]]);
    assert.ok(apiAll.total > 2, "region needs more hits than the widget shows");

    await page.goto(host.url + "/intranet");
    const widget = page.locator("paragraf-search");
    // Before anyone types: the newest items of its presets, and the preset named as a place.
    const newest = await apiSearch(paragraf.url, [["municipality", "2309"], ["body", "SVOM"], ["limit", "5"]]);
    assert.ok(newest.total > 0);
    await widget.locator(".status", { hasText: "punkt" }).waitFor();
    assert.deepEqual(await widget.locator("li").evaluateAll((lis) => lis.map((li) => li.dataset.id)), newest.hits.map((h) => h.id));
    assert.equal(
      await widget.locator(".status").textContent(),
      newest.total > 5 ? `${newest.total} punkter, de 5 senaste visas.` : `${newest.total} punkter, nyast först.`,
    );
    assert.equal(await widget.locator(".scope").textContent(), "Söker bara i: Krokom · SVOM");
    const box = widget.getByRole("combobox", { name: "Sök i protokollen" });
    await box.fill("munskydd");
    await box.press("Enter");
    // The newest items are already listed: wait for the status of the new search, which the
    // widget writes together with its list, not for any list item.
    await widget.locator(".status", { hasText: "munskydd" }).waitFor();
    assert.deepEqual(await widget.locator("li").evaluateAll((lis) => lis.map((li) => li.dataset.id)), ids);
    for (const id of ids) {
      assert.equal((await widget.locator(`li[data-id="${id}"] mark`).first().textContent()).toLowerCase(), "munskydd");
    }
    assert.match(await widget.locator(".status").textContent(), new RegExp(`^${api.total} träffar? för ”munskydd”`));
    assert.equal(await widget.getByText("Söker bara i: Krokom · SVOM").count(), 1, "names the preset municipality");

    await screenshot(page, "widget.png");

    // More hits than shown: a link to the full page with the same filters.
    await widget.evaluate((w) => w.setAttribute("limit", "2"));
    await box.fill("region");
    await box.press("Enter");
    // The munskydd list also starts with that item: wait for the status of the new search,
    // which the widget writes together with its list, not for an item the old list has.
    await widget.locator(".status", { hasText: "för ”region”" }).waitFor();
    assert.deepEqual(await widget.locator("li").evaluateAll((lis) => lis.map((li) => li.dataset.id)), apiAll.hits.map((h) => h.id));
    const more = widget.locator("a.more");
    assert.equal(await more.textContent(), `Visa alla ${apiAll.total} träffar i Paragraf →`);
    const href = new URL(await more.getAttribute("href"));
    assert.equal(href.origin, paragraf.url);
    assert.deepEqual([...href.searchParams], [["municipality", "2309"], ["body", "SVOM"], ["q", "region"]]);

    // A hit opens the item on the full page.
    await widget.locator("a.title").first().click();
    await page.waitForURL((u) => u.origin === paragraf.url && u.searchParams.get("item") === apiAll.hits[0].id);
    await page.locator("#item-title").waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a misspelt search offers what was meant, one click away", T, async () => {
  const { context, page, errors } = await newPage({ viewport: { width: 1200, height: 820 } });
  try {
    const filters = [["municipality", "2309"], ["body", "SVOM"], ["limit", "5"]];
    const typo = await apiSearch(paragraf.url, [...filters, ["q", "munskyd"]]);
    assert.equal(typo.did_you_mean, "munskydd");
    const meant = await apiSearch(paragraf.url, [...filters, ["q", "munskydd"]]);
    assert.equal(meant.did_you_mean, null);

    await page.goto(host.url + "/intranet");
    const widget = page.locator("paragraf-search");
    const box = widget.getByRole("combobox", { name: "Sök i protokollen" });
    await box.fill("munskyd");
    await box.press("Enter");
    await widget.locator(".status", { hasText: "för ”munskyd”" }).waitFor();
    const hint = widget.locator(".hint");
    assert.equal(await hint.textContent(), "Menade du munskydd?");
    await screenshot(page, "widget-did-you-mean.png");

    await hint.getByRole("button", { name: "munskydd" }).click();
    await widget.locator(".status", { hasText: "för ”munskydd”" }).waitFor();
    assert.equal(await box.inputValue(), "munskydd");
    assert.equal(await hint.isHidden(), true, "no hint once the search is spelt as the items spell it");
    assert.deepEqual(await widget.locator("li").evaluateAll((lis) => lis.map((li) => li.dataset.id)), meant.hits.map((h) => h.id));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("widget and host page styles do not reach each other", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    await page.goto(host.url + "/hostile");
    const widget = page.locator("#w");
    const box = widget.getByRole("combobox", { name: "Sök i protokollen" });
    await box.fill("munskydd");
    await box.press("Enter");
    await widget.locator("li mark").first().waitFor();
    const inside = await page.evaluate(() => {
      const root = document.getElementById("w").shadowRoot;
      const css = (sel) => getComputedStyle(root.querySelector(sel));
      return {
        inputDisplay: css("input").display,
        buttonDisplay: css("button").display,
        markBackground: css("mark").backgroundColor,
        textColor: css(".snippet").color,
        transform: css(".snippet").textTransform,
        fontStyle: css(".snippet").fontStyle,
        letterSpacing: css(".snippet").letterSpacing,
        linkColor: css("a.title").color,
        liBorder: css("li").borderBottom,
        liMargin: css("li").marginTop,
        listDisplay: css("ol").display,
      };
    });
    assert.deepEqual(inside, {
      inputDisplay: "block",
      buttonDisplay: "block", // a flex item
      markBackground: "rgb(255, 227, 138)",
      textColor: "rgb(27, 31, 36)",
      transform: "none",
      fontStyle: "normal",
      letterSpacing: "normal",
      linkColor: "rgb(10, 88, 168)",
      liBorder: "1px solid rgb(213, 218, 225)",
      liMargin: "0px",
      listDisplay: "block",
    });
    const outside = await page.evaluate(() => ({
      mark: getComputedStyle(document.getElementById("host-mark")).backgroundColor,
      link: getComputedStyle(document.getElementById("host-link")).color,
      input: getComputedStyle(document.getElementById("host-input")).display,
      styles: document.querySelectorAll("style").length,
    }));
    assert.deepEqual(outside, { mark: "rgb(0, 0, 0)", link: "rgb(0, 255, 0)", input: "none", styles: 1 });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("without --cors-origin for it, another origin cannot read the API (safe default)", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    await page.goto(stranger.url + "/hostile");
    const widget = page.locator("#w");
    const box = widget.getByRole("combobox", { name: "Sök i protokollen" });
    await box.fill("munskydd");
    await box.press("Enter");
    await widget.getByText("Sökningen är inte tillgänglig just nu.").waitFor();
    assert.equal(await widget.locator("li").count(), 0);
    // The browser itself reports the blocked request; nothing else may go wrong.
    assert.deepEqual(errors.filter((e) => !/CORS|Failed to (load resource|fetch)/.test(e)), []);
  } finally {
    await context.close();
  }
});

test("/widget-demo shows intranet developers the widget and the code to embed it", T, async () => {
  const { context, page, errors } = await newPage({ viewport: { width: 1200, height: 820 } });
  try {
    const newest = await apiSearch(paragraf.url, [["limit", "5"]]);
    await page.goto(paragraf.url + "/widget-demo");
    const widget = page.locator("paragraf-search");
    await widget.locator(".status", { hasText: "punkter" }).waitFor();
    assert.deepEqual(await widget.locator("li").evaluateAll((lis) => lis.map((li) => li.dataset.id)), newest.hits.map((h) => h.id));
    assert.equal(
      await page.locator("#snippet").textContent(),
      `<script src="${paragraf.url}/widget.js" defer></script>\n` +
        '<paragraf-search limit="5"></paragraf-search>',
    );
    // A hit with a heading and no names: its meta line is the citation alone, no stray "·".
    const titled = newest.hits.find((h) => h.title && !h.speakers.length && !h.municipalities.length);
    assert.ok(titled, "this test needs a titled hit without names among the newest");
    assert.equal(
      await widget.locator(`li[data-id="${titled.id}"] .meta`).textContent(),
      `${titled.meeting.body} ${titled.meeting.date} ${titled.section}`,
    );
    await widget.getByRole("combobox", { name: "Sök i protokollen" }).fill("munskydd");
    await widget.getByRole("combobox", { name: "Sök i protokollen" }).press("Enter");
    await widget.locator(".status", { hasText: "för ”munskydd”" }).waitFor();
    await screenshot(page, "widget-demo.png");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the widget links a hit to its case, offers the feed and suggests words", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    await page.goto(host.url + "/hostile");
    const widget = page.locator("#w");
    const box = widget.getByRole("combobox", { name: "Sök i protokollen" });
    await box.fill("rambudget");
    await box.press("Enter");
    await widget.locator(".status", { hasText: "för ”rambudget”" }).waitFor();
    const api = await apiSearch(paragraf.url, [["q", "rambudget"], ["limit", "5"]]);
    const numbered = api.hits.filter((h) => h.case_number);
    assert.ok(numbered.length > 0, "rambudget finds the Krokom PDF's § 85");
    const cases = await widget.locator("a.case").evaluateAll((as) => as.map((a) => [a.textContent, a.href]));
    assert.deepEqual(
      cases,
      numbered.map((h) => [`Ärendets gång (Dnr ${h.case_number})`, `${paragraf.url}/?${new URLSearchParams({ case: h.case_number })}`]),
    );
    assert.equal(await widget.locator("a.feed").getAttribute("href"), `${paragraf.url}/api/search.atom?q=rambudget`);
    // Suggestions: what /api/suggest offers for the last word, as the box's list.
    const suggested = await (await fetch(`${paragraf.url}/api/suggest?q=bes%C3%B6&limit=8`)).json();
    assert.ok(suggested.suggestions.length > 0);
    await box.fill("besö");
    await page.waitForFunction(
      (want) => {
        const list = document.querySelector("#w").shadowRoot.querySelector("datalist");
        return JSON.stringify([...list.options].map((o) => o.value)) === want;
      },
      JSON.stringify(suggested.suggestions.map((s) => s.text)),
    );
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
