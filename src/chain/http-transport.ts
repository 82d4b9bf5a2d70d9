import {
  isJsonRpcPayload,
  type RpcTransport,
  SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR,
  SolanaError,
} from "@solana/kit";
import { getTransportWithRequestCoalescing } from "./coalescing-transport.js";
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

/**
 * The HTTP transport for one endpoint: what kit's default transport does (bigint-aware JSON,
 * compression, coalescing, SolanaError on a non-2xx status) over keep-alive node:http sockets.
 * URL credentials (`user:pass@`) become a Basic `Authorization` header, as fetch refuses them;
 * query keys stay in the URL, as providers expect.
 */
export function createEndpointHttpTransport(
  endpoint: RpcEndpointConfig,
  options: Pick<JsonPosterOptions, "idleSocketMs"> = {},
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
  const post = createJsonPoster(url.toString(), { ...options, headers });
  const transport = (async <TResponse>({ payload, signal }: Parameters<RpcTransport>[0]) => {
    const solana = isSolanaRequest(payload);
    const body = solana ? stringifyJsonWithBigInts(payload) : JSON.stringify(payload);
    const response = await post(body, signal);
    if (response.status < 200 || response.status > 299) {
      throw new SolanaError(SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR, {
        headers: toHeaders(response.headers),
        message: response.statusText,
        statusCode: response.status,
      });
    }
    return (solana ? parseJsonWithBigInts(response.body) : JSON.parse(response.body)) as TResponse;
  }) as RpcTransport;
  return getTransportWithRequestCoalescing(transport, getCoalescingKey);
}

function toHeaders(incoming: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}
