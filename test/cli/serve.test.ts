import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnOsprey } from "../support/spawn-osprey.js";

describe("osprey serve (npm start)", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "osprey-serve-"));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("serves health, readiness and docs, then closes cleanly on SIGTERM with exit code 0", async () => {
    const dataDir = tempDir();
    const osprey = spawnOsprey(["serve", "--port", "0", "--json"], {
      DATA_DIR: dataDir,
      LOG_LEVEL: "info",
    });
    const ready = (await osprey.ready) as {
      api: string;
      rpc: string[];
      swapApi: string;
      mints: Record<string, string>;
    };
    const { api } = ready;
    expect(api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // On the embedded defaults the sandbox comes up too, on free ports, and the line says where.
    expect(ready.rpc[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.swapApi).toMatch(/\/swap\/v1$/);
    expect(Object.keys(ready.mints)).toContain("USDC");
    const health = await fetch(ready.rpc[0] ?? "", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getHealth" }),
    });
    expect(await health.json()).toMatchObject({ result: "ok" });
    expect((await fetch(`${api}/healthz`)).status).toBe(200);
    expect((await fetch(`${api}/readyz`)).status).toBe(200);
    expect((await fetch(`${api}/docs`)).status).toBe(200);
    // serve says it runs its own sandbox: the faucet is on, and there is no explorer to link to.
    expect(await (await fetch(`${api}/v1/meta`)).json()).toMatchObject({
      cluster: "sandbox",
      faucet: true,
      explorerUrl: null,
    });
    expect(existsSync(join(dataDir, "osprey.db"))).toBe(true);
    // The same line on disk, for `osprey demo` and scripts.
    expect(JSON.parse(readFileSync(join(dataDir, "ready.json"), "utf8"))).toEqual(ready);

    osprey.child.kill("SIGTERM");
    expect(await osprey.exited()).toBe(0);
    // SQLite removes its write-ahead log only when the last connection closes properly.
    expect(existsSync(join(dataDir, "osprey.db-wal"))).toBe(false);
    expect(existsSync(join(dataDir, "ready.json"))).toBe(false);
    expect(osprey.stderr()).toContain("shutting down");
  });

  it("refuses a bad DATABASE_URL at start with a message naming it, exit code 1", async () => {
    const osprey = spawnOsprey(["serve", "--port", "0", "--json"], {
      DATA_DIR: tempDir(),
      DATABASE_URL: "mysql://root@localhost/osprey",
    });
    expect(await osprey.exited()).toBe(1);
    expect(osprey.stderr()).toMatch(/CONFIG_INVALID: .*DATABASE_URL: expected a postgres:\/\//);
    await expect(osprey.ready).rejects.toThrow();
  });
});
