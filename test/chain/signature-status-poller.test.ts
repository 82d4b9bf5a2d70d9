import { createSolanaRpcFromTransport, type Signature } from "@solana/kit";
import { describe, expect, it } from "vitest";
import {
  createSignatureStatusPoller,
  type PollUpdate,
} from "../../src/chain/signature-status-poller.js";
import { createFakeChain } from "./fake-chain.js";
import { createFakeClock } from "./fake-clock.js";

describe("signature status poller", () => {
  it("polls every watched signature in batches of 256 and stops when nothing is watched", async () => {
    const clock = createFakeClock();
    const chain = createFakeChain();
    const rpc = createSolanaRpcFromTransport(chain.endpoint().transport);
    const poller = createSignatureStatusPoller({ rpc, timers: clock, intervalMs: 400 });
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
});
