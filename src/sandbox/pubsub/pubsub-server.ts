import type { WebSocket, WebSocketServer } from "ws";
import type { SandboxChain } from "../chain/sandbox-chain.js";
import { createDecimalsReader } from "../encoding/account-encoding.js";
import { stringifyJson } from "../rpc/json-stringify.js";
import { RpcErrorCode } from "../rpc/rpc-error.js";
import { createAccountSubscriptions } from "./account-subscriptions.js";
import { attachCommitmentFeed } from "./commitment-feed.js";
import { createLogsSubscriptions } from "./logs-subscriptions.js";
import { createProgramSubscriptions } from "./program-subscriptions.js";
import { type CallOutcome, createPubSubDispatch, type PubSubDispatch } from "./pubsub-dispatch.js";
import { createSignatureSubscriptions } from "./signature-subscriptions.js";
import { createSlotSubscriptions } from "./slot-subscriptions.js";
import type { SubscribeMethod } from "./subscription-kind.js";
import { createSubscriptionRegistry } from "./subscription-registry.js";

export interface PubSub {
  disconnectAll(): void;
  close(): void;
}

const failure = (code: number, message: string) => ({
  jsonrpc: "2.0",
  error: { code, message },
  id: null,
});

/** One message from a socket (a call or a batch) → what to send back, then what to run. */
function handleMessage(
  text: string,
  dispatch: PubSubDispatch,
  connection: Parameters<PubSubDispatch>[1],
) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { response: failure(RpcErrorCode.PARSE_ERROR, "Parse error") };
  }
  if (!Array.isArray(parsed)) return dispatch(parsed, connection);
  if (parsed.length === 0)
    return { response: failure(RpcErrorCode.INVALID_REQUEST, "Invalid request") };
  const outcomes: CallOutcome[] = parsed.map((call) => dispatch(call, connection));
  return {
    response: outcomes.map((outcome) => outcome.response),
    after: () => {
      for (const outcome of outcomes) outcome.after?.();
    },
  };
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
  const dispatch = createPubSubDispatch(registry, subscribeMethods);
  const detachFeed = attachCommitmentFeed(chain, kinds);

  wss.on("connection", (socket: WebSocket) => {
    const connection = {
      owner: {},
      send(message: unknown) {
        if (socket.readyState === socket.OPEN) socket.send(stringifyJson(message));
      },
    };
    socket.on("message", (data) => {
      try {
        const { response, after } = handleMessage(data.toString(), dispatch, connection);
        connection.send(response);
        after?.();
      } catch {
        connection.send(failure(RpcErrorCode.INTERNAL_ERROR, "Internal error"));
      }
    });
    socket.on("close", () => registry.removeOwner(connection.owner));
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
