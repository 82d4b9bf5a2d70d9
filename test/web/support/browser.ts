import { accessSync, constants, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/**
 * Where the tests save their screenshots: `screenshots/` (git-ignored) on an ordinary run, so a
 * test run leaves the work tree clean; `SCREENSHOTS_DIR=docs/screenshots npm test -- test/web`
 * refreshes the ones the README shows.
 */
const SCREENSHOTS = resolve(ROOT, process.env.SCREENSHOTS_DIR ?? "screenshots");

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Debian's chromium (CHROMIUM_PATH, /usr/bin/chromium, or `chromium` on PATH), or null. */
export function findChromium(): string | null {
  const candidates = [
    process.env.CHROMIUM_PATH,
    "/usr/bin/chromium",
    ...(process.env.PATH ?? "").split(delimiter).map((dir) => join(dir, "chromium")),
  ];
  return candidates.find((path): path is string => !!path && isExecutable(path)) ?? null;
}

/** For describeUnless: why the browser tests cannot run here, or null. */
export const chromiumSkipReason: string | null = findChromium()
  ? null
  : "no chromium (apt-get install chromium, or set CHROMIUM_PATH)";

/** Headless Chromium that makes no request of its own (updates, safe browsing, metrics). */
export function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(chromiumSkipReason ?? "no chromium");
  return chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
    ],
  });
}

export interface PageWatch {
  /** Console errors and uncaught exceptions (an API call's 4xx is the app's business, not one). */
  readonly errors: string[];
  /** The page's own files (not /v1 calls) that failed to load. */
  readonly failedFiles: string[];
  /** Content-Security-Policy violations the page reported. */
  readonly cspViolations: string[];
  /** Requests to any origin but the server's. */
  readonly foreignRequests: string[];
}

/**
 * Records what a page must never do: log an error, break its CSP, or reach another origin.
 * Call before the first navigation (the CSP listener is installed in every new document).
 */
export async function watchPage(page: Page, origin: string): Promise<PageWatch> {
  const watch: PageWatch = { errors: [], failedFiles: [], cspViolations: [], foreignRequests: [] };
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    if (/Content Security Policy/i.test(text)) watch.cspViolations.push(text);
    // Chromium logs every 4xx/5xx as "Failed to load resource"; files are checked by status below.
    else if (!text.startsWith("Failed to load resource")) watch.errors.push(text);
  });
  page.on("response", (response) => {
    const url = new URL(response.url());
    if (response.status() >= 400 && !url.pathname.startsWith("/v1/"))
      watch.failedFiles.push(`${response.status()} ${url.pathname}`);
  });
  page.on("pageerror", (error) => watch.errors.push(`${error.name}: ${error.message}`));
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol === "data:" || url.protocol === "blob:") return;
    if (url.origin !== origin) watch.foreignRequests.push(request.url());
  });
  await page.exposeFunction("__ospreyCspViolation", (text: string) =>
    watch.cspViolations.push(text),
  );
  // Init scripts come through the DevTools protocol: the page's CSP does not apply to them.
  // (Scripts as strings: this project's TypeScript has no DOM types outside src/web.)
  await page.addInitScript({
    content: `document.addEventListener("securitypolicyviolation", (event) => {
      void window.__ospreyCspViolation(event.violatedDirective + " blocked " + (event.blockedURI || "inline"));
    });`,
  });
  return watch;
}

/**
 * Evaluates `expression` in the page every `intervalMs` until it is truthy, and returns it. Polled
 * from Node through the DevTools protocol: `page.waitForFunction` with a string evaluates it
 * inside the page, which the terminal's CSP (no 'unsafe-eval') refuses after the first check.
 */
export async function pollInPage<T>(
  page: Page,
  expression: string,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const { timeoutMs = 15_000, intervalMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = (await page.evaluate(expression)) as T;
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Until the app marks its first screen interactive (`<html data-ready="1">`). */
export async function waitForReady(page: Page, timeout = 15_000): Promise<void> {
  await pollInPage(page, 'document.documentElement.dataset.ready === "1"', { timeoutMs: timeout });
}

/** A PNG of the page under SCREENSHOTS_DIR (`screenshots/` unless set), for the README and docs. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: number;
}

const requireFromHere = createRequire(import.meta.url);
let axeSource: string | undefined;

/**
 * axe-core's serious and critical violations on the page as it is now. axe is evaluated through
 * the DevTools protocol (the page's CSP refuses inline scripts, rightly, and stays on).
 */
export async function getSeriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(requireFromHere.resolve("axe-core/axe.min.js"), "utf8");
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(
    "axe.run().then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })))",
  )) as AxeViolation[];
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** A fresh context (its own cookies) and page on `origin`, watched. */
export async function openWatchedPage(
  browser: Browser,
  origin: string,
): Promise<{ context: BrowserContext; page: Page; watch: PageWatch }> {
  const context = await browser.newContext({ baseURL: origin });
  const page = await context.newPage();
  const watch = await watchPage(page, origin);
  return { context, page, watch };
}
