import { z } from "zod";
import { base58ToBytes } from "../../encoding/base58.js";
import { isMintData, isTokenAccountData } from "../../encoding/token-layout.js";
import { RpcError, RpcErrorCode } from "../rpc-error.js";

const MAX_FILTERS = 4;
const MAX_DATA_SIZE = 128;
const MAX_DATA_BASE58_SIZE = 175;
const MAX_DATA_BASE64_SIZE = 172;
const BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const TOKEN_STATE_OFFSET = 108;
const MULTISIG_SIZE = 355;

const memcmpSchema = z.object({
  offset: z.number().int().nonnegative(),
  bytes: z.string(),
  encoding: z.enum(["base58", "base64"]).optional(),
});
const filterSchema = z.union([
  z.object({ dataSize: z.number().int().nonnegative() }),
  z.object({ memcmp: memcmpSchema }),
  z.literal("tokenAccountState"),
]);
/** Filters are counted when compiled, so the error reads as agave's (no zod path suffix). */
export const programAccountFiltersSchema = z.array(filterSchema);
export type ProgramAccountFilter = z.infer<typeof filterSchema>;

/** -32602 worded exactly as given (agave's Error::invalid_params adds no prefix). */
export const exactInvalidParams = (message: string) =>
  new RpcError(RpcErrorCode.INVALID_PARAMS, message);

/** agave's `Invalid param: {RpcFilterError:?}` for memcmp bytes it cannot take. */
const filterError = (debug: string) => exactInvalidParams(`Invalid param: ${debug}`);

function decodeMemcmp(bytes: string, encoding: "base58" | "base64" | undefined): Uint8Array {
  if (encoding === "base64") {
    if (bytes.length > MAX_DATA_BASE64_SIZE) throw filterError("DataTooLarge");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(bytes) || bytes.length % 4 !== 0) {
      throw filterError("Base64DecodeError(InvalidLength)");
    }
    return Buffer.from(bytes, "base64");
  }
  if (bytes.length > MAX_DATA_BASE58_SIZE) throw filterError("DataTooLarge");
  const bad = [...bytes].findIndex((char) => !BASE58_ALPHABET.includes(char));
  if (bad >= 0) {
    throw filterError(
      `Base58DecodeError(InvalidCharacter { character: '${bytes[bad]}', index: ${bad} })`,
    );
  }
  return base58ToBytes(bytes) ?? new Uint8Array();
}

/** SPL Token's valid_account_data: an initialized token account (not a mint, not a multisig). */
function isInitializedTokenAccount(data: Uint8Array): boolean {
  return (
    data.length !== MULTISIG_SIZE &&
    isTokenAccountData(data) &&
    !isMintData(data) &&
    data[TOKEN_STATE_OFFSET] !== 0
  );
}

/** Compiles RPC filters into a predicate over account data (bad bytes are -32602, as agave's). */
export function compileFilters(
  filters: readonly ProgramAccountFilter[],
): (data: Uint8Array) => boolean {
  if (filters.length > MAX_FILTERS) {
    throw exactInvalidParams(`Too many filters provided; max ${MAX_FILTERS}`);
  }
  const tests = filters.map((filter) => {
    if (filter === "tokenAccountState") return isInitializedTokenAccount;
    if ("dataSize" in filter) return (data: Uint8Array) => data.length === filter.dataSize;
    const { offset, bytes, encoding } = filter.memcmp;
    const wanted = decodeMemcmp(bytes, encoding);
    if (wanted.length > MAX_DATA_SIZE) throw filterError("DataTooLarge");
    return (data: Uint8Array) =>
      data.length >= offset + wanted.length && wanted.every((byte, i) => data[offset + i] === byte);
  });
  return (data) => tests.every((test) => test(data));
}
