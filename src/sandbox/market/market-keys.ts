import { createHash } from "node:crypto";
import { createKeyPairSignerFromPrivateKeyBytes, type KeyPairSigner } from "@solana/kit";

/**
 * Deterministic keypairs for the market's own actors (pool authorities, token creators, bots),
 * so demo addresses are stable across runs. These secrets are public knowledge by construction:
 * they must never hold anything outside the sandbox, and users' wallets never come from here.
 */
export interface MarketKeys {
  derive(label: string): Promise<KeyPairSigner>;
}

export function createMarketKeys(seed: string): MarketKeys {
  const cache = new Map<string, Promise<KeyPairSigner>>();
  return {
    derive(label) {
      let signer = cache.get(label);
      if (!signer) {
        const bytes = createHash("sha256").update(`osprey-market:${seed}:${label}`).digest();
        signer = createKeyPairSignerFromPrivateKeyBytes(new Uint8Array(bytes));
        cache.set(label, signer);
      }
      return signer;
    },
  };
}
