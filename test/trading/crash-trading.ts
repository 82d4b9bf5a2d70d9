import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSeededRandom } from "../../src/sandbox/index.js";
import {
  type ChainSwap,
  type CrashHarness,
  type CrashUser as CrashUserOf,
  callRetrying,
  crashWhileRunning,
  createCrashUser,
  type Json,
  type Reply,
  readChainSwaps,
  type SandboxReady,
  sleep,
  startCrashHarness,
  TERMINAL,
  unlockCrashUser,
} from "./crash-harness.js";

const SEED = Number(process.env.CRASH_SEED ?? 20261125);
const USERS = 10;
const ORDERS_PER_USER = 12;
const CRASHES = 4;

interface Placed {
  readonly key: string;
  readonly body: Json;
  /** The order the server answered with; absent when the request was refused (e.g. nothing to sell). */
  readonly orderId?: string;
  readonly reply: Reply;
}

type CrashUser = CrashUserOf<Placed>;

export interface CrashTradingOptions {
  /** More of the server's environment, from the sandbox's ready line. */
  readonly serverEnv?: (ready: SandboxReady) => Record<string, string>;
  /** Fields added to every order's body (e.g. per-order overrides). */
  readonly orderExtra?: Json;
  /** More checks on the settled orders (every order final by then). */
  readonly checkOrders?: (harness: CrashHarness, orders: readonly Json[]) => Promise<void>;
}

/** Buys of BONKY and GLIDE, and sells of part of what a buy brought, interleaved. */
function plan(user: number, mints: { BONKY: string; GLIDE: string }, extra: Json): Json[] {
  const bodies: Json[] = [];
  for (let n = 0; n < ORDERS_PER_USER; n++) {
    const mint = n % 4 < 2 ? mints.BONKY : mints.GLIDE;
    bodies.push(
      n % 2 === 0
        ? {
            side: "buy",
            mint,
            amountLamports: String(50_000_000 + user * 1000 + n),
            slippageBps: 3000,
            ...extra,
          }
        : { side: "sell", mint, percent: 25 + ((user + n) % 50), slippageBps: 3000, ...extra },
    );
  }
  return bodies;
}

/**
 * The crash test: 10 users trading at once while the server is SIGKILLed at seeded random moments
 * and restarted; afterwards every order is final and every swap on chain is exactly one order's.
 */
export function describeCrashTrading(title: string, options: CrashTradingOptions = {}) {
  describe(title, () => {
    let harness: CrashHarness;
    const users: CrashUser[] = [];
    /** Requests that had to be sent again (a crash cut them off or lost their session). */
    const retried = new Set<string>();

    beforeAll(async () => {
      harness = await startCrashHarness(options.serverEnv ? { serverEnv: options.serverEnv } : {});
      await harness.start();
    }, 60_000);
    afterAll(async () => {
      await harness?.close();
    });

    const unlock = (user: CrashUser) => unlockCrashUser(harness, user);
    const createUser = (name: string) => createCrashUser<Placed>(harness, name);

    /**
     * What a real client does across a crash: the same request with the same idempotency key until
     * the server answers; a lost trading session (it lived in the dead process) is unlocked again.
     */
    async function place(user: CrashUser, key: string, body: Json): Promise<Placed> {
      for (let attempt = 0; attempt < 50; attempt++) {
        const reply = await callRetrying(harness.api, "POST", "/v1/orders", body, {
          ...user.auth,
          "x-trading-session": user.session,
          "idempotency-key": key,
        });
        if (reply.connectionErrors > 0 || attempt > 0) retried.add(key);
        const code = String((reply.body.error as Json | undefined)?.code ?? "");
        if (code === "SESSION_NOT_FOUND" || code === "SESSION_EXPIRED") {
          await unlock(user);
          continue;
        }
        if (reply.status >= 500) {
          await sleep(200);
          continue;
        }
        const details = (reply.body.error as Json | undefined)?.details as Json | undefined;
        const orderId = reply.body.id ?? details?.orderId;
        return { key, body, reply, ...(orderId ? { orderId: String(orderId) } : {}) };
      }
      throw new Error(`order ${key} kept failing`);
    }

    async function listOrders(user: CrashUser): Promise<Json[]> {
      const reply = await callRetrying(
        harness.api,
        "GET",
        "/v1/orders?limit=200",
        undefined,
        user.auth,
      );
      return reply.body.orders as Json[];
    }

    it("leaves every order final, every swap on chain matched by one order, nothing twice", async () => {
      const random = createSeededRandom(SEED); // the kill schedule is reproducible from its seed
      const mints = {
        BONKY: harness.ready.mints.BONKY ?? "",
        GLIDE: harness.ready.mints.GLIDE ?? "",
      };
      for (let u = 0; u < USERS; u++) users.push(await createUser(`crash-${u}`));

      // Traders: each user places its orders one after another, all users at once.
      let trading = true;
      const traders = Promise.all(
        users.map(async (user, u) => {
          const bodies = plan(u, mints, options.orderExtra ?? {});
          for (const [n, body] of bodies.entries()) {
            user.placed.push(await place(user, `${user.name}-order-${n}`, body));
          }
        }),
      ).finally(() => {
        trading = false;
      });

      // The killer: SIGKILL at seeded random moments while orders are in flight, then restart.
      const crashTimes = await crashWhileRunning(harness, {
        running: () => trading,
        random,
        maxCrashes: CRASHES,
        maxGapMs: 1_700,
      });
      const crashes = crashTimes.length;
      await traders;
      expect(crashes).toBeGreaterThanOrEqual(2);

      // Reconciled: wait until no order is left in flight (unsigned ones are abandoned after 60 s).
      let orders: Map<CrashUser, Json[]> = new Map();
      const deadline = Date.now() + 100_000;
      for (;;) {
        orders = new Map(
          await Promise.all(users.map(async (u) => [u, await listOrders(u)] as const)),
        );
        const open = [...orders.values()].flat().filter((o) => !TERMINAL.has(String(o.status)));
        if (open.length === 0) break;
        if (Date.now() > deadline)
          throw new Error(
            `still open: ${open.map((o) => `${String(o.id)} ${String(o.status)}`).join(", ")}`,
          );
        await sleep(1_000);
      }

      let confirmedCount = 0;
      let chainSwapCount = 0;
      const allOrders = [...orders.values()].flat();
      expect(allOrders.length).toBeGreaterThanOrEqual(100);
      for (const user of users) {
        const userOrders = orders.get(user) ?? [];
        const chain = await readChainSwaps(harness.rpc, user.publicKey, user.airdrops);
        const bySignature = new Map<string, ChainSwap>(chain.map((tx) => [tx.signature, tx]));
        // Every order is final, and a signature is never shared by two orders.
        const signatures = userOrders.map((o) => o.signature).filter((s) => s !== null);
        expect(new Set(signatures).size).toBe(signatures.length);
        for (const order of userOrders) {
          expect(
            TERMINAL.has(String(order.status)),
            `${String(order.id)} ${String(order.status)}`,
          ).toBe(true);
          const tx =
            order.signature === null ? undefined : bySignature.get(String(order.signature));
          if (order.status === "CONFIRMED") {
            confirmedCount++;
            expect(tx, `confirmed order ${String(order.id)} has its swap on chain`).toBeDefined();
            if (!tx) continue;
            expect(tx.err).toBeNull();
            const tokens = tx.tokenDeltas.get(String(order.mint)) ?? 0n;
            const [paid, got] =
              order.side === "buy" ? [-tx.lamportDelta, tokens] : [-tokens, tx.lamportDelta];
            expect(String(order.amountIn), `amountIn of ${String(order.id)}`).toBe(paid.toString());
            expect(String(order.amountOut), `amountOut of ${String(order.id)}`).toBe(
              got.toString(),
            );
          } else if (order.status === "EXPIRED" || order.status === "REJECTED") {
            expect(
              tx,
              `${String(order.status)} order ${String(order.id)} moved nothing`,
            ).toBeUndefined();
          } else if (tx) {
            expect(tx.err, `FAILED order ${String(order.id)} failed on chain too`).not.toBeNull();
          }
        }
        // Every successful swap from the wallet is exactly one CONFIRMED order's transaction.
        const confirmedSignatures = new Set(
          userOrders.filter((o) => o.status === "CONFIRMED").map((o) => String(o.signature)),
        );
        for (const tx of chain) {
          if (tx.err !== null) continue;
          chainSwapCount++;
          expect(
            confirmedSignatures.has(tx.signature),
            `chain swap ${tx.signature} has its order`,
          ).toBe(true);
        }
        // One order per idempotency key: the orders are exactly those the client's requests named.
        const named = user.placed.flatMap((p) => (p.orderId ? [p.orderId] : []));
        expect(new Set(named).size).toBe(named.length);
        expect(userOrders.map((o) => String(o.id)).sort()).toEqual([...named].sort());
        // A request without an order was refused for a reason the client caused (nothing to sell).
        for (const p of user.placed.filter((p) => !p.orderId))
          expect(p.reply.status, JSON.stringify(p.reply.body)).toBe(422);
      }
      await options.checkOrders?.(harness, allOrders);
      const statuses = new Map<string, number>();
      for (const o of allOrders)
        statuses.set(String(o.status), (statuses.get(String(o.status)) ?? 0) + 1);
      // Orders signed before a crash and resolved after it: the reconciler's share of the work.
      const acrossCrash = allOrders.filter((o) => {
        const events = o.events as { status: string; at: string }[];
        const signed = Date.parse(events.find((e) => e.status === "SIGNED")?.at ?? "");
        const final = Date.parse(events.at(-1)?.at ?? "");
        return crashTimes.some((t) => signed < t && t < final);
      }).length;
      process.stderr.write(
        `crash test (seed ${SEED}): ${crashes} crashes, ${allOrders.length} orders ${JSON.stringify(Object.fromEntries(statuses))}, ${acrossCrash} signed before a crash and settled after it, ${chainSwapCount} chain swaps, ${retried.size} requests retried\n`,
      );
      expect(retried.size).toBeGreaterThan(0);
      expect(chainSwapCount).toBe(confirmedCount);
      expect(confirmedCount).toBeGreaterThan(0);

      // A retry of every request with its key returns the original order, whatever happened since.
      for (const user of users) {
        await unlock(user);
        for (const placed of user.placed) {
          if (!placed.orderId) continue;
          const retry = await callRetrying(harness.api, "POST", "/v1/orders", placed.body, {
            ...user.auth,
            "x-trading-session": user.session,
            "idempotency-key": placed.key,
          });
          expect(retry.status, JSON.stringify(retry.body)).toBe(200);
          expect(retry.body.id).toBe(placed.orderId);
        }
      }
    }, 175_000);
  });
}
