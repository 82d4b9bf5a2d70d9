import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ARGON2_FLOOR_ENV } from "../support/argon2-floor.js";
import { spawnOsprey } from "../support/spawn-osprey.js";

const KEY_ARRAY = JSON.stringify([
  ...Array.from({ length: 32 }, (_, i) => i + 1),
  // Public key of the seed 1..32 (ed25519).
  ...Buffer.from("79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664", "hex"),
]);

describe("osprey wallets", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "osprey-wallets-"));
  const env = {
    DATA_DIR: dataDir,
    ...ARGON2_FLOOR_ENV,
  };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function run(args: string[], stdin: string) {
    const osprey = spawnOsprey(args, env);
    osprey.child.stdin.end(stdin);
    const code = await osprey.exited();
    const output = await osprey.ready.catch(() => null);
    return { code, output, stderr: osprey.stderr() };
  }

  it("creates a user, imports a solana-keygen key, lists it and exports the same key", {
    timeout: 180_000,
  }, async () => {
    expect((await run(["users", "create", "cli-user"], "user password\n")).code).toBe(0);
    const imported = await run(
      ["wallets", "import", "--user", "cli-user", "--json"],
      `wallet password\n${KEY_ARRAY}\n`,
    );
    expect(imported.code).toBe(0);
    const { id, publicKey } = imported.output as { id: string; publicKey: string };
    expect(publicKey).toMatch(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/);

    const created = await run(
      ["wallets", "create", "--user", "cli-user", "--json"],
      "second password\n",
    );
    expect(created.code).toBe(0);
    const weak = await run(["wallets", "create", "--user", "cli-user", "--json"], "password1\n");
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain("WEAK_PASSWORD");
    const listed = await run(["wallets", "list", "--user", "cli-user", "--json"], "");
    expect(listed.output).toHaveLength(2);

    const exported = await run(
      ["wallets", "export", id, "--user", "cli-user", "--json"],
      "wallet password\n",
    );
    expect(exported.code).toBe(0);
    const { secretKey } = exported.output as { secretKey: string };
    const { getBase58Encoder } = await import("@solana/kit");
    expect(JSON.stringify([...getBase58Encoder().encode(secretKey)])).toBe(KEY_ARRAY);

    const wrong = await run(["wallets", "export", id, "--user", "cli-user"], "not the password\n");
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("WALLET_DECRYPT_FAILED");
  });
});
