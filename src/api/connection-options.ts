import type { Config } from "../config/config-schema.js";
import type { TrustProxy } from "../config/trust-proxy.js";

type ConnectionConfig = Pick<
  Config,
  | "HTTP_HEADERS_TIMEOUT_MS"
  | "HTTP_REQUEST_TIMEOUT_MS"
  | "HTTP_KEEP_ALIVE_TIMEOUT_MS"
  | "TRUST_PROXY"
>;

/**
 * Fastify's trustProxy. A hop count becomes Express's rule (the nearest N hops are proxies) as a
 * function, since Fastify 5 now trusts nothing for a bare number: it cannot tell a proxy from a
 * client that reaches Osprey directly, so a count is only for a server reachable through them.
 */
function getTrustProxy(trust: TrustProxy | undefined) {
  if (trust === undefined) return false;
  if (typeof trust === "number") return (_address: string, hop: number) => hop < trust;
  return [...trust];
}

/**
 * How the HTTP server treats connections: whose `X-Forwarded-For` it believes, and how long a
 * client may take to send its headers and its request. Node checks those deadlines only every
 * `connectionsCheckingInterval` (30 s by default, which let a slow client hold a socket for over a
 * minute), so the check runs at a quarter of the shorter deadline, at most once a second.
 */
export function getConnectionOptions(config: ConnectionConfig) {
  const headersTimeout = config.HTTP_HEADERS_TIMEOUT_MS;
  const requestTimeout = config.HTTP_REQUEST_TIMEOUT_MS;
  return {
    trustProxy: getTrustProxy(config.TRUST_PROXY),
    // Fastify sets these two on the server itself, after Node has read `http`.
    requestTimeout,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    http: {
      headersTimeout,
      requestTimeout,
      connectionsCheckingInterval: Math.max(
        25,
        Math.min(1_000, Math.floor(Math.min(headersTimeout, requestTimeout) / 4)),
      ),
    },
  };
}
