import type { SandboxChain } from "../chain/sandbox-chain.js";
import type { SendLog, SendRoute } from "../faults/send-log.js";
import { invalidParams } from "../rpc/rpc-error.js";
import type { BlockEngine } from "./block-engine.js";
import type { MethodTable } from "./json-rpc-http.js";
import { decodePrivateTransaction, parseEncoding } from "./private-transactions.js";

/** Jito takes at most five bundle ids per status request. */
const MAX_STATUS_IDS = 5;

function readConfig(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw invalidParams("invalid config");
  return value as Record<string, unknown>;
}

function readStrings(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw invalidParams(`${what} must be an array of strings`);
  }
  return value;
}

function readBundleIds(params: readonly unknown[]): string[] {
  const ids = readStrings(params[0], "bundle ids");
  if (ids.length === 0 || ids.length > MAX_STATUS_IDS) {
    throw invalidParams(`between 1 and ${MAX_STATUS_IDS} bundle ids are allowed`);
  }
  return ids;
}

function readTransaction(value: unknown): string {
  if (typeof value !== "string") throw invalidParams("transaction must be an encoded string");
  return value;
}

interface MethodContext {
  chain: SandboxChain;
  engine: BlockEngine;
  sendLog?: SendLog;
}

/** Records a send a private route refused before it reached the bundle rules. */
function refusedBy(sendLog: SendLog | undefined, route: SendRoute, method: string) {
  return (signature: string, error: string) =>
    sendLog?.record({ route, method, signature, dropped: true, error });
}

/** `/api/v1/bundles`: sendBundle, the two status methods, getTipAccounts. */
export function createBundleMethods({ chain, engine, sendLog }: MethodContext): MethodTable {
  const withContext = (value: unknown) => ({
    context: { slot: chain.getSlot("processed") },
    value,
  });
  return {
    sendBundle(params) {
      const encoding = parseEncoding(readConfig(params[1]).encoding);
      const refused = refusedBy(sendLog, "jito", "sendBundle");
      const txs = readStrings(params[0], "bundle").map((encoded) =>
        decodePrivateTransaction(chain, encoded, encoding, refused),
      );
      return { result: engine.submitBundle(txs, "jito", "sendBundle") };
    },
    getBundleStatuses: (params) => ({
      result: withContext(engine.getBundleStatuses(readBundleIds(params))),
    }),
    getInflightBundleStatuses: (params) => ({
      result: withContext(engine.getInflightBundleStatuses(readBundleIds(params))),
    }),
    getTipAccounts: () => ({ result: [...engine.tipAccounts] }),
  };
}

/**
 * `/api/v1/transactions`: sendTransaction. With `bundleOnly` a bundle of one (tip required,
 * atomic, next block), answered with the signature and the bundle id in `x-bundle-id`; without,
 * a plain send straight to the chain (no preflight, as Jito always skips it).
 */
export function createTransactionMethods(
  { chain, engine, sendLog }: MethodContext,
  bundleOnly: boolean,
): MethodTable {
  return {
    sendTransaction(params) {
      const encoding = parseEncoding(readConfig(params[1]).encoding);
      const refused = refusedBy(sendLog, "jito", "sendTransaction");
      const tx = decodePrivateTransaction(chain, readTransaction(params[0]), encoding, refused);
      if (bundleOnly) {
        const id = engine.submitBundle([tx], "jito", "sendTransaction");
        return { result: tx.signature, headers: { "x-bundle-id": id } };
      }
      sendLog?.record({
        route: "jito",
        method: "sendTransaction",
        signature: tx.signature,
        dropped: false,
      });
      chain.enqueueTransaction(tx);
      return { result: tx.signature };
    },
  };
}

/**
 * The sender (like Helius Sender): plain `sendTransaction` with `skipPreflight: true`, the
 * transaction carrying a tip of at least 1,000 lamports to a tip account; it lands as a bundle
 * of one through the block engine.
 */
export function createSenderMethods({ chain, engine, sendLog }: MethodContext): MethodTable {
  const refused = refusedBy(sendLog, "sender", "sendTransaction");
  return {
    sendTransaction(params) {
      const config = readConfig(params[1]);
      const encoding = parseEncoding(config.encoding);
      const tx = decodePrivateTransaction(chain, readTransaction(params[0]), encoding, refused);
      if (config.skipPreflight !== true) {
        const message = "the sender requires skipPreflight: true";
        refused(tx.signature, message);
        throw invalidParams(message);
      }
      engine.submitBundle([tx], "sender", "sendTransaction");
      return { result: tx.signature };
    },
  };
}
