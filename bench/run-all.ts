import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

// Runs every benchmark in this folder (or those named on the command line), one after another.
const dir = fileURLToPath(new URL(".", import.meta.url));
const wanted = process.argv.slice(2);
const scripts = readdirSync(dir)
  .filter((name) => name.endsWith(".ts") && name !== "run-all.ts" && !name.startsWith("_"))
  .filter((name) => wanted.length === 0 || wanted.some((w) => name.startsWith(w)))
  .sort();

let failed = 0;
for (const script of scripts) {
  process.stdout.write(`\n### ${script}\n`);
  const result = spawnSync(process.execPath, ["--import", "tsx", `${dir}${script}`], {
    stdio: "inherit",
  });
  if (result.status !== 0) failed += 1;
}
if (scripts.length === 0) process.stdout.write("no benchmarks matched\n");
process.exit(failed > 0 ? 1 : 0);
