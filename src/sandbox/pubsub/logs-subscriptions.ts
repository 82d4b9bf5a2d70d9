import type { Address } from "@solana/kit";
import { z } from "zod";
import type { Commitment } from "../chain/commitment.js";
import type { DecodedTransaction } from "../chain/decoded-transaction.js";
import type { TransactionRecord } from "../chain/transaction-store.js";
import { parseParams } from "../rpc/params.js";
import { RpcError, RpcErrorCode } from "../rpc/rpc-error.js";
import { commitmentOnlyConfig, getSubscribeCommitment, parsePubkey } from "./pubsub-params.js";
import { createCommitmentIndexes } from "./subscription-index.js";
import type { SubscriptionKind } from "./subscription-kind.js";
import type { Subscriber } from "./subscription-registry.js";

const VOTE_PROGRAM = "Vote111111111111111111111111111111111111111";

const filterSchema = z.union([z.string(), z.strictObject({ mentions: z.array(z.string()) })]);
const paramsSchema = z.tuple([filterSchema, commitmentOnlyConfig]);

interface LogsSubscription {
  subscriber: Subscriber;
  withVotes: boolean;
}

/** agave's is_simple_vote_transaction: what the "all" filter leaves out. */
function isSimpleVote(tx: DecodedTransaction): boolean {
  const [only, ...rest] = tx.instructions;
  return (
    only !== undefined &&
    rest.length === 0 &&
    tx.signatures.length < 3 &&
    tx.accountKeys[only.programIdIndex] === VOTE_PROGRAM
  );
}

function parseFilter(filter: z.infer<typeof filterSchema>) {
  if (typeof filter === "string") {
    if (filter === "all" || filter === "allWithVotes") return { kind: filter } as const;
    // serde's wording for an unknown enum variant, as jsonrpc_core passes it on.
    throw new RpcError(
      RpcErrorCode.INVALID_PARAMS,
      `Invalid params: unknown variant \`${filter}\`, expected one of \`all\`, \`allWithVotes\`, \`mentions\`.`,
    );
  }
  const [only, ...rest] = filter.mentions;
  if (only === undefined || rest.length > 0) {
    throw new RpcError(RpcErrorCode.INVALID_PARAMS, "Invalid Request: Only 1 address supported");
  }
  return { kind: "mentions", address: parsePubkey(only, "mentions") } as const;
}

/** logsSubscribe: a transaction's logs (failed ones too) for "all", "allWithVotes" or one mention. */
export function createLogsSubscriptions(): SubscriptionKind {
  const everything: Record<Commitment, Set<LogsSubscription>> = {
    processed: new Set(),
    confirmed: new Set(),
    finalized: new Set(),
  };
  const mentions = createCommitmentIndexes<Address, LogsSubscription>();
  const notification = (record: TransactionRecord, slot: bigint) => ({
    context: { slot },
    value: { signature: record.signature, err: record.meta.err, logs: record.meta.logMessages },
  });
  return {
    methods: {
      logsSubscribe: {
        notification: "logsNotification",
        subscribe(params, subscriber) {
          const [rawFilter, config] = parseParams(paramsSchema, params);
          const filter = parseFilter(rawFilter);
          const commitment = getSubscribeCommitment(config);
          const sub = { subscriber, withVotes: filter.kind !== "all" };
          if (filter.kind === "mentions") {
            return { detach: mentions[commitment].add(filter.address, sub) };
          }
          everything[commitment].add(sub);
          return { detach: () => everything[commitment].delete(sub) };
        },
      },
    },
    deliver(records, commitment, slot) {
      const all = everything[commitment];
      const byAddress = mentions[commitment];
      if (all.size === 0 && byAddress.size === 0) return;
      for (const record of records) {
        const result = notification(record, slot);
        if (all.size > 0) {
          const vote = isSimpleVote(record.transaction);
          for (const sub of all) if (sub.withVotes || !vote) sub.subscriber.notify(result);
        }
        if (byAddress.size === 0) continue;
        for (const key of record.transaction.accountKeys) {
          for (const sub of byAddress.get(key) ?? []) sub.subscriber.notify(result);
        }
      }
    },
  };
}
