import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites that need PostgreSQL/Redis share one server each: keep files from trampling each other.
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ["default"],
    // The web terminal's bundle (dist/web), built when stale, before the servers under test start.
    globalSetup: ["test/support/web-bundle-setup.ts"],
  },
});
