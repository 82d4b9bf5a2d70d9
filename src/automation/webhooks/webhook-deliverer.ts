import { Counter, type Registry } from "prom-client";
import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import type { DueDelivery } from "../../store/repositories/webhooks-repository.js";
import type { Store } from "../../store/store.js";
import { SIGNATURE_HEADER, signWebhook } from "./webhook-signature.js";

export interface WebhookDelivererOptions {
  readonly store: Pick<Store, "webhooks">;
  readonly clock: Clock;
  readonly logger?: Pick<Logger, "warn">;
  readonly registry?: Registry;
  /** First retry's delay; doubles each attempt up to `maxBackoffMs` (default 1 s, 5 min). */
  readonly backoffBaseMs?: number;
  readonly maxBackoffMs?: number;
  /** Attempts before a delivery is FAILED (default 8). */
  readonly maxAttempts?: number;
  /** One attempt's limit (default 5 s). */
  readonly timeoutMs?: number;
  /** How often the outbox is polled (default 500 ms). */
  readonly intervalMs?: number;
  readonly batchSize?: number;
  readonly random?: () => number;
}

export interface WebhookDeliverer {
  start(): void;
  stop(): Promise<void>;
  /** One round: claims due deliveries and attempts each; resolves to how many were attempted. */
  runOnce(): Promise<number>;
}

/** Sends the outbox: signed POSTs, no redirects, retried with capped exponential backoff. */
export function createWebhookDeliverer(options: WebhookDelivererOptions): WebhookDeliverer {
  const { store, clock } = options;
  const base = options.backoffBaseMs ?? 1_000;
  const cap = options.maxBackoffMs ?? 300_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const intervalMs = options.intervalMs ?? 500;
  const random = options.random ?? Math.random;
  const outcomes = options.registry
    ? new Counter({
        name: "osprey_webhook_deliveries_total",
        help: "Webhook delivery attempts by outcome (delivered, retry, failed)",
        labelNames: ["outcome"],
        registers: [options.registry],
      })
    : null;

  // ±25 % jitter so many receivers coming back at once are not hit in lockstep.
  const backoff = (attempts: number) =>
    Math.round(Math.min(base * 2 ** (attempts - 1), cap) * (0.75 + random() * 0.5));

  async function post(delivery: DueDelivery & { webhook: { url: string; secret: string } }) {
    const t = Math.floor(clock.now() / 1000);
    const response = await fetch(delivery.webhook.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "Osprey-Webhooks/1",
        "X-Osprey-Event": delivery.eventType,
        "X-Osprey-Delivery": delivery.id,
        [SIGNATURE_HEADER]: signWebhook(delivery.webhook.secret, t, delivery.payload),
      },
      body: delivery.payload,
    });
    await response.body?.cancel();
    if (response.status < 200 || response.status >= 300) throw new Error(`HTTP ${response.status}`);
  }

  async function attempt(delivery: DueDelivery): Promise<void> {
    const attempts = delivery.attempts + 1;
    const { webhook } = delivery;
    try {
      if (!webhook) throw new Error("the webhook was removed");
      await post({ ...delivery, webhook });
      await store.webhooks.markDelivered(delivery.id, attempts);
      outcomes?.inc({ outcome: "delivered" });
    } catch (error) {
      // The reason names the failure only: never the URL's query or the secret.
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : "error";
      const last = attempts >= maxAttempts || !webhook;
      const next = last ? null : clock.now() + backoff(attempts);
      await store.webhooks.markAttemptFailed(delivery.id, attempts, reason, next);
      outcomes?.inc({ outcome: last ? "failed" : "retry" });
    }
  }

  const batchSize = options.batchSize ?? 20;
  const leaseMs = timeoutMs * 6;
  async function runOnce(): Promise<number> {
    const due = await store.webhooks.claimDue(batchSize, leaseMs);
    await Promise.all(due.map(attempt));
    return due.length;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  function schedule(delay: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce().then(
        (count) => schedule(count === batchSize ? 0 : intervalMs),
        (error: unknown) => {
          options.logger?.warn({ err: error }, "webhook delivery round failed");
          schedule(intervalMs);
        },
      );
    }, delay);
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    runOnce,
  };
}
