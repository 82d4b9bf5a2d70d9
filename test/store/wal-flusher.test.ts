import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createWalFlusher } from "../../src/store/wal-flusher.js";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("createWalFlusher", () => {
  it("flushes once for the durable writes that finish in one turn of the event loop", async () => {
    let syncs = 0;
    const flusher = createWalFlusher({ walPath: "/unused", sync: () => syncs++ });
    const done = Promise.all([flusher.flushed(), flusher.flushed(), flusher.flushed()]);
    expect(syncs).toBe(0);
    await done;
    expect(syncs).toBe(1);
    await flusher.flushed();
    expect(syncs).toBe(2);
  });

  it("flushes at once when the oldest waiting write has waited maxWaitMs, busy loop or not", async () => {
    let syncs = 0;
    let now = 1_000;
    const flusher = createWalFlusher({
      walPath: "/unused",
      maxWaitMs: 20,
      now: () => now,
      sync: () => syncs++,
    });
    const first = flusher.flushed();
    now += 19;
    const second = flusher.flushed();
    expect(syncs).toBe(0);
    now += 1;
    const third = flusher.flushed(); // 20 ms after the first: no waiting for the loop's turn
    expect(syncs).toBe(1);
    await Promise.all([first, second, third]);
    await nextTurn();
    expect(syncs).toBe(1); // the turn's own flush found nothing left to do
  });

  it("flushes a write after a quiet spell as soon as its code yields; while busy, at the turn's end", async () => {
    let syncs = 0;
    let now = 1_000;
    const flusher = createWalFlusher({
      walPath: "/unused",
      maxWaitMs: 20,
      now: () => now,
      sync: () => syncs++,
    });
    const microtask = () => Promise.resolve();
    // Quiet: flushed in the microtasks, before any other callback of the loop.
    const quiet = flusher.flushed();
    await microtask();
    expect(syncs).toBe(1);
    await quiet;
    // 5 ms after a flush: busy, it waits for the round of I/O callbacks to end, to share.
    now += 5;
    const busy = flusher.flushed();
    await microtask();
    await microtask();
    expect(syncs).toBe(1);
    await busy;
    expect(syncs).toBe(2);
    // Quiet again once no flush came for longer than maxWaitMs.
    now += 21;
    const again = flusher.flushed();
    await microtask();
    expect(syncs).toBe(3);
    await again;
  });

  it("rejects the writes of a failed flush, and flushes the next ones afresh", async () => {
    let fail = true;
    const flusher = createWalFlusher({
      walPath: "/unused",
      sync: () => {
        if (fail) throw new Error("EIO");
      },
    });
    await expect(Promise.all([flusher.flushed(), flusher.flushed()])).rejects.toThrow("EIO");
    fail = false;
    await expect(flusher.flushed()).resolves.toBeUndefined();
  });

  describe("on a real SQLite log", () => {
    let dir = "";
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("syncs the -wal file a commit wrote, and has nothing to sync when there is none", async () => {
      dir = mkdtempSync(join(tmpdir(), "osprey-wal-"));
      const path = join(dir, "osprey.db");
      const sqlite = new SqliteDatabase(path);
      sqlite.pragma("journal_mode = WAL");
      sqlite.pragma("synchronous = NORMAL");
      sqlite.exec("create table t (v text); insert into t values ('signed bytes')");
      const flusher = createWalFlusher({ walPath: `${path}-wal` });
      await expect(flusher.flushed()).resolves.toBeUndefined();
      flusher.close();
      sqlite.close();
      const missing = createWalFlusher({ walPath: join(dir, "never-written.db-wal") });
      await expect(missing.flushed()).resolves.toBeUndefined();
      // Any other failure to reach the log is the write's failure: under a file, ENOTDIR.
      const unreachable = createWalFlusher({ walPath: join(path, "osprey.db-wal") });
      await expect(unreachable.flushed()).rejects.toThrow(/ENOTDIR/);
    });
  });
});
