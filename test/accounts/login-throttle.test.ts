import { afterEach, beforeEach, expect, it } from "vitest";
import {
  createLoginThrottle,
  type LoginThrottle,
  type LoginThrottleOptions,
} from "../../src/accounts/login-throttle.js";
import { isOspreyError } from "../../src/core/osprey-error.js";
import type { KvStore } from "../../src/kv/kv-store.js";
import { describeEachKv } from "../support/kv-stores.js";

/** The retryAfterMs of a refusal, or "allowed" (the attempt is then failed, as a guess would be). */
async function guess(throttle: LoginThrottle, username: string, address: string) {
  try {
    const attempt = await throttle.begin(username, address);
    await attempt.failed();
    return "allowed" as const;
  } catch (error) {
    if (!isOspreyError(error, "RATE_LIMITED")) throw error;
    return Number(error.context.retryAfterMs);
  }
}

describeEachKv("login throttle", (testKv) => {
  let kv: KvStore;
  const make = (options: Partial<LoginThrottleOptions> = {}) =>
    createLoginThrottle({
      kv,
      maxFailuresPerAddress: 3,
      addressWindowMs: 2_000,
      usernameCeiling: 100,
      ...options,
    });

  beforeEach(() => {
    kv = testKv.create().kv;
  });
  afterEach(() => kv.close());

  it("refuses an address after its failures for a username, not other addresses or usernames", async () => {
    const throttle = make();
    for (let i = 0; i < 3; i++) expect(await guess(throttle, "Owner", "10.0.0.1")).toBe("allowed");
    const refused = await guess(throttle, "owner", "10.0.0.1");
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThanOrEqual(2_000);
    expect(await guess(throttle, "owner", "10.0.0.2")).toBe("allowed");
    expect(await guess(throttle, "someone-else", "10.0.0.1")).toBe("allowed");
    // The window passes and the address may try again.
    await testKv.pass(2_100);
    expect(await guess(throttle, "owner", "10.0.0.1")).toBe("allowed");
  });

  it("forgets an address's failures when it logs in, and gives back an abandoned attempt", async () => {
    const throttle = make();
    await guess(throttle, "owner", "10.0.0.1");
    await guess(throttle, "owner", "10.0.0.1");
    await (await throttle.begin("owner", "10.0.0.1")).succeeded();
    for (let i = 0; i < 3; i++) await (await throttle.begin("owner", "10.0.0.1")).abandon();
    for (let i = 0; i < 3; i++) expect(await guess(throttle, "owner", "10.0.0.1")).toBe("allowed");
    expect(await guess(throttle, "owner", "10.0.0.1")).toBeGreaterThan(0);
  });

  it("lets no more parallel attempts through than the limit", async () => {
    const throttle = make();
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => throttle.begin("owner", "10.0.0.1")),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(3);
  });

  it("past the username's ceiling, makes addresses that keep failing wait a growing backoff", async () => {
    const throttle = make({
      maxFailuresPerAddress: 10,
      usernameCeiling: 2,
      backoffBaseMs: 200,
      backoffMaxMs: 1_000,
    });
    // Two failures from elsewhere reach the ceiling; a first failure past it costs no wait.
    await guess(throttle, "owner", "10.0.0.1");
    await guess(throttle, "owner", "10.0.0.2");
    expect(await guess(throttle, "owner", "10.0.0.3")).toBe("allowed");
    expect(await guess(throttle, "owner", "10.0.0.3")).toBe("allowed"); // 4th: waits 400 ms now
    const first = await guess(throttle, "owner", "10.0.0.3");
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(400);

    expect(await guess(throttle, "owner", "10.0.0.4")).toBe("allowed");
    expect(await guess(throttle, "owner", "10.0.0.4")).toBe("allowed"); // 6th: 1600 → cap 1000
    const second = await guess(throttle, "owner", "10.0.0.4");
    expect(second).toBeGreaterThan(400);
    expect(second).toBeLessThanOrEqual(1_000);

    // A clean address is never refused, and the backoff ends.
    expect(await guess(throttle, "owner", "10.0.0.5")).toBe("allowed");
    await testKv.pass(450);
    expect(await guess(throttle, "owner", "10.0.0.3")).toBe("allowed");
  });

  it("keeps no username in clear in the store's keys", async () => {
    const seen: string[] = [];
    const spying: KvStore = {
      ...kv,
      increment: (key, options) => {
        seen.push(key);
        return kv.increment(key, options);
      },
    };
    const throttle = createLoginThrottle({ kv: spying });
    await guess(throttle, "Very-Private-Name", "10.0.0.1");
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.join(" ").toLowerCase()).not.toContain("very-private-name");
  });
});
