import { AccountRole, type Address, type Instruction } from "@solana/kit";
import { base58ToBytes } from "../core/base58.js";
import { OspreyError } from "../core/osprey-error.js";
import { JITO_DONT_FRONT } from "./jito-dont-front.js";

export const COMPUTE_BUDGET_PROGRAM = "ComputeBudget111111111111111111111111111111" as Address;
export const SYSTEM_PROGRAM = "11111111111111111111111111111111" as Address;
/** The runtime's ceiling for one transaction's compute units. */
export const MAX_COMPUTE_UNIT_LIMIT = 1_400_000;

/** What assembly reads of a Swap API v2 `/build` answer (`BuiltSwapV2` has all of it). */
export interface SwapInstructions {
  readonly setupInstructions: readonly Instruction[];
  readonly swapInstruction: Instruction;
  readonly cleanupInstruction: Instruction | null;
  readonly otherInstructions: readonly Instruction[];
  readonly addressesByLookupTableAddress: Readonly<Record<string, readonly Address[]>>;
  /** base58 */
  readonly blockhash: string;
}

export interface AssembleOptions {
  readonly swap: SwapInstructions;
  /** The taker: fee payer and first signer. */
  readonly payer: Address;
  readonly computeUnitLimit: number;
  /** Micro-lamports per compute unit; 0 leaves the price instruction out. */
  readonly computeUnitPriceMicroLamports: bigint;
  /** A System transfer from the payer, carrying the read-only guard account. */
  readonly tip?: { readonly lamports: bigint; readonly account: Address } | null;
}

export interface AssembledSwap {
  /** Wire bytes with every signature slot zero; the payer's is slot 0. */
  readonly wire: Uint8Array;
  /** Where the message (what every signature signs) starts in `wire`. */
  readonly messageOffset: number;
  readonly signers: number;
  readonly computeUnitLimit: number;
  readonly computeUnitPriceMicroLamports: bigint;
  /** price × limit / 10^6, rounded up: what the runtime charges for priority. */
  readonly priorityFeeLamports: bigint;
  readonly tipLamports: bigint;
}

/** price × limit in lamports, rounded up as the runtime charges it. */
export function getPriorityFeeLamports(priceMicroLamports: bigint, limit: number): bigint {
  return (priceMicroLamports * BigInt(limit) + 999_999n) / 1_000_000n;
}

export function getSetComputeUnitLimitInstruction(units: number): Instruction {
  const data = new Uint8Array(5);
  data[0] = 2;
  new DataView(data.buffer).setUint32(1, units, true);
  return { programAddress: COMPUTE_BUDGET_PROGRAM, accounts: [], data };
}

export function getSetComputeUnitPriceInstruction(microLamports: bigint): Instruction {
  const data = new Uint8Array(9);
  data[0] = 3;
  new DataView(data.buffer).setBigUint64(1, microLamports, true);
  return { programAddress: COMPUTE_BUDGET_PROGRAM, accounts: [], data };
}

/** A System transfer of the tip with the guard account appended, read-only and unsigned. */
export function getTipInstruction(from: Address, to: Address, lamports: bigint): Instruction {
  const data = new Uint8Array(12);
  const view = new DataView(data.buffer);
  view.setUint32(0, 2, true);
  view.setBigUint64(4, lamports, true);
  return {
    programAddress: SYSTEM_PROGRAM,
    accounts: [
      { address: from, role: AccountRole.WRITABLE_SIGNER },
      { address: to, role: AccountRole.WRITABLE },
      { address: JITO_DONT_FRONT, role: AccountRole.READONLY },
    ],
    data,
  };
}

/**
 * The swap as one v0 transaction: Osprey's compute budget (the response's own budget
 * instructions are dropped), setup, swap, cleanup, other instructions, then the tip. Compiled
 * here rather than with kit, whose base58 codec costs ~20 µs per address (a swap names 20–40).
 */
export function assembleSwapTransaction(options: AssembleOptions): AssembledSwap {
  const { swap, payer, computeUnitLimit: limit, computeUnitPriceMicroLamports: price } = options;
  if (!Number.isInteger(limit) || limit <= 0 || limit > MAX_COMPUTE_UNIT_LIMIT)
    throw new RangeError(`compute unit limit ${limit} is outside 1–${MAX_COMPUTE_UNIT_LIMIT}`);
  const instructions: Instruction[] = [getSetComputeUnitLimitInstruction(limit)];
  if (price > 0n) instructions.push(getSetComputeUnitPriceInstruction(price));
  const body = [
    ...swap.setupInstructions,
    swap.swapInstruction,
    ...(swap.cleanupInstruction ? [swap.cleanupInstruction] : []),
    ...swap.otherInstructions,
  ];
  for (const ix of body) if (ix.programAddress !== COMPUTE_BUDGET_PROGRAM) instructions.push(ix);
  const tip = options.tip ?? null;
  if (tip) instructions.push(getTipInstruction(payer, tip.account, tip.lamports));
  const compiled = compileV0Message(payer, instructions, swap);
  return {
    ...compiled,
    computeUnitLimit: limit,
    computeUnitPriceMicroLamports: price,
    priorityFeeLamports: getPriorityFeeLamports(price, limit),
    tipLamports: tip?.lamports ?? 0n,
  };
}

const addressBytes = new Map<string, Uint8Array>();

/** Decoded once per address: programs, pools and tables repeat from order to order. */
function toBytes(address: string): Uint8Array {
  let bytes = addressBytes.get(address);
  if (bytes === undefined) {
    const decoded = base58ToBytes(address);
    if (decoded === null || decoded.length !== 32)
      throw new OspreyError("API_ERROR", "The swap API named an invalid address.", { address });
    bytes = decoded;
    if (addressBytes.size >= 4_096) addressBytes.clear();
    addressBytes.set(address, bytes);
  }
  return bytes;
}

interface AccountUse {
  signer: boolean;
  writable: boolean;
  program: boolean;
}

const isSigner = (role: AccountRole) =>
  role === AccountRole.READONLY_SIGNER || role === AccountRole.WRITABLE_SIGNER;
const isWritable = (role: AccountRole) =>
  role === AccountRole.WRITABLE || role === AccountRole.WRITABLE_SIGNER;

function shortVec(out: number[], value: number): void {
  let rest = value;
  for (;;) {
    const low = rest & 0x7f;
    rest >>= 7;
    if (rest === 0) {
      out.push(low);
      return;
    }
    out.push(low | 0x80);
  }
}

/**
 * A v0 message, as kit's compile and lookup-table compression would make it: the payer first,
 * then signers, writable, read-only; a non-signer that no instruction invokes is loaded from a
 * lookup table when one holds it (the first table that does, at its first index).
 */
function compileV0Message(
  payer: Address,
  instructions: readonly Instruction[],
  swap: SwapInstructions,
): { wire: Uint8Array; messageOffset: number; signers: number } {
  const uses = new Map<string, AccountUse>([
    [payer, { signer: true, writable: true, program: false }],
  ]);
  const use = (address: string) => {
    let entry = uses.get(address);
    if (!entry) {
      entry = { signer: false, writable: false, program: false };
      uses.set(address, entry);
    }
    return entry;
  };
  for (const ix of instructions) {
    for (const meta of ix.accounts ?? []) {
      const entry = use(meta.address);
      entry.signer ||= isSigner(meta.role);
      entry.writable ||= isWritable(meta.role);
    }
    use(ix.programAddress).program = true;
  }

  const tables = Object.entries(swap.addressesByLookupTableAddress);
  const tableIndex = new Map<string, { table: number; index: number }>();
  tables.forEach(([, addresses], table) => {
    addresses.forEach((address, index) => {
      if (!tableIndex.has(address)) tableIndex.set(address, { table, index });
    });
  });

  const groups: string[][] = [[], [], [], []]; // writable signer, signer, writable, read-only
  const loaded = tables.map(() => ({ writable: [] as string[], readonly: [] as string[] }));
  const loadedIndexes = tables.map(() => ({ writable: [] as number[], readonly: [] as number[] }));
  for (const [address, entry] of uses) {
    const found = !entry.signer && !entry.program ? tableIndex.get(address) : undefined;
    if (found) {
      const kind = entry.writable ? "writable" : "readonly";
      loaded[found.table]?.[kind].push(address);
      loadedIndexes[found.table]?.[kind].push(found.index);
      continue;
    }
    const group = entry.signer ? (entry.writable ? 0 : 1) : entry.writable ? 2 : 3;
    groups[group]?.push(address);
  }
  const statics = groups.flat();
  const index = new Map<string, number>();
  for (const [i, address] of statics.entries()) index.set(address, i);
  let next = statics.length;
  for (const table of loaded) for (const address of table.writable) index.set(address, next++);
  for (const table of loaded) for (const address of table.readonly) index.set(address, next++);
  if (next > 256)
    throw new OspreyError("API_ERROR", "The swap names more accounts than a transaction holds.", {
      accounts: next,
    });

  const signers = (groups[0]?.length ?? 0) + (groups[1]?.length ?? 0);
  const head: number[] = [0x80, signers, groups[1]?.length ?? 0, groups[3]?.length ?? 0];
  shortVec(head, statics.length);
  const parts: Uint8Array[] = [Uint8Array.from(head)];
  for (const address of statics) parts.push(toBytes(address));
  parts.push(toBytes(swap.blockhash));
  const tail: number[] = [];
  shortVec(tail, instructions.length);
  for (const ix of instructions) {
    tail.push(index.get(ix.programAddress) as number);
    const accounts = ix.accounts ?? [];
    shortVec(tail, accounts.length);
    for (const meta of accounts) tail.push(index.get(meta.address) as number);
    const data = ix.data ?? new Uint8Array(0);
    shortVec(tail, data.length);
    for (const byte of data) tail.push(byte);
  }
  const used = tables
    .map((_, i) => i)
    .filter(
      (i) =>
        (loadedIndexes[i]?.writable.length ?? 0) + (loadedIndexes[i]?.readonly.length ?? 0) > 0,
    );
  shortVec(tail, used.length);
  parts.push(Uint8Array.from(tail));
  for (const i of used) {
    const [tableAddress] = tables[i] as [string, readonly Address[]];
    parts.push(toBytes(tableAddress));
    const lists: number[] = [];
    const { writable, readonly } = loadedIndexes[i] as { writable: number[]; readonly: number[] };
    shortVec(lists, writable.length);
    lists.push(...writable);
    shortVec(lists, readonly.length);
    lists.push(...readonly);
    parts.push(Uint8Array.from(lists));
  }

  const prefix: number[] = [];
  shortVec(prefix, signers);
  const messageOffset = prefix.length + 64 * signers;
  let length = messageOffset;
  for (const part of parts) length += part.length;
  if (length > 1232)
    throw new OspreyError("API_ERROR", "The swap does not fit in one transaction.", {
      bytes: length,
    });
  const wire = new Uint8Array(length);
  wire.set(prefix, 0);
  let offset = messageOffset;
  for (const part of parts) {
    wire.set(part, offset);
    offset += part.length;
  }
  return { wire, messageOffset, signers };
}
