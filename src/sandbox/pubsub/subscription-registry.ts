import type { Address } from "@solana/kit";
import type { Commitment } from "../chain/commitment.js";
import type { AccountEncoding } from "../encoding/account-encoding.js";

export type Subscription =
  | { kind: "signature"; id: number; signature: string; commitment: Commitment }
  | { kind: "slot"; id: number }
  | {
      kind: "account";
      id: number;
      address: Address;
      commitment: Commitment;
      encoding: AccountEncoding;
    };

/** Delivers a notification to the subscription's socket. */
export type Notify = (method: string, subscription: number, result: unknown) => void;

export interface RegisteredSubscription {
  subscription: Subscription;
  notify: Notify;
  /** The owning connection, so a closing socket drops all of its subscriptions. */
  owner: object;
}

/** All live subscriptions of one endpoint; ids are unique per endpoint, as on a validator. */
export function createSubscriptionRegistry() {
  const live = new Map<number, RegisteredSubscription>();
  let nextId = 0;
  return {
    nextId: () => nextId++,
    add(entry: RegisteredSubscription) {
      live.set(entry.subscription.id, entry);
    },
    remove(id: number, owner: object): boolean {
      const entry = live.get(id);
      if (!entry || entry.owner !== owner) return false;
      live.delete(id);
      return true;
    },
    removeOwner(owner: object) {
      for (const [id, entry] of live) if (entry.owner === owner) live.delete(id);
    },
    get: (id: number) => live.get(id),
    delete: (id: number) => live.delete(id),
    all: () => [...live.values()],
  };
}

export type SubscriptionRegistry = ReturnType<typeof createSubscriptionRegistry>;
