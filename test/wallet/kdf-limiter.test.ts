import { describe, expect, it } from "vitest";
import { isOspreyError } from "../../src/core/osprey-error.js";
import { createKdfLimiter } from "../../src/wallet/index.js";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("KDF limiter", () => {
  it("runs at most N tasks at once, queues the rest, and rejects beyond the queue bound", async () => {
    const limiter = createKdfLimiter({ maxConcurrent: 2, maxQueued: 3 });
    let active = 0;
    let peak = 0;
    const gates = Array.from({ length: 6 }, deferred);
    const runs = gates.map((gate, i) =>
      limiter
        .run(async () => {
          active += 1;
          peak = Math.max(peak, active);
          await gate.promise;
          active -= 1;
          return i;
        })
        .then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        ),
    );
    await Promise.resolve();
    expect(limiter.running).toBe(2);
    expect(limiter.queued).toBe(3);
    const sixth = await runs[5];
    expect(sixth?.ok).toBe(false);
    expect(isOspreyError(sixth?.ok === false ? sixth.error : null, "BUSY")).toBe(true);
    for (const gate of gates) gate.resolve();
    const results = await Promise.all(runs.slice(0, 5));
    expect(results.map((r) => r.ok && r.value)).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(limiter.running).toBe(0);
    expect(limiter.queued).toBe(0);
  });

  it("frees the slot when a task throws", async () => {
    const limiter = createKdfLimiter({ maxConcurrent: 1, maxQueued: 0 });
    await expect(limiter.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limiter.run(async () => 7)).resolves.toBe(7);
  });

  it("refuses a nonsensical configuration", () => {
    expect(() => createKdfLimiter({ maxConcurrent: 0 })).toThrow(/maxConcurrent/);
    expect(() => createKdfLimiter({ maxQueued: -1 })).toThrow(/maxQueued/);
  });
});
