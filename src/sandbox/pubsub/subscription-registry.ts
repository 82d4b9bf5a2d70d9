/** Sends one notification of a subscription to its socket. */
export type Notify = (result: unknown) => void;

/** What a subscription kind gets to deliver notifications and end itself. */
export interface Subscriber {
  readonly id: number;
  notify: Notify;
  /** Removes the subscription (signature subscriptions end with their notification). */
  end(): void;
}

/** A live subscription as its kind holds it. */
export interface ActiveSubscription {
  /** Takes the subscription out of its kind's index. */
  detach(): void;
  /** Runs right after the subscribe reply is sent (a first notification must follow the id). */
  start?(): void;
}

interface Entry {
  owner: object;
  detach: () => void;
}

/** All live subscriptions of one endpoint; ids are unique per endpoint, as on a validator. */
export function createSubscriptionRegistry() {
  const live = new Map<number, Entry>();
  const byOwner = new Map<object, Set<number>>();
  let nextId = 0;
  const remove = (id: number) => {
    const entry = live.get(id);
    if (!entry) return false;
    live.delete(id);
    byOwner.get(entry.owner)?.delete(id);
    entry.detach();
    return true;
  };
  return {
    nextId: () => nextId++,
    add(id: number, owner: object, detach: () => void) {
      live.set(id, { owner, detach });
      const ids = byOwner.get(owner);
      if (ids) ids.add(id);
      else byOwner.set(owner, new Set([id]));
    },
    remove,
    /** Unsubscribe: only the connection that made a subscription may end it. */
    removeOwned(id: number, owner: object): boolean {
      return live.get(id)?.owner === owner && remove(id);
    },
    removeOwner(owner: object) {
      for (const id of byOwner.get(owner) ?? []) remove(id);
      byOwner.delete(owner);
    },
    get size() {
      return live.size;
    },
  };
}

export type SubscriptionRegistry = ReturnType<typeof createSubscriptionRegistry>;
