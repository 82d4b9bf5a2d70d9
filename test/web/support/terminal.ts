import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import type { AppOptions } from "../../../src/app.js";
import { ensureWebBundle } from "../../../src/web/build-web.js";
import {
  startTradingSandbox,
  type TestServer,
  type TradingSandbox,
} from "../../trading/trading-setup.js";
import {
  getSeriousAxeViolations,
  launchChromium,
  openWatchedPage,
  type PageWatch,
  saveScreenshot,
} from "./browser.js";

/** How long the page may take to show something; a bound, not a timed assertion. */
export const UI_TIMEOUT = 20_000;

export interface Terminal {
  readonly sandbox: TradingSandbox;
  readonly server: TestServer;
  readonly browser: Browser;
  /** A fresh browser context (its own cookies): one user. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** One sandbox, one Osprey serving the built terminal, one headless Chromium, for a test file. */
export async function startTerminal(
  options: AppOptions = {},
  env: Record<string, string> = {},
): Promise<Terminal> {
  await ensureWebBundle();
  const sandbox = await startTradingSandbox();
  // As `serve` runs it on the embedded sandbox: cluster "sandbox", faucet on.
  const server = await sandbox.startApp({ sandbox: true, ...options }, env);
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  return {
    sandbox,
    server,
    browser,
    async newPage() {
      const { context, page, watch } = await openWatchedPage(browser, server.url);
      contexts.push(context);
      await page.setViewportSize({ width: 1360, height: 900 });
      page.setDefaultTimeout(UI_TIMEOUT);
      WATCHES.set(page, watch);
      await page.goto(server.url);
      await page.waitForSelector("html[data-ready='1']");
      return page;
    },
    async close() {
      await browser.close().catch(() => {});
      await server.close();
      await sandbox.close();
    },
  };
}

const WATCHES = new WeakMap<Page, PageWatch>();

/** Console errors, CSP refusals, files that failed and requests to other origins, so far. */
export function pageErrors(page: Page): string[] {
  const watch = WATCHES.get(page);
  return watch
    ? [...watch.errors, ...watch.cspViolations, ...watch.failedFiles, ...watch.foreignRequests]
    : [];
}

/** Runs `expression` in the page (the tests' TypeScript has no DOM types). */
export function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

/** GET a /v1 path from the page, with its cookie. */
export function getFromPage<T = Record<string, unknown>>(page: Page, path: string): Promise<T> {
  return inPage<T>(page, `fetch(${JSON.stringify(path)}).then((response) => response.json())`);
}

/** Registers through the login screen and waits for the terminal. */
export async function register(page: Page, username: string, password = `${username} password`) {
  await page.getByRole("button", { name: "Create an account" }).click();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor();
}

export async function logIn(page: Page, username: string, password = `${username} password`) {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor();
}

export const WALLET_PASSWORD = "wallet password";

/** Creates a wallet on the Wallets screen and answers its card. */
export async function createWallet(page: Page, label: string) {
  await page.goto(`${new URL(page.url()).origin}/#/wallets`);
  await page.locator("#wallet-label").fill(label);
  await page.locator("#wallet-password").fill(WALLET_PASSWORD);
  await page.locator("#wallet-password-again").fill(WALLET_PASSWORD);
  await page.getByRole("button", { name: "Create wallet" }).click();
  const card = page.locator("article.wallet", { has: page.getByRole("heading", { name: label }) });
  await card.waitFor();
  return card;
}

/** Unlocks with the session bar's form. */
export async function unlockFromBar(page: Page) {
  await page.locator("#bar-unlock-password").fill(WALLET_PASSWORD);
  await page.locator(".session-bar").getByRole("button", { name: "Unlock" }).click();
  await page.locator("[data-session='open']").waitFor();
}

/** axe-core in the page: no serious or critical violation. */
export async function expectAccessible(page: Page, what: string) {
  expect(await getSeriousAxeViolations(page), `axe on ${what}`).toEqual([]);
}

/** <SCREENSHOTS_DIR>/<name>.png (see saveScreenshot) */
export async function screenshot(page: Page, name: string) {
  await saveScreenshot(page, name);
}

/** Waits until an order row (anywhere on the page) has the status. */
export async function waitForOrderStatus(page: Page, orderId: string, status: string) {
  await page.locator(`[data-order-id='${orderId}'][data-status='${status}']`).first().waitFor();
}
