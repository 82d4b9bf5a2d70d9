import { closeSync, fdatasyncSync, openSync } from "node:fs";

export interface WalFlusherOptions {
  /** SQLite's write-ahead log: the database path plus `-wal`. */
  readonly walPath: string;
  /**
   * A batch is flushed when the event loop finishes its current round of I/O callbacks, or at
   * the next durable write once its oldest write has waited this long (default 20 ms): on a busy
   * loop a round can run for tens of milliseconds.
   */
  readonly maxWaitMs?: number;
  readonly now?: () => number;
  /** Test seam: flushes the file (default: open once, then fdatasync). */
  readonly sync?: () => void;
}

export interface WalFlusher {
  /** Resolves once every commit made before the call is on disk. */
  flushed(): Promise<void>;
  /** Flushes what is waiting and closes the file. */
  close(): void;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for SQLite at `synchronous = NORMAL`. A WAL commit then reaches the OS but not the
 * disk; one fdatasync of the `-wal` file afterwards makes it as durable as `synchronous = FULL`,
 * which syncs that same file at every commit. Each sync blocks the event loop for about a
 * millisecond (more under load), so durable writes that finish close together share one.
 * A write after a quiet spell flushes as soon as the code that made it yields, so a lone write
 * waits for no one.
 */
export function createWalFlusher(options: WalFlusherOptions): WalFlusher {
  const maxWaitMs = options.maxWaitMs ?? 20;
  const now = options.now ?? (() => performance.now());
  let fd: number | undefined;
  let batch: Waiter[] = [];
  let batchStartedAt = 0;
  let lastFlushAt = Number.NEGATIVE_INFINITY;

  function syncFile(): void {
    if (options.sync) {
      options.sync();
      return;
    }
    try {
      fd ??= openSync(options.walPath, "r");
    } catch (error) {
      // No log at all: every frame was checkpointed into the database file, which SQLite syncs.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    fdatasyncSync(fd);
  }

  function flush(): void {
    if (batch.length === 0) return;
    const waiting = batch;
    batch = [];
    lastFlushAt = now();
    try {
      syncFile();
    } catch (error) {
      for (const waiter of waiting) waiter.reject(error);
      return;
    }
    for (const waiter of waiting) waiter.resolve();
  }

  return {
    flushed() {
      return new Promise<void>((resolve, reject) => {
        if (batch.length === 0) {
          batchStartedAt = now();
          // After a quiet spell the write is likely alone: it flushes once this run of code is
          // done, not behind the loop's other I/O callbacks (a signed order waits for this to
          // be sent). While flushes come often, writes wait for the round's end to share one.
          if (batchStartedAt - lastFlushAt > maxWaitMs) queueMicrotask(flush);
          else setImmediate(flush);
        }
        batch.push({ resolve, reject });
        if (now() - batchStartedAt >= maxWaitMs) flush();
      });
    },
    close() {
      flush();
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
