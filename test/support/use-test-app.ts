import { afterAll, beforeAll } from "vitest";
import type { AppOptions } from "../../src/app.js";
import { createHttpClient } from "./http-client.js";
import { startTestApp } from "./test-app.js";

/**
 * A test app for the enclosing describe block (started before its tests, closed after them) and a
 * JSON client of it. Read `server` and `http` inside tests and hooks, not at collection time.
 */
export function useTestApp(env: Record<string, string> = {}, options: AppOptions = {}) {
  let server: Awaited<ReturnType<typeof startTestApp>> | undefined;
  let http: ReturnType<typeof createHttpClient> | undefined;
  beforeAll(async () => {
    server = await startTestApp(env, options);
    http = createHttpClient(server.url);
  });
  afterAll(() => server?.close());
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the test app is started in beforeAll");
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get http() {
      return started(http);
    },
  };
}
