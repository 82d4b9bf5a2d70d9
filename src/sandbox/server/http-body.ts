import type { IncomingMessage } from "node:http";

/** Largest request body accepted; far above any real RPC call, low enough to stop abuse. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Reads a request body as UTF-8; null when it exceeds the limit (the rest is drained). */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
