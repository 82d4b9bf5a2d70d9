import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface JsonRpcRequestBody {
  readonly id: unknown;
  readonly method: string;
  readonly params?: unknown;
}

export type TestReply =
  | { readonly result: unknown }
  | { readonly error: { code: number; message: string; data?: unknown } }
  | { readonly status: number; readonly headers?: Record<string, string> }
  /** Never answer (until the server closes). */
  | { readonly hang: true };

export interface JsonRpcTestServer {
  readonly url: string;
  readonly calls: JsonRpcRequestBody[];
  /** Sees each request's headers (e.g. to check the Authorization the client sent). */
  onHeaders?: (headers: IncomingHttpHeaders) => void;
  callsTo(method: string): number;
  setHandler(handler: (request: JsonRpcRequestBody) => TestReply): void;
  close(): Promise<void>;
}

/** A tiny JSON-RPC server on 127.0.0.1 whose replies the test scripts. */
export async function startJsonRpcTestServer(
  handler: (request: JsonRpcRequestBody) => TestReply = () => ({ result: "ok" }),
): Promise<JsonRpcTestServer> {
  let current = handler;
  const calls: JsonRpcRequestBody[] = [];
  const server: Server = createServer((req, res) => {
    api.onHeaders?.(req.headers);
    let raw = "";
    req.on("data", (chunk: Buffer) => {
      raw += chunk.toString();
    });
    req.on("end", () => {
      const body = JSON.parse(raw) as JsonRpcRequestBody;
      calls.push(body);
      const reply = current(body);
      if ("hang" in reply) return;
      if ("status" in reply) {
        res.writeHead(reply.status, reply.headers ?? {});
        res.end("{}");
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: body.id, ...reply }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const api: JsonRpcTestServer = {
    url: `http://127.0.0.1:${port}`,
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method).length,
    setHandler(next) {
      current = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return api;
}
