import { bytesToBase58 } from "../base58.js";
import { LittleEndianReader } from "../little-endian-reader.js";

/** Thrown when data or accounts do not fit the instruction: the caller falls back to partially decoded. */
export class NotParsableError extends Error {}

export type ParsedInfo = Record<string, unknown>;

/** What a program parser returns: agave's `{ type, info }` (a memo's parsed value is a plain string). */
export interface ParsedInstructionBody {
  type: string;
  info: ParsedInfo;
}

/** One program's parser: the data reader and the instruction's resolved accounts to `{ type, info }`. */
export type InstructionParser = (
  data: InstructionReader,
  accounts: InstructionAccounts,
) => ParsedInstructionBody;

/** Little-endian reader over instruction data (bincode / borsh / SPL pack layouts). */
export class InstructionReader extends LittleEndianReader {
  protected tooShort(): Error {
    return new NotParsableError("instruction data too short");
  }

  pubkey(): string {
    return bytesToBase58(this.take(32));
  }

  /** SPL pack's COption<Pubkey> in instruction data: one tag byte, then the key when 1. */
  optionPubkey(): string | null {
    const tag = this.u8();
    if (tag === 0) return null;
    if (tag !== 1) throw new NotParsableError("invalid option tag");
    return this.pubkey();
  }

  /** bincode String: u64 length, then UTF-8 bytes. */
  string(): string {
    const length = Number(this.u64());
    return new TextDecoder("utf-8", { fatal: true }).decode(this.take(length));
  }

  rest(): Uint8Array {
    return this.take(this.remaining);
  }
}

/** The instruction's accounts resolved to keys, with agave's "at least n accounts" check. */
export class InstructionAccounts {
  constructor(readonly keys: readonly string[]) {}

  get length(): number {
    return this.keys.length;
  }

  require(count: number): this {
    if (this.keys.length < count) throw new NotParsableError("instruction key mismatch");
    return this;
  }

  at(position: number): string {
    const key = this.keys[position];
    if (key === undefined) throw new NotParsableError("instruction key mismatch");
    return key;
  }

  /** Maps names to the first accounts, in order. */
  named(...names: string[]): ParsedInfo {
    this.require(names.length);
    return Object.fromEntries(names.map((name, i) => [name, this.at(i)]));
  }
}
