import type { DecodedTransaction } from "../chain/decoded-transaction.js";
import type { SandboxChain } from "../chain/sandbox-chain.js";
import { SandboxError } from "../chain/sandbox-error.js";
import {
  describeTransactionError,
  isTransactionErrorText,
} from "../chain/transaction-error-text.js";
import { base58ToBytes } from "../encoding/base58.js";
import { RpcError, RpcErrorCode } from "./rpc-error.js";

/** Mainnet's packet limit: anything larger is refused before deserialising. */
export const PACKET_DATA_SIZE = 1232;
// agave's MAX_BASE58_SIZE / MAX_BASE64_SIZE: the encoded length of a full packet.
const MAX_ENCODED_SIZE = { base58: 1683, base64: 1644 } as const;
const TRANSACTION_TYPE = "solana_transaction::versioned::VersionedTransaction";
const MESSAGE_TYPE = "solana_message::versioned::VersionedMessage";
const BASE58_ALPHABET = /[1-9A-HJ-NP-Za-km-z]/;
const BASE64_ALPHABET = /[A-Za-z0-9+/]/;

function invalidParams(message: string): RpcError {
  return new RpcError(RpcErrorCode.INVALID_PARAMS, message);
}

/** bs58's / base64's Debug of the first decoding problem, as agave prints it. */
function describeDecodeError(encoded: string, encoding: "base58" | "base64"): string {
  const alphabet = encoding === "base58" ? BASE58_ALPHABET : BASE64_ALPHABET;
  const body = encoding === "base64" ? encoded.replace(/={1,2}$/, "") : encoded;
  const index = [...body].findIndex((char) => !alphabet.test(char));
  if (encoding === "base58") {
    return `InvalidCharacter { character: '${body[index] ?? ""}', index: ${index} }`;
  }
  if (index >= 0) return `InvalidByte(${index}, ${body.charCodeAt(index)})`;
  // base64's STANDARD engine: a last quad of 1 symbol is a bad length; of 2-3, padding must follow.
  return body.length % 4 === 1 ? "InvalidLength" : "InvalidPadding";
}

/** agave's decode_and_deserialize up to the bytes: the encoded and decoded size limits, then decoding. */
function decodeBinary(
  encoded: string,
  encoding: "base58" | "base64",
  typeName: string,
): Uint8Array {
  if (encoded.length > MAX_ENCODED_SIZE[encoding]) {
    throw invalidParams(
      `${encoding} encoded ${typeName} too large: ${encoded.length} bytes (max: encoded/raw ${MAX_ENCODED_SIZE[encoding]}/${PACKET_DATA_SIZE})`,
    );
  }
  const bytes =
    encoding === "base58"
      ? base58ToBytes(encoded)
      : /^[A-Za-z0-9+/]*={0,2}$/.test(encoded) && encoded.length % 4 === 0
        ? new Uint8Array(Buffer.from(encoded, "base64"))
        : null;
  if (!bytes) {
    throw invalidParams(`invalid ${encoding} encoding: ${describeDecodeError(encoded, encoding)}`);
  }
  if (bytes.length > PACKET_DATA_SIZE) {
    throw invalidParams(
      `decoded ${typeName} too large: ${bytes.length} bytes (max: ${PACKET_DATA_SIZE} bytes)`,
    );
  }
  return bytes;
}

/** A sandbox decoding failure in the words of agave's decode_and_deserialize / sanitize_transaction. */
function describeSandboxError(error: SandboxError): string {
  if (error.message.startsWith("failed to deserialize")) {
    return `failed to deserialize ${TRANSACTION_TYPE}: io error: unexpected end of file`;
  }
  const prefix = "invalid transaction: ";
  if (error.message.startsWith(prefix)) {
    // The chain words lookup failures as agave does; its other sanitize reasons are SanitizeFailure.
    const reason = error.message.slice(prefix.length);
    return `${prefix}${isTransactionErrorText(reason) ? reason : describeTransactionError("SanitizeFailure")}`;
  }
  const text = describeTransactionError(error.message);
  return text === error.message ? error.message : `invalid transaction: ${text}`;
}

/**
 * Decodes a base58/base64 wire transaction and takes it apart, mapping failures to -32602. With
 * `completeSignatures` (every path that verifies signatures), the validator first adds the
 * signatures its cosigners owe (`chain.completeSignatures`: a pool authority's for an issued swap).
 */
export function decodeWireParam(
  chain: SandboxChain,
  encoded: string,
  encoding: "base58" | "base64",
  options: { completeSignatures?: boolean } = {},
): DecodedTransaction {
  const bytes = decodeBinary(encoded, encoding, TRANSACTION_TYPE);
  const wire = options.completeSignatures ? chain.completeSignatures(bytes) : bytes;
  try {
    return chain.decodeTransaction(wire);
  } catch (error) {
    if (error instanceof SandboxError) throw invalidParams(describeSandboxError(error));
    throw error;
  }
}

/**
 * getFeeForMessage's base64 message, taken apart as a transaction with placeholder signatures;
 * failures worded as agave's decode_and_deserialize::<VersionedMessage> and message sanitizing.
 */
export function decodeMessageParam(chain: SandboxChain, encoded: string): DecodedTransaction {
  const message = decodeBinary(encoded, "base64", MESSAGE_TYPE);
  const versioned = ((message[0] ?? 0) & 0x80) !== 0;
  const signatureCount = message[versioned ? 1 : 0] ?? 0;
  const wire = Buffer.concat([
    Buffer.from([signatureCount]),
    Buffer.alloc(64 * signatureCount),
    message,
  ]);
  try {
    return chain.decodeTransaction(new Uint8Array(wire));
  } catch (error) {
    if (!(error instanceof SandboxError)) throw error;
    if (error.message.startsWith("failed to deserialize")) {
      throw invalidParams(
        `failed to deserialize ${MESSAGE_TYPE}: io error: unexpected end of file`,
      );
    }
    const reason = error.message.replace(/^invalid transaction: /, "");
    throw invalidParams(
      `invalid transaction message: ${isTransactionErrorText(reason) ? reason : "index out of bounds"}`,
    );
  }
}
