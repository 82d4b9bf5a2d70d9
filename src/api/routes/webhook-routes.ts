import { z } from "zod";
import type { WebhookService } from "../../automation/webhooks/webhook-service.js";
import { OspreyError } from "../../core/osprey-error.js";
import type { RouteModule } from "../api-types.js";
import { getPrincipal } from "../auth-guard.js";
import type { RequireAccess } from "../route-access.js";

export interface WebhookRoutesOptions {
  readonly webhooks: WebhookService;
  readonly requireAccess: RequireAccess;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The caller's webhook: trigger events and final orders are POSTed there, signed. */
export function createWebhookRoutes(options: WebhookRoutesOptions): RouteModule {
  const { webhooks, requireAccess } = options;
  const limits = { bucket: "webhook", perUser: { limit: 30, windowMs: 60_000 } };
  const read = requireAccess("read", limits);
  const trade = requireAccess("trade", limits);
  return (app) => {
    app.put(
      "/v1/webhook",
      {
        onRequest: trade,
        schema: {
          tags: ["automation"],
          summary:
            'Set (or replace) your webhook URL (http/https, ≤ 2048 characters). Answers a new signing secret, shown only here. Each event is POSTed as JSON {id, type, createdAt, data} with X-Osprey-Event, X-Osprey-Delivery and X-Osprey-Signature: t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>; a 2xx answer delivers it, anything else is retried with backoff (up to 8 attempts). Redirects are not followed; 5 s timeout. Events: every trigger change, and orders whose status is final.',
          body: z.strictObject({ url: z.string().max(4096) }),
          response: {
            200: z.object({ url: z.string(), secret: z.string(), createdAt: z.string() }),
          },
        },
      },
      async (request) => {
        const set = await webhooks.set(getPrincipal(request).userId, request.body.url);
        return { url: set.url, secret: set.secret, createdAt: iso(set.createdAt) };
      },
    );

    app.get(
      "/v1/webhook",
      {
        onRequest: read,
        schema: {
          tags: ["automation"],
          summary: "Your webhook URL (never its secret); 404 NOT_FOUND when none is set",
          response: { 200: z.object({ url: z.string(), createdAt: z.string() }) },
        },
      },
      async (request) => {
        const webhook = await webhooks.get(getPrincipal(request).userId);
        if (!webhook) throw new OspreyError("NOT_FOUND", "No webhook is set.");
        return { url: webhook.url, createdAt: iso(webhook.createdAt) };
      },
    );

    app.delete(
      "/v1/webhook",
      {
        onRequest: trade,
        schema: {
          tags: ["automation"],
          summary:
            "Remove your webhook; queued deliveries are dropped. 404 NOT_FOUND when none is set",
          response: { 200: z.object({ removed: z.literal(true) }) },
        },
      },
      async (request) => {
        if (!(await webhooks.remove(getPrincipal(request).userId)))
          throw new OspreyError("NOT_FOUND", "No webhook is set.");
        return { removed: true as const };
      },
    );
  };
}
