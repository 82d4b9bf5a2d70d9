import { describe, expect, it } from "vitest";
import { createAdmissionGate } from "../../src/core/admission-gate.js";

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("admission gate", () => {
  it("lets `limit` in at once and the others in first come, first served", async () => {
    const gate = createAdmissionGate(2);
    const entered: number[] = [];
    const leaves = new Map<number, () => void>();
    for (const n of [1, 2, 3, 4, 5]) {
      void gate.enter().then((leave) => {
        entered.push(n);
        leaves.set(n, leave);
      });
    }
    await turn();
    expect(entered).toEqual([1, 2]);
    expect([gate.active, gate.waiting]).toEqual([2, 3]);
    leaves.get(2)?.();
    await turn();
    expect(entered).toEqual([1, 2, 3]);
    // Leaving twice frees one place, not two.
    leaves.get(2)?.();
    await turn();
    expect(entered).toEqual([1, 2, 3]);
    leaves.get(1)?.();
    leaves.get(3)?.();
    await turn();
    expect(entered).toEqual([1, 2, 3, 4, 5]);
    expect([gate.active, gate.waiting]).toEqual([2, 0]);
    leaves.get(4)?.();
    leaves.get(5)?.();
    expect([gate.active, gate.waiting]).toEqual([0, 0]);
    // Empty again: the next caller enters at once.
    const leave = await gate.enter();
    expect(gate.active).toBe(1);
    leave();
  });

  it("refuses a limit that is not a positive whole number", () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      expect(() => createAdmissionGate(limit)).toThrow(RangeError);
    }
  });
});
