/**
 * Runs a staged suite with vitest's JSON reporter and reads back, per test file, what passed,
 * failed and was skipped (a test the suite skips in live mode is not counted).
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { NOT_APPLICABLE, type StagedSuite } from "./conformance-stage.js";

export interface TestFailure {
  readonly file: string;
  readonly name: string;
  readonly message: string;
  /** Why the failure says nothing about the sandbox (then it is not counted as failed). */
  readonly notApplicable?: string;
}

export interface FileResult {
  readonly file: string;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly notApplicable: number;
  /** Set when the file itself failed (import or hook error) rather than a test in it. */
  readonly fileError?: string;
}

export interface SuiteResult {
  readonly suite: StagedSuite["name"];
  readonly files: readonly FileResult[];
  readonly failures: readonly TestFailure[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly notApplicable: number;
  readonly seconds: number;
}

/** The jest-compatible shape of vitest's JSON reporter (the fields read here). */
interface JsonReport {
  testResults: {
    name: string;
    status: string;
    message: string;
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
  }[];
}

const run = promisify(execFile);

function firstLine(text: string): string {
  return (text.split("\n").find((line) => line.trim() !== "") ?? "").trim().slice(0, 300);
}

export async function runStagedSuite(
  suite: StagedSuite,
  repoDir: string,
  filter?: RegExp,
): Promise<SuiteResult> {
  const output = join(suite.root, "results.json");
  const files = filter ? suite.testFiles.filter((file) => filter.test(file)) : suite.testFiles;
  const vitest = join(repoDir, "node_modules", ".bin", "vitest");
  const args = ["run", "--config", suite.configPath, "--reporter=json", `--outputFile=${output}`];
  const started = performance.now();
  // vitest exits non-zero when a test fails; the report file is what counts.
  await run(vitest, [...args, ...files], {
    cwd: suite.root,
    env: { ...process.env, TEST_LIVE: "1", NODE_ENV: "test" },
    maxBuffer: 256 * 1024 * 1024,
  }).catch(() => undefined);
  const report = JSON.parse(await readFile(output, "utf8")) as JsonReport;
  const results: FileResult[] = [];
  const failures: TestFailure[] = [];
  for (const entry of report.testResults) {
    const file = relative(suite.root, entry.name);
    const count = (status: string) =>
      entry.assertionResults.filter((t) => t.status === status).length;
    const failing: TestFailure[] = entry.assertionResults
      .filter((test) => test.status === "failed")
      .map((test) => {
        const message = firstLine(test.failureMessages.join("\n"));
        const reason = NOT_APPLICABLE.find(
          (rule) => rule.match.test(message) || rule.match.test(test.fullName),
        )?.reason;
        return { file, name: test.fullName, message, ...(reason ? { notApplicable: reason } : {}) };
      });
    failures.push(...failing);
    const notApplicable = failing.filter((failure) => failure.notApplicable).length;
    results.push({
      file,
      passed: count("passed"),
      failed: failing.length - notApplicable,
      skipped: count("skipped") + count("pending") + count("todo"),
      notApplicable,
      // A file that failed with no failing test failed to load or in a hook.
      ...(entry.status === "failed" && failing.length === 0
        ? { fileError: firstLine(entry.message) }
        : {}),
    });
  }
  results.sort((a, b) => a.file.localeCompare(b.file));
  const sum = (key: "passed" | "failed" | "skipped" | "notApplicable") =>
    results.reduce((n, r) => n + r[key], 0);
  return {
    suite: suite.name,
    files: results,
    failures,
    passed: sum("passed"),
    failed: sum("failed"),
    skipped: sum("skipped"),
    notApplicable: sum("notApplicable"),
    seconds: (performance.now() - started) / 1000,
  };
}
