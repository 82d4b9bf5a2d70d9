import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { getProcessTreeCpuSeconds } from "./process-tree-cpu.js";
import { assertRunnable, type Sandbox, spawnSandbox } from "./spawn-serve.js";

export type CheckoutLabel = "before" | "after";

/** One checkout's `osprey sandbox`, reached only through its public protocols. */
export interface CheckoutSandbox {
  readonly label: CheckoutLabel;
  readonly root: string;
  readonly sandbox: Sandbox;
  /** CPU seconds the sandbox's processes have used so far. */
  cpuSeconds(): number;
}

export interface CheckoutOptions {
  /** The checkout measured as "after" (default: this one). */
  readonly root?: string | undefined;
  /** An older checkout (node_modules linked) measured as "before". */
  readonly before?: string | undefined;
  /** Added to `osprey sandbox --port 0 --json`; both checkouts must accept them. */
  readonly args?: readonly string[];
}

const HERE = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Starts `osprey sandbox` from each checkout (before first), runs `body` over them and stops them.
 * Both run side by side for the whole bench, so rounds can alternate between them and any drift
 * in the machine's load falls on both alike.
 */
export async function withCheckoutSandboxes<T>(
  options: CheckoutOptions,
  body: (checkouts: readonly CheckoutSandbox[]) => Promise<T>,
): Promise<T> {
  const roots: [CheckoutLabel, string][] = [
    ...(options.before ? [["before", resolve(options.before)] as [CheckoutLabel, string]] : []),
    ["after", resolve(options.root ?? HERE)],
  ];
  for (const [, root] of roots) assertRunnable(root);
  const stops: (() => Promise<void>)[] = [];
  try {
    const checkouts: CheckoutSandbox[] = [];
    for (const [label, root] of roots) {
      process.stderr.write(`starting the sandbox of ${root} (${label})\n`);
      const { sandbox, pid, stop } = await spawnSandbox(root, options.args ?? []);
      stops.push(stop);
      checkouts.push({ label, root, sandbox, cpuSeconds: () => getProcessTreeCpuSeconds(pid) });
    }
    return await body(checkouts);
  } finally {
    for (const stop of stops) await stop();
  }
}

/** The checkouts in round `round`'s order: alternating, so neither always goes first. */
export function inTurn(checkouts: readonly CheckoutSandbox[], round: number): CheckoutSandbox[] {
  return round % 2 === 0 ? [...checkouts] : [...checkouts].reverse();
}
