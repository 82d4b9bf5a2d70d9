import { expect, it } from "vitest";
import { U64_MAX } from "../../src/core/amounts.js";
import { describeEachDatabase } from "../support/databases.js";
import { createFakeClock } from "../support/fake-clock.js";
import { createUserWithWallet, useTestStore } from "../support/test-store.js";

const TO = "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T";
const MINT = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v";

describeEachDatabase("withdrawals repository", (testDb) => {
  const clock = createFakeClock();
  const env = useTestStore(testDb, clock);

  it("writes PENDING once per idempotency key, holds u64 amounts exactly, and moves by compare-and-set", async () => {
    const { userId, walletId } = await createUserWithWallet(env.store, "withdrawer");
    const input = {
      userId,
      walletId,
      destination: TO,
      mint: null,
      amount: U64_MAX,
      idempotencyKey: "w-1",
      requestHash: "hash",
      detail: { expectedFeeLamports: "5000" },
    };
    const first = await env.store.withdrawals.createPending(input);
    const again = await env.store.withdrawals.createPending({ ...input, amount: 1n });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, withdrawal: { id: first.withdrawal.id } });
    expect(again.withdrawal.amount).toBe(U64_MAX);

    const signed = await env.store.withdrawals.transition(
      first.withdrawal.id,
      ["PENDING"],
      "SIGNED",
      {
        signature: "sig-1",
        rawTransaction: "AQID",
        lastValidBlockHeight: 1234,
      },
    );
    expect(signed).toMatchObject({ status: "SIGNED", lastValidBlockHeight: 1234, mint: null });
    // A second worker moving it from PENDING again loses.
    expect(
      await env.store.withdrawals.transition(first.withdrawal.id, ["PENDING"], "REJECTED"),
    ).toBeUndefined();
    expect((await env.store.withdrawals.listUnresolved()).map((w) => w.id)).toContain(
      first.withdrawal.id,
    );
    const confirmed = await env.store.withdrawals.transition(
      first.withdrawal.id,
      ["SIGNED", "SUBMITTED"],
      "CONFIRMED",
      { feeLamports: 5000n, slot: 77 },
      { slot: "77" },
    );
    expect(confirmed).toMatchObject({ status: "CONFIRMED", feeLamports: 5000n, slot: 77 });
    expect((await env.store.withdrawals.listUnresolved()).map((w) => w.id)).not.toContain(
      first.withdrawal.id,
    );
    const events = await env.store.withdrawals.listEvents(first.withdrawal.id);
    expect(events.map((e) => e.status)).toEqual(["PENDING", "SIGNED", "CONFIRMED"]);
    expect(events[0]?.detail).toEqual({ expectedFeeLamports: "5000" });
    expect(await env.store.withdrawals.findById(first.withdrawal.id)).toEqual(confirmed);
  });

  it("keeps a user's withdrawals private and lists a wallet's newest first", async () => {
    const a = await createUserWithWallet(env.store, "owner-w-a");
    const b = await createUserWithWallet(env.store, "owner-w-b");
    const make = async (key: string) => {
      const made = await env.store.withdrawals.createPending({
        userId: a.userId,
        walletId: a.walletId,
        destination: TO,
        mint: MINT,
        amount: 10n,
        idempotencyKey: key,
        requestHash: key,
      });
      clock.advance(10);
      return made.withdrawal;
    };
    const older = await make("k-1");
    const newer = await make("k-2");
    // Same key, other user: a separate withdrawal.
    const other = await env.store.withdrawals.createPending({
      userId: b.userId,
      walletId: b.walletId,
      destination: TO,
      mint: null,
      amount: 1n,
      idempotencyKey: "k-1",
      requestHash: "x",
    });
    expect(other.created).toBe(true);
    expect(await env.store.withdrawals.findForUser(b.userId, older.id)).toBeUndefined();
    expect((await env.store.withdrawals.findForUser(a.userId, older.id))?.mint).toBe(MINT);
    const listed = await env.store.withdrawals.listForWallet(a.userId, a.walletId);
    expect(listed.map((w) => w.id)).toEqual([newer.id, older.id]);
    expect(await env.store.withdrawals.listForWallet(b.userId, a.walletId)).toEqual([]);
    const events = await env.store.withdrawals.listEventsOf([older.id, newer.id]);
    expect(events.get(older.id)?.map((e) => e.status)).toEqual(["PENDING"]);
  });
});
