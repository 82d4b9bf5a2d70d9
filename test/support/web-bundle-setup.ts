import { ensureWebBundle } from "../../src/web/build-web.js";

/**
 * vitest globalSetup: the terminal's bundle, built once before any test file runs (a no-op when
 * dist/web matches the sources), so servers under test serve the current page.
 */
export default async function setup(): Promise<void> {
  const result = await ensureWebBundle();
  for (const warning of result.warnings) process.stderr.write(`web build: ${warning}\n`);
}
