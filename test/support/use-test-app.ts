import { afterAll, beforeAll } from "vitest";
import type { AppOptions } from "../../src/app.js";
import { createHttpClient } from "./http-client.js";
import { startTestApp } from "./test-app.js";

/**
 * A test app for the enclosing describe block (started before its tests, closed after them) and a
 * JSON client of it; read `server` and `http` inside tests and hooks.
 */
export function useTestApp(env: Record<string, string> = {}, options: AppOptions = {}) {
  const app = {} as {
    server: Awaited<ReturnType<typeof startTestApp>>;
    http: ReturnType<typeof createHttpClient>;
  };
  beforeAll(async () => {
    app.server = await startTestApp(env, options);
    app.http = createHttpClient(app.server.url);
  });
  afterAll(() => app.server?.close());
  return app;
}
