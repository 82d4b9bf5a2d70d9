import type { UserEvent, UserEventListener } from "./event-types.js";

/** The listeners of this instance by user; a failing listener never stops the others. */
export function createListenerRegistry(onListenerError: (error: unknown) => void) {
  const byUser = new Map<string, Set<UserEventListener>>();
  return {
    /** True when it is the user's first listener. */
    add(userId: string, listener: UserEventListener): boolean {
      const set = byUser.get(userId);
      if (set) {
        set.add(listener);
        return false;
      }
      byUser.set(userId, new Set([listener]));
      return true;
    },
    /** True when it was the user's last listener. */
    remove(userId: string, listener: UserEventListener): boolean {
      const set = byUser.get(userId);
      if (!set?.delete(listener)) return false;
      if (set.size > 0) return false;
      byUser.delete(userId);
      return true;
    },
    has: (userId: string) => byUser.has(userId),
    deliver(userId: string, event: UserEvent): void {
      for (const listener of byUser.get(userId) ?? []) {
        try {
          listener(event);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    count(userId?: string): number {
      if (userId !== undefined) return byUser.get(userId)?.size ?? 0;
      let total = 0;
      for (const set of byUser.values()) total += set.size;
      return total;
    },
    users: () => [...byUser.keys()],
    clear: () => byUser.clear(),
  };
}
