import type { Signature } from "@solana/kit";
import type { ChainClient } from "../chain/chain-client.js";
import type { LandingOutcome } from "../chain/landing-types.js";
import type { Logger } from "../core/logger.js";
import { OspreyError } from "../core/osprey-error.js";
import type { WithdrawalRecord } from "../store/repositories/withdrawals-repository.js";
import type { Store } from "../store/store.js";
import { describeTransactionError } from "../trading/describe-transaction-error.js";
import { getWithdrawalSources } from "./withdrawal-transitions.js";

export type SettleMode = "land" | "resume";

export interface WithdrawalSettlerDeps {
  readonly store: Store;
  readonly chain: Pick<ChainClient, "rpc" | "lander">;
  readonly logger: Logger;
  /** Called with every record a status change produced (the service turns it into an event). */
  readonly onChange: (withdrawal: WithdrawalRecord) => void;
}

const FEE_READS = 10;
const FEE_READ_GAP_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Lands a SIGNED withdrawal's stored bytes (or resumes tracking them after a restart) and records
 * the chain's verdict with the fee paid. One settlement per withdrawal at a time; every write is
 * a compare-and-set, exactly as for orders (src/trading/settle-order.ts).
 */
export function createWithdrawalSettler(deps: WithdrawalSettlerDeps) {
  const { store, chain, logger } = deps;
  const inFlight = new Map<string, Promise<WithdrawalRecord | undefined>>();

  /** The fee the landed transaction charged, from its record; null if it cannot be read yet. */
  async function readFee(signature: string): Promise<bigint | null> {
    for (let attempt = 0; attempt < FEE_READS; attempt++) {
      try {
        const tx = await chain.rpc
          .getTransaction(signature as Signature, {
            commitment: "confirmed",
            encoding: "json",
            maxSupportedTransactionVersion: 0,
          })
          .send();
        if (tx?.meta) return BigInt(tx.meta.fee);
      } catch (error) {
        logger.debug({ err: error, signature }, "fee read failed; retrying");
      }
      await sleep(FEE_READ_GAP_MS);
    }
    return null;
  }

  function changed(record: WithdrawalRecord | undefined): WithdrawalRecord | undefined {
    if (record) deps.onChange(record);
    return record;
  }

  async function recordOutcome(withdrawal: WithdrawalRecord, outcome: LandingOutcome) {
    switch (outcome.kind) {
      case "confirmed": {
        const fee = await readFee(outcome.signature);
        return changed(
          await store.withdrawals.transition(
            withdrawal.id,
            getWithdrawalSources("CONFIRMED"),
            "CONFIRMED",
            { slot: Number(outcome.slot), ...(fee === null ? {} : { feeLamports: fee }) },
            { slot: outcome.slot.toString() },
          ),
        );
      }
      case "failed": {
        // A failure that landed still cost its fee; one refused before broadcast cost nothing.
        const fee = outcome.slot === undefined ? 0n : await readFee(outcome.signature);
        return changed(
          await store.withdrawals.transition(
            withdrawal.id,
            getWithdrawalSources("FAILED"),
            "FAILED",
            {
              error: describeTransactionError(outcome.error).replace("The swap", "The withdrawal"),
              ...(outcome.slot === undefined ? {} : { slot: Number(outcome.slot) }),
              ...(fee === null ? {} : { feeLamports: fee }),
            },
            { reason: "on-chain error" },
          ),
        );
      }
      case "expired":
        return changed(
          await store.withdrawals.transition(
            withdrawal.id,
            getWithdrawalSources("EXPIRED"),
            "EXPIRED",
            {
              error: "The blockhash expired before the withdrawal landed; nothing moved.",
              feeLamports: 0n,
            },
            { blockHeight: outcome.blockHeight.toString() },
          ),
        );
      default:
        return outcome satisfies never;
    }
  }

  async function run(withdrawal: WithdrawalRecord, mode: SettleMode) {
    if (withdrawal.rawTransaction === null || withdrawal.lastValidBlockHeight === null) {
      throw new OspreyError("INTERNAL", "Only a signed withdrawal can be landed.", {
        withdrawalId: withdrawal.id,
      });
    }
    let submitted: Promise<unknown> = Promise.resolve();
    const outcome = await chain.lander[mode]({
      transaction: withdrawal.rawTransaction,
      lastValidBlockHeight: BigInt(withdrawal.lastValidBlockHeight),
      onEvent(event) {
        if (event.kind !== "first-send" || withdrawal.status !== "SIGNED") return;
        submitted = store.withdrawals
          .transition(withdrawal.id, ["SIGNED"], "SUBMITTED", {}, { endpoints: event.endpoints })
          .then(changed)
          .catch((error: unknown) =>
            logger.warn({ err: error, withdrawalId: withdrawal.id }, "SUBMITTED not recorded"),
          );
      },
    });
    await submitted;
    return recordOutcome(withdrawal, outcome);
  }

  return {
    /** Resolves when final (or undefined if another worker finalised it first). */
    settle(withdrawal: WithdrawalRecord, mode: SettleMode): Promise<WithdrawalRecord | undefined> {
      const existing = inFlight.get(withdrawal.id);
      if (existing) return existing;
      const promise = run(withdrawal, mode).finally(() => inFlight.delete(withdrawal.id));
      inFlight.set(withdrawal.id, promise);
      return promise;
    },
    isSettling: (id: string) => inFlight.has(id),
    /** Waits for every settlement to finish or fail (after the lander was closed). */
    async drain(): Promise<void> {
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}

export type WithdrawalSettler = ReturnType<typeof createWithdrawalSettler>;
