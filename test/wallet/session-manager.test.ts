import { getBase58Decoder } from "@solana/kit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isOspreyError } from "../../src/core/osprey-error.js";
import type { KvStore } from "../../src/kv/index.js";
import {
  createSessionManager,
  createSessionSigner,
  createWalletKeypair,
  type SessionManager,
} from "../../src/wallet/index.js";
import { describeUnless } from "../support/describe-unless.js";
import { createMemoryHarness, harnesses, type KvHarness } from "./kv-harness.js";

const USER_A = "0190a5b0-0000-7000-8000-00000000000a";
const USER_B = "0190a5b0-0000-7000-8000-00000000000b";
const WALLET_1 = "0190a5b0-0000-7000-8000-000000000001";
const WALLET_2 = "0190a5b0-0000-7000-8000-000000000002";

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => "resolved",
    (error: unknown) => (isOspreyError(error) ? error.code : error),
  );
}

/** Every textual form a leaked key could take in a dump. */
function secretForms(secretKey: Uint8Array): string[] {
  const forms = [secretKey, secretKey.subarray(0, 32)].flatMap((bytes) => {
    const buffer = Buffer.from(bytes);
    return [
      getBase58Decoder().decode(bytes),
      buffer.toString("base64").replace(/=+$/, ""),
      buffer.toString("base64url"),
      buffer.toString("hex"),
      buffer.toString("hex").toUpperCase(),
    ];
  });
  return [...forms, JSON.stringify([...secretKey]), [...secretKey].join(", ")];
}

for (const { name, skipReason, create } of harnesses) {
  describeUnless(skipReason, `session manager on ${name}`, () => {
    let h: KvHarness;
    let sessions: SessionManager;
    const wallet1 = createWalletKeypair();
    const wallet2 = createWalletKeypair();
    const open = (userId: string, walletId = WALLET_1, keypair = wallet1) =>
      sessions.open({
        userId,
        walletId,
        publicKey: keypair.publicKey,
        secretKey: keypair.secretKey,
      });

    beforeEach(() => {
      h = create();
      sessions = createSessionManager({
        kv: h.kv,
        clock: h.clock,
        idleTimeoutMs: h.idleMs,
        absoluteTimeoutMs: h.absoluteMs,
      });
    });
    afterEach(() => h.close());

    it("opens a session whose token yields the wallet key to its user", async () => {
      const opened = await open(USER_A);
      expect(opened.token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
      expect(opened.token.startsWith(`${opened.sessionId}.`)).toBe(true);
      expect(opened.expiresAt - h.clock.now()).toBeLessThanOrEqual(h.idleMs);
      const key = await sessions.use(opened.token, USER_A);
      expect(key.publicKey).toBe(wallet1.publicKey);
      expect(key.walletId).toBe(WALLET_1);
      expect(Buffer.from(key.secretKey).equals(Buffer.from(wallet1.secretKey))).toBe(true);
      let seen: Uint8Array | undefined;
      await sessions.withKey(opened.token, USER_A, async (k) => {
        seen = k.secretKey;
      });
      expect(seen?.every((byte) => byte === 0)).toBe(true);
    });

    it("hands out a @solana/kit signer for the wallet and wipes the raw bytes", async () => {
      const opened = await open(USER_A);
      const key = await sessions.use(opened.token, USER_A);
      const signer = createSessionSigner(key);
      expect(signer.address).toBe(wallet1.publicKey);
      expect(key.secretKey.every((byte) => byte === 0)).toBe(true);
      const [signatures] = await signer.signMessages([
        { content: new Uint8Array([1, 2, 3]), signatures: {} },
      ]);
      expect(signatures?.[signer.address]).toHaveLength(64);
    });

    it("refuses another user's token, a wrong secret and junk with SESSION_NOT_FOUND", async () => {
      const opened = await open(USER_A);
      expect(await codeOf(sessions.use(opened.token, USER_B))).toBe("SESSION_NOT_FOUND");
      const wrongSecret = `${opened.sessionId}.${"A".repeat(43)}`;
      expect(await codeOf(sessions.use(wrongSecret, USER_A))).toBe("SESSION_NOT_FOUND");
      for (const junk of ["", "x.y", `${opened.token}x`, opened.sessionId]) {
        expect(await codeOf(sessions.use(junk, USER_A))).toBe("SESSION_NOT_FOUND");
      }
      expect(await sessions.revoke(opened.token, USER_B)).toBe(false);
      await expect(sessions.use(opened.token, USER_A)).resolves.toBeTruthy();
    });

    it("revokes one session", async () => {
      const a = await open(USER_A);
      const b = await open(USER_A);
      expect(await sessions.revoke(a.token, USER_A)).toBe(true);
      expect(await sessions.revoke(a.token, USER_A)).toBe(false);
      expect(await codeOf(sessions.use(a.token, USER_A))).toBe("SESSION_NOT_FOUND");
      await expect(sessions.use(b.token, USER_A)).resolves.toBeTruthy();
    });

    it("revokes all of a user's sessions and only theirs", async () => {
      const a1 = await open(USER_A, WALLET_1);
      const a2 = await open(USER_A, WALLET_2, wallet2);
      const b1 = await open(USER_B, WALLET_1);
      expect(await sessions.revokeAllForUser(USER_A)).toBe(2);
      expect(await codeOf(sessions.use(a1.token, USER_A))).toBe("SESSION_NOT_FOUND");
      expect(await codeOf(sessions.use(a2.token, USER_A))).toBe("SESSION_NOT_FOUND");
      await expect(sessions.use(b1.token, USER_B)).resolves.toBeTruthy();
      expect(await sessions.revokeAllForUser(USER_A)).toBe(0);
    });

    it("keeps an index entry whose record is still being written, so revoke-all can reach it", async () => {
      await open(USER_A);
      const pending = "pending-session-id-0000";
      await h.kv.setAdd(`session:user:${USER_A}`, [pending]);
      expect(await sessions.revokeAllForUser(USER_A)).toBe(1);
      expect(await h.kv.setMembers(`session:user:${USER_A}`)).toEqual([pending]);
    });

    it("revokes every session of a wallet, whoever opened it", async () => {
      const a1 = await open(USER_A, WALLET_1);
      const b1 = await open(USER_B, WALLET_1);
      const a2 = await open(USER_A, WALLET_2, wallet2);
      expect(await sessions.revokeAllForWallet(WALLET_1)).toBe(2);
      expect(await codeOf(sessions.use(a1.token, USER_A))).toBe("SESSION_NOT_FOUND");
      expect(await codeOf(sessions.use(b1.token, USER_B))).toBe("SESSION_NOT_FOUND");
      await expect(sessions.use(a2.token, USER_A)).resolves.toBeTruthy();
      // The user index no longer lists the revoked session.
      expect(await sessions.countActive()).toEqual({ users: 1, sessions: 1 });
    });

    it("revokes every session a credential opened, and none other", async () => {
      const opened = (
        userId: string,
        walletId: string,
        keypair: typeof wallet1,
        openedBy?: string,
      ) =>
        sessions.open({
          userId,
          walletId,
          publicKey: keypair.publicKey,
          secretKey: keypair.secretKey,
          ...(openedBy ? { openedBy } : {}),
        });
      const t1 = await opened(USER_A, WALLET_1, wallet1, "access-token:t1");
      const t1b = await opened(USER_A, WALLET_2, wallet2, "access-token:t1");
      const t2 = await opened(USER_A, WALLET_1, wallet1, "access-token:t2");
      const unknown = await opened(USER_A, WALLET_1, wallet1);
      // Revoked another way first: the credential's index must not count it again.
      expect(await sessions.revoke(t1b.token, USER_A)).toBe(true);
      expect(await h.kv.setMembers("session:credential:access-token:t1")).toEqual([t1.sessionId]);

      expect(await sessions.revokeAllForCredential("access-token:t1")).toBe(1);
      expect(await codeOf(sessions.use(t1.token, USER_A))).toBe("SESSION_NOT_FOUND");
      await expect(sessions.use(t2.token, USER_A)).resolves.toBeTruthy();
      await expect(sessions.use(unknown.token, USER_A)).resolves.toBeTruthy();
      expect(await sessions.revokeAllForCredential("access-token:t1")).toBe(0);
      // Revoking all of the user's sessions empties the credential index too.
      expect(await sessions.revokeAllForUser(USER_A)).toBe(2);
      expect(await h.kv.setMembers("session:credential:access-token:t2")).toEqual([]);
    });

    it("expires an idle session and slides the deadline on use", async () => {
      const opened = await open(USER_A);
      const step = Math.round(h.idleMs * 0.6);
      await h.advance(step);
      await expect(sessions.use(opened.token, USER_A)).resolves.toBeTruthy();
      await h.advance(step); // past the first idle deadline, within the slid one
      const key = await sessions.use(opened.token, USER_A);
      expect(key.expiresAt).toBeGreaterThan(opened.expiresAt);
      await h.advance(h.idleMs + 50);
      expect(["SESSION_NOT_FOUND", "SESSION_EXPIRED"]).toContain(
        await codeOf(sessions.use(opened.token, USER_A)),
      );
    });

    it("ends a busy session at the absolute limit, never extended by use", async () => {
      const opened = await open(USER_A);
      const started = h.clock.now();
      const step = Math.round(h.idleMs / 3);
      let lastOk = started;
      let code: unknown = "resolved";
      while (code === "resolved" && h.clock.now() - started < h.absoluteMs * 2) {
        await h.advance(step);
        const now = h.clock.now();
        code = await codeOf(
          sessions.use(opened.token, USER_A).then((key) => {
            expect(key.expiresAt).toBeLessThanOrEqual(opened.absoluteExpiresAt);
          }),
        );
        if (code === "resolved") lastOk = now;
      }
      expect(["SESSION_NOT_FOUND", "SESSION_EXPIRED"]).toContain(code);
      expect(lastOk - started).toBeLessThan(h.absoluteMs);
      // It ended at the absolute limit, unless real-time lag let it idle out first.
      const idledOut = h.name === "redis" && h.clock.now() - lastOk >= h.idleMs;
      if (!idledOut) expect(h.clock.now() - started).toBeGreaterThanOrEqual(h.absoluteMs);
      expect(h.clock.now() - started).toBeLessThan(h.absoluteMs + step + 500);
    });

    it("keeps no usable key, token secret or plaintext in the store", async () => {
      const a = await open(USER_A, WALLET_1);
      await open(USER_B, WALLET_2, wallet2);
      await sessions.use(a.token, USER_A);
      const dump = (await h.dump()).join("\n");
      expect(dump.length).toBeGreaterThan(0);
      expect(dump).toContain(wallet1.publicKey);
      const secret = a.token.split(".")[1] ?? "";
      expect(dump).not.toContain(secret);
      for (const form of [...secretForms(wallet1.secretKey), ...secretForms(wallet2.secretKey)]) {
        expect(dump).not.toContain(form);
      }
    });

    it("refuses a record whose user was edited in the store", async () => {
      const opened = await open(USER_A);
      const key = `session:id:${opened.sessionId}`;
      const raw = (await h.kv.get(key)) ?? "";
      await h.kv.set(key, raw.replace(USER_A, USER_B), { ttlMs: h.idleMs });
      expect(await codeOf(sessions.use(opened.token, USER_B))).toBe("SESSION_NOT_FOUND");
    });

    it("refuses a record whose sealed key was cut to a short tag", async () => {
      const opened = await open(USER_A);
      const key = `session:id:${opened.sessionId}`;
      const record = JSON.parse((await h.kv.get(key)) ?? "{}") as { box: { sealed: string } };
      const sealed = Buffer.from(record.box.sealed, "base64");
      record.box.sealed = sealed.subarray(0, sealed.length - 12).toString("base64");
      await h.kv.set(key, JSON.stringify(record), { ttlMs: h.idleMs });
      expect(await codeOf(sessions.use(opened.token, USER_A))).toBe("SESSION_NOT_FOUND");
    });

    it("counts users with live sessions and prunes the rest lazily", async () => {
      await open(USER_A, WALLET_1);
      await open(USER_A, WALLET_2, wallet2);
      const b = await open(USER_B, WALLET_1);
      expect(await sessions.countActive()).toEqual({ users: 2, sessions: 3 });
      await sessions.revoke(b.token, USER_B);
      expect(await sessions.countActive()).toEqual({ users: 1, sessions: 2 });
      await h.advance(h.idleMs + 50);
      expect(await sessions.countActive()).toEqual({ users: 0, sessions: 0 });
    });
  });
}

describe("session timestamps are enforced even when the store keeps the key", () => {
  it("reports SESSION_EXPIRED past the idle and the absolute limits", async () => {
    const h = createMemoryHarness();
    // A store that ignores TTLs: only the stored timestamps can end the session.
    const kv: KvStore = {
      ...h.kv,
      set: (key, value) => h.kv.set(key, value),
      compareAndSet: (key, expected, next) => h.kv.compareAndSet(key, expected, next),
      setAdd: (key, members) => h.kv.setAdd(key, members),
    };
    const sessions = createSessionManager({ kv, clock: h.clock });
    const keypair = createWalletKeypair();
    const input = { userId: USER_A, walletId: WALLET_1, ...keypair };
    const idle = await sessions.open(input);
    await h.advance(15 * 60_000);
    expect(await codeOf(sessions.use(idle.token, USER_A))).toBe("SESSION_EXPIRED");
    expect(await codeOf(sessions.use(idle.token, USER_A))).toBe("SESSION_NOT_FOUND");
    const busy = await sessions.open(input);
    for (let i = 0; i < 8 * 6 - 1; i++) {
      await h.advance(10 * 60_000);
      await sessions.use(busy.token, USER_A);
    }
    await h.advance(10 * 60_000);
    expect(await codeOf(sessions.use(busy.token, USER_A))).toBe("SESSION_EXPIRED");
    await h.close();
  });

  it("refuses timeouts where idle exceeds absolute", () => {
    const h = createMemoryHarness();
    expect(() =>
      createSessionManager({ kv: h.kv, idleTimeoutMs: 10_000, absoluteTimeoutMs: 5_000 }),
    ).toThrow(/idle/);
  });
});
