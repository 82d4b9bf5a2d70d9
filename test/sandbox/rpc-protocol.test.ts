import { generateKeyPairSigner } from "@solana/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSeededRandom, type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import {
  createKeepAlivePoster,
  getProcessedBlockhash,
  postJson,
  rawRpc,
  signTransfer,
} from "./rpc-helpers.js";

let sandbox: RunningSandbox;
let url: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, manualClock: true });
  url = sandbox.rpcUrls[0] as string;
});

afterAll(async () => {
  await sandbox.close();
});

describe("JSON-RPC protocol errors", () => {
  it("maps malformed input to the standard error codes", async () => {
    expect((await postJson(url, "{not json")).body).toEqual({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32700, message: "Parse error" },
    });
    expect((await postJson(url, [])).body.error.code).toBe(-32600);
    expect((await postJson(url, { id: 3, method: "getSlot" })).body).toMatchObject({
      id: 3,
      error: { code: -32600 },
    });
    expect(
      (await postJson(url, { jsonrpc: "2.0", id: 4, method: "getBlockOfDreams" })).body,
    ).toMatchObject({
      id: 4,
      error: { code: -32601, message: "Method not found" },
    });
    expect((await rawRpc(url, "getBalance", ["not-an-address"])).body.error.code).toBe(-32602);
    expect((await rawRpc(url, "getBalance", [])).body.error.code).toBe(-32602);
    expect((await rawRpc(url, "getSlot", [{ commitment: "eventually" }])).body.error.code).toBe(
      -32602,
    );
    expect(
      (await rawRpc(url, "sendTransaction", ["AAAA", { encoding: "base64" }])).body.error.code,
    ).toBe(-32602);
    expect(
      (await rawRpc(url, "getAccountInfo", [sandbox.chain.faucetAddress, { encoding: "base32" }]))
        .body.error.code,
    ).toBe(-32602);
  });

  it("answers batches call by call", async () => {
    const { body } = await postJson(url, [
      { jsonrpc: "2.0", id: 1, method: "getHealth" },
      { jsonrpc: "2.0", id: 2, method: "nope" },
      42,
      { jsonrpc: "2.0", id: "x", method: "getBalance", params: [sandbox.chain.faucetAddress] },
    ]);
    expect(body).toHaveLength(4);
    expect(body[0]).toEqual({ jsonrpc: "2.0", result: "ok", id: 1 });
    expect(body[1].error.code).toBe(-32601);
    expect(body[2].error.code).toBe(-32600);
    expect(body[3].id).toBe("x");
    expect(typeof body[3].result.value).toBe("number");
  });

  it("survives 1,000 garbage requests in a row", async () => {
    const random = createSeededRandom(1234);
    const methods = [
      "getBalance",
      "getAccountInfo",
      "sendTransaction",
      "simulateTransaction",
      "getTransaction",
      "getSignatureStatuses",
      "getProgramAccounts",
      "getTokenAccountsByOwner",
      "getLatestBlockhash",
      "requestAirdrop",
      "nope",
    ];
    const junk = (): unknown => {
      const pick = Math.floor(random() * 8);
      if (pick === 0) return null;
      if (pick === 1) return Math.floor(random() * 1e6) - 5e5;
      if (pick === 2) return "x".repeat(Math.floor(random() * 200));
      if (pick === 3) return [junk(), junk()];
      if (pick === 4) return { encoding: "jsonParsed", commitment: junk(), filters: [junk()] };
      if (pick === 5)
        return Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256))).toString(
          "base64",
        );
      if (pick === 6) return { memcmp: { offset: -1, bytes: "!!" }, dataSize: "big" };
      return 1e300;
    };
    const poster = createKeepAlivePoster(url);
    for (let i = 0; i < 1000; i++) {
      const kind = i % 4;
      let body: string;
      if (kind === 0)
        body = Buffer.from(
          Array.from({ length: 1 + (i % 50) }, () => Math.floor(random() * 256)),
        ).toString("latin1");
      else if (kind === 1)
        body = JSON.stringify({
          jsonrpc: "2.0",
          id: i,
          method: methods[i % methods.length],
          params: [junk(), junk(), junk()],
        });
      else if (kind === 2)
        body = JSON.stringify([
          { jsonrpc: "2.0", id: i, method: methods[(i + 3) % methods.length], params: junk() },
          junk(),
        ]);
      else
        body = JSON.stringify({
          jsonrpc: random() > 0.5 ? "2.0" : 2,
          id: junk(),
          method: junk(),
          params: [junk()],
        });
      const response = await poster.post(body);
      expect(response.status).toBe(200);
      const parsed = JSON.parse(response.text);
      for (const answer of Array.isArray(parsed) ? parsed : [parsed]) {
        expect(answer.error === undefined || typeof answer.error.code === "number").toBe(true);
        expect(answer.error?.code).not.toBe(-32603);
      }
    }
    poster.close();
    expect((await rawRpc(url, "getHealth")).body.result).toBe("ok");
  });

  it("refuses oversized transactions and bad signatures like mainnet", async () => {
    const payer = await generateKeyPairSigner();
    sandbox.chain.airdrop(payer.address, 1_000_000_000n);
    const blockhash = await getProcessedBlockhash(url);
    const { wire } = await signTransfer(payer, sandbox.chain.faucetAddress, 1n, blockhash);
    const bytes = Buffer.from(wire, "base64");
    bytes[10] = (bytes[10] ?? 0) ^ 0xff;
    const forged = await rawRpc(url, "sendTransaction", [
      bytes.toString("base64"),
      { encoding: "base64", preflightCommitment: "processed" },
    ]);
    // agave 2.x: a bad signature fails preflight (-32002) with SignatureFailure as its error.
    expect(forged.body.error).toMatchObject({
      code: -32002,
      message: "Transaction simulation failed: Transaction did not pass signature verification",
      data: { err: "SignatureFailure", logs: [], unitsConsumed: 0, fee: null },
    });
    const huge = await rawRpc(url, "sendTransaction", [
      Buffer.alloc(1300).toString("base64"),
      { encoding: "base64" },
    ]);
    expect(huge.body.error.code).toBe(-32602);
  });
});
