import type { DecodedTransaction } from "../chain/decoded-transaction.js";
import type { SandboxChain } from "../chain/sandbox-chain.js";
import { invalidParams, RpcError, RpcErrorCode } from "../rpc/rpc-error.js";
import { decodeWireParam } from "../rpc/transaction-params.js";

export type WireEncoding = "base58" | "base64";

/** The swapv2 validator co-signing hook, on chains that have it (`chain.completeSignatures`). */
type CoSigningChain = SandboxChain & { completeSignatures?(wire: Uint8Array): Uint8Array };

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
): DecodedTransaction {
  let tx = decodeWireParam(chain, encoded, encoding);
  const complete = (chain as CoSigningChain).completeSignatures;
  if (complete) {
    const wire = complete.call(chain, tx.wire);
    if (wire !== tx.wire) tx = chain.decodeTransaction(wire);
  }
  if (!chain.verifySignatures(tx)) {
    throw new RpcError(
      RpcErrorCode.TRANSACTION_SIGNATURE_VERIFICATION_FAILURE,
      "Transaction signature verification failure",
    );
  }
  return tx;
}
