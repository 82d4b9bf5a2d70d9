import type { Context, MiddlewareFn } from "grammy";

/**
 * Handles updates of different chats at once and each chat's in order. grammY's long polling
 * awaits each update's handlers before the next: a reply waiting out one chat's 1-message-a-second
 * limit would hold every other chat. This middleware starts the rest of the chain without
 * awaiting it, chained behind that chat's earlier updates; `settle()` waits for all of them.
 */
export function createPerChatQueue(
  onError: (error: unknown, ctx: Context) => void,
  keyOf: (ctx: Context) => string,
) {
  const tails = new Map<string, Promise<void>>();
  const middleware: MiddlewareFn<Context> = (ctx, next) => {
    const key = keyOf(ctx);
    const run = (tails.get(key) ?? Promise.resolve())
      .then(next)
      .catch((error: unknown) => onError(error, ctx));
    tails.set(key, run);
    void run.then(() => {
      if (tails.get(key) === run) tails.delete(key);
    });
    return Promise.resolve();
  };
  return {
    middleware,
    /** Waits for every update under way (a stop). */
    async settle(): Promise<void> {
      while (tails.size > 0) await Promise.allSettled([...tails.values()]);
    },
  };
}
