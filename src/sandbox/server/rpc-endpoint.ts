import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { WebSocketServer } from "ws";
import { handleAdminRequest, type SandboxControl } from "../admin/admin-routes.js";
import type { SandboxChain } from "../chain/sandbox-chain.js";
import {
  type FaultProfile,
  type FaultProfileInput,
  mergeFaultProfile,
} from "../faults/fault-profile.js";
import { createRateLimiter } from "../faults/rate-limiter.js";
import type { SendLog } from "../faults/send-log.js";
import { attachPubSub } from "../pubsub/pubsub-server.js";
import { stringifyJson } from "../rpc/json-stringify.js";
import type { RpcContext } from "../rpc/rpc-context.js";
import { dispatchBody } from "../rpc/rpc-dispatcher.js";
import { readBody } from "./http-body.js";
import { listenOn } from "./listen.js";

export interface RpcEndpointOptions {
  index: number;
  chain: SandboxChain;
  control: SandboxControl;
  host: string;
  rpcPort: number;
  wsPort: number;
  profile: FaultProfile;
  /** Where the sends this endpoint receives are recorded (as `rpc:<index>`). */
  sendLog?: SendLog;
  /** Delay used for injected latency and congested sends; tests may replace it. */
  sleep?: (ms: number) => Promise<void>;
}

/** One RPC endpoint (HTTP JSON-RPC + its PubSub port) over the shared chain, with its own faults. */
export interface RpcEndpoint {
  readonly index: number;
  readonly rpcPort: number;
  readonly wsPort: number;
  readonly profile: FaultProfile;
  setProfile(change: FaultProfileInput): Promise<FaultProfile>;
  close(): Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function sendJson(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body);
}

function stopListening(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    // Keep-alive sockets would otherwise keep answering a "down" endpoint.
    server.closeAllConnections();
  });
}

export async function startRpcEndpoint(options: RpcEndpointOptions): Promise<RpcEndpoint> {
  const { chain, host, rpcPort, wsPort } = options;
  const sleep = options.sleep ?? defaultSleep;
  let profile = options.profile;
  const limiter = createRateLimiter(chain.now);
  // Congested sends still on their way are never delivered once the endpoint closed.
  let closed = false;
  const ctx: RpcContext = {
    chain,
    endpoint: { host, rpcPort, wsPort },
    get lag() {
      return profile.lagSlots;
    },
    shouldDropSend: () => profile.dropSendRate > 0 && chain.random() < profile.dropSendRate,
    recordSend(method, signature, dropped) {
      options.sendLog?.record({ route: `rpc:${options.index}`, method, signature, dropped });
    },
    get sendDelayMs() {
      return profile.sendDelayMs;
    },
    delaySend(deliver) {
      void sleep(profile.sendDelayMs).then(() => {
        if (!closed) deliver();
      });
    },
  };

  const handleRpc = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    if (body === null)
      return sendJson(res, 413, stringifyJson({ error: "request body too large" }));
    const retryAfter = limiter.take(profile.rateLimit);
    if (retryAfter !== null) {
      const error = {
        jsonrpc: "2.0",
        error: { code: 429, message: "Too many requests for a specific RPC call" },
        id: null,
      };
      return sendJson(res, 429, stringifyJson(error), { "retry-after": String(retryAfter) });
    }
    if (profile.errorRate > 0 && chain.random() < profile.errorRate) {
      const error = {
        jsonrpc: "2.0",
        error: { code: -32603, message: "sandbox: injected server error" },
        id: null,
      };
      return sendJson(res, 503, stringifyJson(error));
    }
    const delay =
      profile.latencyMs + (profile.jitterMs > 0 ? chain.random() * profile.jitterMs : 0);
    if (delay > 0) await sleep(delay);
    sendJson(res, 200, stringifyJson(dispatchBody(body, ctx)));
  };

  const http = createServer((req, res) => {
    const url = req.url ?? "/";
    const work =
      url === "/sandbox" || url.startsWith("/sandbox/")
        ? handleAdminRequest(options.control, req, res)
        : req.method === "GET" && url === "/health"
          ? Promise.resolve(res.end("ok"))
          : req.method !== "POST"
            ? Promise.resolve(sendJson(res, 405, stringifyJson({ error: "use POST" })))
            : handleRpc(req, res);
    work.catch((error: unknown) => {
      // Last resort: a bug must cost one request, never the server.
      if (!res.headersSent) sendJson(res, 500, stringifyJson({ error: String(error) }));
      else res.destroy();
    });
  });
  http.keepAliveTimeout = 30_000;
  const wsHttp = createServer((_req, res) =>
    sendJson(res, 426, stringifyJson({ error: "websocket only" })),
  );
  const wss = new WebSocketServer({ server: wsHttp });
  // ws re-emits its server's listen errors; `listenOn` already handles them (EADDRINUSE → retry).
  wss.on("error", () => {});
  const pubsub = attachPubSub(wss, chain);

  const up = async () => {
    await listenOn(http, rpcPort, host);
    try {
      await listenOn(wsHttp, wsPort, host);
    } catch (error) {
      // Release the RPC port too, so a caller retrying elsewhere leaks nothing.
      await stopListening(http);
      throw error;
    }
  };
  const down = async () => {
    pubsub.disconnectAll();
    await Promise.all([stopListening(http), stopListening(wsHttp)]);
  };
  if (!profile.down) {
    try {
      await up();
    } catch (error) {
      pubsub.close();
      wss.close();
      throw error;
    }
  }

  return {
    index: options.index,
    rpcPort,
    wsPort,
    get profile() {
      return profile;
    },
    async setProfile(change) {
      const next = mergeFaultProfile(profile, change);
      const wasDown = profile.down;
      profile = next;
      if (next.down && !wasDown) await down();
      if (!next.down && wasDown) await up();
      return profile;
    },
    async close() {
      closed = true;
      pubsub.close();
      await down();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
