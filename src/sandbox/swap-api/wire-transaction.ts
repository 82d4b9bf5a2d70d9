import { KeyObject, sign } from "node:crypto";
import {
  type Address,
  appendTransactionMessageInstructions,
  blockhash,
  compileTransactionMessage,
  compressTransactionMessageUsingAddressLookupTables,
  createTransactionMessage,
  getSignersFromTransactionMessage,
  type Instruction,
  isKeyPairSigner,
  isTransactionPartialSigner,
  type KeyPairSigner,
  partiallySignTransactionMessageWithSigners,
  pipe,
  type SignatureBytes,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  type TransactionMessageBytes,
  type TransactionPartialSigner,
} from "@solana/kit";
import { addressToBytes } from "../encoding/base58.js";

/** An address lookup table a message may load its non-signer, non-program accounts from. */
export interface LookupTableIndex {
  readonly address: Address;
  /** The table's addresses, in index order (at most 256). */
  readonly addresses: readonly Address[];
  readonly indexOf: ReadonlyMap<Address, number>;
}

/**
 * A v0 transaction as the swap API builds it: a fee payer, a recent blockhash, instructions, and
 * the table whose accounts it loads rather than names.
 */
export interface SwapMessage {
  feePayer: Address;
  blockhash: string;
  lastValidBlockHeight: bigint;
  instructions: readonly Instruction[];
  lookupTable?: LookupTableIndex | undefined;
}
type Transaction = Parameters<TransactionPartialSigner["signTransactions"]>[0][number];

const MAX_REMEMBERED = 65_536;
const addressBytes = new Map<string, Uint8Array>();

/** 32 bytes of an address or blockhash, remembered (pools, mints and programs recur in every swap). */
function bytesOf(address: string): Uint8Array {
  let bytes = addressBytes.get(address);
  if (!bytes) {
    bytes = addressToBytes(address) ?? undefined;
    if (!bytes) throw new Error(`not a 32-byte base58 value: ${address}`);
    if (addressBytes.size >= MAX_REMEMBERED) addressBytes.clear();
    addressBytes.set(address, bytes);
  }
  return bytes;
}

class ByteWriter {
  private bytes = new Uint8Array(1232);
  length = 0;

  private reserve(extra: number) {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  u8(value: number) {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  /** Solana's compact-u16 ("shortvec") length. */
  compactU16(value: number) {
    let rest = value;
    for (;;) {
      const low = rest & 0x7f;
      rest >>= 7;
      if (rest === 0) return this.u8(low);
      this.u8(low | 0x80);
    }
  }

  raw(data: ArrayLike<number>) {
    this.reserve(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  done(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** Kit's address order (its comparator builds this collator anew on every compile). */
const addressOrder = new Intl.Collator("en", {
  caseFirst: "lower",
  ignorePunctuation: false,
  localeMatcher: "best fit",
  numeric: false,
  sensitivity: "variant",
  usage: "sort",
});
const WRITABLE = 1;
const SIGNER = 2;

interface CompiledMessage {
  header: {
    numSignerAccounts: number;
    numReadonlySignerAccounts: number;
    numReadonlyNonSignerAccounts: number;
  };
  staticAccounts: readonly Address[];
  lifetimeToken: string;
  instructions: readonly {
    programAddressIndex: number;
    accountIndices?: readonly number[];
    data?: ArrayLike<number>;
  }[];
  addressTableLookups?: readonly {
    lookupTableAddress: Address;
    writableIndexes: readonly number[];
    readonlyIndexes: readonly number[];
  }[];
}

/**
 * Kit's v0 compilation for the messages the swap API builds, as kit compiles them after
 * `compressTransactionMessageUsingAddressLookupTables` with the message's table: the fee payer
 * first, then signers before others and writable before read-only, each group in kit's address
 * order; then the accounts the table holds that neither sign nor are invoked, loaded (writable
 * first, each in address order). Null for anything else (lookup metas in the instructions, a
 * writable program, size limits), which is left to kit and its errors.
 */
function compileStatic(message: SwapMessage): CompiledMessage | null {
  const roles = new Map<Address, number>([[message.feePayer, WRITABLE | SIGNER]]);
  const programs = new Set<Address>();
  for (const ix of message.instructions) {
    const program = ix.programAddress;
    programs.add(program);
    const known = roles.get(program);
    if (known === undefined) roles.set(program, 0);
    else if (known & WRITABLE) return null;
    for (const account of ix.accounts ?? []) {
      if ("lookupTableAddress" in account) return null;
      if (account.address === message.feePayer) continue;
      const role = roles.get(account.address);
      if (programs.has(account.address) && account.role & WRITABLE) return null;
      roles.set(account.address, (role ?? 0) | account.role);
    }
    if ((ix.accounts?.length ?? 0) > 255) return null;
  }
  if (roles.size > 64 || message.instructions.length > 64) return null;
  const rank = (role: number) => (role & SIGNER ? 0 : 2) + (role & WRITABLE ? 0 : 1);
  const byRoleThenAddress = (a: Address, b: Address) => {
    const byRole = rank(roles.get(a) ?? 0) - rank(roles.get(b) ?? 0);
    return byRole !== 0 ? byRole : addressOrder.compare(a, b);
  };
  const table = message.lookupTable;
  const isLoaded = (address: Address) =>
    table?.indexOf.has(address) === true &&
    !((roles.get(address) ?? 0) & SIGNER) &&
    !programs.has(address);
  const others = [...roles.keys()].filter((a) => a !== message.feePayer && !isLoaded(a));
  others.sort(byRoleThenAddress);
  const loaded = [...roles.keys()].filter((a) => a !== message.feePayer && isLoaded(a));
  loaded.sort(byRoleThenAddress);
  const staticAccounts = [message.feePayer, ...others];
  const header = {
    numSignerAccounts: 0,
    numReadonlySignerAccounts: 0,
    numReadonlyNonSignerAccounts: 0,
  };
  for (const address of staticAccounts) {
    const role = roles.get(address) ?? 0;
    if (role & SIGNER) {
      header.numSignerAccounts++;
      if (!(role & WRITABLE)) header.numReadonlySignerAccounts++;
    } else if (!(role & WRITABLE)) header.numReadonlyNonSignerAccounts++;
  }
  if (header.numSignerAccounts > 12) return null;
  const index = new Map([...staticAccounts, ...loaded].map((address, i) => [address, i]));
  const tableIndexes = (writable: boolean) =>
    loaded
      .filter((a) => Boolean((roles.get(a) ?? 0) & WRITABLE) === writable)
      .map((a) => table?.indexOf.get(a) ?? 0);
  return {
    header,
    staticAccounts,
    lifetimeToken: message.blockhash,
    instructions: message.instructions.map((ix) => ({
      programAddressIndex: index.get(ix.programAddress) ?? 0,
      ...(ix.accounts ? { accountIndices: ix.accounts.map((a) => index.get(a.address) ?? 0) } : {}),
      ...(ix.data ? { data: ix.data } : {}),
    })),
    ...(table && loaded.length > 0
      ? {
          addressTableLookups: [
            {
              lookupTableAddress: table.address,
              writableIndexes: tableIndexes(true),
              readonlyIndexes: tableIndexes(false),
            },
          ],
        }
      : {}),
  };
}

/** The same message as kit's own structure, for what is left to kit. */
function toKitMessage(message: SwapMessage) {
  return pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(message.feePayer, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        {
          blockhash: blockhash(message.blockhash),
          lastValidBlockHeight: message.lastValidBlockHeight,
        },
        m,
      ),
    (m) => appendTransactionMessageInstructions(message.instructions, m),
    (m) =>
      message.lookupTable
        ? compressTransactionMessageUsingAddressLookupTables(m, {
            [message.lookupTable.address]: [...message.lookupTable.addresses],
          })
        : m,
  );
}

/**
 * The v0 message bytes kit would produce, without kit's message objects and codecs, which are
 * rebuilt per call and decode each address through BigInt (most of a swap build's cost).
 */
export function getMessageBytes(message: SwapMessage): {
  messageBytes: Uint8Array;
  signerAddresses: Address[];
} {
  const compiled = compileStatic(message) ?? compileTransactionMessage(toKitMessage(message));
  const out = new ByteWriter();
  out.u8(0x80); // version 0
  out.u8(compiled.header.numSignerAccounts);
  out.u8(compiled.header.numReadonlySignerAccounts);
  out.u8(compiled.header.numReadonlyNonSignerAccounts);
  out.compactU16(compiled.staticAccounts.length);
  for (const address of compiled.staticAccounts) out.raw(bytesOf(address));
  out.raw(bytesOf(compiled.lifetimeToken));
  out.compactU16(compiled.instructions.length);
  for (const ix of compiled.instructions) {
    out.u8(ix.programAddressIndex);
    const accounts = ix.accountIndices ?? [];
    out.compactU16(accounts.length);
    for (const index of accounts) out.u8(index);
    const data = ix.data ?? new Uint8Array();
    out.compactU16(data.length);
    out.raw(data);
  }
  const lookups = compiled.addressTableLookups ?? [];
  out.compactU16(lookups.length);
  for (const lookup of lookups) {
    out.raw(bytesOf(lookup.lookupTableAddress));
    out.compactU16(lookup.writableIndexes.length);
    for (const index of lookup.writableIndexes) out.u8(index);
    out.compactU16(lookup.readonlyIndexes.length);
    for (const index of lookup.readonlyIndexes) out.u8(index);
  }
  return {
    messageBytes: out.done(),
    signerAddresses: compiled.staticAccounts.slice(0, compiled.header.numSignerAccounts),
  };
}

/** Wire bytes: the signatures in signer order (zeros where missing), then the message. */
export function getWireBytes(
  messageBytes: ArrayLike<number>,
  signerAddresses: readonly Address[],
  signatures: Readonly<Record<string, SignatureBytes | null>> = {},
): Uint8Array {
  const out = new ByteWriter();
  out.compactU16(signerAddresses.length);
  const missing = new Uint8Array(64);
  for (const address of signerAddresses) out.raw(signatures[address] ?? missing);
  out.raw(messageBytes);
  return out.done();
}

const keyObjects = new WeakMap<KeyPairSigner["keyPair"]["privateKey"], KeyObject>();

/**
 * The node KeyObject behind a WebCrypto key: signing with it is synchronous and skips kit's
 * per-signature export of the public key (the same Ed25519 signature, which is deterministic).
 */
function privateKeyObject(key: KeyPairSigner["keyPair"]["privateKey"]): KeyObject {
  let object = keyObjects.get(key);
  if (!object) {
    object = KeyObject.from(key);
    keyObjects.set(key, object);
  }
  return object;
}

/** The transaction signed by every signer the message carries (a no-op signer adds nothing). */
export async function getPartiallySignedWire(
  message: SwapMessage,
  onSigned?: (signer: Address, messageBytes: Uint8Array, signature: Uint8Array) => void,
): Promise<Uint8Array> {
  const signers = getSignersFromTransactionMessage({ instructions: message.instructions });
  if (!signers.every((signer) => isTransactionPartialSigner(signer))) {
    // Modifying or sending signers may rewrite the message: leave those to kit.
    const signed = await partiallySignTransactionMessageWithSigners(toKitMessage(message));
    const { messageBytes, signatures } = signed;
    return getWireBytes(messageBytes, Object.keys(signatures) as Address[], signatures);
  }
  const { messageBytes, signerAddresses } = getMessageBytes(message);
  const transaction = {
    messageBytes: messageBytes as unknown as TransactionMessageBytes,
    signatures: Object.freeze(Object.fromEntries(signerAddresses.map((a) => [a, null]))),
  } as unknown as Transaction;
  const signatures: Record<string, SignatureBytes> = {};
  await Promise.all(
    signers.map(async (signer) => {
      if (isKeyPairSigner(signer) && signerAddresses.includes(signer.address)) {
        const signature = sign(null, messageBytes, privateKeyObject(signer.keyPair.privateKey));
        signatures[signer.address] = signature as unknown as SignatureBytes;
        onSigned?.(signer.address, messageBytes, signature);
        return;
      }
      if (!isTransactionPartialSigner(signer)) return;
      const [dictionary] = await signer.signTransactions([transaction]);
      Object.assign(signatures, dictionary);
    }),
  );
  return getWireBytes(messageBytes, signerAddresses, signatures);
}
