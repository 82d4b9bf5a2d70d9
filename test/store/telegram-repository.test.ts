import { expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases.js";
import { createFakeClock } from "../support/fake-clock.js";
import { useTestStore } from "../support/test-store.js";

describeEachDatabase("telegram repository", (testDb) => {
  const clock = createFakeClock();
  const env = useTestStore(testDb, clock);

  it("links one Telegram account to one user, and refuses a second link on either side", async () => {
    const ada = await env.store.users.create({ username: "tg-ada", passwordHash: "h" });
    const bob = await env.store.users.create({ username: "tg-bob", passwordHash: "h" });
    const linked = await env.store.telegram.link({
      telegramUserId: "100000001",
      userId: ada.id,
      chatId: "100000001",
      username: "ada",
    });
    expect(await env.store.telegram.findAccount("100000001")).toEqual(linked);
    expect(await env.store.telegram.findAccountOfUser(ada.id)).toEqual(linked);
    // The same Telegram account for another user, or another account for the same user.
    for (const again of [
      { telegramUserId: "100000001", userId: bob.id },
      { telegramUserId: "100000002", userId: ada.id },
    ])
      await expect(
        env.store.telegram.link({ ...again, chatId: "1", username: null }),
      ).rejects.toMatchObject({ code: "TELEGRAM_ALREADY_LINKED" });
    expect(await env.store.telegram.findAccount("100000002")).toBeUndefined();
    expect(await env.store.telegram.findAccountOfUser(bob.id)).toBeUndefined();
    expect(await env.store.telegram.unlink("100000001")).toBe(true);
    expect(await env.store.telegram.unlink("100000001")).toBe(false);
    expect(await env.store.telegram.findAccountOfUser(ada.id)).toBeUndefined();
  });

  it("uses a token once, of its own kind, before it expires; revoking ends the unused ones", async () => {
    const cy = await env.store.users.create({ username: "tg-cy", passwordHash: "h" });
    const expiresAt = clock.now() + 60_000;
    const code = await env.store.telegram.createToken({
      kind: "link_code",
      tokenHash: "hash-code",
      userId: cy.id,
      telegramUserId: null,
      expiresAt,
    });
    // Not a web link, whatever its hash.
    expect(await env.store.telegram.consumeToken("web_link", "hash-code")).toBeUndefined();
    expect(await env.store.telegram.consumeToken("link_code", "hash-code")).toEqual(code);
    expect(await env.store.telegram.consumeToken("link_code", "hash-code")).toBeUndefined();

    await env.store.telegram.createToken({
      kind: "web_link",
      tokenHash: "hash-late",
      userId: cy.id,
      telegramUserId: "100000003",
      expiresAt: clock.now() + 1_000,
    });
    clock.advance(1_000);
    expect(await env.store.telegram.consumeToken("web_link", "hash-late")).toBeUndefined();

    await env.store.telegram.createToken({
      kind: "link_code",
      tokenHash: "hash-old",
      userId: cy.id,
      telegramUserId: null,
      expiresAt: clock.now() + 60_000,
    });
    expect(await env.store.telegram.revokeTokens(cy.id, "link_code")).toBe(1);
    expect(await env.store.telegram.consumeToken("link_code", "hash-old")).toBeUndefined();
  });
});
