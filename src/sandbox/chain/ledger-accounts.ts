import type { Address } from "@solana/kit";
import { Account, type LiteSvm } from "litesvm/dist/internal.js";
import { addressToBytes, bytesToBase58 } from "../encoding/base58.js";
import { SandboxError } from "./sandbox-error.js";

export interface SandboxAccount {
  lamports: bigint;
  owner: Address;
  data: Uint8Array;
  executable: boolean;
}

export const SYSTEM_PROGRAM = "11111111111111111111111111111111" as Address;
const SYSVAR_OWNER = "Sysvar1111111111111111111111111111111111111";
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
 */
export interface LedgerAccounts {
  get(address: Address): SandboxAccount | null;
  getByBytes(address: Uint8Array): SandboxAccount | null;
  /** Lamports only: no copy of the data, which for a program is its whole ELF. */
  balanceByBytes(address: Uint8Array): bigint;
  set(address: Address, account: SandboxAccount): void;
  touch(addresses: Iterable<Address>): void;
  programAccounts(owner: Address): { address: Address; account: SandboxAccount }[];
  snapshot(): string;
  restore(id: string): void;
}

/** Few distinct owners exist (system, token programs…): remember their base58 form. */
function createOwnerNames() {
  const names = new Map<string, Address>();
  return (bytes: Uint8Array): Address => {
    const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
    let name = names.get(key);
    if (!name) {
      if (names.size > 4096) names.clear();
      name = bytesToBase58(bytes) as Address;
      names.set(key, name);
    }
    return name;
  };
}

function isStatic(account: SandboxAccount | null): boolean {
  // Programs and sysvars never change here; rewriting them could disturb the program cache.
  return account !== null && (account.executable || account.owner === SYSVAR_OWNER);
}

export function createLedgerAccounts(svm: LiteSvm): LedgerAccounts {
  const known = new Set<Address>();
  const snapshots = new Map<string, Map<Address, SandboxAccount | null>>();
  let nextSnapshot = 1;
  const ownerName = createOwnerNames();
  const toSandboxAccount = (account: Account): SandboxAccount => ({
    lamports: account.lamports(),
    owner: ownerName(account.owner()),
    data: account.data(),
    executable: account.executable(),
  });

  const getByBytes = (bytes: Uint8Array) => {
    const account = svm.getAccount(bytes);
    return account ? toSandboxAccount(account) : null;
  };
  const get = (address: Address) => {
    const bytes = addressToBytes(address);
    return bytes ? getByBytes(bytes) : null;
  };
  const set = (address: Address, account: SandboxAccount) => {
    const bytes = addressToBytes(address);
    const owner = addressToBytes(account.owner);
    if (!bytes || !owner) throw new SandboxError("INVALID_ARGUMENT", "invalid address");
    known.add(address);
    svm.setAccount(
      bytes,
      new Account(account.lamports, account.data, owner, account.executable, 0n),
    );
  };

  return {
    get,
    getByBytes,
    balanceByBytes: (bytes) => svm.getBalance(bytes) ?? 0n,
    set,
    touch(addresses) {
      for (const address of addresses) known.add(address);
    },
    programAccounts(owner) {
      const bytes = addressToBytes(owner);
      if (!bytes) return [];
      return svm.getProgramAccounts(bytes).map((entry) => ({
        address: bytesToBase58(entry.address) as Address,
        account: toSandboxAccount(entry.account()),
      }));
    },
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
