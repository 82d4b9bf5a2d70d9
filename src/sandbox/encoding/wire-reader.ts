/** A cursor over wire bytes; throws RangeError on truncated input, which callers turn into "invalid transaction". */
export class WireReader {
  offset = 0;

  constructor(readonly bytes: Uint8Array) {}

  u8(): number {
    const value = this.bytes[this.offset];
    if (value === undefined) throw new RangeError("unexpected end of transaction");
    this.offset += 1;
    return value;
  }

  /** Solana's compact-u16 ("shortvec") length. */
  compactU16(): number {
    let value = 0;
    for (let shift = 0; shift < 21; shift += 7) {
      const byte = this.u8();
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new RangeError("invalid compact-u16");
  }

  take(length: number): Uint8Array {
    if (this.offset + length > this.bytes.length)
      throw new RangeError("unexpected end of transaction");
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }
}
