import type { Address } from "../core/addresses.js";
import { systemClock } from "../core/clock.js";
import { OspreyError } from "../core/osprey-error.js";
import { systemRandomBytes, wipe } from "./random-bytes.js";
import { openSessionKey, type SessionBinding, sealSessionKey } from "./session-key-box.js";
import { getSessionExpiresAt, parseSessionRecord, type SessionRecord } from "./session-record.js";
import {
  createSessionToken,
  getSessionSecretHash,
  isSessionSecret,
  parseSessionToken,
} from "./session-token.js";
import type {
  OpenedSession,
  OpenSessionInput,
  SessionCounts,
  SessionKey,
  SessionManager,
  SessionManagerOptions,
} from "./session-types.js";
import { getAddressOfSecretKey } from "./wallet-keypair.js";

// One error for missing, foreign, malformed and tampered: a probe learns nothing.
const notFound = () => new OspreyError("SESSION_NOT_FOUND");

/**
 * Trading sessions in the kv store: keys sealed under the token's secret, indexed per user, per
 * wallet and per credential that opened them.
 */
export function createSessionManager(options: SessionManagerOptions): SessionManager {
  const { kv } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandomBytes;
  const idleTimeoutMs = options.idleTimeoutMs ?? 15 * 60_000;
  const absoluteTimeoutMs = options.absoluteTimeoutMs ?? 8 * 60 * 60_000;
  const prefix = options.prefix ?? "session:";
  if (!(idleTimeoutMs > 0 && absoluteTimeoutMs >= idleTimeoutMs)) {
    throw new OspreyError("CONFIG_INVALID", "Session timeouts need 0 < idle <= absolute.", {
      idleTimeoutMs,
      absoluteTimeoutMs,
    });
  }
  const recordKey = (id: string) => `${prefix}id:${id}`;
  const userKey = (userId: string) => `${prefix}user:${userId}`;
  const walletKey = (walletId: string) => `${prefix}wallet:${walletId}`;
  const credentialKey = (openedBy: string) => `${prefix}credential:${openedBy}`;
  const usersKey = `${prefix}users`;

  const binding = (sessionId: string, r: SessionRecord): SessionBinding => ({
    sessionId,
    userId: r.userId,
    walletId: r.walletId,
    publicKey: r.publicKey,
  });
  const isLive = (r: SessionRecord, now: number) => now < getSessionExpiresAt(r, idleTimeoutMs);

  /** True when the record still existed. */
  async function remove(id: string, record: SessionRecord | null): Promise<boolean> {
    const existed = await kv.delete(recordKey(id));
    if (record) {
      await kv.setRemove(userKey(record.userId), [id]);
      await kv.setRemove(walletKey(record.walletId), [id]);
      if (record.openedBy !== undefined) await kv.setRemove(credentialKey(record.openedBy), [id]);
    }
    return existed;
  }

  async function open(input: OpenSessionInput): Promise<OpenedSession> {
    if (getAddressOfSecretKey(input.secretKey) !== input.publicKey) {
      throw new OspreyError("WALLET_KEY_MISMATCH");
    }
    const { id, secret, token } = createSessionToken(random);
    const now = clock.now();
    const record: SessionRecord = {
      v: 1,
      userId: input.userId,
      walletId: input.walletId,
      publicKey: input.publicKey,
      ...(input.openedBy === undefined ? {} : { openedBy: input.openedBy }),
      secretHash: getSessionSecretHash(secret).toString("base64url"),
      createdAt: now,
      lastUsedAt: now,
      absoluteExpiresAt: now + absoluteTimeoutMs,
      box: sealSessionKey(
        {
          sessionId: id,
          userId: input.userId,
          walletId: input.walletId,
          publicKey: input.publicKey,
        },
        secret,
        input.secretKey,
        random,
      ),
    };
    wipe(secret);
    // Indexes first: a session that exists is always reachable by revoke-all.
    await kv.setAdd(userKey(input.userId), [id], { ttlMs: absoluteTimeoutMs });
    await kv.setAdd(walletKey(input.walletId), [id], { ttlMs: absoluteTimeoutMs });
    if (input.openedBy !== undefined)
      await kv.setAdd(credentialKey(input.openedBy), [id], { ttlMs: absoluteTimeoutMs });
    await kv.setAdd(usersKey, [input.userId]);
    const expiresAt = getSessionExpiresAt(record, idleTimeoutMs);
    await kv.set(recordKey(id), JSON.stringify(record), { ttlMs: expiresAt - now });
    return { token, sessionId: id, expiresAt, absoluteExpiresAt: record.absoluteExpiresAt };
  }

  /** The record behind a token of this user, or null; the secret is checked in constant time. */
  async function find(token: string, userId: string) {
    const parsed = parseSessionToken(token);
    if (!parsed) return null;
    const raw = await kv.get(recordKey(parsed.id));
    const record = raw === null ? null : parseSessionRecord(raw);
    if (!raw || !record) return null;
    const hash = Buffer.from(record.secretHash, "base64url");
    if (!isSessionSecret(parsed.secret, hash) || record.userId !== userId) return null;
    return { id: parsed.id, secret: parsed.secret, raw, record };
  }

  async function use(token: string, userId: string): Promise<SessionKey> {
    const found = await find(token, userId);
    if (!found) throw notFound();
    const { id, secret, raw, record } = found;
    const now = clock.now();
    // The kv TTL should have removed it already; the stored timestamps are what we trust.
    if (!isLive(record, now)) {
      await remove(id, record);
      throw new OspreyError("SESSION_EXPIRED");
    }
    const secretKey = openSessionKey(binding(id, record), secret, record.box);
    wipe(secret);
    if (!secretKey) throw notFound();
    const slid: SessionRecord = { ...record, lastUsedAt: now };
    const expiresAt = getSessionExpiresAt(slid, idleTimeoutMs);
    // Compare-and-set, so a revoke that lands between our read and this write is not undone.
    const written = await kv.compareAndSet(recordKey(id), raw, JSON.stringify(slid), {
      ttlMs: expiresAt - now,
    });
    if (!written && (await kv.get(recordKey(id))) === null) {
      wipe(secretKey);
      throw notFound();
    }
    const publicKey = record.publicKey as Address;
    return {
      sessionId: id,
      userId,
      walletId: record.walletId,
      publicKey,
      secretKey,
      expiresAt,
      absoluteExpiresAt: record.absoluteExpiresAt,
    };
  }

  async function peek(token: string, userId: string) {
    const found = await find(token, userId);
    wipe(found?.secret);
    if (!found || !isLive(found.record, clock.now())) return null;
    return {
      walletId: found.record.walletId,
      expiresAt: getSessionExpiresAt(found.record, idleTimeoutMs),
      absoluteExpiresAt: found.record.absoluteExpiresAt,
    };
  }

  async function withKey<T>(token: string, userId: string, fn: (key: SessionKey) => Promise<T>) {
    const key = await use(token, userId);
    try {
      return await fn(key);
    } finally {
      wipe(key.secretKey);
    }
  }

  async function revoke(token: string, userId: string): Promise<boolean> {
    const found = await find(token, userId);
    wipe(found?.secret);
    if (!found) return false;
    return remove(found.id, found.record);
  }

  // An index entry without a record may be a session still being opened (indexes are written
  // first), so entries are dropped only with a record; the index TTL clears the others.
  async function revokeIndexed(indexKey: string): Promise<number> {
    let revoked = 0;
    for (const id of await kv.setMembers(indexKey)) {
      const raw = await kv.get(recordKey(id));
      if (raw === null) continue;
      if (await remove(id, parseSessionRecord(raw))) revoked += 1;
      await kv.setRemove(indexKey, [id]);
    }
    return revoked;
  }

  async function countActive(): Promise<SessionCounts> {
    const now = clock.now();
    let users = 0;
    let sessions = 0;
    for (const userId of await kv.setMembers(usersKey)) {
      const ids = await kv.setMembers(userKey(userId));
      if (ids.length === 0) await pruneUser(userId);
      const records = await Promise.all(
        ids.map(async (id) => {
          const raw = await kv.get(recordKey(id));
          return { id, record: raw === null ? null : parseSessionRecord(raw) };
        }),
      );
      let live = 0;
      for (const { id, record } of records) {
        if (record && isLive(record, now)) live += 1;
        // Past its stored deadline but still in the store: finish what the TTL did not.
        else if (record) await remove(id, record);
      }
      sessions += live;
      if (live > 0) users += 1;
    }
    return { users, sessions };
  }

  async function pruneUser(userId: string): Promise<void> {
    await kv.setRemove(usersKey, [userId]);
    // A session opened while we pruned re-adds its user: check and put the user back.
    if ((await kv.setMembers(userKey(userId))).length > 0) await kv.setAdd(usersKey, [userId]);
  }

  return {
    open,
    use,
    peek,
    withKey,
    revoke,
    revokeAllForUser: (userId) => revokeIndexed(userKey(userId)),
    revokeAllForWallet: (walletId) => revokeIndexed(walletKey(walletId)),
    revokeAllForCredential: (openedBy) => revokeIndexed(credentialKey(openedBy)),
    countActive,
  };
}
