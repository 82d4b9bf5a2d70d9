import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const VITEST = join(ROOT, "node_modules/vitest/vitest.mjs");
const CONFIG = join(ROOT, "test/fixtures/skipped-suites/vitest.config.ts");
const SUMMARIZE = join(ROOT, ".ci/summarize.mjs");

interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults: { assertionResults: { fullName: string; status: string }[] }[];
}

/** This process's environment without the service URLs or anything of the vitest running us. */
function childEnv(services: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(VITEST|TEST_POSTGRES_URL$|TEST_REDIS_URL$|NODE_OPTIONS$)/.test(key),
    ),
  );
  return { ...env, ...services };
}

describe("suites that need PostgreSQL or Redis", () => {
  const dir = mkdtempSync(join(tmpdir(), "osprey-skips-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the fixture in a child vitest and returns its JSON report's path and content. */
  async function runFixture(name: string, services: Record<string, string>) {
    const output = join(dir, `${name}.json`);
    await run(
      process.execPath,
      [VITEST, "run", "--config", CONFIG, "--reporter=json", `--outputFile.json=${output}`],
      { cwd: ROOT, env: childEnv(services), timeout: 60_000 },
    );
    const report = JSON.parse(readFileSync(output, "utf8")) as JsonReport;
    const tests = report.testResults.flatMap((file) => file.assertionResults);
    return { output, report, tests };
  }

  it("without TEST_POSTGRES_URL and TEST_REDIS_URL report every test they hold as skipped, saying why", async () => {
    const { output, report, tests } = await runFixture("unset", {});
    const skipped = tests.filter((test) => test.status !== "passed");
    expect(skipped.map((test) => test.fullName).sort()).toEqual([
      "fixture app [postgres] — skipped: set TEST_POSTGRES_URL to run against PostgreSQL knows its kind",
      "fixture harness on redis — skipped: set TEST_REDIS_URL to run against Redis has a name",
      "fixture kv [redis] — skipped: set TEST_REDIS_URL to run against Redis sees its store",
      "fixture repository [postgres] — skipped: set TEST_POSTGRES_URL to run against PostgreSQL can open it",
      "fixture repository [postgres] — skipped: set TEST_POSTGRES_URL to run against PostgreSQL sees its database",
    ]);
    expect(skipped.every((test) => test.status === "skipped")).toBe(true);
    expect(report).toMatchObject({ numPassedTests: 5, numFailedTests: 0, numPendingTests: 5 });

    // CI's summary counts them too, on its per-run line and on the closing total.
    const { stdout } = await run(process.execPath, [SUMMARIZE, `node=${output}`]);
    expect(stdout).toBe("node: 5 passed, 0 failed, 5 skipped\n5 passed, 0 failed, 5 skipped\n");
  });

  it("with both URLs set run the same tests, none skipped", async () => {
    // The fixture's tests open nothing, so any URL will do: this checks what gets declared.
    const { report, tests } = await runFixture("set", {
      TEST_POSTGRES_URL: "postgres://postgres@127.0.0.1:5432/test",
      TEST_REDIS_URL: "redis://127.0.0.1:6379",
    });
    expect(tests.map((test) => test.fullName)).toContain(
      "fixture repository [postgres] sees its database",
    );
    expect(report).toMatchObject({ numPassedTests: 10, numFailedTests: 0, numPendingTests: 0 });
  });

  it("the summary fails a run whose report is missing, and says so", async () => {
    const error = await run(process.execPath, [SUMMARIZE, `node=${join(dir, "none.json")}`]).catch(
      (failure: { code: number; stdout: string }) => failure,
    );
    expect(error).toMatchObject({
      code: 1,
      stdout: "node: no test report was written (the run did not finish)\n0 passed, 1 failed\n",
    });
  });
});
