import type { Address } from "@solana/kit";
import { z } from "zod";
import type { Commitment } from "../chain/commitment.js";
import { addressToBytes, base58ToBytes } from "../encoding/base58.js";
import { commitmentSchema, optionalConfig } from "../rpc/params.js";
import { RpcError, RpcErrorCode } from "../rpc/rpc-error.js";

/** agave's pubsub `param()` error: -32602 with "Invalid Request: Invalid {thing} provided". */
export function invalidRequestParam(thing: string): RpcError {
  return new RpcError(RpcErrorCode.INVALID_PARAMS, `Invalid Request: Invalid ${thing} provided`);
}

/** A base58 public key, or agave pubsub's wording for a bad one. */
export function parsePubkey(text: string, thing = "pubkey"): Address {
  if (addressToBytes(text) === null) throw invalidRequestParam(thing);
  return text as Address;
}

export function parseSignature(text: string): string {
  if (base58ToBytes(text)?.length !== 64) throw invalidRequestParam("signature");
  return text;
}

export const commitmentOnlyConfig = optionalConfig(
  z.looseObject({ commitment: commitmentSchema.optional() }),
);

/** Every subscription defaults to finalized, as agave's `CommitmentConfig::default()`. */
export function getSubscribeCommitment(
  config: { commitment?: Commitment | undefined } | undefined,
): Commitment {
  return config?.commitment ?? "finalized";
}
