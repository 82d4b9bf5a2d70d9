import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Address, generateKeyPairSigner } from "@solana/kit";
import type { SandboxChain } from "../../src/sandbox/index.js";

/** One request the fake received, as it arrived. */
export interface BlockEngineCall {
  readonly path: string;
  readonly query: string;
  readonly method: string;
  readonly params: unknown;
}

export interface FakeBlockEngine {
  readonly url: string;
  readonly calls: BlockEngineCall[];
  readonly tipAccounts: readonly Address[];
  /** The tip floor's answer: a body, or an HTTP status to fail with. */
  tipFloor: unknown[] | { readonly status: number };
  /** Answer every POST with this HTTP status instead (an unhealthy engine), when set. */
  failWithStatus: number | undefined;
  /** Accept bundles but never land them (a lost auction). */
  dropBundles: boolean;
  callsTo(method: string): number;
  close(): Promise<void>;
}

const TIP_REQUIRED = {
  code: -32602,
  message: "bundle must write lock at least one tip account to be eligible for the auction",
};

/**
 * A Jito block engine on 127.0.0.1 speaking its JSON-RPC (docs.jito.wtf, Low Latency Transaction
 * Send): `sendBundle` / `getBundleStatuses` / `getInflightBundleStatuses` / `getTipAccounts` on
 * `/api/v1/bundles`, `sendTransaction` on `/api/v1/transactions` (x-bundle-id header),
 * `getTipAccounts` on `/api/v1/getTipAccounts`, `GET /api/v1/bundles/tip_floor`. A bundle must
 * write-lock one of its tip accounts; accepted bundles land on the given sandbox chain (Jito's
 * validators stand in for by the sandbox's write path). With `sender: true` it is a sender
 * instead: plain `sendTransaction` at `/`.
 */
export async function startFakeBlockEngine(
  chain: SandboxChain,
  options: { readonly sender?: boolean; readonly tipAccounts?: readonly Address[] } = {},
): Promise<FakeBlockEngine> {
  const tipAccounts =
    options.tipAccounts ??
    (await Promise.all(
      Array.from({ length: 8 }, async () => (await generateKeyPairSigner()).address),
    ));
  // Tip accounts exist on chain (rent-exempt), as Jito's do.
  for (const account of tipAccounts) {
    if (chain.getAccount(account) === null) chain.airdrop(account, 1_000_000_000n);
  }
  const bundles = new Map<string, string[]>();
  const calls: BlockEngineCall[] = [];

  function land(wires: readonly string[]): { error: typeof TIP_REQUIRED } | { id: string } {
    const txs = wires.map((wire) => chain.decodeTransaction(Buffer.from(wire, "base64")));
    const tipped = txs.some((tx) =>
      tx.accountKeys.some((key, i) => tx.isWritable[i] && tipAccounts.includes(key)),
    );
    if (!tipped) return { error: TIP_REQUIRED };
    const id = createHash("sha256")
      .update(Buffer.concat(txs.map((tx) => tx.signatureBytes[0] as Uint8Array)))
      .digest("hex");
    bundles.set(
      id,
      txs.map((tx) => tx.signature),
    );
    if (!api.dropBundles) {
      for (const tx of txs) if (chain.verifySignatures(tx)) chain.enqueueTransaction(tx);
    }
    return { id };
  }

  function inflight(id: string) {
    const signatures = bundles.get(id);
    if (signatures === undefined) return { bundle_id: id, status: "Invalid", landed_slot: null };
    const records = signatures.map((signature) => chain.getTransaction(signature));
    const first = records[0];
    if (first === undefined || records.some((record) => record === undefined)) {
      return { bundle_id: id, status: "Pending", landed_slot: null };
    }
    return { bundle_id: id, status: "Landed", landed_slot: Number(first.slot) };
  }

  function answer(
    path: string,
    body: { id: unknown; method: string; params?: unknown },
    res: ServerResponse,
  ) {
    const reply = (payload: object, headers: Record<string, string> = {}) => {
      // Jito answers a refusal with HTTP 400 and the JSON-RPC error object.
      const status = "error" in payload ? 400 : 200;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: body.id, ...payload }));
    };
    const params = (body.params ?? []) as unknown[];
    const context = { slot: Number(chain.getSlot("processed")) };
    const route = options.sender ? "sender" : path;
    switch (`${route} ${body.method}`) {
      case "sender sendTransaction":
      case "/api/v1/transactions sendTransaction": {
        const result = land([params[0] as string]);
        if ("error" in result) return reply({ error: result.error });
        const signature = bundles.get(result.id)?.[0] as string;
        return reply({ result: signature }, { "x-bundle-id": result.id });
      }
      case "/api/v1/bundles sendBundle": {
        const wires = params[0] as string[];
        if (!Array.isArray(wires) || wires.length === 0 || wires.length > 5) {
          return reply({ error: { code: -32602, message: "bundle must contain 1 to 5 txs" } });
        }
        const result = land(wires);
        return reply("error" in result ? { error: result.error } : { result: result.id });
      }
      case "/api/v1/getTipAccounts getTipAccounts":
      case "/api/v1/bundles getTipAccounts":
        return reply({ result: tipAccounts });
      case "/api/v1/bundles getInflightBundleStatuses":
        return reply({
          result: { context, value: (params[0] as string[]).map((id) => inflight(id)) },
        });
      case "/api/v1/bundles getBundleStatuses":
        return reply({
          result: {
            context,
            value: (params[0] as string[]).map((id) => {
              const status = inflight(id);
              if (status.status !== "Landed") return null;
              return {
                bundle_id: id,
                transactions: bundles.get(id),
                slot: status.landed_slot,
                confirmation_status: "confirmed",
                err: { Ok: null },
              };
            }),
          },
        });
      default:
        return reply({ error: { code: -32601, message: "Method not found" } });
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let raw = "";
    req.on("data", (chunk: Buffer) => {
      raw += chunk.toString();
    });
    req.on("end", () => {
      if (req.method === "GET" && url.pathname === "/api/v1/bundles/tip_floor") {
        calls.push({ path: url.pathname, query: url.search, method: "tip_floor", params: null });
        const floor = api.tipFloor;
        if ("status" in floor) {
          res.writeHead(floor.status);
          res.end();
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(floor));
        return;
      }
      const body = JSON.parse(raw) as { id: unknown; method: string; params?: unknown };
      calls.push({
        path: url.pathname,
        query: url.search,
        method: body.method,
        params: body.params,
      });
      if (api.failWithStatus !== undefined) {
        res.writeHead(api.failWithStatus);
        res.end();
        return;
      }
      try {
        answer(url.pathname, body, res);
      } catch {
        // Undecodable bytes: Jito answers invalid params.
        res.writeHead(400, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            jsonrpc: "2.0",
            id: body.id,
            error: { code: -32602, message: "transaction could not be decoded" },
          }),
        );
      }
    });
  }

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const api: FakeBlockEngine = {
    url: `http://127.0.0.1:${port}`,
    calls,
    tipAccounts,
    tipFloor: [tipFloorSample(0.00001)],
    failWithStatus: undefined,
    dropBundles: false,
    callsTo: (method) => calls.filter((call) => call.method === method).length,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return api;
}

/** A tip floor sample (SOL floats, as Jito gives them) with p50 = `p50` SOL and the rest around it. */
export function tipFloorSample(p50: number) {
  return {
    time: "2026-12-06T15:00:00Z",
    landed_tips_25th_percentile: p50 / 2,
    landed_tips_50th_percentile: p50,
    landed_tips_75th_percentile: p50 * 2,
    landed_tips_95th_percentile: p50 * 10,
    landed_tips_99th_percentile: p50 * 100,
    ema_landed_tips_50th_percentile: p50,
  };
}
