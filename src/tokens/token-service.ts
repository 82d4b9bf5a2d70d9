import type { Address as KitAddress } from "@solana/kit";
import { assertIsTokenMint, isAddress } from "../core/addresses.js";
import { isOspreyError, OspreyError } from "../core/osprey-error.js";
import { getTokenMetadata } from "../safety/checks/metadata-checks.js";
import { type MintFacts, readMintFacts, type SafetyRpc } from "../safety/read-chain-facts.js";
import { NATIVE_MINT as SOL_MINT } from "../safety/read-market-facts.js";
import type { TokenProgramKind } from "../safety/safety-types.js";
import type { FetchUsdPrices } from "../swap/price-batch.js";
import type { ListedToken, TokenListClient } from "./token-list-client.js";

/** A search result (CONTRACTS17 "Tokens, candles"). */
export interface TokenSummary {
  readonly mint: string;
  readonly name: string;
  readonly symbol: string;
  readonly decimals: number;
  readonly icon: string | null;
  readonly verified: boolean;
  readonly priceUsd: number | null;
  readonly liquidityUsd: number | null;
}

/** The token page's header: a summary, the price in SOL and the token program. */
export interface TokenInfo extends TokenSummary {
  readonly priceSol: number | null;
  readonly tokenProgram: TokenProgramKind;
}

export interface TokenService {
  /** By symbol, name or mint; a mint query always yields that token first, if it is a mint. */
  search(query: string): Promise<TokenSummary[]>;
  /** One token, read from the chain; 404 TOKEN_NOT_FOUND when the address is not a mint. */
  getToken(mint: string): Promise<TokenInfo>;
}

export interface TokenServiceOptions {
  readonly list: TokenListClient;
  readonly rpc: SafetyRpc;
  readonly prices: FetchUsdPrices;
  /** Mints Osprey itself vouches for (the allow-list): verified whatever the list says. */
  readonly verifiedMints?: ReadonlySet<string>;
}

interface ChainToken {
  readonly name: string | null;
  readonly symbol: string | null;
  readonly decimals: number;
  readonly program: TokenProgramKind;
}

function fromFacts(mint: string, facts: MintFacts): ChainToken {
  const metadata = getTokenMetadata(mint, facts.mint, facts.metaplex);
  return {
    name: metadata?.name || null,
    symbol: metadata?.symbol || null,
    decimals: facts.mint.decimals,
    program: facts.mint.program,
  };
}

/** The mint from the chain; a wallet, a token account or nothing at all is TOKEN_NOT_FOUND. */
async function readChainToken(rpc: SafetyRpc, mint: string): Promise<ChainToken> {
  try {
    return fromFacts(mint, await readMintFacts(rpc, mint as KitAddress));
  } catch (error) {
    if (isOspreyError(error) && error.code === "NOT_A_MINT")
      throw new OspreyError("TOKEN_NOT_FOUND", `${mint} is not a token mint.`, { mint });
    throw error;
  }
}

export function createTokenService(options: TokenServiceOptions): TokenService {
  const { list, rpc, prices } = options;
  const vouched = options.verifiedMints ?? new Set<string>();
  const summarize = (token: ListedToken): TokenSummary => ({
    mint: token.mint,
    name: token.name,
    symbol: token.symbol,
    decimals: token.decimals,
    icon: token.icon,
    verified: token.verified || vouched.has(token.mint),
    priceUsd: token.priceUsd,
    liquidityUsd: token.liquidityUsd,
  });
  const pricesOf = (mints: string[]) => prices(mints).catch(() => new Map<string, number>());

  /** A mint no list knows: what the chain says, priced if the price API knows it. */
  async function fromChain(mint: string): Promise<TokenSummary | null> {
    const [token, usd] = await Promise.all([
      readChainToken(rpc, mint).catch((error: unknown) => {
        if (isOspreyError(error) && error.code === "TOKEN_NOT_FOUND") return null;
        throw error;
      }),
      pricesOf([mint]),
    ]);
    if (token === null) return null;
    return {
      mint,
      name: token.name ?? "",
      symbol: token.symbol ?? "",
      decimals: token.decimals,
      icon: null,
      verified: vouched.has(mint),
      priceUsd: usd.get(mint) ?? null,
      liquidityUsd: null,
    };
  }

  return {
    async search(query) {
      if (!isAddress(query)) return (await list.search(query)).map(summarize);
      // A pasted mint: the list may not know it (new, or not a token at all); the chain decides.
      const listed = await list.search(query).catch(() => [] as ListedToken[]);
      const known = listed.find((token) => token.mint === query);
      const first = known ? summarize(known) : await fromChain(query);
      const rest = listed.filter((token) => token.mint !== query).map(summarize);
      return first ? [first, ...rest] : rest;
    },

    async getToken(mint) {
      assertIsTokenMint(mint);
      const [chain, listed, usd] = await Promise.all([
        readChainToken(rpc, mint),
        list.search(mint).catch(() => [] as ListedToken[]),
        pricesOf([mint, SOL_MINT]),
      ]);
      const known = listed.find((token) => token.mint === mint);
      const priceUsd = usd.get(mint) ?? known?.priceUsd ?? null;
      const solUsd = usd.get(SOL_MINT) ?? null;
      return {
        mint,
        name: chain.name ?? known?.name ?? "",
        symbol: chain.symbol ?? known?.symbol ?? "",
        decimals: chain.decimals,
        icon: known?.icon ?? null,
        verified: (known?.verified ?? false) || vouched.has(mint),
        priceUsd,
        priceSol: priceUsd !== null && solUsd ? priceUsd / solUsd : null,
        liquidityUsd: known?.liquidityUsd ?? null,
        tokenProgram: chain.program,
      };
    },
  };
}
