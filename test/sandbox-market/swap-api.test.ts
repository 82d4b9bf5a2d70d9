import { type Instruction as JupiterInstruction, ResponseError } from "@jup-ag/api";
import { type Address, generateKeyPairSigner } from "@solana/kit";
import * as t22 from "@solana-program/token-2022";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChainSender } from "../../src/sandbox/market/chain-sender.js";
import { getAssociatedTokenAddress } from "../../src/sandbox/market/create-token.js";
import { assembleSwapTransaction, postCosign } from "./assemble-swap-transaction.js";
import {
  lamportDelta,
  type MarketSandbox,
  SOL_MINT,
  startMarketSandbox,
  tokenDelta,
} from "./market-helpers.js";

let env: MarketSandbox;
const TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA" as Address;
let feeWallet: Address;

beforeAll(async () => {
  env = await startMarketSandbox({ bots: false });
  // The operator's fee wallet: a plain, funded system account (the SOL-side convention).
  feeWallet = (await generateKeyPairSigner()).address;
  env.chain.airdrop(feeWallet, 1_000_000_000n);
});

afterAll(async () => {
  await env?.close();
});

const mint = (symbol: string) => {
  const address = env.market.mints[symbol] ?? env.market.risky[symbol];
  if (!address) throw new Error(`no ${symbol}`);
  return address;
};

describe("sandbox swap API through @jup-ag/api", () => {
  it("quotes in Jupiter's shape, amounts as integer strings", async () => {
    const quote = await env.jupiter.quoteGet({
      inputMint: SOL_MINT,
      outputMint: mint("BONKY"),
      amount: 1_000_000_000,
      slippageBps: 50,
      platformFeeBps: 85,
    });
    expect(quote.inAmount).toBe("1000000000");
    expect(quote.outAmount).toMatch(/^\d+$/);
    expect(BigInt(quote.otherAmountThreshold)).toBe((BigInt(quote.outAmount) * 9950n) / 10_000n);
    expect(quote.platformFee).toEqual({ amount: "8500000", feeBps: 85 });
    expect(quote.routePlan).toHaveLength(1);
    expect(quote.routePlan[0]?.swapInfo.inAmount).toBe("991500000");
    expect(Number(quote.priceImpactPct)).toBeGreaterThan(0);
    expect(quote.contextSlot).toBeGreaterThan(0);
  });

  it("buys with SOL: the user gets exactly the quoted amount, the fee wallet exactly its bps", async () => {
    const user = await env.fundedUser();
    const quote = await env.jupiter.quoteGet({
      inputMint: SOL_MINT,
      outputMint: mint("BONKY"),
      amount: 2_000_000_000,
      slippageBps: 100,
      platformFeeBps: 85,
    });
    const { tx, response } = await env.swap(user, quote, {
      feeAccount: feeWallet,
      computeUnitPriceMicroLamports: 1000,
      dynamicComputeUnitLimit: true,
    });
    expect(tx.meta?.err).toBeNull();
    const received = tokenDelta(tx, user.address, mint("BONKY"));
    expect(received).toBe(BigInt(quote.outAmount));
    expect(received).toBeGreaterThanOrEqual(BigInt(quote.otherAmountThreshold));
    expect(lamportDelta(tx, feeWallet)).toBe((2_000_000_000n * 85n) / 10_000n);
    const rent = 2_039_280n;
    expect(lamportDelta(tx, user.address)).toBe(
      -(2_000_000_000n + BigInt(tx.meta?.fee ?? 0n) + rent),
    );
    // A simulated limit: far below the 1.4M default, so the priority fee stays small.
    expect(response.prioritizationFeeLamports).toBeGreaterThan(0);
    expect(response.prioritizationFeeLamports).toBeLessThan(100);
    // Two signatures (user and pool authority), both paid by the user as fee payer.
    expect(tx.meta?.fee).toBe(10_000n + BigInt(response.prioritizationFeeLamports ?? 0));
  });

  it("round-trips a healthy token losing only pool fees, platform fees and price impact", async () => {
    const user = await env.fundedUser();
    const spend = 5_000_000_000n;
    const buy = await env.jupiter.quoteGet({
      inputMint: SOL_MINT,
      outputMint: mint("WIFY"),
      amount: Number(spend),
      platformFeeBps: 85,
    });
    const bought = await env.swap(user, buy, { feeAccount: feeWallet });
    const tokens = tokenDelta(bought.tx, user.address, mint("WIFY"));
    const sell = await env.jupiter.quoteGet({
      inputMint: mint("WIFY"),
      outputMint: SOL_MINT,
      amount: Number(tokens),
      platformFeeBps: 85,
    });
    expect(sell.platformFee?.amount).toMatch(/^\d+$/);
    const sold = await env.swap(user, sell, { feeAccount: feeWallet });
    const back = lamportDelta(sold.tx, user.address) + BigInt(sold.tx.meta?.fee ?? 0n);
    expect(back).toBe(BigInt(sell.outAmount));
    // Output-side fee on the sell: the fee wallet gets exactly 85 bps of the SOL the pool paid.
    const gross = BigInt(sell.outAmount) + BigInt(sell.platformFee?.amount ?? "0");
    expect(lamportDelta(sold.tx, feeWallet)).toBe((gross * 85n) / 10_000n);
    const impact = Number(buy.priceImpactPct) + Number(sell.priceImpactPct);
    const kept = 0.9915 * 0.997 * 0.997 * 0.9915 * (1 - impact);
    expect(Number(back) / Number(spend)).toBeGreaterThan(kept - 1e-6);
    // On a constant-product curve the impact of buying is mostly undone by selling back.
    expect(Number(back) / Number(spend)).toBeLessThan(0.9915 * 0.997 * 0.997 * 0.9915 * 1.0001);
  });

  it("buys a Token-2022 token with on-mint metadata and receives an exact ExactOut amount", async () => {
    const user = await env.fundedUser();
    const want = 123_456_789n;
    const quote = await env.jupiter.quoteGet({
      inputMint: SOL_MINT,
      outputMint: mint("GLIDE"),
      amount: Number(want),
      swapMode: "ExactOut",
      slippageBps: 50,
      platformFeeBps: 85,
    });
    expect(quote.swapMode).toBe("ExactOut");
    expect(quote.outAmount).toBe(want.toString());
    const { tx } = await env.swap(user, quote, { feeAccount: feeWallet });
    expect(tokenDelta(tx, user.address, mint("GLIDE"))).toBe(want);
    const paid = -(lamportDelta(tx, user.address) + BigInt(tx.meta?.fee ?? 0n) + 2_074_080n);
    expect(paid).toBe(BigInt(quote.inAmount));
    expect(paid).toBeLessThanOrEqual(BigInt(quote.otherAmountThreshold));
    expect(lamportDelta(tx, feeWallet)).toBe(BigInt(quote.platformFee?.amount ?? "0"));
  });

  it("moves the price with every landed swap and refuses a stale quote past its slippage", async () => {
    const user = await env.fundedUser(500_000_000_000n);
    const stale = await env.jupiter.quoteGet({
      inputMint: SOL_MINT,
      outputMint: mint("POPY"),
      amount: 1_000_000_000,
      slippageBps: 10,
    });
    const whale = await env.jupiter.quoteGet({
      inputMint: SOL_MINT,
      outputMint: mint("POPY"),
      amount: 200_000_000_000,
    });
    await env.swap(user, whale);
    const fresh = await env.jupiter.quoteGet({
      inputMint: SOL_MINT,
      outputMint: mint("POPY"),
      amount: 1_000_000_000,
    });
    expect(BigInt(fresh.outAmount)).toBeLessThan(BigInt(stale.outAmount));
    const error = await env.jupiter
      .swapPost({ swapRequest: { quoteResponse: stale, userPublicKey: user.address } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseError);
    const response = (error as ResponseError).response;
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errorCode: "SLIPPAGE_TOLERANCE_EXCEEDED" });
  });

  it("swaps SOL to the stable and prices SOL through the SOL/USDC pool", async () => {
    const user = await env.fundedUser();
    const quote = await env.jupiter.quoteGet({
      inputMint: SOL_MINT,
      outputMint: mint("USDC"),
      amount: 1_000_000_000,
    });
    expect(Number(quote.outAmount) / 1e6).toBeGreaterThan(148);
    const { tx } = await env.swap(user, quote);
    expect(tokenDelta(tx, user.address, mint("USDC"))).toBe(BigInt(quote.outAmount));
    const prices = (await (
      await fetch(`${env.market.priceApiUrl}?ids=${SOL_MINT},${mint("USDC")},${mint("BONKY")}`)
    ).json()) as Record<string, { usdPrice: number; decimals: number; blockId: number }>;
    expect(prices[SOL_MINT]?.usdPrice).toBeGreaterThan(140);
    expect(prices[SOL_MINT]?.decimals).toBe(9);
    expect(prices[mint("USDC")]?.usdPrice).toBe(1);
    expect(prices[mint("BONKY")]?.usdPrice).toBeGreaterThan(0);
    expect(prices[mint("BONKY")]?.blockId).toBeGreaterThan(0);
  });

  it("sells for wrapped SOL when wrapAndUnwrapSol is false", async () => {
    const user = await env.fundedUser();
    const buy = await env.jupiter.quoteGet({
      inputMint: SOL_MINT,
      outputMint: mint("BONKY"),
      amount: 1_000_000_000,
    });
    await env.swap(user, buy);
    const sell = await env.jupiter.quoteGet({
      inputMint: mint("BONKY"),
      outputMint: SOL_MINT,
      amount: Number(BigInt(buy.outAmount) / 2n),
    });
    const { tx } = await env.swap(user, sell, { wrapAndUnwrapSol: false });
    expect(tokenDelta(tx, user.address, SOL_MINT)).toBe(BigInt(sell.outAmount));
  });

  it("pays an output-side fee into a wSOL token account, and a token-side fee in that token", async () => {
    const user = await env.fundedUser();
    const owner = await env.fundedUser(1_000_000_000n);
    const wsol = await getAssociatedTokenAddress(owner.address, SOL_MINT, TOKEN_PROGRAM);
    const usdcFee = await getAssociatedTokenAddress(owner.address, mint("USDC"), TOKEN_PROGRAM);
    await createChainSender(env.chain).send(owner, [
      t22.getCreateAssociatedTokenIdempotentInstruction({
        payer: owner,
        ata: wsol,
        owner: owner.address,
        mint: SOL_MINT,
        tokenProgram: TOKEN_PROGRAM,
      }),
      t22.getCreateAssociatedTokenIdempotentInstruction({
        payer: owner,
        ata: usdcFee,
        owner: owner.address,
        mint: mint("USDC"),
        tokenProgram: TOKEN_PROGRAM,
      }),
    ]);
    const buy = await env.jupiter.quoteGet({
      inputMint: SOL_MINT,
      outputMint: mint("BONKY"),
      amount: 1_000_000_000,
    });
    await env.swap(user, buy);
    const sell = await env.jupiter.quoteGet({
      inputMint: mint("BONKY"),
      outputMint: SOL_MINT,
      amount: Number(buy.outAmount),
      platformFeeBps: 100,
    });
    const sold = await env.swap(user, sell, { feeAccount: wsol });
    expect(tokenDelta(sold.tx, owner.address, SOL_MINT)).toBe(
      BigInt(sell.platformFee?.amount ?? "-1"),
    );
    // Buying the stable with a fee account in the stable: the fee moves to the output side.
    const usdc = await env.jupiter.quoteGet({
      inputMint: SOL_MINT,
      outputMint: mint("USDC"),
      amount: 1_000_000_000,
      platformFeeBps: 100,
    });
    const bought = await env.swap(user, usdc, { feeAccount: usdcFee });
    const got = tokenDelta(bought.tx, user.address, mint("USDC"));
    const fee = tokenDelta(bought.tx, owner.address, mint("USDC"));
    expect(fee).toBe(((got + fee) * 100n) / 10_000n);
    expect(got).toBeGreaterThanOrEqual(BigInt(usdc.otherAmountThreshold));
  });

  it("co-signs a transaction the client assembled from /swap-instructions, once, and only whole", async () => {
    const user = await env.fundedUser();
    const quote = await env.jupiter.quoteGet({
      inputMint: SOL_MINT,
      outputMint: mint("WIFY"),
      amount: 100_000_000,
    });
    const parts = await env.jupiter.swapInstructionsPost({
      swapRequest: { quoteResponse: quote, userPublicKey: user.address },
    });
    const { value: latest } = await env.rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
    const assemble = (list: JupiterInstruction[]) =>
      assembleSwapTransaction(user.address, latest, list);
    const cosign = (transaction: string) => postCosign(env.market.swapApiUrl, transaction);
    const payment = parts.setupInstructions.filter(
      (ix) =>
        !ix.accounts.some((a) => a.isSigner && a.pubkey === quote.routePlan[0]?.swapInfo.ammKey),
    );
    const withoutPayment = parts.setupInstructions.filter((ix) => !payment.slice(-1).includes(ix));
    const tampered = await cosign(
      assemble([...parts.computeBudgetInstructions, ...withoutPayment, parts.swapInstruction]),
    );
    expect(tampered.status).toBe(400);
    expect(await tampered.json()).toMatchObject({ errorCode: "TRANSACTION_NOT_COSIGNABLE" });
    const whole = assemble([
      ...parts.computeBudgetInstructions,
      ...parts.setupInstructions,
      parts.swapInstruction,
    ]);
    const signed = await cosign(whole);
    expect(signed.status).toBe(200);
    const { transaction } = (await signed.json()) as { transaction: string };
    const signature = await env.signAndSend(user, transaction);
    const tx = await env.confirm(signature);
    expect(tokenDelta(tx, user.address, mint("WIFY"))).toBe(BigInt(quote.outAmount));
    expect((await cosign(whole)).status).toBe(400);
  });

  it("returns the same route as separate instructions, and the pool labels", async () => {
    const user = await env.fundedUser();
    const quote = await env.jupiter.quoteGet({
      inputMint: SOL_MINT,
      outputMint: mint("BONKY"),
      amount: 10_000_000,
    });
    const parts = await env.jupiter.swapInstructionsPost({
      swapRequest: { quoteResponse: quote, userPublicKey: user.address },
    });
    expect(parts.computeBudgetInstructions.length).toBeGreaterThanOrEqual(1);
    expect(parts.setupInstructions.map((i) => i.programId)).toContain(
      "11111111111111111111111111111111",
    );
    expect(parts.swapInstruction.programId).toBe("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
    expect(
      parts.swapInstruction.accounts.some(
        (a) => a.isSigner && a.pubkey === quote.routePlan[0]?.swapInfo.ammKey,
      ),
    ).toBe(true);
    expect(parts.addressLookupTableAddresses).toEqual([env.market.market.lookupTable.address]);
    const labels = await env.jupiter.programIdToLabelGet();
    expect(labels[quote.routePlan[0]?.swapInfo.ammKey ?? ""]).toBe("Osprey Sandbox CPMM");
  });
});
