/**
 * The web terminal, as a trader's browser meets it (`osprey serve` on the sandbox, as a child
 * process, and Debian's Chromium through playwright-core):
 *
 * (a) Weight: the JavaScript and CSS under dist/web/assets, gzipped (level 9, what the server
 *     sends to a browser that accepts gzip), summed. Target ≤ 250 KB.
 * (b) Time to interactive on localhost: from navigation start to the app marking its first
 *     screen interactive (`<html data-ready="1">`, seen by a MutationObserver installed before the
 *     page's scripts run), else to the load event when the app sets no mark. A fresh browser
 *     context per run (empty HTTP cache, no cookies: the logged-out first screen); median and
 *     worst of N runs. Target ≤ 1 s.
 * (c) CONFIRMED shown: a user logged in by cookie (POST /v1/auth/login with session "cookie")
 *     keeps the orders screen open while the same user places N buys through the API (bearer
 *     token and X-Trading-Session), one after another. For each order: the time the server
 *     recorded CONFIRMED (its events[].at) against the time the page first had a row with
 *     data-order-id and data-status="CONFIRMED" (performance.timeOrigin + performance.now() in a
 *     MutationObserver: the DOM update), and against the next animation frame after it (the
 *     paint). Same machine, same clock: a subtraction. p50 and p99. Target ≤ 100 ms p99.
 *     Needs the cookie session and the event stream (helper E) and the orders screen with those
 *     attributes (helper F); without them it says which is missing instead of a number.
 *
 * Run: npx tsx bench/web.ts [runs=10] [orders=100]   (WEB_BENCH_ORDERS_PATH: the orders screen's
 * path, default /#/orders)
 */
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { createApiClient, waitForOrder } from "../src/cli/api-client.js";
import { ensureWebBundle } from "../src/web/build-web.js";
import { WEB_BUNDLE_DIR } from "../src/web/web-bundle.js";
import {
  chromiumSkipReason,
  launchChromium,
  pollInPage,
  waitForReady,
} from "../test/web/support/browser.js";
import { sleep, withServer } from "./support/spawn-serve.js";

const RUNS = Number(process.argv[2] ?? 10);
const ORDERS = Number(process.argv[3] ?? 100);
const ORDERS_PATH = process.env.WEB_BENCH_ORDERS_PATH ?? "/#/orders";
const BUY_LAMPORTS = 10_000_000n;
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const out = (line: string) => process.stdout.write(`${line}\n`);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => `${Math.round(value)} ms`;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

// ---------- (a) weight ----------

function measureBundle(dir: string) {
  const sizes = { js: 0, css: 0, files: 0 };
  for (const name of readdirSync(join(dir, "assets"))) {
    const kind = name.endsWith(".js") ? "js" : name.endsWith(".css") ? "css" : null;
    if (!kind) continue;
    sizes[kind] += gzipSync(readFileSync(join(dir, "assets", name)), { level: 9 }).length;
    sizes.files += 1;
  }
  return sizes;
}

// ---------- (b) time to interactive ----------

// Installed before the page's own scripts: notes when <html data-ready="1"> appears.
const READY_OBSERVER = `
  window.__benchReadyAt = null;
  new MutationObserver(() => {
    if (window.__benchReadyAt === null && document.documentElement?.dataset.ready === "1")
      window.__benchReadyAt = performance.now();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-ready"] });`;

async function measureInteractive(browser: Browser, url: string, runs: number) {
  const times: number[] = [];
  let marked = 0;
  // Whether the app marks itself ready at all: learnt on the first run, so others do not wait.
  let markExpected = true;
  // One run first that is not counted: the server's and the browser's first page load warm up.
  for (let run = -1; run < runs; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript({ content: READY_OBSERVER });
    await page.goto(url, { waitUntil: "load" });
    const readyAt: number | null = markExpected
      ? await pollInPage<number>(page, "window.__benchReadyAt", {
          timeoutMs: 10_000,
          intervalMs: 20,
        }).catch(() => null)
      : null;
    // An app that never marks itself: the load event stands in (and later runs do not wait).
    if (run < 0 && readyAt === null)
      markExpected = (await page.evaluate("document.documentElement.dataset.ready")) === "1";
    const loaded = (await page.evaluate(
      'performance.getEntriesByType("navigation")[0].loadEventEnd',
    )) as number;
    await context.close();
    if (run < 0) continue;
    if (readyAt !== null) marked += 1;
    times.push(readyAt ?? loaded);
  }
  return { median: percentile(times, 50), worst: Math.max(...times), marked, runs };
}

// ---------- (c) CONFIRMED recorded → shown ----------

// Installed in the open orders screen: the first moment each order's row says CONFIRMED.
const CONFIRMED_OBSERVER = `
  window.__benchShown = {};
  window.__benchPainted = {};
  const scan = () => {
    const now = performance.timeOrigin + performance.now();
    const fresh = [];
    for (const row of document.querySelectorAll('[data-order-id][data-status="CONFIRMED"]')) {
      const id = row.getAttribute("data-order-id");
      if (id && !(id in window.__benchShown)) { window.__benchShown[id] = now; fresh.push(id); }
    }
    if (fresh.length > 0) requestAnimationFrame(() => {
      const painted = performance.timeOrigin + performance.now();
      for (const id of fresh) window.__benchPainted[id] = painted;
    });
  };
  new MutationObserver(scan).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-status", "data-order-id"],
  });
  scan();`;

interface Ready {
  readonly admin: string;
  readonly mints: Record<string, string>;
}

type ShownResult =
  | { readonly kind: "measured"; dom: number[]; painted: number[]; missing: number }
  | { readonly kind: "skipped"; reason: string };

async function measureConfirmedShown(
  browser: Browser,
  api: string,
  ready: Ready,
  orders: number,
): Promise<ShownResult> {
  const username = `bench-web-${randomUUID().slice(0, 8)}`;
  const password = `${username} password`;
  const anonymous = createApiClient({ baseUrl: api });
  await anonymous.register(username, password);
  const { token } = await anonymous.login(username, password);
  const user = createApiClient({ baseUrl: api, token });
  const walletPassword = "bench wallet password";
  const wallet = await user.createWallet(walletPassword, "bench web");
  const funding = BUY_LAMPORTS * BigInt(orders) + 1_000_000_000n;
  const airdrop = await fetch(`${ready.admin}/airdrop`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ address: wallet.publicKey, lamports: funding.toString() }),
  });
  if (!airdrop.ok) throw new Error(`airdrop: ${airdrop.status} ${await airdrop.text()}`);
  for (let i = 0; i < 60; i++) {
    const listed = (await user.listWallets()).find((w) => w.id === wallet.id);
    if (listed?.solLamports && BigInt(listed.solLamports) >= funding) break;
    await sleep(250);
  }
  const { sessionToken } = await user.unlockWallet(wallet.id, walletPassword);
  const trader = createApiClient({ baseUrl: api, token, session: sessionToken });

  // The page, logged in by cookie as the web terminal logs in.
  const context = await browser.newContext({ baseURL: api });
  try {
    const login = await context.request.post("/v1/auth/login", {
      data: { username, password, session: "cookie" },
    });
    const body = (await login.json()) as { csrfToken?: string };
    if (!login.ok() || !body.csrfToken)
      return {
        kind: "skipped",
        reason: `no cookie session (POST /v1/auth/login session "cookie" answered ${login.status()} without csrfToken): needs helper E's web session`,
      };
    const page = await context.newPage();
    await page.goto(ORDERS_PATH);
    await waitForReady(page, 10_000).catch(() => {});
    await page.evaluate(CONFIRMED_OBSERVER);

    const recorded = new Map<string, number>();
    const mint = ready.mints.BONKY ?? Object.values(ready.mints)[1] ?? "";
    for (let i = 0; i < orders; i++) {
      const placed = await trader.createOrder(
        { side: "buy", mint, amountLamports: BUY_LAMPORTS.toString() },
        randomUUID(),
      );
      const order = await waitForOrder(trader, placed.id, { intervalMs: 50 });
      const confirmed = order.events.find((event) => event.status === "CONFIRMED");
      if (confirmed) recorded.set(order.id, Date.parse(confirmed.at));
    }
    if (recorded.size === 0) return { kind: "skipped", reason: "no order reached CONFIRMED" };

    // Give the page a moment for the last ones, then read what it saw.
    const allShown = `Object.keys(window.__benchPainted).length >= ${recorded.size}`;
    await pollInPage(page, allShown, { timeoutMs: 5_000 }).catch(() => {});
    const seen = (await page.evaluate(
      "({ dom: window.__benchShown, painted: window.__benchPainted })",
    )) as {
      dom: Record<string, number>;
      painted: Record<string, number>;
    };
    const dom: number[] = [];
    const painted: number[] = [];
    for (const [id, at] of recorded) {
      const shown = seen.dom[id];
      const frame = seen.painted[id];
      if (shown !== undefined) dom.push(shown - at);
      if (frame !== undefined) painted.push(frame - at);
    }
    if (dom.length === 0)
      return {
        kind: "skipped",
        reason: `the page at ${ORDERS_PATH} showed no row with data-order-id and data-status="CONFIRMED" (needs helper F's orders screen and the event stream)`,
      };
    return { kind: "measured", dom, painted, missing: recorded.size - dom.length };
  } finally {
    await context.close();
  }
}

// ---------- run ----------

const started = performance.now();
const build = await ensureWebBundle();
out(
  `web bench, ${new Date().toISOString()}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
out(`bundle ${build.built ? `built in ${ms(build.ms)}` : "up to date"} (${WEB_BUNDLE_DIR})`);
const sizes = measureBundle(WEB_BUNDLE_DIR);
const rows: [string, string, string][] = [
  [
    "(a) JS + CSS, gzipped",
    `${kb(sizes.js + sizes.css)} (JS ${kb(sizes.js)}, CSS ${kb(sizes.css)}, ${sizes.files} files)`,
    "≤ 250 KB",
  ],
];
if (chromiumSkipReason) {
  rows.push(["(b), (c)", `not measured: ${chromiumSkipReason}`, ""]);
} else {
  const browser = await launchChromium();
  try {
    await withServer(ROOT, { ORDER_RATE_LIMIT: "100000" }, async (api, dataDir) => {
      const ready = JSON.parse(readFileSync(join(dataDir, "ready.json"), "utf8")) as Ready;
      const tti = await measureInteractive(browser, `${api}/`, RUNS);
      const mark =
        tti.marked === tti.runs
          ? 'to data-ready="1"'
          : `to the load event in ${tti.runs - tti.marked} of ${tti.runs} runs (no data-ready mark)`;
      rows.push([
        `(b) time to interactive, median of ${tti.runs}`,
        `${ms(tti.median)} (worst ${ms(tti.worst)}; ${mark})`,
        "≤ 1 s",
      ]);
      const shown = await measureConfirmedShown(browser, api, ready, ORDERS);
      if (shown.kind === "skipped")
        rows.push(["(c) CONFIRMED shown", `not measured: ${shown.reason}`, ""]);
      else {
        const missing = shown.missing > 0 ? `; ${shown.missing} never shown` : "";
        rows.push([
          `(c) CONFIRMED → row in the DOM, p50 / p99 of ${shown.dom.length}`,
          `${ms(percentile(shown.dom, 50))} / ${ms(percentile(shown.dom, 99))}${missing}`,
          "≤ 100 ms p99",
        ]);
        rows.push([
          "    CONFIRMED → next frame painted, p50 / p99",
          `${ms(percentile(shown.painted, 50))} / ${ms(percentile(shown.painted, 99))}`,
          "",
        ]);
      }
    });
  } finally {
    await browser.close();
  }
}
const width = Math.max(...rows.map(([name]) => name.length));
for (const [name, value, target] of rows)
  out(`${name.padEnd(width)}  ${value}${target ? `   target ${target}` : ""}`);
out(`(bench took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
