import { address } from "@solana/kit";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createWallet,
  expectAccessible,
  getFromPage,
  inPage,
  pageErrors,
  register,
  screenshot,
  startTerminal,
  type Terminal,
  unlockFromBar,
  waitForOrderStatus,
} from "./support/terminal.js";

// The trading session's clock can jump ahead (to expire a session) while the page keeps its own.
let clockOffsetMs = 0;
const clock = { now: () => Date.now() + clockOffsetMs };

let terminal: Terminal;
beforeAll(async () => {
  // Sample prices every second so the token page gets live ticks within the test.
  terminal = await startTerminal({ clock }, { PRICE_SAMPLE_MS: "1000" });
}, 120_000);
afterAll(async () => terminal?.close());

const mintOf = (symbol: string) =>
  terminal.sandbox.stack.ready.mints[symbol] ?? terminal.sandbox.stack.ready.risky[symbol] ?? "";

/** Registers, creates a wallet, funds it (the faucet button when shown), unlocks. */
async function newTrader(name: string, useFaucet = true): Promise<Page> {
  const page = await terminal.newPage();
  await register(page, name);
  const card = await createWallet(page, `${name} wallet`);
  const faucet = card.getByRole("button", { name: /Faucet/ });
  if (useFaucet) {
    await faucet.click();
  } else {
    const publicKey = (await card.getAttribute("data-public-key")) ?? "";
    terminal.sandbox.stack.sandbox.chain.airdrop(address(publicKey), 2_000_000_000n);
    await page.reload();
    await page.waitForSelector("html[data-ready='1']");
  }
  await page.locator("article.wallet [data-sol-lamports='2000000000']").waitFor();
  await unlockFromBar(page);
  return page;
}

/** The order id of the newest row in a panel once it shows the status. */
async function lastOrderIn(page: Page, panel: string, status: string): Promise<string> {
  const row = page.locator(`${panel} .last-order [data-order-id]`);
  await row.waitFor();
  const id = (await row.getAttribute("data-order-id")) ?? "";
  await waitForOrderStatus(page, id, status);
  return id;
}

describe("a new trader in the browser", () => {
  it("registers, funds from the faucet, finds a token by part of its symbol, buys with a preset, sees it confirmed and the position with P&L without reloading, sells half, sees both in the history", async () => {
    const page = await terminal.newPage();
    await expectAccessible(page, "login");
    await screenshot(page, "login");
    await register(page, "alice");
    const card = await createWallet(page, "alice wallet");
    await card.getByRole("button", { name: /Faucet/ }).click();
    await card.locator("[data-sol-lamports='2000000000']").waitFor();
    await unlockFromBar(page);
    await expect(page.locator(".countdown").textContent()).resolves.toMatch(/\d+:\d\d left/);
    await expectAccessible(page, "wallets");
    await screenshot(page, "wallets");
    // Anything that reloads the page would drop this marker.
    await inPage(page, "window.noReload = true");

    await page.locator("#token-search").fill("BONK");
    const result = page.locator(".search-results a[data-symbol='BONKY']");
    await result.waitFor();
    await expectAccessible(page, "search results");
    await screenshot(page, "search");
    await result.click();
    const mint = mintOf("BONKY");
    await page.locator(`.token-page[data-mint='${mint}']`).waitFor();
    await page.locator("[data-verdict='ok']").waitFor();
    expect(await page.locator(".checks li").count()).toBeGreaterThan(5);
    // A price tick for the token in view arrives on the event stream (watch=<mint>).
    await page.locator("[data-price-usd][data-live='1']").waitFor();

    await page.locator("[data-preset='100000000']").click();
    const buyId = await lastOrderIn(page, ".trade.buy", "CONFIRMED");
    await page.locator("[data-held]:not([data-held='0'])").waitFor();
    await expectAccessible(page, "token page");
    await screenshot(page, "token");

    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Positions" })
      .click();
    const position = page.locator(`[data-position-mint='${mint}']`);
    await position.waitFor();
    await expect(position.locator("[data-pnl='unrealized']").textContent()).resolves.toMatch(/SOL/);
    await expectAccessible(page, "positions");
    await screenshot(page, "positions");

    await position.getByRole("link", { name: /Sell/ }).click();
    // The sell link lands in the sell panel.
    await page.locator(".trade.sell :focus").waitFor();
    await page.locator(".sell-preset[data-percent='50']").click();
    const sellId = await lastOrderIn(page, ".trade.sell", "CONFIRMED");

    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Orders" })
      .click();
    await waitForOrderStatus(page, buyId, "CONFIRMED");
    await waitForOrderStatus(page, sellId, "CONFIRMED");
    expect(await page.locator("tr[data-order-id]").count()).toBe(2);
    await expectAccessible(page, "orders");
    await screenshot(page, "orders");
    expect(await inPage(page, "window.noReload")).toBe(true);
    expect(pageErrors(page)).toEqual([]);
  }, 120_000);

  it("shows the freeze honeypot as blocked with its reasons and offers no way to buy it", async () => {
    const page = await newTrader("hank");
    const mint = mintOf("FREEZE");
    await page.goto(`${terminal.server.url}/#/token/${mint}`);
    await page.locator("[data-verdict='block']").waitFor();
    await expect(page.locator("#buy-blocked").textContent()).resolves.toMatch(/Freeze authority/i);
    for (const preset of await page.locator(".trade.buy .preset").all())
      await expect(preset.isDisabled()).resolves.toBe(true);
    await page.locator("#buy-amount").fill("0.1");
    await expect(page.locator("#buy-submit").isDisabled()).resolves.toBe(true);
    // The failing check is listed first.
    await expect(
      page.locator(".checks li").first().getAttribute("data-check-status"),
    ).resolves.toBe("fail");
    await screenshot(page, "token-blocked");
    const orders = await getFromPage(page, "/v1/orders");
    expect(orders).toEqual({ orders: [] });
  }, 90_000);

  it("marks the verified token among a ticker's search results, and blocks the impersonator", async () => {
    const page = await terminal.newPage();
    await register(page, "vera");
    await page.locator("#token-search").fill("USDC");
    const real = page.locator(`.search-results a[data-mint='${mintOf("USDC")}']`);
    const fake = page.locator(`.search-results a[data-mint='${mintOf("FAKEUSDC")}']`);
    await real.locator(".badge.verified").waitFor();
    await fake.locator(".badge.unverified").waitFor();
    await fake.click();
    await page.locator("[data-verdict='block']").waitFor();
    await page.locator("[data-check='impersonation'][data-check-status='fail']").waitFor();
    await expect(page.locator("#buy-blocked").textContent()).resolves.toMatch(/Impersonation/);
  }, 60_000);

  it("buys a warn token only after its reasons are confirmed", async () => {
    const page = await newTrader("wendy");
    const mint = mintOf("MUTABLE");
    await page.goto(`${terminal.server.url}/#/token/${mint}`);
    await page.locator("[data-verdict='warn']").waitFor();
    await page.locator("[data-preset='100000000']").click();
    const dialog = page.getByRole("dialog", { name: /Confirm the risk/ });
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toMatch(/Metadata mutability/);
    await expectAccessible(page, "risk confirmation");
    await screenshot(page, "confirm-risk");
    // Escape closes it and nothing is ordered.
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect((await getFromPage(page, "/v1/orders")).orders).toEqual([]);
    await page.locator("[data-preset='100000000']").click();
    await dialog.getByRole("button", { name: /I understand the risks/ }).click();
    await lastOrderIn(page, ".trade.buy", "CONFIRMED");
  }, 90_000);

  it("asks to unlock again when the session expired, then buys the typed amount", async () => {
    const page = await newTrader("eve");
    const mint = mintOf("WIFY");
    await page.goto(`${terminal.server.url}/#/token/${mint}`);
    await page.locator("[data-verdict='ok']").waitFor();
    await page.locator("#buy-amount").fill("0.123");
    clockOffsetMs += 16 * 60_000;
    await page.locator("#buy-submit").click();
    const dialog = page.getByRole("dialog", { name: "Unlock to continue" });
    await dialog.waitFor();
    await expect(page.locator("[data-session='expired']").count()).resolves.toBe(1);
    await screenshot(page, "unlock-again");
    await dialog.getByLabel("Wallet password").fill("wallet password");
    await dialog.getByRole("button", { name: "Unlock" }).click();
    const id = await lastOrderIn(page, ".trade.buy", "CONFIRMED");
    expect(await page.locator("#buy-amount").inputValue()).toBe("0.123");
    const order = await getFromPage(page, `/v1/orders/${id}`);
    // amountIn is every lamport the fill took (the 0.123 SOL swapped plus fees and the token account).
    const spent = BigInt(String(order.amountIn));
    expect(spent >= 123_000_000n && spent < 128_000_000n, String(spent)).toBe(true);
    // Lock ends the session at once; the bar offers to unlock again.
    await page.locator(".session-bar").getByRole("button", { name: "Lock" }).click();
    await page.locator("[data-session='locked']").waitFor();
    expect((await getFromPage(page, "/v1/sessions/current")).error).toMatchObject({
      code: "SESSION_NOT_FOUND",
    });
  }, 90_000);

  it("buys with the keyboard alone", async () => {
    const page = await newTrader("kim");
    // A fresh load: focus starts at the top of the document.
    await page.reload();
    await page.waitForSelector("html[data-ready='1']");
    const focused = () =>
      inPage<string>(page, "document.activeElement?.id || document.activeElement?.tagName || ''");
    for (let i = 0; i < 15 && (await focused()) !== "token-search"; i++)
      await page.keyboard.press("Tab");
    expect(await focused()).toBe("token-search");
    await page.keyboard.type("WIF");
    await page.locator(".search-results a[data-symbol='WIFY']").waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.locator("[data-verdict='ok']").waitFor();
    for (let i = 0; i < 30 && (await focused()) !== "buy-amount"; i++)
      await page.keyboard.press("Tab");
    expect(await focused()).toBe("buy-amount");
    await page.keyboard.type("0.05");
    await page.keyboard.press("Enter");
    await lastOrderIn(page, ".trade.buy", "CONFIRMED");
  }, 90_000);
});
