import { expect } from "vitest";
import { callRetrying, type Json, readChainSwaps, TERMINAL } from "../trading/crash-harness.js";
import type { AutomationCrashHarness } from "./crash-automation-harness.js";
import type { CrashWallet } from "./crash-trigger-setup.js";

export const FINAL_TRIGGER = new Set(["FIRED", "FAILED", "CANCELLED", "EXPIRED"]);

/** Triggers not final yet, read from the instances' database (the API may be down). */
export async function countOpenTriggers(harness: AutomationCrashHarness): Promise<number> {
  const database = await harness.openDatabase();
  try {
    const rows = await database.db.selectFrom("triggers").select("status").execute();
    return rows.filter((row) => !FINAL_TRIGGER.has(row.status)).length;
  } finally {
    await database.close();
  }
}

/** Triggers FIRING now (all instances): the killer waits for one before it strikes first. */
export async function countFiring(harness: AutomationCrashHarness): Promise<number> {
  const database = await harness.openDatabase();
  try {
    const rows = await database.db
      .selectFrom("triggers")
      .select("id")
      .where("status", "=", "FIRING")
      .execute();
    return rows.length;
  } finally {
    await database.close();
  }
}

const tally = (values: string[]) => {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
};

/**
 * Exactly once, from three sides: the database (one firing placed per trigger, its order named
 * `trigger:<id>:<n>`, no key twice), the API (each user's orders are the triggers' orders), and
 * the chain (each wallet's successful transactions are exactly its CONFIRMED orders' swaps).
 */
export async function checkExactlyOnce(
  harness: AutomationCrashHarness,
  api: string,
  wallets: readonly CrashWallet[],
  crashTimes: readonly number[],
) {
  const database = await harness.openDatabase();
  const [triggers, firings, orders, rejections] = await Promise.all([
    database.db.selectFrom("triggers").selectAll().execute(),
    database.db.selectFrom("triggerFirings").selectAll().execute(),
    database.db.selectFrom("orders").selectAll().execute(),
    database.db.selectFrom("orderEvents").selectAll().where("status", "=", "REJECTED").execute(),
  ]).finally(() => database.close());
  const armed = wallets.flatMap((w) => w.triggerIds);
  expect(triggers.map((t) => t.id).sort()).toEqual([...armed].sort());
  const keys = orders.map((o) => o.idempotencyKey);
  expect(new Set(keys).size, "an idempotency key named two orders").toBe(keys.length);
  for (const trigger of triggers) {
    const mine = orders.filter((o) => o.triggerId === trigger.id);
    const placed = firings.filter((f) => f.triggerId === trigger.id && f.status === "PLACED");
    const what = `trigger ${trigger.id} ${trigger.status} ${trigger.reasonCode ?? ""}`;
    expect(FINAL_TRIGGER.has(trigger.status), what).toBe(true);
    // Every trigger crossed (the walk ends below them all), so it placed at least one order;
    // each firing placed exactly one, under its own key.
    expect(placed.length, what).toBeGreaterThanOrEqual(1);
    expect(mine.length, what).toBe(placed.length);
    for (const firing of placed) {
      const order = mine.find((o) => o.id === firing.orderId);
      expect(order, `${what}: firing ${firing.firingNumber} has its order`).toBeDefined();
      expect(order?.idempotencyKey).toBe(`trigger:${trigger.id}:${firing.firingNumber}`);
      expect(firing.idempotencyKey).toBe(order?.idempotencyKey);
    }
    for (const order of mine)
      expect(TERMINAL.has(order.status), `order ${order.id} ${order.status}`).toBe(true);
    // A one-shot trigger trades once at most, and is FIRED exactly when it did.
    const confirmed = mine.filter((o) => o.status === "CONFIRMED").length;
    expect(confirmed, what).toBeLessThanOrEqual(1);
    expect(trigger.status === "FIRED", `${what}, orders ${mine.map((o) => o.status)}`).toBe(
      confirmed === 1,
    );
    // A trigger that says the token was blocked had its order refused by the safety analysis
    // (not, say, abandoned before signing by a crash: nothing was sent, the token is healthy).
    if (trigger.reasonCode === "SAFETY_BLOCKED")
      for (const order of mine) {
        const detail = rejections.find((e) => e.orderId === order.id)?.detail ?? "";
        expect(detail, `${what}: order ${order.id} ${order.error ?? ""}`).toMatch(
          /SAFETY_BLOCKED|RISK_NOT_ACCEPTED/,
        );
      }
  }
  // No order of these users was placed by anything but a trigger.
  expect(orders.filter((o) => o.triggerId === null)).toEqual([]);

  let chainSwaps = 0;
  for (const wallet of wallets) {
    const walletOrders = orders.filter((o) => o.walletId === wallet.walletId);
    const confirmed = new Map(
      walletOrders.filter((o) => o.status === "CONFIRMED").map((o) => [String(o.signature), o]),
    );
    const chain = await readChainSwaps(harness.rpc, wallet.publicKey, wallet.airdrops);
    const landed = chain.filter((tx) => tx.err === null);
    chainSwaps += landed.length;
    // Each successful transaction of the wallet is one CONFIRMED order's swap, and the reverse.
    expect(landed.map((tx) => tx.signature).sort()).toEqual([...confirmed.keys()].sort());
    for (const tx of landed) {
      const order = confirmed.get(tx.signature);
      expect(String(order?.amountIn), `amountIn of ${tx.signature}`).toBe(
        (-tx.lamportDelta).toString(),
      );
      expect(String(order?.amountOut)).toBe(String(tx.tokenDeltas.get(String(order?.mint)) ?? 0n));
    }
    for (const order of walletOrders.filter((o) => o.status !== "CONFIRMED"))
      expect(landed.some((tx) => tx.signature === order.signature)).toBe(false);
  }

  // What the users see through the API agrees: their orders are their triggers' orders.
  const users = new Map(wallets.map((w) => [w.user, w.auth]));
  for (const auth of users.values()) {
    const listed = await callRetrying(api, "GET", "/v1/orders?limit=200", undefined, auth);
    const apiOrders = listed.body.orders as Json[];
    for (const order of apiOrders) {
      const row = orders.find((o) => o.id === order.id);
      expect(order.triggerId).toBe(row?.triggerId);
      expect(order.status).toBe(row?.status);
    }
  }
  const confirmedCount = orders.filter((o) => o.status === "CONFIRMED").length;
  expect(chainSwaps).toBe(confirmedCount);
  // Firings claimed before a crash whose order ended after it: the resumed work.
  const acrossCrash = firings.filter((f) => {
    const order = orders.find((o) => o.id === f.orderId);
    return order && crashTimes.some((t) => Number(f.createdAt) < t && t < Number(order.updatedAt));
  }).length;
  return {
    acrossCrash,
    triggers: tally(triggers.map((t) => `${t.status}${t.reasonCode ? `/${t.reasonCode}` : ""}`)),
    orders: tally(orders.map((o) => o.status)),
    firings: firings.length,
    chainSwaps,
  };
}
