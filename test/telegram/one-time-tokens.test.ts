import { expect, it } from "vitest";
import { createTelegramTokens } from "../../src/telegram/one-time-tokens.js";
import { describeEachDatabase } from "../support/databases.js";
import { createFakeClock } from "../support/fake-clock.js";
import { useTestStore } from "../support/test-store.js";

describeEachDatabase("Telegram one-time tokens", (testDb) => {
  const clock = createFakeClock();
  const env = useTestStore(testDb, clock);
  const tokens = () => createTelegramTokens({ telegram: env.store.telegram, clock });

  it("shows a token once, stores only its hash, and lets it be used once before it expires", async () => {
    const user = await env.store.users.create({ username: "tg-token-user", passwordHash: "h" });
    const { token, expiresAt } = await tokens().issue({
      kind: "web_link",
      userId: user.id,
      telegramUserId: "100000010",
      ttlMs: 300_000,
    });
    // What a Telegram deep link's start parameter carries as it is.
    expect(token).toMatch(/^otw_[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toBe(clock.now() + 300_000);
    const rows = await env.database.db.selectFrom("telegramTokens").selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token.slice(4));

    // Not a link code, whatever it says.
    await expect(tokens().redeem("link_code", token)).rejects.toMatchObject({
      code: "TELEGRAM_TOKEN_INVALID",
    });
    expect(await tokens().redeem("web_link", token)).toMatchObject({
      kind: "web_link",
      userId: user.id,
      telegramUserId: "100000010",
    });
    await expect(tokens().redeem("web_link", token)).rejects.toMatchObject({
      code: "TELEGRAM_TOKEN_INVALID",
    });

    const late = await tokens().issue({
      kind: "web_link",
      userId: user.id,
      telegramUserId: "100000010",
      ttlMs: 1_000,
    });
    clock.advance(1_000);
    await expect(tokens().redeem("web_link", late.token)).rejects.toMatchObject({
      code: "TELEGRAM_TOKEN_INVALID",
    });
  });

  it("ends the user's unused code when a new one is issued, and refuses garbage", async () => {
    const user = await env.store.users.create({ username: "tg-code-user", passwordHash: "h" });
    const issue = () =>
      tokens().issue({ kind: "link_code", userId: user.id, telegramUserId: null, ttlMs: 600_000 });
    const first = await issue();
    const second = await issue();
    await expect(tokens().redeem("link_code", first.token)).rejects.toMatchObject({
      code: "TELEGRAM_TOKEN_INVALID",
    });
    expect((await tokens().redeem("link_code", second.token)).userId).toBe(user.id);
    for (const garbage of [
      "",
      "otl_",
      "otl_short",
      `otw_${second.token.slice(4)}`,
      "x".repeat(5000),
    ])
      await expect(tokens().redeem("link_code", garbage)).rejects.toMatchObject({
        code: "TELEGRAM_TOKEN_INVALID",
      });
  });
});
