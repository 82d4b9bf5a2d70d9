import { z } from "zod";
import { BLOCKHASH_VALIDITY_BLOCKS } from "../../chain/blockhash-queue.js";
import type { SimulationResult } from "../../chain/sandbox-chain.js";
import {
  describeTransactionError,
  type TransactionErrorJson,
} from "../../chain/transaction-error.js";
import { createDecimalsReader, encodeAccount } from "../../encoding/account-encoding.js";
import { bytesToBase58 } from "../../encoding/base58.js";
import {
  addressSchema,
  commitmentConfigSchema,
  commitmentSchema,
  optionalConfig,
  parseParams,
  u64Schema,
} from "../params.js";
import { readSlot, slotAt, withContext } from "../rpc-context.js";
import { invalidParams, RpcError, RpcErrorCode } from "../rpc-error.js";
import type { RpcMethodTable } from "../rpc-method.js";
import { decodeWireParam } from "../transaction-params.js";

const wireEncodingSchema = z.enum(["base58", "base64"]).optional();

const sendConfigSchema = z.looseObject({
  encoding: wireEncodingSchema,
  skipPreflight: z.boolean().optional(),
  preflightCommitment: commitmentSchema.optional(),
  maxRetries: z.number().int().nonnegative().optional(),
  minContextSlot: z.number().int().nonnegative().optional(),
});

const simulateConfigSchema = commitmentConfigSchema.extend({
  encoding: wireEncodingSchema,
  sigVerify: z.boolean().optional(),
  replaceRecentBlockhash: z.boolean().optional(),
  innerInstructions: z.boolean().optional(),
  accounts: z
    .object({
      addresses: z.array(addressSchema),
      encoding: z.enum(["base64", "base64+zstd", "jsonParsed"]).optional(),
    })
    .optional(),
});

function signatureFailure() {
  return new RpcError(
    RpcErrorCode.TRANSACTION_SIGNATURE_VERIFICATION_FAILURE,
    "Transaction signature verification failure",
  );
}

function preflightFailure(err: TransactionErrorJson, logs: string[], unitsConsumed: bigint) {
  return new RpcError(
    RpcErrorCode.SEND_TRANSACTION_PREFLIGHT_FAILURE,
    `Transaction simulation failed: ${describeTransactionError(err)}`,
    {
      err,
      logs,
      accounts: null,
      unitsConsumed,
      returnData: null,
      innerInstructions: null,
      replacementBlockhash: null,
      loadedAccountsDataSize: 0,
    },
  );
}

function simulationValue(result: SimulationResult, innerInstructions: boolean) {
  return {
    err: result.err,
    logs: result.logs,
    accounts: null as unknown,
    unitsConsumed: result.unitsConsumed,
    returnData: result.returnData
      ? {
          programId: result.returnData.programId,
          data: [Buffer.from(result.returnData.data).toString("base64"), "base64"],
        }
      : null,
    innerInstructions: innerInstructions
      ? result.innerInstructions.map((group) => ({
          index: group.index,
          instructions: group.instructions.map((ix) => ({ ...ix, data: bytesToBase58(ix.data) })),
        }))
      : null,
    replacementBlockhash: result.replacementBlockhash
      ? {
          blockhash: result.replacementBlockhash.blockhash,
          lastValidBlockHeight:
            result.replacementBlockhash.blockHeight + BigInt(BLOCKHASH_VALIDITY_BLOCKS),
        }
      : null,
    loadedAccountsDataSize: 0,
  };
}

const sendTransactionParams = z.tuple([z.string(), optionalConfig(sendConfigSchema)]);
const simulateTransactionParams = z.tuple([z.string(), optionalConfig(simulateConfigSchema)]);
const requestAirdropParams = z.tuple([
  addressSchema,
  u64Schema,
  optionalConfig(commitmentConfigSchema),
]);
const getFeeForMessageParams = z.tuple([z.string(), optionalConfig(commitmentConfigSchema)]);

/** Sending, simulating and fee quotes: the write path. */
export const sendMethods: RpcMethodTable = {
  sendTransaction: (params, ctx) => {
    const [encoded, config] = parseParams(sendTransactionParams, params);
    const tx = decodeWireParam(ctx.chain, encoded, config?.encoding ?? "base58");
    // A dropped or invalid send still answers with the signature: it simply never lands.
    const dropped = ctx.shouldDropSend();
    if (config?.skipPreflight) {
      if (!dropped && ctx.chain.verifySignatures(tx)) ctx.chain.enqueueTransaction(tx);
      return tx.signature;
    }
    const preflightSlot = readSlot(ctx, {
      commitment: config?.preflightCommitment ?? "finalized",
      minContextSlot: config?.minContextSlot,
    });
    if (!ctx.chain.verifySignatures(tx)) throw signatureFailure();
    if (dropped) {
      const simulation = ctx.chain.simulateTransaction(tx, { atSlot: preflightSlot });
      if (simulation.err !== null)
        throw preflightFailure(simulation.err, simulation.logs, simulation.unitsConsumed);
      return tx.signature;
    }
    const result = ctx.chain.enqueueTransaction(tx, { preflightSlot });
    if (!result.accepted) throw preflightFailure(result.err, result.logs, result.unitsConsumed);
    return tx.signature;
  },
  simulateTransaction: (params, ctx) => {
    const [encoded, config] = parseParams(simulateTransactionParams, params);
    if (config?.sigVerify && config.replaceRecentBlockhash) {
      throw invalidParams("Invalid params: sigVerify may not be used with replaceRecentBlockhash");
    }
    const tx = decodeWireParam(ctx.chain, encoded, config?.encoding ?? "base58");
    const slot = readSlot(ctx, config);
    if (config?.sigVerify && !ctx.chain.verifySignatures(tx)) throw signatureFailure();
    const result = ctx.chain.simulateTransaction(tx, {
      atSlot: slot,
      replaceRecentBlockhash: config?.replaceRecentBlockhash ?? false,
    });
    const value = simulationValue(result, config?.innerInstructions ?? false);
    const wanted = config?.accounts;
    if (wanted && result.err === null) {
      const decimals = createDecimalsReader(ctx.chain.getAccount);
      value.accounts = wanted.addresses.map((address) => {
        const account = result.postAccounts.get(address) ?? ctx.chain.getAccount(address);
        return account
          ? encodeAccount(account, { encoding: wanted.encoding ?? "base64" }, decimals)
          : null;
      });
    }
    return withContext(slot, value);
  },
  requestAirdrop: (params, ctx) => {
    const [address, lamports] = parseParams(requestAirdropParams, params);
    return ctx.chain.airdrop(address, lamports, { deferred: true });
  },
  getFeeForMessage: (params, ctx) => {
    const [message, config] = parseParams(getFeeForMessageParams, params);
    const bytes = Buffer.from(message, "base64");
    const versioned = ((bytes[0] ?? 0) & 0x80) !== 0;
    const signatureCount = bytes[versioned ? 1 : 0] ?? 0;
    // The decoder wants a whole transaction: give the message placeholder signatures.
    const wire = Buffer.concat([
      Buffer.from([signatureCount]),
      Buffer.alloc(64 * signatureCount),
      bytes,
    ]);
    const tx = decodeWireParam(ctx.chain, wire.toString("base64"), "base64");
    const slot = readSlot(ctx, config);
    return withContext(
      slot,
      ctx.chain.isBlockhashValid(tx.recentBlockhash, slotAt(ctx, "processed")) ? tx.fee : null,
    );
  },
};
