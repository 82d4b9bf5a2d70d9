import type { EventBus } from "./event-types.js";
import { createListenerRegistry } from "./listener-registry.js";

/** One process: events reach the listeners of this instance only. */
export function createMemoryEventBus(
  options: { onListenerError?: (error: unknown) => void } = {},
): EventBus {
  const listeners = createListenerRegistry(options.onListenerError ?? (() => {}));
  return {
    kind: "memory",
    async publish(userId, event) {
      // Never in the publisher's call stack: a slow stream must not hold up an order's write.
      queueMicrotask(() => listeners.deliver(userId, event));
    },
    async subscribe(userId, listener) {
      listeners.add(userId, listener);
      return () => {
        listeners.remove(userId, listener);
      };
    },
    countListeners: (userId) => listeners.count(userId),
    async close() {
      listeners.clear();
    },
  };
}
