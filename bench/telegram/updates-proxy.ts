import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A pass-through in front of the Bot API emulator that notes when each button press reaches the
 * bot: the moment the `getUpdates` answer carrying it is written back (the emulator records every
 * other call, but not what long polling hands over). Everything else is piped unchanged.
 */
export async function startUpdatesProxy(target: string) {
  /** Callback query id → ms when it was handed to the bot (the first time, if handed again). */
  const handedAt = new Map<string, number>();
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", target);
    const upstream = request(url, { method: req.method, headers: req.headers, agent }, (answer) => {
      if (!url.pathname.endsWith("/getUpdates")) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on("data", (chunk: Buffer) => chunks.push(chunk));
      answer.on("end", () => {
        const body = Buffer.concat(chunks);
        const updates = parseUpdates(body);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.end(body);
        const at = Date.now();
        for (const update of updates) {
          const id = update.callback_query?.id;
          if (id !== undefined && !handedAt.has(id)) handedAt.set(id, at);
        }
      });
    });
    upstream.on("error", () => res.destroy());
    // The bot gives up a long poll on stop: so does the proxy.
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** What the bot's TELEGRAM_API_ROOT is set to. */
    apiRoot: `http://127.0.0.1:${port}`,
    handedAt: (callbackId: string) => handedAt.get(callbackId),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

export type UpdatesProxy = Awaited<ReturnType<typeof startUpdatesProxy>>;

function parseUpdates(body: Buffer): { callback_query?: { id: string } }[] {
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { ok?: boolean; result?: unknown };
    return parsed.ok === true && Array.isArray(parsed.result) ? parsed.result : [];
  } catch {
    return [];
  }
}
