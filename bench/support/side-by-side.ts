import { availableParallelism, loadavg } from "node:os";
import type { CheckoutLabel, CheckoutSandbox } from "./checkout-sandboxes.js";

/** One measured figure: its samples (one per round) for each checkout. */
export interface Figure {
  readonly name: string;
  readonly unit: string;
  readonly digits: number;
  /** Latencies are best when lowest; rates when highest. */
  readonly better: "higher" | "lower";
  readonly samples: Partial<Record<CheckoutLabel, number[]>>;
}

/** A figure to fill round by round; one in milliseconds is a latency (lower is better). */
export function createFigure(name: string, unit: string, digits = 0) {
  const better = unit.trim() === "ms" ? "lower" : "higher";
  const figure: Figure = { name, unit, digits, better, samples: {} };
  const add = (label: CheckoutLabel, value: number) => {
    figure.samples[label] = [...(figure.samples[label] ?? []), value];
  };
  return { figure, add };
}

export function getMedian(values: readonly number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The least disturbed round: on a shared machine, others' load only ever slows a round down. */
function getBest(figure: Figure, values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  return figure.better === "higher" ? Math.max(...values) : Math.min(...values);
}

/**
 * Prints a markdown table of each figure's median and best over the rounds, one column per
 * checkout, and after ÷ before of each when both ran.
 */
export function printSideBySide(
  title: string,
  checkouts: readonly CheckoutSandbox[],
  figures: readonly Figure[],
): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  out(
    `${title}, ${new Date().toISOString()}, load average ${load} on ${availableParallelism()} cores`,
  );
  for (const checkout of checkouts) out(`${checkout.label}: ${checkout.root}`);
  out("");
  const both = checkouts.length > 1;
  out(
    both
      ? "| figure | before, median | after, median | after ÷ before | before, best | after, best | after ÷ before |"
      : "| figure | median | best |",
  );
  out(both ? "|---|---:|---:|---:|---:|---:|---:|" : "|---|---:|---:|");
  for (const figure of figures) {
    const show = (n: number | undefined) =>
      n === undefined
        ? "—"
        : `${n.toLocaleString("en-US", { maximumFractionDigits: figure.digits, minimumFractionDigits: figure.digits })}${figure.unit}`;
    const ratio = (before: number | undefined, after: number | undefined) =>
      before && after !== undefined ? (after / before).toFixed(2) : "—";
    const samples = (label: CheckoutLabel) => figure.samples[label] ?? [];
    const median = (label: CheckoutLabel) => getMedian(samples(label));
    const best = (label: CheckoutLabel) => getBest(figure, samples(label));
    const cells = both
      ? [
          show(median("before")),
          show(median("after")),
          ratio(median("before"), median("after")),
          show(best("before")),
          show(best("after")),
          ratio(best("before"), best("after")),
        ]
      : [show(median("after")), show(best("after"))];
    out(`| ${figure.name} | ${cells.join(" | ")} |`);
  }
}
