// The search page at `/`, in headless Chromium against a real `paragraf serve` over index-data/.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";

import { apiSearch, closeBrowser, newPage, screenshot, startParagraf } from "./harness.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

let server;

before(async () => {
  server = await startParagraf();
});

after(async () => {
  await closeBrowser();
  if (server) await server.stop();
});

const T = { timeout: 60000 };

/** The ids of the hits on the page, in order. */
function hitIds(page) {
  return page.locator("#hits > li").evaluateAll((lis) => lis.map((li) => li.dataset.id));
}

async function waitForHits(page, ids) {
  await page.waitForFunction(
    (want) => JSON.stringify([...document.querySelectorAll("#hits > li")].map((li) => li.dataset.id)) === want,
    JSON.stringify(ids),
  );
}

test("munskydd: search, pick a municipality, open an item, go back", T, async () => {
  const { context, page, errors } = await newPage({ viewport: { width: 1280, height: 900 } });
  try {
    const all = await apiSearch(server.url, { q: "munskydd" });
    const expected = all.hits.map((h) => h.id);
    assert.deepEqual(expected, ["svom-2020-12-04.02", "svom-2020-12-04.15", "svom-2020-12-04.12"]);

    await page.goto(server.url + "/");
    await page.getByLabel("Sök i protokollen").pressSequentially("munskydd", { delay: 20 });
    await page.keyboard.press("Enter");
    await waitForHits(page, expected);
    assert.deepEqual(await hitIds(page), expected);
    for (const id of expected) {
      const marks = await page.locator(`#hits > li[data-id="${id}"] .snippet mark`).allTextContents();
      assert.ok(marks.length >= 1, `${id} has no <mark> in its snippet`);
      for (const m of marks) assert.equal(m.toLowerCase(), "munskydd");
    }
    // The count in words, no timings (they belong in the API, not before officials).
    assert.equal(await page.locator("#summary").textContent(), "3 träffar för munskydd");
    assert.equal(new URL(page.url()).searchParams.get("q"), "munskydd");
    await screenshot(page, "search-page.png");

    // Pick Krokom in the Kommun facet: the list becomes the API's answer for that filter.
    const krokom = await apiSearch(server.url, [["q", "munskydd"], ["municipality", "2309"]]);
    const krokomIds = krokom.hits.map((h) => h.id);
    assert.ok(krokomIds.includes("svom-2020-12-04.15") && krokomIds.length < expected.length);
    const facet = page.locator("#facet-municipality").getByLabel(/^Krokom/);
    await facet.check();
    await waitForHits(page, krokomIds);
    assert.deepEqual(new URL(page.url()).searchParams.getAll("municipality"), ["2309"]);
    assert.equal(await page.evaluate(() => document.activeElement.id), "f-municipality-2309", "focus stays on the box");
    await page.getByRole("button", { name: "Ta bort filtret Kommun: Krokom" }).waitFor();

    // Open the item, then go back with the browser.
    await page.locator("#hit-svom-2020-12-04\\.15").click();
    await page.locator("#item-title").waitFor();
    assert.equal(new URL(page.url()).searchParams.get("item"), "svom-2020-12-04.15");
    assert.equal(await page.locator("#item-title").textContent(), "SVOM 2020-12-04, punkt 15");
    assert.equal(await page.evaluate(() => document.activeElement.id), "item-title");
    assert.equal(await page.locator("#search-view").isHidden(), true);

    await page.goBack();
    await waitForHits(page, krokomIds);
    assert.equal(await page.locator("#item-view").isHidden(), true);
    assert.equal(await page.locator("#q").inputValue(), "munskydd");
    assert.equal(await page.locator("#f-municipality-2309").isChecked(), true);
    // Focus returns to the item's link once the list has been fetched again.
    await page.waitForFunction(() => document.activeElement.id === "hit-svom-2020-12-04.15");

    // And back once more: Krokom is unticked, all three hits again.
    await page.goBack();
    await waitForHits(page, expected);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a mailed URL restores the search, its filters, sort and page", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    const params = [["q", "möte"], ["body", "SVOM"], ["sort", "date"]];
    const api = await apiSearch(server.url, [...params, ["limit", "10"], ["offset", "10"]]);
    assert.ok(api.total > 10, "möte needs a second page for this test");
    await page.goto(server.url + "/?" + new URLSearchParams([...params, ["page", "2"]]));
    await waitForHits(page, api.hits.map((h) => h.id));
    assert.equal(await page.locator("#q").inputValue(), "möte");
    assert.equal(await page.locator("#sort").inputValue(), "date");
    assert.equal(await page.locator("#facet-body").getByLabel(/^SVOM/).isChecked(), true);
    assert.match(await page.locator("#pager").textContent(), /Sida 2 av \d+/);
    assert.equal(await page.locator("#hits").getAttribute("start"), "11");

    // Föregående goes to page 1, which is the API's first ten.
    const first = await apiSearch(server.url, [...params, ["limit", "10"]]);
    await page.getByRole("link", { name: "← Föregående" }).click();
    await waitForHits(page, first.hits.map((h) => h.id));
    assert.equal(new URL(page.url()).searchParams.get("page"), null);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("year facet and date range filter the hits", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    await page.goto(server.url + "/?q=m%C3%B6te");
    await page.locator("#hits > li").first().waitFor();
    const y2021 = await apiSearch(server.url, { q: "möte", from: "2021", to: "2021" });
    assert.ok(y2021.total > 0);
    await page.locator("#facet-year").getByLabel(/^2021/).check();
    await waitForHits(page, y2021.hits.map((h) => h.id));
    assert.equal(new URL(page.url()).searchParams.get("from"), "2021");
    assert.equal(await page.locator("#from").inputValue(), "2021");

    const range = await apiSearch(server.url, { q: "möte", from: "2020-11-01", to: "2021-06-30" });
    await page.locator("#from").fill("2020-11-01");
    await page.locator("#to").fill("2021-06-30");
    await page.getByRole("button", { name: "Använd datum" }).click();
    await waitForHits(page, range.hits.map((h) => h.id));
    assert.match(await page.locator("#summary").textContent(), new RegExp(`^${range.total} träff`));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("no hits: a clear empty state says what to try", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    await page.goto(server.url + "/?q=" + encodeURIComponent("kvantfysik") + "&municipality=2309");
    await page.locator("#empty").waitFor();
    assert.equal(await page.locator("#hits > li").count(), 0);
    const text = await page.locator("#empty").textContent();
    assert.match(text, /Inga träffar för kvantfysik/);
    assert.match(text, /Sök på ordets början: kvantfys\*/);
    assert.match(text, /Kontrollera stavningen/);
    await page.getByRole("link", { name: "Ta bort alla filter" }).click();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has("municipality"));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a misspelling offers the API's did-you-mean as a link", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    const api = await apiSearch(server.url, { q: "munskyd" });
    await page.goto(server.url + "/?q=munskyd");
    await page.locator("#hits > li").first().waitFor();
    const link = page.locator("#summary a.did-you-mean");
    if (!api.did_you_mean) {
      assert.equal(await link.count(), 0);
      return;
    }
    assert.equal(await link.textContent(), api.did_you_mean);
    await link.click();
    await page.waitForFunction((q) => new URL(location.href).searchParams.get("q") === q, api.did_you_mean);
    const fixed = await apiSearch(server.url, { q: api.did_you_mean });
    await waitForHits(page, fixed.hits.map((h) => h.id));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("item view: whole text, meeting, neighbours, source and the citation copied", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    const item = await (await fetch(server.url + "/api/items/svom-2020-12-04.15")).json();
    await page.goto(server.url + "/?item=svom-2020-12-04.15");
    await page.locator("#item-title").waitFor();
    const paragraphs = await page.locator(".item-text p").allTextContents();
    assert.deepEqual(paragraphs, item.text.split(/\n\s*\n/).map((p) => p.trim()));
    const meta = await page.locator(".item-meta").textContent();
    assert.match(meta, /OrganSVOM/);
    assert.match(meta, /Datum2020-12-04/);
    assert.match(meta, /Plats i mötetpunkt 15/);
    assert.match(meta, /KommunKrokom/);
    assert.match(meta, /Källa/);
    assert.deepEqual(await page.locator(".decisions li").allTextContents(), item.decisions);

    await page.getByRole("button", { name: "Kopiera hänvisning" }).click();
    await page.locator(".copy-status").filter({ hasText: "Kopierad" }).waitFor();
    assert.equal(
      await page.evaluate(() => navigator.clipboard.readText()),
      "SVOM 2020-12-04, punkt 15, " + server.url + "/?item=svom-2020-12-04.15",
    );

    assert.equal(await page.locator("a.neighbour.prev").getAttribute("href"), "/?item=svom-2020-12-04.14");
    await page.locator("a.neighbour.next").click();
    await page.waitForFunction(() => document.getElementById("item-title")?.textContent === "SVOM 2020-12-04, punkt 16");
    assert.equal(new URL(page.url()).searchParams.get("item"), "svom-2020-12-04.16");

    // Krokom in the item opens a search filtered on its code.
    await page.goBack();
    await page.waitForFunction(() => document.getElementById("item-title")?.textContent === "SVOM 2020-12-04, punkt 15");
    await page.locator(".item-meta").getByRole("link", { name: "Krokom" }).click();
    await page.locator("#hits > li").first().waitFor();
    assert.deepEqual(new URL(page.url()).searchParams.getAll("municipality"), ["2309"]);
    const listing = await apiSearch(server.url, { municipality: "2309" });
    await waitForHits(page, listing.hits.map((h) => h.id));

    await page.goto(server.url + "/?item=nope.01");
    await page.getByText("Punkten finns inte i sökindexet").waitFor();
    assert.deepEqual(errors.filter((e) => !/404/.test(e)), []);
  } finally {
    await context.close();
  }
});

test("text from the API is inserted as text; snippets keep only <mark>", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
    await page.route("**/api/search?*", async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      body.hits[0].title = evil;
      body.hits[0].speakers = [{ name: evil, party: null, role: null }];
      body.hits[0].snippet = "&lt;b&gt;escaped&lt;/b&gt; <mark>munskydd</mark> <img src=x onerror=\"window.__pwned=1\">";
      await route.fulfill({ response: res, json: body });
    });
    await page.route("**/api/items/*", async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      body.text = evil + "\n\nandra stycket";
      body.title = evil;
      await route.fulfill({ response: res, json: body });
    });
    await page.goto(server.url + "/?q=munskydd");
    await page.locator("#hits > li").first().waitFor();
    const first = page.locator("#hits > li").first();
    assert.equal(await first.locator("h2").textContent(), evil);
    assert.equal(
      await first.locator(".snippet").textContent(),
      '<b>escaped</b> munskydd <img src=x onerror="window.__pwned=1">',
    );
    assert.equal(await first.locator(".snippet mark").count(), 1);
    assert.equal(await page.locator("#hits img, #hits script, #hits b").count(), 0);
    await first.locator("h2 a").click();
    await page.locator("#item-title").waitFor();
    assert.equal(await page.locator("#item-title").textContent(), evil);
    assert.equal(await page.locator(".item-text p").first().textContent(), evil);
    assert.equal(await page.locator("#item-view img, #item-view script").count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("suggestions: whatever /api/suggest answers, the page stays usable and quiet", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    const res = await fetch(server.url + "/api/suggest?q=munsk&limit=8");
    const answered = res.ok ? (await res.json()).suggestions.map((s) => s.text) : [];
    await page.goto(server.url + "/");
    const suggest = page.waitForResponse((r) => r.url().includes("/api/suggest"));
    await page.locator("#q").pressSequentially("munsk", { delay: 30 });
    const response = await suggest;
    assert.equal(response.status(), res.status);
    await page.waitForTimeout(300);
    if (answered.length === 0) {
      assert.equal(await page.locator("#suggestions").isHidden(), true);
      assert.equal(await page.locator("#q").getAttribute("aria-expanded"), "false");
    } else {
      assert.deepEqual(await page.locator("#suggestions .s-text").allTextContents(), answered);
    }
    await page.locator("#q").fill("munskydd");
    await page.keyboard.press("Enter");
    await page.locator("#hits > li").first().waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("suggestions are a keyboard combobox: arrows, Enter, Escape, and filters from names", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    const asked = [];
    await page.route("**/api/suggest?*", (route) => {
      const q = new URL(route.request().url()).searchParams.get("q");
      asked.push(q);
      route.fulfill({
        json: {
          query: q,
          suggestions: [
            { text: "besöksförbud", kind: "term", count: 3, value: null },
            { text: "besök", kind: "term", count: 2, value: null },
            { text: "Krokom", kind: "municipality", count: 5, value: "2309" },
          ],
        },
      });
    });
    await page.goto(server.url + "/");
    const q = page.getByRole("combobox", { name: "Sök i protokollen" });
    await q.pressSequentially("äldre besö", { delay: 30 });
    await page.getByRole("option", { name: /besöksförbud/ }).waitFor();
    assert.equal(asked.at(-1), "besö", "asks for the word being typed");
    assert.equal(await q.getAttribute("aria-expanded"), "true");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    assert.equal(await q.getAttribute("aria-activedescendant"), "suggestion-1");
    assert.equal(await page.locator("#suggestion-1").getAttribute("aria-selected"), "true");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => new URL(location.href).searchParams.get("q") === "äldre besök");
    assert.equal(await q.inputValue(), "äldre besök");
    assert.equal(await page.locator("#suggestions").isHidden(), true);

    await q.fill("");
    await q.pressSequentially("kro", { delay: 30 });
    await page.getByRole("option", { name: /Krokom/ }).waitFor();
    await page.keyboard.press("Escape");
    assert.equal(await page.locator("#suggestions").isHidden(), true);
    await q.pressSequentially("k", { delay: 30 });
    await page.getByRole("option", { name: /Krokom/ }).click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get("municipality") === "2309");
    assert.equal(await q.inputValue(), "");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("keyboard only: a facet toggles with Space and keeps focus; hit tags filter", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    await page.goto(server.url + "/?q=munskydd");
    await page.locator("#hits > li").first().waitFor();
    await page.locator("#q").focus();
    let reached = false;
    for (let i = 0; i < 20 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = (await page.evaluate(() => document.activeElement.id)) === "f-municipality-2309";
    }
    assert.ok(reached, "Tab reaches the Krokom box");
    await page.keyboard.press("Space");
    await page.waitForFunction(() => new URL(location.href).searchParams.get("municipality") === "2309");
    await page.locator("#hits > li").first().waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), "f-municipality-2309");

    await page.goto(server.url + "/?q=munskydd");
    await page.locator("#hits > li").first().waitFor();
    await page.getByRole("button", { name: "Anna Frisk" }).click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get("speaker") === "Anna Frisk");
    const api = await apiSearch(server.url, { q: "munskydd", speaker: "Anna Frisk" });
    await waitForHits(page, api.hits.map((h) => h.id));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("accessibility: axe finds no WCAG 2.1 A/AA violations on the page and the item view", T, async () => {
  const { context, page, errors } = await newPage({ bypassCSP: true });
  try {
    const check = async (what) => {
      await page.addScriptTag({ content: AXE });
      const result = await page.evaluate(() =>
        window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
      );
      const found = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
      assert.deepEqual(found, [], `${what}: axe violations`);
    };
    await page.goto(server.url + "/?q=munskydd");
    await page.locator("#hits > li").first().waitFor();
    await check("search page");
    await page.goto(server.url + "/?q=kvantfysik");
    await page.locator("#empty").waitFor();
    await check("empty state");
    await page.goto(server.url + "/?item=svom-2020-12-04.12");
    await page.locator("#item-title").waitFor();
    await check("item view");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("on a phone: no sideways scrolling, filters folded away behind a button", T, async () => {
  const { context, page, errors } = await newPage({
    viewport: { width: 375, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  try {
    await page.goto(server.url + "/?q=munskydd");
    await page.locator("#hits > li").first().waitFor();
    assert.equal(await page.locator("#filters").evaluate((d) => d.open), false);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
    await screenshot(page, "search-phone.png");
    await page.getByText("Filter", { exact: true }).click();
    await page.locator("#facet-municipality").getByLabel(/^Krokom/).check();
    const krokom = await apiSearch(server.url, { q: "munskydd", municipality: "2309" });
    await waitForHits(page, krokom.hits.map((h) => h.id));
    // The chosen filter shows its results: the panel folds away, the count has focus and the
    // first hit is on the screen.
    await page.waitForFunction(() => document.activeElement.id === "summary");
    assert.equal(await page.locator("#filters").evaluate((d) => d.open), false);
    assert.equal(await page.locator("#hits > li").first().isVisible(), true);
    const top = await page.locator("#hits > li").first().evaluate((li) => li.getBoundingClientRect().top);
    assert.ok(top >= 0 && top < 740, `the first hit is off the screen (top ${top}px)`);
    await page.goto(server.url + "/?item=svom-2020-12-04.12");
    await page.locator("#item-title").waitFor();
    const itemOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(itemOverflow <= 0, `item view is ${itemOverflow}px wider than the phone`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("an item without decisions shows no stray null; Källa names the protokoll, not a file", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    const item = await (await fetch(server.url + "/api/items/svom-2020-12-04.11")).json();
    assert.deepEqual(item.decisions, [], "this test needs an item without decisions");
    assert.match(item.meeting.source, /^shared\//, "and a source that is a file path");
    await page.goto(server.url + "/?item=svom-2020-12-04.11");
    await page.locator("#item-title").waitFor();
    const visible = await page.locator("#item-view").innerText();
    assert.doesNotMatch(visible, /\bnull\b|\bundefined\b/);
    assert.equal(await page.locator(".decisions").count(), 0);
    const source = page.locator(".item-meta dt", { hasText: "Källa" }).locator("xpath=following-sibling::dd[1]");
    assert.equal(await source.textContent(), "Protokoll, SVOM 2020-12-04");
    assert.doesNotMatch(visible, /shared\/|\.txt|meeting page/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a formal protokoll's item: Dnr, Beslutande, Justerare, sub-headings and the query marked", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    await page.goto(server.url + "/?item=krokom-ks-2013-05-15.02&q=rambudget");
    await page.locator("#item-title").waitFor();
    const dd = (term) => page.locator(".item-meta dt", { hasText: term }).locator("xpath=following-sibling::dd[1]");
    assert.equal(await dd("Diarienummer").textContent(), "KS 2013/87");
    assert.deepEqual(await dd("Beslutande").locator("li").allTextContents(), [
      "Maria Söderberg (C, ordf)",
      "Lisa Sallin (M, 1:e vice ordf)",
      "Rolf Lilja (S, 2:e vice ordf)",
      "Leif Olsson (C, tjg ers)",
      "Cristine Persson (C, tjg ers)",
      "Kjell Sundholm (KD)",
      "Maria Jacobsson (S)",
      "Jörgen Blom (V)",
    ]);
    assert.deepEqual(await dd("Justerare").locator("li").allTextContents(), ["Cristine Persson", "Jörgen Blom"]);
    assert.deepEqual(await page.locator(".item-text h3").allTextContents(), [
      "Ärendebeskrivning",
      "Förslag till beslut",
      "Yrkanden",
      "Propositionsordning",
      "Beslut",
      "Reservation",
      "Expedieras till",
    ]);
    assert.deepEqual(await page.locator(".item-text mark").allTextContents(), ["rambudget", "rambudget"]);
    await screenshot(page, "item-view.png", { fullPage: true });

    await page.getByRole("button", { name: "Kopiera hänvisning" }).click();
    await page.locator(".copy-status").filter({ hasText: "Kopierad" }).waitFor();
    assert.equal(
      await page.evaluate(() => navigator.clipboard.readText()),
      "Kommunstyrelsen 2013-05-15 § 85 (Dnr KS 2013/87), " + server.url + "/?item=krokom-ks-2013-05-15.02",
    );

    // The case number opens the search for it, as ?dnr= in the URL.
    await dd("Diarienummer").getByRole("link").click();
    await page.locator("#hits > li").first().waitFor();
    assert.deepEqual(new URL(page.url()).searchParams.getAll("dnr"), ["KS 2013/87"]);
    assert.deepEqual(await hitIds(page), ["krokom-ks-2013-05-15.02"]);
    await page.getByRole("button", { name: "Ta bort filtret Dnr: KS 2013/87" }).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the page understands every API filter in its URL: dnr and case_number", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    const api = await apiSearch(server.url, { dnr: "SN 2023/98" });
    assert.deepEqual(api.hits.map((h) => h.id), ["krokom-sn-2023-09-20-utkast.02"]);
    for (const key of ["dnr", "case_number"]) {
      await page.goto(server.url + "/?" + new URLSearchParams({ [key]: "SN 2023/98" }));
      await waitForHits(page, ["krokom-sn-2023-09-20-utkast.02"]);
      assert.equal(await page.locator("#summary").textContent(), "1 punkt, nyast först");
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a wrong date is caught in the form, naming the field; the count stays", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    const api = await apiSearch(server.url, { q: "möte" });
    await page.goto(server.url + "/?q=m%C3%B6te");
    await waitForHits(page, api.hits.map((h) => h.id));
    const summary = await page.locator("#summary").textContent();
    assert.match(summary, new RegExp(`^${api.total} träffar för möte`));

    await page.locator("#from").fill("2021-13-01");
    await page.getByRole("button", { name: "Använd datum" }).click();
    await page.locator("#date-error").waitFor();
    assert.equal(
      await page.locator("#date-error").textContent(),
      "Från: ”2021-13-01” är inget datum. Skriv ÅÅÅÅ-MM-DD, ÅÅÅÅ-MM eller ÅÅÅÅ.",
    );
    assert.equal(await page.locator("#from").getAttribute("aria-invalid"), "true");
    assert.equal(await page.evaluate(() => document.activeElement.id), "from");
    assert.equal(await page.locator("#summary").textContent(), summary);
    assert.deepEqual(await hitIds(page), api.hits.map((h) => h.id));
    assert.equal(new URL(page.url()).searchParams.get("from"), null);

    await page.locator("#from").fill("2021");
    await page.locator("#to").fill("2021-02-30");
    await page.getByRole("button", { name: "Använd datum" }).click();
    await page.locator("#date-error", { hasText: "Till: ”2021-02-30”" }).waitFor();

    // Put right, the error goes and the filter applies.
    await page.locator("#to").fill("2021-12");
    const y2021 = await apiSearch(server.url, { q: "möte", from: "2021", to: "2021-12" });
    await page.getByRole("button", { name: "Använd datum" }).click();
    await waitForHits(page, y2021.hits.map((h) => h.id));
    assert.equal(await page.locator("#date-error").isHidden(), true);
    assert.equal(await page.locator("#from").getAttribute("aria-invalid"), null);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a hit that matched inside a compound shows and marks that passage", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    const api = await apiSearch(server.url, { q: "förbud" });
    assert.ok(api.hits.some((h) => h.id === "svom-2020-12-04.12"));
    await page.goto(server.url + "/?q=f%C3%B6rbud");
    await waitForHits(page, api.hits.map((h) => h.id));
    const marks = await page.locator('#hits > li[data-id="svom-2020-12-04.12"] .snippet mark').allTextContents();
    assert.ok(marks.length >= 1, "nothing marked in the snippet");
    for (const m of marks) assert.match(m.toLowerCase(), /förbud/);
    // The item view marks the word where it stands too.
    await page.locator("#hit-svom-2020-12-04\\.12").click();
    await page.locator("#item-title").waitFor();
    const inItem = await page.locator(".item-text mark").allTextContents();
    assert.deepEqual(inItem.map((m) => m.toLowerCase()), ["besöksförbud", "besöksförbud", "besöksförbud", "besöksförbud"]);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("hits without a heading get a title from their first sentence, marked as from the text", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    const api = await apiSearch(server.url, { q: "munskydd" });
    await page.goto(server.url + "/?q=munskydd");
    await waitForHits(page, api.hits.map((h) => h.id));
    const titles = await page.locator("#hits > li .hit-title").allTextContents();
    const cites = await page.locator("#hits > li .hit-meta .cite").allTextContents();
    // Punkt 12's snippet starts inside its text: no first sentence to show, the citation stays.
    assert.deepEqual(titles, [
      "En preliminär dagordning har skickats ut inför sammanträdet. (ur texten)",
      "1. Coronamöten på onsdagar (ur texten)",
      "SVOM 2020-12-04, punkt 12",
    ]);
    assert.deepEqual(cites, ["SVOM 2020-12-04, punkt 2", "SVOM 2020-12-04, punkt 15"]);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
