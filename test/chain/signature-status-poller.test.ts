import { createSolanaRpcFromTransport, type Signature } from "@solana/kit";
import { describe, expect, it } from "vitest";
import {
  createSignatureStatusPoller,
  type PollUpdate,
} from "../../src/chain/signature-status-poller.js";
import { sleep } from "../../src/chain/timers.js";
import { createFakeChain } from "./fake-chain.js";
import { createFakeClock } from "./fake-clock.js";

describe("signature status poller", () => {
  it("polls every watched signature in batches of 256 and stops when nothing is watched", async () => {
    const clock = createFakeClock();
    const chain = createFakeChain();
    const rpc = createSolanaRpcFromTransport(chain.endpoint().transport);
    const poller = createSignatureStatusPoller({ rpc, timers: clock, clock, intervalMs: 400 });
    const updates: PollUpdate[] = [];
    const unwatch = Array.from({ length: 300 }, (_, i) =>
      poller.watch(`sig${i}` as Signature, (update) => updates.push(update)),
    );
    await clock.advanceAsync(400, 400);
    expect(chain.calls.getSignatureStatuses).toBe(2); // 256 + 44
    expect(chain.calls.getBlockHeight).toBe(1);
    expect(updates.length).toBe(300);
    expect(updates[0]).toEqual({ status: null, blockHeight: 100n });
    for (const stop of unwatch) stop();
    expect(clock.pendingTimers()).toBe(0);
    await clock.advanceAsync(2_000, 400);
    expect(chain.calls.getSignatureStatuses).toBe(2);
    poller.close();
  });

  it("starts rounds intervalMs apart however long an answer takes, and reads the height once a slot", async () => {
    const clock = createFakeClock();
    const chain = createFakeChain();
    const transport = chain.endpoint().transport;
    // Every answer takes 60 ms of the fake clock.
    const slow: typeof transport = async (request) => {
      await sleep(clock, 60);
      return transport(request);
    };
    const rpc = createSolanaRpcFromTransport(slow);
    const poller = createSignatureStatusPoller({ rpc, timers: clock, clock, intervalMs: 100 });
    const rounds: number[] = [];
    const stop = poller.watch("sig" as Signature, () => rounds.push(clock.now()));
    await clock.advanceAsync(1_000, 10);
    stop();
    poller.close();
    // Answers at 160, 260, …: rounds 100 ms apart, not 100 ms after each 60 ms answer.
    expect(rounds.slice(0, 4).map((at) => at - (rounds[0] ?? 0))).toEqual([0, 100, 200, 300]);
    expect(chain.calls.getSignatureStatuses).toBe(rounds.length);
    // A height at most one slot (400 ms) old serves: 3 reads in 9 rounds, not 9.
    expect(rounds.length).toBe(9);
    expect(chain.calls.getBlockHeight).toBe(3);
  });
});
