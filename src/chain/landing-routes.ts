import type { Base64EncodedWireTransaction, Rpc, SendTransactionApi } from "@solana/kit";
import { OspreyError } from "../core/index.js";
import { redactUrl } from "../core/redact-url.js";
import { deriveWsUrl } from "./derive-ws-url.js";
import type { JitoClient } from "./jito-client.js";
import type { RpcEndpointConfig } from "./parse-rpc-endpoints.js";
import type { SenderClient } from "./sender-client.js";

/** Who may see a transaction before it lands: everyone (public RPC too) or private routes only. */
export type LandingRoutePolicy = "public" | "protected";

/** `rpc`: a SOLANA_RPC_URLS endpoint (public). `jito`, `sender`: private routes. */
export type LandingRouteKind = "rpc" | "jito" | "sender";

export interface RouteSendResult {
  /** The bundle a block engine made of the transaction, for status reporting. */
  readonly bundleId?: string;
}

/** One place a signed transaction can be sent to. */
export interface LandingRoute {
  readonly kind: LandingRouteKind;
  /** Redacted URL: logs and metric labels. */
  readonly label: string;
  /** False while its circuit is open or a 429 back-off runs. */
  isAvailable(): boolean;
  /** Sends the bytes as they are; rejects when this copy did not get through. */
  send(transaction: string): Promise<RouteSendResult>;
  /** The block engine behind a `jito` route, to read the statuses of bundles it accepted. */
  readonly blockEngine?: JitoClient;
}

export const isPrivateRoute = (route: LandingRoute): boolean => route.kind !== "rpc";

export interface RpcRouteEndpoint {
  readonly label: string;
  readonly rpc: Rpc<SendTransactionApi>;
  isAvailable(): boolean;
}

/** A public RPC endpoint: `sendTransaction` with no preflight and no node retries. */
export function createRpcLandingRoute(endpoint: RpcRouteEndpoint): LandingRoute {
  return {
    kind: "rpc",
    label: endpoint.label,
    isAvailable: () => endpoint.isAvailable(),
    async send(transaction) {
      await endpoint.rpc
        .sendTransaction(transaction as Base64EncodedWireTransaction, {
          encoding: "base64",
          skipPreflight: true,
          maxRetries: 0n,
        })
        .send();
      return {};
    },
  };
}

/**
 * How a block engine is sent a single transaction: `sendBundle` of that one transaction (the
 * default; its result is the bundle id) or `sendTransaction` with `bundleOnly=true`.
 */
export type JitoSendMethod = "sendBundle" | "sendTransaction";

export function createJitoLandingRoute(
  client: JitoClient,
  isAvailable: () => boolean,
  method: JitoSendMethod = "sendBundle",
): LandingRoute {
  return {
    kind: "jito",
    label: client.label,
    isAvailable,
    blockEngine: client,
    async send(transaction) {
      if (method === "sendTransaction") {
        await client.sendTransaction(transaction);
        return {};
      }
      return { bundleId: await client.sendBundle([transaction]) };
    },
  };
}

export function createSenderLandingRoute(
  client: SenderClient,
  isAvailable: () => boolean,
): LandingRoute {
  return {
    kind: "sender",
    label: client.label,
    isAvailable,
    async send(transaction) {
      await client.sendTransaction(transaction);
      return {};
    },
  };
}

/** Every route the lander knows, and which of them a landing of a given policy may use. */
export interface LandingRoutes {
  readonly public: readonly LandingRoute[];
  readonly private: readonly LandingRoute[];
  /** The block engines among the private routes (tip accounts, bundle statuses). */
  readonly blockEngines: readonly JitoClient[];
  /** A private route is configured (MEV protection is possible). */
  hasPrivate(): boolean;
  /**
   * The routes a landing may use: public → every RPC endpoint and every private route;
   * protected → private routes only. Throws MEV_PROTECTION_UNAVAILABLE for a protected landing
   * when no private route is configured.
   */
  forPolicy(policy: LandingRoutePolicy): readonly LandingRoute[];
}

export function createLandingRoutes(
  publicRoutes: readonly LandingRoute[],
  privateRoutes: readonly LandingRoute[] = [],
): LandingRoutes {
  const all = [...publicRoutes, ...privateRoutes];
  return {
    public: publicRoutes,
    private: privateRoutes,
    blockEngines: privateRoutes.flatMap((route) =>
      route.blockEngine === undefined ? [] : [route.blockEngine],
    ),
    hasPrivate: () => privateRoutes.length > 0,
    forPolicy(policy) {
      switch (policy) {
        case "public":
          return all;
        case "protected":
          if (privateRoutes.length === 0) throw new OspreyError("MEV_PROTECTION_UNAVAILABLE");
          return privateRoutes;
        default:
          return policy satisfies never;
      }
    },
  };
}

/**
 * Parses JITO_URLS / SENDER_URLS: comma-separated http(s) URLs. Labels (redacted) must be
 * unique: they name the route in logs and metrics.
 */
export function parsePrivateRouteUrls(
  text: string | readonly string[] | undefined,
  name: string,
): RpcEndpointConfig[] {
  const entries = (typeof text === "string" ? text.split(",") : (text ?? []))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  const labels = new Set<string>();
  return entries.map((url, index) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new OspreyError("RPC_CONFIG_INVALID", `${name} #${index + 1}: not a URL`, { name });
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new OspreyError("RPC_CONFIG_INVALID", `${name} #${index + 1}: expected http(s)`, {
        name,
      });
    }
    const label = redactUrl(url);
    if (labels.has(label)) {
      throw new OspreyError("RPC_CONFIG_INVALID", `${name}: ${label} is listed twice`, { name });
    }
    labels.add(label);
    return { url, wsUrl: deriveWsUrl(url), weight: 1, label };
  });
}
