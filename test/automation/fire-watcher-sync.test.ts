import { describe, expect, it } from "vitest";
import type { TriggerRecord } from "../../src/automation/triggers/trigger-types.js";
import { createPriceWatcher } from "../../src/automation/watch/price-watcher.js";
import type { Crossing } from "../../src/automation/watch/trigger-evaluator.js";
import { createFakeClock } from "../support/fake-clock.js";

const SOL = "So11111111111111111111111111111111111111112";
const MINT = "Mint1111111111111111111111111111111111111111";

/** A limit buy at $1 on MINT, as the triggers table holds it. */
function row(id: string, updatedAt: number, status = "ARMED"): TriggerRecord {
  return {
    id,
    userId: "u",
    walletId: "w",
    type: "limit_buy",
    mint: MINT,
    decimals: 6,
    status,
    reasonCode: null,
    reason: null,
    params: { type: "limit_buy", amountLamports: 1n, priceUsd: "1" },
    triggerPrice: "1",
    highWaterPrice: null,
    ocoGroup: null,
    acceptRisk: false,
    firingNumber: 0,
    nextDueAt: null,
    leaseOwner: null,
    leaseUntil: null,
    expiresAt: updatedAt + 86_400_000,
    createdAt: updatedAt,
    updatedAt,
    slippageBps: null,
  } as TriggerRecord;
}

/** The watcher over an in-memory table, counting full reads and reads of changed rows. */
function watch() {
  const clock = createFakeClock();
  const table = new Map<string, TriggerRecord>();
  const reads = { full: 0, changed: 0 };
  const crossed: string[] = [];
  let block = 0;
  const watcher = createPriceWatcher({
    clock,
    solMint: SOL,
    intervalMs: 1_000,
    maxAgeMs: 10_000,
    fetchQuotes: async (mints) => {
      block += 1;
      return new Map(mints.map((mint) => [mint, { usd: mint === SOL ? 150 : 2, blockId: block }]));
    },
    listArmed: async () => {
      reads.full += 1;
      return [...table.values()].filter((t) => t.status === "ARMED");
    },
    listChangedSince: async (since) => {
      reads.changed += 1;
      return [...table.values()].filter((t) => t.updatedAt >= since);
    },
    readTrigger: async (id) => table.get(id),
    isBusy: () => false,
    onCrossings: (crossings: Crossing<TriggerRecord>[]) => {
      for (const crossing of crossings) crossed.push(crossing.trigger.id);
    },
    onHighWaters: async () => {},
    onError: (error) => {
      throw error;
    },
  });
  return { clock, table, reads, crossed, watcher };
}

describe("price watcher: the index follows the table", () => {
  it("reads every armed trigger once, then only the rows written since, and all again every 5 min", async () => {
    const { clock, table, reads, watcher } = watch();
    table.set("a", row("a", clock.now()));
    await watcher.tick();
    expect(reads).toEqual({ full: 1, changed: 0 });
    expect(watcher.evaluator.size).toBe(1);

    clock.advance(1_000);
    table.set("b", row("b", clock.now()));
    await watcher.tick();
    expect(reads).toEqual({ full: 1, changed: 1 });
    expect(watcher.evaluator.size).toBe(2);

    // Cancelled elsewhere (another instance, the API): the written row takes it out.
    clock.advance(1_000);
    table.set("a", row("a", clock.now(), "CANCELLED"));
    await watcher.tick();
    expect([...watcher.evaluator.triggers()].map((t) => t.id)).toEqual(["b"]);

    clock.advance(300_000);
    await watcher.tick();
    expect(reads.full).toBe(2);
  });

  it("picks up a trigger armed after the last full read; a row whose write time lags comes back with the next full read", async () => {
    const { clock, table, crossed, watcher } = watch();
    await watcher.tick();
    clock.advance(1_000);
    // A row whose write time lags (another instance's clock, 20 s behind): not in the changed rows.
    table.set("late", row("late", clock.now() - 20_000));
    table.set("new", row("new", clock.now()));
    await watcher.tick();
    expect([...watcher.evaluator.triggers()].map((t) => t.id)).toEqual(["new"]);
    // The price ($2) is above both ($1): nothing fires.
    expect(crossed).toEqual([]);
    clock.advance(300_000);
    await watcher.tick();
    expect(watcher.evaluator.size).toBe(2);
  });

  it("looks again at a crossed trigger whose firing wrote nothing (its linked one was firing)", async () => {
    const { clock, table, crossed, watcher } = watch();
    await watcher.tick();
    clock.advance(60_000);
    table.set("buy", { ...row("buy", clock.now()), triggerPrice: "5" });
    clock.advance(10_000);
    await watcher.tick();
    expect(crossed).toEqual(["buy"]);
    expect(watcher.evaluator.size).toBe(0);
    // The claim refused it and left its row as it was (ARMED, same write time): it comes back.
    clock.advance(1_000);
    await watcher.tick();
    expect(crossed).toEqual(["buy", "buy"]);
  });
});
