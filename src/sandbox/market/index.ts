/**
 * The sandbox market: constant-product pools on real chain accounts, the demo tokens (honest
 * and malicious) and Jupiter's swap and price APIs over them.
 *
 * - `startSandboxMarket` — demo market + HTTP server; what `osprey sandbox` / `serve` wire in.
 * - `createDemoMarket` — the market alone, on a chain (no HTTP).
 * - `printMarketTable` — the human-readable market summary, to stderr.
 */
export { type ChainSender, createChainSender } from "./chain-sender.js";
export {
  createDemoMarket,
  type DemoMarket,
  type DemoMarketOptions,
  type DemoToken,
} from "./demo-market.js";
export { DEMO_TOKENS, type DemoRisk, RISK_DESCRIPTIONS } from "./demo-tokens.js";
export { createMarketKeys, type MarketKeys } from "./market-keys.js";
export { formatMarketTable, printMarketTable } from "./market-table.js";
export { getMetadataAddress, METADATA_PROGRAM } from "./metaplex-metadata.js";
export { NATIVE_MINT, type Pool, type PoolReserves, readPoolReserves } from "./pool.js";
export type { PoolRegistry } from "./pool-registry.js";
export {
  type RunningSandboxMarket,
  type StartSandboxMarketOptions,
  startSandboxMarket,
} from "./start-sandbox-market.js";
