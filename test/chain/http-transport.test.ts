import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { gzipSync } from "node:zlib";
import {
  createSolanaRpcFromTransport,
  isSolanaError,
  type RpcTransport,
  SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR,
} from "@solana/kit";
import { afterEach, describe, expect, it } from "vitest";
import { createEndpointHttpTransport } from "../../src/chain/http-transport.js";

interface Received {
  readonly body: { id: string; method: string; params?: unknown };
  readonly raw: string;
  readonly headers: IncomingMessage["headers"];
  readonly socket: Socket;
}

type Handler = (request: Received, res: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function startServer(handler: Handler) {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => {
      raw += chunk.toString();
    });
    req.on("end", () => {
      const request = { body: JSON.parse(raw), raw, headers: req.headers, socket: req.socket };
      received.push(request);
      handler(request, res);
    });
  });
  server.on("connection", (socket: Socket) => sockets.add(socket));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, sockets, server };
}

const answer = (result: string) => (request: Received, res: ServerResponse) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(`{"jsonrpc":"2.0","id":${JSON.stringify(request.body.id)},"result":${result}}`);
};

const endpoint = (url: string) => ({
  url,
  wsUrl: url.replace("http", "ws"),
  weight: 1,
  label: "test",
});

const payload = (method: string, params: unknown[] = [], id = "1") => ({
  jsonrpc: "2.0",
  id,
  method,
  params,
});

describe("endpoint HTTP transport", () => {
  it("speaks JSON-RPC with bigints through kit's RPC and reuses one socket", async () => {
    const server = await startServer(
      answer('{"context":{"slot":18446744073709551615},"value":2039280}'),
    );
    const rpc = createSolanaRpcFromTransport(createEndpointHttpTransport(endpoint(server.url)));
    const address = "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T" as never;
    const first = await rpc.getBalance(address, { minContextSlot: 5n }).send();
    expect(first).toEqual({ context: { slot: 18446744073709551615n }, value: 2039280n });
    await rpc.getBalance(address).send();
    expect(server.received[0]?.raw).toContain('"minContextSlot":5');
    expect(server.received[0]?.headers).toMatchObject({
      "content-type": "application/json; charset=utf-8",
      accept: "application/json",
    });
    expect(server.sockets.size).toBe(1);
  });

  it("sends URL credentials as Basic authorization and keeps the query", async () => {
    const server = await startServer(answer("1"));
    const url = server.url.replace("http://", "http://us%40er:p%3Ass@");
    const transport = createEndpointHttpTransport(endpoint(`${url}/?api-key=k`));
    await transport({ payload: payload("getSlot") });
    const { headers } = server.received[0] as Received;
    expect(headers.authorization).toBe(`Basic ${Buffer.from("us@er:p:ss").toString("base64")}`);
  });

  it("throws kit's HTTP error with status and headers on a non-2xx answer", async () => {
    const server = await startServer((_, res) => {
      res.writeHead(429, { "retry-after": "3" });
      res.end("slow down");
    });
    const transport = createEndpointHttpTransport(endpoint(server.url));
    const error = await transport({ payload: payload("getSlot") }).catch((e: unknown) => e);
    expect(isSolanaError(error, SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR)).toBe(true);
    if (!isSolanaError(error, SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR)) return;
    expect(error.context.statusCode).toBe(429);
    expect(error.context.headers.get("retry-after")).toBe("3");
    // The connection stays usable after an error answer.
    server.server.removeAllListeners("request");
    server.server.on("request", (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200);
      res.end('{"jsonrpc":"2.0","id":"2","result":7}');
    });
    expect(await transport({ payload: payload("getSlot", [], "2") })).toEqual({
      jsonrpc: "2.0",
      id: "2",
      result: 7n,
    });
  });

  it("reads a gzip answer, and a provider's own method as plain JSON", async () => {
    const server = await startServer((request, res) => {
      res.writeHead(200, { "content-encoding": "gzip", "content-type": "application/json" });
      res.end(gzipSync(`{"jsonrpc":"2.0","id":"${request.body.id}","result":{"fee":5000}}`));
    });
    const transport = createEndpointHttpTransport(endpoint(server.url));
    expect(await transport({ payload: payload("getFeeForMessage") })).toMatchObject({
      result: { fee: 5000n },
    });
    expect(await transport({ payload: payload("getPriorityFeeEstimate") })).toMatchObject({
      result: { fee: 5000 },
    });
    expect(server.received[0]?.headers["accept-encoding"]).toBe("br,gzip,deflate");
  });

  it("rejects with the signal's reason when aborted, and leaves the endpoint usable", async () => {
    let hold = true;
    const server = await startServer((request, res) => {
      if (!hold) answer("1")(request, res);
    });
    const transport = createEndpointHttpTransport(endpoint(server.url));
    const controller = new AbortController();
    const pending = transport({ payload: payload("getSlot"), signal: controller.signal });
    await waitFor(() => server.received.length === 1);
    const reason = new Error("caller gave up");
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    const already = new AbortController();
    already.abort(reason);
    await expect(
      transport({ payload: payload("getSlot", [1]), signal: already.signal }),
    ).rejects.toBe(reason);
    hold = false;
    expect(await transport({ payload: payload("getSlot", [2]) })).toMatchObject({ result: 1n });
  });

  it("sends again on a fresh socket when a reused one is reset", async () => {
    const server = await startServer((request, res) => {
      const onSocket = server.received.filter((r) => r.socket === request.socket).length;
      if (onSocket === 2)
        request.socket.destroy(); // as a server closing an idle connection
      else answer("1")(request, res);
    });
    const transport = createEndpointHttpTransport(endpoint(server.url));
    await transport({ payload: payload("getSlot") });
    expect(await transport({ payload: payload("getSlot", [1]) })).toMatchObject({ result: 1n });
    expect(server.received).toHaveLength(3);
    expect(server.sockets.size).toBe(2);
  });

  it("lets a slow answer outlive the idle-socket timeout, then closes the idle socket", async () => {
    const server = await startServer((request, res) => {
      setTimeout(() => answer("3")(request, res), 150);
    });
    const transport = createEndpointHttpTransport(endpoint(server.url), { idleSocketMs: 50 });
    expect(await transport({ payload: payload("getSlot") })).toMatchObject({ result: 3n });
    const [socket] = [...server.sockets];
    await waitFor(() => socket?.destroyed === true);
  });

  it("rejects with the socket's error when nothing listens", async () => {
    const server = await startServer(answer("1"));
    const { url } = server;
    server.server.close();
    server.server.closeAllConnections();
    const transport = createEndpointHttpTransport(endpoint(url));
    await expect(transport({ payload: payload("getSlot") })).rejects.toMatchObject({
      code: "ECONNREFUSED",
    });
  });

  it("follows a 307 redirect with the same body", async () => {
    const target = await startServer(answer("9"));
    const redirect = await startServer((_, res) => {
      res.writeHead(307, { location: `${target.url}/moved` });
      res.end();
    });
    const transport = createEndpointHttpTransport(endpoint(redirect.url));
    expect(await transport({ payload: payload("getSlot", [3]) })).toMatchObject({ result: 9n });
    expect(target.received[0]?.body.params).toEqual([3]);
  });

  it("shares one call between identical requests made in the same tick", async () => {
    const server = await startServer(answer("4"));
    const transport: RpcTransport = createEndpointHttpTransport(endpoint(server.url));
    const results = await Promise.all([
      transport({ payload: payload("getSlot", [{ commitment: "confirmed" }], "1") }),
      transport({ payload: payload("getSlot", [{ commitment: "confirmed" }], "2") }),
      transport({ payload: payload("getSlot", [{ commitment: "finalized" }], "3") }),
    ]);
    expect(results.map((r) => (r as { result: bigint }).result)).toEqual([4n, 4n, 4n]);
    expect(server.received).toHaveLength(2);
  });

  it("keeps the shared call for the consumers that did not abort", async () => {
    let release: () => void = () => {};
    const server = await startServer((request, res) => {
      release = () => answer("5")(request, res);
    });
    const transport = createEndpointHttpTransport(endpoint(server.url));
    const leaving = new AbortController();
    const a = transport({ payload: payload("getSlot", [], "1"), signal: leaving.signal });
    const b = transport({ payload: payload("getSlot", [], "2") });
    await waitFor(() => server.received.length === 1);
    leaving.abort(new Error("left"));
    await expect(a).rejects.toThrow("left");
    release();
    expect(await b).toMatchObject({ result: 5n });
  });
});

type Call = { id: unknown; method: string; params?: unknown };

/** Answers each call of a batch (or a lone call) with `reply(call)`, a JSON-RPC member's body. */
const batchAnswer =
  (reply: (call: Call) => string | undefined) => (request: Received, res: ServerResponse) => {
    const member = (call: Call) => {
      const body = reply(call);
      return body === undefined
        ? undefined
        : `{"jsonrpc":"2.0","id":${JSON.stringify(call.id)},${body}}`;
    };
    const calls = request.body as unknown as Call | Call[];
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      Array.isArray(calls)
        ? `[${calls
            .map(member)
            .filter((m) => m !== undefined)
            .join(",")}]`
        : (member(calls) ?? "{}"),
    );
  };

const batchOf = (received: Received) => received.body as unknown as Call[];

describe("endpoint HTTP transport, batching", () => {
  const batching = (url: string, maxBatch = 50) =>
    createEndpointHttpTransport(endpoint(url), { maxBatch });

  it("sends the requests of one loop turn as one batch, each with its own answer", async () => {
    const server = await startServer(
      batchAnswer((call) =>
        call.method === "getBalance"
          ? `"error":{"code":-32602,"message":"bad ${String((call.params as unknown[])[0])}"}`
          : `"result":{"slot":18446744073709551615,"params":${JSON.stringify(call.params)}}`,
      ),
    );
    const transport = batching(server.url);
    const answers = await Promise.all([
      transport({ payload: payload("getSlot", [1], "a") }),
      transport({ payload: payload("getBlockHeight", [2], "a") }),
      transport({ payload: payload("getBalance", ["x"], "c") }),
    ]);
    expect(server.received).toHaveLength(1);
    const [batch] = server.received as [Received];
    expect(batchOf(batch).map((call) => [call.method, call.id])).toEqual([
      ["getSlot", 0],
      ["getBlockHeight", 1],
      ["getBalance", 2],
    ]);
    // Each caller gets its own answer, with its own id and bigints read as for a lone request.
    expect(answers).toEqual([
      { jsonrpc: "2.0", id: "a", result: { slot: 18446744073709551615n, params: [1n] } },
      { jsonrpc: "2.0", id: "a", result: { slot: 18446744073709551615n, params: [2n] } },
      { jsonrpc: "2.0", id: "c", error: { code: -32602n, message: "bad x" } },
    ]);
    // A lone request goes out alone, as without batching.
    await transport({ payload: payload("getSlot", [3], "d") });
    expect((server.received[1] as Received).body).toMatchObject({ id: "d", method: "getSlot" });
  });

  it("sends a transaction once the code that queued it yields, not behind the loop's callbacks", async () => {
    const server = await startServer(batchAnswer(() => '"result":1'));
    const transport = batching(server.url);
    // A callback already waiting in the loop queues a request of its own.
    let later: Promise<unknown> | undefined;
    setImmediate(() => {
      later = transport({ payload: payload("getBlockHeight", [], "later") });
    });
    const now = [
      transport({ payload: payload("getSlot", [], "read") }),
      transport({ payload: payload("sendTransaction", ["AQID"], "send") }),
    ];
    await Promise.all(now);
    await later;
    // The send and what its code queued beside it left together, before that callback ran.
    expect(server.received).toHaveLength(2);
    expect(batchOf(server.received[0] as Received).map((call) => call.method)).toEqual([
      "getSlot",
      "sendTransaction",
    ]);
    expect((server.received[1] as Received).body).toMatchObject({ method: "getBlockHeight" });
  });

  it("splits a turn's requests into batches of at most maxBatch", async () => {
    const server = await startServer(batchAnswer(() => '"result":1'));
    const transport = batching(server.url, 2);
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => transport({ payload: payload("getSlot", [n], String(n)) })),
    );
    expect(answers.map((a) => (a as { id: string }).id)).toEqual(["1", "2", "3", "4", "5"]);
    expect(server.received.map((r) => (Array.isArray(r.body) ? r.body.length : "alone"))).toEqual([
      2,
      2,
      "alone",
    ]);
  });

  it("rejects every request of a batch with kit's HTTP error on a 5xx, and sends nothing again", async () => {
    const server = await startServer((_, res) => {
      res.writeHead(503);
      res.end();
    });
    const transport = batching(server.url);
    const outcomes = await Promise.allSettled([
      transport({ payload: payload("getSlot", [1]) }),
      transport({ payload: payload("getSlot", [2]) }),
    ]);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe("rejected");
      const reason = (outcome as PromiseRejectedResult).reason;
      expect(isSolanaError(reason, SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR)).toBe(true);
      expect(reason.context.statusCode).toBe(503);
    }
    expect(server.received).toHaveLength(1);
  });

  it.each([
    ["a 4xx", 400],
    ["an answer that is not an array", 200],
  ])(
    "sends each request alone from then on when the endpoint refuses a batch with %s",
    async (_, status) => {
      const server = await startServer((request, res) => {
        if (!Array.isArray(request.body)) return answer("7")(request, res);
        res.writeHead(status, { "content-type": "application/json" });
        res.end('{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"no batches"}}');
      });
      const transport = batching(server.url);
      const first = await Promise.all([
        transport({ payload: payload("getSlot", [1], "1") }),
        transport({ payload: payload("getSlot", [2], "2") }),
      ]);
      expect(first).toMatchObject([
        { id: "1", result: 7n },
        { id: "2", result: 7n },
      ]);
      await Promise.all([
        transport({ payload: payload("getSlot", [3], "3") }),
        transport({ payload: payload("getSlot", [4], "4") }),
      ]);
      expect(server.received.map((r) => Array.isArray(r.body))).toEqual([
        true,
        false,
        false,
        false,
        false,
      ]);
    },
  );

  it("rejects a request the batch answer leaves out, and answers the others", async () => {
    const server = await startServer(
      batchAnswer((call) => (call.method === "getSlot" ? '"result":1' : undefined)),
    );
    const transport = batching(server.url);
    const [slot, height] = await Promise.allSettled([
      transport({ payload: payload("getSlot") }),
      transport({ payload: payload("getBlockHeight") }),
    ]);
    expect(slot).toMatchObject({ status: "fulfilled", value: { result: 1n } });
    expect(height).toMatchObject({ status: "rejected" });
    expect(String((height as PromiseRejectedResult).reason)).toContain("nothing for request 1");
  });

  it("lets each request abort alone, and abandons the batch when all have", async () => {
    let release: () => void = () => {};
    const server = await startServer((request, res) => {
      release = () => batchAnswer(() => '"result":9')(request, res);
    });
    const transport = batching(server.url);
    const early = new AbortController();
    early.abort(new Error("never sent"));
    await expect(transport({ payload: payload("getSlot"), signal: early.signal })).rejects.toThrow(
      "never sent",
    );
    const leaving = new AbortController();
    const left = transport({ payload: payload("getSlot", [1]), signal: leaving.signal });
    const stayed = transport({ payload: payload("getSlot", [2]) });
    await waitFor(() => server.received.length === 1);
    leaving.abort(new Error("left"));
    await expect(left).rejects.toThrow("left");
    release();
    expect(await stayed).toMatchObject({ result: 9n });

    const all = [new AbortController(), new AbortController()];
    const gone = all.map((c, n) =>
      transport({ payload: payload("getSlot", [n]), signal: c.signal }),
    );
    await waitFor(() => server.received.length === 2);
    const socket = (server.received[1] as Received).socket;
    for (const c of all) c.abort(new Error("gone"));
    for (const call of gone) await expect(call).rejects.toThrow("gone");
    await waitFor(() => socket.destroyed);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
}
