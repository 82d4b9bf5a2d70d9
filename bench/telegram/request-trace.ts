import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

export interface TracedRequest {
  /** Ms when the request arrived and when its answer was written back. */
  readonly at: number;
  readonly doneAt: number;
  /** The path, or the JSON-RPC method for a POST to the RPC. */
  readonly what: string;
}

/**
 * A recording pass-through (BENCH_TRACE=1): the server reaches the sandbox's RPC or swap API
 * through it, so a trace can say which requests a press waited for before its first send.
 */
export async function startRequestTrace(target: string) {
  const requests: TracedRequest[] = [];
  const base = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const server = createServer((req, res) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? "/";
      const upstream = request(
        new URL(path, base.origin),
        { method: req.method, headers: req.headers, agent },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on("end", () =>
            requests.push({ at, doneAt: Date.now(), what: describe(path, body) }),
          );
        },
      );
      upstream.on("error", () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** A URL of the target's server, reached through the proxy instead. */
    through: (url: string) => url.replace(new URL(url).origin, `http://127.0.0.1:${port}`),
    between: (from: number, to: number) => requests.filter((r) => r.at >= from && r.at <= to),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

function describe(path: string, body: Buffer): string {
  const route = path.split("?")[0] ?? path;
  if (body.length === 0) return route;
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { method?: string } | { method?: string }[];
    const methods = (Array.isArray(parsed) ? parsed : [parsed]).map((call) => call.method);
    return methods.every((method) => typeof method === "string") ? methods.join("+") : route;
  } catch {
    return route;
  }
}
