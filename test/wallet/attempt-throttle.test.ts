import { afterEach, beforeEach, expect, it } from "vitest";
import { isOspreyError } from "../../src/core/osprey-error.js";
import { type AttemptThrottle, createAttemptThrottle } from "../../src/wallet/index.js";
import { describeUnless } from "../support/describe-unless.js";
import { harnesses, type KvHarness } from "./kv-harness.js";

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (error: unknown) => error,
  );
}

for (const { name, skipReason, create } of harnesses) {
  describeUnless(skipReason, `attempt throttle on ${name}`, () => {
    let h: KvHarness;
    let throttle: AttemptThrottle;
    let windowMs: number;

    beforeEach(() => {
      h = create();
      windowMs = h.name === "memory" ? 15 * 60_000 : 2_000;
      throttle = createAttemptThrottle({ kv: h.kv, windowMs });
    });
    afterEach(() => h.close());

    it("allows 5 failures per window, then RATE_LIMITED with retryAfterMs", async () => {
      for (let i = 0; i < 5; i++) await throttle.acquire(["wallet:w", "user:u"]);
      const error = await rejection(throttle.acquire(["wallet:w", "user:u"]));
      expect(isOspreyError(error, "RATE_LIMITED")).toBe(true);
      const retryAfterMs = (error as { context: { retryAfterMs: number } }).context.retryAfterMs;
      expect(retryAfterMs).toBeGreaterThan(0);
      expect(retryAfterMs).toBeLessThanOrEqual(windowMs);
      // A key that shares none of the counters is unaffected.
      await expect(throttle.acquire(["wallet:x", "user:v"])).resolves.toBeTruthy();
      await h.advance(windowMs + 50);
      await expect(throttle.acquire(["wallet:w", "user:u"])).resolves.toBeTruthy();
    });

    it("counts per key: failures on many wallets add up for the user", async () => {
      for (let i = 0; i < 5; i++) await throttle.acquire([`wallet:${i}`, "user:u"]);
      const error = await rejection(throttle.acquire(["wallet:fresh", "user:u"]));
      expect(isOspreyError(error, "RATE_LIMITED")).toBe(true);
    });

    it("does not count released attempts (successes)", async () => {
      for (let i = 0; i < 12; i++) {
        const ticket = await throttle.acquire(["wallet:w", "user:u"]);
        await ticket.release();
        await ticket.release(); // idempotent
      }
      await expect(throttle.acquire(["wallet:w", "user:u"])).resolves.toBeTruthy();
    });

    it("counts concurrent attempts before they finish, so a burst cannot slip past", async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () => throttle.acquire(["wallet:w", "user:u"])),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    });
  });
}
