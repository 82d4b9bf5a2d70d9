import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startTradingSandbox,
  type TestServer,
  type TradingSandbox,
} from "../trading/trading-setup.js";
import { AUTOMATION_ENV, createAutomatedTrader, waitTicks } from "./support/automation-setup.js";
import { currentPriceUsd, setPriceUsd } from "./support/market-mover.js";
import { startPriceProxy } from "./support/price-proxy.js";

const MAX_AGE_MS = Number(AUTOMATION_ENV.TRIGGER_PRICE_MAX_AGE_MS);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a stale price feed fires nothing", () => {
  let sandbox: TradingSandbox;
  let server: TestServer;
  let proxy: Awaited<ReturnType<typeof startPriceProxy>>;
  beforeAll(async () => {
    sandbox = await startTradingSandbox();
    proxy = await startPriceProxy(sandbox.stack.ready.priceApi);
    server = await sandbox.startApp({ priceApiUrl: proxy.url }, AUTOMATION_ENV);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    await sandbox?.close();
  });

  it("a stuck blockId or a failing API holds a crossed trigger; a live feed fires it", async () => {
    const mint = String(sandbox.stack.ready.mints.WIFY);
    const trader = await createAutomatedTrader(sandbox, server, "stale-watcher");
    const start = currentPriceUsd(sandbox, mint);
    const created = await trader.createTrigger({
      type: "limit_buy",
      mint,
      amountLamports: "100000000",
      priceUsd: (start * 0.9).toPrecision(10),
    });
    const id = String(created.id);
    await waitTicks();
    const watcher = server.app.automationRunner?.watcher;
    expect(watcher?.lagSeconds()).toBeLessThan(MAX_AGE_MS / 1000);

    // The feed answers, with prices, but its blocks stop: once older than the maximum age,
    // a price past the trigger's fires nothing.
    proxy.setMode("stuck");
    await sleep(MAX_AGE_MS + 300);
    setPriceUsd(sandbox, mint, start * 0.8);
    await waitTicks(10);
    expect(await trader.trigger(id)).toMatchObject({ status: "ARMED", orders: [] });
    expect(watcher?.lagSeconds()).toBeGreaterThan(MAX_AGE_MS / 1000);

    proxy.setMode("failing");
    await waitTicks(10);
    expect(await trader.trigger(id)).toMatchObject({ status: "ARMED", orders: [] });

    proxy.setMode("live");
    const fired = await trader.waitForTrigger(id, (t) => t.status === "FIRED");
    expect(fired.orders).toHaveLength(1);
  }, 60_000);
});
