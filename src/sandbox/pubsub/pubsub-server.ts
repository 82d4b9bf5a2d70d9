import type { WebSocket, WebSocketServer } from "ws";
import { z } from "zod";
import type { SandboxChain } from "../chain/sandbox-chain.js";
import { createDecimalsReader } from "../encoding/account-encoding.js";
import { stringifyJson } from "../rpc/json-stringify.js";
import { RpcError, RpcErrorCode } from "../rpc/rpc-error.js";
import { createAccountSubscriptions } from "./account-subscriptions.js";
import { attachCommitmentFeed } from "./commitment-feed.js";
import { createLogsSubscriptions } from "./logs-subscriptions.js";
import { createProgramSubscriptions } from "./program-subscriptions.js";
import { createSignatureSubscriptions } from "./signature-subscriptions.js";
import { createSlotSubscriptions } from "./slot-subscriptions.js";
import type { SubscribeMethod } from "./subscription-kind.js";
import { createSubscriptionRegistry } from "./subscription-registry.js";

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

export interface PubSub {
  disconnectAll(): void;
  close(): void;
}

/** Solana PubSub over the `ws` server of one endpoint, as agave 2.x serves it. */
export function attachPubSub(wss: WebSocketServer, chain: SandboxChain): PubSub {
  const registry = createSubscriptionRegistry();
  const decimals = createDecimalsReader(chain.getAccount);
  const kinds = [
    createSlotSubscriptions(chain),
    createSignatureSubscriptions(chain),
    createAccountSubscriptions(chain, decimals),
    createProgramSubscriptions(chain, decimals),
    createLogsSubscriptions(),
  ];
  const subscribeMethods = new Map<string, SubscribeMethod>(
    kinds.flatMap((kind) => Object.entries(kind.methods)),
  );
  const detachFeed = attachCommitmentFeed(chain, kinds);

  const handle = (socket: WebSocket, owner: object, text: string) => {
    const reply = (payload: unknown) => socket.send(stringifyJson(payload));
    let call: { id?: unknown; method?: unknown; params?: unknown };
    try {
      call = JSON.parse(text);
    } catch {
      return reply({ jsonrpc: "2.0", error: { code: -32700, message: "Parse error" }, id: null });
    }
    const id = typeof call?.id === "number" || typeof call?.id === "string" ? call.id : null;
    const params = call?.params ?? [];
    const method = typeof call?.method === "string" ? call.method : "";
    try {
      const subscribe = subscribeMethods.get(method);
      if (subscribe) {
        const subscriptionId = registry.nextId();
        const send = (result: unknown) => {
          if (socket.readyState !== socket.OPEN) return;
          const params = { result, subscription: subscriptionId };
          socket.send(stringifyJson({ jsonrpc: "2.0", method: subscribe.notification, params }));
        };
        const end = () => registry.remove(subscriptionId);
        const active = subscribe.subscribe(params, { id: subscriptionId, notify: send, end });
        registry.add(subscriptionId, owner, active.detach);
        reply({ jsonrpc: "2.0", result: subscriptionId, id });
        return active.start?.();
      }
      if (UNSUBSCRIBE.has(method)) {
        const parsed = unsubscribeSchema.safeParse(params);
        if (!parsed.success || !registry.removeOwned(parsed.data[0], owner))
          throw new RpcError(RpcErrorCode.INVALID_PARAMS, "Invalid subscription id.");
        return reply({ jsonrpc: "2.0", result: true, id });
      }
      throw new RpcError(RpcErrorCode.METHOD_NOT_FOUND, "Method not found");
    } catch (error) {
      if (!(error instanceof RpcError)) throw error;
      reply({ jsonrpc: "2.0", error: { code: error.code, message: error.message }, id });
    }
  };

  wss.on("connection", (socket) => {
    const owner = {};
    socket.on("message", (data) => {
      try {
        handle(socket, owner, data.toString());
      } catch {
        const error = { code: -32603, message: "Internal error" };
        socket.send(stringifyJson({ jsonrpc: "2.0", error, id: null }));
      }
    });
    socket.on("close", () => registry.removeOwner(owner));
    socket.on("error", () => socket.terminate());
  });

  return {
    disconnectAll() {
      for (const client of wss.clients) client.terminate();
    },
    close() {
      detachFeed();
      for (const client of wss.clients) client.terminate();
    },
  };
}
