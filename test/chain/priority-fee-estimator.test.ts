import {
  appendTransactionMessageInstruction,
  type Blockhash,
  createSolanaRpcFromTransport,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getWritableAccounts } from "../../src/chain/get-writable-accounts.js";
import { createEndpointHttpTransport } from "../../src/chain/http-transport.js";
import { parseRpcEndpoints } from "../../src/chain/parse-rpc-endpoints.js";
import {
  createPriorityFeeEstimator,
  getPercentile,
  PRIORITY_LEVEL_PERCENTILES,
} from "../../src/chain/priority-fee-estimator.js";
import { type JsonRpcTestServer, startJsonRpcTestServer } from "./json-rpc-test-server.js";

let server: JsonRpcTestServer | undefined;
afterEach(async () => {
  await server?.close();
});

async function estimatorWith(
  fees: number[],
  options: Omit<Parameters<typeof createPriorityFeeEstimator>[0], "rpc"> = {},
) {
  server = await startJsonRpcTestServer(() => ({
    result: fees.map((prioritizationFee, slot) => ({ slot, prioritizationFee })),
  }));
  const [endpoint] = parseRpcEndpoints(server.url);
  const rpc = createSolanaRpcFromTransport(
    createEndpointHttpTransport(endpoint as NonNullable<typeof endpoint>),
  );
  return createPriorityFeeEstimator({ rpc, ...options });
}

describe("priority fee estimator", () => {
  it("takes the configured percentile of recent fees for the accounts", async () => {
    const estimator = await estimatorWith([0, 0, 100, 200, 300, 400, 500, 600, 700, 800], {
      percentile: 50,
    });
    const account = (await generateKeyPairSigner()).address;
    expect(await estimator.estimate([account])).toBe(300n);
    expect(server?.calls[0]?.params).toEqual([[account]]);
  });

  it("answers each priority level's percentile from one read of the fees", async () => {
    const estimator = await estimatorWith([800, 0, 700, 100, 600, 200, 500, 300, 400, 0]);
    const account = (await generateKeyPairSigner()).address;
    const at = (percentile: number) => estimator.estimate([account], { percentile });
    expect(await at(PRIORITY_LEVEL_PERCENTILES.low)).toBe(100n);
    expect(await at(PRIORITY_LEVEL_PERCENTILES.medium)).toBe(300n);
    expect(await at(PRIORITY_LEVEL_PERCENTILES.high)).toBe(600n);
    expect(await at(PRIORITY_LEVEL_PERCENTILES.veryHigh)).toBe(800n);
    expect(await estimator.estimate([account])).toBe(600n); // the configured 75th
    expect(server?.calls).toHaveLength(1);
    await expect(at(101)).rejects.toThrow(RangeError);
  });

  it("clamps to the floor and the maximum", async () => {
    expect(await (await estimatorWith([0, 0, 0], { minMicroLamports: 1_000n })).estimate([])).toBe(
      1_000n,
    );
    await server?.close();
    expect(
      await (await estimatorWith([5_000_000_000], { maxMicroLamports: 50_000n })).estimate([]),
    ).toBe(50_000n);
  });

  it("reuses an estimate per account set, reloads it in the background, and expires it", async () => {
    let now = 0;
    const fees = [100];
    const estimator = await estimatorWith(fees, { clock: { now: () => now } });
    const [a, b] = [
      (await generateKeyPairSigner()).address,
      (await generateKeyPairSigner()).address,
    ];
    const calls = () => server?.calls.length ?? 0;
    expect(await estimator.estimate([a])).toBe(100n);
    fees[0] = 200;
    now = 1_999; // fresh enough: no request
    expect(await estimator.estimate([a])).toBe(100n);
    expect(calls()).toBe(1);
    expect(await estimator.estimate([a, b])).toBe(200n); // another account set: its own request
    now = 2_000; // past the refresh age: the old value at once, a new one behind it
    expect(await estimator.estimate([a])).toBe(100n);
    const patiently = { timeout: 10_000 };
    await vi.waitFor(() => expect(calls()).toBe(3), patiently);
    await vi.waitFor(async () => expect(await estimator.estimate([a])).toBe(200n), patiently);
    fees[0] = 300;
    now = 12_001; // past the TTL of the reloaded value: the caller waits for a new one
    expect(await estimator.estimate([a])).toBe(300n);
    expect(calls()).toBe(4);
  });

  it("nearest-rank percentile over bigints", () => {
    expect(getPercentile([], 90)).toBe(0n);
    expect(getPercentile([5n, 1n, 3n], 100)).toBe(5n);
    expect(getPercentile([5n, 1n, 3n], 0)).toBe(1n);
  });
});

describe("getWritableAccounts", () => {
  it("lists the fee payer and the writable static accounts, not the program", async () => {
    const payer = await generateKeyPairSigner();
    const recipient = (await generateKeyPairSigner()).address;
    const message = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayerSigner(payer, m),
      (m) =>
        setTransactionMessageLifetimeUsingBlockhash(
          {
            blockhash: "4uQeVj5tqViQh7yWWGStvkEG1Zmhx6uasJtWCJziofM" as Blockhash,
            lastValidBlockHeight: 10n,
          },
          m,
        ),
      (m) =>
        appendTransactionMessageInstruction(
          getTransferSolInstruction({ source: payer, destination: recipient, amount: 1n }),
          m,
        ),
    );
    const signed = await signTransactionMessageWithSigners(message);
    expect(getWritableAccounts(getBase64EncodedWireTransaction(signed)).sort()).toEqual(
      [payer.address, recipient].sort(),
    );
  });
});
