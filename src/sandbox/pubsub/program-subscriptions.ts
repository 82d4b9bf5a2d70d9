import type { Address } from "@solana/kit";
import { z } from "zod";
import type { SandboxChain } from "../chain/sandbox-chain.js";
import type { AccountEncoding, MintDecimalsReader } from "../encoding/account-encoding.js";
import {
  compileFilters,
  type ProgramAccountFilter,
  programAccountFiltersSchema,
} from "../rpc/methods/program-account-filters.js";
import {
  accountEncodingSchema,
  commitmentSchema,
  optionalConfig,
  parseParams,
} from "../rpc/params.js";
import { RpcError } from "../rpc/rpc-error.js";
import { assertEncodable, encodeNotificationAccount } from "./notification-account.js";
import { getSubscribeCommitment, parsePubkey } from "./pubsub-params.js";
import { createCommitmentIndexes } from "./subscription-index.js";
import type { SubscriptionKind } from "./subscription-kind.js";
import type { Subscriber } from "./subscription-registry.js";
import { getWrittenAddresses } from "./written-addresses.js";

const paramsSchema = z.tuple([
  z.string(),
  optionalConfig(
    z.looseObject({
      commitment: commitmentSchema.optional(),
      encoding: accountEncodingSchema.optional(),
      filters: programAccountFiltersSchema.optional(),
      withContext: z.boolean().optional(),
    }),
  ),
]);

/**
 * programSubscribe words a filter error with jsonrpc_core's Display of the getProgramAccounts
 * error ("Invalid params: " + its message), since agave passes `error.to_string()` on.
 */
function compileSubscriptionFilters(filters: readonly ProgramAccountFilter[]) {
  try {
    return compileFilters(filters);
  } catch (error) {
    if (!(error instanceof RpcError)) throw error;
    throw new RpcError(error.code, `Invalid params: ${error.message}`);
  }
}

interface ProgramSubscription {
  subscriber: Subscriber;
  encoding: AccountEncoding;
  matches: (data: Uint8Array) => boolean;
}

/** programSubscribe: every account owned by the program that a transaction wrote, filtered. */
export function createProgramSubscriptions(
  chain: SandboxChain,
  decimals: MintDecimalsReader,
): SubscriptionKind {
  // Keyed by program id: a written account costs one lookup of its owner, whatever the count.
  const indexes = createCommitmentIndexes<Address, ProgramSubscription>();
  return {
    methods: {
      programSubscribe: {
        notification: "programNotification",
        subscribe(params, subscriber) {
          const [text, config] = parseParams(paramsSchema, params);
          const program = parsePubkey(text);
          const matches = compileSubscriptionFilters(config?.filters ?? []);
          const encoding = config?.encoding ?? "binary";
          assertEncodable(encoding, program);
          const commitment = getSubscribeCommitment(config);
          const sub = { subscriber, encoding, matches };
          return { detach: indexes[commitment].add(program, sub) };
        },
      },
    },
    deliver(records, commitment, slot) {
      const index = indexes[commitment];
      if (index.size === 0) return;
      for (const address of getWrittenAddresses(records)) {
        const account = chain.getAccount(address);
        const subs = account && index.get(account.owner);
        if (!subs) continue;
        for (const { subscriber, encoding, matches } of subs) {
          if (!matches(account.data)) continue;
          subscriber.notify({
            context: { slot },
            value: {
              pubkey: address,
              account: encodeNotificationAccount(address, account, encoding, decimals),
            },
          });
        }
      }
    },
  };
}
