import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";

/** The body as UTF-8 text, decompressed as its content-encoding says (fetch does the same). */
export function readResponseText(response: IncomingMessage): Promise<string> {
  const encoding = response.headers["content-encoding"]?.trim().toLowerCase();
  let stream: Readable = response;
  if (encoding === "gzip" || encoding === "x-gzip") stream = response.pipe(createGunzip());
  else if (encoding === "br") stream = response.pipe(createBrotliDecompress());
  else if (encoding === "deflate") stream = response.pipe(createInflate());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      ended = true;
      resolve(Buffer.concat(chunks).toString("utf8"));
    });
    stream.on("error", reject);
    if (stream !== response) response.on("error", reject);
    response.on("close", () => {
      if (!ended && !response.complete) reject(new Error("The response ended early"));
    });
  });
}
