import { createSolanaRpc } from "@solana/kit";
import { systemClock } from "../../src/core/clock.js";
import {
  createTokenAnalyzer,
  MAINNET_ALLOW_LIST,
  readAllowListEntry,
} from "../../src/safety/index.js";
import { startSandbox } from "../../src/sandbox/index.js";
import { startSandboxMarket } from "../../src/sandbox/market/start-sandbox-market.js";
import { createSwapClient } from "../../src/swap/index.js";

/** The sandbox chain, the demo market behind the sandbox swap API, and an analyzer over both. */
export async function startSafetySandbox() {
  const sandbox = await startSandbox({ port: 0 });
  try {
    const market = await startSandboxMarket({ chain: sandbox.chain, port: 0, bots: false });
    const rpcUrl = sandbox.rpcUrls[0] as string;
    const rpc = createSolanaRpc(rpcUrl);
    const stable = await readAllowListEntry(rpc, market.market.stable.mint, "USDC");
    const swapClient = createSwapClient({
      baseUrl: market.swapApiUrl,
      clock: systemClock,
      quoteCacheTtlMs: 0,
    });
    const analyzer = createTokenAnalyzer({
      rpc,
      swapClient,
      clock: systemClock,
      allowList: [...MAINNET_ALLOW_LIST, stable],
      cacheTtlMs: 0,
    });
    return {
      sandbox,
      market,
      rpc,
      rpcUrl,
      swapClient,
      analyzer,
      stable,
      async close() {
        await market.close();
        await sandbox.close();
      },
    };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}

export type SafetySandbox = Awaited<ReturnType<typeof startSafetySandbox>>;
