import { type Address, generateKeyPairSigner, isSome, type KeyPairSigner } from "@solana/kit";
import * as t22 from "@solana-program/token-2022";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChainSender } from "../../src/sandbox/market/chain-sender.js";
import { getAssociatedTokenAddress } from "../../src/sandbox/market/create-token.js";
import { createMarketKeys } from "../../src/sandbox/market/market-keys.js";
import { getMetadataAddress } from "../../src/sandbox/market/metaplex-metadata.js";
import { isTokenAccountFrozen, readTokenAmount } from "../../src/sandbox/market/pool.js";
import { type MarketSandbox, SOL_MINT, startMarketSandbox, tokenDelta } from "./market-helpers.js";

let env: MarketSandbox;
const TOKEN_2022 = t22.TOKEN_2022_PROGRAM_ADDRESS;

beforeAll(async () => {
  env = await startMarketSandbox({ freezeDelaySlots: 2, dumpEverySlots: 5 });
});

afterAll(async () => {
  await env?.close();
});

const risky = (symbol: string) => env.market.risky[symbol] as Address;

async function buy(user: KeyPairSigner, mint: Address, lamports = 1_000_000_000) {
  const quote = await env.jupiter.quoteGet({
    inputMint: SOL_MINT,
    outputMint: mint,
    amount: lamports,
  });
  const landed = await env.swap(user, quote);
  return { quote, ...landed, received: tokenDelta(landed.tx, user.address, mint) };
}

/** A plain transferChecked from `owner` to a fresh wallet, through the chain's real programs. */
async function sendTo(owner: KeyPairSigner, mint: Address, amount: bigint, decimals = 6) {
  const recipient = (await generateKeyPairSigner()).address;
  const source = await getAssociatedTokenAddress(owner.address, mint, TOKEN_2022);
  const destination = await getAssociatedTokenAddress(recipient, mint, TOKEN_2022);
  await createChainSender(env.chain).send(owner, [
    t22.getCreateAssociatedTokenIdempotentInstruction({
      payer: owner,
      ata: destination,
      owner: recipient,
      mint,
    }),
    t22.getTransferCheckedInstruction({
      source,
      mint,
      destination,
      authority: owner,
      amount,
      decimals,
    }),
  ]);
  return destination;
}

async function waitFor(check: () => boolean, slots = 200) {
  for (let i = 0; i < slots && !check(); i++)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return check();
}

describe("malicious demo tokens behave as designed on chain", () => {
  it("FREEZE: a bot freezes the buyer shortly after, and the buyer cannot sell", async () => {
    const user = await env.fundedUser();
    const { received } = await buy(user, risky("FREEZE"));
    expect(received).toBeGreaterThan(0n);
    const account = await getAssociatedTokenAddress(
      user.address,
      risky("FREEZE"),
      "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA" as Address,
    );
    expect(await waitFor(() => isTokenAccountFrozen(env.chain, account))).toBe(true);
    const sell = await env.jupiter.quoteGet({
      inputMint: risky("FREEZE"),
      outputMint: SOL_MINT,
      amount: Number(received),
    });
    await expect(env.swap(user, sell)).rejects.toThrow();
    expect(readTokenAmount(env.chain, account)).toBe(received);
  });

  it("FEE99: the 99% transfer fee is in the quote, the buyer gets 1%, and so does any recipient", async () => {
    const user = await env.fundedUser();
    const { quote, received } = await buy(user, risky("FEE99"));
    const gross = BigInt(quote.routePlan[0]?.swapInfo.outAmount ?? "0");
    expect(received).toBe(BigInt(quote.outAmount));
    expect(received).toBe(gross - (gross * 9_900n + 9_999n) / 10_000n);
    const destination = await sendTo(user, risky("FEE99"), 1_000_000n);
    expect(readTokenAmount(env.chain, destination)).toBe(10_000n);
  });

  it("NOXFER: buyable and sellable through the pool, but cannot be sent anywhere", async () => {
    const user = await env.fundedUser();
    const { received, quote } = await buy(user, risky("NOXFER"));
    expect(received).toBe(BigInt(quote.outAmount));
    await expect(sendTo(user, risky("NOXFER"), 1n)).rejects.toThrow(/failed/);
    const sell = await env.jupiter.quoteGet({
      inputMint: risky("NOXFER"),
      outputMint: SOL_MINT,
      amount: Number(received),
    });
    const sold = await env.swap(user, sell);
    expect(tokenDelta(sold.tx, user.address, risky("NOXFER"))).toBe(-received);
  });

  it("PDELEG: the permanent delegate moves a holder's tokens without asking", async () => {
    const user = await env.fundedUser();
    const { received } = await buy(user, risky("PDELEG"));
    const delegate = await createMarketKeys("osprey-demo").derive("PDELEG:creator");
    const source = await getAssociatedTokenAddress(user.address, risky("PDELEG"), TOKEN_2022);
    const destination = await getAssociatedTokenAddress(
      delegate.address,
      risky("PDELEG"),
      TOKEN_2022,
    );
    await createChainSender(env.chain).send(delegate, [
      t22.getCreateAssociatedTokenIdempotentInstruction({
        payer: delegate,
        ata: destination,
        owner: delegate.address,
        mint: risky("PDELEG"),
      }),
      t22.getTransferCheckedInstruction({
        source,
        mint: risky("PDELEG"),
        destination,
        authority: delegate,
        amount: received,
        decimals: 6,
      }),
    ]);
    expect(readTokenAmount(env.chain, source)).toBe(0n);
  });

  it("DFROZEN: accounts start frozen; the pool thaws its buyer inside the swap", async () => {
    const user = await env.fundedUser();
    const { received } = await buy(user, risky("DFROZEN"));
    expect(received).toBeGreaterThan(0n);
    const mint = t22
      .getMintDecoder()
      .decode(env.chain.getAccount(risky("DFROZEN"))?.data ?? new Uint8Array());
    const kinds = isSome(mint.extensions) ? mint.extensions.value.map((e) => e.__kind) : [];
    expect(kinds).toContain("DefaultAccountState");
  });

  it("HOOK: every transfer runs the issuer's hook program, and trading still works", async () => {
    const user = await env.fundedUser();
    const { tx, received } = await buy(user, risky("HOOK"));
    expect(received).toBeGreaterThan(0n);
    const hook = (await createMarketKeys("osprey-demo").derive("hook-program")).address;
    expect(tx.meta?.logMessages?.some((line) => line.includes(`${hook} invoke [2]`))).toBe(true);
    const sell = await env.jupiter.quoteGet({
      inputMint: risky("HOOK"),
      outputMint: SOL_MINT,
      amount: Number(received),
    });
    expect((await env.swap(user, sell)).tx.meta?.err).toBeNull();
  });

  it("PRINT: the live mint authority mints and dumps into buyers", async () => {
    const user = await env.fundedUser();
    const price = () => env.market.prices.getPrice(risky("PRINT")) ?? 0;
    const before = price();
    // The dumper may sell before the buy's confirmation comes back, so the peak is sampled after
    // every landed transaction rather than read once afterwards.
    let peak = before;
    const stop = env.chain.onTransaction(() => {
      peak = Math.max(peak, price());
    });
    await buy(user, risky("PRINT"), 50_000_000_000).finally(stop);
    expect(peak).toBeGreaterThan(before);
    expect(await waitFor(() => (env.market.prices.getPrice(risky("PRINT")) ?? 0) < before)).toBe(
      true,
    );
  });

  it("WHALE: one wallet holds 90% of the supply", async () => {
    const { value } = await env.rpc
      .getTokenLargestAccounts(risky("WHALE"), { commitment: "confirmed" })
      .send();
    const supply = (
      await env.rpc.getTokenSupply(risky("WHALE"), { commitment: "confirmed" }).send()
    ).value.amount;
    expect(BigInt(value[0]?.amount ?? "0") * 10n).toBe(BigInt(supply) * 9n);
  });

  it("DRY: a nearly empty pool quotes a ruinous impact and cannot fill a large ExactOut", async () => {
    const quote = await env.jupiter.quoteGet({
      inputMint: SOL_MINT,
      outputMint: risky("DRY"),
      amount: 1_000_000_000,
    });
    expect(Number(quote.priceImpactPct)).toBeGreaterThan(0.9);
    const response = await fetch(
      `${env.market.swapApiUrl}/quote?inputMint=${SOL_MINT}&outputMint=${risky("DRY")}&amount=999999999999999&swapMode=ExactOut`,
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errorCode: "COULD_NOT_FIND_ANY_ROUTE" });
  });

  it("metadata is readable where wallets look: Metaplex PDAs and the Token-2022 extension", async () => {
    const readMetaplex = async (mint: Address) => {
      const { value } = await env.rpc
        .getAccountInfo(await getMetadataAddress(mint), { encoding: "base64" })
        .send();
      const data = Buffer.from(value?.data[0] ?? "", "base64");
      const text = (at: number) =>
        data
          .subarray(at + 4, at + 4 + data.readUInt32LE(at))
          .toString("utf8")
          .replace(/\0+$/, "");
      return { name: text(65), symbol: text(101), isMutable: data[323] === 1, owner: value?.owner };
    };
    expect(await readMetaplex(env.market.mints.BONKY as Address)).toEqual({
      name: "Bonky",
      symbol: "BONKY",
      isMutable: false,
      owner: "metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s",
    });
    expect((await readMetaplex(risky("MUTABLE"))).isMutable).toBe(true);
    const glide = t22
      .getMintDecoder()
      .decode(env.chain.getAccount(env.market.mints.GLIDE as Address)?.data ?? new Uint8Array());
    const metadata = isSome(glide.extensions)
      ? glide.extensions.value.find((e) => e.__kind === "TokenMetadata")
      : undefined;
    expect(metadata).toMatchObject({ name: "Glide (Token-2022)", symbol: "GLIDE" });
    expect(metadata && "updateAuthority" in metadata && isSome(metadata.updateAuthority)).toBe(
      false,
    );
  });
});
