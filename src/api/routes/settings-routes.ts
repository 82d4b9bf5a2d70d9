import { z } from "zod";
import {
  type UserSettingsService,
  userSettingsInputSchema,
  userSettingsSchema,
} from "../../accounts/user-settings.js";
import type { RouteModule } from "../api-types.js";
import { getPrincipal } from "../auth-guard.js";
import type { RequireAccess } from "../route-access.js";

export interface SettingsRoutesOptions {
  readonly settings: UserSettingsService;
  readonly requireAccess: RequireAccess;
}

const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/**
 * GET and PUT /v1/settings: the caller's buy and sell presets and the defaults of their orders
 * (slippage, priority level and cap, MEV protection, tip), which POST /v1/orders may override.
 */
export function createSettingsRoutes(options: SettingsRoutesOptions): RouteModule {
  const { settings, requireAccess } = options;
  const limits = { bucket: "settings", perUser: { limit: 120, windowMs: 60_000 } };
  return (app) => {
    app.get(
      "/v1/settings",
      {
        onRequest: requireAccess("read", limits),
        schema: {
          tags: ["accounts"],
          summary:
            "Your settings: buy presets (lamports), sell presets (%), and your orders' defaults (slippage, priority, MEV protection, tip)",
          description:
            'Defaults until you save your own: buyPresetsLamports ["100000000","500000000","1000000000"], sellPresetsPercent [25,50,100], slippageBps 100, priorityLevel "medium", maxPriorityFeeLamports "5000000", mevProtection false, tipLamports null (chosen by Osprey). An order takes these unless its body overrides them.',
          response: { 200: userSettingsSchema },
        },
      },
      async (request) => settings.get(getPrincipal(request).userId),
    );

    app.put(
      "/v1/settings",
      {
        onRequest: requireAccess("trade", limits),
        // The service validates, so a bad document is INVALID_SETTINGS with every problem named.
        attachValidation: true,
        schema: {
          tags: ["accounts"],
          summary: "Replace your settings (the whole document)",
          description:
            'buyPresetsLamports: 1 to 6 strings of whole lamports above 0; sellPresetsPercent: 1 to 6 whole numbers from 1 to 100; slippageBps: 1 to 5000; priorityLevel: "none" (no priority fee), "low", "medium", "high" or "veryHigh" (the 25th, 50th, 75th or 95th percentile of recent priority fees on the route\'s pools); maxPriorityFeeLamports: the most one transaction\'s priority fee may be, a string of whole lamports from 1 to 1000000000; mevProtection: true sends orders only to private routes (block engines, senders) with a tip (a protected order needs GET /v1/meta\'s mevProtection, else 422 MEV_PROTECTION_UNAVAILABLE); tipLamports: that tip, a string of whole lamports from 1000 to 1000000000, or null for Osprey\'s choice (JITO_TIP_LAMPORTS or the recent tip floor). priorityLevel, maxPriorityFeeLamports, mevProtection and tipLamports may be left out (then their defaults: "medium", "5000000", false, null); anything else missing or wrong is 400 INVALID_SETTINGS naming each problem (details.problems: [{field, reason}]) and nothing is saved.',
          body: userSettingsInputSchema,
          response: { 200: userSettingsSchema, 400: errorSchema },
        },
      },
      async (request) => settings.replace(getPrincipal(request).userId, request.body),
    );
  };
}
