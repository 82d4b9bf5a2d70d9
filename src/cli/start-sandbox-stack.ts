import { address } from "@solana/kit";
import {
  type RunningSandboxMarket,
  startSandboxMarket,
} from "../sandbox/market/start-sandbox-market.js";
import { type RunningSandbox, startSandbox } from "../sandbox/server/start-sandbox.js";

export interface SandboxStackOptions {
  readonly host?: string;
  /** First RPC port (0: free ports everywhere). */
  readonly port: number;
  readonly endpoints?: number;
  readonly slotMs?: number;
  readonly onError?: (error: unknown) => void;
  /**
   * Operators' fee wallets: each is opened, with its wrapped-SOL token account (the `feeAccount`
   * Osprey passes to the swap API), so SOL-side platform fees can land.
   */
  readonly feeWallets?: readonly string[];
}

/** The fields of the ready line (CONTRACTS.md) that describe the sandbox. */
export interface SandboxReadyFields {
  readonly rpc: string[];
  readonly ws: string[];
  readonly admin: string;
  readonly swapApi: string;
  readonly priceApi: string;
  readonly mints: Record<string, string>;
  readonly risky: Record<string, string>;
}

export interface SandboxStack {
  readonly sandbox: RunningSandbox;
  readonly market: RunningSandboxMarket;
  readonly ready: SandboxReadyFields;
  close(): Promise<void>;
}

/** The whole sandbox: chain endpoints, then the demo market and its swap and price APIs on them. */
export async function startSandboxStack(options: SandboxStackOptions): Promise<SandboxStack> {
  const host = options.host ?? "127.0.0.1";
  const sandbox = await startSandbox({
    host,
    port: options.port,
    endpoints: options.endpoints ?? 1,
    ...(options.slotMs ? { slotMs: options.slotMs } : {}),
  });
  let market: RunningSandboxMarket;
  try {
    market = await startSandboxMarket({
      chain: sandbox.chain,
      host,
      ...(sandbox.rpcUrls[0] ? { rpcUrl: sandbox.rpcUrls[0] } : {}),
      // With free ports everywhere the market takes one too, rather than RPC port − 2.
      ...(options.port === 0 ? { port: 0 } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
      ...(options.feeWallets ? { feeWallets: options.feeWallets.map((w) => address(w)) } : {}),
    });
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  return {
    sandbox,
    market,
    ready: {
      rpc: sandbox.rpcUrls,
      ws: sandbox.wsUrls,
      admin: sandbox.adminUrl,
      swapApi: market.swapApiUrl,
      priceApi: market.priceApiUrl,
      mints: market.mints,
      risky: market.risky,
    },
    async close() {
      await market.close();
      await sandbox.close();
    },
  };
}
