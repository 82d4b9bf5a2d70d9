import type { DecodedTransaction } from "../chain/decoded-transaction.js";
import type { SandboxChain } from "../chain/sandbox-chain.js";
import { SandboxError } from "../chain/sandbox-error.js";
import { base58ToBytes } from "../encoding/base58.js";
import { RpcError, RpcErrorCode } from "./rpc-error.js";

/** Mainnet's packet limit: anything larger is refused before deserialising. */
export const PACKET_DATA_SIZE = 1232;

/** Decodes a base58/base64 wire transaction and takes it apart, mapping failures to -32602. */
export function decodeWireParam(
  chain: SandboxChain,
  encoded: string,
  encoding: "base58" | "base64",
): DecodedTransaction {
  const wire = encoding === "base64" ? Buffer.from(encoded, "base64") : base58ToBytes(encoded);
  if (!wire || (encoding === "base64" && !/^[A-Za-z0-9+/]*={0,2}$/.test(encoded))) {
    throw new RpcError(RpcErrorCode.INVALID_PARAMS, `invalid ${encoding} encoding`);
  }
  if (wire.length > PACKET_DATA_SIZE) {
    throw new RpcError(
      RpcErrorCode.INVALID_PARAMS,
      `${encoding} encoded solana_transaction::versioned::VersionedTransaction too large: ${wire.length} bytes (max: ${PACKET_DATA_SIZE} bytes)`,
    );
  }
  try {
    return chain.decodeTransaction(new Uint8Array(wire));
  } catch (error) {
    if (error instanceof SandboxError)
      throw new RpcError(RpcErrorCode.INVALID_PARAMS, error.message);
    throw error;
  }
}
