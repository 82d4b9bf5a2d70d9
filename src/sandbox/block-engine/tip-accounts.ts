import { createHash } from "node:crypto";
import type { Address } from "@solana/kit";
import type { SandboxChain } from "../chain/sandbox-chain.js";
import { bytesToAddress } from "../encoding/base58.js";

/** Jito has eight tip accounts; so does the sandbox's block engine. */
export const TIP_ACCOUNT_COUNT = 8;
/** Jito's minimum tip for a bundle. */
export const MIN_TIP_LAMPORTS = 1000n;
export const DEFAULT_TIP_SEED = "osprey-demo";

/**
 * The sandbox's tip accounts: fixed addresses derived from a seed (like the market's keys), so
 * they are stable across runs. Nobody holds their keys: tips only go in.
 */
export function deriveTipAccounts(seed: string = DEFAULT_TIP_SEED): Address[] {
  return Array.from({ length: TIP_ACCOUNT_COUNT }, (_, i) =>
    bytesToAddress(
      new Uint8Array(createHash("sha256").update(`osprey-jito-tip:${seed}:${i}`).digest()),
    ),
  );
}

/**
 * Opens each tip account with its rent-exempt minimum (a System transfer smaller than that into
 * a missing account fails, and a 1,000-lamport tip is smaller), leaving existing ones alone.
 */
export function fundTipAccounts(chain: SandboxChain, accounts: readonly Address[]): void {
  const minimum = chain.minimumBalanceForRentExemption(0);
  for (const address of accounts) {
    if (!chain.getAccount(address)) chain.setAccount({ address, lamports: minimum });
  }
}
