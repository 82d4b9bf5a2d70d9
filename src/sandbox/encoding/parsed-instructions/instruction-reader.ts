import { bytesToBase58 } from "../base58.js";

/** Thrown when data or accounts do not fit the instruction: the caller falls back to partially decoded. */
export class NotParsableError extends Error {}

export type ParsedInfo = Record<string, unknown>;

/** What a program parser returns: agave's `{ type, info }` (a memo's parsed value is a plain string). */
export interface ParsedInstructionBody {
  type: string;
  info: ParsedInfo;
}

/** Little-endian reader over instruction data (bincode / borsh / SPL pack layouts). */
export class InstructionReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  private need(length: number): number {
    const at = this.offset;
    if (at + length > this.data.length) throw new NotParsableError("instruction data too short");
    this.offset += length;
    return at;
  }

  u8(): number {
    return this.view.getUint8(this.need(1));
  }

  u16(): number {
    return this.view.getUint16(this.need(2), true);
  }

  u32(): number {
    return this.view.getUint32(this.need(4), true);
  }

  u64(): bigint {
    return this.view.getBigUint64(this.need(8), true);
  }

  i64(): bigint {
    return this.view.getBigInt64(this.need(8), true);
  }

  pubkey(): string {
    const at = this.need(32);
    return bytesToBase58(this.data.subarray(at, at + 32));
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
    const at = this.need(length);
    return new TextDecoder("utf-8", { fatal: true }).decode(this.data.subarray(at, at + length));
  }

  rest(): Uint8Array {
    const at = this.offset;
    this.offset = this.data.length;
    return this.data.subarray(at);
  }

  get remaining(): number {
    return this.data.length - this.offset;
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
