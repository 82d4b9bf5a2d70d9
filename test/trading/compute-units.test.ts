import {
  AccountRole,
  type Address,
  createSolanaRpcFromTransport,
  generateKeyPairSigner,
  getAddressEncoder,
  getProgramDerivedAddress,
} from "@solana/kit";
import { afterEach, describe, expect, it } from "vitest";
import type { SwapInstructions } from "../../src/chain/assemble-swap-transaction.js";
import { createEndpointHttpTransport } from "../../src/chain/http-transport.js";
import { parseRpcEndpoints } from "../../src/chain/parse-rpc-endpoints.js";
import { isOspreyError } from "../../src/core/osprey-error.js";
import { createComputeUnitCache, getComputeUnitLimit } from "../../src/trading/compute-units.js";
import { type JsonRpcTestServer, startJsonRpcTestServer } from "../chain/json-rpc-test-server.js";

let server: JsonRpcTestServer | undefined;
afterEach(async () => {
  await server?.close();
});

/** A node whose simulations report `units` (or fail with `err`), counting them. */
async function cacheOver(answer: () => { units: number; err?: unknown }) {
  server = await startJsonRpcTestServer(() => {
    const { units, err = null } = answer();
    return {
      result: { context: { slot: 1 }, value: { err, logs: ["log"], unitsConsumed: units } },
    };
  });
  const [endpoint] = parseRpcEndpoints(server.url);
  const rpc = createSolanaRpcFromTransport(
    createEndpointHttpTransport(endpoint as NonNullable<typeof endpoint>),
  );
  return createComputeUnitCache({ rpc });
}

async function swapOf(): Promise<SwapInstructions> {
  const [program, blockhash] = await Promise.all([
    generateKeyPairSigner(),
    generateKeyPairSigner(),
  ]);
  return {
    setupInstructions: [],
    swapInstruction: { programAddress: program.address, accounts: [], data: new Uint8Array([1]) },
    cleanupInstruction: null,
    otherInstructions: [],
    addressesByLookupTableAddress: {},
    blockhash: blockhash.address,
  };
}

describe("compute units per route", () => {
  it("simulates a route once, unsigned, and answers its limit with headroom from then on", async () => {
    let units = 50_000;
    const cache = await cacheOver(() => ({ units }));
    const swap = await swapOf();
    const payer = (await generateKeyPairSigner()).address;
    const key = { side: "buy" as const, pools: ["pool-a"], createsAccount: true };
    expect(await cache.getLimit(key, swap, payer)).toBe(65_000);
    const params = server?.calls[0]?.params as [string, Record<string, unknown>];
    expect(params[1]).toMatchObject({
      encoding: "base64",
      sigVerify: false,
      replaceRecentBlockhash: true,
    });
    units = 90_000;
    expect(await cache.getLimit(key, swap, payer)).toBe(65_000);
    // The same route without an account to create takes the dearer figure: no simulation.
    expect(await cache.getLimit({ ...key, createsAccount: false }, swap, payer)).toBe(65_000);
    expect(server?.callsTo("simulateTransaction")).toBe(1);
    // The other way round is not safe: a route that creates an account is simulated.
    const sell = { side: "sell" as const, pools: ["pool-a"], createsAccount: false };
    expect(await cache.getLimit(sell, swap, payer)).toBe(getComputeUnitLimit(90_000));
    expect(await cache.getLimit({ ...sell, createsAccount: true }, swap, payer)).toBe(
      getComputeUnitLimit(90_000),
    );
    expect(server?.callsTo("simulateTransaction")).toBe(3);
    expect(getComputeUnitLimit(2_000_000)).toBe(1_400_000);
  });

  it("refuses a swap whose simulation fails, with the reason, and remembers nothing", async () => {
    let err: unknown = { InstructionError: [1, { Custom: 17 }] };
    const cache = await cacheOver(() => ({ units: 1_000, err }));
    const swap = await swapOf();
    const payer = (await generateKeyPairSigner()).address;
    const key = { side: "sell" as const, pools: ["pool-b"], createsAccount: false };
    const failure = await cache.getLimit(key, swap, payer).catch((error: unknown) => error);
    expect(isOspreyError(failure) && failure.code).toBe("SWAP_SIMULATION_FAILED");
    expect(String((failure as Error).message)).toMatch(/frozen/);
    err = null;
    expect(await cache.getLimit(key, swap, payer)).toBe(getComputeUnitLimit(1_000));
    expect(server?.callsTo("simulateTransaction")).toBe(2);
  });
});

describe("compute units: another wallet's token-account creation", () => {
  it("adds this wallet's bump search to a figure another wallet's simulation gave", async () => {
    const cache = await cacheOver(() => ({ units: 50_000 }));
    const ata = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL" as Address;
    const token = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA" as Address;
    const mint = (await generateKeyPairSigner()).address;
    const encoder = getAddressEncoder();
    // A wallet whose account address is found only after several bumps (about 1 in 16 wallets).
    let owner: Address | undefined;
    let account: Address | undefined;
    let bump = 255;
    while (bump > 251) {
      owner = (await generateKeyPairSigner()).address;
      [account, bump] = await getProgramDerivedAddress({
        programAddress: ata,
        seeds: [encoder.encode(owner), encoder.encode(token), encoder.encode(mint)],
      });
    }
    const swap = await swapOf();
    const creating: SwapInstructions = {
      ...swap,
      setupInstructions: [
        {
          programAddress: ata,
          accounts: [owner, account, owner, mint, "11111111111111111111111111111111", token].map(
            (address) => ({ address: address as Address, role: AccountRole.WRITABLE }),
          ),
          data: new Uint8Array([1]),
        },
      ],
    };
    const key = { side: "buy" as const, pools: ["pool-b"], createsAccount: true };
    const payer = (await generateKeyPairSigner()).address;
    expect(await cache.getLimit(key, swap, payer)).toBe(65_000); // simulated: its own search is in it
    expect(await cache.getLimit(key, creating, owner as Address)).toBe(
      65_000 + (255 - bump) * 1_500,
    );
    expect(server?.calls).toHaveLength(1);
  });
});
