import { z } from "zod";
import { OspreyError } from "../../core/osprey-error.js";
import type { ApiDependencies, ZodApp } from "../api-types.js";

const CHECK_TIMEOUT_MS = 2_000;

async function check(probe: () => Promise<void>): Promise<"ok" | "down"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return "ok";
  } catch {
    return "down";
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
        summary: "Readiness: the database and the key-value store answer",
        response: { 200: z.object({ status: z.literal("ready"), checks: checksSchema }) },
      },
    },
    async () => {
      const probes = {
        database: () => deps.database.ping(),
        kv: () => deps.kv.ping(),
        ...deps.readinessProbes,
      };
      const entries = await Promise.all(
        Object.entries(probes).map(async ([name, probe]) => [name, await check(probe)] as const),
      );
      const checks = Object.fromEntries(entries);
      if (entries.some(([, state]) => state !== "ok")) {
        throw new OspreyError("NOT_READY", "Some dependencies are not ready.", { checks });
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
