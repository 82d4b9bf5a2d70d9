import { randomBytes } from "node:crypto";
import type { Clock } from "../../core/clock.js";
import { createUuidV7 } from "../../core/ids.js";
import { OspreyError } from "../../core/osprey-error.js";
import type { Store } from "../../store/store.js";
import type { WebhookService } from "./webhook-service-types.js";

export type { WebhookService, WebhookView, WebhookWithSecret } from "./webhook-service-types.js";

const MAX_URL_LENGTH = 2048;

/** http(s) with a host, ≤ 2048 characters, no credentials in it; INVALID_INPUT otherwise. */
export function parseWebhookUrl(value: unknown): string {
  const refuse = (message: string) => new OspreyError("INVALID_INPUT", message, { field: "url" });
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_URL_LENGTH)
    throw refuse(`url must be an http(s) URL of at most ${MAX_URL_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse("url is not a valid URL.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw refuse("url must use http or https.");
  if (!url.hostname) throw refuse("url needs a host.");
  if (url.username || url.password) throw refuse("url must not carry credentials.");
  return url.toString();
}

export interface WebhookServiceOptions {
  readonly store: Pick<Store, "webhooks">;
  readonly clock: Clock;
}

/** Users' webhooks and the outbox their events wait in (the deliverer sends them). */
export function createWebhookService(options: WebhookServiceOptions): WebhookService {
  const { store, clock } = options;
  return {
    async set(userId, url) {
      const parsed = parseWebhookUrl(url);
      const secret = `whsec_${randomBytes(32).toString("base64url")}`;
      const saved = await store.webhooks.set(userId, parsed, secret);
      return { url: saved.url, secret, createdAt: saved.createdAt };
    },
    async get(userId) {
      const webhook = await store.webhooks.find(userId);
      return webhook ? { url: webhook.url, createdAt: webhook.createdAt } : null;
    },
    remove: (userId) => store.webhooks.remove(userId),
    async enqueue(userId, event) {
      if (!(await store.webhooks.find(userId))) return;
      const now = clock.now();
      const id = createUuidV7(now);
      const createdAt = new Date(now).toISOString();
      const payload = JSON.stringify({ id, type: event.type, createdAt, data: event.data });
      await store.webhooks.enqueue({ id, userId, eventType: event.type, payload });
    },
  };
}
