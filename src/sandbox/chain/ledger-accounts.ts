import type { Address } from "@solana/kit";
import { Account, type LiteSvm } from "litesvm/dist/internal.js";
import { addressToBytes, bytesToAddress } from "../encoding/base58.js";
import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from "../encoding/token-layout.js";
import { SandboxError } from "./sandbox-error.js";
import {
  createTokenAccountIndex,
  type TokenAccountEntry,
  type TokenAccountIndex,
} from "./token-account-index.js";

export interface SandboxAccount {
  lamports: bigint;
  owner: Address;
  data: Uint8Array;
  executable: boolean;
  /** As stored; unset means the rent-exempt default (u64::MAX) when written. */
  rentEpoch?: bigint;
}

/** Rent epoch of rent-exempt accounts (u64::MAX), what the SVM writes on every account it stores. */
export const RENT_EXEMPT_EPOCH = 18_446_744_073_709_551_615n;
export const SYSTEM_PROGRAM = "11111111111111111111111111111111" as Address;
const SYSVAR_OWNER = "Sysvar1111111111111111111111111111111111111";
/**
 * A validator's sysvar accounts are as long as the sysvar can grow (agave's `Sysvar::size_of`),
 * where LiteSVM's hold what they hold now: the validator's size decides their lamports.
 */
const SYSVAR_SIZES: Record<string, number> = {
  SysvarRecentB1ockHashes11111111111111111111: 6008,
  SysvarS1otHashes111111111111111111111111111: 20_488,
  SysvarS1otHistory11111111111111111111111111: 131_097,
  SysvarStakeHistory1111111111111111111111111: 16_392,
};
/** Bound on cached reads; past it the cache starts over (LiteSVM still has everything). */
const MAX_CACHED = 100_000;
const EMPTY: SandboxAccount = {
  lamports: 0n,
  owner: SYSTEM_PROGRAM,
  data: new Uint8Array(),
  executable: false,
};

/**
 * Account reads and writes over LiteSVM's native binding (bytes in, no kit codecs: those
 * dominated the per-request cost), remembering every address ever touched, since LiteSVM cannot
 * list its accounts and snapshots must know what to save and what to clear on restore.
 *
 * Reads are cached: LiteSVM's accounts change only through `set` and through the written keys of
 * executed transactions (`reload`), both of which refresh the cache. Sysvars are the exception
 * (the clock is set every slot), so they are always read afresh. Callers must not mutate what
 * they get.
 */
export interface LedgerAccounts {
  /** `bytes`, when the caller has them, spares decoding the address on a cache miss. */
  get(address: Address, bytes?: Uint8Array): SandboxAccount | null;
  /** Reads an account LiteSVM may have changed (a written key of an executed transaction). */
  reload(address: Address, bytes: Uint8Array): SandboxAccount | null;
  /** Lamports only: no copy of the data, which for a program is its whole ELF. */
  balanceByBytes(address: Uint8Array): bigint;
  set(address: Address, account: SandboxAccount): void;
  touch(addresses: Iterable<Address>): void;
  programAccounts(owner: Address): { address: Address; account: SandboxAccount }[];
  tokenAccountsByOwner(owner: Address): TokenAccountEntry[];
  tokenAccountsByMint(mint: Address): TokenAccountEntry[];
  snapshot(): string;
  restore(id: string): void;
}

function isStatic(account: SandboxAccount | null): boolean {
  // Programs and sysvars never change here; rewriting them could disturb the program cache.
  return account !== null && (account.executable || account.owner === SYSVAR_OWNER);
}

export function createLedgerAccounts(svm: LiteSvm): LedgerAccounts {
  const known = new Set<Address>();
  const snapshots = new Map<string, Map<Address, SandboxAccount | null>>();
  let nextSnapshot = 1;
  const cache = new Map<Address, SandboxAccount | null>();
  // Built on first use from a full scan, then kept current by every write.
  let tokenIndex: TokenAccountIndex | null = null;
  // By size: a handful of sysvar sizes.
  const sysvarRent = new Map<number, bigint>();
  const toSandboxAccount = (address: Uint8Array, account: Account): SandboxAccount => {
    const owner = bytesToAddress(account.owner());
    const data = account.data();
    let lamports = account.lamports();
    if (owner === SYSVAR_OWNER) {
      // LiteSVM writes its sysvars with 1 lamport; a validator tops each up to the rent-exempt
      // minimum of its full size (agave's adjust_sysvar_balance_for_rent), as clients read them.
      const size = Math.max(data.length, SYSVAR_SIZES[bytesToAddress(address)] ?? 0);
      let rent = sysvarRent.get(size);
      if (rent === undefined) {
        rent = svm.minimumBalanceForRentExemption(BigInt(size));
        sysvarRent.set(size, rent);
      }
      if (rent > lamports) lamports = rent;
    }
    return {
      lamports,
      owner,
      data,
      executable: account.executable(),
      rentEpoch: account.rentEpoch(),
    };
  };

  const remember = (address: Address, account: SandboxAccount | null) => {
    tokenIndex?.update(address, account);
    if (account?.owner === SYSVAR_OWNER) {
      cache.delete(address);
      return;
    }
    if (cache.size >= MAX_CACHED && !cache.has(address)) cache.clear();
    cache.set(address, account);
  };
  const reload = (address: Address, bytes: Uint8Array) => {
    const native = svm.getAccount(bytes);
    const account = native ? toSandboxAccount(bytes, native) : null;
    remember(address, account);
    return account;
  };
  const get = (address: Address, bytes?: Uint8Array) => {
    const cached = cache.get(address);
    if (cached !== undefined) return cached;
    const key = bytes ?? addressToBytes(address);
    return key ? reload(address, key) : null;
  };
  const set = (address: Address, account: SandboxAccount) => {
    const bytes = addressToBytes(address);
    const owner = addressToBytes(account.owner);
    if (!bytes || !owner) throw new SandboxError("INVALID_ARGUMENT", "invalid address");
    known.add(address);
    svm.setAccount(
      bytes,
      new Account(
        account.lamports,
        account.data,
        owner,
        account.executable,
        account.rentEpoch ?? RENT_EXEMPT_EPOCH,
      ),
    );
    // Read back rather than trust the input: zero lamports makes LiteSVM drop the account.
    reload(address, bytes);
  };
  const programAccounts = (owner: Address) => {
    const bytes = addressToBytes(owner);
    if (!bytes) return [];
    return svm.getProgramAccounts(bytes).map((entry) => ({
      address: bytesToAddress(entry.address),
      account: toSandboxAccount(entry.address, entry.account()),
    }));
  };
  const tokenAccounts = () => {
    if (!tokenIndex) {
      const index = createTokenAccountIndex();
      for (const program of [TOKEN_PROGRAM, TOKEN_2022_PROGRAM]) {
        for (const { address, account } of programAccounts(program)) index.update(address, account);
      }
      tokenIndex = index;
    }
    return tokenIndex;
  };

  return {
    get,
    reload,
    balanceByBytes: (bytes) => svm.getBalance(bytes) ?? 0n,
    set,
    touch(addresses) {
      for (const address of addresses) known.add(address);
    },
    programAccounts,
    tokenAccountsByOwner: (owner) => tokenAccounts().byOwner(owner),
    tokenAccountsByMint: (mint) => tokenAccounts().byMint(mint),
    snapshot() {
      const saved = new Map<Address, SandboxAccount | null>();
      for (const address of known) {
        const account = get(address);
        if (!isStatic(account))
          saved.set(address, account ? { ...account, data: Uint8Array.from(account.data) } : null);
      }
      const id = `snap-${nextSnapshot++}`;
      snapshots.set(id, saved);
      return id;
    },
    restore(id) {
      const saved = snapshots.get(id);
      if (!saved) throw new SandboxError("UNKNOWN_SNAPSHOT", `unknown snapshot ${id}`);
      for (const address of [...known]) {
        const current = get(address);
        // Accounts created after the snapshot go: zero lamports makes LiteSVM drop them.
        if (!saved.has(address) && current && !isStatic(current)) set(address, EMPTY);
      }
      for (const [address, account] of saved) set(address, account ?? EMPTY);
    },
  };
}
