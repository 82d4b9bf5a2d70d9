import type { Address } from "@solana/kit";
import { z } from "zod";
import type { SandboxChain } from "../chain/sandbox-chain.js";
import type { AccountEncoding, MintDecimalsReader } from "../encoding/account-encoding.js";
import {
  accountEncodingSchema,
  commitmentSchema,
  optionalConfig,
  parseParams,
} from "../rpc/params.js";
import {
  assertEncodable,
  EMPTY_ACCOUNT,
  encodeNotificationAccount,
} from "./notification-account.js";
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
    }),
  ),
]);

interface AccountSubscription {
  subscriber: Subscriber;
  encoding: AccountEncoding;
}

/** accountSubscribe: the account's state each time a transaction writes it. */
export function createAccountSubscriptions(
  chain: SandboxChain,
  decimals: MintDecimalsReader,
): SubscriptionKind {
  const indexes = createCommitmentIndexes<Address, AccountSubscription>();
  return {
    methods: {
      accountSubscribe: {
        notification: "accountNotification",
        subscribe(params, subscriber) {
          const [text, config] = parseParams(paramsSchema, params);
          const address = parsePubkey(text);
          // agave's default is the legacy "binary" encoding: a bare base58 string.
          const encoding = config?.encoding ?? "binary";
          assertEncodable(encoding);
          const commitment = getSubscribeCommitment(config);
          const sub = { subscriber, encoding };
          return { detach: indexes[commitment].add(address, sub) };
        },
      },
    },
    deliver(records, commitment, slot) {
      const index = indexes[commitment];
      if (index.size === 0) return;
      for (const address of getWrittenAddresses(records)) {
        const subs = index.get(address);
        if (!subs) continue;
        const account = chain.getAccount(address) ?? EMPTY_ACCOUNT;
        for (const { subscriber, encoding } of subs) {
          subscriber.notify({
            context: { slot },
            value: encodeNotificationAccount(address, account, encoding, decimals),
          });
        }
      }
    },
  };
}
