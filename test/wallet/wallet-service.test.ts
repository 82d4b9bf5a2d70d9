import { getBase58Decoder } from "@solana/kit";
import { beforeEach, describe, expect, it } from "vitest";
import type { Address } from "../../src/core/addresses.js";
import { userId } from "../../src/core/ids.js";
import { isOspreyError } from "../../src/core/osprey-error.js";
import {
  createAttemptThrottle,
  createKdfLimiter,
  createSessionManager,
  createWalletCipher,
  createWalletKeypair,
  createWalletService,
  type KdfLimiter,
  OWASP_MIN_KDF_PARAMS,
  parseKeyEnvelope,
  type SessionManager,
  type StoredWallet,
  type WalletAuditEvent,
  type WalletService,
} from "../../src/wallet/index.js";
import { createMemoryHarness, type KvHarness } from "./kv-harness.js";
import { encryptLikeSpecV1 } from "./spec-v1-encrypt.js";

const ALICE = userId("0190a5b0-0000-7000-8000-00000000000a");
const BOB = userId("0190a5b0-0000-7000-8000-00000000000b");
const PASSWORD = "hunter2 but longer";

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => "resolved",
    (error: unknown) => (isOspreyError(error) ? error.code : error),
  );
}

describe("wallet service", () => {
  let h: KvHarness;
  let derivations: number;
  let sessions: SessionManager;
  let service: WalletService;
  let events: WalletAuditEvent[];

  beforeEach(() => {
    h = createMemoryHarness();
    derivations = 0;
    const inner = createKdfLimiter();
    const limiter: KdfLimiter = {
      ...inner,
      run: (task) => {
        derivations += 1;
        return inner.run(task);
      },
    };
    events = [];
    sessions = createSessionManager({ kv: h.kv, clock: h.clock });
    service = createWalletService({
      cipher: createWalletCipher({ limiter, params: OWASP_MIN_KDF_PARAMS }),
      sessions,
      throttle: createAttemptThrottle({ kv: h.kv }),
      audit: (event) => {
        events.push(event);
      },
      clock: h.clock,
    });
  });

  const stored = (w: { id: StoredWallet["id"]; publicKey: Address; envelope: string }) => w;

  it("creates a wallet, unlocks it with one argon2 derivation, and trades with the session", async () => {
    const wallet = await service.createWallet(ALICE, PASSWORD);
    expect(parseKeyEnvelope(wallet.envelope).version).toBe(2);
    derivations = 0;
    const unlocked = await service.unlockWallet({ userId: ALICE, wallet, password: PASSWORD });
    expect(derivations).toBe(1);
    expect(unlocked.upgradedEnvelope).toBeNull();
    const key = await sessions.use(unlocked.sessionToken, ALICE);
    expect(key.publicKey).toBe(wallet.publicKey);
    expect(await codeOf(sessions.use(unlocked.sessionToken, BOB))).toBe("SESSION_NOT_FOUND");
    expect(events.map((e) => `${e.action}:${e.outcome}`)).toEqual([
      "wallet.create:ok",
      "wallet.unlock:ok",
    ]);
  });

  it("throttles after 5 wrong passwords, even the right one, until the window passes", async () => {
    const wallet = await service.createWallet(ALICE, PASSWORD);
    for (let i = 0; i < 5; i++) {
      expect(await codeOf(service.unlockWallet({ userId: ALICE, wallet, password: "nope" }))).toBe(
        "WALLET_DECRYPT_FAILED",
      );
    }
    derivations = 0;
    const error = await service
      .unlockWallet({ userId: ALICE, wallet, password: PASSWORD })
      .catch((e: unknown) => e);
    expect(isOspreyError(error, "RATE_LIMITED")).toBe(true);
    expect((error as { context: { retryAfterMs: number } }).context.retryAfterMs).toBe(15 * 60_000);
    expect(derivations).toBe(0);
    await h.advance(15 * 60_000);
    await expect(
      service.unlockWallet({ userId: ALICE, wallet, password: PASSWORD }),
    ).resolves.toBeTruthy();
    const failed = events.filter((e) => e.outcome === "failed").map((e) => e.code);
    expect(failed).toEqual([...Array(5).fill("WALLET_DECRYPT_FAILED"), "RATE_LIMITED"]);
  });

  it("does not count successful unlocks or invalid input as failures", async () => {
    const wallet = await service.createWallet(ALICE, PASSWORD);
    for (let i = 0; i < 7; i++)
      await service.unlockWallet({ userId: ALICE, wallet, password: PASSWORD });
    for (let i = 0; i < 7; i++) {
      expect(await codeOf(service.unlockWallet({ userId: ALICE, wallet, password: "" }))).toBe(
        "INVALID_PASSWORD",
      );
    }
    await expect(
      service.unlockWallet({ userId: ALICE, wallet, password: PASSWORD }),
    ).resolves.toBeTruthy();
  });

  it("unlocks a spec v1 wallet and hands back a v2 envelope to store", async () => {
    const keypair = createWalletKeypair();
    const wallet = stored({
      id: (await service.createWallet(ALICE, PASSWORD)).id,
      publicKey: keypair.publicKey,
      envelope: await encryptLikeSpecV1(keypair.secretKey, PASSWORD),
    });
    derivations = 0;
    const unlocked = await service.unlockWallet({ userId: ALICE, wallet, password: PASSWORD });
    expect(derivations).toBe(2); // one to open v1, one to seal v2
    expect(unlocked.upgradedEnvelope).not.toBeNull();
    const upgraded = { ...wallet, envelope: unlocked.upgradedEnvelope ?? "" };
    expect(parseKeyEnvelope(upgraded.envelope).version).toBe(2);
    const again = await service.unlockWallet({
      userId: ALICE,
      wallet: upgraded,
      password: PASSWORD,
    });
    expect(again.upgradedEnvelope).toBeNull();
    expect(events.find((e) => e.action === "wallet.unlock")?.detail).toEqual({
      upgraded: true,
      passwordChangeRequired: false,
    });
  });

  it("imports, exports the same key, and audits without secrets", async () => {
    const keypair = createWalletKeypair();
    const base58 = getBase58Decoder().decode(keypair.secretKey);
    const wallet = await service.importWallet(
      ALICE,
      PASSWORD,
      JSON.stringify([...keypair.secretKey]),
    );
    expect(wallet.publicKey).toBe(keypair.publicKey);
    const exported = await service.exportWallet({ userId: ALICE, wallet, password: PASSWORD });
    expect(exported.secretKey).toBe(base58);
    expect(await codeOf(service.exportWallet({ userId: ALICE, wallet, password: "x" }))).toBe(
      "WALLET_DECRYPT_FAILED",
    );
    const unlocked = await service.unlockWallet({ userId: ALICE, wallet, password: PASSWORD });
    await service.revokeSession(ALICE, unlocked.sessionToken);
    expect(events.map((e) => `${e.action}:${e.outcome}`)).toEqual([
      "wallet.import:ok",
      "wallet.export:ok",
      "wallet.export:failed",
      "wallet.unlock:ok",
      "session.revoke:ok",
    ]);
    const log = JSON.stringify(events);
    const secret = unlocked.sessionToken.split(".")[1] ?? "";
    for (const leak of [
      PASSWORD,
      base58,
      base58.slice(0, 44),
      secret,
      `${[...keypair.secretKey]}`,
    ]) {
      expect(log).not.toContain(leak);
    }
  });

  it("changing the password re-encrypts and ends every session of the wallet", async () => {
    const wallet = await service.createWallet(ALICE, PASSWORD);
    const a = await service.unlockWallet({ userId: ALICE, wallet, password: PASSWORD });
    const b = await service.unlockWallet({ userId: ALICE, wallet, password: PASSWORD });
    let envelope = "";
    const changed = await service.changeWalletPassword({
      userId: ALICE,
      wallet,
      password: PASSWORD,
      newPassword: "a new one, longer",
      save: async (next) => {
        // Sessions are still open while the new envelope is being saved.
        await expect(sessions.use(a.sessionToken, ALICE)).resolves.toBeTruthy();
        envelope = next;
      },
    });
    expect(changed).toEqual({ revokedSessions: 2 });
    for (const token of [a.sessionToken, b.sessionToken]) {
      expect(await codeOf(sessions.use(token, ALICE))).toBe("SESSION_NOT_FOUND");
    }
    const rewrapped = { ...wallet, envelope };
    expect(
      await codeOf(service.unlockWallet({ userId: ALICE, wallet: rewrapped, password: PASSWORD })),
    ).toBe("WALLET_DECRYPT_FAILED");
    await expect(
      service.unlockWallet({ userId: ALICE, wallet: rewrapped, password: "a new one, longer" }),
    ).resolves.toBeTruthy();
    expect(events.find((e) => e.action === "wallet.password_change")?.detail).toEqual({
      revoked: 2,
    });
  });

  it("revokes all of a user's sessions", async () => {
    const w1 = await service.createWallet(ALICE, PASSWORD);
    const w2 = await service.createWallet(ALICE, PASSWORD);
    const bobs = await service.createWallet(BOB, PASSWORD);
    await service.unlockWallet({ userId: ALICE, wallet: w1, password: PASSWORD });
    await service.unlockWallet({ userId: ALICE, wallet: w2, password: PASSWORD });
    const bob = await service.unlockWallet({ userId: BOB, wallet: bobs, password: PASSWORD });
    expect(await service.revokeAllSessions(ALICE)).toBe(2);
    await expect(sessions.use(bob.sessionToken, BOB)).resolves.toBeTruthy();
    expect(events.at(-1)).toEqual({
      action: "session.revoke_all",
      outcome: "ok",
      userId: ALICE,
      detail: { revoked: 2 },
    });
  });
});
