import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page, Request } from "playwright-core";
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
  waitForOrderStatus,
} from "./support/terminal.js";

let terminal: Terminal;
/** The same sandbox served by an Osprey configured with a private landing route. */
let protectedServer: TestServer;
const protectedDir = mkdtempSync(join(tmpdir(), "osprey-protected-"));
beforeAll(async () => {
  terminal = await startTerminal();
  protectedServer = await terminal.sandbox.startApp(
    { sandbox: true },
    // The sandbox's own Jito-compatible block engine: a private landing route.
    { JITO_URLS: terminal.sandbox.stack.ready.blockEngine ?? "", DATA_DIR: protectedDir },
  );
}, 120_000);
afterAll(async () => {
  await protectedServer?.close();
  await terminal?.close();
  rmSync(protectedDir, { recursive: true, force: true });
});

const mintOf = (symbol: string) => terminal.sandbox.stack.ready.mints[symbol] ?? "";

/** Registers on the page's server, creates a wallet, funds it from the faucet, unlocks. */
async function fundedTrader(page: Page, name: string): Promise<Page> {
  await register(page, name);
  const card = await createWallet(page, `${name} wallet`);
  await card.getByRole("button", { name: /Faucet/ }).click();
  await card.locator("[data-sol-lamports='2000000000']").waitFor();
  await unlockFromBar(page);
  return page;
}

const openSettings = (page: Page) =>
  page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();

/** Lamports as the terminal prints SOL with 9 decimals (no trailing zeros). */
const formatLamports = (lamports: bigint) => {
  const fraction = (lamports % 1_000_000_000n).toString().padStart(9, "0").replace(/0+$/, "");
  const whole = (lamports / 1_000_000_000n).toString();
  return fraction ? `${whole}.${fraction}` : whole;
};

const isOrderPost = (request: Request) =>
  request.method() === "POST" && new URL(request.url()).pathname === "/v1/orders";

/** Clicks a buy preset and answers the body the page posted to /v1/orders. */
async function buyPresetSending(page: Page, lamports: string): Promise<Record<string, unknown>> {
  const posted = page.waitForRequest(isOrderPost);
  await page.locator(`.trade.buy [data-preset='${lamports}']`).click();
  return (await posted).postDataJSON() as Record<string, unknown>;
}

describe("trading settings in the browser", () => {
  it("edits the order defaults on the settings screen, shows a refused one with the server's reason, and the buy panel shows them", async () => {
    const page = await fundedTrader(await terminal.newPage(), "tess");
    await openSettings(page);
    await expect(page.locator("#settings-priority").inputValue()).resolves.toBe("medium");
    await expect(page.locator("#settings-maxFee").inputValue()).resolves.toBe("0.005");
    // This server has no private route: no MEV protection to turn on, no tip.
    expect(await page.locator("#settings-mev").count()).toBe(0);
    expect(await page.locator("#settings-tip").count()).toBe(0);

    await page.locator("#settings-priority").selectOption("high");
    await page.getByLabel("Max priority fee (SOL)").fill("0.01");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Settings saved.").waitFor({ state: "attached" });
    const saved = {
      buyPresetsLamports: ["100000000", "500000000", "1000000000"],
      sellPresetsPercent: [25, 50, 100],
      slippageBps: 100,
      priorityLevel: "high",
      maxPriorityFeeLamports: "10000000",
      mevProtection: false,
      tipLamports: null,
    };
    expect(await getFromPage(page, "/v1/settings")).toEqual(saved);

    // 1.5 SOL parses, and the server refuses it (at most 1 SOL): its code, the field marked, its
    // reason under the field, what was typed kept, nothing saved.
    await page.getByLabel("Max priority fee (SOL)").fill("1.5");
    await page.locator("#settings-priority").selectOption("none");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.locator("#settings-error[data-code='INVALID_SETTINGS']").waitFor();
    await expect(page.locator("#settings-maxFee").getAttribute("aria-invalid")).resolves.toBe(
      "true",
    );
    await expect(page.locator(".field-error").allTextContents()).resolves.toEqual([
      "The max priority fee must be above 0 and at most 1 SOL",
    ]);
    await expect(page.locator("#settings-error").textContent()).resolves.toMatch(
      /maxPriorityFeeLamports must be from 1 to 1000000000 lamports/,
    );
    await expect(page.locator("#settings-maxFee").inputValue()).resolves.toBe("1.5");
    expect(await getFromPage(page, "/v1/settings")).toEqual(saved);
    await expectAccessible(page, "settings with a refused field");
    await screenshot(page, "settings-refused");

    // Corrected, it saves and the error goes.
    await page.getByLabel("Max priority fee (SOL)").fill("0.01");
    await page.locator("#settings-priority").selectOption("high");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.locator("#settings-error").waitFor({ state: "detached" });
    expect(await page.locator(".field-error").count()).toBe(0);

    await page.goto(`${terminal.server.url}/#/token/${mintOf("BONKY")}`);
    await page.locator("[data-verdict='ok']").waitFor();
    const effective = page.locator("#buy-effective");
    await expect(effective.getAttribute("data-priority")).resolves.toBe("high");
    await expect(effective.getAttribute("data-max-priority-fee")).resolves.toBe("10000000");
    await expect(effective.getAttribute("data-slippage-bps")).resolves.toBe("100");
    await expect(effective.getAttribute("data-mev")).resolves.toBe("off");
    await expect(effective.textContent()).resolves.toBe(
      "Slippage 1.00% · Priority High (at most 0.01 SOL)",
    );
    await expect(page.locator("#sell-effective").getAttribute("data-priority")).resolves.toBe(
      "high",
    );
    // The advanced options hold the same values; no MEV toggle where meta says false.
    await page.locator("#buy-advanced summary").click();
    await expect(page.locator("#buy-priority").inputValue()).resolves.toBe("high");
    await expect(page.locator("#buy-max-priority-fee").inputValue()).resolves.toBe("0.01");
    expect(await page.locator("#buy-mev, #sell-mev, #buy-tip, #sell-tip").count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
  }, 120_000);

  it("sends a one-order override from the buy panel's advanced options, and only what differs from the settings", async () => {
    const page = await fundedTrader(await terminal.newPage(), "otto");
    const mint = mintOf("WIFY");
    await page.goto(`${terminal.server.url}/#/token/${mint}`);
    await page.locator("[data-verdict='ok']").waitFor();
    // The settings as they are: nothing but the slippage (sent as always) goes with the order.
    const plain = await buyPresetSending(page, "100000000");
    expect(plain).toEqual({ side: "buy", mint, amountLamports: "100000000", slippageBps: 100 });
    const first = page.locator(".trade.buy .last-order [data-order-id]");
    await first.waitFor();
    const firstId = (await first.getAttribute("data-order-id")) ?? "";
    await waitForOrderStatus(page, firstId, "CONFIRMED");

    await page.locator("#buy-advanced summary").click();
    await page.locator("#buy-slippage").fill("3");
    await page.locator("#buy-advanced .changed").waitFor();
    await expect(page.locator("#buy-effective").getAttribute("data-slippage-bps")).resolves.toBe(
      "300",
    );
    const slippage = await buyPresetSending(page, "100000000");
    expect(slippage).toEqual({ side: "buy", mint, amountLamports: "100000000", slippageBps: 300 });
    const row = page.locator(
      `.trade.buy .last-order [data-order-id]:not([data-order-id='${firstId}'])`,
    );
    await row.waitFor();
    const id = (await row.getAttribute("data-order-id")) ?? "";
    await waitForOrderStatus(page, id, "CONFIRMED");
    // The server took the override: the order carries it.
    expect((await getFromPage(page, `/v1/orders/${id}`)).slippageBps).toBe(300);
    // The settings themselves are unchanged.
    expect((await getFromPage(page, "/v1/settings")).slippageBps).toBe(100);

    // Priority and its cap, for this order only.
    await page.locator("#buy-priority").selectOption("low");
    await page.locator("#buy-max-priority-fee").fill("0.002");
    await expect(page.locator("#buy-effective").textContent()).resolves.toBe(
      "Slippage 3.00% · Priority Low (at most 0.002 SOL)",
    );
    const priority = await buyPresetSending(page, "100000000");
    expect(priority).toEqual({
      side: "buy",
      mint,
      amountLamports: "100000000",
      slippageBps: 300,
      priorityLevel: "low",
      maxPriorityFeeLamports: "2000000",
    });
    const third = page.locator(
      `.trade.buy .last-order [data-order-id]:not([data-order-id='${firstId}']):not([data-order-id='${id}'])`,
    );
    await third.waitFor();
    const thirdId = (await third.getAttribute("data-order-id")) ?? "";
    await waitForOrderStatus(page, thirdId, "CONFIRMED");
    const landed = await getFromPage(page, `/v1/orders/${thirdId}`);
    expect(landed.slippageBps).toBe(300);
    expect(landed.mevProtected).toBe(false);
    expect(landed.tipLamports).toBeNull();
    // What the landed transaction paid: a network fee, the priority fee within the cap sent.
    const networkFee = BigInt(String(landed.networkFeeLamports));
    const priorityFee = BigInt(String(landed.priorityFeeLamports));
    expect(networkFee >= 5_000n, String(networkFee)).toBe(true);
    expect(priorityFee >= 0n && priorityFee <= 2_000_000n, String(priorityFee)).toBe(true);
    expect(networkFee >= priorityFee, `${networkFee} ${priorityFee}`).toBe(true);
    // The orders screen shows the fees the order JSON has.
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Orders" })
      .click();
    const fees = page.locator(`tr[data-order-id='${thirdId}'] .fees`);
    await expect(fees.getAttribute("data-network-fee")).resolves.toBe(String(networkFee));
    await expect(fees.getAttribute("data-priority-fee")).resolves.toBe(String(priorityFee));
    expect(await fees.getAttribute("data-tip")).toBeNull();
    await expect(fees.textContent()).resolves.toContain(
      `incl. priority ${formatLamports(priorityFee)} SOL`,
    );
    await page.goBack();
    await page.locator("[data-verdict='ok']").waitFor();
    await page.locator("#buy-advanced summary").click();
    await page.locator("#buy-priority").selectOption("low");

    // A cap above 1 SOL is refused in the panel: marked, and the buy button off.
    await page.locator("#buy-amount").fill("0.1");
    await page.locator("#buy-max-priority-fee").fill("2");
    await expect(page.locator("#buy-max-priority-fee").getAttribute("aria-invalid")).resolves.toBe(
      "true",
    );
    await expect(page.locator("#buy-submit").isDisabled()).resolves.toBe(true);
    // "Use my settings" puts the settings back.
    await page.getByRole("button", { name: "Use my settings" }).click();
    await expect(page.locator("#buy-max-priority-fee").inputValue()).resolves.toBe("0.005");
    await expect(page.locator("#buy-effective").getAttribute("data-priority")).resolves.toBe(
      "medium",
    );
    await expect(page.locator("#buy-submit").isDisabled()).resolves.toBe(false);
    await expectAccessible(page, "buy panel with advanced options");
    await screenshot(page, "buy-advanced");
  }, 120_000);

  it("shows MEV protection and the tip only where /v1/meta offers it, buys protected through the sandbox's block engine, and sends the per-order switch", async () => {
    const metaOf = async (url: string) =>
      (await (await fetch(`${url}/v1/meta`)).json()) as { mevProtection?: unknown };
    expect((await metaOf(terminal.server.url)).mevProtection).toBe(false);
    expect((await metaOf(protectedServer.url)).mevProtection).toBe(true);

    const { context, page, watch } = await openWatchedPage(terminal.browser, protectedServer.url);
    try {
      page.setDefaultTimeout(UI_TIMEOUT);
      await page.setViewportSize({ width: 1360, height: 900 });
      await page.goto(protectedServer.url);
      await page.waitForSelector("html[data-ready='1']");
      await fundedTrader(page, "mia");
      await openSettings(page);
      await page.locator("#settings-mev").check();
      await page.getByLabel("Tip (SOL)").fill("0.00001");
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByText("Settings saved.").waitFor({ state: "attached" });
      expect(await getFromPage(page, "/v1/settings")).toMatchObject({
        mevProtection: true,
        tipLamports: "10000",
      });
      // A tip below the block engines' minimum (1000 lamports) is refused by the server.
      await page.getByLabel("Tip (SOL)").fill("0.0000005");
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.locator("#settings-error[data-code='INVALID_SETTINGS']").waitFor();
      await expect(page.locator(".field-error").allTextContents()).resolves.toEqual([
        "The tip must be at least 0.000001 SOL and at most 1 SOL, or empty",
      ]);
      expect((await getFromPage(page, "/v1/settings")).tipLamports).toBe("10000");

      const mint = mintOf("BONKY");
      await page.goto(`${protectedServer.url}/#/token/${mint}`);
      await page.locator("[data-verdict='ok']").waitFor();
      const effective = page.locator("#buy-effective");
      await expect(effective.getAttribute("data-mev")).resolves.toBe("on");
      await expect(effective.getAttribute("data-tip")).resolves.toBe("10000");
      await expect(effective.textContent()).resolves.toMatch(
        /MEV protection on · Tip 0\.00001 SOL$/,
      );
      await page.locator("#buy-advanced summary").click();
      await expect(page.locator("#buy-mev").isChecked()).resolves.toBe(true);
      await expect(page.locator("#buy-tip").inputValue()).resolves.toBe("0.00001");
      await expectAccessible(page, "buy panel with MEV protection");
      await screenshot(page, "buy-protected");
      // With the settings as they are: protected, the settings' tip; the body carries neither.
      const protectedBody = await buyPresetSending(page, "100000000");
      expect(protectedBody).toEqual({
        side: "buy",
        mint,
        amountLamports: "100000000",
        slippageBps: 100,
      });
      const first = page.locator(".trade.buy .last-order [data-order-id]");
      await first.waitFor();
      const protectedId = (await first.getAttribute("data-order-id")) ?? "";
      await waitForOrderStatus(page, protectedId, "CONFIRMED");
      const landed = await getFromPage(page, `/v1/orders/${protectedId}`);
      expect(landed).toMatchObject({ mevProtected: true, tipLamports: "10000" });
      // Under the panel and in the orders screen: the tip and the protection.
      const fees = page.locator(".trade.buy .last-order .fees");
      await expect(fees.getAttribute("data-tip")).resolves.toBe("10000");
      await expect(fees.getAttribute("data-mev-protected")).resolves.toBe("1");
      await expect(fees.textContent()).resolves.toMatch(/tip 0\.00001 SOL.*MEV protected/);

      // Off for this order: the switch is sent, the tip field goes, the order is not protected.
      // (The advanced options are still open.)
      await page.locator("#buy-mev").uncheck();
      await expect(effective.getAttribute("data-mev")).resolves.toBe("off");
      expect(await page.locator("#buy-tip").count()).toBe(0);
      const body = await buyPresetSending(page, "100000000");
      expect(body).toEqual({
        side: "buy",
        mint,
        amountLamports: "100000000",
        slippageBps: 100,
        mevProtection: false,
      });
      const second = page.locator(
        `.trade.buy .last-order [data-order-id]:not([data-order-id='${protectedId}'])`,
      );
      await second.waitFor();
      const publicId = (await second.getAttribute("data-order-id")) ?? "";
      await waitForOrderStatus(page, publicId, "CONFIRMED");
      expect(await getFromPage(page, `/v1/orders/${publicId}`)).toMatchObject({
        mevProtected: false,
        tipLamports: null,
      });
      await page
        .getByRole("navigation", { name: "Main" })
        .getByRole("link", { name: "Orders" })
        .click();
      const row = page.locator(`tr[data-order-id='${protectedId}'] .fees`);
      await expect(row.getAttribute("data-tip")).resolves.toBe("10000");
      await row.locator(".badge", { hasText: "MEV protected" }).waitFor();
      expect(
        await page.locator(`tr[data-order-id='${publicId}'] .fees`).getAttribute("data-tip"),
      ).toBeNull();
      expect([...watch.errors, ...watch.cspViolations, ...watch.foreignRequests]).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
