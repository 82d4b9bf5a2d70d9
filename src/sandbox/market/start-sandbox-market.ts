import type { Address } from "@solana/kit";
import type { SandboxChain } from "../index.js";
import { createPriceFeed, type PriceFeed } from "../swap-api/price-feed.js";
import { createQuoteEngine, type QuoteEngine } from "../swap-api/quote-engine.js";
import type { RateLimitOptions } from "../swap-api/rate-limiter.js";
import { startSwapApiServer } from "../swap-api/swap-api-server.js";
import { createDemoMarket, type DemoMarket, type DemoMarketOptions } from "./demo-market.js";

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
   * Wallets that will receive SOL-side platform fees (e.g. the operator's FEE_WALLET): opened
   * with their rent-exempt minimum if they don't exist yet, since a System transfer smaller than
   * that into a missing account fails and the swap API refuses to build such a transaction.
   */
  feeWallets?: readonly Address[];
}

export interface RunningSandboxMarket {
  /** Base of Jupiter's swap API, e.g. `http://127.0.0.1:8897/swap/v1`. */
  swapApiUrl: string;
  /** Jupiter's price API v3, e.g. `http://127.0.0.1:8897/price/v3`. */
  priceApiUrl: string;
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
  for (const wallet of options.feeWallets ?? []) {
    if (!options.chain.getAccount(wallet)) {
      options.chain.airdrop(wallet, options.chain.minimumBalanceForRentExemption(0));
    }
  }
  const engine = createQuoteEngine(options.chain, market.pools);
  const prices = createPriceFeed({
    chain: options.chain,
    pools: market.pools,
    stableMint: market.stable.mint,
    decimalsOf: market.decimalsOf,
    ...(options.now ? { now: options.now } : {}),
  });
  try {
    const server = await startSwapApiServer({
      engine,
      prices,
      host: options.host ?? "127.0.0.1",
      port: options.port ?? defaultPort(options.rpcUrl),
      ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    });
    return {
      swapApiUrl: `${server.url}/swap/v1`,
      priceApiUrl: `${server.url}/price/v3`,
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
