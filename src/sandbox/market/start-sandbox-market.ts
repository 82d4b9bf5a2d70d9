import { type Address, generateKeyPairSigner } from "@solana/kit";
import { getCreateAssociatedTokenIdempotentInstruction } from "@solana-program/token";
import { TOKEN_PROGRAM } from "../../core/token-programs.js";
import type { SandboxChain } from "../index.js";
import { createPriceFeed, type PriceFeed } from "../swap-api/price-feed.js";
import { createQuoteEngine, type QuoteEngine } from "../swap-api/quote-engine.js";
import type { RateLimitOptions } from "../swap-api/rate-limiter.js";
import { startSwapApiServer } from "../swap-api/swap-api-server.js";
import { createTokenSearch, type ListedToken } from "../swap-api/token-search.js";
import { createChainSender } from "./chain-sender.js";
import { getAssociatedTokenAddress } from "./create-token.js";
import { createDemoMarket, type DemoMarket, type DemoMarketOptions } from "./demo-market.js";
import { waitForLookupTable } from "./market-lookup-table.js";
import { NATIVE_MINT } from "./pool.js";

const LOOKUP_TABLE_WAIT_MS = 2_000;

export interface StartSandboxMarketOptions extends DemoMarketOptions {
  chain: SandboxChain;
  /** The chain's first RPC URL; only used to pick the default port (RPC port − 2). */
  rpcUrl?: string;
  host?: string;
  /** 0 picks a free port; default RPC port − 2 (8897 next to 8899), else 8897. */
  port?: number;
  rateLimit?: RateLimitOptions;
  now?: () => number;
  /**
   * Wallets that will receive SOL-side platform fees (e.g. the operator's FEE_WALLET). Each is
   * opened with its rent-exempt minimum if it doesn't exist yet, since a System transfer smaller
   * than that into a missing account fails. Its wrapped-SOL associated token account is opened
   * too: that is the `feeAccount` Osprey passes, as Jupiter takes token accounts only.
   */
  feeWallets?: readonly Address[];
}

export interface RunningSandboxMarket {
  /** Base of Jupiter's swap API, e.g. `http://127.0.0.1:8897/swap/v1`. */
  swapApiUrl: string;
  /** Jupiter's price API v3, e.g. `http://127.0.0.1:8897/price/v3`. */
  priceApiUrl: string;
  /** Jupiter's Tokens API v2, e.g. `http://127.0.0.1:8897/tokens/v2` (serves `/search`). */
  tokensApiUrl: string;
  mints: Record<string, Address>;
  risky: Record<string, Address>;
  market: DemoMarket;
  engine: QuoteEngine;
  prices: PriceFeed;
  close(): Promise<void>;
}

function defaultPort(rpcUrl: string | undefined): number {
  const port = rpcUrl ? Number(new URL(rpcUrl).port) : 0;
  return port > 2 ? port - 2 : 8897;
}

/** Creates the demo market on the chain and serves the swap and price APIs over it. */
export async function startSandboxMarket(
  options: StartSandboxMarketOptions,
): Promise<RunningSandboxMarket> {
  const market = await createDemoMarket(options.chain, options);
  await openFeeWallets(options.chain, options.feeWallets ?? []);
  const engine = createQuoteEngine(options.chain, market.pools, market.lookupTable);
  // The table resolves from the slot after its extension: wait that long (bounded) so the first
  // routes already load from it.
  await waitForLookupTable(options.chain, market.lookupTable, LOOKUP_TABLE_WAIT_MS);
  const prices = createPriceFeed({
    chain: options.chain,
    pools: market.pools,
    stableMint: market.stable.mint,
    decimalsOf: market.decimalsOf,
    ...(options.now ? { now: options.now } : {}),
  });
  // Verified = what the sandbox vouches for: the stable and the healthy tokens.
  const listed: ListedToken[] = [market.stable, ...market.tokens].map((token) => ({
    mint: token.mint,
    name: token.metadata.name,
    symbol: token.metadata.symbol,
    decimals: token.decimals,
    program: token.program,
    verified: token.risks.length === 0,
  }));
  try {
    const server = await startSwapApiServer({
      engine,
      prices,
      tokens: createTokenSearch({
        tokens: listed,
        prices,
        ...(options.now ? { now: options.now } : {}),
      }),
      host: options.host ?? "127.0.0.1",
      port: options.port ?? defaultPort(options.rpcUrl),
      ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    });
    return {
      swapApiUrl: `${server.url}/swap/v1`,
      priceApiUrl: `${server.url}/price/v3`,
      tokensApiUrl: `${server.url}/tokens/v2`,
      mints: market.mints,
      risky: market.risky,
      market,
      engine,
      prices,
      async close() {
        market.stop();
        await server.close();
      },
    };
  } catch (error) {
    market.stop();
    throw error;
  }
}

/** Opens each fee wallet and its wrapped-SOL associated token account, paid by a throwaway payer. */
async function openFeeWallets(chain: SandboxChain, wallets: readonly Address[]): Promise<void> {
  if (wallets.length === 0) return;
  const payer = await generateKeyPairSigner();
  chain.airdrop(payer.address, 1_000_000_000n);
  const sender = createChainSender(chain);
  for (const wallet of wallets) {
    if (!chain.getAccount(wallet)) chain.airdrop(wallet, chain.minimumBalanceForRentExemption(0));
    await sender.send(payer, [
      getCreateAssociatedTokenIdempotentInstruction({
        payer,
        ata: await getAssociatedTokenAddress(wallet, NATIVE_MINT, TOKEN_PROGRAM),
        owner: wallet,
        mint: NATIVE_MINT,
        tokenProgram: TOKEN_PROGRAM,
      }),
    ]);
  }
}
