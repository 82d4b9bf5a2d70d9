import { describe, expect, it } from "vitest";
import { isOspreyError } from "../../src/core/osprey-error.js";
import { retryWhileLocked } from "../../src/store/retry-while-locked.js";
import { createFakeClock } from "../support/fake-clock.js";

const busy = () => Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });

/** A statement that answers BUSY `times` times, then `result`; and a fake clock that sleeps. */
function setup(times: number, maxWaitMs: number) {
  const clock = createFakeClock(0);
  const sleeps: number[] = [];
  let calls = 0;
  let waits = 0;
  const run = () =>
    retryWhileLocked(
      async () => {
        calls += 1;
        if (calls <= times) throw busy();
        return "done";
      },
      {
        maxWaitMs,
        now: clock.now,
        sleep: async (ms) => {
          sleeps.push(ms);
          clock.advance(ms);
        },
        onWait: () => {
          waits += 1;
        },
      },
    );
  return { run, sleeps, calls: () => calls, waits: () => waits };
}

describe("retryWhileLocked", () => {
  it("retries a BUSY statement on timers, quickly at first, never more than 25 ms apart", async () => {
    const { run, sleeps, calls, waits } = setup(9, 5_000);
    expect(await run()).toBe("done");
    expect(calls()).toBe(10);
    expect(waits()).toBe(9);
    expect(sleeps).toEqual([1, 2, 4, 8, 16, 25, 25, 25, 25]);
  });

  it("gives up with DATABASE_UNAVAILABLE once the wait is spent, not sleeping past it", async () => {
    const { run, sleeps, calls } = setup(Number.POSITIVE_INFINITY, 100);
    const error = await run().catch((caught: unknown) => caught);
    expect(isOspreyError(error, "DATABASE_UNAVAILABLE")).toBe(true);
    expect((error as Error & { context: object }).context).toMatchObject({
      dialect: "sqlite",
      reason: "locked",
      waitedMs: 100,
    });
    expect(sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(100);
    expect(calls()).toBe(sleeps.length + 1);
  });

  it("passes any other failure through at once, untouched", async () => {
    const unique = Object.assign(new Error("UNIQUE"), { code: "SQLITE_CONSTRAINT_UNIQUE" });
    let calls = 0;
    const error = await retryWhileLocked(
      async () => {
        calls += 1;
        throw unique;
      },
      { maxWaitMs: 1_000 },
    ).catch((caught: unknown) => caught);
    expect(error).toBe(unique);
    expect(calls).toBe(1);
  });
});
