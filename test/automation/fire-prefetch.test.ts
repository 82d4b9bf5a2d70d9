import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startTradingSandbox,
  type TestServer,
  type TradingSandbox,
} from "../trading/trading-setup.js";
import { startRecordingProxy } from "../trading/v2-chain-reads.js";
import { AUTOMATION_ENV, createAutomatedTrader } from "./support/automation-setup.js";
import { currentPriceUsd, setPriceUsd } from "./support/market-mover.js";

// A lone firing begins its order's plan (the swap's /build, the wallet reads) while its claim is
// written, and the order engine places the order on that plan: one /build per firing, not two.

describe("a firing's plan, begun before its claim", () => {
  const env = {} as {
    sandbox: TradingSandbox;
    server: TestServer;
    proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  };
  beforeAll(async () => {
    env.sandbox = await startTradingSandbox("sqlite");
    env.proxy = await startRecordingProxy(new URL(env.sandbox.stack.ready.swapApi).origin);
    env.server = await env.sandbox.startApp(
      { swapApiUrl: `${env.proxy.url}/swap/v1` },
      { ...AUTOMATION_ENV, JUPITER_SWAP_API: "v2" },
    );
  }, 120_000);
  afterAll(async () => {
    await env.server?.close();
    await env.proxy?.close();
    await env.sandbox?.close();
  });

  it("is the plan the order is placed on: one /build per firing", async () => {
    const mint = String(env.sandbox.stack.ready.mints.BONKY);
    const trader = await createAutomatedTrader(env.sandbox, env.server, "prefetcher");
    const start = currentPriceUsd(env.sandbox, mint);
    const created = await trader.createTrigger({
      type: "limit_buy",
      mint,
      amountLamports: "100000000",
      priceUsd: (start * 0.9).toPrecision(10),
    });
    expect(created.status).toBe("ARMED");
    const before = env.proxy.paths.length;

    setPriceUsd(env.sandbox, mint, start * 0.85);
    const fired = await trader.waitForTrigger(String(created.id), (t) => t.status === "FIRED");
    const orders = (fired.orders ?? []) as { status: string }[];
    expect(orders.map((o) => o.status)).toEqual(["CONFIRMED"]);
    const builds = env.proxy.paths.slice(before).filter((path) => path === "/swap/v2/build");
    expect(builds).toHaveLength(1);
  }, 60_000);
});
