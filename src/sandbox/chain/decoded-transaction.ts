import type { Address } from "@solana/kit";
import { bytesToAddress, bytesToBase58 } from "../encoding/base58.js";
import { WireReader } from "../encoding/wire-reader.js";
import { type ComputeBudget, getComputeBudget, getTransactionFee } from "./compute-budget.js";
import {
  getActiveLookupAddresses,
  getLookupAddress,
  type LookupTableEnvironment,
} from "./lookup-table.js";
import { SandboxError } from "./sandbox-error.js";

export interface DecodedInstruction {
  programIdIndex: number;
  accounts: number[];
  data: Uint8Array;
}

export interface AddressTableLookup {
  accountKey: Address;
  writableIndexes: number[];
  readonlyIndexes: number[];
}

export interface MessageHeader {
  numRequiredSignatures: number;
  numReadonlySignedAccounts: number;
  numReadonlyUnsignedAccounts: number;
}

/** A wire transaction taken apart once, with everything later stages ask about. */
export interface DecodedTransaction {
  wire: Uint8Array;
  messageBytes: Uint8Array;
  version: "legacy" | 0;
  signatures: string[];
  signatureBytes: Uint8Array[];
  /** The first signature: the transaction id. */
  signature: string;
  header: MessageHeader;
  staticAccounts: Address[];
  recentBlockhash: string;
  instructions: DecodedInstruction[];
  addressTableLookups: AddressTableLookup[];
  loadedAddresses: { writable: Address[]; readonly: Address[] };
  /** Static keys, then loaded writable, then loaded read-only: the index space instructions use. */
  accountKeys: Address[];
  accountKeyBytes: Uint8Array[];
  isWritable: boolean[];
  budget: ComputeBudget;
  fee: bigint;
}

const VERSION_PREFIX = 0x80;

interface RawLookup {
  key: Uint8Array;
  writableIndexes: number[];
  readonlyIndexes: number[];
}

function resolveLookups(lookups: RawLookup[], env: LookupTableEnvironment) {
  const writable: Uint8Array[] = [];
  const readonly: Uint8Array[] = [];
  for (const lookup of lookups) {
    const active = getActiveLookupAddresses(bytesToBase58(lookup.key) as Address, env);
    for (const index of lookup.writableIndexes) writable.push(getLookupAddress(active, index));
    for (const index of lookup.readonlyIndexes) readonly.push(getLookupAddress(active, index));
  }
  return { writable, readonly };
}

/** Parses the legacy / v0 wire format by hand: kit's generic codecs cost ~250 µs per transaction. */
function parseWire(wire: Uint8Array) {
  const reader = new WireReader(wire);
  const signatureCount = reader.compactU16();
  const signatureBytes: Uint8Array[] = [];
  for (let i = 0; i < signatureCount; i++) signatureBytes.push(reader.take(64));
  const messageStart = reader.offset;
  const first = reader.u8();
  const versioned = (first & VERSION_PREFIX) !== 0;
  if (versioned && (first & 0x7f) !== 0) {
    throw new SandboxError(
      "UNSUPPORTED_VERSION",
      `unsupported transaction version ${first & 0x7f}`,
    );
  }
  const header: MessageHeader = {
    numRequiredSignatures: versioned ? reader.u8() : first,
    numReadonlySignedAccounts: reader.u8(),
    numReadonlyUnsignedAccounts: reader.u8(),
  };
  const keyCount = reader.compactU16();
  const staticKeys: Uint8Array[] = [];
  for (let i = 0; i < keyCount; i++) staticKeys.push(reader.take(32));
  const blockhash = reader.take(32);
  const instructionCount = reader.compactU16();
  const instructions: DecodedInstruction[] = [];
  for (let i = 0; i < instructionCount; i++) {
    const programIdIndex = reader.u8();
    const accounts = [...reader.take(reader.compactU16())];
    const data = Uint8Array.from(reader.take(reader.compactU16()));
    instructions.push({ programIdIndex, accounts, data });
  }
  const lookups: RawLookup[] = [];
  if (versioned) {
    const lookupCount = reader.compactU16();
    for (let i = 0; i < lookupCount; i++) {
      const key = reader.take(32);
      const writableIndexes = [...reader.take(reader.compactU16())];
      const readonlyIndexes = [...reader.take(reader.compactU16())];
      lookups.push({ key, writableIndexes, readonlyIndexes });
    }
  }
  if (reader.remaining !== 0) throw new RangeError("trailing bytes after message");
  const messageBytes = wire.subarray(messageStart);
  return {
    signatureBytes,
    messageBytes,
    versioned,
    header,
    staticKeys,
    blockhash,
    instructions,
    lookups,
  };
}

function sanitize(parsed: ReturnType<typeof parseWire>, keyCount: number) {
  const { header, signatureBytes, staticKeys, instructions } = parsed;
  const fail = (reason: string) =>
    new SandboxError("INVALID_TRANSACTION", `invalid transaction: ${reason}`);
  if (signatureBytes.length === 0 || signatureBytes.length !== header.numRequiredSignatures) {
    throw fail("signature count does not match the message header");
  }
  if (
    header.numRequiredSignatures > staticKeys.length ||
    header.numReadonlySignedAccounts >= header.numRequiredSignatures
  ) {
    throw fail("Transaction failed to sanitize accounts offsets correctly");
  }
  for (const ix of instructions) {
    if (
      ix.programIdIndex === 0 ||
      ix.programIdIndex >= keyCount ||
      ix.accounts.some((a) => a >= keyCount)
    ) {
      throw fail("Transaction failed to sanitize accounts offsets correctly");
    }
  }
}

export function decodeTransaction(
  wire: Uint8Array,
  tables: LookupTableEnvironment,
): DecodedTransaction {
  let parsed: ReturnType<typeof parseWire>;
  try {
    parsed = parseWire(wire);
  } catch (cause) {
    if (cause instanceof SandboxError) throw cause;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new SandboxError("INVALID_TRANSACTION", `failed to deserialize transaction: ${reason}`);
  }
  const { header, staticKeys } = parsed;
  const loaded = resolveLookups(parsed.lookups, tables);
  const accountKeyBytes = [...staticKeys, ...loaded.writable, ...loaded.readonly];
  sanitize(parsed, accountKeyBytes.length);
  // Keys and blockhashes recur across transactions (remembered); signatures never do.
  const accountKeys = accountKeyBytes.map((bytes) => bytesToAddress(bytes));
  const staticCount = staticKeys.length;
  const isWritable = accountKeys.map((_, i) => {
    if (i < header.numRequiredSignatures)
      return i < header.numRequiredSignatures - header.numReadonlySignedAccounts;
    if (i < staticCount) return i < staticCount - header.numReadonlyUnsignedAccounts;
    return i < staticCount + loaded.writable.length;
  });
  const { instructions } = parsed;
  const budget = getComputeBudget(
    instructions.map((ix) => ({
      programAddress: accountKeys[ix.programIdIndex] as Address,
      data: ix.data,
    })),
  );
  const signatures = parsed.signatureBytes.map((bytes) => bytesToBase58(bytes));
  return {
    wire,
    messageBytes: parsed.messageBytes,
    version: parsed.versioned ? 0 : "legacy",
    signatures,
    signatureBytes: parsed.signatureBytes,
    signature: signatures[0] as string,
    header,
    staticAccounts: accountKeys.slice(0, staticCount),
    recentBlockhash: bytesToAddress(parsed.blockhash),
    instructions,
    addressTableLookups: parsed.lookups.map((lookup) => ({
      accountKey: bytesToBase58(lookup.key) as Address,
      writableIndexes: lookup.writableIndexes,
      readonlyIndexes: lookup.readonlyIndexes,
    })),
    loadedAddresses: {
      writable: accountKeys.slice(staticCount, staticCount + loaded.writable.length),
      readonly: accountKeys.slice(staticCount + loaded.writable.length),
    },
    accountKeys,
    accountKeyBytes,
    isWritable,
    budget,
    fee: getTransactionFee(signatures.length, budget),
  };
}
