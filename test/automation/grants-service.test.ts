import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import {
  createGrantService,
  type GrantEndReason,
} from "../../src/automation/grants/grant-service.js";
import type { GrantRecord } from "../../src/automation/grants/grant-types.js";
import { parseConfig } from "../../src/config/load-config.js";
import type { UserId, WalletId } from "../../src/core/ids.js";
import { createServices } from "../../src/create-services.js";
import { createMemoryKvStore } from "../../src/kv/memory-kv-store.js";
import { ARGON2_FLOOR_ENV } from "../support/argon2-floor.js";
import { describeEachDatabase } from "../support/databases.js";
import { createFakeClock } from "../support/fake-clock.js";
import { useTestStore } from "../support/test-store.js";

const PASSWORD = "wallet password";
const DAY = 86_400_000;

describeEachDatabase("grant service", (testDb) => {
  const clock = createFakeClock();
  const env = useTestStore(testDb, clock);
  const automationKey = randomBytes(32);
  const firing = { triggerId: "t", firingNumber: 1, idempotencyKey: "trigger:t:1" };

  async function setUp(name: string, failAudit?: string) {
    const config = parseConfig({ ...ARGON2_FLOOR_ENV, DATA_DIR: "/tmp/unused" });
    const { wallets } = createServices(config, env.store, createMemoryKvStore(clock), clock);
    const user = await env.store.users.create({ username: name, passwordHash: "h" });
    const made = await wallets.createWallet(user.id, PASSWORD);
    await env.store.wallets.create({ ...made, userId: user.id, label: "w" });
    const events: string[] = [];
    const audit = {
      record: async (event: Parameters<typeof env.store.audit.record>[0]) => {
        if (event.action === failAudit) throw new Error("audit log unavailable");
        await env.store.audit.record(event);
      },
    };
    const grants = createGrantService({
      store: { ...env.store, audit: audit as typeof env.store.audit },
      wallets,
      automationKey,
      clock,
      onGrantCreated: async (grant: GrantRecord) => {
        events.push(`created ${grant.id}`);
      },
      onGrantEnded: async (grant: GrantRecord, reason: GrantEndReason) => {
        events.push(`${reason} ${grant.id}`);
      },
    });
    const input = {
      userId: user.id as UserId,
      walletId: made.id as WalletId,
      password: PASSWORD,
      maxOrderLamports: 10n,
      maxDailyLamports: 100n,
      orderTypes: ["dca" as const],
      expiresAt: clock.now() + DAY,
    };
    return { grants, events, input, publicKey: made.publicKey };
  }

  it("calls onGrantCreated and onGrantEnded with the reason, on revoke and on expiry", async () => {
    const { grants, events, input } = await setUp("hooks");
    const first = await grants.grant(input);
    expect(await grants.get(input.userId, input.walletId)).toEqual(first);
    const revoked = await grants.revoke(input.userId, input.walletId);
    await expect(grants.revoke(input.userId, input.walletId)).rejects.toMatchObject({
      code: "GRANT_NOT_FOUND",
    });
    const second = await grants.grant(input);
    clock.advance(DAY);
    const expired = await grants.expireDue(clock.now());
    expect(expired.map((grant) => [grant.id, grant.status, grant.sealedKey])).toEqual([
      [second.id, "EXPIRED", null],
    ]);
    expect(events).toEqual([
      `created ${first.id}`,
      `GRANT_REVOKED ${revoked.id}`,
      `created ${second.id}`,
      `GRANT_EXPIRED ${second.id}`,
    ]);
  });

  it("signs nothing when the sign audit cannot be written", async () => {
    const { grants, input, publicKey } = await setUp("no-audit", "automation.sign");
    const grant = await grants.grant({ ...input, expiresAt: clock.now() + DAY });
    let opened = false;
    await expect(
      grants.keySource(grant, firing).withKey(async () => {
        opened = true;
      }),
    ).rejects.toThrow("audit log unavailable");
    expect(opened).toBe(false);
    expect(publicKey).toBe(grant.publicKey);
  });

  it("does not keep a grant whose audit cannot be written", async () => {
    const { grants, input } = await setUp("no-grant-audit", "automation.grant");
    await expect(grants.grant({ ...input, expiresAt: clock.now() + DAY })).rejects.toThrow();
    expect(await env.store.automationGrants.findActive(input.walletId)).toBeUndefined();
  });

  it("is off without an automation key: AUTOMATION_DISABLED", async () => {
    const { input } = await setUp("off");
    const { wallets } = createServices(
      parseConfig({ ...ARGON2_FLOOR_ENV, DATA_DIR: "/tmp/unused" }),
      env.store,
      createMemoryKvStore(clock),
      clock,
    );
    const off = createGrantService({ store: env.store, wallets, automationKey: null, clock });
    expect(off.enabled).toBe(false);
    await expect(off.grant(input)).rejects.toMatchObject({ code: "AUTOMATION_DISABLED" });
  });
});
