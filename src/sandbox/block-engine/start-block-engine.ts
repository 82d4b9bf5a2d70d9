import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Address } from "@solana/kit";
import type { SandboxChain } from "../chain/sandbox-chain.js";
import type { SendLog } from "../faults/send-log.js";
import { listenOn } from "../server/listen.js";
import { type BlockEngine, createBlockEngine } from "./block-engine.js";
import {
  createBundleMethods,
  createSenderMethods,
  createTransactionMethods,
} from "./block-engine-methods.js";
import { handleJsonRpc, sendJson } from "./json-rpc-http.js";
import { deriveTipAccounts, fundTipAccounts } from "./tip-accounts.js";

export interface StartBlockEngineOptions {
  chain: SandboxChain;
  host?: string;
  /** Block engine port; 0 (default) picks a free one. */
  port?: number;
  /** Sender port; 0 (default) picks a free one. */
  senderPort?: number;
  /** Seed of the eight tip accounts (default: the demo market's). */
  tipSeed?: string;
  sendLog?: SendLog;
}

export interface RunningBlockEngine {
  /** Base URL, as a Jito block engine's: `…/api/v1/bundles`, `…/api/v1/transactions` beneath it. */
  readonly url: string;
  /** The sender's URL (plain JSON-RPC sendTransaction). */
  readonly senderUrl: string;
  readonly tipAccounts: readonly Address[];
  readonly engine: BlockEngine;
  close(): Promise<void>;
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function serve(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void,
): Server {
  const server = createServer((req, res) => {
    Promise.resolve()
      .then(() => handle(req, res))
      .catch((error: unknown) => {
        // A bug costs one request, never the server.
        if (!res.headersSent) sendJson(res, 500, { error: String(error) });
        else res.destroy();
      });
  });
  server.keepAliveTimeout = 30_000;
  return server;
}

/**
 * The sandbox's Jito-compatible block engine and its sender, each on its own port over the
 * shared chain. The tip accounts are opened on the chain first.
 */
export async function startBlockEngine(
  options: StartBlockEngineOptions,
): Promise<RunningBlockEngine> {
  const { chain } = options;
  const host = options.host ?? "127.0.0.1";
  const tipAccounts = deriveTipAccounts(options.tipSeed);
  fundTipAccounts(chain, tipAccounts);
  const engine = createBlockEngine({
    chain,
    tipAccounts,
    ...(options.sendLog ? { sendLog: options.sendLog } : {}),
  });
  const context = { chain, engine, ...(options.sendLog ? { sendLog: options.sendLog } : {}) };
  const bundleMethods = createBundleMethods(context);
  const tipMethods = {
    getTipAccounts: bundleMethods.getTipAccounts as NonNullable<
      typeof bundleMethods.getTipAccounts
    >,
  };
  const transactionMethods = createTransactionMethods(context, false);
  const bundleOnlyMethods = createTransactionMethods(context, true);
  const senderMethods = createSenderMethods(context);

  const blockEngine = serve((req, res) => {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const path = url.pathname.replace(/\/+$/, "");
    if (req.method === "GET" && path === "/api/v1/bundles/tip_floor") {
      return sendJson(res, 200, [engine.tipFloor.snapshot()]);
    }
    if (req.method !== "POST") return sendJson(res, 405, { error: "use POST" });
    switch (path) {
      case "/api/v1/bundles":
        return handleJsonRpc(req, res, bundleMethods);
      case "/api/v1/getTipAccounts":
        return handleJsonRpc(req, res, tipMethods);
      case "/api/v1/transactions":
        return handleJsonRpc(
          req,
          res,
          url.searchParams.get("bundleOnly") === "true" ? bundleOnlyMethods : transactionMethods,
        );
      default:
        return sendJson(res, 404, { error: `no route ${path}` });
    }
  });
  const sender = serve((req, res) => {
    if (req.method !== "POST") return sendJson(res, 405, { error: "use POST" });
    return handleJsonRpc(req, res, senderMethods);
  });

  try {
    const port = await listenOn(blockEngine, options.port ?? 0, host);
    const senderPort = await listenOn(sender, options.senderPort ?? 0, host);
    return {
      url: `http://${host}:${port}`,
      senderUrl: `http://${host}:${senderPort}`,
      tipAccounts,
      engine,
      async close() {
        engine.close();
        await Promise.all([stop(blockEngine), stop(sender)]);
      },
    };
  } catch (error) {
    engine.close();
    await Promise.all([stop(blockEngine), stop(sender)]);
    throw error;
  }
}
