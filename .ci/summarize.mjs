// Reads vitest JSON reports and prints one "label: N passed, N failed, N skipped" line per report,
// then the total as a plain "N passed, N failed[, N skipped]" line; exits 1 when anything failed,
// a report is missing, or a run passed no test at all.
// Usage: node .ci/summarize.mjs LABEL=REPORT.json [LABEL=REPORT.json …]
import { existsSync, readFileSync } from "node:fs";

/** Counts of one report; null when it is missing or unreadable (the run died before writing it). */
export function countReport(path) {
  if (!existsSync(path)) return null;
  let report;
  try {
    report = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return null;
  }
  // A file that failed to load counts as a failure even when it held no test.
  const brokenFiles = report.testResults.filter(
    (file) => file.status === "failed" && file.assertionResults.length === 0,
  ).length;
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenFiles,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

export function formatCounts({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`;
}

function main(args) {
  const total = { passed: 0, failed: 0, skipped: 0 };
  let ok = args.length > 0;
  for (const arg of args) {
    const split = arg.indexOf("=");
    const [label, path] = [arg.slice(0, split), arg.slice(split + 1)];
    const counts = countReport(path);
    if (!counts) {
      console.log(`${label}: no test report was written (the run did not finish)`);
      total.failed += 1;
      ok = false;
      continue;
    }
    console.log(`${label}: ${formatCounts(counts)}`);
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
    if (counts.failed > 0 || counts.passed === 0) ok = false;
  }
  console.log(formatCounts(total));
  return ok ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main(process.argv.slice(2)));
