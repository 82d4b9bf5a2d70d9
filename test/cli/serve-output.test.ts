import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnOsprey } from "../support/spawn-osprey.js";

describe("npm start (osprey serve without --json)", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "osprey-serve-out-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("says the web terminal's URL first, then the demo tokens' mints; one quiet line per request", async () => {
    const osprey = spawnOsprey(["serve", "--port", "0"], { DATA_DIR: dataDir, LOG_LEVEL: "info" });
    try {
      for (let i = 0; i < 600 && !osprey.stderr().includes("Ctrl-C stops"); i++) {
        expect(osprey.child.exitCode, osprey.stderr()).toBeNull();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const ready = JSON.parse(readFileSync(join(dataDir, "ready.json"), "utf8")) as {
        api: string;
        web: string;
        admin: string;
        mints: Record<string, string>;
        risky: Record<string, string>;
      };
      const startup = osprey.stderr();
      // The terminal's URL is the first thing it says (README: "npm start prints its URL first").
      expect(startup.split("\n")[0]).toBe(`Osprey web terminal: ${ready.api}/`);
      expect(ready.web).toBe(`${ready.api}/`);
      const afterUrl = startup.slice(startup.indexOf(`Osprey is listening on ${ready.api}`));
      expect(afterUrl).toContain(`faucet: POST ${ready.admin}/airdrop`);
      for (const [symbol, mint] of Object.entries({ ...ready.mints, ...ready.risky }))
        expect(afterUrl).toMatch(new RegExp(`\\n${symbol} +${mint} `));

      // Health probes are quiet at info; an API request is one line.
      expect((await fetch(`${ready.api}/healthz`)).status).toBe(200);
      expect((await fetch(`${ready.api}/v1/nowhere?q=1`)).status).toBe(404);
      for (let i = 0; i < 50 && !osprey.stderr().includes("/v1/nowhere"); i++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      const requestLines = osprey
        .stderr()
        .slice(startup.length)
        .split("\n")
        .filter((line) => line.includes('"reqId"'));
      expect(requestLines).toHaveLength(1);
      expect(requestLines[0]).toContain('"msg":"GET /v1/nowhere 404 ');
    } finally {
      osprey.child.kill("SIGTERM");
      await osprey.exited();
    }
  }, 120_000);
});
