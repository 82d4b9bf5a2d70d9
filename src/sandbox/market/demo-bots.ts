import type { KeyPairSigner } from "@solana/kit";
import type { SandboxChain } from "../index.js";
import { createChainSender } from "./chain-sender.js";
import type { DemoMarketOptions, DemoToken } from "./demo-market.js";
import { startDumperBot, startFreezerBot } from "./market-bots.js";

/** Starts the freezer and dumper bots of the tokens that have them; returns their stoppers. */
export function startDemoBots(
  chain: SandboxChain,
  tokens: readonly DemoToken[],
  bots: Record<string, KeyPairSigner>,
  options: DemoMarketOptions,
  onError: (error: unknown) => void,
): (() => void)[] {
  const sender = createChainSender(chain);
  const stops: (() => void)[] = [];
  for (const token of tokens) {
    const bot = bots[token.symbol];
    if (!bot) continue;
    if (token.risks.includes("freeze-authority-freezes-buyers")) {
      stops.push(
        startFreezerBot({
          chain,
          sender,
          mint: token.mint,
          program: token.program,
          freezeAuthority: bot,
          spare: new Set([token.pool.base.address]),
          delaySlots: options.freezeDelaySlots ?? 2,
          onError,
        }),
      );
    }
    const pool = token.pool;
    if (token.risks.includes("mint-authority-dumps") && pool.quote.kind === "lamports") {
      stops.push(
        startDumperBot({
          chain,
          sender,
          pool: { ...pool, quote: pool.quote },
          decimals: token.decimals,
          mintAuthority: bot,
          everySlots: options.dumpEverySlots ?? 10,
          dumpBps: 5_000,
          onError,
        }),
      );
    }
  }
  return stops;
}
