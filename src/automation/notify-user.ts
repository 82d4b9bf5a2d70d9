import { TERMINAL_ORDER_STATUSES } from "../core/order-status.js";
import type { EventBus, UserEvent } from "../events/event-types.js";
import type { WebhookService } from "./webhooks/webhook-service-types.js";

/** Publishes a user event on the bus and queues it for the user's webhook (if set). */
export type NotifyUser = (userId: string, event: UserEvent) => Promise<void>;

const FINAL_ORDER_STATUSES = new Set<string>(TERMINAL_ORDER_STATUSES);

// Webhooks get what a user acts on away from the screen: triggers, and orders that ended.
function isForWebhook(event: UserEvent): boolean {
  if (event.type === "trigger") return true;
  return event.type === "order" && FINAL_ORDER_STATUSES.has(String(event.data.status));
}

/**
 * Never throws: the bus does not, and a webhook that cannot be queued (the database failing) is
 * reported to `onError` rather than stop the trigger or order flow that announced the event.
 */
export function createUserNotifier(deps: {
  readonly bus: EventBus;
  readonly webhooks: WebhookService;
  readonly onError?: (error: unknown) => void;
}): NotifyUser {
  return async (userId, event) => {
    await deps.bus.publish(userId, event);
    if (!isForWebhook(event)) return;
    await deps.webhooks.enqueue(userId, event).catch((error: unknown) => deps.onError?.(error));
  };
}
