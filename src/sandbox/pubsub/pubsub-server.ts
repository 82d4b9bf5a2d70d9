import type { WebSocket, WebSocketServer } from "ws";
import { z } from "zod";
import { getConfirmationStatus, meetsCommitment } from "../chain/commitment.js";
import type { SandboxChain } from "../chain/sandbox-chain.js";
import type { TransactionRecord } from "../chain/transaction-store.js";
import { createDecimalsReader, encodeAccount } from "../encoding/account-encoding.js";
import { stringifyJson } from "../rpc/json-stringify.js";
import { addressSchema, commitmentSchema, optionalConfig } from "../rpc/params.js";
import {
  createSubscriptionRegistry,
  type Notify,
  type Subscription,
} from "./subscription-registry.js";

const EMPTY_ACCOUNT = {
  lamports: 0n,
  owner: "11111111111111111111111111111111",
  data: new Uint8Array(),
  executable: false,
};

const schemas = {
  signatureSubscribe: z.tuple([
    z.string(),
    optionalConfig(z.looseObject({ commitment: commitmentSchema.optional() })),
  ]),
  accountSubscribe: z.tuple([
    addressSchema,
    optionalConfig(
      z.looseObject({
        commitment: commitmentSchema.optional(),
        encoding: z.enum(["base58", "base64", "jsonParsed"]).optional(),
      }),
    ),
  ]),
  unsubscribe: z.tuple([z.number().int().nonnegative()]),
};

const UNSUBSCRIBE: Record<string, Subscription["kind"]> = {
  signatureUnsubscribe: "signature",
  slotUnsubscribe: "slot",
  accountUnsubscribe: "account",
};

export interface PubSub {
  disconnectAll(): void;
  close(): void;
}

/** Solana PubSub (signature, slot, account subscriptions) over the `ws` server of one endpoint. */
export function attachPubSub(wss: WebSocketServer, chain: SandboxChain): PubSub {
  const registry = createSubscriptionRegistry();
  const decimals = createDecimalsReader(chain.getAccount);

  const checkSignature = (
    id: number,
    signature: string,
    commitment: Subscription & { kind: "signature" },
  ) => {
    const record = chain.getTransaction(signature);
    const tip = chain.getSlot("processed");
    if (!record || !meetsCommitment(getConfirmationStatus(record.slot, tip), commitment.commitment))
      return;
    const entry = registry.get(id);
    if (!entry) return;
    // Signature subscriptions end with their one notification, as on mainnet.
    registry.delete(id);
    entry.notify("signatureNotification", id, {
      context: { slot: tip },
      value: { err: record.meta.err },
    });
  };
  const notifyAccount = (sub: Subscription & { kind: "account" }, notify: Notify) => {
    const account = chain.getAccount(sub.address) ?? EMPTY_ACCOUNT;
    const value = encodeAccount(
      account as typeof EMPTY_ACCOUNT & { owner: typeof sub.address },
      { encoding: sub.encoding },
      decimals,
    );
    notify("accountNotification", sub.id, {
      context: { slot: chain.getSlot(sub.commitment) },
      value,
    });
  };
  const writes = (records: readonly TransactionRecord[], address: string) =>
    records.some(({ transaction }) =>
      transaction.accountKeys.some((key, i) => key === address && transaction.isWritable[i]),
    );

  const offSlot = chain.onSlot((slot) => {
    for (const { subscription: sub, notify } of registry.all()) {
      if (sub.kind === "slot") {
        notify("slotNotification", sub.id, {
          parent: slot - 1n,
          root: chain.getSlot("finalized"),
          slot,
        });
      } else if (sub.kind === "signature") {
        checkSignature(sub.id, sub.signature, sub);
      } else if (
        sub.commitment !== "processed" &&
        writes(chain.getTransactionsInSlot(chain.getSlot(sub.commitment)), sub.address)
      ) {
        notifyAccount(sub, notify);
      }
    }
  });
  const offTransaction = chain.onTransaction((record) => {
    for (const { subscription: sub, notify } of registry.all()) {
      if (sub.kind === "signature" && sub.signature === record.signature)
        checkSignature(sub.id, sub.signature, sub);
      if (sub.kind === "account" && sub.commitment === "processed" && writes([record], sub.address))
        notifyAccount(sub, notify);
    }
  });

  const handle = (socket: WebSocket, owner: object, text: string) => {
    const reply = (payload: unknown) => socket.send(stringifyJson(payload));
    let call: { id?: unknown; method?: unknown; params?: unknown };
    try {
      call = JSON.parse(text);
    } catch {
      return reply({ jsonrpc: "2.0", error: { code: -32700, message: "Parse error" }, id: null });
    }
    const id = typeof call?.id === "number" || typeof call?.id === "string" ? call.id : null;
    const fail = (code: number, message: string) =>
      reply({ jsonrpc: "2.0", error: { code, message }, id });
    const notify: Notify = (method, subscription, result) => {
      if (socket.readyState === socket.OPEN)
        socket.send(stringifyJson({ jsonrpc: "2.0", method, params: { result, subscription } }));
    };
    const params = call?.params ?? [];
    const method = typeof call?.method === "string" ? call.method : "";
    if (method === "signatureSubscribe") {
      const parsed = schemas.signatureSubscribe.safeParse(params);
      if (!parsed.success) return fail(-32602, "Invalid params");
      const sub = {
        kind: "signature" as const,
        id: registry.nextId(),
        signature: parsed.data[0],
        commitment: parsed.data[1]?.commitment ?? "finalized",
      };
      registry.add({ subscription: sub, notify, owner });
      reply({ jsonrpc: "2.0", result: sub.id, id });
      return checkSignature(sub.id, sub.signature, sub);
    }
    if (method === "slotSubscribe") {
      const sub = { kind: "slot" as const, id: registry.nextId() };
      registry.add({ subscription: sub, notify, owner });
      return reply({ jsonrpc: "2.0", result: sub.id, id });
    }
    if (method === "accountSubscribe") {
      const parsed = schemas.accountSubscribe.safeParse(params);
      if (!parsed.success) return fail(-32602, "Invalid params");
      const config = parsed.data[1];
      const sub = {
        kind: "account" as const,
        id: registry.nextId(),
        address: parsed.data[0],
        commitment: config?.commitment ?? "finalized",
        encoding: config?.encoding ?? "base58",
      };
      registry.add({ subscription: sub, notify, owner });
      return reply({ jsonrpc: "2.0", result: sub.id, id });
    }
    const kind = UNSUBSCRIBE[method];
    if (kind) {
      const parsed = schemas.unsubscribe.safeParse(params);
      if (!parsed.success) return fail(-32602, "Invalid params");
      const entry = registry.get(parsed.data[0]);
      if (!entry || entry.subscription.kind !== kind || !registry.remove(parsed.data[0], owner)) {
        return fail(-32602, "Invalid subscription id.");
      }
      return reply({ jsonrpc: "2.0", result: true, id });
    }
    fail(-32601, "Method not found");
  };

  wss.on("connection", (socket) => {
    const owner = {};
    socket.on("message", (data) => {
      try {
        handle(socket, owner, data.toString());
      } catch {
        socket.send(
          stringifyJson({
            jsonrpc: "2.0",
            error: { code: -32603, message: "Internal error" },
            id: null,
          }),
        );
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
      offSlot();
      offTransaction();
      for (const client of wss.clients) client.terminate();
    },
  };
}
