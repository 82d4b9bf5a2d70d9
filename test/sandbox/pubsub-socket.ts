import WebSocket from "ws";

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON at the test boundary
type Json = any;

/** A raw PubSub connection: requests by id, and every notification kept in arrival order. */
export async function openPubSub(url: string) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  const notifications: Json[] = [];
  const replies = new Map<number, (reply: Json) => void>();
  // Answers without an id of their own (batches, parse errors), in arrival order.
  const rawReplies: ((reply: Json) => void)[] = [];
  const waiters = new Set<() => void>();
  let nextId = 1;
  socket.on("message", (data) => {
    const message = JSON.parse(data.toString());
    if (message.method) notifications.push(message);
    else if (Array.isArray(message) || message.id === null) rawReplies.shift()?.(message);
    else replies.get(message.id)?.(message);
    for (const waiter of waiters) waiter();
  });
  return {
    notifications,
    /** The whole JSON-RPC reply (result or error). */
    request(method: string, params: unknown[] = []): Promise<Json> {
      const id = nextId++;
      return new Promise((resolve) => {
        replies.set(id, resolve);
        socket.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
      });
    },
    /** Sends text as is; resolves with the reply that has no id (a batch's, a parse error's). */
    sendRaw(text: string): Promise<Json> {
      return new Promise((resolve) => {
        rawReplies.push(resolve);
        socket.send(text);
      });
    },
    async subscribe(method: string, params: unknown[] = []): Promise<number> {
      const reply = await this.request(method, params);
      if (typeof reply.result !== "number") throw new Error(JSON.stringify(reply));
      return reply.result;
    },
    /** Notifications of one subscription, once at least `count` have arrived. */
    waitFor(subscription: number, count = 1, timeoutMs = 5000): Promise<Json[]> {
      const mine = () => notifications.filter((n) => n.params.subscription === subscription);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${count} notifications of ${subscription}`));
        }, timeoutMs);
        const check = () => {
          if (mine().length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(mine());
        };
        waiters.add(check);
        check();
      });
    },
    of: (subscription: number): Json[] =>
      notifications.filter((n) => n.params.subscription === subscription),
    close: () => socket.close(),
  };
}

export const settle = (ms = 100) => new Promise((resolve) => setTimeout(resolve, ms));
