import type { Address as KitAddress } from "@solana/kit";
import { assertIsTokenMint, type TokenMint } from "../core/addresses.js";
import type { Clock } from "../core/clock.js";
import { createPromiseCache } from "../core/promise-cache.js";
import { type AllowList, type AllowListEntry, createAllowList } from "./allow-list.js";
import { applyAllowList, checkAllowList } from "./checks/allow-list-check.js";
import { checkFreezeAuthority, checkMintAuthority } from "./checks/authority-checks.js";
import {
  checkConfidentialTransfer,
  checkDefaultAccountState,
  checkInterestBearing,
  checkMintCloseAuthority,
  checkNonTransferable,
  checkPausable,
  checkPermanentDelegate,
  checkScaledUiAmount,
  checkTransferHook,
  checkUnknownExtensions,
} from "./checks/extension-checks.js";
import { BURN_ADDRESSES, checkHolderConcentration } from "./checks/holder-check.js";
import { checkImpersonation } from "./checks/impersonation-check.js";
import type { CheckResult } from "./checks/make-check.js";
import { checkPriceImpact, checkRoundTripLoss, checkSellRoute } from "./checks/market-checks.js";
import {
  checkMetadataMissing,
  checkMetadataMutable,
  getTokenMetadata,
} from "./checks/metadata-checks.js";
import {
  checkTransferFee,
  getCurrentTransferFee,
  getEffectiveFeeBps,
} from "./checks/transfer-fee-check.js";
import { getMintAuthorities } from "./mint-authorities.js";
import { findExtension } from "./parse-mint-account.js";
import {
  type ChainFacts,
  type HolderAccount,
  type MintFacts,
  readHolderFacts,
  readMintFacts,
  type SafetyRpc,
} from "./read-chain-facts.js";
import {
  getRouteAmmKeys,
  type MarketFacts,
  NATIVE_MINT,
  type QuoteSource,
  readMarketFacts,
} from "./read-market-facts.js";
import type { Readable } from "./readable.js";
import type { SafetyCheck, SafetyReport } from "./safety-types.js";
import { getScore, getVerdict } from "./score-checks.js";

export interface TokenAnalyzerOptions {
  readonly rpc: SafetyRpc;
  readonly swapClient: QuoteSource;
  readonly clock: Clock;
  /** Entries or a built list; the composition root decides (mainnet majors, sandbox stable…). */
  readonly allowList: AllowList | readonly AllowListEntry[];
  /** How long a report is reused; default 10 s. `fresh: true` always re-reads. */
  readonly cacheTtlMs?: number;
  readonly maxCacheEntries?: number;
  /** The buy size liquidity is judged against, in lamports; default 0.1 SOL. */
  readonly buyLamports?: bigint;
  /** Owners of AMM vaults (pool authorities) whose holdings are liquidity, not a whale. */
  readonly poolAuthorities?: readonly string[];
  readonly burnAddresses?: readonly string[];
  /** What the token is bought with and sold back to; default wrapped SOL. */
  readonly quoteMint?: string;
}

export interface AnalyzeOptions {
  /** Skip every cache: read the mint, its holders and its market anew. */
  readonly fresh?: boolean;
  /**
   * Read the mint account (authorities, extensions, metadata) anew (or join a read of it in
   * flight), and reuse the holder and market facts read within the cache TTL, which are reloaded
   * in the background once half of it has passed. Facts up to `STALE_SLOW_FACTS_TTLS` TTLs past
   * expiry are still used while they reload (older ones are awaited). What a buy needs: what can
   * freeze or drain a holder is never older than the request, and the slower facts (which the
   * order's own swap build re-prices anyway) cost no round trip on its path.
   */
  readonly freshMint?: boolean;
  readonly buyLamports?: bigint;
}

export interface TokenAnalyzer {
  analyzeToken(mint: string, options?: AnalyzeOptions): Promise<SafetyReport>;
  clearCache(): void;
}

/**
 * How many TTLs past expiry an order (`freshMint`) may still use holder and market facts while
 * they reload: with the default 10 s TTL, facts up to 30 s old. A token bought every 10–30 s then
 * never waits for two sequential quotes on the order's path.
 */
export const STALE_SLOW_FACTS_TTLS = 2;

export function createTokenAnalyzer(options: TokenAnalyzerOptions): TokenAnalyzer {
  const { rpc, swapClient, clock } = options;
  const allowList =
    "match" in options.allowList ? options.allowList : createAllowList(options.allowList);
  const defaultBuy = options.buyLamports ?? 100_000_000n;
  const poolOwners = new Set(options.poolAuthorities ?? []);
  const burnOwners = new Set(options.burnAddresses ?? BURN_ADDRESSES);
  const quoteMint = (options.quoteMint ?? NATIVE_MINT) as TokenMint;
  const ttlMs = options.cacheTtlMs ?? 10_000;
  const maxEntries = options.maxCacheEntries ?? 1_000;
  const reports = createPromiseCache<SafetyReport>(clock, ttlMs, maxEntries);
  const slowFacts = createPromiseCache<SlowFacts>(clock, ttlMs, maxEntries);

  /** Holders and quotes, alongside the mint read; the probe amount waits for decimals only if needed. */
  async function readSlowFacts(
    mint: TokenMint,
    buyLamports: bigint,
    mintFacts: Promise<MintFacts>,
  ): Promise<SlowFacts> {
    const holdersPromise = readHolderFacts(rpc, mint as string as KitAddress);
    const market = await readMarketFacts(
      swapClient,
      mint,
      buyLamports,
      async () => {
        const { mint: parsed } = await mintFacts;
        const whole = 10n ** BigInt(parsed.decimals);
        return whole < parsed.supply ? whole : parsed.supply;
      },
      quoteMint,
    );
    return { holders: await holdersPromise, market };
  }

  const readMint = (mint: TokenMint) => readMintFacts(rpc, mint as string as KitAddress);
  const mintReads = new Map<TokenMint, Promise<MintFacts>>();
  /**
   * Joins a read of the same mint already in flight: under a burst of buys of one token, one
   * request serves them all, and what it returns is at most one round trip older than a read
   * of their own would have been.
   */
  function readMintJoined(mint: TokenMint): Promise<MintFacts> {
    let read = mintReads.get(mint);
    if (!read) {
      read = readMint(mint).finally(() => mintReads.delete(mint));
      mintReads.set(mint, read);
    }
    return read;
  }

  async function analyze(
    mint: TokenMint,
    buyLamports: bigint,
    slow: "reuse" | "reload",
  ): Promise<SafetyReport> {
    const mintPromise = slow === "reuse" ? readMintJoined(mint) : readMint(mint);
    mintPromise.catch(() => undefined);
    const slowPromise = slowFacts.get(
      `${mint}:${buyLamports}`,
      () => readSlowFacts(mint, buyLamports, mintPromise),
      slow === "reload"
        ? { fresh: true }
        : { refreshAfterMs: ttlMs / 2, staleForMs: ttlMs * STALE_SLOW_FACTS_TTLS },
    );
    slowPromise.catch(() => undefined);
    const facts = await mintPromise;
    const { holders, market } = await slowPromise;
    return buildReport(mint, { ...facts, holders }, market);
  }

  function buildReport(mint: TokenMint, chain: ChainFacts, market: MarketFacts): SafetyReport {
    const parsed = chain.mint;
    const metadata = getTokenMetadata(mint, parsed, chain.metaplex);
    const received = market.buy.kind === "quoted" ? market.buy.quote.outAmount : null;
    const feeConfig = findExtension(parsed, "TransferFeeConfig");
    const feeBps =
      feeConfig && chain.epoch.ok
        ? getEffectiveFeeBps(getCurrentTransferFee(feeConfig, chain.epoch.value), received)
        : 0;
    const match = allowList.match(mint, getMintAuthorities(parsed));
    const exclusions = {
      poolOwners: new Set([...poolOwners, ...getRouteAmmKeys(market)]),
      burnOwners,
    };
    const checks: CheckResult[] = [
      checkMintAuthority(parsed),
      checkFreezeAuthority(parsed),
      checkPermanentDelegate(parsed),
      checkNonTransferable(parsed),
      checkDefaultAccountState(parsed),
      checkPausable(parsed),
      checkTransferFee(parsed, chain.epoch, received),
      checkTransferHook(parsed),
      checkMintCloseAuthority(parsed),
      checkConfidentialTransfer(parsed),
      checkInterestBearing(parsed),
      checkScaledUiAmount(parsed),
      checkMetadataMissing(metadata),
      checkMetadataMutable(metadata),
      checkHolderConcentration(parsed.supply, chain.holders, exclusions),
      checkSellRoute(market),
      checkPriceImpact(market),
      checkRoundTripLoss(market, feeBps),
      checkAllowList(match),
      checkImpersonation(mint, metadata, allowList.entries),
      ...[checkUnknownExtensions(parsed)].filter((c): c is CheckResult => c !== null),
    ];
    const final: SafetyCheck[] = applyAllowList(checks, match).map(
      ({ id, severity, status, detail }) => ({
        id,
        severity,
        status,
        detail,
      }),
    );
    const verdict = getVerdict(final);
    return {
      mint,
      program: parsed.program,
      name: metadata?.name ?? null,
      symbol: metadata?.symbol ?? null,
      decimals: parsed.decimals,
      supply: parsed.supply,
      verdict,
      score: getScore(final, verdict),
      checks: final,
      analyzedAt: new Date(clock.now()).toISOString(),
      slot: chain.slot,
    };
  }

  return {
    async analyzeToken(mint, analyzeOptions = {}) {
      assertIsTokenMint(mint);
      const buyLamports = analyzeOptions.buyLamports ?? defaultBuy;
      if (analyzeOptions.freshMint && !analyzeOptions.fresh)
        return analyze(mint, buyLamports, "reuse");
      return reports.get(`${mint}:${buyLamports}`, () => analyze(mint, buyLamports, "reload"), {
        fresh: analyzeOptions.fresh === true,
      });
    },
    clearCache() {
      reports.clear();
      slowFacts.clear();
    },
  };
}

/** The facts that change with trading rather than with the issuer's keys. */
interface SlowFacts {
  readonly holders: Readable<readonly HolderAccount[]>;
  readonly market: MarketFacts;
}
