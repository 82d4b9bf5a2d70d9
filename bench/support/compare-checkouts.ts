import { loadavg } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { assertRunnable, type Sandbox, spawnSandbox } from "./spawn-serve.js";

/** One measured request: `subject` groups the rows (a fault, a finding), `result` is the cell. */
export interface Row {
  readonly subject: string;
  readonly request: string;
  readonly result: string;
}

export interface CompareOptions {
  /** The bench's name, in the first line printed. */
  readonly name: string;
  /** The first column's heading: what `subject` is. */
  readonly subject: string;
  /** The checkout measured as "after" (or alone). */
  readonly root: string;
  /** The checkout measured first, as "before". */
  readonly before?: string | undefined;
  /** Every row for the server of one checkout; the same rows, by subject and request, for each. */
  readonly measure: (root: string, sandbox: Sandbox) => Promise<Row[]>;
}

const HERE = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Measures each checkout in turn against one sandbox (run from this checkout) and prints a
 * markdown table, before and after side by side.
 */
export async function compareCheckouts(options: CompareOptions): Promise<void> {
  const root = resolve(options.root);
  const before = options.before === undefined ? undefined : resolve(options.before);
  for (const checkout of [before, root]) if (checkout) assertRunnable(checkout);

  const { sandbox, stop } = await spawnSandbox(HERE);
  try {
    const measure = (checkout: string) => {
      process.stderr.write(`measuring ${checkout}\n`);
      return options.measure(checkout, sandbox);
    };
    const beforeRows = before ? await measure(before) : undefined;
    const afterRows = await measure(root);
    printTable(options, beforeRows, afterRows, before, root);
  } finally {
    await stop();
  }
}

function printTable(
  options: CompareOptions,
  before: readonly Row[] | undefined,
  after: readonly Row[],
  beforeRoot: string | undefined,
  root: string,
): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(
    `${options.name} bench, ${new Date().toISOString()}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  if (before) out(`before: ${beforeRoot}\nafter:  ${root}`);
  out("");
  out(
    before
      ? `| ${options.subject} | request | before | after |`
      : `| ${options.subject} | request | answer |`,
  );
  out(before ? "|---|---|---|---|" : "|---|---|---|");
  // Every (subject, request) either run measured, in the order they ran: a server that started in
  // one checkout and refused to in the other has rows in one column only.
  const key = (row: Row) => `${row.subject}\u0000${row.request}`;
  const subjects = [...new Set([...after, ...(before ?? [])].map((row) => row.subject))];
  for (const subject of subjects) {
    const requests = [
      ...new Set([...(before ?? []), ...after].filter((r) => r.subject === subject).map(key)),
    ];
    requests.forEach((request, i) => {
      const find = (rows: readonly Row[] | undefined) => rows?.find((r) => key(r) === request);
      const label = (find(after) ?? find(before))?.request.trim() ?? "";
      const cells = before
        ? [find(before)?.result ?? "—", find(after)?.result ?? "—"]
        : [find(after)?.result ?? "—"];
      out(`| ${i === 0 ? subject : ""} | ${label} | ${cells.join(" | ")} |`);
    });
  }
}
