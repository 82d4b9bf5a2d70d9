import {
  type Address,
  appendTransactionMessageInstructions,
  type Blockhash,
  compileTransaction,
  compressTransactionMessageUsingAddressLookupTables,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  type Instruction,
  type KeyPairSigner,
  partiallySignTransaction,
  pipe,
  type Signature,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from "@solana/kit";
import { getSetComputeUnitLimitInstruction } from "@solana-program/compute-budget";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Address as OspreyAddress } from "../../src/core/addresses.js";
import { isOspreyError } from "../../src/core/osprey-error.js";
import {
  type BuildRequest,
  type BuiltSwapV2,
  createSwapV2Client,
  type SwapV2Client,
} from "../../src/swap/swap-v2-client.js";
import {
  lamportDelta,
  type MarketSandbox,
  SOL_MINT,
  startMarketSandbox,
  tokenDelta,
} from "./market-helpers.js";

let env: MarketSandbox;
let client: SwapV2Client;
let v2Url: string;

beforeAll(async () => {
  env = await startMarketSandbox({ bots: false });
  v2Url = env.market.swapApiUrl.replace(/\/swap\/v1$/, "/swap/v2");
  client = createSwapV2Client({ baseUrl: v2Url });
});

afterAll(async () => {
  await env?.close();
});

const mint = (symbol: string) => env.market.mints[symbol] as Address;
const osprey = (address: string) => address as OspreyAddress;
const poolOf = (symbol: string) => {
  const found = env.market.market.pools.all().find((p) => p.base.mint === mint(symbol));
  if (!found) throw new Error(`no pool for ${symbol}`);
  return found;
};

function request(user: KeyPairSigner, extra: Partial<BuildRequest> = {}): BuildRequest {
  return {
    inputMint: osprey(SOL_MINT),
    outputMint: osprey(mint("BONKY")),
    amount: 40_000_000n,
    taker: osprey(user.address),
    slippageBps: 50,
    ...extra,
  };
}

/** What a client does with a /build answer on mainnet: its own limit, the rest as given, compressed. */
function assemble(user: KeyPairSigner, built: BuiltSwapV2, swap?: Instruction) {
  const instructions: Instruction[] = [
    getSetComputeUnitLimitInstruction({ units: 300_000 }),
    ...built.computeBudgetInstructions,
    ...built.setupInstructions,
    swap ?? built.swapInstruction,
    ...(built.cleanupInstruction ? [built.cleanupInstruction] : []),
    ...built.otherInstructions,
  ];
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(user.address, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        {
          blockhash: built.blockhash as Blockhash,
          lastValidBlockHeight: built.lastValidBlockHeight,
        },
        m,
      ),
    (m) => appendTransactionMessageInstructions(instructions, m),
    (m) =>
      compressTransactionMessageUsingAddressLookupTables(m, built.addressesByLookupTableAddress),
  );
  return compileTransaction(message);
}

/** Signed by the user only: every other signer slot stays zero, as on mainnet. */
async function signAsUser(user: KeyPairSigner, built: BuiltSwapV2, swap?: Instruction) {
  const signed = await partiallySignTransaction([user.keyPair], assemble(user, built, swap));
  return getBase64EncodedWireTransaction(signed);
}

const send = (wire: string, skipPreflight = false) =>
  env.rpc
    .sendTransaction(wire as Parameters<typeof env.rpc.sendTransaction>[0], {
      encoding: "base64",
      preflightCommitment: "confirmed",
      skipPreflight,
    })
    .send();

/** The raw JSON-RPC error of a preflighted send: agave's -32002 carries the simulation's err. */
async function sendError(wire: string) {
  const response = await fetch(env.sandbox.rpcUrls[0] as string, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "sendTransaction",
      params: [wire, { encoding: "base64", preflightCommitment: "confirmed" }],
    }),
  });
  const body = (await response.json()) as { error?: { code: number; data?: { err?: unknown } } };
  return body.error;
}

describe("GET /swap/v2/build and validator co-signing", () => {
  it("answers v2's shapes: a price-only compute budget, the market table resolved, a current blockhash", async () => {
    const user = await env.fundedUser();
    const built = await client.build(request(user));
    const pool = poolOf("BONKY");
    expect(built.routePlan).toEqual([{ ammKey: pool.id, label: "Osprey Sandbox CPMM" }]);
    expect(built.inAmount).toBe(40_000_000n);
    expect(built.otherAmountThreshold).toBe((built.outAmount * 9_950n) / 10_000n);
    expect(built.computeBudgetInstructions).toHaveLength(1);
    const [price] = built.computeBudgetInstructions;
    expect(price?.programAddress).toBe("ComputeBudget111111111111111111111111111111");
    expect(price?.data[0]).toBe(3); // SetComputeUnitPrice; v2 never sets the limit
    const table = env.market.market.lookupTable;
    expect(built.addressesByLookupTableAddress).toEqual({ [table.address]: [...table.addresses] });
    const valid = await env.rpc
      .isBlockhashValid(built.blockhash as Blockhash, { commitment: "confirmed" })
      .send();
    expect(valid.value).toBe(true);
    const { value: height } = { value: await env.rpc.getBlockHeight().send() };
    expect(built.lastValidBlockHeight).toBeGreaterThan(height);
    // The pool authority signs the payout: a signer the client cannot provide.
    expect(built.swapInstruction.accounts.some((meta) => meta.address === pool.id)).toBe(true);
  });

  it("lands a transaction the user alone signed: the validator adds the pool's signature, balances exact", async () => {
    const user = await env.fundedUser();
    const built = await client.build(request(user));
    const wire = await signAsUser(user, built);
    const signature = await send(wire);
    const tx = await env.confirm(signature);
    expect(tx.meta?.err).toBeNull();
    expect(tx.transaction.signatures[0]).toBe(signature);
    expect(tx.transaction.signatures).toHaveLength(2);
    expect(tx.transaction.message.accountKeys).toContain(poolOf("BONKY").id);
    // A lookup-table route: the pool's vault and the mint were loaded from the market's table.
    expect(tx.meta?.loadedAddresses?.writable).toContain(poolOf("BONKY").base.address);
    expect(tx.meta?.loadedAddresses?.readonly).toContain(mint("BONKY"));
    expect(tokenDelta(tx, user.address, mint("BONKY"))).toBe(built.outAmount);
    // The user pays the input, the fee and the rent of the token account the setup created.
    expect(lamportDelta(tx, user.address)).toBe(
      -(built.inAmount + BigInt(tx.meta?.fee ?? 0n) + rentOfTokenAccount(tx, user.address)),
    );
  });

  it("co-signs the same bytes again when rebroadcast, and the swap executes once", async () => {
    const user = await env.fundedUser();
    const built = await client.build(request(user, { outputMint: osprey(mint("WIFY")) }));
    const wire = await signAsUser(user, built);
    const signatures = await Promise.all([send(wire, true), send(wire, true), send(wire, true)]);
    expect(new Set(signatures).size).toBe(1);
    const signature = signatures[0] as Signature;
    const tx = await env.confirm(signature);
    for (let i = 0; i < 3; i++) expect(await send(wire, true)).toBe(signature);
    env.chain.advance(2);
    const landed = env.chain
      .getTransactionsForAddress(user.address as Address)
      .filter((record) => record.signature === signature);
    expect(landed).toHaveLength(1);
    const { value } = await env.rpc
      .getTokenAccountsByOwner(user.address, { mint: mint("WIFY") }, { encoding: "jsonParsed" })
      .send();
    expect(value.map((a) => a.account.data.parsed.info.tokenAmount.amount)).toEqual([
      built.outAmount.toString(),
    ]);
    // A preflighted rebroadcast after landing is refused as agave refuses a processed one.
    expect(await sendError(wire)).toMatchObject({
      code: -32002,
      data: { err: "AlreadyProcessed" },
    });
    expect(tokenDelta(tx, user.address, mint("WIFY"))).toBe(built.outAmount);
  });

  it("simulates with sigVerify as the send will land (same message, same co-signature)", async () => {
    const user = await env.fundedUser();
    const built = await client.build(request(user, { outputMint: osprey(mint("GLIDE")) }));
    const wire = await signAsUser(user, built);
    const simulated = await env.rpc
      .simulateTransaction(wire as Parameters<typeof env.rpc.simulateTransaction>[0], {
        encoding: "base64",
        sigVerify: true,
        commitment: "confirmed",
      })
      .send();
    expect(simulated.value.err).toBeNull();
    const tx = await env.confirm(await send(wire));
    expect(tokenDelta(tx, user.address, mint("GLIDE"))).toBe(built.outAmount);
  });

  it("sells a Token-2022 token back for SOL from a /build answer", async () => {
    const user = await env.fundedUser();
    const bought = await client.build(request(user, { outputMint: osprey(mint("GLIDE")) }));
    await env.confirm(await send(await signAsUser(user, bought)));
    const sold = await client.build(
      request(user, {
        inputMint: osprey(mint("GLIDE")),
        outputMint: osprey(SOL_MINT),
        amount: bought.outAmount / 2n,
      }),
    );
    const tx = await env.confirm(await send(await signAsUser(user, sold)));
    expect(tokenDelta(tx, user.address, mint("GLIDE"))).toBe(-(bought.outAmount / 2n));
    expect(lamportDelta(tx, user.address)).toBe(sold.outAmount - BigInt(tx.meta?.fee ?? 0n));
  });

  it("buys a Token-2022 token with a transfer fee: outAmount is what the account gains", async () => {
    const user = await env.fundedUser();
    const built = await client.build(
      request(user, { outputMint: osprey(env.market.risky.FEE99 as string) }),
    );
    const tx = await env.confirm(await send(await signAsUser(user, built)));
    expect(tokenDelta(tx, user.address, env.market.risky.FEE99 as Address)).toBe(built.outAmount);
  });

  it("pays the platform fee to feeAccount", async () => {
    const user = await env.fundedUser();
    const feeWallet = await env.fundedUser(1_000_000_000n);
    const built = await client.build(
      request(user, {
        platformFeeBps: 100,
        feeAccount: osprey(feeWallet.address),
      }),
    );
    expect(built.platformFee?.feeBps).toBe(100);
    const tx = await env.confirm(await send(await signAsUser(user, built)));
    expect(lamportDelta(tx, feeWallet.address)).toBe(built.platformFee?.amount);
    expect(tokenDelta(tx, user.address, mint("BONKY"))).toBe(built.outAmount);
  });

  it("does not co-sign a transaction whose issued instructions were tampered with: it fails signature verification", async () => {
    const user = await env.fundedUser();
    const built = await client.build(request(user, { outputMint: osprey(mint("POPY")) }));
    // A bigger payout: the transfer's amount (after its one-byte tag) doubled.
    const data = Uint8Array.from(built.swapInstruction.data);
    const view = new DataView(data.buffer);
    view.setBigUint64(1, view.getBigUint64(1, true) * 2n, true);
    const tampered = await signAsUser(user, built, { ...built.swapInstruction, data });
    const simulated = await env.rpc
      .simulateTransaction(tampered as Parameters<typeof env.rpc.simulateTransaction>[0], {
        encoding: "base64",
        sigVerify: true,
        commitment: "confirmed",
      })
      .send();
    expect(simulated.value.err).toBe("SignatureFailure");
    expect(await sendError(tampered)).toMatchObject({
      code: -32002,
      data: { err: "SignatureFailure" },
    });
    // Skipping preflight, it is accepted by signature and never lands.
    const signature = await send(tampered, true);
    env.chain.advance(2);
    expect(env.chain.getTransaction(signature)).toBeUndefined();
    // The honest transaction for the same build still lands.
    const tx = await env.confirm(await send(await signAsUser(user, built)));
    expect(tokenDelta(tx, user.address, mint("POPY"))).toBe(built.outAmount);
  });

  it("validates parameters as Jupiter does: taker required, ExactIn only, feeAccount with platformFeeBps", async () => {
    const base = `${v2Url}/build?inputMint=${SOL_MINT}&outputMint=${mint("BONKY")}&amount=1000000`;
    const user = await env.fundedUser();
    const cases = [
      base,
      `${base}&taker=${user.address}&swapMode=ExactOut`,
      `${base}&taker=${user.address}&platformFeeBps=50`,
      `${base}&taker=${user.address}&slippageBps=10001`,
      `${base}&taker=not-a-key`,
    ];
    for (const url of cases) {
      const response = await fetch(url);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ errorCode: "INVALID_REQUEST" });
    }
    const tooSmall = await fetch(`${base}&taker=${user.address}&maxAccounts=3`);
    expect(tooSmall.status).toBe(400);
    expect(await tooSmall.json()).toMatchObject({ errorCode: "COULD_NOT_FIND_ANY_ROUTE" });
    const error = await client
      .build(request(user, { outputMint: osprey(SOL_MINT) }))
      .catch((caught: unknown) => caught);
    expect(isOspreyError(error)).toBe(true);
  });
});

/** Rent of the token account the swap created for `owner` (0 when it already existed). */
function rentOfTokenAccount(tx: Awaited<ReturnType<MarketSandbox["confirm"]>>, owner: Address) {
  const created = (tx.meta?.postTokenBalances ?? []).filter(
    (post) =>
      post.owner === owner &&
      !(tx.meta?.preTokenBalances ?? []).some((pre) => pre.accountIndex === post.accountIndex),
  );
  return created.reduce((total, post) => {
    const index = post.accountIndex;
    return (
      total + BigInt(tx.meta?.postBalances[index] ?? 0n) - BigInt(tx.meta?.preBalances[index] ?? 0n)
    );
  }, 0n);
}
