import { z } from "zod";
import { type UserSettingsService, userSettingsSchema } from "../../accounts/user-settings.js";
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

/** GET and PUT /v1/settings: the caller's buy and sell presets and default slippage. */
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
          summary: "Your terminal settings: buy presets (lamports), sell presets (%), slippage",
          description:
            'Defaults until you save your own: buyPresetsLamports ["100000000","500000000","1000000000"], sellPresetsPercent [25,50,100], slippageBps 100.',
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
          summary: "Replace your terminal settings (the whole document)",
          description:
            "buyPresetsLamports: 1 to 6 strings of whole lamports above 0; sellPresetsPercent: 1 to 6 whole numbers from 1 to 100; slippageBps: 1 to 5000. Anything else is 400 INVALID_SETTINGS and nothing is saved.",
          body: userSettingsSchema,
          response: { 200: userSettingsSchema, 400: errorSchema },
        },
      },
      async (request) => settings.replace(getPrincipal(request).userId, request.body),
    );
  };
}
