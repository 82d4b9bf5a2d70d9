import { describe, expect, it } from "vitest";
import { createBoundedMemo } from "../../src/core/bounded-memo.js";

describe("createBoundedMemo", () => {
  it("computes a key once, starts over when full, and remembers nothing that threw", () => {
    const remember = createBoundedMemo<string, number>(2);
    let computed = 0;
    const value = (key: string) => remember(key, () => ++computed * 10);
    expect([value("a"), value("a"), value("b")]).toEqual([10, 10, 20]);
    expect(computed).toBe(2);
    expect(value("c")).toBe(30); // full: the earlier entries are gone
    expect(value("a")).toBe(40);
    expect(value("c")).toBe(30);
    expect(() =>
      remember("bad", () => {
        throw new Error("not an address");
      }),
    ).toThrow("not an address");
    expect(remember("bad", () => 7)).toBe(7);
  });
});
