import { describe, expect, it } from "vitest";
import { createPromiseCache } from "../../src/core/promise-cache.js";

function manualClock(start = 0) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe("promise cache: staleForMs", () => {
  it("serves an expired value within the stale window while one reload runs, then the new value", async () => {
    const clock = manualClock();
    const cache = createPromiseCache<string>(clock, 1_000, 10);
    let loads = 0;
    const load = () => Promise.resolve(`v${++loads}`);
    expect(await cache.get("k", load, { staleForMs: 2_000 })).toBe("v1");
    clock.advance(1_500); // expired, inside the stale window
    const stale = await Promise.all([
      cache.get("k", load, { staleForMs: 2_000 }),
      cache.get("k", load, { staleForMs: 2_000 }),
    ]);
    expect(stale).toEqual(["v1", "v1"]);
    expect(loads).toBe(2); // one background reload, shared
    expect(await cache.get("k", load, { staleForMs: 2_000 })).toBe("v2");
  });

  it("awaits a new load past the stale window, and without staleForMs at the TTL", async () => {
    const clock = manualClock();
    const cache = createPromiseCache<string>(clock, 1_000, 10);
    let loads = 0;
    const load = () => Promise.resolve(`v${++loads}`);
    await cache.get("a", load, { staleForMs: 2_000 });
    clock.advance(3_001);
    expect(await cache.get("a", load, { staleForMs: 2_000 })).toBe("v2");
    clock.advance(1_000);
    expect(await cache.get("a", load)).toBe("v3");
  });
});
