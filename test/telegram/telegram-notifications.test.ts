import { describe, expect, it } from "vitest";
import { AUTOMATION_ENV } from "../automation/support/automation-setup.js";
import { createTrader } from "../trading/trading-setup.js";
import { startedChatUser, unlockThroughWeb, useTelegramApp } from "./support/telegram-setup.js";

// What reaches the linked chat without a press: an order placed in the web terminal when it
// ends, and a standing order's status changes (each once), in the chat the user linked from.

const env = useTelegramApp({ env: AUTOMATION_ENV });

describe("Telegram notifications", () => {
  it("announces a terminal order's fill and a standing order's cancellation, once each", async () => {
    const dora = await startedChatUser(env, "Dora");
    const { web, walletId } = await unlockThroughWeb(env, dora);
    const mint = env.sandbox.stack.ready.mints.BONKY ?? "";

    const placed = await web.call(
      "POST",
      "/v1/orders",
      { side: "buy", mint, amountLamports: "200000000" },
      { "idempotency-key": "web-notify-1" },
    );
    expect(placed.status).toBe(202);
    const filled = await dora.nextBotMessage(/Placed in the terminal/);
    // Sent once the order is final, not for every step on the way.
    expect(filled.text).toMatch(/✅ Bought [\d.]+ BONKY/);
    expect(filled.text).toContain(mint);
    expect(dora.botMessages(/Placed in the terminal/)).toHaveLength(1);

    const granted = await web.call("POST", `/v1/wallets/${walletId}/automation`, {
      password: "wallet password",
      maxOrderLamports: "1000000000",
      maxDailyLamports: "5000000000",
      orderTypes: ["limit_buy"],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(granted.status).toBe(201);
    const created = await web.call("POST", "/v1/triggers", {
      walletId,
      type: "limit_buy",
      mint,
      amountLamports: "100000000",
      priceUsd: "0.000000000001",
    });
    expect(created.status).toBe(201);
    // Arming says nothing; cancelling does.
    expect((await web.call("DELETE", `/v1/triggers/${created.body.id}`)).status).toBe(200);
    const cancelled = await dora.nextBotMessage(/Standing order cancelled/);
    expect(cancelled.text).toContain("limit buy");
    expect(cancelled.text).toContain(mint);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(dora.botMessages(/Standing order/)).toHaveLength(1);
  });

  it("sends nothing to a user who has no linked chat", async () => {
    const before = env.emulator.calls.filter((call) => call.method === "sendMessage").length;
    const trader = await createTrader(env.sandbox, env.server.url, "unlinked-trader");
    const mint = env.sandbox.stack.ready.mints.BONKY ?? "";
    const placed = await trader.order(
      { side: "buy", mint, amountLamports: "100000000" },
      "unlinked-1",
    );
    await trader.settle(String(placed.body.id));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(env.emulator.calls.filter((call) => call.method === "sendMessage").length).toBe(before);
  });
});
