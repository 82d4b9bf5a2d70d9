/** A price of the token a stream watches, as the sampler saw it. */
export interface PriceTick {
  readonly mint: string;
  readonly priceUsd: number | null;
  readonly priceSol: number | null;
  /** Unix milliseconds or an ISO string, as the sampler gives it; passed through unchanged. */
  readonly time: number | string;
}

/**
 * What a user's event stream carries (CONTRACTS17.md, "Events"): the order and withdrawal JSON
 * of the API on every status change, and a nudge to re-read a wallet's balances.
 */
export type UserEvent =
  | { readonly type: "order"; readonly data: Readonly<Record<string, unknown>> }
  | { readonly type: "withdrawal"; readonly data: Readonly<Record<string, unknown>> }
  | { readonly type: "balance"; readonly data: { readonly walletId: string } }
  /** A standing order's JSON (GET /v1/triggers/:id) on every status change and firing. */
  | { readonly type: "trigger"; readonly data: Readonly<Record<string, unknown>> };

export const USER_EVENT_TYPES = ["order", "withdrawal", "balance", "trigger"] as const;

export type UserEventListener = (event: UserEvent) => void;

/** Per-user publish and subscribe, in one process (memory) or across instances (Redis). */
export interface EventBus {
  readonly kind: "memory" | "redis";
  /** Delivers to every subscriber of the user, on any instance; never throws. */
  publish(userId: string, event: UserEvent): Promise<void>;
  /**
   * Resolves once events published from now on will reach `listener` (for Redis, once the
   * subscription is acknowledged); the returned function removes it.
   */
  subscribe(userId: string, listener: UserEventListener): Promise<() => void>;
  /** Listeners on this instance, of one user or of all. */
  countListeners(userId?: string): number;
  close(): Promise<void>;
}

/** Reads an event back from the wire; undefined for anything not shaped like one. */
export function parseUserEvent(text: string): UserEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { type, data } = value as { type?: unknown; data?: unknown };
  if (!(USER_EVENT_TYPES as readonly unknown[]).includes(type)) return undefined;
  if (typeof data !== "object" || data === null || Array.isArray(data)) return undefined;
  return value as UserEvent;
}
