import { address, generateKeyPairSigner } from "@solana/kit";
import { describe, expect, it } from "vitest";
import type { UserId } from "../../src/core/ids.js";
import { createLogger } from "../../src/core/logger.js";
import { isOspreyError } from "../../src/core/osprey-error.js";
import type { Store } from "../../src/store/store.js";
import { createWithdrawalService } from "../../src/withdrawals/withdrawal-service.js";
import { createTrader, useTradingApp } from "../trading/trading-setup.js";

const lost = () => Promise.reject(new Error("connection lost"));

describe("refusing to sign a withdrawal that cannot be recorded", () => {
  const env = useTradingApp();

  /** A withdrawal through a service on the app's services but `broken`'s version of its store. */
  async function withdrawWithBrokenStore(username: string, broken: (store: Store) => Store) {
    const { app } = env.server;
    const trader = await createTrader(env.sandbox, env.server.url, username);
    const user = await app.store.users.findByUsername(username);
    const wallet = user && (await app.store.wallets.listForUser(user.id as UserId))[0];
    if (!app.chain || !user || !wallet) throw new Error("no chain or wallet");
    const service = createWithdrawalService({
      store: broken(app.store),
      sessions: app.sessions,
      chain: app.chain,
      clock: { now: () => Date.now() },
      logger: createLogger({ level: "silent" }),
    });
    const to = (await generateKeyPairSigner()).address as string;
    const error = await service
      .requestWithdrawal({
        userId: user.id as UserId,
        wallet,
        sessionToken: trader.headers["x-trading-session"] ?? "",
        idempotencyKey: `${username}-key`,
        body: { to, amount: "100000000" },
      })
      .catch((caught: unknown) => caught);
    // Give a send, had there been one, time to land.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sent = env.sandbox.stack.sandbox.chain.getTransactionsForAddress(
      address(trader.publicKey),
    );
    const listed = (await trader.get(`/v1/wallets/${trader.walletId}/withdrawals`)).body
      .withdrawals as { status: string; signature: string | null }[];
    return { error, sent, listed, to };
  }

  it("answers 503 and sends nothing when the signed withdrawal cannot be stored", async () => {
    const { error, sent, listed, to } = await withdrawWithBrokenStore("w-unlucky", (store) => ({
      ...store,
      withdrawals: {
        ...store.withdrawals,
        transition: (id, from, to, patch, detail) =>
          to === "SIGNED" ? lost() : store.withdrawals.transition(id, from, to, patch, detail),
      },
    }));
    expect(isOspreyError(error, "DATABASE_UNAVAILABLE")).toBe(true);
    expect(sent).toHaveLength(1); // the airdrop only: the signed bytes were never sent
    expect(listed).toEqual([expect.objectContaining({ status: "REJECTED", signature: null })]);
    expect(env.sandbox.lamportsOf(to)).toBe(0n);
  }, 60_000);

  it("answers 503 and records nothing when PENDING cannot be written", async () => {
    const { error, sent, listed } = await withdrawWithBrokenStore("w-unwritten", (store) => ({
      ...store,
      withdrawals: { ...store.withdrawals, createPending: lost },
    }));
    expect(isOspreyError(error, "DATABASE_UNAVAILABLE")).toBe(true);
    expect(sent).toHaveLength(1);
    expect(listed).toEqual([]);
  }, 60_000);

  it("signs nothing when the request cannot be audited", async () => {
    const { error, sent, listed } = await withdrawWithBrokenStore("w-unaudited", (store) => ({
      ...store,
      audit: { ...store.audit, record: lost },
    }));
    expect(isOspreyError(error, "DATABASE_UNAVAILABLE")).toBe(true);
    expect(sent).toHaveLength(1);
    expect(listed).toEqual([expect.objectContaining({ status: "REJECTED", signature: null })]);
  }, 60_000);
});
