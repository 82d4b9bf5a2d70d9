import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createCosignDesk } from "./cosign.js";
import type { PriceFeed } from "./price-feed.js";
import type { QuoteEngine } from "./quote-engine.js";
import { createRateLimiter, type RateLimitOptions } from "./rate-limiter.js";
import { SwapApiError } from "./swap-api-error.js";
import { routeNotFound, SWAP_API_ROUTES } from "./swap-api-routes.js";
import type { TokenSearch } from "./token-search.js";

const MAX_BODY_BYTES = 256 * 1024;

export interface SwapApiServerOptions {
  engine: QuoteEngine;
  prices: PriceFeed;
  /** Serves Jupiter's `/tokens/v2/search` over these tokens (else it answers an empty list). */
  tokens?: TokenSearch;
  host?: string;
  /** 0 picks a free port. */
  port: number;
  rateLimit?: RateLimitOptions;
  now?: () => number;
  /** Bugs (would-be 500s) are reported here; the client sees only a generic message. */
  onError?: (error: unknown) => void;
}

export interface SwapApiServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new SwapApiError("INVALID_REQUEST", "The request body is too large"));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      if (size === 0) return resolve(undefined);
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        reject(new SwapApiError("INVALID_REQUEST", "The request body is not valid JSON"));
      }
    });
    request.on("error", reject);
  });
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(text);
}

/**
 * Jupiter's swap API (`/swap/v1/…`, `/swap/v2/build`), price API (`/price/v3`) and token search
 * (`/tokens/v2/search`) over the sandbox market.
 */
export async function startSwapApiServer(options: SwapApiServerOptions): Promise<SwapApiServer> {
  const host = options.host ?? "127.0.0.1";
  const now = options.now ?? Date.now;
  const limiter = options.rateLimit ? createRateLimiter({ now, ...options.rateLimit }) : null;
  const cosign = createCosignDesk(options.engine);
  const ctx = {
    engine: options.engine,
    prices: options.prices,
    tokens: options.tokens ?? null,
    cosign,
    now,
  };
  // The validator co-signs issued swaps as they reach the chain (the stand-in for Jupiter's program).
  const removeCosigner = options.engine.chain.addCosigner(cosign.validatorCosigner);
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? "/", "http://localhost");
      const retryAfter = limiter?.take(request.socket.remoteAddress ?? "") ?? 0;
      if (retryAfter > 0) {
        const error = new SwapApiError("RATE_LIMITED", "Too many requests");
        return send(response, error.status, error, { "retry-after": String(retryAfter) });
      }
      const path = url.pathname.replace(/\/+$/, "");
      const handler = SWAP_API_ROUTES[`${request.method} ${path}`];
      if (!handler) throw routeNotFound(request.method ?? "", path);
      const body = request.method === "POST" ? await readBody(request) : undefined;
      send(response, 200, await handler(ctx, url.searchParams, body));
    } catch (error) {
      if (error instanceof SwapApiError) return send(response, error.status, error);
      options.onError?.(error);
      send(response, 500, { error: "Internal error", errorCode: "INTERNAL_ERROR" });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  }).catch((error: unknown) => {
    removeCosigner();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        removeCosigner();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
