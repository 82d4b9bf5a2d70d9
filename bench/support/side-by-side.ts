import { availableParallelism, loadavg } from "node:os";
import type { CheckoutLabel, CheckoutSandbox } from "./checkout-sandboxes.js";

/** One measured figure: its samples (one per round) for each checkout. */
export interface Figure {
  readonly name: string;
  readonly unit: string;
  readonly digits: number;
  readonly samples: Partial<Record<CheckoutLabel, number[]>>;
}

/** A figure to fill round by round. */
export function createFigure(name: string, unit: string, digits = 0) {
  const figure: Figure = { name, unit, digits, samples: {} };
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

/**
 * Prints a markdown table of each figure's median over the rounds, one column per checkout, and
 * after ÷ before when both ran.
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
    both ? "| figure (median of rounds) | before | after | after ÷ before |" : "| figure | value |",
  );
  out(both ? "|---|---:|---:|---:|" : "|---|---:|");
  for (const figure of figures) {
    const value = (label: CheckoutLabel) => getMedian(figure.samples[label] ?? []);
    const show = (n: number | undefined) =>
      n === undefined
        ? "—"
        : `${n.toLocaleString("en-US", { maximumFractionDigits: figure.digits, minimumFractionDigits: figure.digits })}${figure.unit}`;
    const before = value("before");
    const after = value("after");
    if (!both) {
      out(`| ${figure.name} | ${show(after)} |`);
      continue;
    }
    const ratio = before && after !== undefined ? (after / before).toFixed(2) : "—";
    out(`| ${figure.name} | ${show(before)} | ${show(after)} | ${ratio} |`);
  }
}
