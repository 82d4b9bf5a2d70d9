import {
  type Address,
  createNoopSigner,
  type Instruction,
  type TransactionSigner,
} from "@solana/kit";
import { getAssociatedTokenAddress } from "../market/create-token.js";
import type { MintState } from "../market/mint-state.js";
import { isTokenAccountFrozen, NATIVE_MINT } from "../market/pool.js";
import { type FeeTarget, resolveFeeAccount } from "./fee-account.js";
import type { PricedRoute, QuoteEngine } from "./quote-engine.js";
import { SwapApiError } from "./swap-api-error.js";
import type { SwapParams } from "./swap-request.js";
import {
  burnTokens,
  createTokenAccount,
  mintTokens,
  syncNative,
  thawTokenAccount,
  transferLamports,
  transferTokens,
} from "./token-instructions.js";

/** The swap as Jupiter's instruction groups; the pool authority's instructions carry its signer. */
export interface SwapPlan {
  route: PricedRoute;
  setup: Instruction[];
  swap: Instruction;
  cleanup: Instruction | null;
}

/**
 * Re-prices the quoted trade against the reserves as they are now and refuses it when the price
 * moved past the quote's threshold. The amounts are then fixed in the transaction: it pays
 * exactly that whenever it lands (before its blockhash expires), even if other swaps land first.
 */
export async function planSwap(engine: QuoteEngine, params: SwapParams): Promise<SwapPlan> {
  const { chain } = engine;
  const q = params.quote;
  // A pool authority as "user" would make the pool the fee payer of a transaction it signs.
  if (engine.pools.all().some((pool) => pool.id === params.userPublicKey)) {
    throw new SwapApiError("INVALID_REQUEST", "userPublicKey cannot be a pool account");
  }
  const inMint = engine.getMint(q.inputMint);
  const outMint = engine.getMint(q.outputMint);
  const fee =
    params.feeAccount && q.platformFeeBps > 0 && inMint && outMint
      ? resolveFeeAccount(chain, params.feeAccount, inMint, outMint)
      : null;
  if (fee && q.swapMode === "ExactOut" && fee.side === "output") {
    throw new SwapApiError("INVALID_FEE_ACCOUNT", "ExactOut takes the fee from the input mint");
  }
  const route = engine.route({
    inputMint: q.inputMint,
    outputMint: q.outputMint,
    amount: q.swapMode === "ExactIn" ? q.inAmount : q.outAmount,
    swapMode: q.swapMode,
    platformFeeBps: fee ? q.platformFeeBps : 0,
    ...(fee ? { feeSide: fee.side } : {}),
  });
  const a = route.amounts;
  if (
    q.swapMode === "ExactIn"
      ? a.outAmount < q.otherAmountThreshold
      : a.inAmount > q.otherAmountThreshold
  ) {
    throw new SwapApiError(
      "SLIPPAGE_TOLERANCE_EXCEEDED",
      `The price moved past the slippage tolerance since the quote (${q.swapMode === "ExactIn" ? `out ${a.outAmount} < minimum ${q.otherAmountThreshold}` : `in ${a.inAmount} > maximum ${q.otherAmountThreshold}`})`,
    );
  }
  const { pool } = route;
  const user = createNoopSigner(params.userPublicKey);
  const authority = pool.authority;
  const setup: Instruction[] = [];
  let cleanup: Instruction | null = null;
  const base = route.direction === "buy" ? route.outMint : route.inMint;
  const quoteMint = route.direction === "buy" ? route.inMint : route.outMint;
  const userBase = await getAssociatedTokenAddress(user.address, base.address, base.program);
  const mintBurn = pool.baseMode === "mint-burn";
  if (
    fee &&
    mintBurn &&
    fee.target.kind === "token" &&
    fee.side === (route.direction === "buy" ? "output" : "input")
  ) {
    throw new SwapApiError(
      "INVALID_FEE_ACCOUNT",
      "This token cannot be transferred to a fee account",
    );
  }

  const ensureAccount = async (mint: MintState, explicit: Address | null) => {
    if (explicit) return explicit;
    const ata = await getAssociatedTokenAddress(user.address, mint.address, mint.program);
    if (!chain.getAccount(ata)) setup.push(createTokenAccount(user, ata, user.address, mint));
    return ata;
  };
  const payFee = async (
    from: TransactionSigner,
    source: Address,
    mint: MintState,
    target: FeeTarget,
  ) => {
    if (target.kind === "token")
      return transferTokens(mint, source, target.address, from, a.platformFee);
    setup.push(transferLamports(from, target.address, a.platformFee));
    return target.kind === "wsol" ? syncNative(target.address) : null;
  };
  let lamportsOut = 0n;
  let swap: Instruction;

  if (route.direction === "buy") {
    const destination = await ensureAccount(base, params.destinationTokenAccount);
    if (
      pool.thawBuyer &&
      (!chain.getAccount(destination) || isTokenAccountFrozen(chain, destination))
    ) {
      setup.push(thawTokenAccount(base, destination, authority));
    }
    const wrapped = pool.quote.kind === "lamports" && !params.wrapAndUnwrapSol;
    const userQuote =
      pool.quote.kind === "lamports" && params.wrapAndUnwrapSol
        ? user.address
        : await getAssociatedTokenAddress(user.address, quoteMint.address, quoteMint.program);
    if (fee && fee.side === "input") {
      const extra = await payFee(user, userQuote, quoteMint, fee.target);
      if (extra) setup.push(extra);
    }
    if (pool.quote.kind === "lamports" && !wrapped) {
      setup.push(transferLamports(user, pool.quote.address, a.swapIn));
    } else {
      const vault = pool.quote.kind === "lamports" ? pool.quote.wsolAccount : pool.quote.address;
      setup.push(await transferTokens(quoteMint, userQuote, vault, user, a.swapIn));
    }
    if (mintBurn) {
      setup.push(burnTokens(base, pool.base.address, authority, a.userOut));
      swap = mintTokens(base, destination, authority, a.userOut);
    } else {
      swap = await transferTokens(base, pool.base.address, destination, authority, a.userOut);
    }
    if (fee && fee.side === "output") {
      setup.push(
        await transferTokens(base, pool.base.address, fee.target.address, authority, a.platformFee),
      );
    }
  } else {
    if (fee && fee.side === "input") {
      const extra = await payFee(user, userBase, base, fee.target);
      if (extra) setup.push(extra);
    }
    if (mintBurn) {
      setup.push(burnTokens(base, userBase, user, a.swapIn));
      setup.push(mintTokens(base, pool.base.address, authority, a.swapIn));
    } else {
      setup.push(await transferTokens(base, userBase, pool.base.address, user, a.swapIn));
    }
    if (pool.quote.kind === "lamports") {
      lamportsOut += a.userOut;
      if (params.wrapAndUnwrapSol) {
        swap = transferLamports(
          authority,
          params.nativeDestinationAccount ?? user.address,
          a.userOut,
        );
      } else {
        const wsol = await ensureAccount(quoteMint, params.destinationTokenAccount);
        swap = transferLamports(authority, wsol, a.userOut);
        cleanup = syncNative(wsol);
      }
    } else {
      const destination = await ensureAccount(quoteMint, params.destinationTokenAccount);
      swap = await transferTokens(quoteMint, pool.quote.address, destination, authority, a.userOut);
    }
    if (fee && fee.side === "output") {
      if (fee.target.kind !== "token") lamportsOut += a.platformFee;
      const source = pool.quote.kind === "token" ? pool.quote.address : authority.address;
      const extra = await payFee(authority, source, quoteMint, fee.target);
      if (extra) setup.push(extra);
    }
  }
  checkLamports(engine, route, lamportsOut, fee?.target ?? null, a.platformFee);
  return { route, setup, swap, cleanup };
}

function checkLamports(
  engine: QuoteEngine,
  route: PricedRoute,
  lamportsOut: bigint,
  target: FeeTarget | null,
  platformFee: bigint,
): void {
  const { chain } = engine;
  const available =
    (chain.getAccount(route.pool.authority.address)?.lamports ?? 0n) -
    chain.minimumBalanceForRentExemption(0);
  if (lamportsOut > available) {
    throw new SwapApiError(
      "INSUFFICIENT_LIQUIDITY",
      "The pool cannot pay out that much SOL right now",
    );
  }
  if (
    target?.kind === "lamports" &&
    !chain.getAccount(target.address) &&
    platformFee < chain.minimumBalanceForRentExemption(0)
  ) {
    throw new SwapApiError(
      "INVALID_FEE_ACCOUNT",
      "The fee wallet does not exist yet and this fee is below its rent-exempt minimum; fund it first",
    );
  }
}

export { NATIVE_MINT };
