import { z } from "zod";
import { isOspreyError, OspreyError } from "../../core/osprey-error.js";
import type { ApiDependencies, ZodApp } from "../api-types.js";

const CHECK_TIMEOUT_MS = 2_000;

type CheckResult = { readonly state: "ok" } | { readonly state: "down"; readonly reason: string };

/** One probe, bounded in time; a failure says why by code only (messages may name hosts). */
async function check(probe: () => Promise<void>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), CHECK_TIMEOUT_MS);
  });
  try {
    const outcome = await Promise.race([probe(), timeout]);
    if (outcome === "timeout")
      return { state: "down", reason: `no answer within ${CHECK_TIMEOUT_MS} ms` };
    return { state: "ok" };
  } catch (error) {
    return { state: "down", reason: isOspreyError(error) ? error.code : "failed" };
  } finally {
    clearTimeout(timer);
  }
}

const checksSchema = z.record(z.string(), z.enum(["ok", "down"]));

/** Liveness says the process answers; readiness says its database and kv answer too. */
export function registerHealthRoutes(app: ZodApp, deps: ApiDependencies): void {
  app.get(
    "/healthz",
    {
      schema: {
        tags: ["health"],
        summary: "Liveness",
        response: { 200: z.object({ status: z.literal("ok") }) },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/readyz",
    {
      schema: {
        tags: ["health"],
        summary: "Readiness: the database accepts a write and the key-value store answers",
        response: { 200: z.object({ status: z.literal("ready"), checks: checksSchema }) },
      },
    },
    async () => {
      const probes = {
        database: () => deps.database.probeWrite(),
        kv: () => deps.kv.ping(),
        ...deps.readinessProbes,
      };
      const results = await Promise.all(
        Object.entries(probes).map(async ([name, probe]) => [name, await check(probe)] as const),
      );
      const checks = Object.fromEntries(results.map(([name, result]) => [name, result.state]));
      const reasons = Object.fromEntries(
        results.flatMap(([name, result]) =>
          result.state === "down" ? [[name, result.reason]] : [],
        ),
      );
      if (Object.keys(reasons).length > 0) {
        throw new OspreyError("NOT_READY", "Some dependencies are not ready.", { checks, reasons });
      }
      return { status: "ready" as const, checks };
    },
  );

  app.get(
    "/metrics",
    { schema: { tags: ["health"], summary: "Prometheus metrics", hide: false } },
    async (_, reply) => {
      reply.header("content-type", deps.registry.contentType);
      return deps.registry.metrics();
    },
  );
}
