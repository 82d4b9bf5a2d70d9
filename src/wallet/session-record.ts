import { z } from "zod";
import type { SessionKeyBox } from "./session-key-box.js";

/** What the kv store holds per session: no secret, no usable key. */
export interface SessionRecord {
  readonly v: 1;
  readonly userId: string;
  readonly walletId: string;
  readonly publicKey: string;
  /** The credential that opened the session (OpenSessionInput.openedBy), when known. */
  readonly openedBy?: string | undefined;
  /** sha256 of the token's secret, base64url. */
  readonly secretHash: string;
  readonly createdAt: number;
  readonly lastUsedAt: number;
  /** The absolute limit; sliding never moves it. */
  readonly absoluteExpiresAt: number;
  readonly box: SessionKeyBox;
}

const recordSchema = z.strictObject({
  v: z.literal(1),
  userId: z.string(),
  walletId: z.string(),
  publicKey: z.string(),
  openedBy: z.string().optional(),
  secretHash: z.string(),
  createdAt: z.number(),
  lastUsedAt: z.number(),
  absoluteExpiresAt: z.number(),
  box: z.strictObject({ nonce: z.string(), sealed: z.string() }),
});

/** Null for anything unreadable: the session is then treated as absent. */
export function parseSessionRecord(text: string): SessionRecord | null {
  try {
    const parsed = recordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** When the session ends unless it is used again: idle deadline capped by the absolute limit. */
export function getSessionExpiresAt(record: SessionRecord, idleTimeoutMs: number): number {
  return Math.min(record.lastUsedAt + idleTimeoutMs, record.absoluteExpiresAt);
}
