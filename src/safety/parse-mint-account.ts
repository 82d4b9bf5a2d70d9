import type { Address } from "@solana/kit";
import { type Extension, getExtensionDecoder, getMintDecoder } from "@solana-program/token-2022";
import { OspreyError } from "../core/osprey-error.js";
import type { TokenProgramKind } from "./safety-types.js";

export { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from "../core/token-programs.js";

import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from "../core/token-programs.js";
/** 32 zero bytes: how Token-2022 writes "no authority" in fields that are not Options. */
export const ZERO_ADDRESS = "11111111111111111111111111111111" as Address;

const MINT_SIZE = 82;
const ACCOUNT_SIZE = 165;
const ACCOUNT_TYPE_MINT = 1;
/** Extension types the library decodes (its union is indexed by the on-chain type number). */
const KNOWN_EXTENSION_TYPES = 29;

/** A TLV entry this version of the codecs does not know: reported, never silently dropped. */
export interface UnknownExtension {
  readonly __kind: "Unknown";
  readonly type: number;
}

export type MintExtension = Extension | UnknownExtension;

export interface ParsedMint {
  readonly program: TokenProgramKind;
  readonly mintAuthority: Address | null;
  readonly freezeAuthority: Address | null;
  readonly supply: bigint;
  readonly decimals: number;
  readonly extensions: readonly MintExtension[];
}

export interface RawAccount {
  readonly owner: string;
  readonly data: Uint8Array;
}

function notAMint(address: string, why: string): OspreyError {
  return new OspreyError("NOT_A_MINT", `${address} is not a token mint: ${why}.`, {
    address,
    reason: why,
  });
}

/** An authority field that is not an Option: the zero address means none. */
export function presentAddress(address: Address): Address | null {
  return address === ZERO_ADDRESS ? null : address;
}

/** Built once: assembling the codecs costs more than decoding with them. */
let built:
  | { mint: ReturnType<typeof getMintDecoder>; extension: ReturnType<typeof getExtensionDecoder> }
  | undefined;
function decoders() {
  built ??= { mint: getMintDecoder(), extension: getExtensionDecoder() };
  return built;
}

/**
 * Walks the TLV area entry by entry, so one extension the codecs cannot read (a newer type)
 * is reported as unknown instead of making the whole mint unreadable.
 */
export function parseMintExtensions(tlv: Uint8Array): MintExtension[] {
  const view = new DataView(tlv.buffer, tlv.byteOffset, tlv.byteLength);
  const decoder = decoders().extension;
  const extensions: MintExtension[] = [];
  let offset = 0;
  while (offset + 4 <= tlv.length) {
    const type = view.getUint16(offset, true);
    const length = view.getUint16(offset + 2, true);
    if (type === 0 && length === 0) break; // zero padding after the last entry
    const end = offset + 4 + length;
    if (end > tlv.length) {
      extensions.push({ __kind: "Unknown", type });
      break;
    }
    if (type < KNOWN_EXTENSION_TYPES) {
      try {
        extensions.push(decoder.decode(tlv.subarray(offset, end)));
      } catch {
        extensions.push({ __kind: "Unknown", type });
      }
    } else {
      extensions.push({ __kind: "Unknown", type });
    }
    offset = end;
  }
  return extensions;
}

/** Reads a mint of either token program; anything else (wallet, token account…) is NOT_A_MINT. */
export function parseMintAccount(address: string, account: RawAccount): ParsedMint {
  const { owner, data } = account;
  let program: TokenProgramKind;
  if (owner === TOKEN_PROGRAM) program = "spl-token";
  else if (owner === TOKEN_2022_PROGRAM) program = "token-2022";
  else throw notAMint(address, `it is owned by ${owner}, not a token program`);

  if (data.length === ACCOUNT_SIZE || (data.length > ACCOUNT_SIZE && data[ACCOUNT_SIZE] !== 1)) {
    throw notAMint(address, "it is a token account (it holds tokens of some mint)");
  }
  const isMint =
    data.length === MINT_SIZE ||
    (program === "token-2022" &&
      data.length > ACCOUNT_SIZE &&
      data[ACCOUNT_SIZE] === ACCOUNT_TYPE_MINT);
  if (!isMint) throw notAMint(address, `its ${data.length}-byte data is not a mint's layout`);

  const base = decoders().mint.decode(data.subarray(0, MINT_SIZE));
  if (!base.isInitialized) throw notAMint(address, "the mint is not initialized");
  return {
    program,
    mintAuthority: base.mintAuthority.__option === "Some" ? base.mintAuthority.value : null,
    freezeAuthority: base.freezeAuthority.__option === "Some" ? base.freezeAuthority.value : null,
    supply: base.supply,
    decimals: base.decimals,
    extensions:
      data.length > ACCOUNT_SIZE ? parseMintExtensions(data.subarray(ACCOUNT_SIZE + 1)) : [],
  };
}

export function findExtension<K extends MintExtension["__kind"]>(
  mint: Pick<ParsedMint, "extensions">,
  kind: K,
): Extract<MintExtension, { __kind: K }> | undefined {
  return mint.extensions.find((e): e is Extract<MintExtension, { __kind: K }> => e.__kind === kind);
}
