import type { Address, RpcTransport, Signature } from "@solana/kit";
import { isJsonRpcPayload } from "@solana/kit";
import { z } from "zod";
import { OspreyError } from "../core/index.js";
import type { RpcEndpointConfig } from "./parse-rpc-endpoints.js";
import { createPrivateRouteTransport } from "./private-route-transport.js";

/** Jito's JSON-RPC paths, relative to a block engine's base URL. */
export const JITO_PATHS = {
  bundles: "/api/v1/bundles",
  transactions: "/api/v1/transactions",
  tipAccounts: "/api/v1/getTipAccounts",
  tipFloor: "/api/v1/bundles/tip_floor",
} as const;

/** `base` + `path`, keeping the base's query (e.g. `?uuid=…`), plus extra query keys. */
export function getJitoUrl(
  base: string,
  path: string,
  query: Readonly<Record<string, string>> = {},
): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${path}`;
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.toString();
}

/**
 * One HTTP transport for a block engine: each JSON-RPC method goes to the path Jito serves it on
 * (`sendTransaction` on `/api/v1/transactions?bundleOnly=true`, `getTipAccounts` on
 * `/api/v1/getTipAccounts`, the bundle methods on `/api/v1/bundles`).
 */
export function createBlockEngineHttpTransport(endpoint: RpcEndpointConfig): RpcTransport {
  const at = (url: string): RpcTransport => createPrivateRouteTransport(url);
  const bundles = at(getJitoUrl(endpoint.url, JITO_PATHS.bundles));
  const transactions = at(
    getJitoUrl(endpoint.url, JITO_PATHS.transactions, { bundleOnly: "true" }),
  );
  const tipAccounts = at(getJitoUrl(endpoint.url, JITO_PATHS.tipAccounts));
  return (<TResponse>(config: Parameters<RpcTransport>[0]) => {
    const method = isJsonRpcPayload(config.payload) ? config.payload.method : "";
    const transport =
      method === "sendTransaction"
        ? transactions
        : method === "getTipAccounts"
          ? tipAccounts
          : bundles;
    return transport<TResponse>(config);
  }) as RpcTransport;
}

export type BundleConfirmationStatus = "processed" | "confirmed" | "finalized";

export interface BundleStatus {
  readonly bundleId: string;
  readonly transactions: readonly Signature[];
  readonly slot: bigint;
  readonly confirmationStatus: BundleConfirmationStatus | null;
  /** Jito's `err`: `{ Ok: null }` when the bundle executed, else its error. */
  readonly err: unknown;
}

export type InflightStatus = "Invalid" | "Pending" | "Failed" | "Landed";

export interface InflightBundleStatus {
  readonly bundleId: string;
  readonly status: InflightStatus;
  readonly landedSlot: bigint | null;
}

export interface ContextValue<T> {
  readonly slot: bigint;
  readonly value: readonly (T | null)[];
}

/** Jito's block engine JSON-RPC API (docs.jito.wtf, "Low Latency Transaction Send"). */
export interface JitoClient {
  /** The redacted base URL, for logs and metric labels. */
  readonly label: string;
  /** `sendTransaction` on `/api/v1/transactions?bundleOnly=true`: a bundle of this one tx. */
  sendTransaction(transaction: string): Promise<Signature>;
  /** `sendBundle` of up to 5 signed transactions (base64), in order; resolves with the bundle id. */
  sendBundle(transactions: readonly string[]): Promise<string>;
  getTipAccounts(): Promise<readonly Address[]>;
  /** Up to 5 ids; null for a bundle not found or not landed. */
  getBundleStatuses(bundleIds: readonly string[]): Promise<ContextValue<BundleStatus>>;
  /** Up to 5 ids, bundles of the last 5 minutes. */
  getInflightBundleStatuses(
    bundleIds: readonly string[],
  ): Promise<ContextValue<InflightBundleStatus>>;
}

/** Jito takes at most this many transactions in a bundle and ids in a status query. */
export const MAX_BUNDLE_SIZE = 5;

const slotSchema = z.union([z.number().int().nonnegative(), z.bigint()]).transform(BigInt);
const contextSchema = z.object({ slot: slotSchema });
const bundleStatusSchema = z.object({
  bundle_id: z.string(),
  transactions: z.array(z.string()),
  slot: slotSchema,
  confirmation_status: z.enum(["processed", "confirmed", "finalized"]).nullish(),
  err: z.unknown().optional(),
});
const inflightSchema = z.object({
  bundle_id: z.string(),
  status: z.enum(["Invalid", "Pending", "Failed", "Landed"]),
  landed_slot: slotSchema.nullish(),
});

/**
 * A block engine client over a transport (usually `createBlockEngineHttpTransport` behind the
 * pool's timeout, metrics and breaker). A JSON-RPC error becomes `BLOCK_ENGINE_ERROR` with Jito's
 * code and message in its context.
 */
export function createJitoClient(transport: RpcTransport, label: string): JitoClient {
  let nextId = 1;
  async function call(method: string, params: unknown[]): Promise<unknown> {
    const response = await transport<{ result?: unknown; error?: unknown }>({
      payload: { jsonrpc: "2.0", id: nextId++, method, params },
    });
    return readResult(response, label, method);
  }

  function assertIds(bundleIds: readonly string[]): void {
    if (bundleIds.length === 0 || bundleIds.length > MAX_BUNDLE_SIZE) {
      throw new OspreyError("INVALID_INPUT", `Between 1 and ${MAX_BUNDLE_SIZE} bundle ids`, {
        count: bundleIds.length,
      });
    }
  }

  /** A status method: `{ context: { slot }, value: (entry | null)[] }`, each entry mapped. */
  async function statuses<Entry, Status>(
    method: string,
    bundleIds: readonly string[],
    entrySchema: z.ZodType<Entry>,
    toStatus: (entry: Entry) => Status,
  ): Promise<ContextValue<Status>> {
    assertIds(bundleIds);
    const result = await call(method, [[...bundleIds]]);
    const schema = z.object({ context: contextSchema, value: z.array(entrySchema.nullable()) });
    const parsed = parse(schema, result, label, method);
    return {
      slot: parsed.context.slot,
      value: parsed.value.map((entry) => (entry === null ? null : toStatus(entry))),
    };
  }

  return {
    label,
    async sendTransaction(transaction) {
      const result = await call("sendTransaction", [transaction, { encoding: "base64" }]);
      return parse(z.string(), result, label, "sendTransaction") as Signature;
    },
    async sendBundle(transactions) {
      if (transactions.length === 0 || transactions.length > MAX_BUNDLE_SIZE) {
        throw new OspreyError("INVALID_INPUT", `A bundle holds 1 to ${MAX_BUNDLE_SIZE} txs`, {
          count: transactions.length,
        });
      }
      const result = await call("sendBundle", [[...transactions], { encoding: "base64" }]);
      return parse(z.string(), result, label, "sendBundle");
    },
    async getTipAccounts() {
      const result = await call("getTipAccounts", []);
      return parse(z.array(z.string()).min(1), result, label, "getTipAccounts") as Address[];
    },
    getBundleStatuses: (bundleIds) =>
      statuses("getBundleStatuses", bundleIds, bundleStatusSchema, (entry) => ({
        bundleId: entry.bundle_id,
        transactions: entry.transactions as Signature[],
        slot: entry.slot,
        confirmationStatus: entry.confirmation_status ?? null,
        err: entry.err ?? null,
      })),
    getInflightBundleStatuses: (bundleIds) =>
      statuses("getInflightBundleStatuses", bundleIds, inflightSchema, (entry) => ({
        bundleId: entry.bundle_id,
        status: entry.status,
        landedSlot: entry.landed_slot ?? null,
      })),
  };
}

/** The `result` of a JSON-RPC response, or `BLOCK_ENGINE_ERROR` with the error's code and data. */
export function readResult(response: unknown, label: string, method: string): unknown {
  const body = response as { result?: unknown; error?: unknown } | null;
  if (body !== null && typeof body === "object" && body.error !== undefined) {
    const error = body.error as { code?: unknown; message?: unknown; data?: unknown };
    const code = Number(error.code);
    const message = typeof error.message === "string" ? error.message : "error";
    throw new OspreyError("BLOCK_ENGINE_ERROR", `${label} ${method}: ${message}`, {
      endpoint: label,
      method,
      rpcCode: Number.isFinite(code) ? code : null,
      rpcMessage: message,
      ...(error.data === undefined ? {} : { data: error.data }),
    });
  }
  if (body === null || typeof body !== "object" || !("result" in body)) {
    throw new OspreyError("BLOCK_ENGINE_ERROR", `${label} ${method}: no result`, {
      endpoint: label,
      method,
    });
  }
  return body.result;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, label: string, method: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new OspreyError("BLOCK_ENGINE_ERROR", `${label} ${method}: unexpected result`, {
    endpoint: label,
    method,
    problems: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
  });
}
