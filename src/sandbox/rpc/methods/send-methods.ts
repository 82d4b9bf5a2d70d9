import { z } from "zod";
import type { DecodedTransaction } from "../../chain/decoded-transaction.js";
import type { SandboxChain, SimulationResult } from "../../chain/sandbox-chain.js";
import type { TransactionErrorJson } from "../../chain/transaction-error.js";
import { describeTransactionError } from "../../chain/transaction-error-text.js";
import { createDecimalsReader, encodeAccount } from "../../encoding/account-encoding.js";
import {
  addressSchema,
  commitmentConfigSchema,
  commitmentSchema,
  optionalConfig,
  parseParams,
  u64NumberSchema,
  u64Schema,
} from "../params.js";
import { readSlot, slotAt, withContext } from "../rpc-context.js";
import { invalidParams, RpcError, RpcErrorCode } from "../rpc-error.js";
import type { RpcMethodTable } from "../rpc-method.js";
import {
  createPreflightData,
  createSimulationValue,
  createUnprocessedSimulation,
} from "../simulation-result.js";
import { decodeMessageParam, decodeWireParam } from "../transaction-params.js";

// agave's UiTransactionEncoding: all are accepted by serde, only the binary ones by the method.
const wireEncodingSchema = z.enum(["binary", "base64", "base58", "json", "jsonParsed"]).optional();

/** agave's into_binary_encoding: `binary` is base58; json encodings are refused. */
function getWireEncoding(encoding: z.infer<typeof wireEncodingSchema>): "base58" | "base64" {
  if (encoding === "json" || encoding === "jsonParsed") {
    throw invalidParams(`unsupported encoding: ${encoding}. Supported encodings: base58, base64`);
  }
  return encoding === "base64" ? "base64" : "base58";
}

const sendConfigSchema = z.looseObject({
  encoding: wireEncodingSchema,
  skipPreflight: z.boolean().optional(),
  preflightCommitment: commitmentSchema.optional(),
  maxRetries: u64NumberSchema.optional(),
  minContextSlot: u64NumberSchema.optional(),
});

const simulateConfigSchema = commitmentConfigSchema.extend({
  encoding: wireEncodingSchema,
  sigVerify: z.boolean().optional(),
  replaceRecentBlockhash: z.boolean().optional(),
  innerInstructions: z.boolean().optional(),
  accounts: z
    .object({
      addresses: z.array(addressSchema),
      encoding: z.enum(["binary", "base58", "base64", "jsonParsed", "base64+zstd"]).optional(),
    })
    .optional(),
});

/** agave's SendTransactionPreflightFailure: -32002, the error's Display text, the simulation as data. */
function preflightFailure(
  chain: SandboxChain,
  tx: DecodedTransaction,
  result: { err: TransactionErrorJson; logs: string[]; unitsConsumed: bigint },
) {
  return new RpcError(
    RpcErrorCode.SEND_TRANSACTION_PREFLIGHT_FAILURE,
    `Transaction simulation failed: ${describeTransactionError(result.err)}`,
    createPreflightData(chain, tx, result),
  );
}

type SimulatedAccountsConfig = NonNullable<z.infer<typeof simulateConfigSchema>["accounts"]>;

/** A simulation's `accounts`: each asked address after the simulation, all null when it failed. */
function encodeSimulatedAccounts(
  chain: SandboxChain,
  tx: DecodedTransaction,
  result: SimulationResult,
  wanted: SimulatedAccountsConfig,
) {
  const encoding = wanted.encoding ?? "base64";
  if (encoding === "binary" || encoding === "base58") {
    throw invalidParams("base58 encoding not supported");
  }
  if (wanted.addresses.length > tx.accountKeys.length) {
    throw invalidParams(`Too many accounts provided; max ${tx.accountKeys.length}`);
  }
  if (result.err !== null) return wanted.addresses.map(() => null);
  const decimals = createDecimalsReader(chain.getAccount);
  return wanted.addresses.map((address) => {
    const account = result.postAccounts.get(address) ?? chain.getAccount(address);
    return account ? encodeAccount(account, { encoding }, decimals) : null;
  });
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
    const tx = decodeWireParam(ctx.chain, encoded, getWireEncoding(config?.encoding), {
      completeSignatures: true,
    });
    // A dropped or invalid send still answers with the signature: it simply never lands.
    const dropped = ctx.shouldDropSend();
    ctx.recordSend?.("sendTransaction", tx.signature, dropped);
    // Congestion: what is accepted reaches the chain later, as a send without preflight.
    const delayed = (ctx.sendDelayMs ?? 0) > 0 && ctx.delaySend !== undefined;
    const deliverLater = () => ctx.delaySend?.(() => ctx.chain.enqueueTransaction(tx));
    if (config?.skipPreflight) {
      if (!dropped && ctx.chain.verifySignatures(tx)) {
        if (delayed) deliverLater();
        else ctx.chain.enqueueTransaction(tx);
      }
      return tx.signature;
    }
    const preflightSlot = readSlot(ctx, {
      commitment: config?.preflightCommitment ?? "finalized",
      minContextSlot: config?.minContextSlot,
    });
    // agave 2.x reports a bad signature as a failed preflight whose error is SignatureFailure.
    if (!ctx.chain.verifySignatures(tx)) {
      throw preflightFailure(ctx.chain, tx, createUnprocessedSimulation("SignatureFailure"));
    }
    if (dropped || delayed) {
      // Preflight answers now; a dropped send stops there, a delayed one reaches the chain later.
      const simulation = ctx.chain.simulateTransaction(tx, { atSlot: preflightSlot });
      if (simulation.err !== null) {
        throw preflightFailure(ctx.chain, tx, { ...simulation, err: simulation.err });
      }
      if (!dropped) deliverLater();
      return tx.signature;
    }
    const result = ctx.chain.enqueueTransaction(tx, { preflightSlot });
    if (!result.accepted) throw preflightFailure(ctx.chain, tx, result);
    return tx.signature;
  },
  simulateTransaction: (params, ctx) => {
    const [encoded, config] = parseParams(simulateTransactionParams, params);
    const tx = decodeWireParam(ctx.chain, encoded, getWireEncoding(config?.encoding), {
      completeSignatures: config?.sigVerify === true && !config.replaceRecentBlockhash,
    });
    const slot = readSlot(ctx, config);
    if (config?.sigVerify && config.replaceRecentBlockhash) {
      throw invalidParams("sigVerify may not be used with replaceRecentBlockhash");
    }
    // A signature that fails to verify is the simulation's result, not an error (agave 2.x).
    const result =
      config?.sigVerify && !ctx.chain.verifySignatures(tx)
        ? createUnprocessedSimulation("SignatureFailure")
        : ctx.chain.simulateTransaction(tx, {
            atSlot: slot,
            replaceRecentBlockhash: config?.replaceRecentBlockhash ?? false,
          });
    const value = createSimulationValue(ctx.chain, tx, result, config?.innerInstructions ?? false);
    const wanted = config?.accounts;
    if (wanted) value.accounts = encodeSimulatedAccounts(ctx.chain, tx, result, wanted);
    return withContext(slot, value);
  },
  requestAirdrop: (params, ctx) => {
    const [address, lamports] = parseParams(requestAirdropParams, params);
    return ctx.chain.airdrop(address, lamports, { deferred: true });
  },
  getFeeForMessage: (params, ctx) => {
    const [message, config] = parseParams(getFeeForMessageParams, params);
    const tx = decodeMessageParam(ctx.chain, message);
    const slot = readSlot(ctx, config);
    return withContext(
      slot,
      ctx.chain.isBlockhashValid(tx.recentBlockhash, slotAt(ctx, "processed")) ? tx.fee : null,
    );
  },
};
