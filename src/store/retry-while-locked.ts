import { OspreyError } from "../core/osprey-error.js";

export interface LockRetryOptions {
  /** Longest a statement waits for another connection's lock, in all, before it gives up. */
  readonly maxWaitMs: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Told each time a statement found the database locked and is going to wait. */
  readonly onWait?: () => void;
}

// The first retries come quickly (most locks are held for a commit's length); later ones poll.
const FIRST_DELAY_MS = 1;
const MAX_DELAY_MS = 25;

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** SQLITE_BUSY and its extended forms: another connection holds the lock this statement needs. */
export function isSqliteBusy(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("code" in error)) return false;
  const { code } = error as { code: unknown };
  return typeof code === "string" && (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_"));
}

/**
 * Runs `statement` again while SQLite answers BUSY, waiting with timers in between rather than in
 * SQLite's busy handler, which sleeps inside the call and so stops the whole event loop. Only for
 * a statement that had no effect when it failed: one outside a transaction, or the BEGIN IMMEDIATE
 * of one. After `maxWaitMs` in all, DATABASE_UNAVAILABLE.
 */
export async function retryWhileLocked<T>(
  statement: () => Promise<T>,
  options: LockRetryOptions,
): Promise<T> {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? sleepFor;
  const started = now();
  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    try {
      return await statement();
    } catch (error) {
      if (!isSqliteBusy(error)) throw error;
      const waited = now() - started;
      if (waited >= options.maxWaitMs) {
        throw new OspreyError(
          "DATABASE_UNAVAILABLE",
          `The SQLite database stayed locked by another connection for ${Math.round(waited)} ms.`,
          { dialect: "sqlite", reason: "locked", waitedMs: Math.round(waited) },
          { cause: error },
        );
      }
      options.onWait?.();
      await sleep(Math.min(delay, options.maxWaitMs - waited));
    }
  }
}
