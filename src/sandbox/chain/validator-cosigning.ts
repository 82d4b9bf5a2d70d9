import { createHash } from "node:crypto";
import type { Address } from "@solana/kit";
import { WireReader } from "../encoding/wire-reader.js";
import { BLOCKHASH_VALIDITY_BLOCKS } from "./blockhash-queue.js";
import type { DecodedTransaction } from "./decoded-transaction.js";

/**
 * Decides whether the sandbox validator adds signatures to a transaction that arrived with some
 * signer slots all zeros: given the decoded transaction and the signers whose slot is empty, it
 * answers the signatures to put there (by signer), or null to leave the transaction as it is.
 * The swap API installs one: it signs for a pool authority when the transaction carries an
 * instruction set that `/swap-instructions` or `/swap/v2/build` issued (the stand-in for
 * Jupiter's on-chain program, which needs no signature of the pools it trades against).
 */
export type Cosigner = (
  tx: DecodedTransaction,
  emptySigners: ReadonlySet<Address>,
) => ReadonlyMap<Address, Uint8Array> | null;

export interface ValidatorCosigning {
  /** Installs a cosigner; returns the function that removes it. */
  add(cosigner: Cosigner): () => void;
  /**
   * The wire bytes with empty signer slots filled where a cosigner agrees, else the same bytes.
   * The message is never changed, so the other signatures and the transaction id stay valid.
   * Idempotent: the same message gets the same signatures again (the lander rebroadcasts), as
   * long as its blockhash is valid.
   */
  complete(wire: Uint8Array): Uint8Array;
}

export interface ValidatorCosigningDeps {
  decode(wire: Uint8Array): DecodedTransaction;
  slot(): bigint;
  isBlockhashValid(blockhash: string, atSlot: bigint): boolean;
  /** Lets signature verification skip the check of a signature the sandbox made itself. */
  rememberOwn(signer: Address, messageBytes: Uint8Array, signature: Uint8Array): void;
}

interface Completed {
  blockhash: string;
  slot: bigint;
  signatures: ReadonlyMap<Address, Uint8Array>;
}

const MAX_REMEMBERED = 10_000;
const SIGNATURE_LENGTH = 64;

/** Indexes of the signature slots that are all zeros (no wire decoding beyond the signatures). */
function emptySlots(wire: Uint8Array): number[] {
  try {
    const reader = new WireReader(wire);
    const count = reader.compactU16();
    const empty: number[] = [];
    for (let i = 0; i < count; i++) {
      if (reader.take(SIGNATURE_LENGTH).every((byte) => byte === 0)) empty.push(i);
    }
    return empty;
  } catch {
    return [];
  }
}

export function createValidatorCosigning(deps: ValidatorCosigningDeps): ValidatorCosigning {
  const cosigners = new Set<Cosigner>();
  // By message hash: what was co-signed, until its blockhash expires.
  const completed = new Map<string, Completed>();
  let prunedAt = -1n;

  const prune = () => {
    const slot = deps.slot();
    if (slot === prunedAt && completed.size < MAX_REMEMBERED) return;
    prunedAt = slot;
    for (const [key, entry] of completed) {
      const young = slot - entry.slot <= BigInt(BLOCKHASH_VALIDITY_BLOCKS);
      if (!young && !deps.isBlockhashValid(entry.blockhash, slot)) completed.delete(key);
    }
    // Still full: the oldest go first (insertion order).
    for (const key of completed.keys()) {
      if (completed.size < MAX_REMEMBERED) break;
      completed.delete(key);
    }
  };

  const apply = (
    tx: DecodedTransaction,
    empty: readonly number[],
    signatures: ReadonlyMap<Address, Uint8Array>,
  ) => {
    const wire = Uint8Array.from(tx.wire);
    const signaturesStart = tx.wire.length - tx.messageBytes.length - 64 * tx.signatures.length;
    let changed = false;
    for (const index of empty) {
      const signer = tx.staticAccounts[index];
      const signature = signer && signatures.get(signer);
      if (!signature || signature.length !== SIGNATURE_LENGTH) continue;
      wire.set(signature, signaturesStart + index * SIGNATURE_LENGTH);
      changed = true;
    }
    return changed ? wire : tx.wire;
  };

  return {
    add(cosigner) {
      cosigners.add(cosigner);
      return () => {
        cosigners.delete(cosigner);
      };
    },
    complete(wire) {
      if (cosigners.size === 0) return wire;
      const empty = emptySlots(wire);
      if (empty.length === 0) return wire;
      let tx: DecodedTransaction;
      try {
        tx = deps.decode(wire);
      } catch {
        // The caller's own decoding reports what is wrong with it.
        return wire;
      }
      const signers = empty.filter((index) => index < tx.header.numRequiredSignatures);
      if (signers.length === 0) return wire;
      prune();
      const key = createHash("sha256").update(tx.messageBytes).digest("base64");
      const known = completed.get(key);
      if (known) return apply(tx, signers, known.signatures);
      const emptySigners = new Set(signers.map((index) => tx.staticAccounts[index] as Address));
      for (const cosigner of cosigners) {
        const signatures = cosigner(tx, emptySigners);
        if (!signatures || signatures.size === 0) continue;
        const done = apply(tx, signers, signatures);
        if (done === tx.wire) continue;
        for (const [signer, signature] of signatures) {
          if (emptySigners.has(signer)) deps.rememberOwn(signer, tx.messageBytes, signature);
        }
        completed.set(key, { blockhash: tx.recentBlockhash, slot: deps.slot(), signatures });
        return done;
      }
      return wire;
    },
  };
}
