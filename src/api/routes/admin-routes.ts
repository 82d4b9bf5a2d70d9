import { z } from "zod";
import { OspreyError } from "../../core/osprey-error.js";
import type { createOperatorOverview } from "../../operator/get-operator-overview.js";
import type { RouteModule } from "../api-types.js";
import { getPrincipal } from "../auth-guard.js";
import { queryInteger } from "../query-integer.js";
import type { RequireAccess } from "../route-access.js";

export interface AdminRoutesOptions {
  readonly getOverview: ReturnType<typeof createOperatorOverview>;
  readonly requireAccess: RequireAccess;
}

/** GET /v1/admin/overview: the operator view, for users with the admin role only. */
export function createAdminRoutes(options: AdminRoutesOptions): RouteModule {
  const { getOverview, requireAccess } = options;
  return (app) => {
    app.get(
      "/v1/admin/overview",
      {
        onRequest: requireAccess("read", {
          bucket: "admin",
          perUser: { limit: 60, windowMs: 60_000 },
        }),
        schema: {
          tags: ["admin"],
          summary:
            "Operator view: users, orders by status, daily volume and commission, RPC health, recent failures",
          description:
            "Only for users with the admin role (`osprey users create --admin`, or `osprey users set-role`); anyone else gets 403 FORBIDDEN and no data. daily: the last `days` UTC days (default 30) with orders placed, and volume (SOL spent on buys and received on sells) and commission of the confirmed ones. rpc: each endpoint's URL without credentials, query or key-like path segments.",
          querystring: z.object({ days: queryInteger(1, 366).default(30) }),
        },
      },
      async (request) => {
        if (getPrincipal(request).role !== "admin")
          throw new OspreyError("FORBIDDEN", "The operator view is for admin users only.");
        return getOverview(request.query.days);
      },
    );
  };
}
