import { z } from "zod";
import { getConfirmationStatus } from "../../chain/commitment.js";
import type { TransactionRecord } from "../../chain/transaction-store.js";
import { encodeTransactionRecord, isVersionSupported } from "../../encoding/transaction-json.js";
import { getMemo } from "../../encoding/transaction-memo.js";
import {
  addressSchema,
  commitmentConfigSchema,
  optionalConfig,
  parseParams,
  signatureSchema,
} from "../params.js";
import { type RpcContext, readSlot, slotAt, withContext } from "../rpc-context.js";
import { invalidParams } from "../rpc-error.js";
import type { RpcMethodTable } from "../rpc-method.js";
import { assertAtLeastConfirmed, unsupportedTransactionVersion } from "./ledger-errors.js";

/** Slots a status stays findable without searchTransactionHistory (mainnet's status cache). */
export const RECENT_STATUS_SLOTS = 300n;
const MAX_STATUS_SIGNATURES = 256;

function statusOf(record: TransactionRecord, tip: bigint) {
  const confirmationStatus = getConfirmationStatus(record.slot, tip);
  return {
    slot: record.slot,
    confirmations: confirmationStatus === "finalized" ? null : tip - record.slot,
    err: record.meta.err,
    status: record.meta.err === null ? { Ok: null } : { Err: record.meta.err },
    confirmationStatus,
  };
}

/** agave's MAX_GET_CONFIRMED_SIGNATURES_FOR_ADDRESS2_LIMIT. */
const MAX_SIGNATURES_LIMIT = 1000;

/** Reads below `confirmed` are refused for history methods, as on mainnet. */
function historySlot(ctx: RpcContext, config: z.infer<typeof commitmentConfigSchema> | undefined) {
  assertAtLeastConfirmed(config?.commitment);
  return readSlot(ctx, config);
}

const encodingSchema = z.enum(["json", "jsonParsed", "base64", "base58", "binary"]);
const transactionConfigSchema = commitmentConfigSchema.extend({
  encoding: encodingSchema.optional(),
  maxSupportedTransactionVersion: z.number().int().min(0).max(255).optional(),
});
type TransactionConfig = z.infer<typeof transactionConfigSchema>;

const signaturesConfigSchema = commitmentConfigSchema.extend({
  limit: z.number().int().optional(),
  before: signatureSchema.optional(),
  until: signatureSchema.optional(),
});

const getSignatureStatusesParams = z.tuple([
  z
    .array(signatureSchema)
    .max(MAX_STATUS_SIGNATURES, `Too many inputs provided; max ${MAX_STATUS_SIGNATURES}`),
  optionalConfig(z.looseObject({ searchTransactionHistory: z.boolean().optional() })),
]);
/** The config may be the legacy bare encoding string (agave's RpcEncodingConfigWrapper). */
const getTransactionParams = z.tuple([
  signatureSchema,
  optionalConfig(
    z.union([
      encodingSchema.transform((encoding): TransactionConfig => ({ encoding })),
      transactionConfigSchema,
    ]),
  ),
]);
const getSignaturesForAddressParams = z.tuple([
  addressSchema,
  optionalConfig(signaturesConfigSchema),
]);
const getRecentPrioritizationFeesParams = z.tuple([
  z.array(addressSchema).max(128, "Too many inputs provided; max 128").optional(),
]);

export const historyMethods: RpcMethodTable = {
  getSignatureStatuses: (params, ctx) => {
    const [signatures, config] = parseParams(getSignatureStatusesParams, params);
    const tip = slotAt(ctx, "processed");
    const value = signatures.map((signature) => {
      const record = ctx.chain.getTransaction(signature);
      if (!record || record.slot > tip) return null;
      const recent = tip - record.slot <= RECENT_STATUS_SLOTS;
      return recent || config?.searchTransactionHistory ? statusOf(record, tip) : null;
    });
    return withContext(tip, value);
  },
  getTransaction: (params, ctx) => {
    const [signature, config] = parseParams(getTransactionParams, params);
    const slot = historySlot(ctx, config);
    const record = ctx.chain.getTransaction(signature);
    if (!record || record.slot > slot) return null;
    const max = config?.maxSupportedTransactionVersion;
    const { version } = record.transaction;
    if (version !== "legacy" && !isVersionSupported(record, max))
      throw unsupportedTransactionVersion(version);
    return encodeTransactionRecord(record, config?.encoding ?? "json", max !== undefined);
  },
  getSignaturesForAddress: (params, ctx) => {
    const [address, config] = parseParams(getSignaturesForAddressParams, params);
    const limit = config?.limit ?? MAX_SIGNATURES_LIMIT;
    if (limit < 1 || limit > MAX_SIGNATURES_LIMIT)
      throw invalidParams(`Invalid limit; max ${MAX_SIGNATURES_LIMIT}`);
    const slot = historySlot(ctx, config);
    const tip = slotAt(ctx, "processed");
    const records = ctx.chain.getTransactionsForAddress(address);
    const result: unknown[] = [];
    let started = config?.before === undefined;
    for (let i = records.length - 1; i >= 0 && result.length < limit; i--) {
      const record = records[i] as TransactionRecord;
      if (!started) {
        started = record.signature === config?.before;
        continue;
      }
      if (record.signature === config?.until) break;
      if (record.slot > slot) continue;
      result.push({
        signature: record.signature,
        slot: record.slot,
        err: record.meta.err,
        memo: getMemo(record),
        blockTime: record.blockTime,
        confirmationStatus: getConfirmationStatus(record.slot, tip),
      });
    }
    return result;
  },
  getRecentPrioritizationFees: (params, ctx) => {
    const [accounts] = parseParams(getRecentPrioritizationFeesParams, params);
    return ctx.chain
      .getRecentPrioritizationFees(accounts ?? [], slotAt(ctx, "processed"))
      .map(({ slot, fee }) => ({ slot, prioritizationFee: fee }));
  },
};
