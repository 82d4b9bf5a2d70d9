import {
  AccountRole,
  type Address,
  appendTransactionMessageInstructions,
  type Blockhash,
  compileTransaction,
  compressTransactionMessageUsingAddressLookupTables,
  createNoopSigner,
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
import { getTransferSolInstruction } from "@solana-program/system";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Address as OspreyAddress } from "../../src/core/addresses.js";
import { createSwapV2Client, type SwapV2Client } from "../../src/swap/swap-v2-client.js";
import { DONT_FRONT, postRpc } from "../sandbox/block-engine-helpers.js";
import {
  lamportDelta,
  type MarketSandbox,
  SOL_MINT,
  startMarketSandbox,
  tokenDelta,
} from "./market-helpers.js";

let env: MarketSandbox;
let client: SwapV2Client;
let tipAccounts: Address[];

beforeAll(async () => {
  env = await startMarketSandbox({ bots: false });
  client = createSwapV2Client({
    baseUrl: env.market.swapApiUrl.replace(/\/swap\/v1$/, "/swap/v2"),
  });
  const answer = await postRpc(`${env.sandbox.blockEngineUrl}/api/v1/bundles`, "getTipAccounts");
  tipAccounts = answer.body.result;
});

afterAll(async () => {
  await env?.close();
});

/**
 * What Osprey assembles for a protected order: its compute limit, the /build instructions, the
 * guard account on the swap instruction (read-only) and the tip in the same transaction, signed
 * by the user alone (the validator adds the pool's signature).
 */
async function protectedSwap(user: KeyPairSigner, symbol: string, tipLamports: bigint) {
  const built = await client.build({
    inputMint: SOL_MINT as string as OspreyAddress,
    outputMint: env.market.mints[symbol] as string as OspreyAddress,
    amount: 30_000_000n,
    taker: user.address as string as OspreyAddress,
    slippageBps: 50,
  });
  const transfer = getTransferSolInstruction({
    source: createNoopSigner(user.address),
    destination: tipAccounts[5] as Address,
    amount: tipLamports,
  });
  // The guard rides on the tip transfer (read-only, not a signer): the swap stays as issued.
  const tip: Instruction = {
    ...transfer,
    accounts: [...transfer.accounts, { address: DONT_FRONT, role: AccountRole.READONLY }],
  };
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
    (m) =>
      appendTransactionMessageInstructions(
        [
          getSetComputeUnitLimitInstruction({ units: 300_000 }),
          ...built.computeBudgetInstructions,
          ...built.setupInstructions,
          built.swapInstruction,
          ...(built.cleanupInstruction ? [built.cleanupInstruction] : []),
          ...built.otherInstructions,
          tip,
        ],
        m,
      ),
    (m) =>
      compressTransactionMessageUsingAddressLookupTables(m, built.addressesByLookupTableAddress),
  );
  const signed = await partiallySignTransaction([user.keyPair], compileTransaction(message));
  return { built, wire: getBase64EncodedWireTransaction(signed) as string };
}

describe("a protected /swap/v2/build transaction through the private routes", () => {
  it("lands through sendBundle: co-signed by the validator, tip paid, guard in place, never on a public endpoint", async () => {
    const user = await env.fundedUser();
    const tipBefore = env.chain.getAccount(tipAccounts[5] as Address)?.lamports ?? 0n;
    const { built, wire } = await protectedSwap(user, "BONKY", 12_345n);
    const url = `${env.sandbox.blockEngineUrl}/api/v1/bundles`;
    const sent = await postRpc(url, "sendBundle", [[wire], { encoding: "base64" }]);
    expect(sent.body.error).toBeUndefined();
    const signature = env.chain.decodeTransaction(
      new Uint8Array(Buffer.from(wire, "base64")),
    ).signature;
    const tx = await env.confirm(signature as Signature);
    expect(tx.meta?.err).toBeNull();
    expect(tx.transaction.signatures).toHaveLength(2);
    expect(tokenDelta(tx, user.address, env.market.mints.BONKY as Address)).toBe(built.outAmount);
    expect(lamportDelta(tx, tipAccounts[5] as Address)).toBe(12_345n);
    expect(env.chain.getAccount(tipAccounts[5] as Address)?.lamports).toBe(tipBefore + 12_345n);
    const statuses = await postRpc(url, "getBundleStatuses", [[sent.body.result]]);
    expect(statuses.body.result.value[0]).toMatchObject({
      transactions: [signature],
      err: { Ok: null },
    });
    const routes = env.sandbox.sendLog.list({ signature }).map((entry) => entry.route);
    expect(routes).toEqual(["jito"]);
  });

  it("lands through the sender, and the same bytes rebroadcast execute once", async () => {
    const user = await env.fundedUser();
    const { built, wire } = await protectedSwap(user, "WIFY", 2_000n);
    const sender = env.sandbox.senderUrl as string;
    const config = { encoding: "base64", skipPreflight: true, maxRetries: 0 };
    const answers = await Promise.all(
      [1, 2, 3].map(() => postRpc(sender, "sendTransaction", [wire, config])),
    );
    const signature = answers[0]?.body.result as Signature;
    expect(answers.map((a) => a.body.result)).toEqual([signature, signature, signature]);
    const tx = await env.confirm(signature);
    expect(tokenDelta(tx, user.address, env.market.mints.WIFY as Address)).toBe(built.outAmount);
    env.chain.advance(2);
    expect(
      env.chain.getTransactionsForAddress(user.address).filter((r) => r.signature === signature),
    ).toHaveLength(1);
    expect(env.sandbox.sendLog.list({ signature }).map((e) => e.route)).toEqual([
      "sender",
      "sender",
      "sender",
    ]);
  });
});
