import { expect, it } from "vitest";
import type { UserId } from "../../src/core/ids.js";
import { describeEachDatabase } from "../support/databases.js";
import { createFakeClock } from "../support/fake-clock.js";
import { useTestStore } from "../support/test-store.js";

describeEachDatabase("user settings repository", (testDb) => {
  const clock = createFakeClock();
  const env = useTestStore(testDb, clock);

  it("finds nothing for a user who never saved, then the last document saved", async () => {
    const user = await env.store.users.create({ username: "settler", passwordHash: "h" });
    expect(await env.store.settings.find(user.id)).toBeUndefined();
    await env.store.settings.save(user.id, { slippageBps: 50, buyPresetsLamports: ["1"] });
    clock.advance(1_000);
    await env.store.settings.save(user.id, { slippageBps: 75 });
    expect(await env.store.settings.find(user.id)).toEqual({ slippageBps: 75 });
    const rows = await env.database.db.selectFrom("userSettings").selectAll().execute();
    expect(rows.filter((row) => row.userId === user.id)).toHaveLength(1);
  });

  it("keeps each user's document apart, and refuses one for no user", async () => {
    const one = await env.store.users.create({ username: "settler-one", passwordHash: "h" });
    const two = await env.store.users.create({ username: "settler-two", passwordHash: "h" });
    await env.store.settings.save(one.id, { slippageBps: 1 });
    await env.store.settings.save(two.id, { slippageBps: 2 });
    expect(await env.store.settings.find(one.id)).toEqual({ slippageBps: 1 });
    expect(await env.store.settings.find(two.id)).toEqual({ slippageBps: 2 });
    await expect(
      env.store.settings.save("0190a5b0-0000-7000-8000-00000000dead" as UserId, {}),
    ).rejects.toThrow();
  });
});
