import type { Address } from "@solana/kit";
import type { SandboxAccount } from "../../chain/ledger-accounts.js";
import type { SandboxChain } from "../../chain/sandbox-chain.js";

/** Owners of every account a fresh validator holds: native programs, loaders, sysvars, SPL. */
const KNOWN_OWNERS = [
  "11111111111111111111111111111111",
  "NativeLoader1111111111111111111111111111111",
  "Sysvar1111111111111111111111111111111111111",
  "BPFLoader1111111111111111111111111111111111",
  "BPFLoader2111111111111111111111111111111111",
  "BPFLoaderUpgradeab1e11111111111111111111111",
  "LoaderV411111111111111111111111111111111111",
  "Vote111111111111111111111111111111111111111",
  "Stake11111111111111111111111111111111111111",
  "Config1111111111111111111111111111111111111",
  "Feature111111111111111111111111111111111111",
  "AddressLookupTab1e1111111111111111111111111",
  "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
  "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb",
] as Address[];

export interface LedgerEntry {
  address: Address;
  account: SandboxAccount;
}

const cache = new WeakMap<SandboxChain, { slot: bigint; entries: LedgerEntry[] }>();

/**
 * Every account on the ledger, for supply and largest-account answers. LiteSVM cannot list its
 * accounts, so this scans by owner: the known owners, then every deployed program's accounts.
 * An account owned by an address that is neither (a fixture's made-up owner) is not seen.
 * Cached per slot, as a validator caches these scans.
 */
export function listLedgerAccounts(chain: SandboxChain, slot: bigint): readonly LedgerEntry[] {
  const cached = cache.get(chain);
  if (cached?.slot === slot) return cached.entries;
  const seen = new Map<Address, SandboxAccount>();
  const owners = new Set<Address>(KNOWN_OWNERS);
  const scanned = new Set<Address>();
  while (scanned.size < owners.size) {
    for (const owner of owners) {
      if (scanned.has(owner)) continue;
      scanned.add(owner);
      for (const { address, account } of chain.getProgramAccounts(owner)) {
        seen.set(address, account);
        if (account.executable) owners.add(address);
      }
    }
  }
  const entries = [...seen].map(([address, account]) => ({ address, account }));
  cache.set(chain, { slot, entries });
  return entries;
}
