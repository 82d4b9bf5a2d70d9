import { createHash } from "node:crypto";
import type { Address } from "@solana/kit";
import { base58ToBytes, bytesToBase58 } from "../encoding/base58.js";
import type { DecodedTransaction } from "./decoded-transaction.js";
import { SYSTEM_PROGRAM } from "./ledger-accounts.js";

const ADVANCE_NONCE_ACCOUNT = 4;
/** Nonce account data: u32 version, u32 state, authority, durable nonce, fee calculator. */
const NONCE_ACCOUNT_SIZE = 80;
const CURRENT_VERSION = 1;
const INITIALIZED = 1;

/** The nonce value an advance in a slot with `blockhash` stores (agave's DurableNonce::from_blockhash). */
export function getDurableNonce(blockhash: string): string {
  const bytes = base58ToBytes(blockhash) ?? new Uint8Array(32);
  return bytesToBase58(createHash("sha256").update("DURABLE_NONCE").update(bytes).digest());
}

/** The nonce account of a durable-nonce transaction: its first instruction advances a writable one. */
export function getNonceAddress(tx: DecodedTransaction): Address | null {
  const first = tx.instructions[0];
  if (!first || tx.accountKeys[first.programIdIndex] !== SYSTEM_PROGRAM) return null;
  const { data } = first;
  if (data.length < 4) return null;
  if (new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true) !== ADVANCE_NONCE_ACCOUNT)
    return null;
  const index = first.accounts[0];
  if (index === undefined || !tx.isWritable[index]) return null;
  return tx.accountKeys[index] ?? null;
}

/**
 * Whether `tx` may land on its durable nonce rather than a recent blockhash, as agave decides:
 * the nonce account is initialized (current version) with `recentBlockhash` as its nonce, its
 * authority signs the advance, and the nonce was not already advanced in this slot.
 */
export function isDurableNonceTransaction(
  tx: DecodedTransaction,
  getAccount: (address: Address) => { owner: Address; data: Uint8Array } | null,
  latestBlockhash: string,
): boolean {
  const nonceAddress = getNonceAddress(tx);
  if (!nonceAddress) return false;
  const account = getAccount(nonceAddress);
  if (!account || account.owner !== SYSTEM_PROGRAM || account.data.length !== NONCE_ACCOUNT_SIZE)
    return false;
  const view = new DataView(account.data.buffer, account.data.byteOffset, NONCE_ACCOUNT_SIZE);
  if (view.getUint32(0, true) !== CURRENT_VERSION || view.getUint32(4, true) !== INITIALIZED)
    return false;
  if (bytesToBase58(account.data.subarray(40, 72)) !== tx.recentBlockhash) return false;
  if (tx.recentBlockhash === getDurableNonce(latestBlockhash)) return false;
  const authority = bytesToBase58(account.data.subarray(8, 40));
  const first = tx.instructions[0];
  return (
    first?.accounts.some(
      (index) => index < tx.header.numRequiredSignatures && tx.accountKeys[index] === authority,
    ) ?? false
  );
}

/**
 * The nonce account's data once advanced in a slot with `blockhash`: what agave commits for a
 * nonce transaction that failed (LiteSVM rolls the whole transaction back, advance included).
 */
export function advanceNonceData(
  data: Uint8Array,
  blockhash: string,
  lamportsPerSignature: bigint,
) {
  const advanced = Uint8Array.from(data);
  advanced.set(base58ToBytes(getDurableNonce(blockhash)) ?? new Uint8Array(32), 40);
  new DataView(advanced.buffer).setBigUint64(72, lamportsPerSignature, true);
  return advanced;
}
