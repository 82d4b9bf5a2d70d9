import { generateKeyPairSync } from "node:crypto";
import { generateKeyPairSigner, getBase58Decoder } from "@solana/kit";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createWallet,
  expectAccessible,
  getFromPage,
  inPage,
  logIn,
  register,
  screenshot,
  startTerminal,
  type Terminal,
  UI_TIMEOUT,
  unlockFromBar,
  waitForOrderStatus,
} from "./support/terminal.js";

let terminal: Terminal;
beforeAll(async () => {
  terminal = await startTerminal();
}, 120_000);
afterAll(async () => terminal?.close());

const mintOf = (symbol: string) => terminal.sandbox.stack.ready.mints[symbol] ?? "";

async function fundedTrader(name: string): Promise<Page> {
  const page = await terminal.newPage();
  await register(page, name);
  const card = await createWallet(page, `${name} wallet`);
  await card.getByRole("button", { name: /Faucet/ }).click();
  await card.locator("[data-sol-lamports='2000000000']").waitFor();
  await unlockFromBar(page);
  return page;
}

async function buy(page: Page, symbol: string): Promise<string> {
  await page.goto(`${terminal.server.url}/#/token/${mintOf(symbol)}`);
  await page.locator("[data-verdict='ok']").waitFor();
  await page.locator("[data-preset='100000000']").click();
  const row = page.locator(".trade.buy .last-order [data-order-id]");
  await row.waitFor();
  const id = (await row.getAttribute("data-order-id")) ?? "";
  await waitForOrderStatus(page, id, "CONFIRMED");
  return id;
}

const solOf = async (page: Page) =>
  BigInt(
    (await page
      .locator("article.wallet [data-sol-lamports]")
      .first()
      .getAttribute("data-sol-lamports")) || "0",
  );

/** Opens the withdraw dialog, fills it, submits; answers the dialog. */
async function withdraw(page: Page, asset: string, to: string, amount: string) {
  await page.goto(`${terminal.server.url}/#/wallets`);
  await page.locator("article.wallet").getByRole("button", { name: "Withdraw" }).click();
  const dialog = page.getByRole("dialog", { name: /Withdraw from/ });
  await dialog.waitFor();
  await dialog.locator("#withdraw-asset").selectOption(asset);
  await dialog.locator("#withdraw-to").fill(to);
  await dialog.locator("#withdraw-amount").fill(amount);
  await dialog.getByRole("button", { name: "Withdraw" }).click();
  return dialog;
}

describe("wallets, withdrawals and who sees what", () => {
  it("withdraws SOL and a token to another address, refuses a bad address and too much, with the reason", async () => {
    const page = await fundedTrader("walt");
    const mint = mintOf("BONKY");
    await buy(page, "BONKY");
    const to = (await generateKeyPairSigner()).address;
    const solBefore = await (async () => {
      await page.goto(`${terminal.server.url}/#/wallets`);
      await page.locator(`article.wallet [data-token-mint='${mint}']`).waitFor();
      return solOf(page);
    })();

    let dialog = await withdraw(page, "SOL", "not-an-address", "0.1");
    await dialog.locator("#withdraw-error[data-code='INVALID_ADDRESS']").waitFor();
    // What was typed stays for the user to correct.
    expect(await dialog.locator("#withdraw-to").inputValue()).toBe("not-an-address");
    await screenshot(page, "withdraw-refused");
    await page.keyboard.press("Escape");

    dialog = await withdraw(page, "SOL", to, "1000");
    await dialog.locator("#withdraw-error[data-code='INSUFFICIENT_BALANCE']").waitFor();
    await page.keyboard.press("Escape");

    dialog = await withdraw(page, "SOL", to, "0.25");
    await page.locator("[data-withdrawal-id][data-status='CONFIRMED']").first().waitFor();
    await page.keyboard.press("Escape");
    expect(terminal.sandbox.lamportsOf(to)).toBe(250_000_000n);
    await expect
      .poll(() => solOf(page), { timeout: UI_TIMEOUT })
      .toBeLessThanOrEqual(solBefore - 250_000_000n);

    const tokenCell = page.locator(`article.wallet [data-token-mint='${mint}']`);
    const held = BigInt((await tokenCell.getAttribute("data-token-amount")) ?? "0");
    const tokenAmount = held / 2n;
    const decimals = 5; // BONKY
    const whole = `${tokenAmount / 10n ** BigInt(decimals)}.${(tokenAmount % 10n ** BigInt(decimals)).toString().padStart(decimals, "0")}`;
    dialog = await withdraw(page, mint, to, whole);
    await page.locator("[data-withdrawal-id][data-status='CONFIRMED']").nth(1).waitFor();
    await page.keyboard.press("Escape");
    await page
      .locator(
        `article.wallet [data-token-mint='${mint}'][data-token-amount='${held - tokenAmount}']`,
      )
      .waitFor();
    await expectAccessible(page, "wallets with withdrawals");
  }, 120_000);

  it("shows the deposit address with a QR code, exports the key only after the password and a reveal, imports a keygen JSON array", async () => {
    const page = await terminal.newPage();
    await register(page, "dora");
    const card = await createWallet(page, "dora wallet");
    const publicKey = (await card.getAttribute("data-public-key")) ?? "";
    await card.getByRole("button", { name: "Deposit" }).click();
    const deposit = page.getByRole("dialog", { name: /Deposit/ });
    await expect(deposit.locator("[data-deposit-address]").textContent()).resolves.toContain(
      publicKey,
    );
    await deposit.locator("svg.qr").waitFor();
    await expectAccessible(page, "deposit dialog");
    await screenshot(page, "deposit");
    await page.keyboard.press("Escape");
    await deposit.waitFor({ state: "hidden" });
    // Focus goes back to the button that opened it.
    // (The dialog closes first; focus moves back on the next task.)
    await expect
      .poll(() => inPage(page, "document.activeElement?.textContent"), { timeout: 5_000 })
      .toBe("Deposit");

    await card.getByRole("button", { name: "Export key" }).click();
    const exporting = page.getByRole("dialog", { name: /Export the key/ });
    await expect(exporting.textContent()).resolves.toMatch(/Warning/);
    await exporting.locator("#export-password").fill("wrong password here");
    await exporting.getByRole("button", { name: "Export key" }).click();
    await exporting.locator(".error[data-code]").waitFor();
    await exporting.locator("#export-password").fill("wallet password");
    await exporting.getByRole("button", { name: "Export key" }).click();
    await exporting.getByRole("button", { name: "Reveal" }).waitFor();
    expect(await exporting.locator("[data-secret]").count()).toBe(0);
    await exporting.getByRole("button", { name: "Reveal" }).click();
    const secret = (await exporting.locator("[data-secret]").textContent())?.trim() ?? "";
    expect(secret.length).toBeGreaterThan(80);
    await page.keyboard.press("Escape");

    // Import: solana-keygen's JSON array of 64 numbers (seed then public key).
    const { privateKey, publicKey: imported } = generateKeyPairSync("ed25519");
    const seed = privateKey.export({ format: "der", type: "pkcs8" }).subarray(-32);
    const raw = imported.export({ format: "der", type: "spki" }).subarray(-32);
    await page.getByRole("button", { name: "Import" }).click();
    await page.locator("#wallet-label").fill("imported");
    await page.locator("#wallet-secret").fill(JSON.stringify([...seed, ...raw]));
    await page.locator("#wallet-password").fill("wallet password");
    await page.locator("#wallet-password-again").fill("wallet password");
    await page.getByRole("button", { name: "Import wallet" }).click();
    const importedCard = page.locator("article.wallet", {
      has: page.getByRole("heading", { name: "imported" }),
    });
    await expect(importedCard.getAttribute("data-public-key")).resolves.toBe(
      getBase58Decoder().decode(raw),
    );
  }, 60_000);

  it("never shows user B user A's wallets, orders or events", async () => {
    const alice = await fundedTrader("ann");
    const bob = await terminal.newPage();
    await register(bob, "bob");
    // Both listen on their own event streams while A trades: A's must carry A's order, B's nothing.
    const listen = `window.seen = []; window.source = new EventSource("/v1/events"); for (const name of ["order", "withdrawal", "balance"]) window.source.addEventListener(name, (event) => window.seen.push(name + ":" + event.data)); new Promise((resolve) => window.source.addEventListener("ready", () => resolve(true)))`;
    await inPage(bob, listen);
    await inPage(alice, listen);
    const orderId = await buy(alice, "WIFY");
    const aliceWallets = await getFromPage<{ id: string }[]>(alice, "/v1/wallets");
    await bob.goto(`${terminal.server.url}/#/orders`);
    await bob.getByText("No orders yet").waitFor();
    expect(await bob.locator("[data-order-id]").count()).toBe(0);
    await bob.goto(`${terminal.server.url}/#/wallets`);
    await bob.getByText("No wallet yet. Create one to start.").waitFor();
    expect(await getFromPage<unknown[]>(bob, "/v1/wallets")).toEqual([]);
    const foreign = await getFromPage<{ error?: { code: string } }>(bob, `/v1/orders/${orderId}`);
    expect(foreign.error?.code).toBe("ORDER_NOT_FOUND");
    const foreignWallet = await getFromPage<{ error?: { code: string } }>(
      bob,
      `/v1/wallets/${aliceWallets[0]?.id}`,
    );
    expect(foreignWallet.error?.code).toBe("NOT_FOUND");
    // A's stream did carry A's order (so the stream works), B's carried nothing.
    await waitForOrderStatus(alice, orderId, "CONFIRMED");
    await expect
      .poll(() => inPage<string[]>(alice, "window.seen"), { timeout: UI_TIMEOUT })
      .toContainEqual(expect.stringMatching(new RegExp(`^order:.*${orderId}`)));
    expect(await inPage(bob, "window.seen")).toEqual([]);
  }, 90_000);

  it("saves buy presets and slippage that the buy panel then offers", async () => {
    const page = await terminal.newPage();
    await register(page, "sam");
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Settings" })
      .click();
    await expectAccessible(page, "settings");
    await page.getByLabel("Buy presets (SOL)").fill("0.2, 0.75");
    await page.getByLabel("Default slippage (%)").fill("2.5");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Settings saved.").waitFor({ state: "attached" });
    await screenshot(page, "settings");
    expect(await getFromPage(page, "/v1/settings")).toMatchObject({
      buyPresetsLamports: ["200000000", "750000000"],
      slippageBps: 250,
    });
    await page.goto(`${terminal.server.url}/#/token/${mintOf("BONKY")}`);
    await page.locator("[data-preset='750000000']").waitFor();
    expect(await page.locator(".trade.buy .preset").count()).toBe(2);
    expect(await page.locator("#buy-slippage").inputValue()).toBe("2.5");
    // A bad value is refused with the reason, and what was typed stays.
    await page.goto(`${terminal.server.url}/#/settings`);
    await page.getByLabel("Default slippage (%)").fill("90");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.locator(".error[data-code='INVALID_SETTINGS']").waitFor();
    expect(await page.getByLabel("Default slippage (%)").inputValue()).toBe("90");
  }, 60_000);

  it("shows the operator view to an admin only, and the API gives a non-admin no operator data", async () => {
    await terminal.server.app.accounts.register({
      username: "root",
      password: "root password",
      role: "admin",
    });
    const admin = await terminal.newPage();
    await logIn(admin, "root", "root password");
    await admin.getByRole("link", { name: "Operator" }).click();
    await admin.getByRole("heading", { name: "Orders by status" }).waitFor();
    await admin.getByRole("heading", { name: /Users \(\d+\)/ }).waitFor();
    await expectAccessible(admin, "operator view");
    await screenshot(admin, "operator");

    const user = await terminal.newPage();
    await register(user, "mallory");
    expect(await user.getByRole("link", { name: "Operator" }).count()).toBe(0);
    const refused = await getFromPage<{ error?: { code: string }; users?: unknown }>(
      user,
      "/v1/admin/overview",
    );
    expect(refused.error?.code).toBe("FORBIDDEN");
    expect(refused.users).toBeUndefined();
    await user.goto(`${terminal.server.url}/#/admin`);
    await user.getByText("The operator view is for administrators.").waitFor();
  }, 60_000);
});
