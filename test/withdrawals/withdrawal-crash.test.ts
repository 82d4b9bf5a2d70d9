import { generateKeyPairSigner } from "@solana/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSeededRandom } from "../../src/sandbox/index.js";
import {
  type CrashHarness,
  type CrashUser as CrashUserOf,
  callRetrying,
  crashWhileRunning,
  createCrashUser,
  type Json,
  type Reply,
  rpcCall,
  sleep,
  startCrashHarness,
  TERMINAL,
  unlockCrashUser,
} from "../trading/crash-harness.js";

const SEED = Number(process.env.CRASH_SEED ?? 20261206);
const USERS = 4;
const WITHDRAWALS_PER_USER = 10;
const CRASHES = 3;

/** Per withdrawal: its key, recipient, amount, and the id the server answered with. */
type Placed = { key: string; to: string; amount: bigint; id: string; reply: Reply };
type CrashUser = CrashUserOf<Placed>;

/** SIGKILL the real `osprey serve` while withdrawals are in flight, restart it, reconcile. */
describe("withdrawal crash recovery: SIGKILL during concurrent withdrawals, restart, reconcile", () => {
  let harness: CrashHarness;
  const users: CrashUser[] = [];

  beforeAll(async () => {
    harness = await startCrashHarness();
    await harness.start();
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  const unlock = (user: CrashUser) => unlockCrashUser(harness, user);
  const createUser = (name: string) => createCrashUser<Placed>(harness, name);

  /** A real client across a crash: the same request and key until answered; unlock again if needed. */
  async function place(user: CrashUser, key: string, body: Json): Promise<Reply> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const reply = await callRetrying(
        harness.api,
        "POST",
        `/v1/wallets/${user.walletId}/withdrawals`,
        body,
        {
          ...user.auth,
          "x-trading-session": user.session,
          "idempotency-key": key,
        },
      );
      const code = String((reply.body.error as Json | undefined)?.code ?? "");
      if (code === "SESSION_NOT_FOUND" || code === "SESSION_EXPIRED") {
        await unlock(user);
        continue;
      }
      if (reply.status >= 500) {
        await sleep(200);
        continue;
      }
      return reply;
    }
    throw new Error(`withdrawal ${key} kept failing`);
  }

  async function list(user: CrashUser): Promise<Json[]> {
    const reply = await callRetrying(
      harness.api,
      "GET",
      `/v1/wallets/${user.walletId}/withdrawals?limit=200`,
      undefined,
      user.auth,
    );
    return reply.body.withdrawals as Json[];
  }

  it("leaves every withdrawal final, each confirmed one paid exactly once, nothing sent twice", async () => {
    const random = createSeededRandom(SEED);
    for (let u = 0; u < USERS; u++) users.push(await createUser(`wcrash-${u}`));

    let running = true;
    const senders = Promise.all(
      users.map(async (user, u) => {
        for (let n = 0; n < WITHDRAWALS_PER_USER; n++) {
          // A fresh recipient per withdrawal: its balance tells whether (and how often) it was paid.
          const to = (await generateKeyPairSigner()).address as string;
          const amount = 10_000_000n + BigInt(u * 1000 + n);
          const key = `${user.name}-w-${n}`;
          const reply = await place(user, key, { to, amount: amount.toString() });
          expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(300);
          user.placed.push({ key, to, amount, id: String(reply.body.id), reply });
        }
      }),
    ).finally(() => {
      running = false;
    });

    const crashTimes = await crashWhileRunning(harness, {
      running: () => running,
      random,
      maxCrashes: CRASHES,
      maxGapMs: 1_500,
    });
    const crashes = crashTimes.length;
    await senders;
    expect(crashes).toBeGreaterThanOrEqual(1);

    // Wait until nothing is in flight (a PENDING one, never signed, is rejected after 60 s).
    let listed = new Map<CrashUser, Json[]>();
    const deadline = Date.now() + 100_000;
    for (;;) {
      listed = new Map(await Promise.all(users.map(async (u) => [u, await list(u)] as const)));
      const open = [...listed.values()].flat().filter((w) => !TERMINAL.has(String(w.status)));
      if (open.length === 0) break;
      if (Date.now() > deadline)
        throw new Error(
          `still open: ${open.map((w) => `${String(w.id)} ${String(w.status)}`).join(", ")}`,
        );
      await sleep(1_000);
    }

    const statuses = new Map<string, number>();
    for (const user of users) {
      const withdrawals = listed.get(user) ?? [];
      // One withdrawal per key: exactly those the client's requests named.
      expect(withdrawals.map((w) => String(w.id)).sort()).toEqual(
        user.placed.map((p) => p.id).sort(),
      );
      const signatures = withdrawals.map((w) => w.signature).filter((s) => s !== null);
      expect(new Set(signatures).size).toBe(signatures.length);
      const byId = new Map(withdrawals.map((w) => [String(w.id), w]));
      for (const placed of user.placed) {
        const withdrawal = byId.get(placed.id);
        const status = String(withdrawal?.status);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const balance = BigInt(
          (
            (await rpcCall(harness.rpc, "getBalance", [
              placed.to,
              { commitment: "confirmed" },
            ])) as { value: number }
          ).value,
        );
        // Paid exactly once when CONFIRMED, never otherwise.
        expect(balance, `${placed.key} ${status}`).toBe(
          status === "CONFIRMED" ? placed.amount : 0n,
        );
      }
      // Every successful transaction from the wallet (airdrops aside) is one CONFIRMED withdrawal's.
      const confirmed = new Set(
        withdrawals.filter((w) => w.status === "CONFIRMED").map((w) => String(w.signature)),
      );
      const history = (await rpcCall(harness.rpc, "getSignaturesForAddress", [
        user.publicKey,
        { limit: 1000, commitment: "confirmed" },
      ])) as { signature: string; err: unknown }[];
      const sent = history.filter((tx) => !user.airdrops.has(tx.signature) && tx.err === null);
      expect(sent.map((tx) => tx.signature).sort()).toEqual([...confirmed].sort());
    }
    // Signed before a crash and resolved after it: the reconciler's share of the work.
    const acrossCrash = [...listed.values()].flat().filter((w) => {
      const events = w.events as { status: string; at: string }[];
      const signed = Date.parse(events.find((e) => e.status === "SIGNED")?.at ?? "");
      const final = Date.parse(events.at(-1)?.at ?? "");
      return crashTimes.some((t) => signed < t && t < final);
    }).length;
    process.stderr.write(
      `withdrawal crash test (seed ${SEED}): ${crashes} crashes, ${JSON.stringify(Object.fromEntries(statuses))}, ${acrossCrash} signed before a crash and settled after it\n`,
    );
    expect(statuses.get("CONFIRMED") ?? 0).toBeGreaterThan(0);

    // A retry of every request with its key returns the original withdrawal.
    for (const user of users) {
      await unlock(user);
      for (const placed of user.placed) {
        const retry = await place(user, placed.key, {
          to: placed.to,
          amount: placed.amount.toString(),
        });
        expect(retry.status, JSON.stringify(retry.body)).toBe(200);
        expect(retry.body.id).toBe(placed.id);
      }
    }
  }, 175_000);
});
