import { describe } from "vitest";

/**
 * `describe(title, body)` when `skipReason` is null; otherwise the same suite skipped, with the
 * reason in its title. A skipped suite's body still runs at collection (its hooks and tests do
 * not), so each of its tests is reported as skipped instead of disappearing: an empty
 * `describe.skip` would register nothing and the run would not show what it left out.
 */
export function describeUnless(skipReason: string | null, title: string, body: () => void): void {
  if (skipReason === null) describe(title, body);
  else describe.skip(`${title} — skipped: ${skipReason}`, body);
}
