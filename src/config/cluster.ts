import type { Config } from "./config-schema.js";

export type Cluster = "sandbox" | "mainnet-beta" | "devnet" | "testnet" | "custom";

/** The public Solana Explorer: the default link target on a real cluster. */
export const SOLANA_EXPLORER_URL = "https://explorer.solana.com";

/** Which cluster Osprey talks to: the embedded sandbox, or SOLANA_CLUSTER (default mainnet-beta). */
export function getCluster(config: Config, embeddedSandbox: boolean): Cluster {
  if (embeddedSandbox) return "sandbox";
  return config.SOLANA_CLUSTER ?? "mainnet-beta";
}

/** EXPLORER_URL, or the Solana Explorer on a real cluster; null ("none", or the sandbox). */
export function getExplorerUrl(config: Config, cluster: Cluster): string | null {
  const configured = config.EXPLORER_URL;
  if (configured === "none") return null;
  if (configured !== undefined) return configured.replace(/\/+$/, "");
  return cluster === "sandbox" ? null : SOLANA_EXPLORER_URL;
}

/** A transaction's link: `${explorerUrl}/tx/${signature}?cluster=…` (no parameter on mainnet-beta). */
export function getTransactionUrl(
  explorerUrl: string,
  cluster: Cluster,
  signature: string,
): string {
  const query = cluster === "mainnet-beta" ? "" : `?cluster=${cluster}`;
  return `${explorerUrl}/tx/${signature}${query}`;
}
