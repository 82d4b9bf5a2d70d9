import { OspreyError } from "../core/index.js";
import { redactUrl } from "../core/redact-url.js";
import { deriveWsUrl } from "./derive-ws-url.js";

export interface RpcEndpointConfig {
  /** Full HTTP URL, credentials included: used for requests only, never printed. */
  readonly url: string;
  readonly wsUrl: string;
  readonly weight: number;
  /** The URL without credentials or query: for logs, status and metric labels. */
  readonly label: string;
}

/**
 * Parses `SOLANA_RPC_URLS`: comma-separated entries `url[|weight[|wsUrl]]`, e.g.
 * `https://a|5,https://b|1|wss://b-ws`. Weight defaults to 1; the ws URL is derived when absent.
 */
export function parseRpcEndpoints(text: string): RpcEndpointConfig[] {
  const entries = text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (entries.length === 0) {
    throw invalid("No RPC endpoint given (expected e.g. https://a|5,https://b|1)", 0);
  }
  const endpoints = entries.map((entry, index) => parseEntry(entry, index));
  const labels = new Set<string>();
  for (const endpoint of endpoints) {
    // Metric labels must stay unique, so two keys on one host need distinguishable paths.
    if (labels.has(endpoint.label)) {
      throw invalid(`RPC endpoint ${endpoint.label} is listed twice`, endpoint.label);
    }
    labels.add(endpoint.label);
  }
  return endpoints;
}

function parseEntry(entry: string, index: number): RpcEndpointConfig {
  const [rawUrl = "", rawWeight, rawWs, ...rest] = entry.split("|").map((part) => part.trim());
  const where = `RPC endpoint #${index + 1}`;
  if (rest.length > 0) throw invalid(`${where}: expected url|weight|wsUrl at most`, index);
  const url = parseUrl(rawUrl, ["http:", "https:"], where);
  const weight = rawWeight === undefined || rawWeight === "" ? 1 : Number(rawWeight);
  if (!Number.isFinite(weight) || weight <= 0) {
    throw invalid(`${where} (${redactUrl(url)}): weight must be a positive number`, index);
  }
  const wsUrl =
    rawWs === undefined || rawWs === ""
      ? deriveWsUrl(url)
      : parseUrl(rawWs, ["ws:", "wss:"], `${where} ws URL`);
  return { url, wsUrl, weight, label: redactUrl(url) };
}

function parseUrl(raw: string, schemes: readonly string[], where: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(`${where}: not a URL`, where);
  }
  if (!schemes.includes(url.protocol)) {
    throw invalid(`${where}: scheme must be one of ${schemes.join(" ")}`, where);
  }
  return raw;
}

function invalid(message: string, at: unknown): OspreyError {
  return new OspreyError("RPC_CONFIG_INVALID", message, { at });
}
