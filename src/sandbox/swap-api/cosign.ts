import { KeyObject, sign, type webcrypto } from "node:crypto";
import {
  type Address,
  getBase64EncodedWireTransaction,
  getTransactionDecoder,
  type Instruction,
  partiallySignTransaction,
} from "@solana/kit";
import type { Cosigner, DecodedTransaction } from "../index.js";
import { BLOCKHASH_VALIDITY_BLOCKS } from "../index.js";
import type { Pool } from "../market/pool.js";
import type { QuoteEngine } from "./quote-engine.js";
import { SwapApiError } from "./swap-api-error.js";

/**
 * Sandbox pools are keypairs: a transaction assembled from `/swap-instructions` or
 * `/swap/v2/build` instructions needs the pool authority's signature, which Jupiter's on-chain
 * program would make unnecessary on mainnet. The pool co-signs once per issued set, only if the
 * transaction carries every issued instruction (so the user's payment is in it) and no other
 * instruction can see the authority (a program given a signer can use it). Two ways in:
 * - `cosign`: `POST /swap/v1/cosign` (the v1 sandbox extension), the client asks;
 * - `validatorCosigner`: installed on the chain (`chain.addCosigner`), the validator signs when
 *   such a transaction arrives with the authority's slot empty, so the client side is exactly
 *   mainnet's (it signs only as the taker).
 * Accounts loaded from lookup tables are checked as resolved now: a table only grows and cannot be
 * closed before the transaction's blockhash expires, so they resolve the same when it lands.
 */
export interface CosignDesk {
  issue(pool: Pool, instructions: readonly Instruction[]): void;
  cosign(base64Transaction: string): Promise<string>;
  readonly validatorCosigner: Cosigner;
}

interface Offer {
  pool: Pool;
  keys: string[];
  expiresAtHeight: bigint;
}

const MAX_OFFERS = 1_000;

function refuse(message: string): SwapApiError {
  return new SwapApiError("TRANSACTION_NOT_COSIGNABLE", message);
}

function keyOf(program: string, accounts: readonly string[], data: Uint8Array): string {
  return `${program}|${accounts.join(",")}|${Buffer.from(data).toString("base64")}`;
}

// node:crypto signs synchronously (the chain's send path does not await); the key stays the
// pool's non-extractable WebCrypto key, wrapped.
const signingKeys = new WeakMap<webcrypto.CryptoKey, KeyObject>();
function signSync(pool: Pool, message: Uint8Array): Uint8Array {
  const privateKey = pool.authority.keyPair.privateKey;
  let key = signingKeys.get(privateKey);
  if (!key) {
    key = KeyObject.from(privateKey);
    signingKeys.set(privateKey, key);
  }
  return new Uint8Array(sign(null, message, key));
}

export function createCosignDesk(engine: QuoteEngine): CosignDesk {
  const { chain } = engine;
  let offers: Offer[] = [];
  const height = () => chain.getBlock(chain.getSlot("processed")).blockHeight;
  const prune = () => {
    const now = height();
    offers = offers.filter((offer) => offer.expiresAtHeight >= now).slice(-MAX_OFFERS);
  };

  /**
   * The desk's one check: the index of the issued set this transaction carries for `pool`
   * (each issued instruction once; any other instruction must not touch the pool, or a duplicated
   * payout would be signed for a single payment), or a refusal.
   */
  const match = (tx: DecodedTransaction, pool: Pool): number | string => {
    const signers = tx.staticAccounts.slice(0, tx.header.numRequiredSignatures);
    if (signers[0] === pool.id) return "The pool authority cannot be the fee payer";
    const all = tx.instructions.map((ix) => ({
      key: keyOf(
        tx.accountKeys[ix.programIdIndex] as Address,
        ix.accounts.map((i) => tx.accountKeys[i] as Address),
        ix.data,
      ),
      touchesPool:
        ix.programIdIndex === tx.accountKeys.indexOf(pool.id) ||
        ix.accounts.some((i) => tx.accountKeys[i] === pool.id),
    }));
    const index = offers.findIndex((offer) => {
      if (offer.pool.id !== pool.id) return false;
      const unused = [...offer.keys];
      for (const entry of all) {
        const at = unused.indexOf(entry.key);
        if (at >= 0) unused.splice(at, 1);
        else if (entry.touchesPool) return false;
      }
      return unused.length === 0;
    });
    return index >= 0 ? index : "The transaction does not match issued swap instructions";
  };

  return {
    issue(pool, instructions) {
      prune();
      const keys = instructions.map((ix) =>
        keyOf(
          ix.programAddress,
          (ix.accounts ?? []).map((meta) => meta.address),
          Uint8Array.from(ix.data ?? []),
        ),
      );
      offers.push({ pool, keys, expiresAtHeight: height() + BigInt(BLOCKHASH_VALIDITY_BLOCKS) });
    },
    async cosign(base64Transaction) {
      prune();
      const wire = new Uint8Array(Buffer.from(base64Transaction, "base64"));
      let tx: DecodedTransaction;
      try {
        tx = chain.decodeTransaction(wire);
      } catch {
        throw refuse("Not a valid serialized transaction");
      }
      const signers = tx.staticAccounts.slice(0, tx.header.numRequiredSignatures);
      const pool = engine.pools.all().find((p) => signers.includes(p.id));
      if (!pool) throw refuse("No pool authority is a signer of this transaction");
      const index = match(tx, pool);
      if (typeof index === "string") throw refuse(index);
      offers.splice(index, 1);
      const decoded = getTransactionDecoder().decode(wire);
      const signed = await partiallySignTransaction([pool.authority.keyPair], decoded);
      return getBase64EncodedWireTransaction(signed);
    },
    validatorCosigner(tx, emptySigners) {
      const pool = engine.pools.all().find((p) => emptySigners.has(p.id));
      if (!pool) return null;
      prune();
      const index = match(tx, pool);
      if (typeof index === "string") return null;
      offers.splice(index, 1);
      return new Map([[pool.id, signSync(pool, tx.messageBytes)]]);
    },
  };
}
