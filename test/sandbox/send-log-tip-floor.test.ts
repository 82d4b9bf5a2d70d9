import { describe, expect, it } from "vitest";
import { createTipFloor } from "../../src/sandbox/block-engine/tip-floor.js";
import { createSendLog } from "../../src/sandbox/faults/send-log.js";
import { getBundleId } from "../../src/sandbox/index.js";

describe("send log", () => {
  it("keeps the newest sends in order once full, and filters by signature", () => {
    let now = 1_000;
    const log = createSendLog({ capacity: 3, now: () => now++ });
    for (const signature of ["a", "b", "c", "d"]) {
      log.record({ route: "rpc:0", method: "sendTransaction", signature, dropped: false });
    }
    log.record({ route: "jito", method: "sendBundle", signature: "c", dropped: true, error: "x" });
    expect(log.size).toBe(3);
    expect(log.list().map((e) => [e.route, e.signature, e.at])).toEqual([
      ["rpc:0", "c", 1002],
      ["rpc:0", "d", 1003],
      ["jito", "c", 1004],
    ]);
    expect(log.list({ signature: "c" }).map((e) => e.route)).toEqual(["rpc:0", "jito"]);
    expect(log.list({ signature: "a" })).toEqual([]);
  });
});

describe("tip floor", () => {
  it("answers percentiles of the tips landed in the last five minutes, in SOL", () => {
    let now = Date.UTC(2026, 0, 1);
    const floor = createTipFloor(() => now);
    expect(floor.snapshot()).toEqual({
      time: "2026-01-01T00:00:00Z",
      landed_tips_25th_percentile: 0.000001,
      landed_tips_50th_percentile: 0.00001,
      landed_tips_75th_percentile: 0.00005,
      landed_tips_95th_percentile: 0.0002,
      landed_tips_99th_percentile: 0.001,
      ema_landed_tips_50th_percentile: 0.00001,
    });
    for (const tip of [1_000n, 2_000n, 3_000n, 4_000n, 100_000n]) floor.record(tip);
    const snapshot = floor.snapshot();
    expect(snapshot.landed_tips_25th_percentile).toBe(0.000002);
    expect(snapshot.landed_tips_50th_percentile).toBe(0.000003);
    expect(snapshot.landed_tips_75th_percentile).toBe(0.000004);
    expect(snapshot.landed_tips_99th_percentile).toBe(0.0001);
    // The EMA moves toward the 50th percentile, from the default.
    expect(snapshot.ema_landed_tips_50th_percentile).toBeLessThan(0.00001);
    expect(snapshot.ema_landed_tips_50th_percentile).toBeGreaterThan(0.000003);
    // Five minutes later those tips are out of the window: the default again.
    now += 5 * 60_000 + 1;
    expect(floor.snapshot().landed_tips_50th_percentile).toBe(0.00001);
  });
});

describe("bundle id", () => {
  it("is Jito's: sha256 hex of the signatures joined by commas, order-sensitive", () => {
    // sha256("a,b")
    expect(getBundleId(["a", "b"])).toBe(
      "1eb7c54d52831bbfe8942af0b1c56b7409523a59ed6ca99c1174fef7eb32c1b5",
    );
    expect(getBundleId(["a", "b"])).not.toBe(getBundleId(["b", "a"]));
  });
});
