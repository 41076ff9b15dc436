// What officials do with a hit (issue #19), in headless Chromium against `paragraf serve` over
// index-data/: follow a case, copy a feed link, export, open the source at its page, print.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { apiSearch, closeBrowser, newPage, screenshot, startParagraf } from "./harness.mjs";

let server;

before(async () => {
  server = await startParagraf();
});

after(async () => {
  await closeBrowser();
  if (server) await server.stop();
});

const T = { timeout: 60000 };

// The Krokom PDF in index-data/formats: Ks § 85, Dnr KS 2013/87, on page 2.
const KS_85 = "krokom-ks-2013-05-15.02";

test("follow a case: from a hit to its case, to the item, its timeline marked", T, async () => {
  const { context, page, errors } = await newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.goto(server.url + "/?dnr=" + encodeURIComponent("KS 2013/87"));
    await page.locator(`#hits > li[data-id="${KS_85}"]`).waitFor();
    await page.locator(`#hits > li[data-id="${KS_85}"] a.case-link`).click();
    await page.locator("#case-steps").waitFor();
    assert.equal(new URL(page.url()).searchParams.get("case"), "KS 2013/87");
    assert.equal(await page.locator("#item-title").textContent(), "Ärendets gång: Dnr KS 2013/87");
    const steps = await page.locator("#case-steps > li").evaluateAll((lis) => lis.map((li) => li.dataset.id));
    const api = await (await fetch(server.url + "/api/cases/KS%202013/87")).json();
    assert.deepEqual(steps, api.items.map((i) => i.id));
    await screenshot(page, "case-timeline.png");
    await page.locator("#case-steps > li a").first().click();
    await page.locator("#case-timeline li.current").waitFor();
    assert.equal(new URL(page.url()).searchParams.get("item"), KS_85);
    assert.match(await page.locator("#case-timeline li.current").textContent(), /Kommunstyrelsen 2013-05-15 § 85/);
    // Back: the case again, then the hits.
    await page.goBack();
    await page.locator("#case-steps").waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("Bevaka: the feed link is copied and is the search's Atom feed", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    await page.goto(server.url + "/?q=munskydd&municipality=2309");
    await page.locator("#hits > li").first().waitFor();
    await page.getByRole("button", { name: "Bevaka sökningen" }).click();
    await page.locator("#watch-status").filter({ hasText: "kopierad" }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, server.url + "/api/search.atom?q=munskydd&municipality=2309");
    const res = await fetch(copied);
    assert.equal(res.headers.get("content-type"), "application/atom+xml; charset=utf-8");
    const feed = await res.text();
    const listing = await apiSearch(server.url, [["q", "munskydd"], ["municipality", "2309"], ["sort", "date"]]);
    const ids = [...feed.matchAll(/<id>tag:paragraf,2024:item\/([^<]+)<\/id>/g)].map((m) => m[1]);
    assert.deepEqual(ids, listing.hits.map((h) => h.id));
    await screenshot(page, "feed-and-export.png", { clip: { x: 0, y: 0, width: 1280, height: 420 } });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("export: the CSV button downloads the result for Excel", T, async () => {
  const { context, page, errors } = await newPage({ acceptDownloads: true });
  try {
    await page.goto(server.url + "/?q=munskydd");
    await page.locator("#hits > li").first().waitFor();
    assert.equal(await page.locator("#export-csv").getAttribute("href"), "/api/search.csv?q=munskydd");
    assert.equal(await page.locator("#export-jsonl").getAttribute("href"), "/api/search.jsonl?q=munskydd");
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#export-csv").click()]);
    assert.equal(download.suggestedFilename(), "paragraf-export.csv");
    const stream = await download.createReadStream();
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const csv = Buffer.concat(chunks).toString("utf8");
    assert.ok(csv.startsWith("\ufeffdatum;organ;paragraf;rubrik;diarienummer;beslut;talare;kommuner;id;länk\r\n"), csv.slice(0, 120));
    const all = await apiSearch(server.url, { q: "munskydd" });
    const rows = csv.trimEnd().split("\r\n").slice(1);
    assert.deepEqual(rows.map((r) => r.split(";")[8]), all.hits.map((h) => h.id));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("open the source at its page: the PDF at #page=2", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    await page.goto(server.url + "/?item=" + KS_85);
    const link = page.locator("a.source-link");
    await link.waitFor();
    assert.equal(await link.textContent(), "Öppna originalet på sidan 2");
    const href = await link.getAttribute("href");
    assert.equal(href, `/api/items/${KS_85}/source#page=2`);
    const res = await fetch(server.url + href.replace(/#.*$/, ""));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/pdf");
    assert.equal(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString(), "%PDF-");
    // The meeting is one click away too.
    await page.locator(".item-meta a.meeting-link").click();
    await page.locator("#meeting-items").waitFor();
    const items = await page.locator("#meeting-items > li").evaluateAll((lis) => lis.map((li) => li.dataset.id));
    assert.deepEqual(items, ["krokom-ks-2013-05-15.01", KS_85, "krokom-ks-2013-05-15.03"]);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("print: the item alone, title, meeting, §, text, decision and citation", T, async () => {
  const { context, page, errors } = await newPage();
  try {
    await page.goto(server.url + "/?item=" + KS_85);
    await page.locator("#item-title").waitFor();
    await page.emulateMedia({ media: "print" });
    const shown = async (selector) =>
      page.locator(selector).first().evaluate((n) => getComputedStyle(n).display !== "none" && n.getClientRects().length > 0);
    for (const hidden of ["header.top", ".foot", ".back", ".meeting-nav", "#copy-citation"]) {
      assert.equal(await shown(hidden), false, `${hidden} is not printed`);
    }
    for (const printed of ["#item-title", ".item-meta", ".decisions", ".item-text", ".citation .cite"]) {
      assert.equal(await shown(printed), true, `${printed} is printed`);
    }
    assert.equal(await page.locator("#item-title").textContent(), "Rambudget 2014 med plan för 2015-2016");
    const pdf = await page.pdf();
    assert.ok(pdf.length > 1000);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
