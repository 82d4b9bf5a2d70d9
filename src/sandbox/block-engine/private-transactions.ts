import type { DecodedTransaction } from "../chain/decoded-transaction.js";
import type { SandboxChain } from "../chain/sandbox-chain.js";
import { invalidParams, RpcError, RpcErrorCode } from "../rpc/rpc-error.js";
import { decodeWireParam } from "../rpc/transaction-params.js";

export type WireEncoding = "base58" | "base64";

export function parseEncoding(value: unknown): WireEncoding {
  if (value === undefined || value === "base58") return "base58";
  if (value === "base64") return "base64";
  throw invalidParams(
    `unsupported encoding: ${String(value)}. Supported encodings: base58, base64`,
  );
}

/**
 * A transaction as a private route receives it: decoded, completed by the validator's
 * co-signing (a pool authority's signature on a `/swap/v2/build` transaction; the message is
 * unchanged), then every signature verified. A bad one refuses the send (-32003, agave's words).
 */
export function decodePrivateTransaction(
  chain: SandboxChain,
  encoded: string,
  encoding: WireEncoding,
  /** Told of a decoded transaction refused for its signatures (for the send log). */
  onRefused?: (signature: string, message: string) => void,
): DecodedTransaction {
  const tx = decodeWireParam(chain, encoded, encoding, { completeSignatures: true });
  if (!chain.verifySignatures(tx)) {
    const message = "Transaction signature verification failure";
    onRefused?.(tx.signature, message);
    throw new RpcError(RpcErrorCode.TRANSACTION_SIGNATURE_VERIFICATION_FAILURE, message);
  }
  return tx;
}
