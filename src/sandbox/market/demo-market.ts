import type { Address, KeyPairSigner } from "@solana/kit";
import type { SandboxChain } from "../index.js";
import { createChainSender } from "./chain-sender.js";
import { createPool } from "./create-pool.js";
import { createToken } from "./create-token.js";
import { startDemoBots } from "./demo-bots.js";
import { extensionsFor, holdersFor } from "./demo-token-setup.js";
import { DEMO_TOKENS, type DemoRisk } from "./demo-tokens.js";
import { deployNoopProgram, writeEmptyExtraAccountMetas } from "./hook-program.js";
import { createMarketKeys } from "./market-keys.js";
import {
  createMarketLookupTable,
  getPoolTableAddresses,
  type MarketLookupTable,
} from "./market-lookup-table.js";
import { ensureNativeMint } from "./native-mint.js";
import { NATIVE_MINT, type Pool } from "./pool.js";
import { createPoolRegistry, type PoolRegistry } from "./pool-registry.js";

export interface DemoToken {
  /** The demo's label (unique; the ready line's key). */
  symbol: string;
  name: string;
  /** What the token's metadata says on chain: the label, except for an impersonator. */
  metadata: { symbol: string; name: string };
  mint: Address;
  program: Address;
  decimals: number;
  risks: readonly DemoRisk[];
  pool: Pool;
}

export interface DemoMarket {
  pools: PoolRegistry;
  /** The USDC-like stable (6 decimals, mint and freeze authority held by its issuer). */
  stable: DemoToken;
  tokens: readonly DemoToken[];
  /** Healthy tokens by symbol, the stable included (the ready line's `mints`). */
  mints: Record<string, Address>;
  /** Malicious or risky tokens by symbol (the ready line's `risky`). */
  risky: Record<string, Address>;
  /** The table holding every pool's programs, vaults and mints, which routes load from. */
  lookupTable: MarketLookupTable;
  decimalsOf(mint: Address): number | null;
  /** Stops the market's bots. */
  stop(): void;
}

export interface DemoMarketOptions {
  /** Seed of the market's deterministic keys; stable addresses across runs. */
  seed?: string;
  /** Run the freezer and dumper bots (default true). */
  bots?: boolean;
  freezeDelaySlots?: number;
  dumpEverySlots?: number;
  poolFeeBps?: number;
  onError?: (error: unknown) => void;
}

const SOL = 1_000_000_000n;
const STABLE_POOL_SOL = 10_000n;
const SOL_USD = 150n;

/** Builds the demo market on `chain`: the stable, SOL/USDC, healthy tokens and the risky ones. */
export async function createDemoMarket(
  chain: SandboxChain,
  options: DemoMarketOptions = {},
): Promise<DemoMarket> {
  const keys = createMarketKeys(options.seed ?? "osprey-demo");
  const sender = createChainSender(chain);
  const pools = createPoolRegistry();
  const feeBps = options.poolFeeBps ?? 30;
  const onError = options.onError ?? (() => {});
  ensureNativeMint(chain);

  const issuer = await keys.derive("USDC:issuer");
  chain.airdrop(issuer.address, 10n * SOL);
  const stablePool = await keys.derive("pool:USDC");
  const usdc = await createToken(
    chain,
    sender,
    {
      symbol: "USDC",
      name: "USD Coin (sandbox)",
      decimals: 6,
      program: "spl-token",
      mint: await keys.derive("USDC:mint"),
      creator: issuer,
      mintAuthority: issuer,
      freezeAuthority: issuer,
      metadata: "metaplex",
      metadataMutable: true,
      revokeMintAuthority: false,
      revokeFreezeAuthority: false,
    },
    [
      { owner: stablePool.address, amount: STABLE_POOL_SOL * SOL_USD * 1_000_000n },
      { owner: (await keys.derive("USDC:treasury")).address, amount: 50_000_000n * 1_000_000n },
    ],
  );
  const usdcPool = await createPool(chain, sender, {
    label: "USDC/SOL",
    authority: stablePool,
    feeBps: 25,
    base: usdc,
    quote: { kind: "sol", lamports: STABLE_POOL_SOL * SOL },
  });
  pools.add(usdcPool);
  const stable: DemoToken = {
    symbol: "USDC",
    name: "USD Coin (sandbox)",
    metadata: { symbol: "USDC", name: "USD Coin (sandbox)" },
    ...usdc,
    decimals: 6,
    risks: [],
    pool: usdcPool,
  };

  const hookProgram = (await keys.derive("hook-program")).address;
  deployNoopProgram(chain, hookProgram);
  const tokens: DemoToken[] = [];
  const signers: Record<string, KeyPairSigner> = {};
  const hookAccounts: Address[] = [hookProgram];
  for (const spec of DEMO_TOKENS) {
    const creator = await keys.derive(`${spec.symbol}:creator`);
    const authority = await keys.derive(`pool:${spec.symbol}`);
    const bot = await keys.derive(`${spec.symbol}:bot`);
    chain.airdrop(creator.address, 10n * SOL);
    chain.airdrop(bot.address, SOL);
    const has = (risk: DemoRisk) => spec.risks.includes(risk);
    const mint = await keys.derive(`${spec.symbol}:mint`);
    const metadata = has("impersonates-stable")
      ? { ...stable.metadata }
      : { symbol: spec.symbol, name: spec.name };
    const created = await createToken(
      chain,
      sender,
      {
        ...metadata,
        decimals: spec.decimals,
        program: spec.program,
        mint,
        creator,
        mintAuthority: has("mint-authority-dumps")
          ? bot
          : has("non-transferable")
            ? authority
            : creator,
        freezeAuthority: has("freeze-authority-freezes-buyers")
          ? bot
          : has("default-frozen")
            ? authority
            : null,
        extensions: extensionsFor(spec, creator.address, hookProgram),
        metadata: spec.program === "spl-token" ? "metaplex" : "token-2022",
        metadataMutable: has("mutable-metadata"),
        revokeMintAuthority: !has("mint-authority-dumps") && !has("non-transferable"),
        revokeFreezeAuthority: false,
      },
      await holdersFor(spec, authority.address, (i) => keys.derive(`${spec.symbol}:holder:${i}`)),
    );
    if (has("transfer-hook"))
      hookAccounts.push(await writeEmptyExtraAccountMetas(chain, hookProgram, created.mint));
    const pool = await createPool(chain, sender, {
      label: `${spec.symbol}/SOL`,
      authority,
      feeBps,
      base: created,
      quote: { kind: "sol", lamports: BigInt(Math.round(spec.poolSol * 1e9)) },
      baseMode: has("non-transferable") ? "mint-burn" : "transfer",
      thawBuyer: has("default-frozen"),
    });
    pools.add(pool);
    signers[spec.symbol] = bot;
    tokens.push({
      symbol: spec.symbol,
      name: metadata.name,
      metadata,
      ...created,
      decimals: spec.decimals,
      risks: spec.risks,
      pool,
    });
  }

  const tableAuthority = await keys.derive("lookup-table:authority");
  chain.airdrop(tableAuthority.address, SOL);
  const lookupTable = await createMarketLookupTable(
    chain,
    sender,
    tableAuthority,
    getPoolTableAddresses(pools.all(), hookAccounts),
  );

  const stops =
    options.bots === false ? [] : startDemoBots(chain, tokens, signers, options, onError);
  const decimals = new Map<Address, number>([
    [NATIVE_MINT, 9],
    [stable.mint, 6],
    ...tokens.map((t) => [t.mint, t.decimals] as const),
  ]);
  return {
    pools,
    stable,
    tokens,
    mints: Object.fromEntries(
      [stable, ...tokens.filter((t) => t.risks.length === 0)].map((t) => [t.symbol, t.mint]),
    ),
    risky: Object.fromEntries(
      tokens.filter((t) => t.risks.length > 0).map((t) => [t.symbol, t.mint]),
    ),
    lookupTable,
    decimalsOf: (mint) => decimals.get(mint) ?? null,
    stop: () => {
      for (const stop of stops) stop();
    },
  };
}
