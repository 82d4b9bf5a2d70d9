import { createHash } from "node:crypto";
import { OspreyError } from "../core/osprey-error.js";
import type { KvStore } from "../kv/kv-store.js";

export interface LoginThrottleOptions {
  readonly kv: KvStore;
  /** Failed logins one address may make for one username per window (default 5). */
  readonly maxFailuresPerAddress?: number;
  /** That window, from the address's first failure (default 15 minutes). */
  readonly addressWindowMs?: number;
  /** Failures for one username from all addresses before backoff starts (default 10). */
  readonly usernameCeiling?: number;
  /** The window of that count, from the username's first failure (default 1 hour). */
  readonly usernameWindowMs?: number;
  /** First backoff, doubled for each failure past the ceiling (default 1 s)… */
  readonly backoffBaseMs?: number;
  /** …up to this (default 15 minutes). */
  readonly backoffMaxMs?: number;
  readonly prefix?: string;
}

/** One login attempt, already counted: say how it ended. */
export interface LoginAttempt {
  /** The password was right: this address starts clean again for this username. */
  succeeded(): Promise<void>;
  /** The password was wrong: counted for the address and the username; may start a backoff. */
  failed(): Promise<void>;
  /** Neither (the database failed): the attempt is given back. */
  abandon(): Promise<void>;
}

export interface LoginThrottle {
  /** Refuses with RATE_LIMITED (retryAfterMs) an address that failed too often for the username. */
  begin(username: string, address: string): Promise<LoginAttempt>;
}

const refused = (retryAfterMs: number) =>
  new OspreyError(
    "RATE_LIMITED",
    "Too many failed logins for this username from this address; retry later.",
    { retryAfterMs },
  );

/**
 * Slows password guessing without locking the owner out (README.md here): failures count per
 * username and address, and past a ceiling per username, addresses that keep failing wait a
 * growing backoff. An address with no failures for the username is never refused here.
 */
export function createLoginThrottle(options: LoginThrottleOptions): LoginThrottle {
  const { kv } = options;
  const maxPerAddress = options.maxFailuresPerAddress ?? 5;
  const addressWindowMs = options.addressWindowMs ?? 15 * 60_000;
  const ceiling = options.usernameCeiling ?? 10;
  const usernameWindowMs = options.usernameWindowMs ?? 60 * 60_000;
  const baseMs = options.backoffBaseMs ?? 1_000;
  const maxMs = options.backoffMaxMs ?? 15 * 60_000;
  const prefix = options.prefix ?? "login:";

  // Usernames are the client's text: hashed, they make fixed-size keys that say nothing in a dump.
  const name = (username: string) =>
    createHash("sha256").update(username.toLowerCase(), "utf8").digest("hex").slice(0, 32);
  const backoffAfter = (failures: number) =>
    Math.min(maxMs, baseMs * 2 ** Math.min(30, failures - ceiling - 1));

  async function begin(username: string, address: string): Promise<LoginAttempt> {
    const user = name(username);
    const pairKey = `${prefix}pair:${user}:${address}`;
    const waitKey = `${prefix}wait:${user}:${address}`;
    const userKey = `${prefix}user:${user}`;

    const waitMs = await kv.ttl(waitKey);
    if (waitMs !== null && waitMs > 0) throw refused(waitMs);
    // Counted before the password is checked, so parallel guesses cannot all slip past the limit.
    const count = await kv.increment(pairKey, { ttlMs: addressWindowMs });
    const giveBack = () => kv.increment(pairKey, { by: -1, ttlMs: addressWindowMs });
    if (count > maxPerAddress) {
      await giveBack();
      throw refused((await kv.ttl(pairKey)) ?? addressWindowMs);
    }

    let ended = false;
    const end = async (act: () => Promise<unknown>) => {
      if (ended) return;
      ended = true;
      await act();
    };
    return {
      succeeded: () => end(() => Promise.all([kv.delete(pairKey), kv.delete(waitKey)])),
      failed: () =>
        end(async () => {
          const failures = await kv.increment(userKey, { ttlMs: usernameWindowMs });
          // One typo from the owner's own address during an attack costs no wait; a second does.
          if (failures > ceiling && count >= 2)
            await kv.set(waitKey, "1", { ttlMs: backoffAfter(failures) });
        }),
      abandon: () => end(giveBack),
    };
  }

  return { begin };
}
