import { isJsonRpcPayload, type RpcTransport } from "@solana/kit";
import { getTransportWithRequestCoalescing } from "./coalescing-transport.js";
import {
  createJsonRpcBatcher,
  type JsonRpcRequest,
  toSolanaHttpError,
} from "./json-rpc-batcher.js";
import { parseJsonWithBigInts, stringifyJsonWithBigInts } from "./json-with-bigints.js";
import type { RpcEndpointConfig } from "./parse-rpc-endpoints.js";
import { createJsonPoster, type JsonPosterOptions } from "./post-json.js";

/**
 * The methods kit's transport reads and writes with bigints (its list, @solana/rpc-transport-http
 * 8.4); anything else, such as a provider's own method, is plain JSON, as with kit.
 */
const SOLANA_RPC_METHODS = new Set([
  "getAccountInfo",
  "getAgGenesisCert",
  "getBalance",
  "getBlock",
  "getBlockCommitment",
  "getBlockHeight",
  "getBlockProduction",
  "getBlocks",
  "getBlocksWithLimit",
  "getBlockTime",
  "getClusterNodes",
  "getEpochInfo",
  "getEpochSchedule",
  "getFeeForMessage",
  "getFirstAvailableBlock",
  "getGenesisHash",
  "getHealth",
  "getHighestSnapshotSlot",
  "getIdentity",
  "getInflationGovernor",
  "getInflationRate",
  "getInflationReward",
  "getLargestAccounts",
  "getLatestBlockhash",
  "getLeaderSchedule",
  "getMaxRetransmitSlot",
  "getMaxShredInsertSlot",
  "getMinimumBalanceForRentExemption",
  "getMultipleAccounts",
  "getProgramAccounts",
  "getRecentPerformanceSamples",
  "getRecentPrioritizationFees",
  "getSignaturesForAddress",
  "getSignatureStatuses",
  "getSlot",
  "getSlotLeader",
  "getSlotLeaders",
  "getStakeMinimumDelegation",
  "getSupply",
  "getTokenAccountBalance",
  "getTokenAccountsByDelegate",
  "getTokenAccountsByOwner",
  "getTokenLargestAccounts",
  "getTokenSupply",
  "getTransaction",
  "getTransactionCount",
  "getTransactionsForAddress",
  "getVersion",
  "getVoteAccounts",
  "index",
  "isBlockhashValid",
  "minimumLedgerSlot",
  "requestAirdrop",
  "sendTransaction",
  "simulateTransaction",
]);

function isSolanaRequest(payload: unknown): boolean {
  return isJsonRpcPayload(payload) && SOLANA_RPC_METHODS.has(payload.method);
}

/** Requests with the same method and params made in one tick share a call, as in kit. */
function getCoalescingKey(payload: unknown): string | undefined {
  if (!isJsonRpcPayload(payload)) return undefined;
  try {
    return `${payload.method}:${stringifyJsonWithBigInts(payload.params ?? null)}`;
  } catch {
    return undefined;
  }
}

export interface EndpointHttpTransportOptions extends Pick<JsonPosterOptions, "idleSocketMs"> {
  /**
   * Solana requests made in one turn of the event loop go out as one JSON-RPC batch of at most
   * this many (`createJsonRpcBatcher`); 1, the default, sends each alone.
   */
  readonly maxBatch?: number;
}

/**
 * The HTTP transport for one endpoint: what kit's default transport does (bigint-aware JSON,
 * compression, coalescing, SolanaError on a non-2xx status) over keep-alive node:http sockets.
 * URL credentials (`user:pass@`) become a Basic `Authorization` header, as fetch refuses them;
 * query keys stay in the URL, as providers expect. With `maxBatch` above 1, it batches.
 */
export function createEndpointHttpTransport(
  endpoint: RpcEndpointConfig,
  options: EndpointHttpTransportOptions = {},
): RpcTransport {
  const url = new URL(endpoint.url);
  const headers: Record<string, string> = {
    "accept-encoding": "br,gzip,deflate",
    "solana-client": "js/osprey",
  };
  if (url.username !== "" || url.password !== "") {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
    url.username = "";
    url.password = "";
  }
  const { maxBatch = 1, ...posterOptions } = options;
  const post = createJsonPoster(url.toString(), { ...posterOptions, headers });
  async function sendOne(payload: unknown, signal?: AbortSignal): Promise<unknown> {
    const solana = isSolanaRequest(payload);
    const body = solana ? stringifyJsonWithBigInts(payload) : JSON.stringify(payload);
    const response = await post(body, signal);
    if (response.status < 200 || response.status > 299) throw toSolanaHttpError(response);
    return solana ? parseJsonWithBigInts(response.body) : JSON.parse(response.body);
  }
  const batched = createJsonRpcBatcher({
    post,
    sendOne,
    maxRequests: maxBatch,
    toHttpError: toSolanaHttpError,
  });
  const transport = (async <TResponse>({ payload, signal }: Parameters<RpcTransport>[0]) =>
    (isSolanaRequest(payload)
      ? batched(payload as JsonRpcRequest, signal)
      : sendOne(payload, signal)) as Promise<TResponse>) as RpcTransport;
  return getTransportWithRequestCoalescing(transport, getCoalescingKey);
}
