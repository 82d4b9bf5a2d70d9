import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type JsonHandler = (
  request: IncomingMessage & { body: string },
  response: ServerResponse,
) => void | Promise<void>;

/** A real HTTP server on 127.0.0.1 with a scripted handler: a stand-in for a service outside the machine. */
export async function startJsonServer(handler: JsonHandler) {
  const requests: {
    method: string;
    url: string;
    body: string;
    headers: IncomingMessage["headers"];
  }[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += String(chunk);
    });
    request.on("end", () => {
      requests.push({
        method: request.method ?? "",
        url: request.url ?? "",
        body,
        headers: request.headers,
      });
      void Promise.resolve(handler(Object.assign(request, { body }), response)).catch(() => {
        response.statusCode = 500;
        response.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}
