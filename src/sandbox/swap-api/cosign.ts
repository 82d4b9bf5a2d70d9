import {
  type Address,
  getBase64EncodedWireTransaction,
  getTransactionDecoder,
  type Instruction,
  partiallySignTransaction,
} from "@solana/kit";
import { BLOCKHASH_VALIDITY_BLOCKS } from "../index.js";
import type { Pool } from "../market/pool.js";
import type { QuoteEngine } from "./quote-engine.js";
import { SwapApiError } from "./swap-api-error.js";

/**
 * Sandbox extension for `/swap-instructions`: a transaction the client assembled from those
 * instructions still needs the pool authority's signature. The pool co-signs once per issued
 * set, only if the transaction carries every issued instruction (so the user's payment is in
 * it) and no other instruction can see the authority (a program given a signer can use it).
 * Accounts loaded from lookup tables are checked as resolved now: a table only grows and cannot be
 * closed before the transaction's blockhash expires, so they resolve the same when it lands.
 */
export interface CosignDesk {
  issue(pool: Pool, instructions: readonly Instruction[]): void;
  cosign(base64Transaction: string): Promise<string>;
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

export function createCosignDesk(engine: QuoteEngine): CosignDesk {
  const { chain } = engine;
  let offers: Offer[] = [];
  const height = () => chain.getBlock(chain.getSlot("processed")).blockHeight;
  const prune = () => {
    const now = height();
    offers = offers.filter((offer) => offer.expiresAtHeight >= now).slice(-MAX_OFFERS);
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
      let tx: ReturnType<typeof chain.decodeTransaction>;
      try {
        tx = chain.decodeTransaction(wire);
      } catch {
        throw refuse("Not a valid serialized transaction");
      }
      const signers = tx.staticAccounts.slice(0, tx.header.numRequiredSignatures);
      const pool = engine.pools.all().find((p) => signers.includes(p.id));
      if (!pool) throw refuse("No pool authority is a signer of this transaction");
      if (signers[0] === pool.id) throw refuse("The pool authority cannot be the fee payer");
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
      // Each issued instruction must appear once; any other instruction must not touch the pool
      // (a duplicated payout would otherwise be signed for a single payment).
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
      if (index < 0)
        throw refuse("The transaction does not match instructions issued by /swap-instructions");
      offers.splice(index, 1);
      const decoded = getTransactionDecoder().decode(wire);
      const signed = await partiallySignTransaction([pool.authority.keyPair], decoded);
      return getBase64EncodedWireTransaction(signed);
    },
  };
}
