import { z } from "zod";
import { CHECK_IDS, type TokenAnalyzer, toSafetyReportJson } from "../../safety/index.js";
import type { RouteModule } from "../api-types.js";
import { PUBLIC_ACCESS, type RequireAccess } from "../route-access.js";

export interface SafetyRoutesOptions {
  readonly analyzer: Pick<TokenAnalyzer, "analyzeToken">;
  /** Require a user (any credential may read) when given; public otherwise. */
  readonly requireAccess?: RequireAccess;
}

const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const safetyReportSchema = z.object({
  mint: z.string(),
  program: z.enum(["spl-token", "token-2022"]),
  name: z.string().nullable(),
  symbol: z.string().nullable(),
  decimals: z.number().int(),
  supply: z.string().describe("Total supply in base units"),
  verdict: z.enum(["ok", "warn", "block"]),
  score: z.number().int().min(0).max(100).describe("Risk: 0 none found … 100 certain loss"),
  slot: z.number().int(),
  analyzedAt: z.string(),
  checks: z.array(
    z.object({
      id: z.enum(CHECK_IDS),
      severity: z.enum(["info", "low", "medium", "high", "critical"]),
      status: z.enum(["pass", "warn", "fail", "unknown"]),
      detail: z.string(),
    }),
  ),
});

/** GET /v1/tokens/:mint/safety — the token safety report (CONTRACTS.md "Safety report"). */
export function createSafetyRoutes(options: SafetyRoutesOptions): RouteModule {
  const { analyzer, requireAccess } = options;
  return (app) => {
    app.get(
      "/v1/tokens/:mint/safety",
      {
        onRequest: requireAccess?.("read") ?? PUBLIC_ACCESS,
        schema: {
          tags: ["tokens"],
          summary: "Honeypot and rug checks for a token mint",
          params: z.object({ mint: z.string().max(100) }),
          querystring: z.object({
            fresh: z
              .enum(["true", "false"])
              .optional()
              .describe("true: skip the short cache and re-read the chain"),
          }),
          response: {
            200: safetyReportSchema,
            400: errorSchema,
            401: errorSchema,
            404: errorSchema,
            503: errorSchema,
          },
        },
      },
      async (request) => {
        const report = await analyzer.analyzeToken(request.params.mint, {
          fresh: request.query.fresh === "true",
        });
        return toSafetyReportJson(report);
      },
    );
  };
}
