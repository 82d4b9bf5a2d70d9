import type { Address } from "../core/addresses.js";
import type { Clock } from "../core/clock.js";
import type { KvStore } from "../kv/kv-store.js";
import type { RandomBytes } from "./random-bytes.js";

export interface SessionManagerOptions {
  readonly kv: KvStore;
  readonly clock?: Clock;
  readonly random?: RandomBytes;
  readonly idleTimeoutMs?: number;
  readonly absoluteTimeoutMs?: number;
  readonly prefix?: string;
}

export interface OpenSessionInput {
  readonly userId: string;
  readonly walletId: string;
  readonly publicKey: Address;
  /** 64 bytes; copied into the session box, still the caller's to wipe. */
  readonly secretKey: Uint8Array;
  /**
   * The credential that opened it (e.g. `access-token:<id>`): logging that token out or revoking
   * that API key ends the session (revokeAllForCredential).
   */
  readonly openedBy?: string;
}

export interface OpenedSession {
  /** `sessionId.secret`: shown to the client once, never stored. */
  readonly token: string;
  readonly sessionId: string;
  /** When the session ends unless used again (idle deadline, capped by the absolute limit). */
  readonly expiresAt: number;
  readonly absoluteExpiresAt: number;
}

export interface SessionKey {
  readonly sessionId: string;
  readonly userId: string;
  readonly walletId: string;
  readonly publicKey: Address;
  /** 64 bytes; the caller wipes it after signing. */
  readonly secretKey: Uint8Array;
  readonly expiresAt: number;
  /** The limit no use extends. */
  readonly absoluteExpiresAt: number;
}

export interface SessionCounts {
  readonly users: number;
  readonly sessions: number;
}

export interface SessionManager {
  open(input: OpenSessionInput): Promise<OpenedSession>;
  /** The session's key, only for the user who opened it; slides the idle deadline. */
  use(token: string, userId: string): Promise<SessionKey>;
  /**
   * Whether the session is live for this user, and until when, without using it: the idle
   * deadline does not slide and the key is not opened. Null when ended, foreign or unknown.
   */
  peek(
    token: string,
    userId: string,
  ): Promise<{ walletId: string; expiresAt: number; absoluteExpiresAt: number } | null>;
  /** Runs `fn` with the key and wipes it afterwards, whatever `fn` does. */
  withKey<T>(token: string, userId: string, fn: (key: SessionKey) => Promise<T>): Promise<T>;
  /** False when there was no such session of this user. */
  revoke(token: string, userId: string): Promise<boolean>;
  revokeAllForUser(userId: string): Promise<number>;
  /** Every session of a wallet, of whichever user: for password changes and wallet removal. */
  revokeAllForWallet(walletId: string): Promise<number>;
  /** Every session opened by a credential (OpenSessionInput.openedBy): for logout and key revocation. */
  revokeAllForCredential(openedBy: string): Promise<number>;
  /** Live sessions and users with one, pruning stale index entries on the way. */
  countActive(): Promise<SessionCounts>;
}
