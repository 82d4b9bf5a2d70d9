import { type IncomingMessage, request } from "node:http";
import type { Json } from "./http-client.js";

export interface SseMessage {
  /** The `event:` name, or "comment" for a `:` line (the ping). */
  readonly event: string;
  readonly data: Json;
  readonly comment?: string;
}

export interface SseStream {
  readonly status: number;
  readonly headers: IncomingMessage["headers"];
  /** The JSON body of a refusal (status ≠ 200). */
  readonly error: Json;
  /** Every message so far, in order. */
  readonly messages: SseMessage[];
  /** The first message (from the start) matching, waiting for it up to `timeoutMs`. */
  waitFor(match: (message: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  /** Drops the connection, as a closed browser tab does. */
  close(): void;
  /** Resolves when the server ended the stream or the connection dropped. */
  readonly ended: Promise<void>;
}

function parseBlock(block: string): SseMessage | undefined {
  let event = "message";
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) return { event: "comment", data: {}, comment: line.slice(1).trim() };
    const at = line.indexOf(":");
    const field = at === -1 ? line : line.slice(0, at);
    const value = at === -1 ? "" : line.slice(at + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  if (data.length === 0) return undefined;
  return { event, data: JSON.parse(data.join("\n")) as Json };
}

/** Opens a server-sent event stream with Node's http client, parsing messages as they come. */
export function openEventStream(
  baseUrl: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, baseUrl), {
      method: "GET",
      agent: false,
      headers: { accept: "text/event-stream", ...headers },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      const messages: SseMessage[] = [];
      const waiters = new Set<() => void>();
      let buffer = "";
      let endedFlag = false;
      const ended = new Promise<void>((done) => {
        const finish = () => {
          endedFlag = true;
          for (const wake of waiters) wake();
          done();
        };
        res.on("end", finish);
        res.on("close", finish);
        res.on("error", finish);
      });
      const stream: SseStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        error: {},
        messages,
        waitFor(match, timeoutMs = 20_000) {
          return new Promise((found, fail) => {
            const check = () => {
              const hit = messages.find(match);
              if (hit) {
                cleanup();
                found(hit);
              } else if (endedFlag) {
                cleanup();
                fail(new Error(`stream ended before a match: ${JSON.stringify(messages)}`));
              }
            };
            const timer = setTimeout(() => {
              cleanup();
              fail(new Error(`no match within ${timeoutMs} ms: ${JSON.stringify(messages)}`));
            }, timeoutMs);
            const cleanup = () => {
              clearTimeout(timer);
              waiters.delete(check);
            };
            waiters.add(check);
            check();
          });
        },
        close: () => {
          req.destroy();
        },
        ended,
      };
      res.setEncoding("utf8");
      if (stream.status !== 200) {
        let text = "";
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ ...stream, error: (text ? JSON.parse(text) : {}) as Json }));
        return;
      }
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let at = buffer.indexOf("\n\n");
        while (at !== -1) {
          const message = parseBlock(buffer.slice(0, at));
          buffer = buffer.slice(at + 2);
          if (message) messages.push(message);
          at = buffer.indexOf("\n\n");
        }
        for (const wake of [...waiters]) wake();
      });
      resolve(stream);
    });
    req.end();
  });
}
