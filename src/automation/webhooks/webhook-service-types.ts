import type { UserId } from "../../core/ids.js";
import type { UserEvent } from "../../events/event-types.js";

/** A user's webhook as shown after it is set: the secret only then. */
export interface WebhookWithSecret {
  readonly url: string;
  readonly secret: string;
  readonly createdAt: number;
}

export interface WebhookView {
  readonly url: string;
  readonly createdAt: number;
}

export interface WebhookService {
  /** Sets (or replaces) the user's webhook with a new secret; INVALID_INPUT for a bad URL. */
  set(userId: UserId, url: unknown): Promise<WebhookWithSecret>;
  get(userId: UserId): Promise<WebhookView | null>;
  /** False when the user had none. */
  remove(userId: UserId): Promise<boolean>;
  /** Queues the event for the user's webhook, if one is set (the outbox; delivered later). */
  enqueue(userId: string, event: UserEvent): Promise<void>;
}
