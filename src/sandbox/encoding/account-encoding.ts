import type { Address } from "@solana/kit";
import type { SandboxAccount } from "../chain/ledger-accounts.js";
import { RpcError, RpcErrorCode } from "../rpc/rpc-error.js";
import { bytesToBase58 } from "./base58.js";
import { parseTokenAccountData } from "./token-json.js";
import { isTokenProgram, readMint } from "./token-layout.js";

export type AccountEncoding = "base58" | "base64" | "base64+zstd" | "jsonParsed" | "binary";

/** Rent epoch of every rent-exempt account on today's mainnet (u64::MAX). */
const RENT_EXEMPT_EPOCH = 18_446_744_073_709_551_615n;
const MAX_BASE58_BYTES = 128;

export interface EncodeOptions {
  encoding?: AccountEncoding | undefined;
  dataSlice?: { offset: number; length: number } | undefined;
}

export type MintDecimalsReader = (mint: Address) => number | null;

function encodeData(
  data: Uint8Array,
  options: EncodeOptions,
  owner: Address,
  decimals: MintDecimalsReader,
) {
  const encoding = options.encoding ?? "binary";
  if (encoding === "jsonParsed" && isTokenProgram(owner)) {
    const parsed = parseTokenAccountData(owner, data, decimals);
    if (parsed) return parsed;
  }
  const slice = options.dataSlice
    ? data.subarray(options.dataSlice.offset, options.dataSlice.offset + options.dataSlice.length)
    : data;
  switch (encoding) {
    case "base58":
    case "binary": {
      if (slice.length > MAX_BASE58_BYTES) {
        throw new RpcError(
          RpcErrorCode.INVALID_REQUEST,
          "Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.",
        );
      }
      return encoding === "binary" ? bytesToBase58(slice) : [bytesToBase58(slice), "base58"];
    }
    case "base64+zstd":
      throw new RpcError(
        RpcErrorCode.INVALID_PARAMS,
        "Invalid params: base64+zstd is not supported by the sandbox",
      );
    default:
      // jsonParsed for an unparseable account falls back to base64, as on mainnet.
      return [Buffer.from(slice).toString("base64"), "base64"];
  }
}

/** An account in the RPC's UiAccount shape. */
export function encodeAccount(
  account: SandboxAccount,
  options: EncodeOptions,
  decimals: MintDecimalsReader,
) {
  return {
    data: encodeData(account.data, options, account.owner, decimals),
    executable: account.executable,
    lamports: account.lamports,
    owner: account.owner,
    rentEpoch: account.rentEpoch ?? RENT_EXEMPT_EPOCH,
    space: BigInt(account.data.length),
  };
}

export function createDecimalsReader(
  getAccount: (address: Address) => SandboxAccount | null,
): MintDecimalsReader {
  return (mint) => {
    const account = getAccount(mint);
    return account && isTokenProgram(account.owner)
      ? (readMint(account.data)?.decimals ?? null)
      : null;
  };
}
