import { request } from "node:http";
import type { HttpResult, Json } from "./http-client.js";

/**
 * A JSON client whose requests leave from `localAddress` (Linux lets a socket bind any
 * 127.x.y.z), so one test can be many clients to a server listening on 127.0.0.1.
 */
export function createHttpClientFrom(baseUrl: string, localAddress: string) {
  const call = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    rawBody?: string,
  ): Promise<HttpResult> => {
    const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, baseUrl),
        {
          method,
          localAddress,
          agent: false,
          headers: {
            ...(payload === undefined ? {} : { "content-type": "application/json" }),
            ...headers,
          },
          timeout: 30_000,
        },
        (res) => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers))
            if (typeof value === "string") responseHeaders.set(name, value);
          // An event stream that opened never ends by itself: that it opened is the answer.
          if (String(res.headers["content-type"] ?? "").startsWith("text/event-stream")) {
            req.destroy();
            resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body: {}, text: "" });
            return;
          }
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const isJson = String(res.headers["content-type"] ?? "").includes("application/json");
            resolve({
              status: res.statusCode ?? 0,
              headers: responseHeaders,
              body: (isJson && text ? JSON.parse(text) : {}) as Json,
              text,
            });
          });
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on("error", reject);
      req.end(payload);
    });
  };
  return { call, address: localAddress };
}
