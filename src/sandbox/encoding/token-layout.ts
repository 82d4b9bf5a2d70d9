import type { Address } from "@solana/kit";
import { bytesToAddress } from "./base58.js";

export { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from "../../core/token-programs.js";

import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from "../../core/token-programs.js";

const MINT_SIZE = 82;
const ACCOUNT_SIZE = 165;
const ACCOUNT_TYPE_MINT = 1;
const ACCOUNT_TYPE_ACCOUNT = 2;

export function isTokenProgram(owner: string): boolean {
  return owner === TOKEN_PROGRAM || owner === TOKEN_2022_PROGRAM;
}

export interface TokenAccountBase {
  mint: Address;
  owner: Address;
  amount: bigint;
  delegate: Address | null;
  state: "uninitialized" | "initialized" | "frozen";
  /** Rent-exempt reserve of a wrapped-SOL account, null for other mints. */
  isNative: bigint | null;
  delegatedAmount: bigint;
  closeAuthority: Address | null;
}

export interface MintBase {
  mintAuthority: Address | null;
  supply: bigint;
  decimals: number;
  isInitialized: boolean;
  freezeAuthority: Address | null;
}

function view(data: Uint8Array) {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

function address(data: Uint8Array, offset: number): Address {
  return bytesToAddress(data.subarray(offset, offset + 32));
}

function optionalAddress(data: Uint8Array, offset: number): Address | null {
  return view(data).getUint32(offset, true) === 1 ? address(data, offset + 4) : null;
}

export function isTokenAccountData(data: Uint8Array): boolean {
  return (
    data.length === ACCOUNT_SIZE ||
    (data.length > ACCOUNT_SIZE && data[ACCOUNT_SIZE] === ACCOUNT_TYPE_ACCOUNT)
  );
}

export function isMintData(data: Uint8Array): boolean {
  return (
    data.length === MINT_SIZE ||
    (data.length > ACCOUNT_SIZE && data[ACCOUNT_SIZE] === ACCOUNT_TYPE_MINT)
  );
}

/** Base fields of an SPL Token / Token-2022 account, or null when the data is not one. */
export function readTokenAccount(data: Uint8Array): TokenAccountBase | null {
  if (!isTokenAccountData(data) || data[108] === 0) return null;
  const dv = view(data);
  return {
    mint: address(data, 0),
    owner: address(data, 32),
    amount: dv.getBigUint64(64, true),
    delegate: optionalAddress(data, 72),
    state: data[108] === 2 ? "frozen" : "initialized",
    isNative: dv.getUint32(109, true) === 1 ? dv.getBigUint64(113, true) : null,
    delegatedAmount: dv.getBigUint64(121, true),
    closeAuthority: optionalAddress(data, 129),
  };
}

export function readMint(data: Uint8Array): MintBase | null {
  if (!isMintData(data)) return null;
  return {
    mintAuthority: optionalAddress(data, 0),
    supply: view(data).getBigUint64(36, true),
    decimals: data[44] ?? 0,
    isInitialized: data[45] === 1,
    freezeAuthority: optionalAddress(data, 46),
  };
}

export interface UiTokenAmount {
  amount: string;
  decimals: number;
  uiAmount: number | null;
  uiAmountString: string;
}

/** Decimal text of a base-unit amount, trailing zeros trimmed, exactly as agave prints it. */
export function formatUiAmount(amount: bigint, decimals: number): string {
  if (decimals === 0) return amount.toString();
  const text = amount.toString().padStart(decimals + 1, "0");
  const whole = text.slice(0, -decimals);
  const fraction = text.slice(-decimals).replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole;
}

export function toUiTokenAmount(amount: bigint, decimals: number): UiTokenAmount {
  const uiAmountString = formatUiAmount(amount, decimals);
  return { amount: amount.toString(), decimals, uiAmount: Number(uiAmountString), uiAmountString };
}
