// Shared set-up for the browser tests: a `paragraf serve` over an index of index-data/ built
// into a temp dir, a tiny host-page server on another origin, and Debian's Chromium driven by
// playwright-core (which never downloads a browser of its own).
//
// Environment:
//   PARAGRAF_BIN          the binary (default: target/debug/paragraf, built by `cargo test`)
//   PARAGRAF_CHROMIUM     the browser (default: /usr/bin/chromium, Debian's `chromium`)
//   PARAGRAF_SCREENSHOTS  a folder to write the README's screenshots to (scripts/screenshots)

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = process.env.PARAGRAF_BIN || path.join(ROOT, "target/debug/paragraf");
export const CHROMIUM = process.env.PARAGRAF_CHROMIUM || "/usr/bin/chromium";
export const SCREENSHOTS = process.env.PARAGRAF_SCREENSHOTS || "";

const INSTALL_HINT =
  "Install Debian's Chromium with `scripts/browser-deps` (runs `apt-get install chromium` as " +
  "root, then `npm ci` in tests/browser), or point PARAGRAF_CHROMIUM at a Chromium binary.";

// The flags this machine needs: no sandbox as root, and no background connections that a
// closed network refuses by the dozen.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

let indexDir = null;

/** Builds the index of index-data/ once per process into a temp dir. */
export function buildIndex() {
  if (indexDir) return indexDir;
  if (!existsSync(BIN)) {
    throw new Error(`no paragraf binary at ${BIN}: run \`cargo build --bin paragraf\` first, or set PARAGRAF_BIN`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), "paragraf-browser-"));
  const out = spawnSync(BIN, ["index", path.join(ROOT, "index-data"), "--index", path.join(dir, "index")], {
    encoding: "utf8",
  });
  if (out.status !== 0) {
    throw new Error(`paragraf index failed (exit ${out.status}):\n${out.stderr}`);
  }
  indexDir = dir;
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts `paragraf serve` on a free port; resolves once /health answers. */
export async function startParagraf({ corsOrigins = [] } = {}) {
  const dir = buildIndex();
  const port = await freePort();
  // The archive the index was built from: its originals are served at /api/items/{id}/source.
  const args = [
    "serve",
    "--index",
    path.join(dir, "index"),
    "--listen",
    `127.0.0.1:${port}`,
    "--archive",
    path.join(ROOT, "index-data"),
  ];
  for (const origin of corsOrigins) args.push("--cors-origin", origin);
  const child = spawn(BIN, args, { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`paragraf serve exited (${child.exitCode}):\n${log}`);
    try {
      const res = await fetch(url + "/health");
      if (res.ok) break;
    } catch (_) {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`paragraf serve did not answer /health within 20 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** A static server for host pages: `pages` maps a path to a function of nothing to HTML. */
export async function startHost(pages) {
  const server = http.createServer((req, res) => {
    const page = pages[new URL(req.url, "http://x").pathname];
    if (!page) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(page());
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

let browserPromise = null;

/**
 * Debian's Chromium, started once per process. When it cannot start, every test that needs it
 * fails with a message saying how to install it: a missing browser is a failure, never a skip.
 */
export function browser() {
  if (!browserPromise) {
    browserPromise = (async () => {
      if (!existsSync(CHROMIUM)) {
        throw new Error(`Chromium not found at ${CHROMIUM}. ${INSTALL_HINT}`);
      }
      try {
        return await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30000 });
      } catch (e) {
        throw new Error(`Chromium at ${CHROMIUM} could not start: ${e.message}\n${INSTALL_HINT}`);
      }
    })();
  }
  return browserPromise;
}

export async function closeBrowser() {
  if (!browserPromise) return;
  try {
    await (await browserPromise).close();
  } catch (_) {
    // it never started: the tests already failed and said why
  }
}

/**
 * A fresh context and page; collects uncaught page errors and failed requests other than the
 * expected ones, so a test can assert the page stayed clean.
 */
export async function newPage(options = {}) {
  const context = await (await browser()).newContext({ locale: "sv-SE", ...options });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    // A 404 from /api/suggest (not built on every server) is expected and handled by the page.
    if (/Failed to load resource.*404/.test(msg.text())) return;
    errors.push(`console.error: ${msg.text()}`);
  });
  page.setDefaultTimeout(10000);
  return { context, page, errors };
}

export async function screenshot(page, name, options = {}) {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, name), ...options });
}

/** The API's answer for a query string, to compare the page with. */
export async function apiSearch(base, params) {
  const res = await fetch(`${base}/api/search?${new URLSearchParams(params)}`);
  if (!res.ok) throw new Error(`API ${res.status} for ${params}`);
  return res.json();
}
