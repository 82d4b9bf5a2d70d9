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

  it("fails with exit code 1 and a clear message on a short password", async () => {
    const osprey = spawnOsprey(["users", "create", "someone"], { DATA_DIR: dataDir });
    osprey.child.stdin.end("short\n");
    expect(await osprey.exited()).toBe(1);
    expect(osprey.stderr()).toContain("INVALID_INPUT");
  });
});
