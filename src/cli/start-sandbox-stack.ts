import { address } from "@solana/kit";
import {
  type AccountFixtureOptions,
  loadAccountFixtures,
} from "../sandbox/admin/load-account-fixtures.js";
import { openLedgerKeypairs } from "../sandbox/ledger/ledger-directory.js";
import { writeValidatorLog } from "../sandbox/ledger/validator-log.js";
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
  /** solana-test-validator account fixtures to load at start (`--account`, `--account-dir`). */
  readonly fixtures?: AccountFixtureOptions;
  /**
   * A test validator's ledger directory: its identity, vote account and faucet keypairs are read
   * (or created there), and a validator.log describing this start is written.
   */
  readonly ledger?: string;
  /** The chain's first slot (default 1000; 0 as a fresh solana-test-validator). */
  readonly startSlot?: bigint;
  /** Start the Jito-compatible block engine and the sender (default true). */
  readonly blockEngine?: boolean;
}

/** The fields of the ready line (CONTRACTS.md) that describe the chain. */
export interface SandboxChainReadyFields {
  readonly rpc: string[];
  readonly ws: string[];
  readonly admin: string;
  /** The cluster's single validator (leader of every slot), its vote account and the faucet. */
  readonly identity: string;
  readonly voteAccount: string;
  readonly faucet: string;
  /** The Jito-compatible block engine's base URL and the sender's URL (absent when disabled). */
  readonly blockEngine?: string;
  readonly sender?: string;
}

/** The fields of the ready line (CONTRACTS.md) that describe the sandbox. */
export interface SandboxReadyFields extends SandboxChainReadyFields {
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

/** The chain alone: what a fresh solana-test-validator holds plus the loaded fixtures. */
export interface BareSandboxStack {
  readonly sandbox: RunningSandbox;
  readonly market: null;
  readonly ready: SandboxChainReadyFields;
  close(): Promise<void>;
}

/**
 * The whole sandbox: chain endpoints (with any account fixtures), then, unless `market` is
 * false, the demo market and its swap and price APIs on them. Without the market there are no
 * pools, so neither API is started.
 */
export async function startSandboxStack(
  options: SandboxStackOptions & { market?: true },
): Promise<SandboxStack>;
export async function startSandboxStack(
  options: SandboxStackOptions & { market: false },
): Promise<BareSandboxStack>;
export async function startSandboxStack(
  options: SandboxStackOptions & { market?: boolean },
): Promise<SandboxStack | BareSandboxStack>;
export async function startSandboxStack(
  options: SandboxStackOptions & { market?: boolean },
): Promise<SandboxStack | BareSandboxStack> {
  const host = options.host ?? "127.0.0.1";
  const keypairs = options.ledger ? await openLedgerKeypairs(options.ledger) : undefined;
  const sandbox = await startSandbox({
    host,
    port: options.port,
    endpoints: options.endpoints ?? 1,
    ...(options.slotMs ? { slotMs: options.slotMs } : {}),
    ...(keypairs ? { keypairs } : {}),
    ...(options.startSlot === undefined ? {} : { startSlot: options.startSlot }),
    ...(options.blockEngine === false ? { blockEngine: false as const } : {}),
  });
  const { chain } = sandbox;
  const chainReady: SandboxChainReadyFields = {
    rpc: sandbox.rpcUrls,
    ws: sandbox.wsUrls,
    admin: sandbox.adminUrl,
    identity: chain.validator.identity,
    voteAccount: chain.validator.voteAccount,
    faucet: chain.faucetAddress,
    ...(sandbox.blockEngineUrl ? { blockEngine: sandbox.blockEngineUrl } : {}),
    ...(sandbox.senderUrl ? { sender: sandbox.senderUrl } : {}),
  };
  let market: RunningSandboxMarket | null = null;
  try {
    if (options.ledger) {
      const rpcPort = Number(new URL(sandbox.rpcUrls[0] ?? "http://127.0.0.1:0").port);
      await writeValidatorLog(options.ledger, { chain, host, rpcPort });
    }
    if (options.fixtures) await loadAccountFixtures(chain, options.fixtures);
    if (options.market !== false) {
      market = await startSandboxMarket({
        chain,
        host,
        ...(sandbox.rpcUrls[0] ? { rpcUrl: sandbox.rpcUrls[0] } : {}),
        // With free ports everywhere the market takes one too, rather than RPC port − 2.
        ...(options.port === 0 ? { port: 0 } : {}),
        ...(options.onError ? { onError: options.onError } : {}),
        ...(options.feeWallets ? { feeWallets: options.feeWallets.map((w) => address(w)) } : {}),
      });
    }
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  if (!market) {
    return { sandbox, market: null, ready: chainReady, close: () => sandbox.close() };
  }
  const running = market;
  return {
    sandbox,
    market: running,
    ready: {
      ...chainReady,
      swapApi: running.swapApiUrl,
      priceApi: running.priceApiUrl,
      mints: running.mints,
      risky: running.risky,
    },
    async close() {
      await running.close();
      await sandbox.close();
    },
  };
}
