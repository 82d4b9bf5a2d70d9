import type { Address } from "@solana/kit";
import type { SandboxAccount } from "../chain/ledger-accounts.js";
import { RpcError, RpcErrorCode } from "../rpc/rpc-error.js";
import { bytesToBase58 } from "./base58.js";
import { parseAccountData } from "./parsed-accounts/parse-account-data.js";
import { parseTokenAccountData } from "./token-json.js";
import { isTokenProgram, readMint } from "./token-layout.js";
import { encodeZstdFrame } from "./zstd-frame.js";

export type AccountEncoding = "base58" | "base64" | "base64+zstd" | "jsonParsed" | "binary";

/** Rent epoch of every rent-exempt account on today's mainnet (u64::MAX). */
const RENT_EXEMPT_EPOCH = 18_446_744_073_709_551_615n;
const MAX_BASE58_BYTES = 128;
const NATIVE_MINT = "So11111111111111111111111111111111111111112";
const NATIVE_MINT_DECIMALS = 9;

export interface EncodeOptions {
  encoding?: AccountEncoding | undefined;
  dataSlice?: { offset: number; length: number } | undefined;
}

export type MintDecimalsReader = (mint: Address) => number | null;

/** An account, with the rent epoch it was given when it has one (else u64::MAX). */
export type EncodableAccount = SandboxAccount & { rentEpoch?: bigint };

/** agave's slice_data: an offset past the end gives nothing, a long length what is left. */
function sliceData(data: Uint8Array, slice: EncodeOptions["dataSlice"]): Uint8Array {
  return slice ? data.subarray(slice.offset, slice.offset + slice.length) : data;
}

const base64 = (bytes: Uint8Array) => [Buffer.from(bytes).toString("base64"), "base64"] as const;

function encodeParsed(
  account: SandboxAccount,
  options: EncodeOptions,
  decimals: MintDecimalsReader,
  address: Address | undefined,
) {
  // Token accounts are parsed with their mint's decimals and never sliced, as agave does.
  if (isTokenProgram(account.owner)) {
    return parseTokenAccountData(account.owner, account.data, decimals) ?? base64(account.data);
  }
  const parsed = address ? parseAccountData(address, account.owner, account.data) : null;
  return parsed ?? base64(sliceData(account.data, options.dataSlice));
}

function encodeData(
  account: SandboxAccount,
  options: EncodeOptions,
  decimals: MintDecimalsReader,
  address: Address | undefined,
) {
  const encoding = options.encoding ?? "binary";
  if (encoding === "jsonParsed") return encodeParsed(account, options, decimals, address);
  const slice = sliceData(account.data, options.dataSlice);
  switch (encoding) {
    case "base58":
    case "binary": {
      if (slice.length > MAX_BASE58_BYTES) {
        throw new RpcError(
          RpcErrorCode.INVALID_REQUEST,
          `Encoded binary (base 58) data should be less than ${MAX_BASE58_BYTES} bytes, please use Base64 encoding.`,
        );
      }
      return encoding === "binary" ? bytesToBase58(slice) : [bytesToBase58(slice), "base58"];
    }
    case "base64+zstd":
      return [Buffer.from(encodeZstdFrame(slice)).toString("base64"), "base64+zstd"];
    default:
      return base64(slice);
  }
}

/**
 * An account in the RPC's UiAccount shape. `address` lets jsonParsed read accounts whose meaning
 * depends on it (sysvars, vote accounts); without it those fall back to base64.
 */
export function encodeAccount(
  account: EncodableAccount,
  options: EncodeOptions,
  decimals: MintDecimalsReader,
  address?: Address,
) {
  return {
    data: encodeData(account, options, decimals, address),
    executable: account.executable,
    lamports: account.lamports,
    owner: account.owner,
    rentEpoch: account.rentEpoch ?? RENT_EXEMPT_EPOCH,
    space: BigInt(account.data.length),
  };
}

/** Whether an encoded account's data came back parsed (not a base58/base64 fallback). */
export function isParsedData(data: unknown): boolean {
  return typeof data === "object" && data !== null && !Array.isArray(data);
}

export function createDecimalsReader(
  getAccount: (address: Address) => SandboxAccount | null,
): MintDecimalsReader {
  return (mint) => {
    const account = getAccount(mint);
    if (!account && mint === NATIVE_MINT) return NATIVE_MINT_DECIMALS;
    const parsed = account && isTokenProgram(account.owner) ? readMint(account.data) : null;
    return parsed?.isInitialized ? parsed.decimals : null;
  };
}
