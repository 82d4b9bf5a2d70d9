import type { Address } from "@solana/kit";
import {
  isTokenProgram,
  readTokenAccount,
  type TokenAccountBase,
} from "../encoding/token-layout.js";
import type { SandboxAccount } from "./ledger-accounts.js";

/** An initialized SPL Token / Token-2022 account with its decoded base fields. */
export interface TokenAccountEntry {
  address: Address;
  account: SandboxAccount;
  token: TokenAccountBase;
}

/**
 * Token accounts by owner and by mint, kept current by the ledger on every write, so
 * getTokenAccountsByOwner and getTokenLargestAccounts need not decode every token account
 * on the chain per request.
 */
export interface TokenAccountIndex {
  /** Records an account's new state (null: gone); anything not a token account is dropped. */
  update(address: Address, account: SandboxAccount | null): void;
  /** Insertion order; every token program. */
  byOwner(owner: Address): TokenAccountEntry[];
  byMint(mint: Address): TokenAccountEntry[];
}

function addTo(
  map: Map<Address, Map<Address, TokenAccountEntry>>,
  key: Address,
  entry: TokenAccountEntry,
) {
  const group = map.get(key);
  if (group) group.set(entry.address, entry);
  else map.set(key, new Map([[entry.address, entry]]));
}

function removeFrom(
  map: Map<Address, Map<Address, TokenAccountEntry>>,
  key: Address,
  address: Address,
) {
  const group = map.get(key);
  if (!group) return;
  group.delete(address);
  if (group.size === 0) map.delete(key);
}

export function createTokenAccountIndex(): TokenAccountIndex {
  const entries = new Map<Address, TokenAccountEntry>();
  const owners = new Map<Address, Map<Address, TokenAccountEntry>>();
  const mints = new Map<Address, Map<Address, TokenAccountEntry>>();
  const list = (group: Map<Address, TokenAccountEntry> | undefined) =>
    group ? [...group.values()] : [];
  return {
    update(address, account) {
      const token =
        account && isTokenProgram(account.owner) ? readTokenAccount(account.data) : null;
      const previous = entries.get(address);
      if (previous && (!token || previous.token.owner !== token.owner))
        removeFrom(owners, previous.token.owner, address);
      if (previous && (!token || previous.token.mint !== token.mint))
        removeFrom(mints, previous.token.mint, address);
      if (!account || !token) {
        entries.delete(address);
        return;
      }
      const entry = { address, account, token };
      entries.set(address, entry);
      // Re-setting an existing key keeps its place, so an owner's accounts keep their order.
      addTo(owners, token.owner, entry);
      addTo(mints, token.mint, entry);
    },
    byOwner: (owner) => list(owners.get(owner)),
    byMint: (mint) => list(mints.get(mint)),
  };
}
