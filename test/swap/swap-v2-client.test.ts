import { AccountRole } from "@solana/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Address } from "../../src/core/addresses.js";
import { bytesToBase58 } from "../../src/core/base58.js";
import { isOspreyError, type OspreyError } from "../../src/core/osprey-error.js";
import { createSwapV2Client, type SwapV2Client } from "../../src/swap/swap-v2-client.js";
import { sendJson, startJsonServer } from "../support/json-server.js";

// Jupiter is outside this machine: a scripted HTTP server plays /swap/v2/build here. The happy
// path against a real aggregator is the sandbox swap API's test (test/sandbox-market).
const SOL = "So11111111111111111111111111111111111111112" as Address;
const TAKER = "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T" as Address;
const POOL = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU" as Address;
const TABLE = "Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB" as Address;
const MINTS = {
  ok: "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v" as Address,
  noTables: "DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263" as Address,
  noRoute: "JUPyiwrYJFskUPiHa7hkeR8VUtAeFoSYbKedZNsDvCN" as Address,
  untradable: "mSoLzYCxHdYgdzU16g5QSh3i5K3z3KZK7ytfqcJm7So" as Address,
  slippage: "J1toso1uCk3RLmjorhTtrVwY9HJ7X8V9yYac6Y7kGCPn" as Address,
  invalid: "7dHbWXmci3dT8UFYWYZweBLXgycu7Y3iL6trKn1Y7ARj" as Address,
  limited: "bSo13r4TkiE4KumL71LsHTPpL2euBYLFx6h9HP3piy1" as Address,
  down: "HZ1JovNiVvGrGNiiYvEozEVgZ58xaU3RKwX8eACQBCt3" as Address,
  badAmount: "27G8MtK7VtTcCHkpASjSDdkWWYfoqT6ggEuKidVJidD4" as Address,
  shortHash: "9n4nbM75f5Ui33ZbPYXn59EwSgE8CGsHtAeTH5YFeJ9E" as Address,
  otherTrade: "3NZ9JMVBmGAqocybic2c7LQCJScmgsAZ6vQqTDzcqmJh" as Address,
  slow: "2b1kV6DkPAnxd5ixfnxCpjxmKwqjjaYmCZfHsFu24GXo" as Address,
  notJson: "6p6xgHyF7AeE6TZkSmFsko444wqoP15icUSqi2jfGiPN" as Address,
};
const BLOCKHASH = Array.from({ length: 32 }, (_, i) => (i * 7 + 3) % 256);

function instruction(programId: string, data: string) {
  return {
    programId,
    accounts: [
      { pubkey: TAKER, isSigner: true, isWritable: true },
      { pubkey: POOL, isSigner: true, isWritable: false },
      { pubkey: SOL, isSigner: false, isWritable: true },
      { pubkey: TABLE, isSigner: false, isWritable: false },
    ],
    data,
  };
}

function buildBody(inputMint: string, outputMint: string, amount: string) {
  return {
    inputMint,
    outputMint,
    inAmount: amount,
    outAmount: "18446744073709551",
    otherAmountThreshold: "18354510353341003",
    swapMode: "ExactIn",
    slippageBps: 50,
    platformFee: { amount: "1000", feeBps: 85 },
    priceImpactPct: "0.0123",
    routePlan: [
      {
        swapInfo: {
          ammKey: POOL,
          label: "Sandbox CPMM",
          inputMint,
          outputMint,
          inAmount: amount,
          outAmount: "1",
          feeAmount: "0",
          feeMint: inputMint,
        },
        percent: 100,
        bps: 10_000,
      },
    ],
    computeBudgetInstructions: [
      instruction("ComputeBudget111111111111111111111111111111", "AwAAAAAAAAAA"),
    ],
    setupInstructions: [instruction("11111111111111111111111111111111", "AgAAAOgDAAAAAAAA")],
    swapInstruction: instruction("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", "AwEAAAAAAAAA"),
    cleanupInstruction: null,
    otherInstructions: [],
    tipInstruction: null,
    addressesByLookupTableAddress: { [TABLE]: [POOL, SOL] },
    blockhashWithMetadata: {
      blockhash: BLOCKHASH,
      lastValidBlockHeight: 1234,
      fetchedAt: { secs_since_epoch: 1, nanos_since_epoch: 2 },
    },
  };
}

describe("swap v2 client", () => {
  let server: Awaited<ReturnType<typeof startJsonServer>>;
  let client: SwapV2Client;

  beforeAll(async () => {
    server = await startJsonServer(async (request, response) => {
      const url = new URL(request.url ?? "/", "http://x");
      if (url.pathname !== "/swap/v2/build") return sendJson(response, 404, { error: "no" });
      const input = url.searchParams.get("inputMint") ?? "";
      const output = url.searchParams.get("outputMint") ?? "";
      const amount = url.searchParams.get("amount") ?? "";
      const body = buildBody(input, output, amount);
      switch (output) {
        case MINTS.noTables:
          return sendJson(response, 200, {
            ...body,
            addressesByLookupTableAddress: null,
            platformFee: null,
          });
        case MINTS.noRoute:
          return sendJson(response, 400, {
            error: "no route",
            errorCode: "COULD_NOT_FIND_ANY_ROUTE",
          });
        case MINTS.untradable:
          return sendJson(response, 400, { error: "x", errorCode: "TOKEN_NOT_TRADABLE" });
        case MINTS.slippage:
          return sendJson(response, 400, {
            error: "moved",
            errorCode: "SLIPPAGE_TOLERANCE_EXCEEDED",
          });
        case MINTS.invalid:
          // The message alone says "route": the code decides, so this is not NO_ROUTE.
          return sendJson(response, 400, {
            error: "Could not find any route",
            errorCode: "INVALID_REQUEST",
          });
        case MINTS.limited:
          return sendJson(response, 429, { error: "slow down" }, { "retry-after": "3" });
        case MINTS.down:
          return sendJson(response, 503, { error: "down" });
        case MINTS.badAmount:
          return sendJson(response, 200, { ...body, outAmount: "1.5" });
        case MINTS.shortHash:
          return sendJson(response, 200, {
            ...body,
            blockhashWithMetadata: { blockhash: BLOCKHASH.slice(1), lastValidBlockHeight: 1 },
          });
        case MINTS.otherTrade:
          return sendJson(response, 200, { ...body, inAmount: "1" });
        case MINTS.notJson:
          response.writeHead(200, { "content-type": "application/json" });
          response.end("<html>");
          return;
        case MINTS.slow:
          return new Promise((resolve) => setTimeout(resolve, 1_000));
        default:
          return sendJson(response, 200, body);
      }
    });
    client = createSwapV2Client({
      baseUrl: `${server.url}/swap/v2/`,
      apiKey: "k-123",
      timeoutMs: 300,
    });
  });
  afterAll(() => server.close());

  const request = (outputMint: Address, extra: object = {}) => ({
    inputMint: SOL,
    outputMint,
    amount: 18_446_744_073_709_551_615n,
    taker: TAKER,
    slippageBps: 50,
    ...extra,
  });
  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(isOspreyError(error)).toBe(true);
    return error as OspreyError;
  };

  it("sends v2's query and key, and returns amounts as bigint, kit instructions and a base58 blockhash", async () => {
    const built = await client.build(
      request(MINTS.ok, { platformFeeBps: 85, feeAccount: POOL, maxAccounts: 40 }),
    );
    const sent = server.requests.at(-1);
    const query = new URL(sent?.url ?? "", "http://x").searchParams;
    expect(Object.fromEntries(query)).toEqual({
      inputMint: SOL,
      outputMint: MINTS.ok,
      amount: "18446744073709551615",
      taker: TAKER,
      slippageBps: "50",
      platformFeeBps: "85",
      feeAccount: POOL,
      maxAccounts: "40",
    });
    expect(sent?.method).toBe("GET");
    expect(sent?.headers["x-api-key"]).toBe("k-123");
    expect(built.inAmount).toBe(18_446_744_073_709_551_615n);
    expect(built.outAmount).toBe(18_446_744_073_709_551n);
    expect(built.otherAmountThreshold).toBe(18_354_510_353_341_003n);
    expect(built.priceImpact).toBeCloseTo(0.0123);
    expect(built.platformFee).toEqual({ amount: 1000n, feeBps: 85 });
    expect(built.routePlan).toEqual([{ ammKey: POOL, label: "Sandbox CPMM" }]);
    expect(built.blockhash).toBe(bytesToBase58(Uint8Array.from(BLOCKHASH)));
    expect(built.lastValidBlockHeight).toBe(1234n);
    expect(built.addressesByLookupTableAddress).toEqual({ [TABLE]: [POOL, SOL] });
    expect(built.swapInstruction.programAddress).toBe(
      "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
    );
    expect(built.swapInstruction.accounts.map((meta) => meta.role)).toEqual([
      AccountRole.WRITABLE_SIGNER,
      AccountRole.READONLY_SIGNER,
      AccountRole.WRITABLE,
      AccountRole.READONLY,
    ]);
    expect([...built.swapInstruction.data]).toEqual([3, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(built.computeBudgetInstructions).toHaveLength(1);
    expect(built.setupInstructions).toHaveLength(1);
    expect(built.cleanupInstruction).toBeNull();
    expect(built.tipInstruction).toBeNull();
    expect(built.otherInstructions).toEqual([]);
  });

  it("omits the fee parameters when there is no platform fee, and reads null tables as none", async () => {
    const built = await client.build(request(MINTS.noTables));
    const query = new URL(server.requests.at(-1)?.url ?? "", "http://x").searchParams;
    expect(query.has("platformFeeBps")).toBe(false);
    expect(query.has("feeAccount")).toBe(false);
    expect(built.addressesByLookupTableAddress).toEqual({});
    expect(built.platformFee).toBeNull();
  });

  it("maps errors by status and errorCode, never by message", async () => {
    expect((await failure(client.build(request(MINTS.noRoute)))).code).toBe("NO_ROUTE");
    expect((await failure(client.build(request(MINTS.untradable)))).code).toBe("NO_ROUTE");
    expect((await failure(client.build(request(MINTS.slippage)))).code).toBe("SLIPPAGE");
    const invalid = await failure(client.build(request(MINTS.invalid)));
    expect(invalid.code).toBe("API_ERROR");
    expect(invalid.context).toMatchObject({
      operation: "build",
      status: 400,
      errorCode: "INVALID_REQUEST",
    });
    const limited = await failure(client.build(request(MINTS.limited)));
    expect(limited.code).toBe("RATE_LIMITED");
    expect(limited.context.retryAfterMs).toBe(3000);
    expect((await failure(client.build(request(MINTS.down)))).code).toBe("SWAP_API_UNAVAILABLE");
  });

  it("refuses malformed answers and answers for another trade", async () => {
    for (const mint of [MINTS.badAmount, MINTS.shortHash, MINTS.otherTrade, MINTS.notJson]) {
      expect((await failure(client.build(request(mint)))).code).toBe("API_ERROR");
    }
  });

  it("times out as SWAP_API_UNAVAILABLE, and names unreachable servers the same way", async () => {
    const slow = await failure(client.build(request(MINTS.slow)));
    expect(slow.code).toBe("SWAP_API_UNAVAILABLE");
    expect(slow.context.reason).toBe("timeout");
    const closed = createSwapV2Client({ baseUrl: "http://127.0.0.1:1/swap/v2" });
    const unreachable = await failure(closed.build(request(MINTS.ok)));
    expect(unreachable.code).toBe("SWAP_API_UNAVAILABLE");
    expect(unreachable.context.reason).toBe("network");
  });

  it("refuses bad requests before sending anything", async () => {
    const before = server.requests.length;
    expect((await failure(client.build(request(MINTS.ok, { platformFeeBps: 10 })))).code).toBe(
      "INVALID_INPUT",
    );
    expect((await failure(client.build(request(MINTS.ok, { amount: 0n })))).code).toBe(
      "INVALID_AMOUNT",
    );
    expect((await failure(client.build(request(MINTS.ok, { slippageBps: 10_001 })))).code).toBe(
      "INVALID_INPUT",
    );
    expect(server.requests.length).toBe(before);
  });
});
