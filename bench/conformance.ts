/**
 * Conformance: two official Solana clients' own test suites, run against a listening sandbox as
 * they run against a local solana-test-validator (RPC 8899, PubSub 8900, their account fixtures).
 *
 *   npx tsx bench/conformance.ts --kit ../kit --web3js ../solana-web3.js [--json out.json]
 *     [--list-failures] [--filter REGEX] [--kit-packages rpc-api,sysvars] [--web3js-all]
 *
 * --kit: an extracted anza-xyz/kit checkout; --web3js: solana-labs/solana-web3.js at
 * maintenance/v1.x. Neither is vendored: see docs/SANDBOX-CONFORMANCE.md for how to get them.
 */
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runStagedSuite, type SuiteResult } from "./support/conformance-results.js";
import { startConformanceSandbox } from "./support/conformance-sandbox.js";
import { type StagedSuite, stageKitSuite, stageWeb3jsSuite } from "./support/conformance-stage.js";

const { values } = parseArgs({
  options: {
    kit: { type: "string" },
    web3js: { type: "string" },
    "kit-packages": { type: "string", default: "rpc-api" },
    "web3js-all": { type: "boolean", default: false },
    filter: { type: "string" },
    port: { type: "string", default: "8899" },
    work: { type: "string", default: join(tmpdir(), "osprey-conformance") },
    json: { type: "string" },
    "list-failures": { type: "boolean", default: false },
  },
});

const repoDir = resolve(import.meta.dirname, "..");
const log = (line: string) => process.stderr.write(`${line}\n`);

function percent(passed: number, failed: number): string {
  return passed + failed === 0 ? "-" : `${((100 * passed) / (passed + failed)).toFixed(1)}%`;
}

function printSuite(result: SuiteResult) {
  const lines = [`\n${result.suite}: ${result.files.length} files, ${result.seconds.toFixed(0)} s`];
  for (const file of result.files) {
    const mark = file.failed > 0 || file.fileError ? "FAIL" : "pass";
    const counts = `${file.passed}/${file.passed + file.failed}`.padStart(7);
    const skipped = file.skipped ? ` (${file.skipped} skipped)` : "";
    const notApplicable = file.notApplicable ? ` (${file.notApplicable} n/a)` : "";
    const error = file.fileError ? `  file error: ${file.fileError}` : "";
    lines.push(`  ${mark} ${counts}  ${file.file}${skipped}${notApplicable}${error}`);
  }
  lines.push(
    `  total: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped, ` +
      `${result.notApplicable} not applicable: ` +
      `${percent(result.passed, result.failed)}`,
  );
  if (values["list-failures"]) {
    for (const failure of result.failures) {
      const tag = failure.notApplicable ? `n/a (${failure.notApplicable})` : "FAIL";
      lines.push(`  ${tag} ${failure.file} › ${failure.name}\n      ${failure.message}`);
    }
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

async function runSuite(suite: StagedSuite): Promise<SuiteResult> {
  const sandbox = await startConformanceSandbox({
    repoDir,
    port: Number(values.port),
    fixtureDirs: suite.fixtureDirs,
    ...(suite.ledgerDir ? { ledgerDir: suite.ledgerDir } : {}),
    log,
  });
  try {
    log(
      `running ${suite.name}: ${suite.testFiles.length} files (fixtures via ${sandbox.fixtureLoading}` +
        `${suite.ledgerDir ? `, test-ledger written by: ${sandbox.ledger}` : ""})`,
    );
    return await runStagedSuite(
      suite,
      repoDir,
      values.filter ? new RegExp(values.filter) : undefined,
    );
  } finally {
    await sandbox.close();
  }
}

async function main() {
  if (!values.kit && !values.web3js) {
    throw new Error("give --kit DIR and/or --web3js DIR (see docs/SANDBOX-CONFORMANCE.md)");
  }
  const work = resolve(values.work);
  const results: SuiteResult[] = [];
  if (values.kit) {
    const packages = values["kit-packages"].split(",").filter(Boolean);
    results.push(await runSuite(await stageKitSuite(resolve(values.kit), work, repoDir, packages)));
    printSuite(results.at(-1) as SuiteResult);
  }
  if (values.web3js) {
    const all = values["web3js-all"];
    results.push(
      await runSuite(await stageWeb3jsSuite(resolve(values.web3js), work, repoDir, all)),
    );
    printSuite(results.at(-1) as SuiteResult);
  }
  process.stdout.write("\nsummary\n");
  for (const r of results) {
    process.stdout.write(
      `  ${r.suite.padEnd(7)} ${percent(r.passed, r.failed).padStart(6)}  (${r.passed}/${r.passed + r.failed})\n`,
    );
  }
  if (values.json) await writeFile(values.json, `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
