import { afterAll, beforeAll } from "vitest";
import type { TriggerType } from "../../../src/automation/triggers/trigger-types.js";
import type { UserId } from "../../../src/core/ids.js";
import { createHttpClient, type HttpResult, type Json } from "../../support/http-client.js";
import {
  createTrader,
  startTradingSandbox,
  type TestServer,
  type Trader,
  type TradingSandbox,
} from "../../trading/trading-setup.js";

/** An automation key for tests (32 bytes, hex) and trigger timings fast enough to test. */
export const AUTOMATION_ENV: Record<string, string> = {
  AUTOMATION_KEY: "a1".repeat(32),
  TRIGGER_PRICE_INTERVAL_MS: "100",
  TRIGGER_PRICE_MAX_AGE_MS: "2000",
  TRIGGER_LEASE_MS: "3000",
  TRIGGER_DCA_MIN_INTERVAL_SECONDS: "1",
};

export interface GrantLimits {
  maxOrderLamports?: bigint;
  maxDailyLamports?: bigint;
  orderTypes?: TriggerType[];
  expiresAt?: number;
}

export interface AutomatedTrader extends Trader {
  readonly userId: UserId;
  /** Grants automation on the trader's wallet (replacing an active grant). */
  grant(limits?: GrantLimits): Promise<HttpResult>;
  /** Revokes the wallet's grant (DELETE /v1/wallets/:id/automation). */
  revoke(): Promise<HttpResult>;
  createTrigger(body: Record<string, unknown>): Promise<Json>;
  trigger(id: string): Promise<Json>;
  /** Polls the trigger until `done` holds on its JSON (bounded); returns the last JSON. */
  waitForTrigger(id: string, done: (trigger: Json) => boolean, tries?: number): Promise<Json>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A funded, unlocked trader with an automation grant on its wallet. */
export async function createAutomatedTrader(
  sandbox: TradingSandbox,
  server: TestServer,
  name: string,
  limits: GrantLimits = {},
  lamports = 20_000_000_000n,
): Promise<AutomatedTrader> {
  const trader = await createTrader(sandbox, server.url, name, lamports);
  const http = createHttpClient(server.url);
  const me = await trader.get("/v1/me");
  const userId = String(me.body.id) as UserId;
  const automated: AutomatedTrader = {
    ...trader,
    userId,
    async grant(input = {}) {
      const body = {
        password: "wallet password",
        maxOrderLamports: String(input.maxOrderLamports ?? 5_000_000_000n),
        maxDailyLamports: String(input.maxDailyLamports ?? 50_000_000_000n),
        orderTypes: input.orderTypes ?? [
          "limit_buy",
          "take_profit",
          "stop_loss",
          "trailing_stop",
          "dca",
        ],
        expiresAt: new Date(input.expiresAt ?? Date.now() + 7 * 86_400_000).toISOString(),
      };
      const path = `/v1/wallets/${trader.walletId}/automation`;
      return http.call("POST", path, body, trader.headers);
    },
    revoke: () =>
      http.call("DELETE", `/v1/wallets/${trader.walletId}/automation`, undefined, trader.headers),
    async createTrigger(body) {
      const answer = await http.call(
        "POST",
        "/v1/triggers",
        { walletId: trader.walletId, ...body },
        trader.headers,
      );
      if (answer.status !== 201)
        throw new Error(`trigger refused: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body;
    },
    async trigger(id) {
      return (await trader.get(`/v1/triggers/${id}`)).body;
    },
    async waitForTrigger(id, done, tries = 300) {
      let last: Json = {};
      for (let i = 0; i < tries; i++) {
        last = await automated.trigger(id);
        if (done(last)) return last;
        await sleep(100);
      }
      throw new Error(`trigger ${id} did not get there: ${JSON.stringify(last)}`);
    },
  };
  const granted = await automated.grant(limits);
  if (granted.status !== 201) throw new Error(`grant refused: ${JSON.stringify(granted.body)}`);
  return automated;
}

/** One trading sandbox and one app with automation on, for the enclosing describe block. */
export function useAutomationApp(
  database: "sqlite" | "postgres" = "sqlite",
  env: Record<string, string> = {},
) {
  const ctx = {} as { sandbox: TradingSandbox; server: TestServer };
  beforeAll(async () => {
    ctx.sandbox = await startTradingSandbox(database);
    ctx.server = await ctx.sandbox.startApp({}, { ...AUTOMATION_ENV, ...env });
  }, 120_000);
  afterAll(async () => {
    await ctx.server?.close();
    await ctx.sandbox?.close();
  });
  return ctx;
}

/** Waits a few watcher ticks (nothing should happen in them). */
export async function waitTicks(ticks = 8): Promise<void> {
  await sleep(Number(AUTOMATION_ENV.TRIGGER_PRICE_INTERVAL_MS) * ticks);
}
