import { connect } from "node:net";

export interface RawExchange {
  /** Everything the server wrote before it closed the connection. */
  readonly text: string;
  readonly status: number | undefined;
  /** The JSON body after the headers, when there is one. */
  readonly body: unknown;
}

/**
 * Writes `request` byte for byte on a fresh TCP connection (to send what `fetch` refuses to: a
 * half request line, a bad header) and waits until the server closes it, or `giveUpMs` passes.
 */
export function sendRaw(baseUrl: string, request: string, giveUpMs = 20_000): Promise<RawExchange> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    let text = "";
    const socket = connect(Number(port), hostname.replace(/^\[|\]$/g, ""), () =>
      socket.write(request),
    );
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${giveUpMs} ms`));
    }, giveUpMs);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      const rawBody = text.split("\r\n\r\n").slice(1).join("\r\n\r\n");
      let body: unknown;
      try {
        body = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        body = rawBody;
      }
      resolve({ text, status: status ? Number(status) : undefined, body });
    });
  });
}
