import { expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases.js";
import { createFakeClock } from "../support/fake-clock.js";
import { useTestStore } from "../support/test-store.js";

describeEachDatabase("webhooks repository", (testDb) => {
  const clock = createFakeClock();
  const env = useTestStore(testDb, clock);

  it("sets, replaces and removes a user's webhook", async () => {
    const user = await env.store.users.create({ username: "hooker", passwordHash: "h" });
    expect(await env.store.webhooks.find(user.id)).toBeUndefined();
    await env.store.webhooks.set(user.id, "https://a.example/hook", "s1");
    clock.advance(1_000);
    await env.store.webhooks.set(user.id, "https://b.example/hook", "s2");
    expect(await env.store.webhooks.find(user.id)).toMatchObject({
      url: "https://b.example/hook",
      secret: "s2",
      createdAt: clock.now(),
    });
    expect(await env.store.webhooks.remove(user.id)).toBe(true);
    expect(await env.store.webhooks.remove(user.id)).toBe(false);
  });

  it("claims a due delivery once per lease, concurrent claims never share one", async () => {
    const user = await env.store.users.create({ username: "claimer", passwordHash: "h" });
    await env.store.webhooks.set(user.id, "https://a.example/hook", "s");
    const ids = Array.from({ length: 6 }, (_, i) => `0190a5b0-0000-7000-8000-00000000000${i}`);
    for (const id of ids)
      await env.store.webhooks.enqueue({
        id,
        userId: user.id,
        eventType: "trigger",
        payload: "{}",
      });
    const claims = await Promise.all([1, 2, 3].map(() => env.store.webhooks.claimDue(4, 30_000)));
    const claimed = claims.flat().map((delivery) => delivery.id);
    expect(claimed.sort()).toEqual([...ids].sort());
    expect(claims.flat()[0]?.webhook).toEqual({ url: "https://a.example/hook", secret: "s" });
    expect(await env.store.webhooks.claimDue(10, 30_000)).toEqual([]);

    // A failed attempt comes back at its time; a delivered one never again.
    const [first, second] = ids;
    await env.store.webhooks.markAttemptFailed(String(first), 1, "HTTP 500", clock.now() + 1_000);
    await env.store.webhooks.markDelivered(String(second), 1);
    expect(await env.store.webhooks.claimDue(10, 30_000)).toEqual([]);
    clock.advance(1_000);
    expect((await env.store.webhooks.claimDue(10, 30_000)).map((d) => d.id)).toEqual([first]);
    // A lease that ran out (the instance died mid-attempt) is claimed again.
    clock.advance(30_000);
    const again = (await env.store.webhooks.claimDue(10, 30_000)).map((d) => d.id);
    expect(again).not.toContain(second);
    expect(again).toContain(first);
  });
});
