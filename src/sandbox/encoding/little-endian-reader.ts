/**
 * A cursor reading little-endian fixed-width integers from bytes; subclasses choose the error a
 * short read throws (account data and instruction data fail differently).
 */
export abstract class LittleEndianReader {
  offset = 0;
  protected readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The error thrown when fewer bytes are left than a read needs. */
  protected abstract tooShort(): Error;

  protected need(length: number): number {
    const at = this.offset;
    if (at + length > this.bytes.length) throw this.tooShort();
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

  take(length: number): Uint8Array {
    const at = this.need(length);
    return this.bytes.subarray(at, at + length);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }
}
