import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/cli/open-store.js";
import { parseConfig } from "../../src/config/load-config.js";
import { spawnOsprey } from "../support/spawn-osprey.js";

describe("osprey users create", { timeout: 120_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), "osprey-users-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("creates an admin whose password came from stdin", async () => {
    const osprey = spawnOsprey(["users", "create", "Root", "--admin", "--json"], {
      DATA_DIR: dataDir,
    });
    osprey.child.stdin.end("admin password 1\n");
    expect(await osprey.exited()).toBe(0);
    const created = await osprey.ready;
    expect(created).toMatchObject({ username: "root", role: "admin" });

    const { store, accounts, close } = await openStore(parseConfig({ DATA_DIR: dataDir }));
    try {
      expect((await store.users.findByUsername("root"))?.role).toBe("admin");
      const login = await accounts.login({ username: "root", password: "admin password 1" });
      expect(login.token).toMatch(/^osa_/);
    } finally {
      await close();
    }
  });

  it("makes an existing user an admin and back with set-role", async () => {
    const created = spawnOsprey(["users", "create", "promoted"], { DATA_DIR: dataDir });
    created.child.stdin.end("user password 1\n");
    expect(await created.exited()).toBe(0);
    const promote = spawnOsprey(["users", "set-role", "promoted", "admin", "--json"], {
      DATA_DIR: dataDir,
    });
    expect(await promote.exited()).toBe(0);
    expect(await promote.ready).toMatchObject({ username: "promoted", role: "admin" });
    const bad = spawnOsprey(["users", "set-role", "promoted", "root"], { DATA_DIR: dataDir });
    expect(await bad.exited()).toBe(1);
    expect(bad.stderr()).toContain("INVALID_INPUT");
    const missing = spawnOsprey(["users", "set-role", "nobody", "admin"], { DATA_DIR: dataDir });
    expect(await missing.exited()).toBe(1);

    const { store, close } = await openStore(parseConfig({ DATA_DIR: dataDir }));
    try {
      expect((await store.users.findByUsername("promoted"))?.role).toBe("admin");
    } finally {
      await close();
    }
  });

  it("fails with exit code 1 and a clear message on a short password", async () => {
    const osprey = spawnOsprey(["users", "create", "someone"], { DATA_DIR: dataDir });
    osprey.child.stdin.end("short\n");
    expect(await osprey.exited()).toBe(1);
    expect(osprey.stderr()).toContain("INVALID_INPUT");
  });
});
