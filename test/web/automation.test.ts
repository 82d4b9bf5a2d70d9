import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../trading/trading-setup.js";
import { openWatchedPage } from "./support/browser.js";
import {
  createWallet,
  expectAccessible,
  getFromPage,
  pageErrors,
  register,
  screenshot,
  startTerminal,
  type Terminal,
  UI_TIMEOUT,
  unlockFromBar,
  WALLET_PASSWORD,
  waitForOrderStatus,
} from "./support/terminal.js";

let terminal: Terminal;
/** The same sandbox served by an Osprey without AUTOMATION_KEY: automation off. */
let plainServer: TestServer;
const plainDir = mkdtempSync(join(tmpdir(), "osprey-no-automation-"));
beforeAll(async () => {
  terminal = await startTerminal(
    {},
    { AUTOMATION_KEY: randomBytes(32).toString("base64"), TRIGGER_PRICE_INTERVAL_MS: "500" },
  );
  plainServer = await terminal.sandbox.startApp({ sandbox: true }, { DATA_DIR: plainDir });
}, 120_000);
afterAll(async () => {
  await plainServer?.close();
  await terminal?.close();
  rmSync(plainDir, { recursive: true, force: true });
});

const mintOf = (symbol: string) => terminal.sandbox.stack.ready.mints[symbol] ?? "";
const nav = (page: Page, name: string) =>
  page.getByRole("navigation", { name: "Main" }).getByRole("link", { name }).click();

/** The bodies the page POSTs to /v1/triggers, in order. */
function recordTriggerPosts(page: Page): Record<string, unknown>[] {
  const bodies: Record<string, unknown>[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/v1/triggers")
      bodies.push(request.postDataJSON() as Record<string, unknown>);
  });
  return bodies;
}

/** A trigger row of the list on screen, once it shows `status`. */
async function triggerRow(scope: Page | Locator, type: string, status: string): Promise<Locator> {
  const row = scope.locator(`tr[data-type='${type}'][data-status='${status}']`).first();
  await row.waitFor();
  return row;
}

/** A USD price as the page takes it: a plain decimal with up to 12 digits after the point. */
const usd = (value: number) => value.toFixed(12).replace(/0+$/, "").replace(/\.$/, "");

describe("standing orders in the browser", () => {
  it("grants with limits, sets a linked TP/SL from a position after a real buy, cancels one, arms a limit buy, and revoking pauses them", async () => {
    const page = await terminal.newPage();
    const posts = recordTriggerPosts(page);
    await register(page, "grace");
    const card = await createWallet(page, "grace wallet");
    await card.getByRole("button", { name: /Faucet/ }).click();
    await card.locator("[data-sol-lamports='2000000000']").waitFor();
    await unlockFromBar(page);
    const walletId = (await card.getAttribute("data-wallet-id")) ?? "";

    // No grant yet: the panel says so and offers one.
    const panel = card.locator("section.automation[data-automation='none']");
    await panel.waitFor();
    await panel.getByRole("button", { name: "Grant automation" }).click();
    const grantDialog = page.getByRole("dialog", { name: /Grant automation to grace wallet/ });
    await grantDialog.getByLabel("Wallet password").fill(WALLET_PASSWORD);
    await grantDialog.getByLabel("Max SOL per order").fill("0.3");
    await grantDialog.getByLabel("Max SOL per day").fill("1");
    await grantDialog.getByLabel("DCA").uncheck();
    await grantDialog.getByLabel("Expires in (days)").fill("7");
    await expectAccessible(page, "the grant dialog");
    await grantDialog.getByRole("button", { name: "Grant automation" }).click();

    const granted = card.locator("section.automation[data-automation='granted']");
    await granted.waitFor();
    await expect(
      granted.locator("[data-limit='order']").getAttribute("data-lamports"),
    ).resolves.toBe("300000000");
    await expect(
      granted.locator("[data-limit='daily']").getAttribute("data-lamports"),
    ).resolves.toBe("1000000000");
    await expect(
      granted.locator("[data-limit='spent']").getAttribute("data-lamports"),
    ).resolves.toBe("0");
    await expect(granted.locator("[data-limit='types']").getAttribute("data-types")).resolves.toBe(
      "limit_buy,take_profit,stop_loss,trailing_stop",
    );
    await expect(granted.locator("[data-limit='order']").textContent()).resolves.toBe("0.3 SOL");
    const stored = await getFromPage<{ enabled: boolean; grant: Record<string, unknown> }>(
      page,
      `/v1/wallets/${walletId}/automation`,
    );
    expect(stored.enabled).toBe(true);
    expect(stored.grant).toMatchObject({
      status: "ACTIVE",
      maxOrderLamports: "300000000",
      maxDailyLamports: "1000000000",
    });
    expect([...(stored.grant.orderTypes as string[])].sort()).toEqual([
      "limit_buy",
      "stop_loss",
      "take_profit",
      "trailing_stop",
    ]);
    // Seven days from now, give or take the minute the test takes.
    const expiresIn = new Date(String(stored.grant.expiresAt)).getTime() - Date.now();
    expect(Math.abs(expiresIn - 7 * 86_400_000) < 120_000, String(expiresIn)).toBe(true);
    await expectAccessible(page, "wallets with a grant");
    await screenshot(page, "automation-grant");

    // A real buy makes the position the take-profit and stop-loss sell.
    const mint = mintOf("BONKY");
    await page.goto(`${terminal.server.url}/#/token/${mint}`);
    await page.locator("[data-verdict='ok']").waitFor();
    await page.locator(".trade.buy [data-preset='100000000']").click();
    const bought = page.locator(".trade.buy .last-order [data-order-id]");
    await bought.waitFor();
    await waitForOrderStatus(page, (await bought.getAttribute("data-order-id")) ?? "", "CONFIRMED");
    const price = Number((await getFromPage(page, `/v1/tokens/${mint}`)).priceUsd);
    expect(price > 0, String(price)).toBe(true);

    await nav(page, "Positions");
    const position = page.locator(`tr[data-position-mint='${mint}']`);
    await position.getByRole("button", { name: "Automate BONKY" }).click();
    const exits = page.getByRole("dialog", { name: "Standing orders on BONKY" });
    await exits.getByLabel("Take-profit at (USD)").fill(usd(price * 2));
    await exits.getByLabel("Stop-loss at (USD)").fill(usd(price / 2));
    await exits.getByLabel("Sell (% of the holding when it fires)").fill("50");
    await expect(exits.getByLabel(/Link them/).isChecked()).resolves.toBe(true);
    await expectAccessible(page, "the take-profit / stop-loss dialog");
    await exits.getByRole("button", { name: "Set take-profit and stop-loss" }).click();
    await exits.waitFor({ state: "detached" });
    await position.locator("[data-standing='2']").waitFor();

    // Two POSTs: the stop-loss names the take-profit it is linked with.
    expect(posts).toHaveLength(2);
    expect(posts[0]).toEqual({
      type: "take_profit",
      walletId,
      mint,
      percent: 50,
      priceUsd: usd(price * 2),
    });
    expect(posts[1]).toMatchObject({ type: "stop_loss", walletId, mint, percent: 50 });
    await nav(page, "Triggers");
    const tp = await triggerRow(page, "take_profit", "ARMED");
    const sl = await triggerRow(page, "stop_loss", "ARMED");
    const tpId = (await tp.getAttribute("data-trigger-id")) ?? "";
    expect(posts[1]?.linkedTo).toBe(tpId);
    await expect(tp.textContent()).resolves.toMatch(/linked with Stop-loss/);
    await expect(sl.textContent()).resolves.toMatch(
      /Sell 50% of the holding when the price falls to/,
    );
    await expectAccessible(page, "the triggers screen");

    // Cancel the stop-loss: it alone ends; the take-profit stays armed.
    await sl.getByRole("button", { name: "Cancel stop-loss on BONKY" }).click();
    const cancelled = await triggerRow(page, "stop_loss", "CANCELLED");
    await expect(
      cancelled.locator("[data-reason-code]").getAttribute("data-reason-code"),
    ).resolves.toBe("CANCELLED");
    expect(await cancelled.getByRole("button", { name: /Cancel/ }).count()).toBe(0);
    await triggerRow(page, "take_profit", "ARMED");

    // A limit buy from the token page: above the grant's per-order limit the API's refusal shows,
    // then within it the buy is armed and listed on the page.
    await page.goto(`${terminal.server.url}/#/token/${mint}`);
    await page.locator("[data-verdict='ok']").waitFor();
    const standing = page.locator(".automation-panel");
    await standing.locator("[data-grant-limit='300000000']").waitFor();
    await standing.getByLabel("Amount (SOL)").fill("0.5");
    await standing.getByLabel("Buy at or below (USD)").fill(usd(price / 2));
    await standing.getByRole("button", { name: "Place limit buy" }).click();
    await page.locator("#limit-error[data-code='GRANT_LIMIT_EXCEEDED']").waitFor();
    await standing.getByLabel("Amount (SOL)").fill("0.2");
    await standing.getByRole("button", { name: "Place limit buy" }).click();
    await page.locator("#limit-error").waitFor({ state: "detached" });
    const limit = await triggerRow(page.locator(".token-triggers"), "limit_buy", "ARMED");
    await expect(limit.textContent()).resolves.toMatch(
      /Buy 0\.2 SOL when the price is at or below/,
    );
    expect(posts.at(-1)).toEqual({
      type: "limit_buy",
      walletId,
      mint,
      amountLamports: "200000000",
      priceUsd: usd(price / 2),
    });
    // DCA is not in this grant: the tab says why and its submit is off.
    await standing.getByRole("button", { name: "DCA", exact: true }).click();
    await standing.getByText("does not allow dca orders").waitFor();
    await expect(standing.getByRole("button", { name: "Start DCA" }).isDisabled()).resolves.toBe(
      true,
    );
    await standing.getByRole("button", { name: "Limit buy", exact: true }).click();

    // A limit at twice the price is met at once: it fires, its order confirms, and the row links
    // to that order on the orders screen.
    await standing.getByLabel("Amount (SOL)").fill("0.2");
    await standing.getByLabel("Buy at or below (USD)").fill(usd(price * 2));
    await standing.getByRole("button", { name: "Place limit buy" }).click();
    const fired = await triggerRow(page.locator(".token-triggers"), "limit_buy", "FIRED");
    const firedOrder = fired.locator("li[data-firing='1'][data-status='CONFIRMED'] a");
    await firedOrder.waitFor();
    const firedOrderId = (await firedOrder.getAttribute("href"))?.replace("#/orders/", "") ?? "";
    expect((await getFromPage(page, `/v1/orders/${firedOrderId}`)).triggerId).toBe(
      await fired.getAttribute("data-trigger-id"),
    );
    await expectAccessible(page, "the token page with standing buys");
    await screenshot(page, "token-standing-orders");
    await firedOrder.click();
    await page
      .locator(`tr.highlight[data-order-id='${firedOrderId}'][data-status='CONFIRMED']`)
      .waitFor();
    // The grant counts what automation spent.
    await nav(page, "Wallets");
    await card.locator("[data-limit='spent'][data-lamports='200000000']").waitFor();

    // Revoke: the grant goes, and the armed orders pause with the reason.
    await card.locator("section.automation").getByRole("button", { name: "Revoke" }).click();
    const revoke = page.getByRole("dialog", { name: "Revoke automation for grace wallet?" });
    await revoke.getByRole("button", { name: "Revoke grant" }).click();
    await card.locator("section.automation[data-automation='none']").waitFor();
    await nav(page, "Triggers");
    // (The limit buy still armed is the one at half the price.)
    for (const type of ["take_profit", "limit_buy"]) {
      const row = await triggerRow(page, type, "PAUSED");
      await expect(
        row.locator("[data-reason-code]").getAttribute("data-reason-code"),
      ).resolves.toBe("GRANT_REVOKED");
    }
    await triggerRow(page, "stop_loss", "CANCELLED");
    await triggerRow(page, "limit_buy", "FIRED");
    await expectAccessible(page, "the triggers screen after the revoke");
    await screenshot(page, "triggers");

    // Without a grant a position row explains why nothing can be set, and the submit is off.
    await nav(page, "Positions");
    await position.getByRole("button", { name: "Automate BONKY" }).click();
    await exits.getByText("This wallet has no automation grant").waitFor();
    await expect(exits.getByRole("button", { name: /Set take-profit/ }).isDisabled()).resolves.toBe(
      true,
    );
    await page.keyboard.press("Escape");
    await exits.waitFor({ state: "detached" });
    expect(pageErrors(page)).toEqual([]);
  }, 180_000);

  it("sets a trailing stop from a position row, and a DCA in a price band that buys at once and waits for its next", async () => {
    const page = await terminal.newPage();
    const posts = recordTriggerPosts(page);
    await register(page, "dora");
    const card = await createWallet(page, "dora wallet");
    const walletId = await card.getAttribute("data-wallet-id");
    await card.getByRole("button", { name: /Faucet/ }).click();
    await card.locator("[data-sol-lamports='2000000000']").waitFor();
    await unlockFromBar(page);
    // The dialog's defaults: every type, 0.5 SOL an order, 2 a day, 7 days.
    await card.getByRole("button", { name: "Grant automation" }).click();
    const grantDialog = page.getByRole("dialog", { name: /Grant automation to dora wallet/ });
    await grantDialog.getByLabel("Wallet password").fill(WALLET_PASSWORD);
    await grantDialog.getByLabel("Wallet password").press("Enter");
    const types = card.locator("[data-limit='types']");
    await types.waitFor();
    await expect(types.getAttribute("data-types")).resolves.toBe(
      "limit_buy,take_profit,stop_loss,trailing_stop,dca",
    );

    const mint = mintOf("WIFY");
    await page.goto(`${terminal.server.url}/#/token/${mint}`);
    await page.locator("[data-verdict='ok']").waitFor();
    await page.locator(".trade.buy [data-preset='100000000']").click();
    const bought = page.locator(".trade.buy .last-order [data-order-id]");
    await bought.waitFor();
    await waitForOrderStatus(page, (await bought.getAttribute("data-order-id")) ?? "", "CONFIRMED");
    const price = Number((await getFromPage(page, `/v1/tokens/${mint}`)).priceUsd);

    await nav(page, "Positions");
    const position = page.locator(`tr[data-position-mint='${mint}']`);
    await position.getByRole("button", { name: "Automate WIFY" }).click();
    const dialog = page.getByRole("dialog", { name: "Standing orders on WIFY" });
    await dialog.getByRole("button", { name: "Trailing stop" }).click();
    await dialog.getByLabel("Trail (% below the highest price since armed)").fill("12.5");
    await dialog.getByRole("button", { name: "Set trailing stop" }).click();
    await dialog.waitFor({ state: "detached" });
    await position.locator("[data-standing='1']").waitFor();
    expect(posts.at(-1)).toEqual({
      type: "trailing_stop",
      walletId,
      mint,
      trailPercent: 12.5,
      percent: 100,
    });

    // A take-profit relative to the average cost: the server computes its price.
    await position.getByRole("button", { name: "Automate WIFY" }).click();
    await dialog.getByLabel(/% from the average cost/).check();
    await dialog.getByLabel("Take-profit (% above cost)").fill("50");
    await dialog.getByRole("button", { name: "Set take-profit" }).click();
    await dialog.waitFor({ state: "detached" });
    await position.locator("[data-standing='2']").waitFor();
    expect(posts.at(-1)).toEqual({
      type: "take_profit",
      walletId,
      mint,
      percent: 100,
      changePercent: 50,
    });

    // A DCA whose band holds the price now: its first buy is due at once.
    await page.goto(`${terminal.server.url}/#/token/${mint}`);
    const standing = page.locator(".automation-panel");
    await standing.getByRole("button", { name: "DCA", exact: true }).click();
    await standing.getByLabel("SOL per buy").fill("0.05");
    await standing.getByLabel("Every").fill("2");
    await standing.getByLabel("Unit").selectOption("minutes");
    await standing.getByLabel("Buys").fill("3");
    await standing.getByLabel("Only above (USD, optional)").fill(usd(price / 2));
    await standing.getByLabel("Only below (USD, optional)").fill(usd(price * 2));
    await standing.getByRole("button", { name: "Start DCA" }).click();
    const dca = page.locator(".token-triggers tr[data-type='dca']");
    await dca.locator("li[data-firing='1'][data-status='CONFIRMED']").waitFor();
    expect(posts.at(-1)).toMatchObject({
      type: "dca",
      mint,
      amountLamports: "50000000",
      intervalSeconds: 120,
      count: 3,
      priceMinUsd: usd(price / 2),
      priceMaxUsd: usd(price * 2),
    });
    await page.locator(".token-triggers tr[data-type='dca'][data-status='ARMED']").waitFor();
    await expect(dca.textContent()).resolves.toMatch(
      /Buy 0\.05 SOL every 2 min, 3 times, only between/,
    );
    await expect(dca.locator("[data-firings]").textContent()).resolves.toMatch(/^1 of 3next /);
    await page
      .locator(".token-triggers tr[data-type='trailing_stop'][data-status='ARMED']")
      .waitFor();
    const relative = page.locator(
      ".token-triggers tr[data-type='take_profit'][data-status='ARMED']",
    );
    await expect(relative.textContent()).resolves.toMatch(
      /Sell 100% of the holding when the price reaches \$[\d.]+ \(50% above cost\)/,
    );
    expect(pageErrors(page)).toEqual([]);
  }, 120_000);

  it("says automation is off where the operator has not set AUTOMATION_KEY", async () => {
    const meta = (await (await fetch(`${plainServer.url}/v1/meta`)).json()) as {
      automation?: unknown;
    };
    expect(meta.automation).toBe(false);
    const { context, page, watch } = await openWatchedPage(terminal.browser, plainServer.url);
    try {
      page.setDefaultTimeout(UI_TIMEOUT);
      await page.setViewportSize({ width: 1360, height: 900 });
      await page.goto(plainServer.url);
      await page.waitForSelector("html[data-ready='1']");
      await register(page, "olive");
      const card = await createWallet(page, "olive wallet");
      const off = card.locator("section.automation[data-automation='off']");
      await off.getByText("the operator has not set AUTOMATION_KEY").waitFor();
      expect(await off.getByRole("button").count()).toBe(0);
      await nav(page, "Triggers");
      await page
        .locator("[data-automation='off']")
        .getByText(/AUTOMATION_KEY/)
        .waitFor();
      await expectAccessible(page, "triggers with automation off");
      expect([...watch.errors, ...watch.cspViolations, ...watch.foreignRequests]).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
