import { afterAll, beforeAll, expect, it } from "vitest";
import type { KvStore } from "../../src/kv/kv-store.js";
import { describeEachKv } from "../support/kv-stores.js";

describeEachKv("kv contract", (testKv) => {
  let kv: KvStore;
  // Real Redis needs real time to pass; 150 ms TTLs keep that short while staying above its resolution.
  const TTL = 150;

  beforeAll(() => {
    kv = testKv.create().kv;
  });
  afterAll(async () => {
    await kv.close();
  });

  it("answers ping", async () => {
    await expect(kv.ping()).resolves.toBeUndefined();
  });

  it("gets what it sets, and null for a missing key", async () => {
    await kv.set("a", "1");
    expect(await kv.get("a")).toBe("1");
    expect(await kv.get("missing")).toBeNull();
    expect(await kv.ttl("a")).toBeNull();
  });

  it("deletes and says whether the key existed", async () => {
    await kv.set("d", "x");
    expect(await kv.delete("d")).toBe(true);
    expect(await kv.delete("d")).toBe(false);
    expect(await kv.get("d")).toBeNull();
  });

  it("expires a key after its TTL, not before", async () => {
    await kv.set("t", "v", { ttlMs: TTL });
    const ttl = await kv.ttl("t");
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(TTL);
    expect(await kv.get("t")).toBe("v");
    await testKv.pass(TTL + 100);
    expect(await kv.get("t")).toBeNull();
  });

  it("extends a TTL with expire, and refuses to expire a missing key", async () => {
    await kv.set("e", "v", { ttlMs: TTL });
    expect(await kv.expire("e", TTL * 20)).toBe(true);
    await testKv.pass(TTL + 100);
    expect(await kv.get("e")).toBe("v");
    expect(await kv.expire("nope", 1000)).toBe(false);
  });

  it("increments atomically, setting the TTL only on the first hit", async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, () => kv.increment("n", { ttlMs: TTL })),
    );
    expect(new Set(results).size).toBe(50);
    expect(Math.max(...results)).toBe(50);
    expect(await kv.increment("n", { by: 5, ttlMs: 60_000 })).toBe(55);
    // The second call must not have extended the window to a minute.
    await testKv.pass(TTL + 100);
    expect(await kv.get("n")).toBeNull();
    expect(await kv.increment("n")).toBe(1);
  });

  it("adds, removes and lists set members, with a TTL on the set", async () => {
    await kv.setAdd("s", ["a", "b", "c"]);
    await kv.setAdd("s", ["a"]);
    await kv.setRemove("s", ["b"]);
    expect((await kv.setMembers("s")).sort()).toEqual(["a", "c"]);
    await kv.setRemove("s", ["a", "c"]);
    expect(await kv.setMembers("s")).toEqual([]);
    await kv.setAdd("st", ["x"], { ttlMs: TTL });
    await testKv.pass(TTL + 100);
    expect(await kv.setMembers("st")).toEqual([]);
  });

  it("compare-and-sets only from the expected value, including absent", async () => {
    expect(await kv.compareAndSet("c", null, "1")).toBe(true);
    expect(await kv.compareAndSet("c", null, "2")).toBe(false);
    expect(await kv.compareAndSet("c", "0", "2")).toBe(false);
    expect(await kv.compareAndSet("c", "1", "2", { ttlMs: TTL })).toBe(true);
    expect(await kv.get("c")).toBe("2");
    expect(await kv.compareAndSet("c", "2", null)).toBe(true);
    expect(await kv.get("c")).toBeNull();
  });

  it("lets exactly one of many racing writers win a compare-and-set", async () => {
    const wins = await Promise.all(
      Array.from({ length: 20 }, (_, i) => kv.compareAndSet("race", null, String(i))),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it("keeps stores with different prefixes apart", async () => {
    const other = testKv.create().kv;
    await kv.set("shared-name", "mine");
    expect(await other.get("shared-name")).toBeNull();
    await other.close();
  });
});
