import { describe, expect, it } from "vitest";
import { getCluster, getExplorerUrl, getTransactionUrl } from "../../src/config/cluster.js";
import { parseConfig } from "../../src/config/load-config.js";

describe("cluster and explorer settings", () => {
  it("names the cluster: sandbox when embedded, else SOLANA_CLUSTER (default mainnet-beta)", () => {
    expect(getCluster(parseConfig({}), true)).toBe("sandbox");
    expect(getCluster(parseConfig({ SOLANA_CLUSTER: "devnet" }), true)).toBe("sandbox");
    expect(getCluster(parseConfig({ SOLANA_RPC_URLS: "https://rpc.example" }), false)).toBe(
      "mainnet-beta",
    );
    expect(getCluster(parseConfig({ SOLANA_CLUSTER: "testnet" }), false)).toBe("testnet");
    expect(() => parseConfig({ SOLANA_CLUSTER: "moon" })).toThrow(/SOLANA_CLUSTER/);
  });

  it("links to the Solana Explorer on a real cluster, nowhere on the sandbox, or EXPLORER_URL", () => {
    expect(getExplorerUrl(parseConfig({}), "mainnet-beta")).toBe("https://explorer.solana.com");
    expect(getExplorerUrl(parseConfig({}), "sandbox")).toBeNull();
    expect(getExplorerUrl(parseConfig({ EXPLORER_URL: "none" }), "devnet")).toBeNull();
    expect(getExplorerUrl(parseConfig({ EXPLORER_URL: "https://solscan.io/" }), "sandbox")).toBe(
      "https://solscan.io",
    );
    expect(() => parseConfig({ EXPLORER_URL: "javascript:alert(1)" })).toThrow(/EXPLORER_URL/);
    expect(getTransactionUrl("https://explorer.solana.com", "mainnet-beta", "sig")).toBe(
      "https://explorer.solana.com/tx/sig",
    );
    expect(getTransactionUrl("https://explorer.solana.com", "devnet", "sig")).toBe(
      "https://explorer.solana.com/tx/sig?cluster=devnet",
    );
  });
});
