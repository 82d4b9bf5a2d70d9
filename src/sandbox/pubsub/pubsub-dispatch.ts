import { z } from "zod";
import { RpcError, RpcErrorCode } from "../rpc/rpc-error.js";
import type { SubscribeMethod } from "./subscription-kind.js";
import type { SubscriptionRegistry } from "./subscription-registry.js";

/**
 * agave's unsubscribe drops any id the connection holds, whatever its kind. blockSubscribe and
 * voteSubscribe stay "Method not found": a validator enables them only by flag.
 */
const UNSUBSCRIBE = new Set([
  "accountUnsubscribe",
  "logsUnsubscribe",
  "programUnsubscribe",
  "rootUnsubscribe",
  "signatureUnsubscribe",
  "slotUnsubscribe",
  "slotsUpdatesUnsubscribe",
]);
const unsubscribeSchema = z.tuple([z.number().int().nonnegative()]);

/** One connection's side of the dispatch: who owns its subscriptions, how to reach it. */
export interface PubSubConnection {
  owner: object;
  /** Sends one notification message, if the socket is still open. */
  send(message: unknown): void;
}

export interface CallOutcome {
  response: unknown;
  /** Runs once the response is sent (a first notification must follow the subscription id). */
  after?: () => void;
}

const errorResponse = (id: unknown, code: number, message: string) => ({
  jsonrpc: "2.0",
  error: { code, message },
  id,
});

/** One JSON-RPC call on a PubSub socket → its response; RpcErrors become error responses. */
export function createPubSubDispatch(
  registry: SubscriptionRegistry,
  subscribeMethods: ReadonlyMap<string, SubscribeMethod>,
) {
  return (call: unknown, connection: PubSubConnection): CallOutcome => {
    const record =
      typeof call === "object" && call !== null ? (call as Record<string, unknown>) : {};
    const id = typeof record.id === "number" || typeof record.id === "string" ? record.id : null;
    const method = typeof record.method === "string" ? record.method : "";
    const params = record.params ?? [];
    try {
      const subscribe = subscribeMethods.get(method);
      if (subscribe) {
        const subscription = registry.nextId();
        const notify = (result: unknown) =>
          connection.send({
            jsonrpc: "2.0",
            method: subscribe.notification,
            params: { result, subscription },
          });
        const end = () => registry.remove(subscription);
        const active = subscribe.subscribe(params, { id: subscription, notify, end });
        registry.add(subscription, connection.owner, active.detach);
        const response = { jsonrpc: "2.0", result: subscription, id };
        return active.start ? { response, after: active.start } : { response };
      }
      if (UNSUBSCRIBE.has(method)) {
        const parsed = unsubscribeSchema.safeParse(params);
        if (!parsed.success || !registry.removeOwned(parsed.data[0], connection.owner))
          throw new RpcError(RpcErrorCode.INVALID_PARAMS, "Invalid subscription id.");
        return { response: { jsonrpc: "2.0", result: true, id } };
      }
      return { response: errorResponse(id, RpcErrorCode.METHOD_NOT_FOUND, "Method not found") };
    } catch (error) {
      if (!(error instanceof RpcError)) throw error;
      return { response: errorResponse(id, error.code, error.message) };
    }
  };
}

export type PubSubDispatch = ReturnType<typeof createPubSubDispatch>;
