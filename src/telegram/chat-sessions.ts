import { hkdfSync, randomBytes } from "node:crypto";
import type { Clock } from "../core/clock.js";
import type { UserId } from "../core/ids.js";
import type { KvStore } from "../kv/kv-store.js";
import { openAesGcm, sealAesGcm } from "../wallet/aes-gcm.js";

/** What the chat knows of the session it may trade with, without the token. */
export interface ChatSessionInfo {
  readonly walletId: string;
  readonly publicKey: string;
  /** The session's absolute limit: the hold ends then whatever the session does. */
  readonly expiresAt: number;
}

export interface ChatSession extends ChatSessionInfo {
  /** The trading session's token (`sessionId.secret`): a secret, held only sealed. */
  readonly token: string;
}

interface StoredHold extends ChatSessionInfo {
  readonly v: 1;
  readonly nonce: string;
  readonly sealed: string;
  readonly tag: string;
}

const KEY_INFO = "osprey telegram chat session v1";

/**
 * The trading session a user unlocked in the web terminal and handed to their Telegram chat.
 * A session token is a secret that is never stored in the clear, so the hold keeps it sealed
 * (AES-256-GCM under a key derived from TELEGRAM_BOT_TOKEN, bound to the user) in the kv store,
 * where every instance can read it, until the session's absolute limit. Locking the session in
 * the terminal (or its idle end) makes the token useless; the bot then drops the hold.
 */
export function createChatSessions(deps: { kv: KvStore; botToken: string; clock: Clock }) {
  const { kv, clock } = deps;
  const key = Buffer.from(hkdfSync("sha256", deps.botToken, "osprey", KEY_INFO, 32));
  const keyOf = (userId: UserId) => `telegram:chat-session:${userId}`;
  const aadOf = (userId: UserId) => Buffer.from(`telegram-chat-session:${userId}`);

  async function read(userId: UserId): Promise<StoredHold | null> {
    const text = await kv.get(keyOf(userId));
    if (text === null) return null;
    try {
      const hold = JSON.parse(text) as StoredHold;
      return hold.v === 1 && hold.expiresAt > clock.now() ? hold : null;
    } catch {
      return null;
    }
  }

  return {
    async hold(userId: UserId, session: ChatSession): Promise<void> {
      const ttlMs = session.expiresAt - clock.now();
      if (ttlMs <= 0) return;
      const nonce = randomBytes(12);
      const { ciphertext, tag } = sealAesGcm(
        key,
        nonce,
        aadOf(userId),
        Buffer.from(session.token, "utf8"),
      );
      const stored: StoredHold = {
        v: 1,
        walletId: session.walletId,
        publicKey: session.publicKey,
        expiresAt: session.expiresAt,
        nonce: nonce.toString("base64url"),
        sealed: ciphertext.toString("base64url"),
        tag: tag.toString("base64url"),
      };
      await kv.set(keyOf(userId), JSON.stringify(stored), { ttlMs });
    },

    /** The held session with its token; null when there is none (or it cannot be opened). */
    async get(userId: UserId): Promise<ChatSession | null> {
      const hold = await read(userId);
      if (!hold) return null;
      try {
        const plain = openAesGcm(key, Buffer.from(hold.nonce, "base64url"), aadOf(userId), {
          ciphertext: Buffer.from(hold.sealed, "base64url"),
          tag: Buffer.from(hold.tag, "base64url"),
        });
        const token = Buffer.from(plain).toString("utf8");
        return {
          walletId: hold.walletId,
          publicKey: hold.publicKey,
          expiresAt: hold.expiresAt,
          token,
        };
      } catch {
        // Sealed under another bot token (the operator changed it): unusable, so dropped.
        await kv.delete(keyOf(userId));
        return null;
      }
    },

    async info(userId: UserId): Promise<ChatSessionInfo | null> {
      const hold = await read(userId);
      return (
        hold && { walletId: hold.walletId, publicKey: hold.publicKey, expiresAt: hold.expiresAt }
      );
    },

    /** True when there was a hold. */
    release(userId: UserId): Promise<boolean> {
      return kv.delete(keyOf(userId));
    },
  };
}

export type ChatSessions = ReturnType<typeof createChatSessions>;
